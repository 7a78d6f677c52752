"""Where a group's comment edges fall beside or inside that group's own insertions.

A comment's place is in draft text, so an insertion at one of its edges may be in it or not;
the text the comment covers in the return (its anchor) tells which, and how far into it.
``inserted`` maps (paragraph, offset) to the (groups, text) of the insertions written there.
"""
from __future__ import annotations

import re
from typing import Sequence

from .model import Placed

Inserted = dict[tuple[int, int], list[tuple[set, str]]]
EDGE = 40           # characters of draft text at each edge that tell the cases apart


def within(group: str, placed: Placed, inserted: Inserted) -> tuple[str, int, int] | None:
    """(insertion text, start, end) when a group's comment covers part of one of its own
    insertions (one paragraph's worth) and nothing else."""
    pl, anchor = placed.place, placed.item.anchor
    if not anchor or (pl.paragraph, pl.start) != (pl.end_paragraph, pl.end):
        return None
    for groups, text in inserted.get((pl.paragraph, pl.start), ()):
        at = text.find(anchor)
        if group in groups and "\n" not in text and at >= 0 and len(anchor) < len(text):
            return text, at, at + len(anchor)
    return None


def takes(group: str, placed: Placed, inserted: Inserted, texts: Sequence[str]) -> tuple:
    """(start, end): whether the comment takes in its group's insertion at its start and at
    its end (its anchor begins or ends with it), or (text, character) when that edge is part
    way into the insertion."""
    pl, anchor = placed.place, squeeze(placed.item.anchor)
    if (pl.paragraph, pl.start) == (pl.end_paragraph, pl.end):
        return (bool(anchor), bool(anchor))

    def text_of(para: int) -> str:
        return texts[para] if para < len(texts) else ""
    one = pl.paragraph == pl.end_paragraph
    head = squeeze(text_of(pl.paragraph)[pl.start:pl.end if one else None][:EDGE])
    tail = squeeze(text_of(pl.end_paragraph)[pl.start if one else 0:pl.end][-EDGE:])
    raw = placed.item.anchor
    starts = [t for gs, t in inserted.get((pl.paragraph, pl.start), ()) if group in gs]
    ends = [t for gs, t in inserted.get((pl.end_paragraph, pl.end), ()) if group in gs]
    start = any((t := squeeze(text)) and anchor.startswith(t) and (
        anchor.startswith(t + head) or not anchor.startswith(head)) for text in starts)
    end = any((t := squeeze(text)) and anchor.endswith(t) and (
        anchor.endswith(tail + t) or not anchor.endswith(tail)) for text in ends)
    if not start and not anchor.startswith(head):
        start = next(((text, i) for text in starts if "\n" not in text
                      for i in [suffix_start(text, raw)] if i is not None), False)
    if not end and not anchor.endswith(tail):
        end = next(((text, j) for text in ends if "\n" not in text
                    for j in [prefix_end(text, raw)] if j is not None), False)
    return start, end


def suffix_start(text: str, anchor: str) -> int | None:
    """Where the longest proper suffix of ``text`` that ``anchor`` begins with starts."""
    i = text.find(anchor[:1], 1) if anchor else -1
    while i > 0:
        if anchor.startswith(text[i:]) and text[i:].strip():
            return i
        i = text.find(anchor[0], i + 1)
    return None


def prefix_end(text: str, anchor: str) -> int | None:
    """Where the longest proper prefix of ``text`` that ``anchor`` ends with ends."""
    j = text.rfind(anchor[-1:], 0, len(text) - 1) if anchor else -1
    while j >= 0:
        if anchor.endswith(text[:j + 1]) and text[:j + 1].strip():
            return j + 1
        j = text.rfind(anchor[-1], 0, j)
    return None


def squeeze(text: str) -> str:
    """Text without its whitespace, to compare what a comment covers."""
    return re.sub(r"\s+", "", text)


__all__ = ["within", "takes", "suffix_start", "prefix_end", "squeeze"]
