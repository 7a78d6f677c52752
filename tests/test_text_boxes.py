"""Revisions and comments that groups make inside a text box reach the collated document's text
box: each group's change under its name, an untracked edit as "G (untracked)", a conflict
shown and noted, each comment on the same words as in the return, and Word's fallback copy of
the box carrying the same changes. Read back by LibreOffice (its .odt), not by consult."""
from __future__ import annotations

import copy
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import consult
from box_docx import MC, W, BoxDocx, add_group, add_text_box
from conftest import SAMPLE_DRAFT, VALIDATOR, need
from edit_docx import add_comment, track_delete, track_insert, track_replace, untracked_replace
from odt_boxes import read as read_boxes
from test_notes import comment_on_insertion
from pandoc_marks import accept_all, covered, group_view, norm
from wordcheck import assert_rules

DATE = "2026-11-30T10:00:00Z"
ANCHOR = "This policy sets out"         # the body paragraph holding the box
BOX = ["Key fact: the SENCO is Ms Rivera, who works three days a week.",
       "Contact the office to book a meeting with the SENCO."]
GROUPS = {"Group 1", "Group 2", "Group 3", "Group 4"}


def edit(doc, group: str) -> None:
    """Group 1: tracked insertion, deletion and two comments (one on its own insertion);
    Group 2: an untracked edit; Groups 3 and 4: different words for one word (a conflict)."""
    if group == "Group 1":
        track_insert(doc, "Key fact", "Ms Rivera", " (Deputy Head)", group, DATE)
        track_delete(doc, "Key fact", "three ", group, DATE)
        add_comment(doc, "Contact the office", "Which office?", group, "G", DATE,
                    words="the office")
        comment_on_insertion(doc, "Key fact", "Ms Rivera", "Since when?", group)
    elif group == "Group 2":
        untracked_replace(doc, "Contact the office", "book a meeting", "arrange a meeting")
    elif group == "Group 3":
        track_replace(doc, "Contact the office", "Contact", "Email", group, DATE)
    elif group == "Group 4":
        track_replace(doc, "Contact the office", "Contact", "Phone", group, DATE)


@pytest.fixture(scope="module")
def collated(folder):
    need("soffice")
    draft_path = add_text_box(SAMPLE_DRAFT, folder / "boxed.docx", ANCHOR, BOX)
    returns = folder / "returns"
    returns.mkdir()
    for group in sorted(GROUPS):
        doc = BoxDocx.open(draft_path)
        edit(doc, group)
        doc.save(returns / f"{group}.docx")
    col = consult.collate(consult.load_draft(draft_path), [returns])
    out = folder / "collated.docx"
    col.save(out)
    return col, out, returns, folder


def box_tokens(path: Path, folder: Path) -> list[tuple]:
    boxes = read_boxes(path, folder)
    assert len(boxes) == 1, f"{path.name}: {len(boxes)} text boxes read"
    return boxes[0]


def text_of(tokens, keep) -> str:
    return norm("".join(tok[1] for tok in tokens if tok[0] == "text" and keep(tok[2])))


def test_each_groups_view_of_the_box_is_its_return(collated):
    col, out, returns, folder = collated
    tokens = box_tokens(out, folder / "lo")
    assert text_of(tokens, lambda s: not s) != text_of(tokens, accept_all), \
        "the collated box holds tracked changes"
    for group in sorted(GROUPS):
        want = text_of(box_tokens(returns / f"{group}.docx", folder / "lo"), accept_all)
        assert text_of(tokens, group_view(group, GROUPS)) == want, group
    authors = {a for tok in tokens if tok[0] == "text" for _, a in tok[2]}
    # both delete "Contact" (an agreement), each types its own word
    assert authors == {"Group 1", "Group 2 (untracked)", "Group 3 & Group 4", "Group 3",
                       "Group 4"}, authors
    assert not [u for _, u in col.unplaced if u.item.story == "text box"], col.unplaced


def test_each_comment_covers_the_same_words(collated):
    col, out, returns, folder = collated
    tokens = box_tokens(out, folder / "lo")
    ret = box_tokens(returns / "Group 1.docx", folder / "lo")
    want = {v["body"]: v["text"] for v in covered(ret, accept_all).values()}
    got = {v["body"]: v["text"] for v in covered(tokens, group_view("Group 1", GROUPS)).values()
           if v["author"] == "Group 1"}
    assert want == {"Which office?": "the office", "Since when?": "(Deputy Head)"}
    assert got == want


