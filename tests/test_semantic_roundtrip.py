"""The collated document says what each group said, on the words they said it on (issue 12).

For each group G, read with pandoc (tests/semantic.py, not consult's code): the collated
document with G's changes (authors naming G alone, in an "A & B" agreement, or "G
(untracked)") and the draft's own changes accepted, every other group's rejected and the
comment bodies and closing summary dropped, equals G's return read with
``--track-changes=accept``; and each of G's comments covers the same words in both. Checked on
the bundled sample, on scripted full-document returns for real drafts (tests/scripted.py), on
issue 12's draft that carries its author's deletions returned as sent, and on
hypothesis-generated edit scripts. ``consult accept --group G`` must give the same text, and
``consult reject --group G`` the text of everyone else's (an agreement keeps its other
members' proposal). The draft's own changes and comments must reach the packs and the
collated document under their own authors.
"""
from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

import roundtrip as rt
import scripted
import semantic as sem
from conftest import SAMPLE_DRAFT
from wordcheck import rules_ok

from consult.accept import accept, reject

# -- the reader itself, on a document whose answer is known ---------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _r(text: str, deleted: bool = False) -> str:
    tag = "delText" if deleted else "t"
    return f'<w:r><w:{tag} xml:space="preserve">{text}</w:{tag}></w:r>'


def _ins(author: str, *runs: str, rid: int = 0) -> str:
    return f'<w:ins w:id="{rid}" w:author="{author}">{"".join(runs)}</w:ins>'


def _del(author: str, text: str, rid: int = 0) -> str:
    return f'<w:del w:id="{rid}" w:author="{author}">{_r(text, True)}</w:del>'


TINY_BODY = "".join([
    "<w:p>", _r("The cat "), _ins("Group 1", _r("black "), rid=1), _r("sat "),
    _del("Group 2", "on the", 2), _ins("Group 2", _r("upon a"), rid=3), _r(" mat."), "</w:p>",
    '<w:p><w:commentRangeStart w:id="7"/>', _r("Dogs "),
    _ins("Group 1 &amp; Group 2", _r("never "), rid=4), _r("bark"),
    '<w:commentRangeEnd w:id="7"/><w:r><w:commentReference w:id="7"/></w:r>', _r(" "),
    _del("Drafter", "old ", 5), _r("word"), _ins("Group 3 (untracked)", _r("s"), rid=6),
    "</w:p>",
    '<w:p><w:pPr><w:rPr><w:ins w:id="8" w:author="Group 2"/></w:rPr></w:pPr>',
    _r("Third"), "</w:p>",
    "<w:p>", _ins("Group 2", _r("Fourth"), rid=9), "</w:p>",
])
TINY_COMMENT = ('<w:comment w:id="7" w:author="Group 1" w:initials="G1"><w:p>'
                + _r("Why?") + "</w:p></w:comment>")
TINY_GROUPS = {"Group 1", "Group 2", "Group 3"}


def tiny_docx(path: Path, body: str, comments: str = "") -> Path:
    """A minimal package: document.xml (and comments.xml) from XML snippets."""
    ns = f'xmlns:w="{W_NS}"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml",
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType='
                   '"application/xml"/><Override PartName="/word/document.xml" ContentType='
                   f'"{ct}.document.main+xml"/><Override PartName="/word/comments.xml" '
                   f'ContentType="{ct}.comments+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                   'Target="word/document.xml"/></Relationships>')
        z.writestr("word/_rels/document.xml.rels",
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{rel}/comments" '
                   'Target="comments.xml"/></Relationships>')
        z.writestr("word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>")
        z.writestr("word/comments.xml", f"<w:comments {ns}>{comments}</w:comments>")
    return path


@pytest.fixture(scope="module")
def tiny(folder) -> Path:
    return tiny_docx(folder / "tiny.docx", TINY_BODY, TINY_COMMENT)


@pytest.mark.parametrize("group, paragraphs, covered", [
    ("Group 1", ["The cat black sat on the mat.", "Dogs never bark word", "Third"],
     "Dogs never bark"),
    ("Group 2", ["The cat sat upon a mat.", "Dogs never bark word", "Third", "Fourth"],
     "Dogs never bark"),
    ("Group 3", ["The cat sat on the mat.", "Dogs bark words", "Third"], "Dogs bark"),
])
def test_the_projection_of_a_known_document(tiny, group, paragraphs, covered):
    """Agreements count for each member, "(untracked)" for its group, the draft's own change
    (by "Drafter") for everyone; a rejected inserted paragraph mark joins the paragraphs."""
    view = sem.project(sem.read(tiny), lambda a: sem.accepts_for(group, TINY_GROUPS, a))
    assert view.paragraphs == paragraphs
    assert view.covered == {"7": ("Group 1", "Why?", covered)}


