"""The closing summary section of a collated document: per section, then what is missing."""
from __future__ import annotations

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
        returned = [r.group for r in col.returns if s.id in r.sections]
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


def summary_blocks(col: "Collation", pkg) -> list:
    """The summary's paragraphs and table, for the end of the body (before its final
    section properties); the summary style is added to ``pkg``'s styles."""
    styles = pkg.related(pkg.main, "/styles")
    ensure_styles(pkg.xml(styles) if styles else None)
    blocks = [page_break_paragraph(),
              paragraph("Collation summary", SUMMARY_STYLE, run_props(bold=True,
                                                                       size_half_points=32))]
    blocks[0].insert(0, paragraph("", SUMMARY_STYLE)[0])
    header = ["Section", "Title", "Groups assigned", "Returned", "Comments", "Insertions",
              "Deletions", "Conflicts"]
    rows = [header]
    for st in section_stats(col):
        rows.append([st["section"], st["title"], ", ".join(st["assigned"]) or "none",
                     ", ".join(st["returned"]) or "none", str(st["comments"]),
                     str(st["insertions"]), str(st["deletions"]), str(st["conflicts"])])
    blocks.append(table(rows, SUMMARY_STYLE, WIDTHS))
    blocks += _list("Groups that did not return", col.missing_groups)
    blocks += _list("Sections that nobody covered",
                    [f"{s} {col.draft.section(s).title}" for s in col.uncovered_sections])
    blocks += _list("Inputs that could not be used",
                    [f"{r.path}: {r.reason}" for r in col.rejected])
    blocks += _list("Conflicts", [f"{c.id} (section {c.section}): " + "; ".join(
        f"{g}: \u201c{t}\u201d" for g, t in c.versions) for c in col.conflicts])
    blocks += _list("Unplaced", [_unplaced(g, u) for g, u in col.unplaced])
    return blocks


def _list(title: str, items: list[str]) -> list:
    out = [paragraph(title, SUMMARY_STYLE, run_props(bold=True))]
    out += [paragraph(f"\u2022\t{item}", SUMMARY_STYLE) for item in items] or \
        [paragraph("None.", SUMMARY_STYLE)]
    return out


def _unplaced(group: str, u) -> str:
    item = u.item
    if isinstance(item, Comment):
        what = f"comment by {item.author}: \u201c{item.text}\u201d"
    else:
        what = f"{item.kind} by {item.author}: \u201c{item.text}\u201d"
    return f"{group}, {what} ({u.reason})"
