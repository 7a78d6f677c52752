"""Edits made with Track Changes off, found by diffing a return with the draft."""
from __future__ import annotations

import re
from bisect import bisect_right

from .align import Alignment, Gap
from .model import Pos, Revision
from .textdiff import edits

SPACES = re.compile("[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")    # plain, no-break, en...


def spacing(text: str) -> str:
    """``text`` as a re-save cannot change it: every run of spaces (plain, no-break, en, em,
    thin) one plain space, none at the ends of a paragraph, and no empty paragraphs (nothing
    but white space) between the "\\n"s."""
    lines = (SPACES.sub(" ", line).strip(" ") for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip())


def untracked_revisions(draft: list[str], ret: list[str], alignment: Alignment,
                        author: str) -> list[Revision]:
    """Revisions (tracked=False) in draft coordinates for every untracked difference."""
    out: list[Revision] = []
    for r, d in sorted(alignment.pairs.items(), key=lambda rd: rd[1]):
        if ret[r] != draft[d] and spacing(ret[r]) != spacing(draft[d]):
            out += _from_edits(draft[d], ret[r], [d], draft, author, len(out))
    for gap in alignment.gaps:
        out += _from_gap(gap, draft, ret, author, len(out))
    out.sort(key=lambda rv: (rv.start.para, rv.start.offset) if rv.start else (-1, 0))
    return [Revision(f"untracked:{k}", r.kind, r.author, r.date, r.text, r.start, r.end,
                     False) for k, r in enumerate(out)]


def _from_gap(gap: Gap, draft: list[str], ret: list[str], author: str, n: int):
    new = "\n".join(ret[r] for r in gap.ret)
    old = "\n".join(draft[d] for d in gap.draft)
    if spacing(new) == spacing(old):
        return []                   # only spacing or empty paragraphs differ
    if not gap.draft:
        if not gap.ret:
            return []
        if gap.after is not None:
            at = Pos(gap.after, len(draft[gap.after]))
            return _inserted("\n" + new, at, author)
        if gap.before is not None:
            return _inserted(new + "\n", Pos(gap.before, 0), author)
        if not new.strip():
            return []
        # nowhere to put it: no matched paragraph of the return's sections on either side
        return [Revision("", "insert", author, None, new, None, None, False)]
    if not gap.ret:
        return _removed_paragraphs(gap.draft, draft, author)
    return _from_edits("\n".join(draft[d] for d in gap.draft), new, gap.draft, draft, author, n)


def _from_edits(old: str, new: str, paras: list[int], draft: list[str], author: str,
                n: int) -> list[Revision]:
    starts, pos = [], 0
    for d in paras:
        starts.append(pos)
        pos += len(draft[d]) + 1

    def at(offset: int) -> Pos:
        k = max(0, bisect_right(starts, offset) - 1)
        return Pos(paras[k], offset - starts[k])

    out: list[Revision] = []
    plain = spacing(old)
    for e in edits(old, new):
        if spacing(old[:e.start] + e.text + old[e.end:]) == plain:
            continue                # a change of spacing alone: a re-save, not a person
        if e.end > e.start:
            out += _deleted(old, e.start, e.end, at, author)
        if e.text:
            out += _inserted(e.text, at(e.end), author)
    return out


def _deleted(old: str, start: int, end: int, at, author: str) -> list[Revision]:
    out, piece_start = [], start
    for q in range(start, end + 1):
        if q < end and old[q] != "\n":
            continue
        if q > piece_start:
            out.append(Revision("", "delete", author, None, old[piece_start:q], at(piece_start),
                                at(q), False))
        if q < end:
            out.append(Revision("", "paragraph-delete", author, None, "\n", at(q), at(q + 1),
                                False))
        piece_start = q + 1
    return out


def _inserted(text: str, pos: Pos, author: str) -> list[Revision]:
    out = []
    for k, part in enumerate(text.split("\n")):
        if k:
            out.append(Revision("", "paragraph-insert", author, None, "\n", pos, pos, False))
        if part:
            out.append(Revision("", "insert", author, None, part, pos, pos, False))
    return out


def _removed_paragraphs(paras: list[int], draft: list[str], author: str) -> list[Revision]:
    out = []
    last = len(draft) - 1
    for d in paras:
        if draft[d]:
            out.append(Revision("", "delete", author, None, draft[d], Pos(d, 0),
                                Pos(d, len(draft[d])), False))
        if d < last:
            out.append(Revision("", "paragraph-delete", author, None, "\n",
                                Pos(d, len(draft[d])), Pos(d + 1, 0), False))
        elif d > 0:
            out.append(Revision("", "paragraph-delete", author, None, "\n",
                                Pos(d - 1, len(draft[d - 1])), Pos(d, 0), False))
    return out
