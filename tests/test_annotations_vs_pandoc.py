"""Every real .docx: consult finds the same comments and tracked changes as pandoc."""
from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from consult.annotations import read_annotations

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "corpus" / "real"
PANDOC = shutil.which("pandoc")

if not REAL.is_dir():
    pytest.skip(f"the real corpus {REAL} is absent", allow_module_level=True)
if PANDOC is None:
    pytest.skip("pandoc is not on PATH", allow_module_level=True)

FILES = sorted(p.name for p in REAL.glob("*.docx"))
ASPECTS = ("comments", "insertions", "deletions")

# Revision kinds whose text is inserted / deleted text. A move is a deletion plus an insertion.
INSERTED = {"insert", "move-to"}
DELETED = {"delete", "move-from"}
# Stories pandoc reads: it never reads headers or footers.
PANDOC_STORIES = {"body", "footnotes", "endnotes"}

# file -> aspect -> why consult and pandoc legitimately disagree there. The other aspects of
# the file are still compared, and an entry whose aspect agrees fails as stale.
EXPECTED_DIFFERENCES: dict[str, dict[str, str]] = {}


@dataclass
class Found:
    """Comments as (author, text) and inserted / deleted text per author, in order."""

    comments: Counter = field(default_factory=Counter)
    insertions: dict[str, str] = field(default_factory=dict)
    deletions: dict[str, str] = field(default_factory=dict)


def per_author(pieces: dict[str, list[str]]) -> dict[str, str]:
    """Each author's pieces joined in order without any whitespace; authors of none dropped.

    Whitespace is dropped because the tools disagree on paragraph marks, tabs and breaks.
    """
    joined = {author: "".join("".join(texts).split()) for author, texts in pieces.items()}
    return {author: text for author, text in joined.items() if text}


# ---- pandoc's side --------------------------------------------------------------------------

TEXT_OF = {"Space": " ", "SoftBreak": "\n", "LineBreak": "\n"}


class PandocWalker:
    """Walks pandoc's JSON AST, collecting comment texts and insertion / deletion text."""

    def __init__(self) -> None:
        self.comments: Counter = Counter()
        self.notes: list = []
        self.text: dict[str, defaultdict] = {"insertion": defaultdict(list),
                                             "deletion": defaultdict(list)}

    def walk(self, node, sinks: tuple) -> None:
        """Visit ``node``; ``sinks`` are the lists its characters are appended to."""
        if isinstance(node, list):
            for item in node:
                self.walk(item, sinks)
            return
        if not isinstance(node, dict) or "t" not in node:
            return
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            self._emit(content, sinks)
        elif kind in TEXT_OF:
            self._emit(TEXT_OF[kind], sinks)
        elif kind in ("Code", "CodeBlock", "Math", "RawInline", "RawBlock"):
            self._emit(content[-1], sinks)
        elif kind == "Span":
            self._span(content, sinks)
        elif kind == "Note":
            # consult reads notes as stories of their own, after the body: so do we.
            self.notes.append(content)
        elif kind in ("Link", "Image"):
            self.walk(content[1], sinks)        # [attr, inlines, target]
        elif content is not None:
            self.walk(content, sinks)           # attrs are plain lists of strings: no text

    def _emit(self, text: str, sinks: tuple) -> None:
        for sink in sinks:
            sink.append(text)

    def _span(self, content, sinks: tuple) -> None:
        (_, classes, attrs), inlines = content
        attrs = dict(attrs)
        if "comment-start" in classes:
            # The span holds the comment's own text, not document text.
            text: list[str] = []
            self.walk(inlines, (text,))
            self.comments[(attrs.get("author", ""), " ".join("".join(text).split()))] += 1
            return
        for cls in ("insertion", "deletion"):
            sink = self.text[cls][attrs.get("author", "")]
            if cls in classes and not any(s is sink for s in sinks):
                sinks = sinks + (sink,)
        self.walk(inlines, sinks)


def pandoc_found(path: Path) -> Found:
    out = subprocess.run([PANDOC, "--track-changes=all", "-f", "docx", "-t", "json", str(path)],
                         capture_output=True, check=True, timeout=120)
    walker = PandocWalker()
    walker.walk(json.loads(out.stdout)["blocks"], ())
    for note in walker.notes:       # notes found while walking notes are appended: no recursion
        walker.walk(note, ())
    return Found(walker.comments, per_author(walker.text["insertion"]),
                 per_author(walker.text["deletion"]))


# ---- consult's side -------------------------------------------------------------------------

def consult_found(path: Path) -> Found:
    found = read_annotations(path)
    comments = Counter((c.author, " ".join(c.text.split())) for c in found.comments)
    text: dict[str, defaultdict] = {"ins": defaultdict(list), "del": defaultdict(list)}
    for r in found.revisions:
        if r.story not in PANDOC_STORIES:
            continue
        if r.kind in INSERTED:
            text["ins"][r.author].append(r.text)
        elif r.kind in DELETED:
            text["del"][r.author].append(r.text)
    return Found(comments, per_author(text["ins"]), per_author(text["del"]))


# ---- the test -------------------------------------------------------------------------------

def differences(ours: Found, theirs: Found) -> dict[str, str]:
    """Aspect -> a description of how consult (ours) and pandoc (theirs) differ."""
    out = {}
    if ours.comments != theirs.comments:
        out["comments"] = (f"only consult: {dict(ours.comments - theirs.comments)}; "
                           f"only pandoc: {dict(theirs.comments - ours.comments)}")
    for aspect in ("insertions", "deletions"):
        a, b = getattr(ours, aspect), getattr(theirs, aspect)
        if a != b:
            out[aspect] = "; ".join(f"{who!r}: consult {a.get(who, '')!r} pandoc {b.get(who, '')!r}"
                                    for who in sorted(set(a) | set(b)) if a.get(who) != b.get(who))
    return out


@pytest.mark.parametrize("name", FILES)
def test_consult_agrees_with_pandoc(name: str) -> None:
    path = REAL / name
    found = differences(consult_found(path), pandoc_found(path))
    expected = EXPECTED_DIFFERENCES.get(name, {})
    unexpected = {k: v for k, v in found.items() if k not in expected}
    stale = [k for k in expected if k not in found]
    assert not unexpected, f"{name}: consult and pandoc differ: {unexpected}"
    assert not stale, f"{name}: EXPECTED_DIFFERENCES lists {stale} but they now agree"
