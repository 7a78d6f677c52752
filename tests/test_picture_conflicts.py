"""Pictures inserted by two groups at one place: the same picture is an agreement (one
insertion crediting both), different pictures a conflict, as with words.

Returns are full packs of a real draft; pandoc (``--track-changes=all``, pictures compared by
their bytes) reads the collated document, and the summary, --json and the reports say it.
"""
from __future__ import annotations

import subprocess

import pytest

import edit_docx as ed
from conftest import corpus_file, need
from pandoc_reader import pandoc_json
from test_tracked_objects import (DRAFT, _doc_pr_id, _image_part, hashes, pandoc_images,
                                  picture_run, png, track_insert_object)
from wordcheck import word_checks

from consult.collate import collate
from consult.model import Allocation
from consult.packs import build_pack
from consult.report import summary_json, write_reports
from consult.split import load_draft

GROUPS = ("Group 1", "Group 2", "Group 3")
# (group, paragraph, after, picture, its name): Groups 1 and 2 put different pictures after
# "13,000 km wide."; Groups 1 and 3 the same picture (named differently) after "24 hours long."
PICTURES = [("Group 1", "The Earth is nearly", "13,000 km wide.", 1, "Mine"),
            ("Group 2", "The Earth is nearly", "13,000 km wide.", 2, "Theirs"),
            ("Group 1", "A day on Earth is", "24 hours long.", 3, "Picture 7"),
            ("Group 3", "A day on Earth is", "24 hours long.", 3, "Picture 2")]


@pytest.fixture(scope="module")
def clash(folder):
    path = corpus_file(DRAFT)
    draft = load_draft(path)
    every = tuple(s.id for s in draft.sections)
    returns = []
    for group in GROUPS:
        pack = folder / f"pack {group}.docx"
        build_pack(draft, Allocation(group, every), context="full").save(pack)
        doc = ed.Docx.open(pack)
        for who, snippet, after, seed, name in PICTURES:
            if who == group:
                run = picture_run(_image_part(doc, png(seed)), _doc_pr_id(doc), name)
                track_insert_object(doc, snippet, after, run, group)
        returns.append(doc.save(folder / f"{group}.docx"))
    col = collate(draft, returns, [Allocation(g, every) for g in GROUPS])
    out = folder / "collated.docx"
    col.save(out)
    return col, out


def test_different_pictures_at_one_place_are_a_conflict(clash):
    col, _ = clash
    conflicts = list(col.conflicts)
    assert [(c.id, [g for g, _ in c.versions]) for c in conflicts] == [
        ("C1", ["Group 1", "Group 2"])]
    versions = dict(conflicts[0].versions)
    assert "[image or shape: Mine]" in versions["Group 1"]
    assert "[image or shape: Theirs]" in versions["Group 2"]


def test_pandoc_reads_the_agreement_once_and_both_sides_of_the_conflict(clash, tmp_path):
    _, out = clash
    seen = [(h, a) for h, kind, a in pandoc_images(out, tmp_path, "all") if kind == "insertion"]
    one, two, three = hashes(png(1), png(2), png(3))
    assert seen == [(one, "Group 1"), (two, "Group 2"), (three, "Group 1 & Group 3")]
    doc = pandoc_json(out, styles=False)
    notes = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Span" and "comment-start" in node["c"][0][1]:
                notes.append((dict(node["c"][0][2]).get("author"), stringify(node["c"][1])))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(doc)
    mine = [t for a, t in notes if a == "consult"]
    assert len(mine) == 1 and "C1" in mine[0] and "Mine" in mine[0] and "Theirs" in mine[0]
    word_checks(out)


def stringify(inlines) -> str:
    out = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Str":
                out.append(node["c"])
            elif node.get("t") in ("Space", "SoftBreak", "LineBreak"):
                out.append(" ")
            else:
                walk(node.get("c"))
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(inlines)
    return "".join(out)


def test_the_summary_json_and_reports_list_the_conflict(clash, tmp_path):
    col, out = clash
    data = summary_json(col)
    assert [(c["id"], [v["group"] for v in c["versions"]]) for c in data["conflicts"]] == [
        ("C1", ["Group 1", "Group 2"])]
    text = subprocess.run([need("pandoc"), str(out), "-t", "plain", "--wrap=none"],
                          capture_output=True, text=True, check=True).stdout
    summary = text[text.index("Collation summary"):]
    assert "C1 (section" in summary and "Group 2: \u201c" in summary
    write_reports(col, tmp_path / "report")
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "C1" in md


@pytest.mark.parametrize("group", GROUPS)
def test_each_groups_projection_has_its_pictures(clash, folder, tmp_path, group):
    """accept --group G settles the conflict for G (the other side rejected) and keeps the
    agreement for each of its groups."""
    from consult.accept import accept
    _, out = clash
    mine = tmp_path / "mine.docx"
    accept(out, mine, groups=[group])
    assert pandoc_images(mine, tmp_path) == pandoc_images(folder / f"{group}.docx", tmp_path)
