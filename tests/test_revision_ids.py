"""Rows and tables copied from a return into the collated document get fresh revision ids.

A group's inserted row is copied from its return with the revisions inside it; their ids are
the return's, which the collating writer also hands out, so each must be given a new one.
"""
from __future__ import annotations

from collections import Counter

from lxml import etree

from consult.ooxml.rows import credited_row, recredit

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
ROW = (f'<w:tr xmlns:w="{W}"><w:tblPrEx><w:tblPrExChange w:id="215" w:author="Author">'
       '<w:tblPrEx/></w:tblPrExChange></w:tblPrEx><w:trPr><w:ins w:id="7" w:author="A"/>'
       '</w:trPr><w:tc><w:tcPr><w:cellMerge w:id="9" w:author="A" w:vMerge="cont"/></w:tcPr>'
       '<w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>')
TABLE = (f'<w:tbl xmlns:w="{W}"><w:tblPr/><w:tblGrid><w:gridCol w:w="10"/>'
         '<w:tblGridChange w:id="186"><w:tblGrid/></w:tblGridChange></w:tblGrid></w:tbl>')


def _fresh():
    ids = iter(range(1000, 2000))
    return lambda: {"w:id": next(ids), "w:author": "Group 1", "w:date": "2026-11-03T09:00:00Z"}


def test_every_revision_in_a_copied_row_is_the_groups_with_a_fresh_id():
    # before: the w:tblPrExChange kept id 215 and author 'Author' (and cellMerge its id 9)
    tr = credited_row(ROW, _fresh())
    revs = [e for e in tr.iter() if e.get(f"{{{W}}}id") is not None]
    assert [e.get(f"{{{W}}}author") for e in revs] == ["Group 1"] * 3
    assert all(int(e.get(f"{{{W}}}id")) >= 1000 for e in revs)
    assert not [v for v, n in Counter(e.get(f"{{{W}}}id") for e in revs).items() if n > 1]
    merge = next(tr.iter(f"{{{W}}}cellMerge"))
    assert merge.get(f"{{{W}}}vMerge") == "cont"


def test_a_copied_table_grid_change_gets_a_fresh_id_only():
    tbl = etree.fromstring(TABLE)
    recredit(tbl, _fresh())
    change = next(tbl.iter(f"{{{W}}}tblGridChange"))
    assert change.get(f"{{{W}}}id") == "1000" and change.get(f"{{{W}}}author") is None


MOVE = "pandoc__test_docx_golden_track_changes_move.docx"    # its w:ins and w:del share id 1


def test_a_draft_using_an_id_twice_is_warned_and_its_packs_renumbered(tmp_path):
    # before: no warning, and the pack kept both revisions at w:id 1 (Word's rule broken)
    import zipfile

    from conftest import corpus_file
    from consult.model import Allocation
    from consult.packs import build_pack
    from consult.split import load_draft

    path = corpus_file(MOVE)
    draft = load_draft(path)
    assert [m.text for m in draft.messages if m.level == "warning"
            and "more than one change" in m.text] == [
        "the draft gives 1 tracked-change id to more than one change, which Word may refuse; "
        "what consult writes from it numbers them afresh"]
    out = tmp_path / "Group 1.docx"
    build_pack(draft, Allocation("Group 1", tuple(s.id for s in draft.sections))).save(out)
    root = etree.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    revs = [e for e in root.iter(f"{{{W}}}ins", f"{{{W}}}del")]
    ids = Counter(e.get(f"{{{W}}}id") for e in revs)
    assert len(revs) >= 2 and max(ids.values()) == 1
