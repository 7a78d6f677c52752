"""Write tracked changes into a paragraph: w:ins, w:del, w:rPrChange, w:pPrChange, marks."""
from __future__ import annotations

import copy
from typing import Sequence

from .build import el, text_run
from . import rows
from .edit import ParagraphEditor
from .ns import NS, qn
from .order import ensure, insert_ordered
from .textview import W_NS, body_paragraphs, segments

DEFAULT_DATE = "2026-01-01T00:00:00Z"
W_ID = qn("w:id")
R_NS = f"{{{NS['r']}}}"
W14_IDS = (f"{{{NS['w14']}}}paraId", f"{{{NS['w14']}}}textId")
WRAPPERS = {W_NS + n for n in ("ins", "del", "moveFrom", "moveTo")}
PPR_NOT_BASE = {W_NS + n for n in ("rPr", "sectPr", "pPrChange")}
RPR_NOT_BASE = {W_NS + n for n in ("ins", "del", "moveFrom", "moveTo", "rPrChange")}
RPR_NOT_COMPARED = {W_NS + n for n in ("lang", "noProof")}   # Word sets these by itself
DROPPED_IN_COPIES = {W_NS + n for n in (
    "commentRangeStart", "commentRangeEnd", "bookmarkStart", "bookmarkEnd", "permStart",
    "permEnd", "moveFromRangeStart", "moveFromRangeEnd", "moveToRangeStart", "moveToRangeEnd")}
REFERENCES = {W_NS + n for n in ("commentReference", "footnoteReference", "endnoteReference")}
PICTURES = {W_NS + n for n in ("drawing", "pict", "object")}


class Revisions:
    """Attributes for new revision elements: one author and date, ids counting up."""

    def __init__(self, root, author: str, date: str = DEFAULT_DATE) -> None:
        self.author, self.date = author, date
        self.next_id = max_id(root) + 1

    def attrs(self) -> dict:
        rid, self.next_id = self.next_id, self.next_id + 1
        return {"w:id": rid, "w:author": self.author, "w:date": self.date}


def max_id(root) -> int:
    """The largest numeric w:id under ``root`` (0 when there is none)."""
    values = (e.get(W_ID) for e in root.iter() if isinstance(e.tag, str))
    return max((int(v) for v in values if v and v.lstrip("-").isdigit()), default=0)


# -- paragraphs in both drafts -------------------------------------------------------------
def track_paragraph(new_p, old_p, edits: Sequence, rev: Revisions) -> None:
    """Mark in ``new_p`` how it differs from ``old_p``: text, run and paragraph formatting."""
    inserted, deleted, equal = _spans(edits)
    formats = _format_ranges(new_p, old_p, equal)
    cuts = {k for a, b in inserted for k in (a, b)} | {k for k, _s, _e in deleted}
    cuts |= {k for a, b, _r in formats for k in (a, b)}
    ParagraphEditor(new_p).cut(cuts)
    for a, b in inserted:
        wrap_runs(_runs_in(new_p, a, b), "w:ins", rev)
    for a, b, old_rpr in formats:
        for run in _runs_in(new_p, a, b):
            _record_format(run, old_rpr, rev)
    for k, start, end in reversed(deleted):
        _place_at(new_p, k, el("w:del", rev.attrs(), *deleted_runs(old_p, start, end)))
    track_paragraph_props(new_p, old_p, rev)


def _spans(edits: Sequence) -> tuple[list, list, list]:
    """Inserted ranges (new offsets), deletions (new offset, old range), equal spans."""
    inserted, deleted, equal = [], [], []
    shift, old_pos = 0, 0
    for e in edits:
        equal.append((old_pos + shift, e.start + shift, old_pos))
        k = e.start + shift
        if e.end > e.start:
            deleted.append((k, e.start, e.end))
        if e.text:
            inserted.append((k, k + len(e.text)))
        shift += len(e.text) - (e.end - e.start)
        old_pos = e.end
    equal.append((old_pos + shift, None, old_pos))
    return inserted, deleted, equal


def _chars(p) -> list:
    """Each character's run, for text outside w:del."""
    return [seg.run for seg in segments(p) if seg.state != "del" for _ in seg.text]


def _format_ranges(new_p, old_p, equal: list) -> list[tuple[int, int, object]]:
    """Ranges of equal text whose run properties differ: (start, end, old w:rPr or None)."""
    new_runs, old_runs = _chars(new_p), _chars(old_p)
    keys: dict = {}

    def key(run) -> tuple:
        if run not in keys:
            keys[run] = rpr_key(run)
        return keys[run]

    out: list[list] = []
    for na, nb, oa in equal:
        nb = len(new_runs) if nb is None else nb
        for i in range(nb - na):
            n_run, o_run = new_runs[na + i], old_runs[oa + i]
            if key(n_run) == key(o_run):
                continue
            if out and out[-1][1] == na + i and out[-1][3] is o_run and out[-1][4] is n_run:
                out[-1][1] += 1
            else:
                out.append([na + i, na + i + 1, o_run.find(W_NS + "rPr"), o_run, n_run])
    return [(a, b, rpr) for a, b, rpr, _o, _n in out]


