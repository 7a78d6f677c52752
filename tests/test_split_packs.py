"""Split, allocate and distribute on the sample and on real third-party drafts."""
from __future__ import annotations

import csv
import io

import docx
import pytest

from conftest import SAMPLE_DRAFT, corpus_file
from wordcheck import libreoffice_converts, pandoc_reads, schema_valid, structure_ok

from consult.allocate import allocate, allocation_csv, group_names, partition, read_plan
from consult.ooxml.build import OUR_STYLES
from consult.ooxml.document import open_document
from consult.ooxml.package import Package
from consult.ooxml.parts import read_identity
from consult.packs import safe_filename, write_packs
from consult.split import load_draft

# Real drafts with headings, numbering and tables (see ../shared/corpus/real/MANIFEST.tsv).
REAL = [
    "Open-Xml-Pow__TestFiles_WC_WC004-Large-Mod.docx",
    "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder01_Source1.docx",
    "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder02_Spec.docx",
    "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder04_Earth.docx",
    "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder04_Mars.docx",
    "Open-Xml-Pow__OpenXmlPowerToolsExamples_HtmlConverter01_Contract.docx",
    "Open-Xml-Pow__TestFiles_RP_RP052-Deleted-Para-Mark.docx",
    "Open-Xml-Pow__TestFiles_RP_RP051-Arabic.docx",
    "Open-Xml-Pow__TestFiles_HW002-Table14.docx",
    "pandoc__test_docx_golden_headers.docx",
    "lo-resave__Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder04_Sun.docx",
    "lo-resave__Open-Xml-Pow__OpenXmlPowerToolsExamples_RevisionAccepter01_Source1.docx",
    "docx2python__tests_resources_240-DOP-1013ALayDownTubulars.docx",
]


def pack_view(path):
    """(label, text) of every paragraph in a pack that came from the draft (with the draft's
    own tracked changes, which packs carry, accepted)."""
    doc = open_document(path, accept=True)
    return [((dp.num.label if dp.num else ""), dp.text) for dp in doc.paragraphs
            if dp.style not in OUR_STYLES]


def draft_view(draft, section_ids):
    return [(p.label, p.text) for sid in section_ids
            for p in draft.paragraphs[draft.section(sid).start:draft.section(sid).end]]


def check_packs(draft, allocations, paths):
    for allocation, path in zip(allocations, paths):
        docx.Document(str(path))                         # python-docx opens it
        assert pack_view(path) == draft_view(draft, allocation.sections), path.name
        identity = read_identity(Package.open(path))
        assert identity["group"] == allocation.group
        assert identity["draft"] == draft.fingerprint
        assert identity["sections"].split(";") == list(allocation.sections)
        settings = Package.open(path)
        root = settings.xml(settings.related(settings.main, "/settings"))
        assert root.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                         "trackRevisions") is not None
        structure_ok(path)
        assert pandoc_reads(path)
    schema_valid(*paths)
    libreoffice_converts(*paths)


def test_sample_sections_follow_word_numbers():
    d = load_draft(SAMPLE_DRAFT)
    ids = [s.id for s in d.sections]
    assert ids[0] == "0" and d.sections[0].title == "Front matter"
    assert "1" in ids and "3.2" in ids and "10.4" in ids
    assert d.level == 2 and len(d.sections) >= 12        # Heading 2
    labels = [p.label for p in d.paragraphs if p.label]
    assert "3.1.1" in labels and "(a)" in labels
    assert d.pages_estimated and d.sections[-1].last_page > 5


def test_sample_level_option():
    d = load_draft(SAMPLE_DRAFT, level=1)          # levels count from 1 (1 = Heading 1)
    assert [s.id for s in d.sections] == ["0"] + [str(n) for n in range(1, 11)]


def test_partition_is_balanced_and_contiguous():
    runs = partition([10, 10, 10, 40, 10, 10, 10], 3)
    assert [i for run in runs for i in run] == list(range(7))
    assert max(sum([10, 10, 10, 40, 10, 10, 10][i] for i in run) for run in runs) == 40


