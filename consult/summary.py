"""The closing summary section of a collated document: per section, then what is missing."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from .changes import DELETES, INSERTS
from .model import Comment
from .ooxml.build import (SUMMARY_STYLE, ensure_styles, page_break_paragraph, paragraph,
                          run_props, table)

if TYPE_CHECKING:
    from .collate import Collation

WIDTHS = [900, 2500, 1700, 1500, 900, 900, 900, 900]


def section_stats(col: "Collation") -> list[dict]:
    """Per draft section: groups assigned and returned, counts of each kind of response."""
    counts: dict[str, Counter] = {}
    for r in col.returns:
        for p in r.placed:
            counts.setdefault(p.place.section, Counter())[_kind(p.item)] += 1
    conflicts = Counter(c.section for c in col.conflicts)
    rows = []
    for s in col.draft.sections:
        n = counts.get(s.id, Counter())
        rows.append({
            "section": s.id, "title": s.title, "assigned": col.assigned(s.id),
            "returned": col.returned_by(s.id), "comments": n["comments"],
            "insertions": n["insertions"], "deletions": n["deletions"], "other": n["other"],
            "conflicts": conflicts[s.id],
        })
    return rows


def _kind(item) -> str:
    if isinstance(item, Comment):
        return "comments"
    return ("insertions" if item.kind in INSERTS else "deletions" if item.kind in DELETES
            else "other")


def add_summary_style(pkg) -> None:
    """Give ``pkg``'s styles the summary's paragraph style (before the styles are written),
    in stylesWithEffects.xml too when there is one (Word 2010 reads it)."""
    styles = pkg.related(pkg.main, "/styles")
    ensure_styles(pkg.xml(styles) if styles else None)
    effects = pkg.related(pkg.main, "/stylesWithEffects")
    if effects:
        ensure_styles(pkg.xml(effects))


def summary_blocks(col: "Collation") -> Iterator:
    """The summary's paragraphs and table, one at a time, for the end of the body (before its
    final section properties); ``add_summary_style`` gives the document their style."""
    first = page_break_paragraph()
    first.insert(0, paragraph("", SUMMARY_STYLE)[0])
    yield first
    yield paragraph("Collation summary", SUMMARY_STYLE, run_props(bold=True, size_half_points=32))
    if getattr(col, "carried", ""):
        yield paragraph(col.carried, SUMMARY_STYLE)
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
