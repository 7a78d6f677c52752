"""Formatting properties (a w:rPr or w:pPr as text) in a few words a reader knows."""
from __future__ import annotations

from lxml import etree

from .ns import W

W_NS = "{" + W + "}"

WORDS = {"b": "bold", "i": "italic", "u": "underline", "strike": "strikethrough",
         "dstrike": "double strikethrough", "caps": "capitals", "smallCaps": "small capitals",
         "vanish": "hidden", "color": "colour", "highlight": "highlight", "sz": "size",
         "rFonts": "font", "jc": "alignment", "ind": "indent", "spacing": "spacing",
         "pStyle": "style", "rStyle": "style", "numPr": "numbering", "shd": "shading"}
OFF = ("0", "false", "none")


def describe(props: str) -> str:
    """"bold, colour C00000, size 12 pt" for the XML of a formatting change's properties."""
    if not props:
        return ""
    try:
        root = etree.fromstring(props.encode("utf-8"))
    except etree.XMLSyntaxError:
        return ""
    out = []
    for child in root:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        value = child.get(W_NS + "val")
        word = WORDS.get(name, name)
        if name == "sz" and value and value.isdigit():
            out.append(f"size {int(value) / 2:g} pt")
        elif value is None or name in ("rFonts", "ind", "spacing", "shd", "numPr"):
            out.append(word)
        elif value in OFF:
            out.append(f"not {word}")
        else:
            out.append(f"{word} {value}")
    return ", ".join(out) or "formatting removed"
