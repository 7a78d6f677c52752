"""accept / reject by group on the collated sample, read back by pandoc (not by consult).

The equations: ``accept --group G`` reads, word for word, like the draft with G's sections
replaced by G's return; ``reject --group "Group 4"`` reads like the draft with every other
group's return spliced in (where Groups 2 and 4 agreed on a deletion, Group 2's proposal
stands whole); unknown group names and the closing line are checked through the CLI.
"""
from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_DRAFT, SAMPLES, need
from pandoc_reader import pandoc_json
from wordcheck import libreoffice_converts, word_checks

from consult.accept import accept, reject
from consult.allocate import read_plan
from consult.cli import cli
from consult.collate import collate
from consult.errors import UsageError
from consult.split import load_draft

RETURNS = SAMPLES / "returns"
FILES = {"Group 1": "Group 1 - SEN policy comments.docx", "Group 2": "Group 2.docx",
         "Group 3": "Group 3 response.docx", "Group 4": "Group 4.docx",
         "Group 5": "Group 5.docx", "Group 6": "Group 6 (LibreOffice).docx"}
GROUPS = "Group 1, Group 2, Group 3, Group 4, Group 5, Group 6, Group 7"


# -- pandoc's reading --------------------------------------------------------------------------
def pandoc_paragraphs(path: Path, track: str = "accept") -> list[str]:
    """Every non-empty paragraph pandoc reads (cells, list items and quotes included), as
    text with white space runs as one space; paragraphs in a "Consult ..." style (a pack's
    cover and notes, a collated document's summary) are left out."""
    return [text for _head, text in pandoc_blocks(path, track)]


def pandoc_blocks(path: Path, track: str = "accept") -> list[tuple[bool, str]]:
    """As ``pandoc_paragraphs``, each with whether pandoc reads it as a heading."""
    doc = pandoc_json(path, track)
    found: list[tuple[bool, str]] = []
    for key in ("title", "subtitle"):       # pandoc lifts a leading Title into the metadata
        if key in doc["meta"] and doc["meta"][key]["t"] == "MetaInlines":
            found.append((False, _text(doc["meta"][key]["c"])))
    _blocks(doc["blocks"], found)
    return [(head, text) for head, text in ((h, " ".join(t.split())) for h, t in found)
            if text]


def _blocks(blocks: list, out: list, keep=None) -> None:
    """Append (heading?, text) for each paragraph. With ``keep`` (tracked changes read with
    --track-changes=all): ``keep(author)`` says whether that author's change is accepted;
    a paragraph whose mark is an insertion that is not kept, or a deletion that is, runs on
    into the next one."""
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain", "Header"):
            inlines = content[2] if kind == "Header" else content
            marks: list[bool] = []
            text = _text(inlines, keep, marks)
            if out and out[-1][0] is None:              # the previous paragraph runs on
                head, before = out.pop()[1]
                text = before + text
            out.append((kind == "Header", text) if not (marks and marks[-1]) else
                       (None, (kind == "Header", text)))
        elif kind == "Div":
            attrs = dict(content[0][2])
            if not attrs.get("custom-style", "").startswith("Consult"):
                _blocks(content[1], out, keep)
        elif kind == "BlockQuote":
            _blocks(content, out, keep)
        elif kind in ("BulletList", "OrderedList"):
            for item in content if kind == "BulletList" else content[1]:
                _blocks(item, out, keep)
        elif kind == "Table":
            _table(content, out, keep)


def _table(content: list, out: list, keep=None) -> None:
    head, bodies, foot = content[3], content[4], content[5]
    rows = list(head[1]) + [r for body in bodies for r in body[2] + body[3]] + list(foot[1])
    for row in rows:
        for cell in row[1]:
            _blocks(cell[4], out, keep)
            if out and out[-1][0] is None:      # a cell's last paragraph runs on no further
                out[-1] = out[-1][1]


