"""Reading gaps and input faults: deletions inside another's insertion, text boxes, tracked
images, repeated comment ids, self-parent replies, lone moves, doubly marked paragraph marks.

Each file is built from XML snippets (tests/tiny_docx.py); where pandoc reads the construct,
its ``--track-changes=all`` JSON is the independent reader."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import need
from pandoc_reader import pandoc_json
from tiny_docx import comment, para, rev, run, write

from consult.annotations import read_annotations
from consult.ingest import ingest_one
from consult.split import load_draft

PLAIN = ["The council shall publish its minutes within ten days of each meeting.",
         "Members may attend by video link where the chair agrees in advance.",
         "The clerk keeps the register of interests and reviews it every year."]


def _draft(tmp: Path, name: str = "draft.docx") -> Path:
    return write(tmp / name, "".join(para(t) for t in PLAIN))


def _pandoc_spans(path: Path) -> list[tuple[str, str, str]]:
    """(class, author, text) of every insertion / deletion span pandoc reads."""
    found: list[tuple[str, str, str]] = []

    def text(node) -> str:
        if isinstance(node, list):
            return "".join(text(n) for n in node)
        if isinstance(node, dict):
            if node.get("t") == "Str":
                return node["c"]
            if node.get("t") == "Space":
                return " "
            return text(node.get("c"))
        return ""

    def walk(node) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            if node.get("t") == "Span":
                (_, classes, attrs), inlines = node["c"]
                for cls in ("insertion", "deletion"):
                    if cls in classes:
                        found.append((cls, dict(attrs).get("author", ""), text(inlines)))
            if node.get("t") == "Image":
                found.append(("image", "", ""))
            walk(node.get("c"))

    walk(pandoc_json(path, styles=False)["blocks"])
    return found


def _pandoc_plain(path: Path, view: str) -> str:
    return subprocess.run([need("pandoc"), f"--track-changes={view}", "-f", "docx", "-t",
                           "plain", str(path)], capture_output=True, check=True, timeout=60,
                          text=True).stdout


# ---- reading gaps ---------------------------------------------------------------------------

def test_a_deletion_inside_another_authors_insertion_is_reported(tmp_path):
    inner = rev("ins", "Ann", run("and publish them online ") +
                rev("del", "Ben", run("at once", deleted=True), 2), 1)
    path = write(tmp_path / "r.docx", para(PLAIN[0], inner) + para(PLAIN[1]))
    found = read_annotations(path)
    dels = [(r.author, r.text) for r in found.revisions if r.kind == "delete"]
    assert dels == [("Ben", "at once")]
    ins = [(r.author, r.text) for r in found.revisions if r.kind == "insert"]
    assert ins == [("Ann", "and publish them online ")]
    # pandoc (1) does not report the nested deletion at all: it reads the insertion alone,
    # and both its views leave "at once" out, as consult's reading says (in neither view).
    assert _pandoc_spans(path) == [("insertion", "Ann", "and publish them online")]
    for view in ("accept", "reject"):
        assert "at once" not in _pandoc_plain(path, view)


def test_the_deletion_inside_an_insertion_changes_nothing_in_the_draft(tmp_path):
    """Ann inserted two sentences, Ben deleted one of them: the group proposes the other."""
    draft = load_draft(_draft(tmp_path))
    inner = rev("ins", "Ann", run(" Online too.") + rev("del", "Ben", run(" Soon.", True), 2), 1)
    ret = write(tmp_path / "Group 1.docx",
                para(PLAIN[0], inner) + "".join(para(t) for t in PLAIN[1:]))
    r = ingest_one(draft, ret)
    assert r.unplaced == ()
    assert [(p.item.kind, p.item.text) for p in r.placed] == [("insert", " Online too.")]
    assert any("1 deletion of text inserted in the same return changes nothing" in m.text
               for m in r.messages)


TEXT_BOX = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
            '<wp:docPr id="5" name="Text Box 5"/><a:graphic><a:graphicData uri="http://schemas.'
            'microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx>'
            '<w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData>'
            '</a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>'
            '<v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>'
            '</mc:Fallback></mc:AlternateContent></w:r>')


def test_revisions_in_a_text_box_are_read_once(tmp_path):
    box = para("Boxed note", rev("ins", "Ann", run(" added in the box"), 1) +
               rev("del", "Ann", run(" old words", True), 2))
    path = write(tmp_path / "r.docx", para(PLAIN[0], TEXT_BOX.format(box=box)))
    found = read_annotations(path)
    got = sorted((r.kind, r.author, r.text, r.story) for r in found.revisions)
    assert got == [("delete", "Ann", " old words", "text box"),
                   ("insert", "Ann", " added in the box", "text box")]


def test_a_text_box_revision_in_a_return_is_unplaced_not_lost(tmp_path):
    draft = load_draft(_draft(tmp_path))
    box = para("Boxed", rev("ins", "Ann", run(" more"), 1))
    ret = write(tmp_path / "Group 1.docx",
                para(PLAIN[0], TEXT_BOX.format(box=box)) + "".join(para(t) for t in PLAIN[1:]))
    r = ingest_one(draft, ret)
    # the draft has no text box: the box's change, and the box itself (added without Track
    # Changes), are listed with the reason
    assert [(u.item.text, "text box" in u.reason) for u in r.unplaced] == [(" more", True),
                                                                            ("Boxed", True)]
    assert r.placed == ()


DRAWING = ('<w:r><w:drawing><wp:inline><wp:extent cx="9525" cy="9525"/>'
           '<wp:docPr id="7" name="Picture 7" descr="School logo"/><a:graphic><a:graphicData '
           'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr>'
           '<pic:cNvPr id="7" name="logo.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
           '<a:blip/></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>'
           '</wp:inline></w:drawing></w:r>')


@pytest.mark.parametrize("tag,kind", [("ins", "object-insert"), ("del", "object-delete")])
def test_a_tracked_image_is_reported(tmp_path, tag, kind):
    path = write(tmp_path / "r.docx", para(PLAIN[0], rev(tag, "Ann", DRAWING, 1)))
    found = read_annotations(path)
    got = [(r.kind, r.author, r.text) for r in found.revisions]
    assert got == [(kind, "Ann", "[image or shape: School logo]")]
    assert "<w:drawing" in found.revisions[0].props or "drawing" in found.revisions[0].props
    draft = load_draft(_draft(tmp_path))
    ret = write(tmp_path / "Group 1.docx", para(PLAIN[0], rev(tag, "Ann", DRAWING, 1)) +
                "".join(para(t) for t in PLAIN[1:]))
    r = ingest_one(draft, ret)       # placed: tests/test_tracked_objects collates them
    assert ([p.item.kind for p in r.revisions], r.unplaced) == ([kind], ())


# ---- input faults ---------------------------------------------------------------------------

def _ranged(cid: str, text: str) -> str:
    return (f'<w:commentRangeStart w:id="{cid}"/>{run(text)}<w:commentRangeEnd w:id="{cid}"/>'
            f'<w:r><w:commentReference w:id="{cid}"/></w:r>')


def test_duplicate_comment_ids_are_repaired_each_on_its_own_range(tmp_path):
    first = run(" publish its minutes within ten days of each meeting.")
    body = (f'<w:p>{_ranged("0", "The council shall")}{first}</w:p>'
            f'<w:p>{run("Members may ")}{_ranged("0", "attend by video link")}'
            f'{run(" where the chair agrees in advance.")}</w:p>' + para(PLAIN[2]))
    comments = comment("0", "Ann", "Which council?") + comment("0", "Ben", "Why video?")
    path = write(tmp_path / "Group 1.docx", body, comments)
    found = read_annotations(path)
    got = [(c.author, c.anchor) for c in found.comments]
    assert got == [("Ann", "The council shall"), ("Ben", "attend by video link")]
    assert len({c.id for c in found.comments}) == 2
    assert any("share the id 0" in m.text for m in found.messages)
    r = ingest_one(load_draft(_draft(tmp_path)), path)
    places = sorted((p.item.author, p.place.paragraph, p.place.start, p.place.end)
                    for p in r.comments)
    assert places == [("Ann", 0, 0, 17), ("Ben", 1, 12, 32)]


def test_a_reply_to_itself_is_read_as_a_comment_with_a_warning(tmp_path):
    body = f'<w:p>{_ranged("3", "The council shall")}{run(PLAIN[0][17:])}</w:p>'
    ext = ('<w15:commentEx w15:paraId="0000AA01" w15:paraIdParent="0000AA01" '
           'w15:done="0"/>')
    path = write(tmp_path / "r.docx", body + para(PLAIN[1]),
                 comment("3", "Ann", "Loop?", "0000AA01"), ext)
    found = read_annotations(path)
    assert [(c.id, c.parent) for c in found.comments] == [("3", None)]
    assert any("reply to itself" in m.text for m in found.messages)


def test_a_move_from_without_a_move_to_is_a_deletion(tmp_path):
    moved = (rev("moveFrom", "Ann", run(" within ten days of each meeting", True), 1))
    body = (f'<w:p>{run("The council shall publish its minutes")}'
            f'<w:moveFromRangeStart w:id="9" w:name="move1" w:author="Ann" w:date="2026-11-30T'
            f'10:00:00Z"/>{moved}<w:moveFromRangeEnd w:id="9"/>{run(".")}</w:p>'
            + "".join(para(t) for t in PLAIN[1:]))
    path = write(tmp_path / "Group 1.docx", body)
    found = read_annotations(path)
    assert [(r.kind, r.text) for r in found.revisions] == [
        ("delete", " within ten days of each meeting")]
    assert any("no destination" in m.text for m in found.messages)
    r = ingest_one(load_draft(_draft(tmp_path)), path)
    assert [(p.item.kind, p.item.tracked, p.place.start, p.place.end) for p in r.placed] == [
        ("delete", True, 37, 69)]


def test_a_paragraph_mark_inserted_then_deleted_is_in_neither_view_with_a_warning(tmp_path):
    """Ann split the first paragraph, Ben joined it again: nothing changed, and it is said."""
    marks = ('<w:pPr><w:rPr><w:ins w:id="1" w:author="Ann" w:date="2026-11-30T10:00:00Z"/>'
             '<w:del w:id="2" w:author="Ben" w:date="2026-11-30T10:00:00Z"/></w:rPr></w:pPr>')
    body = (f'<w:p>{marks}{run(PLAIN[0][:37])}</w:p>' + para(PLAIN[0][37:]) +
            "".join(para(t) for t in PLAIN[1:]))
    path = write(tmp_path / "Group 1.docx", body)
    r = ingest_one(load_draft(_draft(tmp_path)), path)
    assert r.placed == () and r.unplaced == ()
    assert any("inserted (by Ann) and then deleted (by Ben)" in m.text for m in r.messages)
