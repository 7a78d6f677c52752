"""Accept or reject tracked changes in a WordprocessingML tree, in place."""
from __future__ import annotations

from typing import Callable

from .ns import W, qn

W_NS = f"{{{W}}}"
Decide = Callable[[object], str]        # revision element -> "accept" | "reject" | "leave"
PR_CHANGES = ("rPrChange", "pPrChange", "sectPrChange", "tblPrChange", "trPrChange",
              "tcPrChange", "tblPrExChange", "tblGridChange", "numberingChange")
KEEP_ON_REJECT = {"pPr": {"rPr", "sectPr", "pPrChange"},
                  "rPr": {"ins", "del", "moveFrom", "moveTo", "rPrChange"},
                  "trPr": {"ins", "del", "trPrChange"},
                  "tcPr": {"cellIns", "cellDel", "cellMerge", "tcPrChange"},
                  "sectPr": {"headerReference", "footerReference", "sectPrChange"}}
RANGE_MARKERS = ("moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart",
                 "moveToRangeEnd")


def accept_all(_el) -> str:
    return "accept"


def reject_all(_el) -> str:
    return "reject"


def resolve(root, decide: Decide = accept_all) -> int:
    """Apply ``decide`` to every revision under ``root``; return how many were resolved."""
    count = _content(root, decide)
    count += _property_changes(root, decide)
    count += _paragraph_marks(root, decide)
    count += _rows(root, decide)
    _drop_orphan_move_ranges(root)
    return count


def _content(root, decide: Decide) -> int:
    count = 0
    for name, insert_like in (("ins", True), ("moveTo", True), ("del", False),
                              ("moveFrom", False)):
        for el in list(root.iter(W_NS + name)):
            parent = el.getparent()
            if parent is None or parent.tag in (W_NS + "rPr", W_NS + "trPr", W_NS + "numPr",
                                                W_NS + "tcPr"):
                continue
            choice = decide(el)
            if choice == "leave":
                continue
            keep = (choice == "accept") == insert_like
            if keep:
                if not insert_like:
                    _undelete(el)
                _unwrap(el)
            else:
                parent.remove(el)
            count += 1
    return count


def _undelete(el) -> None:
    for t in el.iter(W_NS + "delText"):
        t.tag = W_NS + "t"
    for t in el.iter(W_NS + "delInstrText"):
        t.tag = W_NS + "instrText"


def _unwrap(el) -> None:
    parent = el.getparent()
    index = parent.index(el)
    for child in reversed(list(el)):
        parent.insert(index, child)
    parent.remove(el)


def _property_changes(root, decide: Decide) -> int:
    count = 0
    for name in PR_CHANGES:
        for change in list(root.iter(W_NS + name)):
            props = change.getparent()
            choice = decide(change)
            if choice == "leave":
                continue
            if choice == "reject":
                _restore(props, change)
            props.remove(change)
            count += 1
    return count


def _restore(props, change) -> None:
    """Put the old properties recorded in ``change`` back into ``props``."""
    if change.tag == W_NS + "numberingChange":
        return
    old = next(iter(change), None)
    keep = KEEP_ON_REJECT.get(props.tag[len(W_NS):], {change.tag[len(W_NS):]})
    for child in list(props):
        if child.tag[len(W_NS):] not in keep and child is not change:
            props.remove(child)
    if old is None:
        return
    index = 0
    for child in list(old):
        props.insert(index, child)
        index += 1


def duplicate_revision_ids(root) -> int:
    """How many revision w:id values under ``root`` more than one revision uses."""
    names = [W_NS + n for n in PR_CHANGES + ("ins", "del", "moveFrom", "moveTo", "cellIns",
                                               "cellDel", "cellMerge")]
    seen: dict[str, int] = {}
    for e in root.iter(*names):
        v = e.get(qn("w:id"))
        if v is not None:
            seen[v] = seen.get(v, 0) + 1
    return sum(1 for n in seen.values() if n > 1)


def gone_when_accepted(el) -> bool:
    """Whether accepting every change takes paragraph ``el``'s mark (a deleted or moved-away
    mark, also if inserted: it joins the next paragraph) or table row ``el`` (a deleted row,
    also if inserted) away: the accepted view ``resolve(root, accept_all)`` gives."""
    props = el.find(f"{W_NS}pPr/{W_NS}rPr") if el.tag == W_NS + "p" else el.find(W_NS + "trPr")
    return props is not None and any(props.find(W_NS + n) is not None
                                     for n in ("del", "moveFrom"))


