"""pandoc's reading of a .docx, the meaning tests' one independent reader (never consult's code).

``pandoc_json`` runs ``pandoc -t json --track-changes`` once per file's bytes, view and flags;
``read`` gives a ``Doc`` of paragraphs of pieces (semantic.py projects it), ``read_tokens`` a
stream of text and comment marks (pandoc_marks.py), ``read_changes`` comments, changes and
paragraphs (the live-session tests)."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

SKIP_STYLES = {"Consult Cover", "Consult Note"}   # a pack's own paragraphs
SUMMARY_STYLE = "Consult Summary"                 # from here on: consult's summary
PARA_BLOCKS = {"Para", "Plain", "Header"}


def norm(text: str) -> str:
    """Whitespace normalised (runs of spaces, tabs, breaks, no-break spaces -> one space)."""
    return " ".join(text.split())


def pandoc_json(path: str | Path, track: str = "all", styles: bool = True) -> dict:
    """pandoc's JSON for ``path`` read with ``--track-changes=track`` (``styles``: with
    ``-f docx+styles``), cached on the file's bytes."""
    digest = hashlib.sha1(Path(path).read_bytes()).hexdigest()
    return json.loads(_pandoc(str(Path(path).resolve()), digest, track, styles))


@lru_cache(maxsize=256)
def _pandoc(path: str, digest: str, track: str, styles: bool) -> str:
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        import pytest
        pytest.skip("pandoc is not installed (.ci/run installs it)")
    proc = subprocess.run([pandoc, f"--track-changes={track}", "-f",
                           "docx+styles" if styles else "docx", "-t", "json", path],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"pandoc could not read {path}: {proc.stderr}"
    return proc.stdout


# -- read: paragraphs of pieces ---------------------------------------------------------------

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


# -- read_tokens: the body as a stream of text and comment marks -------------------------------
BLOCK_ENDS = {"Para", "Plain", "Header"}
SKIP = {"Note"}


def read_tokens(path) -> list[tuple]:
    """The body's tokens, in document order (see the module's docstring)."""
    tokens: list[tuple] = []
    _blocks(pandoc_json(path, styles=False)["blocks"], (), tokens)
    return tokens


def _blocks(x, stack: tuple, out: list) -> None:
    if isinstance(x, list):
        for v in x:
            _blocks(v, stack, out)
        return
    if not isinstance(x, dict) or "t" not in x:
        return
    t, c = x["t"], x.get("c")
    if t in SKIP:
        return
    if t == "Str":
        out.append(("text", c, stack))
    elif t in ("Space", "SoftBreak"):
        out.append(("text", " ", stack))
    elif t == "LineBreak":
        out.append(("text", "\n", stack))
    elif t == "Span":
        (_, classes, attrs), inner = c
        attrs = dict(attrs)
        if "comment-start" in classes:
            out.append(("start", attrs.get("id"), attrs.get("author"), _plain(inner)))
        elif "comment-end" in classes:
            out.append(("end", attrs.get("id")))
        elif "insertion" in classes or "deletion" in classes:
            kind = "ins" if "insertion" in classes else "del"
            _blocks(inner, stack + ((kind, attrs.get("author", "")),), out)
        else:
            _blocks(inner, stack, out)
    elif t == "Header":
        _blocks(c[2], stack, out)
        out.append(("text", "\n", stack))
    elif t in BLOCK_ENDS:
        _blocks(c, stack, out)
        out.append(("text", "\n", stack))
    else:
        _blocks(c, stack, out)


def _plain(inlines) -> str:
    toks: list[tuple] = []
    _blocks(inlines, (), toks)
    return norm("".join(t[1] for t in toks if t[0] == "text"))


# -- read_changes: comments, changes and paragraphs --------------------------------------------
@dataclass(frozen=True)
class PComment:
    author: str
    text: str
    words: str          # the draft's words the comment covers (inserted text left out)
    paragraph: str      # the paragraph's original text


@dataclass(frozen=True)
class PChange:
    kind: str           # insertion or deletion
    author: str
    text: str
    before: str         # original text of the paragraph before the change
    paragraph: str


def read_changes(path: Path) -> tuple[list[PComment], list[PChange], list[str]]:
    """Comments, tracked changes and each paragraph's original text, as pandoc reads them."""
    doc = pandoc_json(path, styles=False)
    comments: list[PComment] = []
    changes: list[PChange] = []
    paragraphs: list[str] = []
    for inlines in _paragraphs(doc["blocks"]):
        events: list[tuple] = []
        _flatten(inlines, "", "", events)
        original = "".join(e[1] for e in events if e[0] == "text" and e[2] != "insertion")
        paragraphs.append(original)
        _collect(events, original, comments, changes)
    return comments, changes, paragraphs


def _paragraphs(blocks: list):
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            yield content
        elif kind == "Header":
            yield content[2]
        elif kind in ("BulletList", "OrderedList"):
            items = content if kind == "BulletList" else content[1]
            for item in items:
                yield from _paragraphs(item)
        elif kind in ("BlockQuote", "Div"):
            yield from _paragraphs(content if kind == "BlockQuote" else content[1])
        elif kind == "Table":
            for part in _table_cells(content):
                yield from _paragraphs(part)


def _table_cells(content) -> list:
    found: list = []

    def walk(x):
        if isinstance(x, dict) and x.get("t") in ("Para", "Plain"):
            found.append([x])
        elif isinstance(x, dict):
            walk(x.get("c"))
        elif isinstance(x, list):
            for y in x:
                walk(y)
    walk(content)
    return found


def _text(inlines: list) -> str:
    events: list = []
    _flatten(inlines, "", "", events)
    return "".join(e[1] for e in events if e[0] == "text")


def _flatten(inlines: list, state: str, author: str, out: list) -> None:
    for x in inlines:
        kind, c = x["t"], x.get("c")
        if kind == "Str":
            out.append(("text", c, state, author))
        elif kind in ("Space", "SoftBreak"):
            out.append(("text", " ", state, author))
        elif kind == "LineBreak":
            out.append(("text", "\n", state, author))
        elif kind == "Span":
            (_ident, classes, attrs), inner = c
            who, cid = dict(attrs).get("author", ""), dict(attrs).get("id", "")
            if "comment-start" in classes:
                out.append(("cstart", cid, who, _text(inner)))
            elif "comment-end" in classes:
                out.append(("cend", cid))
                _flatten(inner, state, author, out)
            elif "insertion" in classes or "deletion" in classes:
                _flatten(inner, classes[0], who, out)
            else:
                _flatten(inner, state, author, out)
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript",
                      "Subscript"):
            _flatten(c, state, author, out)
        elif kind in ("Link", "Quoted"):
            _flatten(c[1], state, author, out)


def _collect(events: list, original: str, comments: list, changes: list) -> None:
    open_: dict[str, tuple[str, str, list]] = {}
    pos = 0
    run: list = []              # the change being read: kind, author, text, before
    for e in events:
        if e[0] == "cstart":
            open_[e[1]] = (e[2], e[3], [])
        elif e[0] == "cend" and e[1] in open_:
            who, text, words = open_.pop(e[1])
            comments.append(PComment(who, text, "".join(words), original))
        elif e[0] == "text":
            _, s, state, who = e
            if state != "insertion":
                for _id, (_w, _t, words) in open_.items():
                    words.append(s)
            if state:
                if run and run[0] == state and run[1] == who:
                    run[2] += s
                else:
                    if run:
                        changes.append(PChange(run[0], run[1], run[2], run[3], original))
                    run = [state, who, s, original[:pos]]
            elif run:
                changes.append(PChange(run[0], run[1], run[2], run[3], original))
                run = []
            if state != "insertion":
                pos += len(s)
    if run:
        changes.append(PChange(run[0], run[1], run[2], run[3], original))
