"""The groups' note annotations written into the collated document's footnotes and endnotes:
agreements merged, conflicts noted, comments on the words they cover (as in the body)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from .anchors import Inserted, takes, within
from .changes import Credit, author_label
from .model import Comment, Placed, Revision
from .notes import NOTE_STORIES, SINGULAR
from .ooxml.comments_part import NewComment
from .ooxml.notes_part import NoteEdit, read_notes, top_id, write_note_edits
from .ooxml.package import Package

CONSULT = "consult"         # the author of consult's own comments (response.CONSULT_AUTHOR)


@dataclass
class _Change:
    kind: str
    para: int
    start: int
    end: int
    text: str
    credits: list[Credit] = field(default_factory=list)


def write_notes(pkg: Package, notes: Iterable[tuple[str, list[Placed]]], rid: Callable[[], int],
                first_comment: int, mode: str = "group",
                authors: dict | None = None) -> list[list[NewComment]]:
    """Write every return's note annotations into ``pkg``'s notes: changes as tracked changes
    (the same change by several groups once, credited to them all), comments with ids from
    ``first_comment`` on, on the words they cover in the return (inside or beside their
    group's insertions, as ``anchors`` tells). Returns the comments to add, a return's at a
    time."""
    notes = [(group, list(placed)) for group, placed in notes]
    if not any(placed for _, placed in notes):
        return []
    changes: dict[tuple, _Change] = {}
    for group, placed in notes:
        for p in placed:
            item = p.item
            if isinstance(item, Revision):
                credit = Credit(group, item.author, item.date, item.tracked)
                ck = _key(p) + (item.kind, p.place.paragraph, p.place.start, p.place.end,
                                item.text if item.kind == "insert" else "")
                change = changes.setdefault(ck, _Change(item.kind, p.place.paragraph,
                                                        p.place.start, p.place.end, item.text))
                if credit.group not in [c.group for c in change.credits]:
                    change.credits.append(credit)
    edits: dict[tuple[str, int], list[NoteEdit]] = {}
    authors = authors if authors is not None else {}
    inserts = _plan_changes(changes, edits, mode, authors)
    inserted: dict[tuple[str, int], Inserted] = {}
    for key, edit in inserts:
        groups = {c.group for c in edit.credits}
        inserted.setdefault(key, {}).setdefault((edit.para, edit.start), []).append(
            (groups, edit.text))
    texts = _texts(pkg)
    batches: list[list[NewComment]] = []
    cid = first_comment
    for group, placed in notes:
        ids: dict[str, str] = {}
        batch = []
        for p in placed:
            item = p.item
            if not isinstance(item, Comment):
                continue
            mine = str(cid)
            cid += 1
            parent = ids.get(item.parent) if item.parent and item.parent != item.id else None
            ids.setdefault(item.id, mine)
            credit = Credit(group, item.author, item.date, True)
            batch.append(NewComment(mine, author_label([credit], mode),
                                    (item.initials or "") if mode == "person" else
                                    _initials(group), item.date, item.text, parent,
                                    item.resolved))
            key = _key(p)
            _mark(edits.setdefault(key, []), group, p, mine, inserted.get(key, {}),
                  texts.get(key, []))
        if batch:
            batches.append(batch)
    conflicts = []
    for key, para, a, b, lines in _conflicts(changes, texts):
        mine = str(cid)
        cid += 1
        dates = sorted(c.date for ch in changes.values() for c in ch.credits if c.date)
        conflicts.append(NewComment(mine, CONSULT, "C", dates[-1] if dates else None,
                                    "\n".join(lines)))
        edits.setdefault(key, []).append(NoteEdit("start", para, a, cid=mine, rank=0))
        edits.setdefault(key, []).append(NoteEdit("end", para, b, cid=mine, rank=5))
    if conflicts:
        batches.append(conflicts)
    by_story: dict[str, dict[int, list[NoteEdit]]] = {}
    for (story, ordinal), items in edits.items():
        by_story.setdefault(story, {})[ordinal] = items
    for story, items in by_story.items():
        write_note_edits(pkg, story, items, rid)
    return batches


def _conflicts(changes: dict[tuple, _Change], texts: dict) -> list[tuple]:
    """Where groups propose different changes to overlapping text of a note paragraph (a
    change credited to several groups is one proposal): (note, paragraph, start, end, the
    comment's lines), each cluster of overlapping changes once."""
    by_para: dict[tuple, list[_Change]] = {}
    for key, ch in changes.items():
        by_para.setdefault(key[:2] + (ch.para,), []).append(ch)
    out = []
    for (story, ordinal, para), items in sorted(by_para.items()):
        items.sort(key=lambda c: (c.start, c.end))
        clusters: list[list[_Change]] = []
        for ch in items:
            if clusters and _touch(clusters[-1], ch):
                clusters[-1].append(ch)
            else:
                clusters.append([ch])
        text = texts.get((story, ordinal), [""] * (para + 1))[para]
        for cluster in clusters:
            groups = {c.group for ch in cluster for c in ch.credits}
            if len(cluster) < 2 or len(groups) < 2:
                continue
            a, b = min(c.start for c in cluster), max(c.end for c in cluster)
            lines = [f"Conflict in a {SINGULAR[story]}: groups propose different changes to "
                     "this text.", f"Draft: \u201c{text[a:b]}\u201d"]
            for g in sorted(groups):
                mine = [c for c in cluster if g in {x.group for x in c.credits}]
                version = _apply(text, a, b, mine)
                lines.append(f"{g}: \u201c{version}\u201d" if version else f"{g}: (deletes it)")
            out.append(((story, ordinal), para, a, b, lines))
    return out


def _touch(cluster: list[_Change], ch: _Change) -> bool:
    """Whether ``ch`` overlaps a change of the cluster: deletions sharing text, an insertion
    inside (or at the same place as another insertion beside) a deletion."""
    for other in cluster:
        if ch.kind == other.kind == "insert":
            if ch.start == other.start:
                return True
        elif ch.start < other.end and other.start < ch.end:
            return True
        elif "insert" in (ch.kind, other.kind):
            ins, dele = (ch, other) if ch.kind == "insert" else (other, ch)
            if dele.start < ins.start < dele.end:
                return True
    return False


def _apply(text: str, a: int, b: int, mine: list[_Change]) -> str:
    """Draft text [a, b) with one group's changes made."""
    out = []
    gone = [(c.start, c.end) for c in mine if c.kind == "delete"]
    for k in range(a, b + 1):
        for c in mine:
            if c.kind == "insert" and c.start == k:
                out.append(c.text)
        if k < b and not any(x <= k < y for x, y in gone):
            out.append(text[k])
    return "".join(out).strip()


def _key(p: Placed) -> tuple[str, int]:
    story, ordinal = p.place.section.rsplit(":", 1)
    return story, int(ordinal)


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


def _plan_changes(changes: dict[tuple, _Change], edits: dict, mode: str,
                  authors: dict) -> list[tuple[tuple, _Change]]:
    """Insertions as they are; deletions cut where they overlap, each piece credited to every
    group deleting it (as the body's writer does). Returns the insertions by note."""
    deletes: dict[tuple, list[_Change]] = {}
    inserts = []
    for key, change in changes.items():
        if change.kind == "insert":
            label = author_label(change.credits, mode)
            authors[label] = None
            edits.setdefault(key[:2], []).append(NoteEdit(
                "insert", change.para, change.start, change.start, change.text, label,
                _first_date(change.credits), rank=2))
            inserts.append((key[:2], change))
        else:
            deletes.setdefault(key[:2] + (change.para,), []).append(change)
    for key, spans in deletes.items():
        bounds = sorted({x for s in spans for x in (s.start, s.end)})
        pieces: list[tuple[int, int, list[Credit]]] = []
        for x, y in zip(bounds, bounds[1:]):
            credits: list[Credit] = []
            for s in spans:
                if s.start <= x and s.end >= y:
                    credits += [c for c in s.credits if c.group not in
                                [d.group for d in credits]]
            if not credits:
                continue
            if pieces and pieces[-1][1] == x and \
                    [c.group for c in pieces[-1][2]] == [c.group for c in credits]:
                pieces[-1] = (pieces[-1][0], y, pieces[-1][2])
            else:
                pieces.append((x, y, credits))
        for x, y, credits in pieces:
            label = author_label(credits, mode)
            authors[label] = None
            edits.setdefault(key[:2], []).append(NoteEdit("delete", key[2], x, y, "", label,
                                                          _first_date(credits)))
    return inserts


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
