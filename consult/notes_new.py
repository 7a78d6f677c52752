"""Whole footnotes and endnotes a return adds or deletes (with Track Changes off, or a note
added with it on), placed as one change each: a deleted note on the draft's note, an added
one at its reference's place in the draft's body, and written as tracked changes
(``ooxml.notes_add``): the reference and the note's runs deleted or inserted together."""
from __future__ import annotations

import re
from typing import Callable, Iterable

from lxml import etree

from .changes import Conflict, Credit, author_label
from .model import Draft, Place, Placed, Revision, Unplaced
from .notes import NOTE_STORIES, _note_at, draft_notes
from .ooxml.build import el
from .ooxml.edit import ParagraphEditor, new_attrs
from .ooxml.comments_part import NewComment
from .ooxml.notes_add import (add_note, comment_around, delete_note, note_element, portable,
                              reference_run)
from .ooxml.notes_part import REFERENCE, read_notes, reference_context, story_part
from .ooxml.package import Package

KINDS = ("note-insert", "note-delete")
_UNTRACKED = re.compile(r"untracked:(footnotes|endnotes):(new|gone)(\d+)$")
_TRACKED_NEW = "the draft does not have, added with Track Changes"
CONSULT = "consult"         # the author of consult's own comments (response.CONSULT_AUTHOR)


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
            got = _new(pkg, story, note, item, locate, added, draft.own_keys) \
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
        got = _new(pkg, story, note, item, locate, added, draft.own_keys) \
            if story in parts else None
        if got:
            placed.append(got)
        else:
            left += us
    return placed, left


def _new(pkg: Package, story: str, note, item: Revision, locate: Callable,
         added: dict, own: set) -> Placed | None:
    """The return's new note as a note-insert at its reference's place in the draft (found
    in the return's base text, as ``locate`` takes it)."""
    where = reference_context(pkg, story, set(own)).get(note.id)
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


def new_note_conflicts(draft: Draft, notes: Iterable[tuple[str, list[Placed]]],
                       first: int) -> list[Conflict]:
    """Where two or more groups add notes at one place of the body (a draft paragraph and
    offset) and not the same ones, a conflict there, numbered C<first> on in draft order:
    each group's version the text of the notes it adds there."""
    at: dict[tuple[int, int], dict[str, list[tuple[str, str]]]] = {}
    for group, placed in notes:
        for p in placed:
            if isinstance(p.item, Revision) and p.item.kind == "note-insert":
                mine = at.setdefault((p.place.paragraph, p.place.start), {}).setdefault(
                    group, [])
                mine.append((p.item.story, " ".join(p.item.text.split())))
    out = []
    for (para, offset), by_group in sorted(at.items()):
        if len(by_group) < 2 or len({tuple(sorted(v)) for v in by_group.values()}) < 2:
            continue
        stories = {story for v in by_group.values() for story, _ in v}
        section = draft.section_of(para)
        out.append(Conflict(f"C{first + len(out)}", section.id if section else "", para,
                            offset, para, offset, "",
                            tuple((g, " | ".join(t for _, t in v)) for g, v in by_group.items()),
                            new_note=stories.pop() if len(stories) == 1 else "notes"))
    return out


def new_note_lines(c: Conflict) -> list[str]:
    """The conflict comment's text over the references of different new notes."""
    return ([f"Conflict {c.id}: groups add different {c.new_note} here.",
             f"The draft has no {c.new_note[:-1]} here."]
            + [f"{g}: \u201c{t}\u201d" for g, t in c.versions])


class NoteWriter:
    """Writes the whole-note changes of every return: ``deletions`` before the notes' other
    changes are written (the draft's notes keep their numbers), ``additions`` after, with a
    comment by consult over the references of each of ``conflicts`` (``new_note_conflicts``)."""

    def __init__(self, pkg: Package, root, paras: list, own_below: int,
                 notes: Iterable[tuple[str, list[Placed]]], rid: Callable[[], int],
                 authors: dict, mode: str, conflicts: Iterable[Conflict] = ()) -> None:
        self.pkg, self.root, self.paras, self.own_below = pkg, root, paras, own_below
        self.rid, self.authors, self.mode = rid, authors, mode
        self.conflicts = {(c.para, c.start): c for c in conflicts if c.new_note}
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

    def additions(self, first_comment: int) -> list[list[NewComment]]:
        """Add the new notes and their references; returns the conflict comments (ids from
        ``first_comment`` on), whose marks are around the references."""
        by_place = sorted(self.new.items(), key=lambda kv: (kv[0][1], -kv[0][2]))
        refs: dict[tuple[int, int], list] = {}
        dates: dict[tuple[int, int], list[str]] = {}
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
            at = min(offset, len(ed.text))
            ed.cut({at})
            ed.insert(at, [ins])
            refs.setdefault((para, offset), []).append(ins)
            dates.setdefault((para, offset), []).extend(c.date for c in credits if c.date)
        batch = []
        for place, c in sorted(self.conflicts.items(), key=lambda kv: int(kv[1].id[1:])):
            if len(refs.get(place, ())) < 2:
                continue
            cid = str(first_comment + len(batch))
            comment_around(refs[place], cid)
            latest = max(dates[place], default=None)
            batch.append(NewComment(cid, CONSULT, "C", latest, "\n".join(new_note_lines(c))))
        return [batch] if batch else []


__all__ = ["place_new_notes", "NoteWriter", "is_whole_note", "KINDS", "new_note_conflicts",
           "new_note_lines"]
