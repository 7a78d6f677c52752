"""Pictures inserted with Track Changes in a footnote or endnote: listed as unplaced with a
reason that says what they are, in plain English ("an endnote", "an image or shape")."""
from __future__ import annotations

import posixpath

import pytest
from lxml import etree

import edit_docx as ed
from conftest import SAMPLE_DRAFT
from test_notes import NOTE, REL, EndnotesDocx, NotesDocx, as_endnotes
from test_tracked_objects import REL_IMAGE, picture_run, png, track_insert_object

from consult.ingest import ingest_one
from consult.split import load_draft


def note_image(doc: NotesDocx, data: bytes) -> str:
    """Add ``data`` as a new image part related from the return's notes part: the rId."""
    part = doc.related(REL + doc.story)
    name = "word/media/noteimage1.png"
    doc.parts[name] = data
    types = doc.xml("[Content_Types].xml")
    if not any(d.get("Extension", "").lower() == "png" for d in types.iter(f"{{{ed.CT}}}Default")):
        etree.SubElement(types, f"{{{ed.CT}}}Default", Extension="png", ContentType="image/png")
    rels_name = doc._rels_name(part)
    if rels_name not in doc.parts:
        doc.parts[rels_name] = etree.tostring(etree.Element(f"{{{ed.PR}}}Relationships",
                                                            nsmap={None: ed.PR}))
    rels = doc.xml(rels_name)
    etree.SubElement(rels, f"{{{ed.PR}}}Relationship", Id="rIdNote1", Type=REL_IMAGE,
                     Target=posixpath.relpath(name, "word"))
    return "rIdNote1"


def note_return(folder, story: str, group: str = "Group 1"):
    """The sample draft (its footnote made an endnote for "endnotes") returned with a
    picture inserted, tracked, in the note; (draft path, return path)."""
    source = SAMPLE_DRAFT if story == "footnotes" else as_endnotes(
        SAMPLE_DRAFT, folder / f"endnotes {group}.docx")
    doc = (NotesDocx if story == "footnotes" else EndnotesDocx).open(source)
    run = picture_run(note_image(doc, png(9)), 900, "In the note")
    track_insert_object(doc, NOTE, "Department for Education", run, group)
    return source, doc.save(folder / f"{group} {story}.docx")


@pytest.mark.parametrize("story,note", [("footnotes", "a footnote"),
                                        ("endnotes", "an endnote")])
def test_a_picture_in_a_note_is_unplaced_saying_what_it_is(folder, story, note):
    draft, ret = note_return(folder, story)
    r = ingest_one(load_draft(draft), ret)
    reasons = [u.reason for u in r.unplaced if u.item.kind == "object-insert"]
    assert len(reasons) == 1
    assert reasons[0].startswith(f"it is an image or shape inserted with Track Changes in "
                                 f"{note};"), reasons[0]
    assert " a object" not in reasons[0] and " a endnote" not in reasons[0]
    assert [p for p in r.notes if p.item.kind.startswith("object")] == []
