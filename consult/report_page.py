"""The decision page's content: proposals (what a person means), comment threads and conflicts,
placed on the draft's paragraphs, with the decisions-CSV rows each proposal stands for."""
from __future__ import annotations

import hashlib
from array import array
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .changes import DELETES, INSERTS
from .model import Comment, Draft, Revision
from .asides import aside_name, reference_of
from .notes_changes import note_conflict_ids
from .ooxml.props import describe
from .report_rows import label_of, note_entry, paragraph_label
from .store import DiskList

if TYPE_CHECKING:
    from .collate import Collation

ADDS = INSERTS | {"row-insert", "object-insert"}
CUTS = DELETES | {"row-delete", "object-delete"}
QUOTE = 60                  # longest quotation in a proposal's label
MOVE_MIN = 20               # a deletion and an insertion of this much equal text are a move


@dataclass
class Proposal:
    """One thing a person means: one or more merged changes made by the same groups."""

    id: str
    ops: list                           # consult.changes.Op, in draft order
    groups: list[str]
    where: str                          # the Word number of its paragraph
    section: str
    conflict: str = ""
    label: str = ""
    rows: list[dict] = field(default_factory=list)     # decisions-CSV rows (decision empty)
    at: int | None = None               # a change in a note: the paragraph of its reference

    @property
    def para(self) -> int:
        return self.at if self.at is not None else self.ops[0].para


@dataclass
class Thread:
    """A comment with its replies, anchored on words of one paragraph."""

    id: str
    group: str
    para: int
    start: int
    end: int
    anchor: str
    notes: list[tuple[str, str]]        # (person, text): the comment, then its replies


@dataclass
class Piece:
    """A stretch of a paragraph's text: kept, deleted by proposals, or inserted by one."""

    text: str
    deleted_by: list[str] = field(default_factory=list)
    inserted_by: str = ""
    threads: list[str] = field(default_factory=list)
    mark: bool = False                  # a paragraph mark (shown as ¶)
    formatted_by: list[str] = field(default_factory=list)


@dataclass
class Para:
    """A draft paragraph with what was proposed and said about it."""

    index: int
    where: str
    pieces: list[Piece]
    proposals: list[Proposal]
    threads: list[Thread]


def proposals(col: "Collation") -> list[Proposal]:
    """The collation's merged changes gathered into proposals, in draft order."""
    return list(iter_proposals(col))


def iter_proposals(col: "Collation") -> Iterator[Proposal]:
    """``proposals``, read back one at a time: they wait on disk, not in memory, until then."""
    raw, paras = DiskList(), array("q")
    inserts: dict[int, int] = {}        # digest of (groups, inserted text) -> position in raw
    deletes: list[tuple[int, int]] = []     # (position, digest) of each pure deletion
    for p in _runs(col):
        d, i = _texts(p)
        if i and not d and len(i.strip()) >= MOVE_MIN and not p.conflict:
            inserts.setdefault(_digest(p.groups, i), len(raw))
        elif d and not i:
            deletes.append((len(raw), _digest(p.groups, d)))
        raw.append(p)
        paras.append(p.para)
    moves = _moves(raw, inserts, deletes)
    gone, sources = set(moves.values()), {f"P{k + 1}" for k in moves}
    body = [k for k in range(len(raw)) if k not in gone]
    notes = _note_proposals(col)
    order = sorted(range(len(body) + len(notes)), key=lambda j: paras[body[j]] if j < len(body)
                   else notes[j - len(body)].para)
    n = len(raw)            # a note's proposal is numbered after every body one (a move's
    for j in order:         # insertion keeps its number unused): ids never repeat
        if j >= len(body):
            n += 1
            notes[j - len(body)].id = f"P{n}"
            yield notes[j - len(body)]
            continue
        p = raw[body[j]]
        if body[j] in moves:    # one proposal: the deletion takes the insertion's changes
            target = raw[moves[body[j]]]
            p.ops += target.ops
            p.rows += target.rows
        p.label = _label(col.draft, p, sources)
        yield p


def _runs(col: "Collation") -> Iterator[Proposal]:
    """Runs of the merged changes made by the same groups, each touching the next, numbered
    P1, P2... in draft order (their labels not yet written)."""
    run: list = []
    groups: tuple[str, ...] = ()
    n = 0
    for op in col.ops:
        mine = tuple(dict.fromkeys(c.group for c in op.credits))
        prev = run[-1] if run else None
        if (prev is not None and mine == groups and op.conflict == prev.conflict
                and _touches(prev, op) and "format" not in (op.kind + prev.kind)):
            run.append(op)
            continue
        if run:
            n += 1
            yield _proposal(col.draft, n, run, groups)
        run, groups = [op], mine
    if run:
        yield _proposal(col.draft, n + 1, run, groups)


