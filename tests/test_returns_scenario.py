"""samples/returns/ is what samples/build_returns.py writes, valid, and holds what it says."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import edit_docx as ed
from consult.annotations import read_annotations

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "samples" / "build_returns.py"
RETURNS = REPO / "samples" / "returns"
VALIDATE = REPO.parent / "shared" / "ooxml-schemas" / "validate.py"
FACTS = json.loads((RETURNS / "scenario.json").read_text(encoding="utf-8"))
RETURNED = [g for g in FACTS["groups"] if g["returned"]]
TEXT_KINDS = {"replace": [("delete", "old"), ("insert", "new")], "delete": [("delete", "old")],
              "insert": [("insert", "new")],
              "insert-paragraph-after": [("insert", "new"), ("paragraph-insert", None)],
              "insert-paragraph-before": [("insert", "new"), ("paragraph-insert", None)]}


def load_script():
    spec = importlib.util.spec_from_file_location("build_returns", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module       # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def edits_of(group: dict) -> list[dict]:
    return [e for e in FACTS["edits"] if e["group"] == group["group"]]


def by_group(name: str) -> dict:
    return next(g for g in FACTS["groups"] if g["group"] == name)


def returned(test):
    return pytest.mark.parametrize("group", RETURNED, ids=[g["group"] for g in RETURNED])(test)


def test_rebuild_gives_the_same_bytes(tmp_path):
    written = load_script().build(tmp_path, libreoffice=False)
    lo_files = {g["file"] for g in RETURNED if g["libreoffice"]}
    committed = {p.name for p in RETURNS.iterdir()} - lo_files
    assert {p.name for p in written} == {p.name for p in tmp_path.iterdir()} == committed
    for name in sorted(committed):
        assert (tmp_path / name).read_bytes() == (RETURNS / name).read_bytes(), (
            f"samples/returns/{name} differs from what the script builds; run "
            "`python samples/build_returns.py` and commit the result.")


def test_returns_folder_holds_one_file_per_returning_group():
    docx = {p.name for p in RETURNS.glob("*.docx")}
    assert docx == {g["file"] for g in RETURNED}
    assert [g["group"] for g in FACTS["groups"] if not g["returned"]] == ["Group 7"]


def test_shared_section_gives_one_agreement_and_two_conflicts():
    shared = FACTS["shared_section"]
    for name in ("Group 2", "Group 3", "Group 4"):
        assert shared in by_group(name)["sections"]
    assert [a["groups"] for a in FACTS["agreements"]] == [["Group 2", "Group 3"]]
    assert [c["groups"] for c in FACTS["conflicts"]] == [["Group 2", "Group 4"]] * 2
    assert {c["section"] for c in FACTS["agreements"] + FACTS["conflicts"]} == {shared}
    kinds = sorted(tuple(x["kind"] for x in c["changes"]) for c in FACTS["conflicts"])
    assert kinds == [("replace", "delete"), ("replace", "replace")]


def test_scenario_md_tells_every_comment_and_change():
    text = (RETURNS / "SCENARIO.md").read_text(encoding="utf-8")
    for e in FACTS["edits"]:
        for key in ("comment", "old", "new", "anchor"):
            assert e[key] in text, (e["group"], key)


@pytest.mark.skipif(not VALIDATE.exists(), reason=f"{VALIDATE} not found (../shared is absent)")
@returned
def test_return_is_schema_valid(group):
    result = subprocess.run([sys.executable, str(VALIDATE), str(RETURNS / group["file"])],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@returned
def test_comments_are_the_scenario_comments(group):
    found = read_annotations(RETURNS / group["file"]).comments
    expected = [e for e in edits_of(group) if e["kind"] in ("comment", "reply")]
    assert Counter((c.author, c.text, c.anchor) for c in found) == Counter(
        (e["author"], e["comment"], e["anchor"]) for e in expected)
    ids = {c.text: c.id for c in found}
    for e in expected:
        comment = next(c for c in found if c.text == e["comment"])
        if group["threads_kept"]:
            assert comment.parent == (ids[e["reply_to"]] if e["reply_to"] else None)
            assert comment.resolved == e["resolved"]
        else:
            assert comment.parent is None and not comment.resolved


@returned
def test_tracked_changes_are_the_scenario_changes(group):
    found = read_annotations(RETURNS / group["file"]).revisions
    expected = Counter()
    for e in edits_of(group):
        if e["tracked"]:
            for kind, key in TEXT_KINDS[e["kind"]]:
                expected[(kind, e["author"], e["date"], e[key] if key else "\n")] += 1
    assert Counter((r.kind, r.author, r.date, r.text) for r in found) == expected


@returned
def test_return_is_saved_by_its_author_and_names_its_group(group):
    with zipfile.ZipFile(RETURNS / group["file"]) as z:
        core = etree.fromstring(z.read("docProps/core.xml"))
        custom = etree.fromstring(z.read("docProps/custom.xml"))
    assert core.findtext("{*}lastModifiedBy") == group["author"]
    assert core.findtext("{*}modified") == group["date"]
    props = {p.get("name"): p[0].text for p in custom}
    assert props["consult.group"] == group["group"]
    assert props["consult.sections"] == ";".join(group["sections"])


def test_untracked_group_left_its_edits_in_the_text_only():
    group = next(g for g in RETURNED if not g["cover_page"])
    doc = ed.Docx.open(RETURNS / group["file"])
    texts = [ed.paragraph_text(p) for p in doc.body.iter(ed.w("p"))]
    body = "\n".join(texts)
    assert "ConsultCover" not in doc.parts[doc.main].decode("utf-8")
    for e in edits_of(group):
        if e["kind"] == "replace":
            assert e["new"] in body and e["old"] not in body
        elif e["kind"] == "delete-paragraph":
            assert e["old"] not in texts
        elif e["kind"] == "split-paragraph":
            assert any(t.startswith(e["anchor"]) for t in texts)


@returned
def test_ids_are_unique_per_kind(group):
    with zipfile.ZipFile(RETURNS / group["file"]) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
    revisions = [el.get(ed.w("id")) for tag in ed.REVISION_TAGS for el in doc.iter(ed.w(tag))]
    starts = [el.get(ed.w("id")) for el in doc.iter(ed.w("commentRangeStart"))]
    assert len(revisions) == len(set(revisions))
    assert len(starts) == len(set(starts))