def _text(inlines: list, keep=None, marks: list | None = None) -> str:
    """The text of ``inlines``; with ``keep``, tracked changes resolved by it, comment
    bodies dropped, and whether each paragraph mark change runs on appended to ``marks``."""
    parts = []
    for node in inlines:
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript",
                      "SmallCaps"):
            parts.append(_text(content, keep, marks))
        elif kind == "Span" and keep is not None and set(content[0][1]) & TRACKED:
            cls, author = content[0][1][0], dict(content[0][2]).get("author", "")
            if cls in ("comment-start", "comment-end"):
                continue
            if cls.startswith("paragraph-"):
                marks.append(keep(author) == (cls == "paragraph-deletion"))
            elif keep(author) == (cls == "insertion"):
                parts.append(_text(content[1], keep, marks))
        elif kind in ("Span", "Link"):
            parts.append(_text(content[1], keep, marks))
        elif kind == "Quoted":
            left, right = ("\u201c", "\u201d") if content[0]["t"] == "DoubleQuote" \
                else ("\u2018", "\u2019")
            parts.append(left + _text(content[1], keep, marks) + right)
        elif kind == "Code":
            parts.append(content[1])
    return "".join(parts)


TRACKED = {"insertion", "deletion", "paragraph-insertion", "paragraph-deletion",
           "comment-start", "comment-end"}


def projection(path: Path, group: str, groups: list[str]) -> list[str]:
    """The collated document read by pandoc with every change tracked, resolved as the
    projection for ``group``: a change whose author names ``group`` (alone, in "A & B", or
    "G (untracked)") accepted, another group's rejected, anyone else's (the draft's own)
    accepted; comment bodies dropped."""
    def keep(author: str) -> bool:
        name = author.removesuffix(" (untracked)")
        parts = [p.strip() for p in name.split(" & ")]
        return group in parts or not any(p in groups for p in parts)
    doc = pandoc_json(path)
    found: list = []
    for key in ("title", "subtitle"):
        if key in doc["meta"] and doc["meta"][key]["t"] == "MetaInlines":
            found.append((False, _text(doc["meta"][key]["c"], keep, [])))
    _blocks(doc["blocks"], found, keep)
    texts = [block[1] if block[0] is not None else block[1][1] for block in found]
    return [t for t in (" ".join(t.split()) for t in texts) if t]


def sections(blocks: list[tuple[bool, str]]) -> list[list[tuple[bool, str]]]:
    """Paragraphs cut before each heading: what comes before the first, then one list per
    heading with the paragraphs up to the next."""
    out: list[list[tuple[bool, str]]] = [[]]
    for block in blocks:
        if block[0]:
            out.append([])
        out[-1].append(block)
    return out


def splice(draft: list[tuple[bool, str]], *returns: list[tuple[bool, str]]) -> list[str]:
    """The draft's paragraphs with each section a return holds (found by its heading, in
    order; the return's paragraphs before its first heading replace the draft's) replaced
    by the return's version of it; later returns win."""
    ours = sections(draft)
    for theirs in returns:
        at = 0
        for k, part in enumerate(sections(theirs)):
            if not part:
                continue
            if k == 0:
                ours[0] = part
                continue
            at = next(j for j in range(at + 1, len(ours)) if ours[j][0] == part[0])
            ours[at] = part
    return [text for part in ours for _head, text in part]


# -- the collated sample -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample(folder) -> Path:
    draft = load_draft(SAMPLE_DRAFT)
    col = collate(draft, [RETURNS], read_plan(draft, RETURNS / "allocation.csv"))
    out = folder / "c.docx"
    col.save(out)
    return out


@pytest.mark.parametrize("group", sorted(FILES))
def test_accepting_a_group_reads_like_its_return(folder, sample, group):
    out = folder / f"accept-{group}.docx"
    accept(sample, out, groups=[group])
    expected = splice(pandoc_blocks(SAMPLE_DRAFT), pandoc_blocks(RETURNS / FILES[group]))
    assert pandoc_paragraphs(out) == expected


def test_rejecting_group_4_keeps_group_2s_proposal_whole(folder, sample):
    out = folder / "reject-4.docx"
    result = reject(sample, out, groups=["Group 4"])
    got = pandoc_paragraphs(out)
    expected = splice(pandoc_blocks(SAMPLE_DRAFT), *(  # Group 2 last: 3.2 is as Group 2 has it
        pandoc_blocks(RETURNS / FILES[g]) for g in ("Group 1", "Group 3", "Group 5", "Group 6",
                                                    "Group 2")))
    assert got == expected
    text = "\n".join(got)
    assert "must use its all reasonable efforts to make sure" in text
    assert "publishes the SEN information report every autumn term and monitors" in text
    assert "endeavours" not in text and "full powers" not in text
    assert result.left == 0 and result.left_why == ()


