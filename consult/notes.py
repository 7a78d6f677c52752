"""Comments and tracked changes made in a return's footnotes and endnotes, placed on the draft's
matching notes (``notes_write`` writes them into the collated document)."""
from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from .model import Comment, Draft, Place, Placed, Pos, Revision, Unplaced
from .ooxml.annotations import read_file_annotations
from .ooxml.notes_part import Note, read_notes, reference_paragraphs, story_part
from .ooxml.objects import carry
from .ooxml.package import Package

NOTE_STORIES = ("footnotes", "endnotes")
SINGULAR = {"footnotes": "footnote", "endnotes": "endnote", "text box": "text box"}
A_NOTE = {"footnotes": "a footnote", "endnotes": "an endnote", "text box": "a text box"}      # what reasons say
CHANGE_NAMES = {"object-insert": "an image or shape inserted with Track Changes",
                "object-delete": "an image or shape deleted with Track Changes",
                "row-insert": "a table row inserted with Track Changes",
                "row-delete": "a table row deleted with Track Changes"}
WRITTEN = ("insert", "delete", "move-from", "move-to", "format", "paragraph-format",
           "paragraph-insert", "paragraph-delete", "object-insert", "object-delete")    # in a note
MIN_SIMILAR = 0.8           # a changed note still matches its draft note at this ratio
_DRAFT: dict = {}           # (path, fingerprint) -> {story: [Note]}
_REFS: dict = {}            # (path, fingerprint) -> {"footnotes:N": draft paragraph}


def draft_notes(draft: Draft) -> tuple[dict[str, list[Note]], set[tuple]]:
    """The draft's notes, and what its own comments and changes in them are (``_own_key``),
    read once a draft."""
    key = (draft.path, draft.fingerprint)
    if key not in _DRAFT:
        pkg = Package.open(draft.path)
        _DRAFT.clear()
        notes = {story: read_notes(pkg, story) for story in NOTE_STORIES}
        found = read_file_annotations(pkg)
        own = set()
        for item in list(found.comments) + list(found.revisions):
            if item.story in NOTE_STORIES and item.start is not None:
                note = _note_at(notes[item.story], item.start.para)
                if note is not None:
                    own.add(_own_key(item, note.ordinal, item.start.para - note.first,
                                     item.start.offset))
        _DRAFT[key] = (notes, own)
    return _DRAFT[key]


def reference_of(draft: Draft, section: str) -> int | None:
    """The draft paragraph holding the reference of note ``section`` ("footnotes:N", as a
    note annotation's Place gives it), or None when the body has none."""
    key = (draft.path, draft.fingerprint)
    if key not in _REFS:
        mine, _ = draft_notes(draft)
        pkg = Package.open(draft.path)
        found = {}
        for story in NOTE_STORIES:
            refs = reference_paragraphs(pkg, story)
            for note in mine[story]:
                if refs.get(note.id, len(draft.paragraphs)) < len(draft.paragraphs):
                    found[f"{story}:{note.ordinal}"] = refs[note.id]
        _REFS.clear()
        _REFS[key] = found
    return _REFS[key].get(section)


def note_section(draft: Draft, section: str) -> str:
    """The id of the draft section holding the reference of note ``section`` ("" if none)."""
    ref = reference_of(draft, section)
    found = draft.section_of(ref) if ref is not None else None
    return found.id if found else ""


def note_name(section: str) -> str:
    """"footnote 2" for "footnotes:1" (notes numbered as the body refers to them)."""
    story, n = section.rsplit(":", 1)
    return f"{SINGULAR.get(story, story)} {int(n) + 1}"


def note_paragraph(draft: Draft, place: Place) -> str:
    """The text of the draft note's paragraph that a note annotation's Place is in."""
    story, n = place.section.rsplit(":", 1)
    mine, _ = draft_notes(draft)
    note = next((m for m in mine.get(story, []) if m.ordinal == int(n)), None)
    if note is None or place.paragraph >= len(note.paragraphs):
        return ""
    return note.paragraphs[place.paragraph]


