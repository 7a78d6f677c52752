"""Edits made with Track Changes off, found by diffing a return with the draft."""
from __future__ import annotations

import re
from bisect import bisect_right

from .align import Alignment, Gap
from .model import Pos, Revision
from .textdiff import edits

SPACES = re.compile("[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")    # plain, no-break, en...
Deleted = dict      # (paragraph, offset) -> text the draft's own changes deleted there
Line = tuple        # (draft paragraph, offset its text starts at, its text)


def spacing(text: str) -> str:
    """``text`` as a re-save cannot change it: every run of spaces (plain, no-break, en, em,
    thin) one plain space, none at the ends of a paragraph, and no empty paragraphs (nothing
    but white space) between the "\\n"s."""
    lines = (SPACES.sub(" ", line).strip(" ") for line in text.split("\n"))
    return "\n".join(line for line in lines if line.strip())


def deleted_at(pieces) -> Deleted:
    """``Draft.own_deleted`` as a mapping, the pieces at one place joined in order."""
    out: Deleted = {}
    for para, offset, text in pieces:
        out[(para, offset)] = out.get((para, offset), "") + text
    return out


def untracked_revisions(draft: list[str], ret: list[str], alignment: Alignment,
                        author: str, deleted: Deleted | None = None) -> list[Revision]:
    """Revisions (tracked=False) in draft coordinates for every untracked difference."""
    return differences(draft, ret, alignment, author, deleted)[0]


def differences(draft: list[str], ret: list[str], alignment: Alignment, author: str,
                deleted: Deleted | None = None) -> tuple[list[Revision], list[Revision]]:
    """The untracked edits, and the text the draft's own changes deleted (``deleted``) that
    the return holds again with no mark (a converter dropped the deletion): compared with the
    draft's text with that deleted text in it, it is not an edit, and nothing typed beside it
    is lost (both in draft coordinates)."""
    deleted = deleted or {}
    paras = {para for para, _ in deleted}
    out: list[Revision] = []
    revived: list[Revision] = []
    for r, d in sorted(alignment.pairs.items(), key=lambda rd: rd[1]):
        if ret[r] != draft[d] and spacing(ret[r]) != spacing(draft[d]):
            if d in paras:
                found, back = _from_view([(d, 0, draft[d])], ret[r], deleted, author)
                out, revived = out + found, revived + back
            else:
                out += _from_edits(draft[d], ret[r], [d], draft, author, len(out))
    matched = {d: r for r, d in alignment.pairs.items()}
    for gap in alignment.gaps:
        lines, new = _gap_lines(gap, draft, ret, matched)
        if _holds(lines, deleted, paras) and spacing("\n".join(ret[r] for r in gap.ret)) \
                != spacing("\n".join(draft[d] for d in gap.draft)):
            found, back = _from_view(lines, new, deleted, author)
            out, revived = out + found, revived + back
        else:
            out += _from_gap(gap, draft, ret, author, len(out))
    out.sort(key=lambda rv: (rv.start.para, rv.start.offset) if rv.start else (-1, 0))
    return ([Revision(f"untracked:{k}", r.kind, r.author, r.date, r.text, r.start, r.end,
                      False) for k, r in enumerate(out)],
            [Revision(f"revived:{k}", r.kind, r.author, r.date, r.text, r.start, r.end,
                      False) for k, r in enumerate(revived)])


def only_revived(draft: list[str], ret: list[str], alignment: Alignment,
                 deleted: Deleted) -> int:
    """How many of the return's unmatched paragraphs differ from the draft only by holding
    again text that the draft's own changes deleted (a converter dropped the deletion): they
    are the draft's paragraphs, for the share of the return that matches the draft."""
    paras = {para for para, _ in deleted}
    matched = {d: r for r, d in alignment.pairs.items()}
    n = 0
    for gap in alignment.gaps:
        if not gap.ret:
            continue
        lines, new = _gap_lines(gap, draft, ret, matched)
        if _holds(lines, deleted, paras):
            found, back = _from_view(lines, new, deleted, "")
            n += len(gap.ret) if back and not found else 0
    return n


def _gap_lines(gap: Gap, draft: list[str], ret: list[str], matched: dict[int, int]
               ) -> tuple[list[Line], str]:
    """The draft's text from the end of the paragraph before the gap to the start of the one
    after it, as lines (the first and last empty), and the return's text over the same
    stretch; both take in the empty paragraphs matched to empty ones on either side (empty
    paragraphs match anywhere, so deleted text a converter kept may sit beyond them)."""
    after, before, head, tail = gap.after, gap.before, [], []
    while after is not None and _empty(after - 1, after, draft, ret, matched):
        head, after = [after] + head, after - 1
    while before is not None and _empty(before + 1, before, draft, ret, matched):
        tail, before = tail + [before], before + 1
    lines = [(after, len(draft[after]), "")] if after is not None else []
    lines += [(d, 0, draft[d]) for d in head + gap.draft + tail]
    lines += [(before, 0, "")] if before is not None else []
    new = ([""] * (after is not None) + [ret[matched[d]] for d in head] +
           [ret[r] for r in gap.ret] + [ret[matched[d]] for d in tail] +
           [""] * (before is not None))
    return lines, "\n".join(new)


