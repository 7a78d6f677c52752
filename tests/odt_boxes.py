"""Text boxes as LibreOffice reads them: an independent reader for what consult writes in a box
(pandoc 2.17 does not read text boxes).

``read(docx, folder)`` converts the .docx to .odt with ``soffice --headless`` and gives, for
each shape holding text in the body (draw:custom-shape, or draw:text-box in a draw:frame), its
tokens in pandoc_marks' form: ``("text", str, stack)`` (stack: the (kind, author) of the tracked
insertion or deletion around it), ``("start", name, author, body)`` and ``("end", name)`` for
comments; paragraphs end with "\\n". A deletion's text is the one its text:changed-region holds.
"""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
DC = "http://purl.org/dc/elements/1.1/"
SHAPES = (f"{{{DRAW}}}custom-shape", f"{{{DRAW}}}text-box")


def t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


def convert(docx: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([shutil.which("soffice"), "--headless",
                    f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "odt",
                    "--outdir", str(folder), str(docx)], capture_output=True, timeout=300,
                   check=True)
    out = folder / (docx.stem + ".odt")
    assert out.is_file(), f"LibreOffice did not convert {docx}"
    return out


def read(docx: Path, folder: Path) -> list[list[tuple]]:
    with zipfile.ZipFile(convert(docx, folder)) as z:
        root = etree.fromstring(z.read("content.xml"))
    regions = {}
    for region in root.iter(t("changed-region")):
        change = region[0]
        kind = "ins" if change.tag == t("insertion") else "del" \
            if change.tag == t("deletion") else "other"
        author = change.findtext(f".//{{{DC}}}creator") or ""
        deleted = [_text(p) for p in change.iter(t("p"))]
        regions[region.get(t("id"))] = (kind, author, "\n".join(deleted))
    boxes = []
    for shape in root.iter(*SHAPES):
        if any(a.tag in SHAPES for a in shape.iterancestors()):
            continue
        tokens: list[tuple] = []
        stack: list[tuple] = []
        for p in shape.iterchildren(t("p"), t("h")):
            _walk(p, regions, stack, tokens)
            tokens.append(("text", "\n", tuple(stack)))
        if tokens:
            boxes.append(tokens)
    return boxes


def _text(p) -> str:
    return "".join(_plain(p))


def _plain(node):
    if node.text:
        yield node.text
    for child in node:
        if child.tag == t("s"):
            yield " " * int(child.get(t("c")) or 1)
        elif child.tag == t("tab"):
            yield "\t"
        elif child.tag != f"{{{OFFICE}}}annotation":
            yield from _plain(child)
        if child.tail:
            yield child.tail


def _walk(node, regions: dict, stack: list, out: list) -> None:
    if node.text:
        out.append(("text", node.text, tuple(stack)))
    for child in node:
        tag = child.tag
        if tag == t("change-start"):
            kind, author, _ = regions[child.get(t("change-id"))]
            stack.append((kind, author))
        elif tag == t("change-end"):
            kind, author, _ = regions[child.get(t("change-id"))]
            if (kind, author) in stack:
                stack.remove((kind, author))
        elif tag == t("change"):
            kind, author, text = regions[child.get(t("change-id"))]
            out.append(("text", text, tuple(stack) + ((kind, author),)))
        elif tag == f"{{{OFFICE}}}annotation":
            body = " ".join(_text(p) for p in child.iter(t("p")))
            out.append(("start", child.get(f"{{{OFFICE}}}name"),
                        child.findtext(f"{{{DC}}}creator"), body))
        elif tag == f"{{{OFFICE}}}annotation-end":
            out.append(("end", child.get(f"{{{OFFICE}}}name")))
        elif tag == t("s"):
            out.append(("text", " " * int(child.get(t("c")) or 1), tuple(stack)))
        elif tag == t("tab"):
            out.append(("text", "\t", tuple(stack)))
        elif tag not in SHAPES and not tag.startswith(f"{{{DRAW}}}"):
            _walk(child, regions, stack, out)
        if child.tail:
            out.append(("text", child.tail, tuple(stack)))
