"""Edit one paragraph at text offsets: split runs, mark deletions, add insertions and ranges."""
from __future__ import annotations

import copy
import re
from bisect import bisect_left, bisect_right

from lxml import etree

from .build import el, text_run
from .ns import qn
from .order import ensure, insert_ordered
from .textview import ACCEPTED_STATES, ORIGINAL_STATES, W_NS, run_text
from .textview import segments as _all_segments

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


REVISION_WRAPPERS = {W_NS + n for n in ("ins", "del", "moveFrom", "moveTo")}


def segments(p, own_below: int | None = None):
    """The paragraph's own text segments (not text consult has inserted).

    With ``own_below``, revisions with a w:id below it are the paragraph's own (a draft's
    tracked changes, kept): their accepted view counts, and the original view of the others.
    """
    if own_below is None:
        return [s for s in _all_segments(p) if s.state in ORIGINAL_STATES]
    return [s for s in _all_segments(p) if s.rev is None
            or (s.state in ACCEPTED_STATES) == _own(s.rev, own_below)]


def _own(rev, below: int) -> bool:
    value = rev.get(qn("w:id")) or ""
    return not value.lstrip("-").isdigit() or int(value) < below


class ParagraphEditor:
    """Offsets are in the paragraph's current text: the original view (it has no tracked
    changes yet), or with ``own_below`` its own changes accepted (see ``segments``).

    The paragraph's own text segments are read once, and again after ``cut``: deleting,
    reformatting and inserting leave them (their runs and text) where they were, so one editor
    serves every change to a paragraph without walking its XML again.
    """

    def __init__(self, p, own_below: int | None = None) -> None:
        self.p = p
        self.own_below = own_below
        self._read()

    def _read(self) -> None:
        self.segs = [s for s in segments(self.p, self.own_below) if s.text]
        self.starts: list[int] = []
        pos = 0
        for seg in self.segs:
            self.starts.append(pos)
            pos += len(seg.text)
        self.text = "".join(seg.text for seg in self.segs)

    # -- splitting --------------------------------------------------------------
    def cut(self, offsets) -> None:
        """Make every offset fall between two runs."""
        for k in sorted(set(offsets), reverse=True):
            if 0 < k < len(self.text):
                self._cut(k)
        self._read()

    def _cut(self, k: int) -> None:
        """Split at ``k``; cutting from the end keeps the segments before ``k`` valid."""
        i = bisect_right(self.starts, k) - 1
        seg, pos = self.segs[i], self.starts[i]
        run = seg.run
        if pos < k:
            _split_run(seg.run, seg.node, k - pos)
            run = seg.run.getnext()
        elif _first_text(seg.run) is not seg.node:
            _split_run(seg.run, seg.node, 0)
            run = seg.run.getnext()
        if self.own_below is not None:
            _split_wrapper(run)

    def _runs_in(self, a: int, b: int) -> list:
        runs: list = []
        for i in range(bisect_left(self.starts, a), len(self.segs)):
            seg = self.segs[i]
            if self.starts[i] + len(seg.text) > b:
                break
            if seg.run not in runs:
                runs.append(seg.run)
        return runs

    # -- anchors for new content -------------------------------------------------
    def anchor(self, k: int):
        """(parent, index) where content at offset ``k`` goes (before text at k)."""
        i = bisect_left(self.starts, k)
        if i < len(self.segs):
            return _outer(self.segs[i].run, self.p)
        if not self.segs:
            ppr = self.p.find(W_NS + "pPr")
            return self.p, (0 if ppr is None else self.p.index(ppr) + 1)
        return self.p, len(self.p)

    def style_at(self, k: int):
        """A copy of the rPr of the text just before offset k (or at it), for new runs."""
        i = max(0, bisect_left(self.starts, k) - 1)
        found = self.segs[i].run if self.segs else None
        rpr = found.find(W_NS + "rPr") if found is not None else None
        if rpr is None:
            return None
        out = copy.deepcopy(rpr)
        for name in ("rPrChange", "ins", "del"):
            for child in out.findall(W_NS + name):
                out.remove(child)
        return out

    # -- revisions ------------------------------------------------------------------
    def delete(self, a: int, b: int, attrs) -> None:
        """Wrap the runs covering [a, b) in w:del (call ``cut`` first), one w:del a run (so
        later content at a cut lands between them). ``attrs``: a function giving each w:del
        its attributes (a revision w:id is used once), or one dict for a single run."""
        for run in self._runs_in(a, b):
            parent = run.getparent()
            if parent.tag == W_NS + "del":
                continue
            wrapper = el("w:del", attrs() if callable(attrs) else attrs)
            parent.replace(run, wrapper)
            wrapper.append(run)
            for t in run.iter(W_NS + "t"):
                t.tag = W_NS + "delText"
            for t in run.iter(W_NS + "instrText"):
                t.tag = W_NS + "delInstrText"

    def reformat(self, a: int, b: int, new_rpr, attrs: dict) -> None:
        """Give the runs covering [a, b) new properties, recording the old in w:rPrChange."""
        for run in self._runs_in(a, b):
            old = run.find(W_NS + "rPr")
            if old is not None and old.find(W_NS + "rPrChange") is not None:
                continue
            fresh = copy.deepcopy(new_rpr)
            before = el("w:rPr")
            if old is not None:
                for child in old:
                    before.append(copy.deepcopy(child))
                run.remove(old)
            insert_ordered(fresh, el("w:rPrChange", attrs, before))
            run.insert(0, fresh)

    def insert(self, k: int, nodes: list, top: bool = False, before_objects: bool = False) -> None:
        """Put ``nodes`` (runs, w:ins, markers) at offset k, after what is already there.

        With ``top`` they go directly into the paragraph (needed for paragraph breaks). With
        ``before_objects`` they go before the pictures and shapes just before the text at k
        (they have no text, so they sit at k too): words typed before a picture.
        """
        parent, index = self.anchor(k)
        if before_objects:
            while index > 0 and _object_only(parent[index - 1]):
                index -= 1
        if top and parent is not self.p:
            parent, index = paragraph_level(self.p, parent, index)
        for node in nodes:
            parent.insert(index, node)
            index += 1


