"""Where an annotation placed beside the body text is: in a footnote or endnote (``notes``,
section "footnotes:N") or in a text box (``boxes``, section "text box:N"). The reports, the
summary and the conflicts ask here, so that each says "text box 1" or "footnote 2"."""
from __future__ import annotations

from .boxes import box_of, draft_boxes
from .model import Draft, Place
from .notes import NOTE_STORIES, draft_notes, note_name, note_paragraph, note_section
from .notes import reference_of as note_reference
from .ooxml.annotations import TEXT_BOX_STORY


def is_box(section: str) -> bool:
    return section.rsplit(":", 1)[0] == TEXT_BOX_STORY


def aside_name(section: str) -> str:
    """"text box 1" for "text box:0", "footnote 2" for "footnotes:1"."""
    if is_box(section):
        return f"text box {int(section.rsplit(':', 1)[1]) + 1}"
    return note_name(section)


def reference_of(draft: Draft, section: str) -> int | None:
    """The draft paragraph a note's reference, or a text box, is in (None: not in the body)."""
    if is_box(section):
        box = box_of(draft, section)
        return box.anchor if box is not None and box.anchor >= 0 else None
    return note_reference(draft, section)


def aside_section(draft: Draft, section: str) -> str:
    """The id of the draft section holding that paragraph ("" if none)."""
    if is_box(section):
        ref = reference_of(draft, section)
        found = draft.section_of(ref) if ref is not None else None
        return found.id if found else ""
    return note_section(draft, section)


def aside_paragraph(draft: Draft, place: Place) -> str:
    """The text of the draft's note or box paragraph that ``place`` is in."""
    if is_box(place.section):
        box = box_of(draft, place.section)
        return box.paragraphs[place.paragraph] if box is not None and \
            place.paragraph < len(box.paragraphs) else ""
    return note_paragraph(draft, place)


def aside_texts(draft: Draft) -> dict[tuple[str, int], list[str]]:
    """(story, ordinal) -> the paragraphs of each of the draft's notes and text boxes."""
    mine, _ = draft_notes(draft)
    out = {(story, n.ordinal): n.paragraphs for story in NOTE_STORIES for n in mine[story]}
    base, _, _ = draft_boxes(draft)
    out.update({(TEXT_BOX_STORY, b.ordinal): b.paragraphs for b in base})
    return out


__all__ = ["is_box", "aside_name", "reference_of", "aside_section", "aside_paragraph",
           "aside_texts"]