def _proposal(draft: Draft, n: int, ops: list, groups: tuple[str, ...]) -> Proposal:
    sec = _section_of(draft, ops[0].para)
    p = Proposal(f"P{n}", ops, list(groups), label_of(draft, ops[0].para), sec, ops[0].conflict)
    p.rows = [_row(draft, op, c, sec) for op in ops for c in op.credits]
    return p


def _note_proposals(col: "Collation") -> list[Proposal]:
    """A proposal (its id still empty) for each change in a note (the same change by several
    groups once), on the paragraph holding the note's reference."""
    found: dict[tuple, Proposal] = {}
    in_conflict = note_conflict_ids(col.conflicts, col.returns)
    for ret in col.returns:
        for n, placed in enumerate(ret.notes):
            item, pl = placed.item, placed.place
            ref = reference_of(col.draft, pl.section)
            if not isinstance(item, Revision) or ref is None:
                continue
            key = (pl.section, pl.paragraph, pl.start, pl.end, item.kind,
                   item.text if item.kind in INSERTS else "")
            row = note_entry(col.draft, ret.group, ret.path, placed).row
            if key not in found:
                verb = "insert" if item.kind in INSERTS else "delete"
                where = f"{label_of(col.draft, ref)} {aside_name(pl.section)}"
                found[key] = Proposal("", [], [], where, _section_of(col.draft, ref),
                                      label=f"in {aside_name(pl.section)}: {verb} "
                                            f"{_q(item.text)}", at=ref)
            p = found[key]
            p.conflict = p.conflict or in_conflict.get((ret.group, n), "")
            if ret.group not in p.groups:
                p.groups.append(ret.group)
                p.rows.append(row)
    return list(found.values())


def _touches(a, b) -> bool:
    """Whether op ``b`` starts where ``a`` ends (a replacement, or one change in pieces)."""
    return (b.para, b.start) == (a.end_para, a.end)


def _section_of(draft: Draft, index: int) -> str:
    for s in draft.sections:
        if s.start <= index < s.end:
            return s.id
    return ""


def _row(draft: Draft, op, credit, section: str) -> dict:
    return {"section": section, "paragraph": paragraph_label(draft, op.para),
            "group": credit.group, "person": credit.person, "kind": op.kind,
            "tracked": "yes" if credit.tracked else "no", "anchor": "", "text": op.text,
            "date": credit.date or "", "conflict": op.conflict, "decision": "",
            "status": "placed"}


def _texts(p: Proposal) -> tuple[str, str]:
    deleted = "".join(op.text for op in p.ops if op.kind in CUTS)
    inserted = "".join(op.text for op in p.ops if op.kind in ADDS)
    return deleted, inserted


def _digest(groups: list[str], text: str) -> int:
    """A 64-bit digest of what a move's two halves share: the groups and the stripped text."""
    data = "\x00".join([*groups, text.strip()]).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def _moves(raw: DiskList, inserts: dict[int, int],
           deletes: list[tuple[int, int]]) -> dict[int, int]:
    """Position of a pure deletion -> position of the pure insertion of the same text elsewhere
    by the same groups (each insertion taken once; digests that agree are checked on the
    texts themselves)."""
    out: dict[int, int] = {}
    taken: set[int] = set()
    for k, key in deletes:
        target = inserts.get(key)
        if target is None or target in taken:
            continue
        a, b = raw[k], raw[target]
        if (a.groups, _texts(a)[0].strip()) == (b.groups, _texts(b)[1].strip()):
            out[k] = target
            taken.add(target)
    return out


def _label(draft: Draft, p: Proposal, moves: Container[str]) -> str:
    """What the proposal means, in words: replace, insert, delete, split, join, move, format."""
    if any("format" in op.kind for op in p.ops):
        props = "; ".join(d for d in (describe(op.props) for op in p.ops) if d)
        return f"format {_q(p.ops[0].text)}" + (f" as {props}" if props else "")
    deleted, inserted = _texts(p)
    if any(op.kind == "row-insert" for op in p.ops):
        return f"add a table row {_q(inserted)}"
    if any(op.kind == "row-delete" for op in p.ops):
        return f"delete the table row {_q(deleted)}"
    if p.id in moves:
        target = next(q for q in p.ops if q.kind in INSERTS)
        return f"move {_q(deleted)} to {label_of(draft, target.para)}"
    if deleted and inserted:
        if inserted.replace("\n", "").strip() == deleted.strip() and "\n" in inserted:
            return f"split after {_q(_before(draft, p.ops[0]))}"
        return f"replace {_q(deleted)} with {_q(inserted)}"
    if inserted:
        if not inserted.strip():
            return f"split after {_q(_before(draft, p.ops[0]))}"
        if inserted.startswith("\n"):
            return f"add a paragraph after it: {_q(inserted)}"
        if inserted.endswith("\n") and p.ops[0].start == 0:
            return f"add a paragraph before it: {_q(inserted)}"
        return f"insert {_q(inserted)} after {_q(_before(draft, p.ops[0]))}"
    if not deleted.strip():
        return "join with the next paragraph"
    if deleted.endswith("\n") or p.ops[-1].end_para > p.ops[0].para:
        return f"delete the paragraph {_q(deleted)}"
    return f"delete {_q(deleted)}"


