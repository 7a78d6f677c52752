"""A one-page printable allocation sheet (.docx) for the facilitator."""
from __future__ import annotations

import io
from pathlib import Path

from datetime import datetime, timezone

from docx import Document
from docx.shared import Pt, Twips

from .allocate import allocation_rows
from .model import Allocation, Draft
from .errors import ConsultError
from .ooxml.package import Package, write_atomic
from .ooxml.page import PageSetup, page_setup

FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)


def write_sheet(draft: Draft, allocations: list[Allocation], path: str | Path) -> None:
    """Write a table of groups, their sections, pages and words."""
    doc = Document()
    _follow_page(doc, draft)
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


def _follow_page(doc, draft: Draft) -> None:
    """Give the sheet the draft's page size and margins (A4 when the draft cannot say)."""
    try:
        page = page_setup(draft.path)
    except (ConsultError, OSError):
        page = PageSetup()
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(page.width), Twips(page.height)
    section.left_margin, section.right_margin = Twips(page.left), Twips(page.right)
    section.top_margin, section.bottom_margin = Twips(page.top), Twips(page.bottom)
