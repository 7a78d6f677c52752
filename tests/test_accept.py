"""accept / reject: the next draft from a document whose changes are credited to groups."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from consult.accept import accept, author_groups, in_group, read_decisions, reject
from consult.diff import write_redline
from consult.errors import InputError, UsageError
from consult.ooxml.build import (SUMMARY_STYLE, add_consult_styles, paragraph, table,
                                 turn_on_tracking)
from consult.ooxml.comments_part import CommentsWriter, NewComment
from consult.ooxml.edit import marker, reference_run
from consult.ooxml.package import Package
from consult.ooxml.revisions import has_revisions
from consult.ooxml.textview import accepted_text, original_text

from test_diff import (CORPUS, NS, W, accepted_view, build_draft, default_blocks,
                       libreoffice_converts, pandoc_reads, para, rejected_view, schema_valid)

DATE = "2026-02-01T09:00:00Z"
NEW_PARAGRAPH = "A new paragraph about training for every class."
CONFLICT = "Conflict C1: groups propose different changes to this text."


# -- the collated-like document ------------------------------------------------------------------
def blocks_with(*changes: str) -> list[tuple]:
    """The default draft with some of the five numbered changes made."""
    blocks = default_blocks()
    intro = blocks.index(("h1", "Introduction")) + 1
    scope = blocks.index(("h1", "Scope")) + 1
    review = blocks.index(("h1", "Review")) + 1
    complaints = blocks.index(("h1", "Complaints")) + 2
    bold = next(k for k, b in enumerate(blocks) if b[0] == "bold")
    if "1" in changes:
        blocks[intro] = ("p", blocks[intro][1].replace("Pupil", "Learners", 1))
    if "2" in changes:
        blocks[scope] = ("p", blocks[scope][1].split(". ", 1)[1])
    if "5" in changes:
        blocks[bold] = ("p", blocks[bold][1])
    if "4" in changes:
        del blocks[complaints]
    if "3" in changes:
        blocks.insert(review + 1, ("p", NEW_PARAGRAPH))
    return blocks


# The author each change is credited to, found by a phrase of its paragraph.
AUTHORS = {"1": "Group 1", "2": "Group 2", "3": "Group 1 & Group 2",
           "4": "Group 3 (untracked)", "5": "Group 2"}


def phrases() -> dict[str, str]:
    blocks = default_blocks()
    scope = blocks[blocks.index(("h1", "Scope")) + 1][1]
    removed = blocks[blocks.index(("h1", "Complaints")) + 2][1]
    bold = next(b[1] for b in blocks if b[0] == "bold")
    return {"1": "Learners", "2": scope.split(". ")[0], "3": NEW_PARAGRAPH,
            "4": removed, "5": bold}


@pytest.fixture(scope="module")
def drafts(folder) -> dict[str, Path]:
    """Draft A, every change made (B), and the collated-like document."""
    a = build_draft(folder / "a.docx", blocks_with())
    b = build_draft(folder / "b.docx", blocks_with("1", "2", "3", "4", "5"))
    redline = folder / "redline.docx"
    write_redline(a, b, redline, author="nobody", date=DATE)
    collated = folder / "collated.docx"
    make_collated(redline, collated)
    return {"a": a, "b": b, "collated": collated}


def make_collated(redline: Path, out: Path) -> None:
    """Credit changes to groups, add a conflict comment with a reply, a group comment, the
    summary blocks consult appends and Track Changes switched on."""
    pkg = Package.open(redline)
    root = pkg.xml(pkg.main)
    body = root.find(f"{{{W}}}body")
    found = phrases()
    where = {}
    for p in body.iter(f"{{{W}}}p"):
        text = original_text(p) + accepted_text(p)
        key = next((k for k, phrase in found.items() if phrase in text), None)
        if key is None:
            continue
        where[key] = p
        for rev in p.xpath(".//w:ins|.//w:del|.//w:rPrChange|.//w:pPrChange", namespaces=NS):
            rev.set(f"{{{W}}}author", AUTHORS[key])
    assert sorted(where) == ["1", "2", "3", "4", "5"]
    writer = CommentsWriter(pkg, set())
    _comment(writer, where["2"], NewComment("1", "consult", "C", DATE, CONFLICT))
    writer.add(NewComment("2", "Group 2", "G2", DATE, "We meant that.", parent="1"))
    _comment(writer, where["1"], NewComment("3", "Group 1", "G1", DATE, "Why this word?"))
    add_consult_styles(pkg)     # styles.xml and stylesWithEffects.xml, as collate does
    sect = body.find(f"{{{W}}}sectPr")
    summary = [paragraph("Collation summary", SUMMARY_STYLE),
               table([["Section", "Groups assigned", "Returned"],
                      ["1", "Group 1, Group 2", "Group 1, Group 2"], ["2", "Group 3", "none"]],
                     SUMMARY_STYLE, [2000, 2000, 2000]),
               paragraph("None.", SUMMARY_STYLE)]
    for block in summary:
        sect.addprevious(block)
    turn_on_tracking(pkg.xml(pkg.related(pkg.main, "/settings")))
    pkg.save(out)


def _comment(writer: CommentsWriter, p, comment: NewComment) -> None:
    writer.add(comment)
    ppr = p.find(f"{{{W}}}pPr")
    p.insert(0 if ppr is None else p.index(ppr) + 1, marker("commentRangeStart", comment.id))
    p.append(marker("commentRangeEnd", comment.id))
    p.append(reference_run(comment.id))


def view_of(folder: Path, *changes: str) -> list[tuple[str, str]]:
    """The text of the draft with the given changes made (built independently)."""
    name = "expect-" + ("".join(changes) or "none") + ".docx"
    return accepted_view(build_draft(folder / name, blocks_with(*changes)))


def document_root(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def part_names(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as z:
        return set(z.namelist())


# -- modes ------------------------------------------------------------------------------------
def test_accept_all_gives_the_new_text_and_a_clean_draft(folder, drafts):
    out = folder / "all.docx"
    result = accept(drafts["collated"], out, mode="all")
    assert accepted_view(out) == rejected_view(out) == accepted_view(drafts["b"])
    root = document_root(out)
    assert not has_revisions(root)
    assert not root.xpath("//w:commentRangeStart|//w:commentReference", namespaces=NS)
    assert "word/comments.xml" not in part_names(out)
    assert not root.xpath("//w:pStyle[starts-with(@w:val, 'Consult')]", namespaces=NS)
    assert result.blocks_removed == 3 and result.left == 0
    assert result.comments_removed == 3 and result.comments_kept == 0
    with zipfile.ZipFile(out) as z:
        assert b"trackRevisions" not in z.read("word/settings.xml")


def test_accept_none_and_reject_all_give_the_old_text(folder, drafts):
    accept(drafts["collated"], folder / "none.docx", mode="none")
    reject(drafts["collated"], folder / "reject-all.docx", mode="all")
    expected = accepted_view(drafts["a"])
    assert accepted_view(folder / "none.docx") == expected
    assert accepted_view(folder / "reject-all.docx") == expected


def test_default_leaves_changes_in_conflict_with_their_comments(folder, drafts):
    out = folder / "default.docx"
    result = accept(drafts["collated"], out)
    assert result.left == 1 and result.comments_kept == 2 and result.comments_removed == 1
    assert accepted_view(out) == view_of(folder, "1", "2", "3", "4", "5")
    assert rejected_view(out) == view_of(folder, "1", "3", "4", "5")
    root = document_root(out)
    # the fixture's reply 2 has no reference of its own; a kept comment needs one (Word's
    # rule), so the next draft gives it one beside its parent's
    assert root.xpath("//w:commentReference/@w:id", namespaces=NS) == ["1", "2"]
    authors = set(root.xpath("//w:ins/@w:author|//w:del/@w:author", namespaces=NS))
    assert authors == {"Group 2"}
    with zipfile.ZipFile(out) as z:
        comments = etree.fromstring(z.read("word/comments.xml"))
        assert b"trackRevisions" in z.read("word/settings.xml")
    assert comments.xpath("//w:comment/@w:id", namespaces=NS) == ["1", "2"]


def test_reject_by_default_rejects_all_but_conflicts(folder, drafts):
    out = folder / "reject-default.docx"
    result = reject(drafts["collated"], out)
    assert result.left == 1
    assert accepted_view(out) == view_of(folder, "2")
    assert rejected_view(out) == view_of(folder)


@pytest.mark.parametrize("groups, made", [
    (["Group 2"], ("2", "3", "5")),
    (["Group 3"], ("4",)),
    (["group 1", "Group 3"], ("1", "3", "4")),
])
def test_accept_by_group(folder, drafts, groups, made):
    out = folder / f"groups-{'-'.join(made)}.docx"
    accept(drafts["collated"], out, groups=groups)
    assert accepted_view(out) == view_of(folder, *made)
    assert not has_revisions(document_root(out))


def test_reject_by_group_keeps_the_other_groups_changes(folder, drafts):
    out = folder / "reject-group-2.docx"
    reject(drafts["collated"], out, groups=["Group 2"])
    # 3 is "Group 1 & Group 2": Group 1's proposal too, and Group 1 is not rejected
    assert accepted_view(out) == view_of(folder, "1", "3", "4")


@pytest.fixture(scope="module")
def with_draft_change(folder, drafts) -> Path:
    """The collated-like document with change 1 by the draft's author, not by a group."""
    pkg = Package.open(drafts["collated"])
    for rev in pkg.xml(pkg.main).xpath("//w:*[@w:author='Group 1']", namespaces=NS):
        rev.set(f"{{{W}}}author", "Jane Smith")
    pkg.save(folder / "with-draft-change.docx")
    return folder / "with-draft-change.docx"


