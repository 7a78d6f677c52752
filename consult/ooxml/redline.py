"""A redline: the new draft with its differences from the old one as tracked changes.

Paragraphs of the old draft that the new one lacks are copied in, marked deleted, after the
paragraph that precedes them in the merged order. A whole deleted table or row is copied as
one (rows marked deleted). Inserted and deleted paragraph marks follow Word's model: a mark
joins its paragraph to the next one when it is rejected (or accepted, for a deletion), so the
last paragraph before a table, or at the end of the body or of a cell, never carries one;
``settle`` moves such a mark onto the paragraph before and records the properties that
paragraph had in a w:pPrChange.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

from .build import el
from .ns import qn
from .order import insert_ordered
from .package import Package
from .textview import W_NS, body_paragraphs, in_table, mark_state
from .track import (DEFAULT_DATE, Revisions, deleted_copy, ensure_ppr, mark_only,
                    mark_paragraph, mark_row, node_key, ppr_base, track_paragraph)

# What may stand between a paragraph and the next without stopping a merge (revisions.py).
BETWEEN = {W_NS + n for n in (
    "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "proofErr", "permStart", "permEnd")}
MARKED = ("ins", "del")


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

    def apply(self, steps: list[Step]) -> None:
        """Track every step, then settle paragraph marks that could not be resolved."""
        deleted = {s.old for s in steps if s.kind == "delete"}
        inserted = {s.new for s in steps if s.kind == "insert"}
        following = _following(steps)
        self._cells = _cell_map(steps)
        cursor, done = None, set()
        for k, step in enumerate(steps):
            if step.kind == "same":
                track_paragraph(step.new, step.old, step.edits, self.rev)
                cursor = step.new
            elif step.kind == "insert":
                self._insert(step.new, inserted)
                cursor = step.new
            else:
                cursor = self._delete(step.old, deleted, done, cursor, following[k])
        settle(self.body, self.rev)

    def _insert(self, p, inserted: set) -> None:
        mark_paragraph(p, "ins", self.rev)
        tr = row_of(p)
        if tr is not None and self._all_in(tr, inserted):
            mark_row(tr, "ins", self.rev)

    def _all_in(self, block, chosen: set) -> bool:
        if block not in self._whole:
            self._whole[block] = all(q in chosen for q in body_paragraphs(block))
        return self._whole[block]

    def _delete(self, old_p, deleted: set, done: set, prev, nxt):
        """Copy the old paragraph (or its whole row or table) in; return the new cursor."""
        top, tr = top_block(old_p), row_of(old_p)
        for unit in (top, tr):
            if unit is not None and unit in done:
                return prev
        if top.tag == W_NS + "tbl" and self._all_in(top, deleted):
            return self._put(top, done, _after_block(prev, nxt, self.body))
        if tr is not None and self._all_in(tr, deleted):
            where = _near_row(prev, nxt)
            if where is not None:
                return self._put(tr, done, where)
        cell = self._new_cell(old_p)
        if cell is not None:
            where = (prev, True) if cell_of(prev) is cell else _cell_start(cell)
            return self._put(old_p, set(), where)
        return self._put(old_p, set(), _near_paragraph(in_table(old_p), prev, nxt, self.body))

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


def _following(steps: list[Step]) -> list:
    """For each step, the new draft's paragraph of the next step that has one."""
    out, nxt = [None] * len(steps), None
    for k in range(len(steps) - 1, -1, -1):
        out[k] = nxt
        if steps[k].new is not None:
            nxt = steps[k].new
    return out


def _after_block(prev, nxt, body) -> tuple:
    """Where a body-level block goes: after prev's block, before next's, or first."""
    if prev is not None:
        return top_block(prev), True
    if nxt is not None:
        return top_block(nxt), False
    return body, False


def _near_row(prev, nxt) -> tuple | None:
    if prev is not None and row_of(prev) is not None:
        return row_of(prev), True
    if nxt is not None and row_of(nxt) is not None:
        return row_of(nxt), False
    return None


def _near_paragraph(old_in_table: bool, prev, nxt, body) -> tuple:
    if old_in_table:
        if nxt is not None and in_table(nxt):
            return nxt, False
        if prev is not None and in_table(prev):
            return prev, True
    if prev is not None:
        return (top_block(prev), True) if in_table(prev) else (prev, True)
    if nxt is not None:
        return (top_block(nxt), False) if in_table(nxt) else (nxt, False)
    return body, False


def table_depth(p) -> int:
    """How many tables hold ``p``."""
    return sum(1 for node in p.iterancestors(W_NS + "tbl"))


def top_block(p):
    """The child of the body that holds ``p``."""
    node = p
    while node.getparent() is not None and node.getparent().tag != W_NS + "body":
        node = node.getparent()
    return node


