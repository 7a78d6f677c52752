"""Settle inserted and deleted paragraph marks so that each one can be resolved.

A mark joins its paragraph to the next one when it is rejected (or accepted, for a
deletion), so the last paragraph of a run (before a table, at the end of the body or of a
cell) must not carry one. ``settle`` moves such a mark onto the paragraph before, recording
in w:pPrChange the properties that paragraph had, or joins the last deleted and inserted
paragraphs of the run into one. Where neither can be done (every paragraph between two
tables inserted, or deleted), consult's resolver keeps an empty paragraph; Word does not.
"""
from __future__ import annotations

import copy

from .build import el
from .order import insert_ordered
from .textview import W_NS, mark_state
from .track import Revisions, ensure_ppr, mark_only, node_key, ppr_base

# What may stand between a paragraph and the next without stopping a merge (revisions.py).
BETWEEN = {W_NS + n for n in (
    "bookmarkStart", "bookmarkEnd", "commentRangeStart", "commentRangeEnd",
    "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd",
    "proofErr", "permStart", "permEnd")}
MARKED = ("ins", "del")


def settle(body, rev: Revisions) -> int:
    """Move marks off the last paragraph of each run of paragraphs (see the module doc);
    return how many runs kept a mark that consult's resolver cannot resolve."""
    containers = []
    for p in body.iter(W_NS + "p"):
        if mark_state(p)[0] in MARKED and p.getparent() not in containers:
            containers.append(p.getparent())
    return sum(not _settle_run(run, rev) for container in containers
               for run in _paragraph_runs(container))


def _paragraph_runs(container) -> list[list]:
    runs, current = [], []
    for child in container:
        if child.tag == W_NS + "p":
            current.append(child)
        elif child.tag not in BETWEEN and current:
            runs.append(current)
            current = []
    return runs + ([current] if current else [])


def _settle_run(run: list, rev: Revisions) -> bool:
    """Settle the tail of one run; False when its last mark cannot be moved."""
    tail = []
    for p in reversed(run):
        if mark_state(p)[0] not in MARKED:
            break
        tail.insert(0, p)
    if not tail or _in_marked_row(tail[-1]):
        return True
    last = tail[-1]
    state = mark_state(last)[0]
    other = next((p for p in reversed(tail) if mark_state(p)[0] != state), None)
    if other is not None:
        _merge_into(other, last, state, rev)
        return True
    keeper = run[len(run) - len(tail) - 1] if len(tail) < len(run) else None
    if keeper is None or keeper.find(f"{W_NS}pPr/{W_NS}sectPr") is not None:
        return False
    if state == "ins":
        _set_change(last, _rejected_base(keeper), rev)
    else:
        _set_change(last, _swap_base(last, ppr_base(keeper)), rev)
    _unmark(last)
    mark_only(keeper, state, rev)
    return True


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


__all__ = ["settle", "BETWEEN", "MARKED"]
