"""A story's original-view text, the revision pieces read from it, and the draft's own keys."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Pos
from .textview import W_NS, rev_info

INSERT_KINDS = {"ins": "insert", "moveTo": "move-to"}
DELETE_KINDS = {"del": "delete", "moveFrom": "move-from"}
TAG_KINDS = {"ins": "insert", "moveTo": "move-to", "del": "delete", "moveFrom": "move-from"}
OBJECT_KINDS = {"ins": "object-insert", "moveTo": "object-insert", "del": "object-delete",
                "moveFrom": "object-delete"}
Own = frozenset     # keys (kind, author, date) of the draft's own revisions, see own_key
MOVES = {"moveTo": "ins", "moveFrom": "del"}


REVISION_TAGS = tuple(W_NS + n for n in ("ins", "del", "moveFrom", "moveTo", "rPrChange",
                                          "pPrChange"))


def own_key(rev) -> tuple:
    """What identifies one of the draft's own revision elements when a return carries it
    again: its author and date to the minute (a re-save may drop seconds or the zone) and,
    for an undated one, its element name, a move counting as the insertion or deletion it is.
    LibreOffice writes the draft's insertions and deletions of the same words as a move and
    back, and gives moved text format changes of its own, under the draft's author and date."""
    author, date = rev_info(rev)
    tag = rev.tag[len(W_NS):]
    return ("" if date else MOVES.get(tag, tag), author, (date or "")[:16])


def own_keys(roots) -> set[tuple]:
    """The ``own_key`` of every revision element under the given story roots."""
    return {own_key(el) for root in roots for el in root.iter(*REVISION_TAGS)}


@dataclass
class StoryText:
    """One story's original-view paragraphs and the styles of their first w:p."""

    name: str
    paragraphs: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    elements: list[list] = field(default_factory=list)
    hints: dict[int, int] = field(default_factory=dict)     # paragraph -> draft paragraph
    fields: list = field(default_factory=list)  # field results: (paragraph, start, end, key)


@dataclass
class _Piece:
    kind: str
    author: str
    date: str | None
    text: str
    start: Pos
    end: Pos
    rid: str
    props: str = ""
    old_props: str = ""
    move_name: str = ""

