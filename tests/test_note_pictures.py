"""Pictures in footnotes and endnotes: one inserted with Track Changes is carried into the
collated note under its group (pandoc reads it there); one deleted is listed as unplaced with a
reason that says what it is, in plain English ("an endnote", "an image or shape")."""
from __future__ import annotations

import posixpath

import pytest
from lxml import etree

import edit_docx as ed
from conftest import SAMPLE_DRAFT
from test_notes import NOTE, REL, EndnotesDocx, NotesDocx, as_endnotes
from test_tracked_objects import (REL_IMAGE, hashes, pandoc_images, picture_run, png,
                                  track_insert_object)
from wordcheck import rules_ok, word_checks

from consult.accept import accept, reject
from consult.collate import collate
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
    (folder / story).mkdir(exist_ok=True)
    return source, doc.save(folder / story / f"{group}.docx")


def note_draft_with_picture(folder, story: str):
    """The sample draft with a picture in its footnote (or endnote), put there without Track
    Changes: a draft whose note holds a picture."""
    source = SAMPLE_DRAFT if story == "footnotes" else as_endnotes(
        SAMPLE_DRAFT, folder / f"endnotes base {story}.docx")
    doc = (NotesDocx if story == "footnotes" else EndnotesDocx).open(source)
    p, _, end = ed.locate(doc, NOTE, "Department for Education")
    ed.split_at(p, end)
    before = [s for s in ed.segments(p) if s.end == end and s.end > s.start][-1]
    before.run.addnext(picture_run(note_image(doc, png(8)), 901, "Drafted"))
    return doc.save(folder / f"draft with a note picture {story}.docx")


@pytest.mark.parametrize("story", ["footnotes", "endnotes"])
def test_a_picture_deleted_in_a_note_is_carried(folder, tmp_path, story):
    """Groups 1 and 2 delete the draft's picture in its note (an agreement): pandoc reads it
    in the collated note as their deletion; Group 1's projection has no picture, every change
    rejected the draft's one."""
    draft = note_draft_with_picture(folder, story)
    (folder / f"del {story}").mkdir(exist_ok=True)
    returns = []
    for group in ("Group 1", "Group 2"):
        doc = (NotesDocx if story == "footnotes" else EndnotesDocx).open(draft)
        run = next(doc.body.iter(ed.w("drawing"))).getparent()
        wrapper = ed.el("del", ed._rev_attrs(doc, group, "2026-11-30T10:00:00Z"))
        run.addprevious(wrapper)
        wrapper.append(run)
        returns.append(doc.save(folder / f"del {story}" / f"{group}.docx"))
    col = collate(load_draft(draft), returns)
    assert [[p.item.kind for p in r.notes] for r in col.returns] == [["object-delete"]] * 2
    assert [u.reason for _, u in col.unplaced] == []
    out = tmp_path / "collated.docx"
    col.save(out)
    assert pandoc_images(out, tmp_path, "all") == [
        (hashes(png(8))[0], "deletion", "Group 1 & Group 2")]
    mine, back = tmp_path / "mine.docx", tmp_path / "back.docx"
    accept(out, mine, groups=["Group 1"])
    reject(out, back, mode="default")
    assert pandoc_images(mine, tmp_path) == pandoc_images(returns[0], tmp_path) == []
    assert pandoc_images(back, tmp_path) == pandoc_images(draft, tmp_path) == hashes(png(8))
    assert rules_ok(out, since=draft) == []
    word_checks(out)


@pytest.mark.parametrize("story,note", [("footnotes", "a footnote"),
                                        ("endnotes", "an endnote")])
def test_a_note_row_change_is_unplaced_saying_what_it_is(story, note):
    """What a note cannot hold is named in words, with its article."""
    from consult.model import Pos, Revision
    from consult.notes import _where
    item = Revision("x", "row-insert", "A", None, "", Pos(0, 0), Pos(0, 0), story=story)
    reason = _where(item, [], [], {})
    assert reason.startswith(f"it is a table row inserted with Track Changes in {note};")
    assert reason.endswith(f"and comments in {note}")


@pytest.mark.parametrize("story", ["footnotes", "endnotes"])
def test_a_picture_inserted_in_a_note_is_carried(folder, tmp_path, story):
    """pandoc reads the picture in the collated note as Group 1's insertion; Group 1's
    projection has its return's pictures, every change rejected the draft's."""
    draft, ret = note_return(folder, story)
    col = collate(load_draft(draft), [ret])
    (r,) = col.returns
    assert [p.item.kind for p in r.notes] == ["object-insert"]
    assert [u.reason for u in r.unplaced] == []
    out = tmp_path / "collated.docx"
    col.save(out)
    assert (hashes(png(9))[0], "insertion", "Group 1") in pandoc_images(out, tmp_path, "all")
    mine, back = tmp_path / "mine.docx", tmp_path / "back.docx"
    accept(out, mine, groups=["Group 1"])
    reject(out, back, mode="default")
    assert pandoc_images(mine, tmp_path) == pandoc_images(ret, tmp_path) == hashes(png(9))
    assert pandoc_images(back, tmp_path) == pandoc_images(draft, tmp_path) == []
    assert rules_ok(out, since=draft) == []
    word_checks(out)


def test_two_pictures_at_one_place_in_a_note_are_a_conflict(folder, tmp_path):
    """Groups 1 and 2 insert different pictures at one place of the footnote, Group 3 the
    same picture as Group 1: one conflict, in the footnote; pandoc reads both sides and the
    agreement once."""
    returns = []
    for group, seed in (("Group 1", 11), ("Group 2", 12), ("Group 3", 11)):
        doc = NotesDocx.open(SAMPLE_DRAFT)
        run = picture_run(note_image(doc, png(seed)), 900, f"{group}'s")
        track_insert_object(doc, NOTE, "Department for Education", run, group)
        (folder / "clash").mkdir(exist_ok=True)
        returns.append(doc.save(folder / "clash" / f"{group}.docx"))
    col = collate(load_draft(SAMPLE_DRAFT), returns)
    conflicts = list(col.conflicts)
    assert [(c.note, [g for g, _ in c.versions]) for c in conflicts] == [
        ("footnotes:0", ["Group 1", "Group 2", "Group 3"])]
    out = tmp_path / "collated.docx"
    col.save(out)
    seen = [(h, a) for h, kind, a in pandoc_images(out, tmp_path, "all") if kind == "insertion"]
    assert sorted(seen) == sorted([(hashes(png(11))[0], "Group 1 & Group 3"),
                                   (hashes(png(12))[0], "Group 2")])
    assert rules_ok(out, since=SAMPLE_DRAFT) == []
