"""The committed sample draft is exactly what samples/build_sample.py writes, and it is valid."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "samples" / "build_sample.py"
SAMPLE = REPO / "samples" / "sen-policy-draft.docx"
VALIDATE = REPO.parent / "shared" / "ooxml-schemas" / "validate.py"
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships"}
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"


def load_script():
    spec = importlib.util.spec_from_file_location("build_sample", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module       # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def part(name: str):
    """One XML part of the committed sample, parsed without entities or network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    with zipfile.ZipFile(SAMPLE) as z:
        return etree.fromstring(z.read(name), parser)


def style_of(paragraph) -> str:
    return paragraph.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS)


def test_committed_sample_is_the_script_output(tmp_path):
    built = load_script().build(tmp_path / "sen-policy-draft.docx")
    assert built.read_bytes() == SAMPLE.read_bytes(), (
        "samples/sen-policy-draft.docx differs from what the script builds; "
        "run `python samples/build_sample.py` and commit the result.")


def test_zip_entries_have_fixed_timestamps():
    with zipfile.ZipFile(SAMPLE) as z:
        assert {info.date_time for info in z.infolist()} == {(2026, 9, 1, 9, 0, 0)}


@pytest.mark.skipif(not VALIDATE.exists(), reason=f"{VALIDATE} not found (../shared is absent)")
def test_sample_is_schema_valid():
    result = subprocess.run([sys.executable, str(VALIDATE), str(SAMPLE)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_front_matter_then_headings_on_two_levels():
    body = part("word/document.xml").find("w:body", NS)
    paragraphs = body.findall("w:p", NS)
    assert [style_of(p) for p in paragraphs[:3]] == ["Title", "", "Heading1"]
    styles = [style_of(p) for p in paragraphs]
    assert styles.count("Heading1") >= 8 and styles.count("Heading2") >= 12


def test_headings_numbered_through_their_styles():
    styles, numbering = part("word/styles.xml"), part("word/numbering.xml")
    num_id = "string(w:style[@w:styleId='{}']/w:pPr/w:numPr/w:numId/@w:val)"
    num_ids = {sid: styles.xpath(num_id.format(sid), namespaces=NS)
               for sid in ("Heading1", "Heading2")}
    assert num_ids["Heading1"] and num_ids["Heading1"] == num_ids["Heading2"]
    abstract_id = numbering.xpath(f"string(w:num[@w:numId='{num_ids['Heading1']}']"
                                  "/w:abstractNumId/@w:val)", namespaces=NS)
    levels = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl",
                             namespaces=NS)
    texts = [lvl.xpath("string(w:lvlText/@w:val)", namespaces=NS) for lvl in levels[:3]]
    links = [lvl.xpath("string(w:pStyle/@w:val)", namespaces=NS) for lvl in levels[:3]]
    assert texts == ["%1", "%1.%2", "%1.%2.%3"]
    assert links == ["Heading1", "Heading2", ""]


def test_numbered_bulleted_and_lettered_paragraphs():
    document, numbering = part("word/document.xml"), part("word/numbering.xml")
    third_level = document.xpath("//w:p[w:pPr/w:numPr/w:ilvl/@w:val='2']", namespaces=NS)
    bullets = document.xpath("//w:p[w:pPr/w:pStyle/@w:val='ListBullet']", namespaces=NS)
    lettered = numbering.xpath("//w:abstractNum[w:lvl/w:lvlText/@w:val='(%1)']", namespaces=NS)
    assert len(third_level) >= 6 and len(bullets) >= 4 and len(lettered) == 1


def test_table_with_header_row():
    rows = part("word/document.xml").xpath("/w:document/w:body/w:tbl/w:tr", namespaces=NS)
    assert len(rows) >= 6
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None


def test_one_footnote_with_word_separators():
    document, footnotes = part("word/document.xml"), part("word/footnotes.xml")
    rels = part("word/_rels/document.xml.rels")
    assert document.xpath("//w:footnoteReference/@w:id", namespaces=NS) == ["1"]
    assert footnotes.xpath("w:footnote/@w:id", namespaces=NS) == ["-1", "0", "1"]
    assert rels.xpath(f"pr:Relationship[@Type='{FOOTNOTES_REL}']/@Target", namespaces=NS) == [
        "footnotes.xml"]


def test_header_footer_and_page_breaks():
    document = part("word/document.xml")
    sect_pr = document.find("w:body/w:sectPr", NS)
    assert sect_pr.find("w:headerReference", NS) is not None
    assert sect_pr.find("w:footerReference", NS) is not None
    footer_id = sect_pr.find("w:footerReference", NS).get(f"{{{NS['r']}}}id")
    rels = part("word/_rels/document.xml.rels")
    footer = part("word/" + rels.xpath(f"string(pr:Relationship[@Id='{footer_id}']/@Target)",
                                       namespaces=NS))
    assert "PAGE" in "".join(footer.xpath("//w:instrText/text()", namespaces=NS))
    assert len(document.xpath("//w:br[@w:type='page']", namespaces=NS)) == 2
    assert not document.xpath("//w:lastRenderedPageBreak", namespaces=NS)
