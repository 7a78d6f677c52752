"""The closing summary section of a collated document: per section, then what is missing."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .changes import DELETES, INSERTS
from .errors import ConsultError
from .model import Comment
from .asides import aside_name, aside_section
from .ooxml.build import (SUMMARY_STYLE, add_consult_styles, page_break_paragraph, paragraph,
                          run_props, table)
from .ooxml.page import PageSetup, page_setup

if TYPE_CHECKING:
    from .collate import Collation

TABLE_SIZE = 16             # the summary table's type, in half-points (8 pt)
CHAR = 95                   # twips an average character of 8 pt bold type takes, or a bit more
NARROW, WIDE = set("fijlrtI.,;:'!|()- "), set("mwMW")      # (DejaVu Serif Bold: "Section" 96)
BOLD = 1.2                  # the header row is bold
PAD = 2 * 108 + 30          # Word's default cell margins either side, and the borders


def section_stats(col: "Collation") -> list[dict]:
    """Per draft section: groups assigned and returned, counts of each kind of response."""
    counts: dict[str, Counter] = {}
    for r in col.returns:
        for p in r.placed:
            counts.setdefault(p.place.section, Counter())[_kind(p.item)] += 1
        for p in r.notes:               # in the section holding the note's reference
            counts.setdefault(aside_section(col.draft, p.place.section), Counter())[
                _kind(p.item)] += 1
    conflicts = Counter(c.section for c in col.conflicts)
    rows = []
    for s in col.draft.sections:
        n = counts.get(s.id, Counter())
        rows.append({
            "section": s.id, "title": s.title, "assigned": col.assigned(s.id),
            "returned": col.returned_by(s.id), "comments": n["comments"],
            "insertions": n["insertions"], "deletions": n["deletions"],
            "picture_insertions": n["picture_insertions"],
            "picture_deletions": n["picture_deletions"], "other": n["other"],
            "conflicts": conflicts[s.id],
        })
    return rows


PICTURES = {"object-insert": "picture_insertions", "object-delete": "picture_deletions"}


def _kind(item) -> str:
    if isinstance(item, Comment):
        return "comments"
    return ("insertions" if item.kind in INSERTS else "deletions" if item.kind in DELETES
            else PICTURES.get(item.kind, "other"))


def add_summary_style(pkg) -> None:
    """Give ``pkg`` the summary's paragraph style (before the styles are written)."""
    add_consult_styles(pkg)


def summary_blocks(col: "Collation") -> Iterator:
    """The summary's paragraphs and table, one at a time, for the end of the body (before its
    final section properties); ``add_summary_style`` gives the document their style."""
    first = page_break_paragraph()
    first.insert(0, paragraph("", SUMMARY_STYLE)[0])
    yield first
    yield paragraph("Collation summary", SUMMARY_STYLE, run_props(bold=True, size_half_points=32))
    if getattr(col, "carried", ""):
        yield paragraph(col.carried, SUMMARY_STYLE)
    stats = section_stats(col)
    pictures = any(st["picture_insertions"] or st["picture_deletions"] for st in stats)
    header = ["Section", "Title", "Assigned", "Returned", "Comments", "Inserted", "Deleted"]
    header += ["Pictures inserted", "Pictures deleted"] if pictures else []   # when there are
    rows = [header + ["Conflicts"]]
    for st in stats:
        counts = ["insertions", "deletions"] + (
            ["picture_insertions", "picture_deletions"] if pictures else []) + ["conflicts"]
        rows.append([st["section"], st["title"], ", ".join(st["assigned"]) or "none",
                     ", ".join(st["returned"]) or "none", str(st["comments"])]
                    + [str(st[k]) for k in counts])
    yield table(rows, SUMMARY_STYLE, column_widths(rows, _text_width(col)), TABLE_SIZE)
    yield from _list("Groups that did not return", col.missing_groups)
    yield from _list("Sections that nobody covered",
                     (f"{s} {col.draft.section(s).title}" for s in col.uncovered_sections))
    yield from _list("Inputs that could not be used",
                     (f"{r.path}: {r.reason}" for r in col.rejected))
    yield from _list("Conflicts", (f"{c.id} (section {c.section}{_in_note(c)}): " + "; ".join(
        f"{g}: " + (f"\u201c{t}\u201d" if t else "(deletes it)") for g, t in c.versions)
        for c in col.conflicts))
    yield from _list("Unplaced", (_unplaced(g, u) for g, u in col.unplaced))


