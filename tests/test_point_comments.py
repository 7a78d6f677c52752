"""A point comment (its w:commentRangeStart right before its w:commentRangeEnd, no text
between; also what a comment that starts in a text box and ends in the body is read as) is
written in the collated document as a point: its start before its end, on the same place as
in the return. Read back by pandoc, not by consult."""
from __future__ import annotations

import consult
from conftest import SAMPLE_DRAFT
from edit_docx import Docx, add_comment, w
from pandoc_reader import read_tokens
from wordcheck import assert_rules

DATE = "2026-11-30T10:00:00Z"


def _marks(path) -> list[tuple]:
    tokens = read_tokens(path)
    out = []
    for k, tok in enumerate(tokens):
        if tok[0] in ("start", "end"):
            before = "".join(t[1] for t in tokens[max(0, k - 3):k] if t[0] == "text")
            out.append((tok[0], before[-10:]))
    return out


def test_a_point_comment_keeps_its_start_before_its_end(folder):
    here = folder / "point"
    (here / "returns").mkdir(parents=True)
    doc = Docx.open(SAMPLE_DRAFT)
    add_comment(doc, "The policy should be read", "A point comment", "Group 1", "G", DATE,
                words="The policy")
    start = doc.body.find(".//" + w("commentRangeStart"))
    start.getparent().remove(start)
    doc.body.find(".//" + w("commentRangeEnd")).addprevious(start)     # nothing between
    doc.save(here / "returns" / "Group 1.docx")
    want = _marks(here / "returns" / "Group 1.docx")
    assert [k for k, _ in want] == ["start", "end"], want
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [here / "returns"])
    out = here / "collated.docx"
    col.save(out)
    got = [m for m in _marks(out)]
    assert got[:2] == want, got
    assert_rules(out, since=SAMPLE_DRAFT)


def test_a_comment_from_a_text_box_into_the_body_is_a_point_with_a_warning(folder):
    """Its start in a text box, its end in the next body paragraph (a file no Word makes):
    read as a point where it ends, said in a warning, and written as a point."""
    from box_docx import BoxDocx, add_text_box
    from edit_docx import _reference_run, _top, el, isolate, locate
    here = folder / "spanning"
    (here / "returns").mkdir(parents=True)
    draft = add_text_box(SAMPLE_DRAFT, here / "boxed.docx", "This policy sets out",
                         ["Contact the office to book a meeting."])
    doc = BoxDocx.open(draft)
    cid = add_comment(doc, "Contact the office", "Spanning", "Group 1", "G", DATE,
                      words="the office")
    root = doc.xml(doc.main)
    for name in ("commentRangeEnd", "commentReference"):
        node = root.find(".//" + w(name))
        node = node if name == "commentRangeEnd" else node.getparent()
        node.getparent().remove(node)
    body = Docx(doc.parts)
    body._xml = doc._xml
    p, a, b = locate(body, "The policy should be read", "The policy")
    last = _top(isolate(p, a, b)[-1], p)
    last.addnext(el("commentRangeEnd", {"id": cid}))
    last.getnext().addnext(_reference_run(cid))
    doc.save(here / "returns" / "Group 1.docx")
    col = consult.collate(consult.load_draft(draft), [here / "returns"])
    assert any("starts in one part of the document and ends in another" in m.text
               for m in col.messages), col.messages
    out = here / "collated.docx"
    col.save(out)
    assert [k for k, _ in _marks(out)][:2] == ["start", "end"]
    assert_rules(out, since=draft)
