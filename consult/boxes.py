"""Comments, tracked changes and untracked edits made in a return's text boxes, placed on the
draft's matching boxes as ``notes`` places a note's (``boxes_write`` writes them into the
collated document). The Place of a box annotation has section "text box:N" (N: the draft
box's ordinal, in document order) and paragraphs within the box."""
from __future__ import annotations

from difflib import SequenceMatcher
from typing import Callable

from .model import Comment, Draft, Placed, Revision, Unplaced
from .notes import MIN_SIMILAR, _note_at, _own_key, _where, change_name
from .notes_diff import _edits
from .ooxml.annotations import TEXT_BOX_STORY, read_file_annotations
from .ooxml.boxes_part import Box, body_index, has_boxes, read_boxes
from .ooxml.package import Package
from .ooxml.pictures import describe, picture_key, pictures
from .ooxml.textview import ACCEPTED_STATES, ORIGINAL_STATES, W_NS
from .untracked import spacing

Locate = Callable[[int, int], "tuple[int, int] | None"]
_DRAFT: dict = {}       # (path, fingerprint) -> (base boxes, accepted boxes, own keys)
_PICTURES: dict = {}    # (path, fingerprint) -> [the pictures of each draft box]


def draft_boxes(draft: Draft) -> tuple[list[Box], list[Box], set[tuple]]:
    """The draft's text boxes as the collated document holds them (its own changes tracked),
    the same with its own changes accepted (the view a return is read in), and what its own
    comments and changes in them are (``notes._own_key``), read once a draft."""
    key = (draft.path, draft.fingerprint)
    if key not in _DRAFT:
        _DRAFT.clear()
        _PICTURES.clear()
        pkg = Package.open(draft.path)
        if not has_boxes(pkg):
            _DRAFT[key] = ([], [], set())
            _PICTURES[key] = []
            return _DRAFT[key]
        index = body_index(pkg, draft.own_keys)
        base = read_boxes(pkg, frozenset(), index.get)
        accepted = read_boxes(pkg, draft.own_keys, index.get)
        own = set()
        found = read_file_annotations(pkg)
        for item in list(found.comments) + list(found.revisions):
            if item.story == TEXT_BOX_STORY and item.start is not None:
                box = _note_at(base, item.start.para)
                if box is not None:
                    own.add(_own_key(item, box.ordinal, item.start.para - box.first,
                                     item.start.offset))
        _DRAFT[key] = (base, accepted, own)
        _PICTURES[key] = [box_pictures(pkg, b, ACCEPTED_STATES) for b in accepted]
    return _DRAFT[key]


def box_pictures(pkg: Package, box: Box, view: set[str]) -> list[tuple[str, str]]:
    """(key, description) of each picture in ``box`` (``pictures.picture_key``), sorted."""
    found = [(picture_key(pkg, node), describe(node)) for ps in box.elements
             for _, node in pictures(ps, view)]
    return sorted(f for f in found if f[0])


def box_of(draft: Draft, section: str) -> Box | None:
    """The draft's box (as the collated document holds it) of section "text box:N"."""
    n = int(section.rsplit(":", 1)[1])
    base, _, _ = draft_boxes(draft)
    return base[n] if 0 <= n < len(base) else None


def in_boxes(draft: Draft, pkg: Package, unplaced: list[Unplaced], locate: Locate,
             author: str, framed: set[int] = frozenset()
             ) -> tuple[list[Placed], list[Unplaced], int]:
    """The return's annotations in its text boxes (among ``unplaced``) placed on the draft's
    boxes, and its untracked edits in them; what has no place stays unplaced, with the reason.
    ``framed``: the ordinals of the return's boxes that are the draft's body text (see
    ``frames``), diffed with the body, not here. Returns the placed, the unplaced, and how
    many untracked edits were found."""
    if not has_boxes(pkg) and not any(u.item.story == TEXT_BOX_STORY for u in unplaced):
        return [], unplaced, 0
    base, accepted, own = draft_boxes(draft)
    theirs = read_boxes(pkg, draft.own_keys, body_index(pkg, draft.own_keys).get)
    pairs = pair_boxes([b for b in theirs if b.ordinal not in framed], accepted, locate)
    placed, left = _tracked(unplaced, theirs, base, pairs, own)
    edits, lost = _untracked([b for b in theirs if b.ordinal not in framed], accepted, base,
                             pairs, author)
    lost += _pictures_changed(pkg, theirs, _PICTURES.get((draft.path, draft.fingerprint), []),
                              pairs, author)
    return placed + edits, left + lost, len(edits) + len(lost)


