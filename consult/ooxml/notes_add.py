"""Whole footnotes and endnotes deleted or added as tracked changes: the reference run in the
body and the note's own runs in one w:del (or w:ins) each, as Word writes them."""
from __future__ import annotations

import copy
from typing import Callable

from lxml import etree

from .build import el
from .edit import mark_paragraph
from .notes_part import REFERENCE, story_part
from .ns import qn
from .package import Package

W_NS = REFERENCE["footnotes"].split("}")[0] + "}"
R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NOTE_TAG = {"footnotes": "footnote", "endnotes": "endnote"}
MARKS = {W_NS + "commentRangeStart", W_NS + "commentRangeEnd", W_NS + "commentReference",
         W_NS + "bookmarkStart", W_NS + "bookmarkEnd", W_NS + "proofErr"}
TRACKED = {W_NS + "ins", W_NS + "del", W_NS + "moveTo", W_NS + "moveFrom"}


def portable(note_xml: str) -> bool:
    """Whether a return's note can be copied into another package as it is: nothing in it
    refers to the return's relationships (links, images)."""
    root = etree.fromstring(note_xml)
    return not any(k.startswith(R_NS) for e in root.iter() for k in e.attrib)


def note_element(pkg: Package, story: str, note_id: str):
    part = story_part(pkg, story)
    if part is None:
        return None
    return next((n for n in pkg.xml(part) if n.get(qn("w:id")) == note_id), None)


def _wrap(run, name: str, attrs: dict) -> None:
    if name == "del":
        for t in run.iter(W_NS + "t"):
            t.tag = W_NS + "delText"
        for t in run.iter(W_NS + "instrText"):
            t.tag = W_NS + "delInstrText"
    wrap = el("w:" + name, attrs)
    run.addprevious(wrap)
    wrap.append(run)


def _runs(note) -> list:
    """The runs of a note's paragraphs not already in a tracked change (direct children of
    the paragraph, or of a hyperlink or smart tag in it)."""
    out = []
    for p in note.iter(W_NS + "p"):
        for r in p.iter(W_NS + "r"):
            if not any(a.tag in TRACKED for a in r.iterancestors()) and \
                    next(r.iterancestors(W_NS + "p")) is p:
                out.append(r)
    return out


def delete_note(pkg: Package, root, story: str, note_id: str,
                attrs: Callable[[], dict]) -> bool:
    """Mark note ``note_id`` deleted: its reference runs in the body ``root`` and its own
    runs each in a w:del (``attrs()`` gives each its attributes). False when not found."""
    note = note_element(pkg, story, note_id)
    refs = [r for r in root.iter(REFERENCE[story]) if r.get(qn("w:id")) == note_id]
    if note is None or not refs:
        return False
    for ref in refs:
        run = ref.getparent()
        if any(a.tag == W_NS + "del" for a in run.iterancestors()):
            continue
        if run.find(W_NS + "t") is not None:      # text beside it: the reference its own run
            alone = el("w:r")
            rpr = run.find(W_NS + "rPr")
            if rpr is not None:
                alone.append(copy.deepcopy(rpr))
            run.addnext(alone)
            alone.append(ref)
            run = alone
        _wrap(run, "del", attrs())
    for run in _runs(note):
        _wrap(run, "del", attrs())
    _marks(note, "del", attrs)
    return True


def _marks(note, name: str, attrs: Callable[[], dict]) -> None:
    """The marks of the note's paragraphs but its last inserted or deleted too (the last
    goes with the note)."""
    for p in list(note.iter(W_NS + "p"))[:-1]:
        mark_paragraph(p, name, attrs())


