"""A redline: the new draft with its differences from the old one as tracked changes.

Paragraphs of the old draft that the new one lacks are copied in, marked deleted: a whole
deleted table or row as one (rows marked deleted), a paragraph in a table into the cell that
stands for its old cell. They keep their order with the paragraphs both drafts share;
inserted paragraphs do not bind them, since each kind vanishes in the other view. Paragraph
marks are then settled (see marks.py) so that each one can be resolved.
"""
from __future__ import annotations

from dataclasses import dataclass

from .rows import row_of
from .marks import BETWEEN, settle
from .ns import qn
from .package import Package
from .textview import W_NS, body_paragraphs, in_table
from .track import DEFAULT_DATE, Revisions, deleted_copy, mark_paragraph, mark_row, track_paragraph

INF = float("inf")         # after every child, in a document-order key


@dataclass(frozen=True)
class Step:
    """One paragraph of the merged draft: in both ("same"), only new ("insert") or only old."""

    kind: str                       # "same" | "insert" | "delete"
    old: object | None = None       # the old draft's w:p
    new: object | None = None       # the new draft's w:p
    edits: tuple = ()               # for "same": Edit(start, end, text) from old to new text


class Redliner:
    """Writes merged steps into the new draft's main document, in place."""

    def __init__(self, package: Package, author: str, date: str = DEFAULT_DATE) -> None:
        self.root = package.xml(package.main)
        self.body = self.root.find(W_NS + "body")
        self.rev = Revisions(self.root, author, date)
        self.styles, self.nums = known_ids(package)
        self._whole: dict = {}
        self._cells: dict = {}          # old w:tc -> new w:tc, and old w:tr -> new w:tr
        self._inserted: set = set()     # new paragraphs marked inserted
        self._copies: set = set()       # old paragraphs copied in, marked deleted

    def apply(self, steps: list[Step]) -> int:
        """Track every step and settle the paragraph marks; return how many marks are left
        that consult's resolver cannot resolve (see marks.py).

        Deleted paragraphs keep their order with the paragraphs both drafts have (``lo``
        before them, ``hi`` after); inserted paragraphs do not bind them, as each kind
        vanishes in the other view.
        """
        deleted = {s.old for s in steps if s.kind == "delete"}
        inserted = self._inserted = {s.new for s in steps if s.kind == "insert"}
        following, anchors = _following(steps, {"same", "insert"}), _following(steps, {"same"})
        self._cells = _cell_map(steps)
        cursor = lo = None
        done: set = set()
        for k, step in enumerate(steps):
            if step.kind == "same":
                track_paragraph(step.new, step.old, step.edits, self.rev)
                cursor = lo = step.new
            elif step.kind == "insert":
                mark_paragraph(step.new, "ins", self.rev)
                cursor = step.new
            else:
                prev = cursor if lo is None or (cursor is not None and
                                                _path(lo) <= _path(cursor)) else lo
                placed = self._delete(step.old, deleted, done, (prev, lo, following[k],
                                                                anchors[k]))
                if placed is not None:
                    cursor = lo = placed
        rows = [row_of(s.new) for s in steps if s.kind == "insert"]
        for tr in dict.fromkeys(r for r in rows if r is not None):
            if all(q in inserted for q in body_paragraphs(tr)):
                mark_row(tr, "ins", self.rev)
        return settle(self.body, self.rev)

    def _all_in(self, block, chosen: set) -> bool:
        if block not in self._whole:
            self._whole[block] = all(q in chosen for q in body_paragraphs(block))
        return self._whole[block]

    def _delete(self, old_p, deleted: set, done: set, near: tuple):
        """Copy the old paragraph (or its whole row or table) in; its last paragraph, or
        None when it was copied with its row or table already."""
        prev, lo, nxt, hi = near
        if any(a in done for a in old_p.iterancestors()):
            return None
        unit = self._unit(old_p, deleted)
        if unit is not None and unit.tag == W_NS + "tbl":
            places = _block_places(prev, nxt, hi, self.body)
            safe = [p for p in places if not self._strands(p)]
            return self._put(unit, done, self._where(safe, lo, hi, fallback=False)
                             or self._where(places, lo, hi))
        if unit is not None:
            depth = _depth(unit)
            places = [(_row_at(x, depth), after) for x, after in ((prev, True), (nxt, False))
                      if x is not None and _row_at(x, depth) is not None]
            where = self._where(places, lo, hi, fallback=False)
            if where is not None:
                return self._put(unit, done, where)
        places = []
        cell = self._new_cell(old_p)
        if cell is not None:
            places += [(x, True) for x in (lo, prev) if x is not None and cell_of(x) is cell]
            places.append(_cell_start(cell))
        places += _paragraph_places(in_table(old_p), prev, nxt, self.body)
        return self._put(old_p, set(), self._where(places, lo, hi))

    def _unit(self, old_p, deleted: set):
        """The outermost body-level table or row around old_p whose paragraphs all go."""
        for node in reversed(list(old_p.iterancestors(W_NS + "tbl", W_NS + "tr"))):
            top_level = node.tag == W_NS + "tr" or node.getparent().tag == W_NS + "body"
            if top_level and self._all_in(node, deleted):
                return node
        return None

    def _where(self, places: list, lo, hi, fallback: bool = True):
        """The first place between lo and hi; else right after lo (or before hi)."""
        for place in places:
            if _fits(place, lo, hi):
                return place
        if not fallback:
            return None
        return (lo, True) if lo is not None else (hi, False) if hi is not None \
            else (self.body, False)

    def _strands(self, place: tuple) -> bool:
        """Whether a block put at ``place`` would end a run of paragraphs that are all
        inserted or all deleted: no mark there could be resolved (see ``settle``)."""
        anchor, after = place
        if anchor.tag in (W_NS + "body", W_NS + "tc"):
            return False
        node, kinds = anchor if after else anchor.getprevious(), set()
        while node is not None and (node.tag == W_NS + "p" or node.tag in BETWEEN):
            if node.tag == W_NS + "p":
                kinds.add("ins" if node in self._inserted else
                          "del" if node in self._copies else "")
            node = node.getprevious()
        return kinds in ({"ins"}, {"del"})

    def _new_cell(self, old_p):
        """The new draft's cell that stands for old_p's cell: by matched paragraphs, else the
        cell at the same place in the matched row."""
        tc = cell_of(old_p)
        if tc is None or tc in self._cells:
            return self._cells.get(tc)
        new_tr = self._cells.get(tc.getparent())
        if new_tr is None:
            return None
        cells = [c for c in new_tr if c.tag == W_NS + "tc"]
        k = [c for c in tc.getparent() if c.tag == W_NS + "tc"].index(tc)
        return cells[k] if k < len(cells) else None

    def _put(self, unit, done: set, where: tuple):
        done.add(unit)
        node = deleted_copy(unit, self.rev, self.styles, self.nums)
        self._copies.update([node] if node.tag == W_NS + "p" else body_paragraphs(node))
        anchor, after = where
        if anchor is self.body:
            self.body.insert(0, node)
        elif anchor.tag == W_NS + "tc":
            anchor.append(node)
        elif after:
            anchor.addnext(node)
        else:
            anchor.addprevious(node)
        return node if node.tag == W_NS + "p" else list(body_paragraphs(node))[-1]