@pytest.mark.parametrize("group", sorted(FILES))
def test_accept_group_gives_the_projection_read_by_pandoc(folder, sample, group):
    out = folder / f"projection-{group}.docx"
    accept(sample, out, groups=[group])
    assert pandoc_paragraphs(out) == projection(sample, group, GROUPS.split(", "))


def test_accept_group_with_all_others_rejected_is_the_projection(folder, sample):
    """--group alone is the projection: the same text as accepting the group's rows and
    rejecting every other group's in a decisions file."""
    rows = list(csv.DictReader(_report(folder, sample).open(encoding="utf-8-sig")))
    for r in rows:
        r["decision"] = "accept" if r["group"] == "Group 4" else "reject"
    decisions = _write(folder / "projection.csv", rows)
    accept(sample, folder / "by-rows.docx", decisions=decisions)
    accept(sample, folder / "by-group.docx", groups=["Group 4"])
    assert pandoc_paragraphs(folder / "by-rows.docx") == \
        pandoc_paragraphs(folder / "by-group.docx")


def test_accepting_two_groups_that_conflict_leaves_their_conflicts(folder, sample):
    out = folder / "two.docx"
    result = accept(sample, out, groups=["Group 2", "Group 4"])
    assert result.left_why == ("conflict C1, C2: accepted for more than one group",)
    assert [m.text for m in result.messages if m.level == "warning"] == [
        f"{c}: changes of groups that disagree were all accepted; the conflict was left "
        "tracked" for c in ("C1", "C2")]
    text = "\n".join(pandoc_paragraphs(out, "reject"))      # the conflicts as the draft had it
    assert "must use its best endeavours to make sure" in text
    assert "twice a term" in text                         # Group 2's change outside them


def test_a_document_crediting_people_takes_their_names(folder):
    """Collated with author_mode="person": Aisha Khan's changes are Group 2's proposal, and
    --group "Group 2" is refused with the names the document credits."""
    draft = load_draft(SAMPLE_DRAFT)
    col = collate(draft, [RETURNS], read_plan(draft, RETURNS / "allocation.csv"), "person")
    people = folder / "people.docx"
    col.save(people)
    out = folder / "aisha.docx"
    accept(people, out, groups=["Aisha Khan"])
    assert pandoc_paragraphs(out) == splice(pandoc_blocks(SAMPLE_DRAFT),
                                            pandoc_blocks(RETURNS / FILES["Group 2"]))
    with pytest.raises(UsageError, match="^Group 2: people.docx credits its changes to people"):
        accept(people, folder / "x.docx", groups=["Group 2"])


def test_the_next_drafts_open_in_word_s_schema_and_libreoffice(folder, sample):
    """The files the tests above wrote: a projection, reject Group 4, a partly decided one
    (tracked changes and a conflict comment left)."""
    files = [folder / "accept-Group 4.docx", folder / "reject-4.docx", folder / "two.docx"]
    for name, fn, groups in (("accept-Group 4.docx", accept, ["Group 4"]),
                             ("reject-4.docx", reject, ["Group 4"]),
                             ("two.docx", accept, ["Group 2", "Group 4"])):
        if not (folder / name).is_file():
            fn(sample, folder / name, groups=groups)
    word_checks(*files)
    pdf = subprocess.run([need("pdftotext"), str(libreoffice_converts(files[1])[0]), "-"],
                         capture_output=True, text=True).stdout
    assert "all reasonable efforts" in " ".join(pdf.split())


# -- the command line ----------------------------------------------------------------------------
def _report(folder: Path, sample: Path) -> Path:
    path = folder / "report" / "report.csv"
    if not path.is_file():
        from consult.report import write_reports
        draft = load_draft(SAMPLE_DRAFT)
        write_reports(collate(draft, [RETURNS], read_plan(draft, RETURNS / "allocation.csv")),
                      folder / "report")
    return path


