"""consult.ooxml.markup: marks at draft offsets become what Word writes, read back by pandoc
(comments on their words, w:del/w:ins) and by consult's own ingest (same places)."""
from __future__ import annotations

import pytest

import consult
from conftest import SAMPLE_DRAFT, need
from consult.model import Comment
from consult.ooxml.markup import Mark, mark_up
from live_support import pandoc_read

AUTHOR = "Group 7"


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def draft():
    return consult.load_draft(SAMPLE_DRAFT)


def body(draft, n: int = 0):
    return [p for p in draft.paragraphs if p.outline is None and len(p.text) > 80][n]


def marked(draft, folder, marks, name="m.docx"):
    texts = [p.text for p in draft.paragraphs]
    out = mark_up(str(SAMPLE_DRAFT), marks, AUTHOR, "G7", {"group": AUTHOR}, expected=texts)
    path = folder / name
    out.package.save(path)
    return out, path


def test_each_kind_lands_where_it_was_asked(draft, folder):
    need("pandoc")
    p, q = body(draft, 0), body(draft, 1)
    end = len(q.text)
    marks = [Mark("comment", p.index, 5, 15, "a comment", replies=("a reply",)),
             Mark("delete", p.index, 20, 30),
             Mark("insert", q.index, end, end, " The end."),
             Mark("replace", q.index, 0, 3, "THE")]
    out, path = marked(draft, folder, marks)
    assert out.skipped == []
    comments, changes, _ = pandoc_read(path)
    assert [(c.author, c.text, c.words) for c in comments] == [
        (AUTHOR, "a comment", p.text[5:15]), (AUTHOR, "a reply", p.text[5:15])]
    got = [(c.kind, norm(c.text), norm(c.before)) for c in changes]
    assert got == [("deletion", norm(p.text[20:30]), norm(p.text[:20])),
                   ("deletion", q.text[:3], ""), ("insertion", "THE", q.text[:3]),
                   ("insertion", "The end.", norm(q.text))]
    ret = consult.ingest(draft, [path]).returns[0]
    threads = {c.item.text: c.item for c in ret.comments}
    assert threads["a reply"].parent == threads["a comment"].id
    places = sorted((type(x.item).__name__, x.place.paragraph, x.place.start, x.place.end)
                    for x in ret.placed)
    assert places == sorted([("Comment", p.index, 5, 15), ("Comment", p.index, 5, 15),
                             ("Revision", p.index, 20, 30), ("Revision", q.index, 0, 3),
                             ("Revision", q.index, 3, 3), ("Revision", q.index, end, end)])


def test_overlapping_suggestions_keep_the_first_and_say_the_second(draft, folder):
    need("pandoc")
    p = body(draft, 2)
    marks = [Mark("replace", p.index, 10, 20, "FIRST"), Mark("delete", p.index, 15, 25)]
    out, path = marked(draft, folder, marks, "overlap.docx")
    comments, changes, _ = pandoc_read(path)
    assert [(c.kind, norm(c.text)) for c in changes] == [("deletion", norm(p.text[10:20])),
                                                   ("insertion", "FIRST")]
    assert [(c.text, c.words) for c in comments] == [
        ("Suggested deleting these words.", p.text[15:25])]


def test_marks_outside_the_text_are_skipped_with_a_reason(draft, folder):
    p = body(draft, 0)
    texts = [x.text for x in draft.paragraphs]
    texts[p.index] = "something else"
    bad = [Mark("comment", p.index, 0, 4, "x"), Mark("comment", 10 ** 6, 0, 1, "y"),
           Mark("delete", body(draft, 1).index, 5, 10 ** 6), Mark("shout", p.index, 0, 1)]
    out = mark_up(str(SAMPLE_DRAFT), bad, AUTHOR, "G7", expected=texts)
    assert [reason for _, reason in out.skipped] == [
        "no such paragraph in the draft", "unknown kind 'shout'",
        "the paragraph's text differs from the draft's", "the words are outside the paragraph"]
    assert not any(isinstance(m, Comment) for m, _ in out.skipped)
