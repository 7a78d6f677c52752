"""The decision page's content: proposals (what a person means), comment threads and conflicts,
placed on the draft's paragraphs, with the decisions-CSV rows each proposal stands for."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .changes import DELETES, INSERTS
from .model import Comment, Draft, Revision
from .notes import note_name, reference_of
from .ooxml.props import describe
from .report_rows import label_of, note_entry, paragraph_label

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
    draft, all_ops = col.draft, list(col.ops)       # read from disk once
    groups_of = [tuple(dict.fromkeys(c.group for c in op.credits)) for op in all_ops]
    runs: list[list[int]] = []
    for k, op in enumerate(all_ops):
        prev = all_ops[runs[-1][-1]] if runs else None
        if (prev is not None and groups_of[k] == groups_of[runs[-1][-1]]
                and op.conflict == prev.conflict and _touches(prev, op)
                and "format" not in (op.kind + prev.kind)):
            runs[-1].append(k)
        else:
            runs.append([k])
    out = []
    for n, run in enumerate(runs, 1):
        ops = [all_ops[k] for k in run]
        sec = _section_of(draft, ops[0].para)
        p = Proposal(f"P{n}", ops, list(groups_of[run[0]]), label_of(draft, ops[0].para), sec,
                     ops[0].conflict)
        p.rows = [_row(draft, op, c, sec) for op in ops for c in op.credits]
        out.append(p)
    moves = _moves(out)
    out = _join_moves(out, moves)
    for p in out:
        p.label = _label(draft, p, moves)
    return _with_notes(col, out)


def _with_notes(col: "Collation", ps: list[Proposal]) -> list[Proposal]:
    """``ps`` and, after the body's in draft order, a proposal for each change in a note
    (the same change by several groups once), on the paragraph holding the note's reference."""
    found: dict[tuple, Proposal] = {}
    for ret in col.returns:
        for placed in ret.notes:
            item, pl = placed.item, placed.place
            ref = reference_of(col.draft, pl.section)
            if not isinstance(item, Revision) or ref is None:
                continue
            key = (pl.section, pl.paragraph, pl.start, pl.end, item.kind,
                   item.text if item.kind in INSERTS else "")
            row = note_entry(col.draft, ret.group, ret.path, placed).row
            if key not in found:
                verb = "insert" if item.kind in INSERTS else "delete"
                where = f"{label_of(col.draft, ref)} {note_name(pl.section)}"
                found[key] = Proposal("", [], [], where, _section_of(col.draft, ref),
                                      label=f"in {note_name(pl.section)}: {verb} "
                                            f"{_q(item.text)}", at=ref)
            p = found[key]
            if ret.group not in p.groups:
                p.groups.append(ret.group)
                p.rows.append(row)
    merged = sorted(ps + list(found.values()), key=lambda p: p.para)
    for n, p in enumerate(q for q in merged if not q.id):
        p.id = f"P{len(ps) + n + 1}"
    return merged


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


def _moves(ps: list[Proposal]) -> dict[str, str]:
    """Proposal id of a pure deletion -> id of the pure insertion of the same text elsewhere."""
    inserts = {}
    for p in ps:
        d, i = _texts(p)
        if i and not d and len(i.strip()) >= MOVE_MIN and not p.conflict:
            inserts.setdefault((tuple(p.groups), i.strip()), p.id)
    out = {}
    for p in ps:
        d, i = _texts(p)
        target = inserts.get((tuple(p.groups), d.strip())) if d and not i else None
        if target and target not in out.values():
            out[p.id] = target
    return out


def _join_moves(ps: list[Proposal], moves: dict[str, str]) -> list[Proposal]:
    """A move is one proposal: the deletion takes the insertion's changes."""
    by_id = {p.id: p for p in ps}
    for source, target in moves.items():
        by_id[source].ops += by_id[target].ops
        by_id[source].rows += by_id[target].rows
    gone = set(moves.values())
    return [p for p in ps if p.id not in gone]


def _label(draft: Draft, p: Proposal, moves: dict[str, str]) -> str:
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
    out = []
    for ret in col.returns:
        top: dict[str, Thread] = {}
        for placed in ret.placed:
            item, pl = placed.item, placed.place
            if not isinstance(item, Comment):
                continue
            if item.parent is not None and item.parent in top:
                top[item.parent].notes.append((item.author, item.text))
                continue
            end = pl.end if pl.end_paragraph == pl.paragraph else len(
                col.draft.paragraphs[pl.paragraph].text)
            t = Thread(f"T{len(out) + 1}", ret.group, pl.paragraph, pl.start, end,
                       col.draft.paragraphs[pl.paragraph].text[pl.start:end],
                       [(item.author, item.text)])
            top[item.id] = t
            out.append(t)
        for placed in ret.notes:
            _note_thread(col, ret, placed, top, out)
    return out


def _note_thread(col: "Collation", ret, placed, top: dict, out: list) -> None:
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
    t = Thread(f"T{len(out) + 1}", ret.group, ref, end, end, anchor, [(item.author, item.text)])
    top[item.id] = t
    out.append(t)


def paragraphs(col: "Collation", ps: list[Proposal], ts: list[Thread]) -> list[Para]:
    """The paragraphs with a proposal or a comment, in draft order, cut into pieces."""
    at: dict[int, tuple[list, list]] = {}
    for p in ps:
        if not p.ops:                           # a change in a note
            at.setdefault(p.para, ([], []))[0].append(p)
        for op in p.ops:
            at.setdefault(op.para, ([], []))
            if p not in at[op.para][0]:
                at[op.para][0].append(p)
    for t in ts:
        at.setdefault(t.para, ([], []))[1].append(t)
    return [Para(i, label_of(col.draft, i), _pieces(col.draft.paragraphs[i].text, i, ps_, ts_),
                 [p for p in ps_ if p.para == i], ts_) for i, (ps_, ts_) in sorted(at.items())]


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


def conflict_pieces(draft: Draft, ops: list) -> list[dict]:
    """The conflict's changes as the collated document writes them: overlapping deletions cut
    where they overlap, each piece credited to every group deleting it (so choosing a group's
    version accepts exactly the pieces that group made)."""
    out = [{"groups": _names(op.credits), "rows": [_row(draft, op, c, "") for c in op.credits]}
           for op in ops if op.kind not in CUTS or op.end_para != op.para]
    by_para: dict[int, list] = {}
    for op in ops:
        if op.kind in CUTS and op.end_para == op.para:
            by_para.setdefault(op.para, []).append(op)
    for para, dels in sorted(by_para.items()):
        text = draft.paragraphs[para].text
        cuts = sorted({x for op in dels for x in (op.start, op.end)})
        for a, b in zip(cuts, cuts[1:]):
            cover = [op for op in dels if op.start <= a and b <= op.end]
            if not cover:
                continue
            credits = [c for op in cover for c in op.credits]
            piece = type(cover[0])(**{**_fields(cover[0]), "start": a, "end": b,
                                      "text": text[a:b]})
            out.append({"groups": _names(credits),
                        "rows": [_row(draft, piece, c, "") for c in _once(credits)]})
    section = _section_of(draft, ops[0].para) if ops else ""
    for piece in out:
        for row in piece["rows"]:
            row["section"] = section
    return out


def _names(credits) -> list[str]:
    return list(dict.fromkeys(c.group for c in credits))


def _once(credits) -> list:
    seen, out = set(), []
    for c in credits:
        if c.group not in seen:
            seen.add(c.group)
            out.append(c)
    return out


def _fields(op) -> dict:
    from dataclasses import fields
    return {f.name: getattr(op, f.name) for f in fields(op)}
