"""A comment on words in the middle of a draft paragraph (one run of text) sits on those
words in the collated document, alone or beside a tracked change: read back by pandoc."""
from __future__ import annotations

import pytest

import consult
from conftest import SAMPLE_DRAFT, need
from edit_docx import Docx, add_comment, track_replace
from live_support import pandoc_read

DATE = "2026-11-30T10:00:00Z"
SNIPPET = "This policy sets out"


@pytest.mark.parametrize("with_change", [False, True])
def test_comment_stays_on_its_words(folder, with_change):
    need("pandoc")
    draft = consult.load_draft(SAMPLE_DRAFT)
    doc = Docx.open(SAMPLE_DRAFT)
    add_comment(doc, SNIPPET, "Which policy?", "Group 1", "G1", DATE, words="policy")
    if with_change:
        track_replace(doc, SNIPPET, "Larkspur", "REPL", "Group 1", DATE)
    (folder / str(with_change)).mkdir()
    ret = folder / str(with_change) / "Group 1.docx"
    doc.save(ret)
    out = folder / f"collated-{with_change}.docx"
    consult.collate(draft, [ret]).save(out)
    comments, _, _ = pandoc_read(out)
    found = [(c.author, c.text, c.words) for c in comments if c.text == "Which policy?"]
    assert found == [("Group 1", "Which policy?", "policy")]
