"""Styles: outline levels, names and inherited numbering, from tiny styles.xml snippets."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from consult.ooxml.ns import W, qn
from consult.ooxml.styles import Styles

DECL = f'xmlns:w="{W}"'
HERE = Path(__file__).resolve()
CORPUS_CANDIDATES = (HERE.parents[2] / "shared" / "corpus" / "real",
                     HERE.parents[1] / ".." / "shared" / "corpus" / "real")
REAL = next((p.resolve() for p in CORPUS_CANDIDATES if p.is_dir()), None)
needs_corpus = pytest.mark.skipif(REAL is None, reason="real corpus ../shared/corpus/real absent")


def xml(text: str):
    return etree.fromstring(text, etree.XMLParser(resolve_entities=False))


def style(sid: str, name: str | None = None, based_on: str | None = None, ppr: str = "",
          default: bool = False, kind: str = "paragraph") -> str:
    name_xml = f'<w:name w:val="{name}"/>' if name else ""
    based_xml = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    default_xml = ' w:default="1"' if default else ""
    return (f'<w:style w:type="{kind}" w:styleId="{sid}"{default_xml}>{name_xml}{based_xml}'
            f"<w:pPr>{ppr}</w:pPr></w:style>")


def styles(*items: str) -> Styles:
    return Styles(xml(f"<w:styles {DECL}>{''.join(items)}</w:styles>"))


def para(ppr: str = "") -> object:
    return xml(f"<w:p {DECL}><w:pPr>{ppr}</w:pPr><w:r><w:t>x</w:t></w:r></w:p>")


def pstyle(sid: str) -> str:
    return f'<w:pStyle w:val="{sid}"/>'


def num_pr(num_id: str | None = None, ilvl: int | None = None) -> str:
    ilvl_xml = f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else ""
    num_xml = f'<w:numId w:val="{num_id}"/>' if num_id is not None else ""
    return f"<w:numPr>{ilvl_xml}{num_xml}</w:numPr>"


BASIC = styles(
    style("Normal", "Normal", default=True),
    style("Heading1", "heading 1", "Normal", '<w:outlineLvl w:val="0"/>'),
    style("Heading3", "Heading 3", "Normal"),                 # built-in, no outlineLvl written
    style("Title", "Title", "Normal"),
    style("MyHeading", "My Heading", "Heading1"),
    style("Deep", "Deep", "MyHeading"),
    style("Outline4", "Custom outline", "Normal", '<w:outlineLvl w:val="3"/>'),
    style("BodyHeading", "heading 2", "Normal", '<w:outlineLvl w:val="9"/>'),
)


# --- names and ids ---------------------------------------------------------------------

def test_default_paragraph_style_and_names() -> None:
    assert BASIC.default_paragraph_style() == "Normal"
    assert BASIC.style_name("Heading1") == "heading 1"
    assert BASIC.style_name("Nope") is None
    assert BASIC.style_name(None) is None


def test_style_id_falls_back_to_default_for_missing_or_unknown_style() -> None:
    assert BASIC.style_id(para(pstyle("Heading1"))) == "Heading1"
    assert BASIC.style_id(para()) == "Normal"
    assert BASIC.style_id(para(pstyle("Undefined"))) == "Normal"


def test_default_is_only_a_paragraph_style() -> None:
    s = styles(style("DefaultChar", "Default Paragraph Font", kind="character", default=True),
               style("Normal", "Normal", default=True))
    assert s.default_paragraph_style() == "Normal"


def test_no_styles_part() -> None:
    s = Styles(None)
    assert s.default_paragraph_style() is None
    assert s.style_id(para(pstyle("Heading1"))) is None
    assert s.outline_level(para(pstyle("Heading1"))) is None
    assert s.outline_level(para('<w:outlineLvl w:val="2"/>')) == 2
    assert s.num_pr(para(num_pr("4", 1))) == ("4", 1)


# --- outline levels --------------------------------------------------------------------

@pytest.mark.parametrize("ppr, level", [
    (pstyle("Heading1"), 0),                                   # style's outlineLvl
    (pstyle("Heading3"), 2),                                   # built-in name only
    (pstyle("Title"), None),                                   # Title is not a heading
    (pstyle("MyHeading"), 0),                                  # basedOn Heading1
    (pstyle("Deep"), 0),                                       # basedOn chain of two
    (pstyle("Outline4"), 3),                                   # custom style with outlineLvl
    (pstyle("BodyHeading"), None),                             # outlineLvl 9 = body text
    ("", None),                                                # Normal
    ('<w:outlineLvl w:val="5"/>', 5),                          # direct
    (pstyle("Heading1") + '<w:outlineLvl w:val="9"/>', None),  # direct body text wins
    (pstyle("Title") + '<w:outlineLvl w:val="1"/>', 1),        # direct level wins
])
def test_outline_level(ppr: str, level: int | None) -> None:
    assert BASIC.outline_level(para(ppr)) == level


def test_heading_names_are_case_insensitive() -> None:
    s = styles(style("H", "HEADING 4"), style("X", "heading 10"), style("Y", "Heading 1 Numbered"))
    assert s.outline_level(para(pstyle("H"))) == 3
    assert s.outline_level(para(pstyle("X"))) is None
    assert s.outline_level(para(pstyle("Y"))) is None


def test_based_on_cycle_ends() -> None:
    s = styles(style("A", "A", "B"), style("B", "B", "A"))
    assert s.outline_level(para(pstyle("A"))) is None
    assert s.num_pr(para(pstyle("A"))) is None


# --- numbering -------------------------------------------------------------------------

NUMBERED = styles(
    style("Normal", "Normal", default=True),
    style("Heading1", "heading 1", "Normal", num_pr("1")),
    style("Heading2", "heading 2", "Heading1", num_pr("1", 1)),
    style("Heading3", "heading 3", "Heading2", num_pr(ilvl=2)),  # ilvl only: numId inherited
    style("Plain", "Plain", "Heading1", num_pr("0")),            # numbering removed
)


@pytest.mark.parametrize("ppr, expected", [
    (num_pr("7", 2), ("7", 2)),                            # direct
    (num_pr("7"), ("7", 0)),                               # ilvl defaults to 0
    (num_pr("0", 1), None),                                # numId 0 removes numbering
    ("", None),                                            # no numbering anywhere
    (pstyle("Heading1"), ("1", 0)),                        # from the style
    (pstyle("Heading2"), ("1", 1)),                        # style's own numPr wins over basedOn
    (pstyle("Heading3"), ("1", 2)),                        # ilvl from style, numId from basedOn
    (pstyle("Plain"), None),                               # style removes inherited numbering
    (pstyle("Heading2") + num_pr(ilvl=3), ("1", 3)),       # direct ilvl, numId from style
    (pstyle("Heading2") + num_pr("5"), ("5", 1)),          # direct numId, ilvl from style
    (pstyle("Heading2") + num_pr("0"), None),              # direct removal beats the style
    (pstyle("Plain") + num_pr("3", 1), ("3", 1)),          # direct numbering beats removal
])
def test_num_pr(ppr: str, expected: tuple[str, int] | None) -> None:
    assert NUMBERED.num_pr(para(ppr)) == expected


def test_num_pr_ignores_tracked_old_numbering() -> None:
    p = para(f'<w:pPrChange w:id="1" w:author="A"><w:pPr>{num_pr("4", 0)}</w:pPr></w:pPrChange>')
    assert NUMBERED.num_pr(p) is None


# --- real files ------------------------------------------------------------------------

def _parts(name: str):
    with zipfile.ZipFile(REAL / name) as z:
        read = lambda part: etree.fromstring(z.read(part), etree.XMLParser(resolve_entities=False))
        return read("word/styles.xml"), read("word/document.xml")


@needs_corpus
def test_real_heading_levels_from_builtin_styles() -> None:
    styles_root, doc = _parts("pandoc__test_docx_headers.docx")
    s = Styles(styles_root)
    levels = [s.outline_level(p) for p in doc.iter(qn("w:p"))]
    assert [lvl for lvl in levels if lvl is not None] == [0, 1, 2, 3, 4, 5]


@needs_corpus
def test_real_heading_level_through_based_on() -> None:
    styles_root, doc = _parts("Open-Xml-Pow__TestFiles_RP_RP051-Arabic.docx")
    s = Styles(styles_root)
    by_style = {s.style_id(p): s.outline_level(p) for p in doc.iter(qn("w:p"))}
    assert by_style["Headingb"] == 1            # "Heading_b" based on heading 2
    assert by_style["Proposal"] == 0            # custom style with w:outlineLvl 0
    assert by_style["Title1"] is None           # "Title 1" is not a heading


@needs_corpus
def test_real_numbered_custom_heading_style_is_not_an_outline_level() -> None:
    styles_root, doc = _parts(
        "Open-Xml-Pow__OpenXmlPowerToolsExamples_HtmlConverter01_Contract.docx")
    s = Styles(styles_root)
    first = next(p for p in doc.iter(qn("w:p")) if s.style_id(p) == "Heading1Numbered")
    assert s.style_name("Heading1Numbered") == "Heading 1 Numbered"
    assert s.outline_level(first) is None
