"""Reports on a real collation: CSV rows, a self-contained HTML page, Markdown and JSON."""
from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import SAMPLE_DRAFT
from edit_docx import (Docx, add_comment, track_delete, track_insert, track_replace,
                       untracked_replace)

from consult.collate import collate
from consult.errors import InputError
from consult.model import Allocation
from consult import report
import consult.report_rows as rows_module
from consult.packs import write_packs
from consult.report import (COLUMNS, csv_bytes, html_text, insertion_context, markdown_text,
                            md, read_csv, report_rows, summary_json, write_reports,
                            write_summary_json)
from consult.split import load_draft

DATE = "2026-09-10T10:00:00Z"
PURPOSE = "This policy sets out how"
SCRIPT = '<script>alert("x")</script>, see "note"\nsecond line'
ALLOCATIONS = [Allocation("Group 1", ("1", "1.1", "1.2")),
               Allocation("Group 2", ("1.1", "2", "2.1")),
               Allocation("Group 3", ("3",))]


@pytest.fixture(scope="module")
def col(tmp_path_factory):
    return build_collation(tmp_path_factory.mktemp("report"))


def build_collation(tmp):
    """Two returns on the sample draft: comments, a reply, edits and one conflict."""
    draft = load_draft(SAMPLE_DRAFT)
    packs = write_packs(draft, ALLOCATIONS, tmp / "packs")
    (tmp / "returns").mkdir()
    one = Docx.open(packs[0])
    track_replace(one, PURPOSE, "identifies", "finds", "Ann Lee", DATE)
    first = add_comment(one, PURPOSE, SCRIPT, "Ann Lee", "AL", DATE, words="Larkspur Hill")
    add_comment(one, None, "Agreed | both", "Bob Stone", "BS", DATE, reply_to=first)
    add_comment(one, "What is missing?", "Cover note", "Ann Lee", "AL", DATE)
    one.save(tmp / "returns" / "Group 1.docx")
    two = Docx.open(packs[1])
    track_replace(two, PURPOSE, "identifies", "recognises", "Cara Diaz", DATE)
    track_insert(two, "A pupil has special", "calls for", " additional", "Cara Diaz", DATE)
    add_comment(two, "The words below", "=1+1, a formula?", "Cara Diaz", "CD", DATE,
                words="particular meanings")
    untracked_replace(two, "Special educational provision is", "training", "other")
    two.save(tmp / "returns" / "Group 2.docx")
    (tmp / "returns" / "notes.docx").write_bytes(b"not a zip")
    return collate(draft, [tmp / "returns"], ALLOCATIONS)


def rows_by(col, **match):
    return [r for r in report_rows(col) if all(r[k] == v for k, v in match.items())]


def test_rows_one_per_annotation_in_draft_order(col):
    rows = report_rows(col)
    found = sum(len(r.placed) + len(r.unplaced) for r in col.returns)
    assert len(rows) == found == 11
    assert all(tuple(r) == COLUMNS for r in rows)
    placed = [(r["section"], r["group"], r["kind"]) for r in rows if r["status"] == "placed"]
    assert placed == [
        ("1.1", "Group 1", "comment"), ("1.1", "Group 1", "reply"),
        ("1.1", "Group 1", "delete"), ("1.1", "Group 2", "delete"),
        ("1.1", "Group 1", "insert"), ("1.1", "Group 2", "insert"),
        ("2", "Group 2", "comment"), ("2.1", "Group 2", "insert"),
        ("2.1", "Group 2", "delete"), ("2.1", "Group 2", "insert")]
    assert rows[-1]["status"].startswith("unplaced: it is on the pack's cover page")
    assert rows[-1]["text"] == "Cover note" and rows[-1]["section"] == ""


def test_row_values(col):
    comment = rows_by(col, kind="comment", group="Group 1", status="placed")[0]
    assert comment == {
        "section": "1.1", "paragraph": "5", "group": "Group 1", "person": "Ann Lee",
        "kind": "comment", "tracked": "yes", "anchor": "Larkspur Hill", "text": SCRIPT,
        "date": DATE, "conflict": "", "decision": "", "status": "placed"}
    reply = rows_by(col, kind="reply")[0]
    assert (reply["person"], reply["text"], reply["anchor"]) == (
        "Bob Stone", "Agreed | both", "Larkspur Hill")
    delete = rows_by(col, kind="delete", group="Group 2")[0]
    assert (delete["anchor"], delete["text"], delete["conflict"]) == (
        "identifies", "identifies", "C1")
    finds = rows_by(col, kind="insert", group="Group 1")[0]
    assert finds["text"] == "finds" and finds["conflict"] == "C1"
    assert finds["anchor"] == "\u2026Hill Primary School identifies\u2038, supports and " \
                              "reviews\u2026"
    extra = rows_by(col, kind="insert", section="2.1")[0]
    assert extra["text"] == " additional" and extra["conflict"] == ""
    assert extra["anchor"].startswith("\u2026disability which calls for\u2038 special")
    assert extra["tracked"] == "yes"
    untracked = rows_by(col, tracked="no")
    assert [(r["kind"], r["text"], r["paragraph"], r["date"]) for r in untracked] == [
        ("delete", "training", "25", ""), ("insert", "other", "25", "")]