def test_a_conflict_in_the_box_is_shown_and_noted(collated):
    col, out, returns, folder = collated
    (conflict,) = [c for c in col.conflicts if c.note]
    assert conflict.note == "text box:0" and conflict.section == "1.1"
    assert dict(conflict.versions) == {"Group 3": "Email", "Group 4": "Phone"}
    tokens = box_tokens(out, folder / "lo")
    notes = [v for v in covered(tokens, lambda s: not s).values() if v["author"] == "consult"]
    assert len(notes) == 1 and "text box 1" in notes[0]["body"], notes
    summary = subprocess.run(["pandoc", "-f", "docx", "-t", "plain", str(out)],
                             capture_output=True, text=True, check=True).stdout
    assert re.search(r"C\d+ \(section 1\.1, text box 1\)", " ".join(summary.split())), summary


def without_choice(path: Path, target: Path) -> Path:
    """A copy of ``path`` in which each mc:AlternateContent is its mc:Fallback (what a reader
    that does not know DrawingML shapes reads)."""
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(target, "w") as outz:
        for name in z.namelist():
            data = z.read(name)
            if name == "word/document.xml":
                root = etree.fromstring(data)
                for alt in list(root.iter(f"{{{MC}}}AlternateContent")):
                    fallback = alt.find(f"{{{MC}}}Fallback")
                    parent = alt.getparent()
                    at = parent.index(alt)
                    parent.remove(alt)
                    for k, child in enumerate(list(fallback)):
                        parent.insert(at + k, copy.deepcopy(child))
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
            outz.writestr(name, data)
    return target


