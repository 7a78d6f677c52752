"""Batches: good and bad returns together, duplicates, odd names, many comments."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_DRAFT
from edit_docx import Docx, add_comment, track_replace
from make_hostile import build as build_hostile

from consult.allocate import allocate, allocation_csv
from consult.annotations import read_annotations
from consult.cli import cli
from consult.collate import collate
from consult.packs import write_packs
from consult.split import load_draft

BAD = ["not-a-zip.docx", "old-word.doc", "password.docx", "truncated.docx", "xxe.docx"]


def first_sentence_words(draft, section_id: str) -> tuple[str, str]:
    """A snippet and a word in it from the first body paragraph of a section."""
    s = draft.section(section_id)
    text = next(p.text for p in draft.paragraphs[s.start + 1:s.end] if len(p.text) > 60)
    words = [w for w in text.split() if w.isalpha() and len(w) > 4]
    return text[:40], words[0]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    draft = load_draft(SAMPLE_DRAFT)
    names = [f"Table {n}" for n in range(1, 11)]
    allocations = allocate(draft, names)
    (tmp / "allocation.csv").write_text(allocation_csv(draft, allocations), encoding="utf-8")
    packs = write_packs(draft, allocations, tmp / "packs")
    returns = tmp / "returns"
    returns.mkdir()
    expected = {}
    for allocation, pack in zip(allocations, packs):
        sid = next(s for s in allocation.sections
                   if any(len(p.text) > 60 for p in draft.paragraphs[
                       draft.section(s).start + 1:draft.section(s).end]))
        snippet, word = first_sentence_words(draft, sid)
        doc = Docx.open(pack)
        new = f"{word.upper()}-{allocation.group[-2:].strip()}"
        add_comment(doc, snippet, f"Comment from {allocation.group}", "Someone", "S",
                    "2026-10-10T10:05:00Z")
        track_replace(doc, snippet, word, new, f"Reviewer {allocation.group}",
                      "2026-10-10T10:00:00Z")
        doc.save(returns / f"{allocation.group}.docx")
        expected[allocation.group] = new
    for case in build_hostile(tmp / "hostile"):
        if case.filename in BAD:
            shutil.copy(tmp / "hostile" / case.filename, returns / case.filename)
    return draft, allocations, tmp, returns, expected


def test_ten_good_five_bad(batch):
    draft, allocations, tmp, returns, expected = batch
    out = tmp / "collated.docx"
    res = CliRunner().invoke(cli, ["collate", str(SAMPLE_DRAFT), str(returns), "-o", str(out),
                                   "--allocation", str(tmp / "allocation.csv"),
                                   "--report", str(tmp / "report")])
    assert res.exit_code == 3, res.output
    assert "Traceback" not in res.output + res.stderr
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("Error: ")]
    assert sorted(next(b for b in BAD if b in ln) for ln in errors) == sorted(BAD)
    back = read_annotations(out)
    inserted = {r.text: r.author for r in back.revisions if r.kind == "insert"}
    for group, text in expected.items():
        assert inserted.get(text) == group
    comments = {c.text for c in back.comments}
    assert {f"Comment from {g}" for g in expected} <= comments
    md = (tmp / "report" / "report.md").read_text(encoding="utf-8")
    html = (tmp / "report" / "report.html").read_text(encoding="utf-8")
    for name in BAD:
        assert name in md and name in html


def test_duplicate_return_newer_wins(batch, tmp_path):
    draft, allocations, tmp, returns, expected = batch
    folder = tmp_path / "dups"
    folder.mkdir()
    shutil.copy(returns / "Table 3.docx", folder / "Table 3.docx")
    shutil.copy(returns / "Table 3.docx", folder / "Table 3 (final).docx")
    os.utime(folder / "Table 3.docx", (1_700_000_000, 1_700_000_000))
    col = collate(draft, [folder], allocations)
    assert [Path(r.path).name for r in col.returns] == ["Table 3 (final).docx"]
    assert any("superseded" in r.reason for r in col.rejected)
    assert any("returned more than once" in m.text for m in col.messages)


def test_empty_return_is_fine(batch, tmp_path):
    draft, allocations, tmp, returns, expected = batch
    shutil.copy(tmp / "packs" / "Table 4.docx", tmp_path / "Table 4.docx")
    col = collate(draft, [tmp_path], allocations)
    assert [r.group for r in col.returns] == ["Table 4"] and not col.ops
    assert not col.rejected


def test_unsafe_group_names_make_safe_pack_names(tmp_path):
    draft = load_draft(SAMPLE_DRAFT)
    names = ["../escape", "C:\\temp", "Team 🐝", "a/b:c"]
    paths = write_packs(draft, allocate(draft, names), tmp_path / "packs")
    assert all(p.parent == tmp_path / "packs" for p in paths)
    assert len({p.name for p in paths}) == 4
    assert not (tmp_path / "escape.docx").exists()


def test_thousands_of_long_comments(tmp_path):
    draft = load_draft(SAMPLE_DRAFT)
    allocations = allocate(draft, ["Big"])
    pack = write_packs(draft, allocations, tmp_path / "packs")[0]
    doc = Docx.open(pack)
    snippet, _ = first_sentence_words(draft, "1.1")
    long_text = "This needs rewording. " * 400
    for n in range(1500):
        add_comment(doc, snippet, f"{n}: {long_text}" if n % 100 == 0 else f"Comment {n}",
                    "R", "R")
    doc.save(tmp_path / "Big.docx")
    col = collate(draft, [tmp_path / "Big.docx"], allocations)
    col.save(tmp_path / "out.docx")
    back = read_annotations(tmp_path / "out.docx")
    assert len(back.comments) == 1500
    assert max(len(c.text) for c in back.comments) > 8000


def test_output_equal_to_input_is_refused(batch):
    draft, allocations, tmp, returns, expected = batch
    target = returns / "Table 1.docx"
    before = target.read_bytes()
    res = CliRunner().invoke(cli, ["collate", str(SAMPLE_DRAFT), str(returns), "-o",
                                   str(target)])
    assert res.exit_code == 2 and "is also an input" in res.stderr
    assert target.read_bytes() == before
