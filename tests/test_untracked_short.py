"""Untracked edits found wherever they are (short sections, headings) and only those a person
made: what a re-save changes (spacing, no-break spaces, empty paragraphs) is not an edit.

The independent reader for the re-save is LibreOffice itself (``soffice --convert-to docx``)."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from box_docx import add_text_box
from conftest import SAMPLE_DRAFT, corpus_file, need
from edit_docx import (Docx, paragraph_text, plain_paragraphs, retype_beside_own_change,
                       track_replace, unique_words, untracked_replace, w)
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
            for p in ret.placed if not getattr(p.item, "tracked", True)]


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
# paragraph marks, spaces, en spaces), the sample draft; and drafts carrying their own tracked
# changes that LibreOffice rewrites: RP001-02 (a moved table, then deleted: it drops the
# deletions nested in w:moveTo and writes the deleted rows as inserted; 29 untracked edits on
# 6edbd7d), RP051 (it keeps none of the 712 changes, the deleted text as plain text: 70
# differences listed unplaced, and an edit typed in those paragraphs unplaced too), RP018 and
# pandoc's move file (it writes moves as insertions and deletions and back, and gives moved
# text format changes of its own: 3 and 2 of the draft's changes credited to the group); RP020,
# whose DATE field LibreOffice recomputes (and writes as DATE \@"M/d/yy"): 2 edits on 5a74d08;
# CA009, whose imported Word document chunk (w:altChunk, with a comment) LibreOffice makes
# paragraphs: 6 edits (its 3 paragraphs) and its comment credited to the group on 5a74d08;
# FA_RevTracking_008, one paragraph with two DATE fields: refused on 5a74d08 (0% matched).
RESAVED = ["Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-01-Accepted.docx",
           "Open-Xml-Pow__TestFiles_RP_RP052-Deleted-Para-Mark.docx",
           "Open-Xml-Pow__TestFiles_DA024-TrackedRevisions.docx",
           "Open-Xml-Pow__TestFiles_RP_RP052-Deleted-Para-Mark-Accepted.docx",
           "docx2python__tests_resources_checked_boxes.docx",
           "Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-02.docx",
           "Open-Xml-Pow__TestFiles_RP_RP051-Arabic.docx",
           "Open-Xml-Pow__TestFiles_RP_RP018-MoveFrom-MoveTo-CC.docx",
           "pandoc__test_docx_golden_track_changes_move.docx",
           "Open-Xml-Pow__TestFiles_RP_RP020-Inserted-Field-Code.docx",
           "Open-Xml-Pow__TestFiles_CA_CA009-altChunk.docx",
           "Open-Xml-Pow__TestFiles_FA_RevTracking_008-InsertedFieldCode.docx",
           "Open-Xml-Pow__TestFiles_RP_RP040-Deleted-Paras-at-End.docx",
           # LibreOffice re-saves its floating table (w:tblpPr) as a text frame
           "docx2python__tests_resources_240-DOP-1013ALayDownTubulars.docx"]
REWRITTEN = RESAVED[5:7]       # LibreOffice brings back text the draft's own changes deleted
# ... and in RP040 (one paragraph, its own deletion of the paragraphs after it) half the
# deleted text: the draft's only paragraph matches no paragraph of the return as it is
REVIVED = REWRITTEN + RESAVED[12:13]
OWN = "the draft's own tracked changes"


def _credited(ret) -> list[tuple]:
    """The tracked changes and comments the return is credited with."""
    return [(type(p.item).__name__, getattr(p.item, "kind", ""), p.item.author, p.item.text)
            for p in ret.placed if getattr(p.item, "tracked", True)]


def _packs(tmp: Path, drafts: list[Path]) -> list[tuple]:
    out = []
    for k, path in enumerate(drafts):
        d = load_draft(path)
        pack = tmp / f"pack{k}.docx"
        build_pack(d, Allocation("Group 1", tuple(s.id for s in d.sections))).save(pack)
        out.append((d, pack))
    return out


def test_an_unedited_pack_resaved_by_libreoffice_has_no_untracked_edits(tmp_path):
    """No edit, nothing credited to the group; what LibreOffice lost of the draft's own
    changes is listed unplaced, saying so."""
    packs = _packs(tmp_path, [corpus_file(n) for n in RESAVED] + [SAMPLE_DRAFT])
    got, want = [], []
    for (d, _), resaved in zip(packs, _resave(tmp_path, *(p for _, p in packs))):
        ret = ingest_one(d, resaved)
        name = Path(d.path).name
        got.append((name, _edits(ret), _credited(ret),
                    sorted({u.reason for u in ret.unplaced if OWN not in u.reason}),
                    bool(ret.unplaced) if name in REVIVED else None))
        want.append((name, [], [], [], True if name in REVIVED else None))
    assert got == want


def test_a_floating_table_libreoffice_puts_in_a_frame_is_still_the_drafts_text(tmp_path):
    """The frame LibreOffice makes of the draft's floating table holds the draft's paragraphs:
    they are not deleted, and a word typed over in them is the one edit, at its place; a text
    box the group adds is still listed as a box the draft does not have."""
    ((d, pack),) = _packs(tmp_path, [corpus_file(RESAVED[13])])
    doc = Docx.open(pack)
    untracked_replace(doc, "Chokes or rope stubs", "stubs", "ends")
    doc.save(tmp_path / "typed.docx")
    (tmp_path / "edited").mkdir()
    edited = add_text_box(tmp_path / "typed.docx", tmp_path / "edited" / "Group 1.docx",
                          "Work Party Sign", ["Our own note", "in two lines"])
    (resaved,) = _resave(tmp_path, edited)
    ret = ingest_one(d, resaved)
    k, at = _where(d, "stubs")
    assert sorted(_edits(ret)) == [("delete", "stubs", k, at, at + 5),
                                   ("insert", "ends", k, at + 5, at + 5)]
    assert [u.item.text for u in ret.unplaced] == ["Our own note\nin two lines"]
    assert "a text box the draft does not have" in ret.unplaced[0].reason


def _where(d, word: str) -> tuple[int, int]:
    (k,) = [p.index for p in d.paragraphs if re.search(rf"(?<!\w){word}(?!\w)", p.text)]
    return k, re.search(rf"(?<!\w){word}(?!\w)", d.paragraphs[k].text).start()


# LibreOffice (7.4) keeps no tracked change of RP051 at all, not even one a group adds: the
# group's tracked replacement is typed only where it keeps them.
KEEPS_TRACKED = {REWRITTEN[0]: True, REWRITTEN[1]: False}


@pytest.mark.parametrize("name", REWRITTEN)
def test_an_edited_pack_of_a_draft_libreoffice_rewrites_has_exactly_the_typed_edits(
        tmp_path, name):
    """Beside the draft's own changes LibreOffice rewrites, a word typed over without Track
    Changes (in a paragraph holding them, and in a plain one) is the edit, at its place, and
    a tracked replacement is the group's; nothing else is credited to the group."""
    ((d, pack),) = _packs(tmp_path, [corpus_file(name)])
    doc = Docx.open(pack)
    plain = [t for t in plain_paragraphs(doc) if re.search(r"\w{4,}", t)]
    beside = retype_beside_own_change(doc, "retyped")
    unique = unique_words(doc)
    first = next(x for x in re.findall(r"\w{4,}", plain[0]) if x in unique)
    untracked_replace(doc, plain[0], first, "changed")
    second = next(x for x in re.findall(r"\w{4,}", plain[1]) if x in unique)
    if KEEPS_TRACKED[name]:
        track_replace(doc, plain[1], second, "amended", "Priya Shah", "2026-11-30T09:00:00Z")
    (tmp_path / "edited").mkdir()
    (resaved,) = _resave(tmp_path, doc.save(tmp_path / "edited" / "Group 1.docx"))
    ret = ingest_one(d, resaved)
    want = []
    for word, typed in ((beside, "retyped"), (first, "changed")):
        k, at = _where(d, word)
        want += [("delete", word, k, at, at + len(word)),
                 ("insert", typed, k, at + len(word), at + len(word))]
    assert sorted(_edits(ret)) == sorted(want)
    assert sorted(_credited(ret)) == ([("Revision", "delete", "Priya Shah", second),
                                       ("Revision", "insert", "Priya Shah", "amended")]
                                      if KEEPS_TRACKED[name] else [])
    assert ret.unplaced and all(OWN in u.reason for u in ret.unplaced), \
        [u.reason for u in ret.unplaced]


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


