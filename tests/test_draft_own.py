"""A draft that carries its own tracked changes and comments: in a return (the draft itself
marked up, or a pack of it) they are the draft's, never a group's; packs carry them under
their authors; the untracked-edit diff compares like with like.

pandoc (``--track-changes=all``) is the independent reader of what a file carries."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import CORPUS, corpus_file
from edit_docx import Docx, add_comment, track_replace
from pandoc_reader import pandoc_json

from consult.ingest import ingest_one
from consult.model import Allocation
from consult.packs import build_pack
from consult.split import load_draft

DATE = "2026-11-30T09:00:00Z"
REVISION_COLUMNS = ("comments", "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange")


def _carrying() -> list[str]:
    """Real files (not LibreOffice re-saves) that carry tracked changes or comments."""
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.is_file():
        return []
    lines = manifest.read_text(encoding="utf-8").splitlines()
    head = lines[0].split("\t")
    out = []
    for line in lines[1:]:
        row = dict(zip(head, line.split("\t")))
        if row["file"].startswith("lo-resave") or not (CORPUS / row["file"]).is_file():
            continue
        if any(int(row[c] or 0) for c in REVISION_COLUMNS):
            out.append(row["file"])
    return out


CARRYING = _carrying()


def _pandoc(path: Path) -> tuple[Counter, Counter]:
    """Authors of insertion/deletion spans and of comments, as pandoc reads them."""
    changes, comments = Counter(), Counter()

    def walk(node) -> None:
        if isinstance(node, list):
            for n in node:
                walk(n)
        elif isinstance(node, dict):
            if node.get("t") == "Span":
                (_, classes, attrs), inlines = node["c"]
                author = dict(attrs).get("author", "")
                if ("insertion" in classes or "deletion" in classes) and \
                        '"Str"' in json.dumps(inlines):     # a field alone shows no text
                    changes[author] += 1
                if "comment-start" in classes:
                    comments[author] += 1
            walk(node.get("c"))

    walk(pandoc_json(path, styles=False)["blocks"])
    return changes, comments


def _whole(draft) -> Allocation:
    return Allocation("Group 1", tuple(s.id for s in draft.sections))


@pytest.mark.skipif(not CARRYING, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", CARRYING)
def test_the_draft_as_its_own_return_credits_nothing_to_the_group(name, tmp_path):
    """The draft returned unchanged, and a pack of it, hold nothing of the group's."""
    path = corpus_file(name)
    draft = load_draft(path)
    ret = ingest_one(draft, path)
    assert [(type(p.item).__name__, p.item.author) for p in ret.placed] == []
    assert ret.unplaced == ()
    pack = tmp_path / "Group 1.docx"
    build_pack(draft, _whole(draft)).save(pack)
    ret = ingest_one(draft, pack)
    assert [(type(p.item).__name__, p.item.author) for p in ret.placed] == []


