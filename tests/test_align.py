"""Paragraph alignment and word diffs on tiny texts."""
from __future__ import annotations

from consult.align import Locator, align
from consult.textdiff import edits, word_diff

DRAFT = ["The school identifies pupils with SEN early.", "Parents are partners.",
         "The SENCO coordinates support.", "Reviews happen termly."]


def test_identical_paragraphs_pair_in_order():
    al = align(DRAFT, 0, 4, list(DRAFT), set())
    assert al.pairs == {0: 0, 1: 1, 2: 2, 3: 3} and not al.gaps


def test_moved_paragraph_is_matched_out_of_order():
    ret = [DRAFT[1], DRAFT[2], DRAFT[0], DRAFT[3]]
    al = align(DRAFT, 0, 4, ret, set())
    assert al.pairs[2] == 0 and 2 in al.moved


def test_edited_paragraph_falls_in_a_gap_and_maps_offsets():
    ret = [DRAFT[0], "Parents and carers are partners.", DRAFT[2], DRAFT[3]]
    al = align(DRAFT, 0, 4, ret, set())
    assert 1 not in al.pairs and al.gaps[0].ret == [1] and al.gaps[0].draft == [1]
    locate = Locator(DRAFT, ret, al)
    assert locate(1, ret[1].index("are")) == (1, DRAFT[1].index("are"))


def test_anchor_hints_pair_a_moved_and_edited_paragraph():
    ret = [DRAFT[1], "The school identifies pupils with SEN as early as it can.", DRAFT[2],
           DRAFT[3]]
    assert 1 not in align(DRAFT, 0, 4, ret, set()).pairs
    al = align(DRAFT, 0, 4, ret, set(), hints={1: 0})
    assert al.pairs[1] == 0


def test_hint_is_ignored_when_text_is_unrelated():
    ret = [DRAFT[0], "Something else entirely, nothing alike.", DRAFT[2], DRAFT[3]]
    al = align(DRAFT, 0, 4, ret, set(), hints={1: 1})
    assert 1 not in al.pairs


def test_word_diff_has_no_character_soup():
    diff = word_diff("the pupils were assessed", "the pupil was assessed")
    changed = [t for op, t in diff if op != 0]
    assert all(t.strip() in ("pupils", "pupil", "were", "was", "pupils were", "pupil was")
               for t in changed)


def test_edits_turn_old_into_new():
    old, new = "once each year in the autumn", "twice each term, in the autumn"
    out, pos = "", 0
    for e in edits(old, new):
        out += old[pos:e.start] + e.text
        pos = e.end
    assert out + old[pos:] == new
