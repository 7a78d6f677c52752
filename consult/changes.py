"""Proposals from all groups on the draft: agreement merged, conflicts found."""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Draft, Placed, Return, Revision

INSERTS = {"insert", "move-to", "paragraph-insert"}
DELETES = {"delete", "move-from", "paragraph-delete"}
UNTRACKED = " (untracked)"
JOIN = " & "


@dataclass(slots=True)
class Credit:
    """Who made a change: group, person, date, tracked or not."""

    group: str
    person: str
    date: str | None
    tracked: bool


@dataclass(slots=True)
class Op:
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

    @property
    def key(self) -> tuple:
        return (self.kind, self.para, self.start, self.end_para, self.end, self.text, self.props)


@dataclass(frozen=True)
class Conflict:
    """Groups proposing different changes to overlapping draft text."""

    id: str
    section: str
    para: int
    start: int
    end_para: int
    end: int
    draft_text: str
    versions: tuple[tuple[str, str], ...]       # (group, resulting text)


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


def collect_ops(returns: list[Return]) -> tuple[list[Op], list[Op]]:
    """Every placed revision as an op, per group (raw) and merged.

    Identical ops from several groups become one merged op crediting all of them.
    """
    ops: dict[tuple, Op] = {}
    raw: list[Op] = []
    seq = 0
    for ret in returns:
        pending: Op | None = None
        for placed in ret.revisions:
            rev: Revision = placed.item
            op = _op(placed, rev, ret.group, seq)
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
    text = rev.text
    start, end = (pl.paragraph, pl.start), (pl.end_paragraph, pl.end)
    if kind == "insert":
        end = start
    credit = Credit(group, rev.author, rev.date, rev.tracked)
    return Op(kind, start[0], start[1], end[0], end[1], text, rev.props, [credit], seq,
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
    """Clusters of overlapping text changes from different groups that are not identical.

    ``ops`` are the per-group ops; the merged ops they went into are marked too.
    """
    units = _units([o for o in ops if o.kind in ("insert", "delete")])
    units.sort(key=lambda u: (u[0], u[1]))
    clusters: list[list] = []
    reach = None            # the furthest end in the last cluster
    for unit in units:
        # units come by start, so a unit starting after every end in the cluster is clear
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
    """(start, end, new text, groups, ops): a deletion and the insertion at its end are one."""
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