def known_ids(package: Package) -> tuple[set[str], set[str]]:
    """The style ids and numbering ids the package defines."""
    styles, nums = set(), set()
    part = package.related(package.main, "/styles")
    if part:
        styles = {s.get(qn("w:styleId")) for s in package.xml(part).iter(W_NS + "style")}
    part = package.related(package.main, "/numbering")
    if part:
        nums = {n.get(qn("w:numId")) for n in package.xml(part).iter(W_NS + "num")}
    return styles, nums


def _cell_map(steps: list[Step]) -> dict:
    """Old cells and rows -> new ones, from paragraphs found in both drafts."""
    out = {}
    for step in steps:
        if step.kind == "same" and cell_of(step.old) is not None and cell_of(step.new) is not None:
            out.setdefault(cell_of(step.old), cell_of(step.new))
            out.setdefault(row_of(step.old), row_of(step.new))
    return out


def _cell_start(tc) -> tuple:
    """Where content goes to come first in a cell: before its first block."""
    first = next((c for c in tc if c.tag != W_NS + "tcPr"), None)
    return (first, False) if first is not None else (tc, True)


def _following(steps: list[Step], kinds: set[str]) -> list:
    """For each step, the new draft's paragraph of the next step of one of ``kinds``."""
    out, nxt = [None] * len(steps), None
    for k in range(len(steps) - 1, -1, -1):
        out[k] = nxt
        if steps[k].kind in kinds:
            nxt = steps[k].new
    return out


