"""Align a return's paragraphs with the draft's, and map positions between them."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .textdiff import OffsetMap

MIN_MOVED_CHARS = 15        # an out-of-order exact match must be at least this long


def norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Gap:
    """Return paragraphs and draft paragraphs between two matched pairs."""

    ret: list[int]
    draft: list[int]
    after: int | None       # the matched draft paragraph before the gap, if any
    before: int | None      # the matched draft paragraph after the gap, if any


@dataclass
class Alignment:
    pairs: dict[int, int] = field(default_factory=dict)     # return para -> draft para
    moved: set[int] = field(default_factory=set)            # return paras matched out of order
    gaps: list[Gap] = field(default_factory=list)
    skipped: set[int] = field(default_factory=set)

    @property
    def matched_share(self) -> float:
        considered = max(1, len(self.pairs) + sum(len(g.ret) for g in self.gaps))
        return len(self.pairs) / considered


HINT_SIMILARITY = 0.5       # an anchor hint is trusted when the texts are at least this alike


def align(draft: list[str], lo: int, hi: int, ret: list[str], skip: set[int],
          hints: dict[int, int] | None = None, draft_norms: list[str] | None = None,
          ret_norms: list[str] | None = None) -> Alignment:
    """Match return paragraphs to draft paragraphs ``lo``..``hi-1``: in order, then moved,
    then by the pack's paragraph anchors (``hints``: return paragraph -> draft paragraph)
    where the texts are still alike. ``draft_norms`` and ``ret_norms``: the texts already
    normalised (``norm``), when the caller has them."""
    result = Alignment(skipped=set(skip))
    rs = [r for r in range(len(ret)) if r not in skip]
    ds = list(range(lo, hi))
    d_normed = [draft_norms[d] for d in ds] if draft_norms else [norm(draft[d]) for d in ds]
    r_normed = [ret_norms[r] for r in rs] if ret_norms else [norm(ret[r]) for r in rs]
    matcher = SequenceMatcher(None, d_normed, r_normed, autojunk=False)
    backbone = []
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            d, r = ds[block.a + k], rs[block.b + k]
            result.pairs[r] = d
            backbone.append((r, d))
    _match_moved(draft, ds, ret, rs, result)
    result.gaps = _gaps(backbone, result, rs, ds)
    if hints and _match_hinted(draft, ret, hints, lo, hi, result):
        result.gaps = _gaps(backbone, result, rs, ds)
    return result


def _match_hinted(draft, ret, hints: dict[int, int], lo: int, hi: int,
                  result: Alignment) -> bool:
    """Pair edited paragraphs that moved, by their anchors; return True if any were paired.

    A paragraph whose anchor points into its own gap is left to the gap's diff, which also
    sees splits and merges.
    """
    from .textdiff import similarity
    taken = set(result.pairs.values())
    found = False
    for gap in result.gaps:
        for r in gap.ret:
            d = hints.get(r)
            if d is None or d in taken or d in gap.draft or not lo <= d < hi:
                continue
            if similarity(norm(ret[r]), norm(draft[d])) >= HINT_SIMILARITY:
                result.pairs[r] = d
                result.moved.add(r)
                taken.add(d)
                found = True
    return found


def _match_moved(draft, ds, ret, rs, result: Alignment) -> None:
    """Pair unmatched paragraphs whose text is equal and unique: sections moved around."""
    taken = set(result.pairs.values())
    free_d: dict[str, list[int]] = {}
    for d in ds:
        if d not in taken and len(norm(draft[d])) >= MIN_MOVED_CHARS:
            free_d.setdefault(norm(draft[d]), []).append(d)
    free_r: dict[str, list[int]] = {}
    for r in rs:
        if r not in result.pairs and len(norm(ret[r])) >= MIN_MOVED_CHARS:
            free_r.setdefault(norm(ret[r]), []).append(r)
    for text, rlist in free_r.items():
        dlist = free_d.get(text, [])
        if len(rlist) == 1 and len(dlist) == 1:
            result.pairs[rlist[0]] = dlist[0]
            result.moved.add(rlist[0])


def _gaps(backbone, result: Alignment, rs: list[int], ds: list[int]) -> list[Gap]:
    taken = set(result.pairs.values())
    fences = [(-1, None)] + backbone + [(len(rs) + 10 ** 9, None)]
    r_pos = {r: k for k, r in enumerate(rs)}
    gaps = []
    for (r1, d1), (r2, d2) in zip(fences, fences[1:]):
        k1 = r_pos.get(r1, -1)
        k2 = r_pos.get(r2, len(rs))
        ret_gap = [r for r in rs[k1 + 1:k2] if r not in result.pairs]
        lo = (d1 + 1) if d1 is not None else ds[0] if ds else 0
        hi = d2 if d2 is not None else (ds[-1] + 1 if ds else 0)
        draft_gap = [d for d in range(lo, hi) if d not in taken]
        if ret_gap or draft_gap:
            gaps.append(Gap(ret_gap, draft_gap, d1, d2))
    return gaps


class Locator:
    """Maps (return paragraph, offset) to (draft paragraph, offset)."""

    def __init__(self, draft: list[str], ret: list[str], alignment: Alignment) -> None:
        self.draft, self.ret, self.al = draft, ret, alignment
        self._pair_maps: dict[int, OffsetMap] = {}
        self._gap_of: dict[int, Gap] = {r: g for g in alignment.gaps for r in g.ret}
        self._gap_maps: dict[int, tuple] = {}

    def __call__(self, para: int, offset: int) -> tuple[int, int] | None:
        if para in self.al.pairs:
            d = self.al.pairs[para]
            if para not in self._pair_maps:
                self._pair_maps[para] = OffsetMap(self.ret[para], self.draft[d])
            return d, min(self._pair_maps[para](offset), len(self.draft[d]))
        gap = self._gap_of.get(para)
        if gap is None:
            return None
        return self._in_gap(gap, para, offset)

    def _in_gap(self, gap: Gap, para: int, offset: int) -> tuple[int, int] | None:
        key = id(gap)
        if key not in self._gap_maps:
            new = "\n".join(self.ret[r] for r in gap.ret)
            old = "\n".join(self.draft[d] for d in gap.draft)
            self._gap_maps[key] = (OffsetMap(new, old), _starts([self.ret[r] for r in gap.ret]),
                                   _starts([self.draft[d] for d in gap.draft]))
        omap, ret_starts, draft_starts = self._gap_maps[key]
        if not gap.draft:
            if gap.after is not None:
                return gap.after, len(self.draft[gap.after])
            return (gap.before, 0) if gap.before is not None else None
        flat = ret_starts[gap.ret.index(para)] + offset
        target = omap(flat)
        k = max(0, bisect_right(draft_starts, target) - 1)
        d = gap.draft[k]
        return d, min(target - draft_starts[k], len(self.draft[d]))


def _starts(texts: list[str]) -> list[int]:
    out, pos = [], 0
    for t in texts:
        out.append(pos)
        pos += len(t) + 1
    return out
