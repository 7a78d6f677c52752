"""Proposals from all groups on the draft: agreement merged, conflicts found."""
from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .model import Draft, Placed, Return, Revision, _Record
from .ooxml.objects import fingerprint
from .store import Buckets, DiskList

INSERTS = {"insert", "move-to", "paragraph-insert"}
DELETES = {"delete", "move-from", "paragraph-delete"}
SWEPT = ("insert", "delete", "object-insert")      # what a conflict is made of
UNTRACKED = " (untracked)"
JOIN = " & "


@dataclass(slots=True)
class Credit(_Record):
    """Who made a change: group, person, date, tracked or not."""

    group: str
    person: str
    date: str | None
    tracked: bool


@dataclass(slots=True)
class Op(_Record):
    """One change to write: insertion, deletion, formatting or a row, with its credits."""

    kind: str                   # insert | delete | format | paragraph-format | row-insert | row-delete
    para: int
    start: int
    end_para: int
    end: int
    text: str
    props: str = ""
    credits: list[Credit] = field(default_factory=list)
    seq: int = 0
    conflict: str = ""
    merged: "Op | None" = None      # for a single group's op: the op written for it
    old_props: str = ""
    ident: str = ""             # an inserted picture or shape: what it is (objects.fingerprint)

    @property
    def key(self) -> tuple:
        if self.ident:          # the same picture, however each return named it
            return (self.kind, self.para, self.start, self.end_para, self.end, self.ident)
        return (self.kind, self.para, self.start, self.end_para, self.end, self.text, self.props)

    @property
    def proposal(self) -> str:
        """What the op puts in, for telling proposals apart: its text, or its picture."""
        return f"\x00{self.ident}\x00" if self.ident else self.text


@dataclass(frozen=True)
class Conflict:
    """Groups proposing different changes to overlapping draft text; in a footnote or endnote
    (``note``: "footnotes:N", as a note annotation's Place names it), at the end of the
    paragraph holding the note's reference, ``in_note`` saying where in the note: (paragraph
    of the note, start, end). Different notes that groups add at one place of the body
    (``new_note``: "footnotes", "endnotes", or "notes" when both) are a conflict at that
    place, each group's version its notes' text."""

    id: str
    section: str
    para: int
    start: int
    end_para: int
    end: int
    draft_text: str
    versions: tuple[tuple[str, str], ...]       # (group, resulting text)
    note: str = ""
    in_note: tuple[int, int, int] = ()
    new_note: str = ""


def author_label(credits: list[Credit], mode: str = "group") -> str:
    """The w:author for a change: group names, reviewers' names or both."""
    names = []
    for c in credits:
        if mode == "person":
            name = c.person or c.group
        elif mode == "both":
            name = f"{c.group} ({c.person})" if c.person and c.person != c.group else c.group
        else:
            name = c.group
        if name not in names:
            names.append(name)
    label = JOIN.join(names)
    if credits and not any(c.tracked for c in credits):
        label += UNTRACKED
    return label


def merge_changes(returns: Iterable[Return], draft: Draft) -> tuple[DiskList, DiskList]:
    """Every placed revision as an op, identical ops from several groups merged into one
    crediting them all (in draft order), and the conflicts between groups.

    Each group's ops are filed on disk by paragraph and read back paragraph by paragraph, so
    memory holds about a paragraph's worth of changes however many returns there are.
    """
    filed = Buckets()
    seq = 0
    for ret in returns:
        for op in group_ops(ret, seq):
            filed.add(op.para, op)
        seq += len(ret.revisions)
    ops, conflicts = DiskList(), DiskList()
    sweep = _Sweep(draft, conflicts)
    held: deque[tuple[int, list[Op]]] = deque()     # merged ops a conflict may still mark
    for para in filed.keys():
        mine = filed.take(para)
        merged: dict[tuple, Op] = {}
        for op in mine:
            _merge(merged, op)
        held.append((para, sorted(merged.values(), key=lambda o: (o.start, o.seq))))
        sweep.feed(para, [o for o in mine if o.kind in SWEPT])
        undecided = sweep.undecided_from()
        while held and (undecided is None or held[0][0] < undecided):
            ops.extend(held.popleft()[1])
    sweep.finish()
    while held:
        ops.extend(held.popleft()[1])
    filed.close()
    return ops, conflicts


def group_ops(ret: Return, seq: int = 0) -> Iterator[Op]:
    """One group's placed revisions as ops (numbered from ``seq``); insertions one after
    another at the same place are one."""
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
            yield pending
        pending = op
    if pending is not None:
        yield pending


