"""diff: sections matched and classified; a redline whose changes resolve to either draft."""
from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn as dqn
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from lxml import etree

from consult.diff import (DEFAULT_DATE, ROW_KEYS, STATUSES, changed_pct, diff, diff_rows,
                          write_redline)
from consult.errors import UsageError
from consult.ooxml.document import from_package, open_document
from consult.ooxml.order import insert_ordered
from consult.ooxml.package import Package
from consult.ooxml.revisions import has_revisions, reject_all, resolve
from consult.pairing import pair_paragraphs

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus" / "real"
VALIDATOR = SHARED / "ooxml-schemas" / "validate.py"
SAMPLE = REPO / "samples" / "sen-policy-draft.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
WORDS = ("pupil parent teacher governor review plan support need school term week report "
         "meeting record advice budget class group").split()
SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


# -- building drafts -------------------------------------------------------------------------
def sentence(n: int, length: int = 7) -> str:
    words = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(length)]
    return " ".join(words).capitalize() + "."


def para(n: int, sentences: int = 3) -> str:
    return " ".join(sentence(n + k) for k in range(sentences))


SECTIONS = [("Introduction", 0, 2), ("Scope", 10, 3), ("Duties", 20, 3), ("Review", 30, 2),
            ("Complaints", 40, 2), ("Glossary", 50, 1)]


def default_blocks(sections=SECTIONS) -> list[tuple]:
    """Title, numbered headings, body text, a numbered list, a formatted run and a table.

    Each section is (title, seed, paragraphs): the seed fixes its text wherever it goes.
    """
    blocks: list[tuple] = [("title", "Draft policy on support"), ("p", para(90, 2))]
    for title, seed, paras in sections:
        blocks.append(("h1", title))
        blocks += [("p", para(seed + m)) for m in range(paras)]
        if seed == 10:
            blocks.append(("h2", "Who this covers"))
            blocks += [("num", sentence(40 + m)) for m in range(3)]
            blocks.append(("bold", para(60)))
        if seed == 20:
            blocks.append(("table", [["Role", "Duty"], ["SENCO", sentence(70)],
                                     ["Head", sentence(71)]]))
            blocks.append(("p", para(72)))
    return blocks


def build_draft(path: Path, blocks: list[tuple]) -> Path:
    """A python-docx draft with Word-numbered headings (1, 1.1) and the given blocks."""
    doc = docx.Document()
    _number_headings(doc)
    for kind, value in blocks:
        if kind == "title":
            doc.add_paragraph(value, style="Title")
        elif kind in ("h1", "h2"):
            doc.add_paragraph(value, style="Heading 1" if kind == "h1" else "Heading 2")
        elif kind == "num":
            doc.add_paragraph(value, style="List Number")
        elif kind == "bold":
            p = doc.add_paragraph()
            head, _, rest = value.partition(". ")
            p.add_run(head + ". ").bold = True
            p.add_run(rest)
        elif kind == "table":
            table = doc.add_table(rows=len(value), cols=len(value[0]))
            for r, row in enumerate(value):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        else:
            doc.add_paragraph(value)
    doc.save(path)
    return path