def test_accept_group_is_the_projection_keeping_the_drafts_own_changes(folder,
                                                                       with_draft_change):
    out = folder / "projection-2.docx"
    accept(with_draft_change, out, groups=["Group 2"])
    assert accepted_view(out) == view_of(folder, "1", "2", "3", "5")
    accept(with_draft_change, folder / "jane.docx", groups=["jane smith"])
    assert accepted_view(folder / "jane.docx") == view_of(folder, "1")


def test_unknown_groups_are_refused_with_the_closest_one(folder, with_draft_change):
    with pytest.raises(UsageError) as caught:
        accept(with_draft_change, folder / "x.docx", groups=["Gruop 2"])
    assert str(caught.value) == ("Gruop 2: did you mean Group 2? The groups in "
                                 "with-draft-change.docx are Group 1, Group 2, Group 3.")
    rows = [{"group": "Group 4", "kind": "insert", "text": "x", "decision": "accept"}]
    path = write_csv(folder / "group-4.csv", rows)
    with pytest.raises(InputError) as caught:
        reject(with_draft_change, folder / "x.docx", decisions=path)
    assert str(caught.value) == (f"{path}: line 2: Group 4: no such group. The groups in "
                                 "with-draft-change.docx are Group 1, Group 2, Group 3.")
    assert not (folder / "x.docx").exists()