def _block_places(prev, nxt, hi, body) -> list:
    """Where a body-level block may go: after prev's block, before the next paragraph's or
    the next kept paragraph's, or first."""
    places = [(top_block(prev), True)] if prev is not None else []
    places += [(top_block(x), False) for x in (nxt, hi) if x is not None]
    return places + [(body, False)]


def _paragraph_places(old_in_table: bool, prev, nxt, body) -> list:
    """Where a deleted paragraph may go, best first, by where it was and its neighbours."""
    places = []
    if old_in_table:
        places += [(nxt, False)] if nxt is not None and in_table(nxt) else []
        places += [(prev, True)] if prev is not None and in_table(prev) else []
    if prev is not None:
        places.append((top_block(prev), True) if in_table(prev) else (prev, True))
    if nxt is not None:
        places.append((top_block(nxt), False) if in_table(nxt) else (nxt, False))
    return places + [(body, False)]


def _fits(place: tuple, lo, hi) -> bool:
    """Whether content put at ``place`` comes after ``lo`` and before ``hi``."""
    anchor, after = place
    if anchor.tag == W_NS + "body":
        key = _path(anchor) + [-1]
    else:
        key = _path(anchor) + [INF if after or anchor.tag == W_NS + "tc" else -1]
    return ((lo is None or _path(lo) + [INF] <= key)
            and (hi is None or key <= _path(hi) + [-1]))


def _path(node) -> list:
    """Child indices from the root down to ``node``: document order, ancestors first."""
    out = []
    while node.getparent() is not None:
        out.append(node.getparent().index(node))
        node = node.getparent()
    return out[::-1]


def table_place(p) -> tuple[int, int]:
    """(how many tables hold ``p``, the column of its cell or -1): paragraphs pair only
    with paragraphs in the same place."""
    depth = sum(1 for _ in p.iterancestors(W_NS + "tbl"))
    tc = cell_of(p)
    column = -1 if tc is None else [c for c in tc.getparent() if c.tag == W_NS + "tc"].index(tc)
    return depth, column


def top_block(p):
    """The child of the body that holds ``p``."""
    node = p
    while node.getparent() is not None and node.getparent().tag != W_NS + "body":
        node = node.getparent()
    return node


def _depth(node) -> int:
    return sum(1 for _ in node.iterancestors(W_NS + "tbl"))


def _row_at(p, depth: int):
    """The row holding ``p`` inside ``depth`` tables (None when there is none)."""
    return next((tr for tr in p.iterancestors(W_NS + "tr") if _depth(tr) == depth), None)


def cell_of(p):
    """The nearest w:tc holding ``p`` (None for None or outside tables)."""
    node = p.getparent() if p is not None else None
    while node is not None and node.tag != W_NS + "tc":
        node = node.getparent()
    return node


__all__ = ["Step", "Redliner", "DEFAULT_DATE", "known_ids", "settle", "table_place"]
