"""Collate every group's return into one response document with tracked changes."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from lxml import etree

from .changes import Conflict, Credit, Op, author_label, collect_ops, find_conflicts
from .errors import UsageError
from .ingest import expand_inputs, ingest
from .model import Allocation, Comment, Draft, Placed, Rejected, Return, Unplaced
from .ooxml.comments_part import W14_PARA_ID, CommentsWriter, NewComment
from .ooxml.document import open_document
from .ooxml.edit import (ParagraphEditor, credited_row, inserted_row, inserted_runs, mark_paragraph,
                         mark_row, marker, new_attrs, reference_run, renumber_duplicates,
                         row_of, split_paragraph)
from .ooxml.textview import body_paragraphs
from .ooxml.build import el
from .ooxml.order import tidy
from .ooxml.package import Limits, Package
from .ooxml.textview import W_NS
from .results import Message
from .summary import append_summary

BREAK = W_NS + "consultBreak"
CONSULT_AUTHOR = "consult"


@dataclass
class Collation:
    """The collated document in memory and everything known about it."""

    draft: Draft
    package: Package
    returns: list[Return]
    rejected: list[Rejected]
    allocations: list[Allocation] | None
    ops: list[Op]
    conflicts: list[Conflict]
    messages: list[Message] = field(default_factory=list)
    author_mode: str = "group"

    def save(self, path: str | Path) -> None:
        self.package.save(path)

    @property
    def unplaced(self) -> list[tuple[str, Unplaced]]:
        return [(r.group, u) for r in self.returns for u in r.unplaced]

    @property
    def groups(self) -> list[str]:
        if self.allocations:
            return [a.group for a in self.allocations]
        return sorted({r.group for r in self.returns})

    @property
    def missing_groups(self) -> list[str]:
        returned = {r.group for r in self.returns}
        return [g for g in self.groups if g not in returned]

    def assigned(self, section_id: str) -> list[str]:
        if not self.allocations:
            return [r.group for r in self.returns if section_id in r.sections]
        return [a.group for a in self.allocations if section_id in a.sections]

    @property
    def uncovered_sections(self) -> list[str]:
        covered = {s for r in self.returns for s in r.sections}
        return [s.id for s in self.draft.sections if s.id not in covered]


def collate(draft: Draft, returns: Iterable[str | Path], allocations: list[Allocation] | None = None,
            author_mode: str = "group", limits: Limits = Limits(),
            progress: Callable[[Path], None] | None = None,
            exclude: Iterable[str | Path] = (), jobs: int = 1) -> Collation:
    """Ingest ``returns`` and write them all onto the draft as one response document.

    ``jobs`` > 1 reads the returns in that many processes (the result is the same).
    """
    if author_mode not in ("group", "person", "both"):
        raise UsageError("author mode must be group, person or both.")
    paths = expand_inputs(returns)
    skip = {str(Path(p).resolve()) for p in exclude} | {str(Path(draft.path).resolve())}
    paths = [p for p in paths if str(p.resolve()) not in skip]
    result = ingest(draft, paths, allocations, limits, progress, jobs)
    order = {g: k for k, g in enumerate([a.group for a in allocations] if allocations else [])}
    rets = sorted(result.returns, key=lambda r: (order.get(r.group, len(order)), r.group, r.path))
    ops, raw = collect_ops(rets)
    conflicts = find_conflicts(raw, draft)
    doc = open_document(draft.path, limits, accept=True)
    if len(doc.paragraphs) != len(draft.paragraphs):
        raise UsageError(f"{draft.path}: the draft changed while collating; run again.")
    col = Collation(draft, doc.package, rets, result.rejected, allocations, ops, conflicts,
                    [m for m in draft.messages if m.level != "info"] + result.messages
                    + [m for r in rets for m in r.messages], author_mode)
    _Writer(doc, col).write()
    append_summary(doc.body, col)
    tidy(doc.package)
    return col


class _Writer:
    """Writes ops, comments and conflict notes into the draft's XML."""

    def __init__(self, doc, col: Collation) -> None:
        self.doc, self.col = doc, col
        self.paras = [dp.element for dp in doc.paragraphs]
        used = [int(v) for v in (e.get(f"{W_NS}id") for e in doc.root.iter())
                if v and v.lstrip("-").isdigit()]
        self.next_id = max(used + [0]) + 1
        para_ids = {e.get(W14_PARA_ID) for e in doc.root.iter() if e.get(W14_PARA_ID)}
        self.comments = CommentsWriter(doc.package, para_ids)
        self.next_comment = max(self.comments.existing_ids() | {-1}) + 1
        self.at: dict[int, dict[int, list]] = {}        # para -> offset -> [(rank, seq, node)]
        self.editors: dict[int, ParagraphEditor] = {}
        self.new_tables: dict[tuple, object] = {}
        self.seq = 0

    def editor(self, para: int) -> ParagraphEditor:
        """One editor a paragraph: its text segments are read once (and after cutting)."""
        if para not in self.editors:
            self.editors[para] = ParagraphEditor(self.paras[para])
        return self.editors[para]

    def rid(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def attrs(self, credits: list[Credit]) -> dict:
        dates = sorted(c.date for c in credits if c.date)
        return new_attrs(self.rid(), author_label(credits, self.col.author_mode),
                         dates[0] if dates else None)

    def write(self) -> None:
        cuts: dict[int, set[int]] = {}
        for op in self.col.ops:
            cuts.setdefault(op.para, set()).add(op.start)
            cuts.setdefault(op.end_para, set()).add(op.end)
        for para, offsets in cuts.items():
            self.editor(para).cut(offsets)
        self._deletes([op for op in self.col.ops if op.kind == "delete"])
        for op in self.col.ops:
            if op.kind != "delete":
                getattr(self, "_" + op.kind.replace("-", "_"))(op)
        self._comments()
        self._conflicts()
        self._place_nodes()
        renumber_duplicates(self.doc.root)

    # -- ops ---------------------------------------------------------------------------
    def _deletes(self, ops: list[Op]) -> None:
        """Deletions, piece by piece: text deleted by several groups credits them all."""
        pieces: dict[int, list] = {}
        marks: dict[int, list[Op]] = {}
        for op in ops:
            for para in range(op.para, op.end_para + 1):
                a = op.start if para == op.para else 0
                b = op.end if para == op.end_para else None
                pieces.setdefault(para, []).append((a, b, op))
                if para < op.end_para:
                    marks.setdefault(para, []).append(op)
        for para, items in pieces.items():
            ed = self.editor(para)
            spans = [(a, len(ed.text) if b is None else b, op) for a, b, op in items]
            bounds = sorted({x for a, b, _ in spans for x in (a, b)})
            for x, y in zip(bounds, bounds[1:]):
                covering = [op for a, b, op in spans if a <= x and b >= y]
                if covering:
                    ed.delete(x, y, self.attrs(_credits(covering)))
        for para, items in marks.items():
            mark_paragraph(self.paras[para], "del", self.attrs(_credits(items)))

    def _insert(self, op: Op) -> None:
        rpr = self.editor(op.para).style_at(op.start)
        for k, part in enumerate(op.text.split("\n")):
            if k:
                self._add(op.para, op.start, 2, el("w:consultBreak", self.attrs(op.credits)))
            if part:
                self._add(op.para, op.start, 2, inserted_runs(part, rpr, self.attrs(op.credits)))

    def _format(self, op: Op) -> None:
        if not op.props or op.para != op.end_para:
            return
        self.editor(op.para).reformat(op.start, op.end, etree.fromstring(op.props),
                                      self.attrs(op.credits))

    def _paragraph_format(self, op: Op) -> None:
        p = self.paras[op.para]
        ppr = p.find(W_NS + "pPr")
        if not op.props or (ppr is not None and ppr.find(W_NS + "pPrChange") is not None):
            return
        new = etree.fromstring(op.props)
        old = el("w:pPr")
        if ppr is None:
            ppr = el("w:pPr")
            p.insert(0, ppr)
        keep = {W_NS + "rPr", W_NS + "sectPr"}
        for child in list(ppr):
            if child.tag not in keep:
                old.append(child)
        for k, child in enumerate(c for c in new if c.tag not in keep):
            ppr.insert(k, child)
        from .ooxml.order import insert_ordered
        insert_ordered(ppr, el("w:pPrChange", self.attrs(op.credits), old))

    def _row_insert(self, op: Op) -> None:
        """The group's row, before the row at the op's place, after the row just before it,
        or in a table of its own when the draft has no table there."""
        p = self.paras[op.para]
        here = row_of(p)
        before = row_of(self.paras[op.para - 1]) if op.para > 0 else None
        nxt = lambda: self.attrs(op.credits)          # noqa: E731
        if op.props:
            row = credited_row(op.props, nxt)
        else:
            model = here if here is not None else before
            if model is None:
                return self._note(op, "inserted a table row")
            row = inserted_row(model, op.text.split("\t"), nxt(), nxt)
        if here is not None and _first_paragraph_of(here) is p:
            here.addprevious(row)
        elif before is not None:
            before.addnext(row)
        else:
            self._new_table(op, p, row)

    def _new_table(self, op: Op, p, row) -> None:
        """Rows inserted where the draft has no table: one new table before ``p``."""
        key = (op.para, op.start)
        table = self.new_tables.get(key)
        if table is None:
            table = etree.fromstring(op.old_props) if op.old_props else el("w:tbl")
            block = p
            while block.getparent() is not None and block.getparent().tag not in (
                    W_NS + "body", W_NS + "tc", W_NS + "sdtContent"):
                block = block.getparent()
            block.addprevious(table)
            self.new_tables[key] = table
        table.append(row)

    def _row_delete(self, op: Op) -> None:
        tr = row_of(self.paras[op.para])
        if tr is None:
            self._note(op, "deleted a table row")
        else:
            mark_row(tr, "del", self.attrs(op.credits))

    def _note(self, op: Op, what: str) -> None:
        """Where a row cannot be rebuilt, a comment keeps what the group did."""
        text = f"{author_label(op.credits)} {what}: {op.text.replace(chr(9), ' | ')}"
        self._comment_at(op.para, op.start, op.para, op.start, NewComment(
            str(self._comment_id()), author_label(op.credits, self.col.author_mode), "",
            op.credits[0].date, text))

    # -- comments -------------------------------------------------------------------
    def _comment_id(self) -> int:
        self.next_comment += 1
        return self.next_comment - 1

    def _comments(self) -> None:
        for ret in self.col.returns:
            ids: dict[str, str] = {}
            for placed in ret.comments:
                ids[placed.item.id] = str(self._comment_id())
            for placed in ret.comments:
                c: Comment = placed.item
                credit = Credit(ret.group, c.author, c.date, True)
                initials = c.initials if self.col.author_mode == "person" else _initials(ret.group)
                new = NewComment(ids[c.id], author_label([credit], self.col.author_mode),
                                 initials or "", c.date, c.text, ids.get(c.parent or ""),
                                 c.resolved)
                pl = placed.place
                self._comment_at(pl.paragraph, pl.start, pl.end_paragraph, pl.end, new)

    def _comment_at(self, p1: int, a: int, p2: int, b: int, new: NewComment,
                    around: bool = False) -> None:
        """Anchor a comment on [a, b); a point comment (or ``around``) takes in insertions."""
        self.comments.add(new)
        wide = around or (p1, a) == (p2, b)
        self._add(p1, a, 1 if wide else 4, marker("commentRangeStart", new.id))
        self._add(p2, b, 3 if wide else 0, marker("commentRangeEnd", new.id))
        self._add(p2, b, 3 if wide else 0, reference_run(new.id))

    def _conflicts(self) -> None:
        latest = _latest(self.col)
        for c in self.col.conflicts:
            lines = [f"Conflict {c.id}: groups propose different changes to this text.",
                     f"Draft: \u201c{c.draft_text}\u201d"]
            lines += [f"{g}: \u201c{t}\u201d" if t else f"{g}: (deletes it)" for g, t in c.versions]
            self._comment_at(c.para, c.start, c.end_para, c.end, NewComment(
                str(self._comment_id()), CONSULT_AUTHOR, "C", latest, "\n".join(lines)),
                around=True)

    # -- placing nodes ---------------------------------------------------------------
    def _add(self, para: int, offset: int, rank: int, node) -> None:
        self.seq += 1
        self.at.setdefault(para, {}).setdefault(offset, []).append((rank, self.seq, node))

    def _place_nodes(self) -> None:
        for para, by_offset in self.at.items():
            p = self.paras[para]
            ed = self.editor(para)
            for offset in sorted(by_offset, reverse=True):
                nodes = [n for _, _, n in sorted(by_offset[offset], key=lambda t: (t[0], t[1]))]
                ed.insert(min(offset, len(ed.text)), nodes,
                          top=any(n.tag == BREAK for n in nodes))
            self._split_breaks(p)

    def _split_breaks(self, p) -> None:
        current = p
        while True:
            brk = next((c for c in current if c.tag == BREAK), None)
            if brk is None:
                return
            attrs = {k: v for k, v in brk.attrib.items()}
            second = split_paragraph(current, brk)
            mark_paragraph(current, "ins", {_short(k): v for k, v in attrs.items()})
            current = second


def _credits(ops: list[Op]) -> list[Credit]:
    """The credits of several ops, each group once, in order."""
    out: list[Credit] = []
    for op in ops:
        for c in op.credits:
            if c.group not in [x.group for x in out]:
                out.append(c)
    return out


def _first_paragraph_of(tr):
    return next(body_paragraphs(tr.find(W_NS + "tc")), None) if tr.find(W_NS + "tc") is not None \
        else None


def _short(key: str) -> str:
    return "w:" + key.rsplit("}", 1)[-1]


def _initials(name: str) -> str:
    parts = [w for w in name.replace("&", " ").split() if w]
    return "".join(w[0] for w in parts)[:8].upper()


def _latest(col: Collation) -> str | None:
    dates = [op.credits[0].date for op in col.ops if op.credits and op.credits[0].date]
    return max(dates) if dates else None


__all__ = ["collate", "Collation", "Placed"]
