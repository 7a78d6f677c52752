"""report.md: the collation as Markdown, for pasting into minutes."""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from .report_rows import (CARET, VERBS, _draft_excerpt, _lines, _own, _quiet_sections, _Sorted,
                          _title, _title_assigned, _totals, _version, _Walk, _write_chunks,
                          group_rows)
from .summary import section_stats

if TYPE_CHECKING:
    from .collate import Collation


MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str) -> str:
    """Text safe inside Markdown inline content and table cells; ¶ marks a paragraph break."""
    return MD_SPECIAL.sub(r"\\\1", text).replace("\r\n", "\n").replace("\n", " \u00b6 ")


def markdown_text(col: "Collation") -> str:
    """The report as Markdown, for pasting into minutes."""
    with _Sorted(col) as entries:
        return "\n".join(_md_lines(col, entries)) + "\n"


def _md_lines(col: "Collation", entries: _Sorted) -> Iterator[str]:
    walk = _Walk(col, entries)
    out = [f"# Responses to {md(Path(col.draft.path).name)}", "",
           f"{md(_totals(col))} Draft fingerprint {md(col.draft.fingerprint)}.", ""]
    out += ["## Responses per section", "",
            "| Section | Title | Assigned | Returned | Comments | Edits | Conflicts |",
            "|---|---|---|---|---:|---:|---:|"]
    for st in section_stats(col):
        out.append(f"| {md(st['section'])} | {md(st['title'])} | {md(', '.join(st['assigned']))}"
                   f" | {md(', '.join(st['returned']))} | {st['comments']} | "
                   f"{_edits(st)} | {st['conflicts']} |")
    out += ["", "## Groups", "", "| Group | Returned | File | Comments | Changes | Unplaced |",
            "|---|---|---|---:|---:|---:|"]
    for g in group_rows(col):
        file = md(Path(g["file"]).name) if g["file"] else "\u2014"
        out.append(f"| {md(g['group'])} | {'yes' if g['returned'] else '**no**'} | {file} | "
                   f"{g['comments']} | {g['revisions']} | {g['unplaced']} |")
    yield from out
    yield from _md_sections(col, walk)
    yield from _md_list("Responses that could not be placed on the draft",
                        [_md_item(e.row) + " \u2014 not placed: "
                         + md(e.row["status"].split(": ", 1)[1]) for e in walk.unplaced()])
    yield from _md_list("Inputs that could not be used",
                        [f"{md(Path(r.path).name)}: {md(r.reason)}" for r in col.rejected])
    yield from _md_list("Notes from reading the files", [md(str(m)) for m in col.messages])


def _edits(st: dict) -> int:
    """A section's insertions and deletions, of words and of pictures."""
    return (st["insertions"] + st["deletions"] + st["picture_insertions"]
            + st["picture_deletions"])


def _md_sections(col: "Collation", walk: _Walk) -> Iterator[str]:
    yield from ["", "## Section by section"]
    for s in col.draft.sections:
        if s.id in walk.touched or s.id in walk.conflicted:
            yield from _md_section(col, s, walk)
    none, silent = _quiet_sections(col, set(walk.touched) | set(walk.conflicted))
    yield from _md_list("Sections no group returned", [md(_title_assigned(col, s)) for s in none])
    yield from _md_list("Sections returned without comments or changes",
                        [md(_title(s)) for s in silent])


def _md_section(col: "Collation", s, walk: _Walk) -> Iterator[str]:
    out = ["", f"### {md(_title(s))}", ""]
    out += [f"> {'**' + md(num) + '** ' if num else ''}{md(text)}  "
            for num, text in _draft_excerpt(col.draft, s, walk.touched.get(s.id, set()))]
    out.append("")
    out += [f"- **Conflict {md(c.id)}** " + (f"between new {c.new_note}" if getattr(
                c, "new_note", "") else f"on \u201c{md(c.draft_text)}\u201d") + ": "
            + "; ".join(f"{md(g)}: {md(_version(t))}" for g, t in c.versions)
            for c in walk.conflicts(s.id)]
    yield from out
    for e in walk.section(s.id):
        yield f"- {_md_item(e.row)}"


def _md_item(row: dict) -> str:
    kind = VERBS.get(row["kind"], row["kind"])
    extra = " (made without Track Changes)" if row["tracked"] == "no" else ""
    extra += f" [{row['conflict']}]" if row["conflict"] else ""
    anchor = ""
    if row["anchor"] and row["anchor"] != row["text"]:
        anchor = f" {'at' if CARET in row['anchor'] else 'on'} \u201c{md(row['anchor'])}\u201d"
    return (f"**{md(row['group'])}** ({md(row['person'])}), {md(kind)}{md(extra)}{anchor}: "
            f"\u201c{md(row['text'])}\u201d")


def _md_list(title: str, items: list[str]) -> list[str]:
    return ["", f"## {title}", ""] + ([f"- {i}" for i in items] or ["None."])


def write_markdown(col: "Collation", path: str | Path, entries: _Sorted | None = None) -> Path:
    with _own(col, entries) as sorted_entries:
        _write_chunks(path, _lines(_md_lines(col, sorted_entries)))
    return Path(path)