def _paragraph_marks(root, decide: Decide) -> int:
    count = 0
    for p in list(root.iter(W_NS + "p")):
        rpr = p.find(f"{W_NS}pPr/{W_NS}rPr")
        if rpr is None:
            continue
        gone = False        # a mark inserted and deleted is gone when either is resolved so
        for name, insert_like in (("ins", True), ("moveTo", True), ("del", False),
                                  ("moveFrom", False)):
            mark = rpr.find(W_NS + name)
            if mark is None:
                continue
            choice = decide(mark)
            if choice == "leave":
                continue
            rpr.remove(mark)
            gone = gone or (choice == "accept") != insert_like
            count += 1
        if gone:
            merge_with_next(p)
    return count


def next_paragraph(p):
    """The paragraph that ``p`` merges into when its mark goes (None at a cell's or body's end)."""
    nxt = p.getnext()
    while nxt is not None and nxt.tag in (W_NS + "bookmarkStart", W_NS + "bookmarkEnd",
                                          W_NS + "commentRangeStart", W_NS + "commentRangeEnd",
                                          W_NS + "moveFromRangeStart", W_NS + "moveFromRangeEnd",
                                          W_NS + "moveToRangeStart", W_NS + "moveToRangeEnd",
                                          W_NS + "proofErr", W_NS + "permStart", W_NS + "permEnd"):
        nxt = nxt.getnext()
    return nxt if nxt is not None and nxt.tag == W_NS + "p" else None


def merge_with_next(p) -> None:
    """Remove the mark of ``p``: its content joins the next paragraph, which keeps its mark."""
    nxt = next_paragraph(p)
    if nxt is None:
        return
    content = [c for c in p if c.tag != W_NS + "pPr"]
    ppr = nxt.find(W_NS + "pPr")
    index = 0 if ppr is None else nxt.index(ppr) + 1
    for child in content:
        nxt.insert(index, child)
        index += 1
    sect = p.find(f"{W_NS}pPr/{W_NS}sectPr")
    if sect is not None and nxt.find(f"{W_NS}pPr/{W_NS}sectPr") is None:
        return
    p.getparent().remove(p)


def _rows(root, decide: Decide) -> int:
    count = 0
    for tr in list(root.iter(W_NS + "tr")):
        trpr = tr.find(W_NS + "trPr")
        if trpr is None:
            continue
        for name, insert_like in (("ins", True), ("del", False)):
            mark = trpr.find(W_NS + name)
            if mark is None:
                continue
            choice = decide(mark)
            if choice == "leave":
                continue
            trpr.remove(mark)
            if (choice == "accept") != insert_like:
                tbl = tr.getparent()
                tbl.remove(tr)
            count += 1
    for tc_change in ("cellIns", "cellDel", "cellMerge"):
        for el in list(root.iter(W_NS + tc_change)):
            if decide(el) != "leave":
                el.getparent().remove(el)
                count += 1
    for numpr in root.iter(W_NS + "numPr"):
        mark = numpr.find(W_NS + "ins")
        if mark is not None and decide(mark) != "leave":
            numpr.remove(mark)
            count += 1
    return count


def _drop_orphan_move_ranges(root) -> None:
    """Remove move range markers whose moves are all resolved."""
    live = {el.get(qn("w:id")) for name in ("moveFrom", "moveTo")
            for el in root.iter(W_NS + name)}
    if live:
        return
    for name in RANGE_MARKERS:
        for el in list(root.iter(W_NS + name)):
            el.getparent().remove(el)


def has_revisions(root) -> bool:
    """True when any tracked change is present."""
    names = ("ins", "del", "moveFrom", "moveTo") + PR_CHANGES
    return any(next(root.iter(W_NS + n), None) is not None for n in names)


def complete_property_changes(root) -> int:
    """Give each w:rPrChange / w:pPrChange without its old properties an empty w:rPr /
    w:pPr (LibreOffice leaves them out; the schema needs them): return how many."""
    count = 0
    for change, child in (("rPrChange", "rPr"), ("pPrChange", "pPr")):
        for el in root.iter(W_NS + change):
            if el.find(W_NS + child) is None:
                el.append(el.makeelement(W_NS + child, {}))
                count += 1
    return count
