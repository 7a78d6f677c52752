"""A draft's own tracked changes and comments reach the collated document under their authors.

Read by pandoc (``--track-changes=all``): every insertion and deletion the draft carries is in
the collated document once, with its author and text, and none is credited to a group; the
draft's comments are there once each, under their authors; the groups' comments still cover
their words; the summary says what the draft carried.
"""
from __future__ import annotations

import zipfile
from collections import Counter

import pytest
from lxml import etree

import edit_docx as ed
import pandoc_marks as pm
from conftest import corpus_file, need
from test_anchors import _mismatches
from test_write_parts import problems, snippets
from wordcheck import schema_valid

from consult.collate import collate
from consult.ooxml.package import Package
from consult.ooxml.revisions import accept_all, resolve
from consult.split import load_draft

DATE = "2026-11-03T09:00:00Z"
DRAFTS = ["Open-Xml-Pow__NewDocxDocuments_RevisionTracking.docx",
          "Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-02.docx",
          "Open-Xml-Pow__OpenXmlPowerToolsExamples_RevisionAccepter01_Source1.docx",
          "Open-Xml-Pow__TestFiles_DA224-TrackedRevisions.docx",
          "Open-Xml-Pow__TestFiles_CZ_CZ004-Multi-Paragraphs-in-Cell-Mod.docx",
          "docx2python__tests_resources_comments.docx"]
INVALID_AS_GIVEN = {DRAFTS[1]}    # its move ranges lack w:date before consult reads it
MARKS = ("commentRangeStart", "commentRangeEnd", "commentReference")


def pack_like(draft, path):
    """The draft as a group receives it: its changes accepted, its comments taken out."""
    pkg = Package.open(draft)
    root = pkg.xml(pkg.main)
    resolve(root, accept_all)
    for e in list(root.iter(*(ed.w(n) for n in MARKS))):
        node = e.getparent() if e.tag == ed.w("commentReference") else e
        node.getparent().remove(node)
    pkg.save(path)
    return path


def group_return(draft, tmp, k: int):
    path = pack_like(draft, tmp / f"Group {k}.docx")
    doc = ed.Docx.open(path)
    found = snippets(doc, 4)
    if k - 1 < len(found):  # pandoc loses the end of a comment starting beside another
        ed.add_comment(doc, found[k - 1], f"Group {k} wonders.", f"Person {k}", "P", DATE)
    if len(found) > 2:
        ed.track_insert(doc, found[2], found[2], f" (group {k})", f"Person {k}", DATE)
    return doc.save(path)


def spans(path) -> Counter:
    """(kind, author, text) of every insertion and deletion pandoc reads."""
    out: Counter = Counter()
    current: dict = {}
    order = []
    for tok in pm.read(path):
        if tok[0] != "text":
            continue
        for kind, author in tok[2]:
            key = (kind, author)
            if key not in current:
                current[key] = []
                order.append(key)
            current[key].append(tok[1])
        for key in [k for k in current if k not in tok[2]]:
            out[(key[0], key[1], pm.norm("".join(current.pop(key))))] += 1
    for key, parts in current.items():
        out[(key[0], key[1], pm.norm("".join(parts)))] += 1
    return out


def comments_by_author(path) -> Counter:
    with zipfile.ZipFile(path) as z:
        if "word/comments.xml" not in z.namelist():
            return Counter()
        root = etree.fromstring(z.read("word/comments.xml"))
    return Counter((c.get(ed.w("author")), "".join(c.itertext()).strip())
                   for c in root.iter(ed.w("comment")))


@pytest.fixture(scope="module", params=DRAFTS)
def collated(request, tmp_path_factory):
    need("pandoc")
    draft = corpus_file(request.param)
    tmp = tmp_path_factory.mktemp("draftmarks")
    returns = [group_return(draft, tmp, k) for k in (1, 2)]
    col = collate(load_draft(draft), returns)
    out = tmp / "collated.docx"
    col.save(out)
    return draft, returns, col, out


def test_draft_changes_kept_under_their_authors(collated):
    draft, _, _, out = collated
    groups = {"Group 1", "Group 2"}
    mine = spans(draft)
    theirs = spans(out)
    kept = Counter({k: n for k, n in theirs.items()
                    if not {a.strip() for a in k[1].replace(" (untracked)", "").split(" & ")}
                    & groups})
    assert kept == mine
    credited = [k for k in theirs if k[1] not in ("Group 1", "Group 2")
                and k not in mine]
    assert credited == []


def test_draft_comments_once_each(collated):
    draft, _, _, out = collated
    before, after = comments_by_author(draft), comments_by_author(out)
    for key, n in before.items():
        assert after[key] == n, key


def test_group_comments_on_their_words(collated):
    _, returns, _, out = collated
    assert _mismatches(out, returns) == []


def test_summary_says_what_the_draft_carried(collated):
    draft, _, col, out = collated
    text = pm.norm("".join(t[1] for t in pm.read(out) if t[0] == "text"))
    assert "The draft carried" in text
    assert problems(out, draft) == []
    if draft.name not in INVALID_AS_GIVEN:
        schema_valid(out)


def _text(path, keep) -> str:
    """The body text pandoc reads in one view, without whitespace (pandoc moves a space at a
    deletion's edge outside it), up to consult's summary."""
    text = "".join(t[1] for t in pm.read(path) if t[0] == "text" and keep(t[2]))
    return "".join(text.split("Collation summary")[0].split())


def test_each_group_view_reads_like_its_return(collated):
    """The draft's own changes accepted, the group's accepted, the other's rejected."""
    _, returns, _, out = collated
    groups = {p.stem for p in returns}
    for path in returns:
        assert _text(out, pm.group_view(path.stem, groups)) == _text(path, pm.accept_all)


def test_group_edits_inside_the_drafts_own_insertions(tmp_path):
    """A group deletes and inserts inside text the draft's author inserted, and comments
    across it: the author's insertion is split around the group's, the deletion sits inside
    it, and the group's view and comment read as in the return."""
    need("pandoc")
    draft = corpus_file(DRAFTS[4])
    path = pack_like(draft, tmp_path / "Group 1.docx")
    doc = ed.Docx.open(path)
    second = "Yes, When you click Online Video, you can paste in"
    ed.track_delete(doc, "Yes, Video provides", "Yes, ", "P", DATE)
    ed.add_comment(doc, second, "Across the author's insertion.", "P", "P", DATE,
                   words="s, When you")
    ed.track_insert(doc, second, "Ye", "-yes", "P", DATE)
    doc.save(path)
    col = collate(load_draft(draft), [path])
    out = tmp_path / "collated.docx"
    col.save(out)
    assert _text(out, pm.group_view("Group 1", {"Group 1"})) == _text(path, pm.accept_all)
    assert _mismatches(out, [path]) == []
    kept = Counter({k: n for k, n in spans(out).items() if k[1] != "Group 1"})
    assert sum(kept.values()) >= sum(spans(draft).values())
    assert problems(out, draft) == []
    schema_valid(out)
