"""Report rows: one per annotation of every return, in draft order, and the pieces the reports share."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .changes import DELETES, INSERTS
from .model import Annotation, Comment, Draft, Place, Placed, Revision
from .asides import aside_name, aside_paragraph, reference_of
from .notes_changes import note_conflict_ids
from .ooxml.package import write_atomic
from .store import Buckets

if TYPE_CHECKING:
    from .collate import Collation

COLUMNS = ("section", "paragraph", "group", "person", "kind", "tracked", "anchor", "text",
           "date", "conflict", "decision", "status")
CARET = "\u2038"
MORE = "\u2026"
CONTEXT_WORDS = 4
DRAFT_CHARS = 400           # draft paragraphs are shortened to this in the reports
DRAFT_PARAS = 6             # longer sections show only their heading and annotated paragraphs
FORMULA = ("=", "+", "-", "@", "\t", "\r")
REPORT_SUFFIXES = (".csv", ".html", ".htm", ".md")
CHUNK = 1 << 16             # reports are written this many characters at a time


@dataclass(frozen=True)
class _Entry:
    """One annotation of one return, placed or not, with its report row."""

    group: str
    path: str
    place: Place | None
    row: dict
    note: str = ""          # "footnotes:N" for an annotation in a note (place: its reference)


# -- rows ---------------------------------------------------------------------------------
def report_rows(col: "Collation") -> list[dict]:
    """One row per annotation of every return, in draft order; unplaced ones last."""
    with _Sorted(col) as entries:
        return [e.row for e in entries]


class _Sorted:
    """Every annotation's report entry, filed on disk by section and paragraph and read back
    in report order (section, paragraph, offset, group; unplaced ones last) as often as needed:
    a batch's rows never wait in memory together."""

    def __init__(self, col: "Collation") -> None:
        ranks = {g: k for k, g in enumerate(_group_names(col))}
        self.sections = col.draft.sections
        order = {s.id: k for k, s in enumerate(self.sections)}
        self.width = width = len(col.draft.paragraphs) + 1
        self.unplaced = (len(order) + 1) * width        # after every section's paragraphs
        self.filed, self.conflicts = Buckets(), _conflicts_by_paragraph(col)
        in_conflict = note_conflict_ids(col.conflicts, col.returns)
        for ret in col.returns:
            for n, p in enumerate(ret.placed):
                pl = p.place
                row = _row(col.draft, ret.group, p.item, pl, "")
                self.filed.add(order.get(pl.section, len(order)) * width + pl.paragraph,
                               ((pl.start, ranks[ret.group], n),
                                _Entry(ret.group, ret.path, pl, row)))
            for n, p in enumerate(ret.notes, len(ret.placed)):
                e = note_entry(col.draft, ret.group, ret.path, p)
                e.row["conflict"] = in_conflict.get((ret.group, n - len(ret.placed)), "")
                self.filed.add(self.unplaced if e.place is None else
                               order.get(e.place.section, len(order)) * width + e.place.paragraph,
                               ((ranks[ret.group], 1 << 30, n) if e.place is None else
                                (e.place.start, ranks[ret.group], n), e))
            for unplaced in _unplaced(col.draft, ret, ranks[ret.group]):
                self.filed.add(self.unplaced, unplaced)
        self.keys = self.filed.keys()

    def __iter__(self) -> Iterator[_Entry]:
        for key in self.keys:
            index: dict[tuple, list] = {}
            if key != self.unplaced:
                for group, start, kind, text, cid in self.conflicts.items(key % self.width):
                    index.setdefault((group, start), []).append((kind, text, cid))
            for _, e in sorted(self.filed.items(key), key=lambda t: t[0]):
                if index and not e.note:
                    e.row["conflict"] = _conflict_of(index, e.group, e.row, e.place)
                yield e

    def touched(self) -> dict[str, set[int]]:
        """Section id -> the paragraphs with a placed annotation (from the keys alone)."""
        out: dict[str, set[int]] = {}
        for key in self.keys:
            k, para = divmod(key, self.width)
            if k < len(self.sections):
                out.setdefault(self.sections[k].id, set()).add(para)
        return out

    def close(self) -> None:
        self.filed.close()
        self.conflicts.close()

    def __enter__(self) -> "_Sorted":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _unplaced(draft: Draft, ret, rank: int) -> Iterator[tuple[tuple, _Entry]]:
    """((group rank, position), entry) of each of the return's unplaced annotations."""
    for n, u in enumerate(ret.unplaced):
        yield (rank, n), _Entry(ret.group, ret.path, None,
                                _row(draft, ret.group, u.item, None, u.reason))