def _number_headings(doc) -> None:
    numbering = doc.part.numbering_part.element
    abstract = etree.fromstring(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90"><w:multiLevelType '
        'w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1."/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>')
    first_num = numbering.find(dqn("w:num"))
    first_num.addprevious(abstract)
    numbering.append(etree.fromstring(
        f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for name, level in (("Heading 1", 0), ("Heading 2", 1)):
        ppr = doc.styles[name].element.get_or_add_pPr()
        numpr = etree.fromstring(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/>'
                                 '<w:numId w:val="90"/></w:numPr>')
        insert_ordered(ppr, numpr)


# -- views -------------------------------------------------------------------------------------
def accepted_view(path) -> list[tuple[str, str]]:
    """(list label, text) of each paragraph with every change accepted."""
    return [(p.num.label if p.num else "", p.text)
            for p in open_document(path, accept=True).paragraphs]


def rejected_view(path) -> list[tuple[str, str]]:
    """(list label, text) of each paragraph with every change rejected."""
    pkg = Package.open(path)
    resolve(pkg.xml(pkg.main), reject_all)
    return [(p.num.label if p.num else "", p.text) for p in from_package(pkg).paragraphs]


def assert_redline_resolves(a: Path, b: Path, out: Path) -> None:
    """Accepting every change gives b, rejecting every change gives a.

    Drafts where a paragraph mark is left that consult's resolver cannot resolve (reported
    as ``stranded``; see consult/ooxml/marks.py) are not counted.
    """
    assume(write_redline(a, b, out).stranded == 0)
    assert accepted_view(out) == accepted_view(b)
    assert rejected_view(out) == accepted_view(a)


# -- scripted edits (python-docx, as a person editing the new draft would) ----------------------
def _body_paragraphs(doc) -> list:
    return list(doc.paragraphs)


def _is_p(node) -> bool:
    return node is not None and node.tag == dqn("w:p")


def _has_neighbour(p) -> bool:
    """A paragraph next to it, so that removing it never leaves two tables touching.

    consult's resolver keeps a paragraph whose inserted or deleted mark has no paragraph
    after it (before a table, at the end of a cell or of the body); the redline moves such a
    mark to the paragraph before, which must exist and not end a section. Edits that leave
    neither are not made here (see consult/ooxml/redline.py).
    """
    return _is_p(p._element.getprevious()) or _is_p(p._element.getnext())


def _ends_section(p) -> bool:
    return p._element.find(f"{dqn('w:pPr')}/{dqn('w:sectPr')}") is not None


def _pick(items: list, k: int):
    return items[k % len(items)] if items else None


def replace_word(doc, a: int, b: int) -> None:
    runs = [r for p in _body_paragraphs(doc) for r in p.runs if len(r.text.split()) > 1]
    run = _pick(runs, a)
    if run is not None:
        words = run.text.split(" ")
        words[b % len(words)] = WORDS[(a + b) % len(WORDS)] + "s"
        run.text = " ".join(words)


def delete_sentence(doc, a: int, b: int) -> None:
    runs = [r for p in _body_paragraphs(doc) for r in p.runs if r.text.count(". ") >= 1]
    run = _pick(runs, a)
    if run is not None:
        parts = re.split(r"(?<=\.) ", run.text)
        del parts[b % len(parts)]
        run.text = " ".join(parts)


def add_paragraph(doc, a: int, b: int) -> None:
    p = _pick(_body_paragraphs(doc), a)
    if p is None or (_ends_section(p) and not _is_p(p._element.getnext())):
        return
    new = copy.deepcopy(p._element)
    for child in list(new):
        if child.tag != dqn("w:pPr"):
            new.remove(child)
    for sect in new.iter(dqn("w:sectPr")):
        sect.getparent().remove(sect)
    p._element.addnext(new)
    run = etree.SubElement(new, dqn("w:r"))
    etree.SubElement(run, dqn("w:t")).text = sentence(b + 100, 9)


def _movable(doc) -> list:
    """Paragraphs a scripted edit may take away: with a neighbour, and no section break."""
    return [p for p in _body_paragraphs(doc) if _has_neighbour(p) and not _ends_section(p)]


def remove_paragraph(doc, a: int, b: int) -> None:
    ps = _movable(doc)
    if len(ps) > 3:
        p = _pick(ps, a)
        p._element.getparent().remove(p._element)


def move_paragraph(doc, a: int, b: int) -> None:
    ps = _body_paragraphs(doc)
    source = _pick(_movable(doc), a)
    target = _pick(ps, b)
    if source is not None and target is not None and source._element is not target._element:
        target._element.addnext(source._element)


def format_run(doc, a: int, b: int) -> None:
    runs = [r for p in _body_paragraphs(doc) for r in p.runs if r.text.strip()]
    run = _pick(runs, a)
    if run is not None:
        if b % 2:
            run.italic = not run.italic
        else:
            run.bold = not run.bold


def edit_cell(doc, a: int, b: int) -> None:
    cells = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs
             if p.runs]
    p = _pick(cells, a)
    if p is not None:
        p.runs[0].text = p.runs[0].text + " " + WORDS[b % len(WORDS)]


def _tables(doc) -> list:
    return [t for t in doc.element.body.iter(dqn("w:tbl"))]


def remove_row(doc, a: int, b: int) -> None:
    rows = [tr for t in _tables(doc) for tr in t.findall(dqn("w:tr")) if len(t) > 3]
    tr = _pick(rows, a)
    if tr is not None:
        tr.getparent().remove(tr)


def add_row(doc, a: int, b: int) -> None:
    rows = [tr for t in _tables(doc) for tr in t.findall(dqn("w:tr"))
            if all(c.tag != dqn("w:tbl") for tc in tr.iter(dqn("w:tc")) for c in tc)]
    tr = _pick(rows, a)
    if tr is None:
        return
    new = copy.deepcopy(tr)
    for k, p in enumerate(new.iter(dqn("w:p"))):
        for child in [c for c in p if c.tag != dqn("w:pPr")]:
            p.remove(child)
        run = etree.SubElement(p, dqn("w:r"))
        etree.SubElement(run, dqn("w:t")).text = sentence(b + k, 4)
    tr.addnext(new)


def remove_table(doc, a: int, b: int) -> None:
    body = doc.element.body
    tables = [t for t in body.findall(dqn("w:tbl"))
              if _is_p(t.getprevious()) and _is_p(t.getnext())]
    table = _pick(tables, a)
    if table is not None:
        body.remove(table)


EDITS = [replace_word, delete_sentence, add_paragraph, remove_paragraph, move_paragraph,
         format_run, edit_cell, remove_row, add_row, remove_table]
edit_lists = st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 500),
                                st.integers(0, 500)), min_size=1, max_size=5)


