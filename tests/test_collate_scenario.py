"""The sample scenario: six returns and one missing group, collated into one document."""
from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest

from conftest import SAMPLE_DRAFT, SAMPLES
from wordcheck import word_checks

from consult.allocate import read_plan
from consult.annotations import read_annotations
from consult.changes import JOIN, UNTRACKED
from consult.collate import collate
from consult.ingest import ingest
from consult.report import report_rows, write_reports
from consult.split import load_draft

RETURNS = SAMPLES / "returns"
FACTS = json.loads((RETURNS / "scenario.json").read_text(encoding="utf-8"))


def groups_of(author: str) -> list[str]:
    """'Group 2 & Group 3 (untracked)' -> ['Group 2', 'Group 3']."""
    if author.endswith(UNTRACKED):
        author = author[: -len(UNTRACKED)]
    return author.split(JOIN)


@pytest.fixture(scope="module")
def collated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scenario")
    draft = load_draft(SAMPLE_DRAFT)
    allocations = read_plan(draft, RETURNS / "allocation.csv")
    col = collate(draft, [RETURNS], allocations)
    out = tmp / "collated.docx"
    col.save(out)
    reports = write_reports(col, tmp / "report")
    return draft, allocations, col, out, reports, tmp


def test_every_return_is_used_and_group_7_is_missing(collated):
    _, _, col, _, _, _ = collated
    assert sorted(r.group for r in col.returns) == [f"Group {n}" for n in range(1, 7)]
    assert col.missing_groups == ["Group 7"]
    assert not col.rejected and not col.unplaced
    assert set(col.uncovered_sections) == set(
        next(g for g in FACTS["groups"] if g["group"] == "Group 7")["sections"])


def test_groups_are_identified_by_pack_even_after_libreoffice(collated):
    _, _, col, _, _, _ = collated
    by_group = {r.group: r for r in col.returns}
    for g in FACTS["groups"]:
        if g["returned"]:
            assert by_group[g["group"]].identified_by == "pack"
            assert list(by_group[g["group"]].sections) == g["sections"]


def test_agreement_appears_once_credited_to_both(collated):
    _, _, col, out, _, _ = collated
    back = read_annotations(out)
    twice = [r for r in back.revisions if r.kind == "insert" and r.text == "twice"]
    assert len(twice) == 1
    assert groups_of(twice[0].author) == ["Group 2", "Group 3"]
    once = [r for r in back.revisions if r.kind == "delete" and r.text == "once"]
    assert len(once) == 1 and groups_of(once[0].author) == ["Group 2", "Group 3"]


def test_conflicts_are_visible_in_document_and_report(collated):
    draft, _, col, out, reports, _ = collated
    assert len(col.conflicts) == len(FACTS["conflicts"]) == 2
    for fact, conflict in zip(FACTS["conflicts"], col.conflicts):
        assert conflict.section == fact["section"] and conflict.para == fact["paragraph"]
        assert [g for g, _ in conflict.versions] == fact["groups"]
    c1 = col.conflicts[0]
    assert dict(c1.versions) == {"Group 2": "all reasonable efforts", "Group 4": "full powers"}
    assert c1.draft_text == "best endeavours"
    back = read_annotations(out)
    notes = [c for c in back.comments if c.author == "consult"]
    assert len(notes) == 2
    assert "all reasonable efforts" in notes[0].text and "full powers" in notes[0].text
    # anchored on the contested draft text (and on the proposals written there)
    assert (notes[0].start.offset, notes[0].end.offset) == (c1.start, c1.end)
    assert notes[0].anchor == "all reasonable effortsfull powers"
    # every proposal is still there as a tracked change
    inserted = {r.text for r in back.revisions if r.kind == "insert"}
    assert {"all reasonable efforts", "full powers", "every autumn term"} <= inserted
    deleted = [r for r in back.revisions if r.kind == "delete"]
    assert any(r.text.startswith(" The board as a whole approves") or
               "The board as a whole" in r.text for r in deleted)
    rows = report_rows(col)
    assert {r["conflict"] for r in rows if r["conflict"]} == {"C1", "C2"}
    md = (reports[0].parent / "report.md").read_text(encoding="utf-8")
    assert "C1" in md and "full powers" in md


def test_untracked_edits_become_marked_tracked_changes(collated):
    _, _, _, out, _, _ = collated
    back = read_annotations(out)
    untracked = [r for r in back.revisions if r.author == "Group 5" + UNTRACKED]
    texts = {(r.kind, r.text) for r in untracked}
    assert ("insert", "one full") in texts or any("one full term" in t for _, t in texts)
    assert any(k == "insert" and "12" in t for k, t in texts)
    assert any(k == "delete" and t.startswith("Parents may also request") for k, t in texts)
    assert any(k == "paragraph-insert" for k, _ in texts)          # the split paragraph
    assert any(k == "paragraph-delete" for k, _ in texts)          # the removed paragraph


def test_conservation_every_input_annotation_is_in_the_output(collated):
    draft, _, col, out, _, _ = collated
    back = read_annotations(out)
    got_comments = Counter()
    for c in back.comments:
        if c.author != "consult":
            for g in groups_of(c.author):
                got_comments[(g, " ".join(c.text.split()), bool(c.parent), c.resolved)] += 1
    got_text = defaultdict(list)
    for r in back.revisions:
        for g in groups_of(r.author):
            got_text[(g, r.kind)].append(r.text)
    result = ingest(draft, [RETURNS])
    want_comments = Counter()
    for ret in result.returns:
        for p in ret.comments:
            c = p.item
            want_comments[(ret.group, " ".join(c.text.split()), bool(c.parent), c.resolved)] += 1
        for p in ret.revisions:
            r = p.item
            if r.kind in ("insert", "delete"):
                assert r.text in "".join(got_text[(ret.group, r.kind)]), (ret.group, r)
    assert got_comments == want_comments
    replies = [c for c in back.comments if c.parent]
    assert any(c.text.startswith("Agreed. A one-line definition") for c in replies)
    assert any(c.resolved for c in back.comments)


def test_summary_section_in_document(collated):
    _, _, _, out, _, _ = collated
    from wordcheck import pandoc_reads
    text = pandoc_reads(out)
    summary = text[text.index("Collation summary"):]
    assert "Groups that did not return" in summary and "Group 7" in summary
    assert "Sections that nobody covered" in summary and "10.4" in summary
    assert "C1" in summary and "C2" in summary


def test_collated_document_is_word_valid(collated):
    _, _, _, out, _, _ = collated
    word_checks(out)


def test_same_inputs_same_bytes(collated, tmp_path):
    draft, allocations, _, out, _, _ = collated
    again = tmp_path / "again.docx"
    collate(load_draft(SAMPLE_DRAFT), [RETURNS], allocations).save(again)
    assert again.read_bytes() == out.read_bytes()


def test_reviewer_names_option(collated, tmp_path):
    draft, allocations, _, _, _, _ = collated
    col = collate(draft, [RETURNS], allocations, author_mode="both")
    col.save(tmp_path / "both.docx")
    authors = {r.author for r in read_annotations(tmp_path / "both.docx").revisions}
    assert "Group 1 (Priya Shah)" in authors


def test_jobs_give_the_same_document(collated, tmp_path):
    draft, allocations, _, out, _, _ = collated
    two = tmp_path / "jobs2.docx"
    collate(load_draft(SAMPLE_DRAFT), [RETURNS], allocations, jobs=2).save(two)
    assert two.read_bytes() == out.read_bytes()
