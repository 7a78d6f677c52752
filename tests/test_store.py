"""ReturnStore/DiskList: lists kept on disk behave like lists; Buckets: items filed by key
come back key by key in filing order."""
from __future__ import annotations

import pickle
import random
from fractions import Fraction

from conftest import SAMPLE_DRAFT, SAMPLES

from consult.ingest import ingest
from consult.model import Comment, Place, Placed, Pos, Return, Revision
from consult.split import load_draft
from consult.store import Buckets, DiskList, ReturnStore


def _ret(k: int) -> Return:
    rev = Revision(f"body:{k}:1", "insert", "Ann", "2026-10-05T10:00:00Z", f"text {k}",
                   Pos(k, 0), Pos(k, 0))
    com = Comment(str(k), "Ann", "A", None, f"comment {k}", "anchor", start=Pos(k, 1))
    place = Place("1", k, 0, 0, k)
    return Return(f"Group {k}.docx", f"Group {k}", ("1",), "filename",
                  (Placed(rev, place), Placed(com, place)), (), 2)


def test_store_is_a_list_of_returns():
    rets = [_ret(k) for k in range(5)]
    store = ReturnStore(rets)
    assert len(store) == 5 and bool(store)
    assert list(store) == rets and store == rets
    assert store[2] == rets[2] and store[-1] == rets[4] and store[1:3] == rets[1:3]
    del store[1]
    assert [r.group for r in store] == ["Group 0", "Group 2", "Group 3", "Group 4"]
    store.append(rets[1])
    store.order_by(lambda r: r.group)
    assert list(store) == rets
    store[0] = rets[3]
    assert store[0] == rets[3] and store[3] == rets[3]
    assert not ReturnStore()


def test_store_survives_pickling_and_reads_fresh_copies():
    store = ReturnStore([_ret(1), _ret(2)])
    again = pickle.loads(pickle.dumps(store))
    assert again == store and again is not store
    assert store[0] == store[0] and store[0] is not store[0]


def test_ingest_keeps_returns_on_disk_in_input_order():
    draft = load_draft(SAMPLE_DRAFT)
    paths = sorted((SAMPLES / "returns").glob("*.docx"))
    result = ingest(draft, paths)
    assert isinstance(result.returns, ReturnStore)
    assert [r.path for r in result.returns] == [str(p) for p in paths]
    assert sum(len(r.placed) for r in result.returns) > 0


# -- DiskList with any picklable items ------------------------------------------------------
ITEMS = [None, 0, -7, 2 ** 70, 1.5, "", "tekst \u00e9\n", b"\x00\xff", (1, ("a", None)),
         [1, [2, [3]]], {"k": {1, 2}}, frozenset("ab"), Fraction(1, 3), range(3, 9, 2),
         Pos(1, 2), _ret(7)]


def test_disklist_holds_any_picklable_item_like_a_list():
    dl, ref = DiskList(ITEMS), list(ITEMS)
    assert len(dl) == len(ref) and list(dl) == ref and dl == ref and dl == tuple(ref)
    for k in range(-len(ref), len(ref)):
        assert dl[k] == ref[k]
    for sl in (slice(None), slice(2, 9), slice(None, None, -1), slice(1, None, 3),
               slice(-4, -1), slice(5, 2)):
        assert dl[sl] == ref[sl]
    for d in (dl, ref):
        d.insert(0, "first")
        d.insert(5, ("middle", 5))
        d.insert(len(d), "last")
        d.insert(-1, "before last")
        del d[3]
        del d[-2]
        del d[1:4]
        d[2:4] = ["x", "y", "z"]
        d[0] = {"replaced": True}
        d.append([])
        d.extend([b"", 0.25])
        d += ["plus"]
    assert list(dl) == ref and len(dl) == len(ref)
    assert dl.pop() == ref.pop() and dl.index(0.25) == ref.index(0.25)
    assert (ref[0] in dl) and ("absent" not in dl)
    assert list(reversed(dl)) == list(reversed(ref))
    dl.reverse()
    ref.reverse()
    assert list(dl) == ref
    assert dl != ref + [1] and dl != ref[:-1] and DiskList() == [] and not DiskList()


