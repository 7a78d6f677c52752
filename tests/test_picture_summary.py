"""The summary counts pictures and shapes as pictures inserted and deleted (not as "other"):
in the collated document's summary table as pandoc reads it, and in --json's sections."""
from __future__ import annotations

from pandoc_reader import pandoc_json
from test_picture_conflicts import stringify
from test_tracked_objects import case  # noqa: F401  (the fixture: pictures in three returns)

from consult.report import summary_json


def summary_table(path) -> list[list[str]]:
    """The rows of the last table pandoc reads in ``path`` (the summary's), as text."""
    doc = pandoc_json(path, "accept", styles=False)
    table = [b for b in doc["blocks"] if b["t"] == "Table"][-1]
    head, bodies = table["c"][3], table["c"][4]       # attr, caption, columns, head, bodies
    rows = head[1] + [r for body in bodies for r in body[3]]
    return [[stringify(cell[4]) for cell in row[1]] for row in rows]


def test_the_summary_table_counts_pictures(case):      # noqa: F811
    _, _, _, out = case
    rows = summary_table(out)
    head = rows[0]
    assert head[-3:] == ["Pictures inserted", "Pictures deleted", "Conflicts"]
    body = [dict(zip(head, r)) for r in rows[1:]]
    assert sum(int(r["Pictures inserted"]) for r in body) == 5
    assert sum(int(r["Pictures deleted"]) for r in body) == 2      # Groups 1 and 2, agreed
    assert sum(int(r["Inserted"]) for r in body) == 2          # words and a new paragraph
    assert sum(int(r["Deleted"]) for r in body) == 0


def test_json_sections_count_pictures(case):       # noqa: F811
    _, _, col, _ = case
    sections = summary_json(col)["sections"]
    assert sum(s["picture_insertions"] for s in sections) == 5
    assert sum(s["picture_deletions"] for s in sections) == 2
    assert sum(s["other"] for s in sections) == 0


def test_the_markdown_report_counts_picture_edits(case, tmp_path):      # noqa: F811
    from consult.report import write_reports
    _, _, col, _ = case
    write_reports(col, tmp_path / "report")
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    table = md[md.index("| Section | Title"):md.index("## Groups")]
    edits = [int(line.split("|")[6]) for line in table.splitlines()[2:] if line.strip()]
    assert sum(edits) == 2 + 5 + 2
