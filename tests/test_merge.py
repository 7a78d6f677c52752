"""merge_changes (each group's ops filed on disk by paragraph, conflicts found in one sweep)
gives exactly what the in-memory algorithm it replaced gave: the same merged ops in the same
order with the same credits, seq and conflict marks, and the same conflicts."""
from __future__ import annotations

from collections import Counter
from dataclasses import astuple

from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import SAMPLE_DRAFT, SAMPLES

from consult.changes import DELETES, INSERTS, Conflict, Credit, Op, merge_changes
from consult.ingest import ingest
from consult.model import Draft, Place, Placed, Pos, Return, Revision
from consult.split import load_draft

DRAFT = load_draft(SAMPLE_DRAFT)


# -- the reference: the in-memory algorithm of 8cdb0a8 (collect_ops + find_conflicts) -------
def collect_ops(returns: list[Return]) -> tuple[list[Op], list[Op]]:
    """The in-memory algorithm merge_changes replaced: every op held at once, merged in a
    dict, conflicts found over all of them (consult/changes.py at 8cdb0a8, unchanged)."""
    ops: dict[tuple, Op] = {}
    raw: list[Op] = []
    seq = 0
    for ret in returns:
        pending: Op | None = None
        for placed in ret.revisions:
            op = _op(placed, placed.item, ret.group, seq)
            seq += 1
            if (pending is not None and op.kind == "insert" and pending.kind == "insert"
                    and (op.para, op.start) == (pending.para, pending.start)
                    and pending.credits[0].tracked == op.credits[0].tracked):
                pending.text += op.text
                continue
            if pending is not None:
                raw.append(pending)
            pending = op
        if pending is not None:
            raw.append(pending)
    for op in raw:
        _merge(ops, op)
    return sorted(ops.values(), key=lambda o: (o.para, o.start, o.seq)), raw


def _op(placed: Placed, rev: Revision, group: str, seq: int) -> Op:
    pl = placed.place
    kind = ("insert" if rev.kind in INSERTS else "delete" if rev.kind in DELETES else rev.kind)
    start, end = (pl.paragraph, pl.start), (pl.end_paragraph, pl.end)
    if kind == "insert":
        end = start
    credit = Credit(group, rev.author, rev.date, rev.tracked)
    return Op(kind, start[0], start[1], end[0], end[1], rev.text, rev.props, [credit], seq,
              old_props=rev.old_props)


def _merge(ops: dict[tuple, Op], op: Op) -> None:
    found = ops.get(op.key)
    if found is None:
        found = ops[op.key] = Op(op.kind, op.para, op.start, op.end_para, op.end, op.text,
                                 op.props, list(op.credits), op.seq, old_props=op.old_props)
        op.merged = found
        return
    op.merged = found
    for c in op.credits:
        if c.group not in [x.group for x in found.credits]:
            found.credits.append(c)


def find_conflicts(ops: list[Op], draft: Draft) -> list[Conflict]:
    units = _units([o for o in ops if o.kind in ("insert", "delete")])
    units.sort(key=lambda u: (u[0], u[1]))
    clusters: list[list] = []
    reach = None
    for unit in units:
        if clusters and unit[0] <= reach and _overlaps(clusters[-1], unit):
            clusters[-1].append(unit)
            reach = max(reach, unit[1])
        else:
            clusters.append([unit])
            reach = unit[1]
    out = []
    for cluster in clusters:
        groups = {g for u in cluster for g in u[3]}
        proposals = {(u[0], u[1], u[2]) for u in cluster}
        if len(groups) < 2 or len(proposals) < 2:
            continue
        cid = f"C{len(out) + 1}"
        start, end = min(u[0] for u in cluster), max(u[1] for u in cluster)
        for u in cluster:
            for op in u[4]:
                op.conflict = cid
                if op.merged is not None:
                    op.merged.conflict = cid
        section = draft.section_of(start[0])
        out.append(Conflict(cid, section.id if section else "", start[0], start[1], end[0],
                            end[1], _text(draft, start, end), _versions(draft, cluster, start, end)))
    return out


def _units(ops: list[Op]) -> list[tuple]:
    units = []
    by_end: dict[tuple, list] = {}
    for op in ops:
        if op.kind == "delete":
            unit = [(op.para, op.start), (op.end_para, op.end), "", _groups(op), [op]]
            units.append(unit)
            by_end.setdefault((op.end_para, op.end, tuple(_groups(op))), []).append(unit)
    for op in ops:
        if op.kind != "insert":
            continue
        match = by_end.get((op.para, op.start, tuple(_groups(op))))
        if match:
            match[0][2] += op.text
            match[0][4].append(op)
        else:
            units.append([(op.para, op.start), (op.para, op.start), op.text, _groups(op), [op]])
    return [tuple(u) for u in units]


