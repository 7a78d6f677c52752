"""A draft's own deleted paragraph marks reach the collated document under their author.

Read back with pandoc (tests/semantic.py), not consult: the collated document has each of the
draft's deleted marks, by the draft's author, once; a group's change elsewhere is there too,
and the group's projection reads like its return.
"""
from __future__ import annotations

from pathlib import Path

import edit_docx as ed
import roundtrip as rt
import tiny_docx as td

from consult.collate import collate
from consult.model import Allocation
from consult.split import load_draft

DRAFTER = "Dana Drafter"


def _deleted_mark(text: str, rid: int) -> str:
    return (f'<w:p><w:pPr><w:rPr><w:del w:id="{rid}" w:author="{DRAFTER}" '
            f'w:date="{td.DATE}"/></w:rPr></w:pPr>{td.run(text)}</w:p>')


BODY = "".join([
    td.heading("Policy"),
    _deleted_mark("The first part of one sentence", 1),
    td.para("continues here in the next paragraph."),
    _deleted_mark("A chain begins", 2),
    _deleted_mark("and goes on", 3),
    td.para("and ends in this paragraph."),
    td.para("A last paragraph with words that Group 1 will change today."),
])


def _case(folder: Path) -> rt.Case:
    draft_path = td.write(folder / "draft.docx", BODY)
    doc = ed.Docx.open(draft_path)
    ed.track_replace(doc, "A last paragraph", "change", "rewrite", "Priya Shah", td.DATE)
    ret = doc.save(folder / "Group 1.docx")
    draft = load_draft(draft_path)
    out = folder / "collated.docx"
    collate(draft, [ret], [Allocation("Group 1", tuple(s.id for s in draft.sections))]
            ).save(out)
    return rt.Case(out, {"Group 1"}, {"Group 1": ret}, None, draft_path)


def test_the_drafts_deleted_marks_are_kept_under_their_author(tmp_path):
    case = _case(tmp_path)
    want = rt.own_marks(case.draft, case.groups)
    assert want[("paragraph mark del", DRAFTER)] == "¶¶¶"
    found = rt.own_mark_problems(case)
    assert not found, rt.report(found)


def test_the_groups_view_still_reads_like_its_return(tmp_path):
    case = _case(tmp_path)
    found = rt.problems(case, "Group 1")
    assert not found, rt.report(found)