def test_a_conflict_decided_by_its_only_group_is_settled(folder, drafts):
    rows = [{"group": "Group 2", "kind": "delete", "text": phrases()["2"] + ". ",
             "decision": "accept"}]
    out = folder / "twice.docx"
    result = accept(drafts["collated"], out, decisions=write_csv(folder / "one.csv", rows))
    assert result.left == 0                  # one group decided: settled
    assert accepted_view(out) == view_of(folder, "1", "2", "3", "4", "5")


def test_an_unknown_mode_is_refused(folder, drafts):
    with pytest.raises(UsageError, match="mode"):
        accept(drafts["collated"], folder / "x.docx", mode="some")


# -- decisions ----------------------------------------------------------------------------------
def write_csv(path: Path, rows: list[dict], fields=("section", "paragraph", "group", "person",
                                                    "kind", "text", "conflict", "decision")):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_decisions_file_decides_the_rows_it_matches(folder, drafts):
    removed = phrases()["4"]
    rows = [
        {"group": "Group 1", "kind": "delete", "text": "Pupil", "decision": "reject"},
        {"group": "Group 1", "kind": "insert", "text": "Learners", "decision": "Reject"},
        {"group": "Group 3", "kind": "delete", "text": removed, "decision": "leave"},
        {"group": "Group 2", "kind": "delete", "text": phrases()["2"] + ". ",
         "decision": "accept"},
        {"group": "Group 2", "kind": "comment", "text": "Why this word?", "decision": ""},
        {"group": "Group 3", "kind": "insert", "text": "never written", "decision": "accept"},
    ]
    out = folder / "decided.docx"
    result = accept(drafts["collated"], out,
                    decisions=write_csv(folder / "decisions.csv", rows))
    assert accepted_view(out) == view_of(folder, "2", "3", "4", "5")
    assert rejected_view(out) == view_of(folder, "2", "3", "5")
    assert result.left == 1 and result.comments_kept == 0
    assert any("matched no tracked change (line 7)" in m.text for m in result.messages)


