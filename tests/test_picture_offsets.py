"""A picture deleted or inserted without Track Changes inside a paragraph of text (the draft's
picture after "That's a lot.", a new one after "24 hours long.") is placed where it is, beside
the group's word edits in the same paragraph and beside another group's tracked insertion of
the same picture (an agreement): nothing lost. Read by pandoc (pictures by their bytes)."""
from __future__ import annotations

import pytest
from lxml import etree

import edit_docx as ed
from conftest import corpus_file
from scripted import edit_and_collate
from test_tracked_objects import (DRAFT, _doc_pr_id, _image_part, hashes, pandoc_images,
                                  picture_run, png, track_delete_picture, track_insert_object)
from test_untracked_pictures import untracked_delete_picture, untracked_insert
from wordcheck import rules_ok, schema_valid

from consult.accept import accept
from consult.collate import collate
from consult.model import Allocation
from consult.split import load_draft

GROUPS = ("Group 1", "Group 2", "Group 3")
WEIGHS = "The Earth weighs"


def _weight_picture(doc: ed.Docx) -> int:
    drawings = list(doc.body.iter(ed.w("drawing")))
    return next(k for k, d in enumerate(drawings)
                if WEIGHS in ed.paragraph_text(next(d.iterancestors(ed.w("p")))))


@pytest.fixture(scope="module")
def case(folder):
    """The Earth draft with a picture in the text of its "weighs" paragraph. Group 1 deletes
    it and inserts a clock picture, tracked; Group 2 deletes it without Track Changes and
    changes a word there; Group 3 inserts the same clock picture (named otherwise) without
    Track Changes and changes a word beside the first picture."""
    doc = ed.Docx.open(corpus_file(DRAFT))
    untracked_insert(doc, WEIGHS, "That's a lot.", picture_run(_image_part(doc, png(9)),
                                                               _doc_pr_id(doc), "Weight"))
    draft_path = doc.save(folder / "draft.docx")

    def edit(doc, group):
        clock = picture_run(_image_part(doc, png(7)), _doc_pr_id(doc), f"Clock {group}")
        if group == "Group 1":
            track_delete_picture(doc, _weight_picture(doc), group)
            track_insert_object(doc, "A day on Earth is", "24 hours long.", clock, group)
        elif group == "Group 2":
            untracked_delete_picture(doc, _weight_picture(doc))
            ed.untracked_replace(doc, WEIGHS, "a lot", "plenty")
        else:
            ed.untracked_replace(doc, WEIGHS, "5,973,700", "5,972,200")
            untracked_insert(doc, "A day on Earth is", "24 hours long.", clock)

    out = folder / "collated.docx"
    col, returns = edit_and_collate(draft_path, folder, GROUPS, edit, out)
    return col, out, returns


def test_untracked_picture_changes_in_text_are_each_groups(case, tmp_path):
    col, out, _ = case
    assert not col.unplaced, col.unplaced
    seen = [(h, kind, a) for h, kind, a in pandoc_images(out, tmp_path, "all") if kind]
    weight, clock = hashes(png(9), png(7))
    assert seen == [(weight, "deletion", "Group 1 & Group 2"),
                    (clock, "insertion", "Group 1 & Group 3")], seen


@pytest.mark.parametrize("group", GROUPS)
def test_each_groups_projection_has_its_pictures(case, tmp_path, group):
    _, out, returns = case
    mine = tmp_path / "mine.docx"
    accept(out, mine, groups=[group])
    assert pandoc_images(mine, tmp_path) == pandoc_images(returns[group], tmp_path)


def _around_picture(path, words: str) -> str:
    """The paragraph holding ``words`` as pandoc reads it (Track Changes accepted), each
    picture as "[]"."""
    from pandoc_reader import pandoc_json
    found = []

    def flat(node, out):
        if isinstance(node, dict):
            t = node.get("t")
            if t == "Str":
                out.append(node["c"])
            elif t in ("Space", "SoftBreak"):
                out.append(" ")
            elif t == "Image":
                out.append("[]")
            else:
                flat(node.get("c"), out)
        elif isinstance(node, list):
            for v in node:
                flat(v, out)

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Para":
                out: list[str] = []
                flat(node["c"], out)
                if words in "".join(out):
                    found.append("".join(out))
                return
            walk(node.get("c"))
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(pandoc_json(path, "accept", styles=False)["blocks"])
    return found[0]


