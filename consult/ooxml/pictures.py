"""Where the pictures of a paragraph are, and what each one is: for finding pictures deleted
or inserted without Track Changes (``consult.untracked_pictures``)."""
from __future__ import annotations

import hashlib
from typing import Iterator

from .objects import _own_run, _references, _target, describe
from .package import Package
from .parts import relationship_elements
from .textview import DRAWINGS, W_NS, segments

TEXT_BOX = W_NS + "txbxContent"

TRACKED = {W_NS + n for n in ("ins", "del", "moveFrom", "moveTo")}


def pictures(paragraphs: list, view: set[str]) -> Iterator[tuple[int, object]]:
    """(offset, drawing) for each picture of ``paragraphs`` (one paragraph of a view: the
    w:p elements it is made of) outside tracked insertions: the offset in the paragraph's
    text in ``view`` (the states whose text counts, textview.ORIGINAL_STATES or
    ACCEPTED_STATES). Text boxes inside drawings are not looked into."""
    if not any(next(p.iter(*DRAWINGS), None) is not None for p in paragraphs):
        return                  # most paragraphs: no text walk
    pos = 0
    for p in paragraphs:
        segs = [s for s in segments(p) if s.text and s.state in view]     # kept alive: their
        ends = {id(s.node): len(s.text) for s in segs}     # nodes' ids are only theirs meanwhile
        for node in p.iter():
            if id(node) in ends:
                pos += ends[id(node)]
            elif node.tag in DRAWINGS and _own_run(node, p) and _kept(node, p):
                yield pos, node


def _kept(node, p) -> bool:
    """The drawing is in the original view and not in a tracked insertion."""
    for up in node.iterancestors():
        if up is p:
            return True
        if up.tag in TRACKED and up.tag not in (W_NS + "del", W_NS + "moveFrom"):
            return False
    return True


def picture_key(pkg: Package, node, source: str | None = None) -> str:
    """What a picture is, as a re-save keeps it: the bytes of the parts it shows (and the
    targets of its links); "" for a drawing that uses no part (a plain shape), which is not
    compared. Its XML (sizes, names, ids) is not part of it."""
    source = source or pkg.main
    rels = relationship_elements(pkg, source)
    seen = []                   # a picture may show one image twice (a fallback copy)
    for e, _, rid in _references(node):
        if _in_text_box(e, node):   # a text box's pictures are its text's, not the shape's
            continue
        rel = rels.get(rid)
        if rel is None:
            seen.append("missing:" + rid)
        elif rel.get("TargetMode") == "External":
            seen.append("link:" + (rel.get("Target") or ""))
        else:
            name = _target(source, rel.get("Target") or "")
            data = pkg.parts.get(name, b"") if name in pkg.parts else b""
            seen.append("part:" + hashlib.sha256(data).hexdigest())
    return hashlib.sha256("\n".join(sorted(set(seen))).encode()).hexdigest() if seen else ""


def _in_text_box(e, top) -> bool:
    for up in e.iterancestors():
        if up is top:
            return False
        if up.tag == TEXT_BOX:
            return True
    return False


__all__ = ["pictures", "picture_key", "describe"]
