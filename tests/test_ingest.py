"""Ingest: annotations placed on the draft, through LibreOffice re-saves, reordering, bad files."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from conftest import SAMPLE_DRAFT, SAMPLES, need

from consult.cli import cli
from consult.ingest import ingest, ingest_one
from consult.model import Comment
from consult.split import load_draft

RETURNS = SAMPLES / "returns"
FACTS = json.loads((RETURNS / "scenario.json").read_text(encoding="utf-8"))
TRACKED = {"replace", "insert", "delete"}


@pytest.fixture(scope="module")
def draft():
    return load_draft(SAMPLE_DRAFT)


def places(ret):
    """(kind, section, paragraph, start, end, text) of each placed annotation."""
    out = set()
    for p in ret.placed:
        item = p.item
        kind = "comment" if isinstance(item, Comment) else item.kind
        out.add((kind, p.place.section, p.place.paragraph, p.place.start, p.place.end,
                 " ".join(item.text.split())))
    return out


def expected(group: str):
    """What scenario.json says should be placed for a group (tracked edits and comments)."""
    out = set()
    for e in FACTS["edits"]:
        if e["group"] != group:
            continue
        if e["kind"] in ("comment", "reply"):
            out.add(("comment", e["section"], e["paragraph"], e["start"], e["end"],
                     " ".join(e["comment"].split())))
        elif e["kind"] == "replace" and e["tracked"]:
            out.add(("delete", e["section"], e["paragraph"], e["start"], e["end"], e["old"]))
            out.add(("insert", e["section"], e["paragraph"], e["end"], e["end"], e["new"]))
        elif e["kind"] == "insert" and e["tracked"]:
            out.add(("insert", e["section"], e["paragraph"], e["start"], e["end"], e["new"]))
        elif e["kind"] == "delete" and e["tracked"]:
            out.add(("delete", e["section"], e["paragraph"], e["start"], e["end"],
                     " ".join(e["old"].split())))
    return out


@pytest.mark.parametrize("group", [g["group"] for g in FACTS["groups"] if g["returned"]])
def test_sample_returns_are_placed_where_the_scenario_says(draft, group):
    fact = next(g for g in FACTS["groups"] if g["group"] == group)
    ret = ingest_one(draft, RETURNS / fact["file"])
    assert ret.group == group
    assert ret.found == len(ret.placed) + len(ret.unplaced)
    assert not ret.unplaced
    assert expected(group) <= places(ret)


def test_untracked_edits_are_found_word_by_word(draft):
    ret = ingest_one(draft, RETURNS / "Group 5.docx")
    untracked = [p for p in ret.revisions if not p.item.tracked]
    got = {(p.item.kind, p.item.text) for p in untracked}
    assert ("delete", "two terms") in got or ("delete", "two") in got
    assert any(k == "insert" and "one full term" in t or t == "one full" for k, t in got)
    assert ("delete", "twelve") in got and ("insert", "12") in got
    deleted = [p for p in untracked if p.item.kind == "delete" and
               p.item.text.startswith("Parents may also request")]
    assert deleted and deleted[0].place.paragraph == 118
    assert any(p.item.kind == "paragraph-delete" and p.place.paragraph == 118 for p in untracked)
    split = [p for p in untracked if p.item.kind == "paragraph-insert"]
    assert [(p.place.paragraph, p.place.start) for p in split] == [(129, 250)]
    # no "character soup": every untracked piece is whole words
    for p in untracked:
        text = p.item.text.strip()
        assert not text or text == "\n" or len(text) > 1 or not text.isalpha()


@pytest.fixture(scope="module")
def resaved(tmp_path_factory):
    """Every sample return opened and saved again by LibreOffice headless."""
    soffice = need("soffice")
    tmp = tmp_path_factory.mktemp("lo")
    src = tmp / "src"
    src.mkdir()
    for g in FACTS["groups"]:
        if g["returned"]:
            shutil.copy(RETURNS / g["file"], src / g["file"])
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp / "out"),
                    *sorted(map(str, src.iterdir()))], capture_output=True, timeout=600,
                   check=True)
    return tmp / "out"


@pytest.mark.parametrize("group", [g["group"] for g in FACTS["groups"] if g["returned"]])
def test_returns_resaved_by_libreoffice_still_place_everything(draft, resaved, group):
    fact = next(g for g in FACTS["groups"] if g["group"] == group)
    original = ingest_one(draft, RETURNS / fact["file"])
    again = ingest_one(draft, resaved / fact["file"])
    assert again.group == group and not again.unplaced
    assert again.found == len(again.placed)
    tracked = {x for x in places(original) if x[0] in ("insert", "delete", "comment")}
    assert tracked <= places(again)


def test_pasted_into_a_new_document_reordered_and_split(draft, tmp_path):
    """No pack identity, no styles, sections in another order, one paragraph split."""
    s31, s32 = draft.section("3.1"), draft.section("3.2")
    texts = [p.text for p in draft.paragraphs[s32.start:s32.end]]
    texts += [p.text for p in draft.paragraphs[s31.start:s31.end]]
    k = texts.index(draft.paragraphs[s31.start + 1].text)
    cut = texts[k].index(" The SENCO")
    texts[k:k + 1] = [texts[k][:cut], texts[k][cut + 1:]]
    document = docx.Document()
    for t in texts:
        document.add_paragraph(t)
    path = tmp_path / "SENCO table notes.docx"
    document.save(path)
    ret = ingest_one(draft, path)
    assert set(ret.sections) == {"3.1", "3.2"} and ret.identified_by == "file name"
    untracked = [p for p in ret.revisions if not p.item.tracked]
    assert [(p.item.kind, p.place.paragraph) for p in untracked] == [
        ("delete", s31.start + 1), ("paragraph-insert", s31.start + 1)]


def test_return_of_another_document_is_rejected(draft):
    result = ingest(draft, [SAMPLE_DRAFT.parent.parent / "tests" / "conftest.py"] + [
        RETURNS / "Group 2.docx"])
    assert len(result.returns) == 1 and len(result.rejected) == 1


def test_bad_files_in_a_batch(draft, tmp_path):
    from make_hostile import build
    bad = tmp_path / "batch"
    bad.mkdir()
    cases = {c.filename: c for c in build(bad)}
    keep = ["not-a-zip.docx", "old-word.doc", "password.docx", "truncated.docx"]
    for name in list(cases):
        if name not in keep:
            (bad / name).unlink()
    shutil.copy(RETURNS / "Group 2.docx", bad / "Group 2.docx")
    shutil.copy(RETURNS / "Group 4.docx", bad / "Group 4.docx")
    result = ingest(draft, [bad])
    assert sorted(r.group for r in result.returns) == ["Group 2", "Group 4"]
    assert sorted(Path(r.path).name for r in result.rejected) == sorted(keep)
    for r in result.rejected:
        assert "\n" not in r.reason and cases[Path(r.path).name].expect in r.reason
    runner = CliRunner()
    res = runner.invoke(cli, ["ingest", str(SAMPLE_DRAFT), str(bad)])
    assert res.exit_code == 3
    for name in keep:
        assert any(line.startswith("Error: ") and name in line
                   for line in res.stderr.splitlines())
    assert "Traceback" not in res.output + res.stderr


def test_annotations_json_shape():
    res = CliRunner().invoke(cli, ["annotations", str(RETURNS / "Group 1 - SEN policy "
                                                             "comments.docx"), "--json"])
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert set(data) == {"file", "comments", "revisions"}
    assert set(data["comments"][0]) == {"id", "author", "initials", "date", "text", "anchor",
                                        "parent", "resolved"}
    assert set(data["revisions"][0]) == {"kind", "author", "date", "text"}
    reply = [c for c in data["comments"] if c["parent"]]
    assert reply and reply[0]["author"] == "Tom Reed"
    assert any(c["resolved"] for c in data["comments"])
