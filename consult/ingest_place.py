"""Place a return's comments and tracked changes on the draft, objects with their parts."""
from __future__ import annotations

from dataclasses import replace

from .align import Locator
from .model import Draft, Place, Placed, Revision, Unplaced
from .ooxml.annotations import TEXT_BOX_STORY, FileAnnotations
from .ooxml.objects import carry, uses_parts
from .ooxml.package import Package

CARRIED = ("object-insert", "object-delete", "row-insert")    # see _with_objects


def _place(draft: Draft, found: FileAnnotations, locate: Locator, skip: set[int]):
    placed: list[Placed] = []
    unplaced: list[Unplaced] = []
    for item in list(found.comments) + list(found.revisions):
        where = _where(draft, item, locate, skip)
        if isinstance(where, str):
            unplaced.append(Unplaced(item, where))
        else:
            placed.append(Placed(item, where))
    return placed, unplaced


def _where(draft: Draft, item, locate: Locator, skip: set[int]) -> Place | str:
    if item.story == TEXT_BOX_STORY:
        return "it is in a text box that does not match any text box of the draft"
    if item.story != "body":
        return (f"it is in the {item.story}, and consult places annotations in the body text "
                "only")
    if item.start is None:
        return "the comment is not anchored anywhere in the document"
    if item.start.para in skip:
        return "it is on the pack's cover page or notes, which are not part of the draft"
    start = locate(item.start.para, item.start.offset)
    end = locate(item.end.para, item.end.offset) if item.end else start
    if start is None:
        return "it is in text that does not match any part of the draft"
    if end is None or end < start:
        end = start
    section = draft.section_of(start[0])
    return Place(section.id if section else "", start[0], start[1], end[1], end[0])


def _with_objects(pkg: Package, placed: list[Placed]) -> tuple[list[Placed], list[Unplaced]]:
    """Placed revisions with each inserted image or shape (or table row holding one) bundled
    with the parts it uses (a deleted one needs only its place and description); one that
    uses parts consult does not copy is listed instead, with the reason."""
    keep: list[Placed] = []
    out: list[Unplaced] = []
    for p in placed:
        item = p.item
        if not isinstance(item, Revision) or item.kind not in CARRIED \
                or (item.kind == "row-insert" and not uses_parts(item.props)):
            keep.append(p)
        elif item.kind == "object-delete":
            keep.append(Placed(replace(item, props=""), p.place))
        else:
            bundle, why = carry(pkg, item.props)
            if why:
                what = (f"an image or shape inserted with Track Changes ({item.text})"
                        if item.kind == "object-insert" else "a table row inserted with Track "
                        "Changes that holds an image or shape")
                out.append(Unplaced(item, f"{what} that consult cannot copy: {why}"))
            else:
                keep.append(Placed(replace(item, props=bundle), p.place))
    return keep, out


def _place_of(draft: Draft, r: Revision) -> Place:
    section = draft.section_of(r.start.para)
    return Place(section.id if section else "", r.start.para, r.start.offset, r.end.offset,
                 r.end.para)
