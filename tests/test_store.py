"""ReturnStore: the returns of a batch kept on disk behave like a list."""
from __future__ import annotations

import pickle

from conftest import SAMPLE_DRAFT, SAMPLES

from consult.ingest import ingest
from consult.model import Comment, Place, Placed, Pos, Return, Revision
from consult.split import load_draft
from consult.store import ReturnStore


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