def rpr_key(run) -> tuple:
    """A run's direct formatting, comparable across documents."""
    rpr = run.find(W_NS + "rPr") if run is not None else None
    if rpr is None:
        return ()
    return tuple(node_key(c) for c in rpr
                 if isinstance(c.tag, str) and c.tag not in RPR_NOT_BASE | RPR_NOT_COMPARED)


def node_key(node) -> tuple:
    """An element as nested tuples: tag, sorted attributes, children."""
    return (node.tag, tuple(sorted(node.attrib.items())),
            tuple(node_key(c) for c in node if isinstance(c.tag, str)))


def _record_format(run, old_rpr, rev: Revisions) -> None:
    rpr = run.find(W_NS + "rPr")
    if rpr is None:
        rpr = el("w:rPr")
        run.insert(0, rpr)
    if rpr.find(W_NS + "rPrChange") is not None:
        return
    old = [copy.deepcopy(c) for c in (old_rpr if old_rpr is not None else [])
           if isinstance(c.tag, str) and c.tag not in RPR_NOT_BASE]
    insert_ordered(rpr, el("w:rPrChange", rev.attrs(), el("w:rPr", None, *old)))


def track_paragraph_props(new_p, old_p, rev: Revisions) -> None:
    """Record ``old_p``'s paragraph properties in w:pPrChange when they differ."""
    old_base, new_base = ppr_base(old_p), ppr_base(new_p)
    if [node_key(c) for c in old_base] == [node_key(c) for c in new_base]:
        return
    ppr = ensure_ppr(new_p)
    if ppr.find(W_NS + "pPrChange") is None:
        change = el("w:pPrChange", rev.attrs(),
                    el("w:pPr", None, *[copy.deepcopy(c) for c in old_base]))
        insert_ordered(ppr, change)


def ppr_base(p) -> list:
    """The paragraph's own properties without mark formatting, section or change record."""
    ppr = p.find(W_NS + "pPr")
    return [] if ppr is None else [c for c in ppr
                                   if isinstance(c.tag, str) and c.tag not in PPR_NOT_BASE]


def ensure_ppr(p):
    """The w:pPr of ``p``, created when missing."""
    ppr = p.find(W_NS + "pPr")
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    return ppr


def _runs_in(p, a: int, b: int) -> list:
    """The runs whose text lies in [a, b) (offsets in text outside w:del; cut first)."""
    runs, pos = [], 0
    for seg in segments(p):
        if seg.state == "del" or not seg.text:
            continue
        end = pos + len(seg.text)
        if a <= pos and end <= b and seg.run not in runs:
            runs.append(seg.run)
        pos = end
    return runs


def _place_at(p, k: int, node) -> None:
    """Put ``node`` before the text at offset ``k`` (outside w:ins), else after the last."""
    pos, last = 0, None
    for seg in segments(p):
        if seg.state == "del" or not seg.text:
            continue
        if pos >= k:
            _outside(seg.run, p).addprevious(node)
            return
        pos += len(seg.text)
        last = seg.run
    if last is not None:
        _outside(last, p).addnext(node)
    else:
        p.append(node)


def _outside(run, p):
    """``run`` or the revision wrapper holding it."""
    node = run
    while node.getparent() is not p and node.getparent().tag in WRAPPERS:
        node = node.getparent()
    return node


def deleted_runs(old_p, start: int, end: int) -> list:
    """Runs of old_p's text [start, end) as deleted runs, each with its old formatting."""
    pieces: list[list] = []
    pos = 0
    for seg in segments(old_p):
        lo, hi = max(start - pos, 0), min(end - pos, len(seg.text))
        pos += len(seg.text)
        if lo >= hi:
            continue
        if pieces and pieces[-1][0] is seg.run:
            pieces[-1][1] += seg.text[lo:hi]
        else:
            pieces.append([seg.run, seg.text[lo:hi]])
    return [_as_deleted(text_run(text, _clean_rpr(run))) for run, text in pieces]


def _clean_rpr(run):
    rpr = run.find(W_NS + "rPr")
    if rpr is None:
        return None
    out = copy.deepcopy(rpr)
    for child in [c for c in out if c.tag in RPR_NOT_BASE]:
        out.remove(child)
    return out