def make_b(a: Path, b: Path, edits) -> Path:
    doc = docx.Document(a)
    for fn, x, y in edits:
        fn(doc, x, y)
    doc.save(b)
    return b


@pytest.fixture(scope="module")
def draft_a(folder) -> Path:
    return build_draft(folder / "a.docx", default_blocks())


# -- properties --------------------------------------------------------------------------------
@SETTINGS
@given(edits=edit_lists)
def test_redline_resolves_to_each_synthetic_draft(folder, draft_a, edits):
    b = make_b(draft_a, folder / "b.docx", edits)
    assert_redline_resolves(draft_a, b, folder / "redline.docx")


@SETTINGS
@given(edits=edit_lists)
def test_redline_resolves_to_each_sample_draft(folder, edits):
    if not SAMPLE.is_file():
        pytest.skip("samples/sen-policy-draft.docx is absent")
    b = make_b(SAMPLE, folder / "sample-b.docx", edits)
    assert_redline_resolves(SAMPLE, b, folder / "sample-redline.docx")


CORPUS_FILES = [
    "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder01_Source1.docx",
    "Open-Xml-Pow__TestFiles_HW002-Table14.docx",
    "docx2python__tests_resources_comments.docx",
    "Open-Xml-Pow__TestFiles_RP_RP050-Deleted-Footnote.docx",
    "Open-Xml-Pow__TestFiles_LIR001-en-US-ordinal.docx",
    "Open-Xml-Pow__OpenXmlPowerToolsExamples_HtmlConverter01_Contract.docx",
    "pandoc__test_docx_track_changes_move.docx",
    "Open-Xml-Pow__TestFiles_DA224-TrackedRevisions.docx",
    "lo-resave__Open-Xml-Pow__TestFiles_RP_RP051-Arabic.docx",
    "Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-01-Accepted.docx",
]


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.sampled_from(CORPUS_FILES), edits=edit_lists)
def test_redline_resolves_to_each_corpus_draft(folder, name, edits):
    a = CORPUS / name
    if not a.is_file():
        pytest.skip(f"{a} is absent")
    if has_revisions(open_document(a, accept=True).root):
        pytest.skip(f"{name}: consult's accepted view still holds revisions")
    b = make_b(a, folder / "corpus-b.docx", edits)
    assert_redline_resolves(a, b, folder / "corpus-redline.docx")


# -- what the redline holds ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def redline(folder, draft_a) -> tuple[Path, Path]:
    """A redline with every kind of change: words, paragraphs, a move, formatting, a table row."""
    doc = docx.Document(draft_a)
    for fn, x, y in [(replace_word, 3, 1), (delete_sentence, 5, 0), (add_paragraph, 4, 2),
                     (remove_paragraph, 9, 0), (move_paragraph, 12, 2), (format_run, 20, 0),
                     (edit_cell, 1, 3)]:
        fn(doc, x, y)
    table = doc.tables[0]
    table._tbl.remove(table.rows[1]._tr)
    new_row = table.add_row()
    new_row.cells[0].text, new_row.cells[1].text = "Teacher", sentence(80)
    b = folder / "kinds-b.docx"
    doc.save(b)
    out = folder / "kinds-redline.docx"
    write_redline(draft_a, b, out, author="Drafting team", date="2026-03-04T05:06:07Z")
    return b, out


