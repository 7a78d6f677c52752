"""Word-level, semantically cleaned-up diffs with diff-match-patch (deterministic)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
EQUAL, INSERT, DELETE = 0, 1, -1


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0          # no time limit: the same inputs always give the same diff
    return dmp


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """Diff ``old`` -> ``new`` token by token (words, spaces, punctuation), cleaned up."""
    if old == new:
        return [(EQUAL, old)] if old else []
    table: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for tok in TOKEN.findall(text):
            ch = table.get(tok)
            if ch is None:
                ch = chr(0xE000 + len(tokens)) if len(tokens) < 0x1800 else \
                    chr(0x10000 + len(tokens))
                table[tok] = ch
                tokens.append(tok)
            out.append(ch)
        return "".join(out)

    a, b = encode(old), encode(new)
    dmp = _engine()
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    index = {ch: tok for tok, ch in table.items()}
    merged: list[tuple[int, str]] = []
    for op, chars in diffs:
        text = "".join(index[c] for c in chars)
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


@dataclass(frozen=True)
class Edit:
    """A change to ``old``: replace old[start:end] by ``text`` (either may be empty)."""

    start: int
    end: int
    text: str


def edits(old: str, new: str) -> list[Edit]:
    """The changes that turn ``old`` into ``new``, as non-overlapping edits in order."""
    out: list[Edit] = []
    pos = 0
    pending: Edit | None = None
    for op, text in word_diff(old, new):
        if op == EQUAL:
            if pending:
                out.append(pending)
                pending = None
            pos += len(text)
            continue
        if pending is None:
            pending = Edit(pos, pos, "")
        if op == DELETE:
            pending = Edit(pending.start, pending.end + len(text), pending.text)
            pos += len(text)
        else:
            pending = Edit(pending.start, pending.end, pending.text + text)
    if pending:
        out.append(pending)
    return out


class OffsetMap:
    """Maps offsets in ``old`` to offsets in ``new`` through their diff."""

    def __init__(self, old: str, new: str) -> None:
        self.same = old == new
        self.diffs = [] if self.same else _engine().diff_main(old, new, False)

    def __call__(self, offset: int) -> int:
        if self.same:
            return offset
        return _engine().diff_xIndex(self.diffs, offset)


def similarity(a: str, b: str) -> float:
    """0..1: the share of characters the two texts have in common (word-level)."""
    if not a and not b:
        return 1.0
    common = sum(len(t) for op, t in word_diff(a, b) if op == EQUAL)
    return 2 * common / (len(a) + len(b))