def _as_deleted(run):
    """Turn the run's own w:t / w:instrText into w:delText / w:delInstrText."""
    for child in run:
        if child.tag == W_NS + "t":
            child.tag = W_NS + "delText"
        elif child.tag == W_NS + "instrText":
            child.tag = W_NS + "delInstrText"
    return run


# -- whole paragraphs, rows and tables -------------------------------------------------------
def wrap_runs(runs: list, name: str, rev: Revisions) -> None:
    """Wrap each group of adjacent runs in one w:ins / w:del."""
    groups: list[list] = []
    for run in runs:
        if groups and groups[-1][-1].getnext() is run:
            groups[-1].append(run)
        else:
            groups.append([run])
    for group in groups:
        wrapper = el(name, rev.attrs())
        group[0].addprevious(wrapper)
        for run in group:
            wrapper.append(_as_deleted(run) if name == "w:del" else run)


def own_runs(p) -> list:
    """The runs of ``p`` itself (not of text boxes), outside revision wrappers."""
    out = []
    for run in p.iter(W_NS + "r"):
        node, mine = run.getparent(), True
        while node is not p:
            if node.tag in WRAPPERS or node.tag in (W_NS + "r", W_NS + "p"):
                mine = False
                break
            node = node.getparent()
        if mine:
            out.append(run)
    return out


def mark_paragraph(p, name: str, rev: Revisions) -> None:
    """Mark all of ``p`` inserted ("ins") or deleted ("del"): its runs and its mark."""
    wrap_runs(own_runs(p), f"w:{name}", rev)
    mark_only(p, name, rev)


def mark_only(p, name: str, rev: Revisions) -> None:
    """Mark the paragraph mark of ``p`` (w:pPr/w:rPr/w:ins or w:del)."""
    rpr = ensure(ensure_ppr(p), "rPr")
    for old in [c for c in rpr if c.tag in WRAPPERS]:
        rpr.remove(old)
    insert_ordered(rpr, el(f"w:{name}", rev.attrs()))


def mark_row(tr, name: str, rev: Revisions) -> None:
    """Mark a table row inserted or deleted (w:trPr/w:ins or w:del)."""
    rows.mark_row(tr, name, rev.attrs())


def deleted_copy(block, rev: Revisions, styles: set[str], nums: set[str]):
    """A copy of an old w:p, w:tr or w:tbl with everything in it marked deleted."""
    node = copy.deepcopy(block)
    _detach(node, styles, nums)
    paragraphs = [node] if node.tag == W_NS + "p" else list(body_paragraphs(node))
    for p in paragraphs:
        mark_paragraph(p, "del", rev)
    rows = [node] if node.tag == W_NS + "tr" else list(node.iter(W_NS + "tr"))
    for tr in rows:
        mark_row(tr, "del", rev)
    return node


def _detach(node, styles: set[str], nums: set[str]) -> None:
    """Drop what ties a copy to its own package: comments, notes, pictures, links, ids."""
    for child in [e for e in node.iter() if e.tag in DROPPED_IN_COPIES]:
        child.getparent().remove(child)
    for picture in [e for e in node.iter() if e.tag in PICTURES]:
        run = next((a for a in picture.iterancestors(W_NS + "r")), picture)
        if run.getparent() is not None:
            run.getparent().remove(run)
    for ref in [e for e in node.iter() if e.tag in REFERENCES]:
        run = ref.getparent()
        run.remove(ref)
        if run.tag == W_NS + "r" and all(c.tag == W_NS + "rPr" for c in run):
            run.getparent().remove(run)
    for link in list(node.iter(W_NS + "hyperlink")):
        _unwrap(link)
    for e in list(node.iter()):
        if not isinstance(e.tag, str):
            continue
        for name in [a for a in e.attrib if a.startswith(R_NS) or a in W14_IDS]:
            del e.attrib[name]
    for sect in list(node.iter(W_NS + "sectPr")):
        sect.getparent().remove(sect)
    for style in list(node.iter(W_NS + "pStyle")):
        if style.get(qn("w:val")) not in styles:
            style.getparent().remove(style)
    for num in list(node.iter(W_NS + "numId")):
        value = num.get(qn("w:val"))
        if value != "0" and value not in nums and num.getparent().tag == W_NS + "numPr":
            num.getparent().getparent().remove(num.getparent())


def _unwrap(node) -> None:
    parent = node.getparent()
    for child in list(node):
        node.addprevious(child)
    parent.remove(node)


def top_block(p):
    """The child of the body that holds ``p``."""
    node = p
    while node.getparent() is not None and node.getparent().tag != W_NS + "body":
        node = node.getparent()
    return node


