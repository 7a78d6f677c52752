"""The whole loop on the bundled samples, for a first look."""
from __future__ import annotations

from pathlib import Path

from .allocate import allocate, allocation_csv, group_names, read_plan
from .collate import collate
from .errors import UsageError
from .ooxml.package import write_atomic
from .packs import write_packs
from .report import write_reports
from .sheet import write_sheet
from .split import load_draft

DRAFT_NAME = "sen-policy-draft.docx"


def find_samples() -> Path:
    """The samples folder: in the current folder, else beside the installed package."""
    for base in (Path.cwd(), Path(__file__).resolve().parent.parent):
        if (base / "samples" / DRAFT_NAME).is_file():
            return base / "samples"
    raise UsageError("cannot find samples/sen-policy-draft.docx; run 'consult demo' from the "
                     "consult checkout.")


def run_demo(folder: str | Path) -> list[str]:
    """split -> allocate -> distribute -> collate the sample returns -> reports."""
    samples = find_samples()
    out = Path(folder)
    draft = load_draft(samples / DRAFT_NAME)
    lines = [f"1. split {DRAFT_NAME}: {len(draft.sections)} sections, {draft.words} words"]
    plan = samples / "returns" / "allocation.csv"
    allocations = (read_plan(draft, plan) if plan.is_file()
                   else allocate(draft, group_names(7)))
    write_atomic(out / "allocation.csv", allocation_csv(draft, allocations).encode("utf-8"))
    write_sheet(draft, allocations, out / "allocation-sheet.docx")
    lines.append(f"2. allocate: {len(allocations)} groups -> {out / 'allocation.csv'}")
    packs = write_packs(draft, allocations, out / "packs")
    lines.append(f"3. distribute: {len(packs)} packs -> {out / 'packs'}")
    returns = samples / "returns"
    col = collate(draft, [returns], allocations)
    col.save(out / "collated.docx")
    reports = write_reports(col, out / "report")
    lines.append(f"4. collate: {len(col.returns)} returns, "
                 f"{sum(len(r.placed) for r in col.returns)} annotations placed, "
                 f"{len(col.unplaced)} unplaced, {len(col.conflicts)} conflicts, "
                 f"did not return: {', '.join(col.missing_groups) or 'none'}")
    lines.append(f"   -> {out / 'collated.docx'}")
    lines += [f"   -> {p}" for p in reports]
    return lines
