"""Text boxes in the body (w:txbxContent, also inside group shapes): each box's paragraphs as
the reader numbers them, the body paragraph holding it, and edits written into both of the
copies Word keeps (the shape in mc:Choice, the VML copy in mc:Fallback)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

from .annotations import MC_FALLBACK, TEXT_BOX, TEXT_BOX_STORY, _Walker
from .edit import renumber_duplicates
from .notes_part import Note, NoteEdit, _edit_paragraph
from .ns import NS, qn
from .package import Package
from .textview import W_NS, body_paragraphs

MC_ALTERNATE = f"{{{NS['mc']}}}AlternateContent"
MC_CHOICE = f"{{{NS['mc']}}}Choice"
PARA = W_NS + "p"
COMMENT_MARKS = (W_NS + "commentRangeStart", W_NS + "commentRangeEnd")
BOOKMARKS = (W_NS + "bookmarkStart", W_NS + "bookmarkEnd")
W14 = NS["w14"]
REVISION_TAGS = tuple(W_NS + n for n in ("ins", "del", "moveFrom", "moveTo", "rPrChange",
                                          "pPrChange"))


@dataclass
class Box(Note):
    """One text box of the body: ``first`` numbers its first paragraph as the reader does
    (``read_file_annotations``' "text box" story: every box shown, the mc:Fallback copies
    left out), ``anchor`` the body paragraph holding it, ``order`` its place among that
    paragraph's boxes, ``fallback`` its w:txbxContent in mc:Fallback (None if it has none)."""

    anchor: int = -1
    order: int = 0
    element: object = None
    fallback: object = None


def shown_boxes(root) -> list[tuple[object, object]]:
    """Every w:txbxContent under ``root`` that is not a fallback copy, in document order, each
    with its fallback copy (the one at its place in the mc:Fallback of its
    mc:AlternateContent) or None."""
    out = []
    for box in root.iter(TEXT_BOX):
        alt = next((a for a in box.iterancestors(MC_ALTERNATE, MC_FALLBACK)), None)
        if alt is not None and alt.tag == MC_FALLBACK:
            continue
        if any(a.tag == MC_FALLBACK for a in box.iterancestors()):
            continue
        out.append((box, _fallback_of(box, alt)))
    return out


def _fallback_of(box, alt):
    if alt is None:
        return None
    choice = next((c for c in alt if c.tag == MC_CHOICE), None)
    fallback = next((c for c in alt if c.tag == MC_FALLBACK), None)
    if choice is None or fallback is None:
        return None
    mine = [b for b in choice.iter(TEXT_BOX) if _nearest_alt(b) is alt]
    theirs = [b for b in fallback.iter(TEXT_BOX) if _nearest_alt(b) is alt]
    if len(mine) != len(theirs) or box not in mine:
        return None
    return theirs[mine.index(box)]


def _nearest_alt(box):
    return next(box.iterancestors(MC_ALTERNATE), None)


def read_boxes(pkg: Package, own: frozenset = frozenset(),
               paragraph_of: Callable[[object], int | None] = lambda p: None) -> list[Box]:
    """The body's text boxes, in document order (ordinal), their paragraphs in the view the
    reader gives (``own``: the draft's own changes accepted, as ``notes_part.read_notes``);
    ``paragraph_of`` tells the index of a body w:p (the anchor)."""
    walker = _Walker(TEXT_BOX_STORY, lambda p: "", own)
    found: list[Box] = []
    seen: dict[int, int] = {}
    for box, fallback in shown_boxes(pkg.body()):
        first = len(walker.story.paragraphs)
        walker.scan(box)
        for p in body_paragraphs(box):
            walker.paragraph(p)
        walker.close()
        n = len(walker.story.paragraphs)
        outer = [a for a in box.iterancestors(PARA)]
        anchor = paragraph_of(outer[-1]) if outer else None
        anchor = -1 if anchor is None else anchor
        order = seen.get(anchor, 0)
        seen[anchor] = order + 1
        found.append(Box(TEXT_BOX_STORY, len(found), "", first,
                         list(walker.story.paragraphs[first:n]),
                         list(walker.story.elements[first:n]), anchor, order, box, fallback))
    return found


def body_index(pkg: Package, own: frozenset = frozenset()) -> dict:
    """Body w:p -> its paragraph as the reader numbers the body (``own`` accepted)."""
    walker = _Walker("body", lambda p: "", own)
    for p in body_paragraphs(pkg.body()):
        walker.paragraph(p)
    walker.close()
    return {p: k for k, ps in enumerate(walker.story.elements) for p in ps}


