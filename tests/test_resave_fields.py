"""A field's result that a program recomputes (a DATE, PAGE or REF field's shown text) is not
a person's edit when the field's code is unchanged; a changed code, a removed field and words
typed beside a field still are. The re-save itself: tests/test_untracked_short.py (RESAVED,
with RP020, whose DATE field LibreOffice recomputes and writes as DATE \\@"M/d/yy")."""
from __future__ import annotations

from pathlib import Path

import pytest
from tiny_docx import heading, para, run, write

from consult.ingest import ingest_one
from consult.split import load_draft

RULES = [f"Rule {k} of the meeting says what members may do when the chair is away."
         for k in range(5)]


def field(code: str, result: str) -> str:
    """A complex field (w:fldChar begin / separate / end) showing ``result``."""
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{code}</w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run(result)}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def simple(code: str, result: str) -> str:
    return f'<w:fldSimple w:instr="{code}">{run(result)}</w:fldSimple>'


def _doc(path: Path, dated: str, paged: str = "", before: str = "Printed on ") -> Path:
    body = (heading("Meetings") + "".join(para(t) for t in RULES[:3]) +
            f"<w:p>{run(before)}{dated}{run(' for the members.')}</w:p>" +
            "".join(para(t) for t in RULES[3:]) +
            f"<w:p>{run('See page ')}{paged or field(' PAGE ', '1')}</w:p>")
    return write(path, body)


def _edits(ret) -> list[tuple]:
    return [(p.item.kind, p.item.text) for p in ret.placed if not p.item.tracked]


@pytest.fixture
def draft(tmp_path):
    return load_draft(_doc(tmp_path / "draft.docx", field(" DATE ", "3/25/2017")))


def test_the_draft_knows_where_its_field_results_stand(draft):
    dated = next(p for p in draft.paragraphs if p.text.startswith("Printed"))
    assert dated.text == "Printed on 3/25/2017 for the members."
    assert dated.fields == ((11, 20, "DATE"),)
    assert draft.paragraphs[-1].fields == ((9, 10, "PAGE"),)


@pytest.mark.parametrize("dated, paged", [
    (field(' DATE \\@"M/d/yy" ', "12/2/26"), field(" PAGE \\* MERGEFORMAT ", "3")),
    (simple("DATE", "2 December 2026"), simple("PAGE", "2")),
], ids=["recomputed, a format switch added", "written as w:fldSimple"])
def test_a_recomputed_field_result_is_not_an_edit(draft, tmp_path, dated, paged):
    ret = ingest_one(draft, _doc(tmp_path / "Group 1.docx", dated, paged))
    assert _edits(ret) == []


def test_words_typed_beside_a_recomputed_field_are_the_edit(draft, tmp_path):
    ret = ingest_one(draft, _doc(tmp_path / "Group 1.docx", field(" DATE ", "12/2/26"),
                                 before="Last printed on "))
    assert _edits(ret) == [("delete", "Printed"), ("insert", "Last printed")]


def test_a_changed_field_code_or_a_removed_field_is_an_edit(draft, tmp_path):
    ret = ingest_one(draft, _doc(tmp_path / "Group 1.docx", field(" TIME ", "10:00")))
    assert "10:00" in "".join(t for k, t in _edits(ret) if k == "insert")
    ret = ingest_one(draft, _doc(tmp_path / "Group 2.docx", run("12/2/26")))
    assert "12/2/26" in "".join(t for k, t in _edits(ret) if k == "insert")


def test_a_draft_of_one_paragraph_with_a_recomputed_field_still_matches(tmp_path):
    """Paragraphs are matched with their fields' results left out: before, the only
    paragraph differed by its date, so the return matched 0% of the draft and was refused
    (FA_RevTracking_008, re-saved by LibreOffice, was)."""
    one = f"<w:p>{run('Printed on ')}{field(' DATE ', '3/25/2017')}{run(' for all.')}</w:p>"
    draft = load_draft(write(tmp_path / "draft.docx", one))
    again = one.replace("3/25/2017", "12/2/26")
    ret = ingest_one(draft, write(tmp_path / "Group 1.docx", again))
    assert _edits(ret) == []
