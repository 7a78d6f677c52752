"""A group that splits a paragraph of a text box without Track Changes (Enter pressed with
tracking off) and makes tracked changes and comments in the box's other paragraphs: those are
placed in the collated document's box, not listed as unplaced because the box "does not
match". Read back by LibreOffice (its .odt), not by consult."""
from __future__ import annotations

import consult
from box_docx import BoxDocx, add_text_box
from conftest import SAMPLE_DRAFT, need
from edit_docx import add_comment, track_replace, untracked_split_paragraph
from odt_boxes import read as read_boxes
from pandoc_marks import accept_all, covered, group_view, norm

DATE = "2026-11-30T10:00:00Z"
BOX = ["Key fact: the SENCO is Ms Rivera, who works three days a week.",
       "Contact the office to book a meeting with the SENCO."]


def _text(tokens, keep) -> str:
    return norm("".join(t[1] for t in tokens if t[0] == "text" and keep(t[2])))


def test_tracked_changes_beside_an_untracked_split_in_a_box_are_placed(folder):
    need("soffice")
    here = folder / "split"
    (here / "returns").mkdir(parents=True)
    draft = add_text_box(SAMPLE_DRAFT, here / "boxed.docx", "This policy sets out", BOX)
    doc = BoxDocx.open(draft)
    untracked_split_paragraph(doc, "Contact the office", "to book")
    track_replace(doc, "Key fact", "three", "four", "Group 1", DATE)
    add_comment(doc, "Key fact", "Really?", "Group 1", "G", DATE, words="Ms Rivera")
    doc.save(here / "returns" / "Group 1.docx")
    col = consult.collate(consult.load_draft(draft), [here / "returns"])
    out = here / "collated.docx"
    col.save(out)
    assert not col.unplaced, col.unplaced
    (got,) = read_boxes(out, here / "lo")
    (want,) = read_boxes(here / "returns" / "Group 1.docx", here / "lo")
    view = group_view("Group 1", {"Group 1"})
    assert _text(got, view) == _text(want, accept_all)
    assert "four days" in _text(got, view)
    assert [(v["author"], v["body"], v["text"]) for v in covered(got, view).values()] == [
        ("Group 1", "Really?", "Ms Rivera")]