def test_groups_that_disagree_on_an_agreement_apply_the_accepting_groups_version(folder,
                                                                                drafts):
    rows = [{"group": "Group 1", "kind": "insert", "text": NEW_PARAGRAPH, "decision": "accept"},
            {"group": "Group 2", "kind": "insert", "text": NEW_PARAGRAPH, "decision": "reject"}]
    out = folder / "split.docx"
    result = accept(drafts["collated"], out, decisions=write_csv(folder / "split.csv", rows))
    assert result.left == 1          # only the conflict, left by default
    assert accepted_view(out) == view_of(folder, "1", "2", "3", "4", "5")
    assert rejected_view(out) == view_of(folder, "1", "3", "4", "5")
    assert [m.text for m in result.messages if m.level == "warning"] == [
        "\u201cA new paragraph about training for ever\u2026\u201d: Group 1 accepted, Group 2 "
        "rejected: Group 1's version applied"]


def test_rows_of_one_group_that_disagree_leave_the_change(folder, drafts):
    rows = [{"group": "Group 1", "kind": "insert", "text": NEW_PARAGRAPH, "decision": "accept"},
            {"group": "Group 1", "kind": "insert", "text": NEW_PARAGRAPH, "decision": "reject"}]
    result = accept(drafts["collated"], folder / "split1.docx",
                    decisions=write_csv(folder / "split1.csv", rows))
    assert result.left == 2          # the new paragraph, and the conflict left by default
    assert any("different decisions" in m.text for m in result.messages)
    assert result.closing_line() == ("Accepted 4 changes, rejected 0, left 2 (conflict C1: "
                                     "no decision; 1 as decided)")


def test_paragraph_narrows_rows_matching_several_changes(folder):
    a = build_draft(folder / "twice-a.docx", [("p", "The plan is good."), ("p", para(1)),
                                              ("p", "The plan is good.")])
    b = build_draft(folder / "twice-b.docx", [("p", "The plan is fine."), ("p", para(1)),
                                              ("p", "The plan is fine.")])
    redline = folder / "twice.docx"
    write_redline(a, b, redline, author="Group 1")
    rows = [{"group": "Group 1", "kind": k, "text": t, "paragraph": "3", "decision": "reject"}
            for k, t in (("delete", "good"), ("insert", "fine"))]
    out = folder / "twice-out.docx"
    accept(redline, out, decisions=write_csv(folder / "twice.csv", rows))
    assert [t for _l, t in accepted_view(out)] == ["The plan is fine.", para(1),
                                                  "The plan is good."]


def test_bad_decisions_files_are_refused(folder):
    bad = write_csv(folder / "bad.csv", [{"group": "G", "kind": "insert", "text": "x",
                                          "decision": "maybe"}])
    with pytest.raises(InputError, match="line 2: decision 'maybe'"):
        read_decisions(bad)
    missing = write_csv(folder / "missing.csv", [{"group": "G"}], fields=("group", "text"))
    with pytest.raises(InputError, match="no kind, decision column"):
        read_decisions(missing)


def test_authors_name_groups():
    assert author_groups("Group 1 & Group 2 (untracked)") == ["Group 1", "Group 2"]
    assert in_group("Group 1 (Priya Shah)", "group 1")
    assert not in_group("Group 10", "Group 1")


# -- real files ---------------------------------------------------------------------------------
REVISED = ["Open-Xml-Pow__TestFiles_DA224-TrackedRevisions.docx",
           "lo-resave__Open-Xml-Pow__TestFiles_RP_RP018-MoveFrom-MoveTo-CC.docx",
           "Open-Xml-Pow__TestFiles_RP_RP015-MoveFrom-MoveTo.docx",
           "Open-Xml-Pow__TestFiles_RP_RP052-Deleted-Para-Mark.docx",
           "Open-Xml-Pow__TestFiles_RP_RP010-Inserted-Table-Row.docx",
           "docx2python__tests_resources_comments.docx"]


@pytest.mark.parametrize("name", REVISED)
def test_accept_and_reject_all_on_real_files(folder, name):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    accept(path, folder / "real-accepted.docx", mode="all")
    reject(path, folder / "real-rejected.docx", mode="all")
    assert accepted_view(folder / "real-accepted.docx") == accepted_view(path)
    assert accepted_view(folder / "real-rejected.docx") == rejected_view(path)
    for out in ("real-accepted.docx", "real-rejected.docx"):
        root = document_root(folder / out)
        assert not has_revisions(root)
        assert not root.xpath("//w:commentReference", namespaces=NS)


# -- files other programs open --------------------------------------------------------------------
def test_next_drafts_open_in_the_schema_pandoc_and_libreoffice(folder, drafts):
    files = [folder / "lo-default.docx", folder / "lo-all.docx"]
    accept(drafts["collated"], files[0])
    accept(drafts["collated"], files[1], mode="all")
    schema_valid([drafts["collated"], *files])
    for f in files:
        pandoc_reads(f)
    libreoffice_converts(files, folder)