def test_accepting_everything_agrees_with_pandoc_accept(tiny):
    mine = sem.project(sem.read(tiny), lambda a: True).paragraphs
    assert mine == sem.accepted_text(tiny) == [
        "The cat black sat upon a mat.", "Dogs never bark words", "Third", "Fourth"]


def test_a_comment_written_end_first_has_no_range(folder):
    """What issue 12 found: the end and the reference before the start."""
    body = ('<w:p><w:commentRangeEnd w:id="1"/><w:r><w:commentReference w:id="1"/></w:r>'
            '<w:commentRangeStart w:id="1"/>' + _r("words") + "</w:p>")
    path = tiny_docx(folder / "end-first.docx", body, TINY_COMMENT.replace('"7"', '"1"'))
    assert sem.project(sem.read(path), lambda a: True).covered["1"][2] is None


# -- the bundled sample ---------------------------------------------------------------------

SAMPLE_GROUPS = [g["group"] for g in scripted.sample_groups()]


@pytest.fixture(scope="module")
def sample(folder) -> rt.Case:
    return scripted.sample_case(folder)


@pytest.mark.parametrize("group", SAMPLE_GROUPS)
def test_sample_projection_reads_like_the_return(sample, group):
    found = rt.text_problems(sample, group)
    assert not found, rt.report(found)


def test_the_equation_sees_a_wrong_return(sample):
    """Not vacuous: Group 2's projection against Group 3's return (both cover 3.2) fails, and
    so does Group 1's against its pack (its changes missing)."""
    swapped = rt.Case(sample.collated, sample.groups,
                      {"Group 2": sample.returns["Group 3"]}, {"Group 2": sample.packs["Group 3"]})
    assert rt.text_problems(swapped, "Group 2")
    unedited = rt.Case(sample.collated, sample.groups, {"Group 1": sample.packs["Group 1"]},
                       {"Group 1": sample.packs["Group 1"]})
    found = rt.text_problems(unedited, "Group 1")
    assert any("broad, balanced and ambitious" in p for p in found), found


@pytest.mark.parametrize("group", SAMPLE_GROUPS)
def test_sample_comments_sit_on_the_same_words(sample, group):
    found = rt.comment_problems(sample, group)
    assert not found, rt.report(found)


@pytest.mark.parametrize("group", SAMPLE_GROUPS)
def test_sample_accept_group_gives_the_projection(sample, folder, group):
    out = folder / f"sample-accept-{group}.docx"
    accept(sample.collated, out, groups=[group])
    got, want = sem.accepted_text(out), rt.projection(sample, group).paragraphs
    assert rt.same(want, got), "; ".join(rt.first_difference(want, got))


@pytest.mark.parametrize("group", SAMPLE_GROUPS)
def test_sample_reject_group_keeps_the_others(sample, folder, group):
    """``reject --group G`` (every other change accepted): an agreement "A & G" stays, as A's
    proposal; only what G alone proposed goes."""
    out = folder / f"sample-reject-{group}.docx"
    reject(sample.collated, out, groups=[group])
    others = rt.without(sample, group)
    got = sem.accepted_text(out)
    assert rt.same(others, got), "; ".join(rt.first_difference(others, got))


def test_sample_collation_keeps_the_rules(sample):
    found = rules_ok(sample.collated, since=SAMPLE_DRAFT)
    assert not found, rt.report(found)


# -- scripted full-document returns on real drafts -------------------------------------------

DRAFTS = scripted.real_drafts()


@pytest.fixture(scope="module")
def scripted_cases(folder) -> dict[str, rt.Case]:
    return scripted.build_cases(DRAFTS, folder)