def document_xml(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_redline_holds_each_kind_of_change(folder, draft_a, redline):
    b, out = redline
    root = document_xml(out)
    assert root.xpath("//w:ins/w:r/w:t", namespaces=NS)
    assert root.xpath("//w:del/w:r/w:delText", namespaces=NS)
    assert root.xpath("//w:r/w:rPr/w:rPrChange", namespaces=NS)
    assert root.xpath("//w:pPr/w:rPr/w:ins", namespaces=NS)
    assert root.xpath("//w:pPr/w:rPr/w:del", namespaces=NS)
    assert root.xpath("//w:trPr/w:del", namespaces=NS)
    assert root.xpath("//w:trPr/w:ins", namespaces=NS)
    assert accepted_view(out) == accepted_view(b)
    assert rejected_view(out) == accepted_view(draft_a)
    assert write_redline(draft_a, b, folder / "kinds-again.docx").stranded == 0


def test_revision_ids_are_unique_and_above_the_drafts_ids(redline):
    b, out = redline
    before = [int(v) for v in document_xml(b).xpath("//@w:id", namespaces=NS)]
    marks = document_xml(out).xpath("//w:ins|//w:del|//w:rPrChange|//w:pPrChange",
                                    namespaces=NS)
    ids = [int(m.get(f"{{{W}}}id")) for m in marks]
    assert len(ids) == len(set(ids))
    assert min(ids) > max(before, default=0)
    assert {m.get(f"{{{W}}}author") for m in marks} == {"Drafting team"}
    assert {m.get(f"{{{W}}}date") for m in marks} == {"2026-03-04T05:06:07Z"}


def test_formatting_change_is_recorded_and_rejected(folder, draft_a):
    doc = docx.Document(draft_a)
    run = next(r for p in doc.paragraphs for r in p.runs if r.bold)
    run.bold = False
    run.italic = True
    b = doc.save(folder / "format-b.docx") or folder / "format-b.docx"
    out = folder / "format-redline.docx"
    write_redline(draft_a, b, out)
    change = document_xml(out).xpath("//w:rPrChange", namespaces=NS)
    assert len(change) == 1
    assert change[0].xpath("w:rPr/w:b", namespaces=NS)
    assert change[0].getparent().xpath("w:i", namespaces=NS)
    pkg = Package.open(out)
    resolve(pkg.xml(pkg.main), reject_all)
    rejected = pkg.xml(pkg.main)
    assert rejected.xpath("//w:r[w:rPr/w:b]", namespaces=NS)
    assert not rejected.xpath("//w:r[w:rPr/w:i]", namespaces=NS)


def test_redline_bytes_are_deterministic(folder, draft_a, redline):
    b, _ = redline
    write_redline(draft_a, b, folder / "one.docx")
    code = ("import sys; from consult.diff import write_redline; "
            "write_redline(sys.argv[1], sys.argv[2], sys.argv[3])")
    subprocess.run([sys.executable, "-c", code, str(draft_a), str(b), str(folder / "two.docx")],
                   check=True, cwd=REPO, env={**os.environ, "PYTHONHASHSEED": "7"})
    assert (folder / "one.docx").read_bytes() == (folder / "two.docx").read_bytes()
    dates = document_xml(folder / "one.docx").xpath("//w:ins/@w:date", namespaces=NS)
    assert set(dates) == {DEFAULT_DATE}


def test_equal_drafts_give_a_redline_without_changes(folder, draft_a):
    out = folder / "same.docx"
    result = write_redline(draft_a, draft_a, out)
    assert not has_revisions(document_xml(out))
    assert (result.inserted, result.deleted, result.edited) == (0, 0, 0)


def test_a_paragraph_with_no_paragraph_to_join_is_reported(folder):
    table = ("table", [["Role", "Duty"], ["Head", sentence(3)]])
    a = build_draft(folder / "alone-a.docx", [("p", para(1)), table, ("p", para(2))])
    b = build_draft(folder / "alone-b.docx", [table, ("p", para(2))])
    result = write_redline(a, b, folder / "alone.docx")
    assert result.stranded == 1 and result.deleted == 1
    assert any(m.level == "warning" and "no paragraph to join" in m.text
               for m in result.messages)
    assert rejected_view(folder / "alone.docx") == accepted_view(a)


def test_a_date_that_is_not_iso_8601_is_refused(folder, draft_a):
    with pytest.raises(UsageError, match="ISO 8601"):
        write_redline(draft_a, draft_a, folder / "x.docx", date="4 March 2026")


def test_redline_opens_in_the_schema_pandoc_and_libreoffice(folder, draft_a, redline):
    _, out = redline
    files = [out]
    if SAMPLE.is_file():
        edits = [(replace_word, 7, 3), (remove_paragraph, 30, 0), (add_paragraph, 50, 1),
                 (move_paragraph, 20, 90), (format_run, 11, 1)]
        b = make_b(SAMPLE, folder / "sample-lo-b.docx", edits)
        write_redline(SAMPLE, b, folder / "sample-lo.docx")
        files.append(folder / "sample-lo.docx")
    schema_valid(files)
    for f in files:
        pandoc_reads(f)
    libreoffice_converts(files, folder)


# -- sections ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def section_diff(folder):
    a = build_draft(folder / "sections-a.docx", default_blocks())
    blocks = default_blocks([("Introduction", 0, 2), ("Scope", 10, 3), ("Review", 30, 2),
                             ("Glossary", 50, 1), ("Complaints and appeals", 40, 2),
                             ("Training", 300, 2)])
    scope = blocks.index(("h1", "Scope")) + 1
    blocks[scope] = ("p", "Every " + blocks[scope][1])
    b = build_draft(folder / "sections-b.docx", blocks)
    return diff(a, b, level=1)


def test_sections_are_matched_and_classified(section_diff):
    got = {(s.old.title if s.old else None, s.new.title if s.new else None): s
           for s in section_diff.sections}
    status = {k: s.status for k, s in got.items()}
    assert status[("Front matter", "Front matter")] == "unchanged"
    assert status[("Introduction", "Introduction")] == "unchanged"
    assert status[("Scope", "Scope")] == "changed"
    assert status[("Duties", None)] == "removed"
    assert status[("Review", "Review")] == "renumbered"
    assert status[("Glossary", "Glossary")] == "moved"
    assert status[("Complaints", "Complaints and appeals")] == "changed"
    assert status[(None, "Training")] == "added"
    assert 0 < got[("Scope", "Scope")].changed_pct < 20
    assert got[("Review", "Review")].old.number == "4"
    assert got[("Review", "Review")].new.number == "3"
    assert {s.status for s in section_diff.sections} <= set(STATUSES)


def test_rows_have_the_documented_keys(section_diff):
    rows = diff_rows(section_diff)
    assert all(tuple(r) == ROW_KEYS for r in rows)
    assert json.loads(json.dumps(rows)) == rows
    removed = next(r for r in rows if r["status"] == "removed")
    assert removed["section_old"] == "3" and removed["section_new"] == ""
    assert removed["title"] == "Duties" and removed["changed_pct"] == 100.0
    order = [r["title"] for r in rows]
    assert order.index("Duties") == order.index("Scope") + 1


def test_changed_pct_counts_words():
    assert changed_pct("a b c", "a b c") == 0.0
    assert changed_pct("one two three four five", "six seven eight nine ten") == 100.0
    assert changed_pct("a b c d e f g h i j", "a b c d e f g h i k") == 10.0
    assert changed_pct("a b c.", "a b c!") == 0.1


def test_pair_paragraphs_pairs_edited_paragraphs_and_orders_deletions_first():
    old = ["Title", "The cat sat on the mat today.", "Gone entirely.", "End"]
    new = ["Title", "The cat sat on a mat today.", "Quite new text here.", "End"]
    assert pair_paragraphs(old, new) == [
        ("same", 0, 0), ("same", 1, 1), ("delete", 2, None), ("insert", None, 2),
        ("same", 3, 3)]


def test_a_removed_table_takes_the_empty_paragraph_before_it_not_after():
    body, cell = (0, -1), (1, 0)
    old = ["Intro", "", "Role", "Duty", ""]
    steps = pair_paragraphs(old, ["Intro", ""], [body, body, cell, cell, body], [body, body])
    assert steps == [("same", 0, 0), ("delete", 1, None), ("delete", 2, None),
                     ("delete", 3, None), ("same", 4, 1)]


# -- tools ------------------------------------------------------------------------------------
def schema_valid(files: list[Path]) -> None:
    if not VALIDATOR.is_file():
        pytest.skip(f"{VALIDATOR} is absent")
    proc = subprocess.run([sys.executable, str(VALIDATOR), "--quiet", *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def pandoc_reads(path: Path) -> None:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        pytest.skip("pandoc is not installed")
    proc = subprocess.run([pandoc, "--track-changes=all", "-t", "json", str(path)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["blocks"]


def libreoffice_converts(files: list[Path], folder: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = Path(tempfile.mkdtemp(prefix="pdf-", dir=folder))
    profile = Path(tempfile.mkdtemp(prefix="lo-consult-"))
    try:
        proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
                               "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                              capture_output=True, text=True, timeout=300)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    for f in files:
        pdf = out / (f.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 0, proc.stdout + proc.stderr
