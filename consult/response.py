"""Write the collated response document: the draft with every group's changes and comments.

The document is written block by block (a top-level paragraph or table of the body): each
block gets its changes, is serialised into the zip and freed before the next, and comments
are written one at a time. What each block is to get is planned first and waits on disk
(``store.Buckets``) until the block is reached, so memory holds the draft and about a block's
worth of changes, never the collated document or a batch's plan.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import chain
from typing import IO, Callable, Iterable, Iterator, Sequence

from lxml import etree

from .anchors import takes, within
from .changes import Credit, Op, author_label
from .boxes_write import write_boxes
from .model import Placed
from .notes_write import note_ids_above, write_notes
from .ooxml.build import el
from .ooxml.comments_part import W14_PARA_ID, CommentsWriter, NewComment
from .ooxml.document import Document
from .ooxml.edit import (ParagraphEditor, credited_row, inserted_row, inserted_runs, recredit,
                         mark_paragraph, mark_row, marker, new_attrs, reference_run,
                         renumber_duplicates, row_of, split_paragraph)
from .ooxml.order import insert_ordered, normalize_order, tidy
from .ooxml.objects import ObjectWriter, delete_drawing, inserted
from .ooxml.own import restore_joins
from .ooxml.props import describe
from .ooxml.stream import declarations, fragment, shell
from .ooxml.textview import W_NS, body_paragraphs
from .results import Message
from .store import Buckets, DiskList
from .words import agree, count

BREAK = W_NS + "consultBreak"
W_ID = W_NS + "id"
CONSULT_AUTHOR = "consult"
MARKS = ("commentRangeStart", "commentRangeEnd", "reference")
ROW_NOTES = {"row-insert": "inserted a table row", "row-delete": "deleted a table row"}
FORMATS = ("format", "paragraph-format")
CUT, PIECE, MARK, OP, AT, INSIDE = range(6)     # what a plan entry says: see ResponseWriter._change


@dataclass
class Material:
    """What the writer writes, as plain data (collate makes it from a Collation).

    ``returns()`` gives each return's (group, path, placed comments), in order, each time it
    is called; ``ops`` and ``conflicts`` can be read more than once; ``texts`` are the draft's
    paragraph texts; ``summary()`` gives the blocks that close the document.
    """

    ops: Iterable[Op]
    returns: Callable[[], Iterable[tuple[str, str, list[Placed]]]]
    conflicts: Iterable
    texts: Sequence[str] = ()
    author_mode: str = "group"
    summary: Callable[[], Iterable] = lambda: ()
    messages: list[Message] = field(default_factory=list)     # what the writer repaired
    joins: list = field(default_factory=list)   # the draft's deleted marks to put back
    notes: Callable[[], Iterable[tuple[str, list[Placed]]]] = lambda: ()   # in footnotes
    note_conflicts: list = field(default_factory=list)     # their conflicts (notes_write)


def write_response(doc: Document, col: Material, fh: IO[bytes]) -> list[Message]:
    """Write the collated document (``doc``: the draft, opened with changes accepted) to
    ``fh`` as a .docx; ``doc`` is used up. Returns what had to be repaired on the way."""
    writer = ResponseWriter(doc, col)
    pkg = doc.package
    # notes: revision ids above the notes' own, comment ids after the body's
    writer.next_id = max(writer.next_id, note_ids_above(pkg))
    in_notes = write_notes(pkg, col.notes(), writer.rid, writer.next_comment, col.author_mode,
                           writer.authors, col.note_conflicts)
    in_notes += write_boxes(pkg, col.notes(), writer.rid, writer.next_comment + sum(
        map(len, in_notes)), col.author_mode, writer.authors, col.note_conflicts)
    writer.comments.stream(lambda: chain(writer.comment_records(), in_notes))
    writer.comments.stream_people(lambda: writer.authors)
    summary = col.summary()
    tidy(pkg, skip={pkg.main, *writer.comments.parts})
    pkg.stream(pkg.main, lambda out: writer.write_document(out, summary))
    pkg.write(fh)
    lost = writer.lost_joins + len(col.joins)
    if lost:
        writer.messages.append(Message(
            "warning", f"{lost} of the draft's own deleted paragraph "
            f"{agree(lost, 'mark', 'marks')} could not be kept (a change was written across "
            f"{agree(lost, 'it', 'them')}); {agree(lost, 'it is', 'they are')} accepted in the "
            "collated document", "draft"))
    return writer.messages


class ResponseWriter:
    """Plans where every op, comment and conflict note goes, then writes block by block."""

    def __init__(self, doc: Document, col: Material) -> None:
        self.root, self.body, self.col = doc.root, doc.body, col
        self.messages: list[Message] = []
        self.lost_joins = 0                         # the draft's deleted marks not put back
        self.authors: dict[str, None] = {}          # every revision author written, in order
        self.inserted: dict[tuple[int, int], list[tuple[set, str]]] = {}
        self.paras = [dp.element for dp in doc.paragraphs]
        doc.paragraphs = []
        top, para_ids = 0, set()
        marks = [e for j in col.joins for e in j.ppr.iter()]     # the draft's, put back later
        for e in [*self.root.iter(), *marks]:   # one pass: the largest w:id and the paraIds
            v, pid = e.get(W_ID), e.get(W14_PARA_ID)
            if v and v.lstrip("-").isdigit():
                top = max(top, int(v))
            if pid:
                para_ids.add(pid)
        self.next_id = self.first_id = top + 1     # ids from here on are the writer's
        self.comments = CommentsWriter(doc.package, para_ids)
        if dropped := self.comments.dropped:
            self.messages.append(Message(
                "warning", "the draft's comment parts had thread entries for "
                f"{count(dropped, 'comment paragraph')} that "
                f"{agree(dropped, 'does', 'do')} not exist; they are left out of the collated "
                "document",
                str(doc.package.path)))
        self.first_comment = max(self.comments.existing_ids() | {-1}) + 1
        self.next_comment = self.first_comment
        last = next(self.body.iterchildren(reversed=True), None)
        self.blocks = [c for c in self.body if c.tag != W_NS + "sectPr" or c is not last]
        block_index = {id(b): k for k, b in enumerate(self.blocks)}
        self.block_of = [block_index[id(_top(p, self.body))] for p in self.paras]
        self.paras_of: dict[int, list[int]] = {}
        for para, k in enumerate(self.block_of):
            self.paras_of.setdefault(k, []).append(para)
        self.seq = 0
        self.editors: dict[int, ParagraphEditor] = {}
        self.new_tables: dict[tuple, object] = {}
        self.notes = DiskList()                     # (op, what): rows that become comments
        self.seen_ids: set[str] = set()
        # what the block being written needs, taken from the plan as it is reached
        self.cuts: dict[int, set[int]] = {}         # para -> offsets to cut runs at
        self.pieces: dict[int, list] = {}           # para -> [(start, end or None, op)]
        self.marks: dict[int, list[Op]] = {}        # para -> deletions ending after it
        self.at: dict[int, dict[int, list]] = {}    # para -> offset -> [(rank, seq, node)]
        self.inside: dict[tuple, list] = {}         # (para, offset, text) -> marks in it
        self.plan = Buckets()                       # block -> what to do there, in order
        self.objects = ObjectWriter(doc.package, self.root)     # images and shapes carried
        self._plan()

    # -- planning ----------------------------------------------------------------------
    def _plan(self) -> None:
        """File every op, comment mark and conflict note under the block it changes; give
        comments their ids. The plan waits on disk: a batch of returns plans a lot."""
        self.latest = None                          # the latest change's date
        shown: list[Op] = []                        # formatting shown in the current paragraph
        for op in self.col.ops:
            date = op.credits[0].date if op.credits else None
            if date and (self.latest is None or date > self.latest):
                self.latest = date
            self._file(op.para, (CUT, op.para, op.start))
            self._file(op.end_para, (CUT, op.end_para, op.end))
            if op.kind == "delete":
                for para in range(op.para, op.end_para + 1):
                    a = op.start if para == op.para else 0
                    b = op.end if para == op.end_para else None
                    self._file(para, (PIECE, para, a, b, op))
                    if para < op.end_para:
                        self._file(para, (MARK, para, op))
                continue
            if shown and shown[0].para != op.para:
                shown = []
            clash = _format_clash(op, shown) if op.kind in FORMATS else None
            if clash:
                self._note(op, clash, span=True)
                continue
            if op.kind in FORMATS:
                shown.append(op)
            if op.kind in ("object-insert", "row-insert"):  # parts go in before the package
                op.props = self.objects.adopt(op.props)     # is written
            home = self._home(op)
            if home is None:
                self._note(op, ROW_NOTES[op.kind])
            else:
                self.plan.add(home, (OP, op))
            if op.kind == "insert":
                self.inserted.setdefault((op.para, op.start), []).append(
                    ({c.group for c in op.credits}, op.text))
        for group, path, comments in self.col.returns():
            self._check_ids(path, comments)
            first: dict[str, Placed] = {}
            for placed in comments:
                c = placed.item
                parent = first.get(c.parent) if c.parent and c.parent != c.id else None
                first.setdefault(c.id, placed)
                if parent is not None:      # a reply covers what its parent covers
                    placed = Placed(replace(c, anchor=parent.item.anchor), parent.place)
                pl = placed.place
                inside = within(group, placed, self.inserted)
                if inside:
                    self._comment_inside(pl.paragraph, pl.start, *inside)
                    continue
                self._comment_at(pl.paragraph, pl.start, pl.end_paragraph, pl.end,
                                 takes=takes(group, placed, self.inserted, self.col.texts))
        self.inserted = {}
        for c in self.col.conflicts:
            self._comment_at(c.para, c.start, c.end_para, c.end, around=True)

    def _home(self, op: Op) -> int | None:
        """The block an op changes (None: a row that becomes a note)."""
        if op.kind == "row-insert":
            place = self._row_place(op)
            if place is None:
                return None
            if place[0] == "after":
                return self.block_of[op.para - 1]
        elif op.kind == "row-delete" and row_of(self.paras[op.para]) is None:
            return None
        return self.block_of[op.para]

    def _row_place(self, op: Op) -> tuple | None:
        """Where an inserted row goes, as (how, anchor row, model row): "before" the row the
        op's paragraph starts, "after" the row of the paragraph before, or into a "new" table;
        None when there is no row to model it on (it becomes a note)."""
        p = self.paras[op.para]
        here = row_of(p)
        if here is not None and _first_paragraph_of(here) is p:
            return "before", here, here
        # the paragraph before is already written only when _home found no row there
        prev = self.paras[op.para - 1] if op.para > 0 else None
        before = row_of(prev) if prev is not None else None
        model = here if here is not None else before
        if not op.props and model is None:
            return None
        return ("after", before, model) if before is not None else ("new", None, model)

    def _note(self, op: Op, what: str, span: bool = False) -> None:
        """Where a change cannot be made (a row with nothing to rebuild it on, formatting
        that another group's formatting of the same text holds), a comment keeps what the
        group did: at its place, or over its text with ``span``."""
        self.notes.append((op, what))
        if span:
            self._comment_at(op.para, op.start, op.end_para, op.end)
        else:
            self._comment_at(op.para, op.start, op.para, op.start)

    def _comment_at(self, p1: int, a: int, p2: int, b: int, around: bool = False,
                    takes: tuple | None = None) -> None:
        """Plan a comment's range [a, b). Insertions at its start and end are in it when
        ``takes`` says so (start, end), else when it is a point comment (or ``around``); an
        edge given as (insertion text, character) is within that insertion.

        Every mark goes in at its offset after insertions (rank 2) when it opens the range
        after them or closes it after them (ranks 3, 4), before them otherwise (0, 1); the
        offsets are cut like a change's boundaries when the block is written (``_change``).
        """
        cid = self.next_comment
        self.next_comment += 1
        if takes is None:
            wide = around or (p1, a) == (p2, b)
            takes = (wide, wide)
        # a planned mark is a number (comment id and kind), built when its block is written
        if (p1, a) == (p2, b) and takes == (False, False):
            # a point before the insertions there: start, end, reference, in that order
            for k in range(len(MARKS)):
                self._file_node(p1, a, 1, cid * len(MARKS) + k)
            return
        if isinstance(takes[0], tuple):
            self._file_inside(p1, a, takes[0], f"commentRangeStart:{cid}")
        else:
            self._file_node(p1, a, 1 if takes[0] else 4, cid * len(MARKS) + 0)
        if isinstance(takes[1], tuple):
            self._file_inside(p2, b, takes[1], f"commentRangeEnd:{cid}")
        else:
            self._file_node(p2, b, 3 if takes[1] else 0, cid * len(MARKS) + 1)
        self._file_node(p2, b, 3 if takes[1] else 0, cid * len(MARKS) + 2)

    def _file_inside(self, para: int, offset: int, where: tuple[str, int], mark: str) -> None:
        """File a marker at character ``where[1]`` of the insertion ``where[0]`` at offset."""
        self.seq += 1
        self._file(para, (INSIDE, para, offset, where[0], where[1], self.seq, mark))

    def _comment_inside(self, para: int, offset: int, text: str, a: int, b: int) -> None:
        """Plan a comment on characters [a, b) of the insertion ``text`` at ``offset``: its
        markers go inside the insertion, its reference after it."""
        cid = self.next_comment
        self.next_comment += 1
        self._file_inside(para, offset, (text, a), f"commentRangeStart:{cid}")
        self._file_inside(para, offset, (text, b), f"commentRangeEnd:{cid}")
        self._file_node(para, offset, 3, cid * len(MARKS) + 2)

    def _check_ids(self, path: str, comments: list[Placed]) -> None:
        """Warn about what a return's comment ids get wrong (comment_records repairs it)."""
        seen: set[str] = set()
        for placed in comments:
            c = placed.item
            if c.id in seen:
                self.messages.append(Message(
                    "warning", f"two comments share the id {c.id}; each is written with its "
                    "own id and replies go to the first", path))
            elif c.parent and c.parent == c.id:
                self.messages.append(Message(
                    "warning", f"comment {c.id} is marked as a reply to itself; it is written "
                    "as a comment of its own", path))
            seen.add(c.id)

    def _file(self, para: int, entry: tuple) -> None:
        self.plan.add(self.block_of[para], entry)

    def _file_node(self, para: int, offset: int, rank: int, mark: int) -> None:
        self.seq += 1
        self._file(para, (AT, para, offset, rank, self.seq, mark))

    def comment_records(self) -> Iterator[list[NewComment]]:
        """Every new comment in id order, a return's at a time: row notes, the groups'
        comments, conflict notes."""
        cid = self.first_comment
        mode = self.col.author_mode
        for op, what in self.notes:
            text = f"{author_label(op.credits)} {what}: {op.text.replace(chr(9), ' | ')}"
            yield [NewComment(str(cid), author_label(op.credits, mode), "", op.credits[0].date,
                              text)]
            cid += 1
        for group, _, comments in self.col.returns():
            ids: dict[str, str] = {}        # a return's id -> the first comment's new id
            batch = []
            for placed in comments:
                c = placed.item
                mine = str(cid)
                cid += 1
                # a reply goes to a comment written before it, never to itself
                parent = ids.get(c.parent) if c.parent and c.parent != c.id else None
                ids.setdefault(c.id, mine)
                credit = Credit(group, c.author, c.date, True)
                initials = c.initials if mode == "person" else _initials(group)
                batch.append(NewComment(mine, author_label([credit], mode), initials or "",
                                        c.date, c.text, parent, c.resolved))
            yield batch
        for c in self.col.conflicts:
            lines = [f"Conflict {c.id}: groups propose different changes to this text.",
                     f"Draft: \u201c{c.draft_text}\u201d"]
            lines += [f"{g}: \u201c{t}\u201d" if t else f"{g}: (deletes it)" for g, t in c.versions]
            yield [NewComment(str(cid), CONSULT_AUTHOR, "C", self.latest, "\n".join(lines))]
            cid += 1

    # -- writing -----------------------------------------------------------------------
    def write_document(self, fh: IO[bytes], summary: Iterable) -> None:
        """The main document part: each block changed, written and freed in turn."""
        head, tail = shell(self.body)
        declared = declarations(self.root)
        fh.write(head)
        last = next(self.body.iterchildren(reversed=True), None)
        final = last if last is not None and last.tag == W_NS + "sectPr" else None
        for k in range(len(self.blocks)):
            paras = self.paras_of.pop(k, [])
            self._change(k, paras)
            upto = self.blocks[k + 1] if k + 1 < len(self.blocks) else final
            while (first := _first(self.body)) is not None and first is not upto:
                self._emit(fh, first, declared, remove=True)
            self.blocks[k] = None
            self.new_tables.clear()
            for para in paras:
                self.paras[para] = None
        for block in summary:           # in the tree first, so it takes the root's prefixes
            if final is not None:
                final.addprevious(block)
            else:
                self.body.append(block)
            self._emit(fh, block, declared, remove=True)
        for child in list(self.body):
            self._emit(fh, child, declared, remove=True)
        fh.write(tail)
        self.plan.close()

    def _emit(self, fh: IO[bytes], block, declared: set[bytes], remove: bool = False) -> None:
        if self.col.joins:
            left = len(self.col.joins)
            kept = restore_joins(block, self.col.joins, self.first_id)
            self.lost_joins += left - len(self.col.joins) - len(kept)
            ahead = {id(p) for p in kept if p.getparent() is block.getparent()}
            first = block
            while first.getprevious() is not None and id(first.getprevious()) in ahead:
                first = first.getprevious()
            while first is not block:           # put back just before it: written first
                first, done = first.getnext(), first
                self._emit(fh, done, declared, remove)
        renumber_duplicates(block, self.seen_ids, self.rid, self.first_id)
        normalize_order(block)
        fh.write(fragment(block, declared))
        if remove:
            self.body.remove(block)

    def _change(self, k: int, paras: list[int]) -> None:
        """Every change to block ``k`` (paragraphs ``paras``), in the order collate makes them."""
        ops = []
        for entry in self.plan.take(k):
            what, rest = entry[0], entry[1:]
            if what == CUT:
                self.cuts.setdefault(rest[0], set()).add(rest[1])
            elif what == PIECE:
                self.pieces.setdefault(rest[0], []).append(rest[1:])
            elif what == MARK:
                self.marks.setdefault(rest[0], []).append(rest[1])
            elif what == OP:
                ops.append(rest[0])
            elif what == INSIDE:
                para, offset, text, at, seq, mark = rest
                self.inside.setdefault((para, offset, text), []).append((at, seq, mark))
            else:                   # a mark: its offset is cut like a change's boundary
                para, offset, rank, seq, mark = rest
                self.at.setdefault(para, {}).setdefault(offset, []).append((rank, seq, mark))
                self.cuts.setdefault(para, set()).add(offset)
        for para in paras:
            if para in self.cuts:
                self.editor(para).cut(self.cuts.pop(para))
        for para in paras:
            self._deletes(para)
        for op in ops:
            getattr(self, "_" + op.kind.replace("-", "_"))(op)
        for key in [key for key in self.inside if key[0] in paras]:
            for _, seq, mark in self.inside.pop(key):     # its insertion was not written
                self._add(key[0], key[1], 1 if mark.startswith("commentRangeStart") else 3,
                          marker(*mark.split(":")))
        for para in paras:
            self._place_nodes(para)
            self.editors.pop(para, None)

    def editor(self, para: int) -> ParagraphEditor:
        """One editor a paragraph: its text segments are read once (and after cutting)."""
        if para not in self.editors:
            self.editors[para] = ParagraphEditor(self.paras[para], self.first_id)
        return self.editors[para]

    def rid(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def attrs(self, credits: list[Credit]) -> dict:
        dates = sorted(c.date for c in credits if c.date)
        author = author_label(credits, self.col.author_mode)
        self.authors[author] = None
        return new_attrs(self.rid(), author, dates[0] if dates else None)

    # -- ops ---------------------------------------------------------------------------
    def _deletes(self, para: int) -> None:
        """Deletions, piece by piece: text deleted by several groups credits them all."""
        items = self.pieces.pop(para, None)
        if items:
            ed = self.editor(para)
            spans = [(a, len(ed.text) if b is None else b, op) for a, b, op in items]
            bounds = sorted({x for a, b, _ in spans for x in (a, b)})
            for x, y in zip(bounds, bounds[1:]):
                covering = [op for a, b, op in spans if a <= x and b >= y]
                if covering:
                    ed.delete(x, y, lambda c=covering: self.attrs(_credits(c)))
        ending = self.marks.pop(para, None)
        if ending:
            mark_paragraph(self.paras[para], "del", self.attrs(_credits(ending)))

    def _insert(self, op: Op) -> None:
        rpr = self.editor(op.para).style_at(op.start)
        inside = self.inside.pop((op.para, op.start, op.text), ())     # comments in it
        for k, part in enumerate(op.text.split("\n")):
            if k:
                self._add(op.para, op.start, 2, el("w:consultBreak", self.attrs(op.credits)))
            if part:
                self._add(op.para, op.start, 2, inserted_runs(part, rpr, self.attrs(op.credits),
                                                              inside))

    def _format(self, op: Op) -> None:
        """Formatting _format_clash let through: properties given, one paragraph."""
        self.editor(op.para).reformat(op.start, op.end, etree.fromstring(op.props),
                                      self.attrs(op.credits))

    def _paragraph_format(self, op: Op) -> None:
        p = self.paras[op.para]
        ppr = p.find(W_NS + "pPr")
        if ppr is not None and ppr.find(W_NS + "pPrChange") is not None:
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
        insert_ordered(ppr, el("w:pPrChange", self.attrs(op.credits), old))

    def _row_insert(self, op: Op) -> None:
        """The group's row, before the row at the op's place, after the row just before it,
        or in a table of its own when the draft has no table there."""
        how, anchor, model = self._row_place(op)
        nxt = lambda: self.attrs(op.credits)          # noqa: E731
        if op.props:
            row = credited_row(op.props, nxt)
        else:
            row = inserted_row(model, op.text.split("\t"), nxt(), nxt)
        if how == "before":
            anchor.addprevious(row)
        elif how == "after":
            anchor.addnext(row)
        else:
            self._new_table(op, self.paras[op.para], row)

    def _new_table(self, op: Op, p, row) -> None:
        """Rows inserted where the draft has no table: one new table before ``p``."""
        key = (op.para, op.start)
        table = self.new_tables.get(key)
        if table is None:
            table = etree.fromstring(op.old_props) if op.old_props else el("w:tbl")
            recredit(table, lambda: self.attrs(op.credits))     # its ids are the return's
            block = p
            while block.getparent() is not None and block.getparent().tag not in (
                    W_NS + "body", W_NS + "tc", W_NS + "sdtContent"):
                block = block.getparent()
            block.addprevious(table)
            self.new_tables[key] = table
        table.append(row)

    def _object_insert(self, op: Op) -> None:
        """An image or shape a group inserted (its parts were copied when it was planned)."""
        self._add(op.para, op.start, 2, inserted(op.props, lambda: self.attrs(op.credits)))

    def _object_delete(self, op: Op) -> None:
        """The draft's image or shape at the op's place, marked as deleted."""
        ed = self.editor(op.para)
        if delete_drawing(self.paras[op.para], op.start, op.text,
                          lambda: self.attrs(op.credits), ed.own_below):
            ed.cut(())                  # its run was split: read the paragraph again
            return
        self.messages.append(Message(
            "warning", f"{author_label(op.credits)} deleted an image or shape ({op.text}) "
            "that the draft does not have at that place; the deletion is not shown", "draft"))

    def _row_delete(self, op: Op) -> None:
        mark_row(row_of(self.paras[op.para]), "del", self.attrs(op.credits))

    # -- placing nodes ---------------------------------------------------------------
    def _add(self, para: int, offset: int, rank: int, node) -> None:
        self.seq += 1
        self.at.setdefault(para, {}).setdefault(offset, []).append((rank, self.seq, node))

    def _place_nodes(self, para: int) -> None:
        by_offset = self.at.pop(para, None)
        if not by_offset:
            return
        p = self.paras[para]
        ed = self.editor(para)
        for offset in sorted(by_offset, reverse=True):
            nodes = [_node(n) for _, _, n in sorted(by_offset[offset], key=lambda t: (t[0], t[1]))]
            ed.insert(min(offset, len(ed.text)), nodes, top=any(n.tag == BREAK for n in nodes))
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


def _format_clash(op: Op, shown: list[Op]) -> str | None:
    """Why a formatting change cannot be shown as a tracked change (None: it can): Word
    keeps one formatting change a run or paragraph, and an earlier group's is there."""
    if not op.props or op.para != op.end_para:
        return f"changed the formatting ({_props(op.props)}), which consult cannot show " \
               "as a tracked change here"
    for other in shown:
        if other.kind != op.kind:
            continue
        if op.kind == "paragraph-format" or (op.start < other.end and other.start < op.end):
            return (f"changed the formatting of this text ({_props(op.props)}); "
                    f"{author_label(other.credits)}'s formatting of it is the tracked change "
                    "shown")
    return None


def _props(props: str) -> str:
    """A formatting change's properties in words ("bold, colour C00000"), as the notes'
    comments and the decision page say them."""
    return describe(props) or "properties not recorded"


def _node(planned):
    """A node to insert: built now for a planned comment mark, or as it is."""
    if not isinstance(planned, int):
        return planned
    cid, kind = divmod(planned, len(MARKS))
    return reference_run(str(cid)) if MARKS[kind] == "reference" else marker(MARKS[kind], str(cid))


def _first(parent):
    """The first child (``len`` and ``[0]`` on an lxml element count every child)."""
    return next(iter(parent), None)


def _top(p, body):
    """The child of ``body`` holding ``p``."""
    node = p
    while node.getparent() is not body:
        node = node.getparent()
    return node


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


__all__ = ["write_response", "ResponseWriter", "Material"]
