"""A one-page printable allocation sheet (.docx) for the facilitator."""
from __future__ import annotations

import io
from pathlib import Path

from datetime import datetime, timezone

from docx import Document
from docx.shared import Pt

from .allocate import allocation_rows
from .model import Allocation, Draft
from .ooxml.package import Package, write_atomic

FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)


def write_sheet(draft: Draft, allocations: list[Allocation], path: str | Path) -> None:
    """Write a table of groups, their sections, pages and words."""
    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = "consult"
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    doc.add_heading("Who reads what", level=1)
    doc.add_paragraph(f"Draft: {Path(draft.path).name}. Each group reads its sections, marks up "
                      "its pack in Word with Track Changes on, and sends it back.")
    rows = allocation_rows(draft, allocations)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Group", "Sections", "Pages", "Words"]):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        titles = row["titles"].split("; ")
        sections = [f"{sid} {t}" for sid, t in zip(row["sections"].split("; "), titles)]
        for cell, text in zip(cells, [row["group"], "\n".join(sections), row["pages"],
                                      str(row["words"])]):
            cell.text = text
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    write_atomic(path, Package.from_bytes(path, buf.getvalue()).to_bytes())
