"""Footnotes and endnotes: each note's paragraphs as the reader numbers them, and edits to them."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable

from lxml import etree

from .annotations import STORIES, _Walker
from .build import el
from .edit import (ParagraphEditor, inserted_runs, mark_paragraph, marker, new_attrs,
                   reference_run, renumber_duplicates, split_paragraph)
from .ns import qn
from .objects import delete_drawing, inserted
from .order import insert_ordered
from .package import Package
from .textview import W_NS, body_paragraphs

BREAK = "w:consultNoteBreak"    # where an inserted paragraph mark splits a note paragraph
REFERENCE = {"footnotes": W_NS + "footnoteReference", "endnotes": W_NS + "endnoteReference"}


@dataclass
class Note:
    """One footnote or endnote: where its paragraphs are in the story (``first``: the index of
    its first paragraph in the story's original-view paragraphs, as ``read_file_annotations``
    numbers them), their texts, and the w:p each is made of."""

    story: str
    ordinal: int            # its place among the story's notes, by the body's references
    id: str
    first: int
    paragraphs: list[str] = field(default_factory=list)
    elements: list[list] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def story_part(pkg: Package, story: str) -> str | None:
    suffix = dict(STORIES)[story]
    return pkg.related(pkg.main, suffix)


def read_notes(pkg: Package, story: str, own: frozenset = frozenset()) -> list[Note]:
    """The story's notes (separators left out), in the order the body refers to them; with
    ``own`` (a draft's own changes' keys) in the view a return's annotations are read in,
    the draft's own changes accepted."""
    part = story_part(pkg, story)
    if part is None:
        return []
    root = pkg.xml(part)
    walker = _Walker(story, lambda p: "", own)
    found: list[Note] = []
    for container in list(root):
        first = len(walker.story.paragraphs)
        for p in body_paragraphs(container):
            walker.paragraph(p)
        walker.close()
        if not isinstance(container.tag, str) or container.get(qn("w:type")):
            continue
        n = len(walker.story.paragraphs)
        found.append(Note(story, -1, container.get(qn("w:id")) or "", first,
                          list(walker.story.paragraphs[first:n]),
                          list(walker.story.elements[first:n])))
    order: dict[str, int] = {}
    for ref in pkg.xml(pkg.main).iter(REFERENCE[story]):
        order.setdefault(ref.get(qn("w:id")) or "", len(order))
    ranked = sorted(range(len(found)), key=lambda k: (order.get(found[k].id, len(order)), k))
    for ordinal, k in enumerate(ranked):
        found[k].ordinal = ordinal
    return [found[k] for k in ranked]


def reference_paragraphs(pkg: Package, story: str) -> dict[str, int]:
    """Note id -> the body paragraph (by position, the body's own changes accepted, as the
    draft's paragraphs are numbered) holding the note's first reference."""
    from .revisions import accept_all, resolve
    root = pkg.body()
    resolve(root, accept_all)
    out: dict[str, int] = {}
    for k, p in enumerate(body_paragraphs(root)):
        for ref in p.iter(REFERENCE[story]):
            out.setdefault(ref.get(qn("w:id")) or "", k)
    return out


def reference_context(pkg: Package, story: str, own: set | None = None
                      ) -> dict[str, tuple[int, str]]:
    """Note id -> (body paragraph, its text before the note's first reference), the body's
    own changes accepted (as ``reference_paragraphs``, on a copy: ``pkg`` is left as it is):
    where a reader finds the reference. With ``own`` (the draft's ``own_key``s), in a
    return's base text instead, where its changes are placed: the draft's own changes
    accepted, the others rejected but those holding a reference to a note of the story."""
    from copy import deepcopy
    from .revisions import accept_all, resolve
    from .story import own_key
    from .textview import run_text
    root = deepcopy(pkg.body())

    def base(el) -> str:
        if own_key(el) in own or next(el.iter(REFERENCE[story]), None) is not None:
            return "accept"
        return "reject"
    resolve(root, accept_all if own is None else base)
    out: dict[str, tuple[int, str]] = {}
    for k, p in enumerate(body_paragraphs(root)):
        text: list[str] = []
        for node in p.iter():
            if node.tag == REFERENCE[story]:
                out.setdefault(node.get(qn("w:id")) or "", (k, "".join(text)))
            elif isinstance(node.tag, str):
                text.append(run_text(node) or "")
    return out


