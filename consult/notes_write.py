"""The groups' note annotations written into the collated document's footnotes and endnotes:
agreements merged, conflicts noted, comments on the words they cover (as in the body)."""
from __future__ import annotations

from typing import Callable, Iterable

from .anchors import Inserted, takes, within
from .changes import Conflict, Credit, author_label
from .model import Comment, Placed
from .notes import NOTE_STORIES
from .notes_new import is_whole_note
from .notes_changes import NoteChange, conflict_lines, note_changes, note_key
from .ooxml.comments_part import NewComment
from .ooxml.notes_part import NoteEdit, read_notes, story_part, top_id, write_note_edits
from .ooxml.objects import ObjectWriter
from .ooxml.package import Package
from .ooxml.props import describe

CONSULT = "consult"         # the author of consult's own comments (response.CONSULT_AUTHOR)


def write_notes(pkg: Package, notes: Iterable[tuple[str, list[Placed]]], rid: Callable[[], int],
                first_comment: int, mode: str = "group", authors: dict | None = None,
                conflicts: Iterable[Conflict] = (), stories: tuple = NOTE_STORIES,
                texts: Callable | None = None, apply: Callable | None = None,
                objects: ObjectWriter | None = None) -> list[list[NewComment]]:
    """Write every return's note annotations into ``pkg``'s notes: changes as tracked changes
    (the same change by several groups once, credited to them all), comments with ids from
    ``first_comment`` on, on the words they cover in the return (inside or beside their
    group's insertions, as ``anchors`` tells), and a comment over each of ``conflicts`` (the
    note conflicts ``note_conflicts`` found); an inserted picture's parts go in through
    ``objects`` (the body's, so that drawing ids stay unique). Returns the comments to add, a
    return's at a time. Only annotations in ``stories`` are written; ``texts(pkg)`` gives their
    paragraphs' texts by (story, ordinal) and ``apply(pkg, story, edits, rid)`` writes the edits
    (the notes' by default; ``boxes_write`` gives the text boxes')."""
    notes = [(group, [p for p in placed if note_key(p)[0] in stories
                      and not is_whole_note(p.item)]) for group, placed in notes]
    conflicts = [c for c in conflicts if c.note.rsplit(":", 1)[0] in stories]
    texts, apply = texts or _texts, apply or write_note_edits
    if not any(placed for _, placed in notes):
        return []
    changes, _ = note_changes(notes)
    edits: dict[tuple[str, int], list[NoteEdit]] = {}
    objects = objects or ObjectWriter(pkg, pkg.xml(pkg.main))
    for key, change in changes.items():
        if change.kind == "object-insert":
            change.props = objects.adopt(change.props, story_part(pkg, key[0]))
    inserts, clashes = _plan_changes(changes, edits, mode,
                                     authors if authors is not None else {})
    inserted: dict[tuple[str, int], Inserted] = {}
    for key, edit in inserts:
        groups = {c.group for c in edit.credits}
        inserted.setdefault(key, {}).setdefault((edit.para, edit.start), []).append(
            (groups, edit.text))
    batches = _group_comments(notes, edits, inserted, texts(pkg), first_comment, mode)
    cid = first_comment + sum(len(batch) for batch in batches)
    dates = sorted(c.date for ch in changes.values() for c in ch.credits if c.date)
    batch = _consult_comments(clashes, conflicts, edits, cid, mode, dates[-1] if dates else None)
    if batch:
        batches.append(batch)
    by_story: dict[str, dict[int, list[NoteEdit]]] = {}
    for (story, ordinal), items in edits.items():
        by_story.setdefault(story, {})[ordinal] = items
    for story, items in by_story.items():
        apply(pkg, story, items, rid)
    return batches