def test_conflict_found(col):
    assert [(c.id, c.section, c.draft_text) for c in col.conflicts] == [
        ("C1", "1.1", "identifies")]
    assert dict(col.conflicts[0].versions) == {"Group 1": "finds", "Group 2": "recognises"}


def test_insertion_context():
    assert insertion_context("one two three", 3) == "one\u2038 two three"
    assert insertion_context("a b c d e f g h", 8, 2) == "\u2026c d \u2038e f\u2026"
    assert insertion_context("", 0) == "\u2038"


def test_csv_has_bom_and_opens_with_csv_module(col):
    data = csv_bytes(col)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n") and text.count("\r\n") >= 10
    table = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(table) == len(report_rows(col))
    assert tuple(table[0]) == COLUMNS
    assert table[0]["text"] == SCRIPT                   # commas, quotes and a newline survive
    formula = [r for r in table if r["group"] == "Group 2" and r["kind"] == "comment"][0]
    assert formula["text"] == "'=1+1, a formula?"       # defused for spreadsheets


def test_read_csv_round_trips(col, tmp_path):
    path = write_reports(col, tmp_path)[0]
    assert read_csv(path) == report_rows(col)           # formula guard undone
    (tmp_path / "other.csv").write_text("a,b\r\n1,2\r\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no section, paragraph"):
        read_csv(tmp_path / "other.csv")


def test_html_self_contained_and_escaped(col):
    page = html_text(col)
    assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?\s*(https?:)?//""", page, re.I)
    assert "@import" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"<script[^>]*\bsrc", page)          # scripts inline only
    assert str(col.draft.path) not in page and "/returns/" not in page     # no machine paths
    assert re.search(r"&lt;script&gt;alert\((&quot;|&#34;)x(&quot;|&#34;)\)&lt;/script&gt;", page)
    for s in col.draft.sections:
        assert f'id="s-{s.id}"' in page
    assert "C1" in page and "recognises" in page and "finds" in page
    assert "Group 3" in page and 'class="no"' in page      # did not return
    assert "Cover note" in page and "cover page" in page
    assert "notes.docx" in page and "not a zip package" in page
    assert "made without Track Changes" in page
    assert "@media print" in page


def test_markdown_tables_and_escaping(col):
    text = markdown_text(col)
    assert "| Section | Title | Assigned | Returned | Comments | Edits | Conflicts |" in text
    assert "| 1.1 | Purpose of this policy | Group 1, Group 2 | Group 1, Group 2 | 2 | 4 | 1 |" \
        in text
    assert "Agreed \\| both" in text and "\\<script\\>" in text
    assert "**Conflict C1**" in text and "\u201crecognises\u201d" in text
    assert "| Group 3 | **no** |" in text
    assert "- notes.docx: is not a Word .docx file" in text
    assert md("a|b\nc") == "a\\|b \u00b6 c"
    assert "> **1.1 \u00b61** This policy sets out how" in text    # Word numbers, no indices


def test_summary_json(col):
    data = summary_json(col)
    assert json.loads(json.dumps(data)) == data
    assert [(g["group"], g["returned"], g["comments"], g["revisions"], g["unplaced"])
            for g in data["groups"]] == [("Group 1", True, 2, 2, 1), ("Group 2", True, 1, 5, 0),
                                         ("Group 3", False, 0, 0, 0)]
    assert data["conflicts"] == [{"id": "C1", "section": "1.1", "draft_text": "identifies",
                                  "versions": [{"group": "Group 1", "text": "finds"},
                                               {"group": "Group 2", "text": "recognises"}]}]
    assert data["groups"][1]["untracked"] == 2
    assert data["unplaced"][0]["text"] == "Cover note"
    assert [r["file"].rsplit("/", 1)[-1] for r in data["rejected"]] == ["notes.docx"]
    assert any("without Track Changes" in m for m in data["messages"])
    assert len(data["sections"]) == len(col.draft.sections)