def _in_note(c) -> str:
    """", footnote 2" for a conflict in a note, ", new footnotes" for one between the notes
    groups add."""
    if getattr(c, "new_note", ""):
        return f", new {c.new_note}"
    return f", {aside_name(c.note)}" if getattr(c, "note", "") else ""


def _text_width(col: "Collation") -> int:
    """The width between the draft's margins (the summary is in its last section)."""
    try:
        return page_setup(col.draft.path).text_width
    except (ConsultError, OSError):
        return PageSetup().text_width


def column_widths(rows: list[list[str]], total: int) -> list[int]:
    """Widths (twips) adding up to ``total``: each column at least as wide as its longest
    word, so no word breaks, and what is left shared out by how much text each column holds."""
    cols = list(zip(*rows))
    least = [PAD + max([int(BOLD * _width(w)) for w in col[0].split()]
                       + [_width(w) for cell in col[1:] for w in cell.split()] + [CHAR])
             for col in cols]
    while sum(least) > total and max(least) > 2 * PAD:      # too many long words: the
        k = least.index(max(least))                          # widest column gives way
        least[k] -= min(sum(least) - total, least[k] - 2 * PAD)
    if sum(least) >= total:
        return [w * total // sum(least) for w in least]
    want = [max(PAD + max(_width(cell) for cell in col) - low, 0)
            for col, low in zip(cols, least)]
    spare = total - sum(least)
    extra = [spare * w // sum(want) if sum(want) else spare // len(cols) for w in want]
    extra = [min(e, w) for e, w in zip(extra, want)] if sum(want) > spare else extra
    widths = [low + e for low, e in zip(least, extra)]
    widths[1 if len(widths) > 1 else 0] += total - sum(widths)       # the title takes the rest
    return widths


def _width(text: str) -> int:
    """About how wide ``text`` is set in the table's type, in twips (generously)."""
    return int(sum(CHAR * (0.55 if ch in NARROW else 1.5 if ch in WIDE else
                           1.25 if ch.isupper() else 1) for ch in text))


def _list(title: str, items: Iterable[str]) -> Iterator:
    yield paragraph(title, SUMMARY_STYLE, run_props(bold=True))
    empty = True
    for item in items:
        empty = False
        yield paragraph(f"\u2022\t{item}", SUMMARY_STYLE)
    if empty:
        yield paragraph("None.", SUMMARY_STYLE)


KIND_NAMES = {"insert": "insertion", "delete": "deletion", "move-to": "move (new place)",
              "move-from": "move (old place)", "format": "formatting change",
              "paragraph-format": "paragraph formatting change",
              "paragraph-insert": "new paragraph", "paragraph-delete": "joined paragraphs",
              "object-insert": "picture or shape inserted",
              "object-delete": "picture or shape deleted", "row-insert": "table row inserted",
              "row-delete": "table row deleted"}     # what the summary's Unplaced list calls them


def _unplaced(group: str, u) -> str:
    item = u.item
    if isinstance(item, Comment):
        what = f"comment by {item.author}: \u201c{item.text}\u201d"
    else:
        kind = KIND_NAMES.get(item.kind, item.kind.replace("-", " "))
        what = f"{kind} by {item.author}: \u201c{item.text}\u201d"
    return f"{group}, {what} ({u.reason})"
