"""Every real .docx: consult finds the same comments and tracked changes as pandoc does."""
from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from consult.annotations import read_annotations
from pandoc_reader import pandoc_json

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "corpus" / "real"
PANDOC = shutil.which("pandoc")

if not REAL.is_dir():
    pytest.skip(f"the real corpus {REAL} is absent", allow_module_level=True)
if PANDOC is None:
    pytest.skip("pandoc is not on PATH: install it to compare consult with pandoc",
                allow_module_level=True)

FILES = sorted(p.name for p in REAL.glob("*.docx"))

# Revision kinds whose text counts as inserted / deleted: a move is a deletion plus an
# insertion. In an inserted row consult reports one row-insert standing for its cells' text;
# in a deleted row it reports each cell's deletions as well as the row-delete, so the
# row-delete (whose text would count twice) is left out.
INSERTED = {"insert", "move-to", "row-insert"}
DELETED = {"delete", "move-from"}
# The stories pandoc reads: it never reads headers or footers.
PANDOC_STORIES = {"body", "footnotes", "endnotes"}


@dataclass(frozen=True)
class Known:
    """A difference investigated in the XML: why, and how pandoc's text becomes consult's."""

    reason: str
    pandoc_to_consult: dict[str, str]   # replacements in pandoc's (whitespace-free) text


# file -> aspect ("comments", "insertions" or "deletions") -> the known difference. The
# replacements must turn pandoc's text into exactly consult's, and an entry whose aspect
# already agrees fails as stale.
EXPECTED_DIFFERENCES: dict[str, dict[str, Known]] = {
    "Open-Xml-Pow__TestFiles_RP_RP001-Tracked-Revisions-02.docx": {
        "insertions": Known(
            "pandoc ignores row insertions (<w:trPr><w:ins/>): the plain run "
            "<w:r><w:t>2</w:t></w:r> in the inserted row 'Sample preparation-2 | 1 | Sample "
            "analysis' goes with the row, and consult's row-insert counts it.",
            {"Samplepreparation-1Sampleanalysis": "Samplepreparation-21Sampleanalysis"}),
        "deletions": Known(
            "pandoc is wrong: it reads only the w:r children of a w:moveFrom, so text moved "
            "away and also deleted (<w:moveFrom><w:del><w:r><w:delText>n:</w:delText>...) is "
            "lost: the 'n:' after 'Order of injectio' and every cell of the moved-away table. "
            "And pandoc ignores row insertions, so it reports the '1' deleted in the inserted "
            "row ('Sample preparation-2<w:del>1</w:del>'): that '1' was never in the original. "
            "consult also reports the same table's text deleted where it was moved to "
            "(<w:moveTo><w:del>...): deleted inside an insertion, it is in neither view, and "
            "pandoc does not count it as deleted.",
            {"Orderofinjectio": 2 * ("Orderofinjection:NameofthepreparationsNo.ofinjections"
                                     "PurposeBlank1BlankSystemsuitabilitysolution1System"
                                     "suitabilitySamplepreparation-11SampleanalysisSample"
                                     "preparation-21"),
             "1Chromatpgrams": "Chromatpgrams"}),
    },
    "Open-Xml-Pow__TestFiles_RP_RP051-Arabic.docx": {
        "insertions": Known(
            "four inserted <w:sym w:font=\"Symbol\" w:char=\"F02A\"/>: consult keeps the "
            "character's code point U+F02A, pandoc maps the Symbol font to Unicode U+2217 (∗).",
            {"\u2217": "\uf02a"}),
    },
}


@dataclass
class Found:
    """Comments as (author, text) and inserted / deleted text per author, in order."""

    comments: Counter = field(default_factory=Counter)
    insertions: dict[str, str] = field(default_factory=dict)
    deletions: dict[str, str] = field(default_factory=dict)


def per_author(pieces: dict[str, list[str]]) -> dict[str, str]:
    """Each author's pieces joined in order without whitespace; authors of none dropped.

    Whitespace goes because the tools disagree on paragraph marks, tabs and breaks.
    """
    joined = {author: "".join("".join(texts).split()) for author, texts in pieces.items()}
    return {author: text for author, text in joined.items() if text}


def one_line(text: str) -> str:
    return " ".join(text.split())


# ---- pandoc's side --------------------------------------------------------------------------

BREAKS = {"Space": " ", "SoftBreak": "\n", "LineBreak": "\n"}


