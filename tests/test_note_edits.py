"""What groups do to a footnote or endnote without Track Changes (words retyped, a paragraph
added), and the tracked changes beyond words (a new paragraph, formatting, a move), reach the
collated document's note as tracked changes under their group; agreements merge, differences
are conflicts in ``col.conflicts``, the summary, ``--json`` and the reports, counted in the
section holding the note's reference. Read back by pandoc (its Note blocks), not by consult."""
from __future__ import annotations

import copy
import csv
import io
import json
import re
import subprocess
import zipfile

import pytest
from click.testing import CliRunner

import consult
from consult.accept import accept
from consult.cli import cli
from consult.report import write_reports
from conftest import SAMPLE_DRAFT, corpus_file, need
from edit_docx import (el, isolate, locate, text_run, track_format, track_insert_paragraph_after,
                       untracked_replace, w)
from pandoc_marks import _plain, group_view
from pandoc_reader import pandoc_json
from test_notes import (DATE, NOTE, EndnotesDocx, NotesDocx, as_endnotes, assert_valid,
                        changes_of, note_tokens, text_of)

MARS = "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder04_Mars.docx"
URANUS = "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder04_Uranus.docx"
# (draft, the note's words, words retyped: old -> new, a paragraph typed after the note's)
CASES = {
    "sample": (None, NOTE, ("January 2015", "May 2024"), "Updated each autumn."),
    "sample-endnotes": (None, NOTE, ("any later revision", "every revision"), "See also 2024."),
    "mars": (MARS, "Only Mercury", ("is smaller", "alone is smaller than Mars"), "See NASA."),
    "uranus": (URANUS, "Miranda", ("smallest and closest", "the smallest, closest"),
               "Voyager 2 saw it."),
}


def note_paragraphs(path, track: str) -> list[list[str]]:
    """Each note's paragraphs as pandoc reads them with ``--track-changes=track`` (pandoc moves
    a space that starts an insertion out of it: spaces before punctuation are dropped)."""
    notes: list[list[str]] = []

    def walk(x):
        if isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, dict):
            if x.get("t") == "Note":
                notes.append([re.sub(r" ([.,;:)])", r"\1", _plain(b["c"]))
                              for b in x["c"] if b.get("t") in ("Para", "Plain")])
                return
            for v in x.values():
                walk(v)
    walk(pandoc_json(path, track, styles=False)["blocks"])
    return notes


def untracked_paragraph_after(doc, snippet: str, text: str) -> None:
    """Press Enter at the end of the note's paragraph and type ``text``, Track Changes off."""
    p = next(p for p in doc.body.iter(w("p")) if snippet in "".join(
        t.text or "" for t in p.iter(w("t"))))
    new = el("p", None, copy.deepcopy(p.find(w("pPr"))), text_run(text))
    p.addnext(new)


def _source(folder, case: str):
    name = CASES[case][0]
    if case == "sample-endnotes":
        return as_endnotes(SAMPLE_DRAFT, folder / "endnotes-draft.docx"), EndnotesDocx
    return (corpus_file(name) if name else SAMPLE_DRAFT), NotesDocx


@pytest.mark.parametrize("case", list(CASES))
def test_an_untracked_note_edit_is_the_groups_tracked_change(folder, case):
    """Group 1 retypes words of the note and adds a paragraph to it, Track Changes off;
    Group 2's return differs from the draft in the note only as a re-save does (spaces). With
    Group 1's changes accepted the collated notes read as its return's; rejected, as the
    draft's; Group 2 changed nothing."""
    need("pandoc")
    source, kind = _source(folder, case)
    _, words, (old, new), added = CASES[case]
    returns = folder / f"untracked-{case}"
    returns.mkdir()
    doc = kind.open(source)
    untracked_replace(doc, words, old, new)
    untracked_paragraph_after(doc, words, added)
    doc.save(returns / "Group 1.docx")
    doc = kind.open(source)
    untracked_replace(doc, words, old, old.replace(" ", "\u00a0 ", 1))     # spacing only
    doc.save(returns / "Group 2.docx")
    col = consult.collate(consult.load_draft(source), [returns])
    out = folder / f"untracked-{case}.docx"
    col.save(out)
    assert not col.unplaced, col.unplaced
    g1, g2 = col.returns
    assert g2.notes == () and g1.notes, (g1.notes, g2.notes)
    tokens = [t for n in note_tokens(out) for t in n]
    authors = {a for _, a, _ in changes_of(tokens)}
    assert authors == {"Group 1 (untracked)"}, changes_of(tokens)
    want = note_paragraphs(returns / "Group 1.docx", "accept")
    assert note_paragraphs(out, "accept") == want
    assert any(added in p for n in want for p in n)
    assert note_paragraphs(out, "reject") == note_paragraphs(source, "accept")
    assert text_of(tokens, group_view("Group 2", {"Group 1", "Group 2"})) == text_of(
        [t for n in note_tokens(source) for t in n], lambda s: True)
    # consult accept --group gives the same notes (nextdraft resolves them)
    accept(out, folder / f"untracked-{case}-g1.docx", groups=["Group 1"])
    assert note_paragraphs(folder / f"untracked-{case}-g1.docx", "accept") == want
    assert_valid(out)


