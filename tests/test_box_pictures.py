"""A picture inside a text box deleted without Track Changes: not read as the whole text box
deleted (an edit nobody made; the box's shape showed the picture's part, so its "picture key"
changed), and listed as unplaced with the reason, since consult does not write picture
changes in a text box. Read back by LibreOffice (its .odt), not by consult."""
from __future__ import annotations

import zipfile

import consult
from box_docx import BoxDocx, box_run
from conftest import SAMPLE_DRAFT, need
from edit_docx import Docx, find_paragraph, w
from odt_boxes import TEXT, convert
from test_tracked_objects import _image_part, picture_run, png


def test_an_untracked_picture_deletion_in_a_box_is_listed_not_invented(folder):
    need("soffice")
    here = folder / "boxpic"
    (here / "returns").mkdir(parents=True)
    doc = Docx.open(SAMPLE_DRAFT)
    rid = _image_part(doc, png(5))
    run = box_run(["Picture box: here it is.", "Second line."])
    for k, box in enumerate(run.iter(w("txbxContent"))):
        box[0].append(picture_run(rid, 900 + k, "Box picture"))
    find_paragraph(doc, "This policy sets out").append(run)
    draft = doc.save(here / "draft.docx")
    ret = BoxDocx.open(draft)
    picture = next(ret.body.iter(w("drawing"))).getparent()
    picture.getparent().remove(picture)
    ret.save(here / "returns" / "Group 1.docx")
    col = consult.collate(consult.load_draft(draft), [here / "returns"])
    out = here / "collated.docx"
    col.save(out)
    with zipfile.ZipFile(convert(out, here / "lo")) as z:
        content = z.read("content.xml").decode()
    assert "<text:deletion" not in content and TEXT in content, "an invented deletion"
    assert [(u.item.kind, u.item.text) for _, u in col.unplaced] == [
        ("object-delete", "[image or shape: Box picture]")], col.unplaced
    assert "without Track Changes in text box 1" in col.unplaced[0][1].reason