def _empty(beyond: int, d: int, draft: list[str], ret: list[str], matched: dict[int, int]
           ) -> bool:
    """Draft paragraph ``d`` and the return's matched to it hold no text, and ``beyond`` (the
    next paragraph out) is matched too."""
    return (beyond in matched and d in matched and not draft[d].strip()
            and not ret[matched[d]].strip())


def _holds(lines: list[Line], deleted: Deleted, paras: set[int]) -> bool:
    """Whether the draft's own changes deleted text anywhere along ``lines``."""
    return any(para in paras if text else (para, base) in deleted
               for para, base, text in lines)


def _view(lines: list[Line], deleted: Deleted) -> tuple[str, list[bool], list[int]]:
    """The lines' text with the deleted text back in it; for each character whether it is
    deleted text, and the offset in the lines' text (joined by "\\n") it stands at."""
    chars: list[str] = []
    mask: list[bool] = []
    where: list[int] = []
    at = 0
    for k, (para, base, text) in enumerate(lines):
        if k:
            chars, mask, where, at = chars + ["\n"], mask + [False], where + [at], at + 1
        for o in range(len(text) + 1):
            piece = deleted.get((para, base + o), "")
            chars += piece
            mask += [True] * len(piece)
            where += [at] * len(piece)
            if o < len(text):
                chars, mask, where, at = chars + [text[o]], mask + [False], where + [at], at + 1
    return "".join(chars), mask, where


def _from_view(lines: list[Line], new: str, deleted: Deleted, author: str
               ) -> tuple[list[Revision], list[Revision]]:
    """``new`` diffed with the lines' text with the deleted text back in it: the edits (in
    the draft's text: deleted text they remove was already gone) and the deleted text that
    ``new`` still holds."""
    told, mask, where = _view(lines, deleted)
    old = "\n".join(text for _, _, text in lines)
    plain = spacing(old)
    at = _locator(lines)
    out: list[Revision] = []
    revived: list[Revision] = []
    prev = 0
    for e in edits(told, new) + [None]:
        stop = e.start if e else len(told)
        revived += _kept(told, mask, where, prev, stop, at, author)
        if e is None:
            break
        prev = e.end
        start = where[e.start] if e.start < len(told) else len(old)
        end = start + sum(1 for m in mask[e.start:e.end] if not m)
        out += _edit(old, plain, start, end, e.text, at, author)
    return out, revived


def _kept(told: str, mask: list[bool], where: list[int], i: int, j: int, at,
          author: str) -> list[Revision]:
    """The deleted text in ``told[i:j]`` (a stretch the return has unchanged), run by run;
    spaces alone are left out (a re-save changes them)."""
    out: list[Revision] = []
    k = i
    while k < j:
        if not mask[k]:
            k += 1
            continue
        q = k
        while q < j and mask[q]:
            q += 1
        if SPACES.sub("", told[k:q]):
            out += _inserted(told[k:q], at(where[k]), author)
        k = q
    return out


def _locator(lines: list[Line]):
    """Offset in the lines' text (joined by "\\n") -> draft position."""
    starts, pos = [], 0
    for _, _, text in lines:
        starts.append(pos)
        pos += len(text) + 1

    def at(offset: int) -> Pos:
        k = max(0, bisect_right(starts, offset) - 1)
        return Pos(lines[k][0], lines[k][1] + offset - starts[k])
    return at


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
    at = _locator([(d, 0, draft[d]) for d in paras])
    out: list[Revision] = []
    plain = spacing(old)
    for e in edits(old, new):
        out += _edit(old, plain, e.start, e.end, e.text, at, author)
    return out


def _edit(old: str, plain: str, start: int, end: int, text: str, at, author: str
          ) -> list[Revision]:
    """old[start:end] replaced by ``text``, unless that changes nothing but spacing (``plain``
    is ``spacing(old)``, worked out once for all of old's edits)."""
    if spacing(old[:start] + text + old[end:]) == plain:
        return []                   # a change of spacing alone: a re-save, not a person
    out = _deleted(old, start, end, at, author) if end > start else []
    return out + (_inserted(text, at(end), author) if text else [])


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