def _groups(op: Op) -> list[str]:
    return sorted(c.group for c in op.credits)


def _overlaps(cluster: list, unit: tuple) -> bool:
    for other in reversed(cluster):
        (s1, e1), (s2, e2) = (other[0], other[1]), (unit[0], unit[1])
        if s1 < e2 and s2 < e1:
            return True
        if s1 == e1 == s2 == e2:
            return True
        if (s1 == e1 and s2 < s1 < e2) or (s2 == e2 and s1 < s2 < e1):
            return True
    return False


def _text(draft: Draft, start: tuple, end: tuple) -> str:
    if start[0] == end[0]:
        return draft.paragraphs[start[0]].text[start[1]:end[1]]
    parts = [draft.paragraphs[start[0]].text[start[1]:]]
    parts += [draft.paragraphs[i].text for i in range(start[0] + 1, end[0])]
    parts.append(draft.paragraphs[end[0]].text[:end[1]])
    return "\n".join(parts)


def _versions(draft: Draft, cluster: list, start: tuple, end: tuple):
    groups = sorted({g for u in cluster for g in u[3]}, key=lambda g: min(
        op.seq for u in cluster if g in u[3] for op in u[4]))
    out = []
    for g in groups:
        mine = sorted((u for u in cluster if g in u[3]), key=lambda u: (u[0], u[1]))
        text, pos = "", start
        for u in mine:
            text += _text(draft, pos, u[0]) + u[2]
            pos = max(pos, u[1])
        text += _text(draft, pos, end)
        out.append((g, text))
    return tuple(out)


def reference(returns: list[Return], draft: Draft) -> tuple[list[Op], list[Conflict]]:
    merged, raw = collect_ops(returns)
    return merged, find_conflicts(raw, draft)


# -- comparing ----------------------------------------------------------------------------
def _fields(op: Op) -> tuple:
    """Everything written from a merged op (``merged`` is only set on per-group ops)."""
    assert op.merged is None
    return (op.kind, op.para, op.start, op.end_para, op.end, op.text, op.props,
            tuple(astuple(c) for c in op.credits), op.seq, op.conflict, op.old_props)


def assert_same(returns: list[Return], draft: Draft) -> tuple[list[Op], list[Conflict]]:
    want_ops, want_conflicts = reference(returns, draft)
    ops, conflicts = merge_changes(returns, draft)
    assert [_fields(o) for o in ops] == [_fields(o) for o in want_ops]
    assert list(conflicts) == want_conflicts
    return want_ops, want_conflicts


# -- building returns -----------------------------------------------------------------------
def _placed(kind: str, start: tuple, end: tuple, text: str, author: str, k: int,
            tracked: bool = True, props: str = "", date: str | None = None) -> Placed:
    section = DRAFT.section_of(start[0])
    rev = Revision(f"body:{k}", kind, author, date, text, Pos(*start), Pos(*end),
                   tracked=tracked, props=props, old_props="b" if props else "")
    place = Place(section.id if section else "", start[0], start[1], end=end[1],
                  end_paragraph=end[0])
    return Placed(rev, place)


def _return(group: str, placed: list[Placed]) -> Return:
    return Return(f"{group}.docx", group, (), "filename", tuple(placed), (), len(placed))


WINDOWS = (1, 5, 82, 144, 178)      # four paragraphs each: section edges, a short and an empty one
WIDTH = 4
TEXTS = ("x", "new ", "\n", "and ", "x")
DATES = ("2026-10-05T10:00:00Z", None)


@st.composite
def positions(draw, first: int) -> tuple[int, int]:
    """A place in the window, at one of a few offsets so that changes meet and overlap."""
    para = first + draw(st.integers(0, WIDTH - 1))
    size = len(DRAFT.paragraphs[para].text)
    offsets = sorted({min(k, size) for k in (0, 3, 5, 9, 20, size)})
    return para, draw(st.sampled_from(offsets))


@st.composite
def changes(draw, first: int) -> list[tuple]:
    """One proposal, as the (kind, start, end, text, tracked, props) revisions a return holds."""
    shape = draw(st.sampled_from(["insert", "paragraph-insert", "move-to", "delete",
                                  "move-from", "paragraph-delete", "format", "replace",
                                  "two-inserts", "replace-before"]))
    a, b = sorted([draw(positions(first)), draw(positions(first))])
    text = draw(st.sampled_from(TEXTS))
    tracked = draw(st.sampled_from([True, True, True, False]))
    if shape in INSERTS:
        return [(shape, a, a, text, tracked, "")]
    if shape in DELETES:
        return [(shape, a, b, _text(DRAFT, a, b), tracked, "")]
    if shape == "format":
        return [("format", a, b, "", tracked, draw(st.sampled_from(["i", "u"])))]
    if shape == "two-inserts":      # consecutive insertions at one place: one op
        more = draw(st.sampled_from(TEXTS + ("",)))
        return [("insert", a, a, text, tracked, ""),
                ("insert", a, a, more, draw(st.sampled_from([tracked, not tracked])), "")]
    # a deletion and the same group's insertion exactly at its end (a replacement)
    out = [("delete", a, b, _text(DRAFT, a, b), tracked, ""), ("insert", b, b, text, tracked, "")]
    return out[::-1] if shape == "replace-before" else out


