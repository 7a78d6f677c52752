"""An independent reading of .docx files through pandoc's JSON: paragraphs, changes, comments.

Nothing here uses consult's code. ``read(path)`` asks pandoc (``--track-changes=all``,
``+styles``) for the document and flattens it into paragraphs of pieces, each piece knowing the
tracked changes it sits in and the comment ranges that start or end there. ``project`` then
keeps what a set of accepted authors leaves and gives the paragraphs' text and each comment's
covered text:

    doc = read("collated.docx")
    view = project(doc, lambda author: accepts_for("Group 2", groups, author))
    view.paragraphs           # ["1.1 Purpose of this policy", ...]
    view.covered              # {comment id: (author, body, covered text)}

Paragraph marks: pandoc ends a paragraph whose mark is inserted or deleted with an empty span
(``paragraph-insertion`` / ``paragraph-deletion``); a mark that is taken away joins the
paragraph to the next one, as Word does. Blocks in consult's own styles (the pack's cover page
and notes, the collated document's closing summary, which runs to the end) are left out.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

UNTRACKED = " (untracked)"
SKIP_STYLES = {"Consult Cover", "Consult Note"}   # a pack's own paragraphs
SUMMARY_STYLE = "Consult Summary"                 # from here on: consult's summary
PARA_BLOCKS = {"Para", "Plain", "Header"}


def norm(text: str) -> str:
    """Whitespace normalised (runs of spaces, tabs, breaks, no-break spaces -> one space)."""
    return " ".join(text.split())


# -- reading ----------------------------------------------------------------------------------

@dataclass
class Piece:
    """Some text, or a comment mark, inside the tracked changes that hold it."""

    text: str = ""
    changes: tuple = ()                 # (("ins" | "del", author), ...) outermost first
    start: str | None = None            # comment id whose range starts here
    end: str | None = None              # comment id whose range ends here


@dataclass
class Para:
    pieces: list[Piece] = field(default_factory=list)
    mark: tuple | None = None           # ("ins" | "del", author) of the paragraph mark


@dataclass
class Doc:
    paragraphs: list[Para]
    comments: dict[str, tuple[str, str]]    # id -> (author, body)


def pandoc_json(path: str | Path, track: str = "all") -> dict:
    """pandoc's JSON for ``path`` (cached on path, size and modification time)."""
    st = os.stat(path)
    return json.loads(_pandoc(str(Path(path).resolve()), st.st_size, st.st_mtime_ns, track))


@lru_cache(maxsize=256)
def _pandoc(path: str, size: int, mtime: int, track: str) -> str:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        import pytest
        pytest.skip("pandoc is not installed (.ci/run installs it)")
    proc = subprocess.run([pandoc, f"--track-changes={track}", "-f", "docx+styles", "-t",
                           "json", path], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"pandoc could not read {path}: {proc.stderr}"
    return proc.stdout


def read(path: str | Path, track: str = "all") -> Doc:
    """The document as pandoc reads it with ``--track-changes=track``."""
    data = pandoc_json(path, track)
    return _Reader().doc(_meta_blocks(data.get("meta", {})) + data["blocks"])


META_FIELDS = ("title", "subtitle", "author", "date", "abstract")


def _meta_blocks(meta: dict) -> list:
    """The paragraphs pandoc lifts into the metadata (Title, Subtitle, Author, Date and
    Abstract styles at the top of a document), back as the leading paragraphs."""
    out = []

    def add(value: dict) -> None:
        if value["t"] == "MetaInlines":
            out.append({"t": "Para", "c": value["c"]})
        elif value["t"] == "MetaBlocks":
            out.extend(value["c"])
        elif value["t"] == "MetaList":
            for v in value["c"]:
                add(v)
        elif value["t"] == "MetaString":
            out.append({"t": "Para", "c": [{"t": "Str", "c": value["c"]}]})

    for key in META_FIELDS:
        if key in meta:
            add(meta[key])
    return out


class _Reader:
    def __init__(self) -> None:
        self.paras: list[Para] = []
        self.comments: dict[str, tuple[str, str]] = {}
        self.notes: list[list] = []

    def doc(self, blocks: list) -> Doc:
        for k, b in enumerate(blocks):
            if b["t"] == "Div" and _style(b) == SUMMARY_STYLE:
                blocks = blocks[:k]
                break
        self.blocks(blocks)
        return Doc(self.paras, self.comments)

    def blocks(self, blocks: list) -> None:
        for b in blocks:
            self.block(b)

    def block(self, b: dict) -> None:
        t, c = b["t"], b.get("c")
        if t in PARA_BLOCKS:
            self.paragraph(c[2] if t == "Header" else c)
        elif t == "LineBlock":
            for line in c:
                self.paragraph(line)
        elif t == "Div":
            if _style(b) not in SKIP_STYLES:
                self.blocks(c[1])
        elif t in ("CodeBlock", "RawBlock"):
            if t == "CodeBlock":
                self.paras.append(Para([Piece(c[1])]))
        else:
            self._nested(c)

    def _nested(self, c) -> None:
        """Blocks inside lists, tables, quotes: any dict with a block tag, in order."""
        if isinstance(c, dict) and "t" in c:
            if c["t"] in BLOCK_TAGS:
                self.block(c)
            else:
                self._nested(c.get("c"))
        elif isinstance(c, list):
            for x in c:
                self._nested(x)

    def paragraph(self, inlines: list) -> None:
        para = Para()
        notes_before = len(self.notes)
        self.inlines(inlines, (), para)
        self.paras.append(para)
        for note in self.notes[notes_before:]:
            self.blocks(note)
        del self.notes[notes_before:]

    def inlines(self, inlines: list, changes: tuple, para: Para) -> None:
        for x in inlines:
            self.inline(x, changes, para)

    def inline(self, x: dict, changes: tuple, para: Para) -> None:
        t, c = x["t"], x.get("c")
        if t == "Str":
            para.pieces.append(Piece(c, changes))
        elif t in ("Space", "SoftBreak", "LineBreak"):
            para.pieces.append(Piece(" ", changes))
        elif t in ("Code", "Math"):
            para.pieces.append(Piece(c[1], changes))
        elif t == "Note":
            self.notes.append(c)
        elif t == "Span":
            self.span(c, changes, para)
        elif t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                   "Underline"):
            self.inlines(c, changes, para)
        elif t in ("Link", "Image", "Cite", "Quoted"):
            self.inlines(c[1], changes, para)
        # RawInline: nothing a reader sees

    def span(self, c, changes: tuple, para: Para) -> None:
        (ident, classes, kv), content = c
        kv = dict(kv)
        if "insertion" in classes or "deletion" in classes:
            kind = "ins" if "insertion" in classes else "del"
            self.inlines(content, changes + ((kind, kv.get("author", "")),), para)
        elif "paragraph-insertion" in classes or "paragraph-deletion" in classes:
            para.mark = ("ins" if "paragraph-insertion" in classes else "del",
                         kv.get("author", ""))
        elif "comment-start" in classes:
            body = _Reader()
            body.inlines(content, (), scratch := Para())
            cid = kv.get("id", ident)
            self.comments[cid] = (kv.get("author", ""),
                                  norm("".join(p.text for p in scratch.pieces)))
            para.pieces.append(Piece("", changes, start=cid))
        elif "comment-end" in classes:
            para.pieces.append(Piece("", changes, end=kv.get("id", ident)))
            self.inlines(content, changes, para)
        else:
            self.inlines(content, changes, para)


