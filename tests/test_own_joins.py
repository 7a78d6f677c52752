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


# -- a real draft: a group's change written across one of the draft's deleted marks ------------

import semantic as sem  # noqa: E402
from conftest import corpus_file  # noqa: E402
from scripted import edited_case  # noqa: E402
from wordcheck import rules_ok  # noqa: E402

from consult.packs import build_pack  # noqa: E402

MARKS = "Open-Xml-Pow__TestFiles_RP_RP007-Multiple-Deleted-Para-Mark.docx"   # 3 deleted marks
ACROSS = {"Group 1": [("want to add.", "add."), ("You can also type", "You can")],
          "Group 2": [("fits your document.", "document."), ("To make your", "To make")],
          "Group 3": [("complement each other.", "other."), ("For example, you", "example,")]}


def _across_case(folder: Path) -> rt.Case:
    """RP007's four paragraphs joined by its author's three deleted marks; in its pack, Group 1
    deletes the words on both sides of the first mark with Track Changes, Group 2 those of the
    second (in the draft's accepted view each is one deletion across a join), Group 3 those of
    the third without Track Changes (an untracked edit across it)."""
    draft_path = folder / "draft.docx"
    draft_path.write_bytes(corpus_file(MARKS).read_bytes())

    def cut(doc: ed.Docx, group: str) -> None:
        for snippet, words in ACROSS[group]:
            if group == "Group 3":
                ed.untracked_replace(doc, snippet, words, "")
            else:
                ed.track_delete(doc, snippet, words, f"{group} member", td.DATE)
    return edited_case(draft_path, folder, list(ACROSS), cut, folder / "collated.docx")


def test_a_change_across_the_drafts_deleted_mark_keeps_the_mark(tmp_path):
    """Read with pandoc: every deleted mark of the draft is in the collated document under its
    author; with every change rejected (the draft's too) it has the draft's four paragraphs,
    with every group's rejected it reads like the draft; each group's projection reads like
    its return."""
    case = _across_case(tmp_path)
    found = rt.own_mark_problems(case) + list(rules_ok(case.collated, since=case.draft))
    original = sem.project(sem.read(case.draft), lambda a: False).paragraphs
    got = sem.project(sem.read(case.collated), lambda a: False).paragraphs
    if not rt.same(original, got):
        found.append("all rejected: " + "; ".join(rt.first_difference(original, got)))
    if not rt.same(sem.accepted_text(case.draft), rt.draft_view(case)):
        found.append("groups rejected: " + "; ".join(
            rt.first_difference(sem.accepted_text(case.draft), rt.draft_view(case))))
    found += [p for g in sorted(case.returns) for p in rt.problems(case, g)]
    assert not found, rt.report(found)


BEFORE_TABLE = "Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-02.docx"   # one of 38


def test_a_deleted_mark_before_a_table_is_kept(tmp_path):
    """A deleted paragraph mark with no paragraph after it to join (a table follows: "Order
    of injection:", moved away) changes nothing in the accepted view: it stays in the
    collated document under its author, with the other 37 (an unedited pack returned)."""
    draft_path = tmp_path / "draft.docx"
    draft_path.write_bytes(corpus_file(BEFORE_TABLE).read_bytes())
    draft = load_draft(draft_path)
    everything = tuple(s.id for s in draft.sections)
    pack = tmp_path / "pack.docx"
    build_pack(draft, Allocation("Group 1", everything), context="full").save(pack)
    out = tmp_path / "collated.docx"
    collate(draft, [pack], [Allocation("Group 1", everything)]).save(out)
    case = rt.Case(out, {"Group 1"}, {"Group 1": pack}, None, draft_path)
    assert any(k[0] == "paragraph mark del" for k in rt.own_marks(draft_path, case.groups))
    found = rt.own_mark_problems(case)
    assert not found, rt.report(found)