def _own_key(item, ordinal: int, para: int, offset: int) -> tuple:
    """What makes a return's note annotation the draft's own: kind, author, text, place."""
    kind = item.kind if isinstance(item, Revision) else "comment"
    return (item.story, ordinal, para, offset, kind, item.author, item.text)


def _note_at(notes: list[Note], para: int) -> Note | None:
    return next((n for n in notes if n.first <= para < n.first + len(n.paragraphs)), None)


def place_in_notes(draft: Draft, pkg: Package,
                   unplaced: list[Unplaced]) -> tuple[list[Placed], list[Unplaced]]:
    """Place the annotations ``unplaced`` holds from the return's notes on the draft's notes;
    what cannot be placed stays unplaced, with the reason. The Place of a note annotation has
    section "footnotes:N" (N: the draft note's ordinal) and paragraphs within the note. The
    draft's own comments and changes in its notes, which every return holds too, are not the
    group's: they stay unplaced, saying so (the collated document keeps them under their
    authors)."""
    if not any(u.item.story in NOTE_STORIES for u in unplaced):
        return [], unplaced
    mine, own = draft_notes(draft)
    theirs = {story: read_notes(pkg, story, draft.own_keys) for story in NOTE_STORIES}
    placed, left = [], []
    matched: dict[tuple[str, int], Note | None] = {}
    for u in unplaced:
        if u.item.story not in NOTE_STORIES:
            left.append(u)
            continue
        where = _where(u.item, theirs[u.item.story], mine[u.item.story], matched)
        if isinstance(where, str):
            left.append(Unplaced(u.item, where))
        elif _own_key(u.item, int(where.section.rsplit(":", 1)[1]), where.paragraph,
                      where.start) in own:
            what = "comment" if isinstance(u.item, Comment) else "change"
            left.append(Unplaced(u.item, f"it is the draft's own {what} (by "
                                         f"{u.item.author or 'an unnamed author'}), kept in "
                                         f"the collated document's {SINGULAR[u.item.story]} "
                                         "under its author"))
        elif isinstance(u.item, Revision) and u.item.kind == "object-delete":
            placed.append(Placed(replace(u.item, props=""), where))   # the draft's is deleted
        elif isinstance(u.item, Revision) and u.item.kind == "object-insert":
            bundle, why = carry(pkg, u.item.props, story_part(pkg, u.item.story))
            if why:
                left.append(Unplaced(u.item, f"an image or shape inserted with Track Changes "
                                             f"({u.item.text}) in {A_NOTE[u.item.story]} "
                                             f"that consult cannot copy: {why}"))
            else:
                placed.append(Placed(replace(u.item, props=bundle), where))
        else:
            placed.append(Placed(u.item, where))
    return placed, left


def with_article(phrase: str) -> str:
    """"an endnote", "a footnote": ``phrase`` after the article it takes."""
    return ("an " if phrase[:1].lower() in "aeiou" else "a ") + phrase


def change_name(kind: str) -> str:
    """A kind of change as a reason names it: "an image or shape inserted with Track
    Changes", "a paragraph insert"."""
    return CHANGE_NAMES.get(kind) or with_article(kind.replace("-", " "))