def pair_boxes(theirs: list[Box], drafts: list[Box], locate: Locate) -> dict[int, int]:
    """Return box ordinal -> the draft box it is: first the one whose text is the return box's
    text (its tracked changes rejected), at its place when several are; then the one at its
    place (the draft paragraph holding it, its order there); then the free one most like it."""
    out: dict[int, int] = {}
    free = {d.ordinal for d in drafts}

    def at(box: Box) -> int:
        found = locate(box.anchor, 0) if box.anchor >= 0 else None
        return found[0] if found else -1

    for box in theirs:
        same = [d for d in drafts if d.ordinal in free and spacing(d.text) == spacing(box.text)]
        if len(same) > 1:
            same = [d for d in same if (d.anchor, d.order) == (at(box), box.order)] or same[:1]
        if same:
            out[box.ordinal] = same[0].ordinal
            free.discard(same[0].ordinal)
    for box in theirs:
        if box.ordinal in out:
            continue
        here = [d for d in drafts if d.ordinal in free and (d.anchor, d.order) == (at(box),
                                                                                  box.order)]
        scored = sorted(((_ratio(d.text, box.text), -d.ordinal, d) for d in drafts
                         if d.ordinal in free), key=lambda t: t[:2])
        best = here[0] if here else scored[-1][2] if scored and \
            scored[-1][0] >= MIN_SIMILAR else None
        if best is not None:
            out[box.ordinal] = best.ordinal
            free.discard(best.ordinal)
    return out


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, spacing(a), spacing(b), autojunk=False).ratio()


def _tracked(unplaced: list[Unplaced], theirs: list[Box], base: list[Box],
             pairs: dict[int, int], own: set) -> tuple[list[Placed], list[Unplaced]]:
    placed, left = [], []
    matched: dict = {}

    def match(box: Box, _mine) -> Box | None:
        # a box whose paragraphs were split or joined without Track Changes still takes its
        # annotations: notes._map places them by paragraph where the paragraphs agree
        return base[pairs[box.ordinal]] if box.ordinal in pairs else None

    for u in unplaced:
        item = u.item
        if item.story != TEXT_BOX_STORY:
            left.append(u)
            continue
        if item.start is not None and _note_at(theirs, item.start.para) is None:
            left.append(Unplaced(item, "it is in a text box outside the body text (in a "
                                       "header, footer or note); consult places text-box "
                                       "annotations in the body's text boxes only"))
            continue
        if getattr(item, "kind", "") in ("object-insert", "object-delete"):
            left.append(Unplaced(item, f"it is {change_name(item.kind)} in a text box; "
                                       "consult writes pictures in the body and in notes, "
                                       "not in text boxes: make it by hand if it is accepted"))
            continue
        where = _where(item, theirs, base, matched, match)
        if isinstance(where, str):
            left.append(Unplaced(item, where))
        elif _own_key(item, int(where.section.rsplit(":", 1)[1]), where.paragraph,
                      where.start) in own:
            what = "comment" if isinstance(item, Comment) else "change"
            left.append(Unplaced(item, f"it is the draft's own {what} (by "
                                       f"{item.author or 'an unnamed author'}), kept in the "
                                       "collated document's text box under its author"))
        else:
            placed.append(Placed(item, where))
    return placed, left


def _untracked(theirs: list[Box], accepted: list[Box], base: list[Box], pairs: dict[int, int],
               author: str) -> tuple[list[Placed], list[Unplaced]]:
    """Each box's untracked edits (diffed with the draft's box in the same view, as
    ``notes_diff`` diffs a note), placed on the draft's box."""
    placed: list[Placed] = []
    left: list[Unplaced] = []
    for box in theirs:
        if box.ordinal not in pairs:
            inserted = any(a.tag in (W_NS + "ins", W_NS + "moveTo")
                           for a in box.element.iterancestors())
            if spacing(box.text) and not inserted:     # a tracked new box is the body's
                left.append(Unplaced(Revision(
                    f"untracked:{TEXT_BOX_STORY}:new{box.ordinal}", "insert", author, None,
                    box.text, None, None, False, TEXT_BOX_STORY),
                    "a text box the draft does not have, added without Track Changes; "
                    "consult does not add text boxes"))
            continue
        n = pairs[box.ordinal]
        if spacing(box.text) != spacing(accepted[n].text):
            p, u = _edits(TEXT_BOX_STORY, box, accepted[n], base[n], author)
            placed += p
            left += u
    return placed, left


def _pictures_changed(pkg: Package, theirs: list[Box], mine: list, pairs: dict[int, int],
                      author: str) -> list[Unplaced]:
    """Pictures deleted or inserted without Track Changes in a text box: consult does not
    write them there, so each is listed with the reason (never dropped unsaid)."""
    left = []
    for box in theirs:
        n = pairs.get(box.ordinal)
        if n is None or n >= len(mine):
            continue
        now, was = box_pictures(pkg, box, ORIGINAL_STATES), list(mine[n])
        for kind, items, other in (("object-delete", was, now), ("object-insert", now, was)):
            rest = [key for key, _ in other]
            for k, (key, text) in enumerate(items):
                if key in rest:
                    rest.remove(key)
                    continue
                verb = "deleted" if kind == "object-delete" else "inserted"
                left.append(Unplaced(Revision(
                    f"untracked:{TEXT_BOX_STORY}:{n}:picture{kind[7]}{k}", kind, author, None,
                    text, None, None, False, TEXT_BOX_STORY),
                    f"an image or shape {verb} without Track Changes in text box {n + 1}; "
                    "consult does not write those in a text box: make the change by hand if "
                    "it is accepted"))
    return left


__all__ = ["in_boxes", "draft_boxes", "box_of", "pair_boxes", "box_pictures"]