def _three_groups(folder, name: str, versions: dict[str, str]):
    returns = folder / name
    returns.mkdir()
    for group, new in versions.items():
        doc = NotesDocx.open(SAMPLE_DRAFT)
        untracked_replace(doc, NOTE, "January 2015", new)
        doc.save(returns / f"{group}.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    col.save(folder / f"{name}.docx")
    return returns, col


def test_untracked_note_edits_agree_once_and_differ_as_a_conflict_everywhere(folder):
    """Groups 1 and 2 retype the same date in the footnote, Group 3 another: one change under
    both, Group 3's beside it, and a conflict that col.conflicts, the summary (read by pandoc),
    --json and the reports all carry, in section 1.3 (where the reference is), whose counts
    include the note's changes."""
    need("pandoc")
    versions = {"Group 1": "May 2024", "Group 2": "May 2024", "Group 3": "June 2023"}
    returns, col = _three_groups(folder, "agree", versions)
    out = folder / "agree.docx"
    (tokens,) = note_tokens(out)
    assert sorted(changes_of(tokens)) == [
        ("del", "Group 1 & Group 2 & Group 3 (untracked)", "January 2015"),
        ("ins", "Group 1 & Group 2 (untracked)", "May 2024"),
        ("ins", "Group 3 (untracked)", "June 2023")]
    groups = set(versions)
    for group in groups:
        (want,) = note_tokens(returns / f"{group}.docx")
        assert text_of(tokens, group_view(group, groups)) == text_of(want, lambda s: True)
    (conflict,) = list(col.conflicts)
    assert (conflict.section, conflict.note, conflict.draft_text) == (
        "1.3", "footnotes:0", "January 2015")
    assert dict(conflict.versions) == versions
    # consult's conflict comment in the footnote covers the date, named as in the body
    found = [v for v in __import__("pandoc_marks").covered(
        tokens, lambda s: all(k == "del" for k, _ in s)).values() if v["author"] == "consult"]
    assert [(v["text"], v["body"].split(":")[0]) for v in found] == [
        ("January 2015", f"Conflict {conflict.id}")]
    # the summary, as pandoc reads it: the conflict listed, section 1.3's row counting it
    text = subprocess.run(["pandoc", "-f", "docx", "-t", "plain", "--wrap=none", str(out)],
                          capture_output=True, text=True, check=True).stdout
    summary = text[text.index("Collation summary"):]
    assert f"{conflict.id} (section 1.3, footnote 1): Group 1: \u201cMay 2024\u201d" in summary
    row = next(line for line in summary.splitlines() if line.strip().startswith("1.3 "))
    assert row.split()[-4:] == ["0", "3", "3", "1"], row    # comments, ins, del, conflicts
    # --json
    run = CliRunner().invoke(cli, ["collate", str(SAMPLE_DRAFT), str(returns), "-o",
                                    str(folder / "agree-cli.docx"), "--json"])
    assert run.exit_code == 0, run.output
    data = json.loads(run.stdout)
    assert [(c["id"], c["section"], c.get("note"), c["draft_text"]) for c in data["conflicts"]
            ] == [(conflict.id, "1.3", "footnote 1", "January 2015")]
    (s13,) = [s for s in data["sections"] if s["section"] == "1.3"]
    assert (s13["insertions"], s13["deletions"], s13["conflicts"]) == (3, 3, 1)
    # the reports: every note row of the dispute names the conflict
    write_reports(col, folder / "agree-rep")
    rows = list(csv.DictReader(io.StringIO(
        (folder / "agree-rep" / "report.csv").read_text(encoding="utf-8-sig"))))
    in_note = [r for r in rows if r["paragraph"].endswith("footnote 1")]
    assert len(in_note) == 6 and {r["conflict"] for r in in_note} == {conflict.id}, in_note
    assert all(r["tracked"] == "no" for r in in_note)
    md = (folder / "agree-rep" / "report.md").read_text(encoding="utf-8")
    assert f"**Conflict {conflict.id}** on \u201cJanuary 2015\u201d" in md
    page = (folder / "agree-rep" / "report.html").read_text(encoding="utf-8")
    data = json.loads(page.split('id="consult-data">', 1)[1].split("</script>", 1)[0])
    assert set(data["conflicts"]) == {conflict.id}
    assert {p["conflict"] for p in data["proposals"].values()
            if p["where"].endswith("footnote 1")} == {conflict.id}
    # consult accept without groups leaves the contested note conflict tracked, by its name
    done = accept(out, folder / "agree-next.docx")
    assert done.left == 3 and done.left_why == (f"conflict {conflict.id}: no decision",)
    assert_valid(out)


def test_groups_that_agree_on_an_untracked_note_edit_have_no_conflict(folder):
    need("pandoc")
    _, col = _three_groups(folder, "same", {"Group 1": "May 2024", "Group 2": "May 2024"})
    assert list(col.conflicts) == []
    (tokens,) = note_tokens(folder / "same.docx")
    assert sorted(changes_of(tokens)) == [
        ("del", "Group 1 & Group 2 (untracked)", "January 2015"),
        ("ins", "Group 1 & Group 2 (untracked)", "May 2024")]


def test_tracked_note_changes_count_in_their_section(folder):
    """A tracked insertion and a comment in the footnote count in section 1.3's row."""
    from edit_docx import add_comment, track_insert
    from consult.summary import section_stats
    returns = folder / "counted"
    returns.mkdir()
    doc = NotesDocx.open(SAMPLE_DRAFT)
    track_insert(doc, NOTE, "Department for", " the", "Group 1", DATE)
    add_comment(doc, "Special educational", "Which year?", "Group 1", "G", DATE,
                words="January 2015")
    doc.save(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    (s13,) = [s for s in section_stats(col) if s["section"] == "1.3"]
    assert (s13["comments"], s13["insertions"]) == (1, 1)


def track_move(doc, snippet: str, words: str, after: str, author: str) -> None:
    """Select ``words``, drag them to just after ``after`` (earlier in the paragraph), tracking
    on: w:moveFrom around the words where they were, w:moveTo with them where they go."""
    p, start, end = locate(doc, snippet, words)
    runs = isolate(p, start, end)
    attrs = {"id": "801", "author": author, "date": DATE}
    frm = el("moveFrom", attrs)
    runs[0].addprevious(el("moveFromRangeStart", {"id": "800", "name": "move1",
                                                 "author": author, "date": DATE}))
    runs[0].addprevious(frm)
    for r in runs:
        frm.append(r)
    frm.addnext(el("moveFromRangeEnd", {"id": "800"}))
    for r in frm:
        for t in r.iter(w("t")):
            t.tag = w("delText")
    p2, _, at = locate(doc, snippet, after)
    (target,) = isolate(p2, at - len(after), at)[-1:]
    to = el("moveTo", {"id": "803", "author": author, "date": DATE},
            text_run(words, copy.deepcopy(runs[0].find(w("rPr")))))
    target.addnext(el("moveToRangeStart", {"id": "802", "name": "move1", "author": author,
                                           "date": DATE}))
    target.getnext().addnext(to)
    to.addnext(el("moveToRangeEnd", {"id": "802"}))


def test_a_new_paragraph_formatting_and_a_move_in_a_note_are_written(folder):
    """Tracked, in the footnote: a new paragraph (Enter at its end, text typed), words made
    bold, words moved, the paragraph centred. Each is a tracked change under Group 1 in the
    collated footnote (the move as a deletion and an insertion, as in the body): accepted,
    pandoc reads the return's paragraphs and bold words; rejected, the draft's."""
    need("pandoc")
    returns = folder / "beyond"
    returns.mkdir()
    doc = NotesDocx.open(SAMPLE_DRAFT)
    track_insert_paragraph_after(doc, NOTE, "A new paragraph.", "Group 1", DATE)
    track_format(doc, NOTE, "code of practice", {"b": None}, "Group 1", DATE)
    track_move(doc, NOTE, " (January 2015)", "Department of Health", "Group 1")
    p = next(p for p in doc.body.iter(w("p")) if NOTE in "".join(
        t.text or "" for t in p.iter(w("t"))))
    ppr = p.find(w("pPr"))
    ppr.append(el("jc", {"val": "center"}))
    ppr.append(el("pPrChange", {"id": "805", "author": "Group 1", "date": DATE},
                  el("pPr", None, el("pStyle", {"val": "FootnoteText"}))))
    doc.save(returns / "Group 1.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    out = folder / "beyond.docx"
    col.save(out)
    assert not col.unplaced, col.unplaced
    (tokens,) = note_tokens(out)
    assert {a for _, a, _ in changes_of(tokens)} == {"Group 1"}
    assert ("del", "Group 1", "(January 2015)") in changes_of(tokens)
    want = note_paragraphs(returns / "Group 1.docx", "accept")
    assert len(want[0]) == 2 and want[0][1] == "A new paragraph."
    assert note_paragraphs(out, "accept") == want
    assert note_paragraphs(out, "reject") == note_paragraphs(SAMPLE_DRAFT, "accept")
    assert _bold(out) == _bold(returns / "Group 1.docx") == ["code of practice"]
    with zipfile.ZipFile(out) as z:
        notes = z.read("word/footnotes.xml").decode()
    assert notes.count("<w:rPrChange") == 1 and 'w:author="Group 1"' in notes
    # the paragraph properties changed (centred), the old ones kept, on the note's paragraph
    # (its first: the new paragraph after it keeps the old properties)
    changed = re.findall(r'<w:p>(?:(?!</w:p>).)*?<w:pPrChange .*?</w:p>', notes)
    assert len(changed) == 1 and '<w:jc w:val="center"/>' in changed[0]
    assert "Department of Health" in changed[0] and "A new paragraph" not in changed[0]
    assert_valid(out)


def _bold(path) -> list[str]:
    """The bold words of the notes, pandoc's Strong, with every change accepted."""
    found: list[str] = []

    def walk(x, in_note=False):
        if isinstance(x, list):
            for v in x:
                walk(v, in_note)
        elif isinstance(x, dict):
            if x.get("t") == "Strong" and in_note:
                found.append(_plain(x["c"]))
                return
            for v in x.values():
                walk(v, in_note or x.get("t") == "Note")
    walk(pandoc_json(path, "accept", styles=False)["blocks"])
    return found


def test_two_groups_formatting_the_same_words_of_a_note(folder):
    """Word keeps one formatting change a run: Group 1's bold is the tracked change, Group 2's
    italic a comment over the same words saying so (as the body's writer does)."""
    need("pandoc")
    from pandoc_marks import covered
    returns = folder / "formats"
    returns.mkdir()
    for group, props in (("Group 1", {"b": None}), ("Group 2", {"i": None})):
        doc = NotesDocx.open(SAMPLE_DRAFT)
        track_format(doc, NOTE, "code of practice", props, group, DATE)
        doc.save(returns / f"{group}.docx")
    col = consult.collate(consult.load_draft(SAMPLE_DRAFT), [returns])
    out = folder / "formats.docx"
    col.save(out)
    assert not col.unplaced
    assert _bold(out) == ["code of practice"]
    (tokens,) = note_tokens(out)
    assert [(v["author"], v["text"], v["body"].split(";")[0])
            for v in covered(tokens, lambda s: True).values()] == [
        ("Group 2", "code of practice",
         "Group 2 changed the formatting of this text (italic)")]
    assert_valid(out)


def test_libreoffice_resaved_returns_add_no_note_edits(folder):
    """Both returns of the real Mars draft re-saved by LibreOffice (which rewrites the notes
    part): the one with an untracked edit in the footnote gives that edit alone, the one
    with none gives nothing in the notes; nothing unplaced."""
    need("pandoc")
    soffice = need("soffice")
    source = corpus_file(MARS)
    raw, returns = folder / "lo-raw", folder / "lo-returns"
    raw.mkdir()
    returns.mkdir()
    doc = NotesDocx.open(source)
    untracked_replace(doc, "Only Mercury", "is smaller", "alone is smaller than Mars")
    doc.save(raw / "Group 1.docx")
    NotesDocx.open(source).save(raw / "Group 2.docx")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/lo-profile",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(returns),
                    str(raw / "Group 1.docx"), str(raw / "Group 2.docx")],
                   capture_output=True, timeout=300)
    assert sorted(p.name for p in returns.iterdir()) == ["Group 1.docx", "Group 2.docx"]
    col = consult.collate(consult.load_draft(source), [returns])
    out = folder / "lo-collated.docx"
    col.save(out)
    assert not [u for _, u in col.unplaced if u.item.story == "footnotes"], col.unplaced
    g1, g2 = col.returns
    assert g2.notes == ()
    (tokens,) = [n for n in note_tokens(out) if "Mercury" in text_of(n, lambda s: True)]
    found = changes_of(tokens)
    assert {(k, a) for k, a, _ in found} == {("ins", "Group 1 (untracked)")}, found
    (draft_note,) = note_tokens(source)
    assert text_of(tokens, lambda s: not s) == text_of(draft_note, lambda s: True)
    want = [n for n in note_paragraphs(returns / "Group 1.docx", "accept") if n]
    assert [n for n in note_paragraphs(out, "accept") if n] == want
    assert_valid(out)