def _before(draft: Draft, op) -> str:
    words = draft.paragraphs[op.para].text[:op.start].split()
    return " ".join(words[-4:]) if words else "the start"


def _q(text: str) -> str:
    text = " \u00b6 ".join(t.strip() for t in text.strip("\n").split("\n"))
    return "\u201c" + (text if len(text) <= QUOTE else text[:QUOTE].rstrip() + "\u2026") + "\u201d"


def threads(col: "Collation") -> list[Thread]:
    """Every placed comment with its replies, in return order."""
    return list(iter_threads(col))


def iter_threads(col: "Collation") -> Iterator[Thread]:
    """``threads``, a return's at a time (its replies are all in it)."""
    count = 0
    for ret in col.returns:
        top: dict[str, Thread] = {}
        out: list[Thread] = []
        for placed in ret.placed:
            item, pl = placed.item, placed.place
            if not isinstance(item, Comment):
                continue
            if item.parent is not None and item.parent in top:
                top[item.parent].notes.append((item.author, item.text))
                continue
            end = pl.end if pl.end_paragraph == pl.paragraph else len(
                col.draft.paragraphs[pl.paragraph].text)
            t = Thread(f"T{count + len(out) + 1}", ret.group, pl.paragraph, pl.start, end,
                       col.draft.paragraphs[pl.paragraph].text[pl.start:end],
                       [(item.author, item.text)])
            top[item.id] = t
            out.append(t)
        for placed in ret.notes:
            _note_thread(col, ret, placed, top, out, count)
        count += len(out)
        yield from out


def _note_thread(col: "Collation", ret, placed, top: dict, out: list, count: int) -> None:
    """A comment in a note (or a reply) as a thread on the paragraph holding its reference."""
    item = placed.item
    if not isinstance(item, Comment):
        return
    if item.parent is not None and item.parent in top:
        top[item.parent].notes.append((item.author, item.text))
        return
    ref = reference_of(col.draft, placed.place.section)
    if ref is None:
        return
    end = len(col.draft.paragraphs[ref].text)
    anchor = note_entry(col.draft, ret.group, ret.path, placed).row["anchor"]
    t = Thread(f"T{count + len(out) + 1}", ret.group, ref, end, end, anchor,
               [(item.author, item.text)])
    top[item.id] = t
    out.append(t)


def shown_on(p: Proposal) -> list[int]:
    """The paragraphs a proposal is shown on: each its changes touch first (a move's two),
    or its note's reference."""
    return list(dict.fromkeys(op.para for op in p.ops)) if p.ops else [p.para]


def paragraph(draft: Draft, index: int, ps: list[Proposal], ts: list[Thread]) -> Para:
    """A paragraph with the proposals shown on it and the threads on it, cut into pieces."""
    pieces = _pieces(draft.paragraphs[index].text, index, ps, ts)
    return Para(index, label_of(draft, index), pieces, [p for p in ps if p.para == index], ts)


def _pieces(text: str, index: int, ps: list[Proposal], ts: list[Thread]) -> list[Piece]:
    """The paragraph's text cut at every change and comment boundary, insertions in place."""
    dels, ins, fmts, cuts = [], [], [], {0, len(text)}
    for p in ps:
        for op in p.ops:
            if op.para != index and op.end_para != index:
                continue
            if op.kind in ADDS or op.kind == "object-delete":     # a picture: at a point
                if op.para == index:
                    ins.append((op.start, op.seq, op.text, p.id, op.kind == "object-delete"))
                    cuts.add(op.start)
                continue
            a = op.start if op.para == index else 0
            b = op.end if op.end_para == index else len(text) + 1      # + its paragraph mark
            if op.kind not in CUTS:                                     # formatting
                fmts.append((a, b, p.id))
                cuts.update((a, min(b, len(text))))
                continue
            dels.append((a, b, p.id))
            cuts.update((a, min(b, len(text))))
    for t in ts:
        cuts.update((t.start, t.end))
    bounds = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[Piece] = []
    for a, b in zip(bounds, bounds[1:] + [None]):
        out += [Piece(t, [pid]) if gone else Piece(t, inserted_by=pid)
                for _, _, t, pid, gone in sorted(i for i in ins if i[0] == a)]
        if b is None:
            break
        if b > a:
            out.append(Piece(text[a:b], [pid for x, y, pid in dels if x <= a and b <= y],
                             threads=[t.id for t in ts if t.start <= a and b <= t.end],
                             formatted_by=[pid for x, y, pid in fmts if x <= a and b <= y]))
    joins = [pid for x, y, pid in dels if y > len(text)]
    if joins:
        out.append(Piece("\u00b6", joins, mark=True))
    return out