def _one_group(folder, tmp_path, change) -> tuple:
    """Group 1's return of the draft (``change`` made to it), collated alone and accepted:
    the "kg." paragraph of the return and of the accepted collated document."""
    doc = ed.Docx.open(folder / "draft.docx")
    change(doc)
    ret = doc.save(tmp_path / "Group 1.docx")
    draft = load_draft(folder / "draft.docx")
    every = tuple(s.id for s in draft.sections)
    col = collate(draft, [ret], [Allocation("Group 1", every)])
    assert not col.unplaced, col.unplaced
    out = tmp_path / "collated.docx"
    col.save(out)
    assert rules_ok(out, since=folder / "draft.docx") == []
    schema_valid(out)
    mine = tmp_path / "mine.docx"
    accept(out, mine, groups=["Group 1"])
    return _around_picture(ret, "kg."), _around_picture(mine, "kg.")


def _typed_after_picture(doc: ed.Docx, text: str, tracked: bool) -> None:
    """Click just after the draft's picture and type ``text``."""
    run = list(doc.body.iter(ed.w("drawing")))[_weight_picture(doc)].getparent()
    if tracked:
        new = ed._inserted(doc, text, run.find(ed.w("rPr")), "Group 1", "2026-11-20T10:00:00Z")
    else:
        new = etree.Element(ed.w("r"))
        t = etree.SubElement(new, ed.w("t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.addnext(new)


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "untracked"])
def test_words_replaced_just_before_a_picture_stay_before_it(case, folder, tmp_path, tracked):
    """Words replaced just before the draft's picture ("That's a lot." -> "That is heavy.",
    then the picture) stay before it: the new words go straight after the deleted ones.
    (Before the fix: "kg. []That is heavy." for the return's "kg. That is heavy.[]".)"""
    def change(doc):
        if tracked:
            ed.track_replace(doc, WEIGHS, "That's a lot.", "That is heavy.", "Group 1",
                             "2026-11-20T10:00:00Z")
        else:
            ed.untracked_replace(doc, WEIGHS, "That's a lot.", "That is heavy.")
    want, got = _one_group(folder, tmp_path, change)
    assert "heavy.[]" in want
    assert got == want


@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "untracked"])
def test_words_typed_just_after_a_picture_stay_after_it(case, folder, tmp_path, tracked):
    """Words typed just after the draft's picture stay after it, with or without Track
    Changes, and also beside a replacement of the words before it."""
    want, got = _one_group(folder, tmp_path,
                           lambda doc: _typed_after_picture(doc, " Really.", tracked))
    assert "[] Really." in want
    assert got == want


@pytest.mark.xfail(strict=True, reason="a group's new words on both sides of a picture are "
                                       "one insertion at its offset: the side is not recorded")
@pytest.mark.parametrize("tracked", [True, False], ids=["tracked", "untracked"])
def test_words_replaced_before_and_typed_after_a_picture(case, folder, tmp_path, tracked):
    """KNOWN FAULT: words replaced just before the picture and words typed just after it by
    the same group come out together on one side ("heavy. Really.[]"): the return's text has
    no place for the picture, so both are one insertion at its offset (group_ops joins them)."""
    def both(doc):
        _typed_after_picture(doc, " Really.", tracked)
        if tracked:
            ed.track_replace(doc, WEIGHS, "That's a lot.", "That is heavy.", "Group 1",
                             "2026-11-20T10:00:00Z")
        else:
            ed.untracked_replace(doc, WEIGHS, "That's a lot.", "That is heavy.")
    want, got = _one_group(folder, tmp_path, both)
    assert "heavy.[] Really." in want
    assert got == want