def _group_comments(notes: list[tuple[str, list[Placed]]], edits: dict, inserted: dict,
                    texts: dict, cid: int, mode: str) -> list[list[NewComment]]:
    """Each return's comments in its notes (ids from ``cid`` on), their marks filed in
    ``edits``; a reply under the comment written before it."""
    batches = []
    for group, placed in notes:
        ids: dict[str, str] = {}
        batch = []
        for p in placed:
            item = p.item
            if not isinstance(item, Comment):
                continue
            mine = str(cid)
            cid += 1
            # the draft's own comment (a key) is found by the comments' writer
            parent = item.parent if isinstance(item.parent, tuple) else ids.get(
                item.parent) if item.parent and item.parent != item.id else None
            ids.setdefault(item.id, mine)
            credit = Credit(group, item.author, item.date, True)
            batch.append(NewComment(mine, author_label([credit], mode),
                                    (item.initials or "") if mode == "person" else
                                    _initials(group), item.date, item.text, parent,
                                    item.resolved))
            key = note_key(p)
            _mark(edits.setdefault(key, []), group, p, mine, inserted.get(key, {}),
                  texts.get(key, []))
        if batch:
            batches.append(batch)
    return batches


def _consult_comments(clashes: list, conflicts: Iterable[Conflict], edits: dict, cid: int,
                      mode: str, latest: str | None) -> list[NewComment]:
    """Comments for formatting that another group's formatting of the same text keeps from
    being a tracked change, then one over each conflict (by consult, dated ``latest``)."""
    batch = []
    for key, change, other in clashes:
        mine = str(cid)
        cid += 1
        batch.append(NewComment(mine, author_label(change.credits, mode), "",
                                _first_date(change.credits),
                                f"{author_label(change.credits)} changed the formatting of "
                                f"this text ({describe(change.props) or 'not recorded'}); "
                                f"{other}'s formatting of it is the tracked change shown: "
                                f"{change.text}"))
        edits[key].append(NoteEdit("start", change.para, change.start, cid=mine, rank=1))
        edits[key].append(NoteEdit("end", change.para, change.end, cid=mine, rank=3))
    for c in conflicts:
        mine = str(cid)
        cid += 1
        batch.append(NewComment(mine, CONSULT, "C", latest, "\n".join(conflict_lines(c))))
        story, ordinal = c.note.rsplit(":", 1)
        para, a, b = c.in_note
        into = edits.setdefault((story, int(ordinal)), [])
        into.append(NoteEdit("start", para, a, cid=mine, rank=0))
        into.append(NoteEdit("end", para, b, cid=mine, rank=5))
    return batch


def _texts(pkg: Package) -> dict[tuple[str, int], list[str]]:
    return {(story, n.ordinal): n.paragraphs for story in NOTE_STORIES
            for n in read_notes(pkg, story)}


def _mark(edits: list[NoteEdit], group: str, p: Placed, cid: str, inserted: Inserted,
          texts: list[str]) -> None:
    """The comment's marks: inside its group's insertion, or at its edges before or after the
    insertions there."""
    pl = p.place
    inside = within(group, p, inserted)
    if inside:
        text, a, b = inside
        _inside(edits, pl.paragraph, pl.start, text, [(a, 0, f"commentRangeStart:{cid}"),
                                                      (b, 1, f"commentRangeEnd:{cid}")])
        edits.append(NoteEdit("ref", pl.paragraph, pl.start, cid=cid, rank=4))
        return
    start, end = takes(group, p, inserted, texts)
    if (pl.paragraph, pl.start) == (pl.end_paragraph, pl.end) and not start and not end:
        edits.append(NoteEdit("point", pl.paragraph, pl.start, cid=cid, rank=1))
        return
    if isinstance(start, tuple):
        _inside(edits, pl.paragraph, pl.start, start[0], [(start[1], 0,
                                                           f"commentRangeStart:{cid}")])
    else:
        edits.append(NoteEdit("start", pl.paragraph, pl.start, cid=cid, rank=1 if start else 4))
    if isinstance(end, tuple):
        _inside(edits, pl.end_paragraph, pl.end, end[0], [(end[1], 1, f"commentRangeEnd:{cid}")])
        edits.append(NoteEdit("ref", pl.end_paragraph, pl.end, cid=cid, rank=3))
    else:
        edits.append(NoteEdit("end", pl.end_paragraph, pl.end, cid=cid, rank=3 if end else 0))