def note_entry(draft: Draft, group: str, path: str, p: Placed) -> _Entry:
    """The entry of an annotation in one of the draft's notes: filed at the end of the
    paragraph holding the note's reference, its paragraph "6.14 footnote 2", its anchor the
    note's words."""
    ref = reference_of(draft, p.place.section)
    name = aside_name(p.place.section)
    if isinstance(p.item, Revision) and p.item.kind == "note-insert":     # a new note: its
        pl = p.place                                                    # reference's place
        place = Place(_section_at(draft, pl.paragraph), pl.paragraph, pl.start, pl.start,
                      pl.paragraph)
        row = _row(draft, group, p.item, place, "")
        row["paragraph"] = f"{row['paragraph']} new {name.split()[0]}"
        return _Entry(group, path, place, row, p.place.section)
    if ref is None:
        row = _row(draft, group, p.item, None, f"the draft's body has no reference to {name}"
                   if "note" in name else f"{name} is not in the body text")
        return _Entry(group, path, None, row, p.place.section)
    at = len(draft.paragraphs[ref].text)
    place = Place(_section_at(draft, ref), ref, at, at, ref)
    row = _row(draft, group, p.item, place, "")
    text, pl = aside_paragraph(draft, p.place), p.place
    point = pl.end <= pl.start or pl.end_paragraph != pl.paragraph or (
        isinstance(p.item, Revision) and p.item.kind in INSERTS)
    row["paragraph"] = f"{row['paragraph']} {name}"
    row["anchor"] = f"{name}: " + (insertion_context(text, pl.start) if point
                                   else text[pl.start:pl.end])
    return _Entry(group, path, place, row, p.place.section)


def _section_at(draft: Draft, index: int) -> str:
    return next((s.id for s in draft.sections if s.start <= index < s.end), "")


def _row(draft: Draft, group: str, item: Annotation, place: Place | None, reason: str) -> dict:
    tracked = isinstance(item, Comment) or item.tracked
    return {
        "section": place.section if place else "",
        "paragraph": paragraph_label(draft, place.paragraph) if place else "",
        "group": group, "person": item.author, "kind": _kind(item),
        "tracked": "yes" if tracked else "no", "anchor": _anchor(draft, item, place),
        "text": item.text, "date": item.date or "",
        "conflict": "", "decision": "",
        "status": "placed" if place else f"unplaced: {reason}",
    }


def paragraph_label(draft: Draft, index: int) -> str:
    """The number Word shows for a paragraph (e.g. "6.14"), else its 1-based position."""
    label = draft.paragraphs[index].label
    return label if any(ch.isalnum() for ch in label) else str(index + 1)


def _kind(item: Annotation) -> str:
    if isinstance(item, Comment):
        return "reply" if item.parent else "comment"
    return item.kind


def _anchor(draft: Draft, item: Annotation, place: Place | None) -> str:
    if place is None:
        return item.anchor if isinstance(item, Comment) else ""
    a, b = (place.paragraph, place.start), (place.end_paragraph, place.end)
    if b <= a or (isinstance(item, Revision) and item.kind in INSERTS):
        return insertion_context(draft.paragraphs[a[0]].text, a[1])
    if a[0] == b[0]:
        return draft.paragraphs[a[0]].text[a[1]:b[1]]
    parts = [draft.paragraphs[a[0]].text[a[1]:]]
    parts += [draft.paragraphs[i].text for i in range(a[0] + 1, b[0])]
    return "\n".join(parts + [draft.paragraphs[b[0]].text[:b[1]]])


def insertion_context(text: str, at: int, words: int = CONTEXT_WORDS) -> str:
    """A few words either side of ``at``, with ‸ where the insertion goes."""
    before = re.findall(r"\S+\s*", text[:at])
    after = re.findall(r"\s*\S+", text[at:])
    head = (MORE if len(before) > words else "") + "".join(before[-words:])
    tail = "".join(after[:words]) + (MORE if len(after) > words else "")
    return head + CARET + tail


def _conflicts_by_paragraph(col: "Collation") -> Buckets:
    """Paragraph -> (group, offset, op kind, op text, conflict id) of each conflicting op."""
    filed = Buckets()
    for op in col.ops:
        if op.conflict:
            for credit in op.credits:
                filed.add(op.para, (credit.group, op.start, op.kind, op.text, op.conflict))
    return filed


def _conflict_of(index: dict, group: str, row: dict, place: Place) -> str:
    """The conflict a revision's row is part of: ``index`` is its paragraph's, by (group,
    offset)."""
    if row["kind"] in ("comment", "reply"):
        return ""
    kind = row["kind"]
    kind = "insert" if kind in INSERTS else "delete" if kind in DELETES else kind
    for op_kind, text, cid in index.get((group, place.start), []):
        if op_kind == kind and row["text"] in text:     # consecutive insertions are one op
            return cid
    return ""


def _group_names(col: "Collation") -> list[str]:
    names = list(col.groups)
    return names + [g for g, _ in col.returned if g not in names]


def group_rows(col: "Collation") -> list[dict]:
    """Per group, in allocation order: its file, whether it returned, what it sent."""
    by_group = {t.group: {
        "group": t.group, "file": t.path, "returned": True, "sections": list(t.sections),
        "comments": t.comments, "revisions": t.revisions, "untracked": t.untracked,
        "unplaced": t.unplaced} for t in col.tallies}
    return [by_group.get(name) or {
        "group": name, "file": None, "returned": False, "sections": [], "comments": 0,
        "revisions": 0, "untracked": 0, "unplaced": 0} for name in _group_names(col)]