def _op(placed: Placed, rev: Revision, group: str, seq: int) -> Op:
    pl = placed.place
    kind = ("insert" if rev.kind in INSERTS else "delete" if rev.kind in DELETES else rev.kind)
    text = rev.text
    start, end = (pl.paragraph, pl.start), (pl.end_paragraph, pl.end)
    if kind == "insert":
        end = start
    credit = Credit(group, rev.author, rev.date, rev.tracked)
    return Op(kind, start[0], start[1], end[0], end[1], text, rev.props, [credit], seq,
              old_props=rev.old_props,
              ident=fingerprint(rev.props) if kind == "object-insert" else "")


def _merge(ops: dict[tuple, Op], op: Op) -> None:
    found = ops.get(op.key)
    if found is None:
        found = ops[op.key] = Op(op.kind, op.para, op.start, op.end_para, op.end, op.text,
                                 op.props, list(op.credits), op.seq, old_props=op.old_props,
                                 ident=op.ident)
        op.merged = found
        return
    op.merged = found
    for c in op.credits:
        if c.group not in [x.group for x in found.credits]:
            found.credits.append(c)


class _Sweep:
    """Conflicts found paragraph by paragraph: clusters of overlapping text changes from
    different groups that are not identical.

    A unit is (start, end, new text, groups, ops, what it puts in): a deletion and the
    insertion its group makes at its end are one; an inserted picture or shape is put in as
    its fingerprint (``Op.proposal``), so that different pictures differ and the same one does
    not. Units come by start, so a unit starting after every end of the
    current cluster opens the next; a closed cluster is judged once every paragraph it
    reaches has been read (an insertion at a deletion's end may still join a unit).
    """

    def __init__(self, draft: Draft, out: DiskList) -> None:
        self.draft, self.out = draft, out
        self.by_end: dict[tuple, list] = {}     # (end para, end, groups) -> open deletions
        self.cluster: list | None = None
        self.reach: tuple | None = None         # the furthest end in the current cluster
        self.waiting: deque[tuple[list, tuple]] = deque()     # closed: (cluster, reach)

    def feed(self, para: int, ops: list[Op]) -> None:
        """The per-group insertions and deletions starting in paragraph ``para``."""
        for key in [k for k in self.by_end if k[0] < para]:
            del self.by_end[key]
        units = []
        for op in ops:
            if op.kind == "delete":
                unit = [(op.para, op.start), (op.end_para, op.end), "", _groups(op), [op], ""]
                units.append(unit)
                self.by_end.setdefault((op.end_para, op.end, tuple(unit[3])), []).append(unit)
        for op in ops:
            if op.kind == "delete":
                continue
            match = self.by_end.get((op.para, op.start, tuple(_groups(op))))
            if match:
                unit = min(match, key=lambda u: u[4][0].seq)       # the group's first
                unit[2] += op.text
                unit[4].append(op)
                unit[5] += op.proposal
            else:
                units.append([(op.para, op.start), (op.para, op.start), op.text, _groups(op),
                              [op], op.proposal])
        units.sort(key=lambda u: (u[0], u[1]))
        for unit in units:
            if self.cluster and unit[0] <= self.reach and _overlaps(self.cluster, unit):
                self.cluster.append(unit)
                self.reach = max(self.reach, unit[1])
            else:
                if self.cluster:
                    self.waiting.append((self.cluster, self.reach))
                self.cluster, self.reach = [unit], unit[1]
        while self.waiting and self.waiting[0][1][0] <= para:
            self._judge(self.waiting.popleft()[0])

    def undecided_from(self) -> int | None:
        """The first paragraph whose ops a conflict may still mark (None: none)."""
        first = self.waiting[0][0] if self.waiting else self.cluster
        return first[0][0][0] if first else None

    def finish(self) -> None:
        if self.cluster:
            self.waiting.append((self.cluster, self.reach))
            self.cluster = None
        while self.waiting:
            self._judge(self.waiting.popleft()[0])

    def _judge(self, cluster: list) -> None:
        groups = {g for u in cluster for g in u[3]}
        proposals = {(u[0], u[1], u[5]) for u in cluster}
        if len(groups) < 2 or len(proposals) < 2:
            return
        cid = f"C{len(self.out) + 1}"
        start, end = min(u[0] for u in cluster), max(u[1] for u in cluster)
        for u in cluster:
            for op in u[4]:
                op.conflict = cid
                if op.merged is not None:
                    op.merged.conflict = cid
        draft = self.draft
        section = draft.section_of(start[0])
        self.out.append(Conflict(cid, section.id if section else "", start[0], start[1], end[0],
                                 end[1], _text(draft, start, end),
                                 _versions(draft, cluster, start, end)))


def _groups(op: Op) -> list[str]:
    return sorted(c.group for c in op.credits)


def _overlaps(cluster: list, unit: tuple) -> bool:
    for other in reversed(cluster):         # the latest units are the likeliest to overlap
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
