"""Every comment in the collated document has its thread entry (w15:commentEx), the draft's
own included: a draft written without commentsExtended.xml (LibreOffice's re-saves, older
Word) gets one for each of its comments when consult adds the part, and a draft whose part
leaves a comment out is repaired, with a warning. Checked by the rule checker (wordcheck),
which reads the package, not consult's model."""
from __future__ import annotations

import zipfile

import pytest
from lxml import etree

import edit_docx as ed
from conftest import corpus_file
from scripted import DATE, edit_and_collate
from wordcheck import W15, rules_ok, schema_valid

from consult.split import load_draft

NO_THREADS = "lo-resave__docx2python__tests_resources_comments.docx"   # 8 comments, no part
THREADED = "docx2python__tests_resources_comments.docx"       # Word-made, with the part


def _collated(draft_path, tmp_path):
    texts = [p.text for p in load_draft(draft_path).paragraphs]
    words = next(t[:30] for t in texts if len(t) > 30 and sum(t[:30] in u for u in texts) == 1)

    def edit(doc, group):
        ed.add_comment(doc, words, "Our view on this", group, "G1", DATE)

    out = tmp_path / "collated.docx"
    col, _ = edit_and_collate(draft_path, tmp_path, ["Group 1"], edit, out)
    return col, out


def _missing(out) -> list[str]:
    return [p for p in rules_ok(out) if "w15:commentEx" in p]


def test_a_draft_without_thread_entries_gets_one_for_each_comment(tmp_path):
    path = corpus_file(NO_THREADS)
    with zipfile.ZipFile(path) as z:
        assert "word/commentsExtended.xml" not in z.namelist()
    _, out = _collated(path, tmp_path)
    assert _missing(out) == []
    with zipfile.ZipFile(out) as z:
        ext = etree.fromstring(z.read("word/commentsExtended.xml"))
        comments = etree.fromstring(z.read("word/comments.xml"))
    assert len(ext.findall(f"{{{W15}}}commentEx")) == len(comments) == 9
    schema_valid(out)


def test_a_comment_the_drafts_part_left_out_is_given_its_entry(tmp_path):
    source = corpus_file(THREADED)
    with zipfile.ZipFile(source) as z:
        names = z.namelist()
        if "word/commentsExtended.xml" not in names:
            pytest.skip("the draft has no commentsExtended.xml")
        parts = {n: z.read(n) for n in names}
    ext = etree.fromstring(parts["word/commentsExtended.xml"])
    entries = ext.findall(f"{{{W15}}}commentEx")
    assert entries
    ext.remove(entries[0])
    parts["word/commentsExtended.xml"] = etree.tostring(ext, xml_declaration=True,
                                                        encoding="UTF-8", standalone=True)
    draft = tmp_path / "draft.docx"
    with zipfile.ZipFile(draft, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(n, parts[n])
    assert any("w15:commentEx" in p for p in rules_ok(draft))
    (tmp_path / "out").mkdir()
    col, out = _collated(draft, tmp_path / "out")
    assert _missing(out) == []
    assert any("left out 1 comment" in m.text for m in col.messages), col.messages