def box_copies(path: Path) -> tuple[list, list]:
    """Each box's (state, author, text) pieces, in the shapes (mc:Choice) and in their
    fallback copies, read from the XML."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    found: dict[str, list] = {"Choice": [], "Fallback": []}
    for box in root.iter(f"{{{W}}}txbxContent"):
        where = next(a for a in box.iterancestors() if a.tag in (
            f"{{{MC}}}Choice", f"{{{MC}}}Fallback")).tag.split("}")[1]
        pieces = []
        for node in box.iter(f"{{{W}}}t", f"{{{W}}}delText"):
            rev = next((a for a in node.iterancestors(f"{{{W}}}ins", f"{{{W}}}del")), None)
            state = ("", "") if rev is None else (rev.tag.split("}")[1], rev.get(f"{{{W}}}author"))
            if pieces and pieces[-1][:2] == state:
                pieces[-1] = state + (pieces[-1][2] + node.text,)
            else:
                pieces.append(state + (node.text,))
        found[where].append(pieces)
    return found["Choice"], found["Fallback"]


def test_the_fallback_copy_carries_the_same_changes(collated):
    col, out, returns, folder = collated
    vml = without_choice(out, folder / "fallback.docx")
    tokens = box_tokens(vml, folder / "lo-vml")
    for group in sorted(GROUPS):
        want = text_of(box_tokens(returns / f"{group}.docx", folder / "lo"), accept_all)
        assert text_of(tokens, group_view(group, GROUPS)) == want, group
    assert not [tok for tok in tokens if tok[0] == "start"], "comments are the shape's alone"


def test_the_collated_document_keeps_words_rules(collated):
    col, out, returns, folder = collated
    assert_rules(out, since=folder / "boxed.docx")
    if VALIDATOR.is_file():
        run = subprocess.run([sys.executable, str(VALIDATOR), str(out)], capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_accepting_a_groups_changes_gives_its_box(collated):
    from consult.accept import accept
    col, out, returns, folder = collated
    for group in sorted(GROUPS):
        result = accept(out, folder / f"accept-{group}.docx", groups=[group])
        accepted = result.path
        if group == "Group 1":      # its insertion and deletion, once each (not per copy)
            assert result.accepted == 2, result
        got = text_of(box_tokens(Path(accepted), folder / "lo-acc"), accept_all)
        want = text_of(box_tokens(returns / f"{group}.docx", folder / "lo"), accept_all)
        assert got == want, group


def test_boxes_in_a_group_shape_and_a_stale_fallback(folder):
    """Two boxes in one group shape (the second's fallback copy out of date in the draft):
    each group's changes land in the box it made them in, and the fallback copy of a box
    written to is made again from the shape."""
    need("soffice")
    here = folder / "group"
    (here / "returns").mkdir(parents=True)
    boxes = [["Box A says hello to the reader."], ["Box B holds the number 0123 4567."]]
    draft_path = add_group(SAMPLE_DRAFT, here / "grouped.docx", "The policy should be read",
                           boxes, stale={1: ["Box B holds an old number."]})
    doc = BoxDocx.open(draft_path)
    doc.box = 1
    track_replace(doc, "Box B", "0123 4567", "0123 9999", "Group 1", DATE)
    doc.box = 0
    add_comment(doc, "Box A", "Hello?", "Group 1", "G", DATE, words="hello")
    doc.save(here / "returns" / "Group 1.docx")
    doc = BoxDocx.open(draft_path)
    doc.box = 0
    untracked_replace(doc, "Box A", "the reader", "every reader")
    doc.save(here / "returns" / "Group 2.docx")
    col = consult.collate(consult.load_draft(draft_path), [here / "returns"])
    out = here / "collated.docx"
    col.save(out)
    assert not [u for _, u in col.unplaced if u.item.story == "text box"], col.unplaced
    groups = {"Group 1", "Group 2"}
    got = read_boxes(out, here / "lo")
    assert len(got) == 2
    for group in sorted(groups):
        want = [text_of(b, accept_all) for b in read_boxes(here / "returns" / f"{group}.docx",
                                                           here / "lo")]
        assert [text_of(b, group_view(group, groups)) for b in got] == want, group
    # LibreOffice drops tracked text from a VML group's boxes, so the fallback copies are
    # compared with the shapes' in the XML: the same text and changes, no comment marks
    choice, fallback = box_copies(out)
    assert len(choice) == len(fallback) == 2 and choice == fallback
    assert ("del", "Group 1", "0123 4567") in choice[1]
    (comment,) = [v for v in covered(got[0], group_view("Group 1", groups)).values()]
    assert (comment["author"], comment["body"], comment["text"]) == ("Group 1", "Hello?",
                                                                     "hello")
    assert_rules(out, since=draft_path)
    if VALIDATOR.is_file():
        run = subprocess.run([sys.executable, str(VALIDATOR), str(out)], capture_output=True,
                             text=True)
        assert run.returncode == 0, run.stdout + run.stderr


def test_reports_and_decision_page_say_text_box(collated):
    from consult.report import write_reports
    from consult.report_page import proposals
    import csv
    col, out, returns, folder = collated
    paths = write_reports(col, folder / "reports")
    (path,) = [p for p in paths if p.suffix == ".csv"]
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8-sig"))
            if r["group"] == "Group 1"]
    assert rows and all(r["paragraph"].endswith("text box 1") for r in rows), rows
    assert {r["anchor"] for r in rows} >= {"text box 1: the office", "text box 1: three "}
    boxed = [p for p in proposals(col) if "text box" in p.label]
    assert {p.label for p in boxed} >= {"in text box 1: insert \u201c(Deputy Head)\u201d",
                                        "in text box 1: delete \u201cthree\u201d"}, boxed
    assert not [p for p in proposals(col) if "footnote" in p.label]


def test_a_decisions_row_for_a_box_change_decides_that_change_alone(folder):
    """The same deletion by one group in the body and in a text box: the decisions file
    accepts the box's row and rejects the body's, and each is applied where it is."""
    from consult.accept import accept
    from consult.report import write_reports
    from edit_docx import Docx
    import csv
    need("soffice")
    here = folder / "decisions"
    (here / "returns").mkdir(parents=True)
    draft_path = add_text_box(SAMPLE_DRAFT, here / "boxed.docx", ANCHOR,
                              ["Where two policies disagree, the SENCO will say which applies."])
    doc = BoxDocx.open(draft_path)
    track_delete(doc, "Where two policies", "the SENCO ", "Group 1", DATE)
    body = Docx(doc.parts)
    body._xml = doc._xml
    track_delete(body, "Where this policy and another", "the SENCO ", "Group 1", DATE)
    doc.save(here / "returns" / "Group 1.docx")
    col = consult.collate(consult.load_draft(draft_path), [here / "returns"])
    out = here / "collated.docx"
    col.save(out)
    (path,) = [p for p in write_reports(col, here / "reports") if p.suffix == ".csv"]
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    for row in rows:
        row["decision"] = "accept" if "text box" in row["paragraph"] else "reject"
    assert sorted(r["decision"] for r in rows) == ["accept", "reject"], rows
    decisions = here / "decisions.csv"
    with decisions.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = accept(out, here / "next.docx", decisions=decisions)
    assert (result.accepted, result.rejected) == (1, 1), result
    (box,) = read_boxes(here / "next.docx", here / "lo")
    assert text_of(box, accept_all) == "Where two policies disagree, will say which applies."
    plain = subprocess.run(["pandoc", "-f", "docx", "-t", "plain", str(here / "next.docx")],
                           capture_output=True, text=True, check=True).stdout
    assert "disagree, the SENCO will say which applies" in " ".join(plain.split())
