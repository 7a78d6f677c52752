"""Body text a converter moved into a text box: LibreOffice re-saves a floating table
(w:tblpPr) as a text frame, so the table's paragraphs leave the body. Such a box, one the
draft does not have, whose paragraphs read as a run of the draft's body paragraphs that the
return's body lacks, is taken as those paragraphs, still there (diffed as body text), and
not as a text box the group added."""
from __future__ import annotations

from difflib import SequenceMatcher

from .align import Alignment, Gap, norm
from .boxes import draft_boxes
from .model import Draft
from .ooxml.boxes_part import Box, body_index, has_boxes, read_boxes
from .ooxml.package import Package
from .ooxml.textview import W_NS
from .untracked import spacing

MIN_FRAMED = 3          # at least this many of the box's paragraphs are the draft's, in order
FRAMED_SHARE = 0.5      # ... and at least this share of its paragraphs with text


def framed(draft: Draft, pkg: Package, norms: list[str], ret: list[str],
           alignment: Alignment) -> tuple[list[str], set[int]]:
    """``ret`` with the paragraphs of each box that is the draft's body text added at its end,
    each box's paragraphs put in the gap (of ``alignment``, changed in place) whose draft
    paragraphs they are; and the ordinals of those boxes (``boxes.in_boxes`` leaves them)."""
    if not has_boxes(pkg) or not any(g.draft for g in alignment.gaps):
        return ret, set()
    own = draft.own_keys
    theirs = read_boxes(pkg, own, body_index(pkg, own).get)
    known = {spacing(b.text) for b in draft_boxes(draft)[1]}
    by_ret = {r: g for g in alignment.gaps for r in g.ret}
    out, boxes = list(ret), set()
    for box in theirs:
        if spacing(box.text) in known or any(
                a.tag in (W_NS + "ins", W_NS + "moveTo") for a in box.element.iterancestors()):
            continue
        gap = next((g for g in _gaps_of(box, alignment, by_ret)
                    if _reads_as(box, [norms[d] for d in g.draft])), None)
        if gap is None:
            continue
        new = list(range(len(out), len(out) + len(box.paragraphs)))
        out += box.paragraphs
        if box.anchor in gap.ret:
            k = gap.ret.index(box.anchor)
        else:
            k = 0 if alignment.pairs.get(box.anchor) == gap.after else len(gap.ret)
        gap.ret[k:k] = new
        boxes.add(box.ordinal)
    return out, boxes


def _gaps_of(box: Box, alignment: Alignment, by_ret: dict[int, Gap]) -> list[Gap]:
    """The gaps beside the box's anchor paragraph: the one it is in, else the ones just
    before and after the draft paragraph it is matched to."""
    if box.anchor in by_ret:
        return [by_ret[box.anchor]]
    d = alignment.pairs.get(box.anchor)
    if d is None or box.anchor in alignment.moved:
        return []
    return [g for g in alignment.gaps if g.draft and d in (g.before, g.after)]


def _reads_as(box: Box, draft: list[str]) -> bool:
    """Whether the box's paragraphs are a run of ``draft`` (unchanged or nearly)."""
    mine = [norm(t) for t in box.paragraphs]
    matcher = SequenceMatcher(None, draft, mine, autojunk=False)
    same = sum(1 for a, b, n in matcher.get_matching_blocks() for t in mine[b:b + n] if t)
    full = sum(1 for t in mine if t)
    return same >= MIN_FRAMED and same >= FRAMED_SHARE * full