def _inside(edits: list[NoteEdit], para: int, offset: int, text: str, marks: list) -> None:
    """Add ``marks`` to the insertion of ``text`` at (para, offset)."""
    for e in edits:
        if e.kind == "insert" and (e.para, e.start, e.text) == (para, offset, text):
            e.marks.extend(marks)
            return


def _plan_changes(changes: dict[tuple, NoteChange], edits: dict, mode: str,
                  authors: dict) -> tuple[list[tuple[tuple, NoteChange]], list[tuple]]:
    """Insertions as they are; deletions cut where they overlap, each piece credited to every
    group deleting it (as the body's writer does); paragraph marks deleted; formatting, but
    where another group's formatting of the same text is written already (one w:rPrChange a
    run) the change is returned to be said in a comment instead. Returns the insertions by
    note and those formatting changes (note, change, the other's label)."""
    deletes: dict[tuple, list[NoteChange]] = {}
    inserts, clashes = [], []
    formatted: dict[tuple, list[tuple[NoteChange, str]]] = {}
    for key, change in changes.items():
        label = author_label(change.credits, mode)
        if change.kind == "delete":
            deletes.setdefault(key[:2] + (change.para,), []).append(change)
            continue
        if "format" in change.kind:       # one w:rPrChange a run, one w:pPrChange a paragraph
            shown = formatted.setdefault(key[:2] + (change.para, change.kind), [])
            other = next((lab for ch, lab in shown if change.kind == "paragraph-format" or (
                ch.start < change.end and change.start < ch.end)), None)
            if other is not None:
                clashes.append((key[:2], change, other))
                continue
            shown.append((change, label))
        authors[label] = None
        edits.setdefault(key[:2], []).append(NoteEdit(
            change.kind, change.para, change.start, change.end, change.text, label,
            _first_date(change.credits), rank=2, props=change.props))
        if change.kind == "insert":
            inserts.append((key[:2], change))
    for key, spans in deletes.items():
        for x, y, credits in _pieces(spans):
            label = author_label(credits, mode)
            authors[label] = None
            edits.setdefault(key[:2], []).append(NoteEdit("delete", key[2], x, y, "", label,
                                                          _first_date(credits)))
    return inserts, clashes


def _pieces(spans: list[NoteChange]) -> list[tuple[int, int, list[Credit]]]:
    """Overlapping deletions cut at every edge, each piece credited to each group deleting it."""
    bounds = sorted({x for s in spans for x in (s.start, s.end)})
    pieces: list[tuple[int, int, list[Credit]]] = []
    for x, y in zip(bounds, bounds[1:]):
        credits: list[Credit] = []
        for s in spans:
            if s.start <= x and s.end >= y:
                credits += [c for c in s.credits if c.group not in [d.group for d in credits]]
        if not credits:
            continue
        if pieces and pieces[-1][1] == x and \
                [c.group for c in pieces[-1][2]] == [c.group for c in credits]:
            pieces[-1] = (pieces[-1][0], y, pieces[-1][2])
        else:
            pieces.append((x, y, credits))
    return pieces


def _first_date(credits: list[Credit]) -> str | None:
    dates = sorted(c.date for c in credits if c.date)
    return dates[0] if dates else None


def _initials(name: str) -> str:
    parts = [w for w in name.replace("&", " ").split() if w]
    return "".join(w[0] for w in parts)[:8].upper()


def note_ids_above(pkg: Package) -> int:
    """The first revision id above every id in the package's notes."""
    return top_id(pkg) + 1


__all__ = ["write_notes", "note_ids_above"]
