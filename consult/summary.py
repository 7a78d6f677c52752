"""The closing summary section of a collated document: per section, then what is missing."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .changes import DELETES, INSERTS
from .model import Comment, Revision
from .ooxml.build import (SUMMARY_STYLE, ensure_styles, page_break_paragraph, paragraph,
                          run_props, table)

if TYPE_CHECKING:
    from .collate import Collation

WIDTHS = [900, 2500, 1700, 1500, 900, 900, 900, 900]


def section_stats(col: "Collation") -> list[dict]:
    """Per draft section: groups assigned and returned, counts of each kind of response."""
    rows = []
    by_section: dict[str, list] = {}
    for r in col.returns:
        for p in r.placed:
            by_section.setdefault(p.place.section, []).append(p)
    for s in col.draft.sections:
        assigned = col.assigned(s.id)
        returned = col.returned_by(s.id)
        placed = by_section.get(s.id, [])
        rows.append({
            "section": s.id, "title": s.title, "assigned": assigned, "returned": returned,
            "comments": sum(isinstance(p.item, Comment) for p in placed),
            "insertions": sum(isinstance(p.item, Revision) and p.item.kind in INSERTS
                              for p in placed),
            "deletions": sum(isinstance(p.item, Revision) and p.item.kind in DELETES
                             for p in placed),
            "other": sum(isinstance(p.item, Revision) and p.item.kind not in INSERTS | DELETES
                         for p in placed),
            "conflicts": sum(c.section == s.id for c in col.conflicts),
        })
    return rows


def add_summary_style(pkg) -> None:
    """Give ``pkg``'s styles the summary's paragraph style (before the styles are written)."""
    styles = pkg.related(pkg.main, "/styles")
    ensure_styles(pkg.xml(styles) if styles else None)


def summary_blocks(col: "Collation") -> Iterator:
    """The summary's paragraphs and table, one at a time, for the end of the body (before its
    final section properties); ``add_summary_style`` gives the document their style."""
    first = page_break_paragraph()
    first.insert(0, paragraph("", SUMMARY_STYLE)[0])
    yield first
    yield paragraph("Collation summary", SUMMARY_STYLE, run_props(bold=True, size_half_points=32))
    header = ["Section", "Title", "Groups assigned", "Returned", "Comments", "Insertions",
              "Deletions", "Conflicts"]
    rows = [header]
    for st in section_stats(col):
        rows.append([st["section"], st["title"], ", ".join(st["assigned"]) or "none",
                     ", ".join(st["returned"]) or "none", str(st["comments"]),
                     str(st["insertions"]), str(st["deletions"]), str(st["conflicts"])])
    yield table(rows, SUMMARY_STYLE, WIDTHS)
    yield from _list("Groups that did not return", col.missing_groups)
    yield from _list("Sections that nobody covered",
                     (f"{s} {col.draft.section(s).title}" for s in col.uncovered_sections))
    yield from _list("Inputs that could not be used",
                     (f"{r.path}: {r.reason}" for r in col.rejected))
    yield from _list("Conflicts", (f"{c.id} (section {c.section}): " + "; ".join(
        f"{g}: \u201c{t}\u201d" for g, t in c.versions) for c in col.conflicts))
    yield from _list("Unplaced", (_unplaced(g, u) for g, u in col.unplaced))


def _list(title: str, items: Iterable[str]) -> Iterator:
    yield paragraph(title, SUMMARY_STYLE, run_props(bold=True))
    empty = True
    for item in items:
        empty = False
        yield paragraph(f"\u2022\t{item}", SUMMARY_STYLE)
    if empty:
        yield paragraph("None.", SUMMARY_STYLE)


def _unplaced(group: str, u) -> str:
    item = u.item
    if isinstance(item, Comment):
        what = f"comment by {item.author}: \u201c{item.text}\u201d"
    else:
        what = f"{item.kind} by {item.author}: \u201c{item.text}\u201d"
    return f"{group}, {what} ({u.reason})"
