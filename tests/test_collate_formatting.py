"""Formatting changes in the collated document: Word keeps one tracked formatting change a
run, so when groups format the same text differently the first is the tracked change and
every other is kept as a comment naming the group and what it did (nothing is lost)."""
from __future__ import annotations

import pytest
from conftest import SAMPLE_DRAFT
from edit_docx import Docx, track_format
from lxml import etree
from wordcheck import schema_valid

from consult.annotations import read_annotations
from consult.collate import collate
from consult.model import Allocation
from consult.ooxml.package import Package
from consult.packs import write_packs
from consult.split import load_draft

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = "2026-09-10T10:00:00Z"
PURPOSE = "This policy sets out how"
SECTIONS = ("1", "1.1", "1.2")
FORMATS = {"Group 1": {"b": None}, "Group 2": {"i": None}, "Group 3": {"b": None},
           "Group 4": {"color": "C00000"}}


@pytest.fixture(scope="module")
def collated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("formatting")
    draft = load_draft(SAMPLE_DRAFT)
    allocations = [Allocation(g, SECTIONS) for g in FORMATS]
    packs = write_packs(draft, allocations, tmp / "packs")
    (tmp / "returns").mkdir()
    for pack, (group, props) in zip(packs, FORMATS.items()):
        doc = Docx.open(pack)
        track_format(doc, PURPOSE, "identifies", props, group + " reviewer", DATE)
        doc.save(tmp / "returns" / f"{group}.docx")
    col = collate(draft, [tmp / "returns"], allocations)
    out = tmp / "collated.docx"
    col.save(out)
    return col, out


def _changes(path):
    root = Package.open(path).xml("word/document.xml")
    return [(c.get(W + "author"), "".join(c.getparent().getparent().itertext()))
            for c in root.iter(W + "rPrChange")]


def test_one_tracked_formatting_change_the_others_as_comments(collated):
    col, path = collated
    changes = _changes(path)
    assert {author for author, _ in changes} == {"Group 1 & Group 3"}     # bold, agreed
    assert "".join(text for _, text in changes) == "identifies"
    notes = {c.author: c for c in read_annotations(path).comments}
    for group, what in (("Group 2", "(italic)"), ("Group 4", "(colour C00000)")):
        note = notes[group]
        assert f"changed the formatting of this text {what}" in note.text
        assert "Group 1 & Group 3's formatting of it is the tracked change shown" in note.text
        assert note.anchor == "identifies"
    schema_valid(path)


def test_every_groups_formatting_is_in_the_document(collated):
    col, path = collated
    tracked = {g for author, _ in _changes(path) for g in author.split(" & ")}
    noted = {c.author for c in read_annotations(path).comments if "formatting" in c.text}
    assert tracked | noted == set(FORMATS) and not tracked & noted
    root = etree.fromstring(Package.open(path).part_bytes("word/document.xml"))
    bold = [r for r in root.iter(W + "r") if r.find(f"{W}rPr/{W}b") is not None
            and "identifies" in "".join(r.itertext())]
    assert bold                                 # the tracked change is Group 1's bold