def inserted_runs(text: str, rpr, attrs: dict, marks: list[tuple[int, int, str]] = ()):
    """A w:ins holding ``text`` in one run with properties ``rpr``; with ``marks``
    ((offset in ``text``, order, "commentRangeStart:7")), the run is cut at those offsets
    and the markers (name and comment id) go between the pieces."""
    def run(part: str):
        return text_run(part, copy.deepcopy(rpr) if rpr is not None else None)
    if not marks:
        return el("w:ins", attrs, run(text))
    ins = el("w:ins", attrs)
    at = 0
    for offset, _, what in sorted(marks):
        offset = max(0, min(offset, len(text)))
        if offset > at:
            ins.append(run(text[at:offset]))
            at = offset
        name, cid = what.split(":")
        ins.append(marker(name, cid))
    if at < len(text) or not len(ins):
        ins.append(run(text[at:]))
    return ins


def mark_paragraph(p, name: str, attrs: dict) -> None:
    """Mark the paragraph mark as inserted or deleted (w:pPr/w:rPr/w:ins|w:del)."""
    ppr = p.find(W_NS + "pPr")
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    rpr = ensure(ppr, "rPr")
    if rpr.find(W_NS + "ins") is None and rpr.find(W_NS + "del") is None:
        insert_ordered(rpr, el(f"w:{name}", attrs))


def split_paragraph(p, marker) -> object:
    """Split ``p`` before ``marker`` (a direct child): a new paragraph gets what follows.

    The second paragraph keeps the original mark and properties (and any changes recorded
    on them); the first gets a plain copy of the properties. Returns the second paragraph.
    """
    second = el("w:p")
    ppr = p.find(W_NS + "pPr")
    if ppr is not None:
        second.append(copy.deepcopy(ppr))
        for name in ("sectPr", "pPrChange"):
            for child in ppr.findall(W_NS + name):
                ppr.remove(child)
        rpr = ppr.find(W_NS + "rPr")
        if rpr is not None:
            for name in ("ins", "del", "moveFrom", "moveTo", "rPrChange"):
                for child in rpr.findall(W_NS + name):
                    rpr.remove(child)
    following = []
    node = marker.getnext()
    while node is not None:
        following.append(node)
        node = node.getnext()
    for node in following:
        second.append(node)
    p.remove(marker)
    p.addnext(second)
    return second


def _split_wrapper(run) -> None:
    """When ``run`` is inside a kept revision (w:ins, w:del) after other content, the revision
    becomes two, so that new content can go between them (the copy's w:id is renumbered
    when the block is written)."""
    wrapper = run.getparent()
    if wrapper is None or wrapper.tag not in REVISION_WRAPPERS or run.getprevious() is None:
        return
    second = etree.Element(wrapper.tag, dict(wrapper.attrib))
    moving = [run, *run.itersiblings()]
    for node in moving:
        second.append(node)
    wrapper.addnext(second)