def cell_of(p):
    """The nearest w:tc holding ``p`` (None for None or outside tables)."""
    node = p.getparent() if p is not None else None
    while node is not None and node.tag != W_NS + "tc":
        node = node.getparent()
    return node


def row_of(p):
    """The nearest w:tr holding ``p``, or None."""
    node = p.getparent()
    while node is not None and node.tag != W_NS + "tr":
        node = node.getparent()
    return node


# -- settling paragraph marks ----------------------------------------------------------------
def settle(body, rev: Revisions) -> None:
    """Move marks off the last paragraph of each run of paragraphs (see the module doc)."""
    containers = []
    for p in body.iter(W_NS + "p"):
        if mark_state(p)[0] in MARKED and p.getparent() not in containers:
            containers.append(p.getparent())
    for container in containers:
        for run in _paragraph_runs(container):
            _settle_run(run, rev)


def _paragraph_runs(container) -> list[list]:
    runs, current = [], []
    for child in container:
        if child.tag == W_NS + "p":
            current.append(child)
        elif child.tag not in BETWEEN and current:
            runs.append(current)
            current = []
    return runs + ([current] if current else [])


def _settle_run(run: list, rev: Revisions) -> None:
    tail = []
    for p in reversed(run):
        if mark_state(p)[0] not in MARKED:
            break
        tail.insert(0, p)
    if not tail or _in_marked_row(tail[-1]):
        return
    last = tail[-1]
    state = mark_state(last)[0]
    other = next((p for p in reversed(tail) if mark_state(p)[0] != state), None)
    if other is not None:
        _merge_into(other, last, state, rev)
        return
    keeper = run[len(run) - len(tail) - 1] if len(tail) < len(run) else None
    if keeper is None or keeper.find(f"{W_NS}pPr/{W_NS}sectPr") is not None:
        return
    if state == "ins":
        _set_change(last, _rejected_base(keeper), rev)
    else:
        _set_change(last, _swap_base(last, ppr_base(keeper)), rev)
    _unmark(last)
    mark_only(keeper, state, rev)


def _merge_into(other, last, state: str, rev: Revisions) -> None:
    """Join ``other`` (the last paragraph of the opposite state) to the start of ``last``."""
    if state == "ins":
        _set_change(last, ppr_base(other), rev)
    else:
        _set_change(last, _swap_base(last, ppr_base(other)), rev)
    _unmark(last)
    ppr = last.find(W_NS + "pPr")
    index = 0 if ppr is None else last.index(ppr) + 1
    for child in [c for c in other if c.tag != W_NS + "pPr"]:
        last.insert(index, child)
        index += 1
    other.getparent().remove(other)


def _rejected_base(p) -> list:
    """The paragraph properties ``p`` shows when every change is rejected."""
    change = p.find(f"{W_NS}pPr/{W_NS}pPrChange/{W_NS}pPr")
    return list(change) if change is not None else ppr_base(p)


def _swap_base(p, base: list) -> list:
    """Give ``p`` copies of ``base`` as its properties; return copies of its old ones."""
    old = [copy.deepcopy(c) for c in ppr_base(p)]
    ppr = ensure_ppr(p)
    for child in ppr_base(p):
        ppr.remove(child)
    for index, child in enumerate(base):
        ppr.insert(index, copy.deepcopy(child))
    return old


def _set_change(p, old: list, rev: Revisions) -> None:
    """Record ``old`` as the properties ``p`` had (nothing when they are its own)."""
    ppr = ensure_ppr(p)
    for change in ppr.findall(W_NS + "pPrChange"):
        ppr.remove(change)
    if [node_key(c) for c in old] == [node_key(c) for c in ppr_base(p)]:
        return
    insert_ordered(ppr, el("w:pPrChange", rev.attrs(),
                           el("w:pPr", None, *[copy.deepcopy(c) for c in old])))


def _unmark(p) -> None:
    rpr = p.find(f"{W_NS}pPr/{W_NS}rPr")
    if rpr is None:
        return
    for child in [c for c in rpr if c.tag in (W_NS + "ins", W_NS + "del")]:
        rpr.remove(child)
    if not len(rpr):
        rpr.getparent().remove(rpr)


def _in_marked_row(p) -> bool:
    node = p.getparent()
    while node is not None and node.tag != W_NS + "body":
        if node.tag == W_NS + "tr" and (node.find(f"{W_NS}trPr/{W_NS}ins") is not None or
                                        node.find(f"{W_NS}trPr/{W_NS}del") is not None):
            return True
        node = node.getparent()
    return False


__all__ = ["Step", "Redliner", "DEFAULT_DATE", "known_ids", "settle", "table_depth"]