BLOCK_TAGS = {"Para", "Plain", "Header", "LineBlock", "Div", "CodeBlock", "RawBlock",
              "BlockQuote", "OrderedList", "BulletList", "DefinitionList", "Table",
              "HorizontalRule", "Null"}


def _style(div: dict) -> str | None:
    return dict(div["c"][0][2]).get("custom-style")


# -- projecting -------------------------------------------------------------------------------

def members(author: str) -> list[str]:
    """The groups an author names: "Group 2 & Group 4 (untracked)" -> both."""
    return author.removesuffix(UNTRACKED).split(" & ")


def accepts_for(group: str, groups: set[str], author: str) -> bool:
    """Whether ``group``'s projection keeps a change by ``author``: the group's own (alone,
    in an agreement, untracked) and changes by anyone who is not a group (the draft's own)."""
    names = members(author)
    if not any(n in groups for n in names):
        return True
    return group in names


@dataclass
class View:
    paragraphs: list[str]                       # normalised, empty ones left out
    covered: dict[str, tuple[str, str, str | None]]   # id -> (author, body, covered text)


def project(doc: Doc, accepted: Callable[[str], bool]) -> View:
    """The text left when changes by ``accepted`` authors are accepted and the rest rejected;
    and the text each comment range covers in it (None: the range has no end after its start).
    """
    def visible(changes: tuple) -> bool:
        return all(accepted(a) if kind == "ins" else not accepted(a) for kind, a in changes)

    paragraphs: list[str] = []
    current: list[str] = []
    open_ranges: dict[str, list[str]] = {}
    covered: dict[str, str] = {}
    for para in doc.paragraphs:
        for piece in para.pieces:
            if piece.start is not None:
                open_ranges[piece.start] = []
            if piece.end is not None and piece.end in open_ranges:
                covered[piece.end] = norm("".join(open_ranges.pop(piece.end)))
            if piece.text and visible(piece.changes):
                current.append(piece.text)
                for words in open_ranges.values():
                    words.append(piece.text)
        kind, author = para.mark or (None, "")
        joined = (kind == "ins" and not accepted(author)) or (kind == "del" and accepted(author))
        if joined:
            current.append(" ")
            for words in open_ranges.values():
                words.append(" ")
            continue
        paragraphs.append(norm("".join(current)))
        current = []
        for words in open_ranges.values():
            words.append(" ")
    if current:
        paragraphs.append(norm("".join(current)))
    return View([p for p in paragraphs if p],
                {cid: (a, body, covered.get(cid)) for cid, (a, body) in doc.comments.items()})


def accepted_text(path: str | Path) -> list[str]:
    """The paragraphs of ``path`` read with pandoc's own ``--track-changes=accept``."""
    return project(read(path, "accept"), lambda a: True).paragraphs