@st.composite
def batches(draw, unique_groups: bool = True) -> list[Return]:
    first = draw(st.sampled_from(WINDOWS))
    pool = draw(st.lists(changes(first), min_size=2, max_size=8))
    groups = draw(st.lists(st.sampled_from("ABCDEF"), min_size=2, max_size=6,
                           unique=unique_groups))
    returns = []
    k = 0
    for g in groups:
        # shared proposals (identical changes by several groups) and some of the group's own
        chosen = draw(st.lists(st.sampled_from(range(len(pool))), max_size=5))
        own = draw(st.lists(changes(first), max_size=2))
        props = [pool[i] for i in chosen] + own
        order = draw(st.permutations(range(len(props))))
        placed = []
        for i in order:
            for kind, start, end, text, tracked, fmt in props[i]:
                placed.append(_placed(kind, start, end, text, f"{g} person", k, tracked, fmt,
                                      draw(st.sampled_from(DATES))))
                k += 1
        returns.append(_return(g, placed))
    return returns


def _tally(stats: Counter, ops: list[Op], conflicts: list[Conflict]) -> None:
    stats["examples"] += 1
    stats["conflicts"] += bool(conflicts)
    stats["spanning"] += any(c.end_para > c.para for c in conflicts)
    stats["shared"] += any(len({c.group for c in o.credits}) > 1 for o in ops)
    stats["several"] += len(conflicts) > 1


def test_merge_changes_equals_the_in_memory_algorithm():
    stats: Counter = Counter()

    @settings(max_examples=200, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(returns=batches())
    def check(returns):
        _tally(stats, *assert_same(returns, DRAFT))

    check()
    # the examples exercise what matters: conflicts, over several paragraphs, and agreement
    n = stats["examples"]
    assert stats["conflicts"] >= n // 3, stats
    assert stats["spanning"] >= n // 20, stats
    assert stats["shared"] >= n // 5, stats
    assert stats["several"] >= n // 20, stats


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(returns=batches(unique_groups=False))
def test_merge_changes_equals_the_in_memory_algorithm_with_a_group_returning_twice(returns):
    assert_same(returns, DRAFT)


def test_a_replacement_over_two_paragraphs_against_an_edit_inside_it():
    t4, t5, t6 = (DRAFT.paragraphs[k].text for k in (4, 5, 6))
    start, end = (4, 100), (5, 20)
    deleted = t4[100:] + "\n" + t5[:20]

    def replacement(group: str, k: int) -> list[Placed]:
        return [_placed("delete", start, end, deleted, group, k),
                _placed("insert", end, end, "Replacement", group, k + 1)]

    returns = [
        _return("A", replacement("A", 0)),
        _return("B", [_placed("insert", (4, 200), (4, 200), "B's words", "B", 10),
                      _placed("format", (8, 0), (8, 5), "", "B", 11, props="i")]),
        _return("C", replacement("C", 20)),
        _return("D", [_placed("delete", (6, 0), (6, 4), t6[:4], "D", 30)]),     # elsewhere
    ]
    ops, conflicts = assert_same(returns, DRAFT)
    assert conflicts == [Conflict(
        "C1", "1.1", 4, 100, 5, 20, deleted,
        (("A", "Replacement"),
         ("B", t4[100:200] + "B's words" + t4[200:] + "\n" + t5[:20]),
         ("C", "Replacement")))]
    marks = {(o.kind, o.para, o.start, o.text): (o.conflict, [c.group for c in o.credits])
             for o in ops}
    assert marks == {
        ("delete", 4, 100, deleted): ("C1", ["A", "C"]),
        ("insert", 4, 200, "B's words"): ("C1", ["B"]),
        ("insert", 5, 20, "Replacement"): ("C1", ["A", "C"]),
        ("delete", 6, 0, t6[:4]): ("", ["D"]),
        ("format", 8, 0, ""): ("", ["B"]),
    }
    assert [o.seq for o in ops] == [0, 2, 1, 6, 3]


def test_merge_changes_on_the_sample_returns():
    paths = sorted((SAMPLES / "returns").glob("*.docx"))
    result = ingest(DRAFT, paths)
    returns = list(result.returns)
    ops, conflicts = assert_same(returns, DRAFT)
    assert len(ops) > 10 and conflicts