OBJECT_TAGS = tuple(W_NS + n for n in ("drawing", "pict", "object")) + (
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",)


def _object_only(node) -> bool:
    """A run holding a picture or shape and no text (or a revision of such runs)."""
    if node.tag in REVISION_WRAPPERS:
        return len(node) > 0 and all(_object_only(c) for c in node)
    if node.tag != W_NS + "r" or not any(c.tag in OBJECT_TAGS for c in node):
        return False
    return all(run_text(c) is None for c in node if c.tag not in OBJECT_TAGS)


def _first_text(run):
    for child in run:
        if run_text(child) is not None:
            return child
    return None


def _outer(run, p):
    """(parent, index) of ``run``, outside any w:del around it (hyperlinks stay as they are)."""
    node = run
    while node.getparent() is not None and node.getparent().tag in REVISION_WRAPPERS:
        node = node.getparent()
    parent = node.getparent()
    return parent, parent.index(node)


def paragraph_level(p, parent, index):
    """The same place as a direct child index of ``p`` (before the container it is in)."""
    node = parent[index] if index < len(parent) else None
    while parent is not p:
        node, parent = parent, parent.getparent()
    return p, (p.index(node) if node is not None else len(p))


def _split_run(run, child, at: int) -> None:
    """Split ``run`` so that ``child`` (from character ``at``) starts a new run."""
    new = etree.Element(run.tag, dict(run.attrib))
    rpr = run.find(W_NS + "rPr")
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    moving = []
    if at > 0 and child.tag in (W_NS + "t", W_NS + "delText"):
        text = child.text or ""
        tail = etree.Element(child.tag)
        tail.text = text[at:]
        tail.set(XML_SPACE, "preserve")
        child.text = text[:at]
        child.set(XML_SPACE, "preserve")
        moving.append(tail)
        node = child.getnext()
    else:
        node = child
    while node is not None:
        moving.append(node)
        node = node.getnext()
    for m in moving:
        new.append(m)
    run.addnext(new)


def marker(name: str, cid: str):
    return el(f"w:{name}", {"w:id": cid})


def reference_run(cid: str):
    return el("w:r", None, el("w:commentReference", {"w:id": cid}))


ISO_DATE = re.compile(r"[1-9]\d{3}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?")


def clean_date(date: str | None) -> str | None:
    """The date if it is a valid xsd:dateTime Word accepts, else None (dropped)."""
    return date if date and ISO_DATE.fullmatch(date) and "T" in date else None


def new_attrs(rid: int, author: str, date: str | None) -> dict:
    attrs = {"w:id": rid, "w:author": author}
    if clean_date(date):
        attrs["w:date"] = date
    return attrs


REVISIONS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
             "tblPrChange", "tblPrExChange", "trPrChange", "tcPrChange", "numberingChange",
             "cellIns", "cellDel", "cellMerge")


def renumber_duplicates(root, seen: set[str] | None = None, fresh=None,
                        fresh_from: int | None = None,
                        kinds=None) -> int:
    """Give revisions that share a w:id a fresh one (Word needs them unique).

    ``seen`` carries the ids met so far across calls (for a document written piece by
    piece); ``fresh()`` gives a new id (default: one above the largest in ``root``). Ids
    from ``fresh_from`` up were given while changing ``root`` alone, so they are checked
    within this call and not kept in ``seen``.
    """
    seen = set() if seen is None else seen
    kinds = REVISIONS + ("tblGridChange",) if kinds is None else kinds
    elements = list(root.iter(*(W_NS + k for k in kinds)))
    if fresh is None:
        top = [max([int(v) for e in root.iter() for v in [e.get(qn("w:id"))]
                    if v and v.lstrip("-").isdigit()] + [0])]

        def fresh() -> int:
            top[0] += 1
            return top[0]
    fixed, here = 0, set()
    for e in elements:
        value = e.get(qn("w:id"))
        ours = fresh_from is not None and bool(value) and value.isdigit() \
            and int(value) >= fresh_from
        if value in (here if ours else seen):
            e.set(qn("w:id"), str(fresh()))
            fixed += 1
        else:
            (here if ours else seen).add(value)
    return fixed


__all__ = ["ParagraphEditor", "inserted_runs", "mark_paragraph", "split_paragraph",
           "marker", "reference_run", "new_attrs", "qn"]
