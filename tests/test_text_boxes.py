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
from box_docx import MC, BoxDocx, add_text_box
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
        accepted = accept(out, folder / f"accept-{group}.docx", groups=[group]).path
        got = text_of(box_tokens(Path(accepted), folder / "lo-acc"), accept_all)
        want = text_of(box_tokens(returns / f"{group}.docx", folder / "lo"), accept_all)
        assert got == want, group
