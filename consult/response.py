"""Write the collated response document: the draft with every group's changes and comments.

The document is written block by block (a top-level paragraph or table of the body): each
block gets its changes, is serialised into the zip and freed before the next, and comments
are written one at a time. What each block is to get is planned first and waits on disk
(``store.Buckets``) until the block is reached, so memory holds the draft and about a block's
worth of changes, never the collated document or a batch's plan.

The planning is in ``response_plan``, the changes made in a block in ``response_ops``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import IO, Callable, Iterable, Sequence

from .changes import Credit, Op, author_label
from .boxes_write import write_boxes
from .model import Placed
from .notes_new import NoteWriter
from .notes_write import note_ids_above, write_notes
from .ooxml.comments_part import W14_PARA_ID, CommentsWriter
from .ooxml.document import Document
from .ooxml.edit import ParagraphEditor, marker, new_attrs, renumber_duplicates
from .ooxml.order import normalize_order, tidy
from .ooxml.objects import ObjectWriter
from .ooxml.own import restore_joins
from .ooxml.stream import declarations, fragment, shell
from .ooxml.textview import W_NS
from .response_ops import ResponseOps
from .response_plan import (CONSULT_AUTHOR, CUT, INSIDE, MARK, OP, PIECE,  # noqa: F401
                            ResponsePlanner)
from .results import Message
from .store import Buckets, DiskList
from .words import agree, count

W_ID = W_NS + "id"


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
    new_notes: list = field(default_factory=list)   # conflicts of new notes (NoteWriter)


def write_response(doc: Document, col: Material, fh: IO[bytes]) -> list[Message]:
    """Write the collated document (``doc``: the draft, opened with changes accepted) to
    ``fh`` as a .docx; ``doc`` is used up. Returns what had to be repaired on the way."""
    writer = ResponseWriter(doc, col)
    pkg = doc.package
    # notes: revision ids above the notes' own, comment ids after the body's
    writer.next_id = max(writer.next_id, note_ids_above(pkg))
    whole = NoteWriter(pkg, writer.root, writer.paras, writer.first_id, col.notes(),
                       writer.rid, writer.authors, col.author_mode, col.new_notes)
    whole.deletions()
    in_notes = write_notes(pkg, col.notes(), writer.rid, writer.next_comment, col.author_mode,
                           writer.authors, col.note_conflicts, objects=writer.objects)
    in_notes += whole.additions(writer.next_comment + sum(map(len, in_notes)))
    in_notes += write_boxes(pkg, col.notes(), writer.rid, writer.next_comment + sum(
        map(len, in_notes)), col.author_mode, writer.authors, col.note_conflicts,
        objects=writer.objects)
    for batch in in_notes:      # replies to the draft's own comments, threaded under them
        for c in batch:
            if isinstance(c.parent, tuple):
                c.parent = writer.comments.thread_to(c.parent)
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


class ResponseWriter(ResponsePlanner, ResponseOps):
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
        if repaired := self.comments.repaired:
            self.messages.append(Message(
                "warning", f"the draft's commentsExtended.xml left out "
                f"{count(repaired, 'comment')}; consult gave "
                f"{agree(repaired, 'it a thread entry', 'them thread entries')} in the "
                "collated document", str(doc.package.path)))
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
        self.at: dict[int, dict[int, list]] = {}    # para -> offset -> [(rank, seq, node, before)]
        self.deleted_to: dict[int, dict[int, set]] = {}     # para -> offset -> groups deleting up to it
        self.inside: dict[tuple, list] = {}         # (para, offset, text) -> marks in it
        self.plan = Buckets()                       # block -> what to do there, in order
        self.objects = ObjectWriter(doc.package, self.root)     # images and shapes carried
        self._plan()

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
                self.at.setdefault(para, {}).setdefault(offset, []).append((rank, seq, mark, False))
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


def _first(parent):
    """The first child (``len`` and ``[0]`` on an lxml element count every child)."""
    return next(iter(parent), None)


def _top(p, body):
    """The child of ``body`` holding ``p``."""
    node = p
    while node.getparent() is not body:
        node = node.getparent()
    return node


__all__ = ["write_response", "ResponseWriter", "Material"]