def test_disklist_order_by_is_a_stable_sort():
    rng = random.Random(5)
    pairs = [(rng.randrange(10), k, "x" * rng.randrange(5)) for k in range(300)]
    dl = DiskList(pairs)
    dl.order_by(lambda p: p[0])
    assert list(dl) == sorted(pairs, key=lambda p: p[0])
    dl.order_by(lambda p: (-len(p[2]), p[1]))
    assert list(dl) == sorted(pairs, key=lambda p: (-len(p[2]), p[1]))


def test_disklist_pickles_and_gives_fresh_copies():
    dl = DiskList(ITEMS)
    again = pickle.loads(pickle.dumps(dl))
    assert isinstance(again, DiskList) and again == dl and list(again) == ITEMS
    again.append("more")            # the copy has its own file
    assert len(again) == len(dl) + 1 and dl == ITEMS
    assert dl[9] == dl[9] and dl[9] is not dl[9]
    item = dl[9]
    item[1][0] = "changed"          # changing what was read changes nothing stored
    assert dl[9] == ITEMS[9]
    assert pickle.loads(pickle.dumps(DiskList())) == []


# -- Buckets ----------------------------------------------------------------------------------
def test_buckets_keys_ascend_and_items_come_back_in_filing_order():
    b = Buckets()
    assert b.keys() == [] and b.items(3) == [] and b.take(3) == []
    for key, item in [(5, "a"), (2, "b"), (5, "c"), (-1, "d"), (2, "e"), (5, "a"), (40, "f")]:
        b.add(key, item)
    assert b.keys() == [-1, 2, 5, 40]
    assert b.items(5) == ["a", "c", "a"] and b.items(2) == ["b", "e"]
    assert b.items(3) == []                     # no items: not a key, nothing back
    assert b.items(5) == ["a", "c", "a"]        # items() reads without forgetting
    assert b.take(5) == ["a", "c", "a"]
    assert b.take(5) == [] and b.items(5) == [] and b.keys() == [-1, 2, 40]
    b.add(5, "g")                               # filed again after being taken
    b.add(2, "h")
    assert b.keys() == [-1, 2, 5, 40] and b.items(5) == ["g"] and b.take(2) == ["b", "e", "h"]
    for key in b.keys():
        b.take(key)
    assert b.keys() == []
    b.close()


def test_buckets_beyond_a_batch_match_a_dict_of_lists():
    rng = random.Random(11)
    b, ref = Buckets(), {}
    n = 2 * Buckets.BATCH + 1000 + 7         # several flushes and some still waiting
    for k in range(n):
        key = rng.choice([rng.randrange(60), rng.randrange(-3, 10_000)])
        item = (k, key, "x" * rng.randrange(4))
        b.add(key, item)
        ref.setdefault(key, []).append(item)
        if k == Buckets.BATCH + 3:                   # reading mid-way flushes what waits
            assert b.keys() == sorted(ref)
    assert b.keys() == sorted(ref)
    taken = sorted(ref)[::3]
    for key in sorted(ref):
        got = b.take(key) if key in taken else b.items(key)
        assert got == ref[key]
    assert b.keys() == sorted(set(ref) - set(taken))
    assert sum(len(b.items(k)) for k in b.keys()) == n - sum(len(ref[k]) for k in taken)
    b.close()


def test_buckets_give_back_equal_fresh_objects():
    b = Buckets()
    things = [_ret(1), Pos(3, 4), {"a": [1, 2]}, Fraction(2, 7), None, b"\x00"]
    for thing in things:
        b.add(1, thing)
    got = b.items(1)
    assert got == things and all(g is not t for g, t in zip(got, things) if t is not None)
    got[2]["a"].append(3)
    assert b.take(1) == things
    b.close()