def add_note(pkg: Package, story: str, note_xml: str, attrs: Callable[[], dict]) -> str | None:
    """Add the return's note ``note_xml`` to the story's part under a fresh id, its runs each
    in a w:ins (its comments and bookmarks left out: they are the return's); the new id, or
    None when the package has no such part."""
    part = story_part(pkg, story)
    if part is None:
        return None
    root = pkg.xml(part)
    ids = [int(v) for n in root if (v := n.get(qn("w:id"))) and v.lstrip("-").isdigit()]
    new_id = str(max(ids + [0]) + 1)
    note = etree.fromstring(note_xml)
    note.tag = W_NS + NOTE_TAG[story]
    for k in [k for k in note.attrib if k != qn("w:id")]:
        del note.attrib[k]
    note.set(qn("w:id"), new_id)
    for e in [e for e in note.iter() if e.tag in MARKS or (
            e.tag == W_NS + "r" and e.find(W_NS + "commentReference") is not None)]:
        e.getparent().remove(e)
    for e in [e for e in note.iter() if e.tag in (W_NS + "del", W_NS + "moveFrom")]:
        e.getparent().remove(e)             # the return's tracked changes accepted
    for e in [e for e in note.iter() if e.tag in (W_NS + "ins", W_NS + "moveTo")]:
        for child in list(e):
            e.addprevious(child)
        e.getparent().remove(e)
    for e in list(note.iter(W_NS + "rPrChange", W_NS + "pPrChange")):
        e.getparent().remove(e)
    for run in _runs(note):
        _wrap(run, "ins", attrs())
    _marks(note, "ins", attrs)
    root.append(note)
    return new_id


def reference_run(story: str, note_id: str, model=None):
    """A run holding a reference to the note, formatted as ``model`` (a reference run of the
    draft's) or superscript."""
    run = el("w:r")
    rpr = model.find(W_NS + "rPr") if model is not None else None
    run.append(copy.deepcopy(rpr) if rpr is not None else el(
        "w:rPr", None, el("w:vertAlign", {"w:val": "superscript"})))
    run.append(el("w:" + REFERENCE[story].split("}")[1], {"w:id": note_id}))
    return run


def comment_around(nodes: list, cid: str) -> None:
    """Comment ``cid``'s range over ``nodes`` (in one paragraph): its start before the first
    of them in document order, its end and reference run after the last."""
    p = next(nodes[0].iterancestors(W_NS + "p"))
    order = {e: k for k, e in enumerate(p.iter())}
    ranked = sorted(nodes, key=lambda e: order.get(e, -1))
    ranked[0].addprevious(el("w:commentRangeStart", {"w:id": cid}))
    ranked[-1].addnext(el("w:r", None, el("w:commentReference", {"w:id": cid})))
    ranked[-1].addnext(el("w:commentRangeEnd", {"w:id": cid}))


__all__ = ["delete_note", "add_note", "reference_run", "note_element", "portable",
           "follow_references", "drop_orphan_notes", "comment_around"]


def follow_references(pkg: Package, body, choice_of: dict) -> set:
    """A note added or deleted whole is one change: its own runs tracked by the author of
    the tracked reference to it get the reference's decision (in ``choice_of``, revision
    element -> choice), when the reference has one. Returns the revisions that follow."""
    followed = set()
    for story in NOTE_TAG:
        for ref in body.iter(REFERENCE[story]):
            wrap = next((a for a in ref.iterancestors() if a.tag in TRACKED), None)
            choice = choice_of.get(wrap) if wrap is not None else None
            note = note_element(pkg, story, ref.get(qn("w:id")) or "") if choice else None
            if note is None:
                continue
            for rev in note.iter(*TRACKED):
                if rev.tag == wrap.tag and rev.get(qn("w:author")) == wrap.get(qn("w:author")):
                    choice_of[rev] = choice
                    followed.add(rev)
    return followed


def drop_orphan_notes(pkg: Package, roots: list) -> int:
    """Remove the notes nothing refers to any more and that hold no text (a note whose
    addition was rejected or whose deletion accepted); how many."""
    gone = 0
    for story in NOTE_TAG:
        part = story_part(pkg, story)
        if part is None:
            continue
        refs = {r.get(qn("w:id")) for root in roots for r in root.iter(REFERENCE[story])}
        for note in list(pkg.xml(part)):
            if note.get(qn("w:type")) or note.get(qn("w:id")) in refs:
                continue
            if not "".join(t.text or "" for t in note.iter(W_NS + "t")).strip():
                pkg.xml(part).remove(note)
                gone += 1
    return gone