def test_allocate_coverage_gives_each_section_to_k_groups():
    d = load_draft(SAMPLE_DRAFT)
    allocations = allocate(d, group_names(4), coverage=2)
    for s in d.sections:
        assert sum(s.id in a.sections for a in allocations) == 2


def test_allocation_csv_round_trips_as_plan(tmp_path):
    d = load_draft(SAMPLE_DRAFT)
    allocations = allocate(d, group_names(5))
    plan = tmp_path / "allocation.csv"
    plan.write_text(allocation_csv(d, allocations), encoding="utf-8")
    assert read_plan(d, plan) == allocations
    rows = list(csv.DictReader(io.StringIO(plan.read_text())))
    assert [r["group"] for r in rows] == [f"Group {n}" for n in range(1, 6)]


def test_plan_with_section_ranges_and_pages(tmp_path):
    d = load_draft(SAMPLE_DRAFT)
    plan = tmp_path / "plan.csv"
    plan.write_text("group,sections,pages\nSENCOs,3.1-3.3,\nGovernors,,1-2\n")
    got = read_plan(d, plan)
    assert got[0].sections == ("3.1", "3.2", "3.3")
    assert got[1].sections[0] == "0"


def test_sample_packs_are_word_valid_and_keep_numbers(tmp_path):
    d = load_draft(SAMPLE_DRAFT)
    allocations = allocate(d, group_names(6))
    paths = write_packs(d, allocations, tmp_path)
    check_packs(d, allocations, paths)
    later = next(a for a in allocations if "6" in a.sections)
    shown = pack_view(paths[allocations.index(later)])
    assert shown[0][0] in ("6", "6.1") or shown[0][0].startswith(later.sections[0].split(".")[0])


def test_full_context_pack_marks_reference_sections(tmp_path):
    d = load_draft(SAMPLE_DRAFT)
    allocations = allocate(d, group_names(3))
    path = write_packs(d, allocations[1:2], tmp_path, context="full")[0]
    view = pack_view(path)
    assert [t for _, t in view] == [p.text for p in d.paragraphs]
    text = pandoc_reads(path)
    assert "For reference only" in text and "Your group's sections start here." in text
    schema_valid(path)


@pytest.mark.parametrize("name", REAL)
def test_real_drafts_split_allocate_distribute(name, tmp_path):
    d = load_draft(corpus_file(name))
    assert d.paragraphs and d.sections
    assert sum(s.end - s.start for s in d.sections) == len(d.paragraphs)
    groups = group_names(min(3, len(d.sections)))
    allocations = allocate(d, groups)
    paths = write_packs(d, allocations, tmp_path)
    check_packs(d, allocations, paths)


@pytest.mark.parametrize("name,expected", [
    ("../Group 1", "-Group 1"), ("a:b", "a-b"), ("Tëam 🐝", "Tëam 🐝"), ("...", "group"),
    ("con/../x", "con-..-x")])
def test_safe_filenames(name, expected):
    assert safe_filename(name) == expected


def test_libreoffice_shows_the_draft_numbers_in_packs(tmp_path):
    """LibreOffice renders the list labels itself: a pack must show the draft's numbers."""
    import subprocess
    from conftest import need
    soffice = need("soffice")
    d = load_draft(SAMPLE_DRAFT)
    allocations = allocate(d, group_names(6))
    paths = write_packs(d, allocations, tmp_path / "packs")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "txt:Text", "--outdir", str(tmp_path / "txt"),
                    *map(str, paths)], capture_output=True, timeout=600, check=True)
    checked = 0
    for allocation, path in zip(allocations, paths):
        shown = " ".join((tmp_path / "txt" / (path.stem + ".txt")).read_text(
            encoding="utf-8-sig").split())
        for label, text in draft_view(d, allocation.sections):
            if label and label[0].isalnum():
                assert f"{label} {' '.join(text.split())[:30]}" in shown, (path.name, label)
                checked += 1
    assert checked > 40
