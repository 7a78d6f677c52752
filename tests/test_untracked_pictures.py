"""Pictures deleted or inserted without Track Changes are found by the untracked diff and
written as "G (untracked)" tracked changes; a LibreOffice re-save invents none.

Independent readers: pandoc (``--track-changes=all``, pictures by their bytes' hashes) and
LibreOffice (the pictures of the .odt it makes of each group's projection)."""
from __future__ import annotations

import subprocess

import pytest

import edit_docx as ed
from conftest import corpus_file, need
from scripted import edit_and_collate
from test_tracked_objects import (DRAFT, _doc_pr_id, _image_part, hashes, libreoffice_images,
                                  pandoc_images, picture_run, png)
from wordcheck import rules_ok, word_checks

from consult.accept import accept, reject
from consult.ingest import ingest_one
from consult.split import load_draft

GROUPS = ("Group 1", "Group 2")


def untracked_insert(doc: ed.Docx, snippet: str, after: str, run) -> None:
    """Click just after ``after`` and insert ``run`` (a picture), Track Changes off."""
    p, _, end = ed.locate(doc, snippet, after)
    ed.split_at(p, end)
    before = [s for s in ed.segments(p) if s.end == end and s.end > s.start][-1]
    before.run.addnext(run)


def untracked_delete_picture(doc: ed.Docx, k: int) -> None:
    """Select the draft's k-th picture and press Delete, Track Changes off."""
    drawing = list(doc.body.iter(ed.w("drawing")))[k]
    run = drawing.getparent()
    run.getparent().remove(run)


@pytest.fixture(scope="module")
def untracked(folder):
    """Group 1 deletes the draft's first picture, Group 2 inserts a new one, untracked."""
    path = corpus_file(DRAFT)

    def edit(doc, group):
        if group == "Group 1":
            untracked_delete_picture(doc, 0)
        else:
            untracked_insert(doc, "A day on Earth is", "24 hours long.", picture_run(
                _image_part(doc, png(30)), _doc_pr_id(doc), "Untracked"))

    out = folder / "collated.docx"
    col, returns = edit_and_collate(path, folder, GROUPS, edit, out)
    return path, returns, col, out


def test_untracked_picture_changes_are_found(untracked):
    _, _, col, _ = untracked
    found = sorted((r.group, p.item.kind, p.item.tracked) for r in col.returns
                   for p in r.revisions)
    assert found == [("Group 1", "object-delete", False), ("Group 2", "object-insert", False)]
    assert [u.item.kind for _, u in col.unplaced] == []


def test_pandoc_reads_them_as_untracked_changes_of_their_groups(untracked, tmp_path):
    draft, _, _, out = untracked
    seen = pandoc_images(out, tmp_path, "all")
    base = pandoc_images(draft, tmp_path)
    assert (base[0], "deletion", "Group 1 (untracked)") in seen
    assert (hashes(png(30))[0], "insertion", "Group 2 (untracked)") in seen
    assert pandoc_images(out, tmp_path, "reject") == base
    assert rules_ok(out, since=draft) == []
    word_checks(out)


@pytest.mark.parametrize("group", GROUPS)
def test_each_projection_has_its_returns_pictures(untracked, tmp_path, group):
    _, returns, _, out = untracked
    mine = tmp_path / "mine.docx"
    accept(out, mine, groups=[group])
    assert pandoc_images(mine, tmp_path) == pandoc_images(returns[group], tmp_path)
    assert libreoffice_images(mine, tmp_path) == libreoffice_images(returns[group], tmp_path)


def test_rejecting_them_gives_the_drafts_pictures(untracked, tmp_path):
    draft, _, _, out = untracked
    back = tmp_path / "back.docx"
    reject(out, back, mode="default")
    assert pandoc_images(back, tmp_path) == pandoc_images(draft, tmp_path)


def test_a_libreoffice_resave_invents_no_picture_changes(untracked, folder, tmp_path):
    """An unedited pack re-saved by LibreOffice (its pictures rewritten) has no picture
    changes."""
    draft, _, _, _ = untracked
    outdir, profile = tmp_path / "resaved", tmp_path / "lo-profile"
    subprocess.run([need("soffice"), "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
                    str(folder / "pack Group 1.docx")], capture_output=True, check=True,
                   timeout=300)
    r = ingest_one(load_draft(draft), outdir / "pack Group 1.docx")
    assert [p.item.kind for p in r.revisions if p.item.kind.startswith("object")] == []
    assert [u.reason for u in r.unplaced if u.item.kind.startswith("object")] == []
