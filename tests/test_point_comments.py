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
