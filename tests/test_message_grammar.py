"""Messages that count things agree with the count: "1 comment paragraph that does not exist",
"1 edit was made", never "1 comment paragraphs" or "1 edits were"."""
from __future__ import annotations

import re
import shutil

import consult
from conftest import SAMPLE_DRAFT, corpus_file
from edit_docx import Docx, untracked_replace
from test_pack_threads import RICH


def _messages(col) -> list[str]:
    return [m.text for m in col.messages] + [m.text for r in col.returns for m in r.messages]


def test_count_and_agree():
    from consult.words import agree, count
    assert (count(1, "edit"), count(2, "edit"), count(0, "edit")) == ("1 edit", "2 edits",
                                                                     "0 edits")
    assert count(3, "piece", "pieces") == "3 pieces" and agree(1, "was", "were") == "was"


def test_one_dangling_thread_entry_is_said_in_the_singular(tmp_path):
    """python-docx's comments-rich-para.docx names one comment paragraph that is no comment's
    in commentsExtended: the collated document leaves it out and says so."""
    returns = tmp_path / "returns"
    returns.mkdir()
    shutil.copy(corpus_file(RICH), returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(corpus_file(RICH)), [returns])
    col.save(tmp_path / "c.docx")
    said = [t for t in _messages(col) if "thread entries" in t]
    assert said == ["the draft's comment parts had thread entries for 1 comment paragraph "
                    "that does not exist; they are left out of the collated document"], said


def test_one_untracked_edit_is_said_in_the_singular(tmp_path):
    returns = tmp_path / "returns"
    returns.mkdir()
    doc = Docx.open(SAMPLE_DRAFT)
    untracked_replace(doc, "This policy sets out", "sets out", "sets out clearly")
    doc.save(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    texts = _messages(col)
    assert "1 edit was made without Track Changes" in texts, texts
    assert not [t for t in texts if re.search(r"\b1 edits\b|\b1 [a-z ]*were\b", t)], texts
