"""accept / reject by group on a collated real draft, read back by pandoc.

Three groups' full-document returns of a real Word file from ../shared/corpus/real, scripted
with edit_docx: Group 1 replaces a word; Groups 2 and 3 replace one word differently (a
conflict whose deletion they share) and another word the same way (an agreement); Group 3
also makes an edit with Track Changes off. Then, with pandoc as the reader:
``accept --group G`` reads exactly like G's return, and ``reject --group "Group 3"`` like the
draft with Group 1's and Group 2's edits made.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import corpus_file
from edit_docx import Docx, paragraph_text, track_replace, untracked_replace
from test_accept_groups import pandoc_paragraphs, projection

from consult.accept import accept, reject
from consult.collate import collate
from consult.split import load_draft

DRAFT = "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder02_Spec.docx"
DATE = "2026-11-02T10:00:00Z"


def targets(doc: Docx, count: int) -> list[tuple[str, str]]:
    """(snippet, word) in ``count`` different long paragraphs: a word found once in its
    paragraph, and a snippet that picks that paragraph alone."""
    texts = [paragraph_text(p) for p in doc.body.iter(f"{{{doc.body.nsmap.get('w')}}}p")]
    out = []
    for text in texts:
        if len(text) < 80 or sum(text[:40] in t for t in texts) != 1:
            continue
        words = [m for m in re.findall(r"\b[a-z]{6,}\b", text[40:]) if text.count(m) == 1]
        if words:
            out.append((text[:40], words[0]))
        if len(out) == count:
            return out
    pytest.skip(f"{DRAFT} has fewer than {count} paragraphs to edit")


@pytest.fixture(scope="module")
def collated(folder) -> dict[str, Path]:
    src = corpus_file(DRAFT)
    draft = folder / "draft.docx"
    shutil.copyfile(src, draft)
    (a, wa), (b, wb), (c, wc), (d, wd) = targets(Docx.open(draft), 4)
    returns = folder / "returns"
    returns.mkdir()
    edits = {
        "Group 1": lambda doc: track_replace(doc, a, wa, "first proposal", "Ann", DATE),
        "Group 2": lambda doc: (track_replace(doc, b, wb, "second proposal", "Bo", DATE),
                                track_replace(doc, c, wc, "agreed wording", "Bo", DATE)),
        "Group 3": lambda doc: (track_replace(doc, b, wb, "third proposal", "Cy", DATE),
                                track_replace(doc, c, wc, "agreed wording", "Cy", DATE),
                                untracked_replace(doc, d, wd, "quietly")),
    }
    files = {}
    for group, edit in edits.items():
        doc = Docx.open(draft)
        edit(doc)
        files[group] = doc.save(returns / f"{group}.docx")
    col = collate(load_draft(draft), [returns])
    assert len(col.conflicts) == 1
    out = folder / "collated.docx"
    col.save(out)
    return {"draft": draft, "collated": out, **files}


@pytest.mark.parametrize("group", ["Group 1", "Group 2", "Group 3"])
def test_accepting_a_group_reads_like_its_return(folder, collated, group):
    out = folder / f"accept-{group}.docx"
    result = accept(collated["collated"], out, groups=[group])
    assert result.left == 0
    assert pandoc_paragraphs(out) == pandoc_paragraphs(collated[group])
    assert pandoc_paragraphs(out) == projection(collated["collated"], group,
                                                ["Group 1", "Group 2", "Group 3"])


def test_rejecting_group_3_reads_like_groups_1_and_2(folder, collated):
    out = folder / "reject-3.docx"
    result = reject(collated["collated"], out, groups=["Group 3"])
    assert result.left == 0
    draft = pandoc_paragraphs(collated["draft"])
    one, two = pandoc_paragraphs(collated["Group 1"]), pandoc_paragraphs(collated["Group 2"])
    assert len(draft) == len(one) == len(two)
    expected = [x if x != d else y for d, x, y in zip(draft, one, two)]
    assert pandoc_paragraphs(out) == expected
    assert sum(e != d for e, d in zip(expected, draft)) == 3


def test_rejecting_group_1_leaves_the_conflict_of_2_and_3(folder, collated):
    out = folder / "reject-1.docx"
    result = reject(collated["collated"], out, groups=["Group 1"])
    assert result.left_why == ("conflict C1: no decision",)
    text = "\n".join(pandoc_paragraphs(out, "all"))
    assert "second proposal" in text and "third proposal" in text
    assert "agreed wording" in text and "quietly" in text
    assert "first proposal" not in text


# -- real files whose own tracked changes stay theirs ---------------------------------------------
# (Not RevisionTracking.docx: its author deleted a table row, and pandoc reads no row changes.)
REVISED = ["Open-Xml-Pow__TestFiles_RP_RP042-Deleted-Para-Mark-at-End.docx",
           "Open-Xml-Pow__TestFiles_RP_RP008-Multiple-Inserted-Para-Mark.docx",
           "Open-Xml-Pow__TestFiles_RP_RP041-Cell-With-Empty-Paras-at-End.docx",
           "Open-Xml-Pow__TestFiles_FA_RevTracking_002-DeletedNumberedParagraphs.docx",
           "Open-Xml-Pow__OpenXmlPowerToolsExamples_OpenXmlRegex01_TestDocument.docx",
           "Open-Xml-Pow__OpenXmlPowerToolsExamples_RevisionAccepter01_Source1.docx",
           "Open-Xml-Pow__TestFiles_CZ_CZ003-Multi-Paragraphs-Mod.docx",
           "Open-Xml-Pow__TestFiles_RP_RP036-Vert-Merged-Cells.docx",
           "Open-Xml-Pow__TestFiles_RP_RP046-Consecutive-Deleted-Ranges.docx",
           "Open-Xml-Pow__TestFiles_RP_RP048-Deleted-Inserted-Para-Mark.docx",
           "Open-Xml-Pow__TestFiles_RP_RP051-Arabic.docx"]
PAIR = ["Group 1", "Group 2"]


def credit_some_to_groups(src: Path, out: Path) -> Path:
    """``src`` with every third tracked insertion or deletion of text credited to Group 1,
    every third to "Group 1 & Group 2", the rest (and paragraph marks and table rows) left
    to their authors, and the summary table consult appends (listing the two groups)."""
    from consult.ooxml.build import SUMMARY_STYLE, add_consult_styles, table
    from consult.ooxml.package import Package
    pkg = Package.open(src)
    root = pkg.xml(pkg.main)
    w = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    revisions = [e for e in root.iter(f"{{{w}}}ins", f"{{{w}}}del")   # pandoc reads no
                 if e.getparent().tag not in (f"{{{w}}}rPr", f"{{{w}}}trPr")]  # row changes
    for k, rev in enumerate(revisions):
        if k % 3 < 2:
            rev.set(f"{{{w}}}author", ["Group 1", "Group 1 & Group 2"][k % 3])
    add_consult_styles(pkg)
    people = pkg.related(pkg.main, "/people")       # Word's rules: every author is a person
    if people:
        w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
        for name in ("Group 1", "Group 1 & Group 2"):
            pkg.xml(people).append(etree.Element(f"{{{w15}}}person", {f"{{{w15}}}author": name}))
    summary = table([["Section", "Groups assigned", "Returned"], ["1", "Group 1, Group 2",
                                                                   "Group 1"]],
                    SUMMARY_STYLE, [2000, 2000, 2000])
    body = root.find(f"{{{w}}}body")
    body.find(f"{{{w}}}sectPr").addprevious(summary)
    pkg.save(out)
    return out


def squashed(texts: list[str]) -> list[str]:
    """Without white space: pandoc moves a space at the edge of a change span out of it (or
    into it), so a projection from its --track-changes=all reading can gain or lose one."""
    return ["".join(t.split()) for t in texts]


@pytest.mark.parametrize("name", REVISED)
def test_the_projection_keeps_a_real_drafts_own_changes(folder, name):
    doc = credit_some_to_groups(corpus_file(name), folder / f"credited-{name}")
    for group in PAIR:
        out = folder / f"{group}-{name}"
        accept(doc, out, groups=[group])
        assert squashed(pandoc_paragraphs(out)) == squashed(projection(doc, group, PAIR))