@pytest.mark.skipif(not CARRYING, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", CARRYING)
def test_what_the_draft_carries_is_on_the_draft(name):
    """Every author pandoc sees on a tracked change or comment is in the draft's counts."""
    path = corpus_file(name)
    draft = load_draft(path)
    changes, comments = _pandoc(path)
    assert set(changes) <= {a for a, _ in draft.own_revisions}
    assert set(comments) <= {a for a, _ in draft.own_comments}
    assert sum(n for _, n in draft.own_comments) == sum(comments.values())


def test_a_draft_marked_up_by_a_group_gives_only_the_groups_changes(tmp_path):
    """The issue's case: a third-party draft with its author's 8 deletions, marked up in place
    by a group: only the group's change is the group's, nothing is untracked."""
    path = corpus_file("Open-Xml-Pow__NewDocxDocuments_RevisionTracking.docx")
    draft = load_draft(path)
    assert draft.own_revisions == (("Eric White", 8),)
    doc = Docx.open(path)
    track_replace(doc, "Lorem ipsum dolor", "dolor", "pain", "Priya Shah", DATE)
    add_comment(doc, "Maecenas porttitor", "Which massa?", "Priya Shah", "PS", DATE)
    ret = ingest_one(draft, doc.save(tmp_path / "Group 1.docx"))
    got = sorted((type(p.item).__name__, getattr(p.item, "kind", ""), p.item.author,
                  p.item.text, getattr(p.item, "tracked", True)) for p in ret.placed)
    assert got == [("Comment", "", "Priya Shah", "Which massa?", True),
                   ("Revision", "delete", "Priya Shah", "dolor", True),
                   ("Revision", "insert", "Priya Shah", "pain", True)]
    lorem = next(p.index for p in draft.paragraphs if p.text == "Lorem ipsum dolor sit amet")
    deletion = next(p for p in ret.placed if getattr(p.item, "kind", "") == "delete")
    assert (deletion.place.paragraph, deletion.place.start, deletion.place.end) == (lorem, 12,
                                                                                   17)


@pytest.mark.parametrize("name", [
    "Open-Xml-Pow__NewDocxDocuments_RevisionTracking.docx",      # deletes a row, joins paras
    "Open-Xml-Pow__OpenXmlPowerToolsExamples_OpenXmlRegex01_TestDocument.docx",
    "Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-02.docx"])
def test_packs_carry_the_drafts_changes_under_their_authors(name, tmp_path):
    path = corpus_file(name)
    from consult.packs import carries_own
    draft = load_draft(path)
    assert carries_own(draft)
    pack = tmp_path / "Group 1.docx"
    build_pack(draft, _whole(draft)).save(pack)
    assert _pandoc(pack)[0] == _pandoc(path)[0]         # the same changes, same authors


@pytest.mark.skipif(not CARRYING, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", CARRYING)
def test_section_packs_of_a_carrying_draft_credit_nothing_to_groups(name, tmp_path):
    from consult.allocate import allocate, group_names
    from consult.packs import write_packs
    draft = load_draft(corpus_file(name))
    allocations = allocate(draft, group_names(min(3, len(draft.sections))))
    for path in write_packs(draft, allocations, tmp_path):
        ret = ingest_one(draft, path, allocations)
        assert [(type(p.item).__name__, p.item.author) for p in ret.placed] == [], path.name


def test_packs_carry_the_drafts_comments_under_their_authors(tmp_path):
    pack = tmp_path / "Group 1.docx"
    path = corpus_file("docx2python__tests_resources_comments.docx")
    draft = load_draft(path)
    build_pack(draft, _whole(draft)).save(pack)
    assert _pandoc(pack)[1] == _pandoc(path)[1] == Counter({"Randy Bartels": 4,
                                                            "Shay Hill": 4})


def test_a_group_reply_to_the_drafts_comment_stays_the_groups(tmp_path):
    path = corpus_file("docx2python__tests_resources_comments.docx")
    draft = load_draft(path)
    pack = tmp_path / "pack.docx"
    build_pack(draft, _whole(draft)).save(pack)
    doc = Docx.open(pack)
    add_comment(doc, None, "We agree.", "Priya Shah", "PS", DATE, reply_to=1)
    ret = ingest_one(draft, doc.save(tmp_path / "Group 1.docx"))
    assert [(p.item.author, p.item.text) for p in ret.comments] == [("Priya Shah",
                                                                     "We agree.")]
    assert not ret.revisions


def test_collating_five_unchanged_returns_credits_no_comment_to_a_group(tmp_path):
    """The issue's case: five returns holding the draft's own comments unchanged; pandoc
    reads no comment by a group in the collated document (a1c644c: 40)."""
    import shutil
    from consult.collate import collate
    path = corpus_file("docx2python__tests_resources_comments.docx")
    draft = load_draft(path)
    returns = []
    for k in range(1, 6):
        returns.append(tmp_path / f"group-{k}.docx")
        shutil.copy(path, returns[-1])
    out = tmp_path / "collated.docx"
    collate(draft, returns).save(out)
    assert not [a for a in _pandoc(out)[1] if a.startswith("group-")]
    changes, _ = _pandoc(out)
    assert not [a for a in changes if a.startswith("group-")]


def test_a_return_that_lost_the_drafts_changes_does_not_credit_the_difference(tmp_path):
    """A converter applied or dropped the draft's own tracked insertion: the return's text
    there is not the group's edit (listed as unplaced, with the reason); an edit elsewhere
    still is."""
    from tiny_docx import para, rev, run, write
    first = "The council shall publish its minutes"
    rest = ["Members may attend by video link where the chair agrees in advance.",
            "The clerk keeps the register of interests and reviews it every year."]
    own = rev("ins", "Author", run(" within ten days"), 1, "2017-01-01T10:00:00Z")
    draft = load_draft(write(tmp_path / "draft.docx",
                             para(first, own + run(".")) + "".join(para(t) for t in rest)))
    assert draft.own_revisions == (("Author", 1),)
    applied = ingest_one(draft, write(tmp_path / "Group 1.docx", para(
        first + " within ten days.") + "".join(para(t) for t in rest)))
    assert applied.placed == () and applied.unplaced == ()
    dropped = ingest_one(draft, write(tmp_path / "Group 2.docx", para(first + ".") +
                                      para(rest[0].replace("video", "phone")) + para(rest[1])))
    assert [(p.item.text, p.place.paragraph) for p in dropped.placed] == [
        ("video", 1), ("phone", 1)]
    assert [u.item.text for u in dropped.unplaced] == [" within ten days"]
    assert "the draft's own tracked changes" in dropped.unplaced[0].reason