def _where(item, notes: list[Note], mine: list[Note], matched: dict,
           match=None) -> Place | str:
    """Where in the draft's note (or text box: ``boxes``, whose ``match`` pairs them) a return's
    note annotation goes, or why it has no place."""
    story, a_story = SINGULAR[item.story], A_NOTE[item.story]
    if item.start is None:
        return "the comment is not anchored anywhere in the document"
    if isinstance(item, Revision) and item.kind not in WRITTEN:
        return (f"it is {change_name(item.kind)} in {a_story}; consult writes "
                f"insertions, deletions, moves (as a deletion and an insertion), formatting, "
                f"paragraph marks inserted or deleted, and comments in {a_story}")
    note = _note_at(notes, item.start.para)
    if note is None:
        return f"it is in {a_story} separator, not in {a_story}"
    key = (item.story, note.ordinal)
    if key not in matched:
        matched[key] = (match or _match)(note, mine)
    target = matched[key]
    if target is None:
        if not note.text.strip():       # all of it inserted: no words of the draft's there
            return (f"it is in a {story} the draft does not have, added with Track Changes; "
                    f"consult does not add {item.story} to the collated document: add it by "
                    "hand if it is accepted")
        return f"the {story} it is in does not match any {story} of the draft"
    end = item.end or item.start
    if not note.first <= end.para < note.first + len(note.paragraphs):
        return f"it runs out of its {story}"
    a = _map(note, target, item.start)
    b = _map(note, target, end)
    if a is None or b is None:
        return f"its text in the {story} does not match the draft's {story}"
    if b < a:
        b = a
    if isinstance(item, Revision) and item.kind in ("delete", "move-from", "format") \
            and a[0] != b[0]:
        verb = "formats" if item.kind == "format" else "deletes"
        return f"it {verb} across paragraphs of {a_story}"
    for para in range(a[0], b[0] + 1):
        if len(target.elements[para]) != 1:
            return f"the draft's {story} paragraph there is joined by a tracked change"
    return Place(f"{item.story}:{target.ordinal}", a[0], a[1], b[1], b[0])


def _match(note: Note, mine: list[Note]) -> Note | None:
    """The draft's note for a return's note: the one at its place when the text agrees, else
    the only one with its text, else the one at its place when nearly the same."""
    same_place = next((m for m in mine if m.ordinal == note.ordinal), None)
    if same_place is not None and _same(same_place.text, note.text) \
            and len(same_place.paragraphs) == len(note.paragraphs):
        return same_place
    same_text = [m for m in mine if _same(m.text, note.text)
                 and len(m.paragraphs) == len(note.paragraphs)]
    if len(same_text) == 1:
        return same_text[0]
    if same_place is not None and len(same_place.paragraphs) == len(note.paragraphs) and \
            SequenceMatcher(None, same_place.text, note.text).ratio() >= MIN_SIMILAR:
        return same_place
    return None


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _map(note: Note, target: Note, pos: Pos) -> tuple[int, int] | None:
    """A position in the return's note as (paragraph, offset) in the draft's note."""
    here = pos.para - note.first
    para = here if len(note.paragraphs) == len(target.paragraphs) else \
        _paragraph_map(note.paragraphs, target.paragraphs).get(here)
    if para is None:
        return None
    theirs, mine = note.paragraphs[here], target.paragraphs[para]
    if theirs == mine:
        return para, pos.offset
    sm = SequenceMatcher(None, theirs, mine, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if i1 <= pos.offset <= i2 and tag == "equal":
            return para, j1 + pos.offset - i1
        if i1 <= pos.offset < i2:
            return para, j1 if pos.offset == i1 else None
    return None if pos.offset else (para, 0)


def _paragraph_map(theirs: list[str], mine: list[str]) -> dict[int, int]:
    """The return's paragraph -> the draft's, when a paragraph was split, joined, added or
    removed without Track Changes (a text box's): paragraphs the same (white space aside),
    and those changed one for one between them; the others have no place."""
    out: dict[int, int] = {}
    sm = SequenceMatcher(None, [_squeezed(t) for t in theirs], [_squeezed(t) for t in mine],
                         autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out.update((i1 + k, j1 + k) for k in range(i2 - i1))
    return out


def _squeezed(text: str) -> str:
    return " ".join(text.split())


__all__ = ["place_in_notes", "draft_notes", "reference_of", "note_name", "note_paragraph",
           "note_section", "MIN_SIMILAR",
           "NOTE_STORIES", "SINGULAR"]