def has_boxes(pkg: Package) -> bool:
    return next(pkg.body().iter(TEXT_BOX), None) is not None


def write_box_edits(pkg: Package, story: str, edits: dict[int, list[NoteEdit]],
                    rid: Callable[[], int]) -> None:
    """Apply ``edits`` (by box ordinal) to the body's text boxes as tracked changes and comment
    ranges (as ``notes_part.write_note_edits`` does a note's); each box's fallback copy is
    then made again from it, comment marks left out (they are the shape's alone)."""
    boxes = {b.ordinal: b for b in read_boxes(pkg)}
    for ordinal in sorted(edits):
        box = boxes[ordinal]
        by_para: dict[int, list[NoteEdit]] = {}
        for e in edits[ordinal]:
            by_para.setdefault(e.para, []).append(e)
        for para in sorted(by_para):
            _edit_paragraph(box.elements[para][0], by_para[para], rid)
        renumber_duplicates(box.element, None, rid)
        if box.fallback is not None:
            sync_fallback(box.element, box.fallback, rid)


def sync_fallback(box, fallback, rid: Callable[[], int]) -> None:
    """Make ``fallback`` (a w:txbxContent in mc:Fallback) a copy of ``box``: the same text and
    tracked changes (fresh revision ids), without comment marks, bookmarks or paragraph ids,
    which must stay unique in the document."""
    fresh = copy.deepcopy(box)
    for e in list(fresh.iter(*COMMENT_MARKS, *BOOKMARKS)):
        _drop(e)
    for ref in list(fresh.iter(W_NS + "commentReference")):
        run = ref.getparent()
        if run is not None and run.tag == W_NS + "r" and \
                all(c.tag in (W_NS + "rPr", W_NS + "commentReference") for c in run):
            _drop(run)
        else:
            _drop(ref)
    for e in fresh.iter(*REVISION_TAGS):
        if e.get(qn("w:id")) is not None:
            e.set(qn("w:id"), str(rid()))
    for p in fresh.iter(PARA):
        for name in ("paraId", "textId"):
            p.attrib.pop(f"{{{W14}}}{name}", None)
    fresh.tail = fallback.tail
    fallback.getparent().replace(fallback, fresh)


def _drop(e) -> None:
    parent = e.getparent()
    if parent is None:
        return
    if e.tail:
        prev = e.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + e.tail
        else:
            parent.text = (parent.text or "") + e.tail
    parent.remove(e)


def box_names(pkg: Package, nodes: list) -> list[str]:
    """"text box 2" for each of ``nodes`` inside the body's second text box (either copy of
    it; boxes numbered as ``read_boxes`` numbers them), else ""."""
    ordinal: dict = {}
    for k, (box, fallback) in enumerate(shown_boxes(pkg.body())):
        ordinal[box] = k
        if fallback is not None:
            ordinal[fallback] = k
    out = []
    for node in nodes:
        box = next((a for a in ([] if node is None else node.iterancestors(TEXT_BOX))
                    if a in ordinal), None)
        out.append("" if box is None else f"text box {ordinal[box] + 1}")
    return out


def fold_fallbacks(changes: list) -> list:
    """``changes`` (``nextdraft.Change``, in document order) with those in a text box's
    fallback copy folded into the same changes of the shape it copies (same kind, author,
    date and text, in order), so that a change in a box is counted and decided once, both
    copies alike; a fallback that does not match its shape keeps its own changes."""
    def where(change):
        node = change.elements[0] if change.elements else None
        alt = next(node.iterancestors(MC_ALTERNATE), None) if node is not None else None
        if alt is None:
            return None, ""
        side = next((a.tag for a in node.iterancestors(MC_CHOICE, MC_FALLBACK)), "")
        return alt, side

    by_alt: dict = {}
    for change in changes:
        alt, side = where(change)
        if alt is not None:
            by_alt.setdefault(alt, {}).setdefault(side, []).append(change)
    folded = set()
    for sides in by_alt.values():
        shape, copy_ = sides.get(MC_CHOICE, []), sides.get(MC_FALLBACK, [])
        if copy_ and [_same(c) for c in shape] == [_same(c) for c in copy_]:
            for mine, theirs in zip(shape, copy_):
                mine.elements.extend(theirs.elements)
                folded.add(id(theirs))
    return [c for c in changes if id(c) not in folded]


def _same(change) -> tuple:
    return change.kind, change.author, change.date, change.text


__all__ = ["Box", "fold_fallbacks", "box_names", "read_boxes", "body_index", "has_boxes", "write_box_edits", "shown_boxes",
           "sync_fallback"]
