"""A batch's decision page is written a paragraph at a time, not held in memory whole."""
from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from conftest import SAMPLE_DRAFT
from edit_docx import Docx, add_comment, track_replace

from consult import store
from consult.collate import collate
from consult.model import Allocation
from consult.packs import write_packs
from consult.report import html_text, write_html
from consult.split import load_draft

DATE = "2026-10-10T10:00:00Z"
COMMENTS = 30               # each group's comments, on its own paragraph


def _batch(tmp: Path, groups: int):
    """``groups`` returns of the whole draft; group k comments on the k-th long paragraph and
    replaces a word in it, so the page grows with the batch and no paragraph does."""
    draft = load_draft(SAMPLE_DRAFT)
    every = tuple(s.id for s in draft.sections)
    allocations = [Allocation(f"Team {n}", every) for n in range(1, groups + 1)]
    packs = write_packs(draft, allocations, tmp / "packs")
    long = [p.text for p in draft.paragraphs if len(p.text) > 60
            and sum(w.isalpha() and len(w) > 5 for w in p.text.split()) >= 2]
    (tmp / "returns").mkdir()
    for allocation, pack, text in zip(allocations, packs, long):
        words = [w for w in text.split() if w.isalpha() and len(w) > 5]
        doc = Docx.open(pack)
        who = f"Reviewer {allocation.group}"
        for n in range(COMMENTS):
            add_comment(doc, text[:40], f"{allocation.group}, point {n}: " + "say more. " * 30,
                        who, "R", DATE, words=words[0])
        track_replace(doc, text[:40], words[-1], words[-1].upper(), who, DATE)
        doc.save(tmp / "returns" / f"{allocation.group}.docx")
    return collate(draft, [tmp / "returns"], allocations)


def _written(col, path: Path) -> int:
    """The most Python memory traced while the page is written (the template compiled first)."""
    write_html(col, path)
    tracemalloc.start()
    try:
        write_html(col, path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_page_memory_does_not_grow_with_the_batch(tmp_path, monkeypatch):
    """From 12 to 48 groups the page grows almost fourfold (their threads, proposals and
    decisions-CSV rows); the memory it is written in grows by a small part of that (the
    groups' table, one paragraph's worth): proposals and threads wait on disk, filed by
    paragraph, and the page's data is written one proposal at a time. (The buckets write
    every 16 items, not 2000, so a test-sized batch is larger than one write.) The page
    written piece by piece is exactly html_text's."""
    monkeypatch.setattr(store.Buckets, "BATCH", 16)
    for n in (12, 48):
        (tmp_path / f"g{n}").mkdir()
    small, big = (_batch(tmp_path / f"g{n}", n) for n in (12, 48))
    peaks = [_written(col, tmp_path / f"{k}.html") for k, col in enumerate((small, big))]
    sizes = [(tmp_path / f"{k}.html").stat().st_size for k in range(2)]
    assert len(big.returns) == 48 and len(big.ops) == 2 * 48          # a replacement: 2
    assert sizes[1] > 3.5 * sizes[0], sizes
    assert peaks[1] - peaks[0] < (sizes[1] - sizes[0]) / 4, (peaks, sizes)
    assert (tmp_path / "1.html").read_bytes() == html_text(big).encode("utf-8")