def note_names(pkg: Package, nodes: list) -> list[str]:
    """"footnote 2" for each of ``nodes`` inside the second footnote (notes numbered as the
    body refers to them, as ``read_notes``), else ""."""
    tags = {W_NS + "footnote": "footnotes", W_NS + "endnote": "endnotes"}
    ordinals: dict[str, dict[str, int]] = {}
    out = []
    for node in nodes:
        note = next((a for a in ([] if node is None else node.iterancestors())
                     if a.tag in tags), None)
        if note is None:
            out.append("")
            continue
        story = tags[note.tag]
        if story not in ordinals:
            ordinals[story] = {n.id: n.ordinal for n in read_notes(pkg, story)}
        n = ordinals[story].get(note.get(qn("w:id")) or "")
        out.append("" if n is None else f"{story[:-1]} {n + 1}")
    return out


@dataclass
class NoteEdit:
    """One thing to write in a note paragraph: a deletion of [start, end), an insertion of
    ``text`` at ``start`` ("\\n" in it: an inserted paragraph mark; with comment ``marks``
    inside it: (offset in text, order, "commentRangeStart:7")), the paragraph's mark deleted
    ("join"), [start, end) given run properties ``props`` ("format", the old ones kept in
    w:rPrChange) or the paragraph given paragraph properties ("paragraph-format"), or a comment's marks ("start", "end" with its reference, "ref" alone,
    "point": all three) for comment ``cid``. What goes in at one offset goes in by ``rank``
    (insertions are 2), then in the order given."""

    kind: str               # delete | insert | join | format | paragraph-format | start |
    #                         end | ref | point
    para: int               # paragraph within the note
    start: int
    end: int = 0
    text: str = ""
    author: str = ""
    date: str | None = None
    cid: str = ""
    rank: int = 2
    marks: list = field(default_factory=list)
    props: str = ""


def write_note_edits(pkg: Package, story: str, edits: dict[int, list[NoteEdit]],
                     rid: Callable[[], int]) -> None:
    """Apply ``edits`` (by note ordinal) to the story's notes as tracked changes under their
    authors and comment ranges; ``rid`` gives each revision a fresh w:id."""
    notes = {n.ordinal: n for n in read_notes(pkg, story)}
    for ordinal in sorted(edits):
        note = notes[ordinal]
        by_para: dict[int, list[NoteEdit]] = {}
        for e in edits[ordinal]:
            by_para.setdefault(e.para, []).append(e)
        for para in sorted(by_para):
            _edit_paragraph(note.elements[para][0], by_para[para], rid)
    part = story_part(pkg, story)
    if edits and part is not None:      # a deletion over several runs is a w:del each
        renumber_duplicates(pkg.xml(part), None, rid)


def _edit_paragraph(p, edits: list[NoteEdit], rid: Callable[[], int]) -> None:
    ed = ParagraphEditor(p)
    ed.cut({x for e in edits for x in (e.start, e.end)})
    for e in edits:
        if e.kind == "delete":
            ed.delete(e.start, e.end, new_attrs(rid(), e.author, e.date))
        elif e.kind == "format":
            ed.reformat(e.start, e.end, etree.fromstring(e.props),
                        new_attrs(rid(), e.author, e.date))
    at: dict[int, list[tuple[int, int, list]]] = {}
    breaks: list = []
    for k, e in enumerate(edits):
        nodes = _nodes(e, ed, rid, breaks)
        if nodes:
            at.setdefault(e.start, []).append((e.rank, k, nodes))
    for offset in sorted(at, reverse=True):
        nodes = [n for _, _, group in sorted(at[offset], key=lambda t: (t[0], t[1]))
                 for n in group]
        ed.insert(min(offset, len(ed.text)), nodes,
                  top=any(n.tag == qn(BREAK) for n in nodes))
    pieces = [p]
    while breaks:                       # in text order: each splits what is left
        brk = next((c for c in pieces[-1] if c.tag == qn(BREAK)), None)
        if brk is None:
            break
        attrs = next(a for b, a in breaks if b is brk)
        second = split_paragraph(pieces[-1], brk)
        mark_paragraph(pieces[-1], "ins", attrs)
        pieces.append(second)
    at_breaks = sorted(e.start for e in edits if e.kind == "insert"
                       for _ in range(e.text.count("\n")))
    for e in edits:
        if e.kind == "join":
            mark_paragraph(pieces[-1], "del", new_attrs(rid(), e.author, e.date))
        elif e.kind == "paragraph-format":      # on the piece the changed paragraph starts
            piece = pieces[min(bisect_right(at_breaks, e.start), len(pieces) - 1)]
            _paragraph_format(piece, e.props, new_attrs(rid(), e.author, e.date))
    for e in edits:                     # last: the runs the editor knows stay as they were
        if e.kind == "object-delete":
            _delete_picture(pieces, at_breaks, e, new_attrs(rid(), e.author, e.date))


