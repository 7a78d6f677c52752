"""Reports on a collation: report.csv to decide in a spreadsheet, report.html to decide in a
browser (the decision page), report.md for minutes, and the JSON summary of ``--json``.

Each has its own module (report_csv, report_html, report_md; the rows they share are in
report_rows). The same collation always gives the same bytes.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .report_csv import csv_bytes, read_csv, write_csv
from .report_html import html_text, write_html
from .report_md import markdown_text, md, write_markdown
from .report_rows import (COLUMNS, REPORT_SUFFIXES, _group_names, _Sorted, _unplaced,
                          group_rows, insertion_context, paragraph_label, report_rows)
from .errors import OutputError, PartialOutputError
from .asides import aside_name
from .summary import section_stats

if TYPE_CHECKING:
    from .collate import Collation


def summary_json(col: "Collation", conflicts: bool = True) -> dict:
    """A JSON-serialisable summary for ``consult collate --json``, in a fixed order
    (``conflicts=False``: their list left empty, for ``write_summary_json`` to stream)."""
    ranks = {g: k for k, g in enumerate(_group_names(col))}
    unplaced = [e for _, e in sorted((u for r in col.returns
                                      for u in _unplaced(col.draft, r, ranks[r.group])),
                                     key=lambda t: t[0])]
    return {
        "draft": col.draft.path, "fingerprint": col.draft.fingerprint,
        "groups": group_rows(col),
        "sections": section_stats(col),
        "conflicts": [_conflict_json(c) for c in col.conflicts] if conflicts else [],
        "unplaced": [{"group": e.group, "file": e.path, "kind": e.row["kind"],
                      "person": e.row["person"], "text": e.row["text"],
                      "anchor": e.row["anchor"], "reason": e.row["status"].split(": ", 1)[1]}
                     for e in unplaced],
        "rejected": [{"file": r.path, "reason": r.reason} for r in col.rejected],
        "messages": [str(m) for m in col.messages],
    }


def _conflict_json(c) -> dict:
    out = {"id": c.id, "section": c.section, "draft_text": c.draft_text,
           "versions": [{"group": g, "text": t} for g, t in c.versions]}
    if c.note:                          # "footnote 2": a conflict in a note
        out["note"] = aside_name(c.note)
    if getattr(c, "new_note", ""):      # "footnote": different notes added at one place
        out["new_note"] = c.new_note[:-1]
    return out


def write_summary_json(col: "Collation", write: Callable[[str], object]) -> None:
    """``summary_json`` as ``json.dumps(..., indent=2)`` writes it, handed to ``write`` (a
    file's ``write``, ``click.echo``) piece by piece: the conflicts, which quote every group's
    version (a batch's worth), one at a time."""
    def dumps(value) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False)
    text = dumps(summary_json(col, conflicts=False))
    if not len(col.conflicts):
        write(text + "\n")
        return
    marker = '\n  "conflicts": []'         # a top-level key: no JSON string holds a newline
    head, tail = text.split(marker, 1)
    write(head + '\n  "conflicts": [')
    for k, c in enumerate(col.conflicts):
        write(("," if k else "") + "\n    " + dumps(_conflict_json(c)).replace("\n", "\n    "))
    write("\n  ]" + tail + "\n")



# -- all three ----------------------------------------------------------------------------
def write_reports(col: "Collation", folder_or_prefix: str | Path) -> list[Path]:
    """Write the CSV, HTML and Markdown reports; return their paths.

    A folder gets report.csv, report.html and report.md; a file name such as
    ``out/minutes.html`` names the three files ``out/minutes.csv``, ``.html`` and ``.md``.
    """
    target = Path(folder_or_prefix)
    if target.suffix.lower() in REPORT_SUFFIXES and not target.is_dir():
        base = target.with_suffix("")
    else:
        base = target / "report"
    paths = [base.with_name(base.name + ext) for ext in (".csv", ".html", ".md")]
    failed = []
    with _Sorted(col) as entries:            # sorted once for the three
        for path, write in zip(paths, (write_csv, write_html, write_markdown)):
            try:
                write(col, path, entries)
            except OutputError as exc:      # try the others; say which could not be written
                failed.append((path, exc))
    if failed:
        raise PartialOutputError([p for p in paths if p not in dict(failed)], failed)
    return paths


__all__ = ["COLUMNS", "report_rows", "summary_json", "write_summary_json", "group_rows", "csv_bytes", "read_csv",
           "html_text", "markdown_text", "write_csv", "write_html", "write_markdown",
           "write_reports", "paragraph_label", "insertion_context"]