def test_write_reports_deterministic(col, tmp_path):
    first = write_reports(col, tmp_path / "a")
    second = write_reports(col, tmp_path / "b")
    assert [p.name for p in first] == ["report.csv", "report.html", "report.md"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert json.dumps(summary_json(col)) == json.dumps(summary_json(col))
    named = write_reports(col, tmp_path / "minutes.html")
    assert [p.name for p in named] == ["minutes.csv", "minutes.html", "minutes.md"]


def test_reports_with_no_returns(tmp_path):
    (tmp_path / "empty").mkdir()
    col = collate(load_draft(SAMPLE_DRAFT), [tmp_path / "empty"], ALLOCATIONS)
    assert report_rows(col) == []
    paths = write_reports(col, tmp_path / "out")
    assert paths[0].read_bytes() == b"\xef\xbb\xbf" + ",".join(COLUMNS).encode() + b"\r\n"
    assert "No comments or changes were returned." in paths[1].read_text(encoding="utf-8")
    assert [g["returned"] for g in summary_json(col)["groups"]] == [False, False, False]
    out = io.StringIO()
    write_summary_json(col, out.write)                  # no conflicts to stream
    assert out.getvalue() == json.dumps(summary_json(col), indent=2, ensure_ascii=False) + "\n"


def test_reports_written_in_chunks_equal_the_whole_texts(col, tmp_path, monkeypatch):
    """The files are written piece by piece (rows sorted on disk); with tiny chunks they are
    still exactly the texts the functions give, and --json's streamed summary is json.dumps'."""
    whole = [csv_bytes(col), html_text(col).encode("utf-8"), markdown_text(col).encode("utf-8")]
    monkeypatch.setattr(rows_module, "CHUNK", 7)
    paths = write_reports(col, tmp_path / "small")
    assert [p.read_bytes() for p in paths] == whole
    out = io.StringIO()
    write_summary_json(col, out.write)
    assert out.getvalue() == json.dumps(summary_json(col), indent=2, ensure_ascii=False) + "\n"
    assert json.loads(out.getvalue())["conflicts"][0]["id"] == "C1"



def test_decision_page_proposals_are_what_people_mean(tmp_path):
    """A sentence moved to another section is one proposal "move ... to 1.2 ¶2"; a comment
    and its reply are one thread on the comment's words; an agreement is one proposal."""
    from consult.report_page import proposals, threads
    draft = load_draft(SAMPLE_DRAFT)
    packs = write_packs(draft, ALLOCATIONS, tmp_path / "packs")
    (tmp_path / "returns").mkdir()
    moved = "Staff, governors and parents are invited to comment on any part of it. "
    one = Docx.open(packs[0])
    track_delete(one, "This is a draft for consultation.", moved, "Ann Lee", DATE)
    track_insert(one, "These aims are reviewed by governors", "annual report. ", moved,
                 "Ann Lee", DATE)
    first = add_comment(one, PURPOSE, "Say who 'families' are", "Ann Lee", "AL", DATE,
                        words="what families can expect")
    add_comment(one, None, "Parents and carers", "Bob Stone", "BS", DATE, reply_to=first)
    track_replace(one, PURPOSE, "identifies", "finds", "Ann Lee", DATE)
    one.save(tmp_path / "returns" / "Group 1.docx")
    two = Docx.open(packs[1])
    track_replace(two, PURPOSE, "identifies", "finds", "Cara Diaz", DATE)
    two.save(tmp_path / "returns" / "Group 2.docx")
    col = collate(draft, [tmp_path / "returns"], ALLOCATIONS)
    labels = [(p.label, p.groups, p.where) for p in proposals(col)]
    assert labels == [
        ("replace \u201cidentifies\u201d with \u201cfinds\u201d", ["Group 1", "Group 2"],
         "1.1 \u00b61"),
        ("move \u201cStaff, governors and parents are invited to comment on any p\u2026\u201d"
         " to 1.2 \u00b68", ["Group 1"], "1.1 \u00b63")]      # the 8th after 1.2's heading
    assert [d.paragraphs[i].text[:22] for d in [draft] for i in (7, 15)] == [
        "Our aims", "These aims are reviewe"]
    [t] = threads(col)
    assert (t.group, t.anchor, t.notes) == ("Group 1", "what families can expect", [
        ("Ann Lee", "Say who 'families' are"), ("Bob Stone", "Parents and carers")])