# ---- what a converter does to the draft's own changes, on known XML ---------------------------

def _own_change_draft(tmp: Path):
    """A draft whose author inserted "brand new " and deleted "old " in one paragraph."""
    from tiny_docx import rev, run
    body = (heading("Rules") + "<w:p>" + run("Members bring ") +
            rev("ins", "Dana Drafter", run("brand new "), 1) +
            rev("del", "Dana Drafter", run("old ", deleted=True), 2) +
            run("cards to every meeting of the club.") + "</w:p>" +
            para("A second paragraph that nobody changes at all."))
    return load_draft(write(tmp / "draft.docx", body))


@pytest.mark.parametrize("text, kinds", [
    ("Members bring brand new old cards to every meeting of the club.", [("insert", "old ")]),
    ("Members bring cards to every meeting of the club.", [("delete", "brand new ")]),
])
def test_what_a_converter_does_to_the_drafts_own_changes_is_unplaced(tmp_path, text, kinds):
    """The return holds the paragraph with no marks: with the deleted text kept as plain text
    (as LibreOffice writes RP051), or with the inserted text dropped. Neither is an edit of
    the group's; each is listed, saying it is the draft's own change."""
    d = _own_change_draft(tmp_path)
    ret = ingest_one(d, write(tmp_path / "Group 1.docx", heading("Rules") + para(text) +
                              para("A second paragraph that nobody changes at all.")))
    assert _edits(ret) == []
    assert [(u.item.kind, u.item.text) for u in ret.unplaced] == kinds
    assert all(OWN in u.reason for u in ret.unplaced)


def test_a_word_typed_beside_the_drafts_kept_deleted_text_is_the_edit(tmp_path):
    d = _own_change_draft(tmp_path)
    ret = ingest_one(d, write(tmp_path / "Group 1.docx", heading("Rules") + para(
        "Members bring brand new old cards to every session of the club.") +
        para("A second paragraph that nobody changes at all.")))
    at = d.paragraphs[1].text.index("meeting")
    assert _edits(ret) == [("delete", "meeting", 1, at, at + 7), ("insert", "session", 1,
                                                                 at + 7, at + 7)]
    assert [(u.item.kind, u.item.text) for u in ret.unplaced] == [("insert", "old ")]
