"""Untracked edits found wherever they are (short sections, headings) and only those a person
made: what a re-save changes (spacing, no-break spaces, empty paragraphs) is not an edit.

The independent reader for the re-save is LibreOffice itself (``soffice --convert-to docx``)."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import SAMPLE_DRAFT, corpus_file, need
from edit_docx import Docx, paragraph_text, track_replace, untracked_replace, w
from tiny_docx import heading, para, write

from consult.align import Alignment, Gap
from consult.ingest import ingest_one
from consult.model import Allocation
from consult.packs import build_pack
from consult.split import load_draft
from consult.untracked import untracked_revisions

LONG = [f"Paragraph {k} of the long section explains the rules for members in some detail."
        for k in range(6)]
FOUR = ["The first rule of the short section.", "The second rule of the short section.",
        "The third rule applies to visitors.", "The fourth rule is about the end."]
HEADS = ["Attendance at meetings", "Short heading section", "Visitors and guests",
         "Closing remarks"]


def _doc(path: Path, items: list[str]) -> Path:
    """Paragraphs; an item starting with "#" is a Heading 1."""
    return write(path, "".join(heading(t[1:]) if t.startswith("#") else para(t)
                               for t in items))


def _draft_items(heads=HEADS, four=FOUR) -> list[str]:
    return (["#" + heads[0]] + LONG + ["#" + heads[1], "#" + heads[2]] + four +
            ["#" + heads[3]] + LONG[:3])


def _edits(ret) -> list[tuple]:
    return [(p.item.kind, p.item.text, p.place.paragraph, p.place.start, p.place.end)
            for p in ret.placed if not p.item.tracked]


@pytest.fixture
def draft(tmp_path):
    return load_draft(_doc(tmp_path / "draft.docx", _draft_items()))


def test_a_changed_word_in_a_one_paragraph_heading_section_is_a_replaced_word(draft, tmp_path):
    heads = [HEADS[0], "Short title section"] + HEADS[2:]
    ret = ingest_one(draft, _doc(tmp_path / "Group 1.docx", _draft_items(heads)))
    assert _edits(ret) == [("delete", "heading", 7, 6, 13), ("insert", "title", 7, 13, 13)]
    assert "2" in ret.sections


def test_a_heading_edited_in_a_return_of_two_short_sections(draft, tmp_path):
    ret = ingest_one(draft, _doc(tmp_path / "Group 1.docx",
                                 ["#Short title section", "#" + HEADS[2]] + FOUR))
    assert _edits(ret) == [("delete", "heading", 7, 6, 13), ("insert", "title", 7, 13, 13)]
    assert ret.sections == ("2", "3")


def test_an_edit_with_no_place_is_listed_not_dropped():
    """Text typed where no paragraph on either side matches the draft: it comes back with no
    position, and ingest lists it as unplaced (see ingest_one)."""
    gap = Gap(ret=[0], draft=[], after=None, before=None)
    found = untracked_revisions(["Draft text."], ["Typed text."], Alignment(gaps=[gap]), "G")
    assert [(r.kind, r.text, r.start) for r in found] == [("insert", "Typed text.", None)]


def test_spacing_and_empty_paragraphs_are_not_edits(draft, tmp_path):
    """No-break for plain spaces, doubled and trailing spaces, an empty paragraph added:
    none is an edit; the one word typed is."""
    items = _draft_items()
    items[1] = items[1].replace(" ", "\u00a0", 3)
    items[2] = items[2].replace("explains the", "explains  the") + "  "
    items.insert(4, "")
    items[11] = items[11].replace("second", "2nd")
    ret = ingest_one(draft, _doc(tmp_path / "Group 1.docx", items))
    assert _edits(ret) == [("delete", "second", 10, 4, 10), ("insert", "2nd", 10, 10, 10)]


# ---- LibreOffice re-saves -------------------------------------------------------------------

def _resave(tmp: Path, *paths: Path) -> list[Path]:
    """Each file opened and saved again as .docx by LibreOffice."""
    out = tmp / "resaved"
    subprocess.run([need("soffice"), f"-env:UserInstallation=file://{tmp}/lo-profile",
                    "--headless", "--convert-to", "docx", "--outdir", str(out),
                    *map(str, paths)], capture_output=True, check=True, timeout=600)
    return [out / p.name for p in paths]


# Real drafts whose re-saved packs gained invented untracked edits on a1c644c (1-8 each:
# paragraph marks, spaces, en spaces), the sample draft.
# (RP001-02 and RP051 are left out: LibreOffice rewrites the draft's own tracked changes the
# packs carry (a moved table, nested changes) into others; see docs/input-handling.md.)
RESAVED = ["Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-01-Accepted.docx",
           "Open-Xml-Pow__TestFiles_RP_RP052-Deleted-Para-Mark.docx",
           "Open-Xml-Pow__TestFiles_DA024-TrackedRevisions.docx",
           "Open-Xml-Pow__TestFiles_RP_RP052-Deleted-Para-Mark-Accepted.docx",
           "docx2python__tests_resources_checked_boxes.docx"]


def test_an_unedited_pack_resaved_by_libreoffice_has_no_untracked_edits(tmp_path):
    drafts = [corpus_file(n) for n in RESAVED] + [SAMPLE_DRAFT]
    loaded = [load_draft(p) for p in drafts]
    packs = []
    for k, d in enumerate(loaded):
        pack = tmp_path / f"pack{k}.docx"
        build_pack(d, Allocation("Group 1", tuple(s.id for s in d.sections))).save(pack)
        packs.append(pack)
    for d, resaved in zip(loaded, _resave(tmp_path, *packs)):
        ret = ingest_one(d, resaved)
        assert (Path(d.path).name, _edits(ret)) == (Path(d.path).name, [])


def _retype_heading(doc: Docx, old: str, new: str) -> None:
    """Type over the heading whose whole text is ``old`` (the cover lists it too)."""
    (p,) = [p for p in doc.body.iter(w("p")) if paragraph_text(p) == old]
    texts = list(p.iter(w("t")))
    texts[0].text = new
    for t in texts[1:]:
        t.text = ""


def test_an_edited_pack_resaved_by_libreoffice_has_exactly_the_typed_edits(tmp_path):
    d = load_draft(SAMPLE_DRAFT)
    pack = tmp_path / "Group 1.docx"
    build_pack(d, Allocation("Group 1", tuple(s.id for s in d.sections))).save(pack)
    doc = Docx.open(pack)
    untracked_replace(doc, "We believe that every child", "entitled", "able")
    _retype_heading(doc, "Our aims", "Our goals")
    track_replace(doc, "to identify needs as early", "early", "soon", "Priya Shah",
                  "2026-11-30T09:00:00Z")
    (tmp_path / "edited").mkdir()
    (resaved,) = _resave(tmp_path, doc.save(tmp_path / "edited" / "Group 1.docx"))
    ret = ingest_one(d, resaved)
    aims = next(p.index for p in d.paragraphs if p.text == "Our aims")
    believe = next(p.index for p in d.paragraphs if p.text.startswith("We believe"))
    at = d.paragraphs[believe].text.index("entitled")
    assert sorted(_edits(ret)) == sorted([
        ("delete", "aims", aims, 4, 8), ("insert", "goals", aims, 8, 8),
        ("delete", "entitled", believe, at, at + 8), ("insert", "able", believe, at + 8,
                                                      at + 8)])
    tracked = [(p.item.kind, p.item.text) for p in ret.placed if p.item.tracked]
    assert sorted(tracked) == [("delete", "early"), ("insert", "soon")]
