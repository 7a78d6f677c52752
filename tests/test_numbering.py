"""List labels: Word's counting rules on tiny numbering.xml snippets, then on real files."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from consult.ooxml.ns import NS, W, qn
from consult.ooxml.numbering import Numbering, add_restart_num, format_number
from consult.ooxml.styles import Styles

DECL = f'xmlns:w="{W}" xmlns:mc="{NS["mc"]}" xmlns:w14="{NS["w14"]}"'
HERE = Path(__file__).resolve()
CORPUS_CANDIDATES = (HERE.parents[2] / "shared" / "corpus" / "real",
                     HERE.parents[1] / ".." / "shared" / "corpus" / "real")
REAL = next((p.resolve() for p in CORPUS_CANDIDATES if p.is_dir()), None)
needs_corpus = pytest.mark.skipif(REAL is None, reason="real corpus ../shared/corpus/real absent")


# --- building tiny documents -----------------------------------------------------------

def xml(text: str):
    return etree.fromstring(text, etree.XMLParser(resolve_entities=False))


def lvl(ilvl: int, fmt: str = "decimal", text: str | None = None, start: int | None = 1,
        extra: str = "") -> str:
    """A w:lvl; ``text`` defaults to "%1.%2." style (all levels down to this one)."""
    text = text if text is not None else ".".join(f"%{i + 1}" for i in range(ilvl + 1)) + "."
    start_xml = f'<w:start w:val="{start}"/>' if start is not None else ""
    return (f'<w:lvl w:ilvl="{ilvl}">{start_xml}<w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def abstract(aid: str, *levels: str, extra: str = "") -> str:
    return f'<w:abstractNum w:abstractNumId="{aid}">{extra}{"".join(levels)}</w:abstractNum>'


def num(nid: str, aid: str, *overrides: str) -> str:
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{"".join(overrides)}</w:num>'


def override(ilvl: int, start: int | None = None, level: str = "") -> str:
    start_xml = f'<w:startOverride w:val="{start}"/>' if start is not None else ""
    return f'<w:lvlOverride w:ilvl="{ilvl}">{start_xml}{level}</w:lvlOverride>'


def numbering(*children: str):
    return xml(f"<w:numbering {DECL}>{''.join(children)}</w:numbering>")


def p(num_id: str | None = None, ilvl: int | None = None, style: str | None = None):
    """A w:p with optional direct numbering and paragraph style."""
    parts = [f'<w:pStyle w:val="{style}"/>' if style else ""]
    if num_id is not None or ilvl is not None:
        parts.append("<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "")
                     + (f'<w:numId w:val="{num_id}"/>' if num_id is not None else "")
                     + "</w:numPr>")
    return xml(f"<w:p {DECL}><w:pPr>{''.join(parts)}</w:pPr></w:p>")


def labels(root, paragraphs: list, styles_root=None) -> list[str | None]:
    infos = Numbering(root, Styles(styles_root)).compute(paragraphs)
    return [info.label if info else None for info in infos]


THREE_LEVELS = abstract("0", lvl(0), lvl(1), lvl(2))


# --- counting --------------------------------------------------------------------------

def test_simple_list_counts() -> None:
    root = numbering(abstract("0", lvl(0)), num("1", "0"))
    assert labels(root, [p("1"), p("1"), p(), p("1")]) == ["1.", "2.", None, "3."]


def test_deeper_levels_restart_after_a_higher_level() -> None:
    root = numbering(THREE_LEVELS, num("1", "0"))
    paras = [p("1", 0), p("1", 1), p("1", 1), p("1", 2), p("1", 0), p("1", 1), p("1", 2)]
    assert labels(root, paras) == ["1.", "1.1.", "1.2.", "1.2.1.", "2.", "2.1.", "2.1.1."]


def test_counters_and_info_fields() -> None:
    root = numbering(THREE_LEVELS, num("1", "0"))
    infos = Numbering(root, Styles(None)).compute([p("1", 0), p("1", 2)])
    assert infos[1].counters == (1, 1, 1)
    assert (infos[1].num_id, infos[1].abstract_id, infos[1].ilvl) == ("1", "0", 2)
    assert infos[1].is_bullet is False


def test_lvl_restart_zero_never_restarts() -> None:
    root = numbering(abstract("0", lvl(0), lvl(1, extra='<w:lvlRestart w:val="0"/>')),
                     num("1", "0"))
    paras = [p("1", 0), p("1", 1), p("1", 1), p("1", 0), p("1", 1)]
    assert labels(root, paras) == ["1.", "1.1.", "1.2.", "2.", "2.3."]


def test_lvl_restart_names_the_level_that_restarts_it() -> None:
    # level 3 (ilvl 2) restarts only after level 1 (ilvl 0), not after level 2 (ilvl 1)
    root = numbering(abstract("0", lvl(0), lvl(1), lvl(2, extra='<w:lvlRestart w:val="1"/>')),
                     num("1", "0"))
    paras = [p("1", 0), p("1", 1), p("1", 2), p("1", 1), p("1", 2), p("1", 0), p("1", 1),
             p("1", 2)]
    assert labels(root, paras) == ["1.", "1.1.", "1.1.1.", "1.2.", "1.2.2.", "2.", "2.1.",
                                   "2.1.1."]


def test_nums_sharing_an_abstract_num_continue_one_list() -> None:
    root = numbering(abstract("0", lvl(0)), num("1", "0"), num("2", "0"))
    assert labels(root, [p("1"), p("2"), p("1")]) == ["1.", "2.", "3."]


def test_start_override_restarts_the_shared_list_once() -> None:
    # Word's "Restart Numbering": a new num on the first paragraph only; the paragraphs
    # after it keep the old num and count on from the restart.
    root = numbering(abstract("0", lvl(0)), num("1", "0"), num("2", "0", override(0, 1)))
    paras = [p("1"), p("1"), p("1"), p("2"), p("1"), p("2")]
    assert labels(root, paras) == ["1.", "2.", "3.", "1.", "2.", "3."]


def test_start_override_sets_the_value() -> None:
    root = numbering(abstract("0", lvl(0)), num("1", "0"), num("5", "0", override(0, 10)))
    assert labels(root, [p("1"), p("5"), p("5"), p("1")]) == ["1.", "10.", "11.", "12."]


def test_start_override_of_a_deeper_level_waits_for_that_level() -> None:
    root = numbering(abstract("0", lvl(0), lvl(1)), num("1", "0", override(1, 5)))
    paras = [p("1", 0), p("1", 1), p("1", 1), p("1", 0), p("1", 1)]
    assert labels(root, paras) == ["1.", "1.5.", "1.6.", "2.", "2.1."]


def test_lvl_override_replaces_the_level_definition() -> None:
    level = lvl(0, "upperRoman", "%1)")
    root = numbering(abstract("0", lvl(0)), num("1", "0"), num("2", "0", override(0, None, level)))
    assert labels(root, [p("1"), p("2"), p("1")]) == ["1.", "II)", "3."]


def test_is_lgl_shows_every_level_as_decimal() -> None:
    root = numbering(abstract("0", lvl(0, "upperRoman", "Article %1"),
                              lvl(1, "lowerLetter", "%1.%2", extra="<w:isLgl/>"),
                              lvl(2, "lowerLetter", "%1.%2(%3)")),
                     num("1", "0"))
    paras = [p("1", 0), p("1", 0), p("1", 1), p("1", 2)]
    assert labels(root, paras) == ["Article I", "Article II", "2.1", "II.a(a)"]


def test_is_lgl_off_value() -> None:
    root = numbering(abstract("0", lvl(0, "upperRoman", "%1"),
                              lvl(1, "lowerLetter", "%1.%2", extra='<w:isLgl w:val="0"/>')),
                     num("1", "0"))
    assert labels(root, [p("1", 0), p("1", 1)]) == ["I", "I.a"]


def test_letters_go_past_z_as_word_does() -> None:
    root = numbering(abstract("0", lvl(0, "lowerLetter", "(%1)", start=25)), num("1", "0"))
    assert labels(root, [p("1")] * 4) == ["(y)", "(z)", "(aa)", "(bb)"]


def test_roman_list() -> None:
    root = numbering(abstract("0", lvl(0, "lowerRoman", "%1.", start=3)), num("1", "0"))
    assert labels(root, [p("1")] * 3) == ["iii.", "iv.", "v."]


def test_bullets_show_their_character() -> None:
    root = numbering(abstract("0", lvl(0, "bullet", "\u2022"), lvl(1, "bullet", "\uf0b7")),
                     num("1", "0"))
    infos = Numbering(root, Styles(None)).compute([p("1", 0), p("1", 1)])
    assert [(i.label, i.is_bullet) for i in infos] == [("\u2022", True), ("\uf0b7", True)]


def test_none_format_shows_nothing_for_its_level() -> None:
    root = numbering(abstract("0", lvl(0, "none", "%1"), lvl(1, "decimal", "%1%2)")),
                     num("1", "0"))
    assert labels(root, [p("1", 0), p("1", 1)]) == ["", "1)"]


def test_skipped_higher_level_shows_its_start_and_counts_on() -> None:
    root = numbering(THREE_LEVELS, num("1", "0"))
    paras = [p("1", 1), p("1", 2), p("1", 0), p("1", 1)]
    assert labels(root, paras) == ["1.1.", "1.1.1.", "2.", "2.1."]


def test_missing_start_is_zero_as_the_spec_says() -> None:
    root = numbering(abstract("0", lvl(0, start=None)), num("1", "0"))
    assert labels(root, [p("1"), p("1")]) == ["0.", "1."]


def test_single_level_list_ignores_ilvl() -> None:
    root = numbering(abstract("0", lvl(0), lvl(1),
                              extra='<w:multiLevelType w:val="singleLevel"/>'), num("1", "0"))
    assert labels(root, [p("1", 0), p("1", 1)]) == ["1.", "2."]


def test_unknown_num_id_or_abstract_num_shows_nothing() -> None:
    root = numbering(abstract("0", lvl(0)), num("1", "0"), num("2", "9"))
    assert labels(root, [p("7"), p("2"), p("1")]) == [None, None, "1."]
    assert labels(None, [p("1")]) == [None]


def test_undefined_level_counts_with_empty_label() -> None:
    root = numbering(abstract("0", lvl(0)), num("1", "0"))
    assert labels(root, [p("1", 0), p("1", 3)]) == ["1.", ""]


def test_paragraphs_in_tables_count_like_any_other() -> None:
    root = numbering(abstract("0", lvl(0)), num("1", "0"))
    body = xml(f"<w:body {DECL}>"
               '<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:p>'
               '<w:tbl><w:tr><w:tc><w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
               "</w:pPr></w:p></w:tc></w:tr></w:tbl>"
               '<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:p></w:body>')
    assert labels(root, list(body.iter(qn("w:p")))) == ["1.", "2.", "3."]


# --- numbering from styles -------------------------------------------------------------

HEADING_STYLES = xml(
    f"<w:styles {DECL}>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/>'
    '<w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr>'
    "</w:style>"
    '<w:style w:type="paragraph" w:styleId="Annex"><w:name w:val="Annex"/>'
    '<w:basedOn w:val="Heading1"/></w:style>'
    '<w:style w:type="numbering" w:styleId="LegalList"><w:name w:val="Legal List"/>'
    '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>'
    "</w:styles>")


def test_style_linked_numbering_and_based_on_chain() -> None:
    root = numbering(abstract("0", lvl(0), lvl(1)), num("1", "0"))
    paras = [p(style="Heading1"), p(style="Heading2"), p(style="Heading2"), p(),
             p(style="Annex"), p(style="Heading2")]
    assert labels(root, paras, HEADING_STYLES) == ["1.", "1.1.", "1.2.", None, "2.", "2.1."]


def test_style_numbering_and_direct_numbering_share_the_list() -> None:
    root = numbering(abstract("0", lvl(0), lvl(1)), num("1", "0"), num("2", "0"))
    paras = [p(style="Heading1"), p("2", 0), p("0", style="Heading1"), p(style="Heading1")]
    assert labels(root, paras, HEADING_STYLES) == ["1.", "2.", None, "3."]


def test_num_style_link_uses_the_linked_definition() -> None:
    root = numbering(
        abstract("5", extra='<w:numStyleLink w:val="LegalList"/>'),
        abstract("6", lvl(0, "upperLetter", "Part %1"),
                 extra='<w:styleLink w:val="LegalList"/>'),
        num("3", "6"), num("4", "5"))
    infos = Numbering(root, Styles(HEADING_STYLES)).compute([p("4"), p("3"), p("4")])
    assert [i.label for i in infos] == ["Part A", "Part B", "Part C"]
    assert {i.abstract_id for i in infos} == {"6"}


# --- number formats --------------------------------------------------------------------

@pytest.mark.parametrize("n, fmt, shown", [
    (7, "decimal", "7"), (7, "decimalZero", "07"), (10, "decimalZero", "10"),
    (26, "lowerLetter", "z"), (27, "lowerLetter", "aa"), (52, "upperLetter", "ZZ"),
    (53, "upperLetter", "AAA"), (4, "lowerRoman", "iv"), (1999, "upperRoman", "MCMXCIX"),
    (3888, "lowerRoman", "mmmdccclxxxviii"),
    (1, "ordinal", "1st"), (2, "ordinal", "2nd"), (3, "ordinal", "3rd"), (11, "ordinal", "11th"),
    (112, "ordinal", "112th"), (121, "ordinal", "121st"),
    (1, "cardinalText", "One"), (21, "cardinalText", "Twenty-one"),
    (115, "cardinalText", "One hundred fifteen"), (2000, "cardinalText", "Two thousand"),
    (1, "ordinalText", "First"), (12, "ordinalText", "Twelfth"), (20, "ordinalText", "Twentieth"),
    (43, "ordinalText", "Forty-third"), (100, "ordinalText", "One hundredth"),
    (1, "decimalEnclosedCircle", "\u2460"), (20, "decimalEnclosedCircle", "\u2473"),
    (21, "decimalEnclosedCircle", "21"), (3, "decimalEnclosedParen", "\u2476"),
    (12, "decimalFullWidth", "\uff11\uff12"),
    (5, "chineseCounting", "5"), (5, "hebrew1", "5"),                 # fallback to decimal
    (0, "lowerLetter", "0"), (0, "upperRoman", "0"),                  # nothing to show but 0
    (3, "none", ""), (3, "bullet", ""),
])
def test_format_number(n: int, fmt: str, shown: str) -> None:
    assert format_number(n, fmt) == shown


def test_zero_padded_formats() -> None:
    assert format_number(7, "decimal", 2) == "07"
    assert format_number(123, "decimal", 2) == "123"
    root = numbering(abstract("0", lvl(0, "decimalZero", "%1.", start=9)), num("1", "0"))
    assert labels(root, [p("1")] * 2) == ["09.", "10."]


def test_w14_custom_format_in_alternate_content() -> None:
    fmt = ('<mc:AlternateContent><mc:Choice Requires="w14">'
           '<w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice>'
           '<mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>')
    level = f'<w:lvl w:ilvl="0"><w:start w:val="1"/>{fmt}<w:lvlText w:val="%1"/></w:lvl>'
    other = ('<mc:AlternateContent><mc:Choice Requires="w14">'
             '<w:numFmt w:val="custom" w:format="a, ç, ĝ, ..."/></mc:Choice>'
             '<mc:Fallback><w:numFmt w:val="lowerRoman"/></mc:Fallback></mc:AlternateContent>')
    fallback = f'<w:lvl w:ilvl="0"><w:start w:val="1"/>{other}<w:lvlText w:val="%1"/></w:lvl>'
    root = numbering(abstract("0", level), abstract("1", fallback), num("1", "0"), num("2", "1"))
    assert labels(root, [p("1"), p("2"), p("2")]) == ["001", "i", "ii"]


# --- restart nums for packs ------------------------------------------------------------

def _chapter_six_fourteen():
    """Paragraphs 1. .. 6., then 6.1 .. 6.15 with 6.15.1, then 7. and 7.1."""
    paras = [p("1", 0) for _ in range(6)] + [p("1", 1) for _ in range(15)]
    return paras + [p("1", 2), p("1", 0), p("1", 1)]


def test_add_restart_num_keeps_a_label_when_earlier_sections_are_left_out() -> None:
    root = numbering(THREE_LEVELS, num("1", "0"), num("2", "0"),
                     '<w:numIdMacAtCleanup w:val="2"/>')
    paras = _chapter_six_fourteen()
    infos = Numbering(root, Styles(None)).compute(paras)
    target = infos[6 + 13]
    assert target.label == "6.14."

    new_id = add_restart_num(root, target)
    pack = [p(new_id, 1), p("1", 1), p("1", 2), p("1", 0), p("1", 1)]
    assert labels(root, pack) == ["6.14.", "6.15.", "6.15.1.", "7.", "7.1."]
    assert labels(root, pack) == [i.label for i in infos[19:]]
    # the same when every later paragraph of the list moves to the new num too
    moved = [p(new_id, 1), p(new_id, 1), p(new_id, 2), p(new_id, 0), p(new_id, 1)]
    assert labels(root, moved) == ["6.14.", "6.15.", "6.15.1.", "7.", "7.1."]


def test_add_restart_num_in_place_changes_nothing_shown() -> None:
    root = numbering(THREE_LEVELS, num("1", "0"))
    paras = _chapter_six_fourteen()
    before = labels(root, paras)
    info = Numbering(root, Styles(None)).compute(paras)[19]
    paras[19] = p(add_restart_num(root, info), 1)
    assert labels(root, paras) == before


def test_add_restart_num_xml_shape() -> None:
    root = numbering(THREE_LEVELS, num("1", "0"), num("9", "0"),
                     '<w:numIdMacAtCleanup w:val="2"/>')
    info = Numbering(root, Styles(None)).compute([p("1", 0), p("1", 0), p("1", 1)])[2]
    new_id = add_restart_num(root, info)
    assert new_id == "10"
    names = [etree.QName(child).localname for child in root]
    assert names == ["abstractNum", "num", "num", "num", "numIdMacAtCleanup"]
    new = root.findall(qn("w:num"))[-1]
    assert new.get(qn("w:numId")) == "10"
    assert new.find(qn("w:abstractNumId")).get(qn("w:val")) == "0"
    starts = [o.find(qn("w:startOverride")).get(qn("w:val"))
              for o in new.findall(qn("w:lvlOverride"))]
    assert starts == ["2", "1", "1", "0", "0", "0", "0", "0", "0"]   # undefined levels: 0
    assert new.prefix == "w"


def test_add_restart_num_keeps_the_level_overrides_of_the_source_num() -> None:
    roman = override(0, None, lvl(0, "upperRoman", "%1)"))
    root = numbering(abstract("0", lvl(0)), num("1", "0", roman))
    info = Numbering(root, Styles(None)).compute([p("1"), p("1"), p("1")])[2]
    new_id = add_restart_num(root, info)
    assert info.label == "III)"
    assert labels(root, [p(new_id), p("1")]) == ["III)", "IV)"]


# --- real files ------------------------------------------------------------------------

def read_docx(path: Path):
    """(styles root, numbering root, body paragraphs outside text boxes) of a .docx."""
    parser = etree.XMLParser(resolve_entities=False)
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        part = lambda name: etree.fromstring(z.read(name), parser) if name in names else None
        styles_root, numbering_root = part("word/styles.xml"), part("word/numbering.xml")
        doc = part("word/document.xml")
    body = doc.find(qn("w:body"))
    paras = [para for para in body.iter(qn("w:p"))
             if not any(a.tag == qn("w:txbxContent") for a in para.iterancestors())]
    return styles_root, numbering_root, paras


def text(para) -> str:
    return "".join(t.text or "" for t in para.iter(qn("w:t")))


LIR = {   # ListItemRetriever tests: paragraph text is the item number; Word shows "<label>|"
    "LIR001-en-US-ordinal": {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th",
                             13: "13th", 21: "21st", 22: "22nd", 101: "101st", 111: "111th",
                             3500: "3500th"},
    "LIR003-en-US-upperLetter": {1: "A", 26: "Z", 27: "AA", 52: "ZZ", 53: "AAA",
                                 780: "Z" * 30, 781: "A", 3500: "P" * 15},
    "LIR019-en-US-lowerLetter": {1: "a", 26: "z", 27: "aa", 28: "bb", 780: "z" * 30,
                                 781: "a"},
    "LIR020-en-US-lowerRoman": {1: "i", 4: "iv", 9: "ix", 14: "xiv", 40: "xl", 90: "xc",
                                400: "cd", 1999: "mcmxcix", 3499: "mmmcdxcix", 3500: "mmmd"},
    "LIR011-en-US-00001": {1: "00001", 99: "00099", 3500: "03500"},
    "LIR012-en-US-0001": {1: "0001", 999: "0999", 3500: "3500"},
    "LIR013-en-US-001": {1: "001", 999: "999", 1000: "1000"},
    "LIR017-en-US-decimalEnclosedCircle": {1: "\u2460", 10: "\u2469", 20: "\u2473", 21: "21",
                                           3500: "3500"},
}


@needs_corpus
@pytest.mark.parametrize("name", sorted(LIR))
def test_list_item_retriever_files(name: str) -> None:
    path = REAL / f"Open-Xml-Pow__TestFiles_{name}.docx"
    if not path.exists():
        pytest.skip(f"{path.name} is not in the corpus")
    styles_root, numbering_root, paras = read_docx(path)
    infos = Numbering(numbering_root, Styles(styles_root)).compute(paras)
    shown = {}
    for para, info in zip(paras, infos):
        if text(para).isdigit():
            assert info is not None and info.counters[-1] == int(text(para))
            shown[int(text(para))] = info.label
    assert len(shown) >= 1000
    for number, label in LIR[name].items():
        assert shown[number] == f"{label}|", number


@needs_corpus
def test_word_restart_pattern_in_a_real_contract() -> None:
    path = REAL / "Open-Xml-Pow__OpenXmlPowerToolsExamples_HtmlConverter01_Contract.docx"
    styles_root, numbering_root, paras = read_docx(path)
    infos = Numbering(numbering_root, Styles(styles_root)).compute(paras)
    shown = [(text(para), info.label) for para, info in zip(paras, infos) if info]

    def label(start: str) -> str:
        return next(label for words, label in shown if words.startswith(start))

    assert label("Beispiel-Überschrift") == "2.0"       # Heading1Numbered numbered by its style
    assert label("Methodik, Werkzeuge") == "2.1"
    assert label("Die Dokumentation und") == "1."       # a restart num on this paragraph ...
    assert label("Die Weiterentwicklung") == "2."       # ... and the old num counts on from it
    assert label("Die Einhaltung der") == "1."
    assert label("Die Entwicklung und") == "2."
    assert label("Die eingeschränkte") == "3.2.1."


@needs_corpus
def test_real_restart_num_reproduces_the_rest_of_the_list() -> None:
    path = REAL / "Open-Xml-Pow__OpenXmlPowerToolsExamples_HtmlConverter01_Contract.docx"
    styles_root, numbering_root, paras = read_docx(path)
    styles = Styles(styles_root)
    infos = Numbering(numbering_root, styles).compute(paras)
    start = next(i for i, info in enumerate(infos) if info and info.label == "3.2.1.")
    target = infos[start]
    new_id = add_restart_num(numbering_root, target)
    pack = paras[start:]
    switched = p(new_id, target.ilvl)
    after = Numbering(numbering_root, styles).compute([switched] + pack[1:])
    same_list = [(old.label, new.label) for old, new in zip(infos[start:], after)
                 if old and old.abstract_id == target.abstract_id]
    assert same_list[0] == ("3.2.1.", "3.2.1.")
    assert all(old == new for old, new in same_list), same_list


def manifest_rows() -> list[dict[str, str]]:
    if REAL is None or not (REAL / "MANIFEST.tsv").exists():
        return []
    with open(REAL / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@needs_corpus
def test_every_corpus_file_with_numbering_gets_labels() -> None:
    rows = manifest_rows()
    checked = 0
    for row in rows:
        styles_root, numbering_root, paras = read_docx(REAL / row["file"])
        if numbering_root is None:
            continue
        styles = Styles(styles_root)
        infos = Numbering(numbering_root, styles).compute(paras)
        defined = {n.get(qn("w:numId")) for n in numbering_root.findall(qn("w:num"))}
        for para, info in zip(paras, infos):
            num_pr = styles.num_pr(para)
            if num_pr and num_pr[0] in defined:
                assert info is not None and isinstance(info.label, str), row["file"]
            else:
                assert info is None, row["file"]
        if int(row["numbered"] or 0) > 0:
            assert any(infos), row["file"]
        checked += 1
    assert checked >= 10
