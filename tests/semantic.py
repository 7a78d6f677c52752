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

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pandoc_reader import (BLOCK_TAGS, META_FIELDS, PARA_BLOCKS, SKIP_STYLES,  # noqa: F401
                           SUMMARY_STYLE, Doc, Para, Piece, _meta_blocks, _pandoc, _Reader,
                           _style, norm, pandoc_json, read)

UNTRACKED = " (untracked)"


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
