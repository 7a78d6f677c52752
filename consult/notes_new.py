"""Whole footnotes and endnotes a return adds or deletes (with Track Changes off, or a note
added with it on), placed as one change each: a deleted note on the draft's note, an added
one at its reference's place in the draft's body, and written as tracked changes
(``ooxml.notes_add``): the reference and the note's runs deleted or inserted together."""
from __future__ import annotations

import re
from typing import Callable, Iterable

from lxml import etree

from .changes import Credit, author_label
from .model import Draft, Place, Placed, Revision, Unplaced
from .notes import NOTE_STORIES, _note_at, draft_notes
from .ooxml.build import el
from .ooxml.edit import ParagraphEditor, new_attrs
from .ooxml.notes_add import add_note, delete_note, note_element, portable, reference_run
from .ooxml.notes_part import REFERENCE, read_notes, reference_context, story_part
from .ooxml.package import Package

KINDS = ("note-insert", "note-delete")
_UNTRACKED = re.compile(r"untracked:(footnotes|endnotes):(new|gone)(\d+)$")
_TRACKED_NEW = "the draft does not have, added with Track Changes"


def is_whole_note(item) -> bool:
    return isinstance(item, Revision) and item.kind in KINDS


def place_new_notes(draft: Draft, pkg: Package, unplaced: list[Unplaced], locate: Callable
                    ) -> tuple[list[Placed], list[Unplaced]]:
    """The notes among ``unplaced`` that the return adds or deletes whole, placed (kinds
    note-insert, note-delete); what has no place stays as it was. ``locate`` maps a return
    paragraph and offset to the draft's."""
    if not any(u.item.story in NOTE_STORIES for u in unplaced):
        return [], unplaced
    mine, _ = draft_notes(draft)
    theirs = {story: read_notes(pkg, story, draft.own_keys) for story in NOTE_STORIES}
    mine_pkg = Package.open(draft.path)
    parts = {story for story in NOTE_STORIES if story_part(mine_pkg, story) is not None}
    placed, left = [], []
    tracked: dict[tuple[str, str], list[Unplaced]] = {}
    added = {story: len(mine[story]) for story in NOTE_STORIES}
    for u in unplaced:
        item = u.item
        m = _UNTRACKED.match(item.id) if isinstance(item, Revision) else None
        if m and m.group(2) == "gone":
            story, ordinal = m.group(1), int(m.group(3))
            note = next((n for n in mine[story] if n.ordinal == ordinal), None)
            if note is None:
                left.append(u)
                continue
            last = len(note.paragraphs) - 1
            placed.append(Placed(Revision(item.id, "note-delete", item.author, item.date,
                                          item.text, None, None, False, story),
                                 Place(f"{story}:{ordinal}", 0, 0,
                                       len(note.paragraphs[last]), last)))
            continue
        if m:
            story = m.group(1)
            note = next((n for n in theirs[story] if n.ordinal == int(m.group(3))), None)
            got = _new(pkg, story, note, item, locate, added) \
                if note and story in parts else None        # no part to add it to: unplaced
            (placed.append(got) if got else left.append(u))
            continue
        if isinstance(item, Revision) and item.story in NOTE_STORIES and \
                _TRACKED_NEW in u.reason and item.start is not None:
            note = _note_at(theirs[item.story], item.start.para)
            if note is not None:
                tracked.setdefault((item.story, note.id), []).append(u)
                continue
        left.append(u)
    for (story, note_id), us in tracked.items():
        note = next(n for n in theirs[story] if n.id == note_id)
        first = us[0].item
        item = Revision(f"tracked:{story}:new{note.ordinal}", "insert", first.author,
                        first.date, "".join(u.item.text for u in us), None, None, True,
                        story)
        got = _new(pkg, story, note, item, locate, added) if story in parts else None
        if got:
            placed.append(got)
        else:
            left += us
    return placed, left


def _new(pkg: Package, story: str, note, item: Revision, locate: Callable,
         added: dict) -> Placed | None:
    """The return's new note as a note-insert at its reference's place in the draft."""
    where = reference_context(pkg, story).get(note.id)
    element = note_element(pkg, story, note.id)
    if where is None or element is None:
        return None
    xml = etree.tostring(element, encoding="unicode")
    if not portable(xml):
        return None
    at = locate(where[0], len(where[1]))
    if at is None:
        return None
    section = f"{story}:{added[story]}"
    added[story] += 1
    return Placed(Revision(item.id, "note-insert", item.author, item.date, item.text, None,
                           None, item.tracked, story, props=xml),
                  Place(section, at[0], at[1], at[1], at[0]))


class NoteWriter:
    """Writes the whole-note changes of every return: ``deletions`` before the notes' other
    changes are written (the draft's notes keep their numbers), ``additions`` after."""

    def __init__(self, pkg: Package, root, paras: list, own_below: int,
                 notes: Iterable[tuple[str, list[Placed]]], rid: Callable[[], int],
                 authors: dict, mode: str) -> None:
        self.pkg, self.root, self.paras, self.own_below = pkg, root, paras, own_below
        self.rid, self.authors, self.mode = rid, authors, mode
        self.gone: dict[tuple[str, int], list[Credit]] = {}
        self.new: dict[tuple, tuple[Placed, list[Credit]]] = {}
        for group, placed in notes:
            for p in placed:
                if not is_whole_note(p.item):
                    continue
                credit = Credit(group, p.item.author, p.item.date, p.item.tracked)
                if p.item.kind == "note-delete":
                    story, n = p.place.section.rsplit(":", 1)
                    self._credit(self.gone.setdefault((story, int(n)), []), credit)
                else:
                    key = (p.item.story, p.place.paragraph, p.place.start, p.item.text)
                    self._credit(self.new.setdefault(key, (p, []))[1], credit)

    @staticmethod
    def _credit(credits: list[Credit], credit: Credit) -> None:
        if credit.group not in [c.group for c in credits]:
            credits.append(credit)

    def _attrs(self, credits: list[Credit]) -> Callable[[], dict]:
        label = author_label(credits, self.mode)
        self.authors[label] = None
        dates = sorted(c.date for c in credits if c.date)
        return lambda: new_attrs(self.rid(), label, dates[0] if dates else None)

    def deletions(self) -> None:
        notes = {story: {n.ordinal: n for n in read_notes(self.pkg, story)}
                 for story in {s for s, _ in self.gone}}
        for (story, ordinal), credits in sorted(self.gone.items()):
            note = notes[story].get(ordinal)
            if note is not None:
                delete_note(self.pkg, self.root, story, note.id, self._attrs(credits))

    def additions(self) -> None:
        by_place = sorted(self.new.items(), key=lambda kv: (kv[0][1], -kv[0][2]))
        for (story, para, offset, _), (p, credits) in by_place:
            if para >= len(self.paras) or self.paras[para] is None:
                continue
            attrs = self._attrs(credits)
            new_id = add_note(self.pkg, story, p.item.props, attrs)
            if new_id is None:
                continue
            model = next((r.getparent() for r in self.root.iter(REFERENCE[story])), None)
            ins = el("w:ins", attrs(), reference_run(story, new_id, model))
            ed = ParagraphEditor(self.paras[para], self.own_below)
            offset = min(offset, len(ed.text))
            ed.cut({offset})
            ed.insert(offset, [ins])


__all__ = ["place_new_notes", "NoteWriter", "is_whole_note", "KINDS"]
