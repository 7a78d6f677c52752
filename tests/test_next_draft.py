"""Next draft from the collated sample: reject all -> the draft; accept one group -> its text."""
from __future__ import annotations

import pytest

from conftest import SAMPLE_DRAFT, SAMPLES

from consult.accept import accept, reject
from consult.allocate import read_plan
from consult.collate import collate
from consult.ooxml.build import OUR_STYLES
from consult.ooxml.document import open_document
from consult.split import load_draft

RETURNS = SAMPLES / "returns"


@pytest.fixture(scope="module")
def collated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("next")
    draft = load_draft(SAMPLE_DRAFT)
    col = collate(draft, [RETURNS], read_plan(draft, RETURNS / "allocation.csv"))
    col.save(tmp / "collated.docx")
    return draft, tmp


def texts(path) -> list[str]:
    return [dp.text for dp in open_document(path, accept=True).paragraphs]


def test_rejecting_everything_gives_the_draft(collated):
    draft, tmp = collated
    reject(tmp / "collated.docx", tmp / "rejected.docx", mode="all")
    assert texts(tmp / "rejected.docx") == [p.text for p in draft.paragraphs]


@pytest.mark.parametrize("group,file", [("Group 1", "Group 1 - SEN policy comments.docx"),
                                        ("Group 6", "Group 6 (LibreOffice).docx")])
def test_accepting_one_group_gives_its_edited_text(collated, group, file):
    draft, tmp = collated
    out = tmp / f"{group}.docx"
    accept(tmp / "collated.docx", out, groups=[group])
    got = texts(out)
    theirs = [dp.text for dp in open_document(RETURNS / file, accept=True).paragraphs
              if dp.style not in OUR_STYLES]
    first = draft.section(read_plan(draft, RETURNS / "allocation.csv")[
        int(group.split()[1]) - 1].sections[0]).start
    assert got[first:first + len(theirs)] == theirs
    assert got != [p.text for p in draft.paragraphs]
