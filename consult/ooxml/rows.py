"""Table rows as tracked changes: a row inserted or deleted, and a row copied from a return
with its marks credited afresh."""
from __future__ import annotations

import copy

from lxml import etree

from .build import el
from .ns import qn
from .edit import REVISIONS, inserted_runs, mark_paragraph
from .order import insert_ordered
from .textview import W_NS


def row_of(p):
    """The w:tr holding paragraph ``p`` (None outside tables)."""
    node = p.getparent()
    while node is not None and node.tag != W_NS + "tr":
        node = node.getparent()
    return node


def mark_row(tr, name: str, attrs: dict) -> None:
    """Mark a table row as inserted or deleted (w:trPr/w:ins|w:del)."""
    trpr = tr.find(W_NS + "trPr")
    if trpr is None:
        trpr = el("w:trPr")
        tblpr_ex = tr.find(W_NS + "tblPrEx")
        tr.insert(0 if tblpr_ex is None else tr.index(tblpr_ex) + 1, trpr)
    if trpr.find(W_NS + "ins") is None and trpr.find(W_NS + "del") is None:
        insert_ordered(trpr, el(f"w:{name}", attrs))


def inserted_row(model_tr, cells: list[str], attrs: dict, next_attrs) -> object:
    """A new row shaped like ``model_tr`` holding ``cells`` as inserted text."""
    tr = copy.deepcopy(model_tr)
    for child in list(tr):
        if child.tag not in (W_NS + "tblPrEx", W_NS + "trPr", W_NS + "tc"):
            tr.remove(child)
    _drop_word_ids(tr)
    trpr = tr.find(W_NS + "trPr")
    if trpr is not None:
        for name in ("ins", "del", "trPrChange"):
            for old in trpr.findall(W_NS + name):
                trpr.remove(old)
    mark_row(tr, "ins", attrs)
    tcs = tr.findall(W_NS + "tc")
    texts = cells[: len(tcs)] + [""] * (len(tcs) - len(cells))
    if len(cells) > len(tcs) and tcs:
        texts[-1] = "\t".join(cells[len(tcs) - 1:])
    for tc, text in zip(tcs, texts):
        first = tc.find(W_NS + "p")
        ppr = copy.deepcopy(first.find(W_NS + "pPr")) if first is not None else None
        for child in list(tc):
            if child.tag != W_NS + "tcPr":
                tc.remove(child)
        p = el("w:p")
        if ppr is not None:
            for change in ppr.findall(W_NS + "pPrChange"):
                ppr.remove(change)
            p.append(ppr)
        if text:
            p.append(inserted_runs(text, None, next_attrs()))
        mark_paragraph(p, "ins", next_attrs())
        tc.append(p)
    return tr


def credited_row(row_xml: str, next_attrs) -> object:
    """A row copied from a return, its revisions re-credited and its markers removed."""
    return credited(etree.fromstring(row_xml), next_attrs)


def credited(tr, next_attrs):
    """``tr`` (content copied from a return: a row, a run with a shape) with its revisions
    re-credited and its comment marks, bookmarks and Word's own ids removed."""
    for name in ("commentRangeStart", "commentRangeEnd", "bookmarkStart", "bookmarkEnd",
                 "permStart", "permEnd", "proofErr"):
        for node in list(tr.iter(W_NS + name)):
            node.getparent().remove(node)
    for ref in list(tr.iter(W_NS + "commentReference")):
        run = ref.getparent()
        run.getparent().remove(run)
    _drop_word_ids(tr)
    recredit(tr, next_attrs)
    return tr


def recredit(tree, next_attrs) -> None:
    """Give every revision in ``tree`` (copied from a return) a fresh id and the group's
    author and date (``next_attrs()``); a table grid change, which has only an id, a fresh id.
    Other attributes (a merge's w:vMerge, a numbering change's w:original) stay."""
    for node in tree.iter(*(W_NS + n for n in REVISIONS)):
        for key in ("w:id", "w:author", "w:date"):
            node.attrib.pop(qn(key), None)
        for key, value in next_attrs().items():
            node.set(qn(key), str(value))
    for node in tree.iter(W_NS + "tblGridChange"):
        node.set(qn("w:id"), str(next_attrs()["w:id"]))


def _drop_word_ids(tree) -> None:
    """Remove Word's own ids (w14:paraId, w14:textId) from a copy: they must stay unique."""
    for node in tree.iter():
        for key in list(node.attrib):
            if key.startswith("{http://schemas.microsoft.com/office/word/"):
                del node.attrib[key]