def _write(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _decide(folder: Path, sample: Path, name: str, rule) -> Path:
    rows = list(csv.DictReader(_report(folder, sample).open(encoding="utf-8-sig")))
    for r in rows:
        r["decision"] = rule(r) or ""
    return _write(folder / name, rows)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("verb", ["accept", "reject"])
@pytest.mark.parametrize("name,problem", [
    ("Gorup 3", "Gorup 3: did you mean Group 3?"),
    ("Group 9", "Group 9: no such group."),
])
def test_an_unknown_group_is_a_usage_error_naming_the_groups(folder, sample, verb, name,
                                                               problem):
    out = folder / f"unknown-{verb}.docx"
    result = invoke(verb, str(sample), "--group", name, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == \
        f"Error: {problem} The groups in c.docx are {GROUPS}."
    assert not out.exists()


def test_a_group_with_no_changes_is_named_and_all_with_group_refused(folder, sample):
    out = folder / "group-7.docx"
    result = invoke("accept", str(sample), "--group", "Group 7", "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr == f"Warning: {sample}: Group 7 has no tracked changes\n"
    assert result.stdout == f"Accepted 0 changes, rejected 27, left 0; wrote {out}\n"
    assert pandoc_paragraphs(out) == pandoc_paragraphs(SAMPLE_DRAFT)
    result = invoke("reject", str(sample), "--all", "--group", "Group 2", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith(
        "Error: --all cannot be combined with --group")


def test_a_decisions_row_naming_no_group_is_refused(folder, sample):
    decisions = _decide(folder, sample, "gorup.csv",
                        lambda r: "accept" if r["conflict"] == "C1" else None)
    reader = csv.DictReader(decisions.open(encoding="utf-8"))
    rows, line = [], 0
    for r in reader:
        if r["decision"] and not line:
            r["group"], line = "Gorup 3", reader.line_num
        rows.append(r)
    _write(decisions, rows)
    out = folder / "gorup.docx"
    result = invoke("accept", str(sample), "--decisions", str(decisions), "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {decisions}: line {line}: Gorup 3: did you mean Group 3? "
                             f"The groups in c.docx are {GROUPS}.\n")
    assert not out.exists()


def test_accept_ends_with_what_was_left(folder, sample):
    out = folder / "default.docx"
    result = invoke("accept", str(sample), "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == (f"Accepted 20 changes, rejected 0, left 7 (conflict C1, C2: no "
                             f"decision); wrote {out}\n")


def test_decisions_that_disagree_on_a_shared_change_apply_the_accepting_groups(folder, sample):
    decisions = _decide(folder, sample, "c1.csv", lambda r: r["conflict"] == "C1" and (
        "accept" if r["group"] == "Group 2" else "reject"))
    out = folder / "c1.docx"
    result = invoke("accept", str(sample), "--decisions", str(decisions), "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr == (f"Warning: {decisions}: C1: Group 2 accepted, Group 4 rejected: "
                             "Group 2's version applied\n")
    assert result.stdout == ("Accepted 22 changes, rejected 1, left 4 (conflict C2: no "
                             f"decision); wrote {out}\n")
    text = "\n".join(pandoc_paragraphs(out, "all"))
    assert "must use its all reasonable efforts to make sure" in text


def test_decisions_on_both_conflicts_read_like_group_2(folder, sample):
    """Group 2's rows of both conflicts accepted, Group 4's rejected: 3.2 reads exactly as
    Group 2 proposed it, and each shared deletion is reported once."""
    decisions = _decide(folder, sample, "c12.csv", lambda r: r["conflict"] in ("C1", "C2") and (
        "accept" if r["group"] == "Group 2" else "reject"))
    out = folder / "c12.docx"
    result = invoke("accept", str(sample), "--decisions", str(decisions), "-o", str(out))
    assert result.exit_code == 0
    assert result.stderr == "".join(
        f"Warning: {decisions}: {c}: Group 2 accepted, Group 4 rejected: Group 2's version "
        "applied\n" for c in ("C1", "C2"))
    assert result.stdout == f"Accepted 24 changes, rejected 3, left 0; wrote {out}\n"
    got = pandoc_paragraphs(out)
    theirs = sections(pandoc_blocks(RETURNS / FILES["Group 2"]))[-1]     # its section 3.2
    start = got.index(theirs[0][1])
    assert got[start:start + len(theirs)] == [text for _head, text in theirs]


def test_decisions_that_partly_decide_a_conflict_say_so(folder, sample):
    decisions = _decide(folder, sample, "part.csv", lambda r: "accept" if (
        r["conflict"] == "C1" and r["group"] == "Group 4" and r["kind"] == "insert") else None)
    out = folder / "part.docx"
    result = invoke("accept", str(sample), "--decisions", str(decisions), "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ("Accepted 21 changes, rejected 0, left 6 (conflict C1: partly "
                             f"decided; conflict C2: no decision); wrote {out}\n")
