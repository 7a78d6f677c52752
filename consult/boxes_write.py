"""The groups' text-box annotations written into the collated document's text boxes, as
``notes_write`` writes the notes' (the same agreements, conflicts and comment anchors), both
of Word's copies of a box alike (``ooxml.boxes_part``)."""
from __future__ import annotations

from typing import Callable, Iterable

from .changes import Conflict
from .model import Placed
from .notes_write import write_notes
from .ooxml.annotations import TEXT_BOX_STORY
from .ooxml.boxes_part import read_boxes, write_box_edits
from .ooxml.comments_part import NewComment
from .ooxml.objects import ObjectWriter
from .ooxml.package import Package


def write_boxes(pkg: Package, notes: Iterable[tuple[str, list[Placed]]], rid: Callable[[], int],
                first_comment: int, mode: str = "group", authors: dict | None = None,
                conflicts: Iterable[Conflict] = (),
                objects: ObjectWriter | None = None) -> list[list[NewComment]]:
    """Write the text-box annotations among ``notes`` (each return's, as ``write_notes``
    takes them) into ``pkg``'s text boxes; comments get ids from ``first_comment`` on.
    Returns the comments to add, a return's at a time; ``objects`` is the body's picture
    writer, as ``write_notes`` takes it."""
    return write_notes(pkg, notes, rid, first_comment, mode, authors, conflicts,
                       stories=(TEXT_BOX_STORY,), texts=box_texts, apply=write_box_edits,
                       objects=objects)


def box_texts(pkg: Package) -> dict[tuple[str, int], list[str]]:
    return {(TEXT_BOX_STORY, b.ordinal): b.paragraphs for b in read_boxes(pkg)}


__all__ = ["write_boxes"]
