"""Pictures a group deleted or inserted without Track Changes: found by comparing each
paragraph's pictures in the return with the draft's, written as the group's untracked
changes (like the words ``untracked`` finds)."""
from __future__ import annotations

from difflib import SequenceMatcher

from .align import Alignment, Locator
from .model import Draft, Place, Placed, Pos, Revision, Unplaced
from .ooxml.objects import carry, describe, drawing_run
from .ooxml.own import shown
from .ooxml.package import Package
from .ooxml.pictures import picture_key, pictures
from .ooxml.textview import ACCEPTED_STATES, DRAWINGS, ORIGINAL_STATES, body_paragraphs

_DRAFT: dict = {}           # (path, fingerprint) -> {draft paragraph: [(offset, key, text)]}


def untracked_pictures(draft: Draft, pkg: Package, elements: list[list], locate: Locator,
                       alignment: Alignment, author: str) -> tuple[list[Placed], list[Unplaced]]:
    """The pictures (drawings showing an image part) that the return (``pkg``; ``elements``:
    the w:p elements of each of its paragraphs, as the annotations reader made them) has and
    the draft has not, and the other way round, in the paragraphs the return holds: as
    untracked object-insert and object-delete revisions by ``author``, placed on the draft.
    Pictures in the return's tracked insertions are its tracked changes; a deleted picture
    there is still the draft's. What cannot be copied or placed is listed, with the reason."""
    mine = _draft_pictures(draft)
    if mine is None or not mine and next(pkg.body().iter(*DRAWINGS), None) is None:
        return [], []           # no picture on either side
    theirs: dict[int, list] = {}
    left: list[Unplaced] = []
    for r, paragraphs in enumerate(elements):
        if r in alignment.skipped:
            continue
        for offset, node in pictures(paragraphs, ORIGINAL_STATES):
            key = picture_key(pkg, node)
            if not key:
                continue
            where = locate(r, offset)
            if where is None:
                rev = Revision(f"untracked:picture:{r}:{offset}", "object-insert", author,
                               None, describe(node), None, None, False)
                left.append(Unplaced(rev, "an image or shape inserted without Track Changes "
                                          "in text that does not match any part of the draft, "
                                          "so it has no place"))
                continue
            theirs.setdefault(where[0], []).append((where[1], key, node))
    held = set(alignment.pairs.values()) | {d for g in alignment.gaps if g.ret
                                            for d in g.draft} | set(theirs)
    placed: list[Placed] = []
    for d in sorted(held):
        old = mine.get(d, [])
        if not old and d not in theirs:
            continue                # most paragraphs: no picture on either side
        new = sorted(theirs.get(d, []), key=lambda t: t[0])
        ops = SequenceMatcher(None, [k for _, k, _ in old], [k for _, k, _ in new],
                              autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                continue
            for offset, _, text in old[i1:i2]:
                rev = Revision(f"untracked:picture:d{d}:{offset}", "object-delete", author,
                               None, text, Pos(d, offset), Pos(d, offset), False)
                placed.append(Placed(rev, _place(draft, d, offset)))
            for offset, _, node in new[j1:j2]:
                placed_or_left = _inserted(pkg, node, d, offset, author, draft)
                (placed if isinstance(placed_or_left, Placed) else left).append(placed_or_left)
    return placed, left


def _inserted(pkg: Package, node, d: int, offset: int, author: str,
              draft: Draft) -> Placed | Unplaced:
    text = describe(node)
    bundle, why = carry(pkg, drawing_run(node.getparent(), node))
    rev = Revision(f"untracked:picture:d{d}:{offset}", "object-insert", author, None, text,
                   Pos(d, offset), Pos(d, offset), False, props=bundle)
    if why:
        return Unplaced(rev, f"an image or shape inserted without Track Changes ({text}) "
                             f"that consult cannot copy: {why}")
    return Placed(rev, _place(draft, d, offset))


def _place(draft: Draft, d: int, offset: int) -> Place:
    section = draft.section_of(d)
    return Place(section.id if section else "", d, offset, offset, d)


def _draft_pictures(draft: Draft) -> dict[int, list] | None:
    """The draft's pictures by paragraph, (offset in its text, key, description) each, read
    once a draft; None when its paragraphs cannot be matched with the draft's."""
    key = (draft.path, draft.fingerprint)
    if key not in _DRAFT:
        pkg = Package.open(draft.path)
        paragraphs = [p for p in body_paragraphs(pkg.body()) if shown(p)]
        out: dict[int, list] | None = {}
        if len(paragraphs) != len(draft.paragraphs):
            out = None
        else:
            for d, p in enumerate(paragraphs):
                found = [(offset, picture_key(pkg, node), describe(node))
                         for offset, node in pictures([p], ACCEPTED_STATES)]
                if any(k for _, k, _ in found):
                    out[d] = [t for t in found if t[1]]
        _DRAFT.clear()
        _DRAFT[key] = out
    return _DRAFT[key]


__all__ = ["untracked_pictures"]