@contextmanager
def _own(col: "Collation", entries: _Sorted | None):
    """``entries``, or the collation's sorted for this report alone (and closed after)."""
    if entries is not None:
        yield entries
    else:
        with _Sorted(col) as mine:
            yield mine


def _write_chunks(path: str | Path, chunks: Iterable[bytes]) -> None:
    """Write a report piece by piece (atomically)."""
    def write(fh) -> None:
        for chunk in chunks:
            fh.write(chunk)
    write_atomic(path, write)


def _lines(lines: Iterable[str]) -> Iterator[bytes]:
    """Lines, each ended by a newline, as UTF-8 in chunks."""
    chunk: list[str] = []
    size = 0
    for line in lines:
        chunk.append(line)
        size += len(line)
        if size > CHUNK:
            yield ("\n".join(chunk) + "\n").encode("utf-8")
            chunk, size = [], 0
    if chunk:
        yield ("\n".join(chunk) + "\n").encode("utf-8")



# -- shared pieces of the HTML and Markdown -----------------------------------------------
class _Walk:
    """The entries in report order, taken a section at a time and then the unplaced ones."""

    def __init__(self, col: "Collation", entries: _Sorted) -> None:
        self._it = iter(entries)
        self._next = next(self._it, None)
        self.touched = entries.touched()            # section -> paragraphs responded to
        self._conflicts = col.conflicts
        self.conflicted: dict[str, list[int]] = {}  # section -> its conflicts' positions
        for k, c in enumerate(col.conflicts):
            self.conflicted.setdefault(c.section, []).append(k)

    def conflicts(self, section_id: str) -> Iterator:
        """The section's conflicts (read back one at a time)."""
        for k in self.conflicted.get(section_id, ()):
            yield self._conflicts[k]

    def section(self, section_id: str) -> Iterator[_Entry]:
        """The entries placed in the section (sections are taken in draft order)."""
        while (self._next is not None and self._next.place is not None
               and self._next.place.section == section_id):
            yield self._pop()

    def unplaced(self) -> Iterator[_Entry]:
        while self._next is not None:
            e = self._pop()
            if e.place is None:
                yield e

    def _pop(self) -> _Entry:
        e, self._next = self._next, next(self._it, None)
        return e


def label_of(draft: Draft, index: int) -> str:
    """The number a reader finds the paragraph by: its list number, else "3.2 ¶2" (the second
    paragraph after the heading of section 3.2)."""
    label = draft.paragraphs[index].label
    if any(ch.isalnum() for ch in label):
        return label
    for s in draft.sections:
        if s.start <= index < s.end:
            first = s.start + (1 if draft.paragraphs[s.start].outline is not None else 0)
            number = s.number or s.title
            return f"{number} \u00b6{index - first + 1}" if index >= first else number
    return f"\u00b6{index + 1}"


def _draft_excerpt(draft: Draft, section, touched: set[int]) -> list[tuple[str, str]]:
    """(number, shortened text) for the paragraphs shown; ("", "…") marks skipped ones."""
    first = section.start
    if draft.paragraphs[first].text.strip() == section.title and first not in touched:
        first += 1                                      # the heading is shown already
    indexes = list(range(first, section.end))
    if len(indexes) > DRAFT_PARAS:
        indexes = [i for i in indexes if i in touched]
    out, last = [], first - 1
    for i in indexes:
        if i > last + 1:
            out.append(("", MORE))
        text = draft.paragraphs[i].text
        out.append((label_of(draft, i), _short(text, DRAFT_CHARS)))
        last = i
    if last < section.end - 1:
        out.append(("", MORE))
    return out


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + MORE


def _totals(col: "Collation") -> str:
    groups = group_rows(col)
    returned = sum(g["returned"] for g in groups)
    comments = sum(g["comments"] for g in groups)
    changes = sum(g["revisions"] for g in groups)
    return (f"{returned} of {len(groups)} groups returned: {_n(comments, 'comment')}, "
            f"{_n(changes, 'proposed change')}, {_n(len(col.conflicts), 'conflict')}.")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _quiet_sections(col: "Collation", active: set[str]) -> tuple[list, list]:
    """Sections nobody covered, and sections returned without any response."""
    uncovered = set(col.uncovered_sections)
    none = [s for s in col.draft.sections if s.id in uncovered]
    silent = [s for s in col.draft.sections if s.id not in uncovered and s.id not in active]
    return none, silent


def _title(s) -> str:
    return f"{s.number} {s.title}".strip()


def _title_assigned(col: "Collation", s) -> str:
    assigned = col.assigned(s.id)
    return _title(s) + (f" (assigned to {', '.join(assigned)})" if assigned else "")


def _version(text: str) -> str:
    return f"\u201c{text}\u201d" if text else "(deletes it)"


VERBS = {"comment": "comment", "reply": "reply", "insert": "inserted", "delete": "deleted",
         "move-to": "moved here", "move-from": "moved away", "paragraph-insert":
         "new paragraph", "paragraph-delete": "joined paragraphs", "format": "formatting",
         "paragraph-format": "paragraph formatting", "object-insert":
         "inserted a picture or shape", "object-delete": "deleted a picture or shape"}