@pytest.mark.skipif(not DRAFTS, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", DRAFTS)
def test_scripted_returns_read_like_the_projection(scripted_cases, name):
    """Group 4's return is re-saved by LibreOffice, which on some drafts that carry tracked
    changes (RP051-Arabic) keeps none of them, deleted text included: where that return no
    longer reads like the file Group 4 gave LibreOffice, the projection must read like that
    file, and no text the draft's own author deleted may be credited to the group
    (roundtrip._by_converter, roundtrip.revived)."""
    case = scripted.case_of(scripted_cases, name)
    found = [p for g in sorted(case.returns) for p in rt.text_problems(case, g)]
    assert not found, rt.report(found)


@pytest.mark.skipif(not DRAFTS, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", DRAFTS)
def test_scripted_comments_sit_on_the_same_words(scripted_cases, name):
    case = scripted.case_of(scripted_cases, name)
    found = [p for g in sorted(case.returns) for p in rt.comment_problems(case, g)]
    assert not found, rt.report(found)


OWN = [n for n in DRAFTS if n == scripted.OWN_MARKS or scripted.has_own_marks(n)]


@pytest.mark.skipif(not OWN, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", OWN)
def test_scripted_drafts_own_marks_are_kept_under_their_authors(scripted_cases, name):
    found = rt.own_mark_problems(scripted.case_of(scripted_cases, name))
    assert not found, rt.report(found)


@pytest.mark.skipif(not DRAFTS, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", DRAFTS)
def test_scripted_collations_keep_the_rules(scripted_cases, name):
    case = scripted.case_of(scripted_cases, name)
    found = rules_ok(case.collated, since=case.draft)
    assert not found, rt.report(found)


@pytest.mark.skipif(not DRAFTS, reason="../shared/corpus/real is absent")
@pytest.mark.parametrize("name", DRAFTS[:3])
def test_scripted_accept_group_gives_the_projection(scripted_cases, folder, name):
    case = scripted.case_of(scripted_cases, name)
    bad = []
    for group in sorted(case.returns):
        out = folder / f"accept-{Path(name).stem}-{group}.docx"
        accept(case.collated, out, groups=[group])
        got, want = sem.accepted_text(out), rt.projection(case, group).paragraphs
        if not rt.same(want, got):
            bad.append(f"{group}: " + "; ".join(rt.first_difference(want, got)))
    assert not bad, rt.report(bad)


@pytest.fixture(scope="module")
def as_sent(folder) -> rt.Case:
    if not (scripted.CORPUS / scripted.ISSUE_DRAFT).is_file():
        pytest.skip("../shared/corpus/real is absent")
    return scripted.returned_as_sent_case(folder)


def test_a_draft_returned_as_sent_reads_like_each_return(as_sent):
    """Issue 12's third case: the draft's own deletions are neither lost nor credited to
    the groups; each group's projection reads like what it sent back."""
    found = [p for g in sorted(as_sent.returns) for p in rt.problems(as_sent, g)]
    assert not found, rt.report(found)


def test_a_draft_returned_as_sent_keeps_its_authors_changes(as_sent):
    found = rt.own_mark_problems(as_sent)
    assert not found, rt.report(found)


# -- drafts whose own tracked changes LibreOffice rewrites, re-saved returns ------------------

@pytest.fixture(scope="module")
def resaved_own(folder) -> dict:
    if shutil.which("soffice") is None or not (scripted.CORPUS / "MANIFEST.tsv").is_file():
        pytest.skip("LibreOffice or ../shared/corpus/real is absent")
    return {n: scripted.resaved_own_case(n, folder) for n in scripted.RESAVED_OWN}


@pytest.mark.parametrize("name", scripted.RESAVED_OWN)
def test_a_draft_whose_changes_libreoffice_rewrites_round_trips(resaved_own, name):
    """Both returns re-saved by LibreOffice, which rewrites the draft's own changes: each
    group's projection reads like its return where LibreOffice left it as the group sent it
    (roundtrip._by_converter), no text of the draft's own changes is credited to a group
    (roundtrip.revived: pandoc reads RP001-02's table, deleted inside a w:moveTo, as inserted,
    so the equation alone does not see LibreOffice bring it back), Group 1's typed words are in the collated document as its edits, its
    comment on its words, the draft's changes under their authors."""
    case = resaved_own[name]
    found = [p for g in sorted(case.returns) for p in rt.problems(case, g)]
    found += rt.own_mark_problems(case)
    found += list(rules_ok(case.collated, since=case.draft))
    found += [p for g in sorted(case.returns) for p in rt.revived(case, g, ("ins", "del"))]
    projection = " ".join(rt.projection(case, "Group 1").paragraphs)
    found += [f"Group 1's projection lacks {w!r}" for w in ("retyped", "changed")
              if w not in projection]
    assert not found, rt.report(found)


# -- hypothesis-generated edit scripts on the sample draft ---------------------------------------

from hypothesis import HealthCheck, Phase, given, settings, strategies as st  # noqa: E402

EDIT = st.tuples(st.sampled_from(scripted.EDIT_KINDS), st.integers(0, 60),
                 st.floats(0, 1), st.integers(1, 3),
                 st.sampled_from(["new words", "x", "a rather longer replacement text"]))
SCRIPT = st.lists(EDIT, min_size=1, max_size=4, unique_by=lambda e: e[1])


@settings(max_examples=5, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],       # no shrinking: each example is slow
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(scripts=st.fixed_dictionaries({g: SCRIPT for g in scripted.GROUPS[:3]}))
def test_generated_edit_scripts_round_trip(folder, scripts):
    case = scripted.generated_case(SAMPLE_DRAFT, folder / "generated", scripts)
    found = [p for g in sorted(scripts) for p in rt.problems(case, g)]
    assert not found, f"scripts {scripts}\n" + rt.report(found)
