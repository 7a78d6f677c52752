"""Real annotated files as returns: the draft is the file with every change rejected.

Ingest must place every comment and revision (found = placed + unplaced, no untracked edits
invented), and the collated document must hold the same comments and the same inserted and
deleted text, now credited to the group.
"""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from conftest import CORPUS
from wordcheck import libreoffice_converts, pandoc_reads, schema_valid, structure_ok

from consult.annotations import read_annotations
from consult.collate import collate
from consult.ingest import ingest_one
from consult.ooxml.document import story_parts
from consult.ooxml.order import tidy
from consult.ooxml.package import Package
from consult.ooxml.revisions import reject_all, resolve
from consult.ooxml.prune import strip_comments
from consult.split import load_draft


def annotated_files() -> list[str]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    rows = list(csv.DictReader(manifest.open(encoding="utf-8"), delimiter="\t"))
    keys = ["comments", "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange"]
    return [r["file"] for r in rows if any(int(r[k] or 0) for k in keys)]


FILES = annotated_files()
INS = {"insert", "move-to", "row-insert"}
DEL = {"delete", "move-from", "row-delete"}


def squash(texts) -> str:
    return "".join("".join(texts).split())


def make_draft(src: Path, tmp: Path) -> Path:
    """The file as its authors received it: every change rejected, no comments."""
    pkg = Package.open(src)
    root = pkg.xml(pkg.main)
    for part in [pkg.main] + story_parts(pkg):
        resolve(pkg.xml(part), reject_all)
    strip_comments(pkg, root)
    tidy(pkg)
    out = tmp / "draft.docx"
    pkg.save(out)
    return out


@pytest.mark.skipif(not FILES, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", FILES)
def test_real_return_round_trip(name, tmp_path):
    src = CORPUS / name
    draft = load_draft(make_draft(src, tmp_path))
    ret = ingest_one(draft, src)
    assert ret.found == len(ret.placed) + len(ret.unplaced) + len(ret.notes)   # notes: in footnotes
    assert not [p for p in ret.revisions if not p.item.tracked], "invented untracked edits"
    body_unplaced = [u for u in ret.unplaced if u.item.story == "body"]
    assert not body_unplaced, [(u.item.text, u.reason) for u in body_unplaced]

    col = collate(draft, [src])
    out = tmp_path / "collated.docx"
    col.save(out)
    structure_ok(out)
    back = read_annotations(out)
    before = read_annotations(src)
    placed_revs = [p.item for p in ret.revisions] + [     # and those placed in the notes
        p.item for p in ret.notes if not hasattr(p.item, "parent")]
    for kinds in (INS, DEL):
        want = squash(r.text for r in placed_revs if r.kind in kinds and r.kind not in
                      ("row-insert", "row-delete"))
        got = squash(r.text for r in back.revisions if r.kind in kinds and r.kind not in
                     ("row-insert", "row-delete"))
        assert sorted(got) == sorted(want)
    mine = [c for c in back.comments if c.author != "consult"]
    want_comments = [p.item for p in ret.comments] + [
        p.item for p in ret.notes if hasattr(p.item, "parent")]
    assert Counter(" ".join(c.text.split()) for c in mine) == Counter(
        " ".join(c.text.split()) for c in want_comments)
    assert len([c for c in mine if c.parent]) == len([c for c in want_comments if c.parent])
    assert all(c.author == Path(src).stem for c in mine)
    assert len(before.comments) == len(ret.comments) + len(
        [u for u in ret.unplaced if hasattr(u.item, "parent")]) + len(
        [p for p in ret.notes if hasattr(p.item, "parent")])


@pytest.mark.skipif(not FILES, reason="../shared/corpus/real is absent")
def test_real_collations_are_word_valid(tmp_path):
    """Schema-valid (where the producer's own file is), read by pandoc, converted by LO."""
    outs = []
    for k, name in enumerate(FILES):
        src = CORPUS / name
        base = make_draft(src, tmp_path)
        renamed = tmp_path / f"base{k}.docx"
        base.rename(renamed)
        try:
            schema_valid(renamed)
        except AssertionError:
            continue            # the producer's own quirks (see the validator's README)
        out = tmp_path / f"collated{k}.docx"
        collate(load_draft(renamed), [src]).save(out)
        outs.append(out)
    assert len(outs) >= 15
    schema_valid(*outs)
    for out in outs:
        pandoc_reads(out)
    libreoffice_converts(*outs)