class PandocWalker:
    """Walks pandoc's JSON AST, collecting comments and inserted / deleted text by author.

    Every node is {"t": kind, "c": content}; content is walked generically, which is safe
    because attributes are plain lists of strings and only Str (and Code) carry text.
    """

    def __init__(self) -> None:
        self.comments: Counter = Counter()
        self.text: dict[str, defaultdict] = {"insertion": defaultdict(list),
                                             "deletion": defaultdict(list)}
        self.notes: list = []

    def walk(self, node, sinks: tuple) -> None:
        """Visit ``node``; every character it stands for is appended to each of ``sinks``."""
        if isinstance(node, list):
            for item in node:
                self.walk(item, sinks)
            return
        if not isinstance(node, dict) or "t" not in node:
            return
        kind, content = node["t"], node.get("c")
        if kind == "Str":
            self._emit(content, sinks)
        elif kind in BREAKS:
            self._emit(BREAKS[kind], sinks)
        elif kind in ("Code", "CodeBlock"):
            self._emit(content[1], sinks)           # [attr, text]
        elif kind == "Span":
            self._span(content, sinks)
        elif kind == "Note":
            # consult reads notes as stories of their own, after the body; pandoc puts them
            # at their reference. Walk them afterwards, and outside the reference's span.
            self.notes.append(content)
        elif kind in ("Image", "Math", "RawInline", "RawBlock"):
            return                                  # alt text, TeX, raw: not document text
        elif content is not None:
            self.walk(content, sinks)

    def walk_notes(self) -> None:
        for note in self.notes:
            self.walk(note, ())

    def _emit(self, text: str, sinks: tuple) -> None:
        for sink in sinks:
            sink.append(text)

    def _span(self, content, sinks: tuple) -> None:
        (_, classes, attrs), inlines = content
        attrs = dict(attrs)
        if "comment-start" in classes:
            text: list[str] = []                    # the comment's own text, not the document's
            self.walk(inlines, (text,))
            self.comments[(attrs.get("author", ""), one_line("".join(text)))] += 1
            return
        for cls in ("insertion", "deletion"):
            sink = self.text[cls][attrs.get("author", "")]
            if cls in classes and not any(s is sink for s in sinks):
                sinks = sinks + (sink,)
        self.walk(inlines, sinks)


def pandoc_found(path: Path) -> Found:
    walker = PandocWalker()
    walker.walk(pandoc_json(path, styles=False)["blocks"], ())
    walker.walk_notes()
    return Found(walker.comments, per_author(walker.text["insertion"]),
                 per_author(walker.text["deletion"]))


# ---- consult's side -------------------------------------------------------------------------

def consult_found(path: Path) -> Found:
    found = read_annotations(path)
    comments = Counter((c.author, one_line(c.text)) for c in found.comments
                       if c.story in PANDOC_STORIES)
    text: dict[str, defaultdict] = {"ins": defaultdict(list), "del": defaultdict(list)}
    for r in found.revisions:
        if r.story in PANDOC_STORIES and r.kind in INSERTED:
            text["ins"][r.author].append(r.text)
        elif r.story in PANDOC_STORIES and r.kind in DELETED:
            text["del"][r.author].append(r.text)
    return Found(comments, per_author(text["ins"]), per_author(text["del"]))


# ---- the comparison -------------------------------------------------------------------------

def difference(ours: Found, theirs: Found, aspect: str) -> str:
    """How consult (ours) and pandoc (theirs) differ in ``aspect``; "" when they agree."""
    a, b = getattr(ours, aspect), getattr(theirs, aspect)
    if a == b:
        return ""
    if aspect == "comments":
        return f"only consult: {dict(a - b)}; only pandoc: {dict(b - a)}"
    return "; ".join(f"{who!r}: consult {a.get(who, '')!r}, pandoc {b.get(who, '')!r}"
                     for who in sorted(set(a) | set(b)) if a.get(who) != b.get(who))


def corrected(theirs: Found, aspect: str, known: Known) -> Found:
    """pandoc's findings with a known difference's replacements applied to ``aspect``."""
    def fix(text: str) -> str:
        for old, new in known.pandoc_to_consult.items():
            text = text.replace(old, new)
        return text

    value = getattr(theirs, aspect)
    if aspect == "comments":
        fixed = Counter({(who, fix(text)): n for (who, text), n in value.items()})
    else:
        fixed = {who: fix(text) for who, text in value.items()}
    return Found(**{**theirs.__dict__, aspect: fixed})


@pytest.mark.parametrize("name", FILES)
def test_consult_finds_what_pandoc_finds(name: str) -> None:
    ours, theirs = consult_found(REAL / name), pandoc_found(REAL / name)
    known = EXPECTED_DIFFERENCES.get(name, {})
    for aspect in ("comments", "insertions", "deletions"):
        found = difference(ours, theirs, aspect)
        if aspect not in known:
            assert not found, f"{name}: {aspect} differ: {found}"
            continue
        assert found, f"{name}: {aspect} now agree; remove it from EXPECTED_DIFFERENCES"
        left = difference(ours, corrected(theirs, aspect, known[aspect]), aspect)
        assert not left, f"{name}: {aspect} differ beyond the known difference: {left}"