def _delete_picture(pieces: list, breaks: list[int], e: NoteEdit, attrs: dict) -> None:
    """Wrap the draft's picture at ``e.start`` (of the paragraph's original text, which
    ``breaks`` now cut into ``pieces``) in a w:del: in the piece holding that offset, or at
    the end of the one before when the picture is just before a break."""
    starts = [0] + breaks[:len(pieces) - 1]
    for k in reversed(range(len(pieces))):
        if e.start >= starts[k] and delete_drawing(pieces[k], e.start - starts[k], e.text,
                                                   lambda: attrs, None):
            return


def _paragraph_format(p, props: str, attrs: dict) -> None:
    """Give ``p`` the paragraph properties ``props``, the old ones kept in w:pPrChange (as the
    body's writer does; a paragraph already holding one keeps it)."""
    ppr = p.find(qn("w:pPr"))
    if ppr is not None and ppr.find(qn("w:pPrChange")) is not None:
        return
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    keep = {qn("w:rPr"), qn("w:sectPr")}
    old = el("w:pPr")
    for child in list(ppr):
        if child.tag not in keep:
            old.append(child)
    for k, child in enumerate(c for c in etree.fromstring(props) if c.tag not in keep):
        ppr.insert(k, child)
    insert_ordered(ppr, el("w:pPrChange", attrs, old))


def _nodes(e: NoteEdit, ed: ParagraphEditor, rid: Callable[[], int], breaks: list) -> list:
    """The nodes an edit puts in at its offset (an inserted paragraph mark: a break, noted in
    ``breaks`` with its attributes, where the paragraph is split)."""
    if e.kind == "insert":
        nodes, at, parts = [], 0, e.text.split("\n")
        for k, part in enumerate(parts):
            if k:
                brk = el(BREAK)
                breaks.append((brk, new_attrs(rid(), e.author, e.date)))
                nodes.append(brk)
            marks = list(e.marks) if len(parts) == 1 else [
                (o - at, n, m) for o, n, m in e.marks
                if at <= o <= at + len(part) and (k == 0 or o > at)]
            if part or marks:
                nodes.append(inserted_runs(part, ed.style_at(e.start),
                                           new_attrs(rid(), e.author, e.date), marks))
            at += len(part) + 1
        return nodes
    if e.kind == "object-insert":           # an image or shape, its parts added already
        return [inserted(e.props, lambda: new_attrs(rid(), e.author, e.date))]
    if e.kind == "start":
        return [marker("commentRangeStart", e.cid)]
    if e.kind == "end":
        return [marker("commentRangeEnd", e.cid), reference_run(e.cid)]
    if e.kind == "ref":
        return [reference_run(e.cid)]
    if e.kind == "point":
        return [marker("commentRangeStart", e.cid), marker("commentRangeEnd", e.cid),
                reference_run(e.cid)]
    return []


def top_id(pkg: Package) -> int:
    """The largest numeric w:id in the notes parts (-1 when none)."""
    top = -1
    for story, _ in STORIES:
        part = story_part(pkg, story)
        if part is None:
            continue
        for e in pkg.xml(part).iter():
            v = e.get(qn("w:id"))
            if v and v.lstrip("-").isdigit():
                top = max(top, int(v))
    return top


__all__ = ["Note", "NoteEdit", "read_notes", "write_note_edits", "top_id", "story_part",
           "reference_paragraphs", "reference_context", "note_names"]
