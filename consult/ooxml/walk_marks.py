"""The walker's readers of revisions outside the text: formats, paragraph marks, rows, drawings."""
from __future__ import annotations

from lxml import etree

from ..model import Pos
from .ns import qn
from .objects import describe, drawing_run
from .revisions import next_paragraph
from .story import OBJECT_KINDS, TAG_KINDS, _Piece
from .textview import W_NS, Seg, accepted_text, body_paragraphs, first_child, rev_info, segments


class _MarkReader:
    """Methods of ``walker._Walker`` that read revisions outside the text: they use its
    position (``pos``), ``is_own``, ``pieces`` / ``_piece`` and its text buffers."""

    def _drawing(self, seg: Seg) -> None:
        """An image or shape inside a tracked insertion or deletion."""
        state = seg.state if seg.state != "gone" else seg.rev.tag[len(W_NS):]
        if not state or self.row_inserted or self.is_own(seg.rev):
            return
        author, date = rev_info(seg.rev)
        self.pieces.append(_Piece(OBJECT_KINDS[state], author, date, describe(seg.node),
                                  self.pos, self.pos, seg.rev.get(qn("w:id")) or "",
                                  drawing_run(seg.run, seg.node)))

    def _move_name(self, rev) -> str:
        """The name of the move range a w:moveFrom / w:moveTo belongs to."""
        if rev is None:
            return ""
        return self.moves.get(rev.tag[len(W_NS):], "")

    def _format(self, seg: Seg, before: Pos) -> None:
        rpr = first_child(seg.run, W_NS + "rPr")
        change = first_child(rpr, W_NS + "rPrChange")
        if change is None or self.is_own(change):
            return
        author, date = rev_info(change)
        end = self.pos if seg.state in ("", "del", "moveFrom") else before
        self._piece(_Piece("format", author, date, seg.text, before, end,
                           change.get(qn("w:id")) or "", _props(rpr, "rPrChange"),
                           _props(change.find(W_NS + "rPr"))))

    def _paragraph_format(self, p, start: Pos) -> None:
        ppr = first_child(p, W_NS + "pPr")
        change = first_child(ppr, W_NS + "pPrChange")
        numbering = first_child(first_child(ppr, W_NS + "numPr"), W_NS + "ins")
        for ch in (change, numbering):
            if ch is None or self.is_own(ch):
                continue
            author, date = rev_info(ch)
            old = ch.find(W_NS + "pPr") if ch is change else None
            self.pieces.append(_Piece("paragraph-format", author, date, accepted_text(p), start,
                                      self.pos, ch.get(qn("w:id")) or "",
                                      _props(ppr, "pPrChange", "rPr", "sectPr"), _props(old)))

    def _mark_state(self, p) -> tuple[str, object]:
        """The paragraph mark's state in the base view, and its revision element."""
        rpr = first_child(first_child(p, W_NS + "pPr"), W_NS + "rPr")
        found = {} if rpr is None else {el.tag[len(W_NS):]: el for el in reversed(rpr)
                                        if isinstance(el.tag, str)
                                        and el.tag[len(W_NS):] in TAG_KINDS}
        ins = next(((n, found[n]) for n in ("ins", "moveTo") if n in found), None)
        dele = next(((n, found[n]) for n in ("del", "moveFrom") if n in found), None)
        if ins and dele:
            if self.is_own(ins[1]) and self.is_own(dele[1]):
                return "own-del", dele[1]
            if self.is_own(ins[1]):
                return dele         # the draft's paragraph mark, deleted in the return
            a, b = rev_info(ins[1])[0], rev_info(dele[1])[0]
            self.messages.warn(
                f"a paragraph mark inserted (by {a or 'unknown'}) and then deleted (by "
                f"{b or 'unknown'}) is in neither the original nor the accepted text; it was "
                f"left out: {accepted_text(p)[:60]!r}", self.story.name)
            return "gone", dele[1]
        if ins:
            return ("", None) if self.is_own(ins[1]) else ins
        if dele:
            return ("own-del", dele[1]) if self.is_own(dele[1]) else dele
        return "", None

    def _mark(self, p) -> None:
        state, rev = self._mark_state(p)
        author, date = rev_info(rev)
        rid = rev.get(qn("w:id")) if rev is not None else ""
        if self.row_inserted:       # not in the original at all; the row insertion says it
            self._add_acc("\n")
            return
        if state in ("own-del", "gone") and next_paragraph(p) is not None:
            if state == "own-del":
                self._deleted("\n")
            return                  # joined to the next paragraph in the base and accepted views
        if state in ("ins", "moveTo") and next_paragraph(p) is not None:
            self.pieces.append(_Piece("paragraph-insert", author, date, "\n", self.pos,
                                      self.pos, rid or ""))
            self._add_acc("\n")
            return
        end_of = self.pos
        self._finish()
        if state in ("ins", "moveTo"):
            # a mark that cannot merge (end of a cell or of the body) stays a mark
            self.pieces.append(_Piece("paragraph-insert", author, date, "\n", end_of, end_of,
                                      rid or ""))
        if state in ("del", "moveFrom"):
            self.pieces.append(_Piece("paragraph-delete", author, date, "\n", end_of,
                                      self.pos, rid or ""))
        else:
            self._add_acc("\n")

    def _row(self, p) -> bool:
        """Record a row insertion or deletion at the row's first paragraph.

        Returns True when ``p`` is in an inserted row: the row-insert revision then stands
        for the text of its cells.
        """
        tr = p.getparent()
        while tr is not None and tr.tag != W_NS + "tr":
            tr = tr.getparent() if tr.tag != W_NS + "body" else None
        self.row_gone = False
        if tr is None:
            return False
        trpr = tr.find(W_NS + "trPr")
        mark_ins = trpr.find(W_NS + "ins") if trpr is not None else None
        mark_del = trpr.find(W_NS + "del") if trpr is not None else None
        own_ins = self.is_own(mark_ins)
        self.row_gone = self.is_own(mark_del)
        inserted = mark_ins is not None and not own_ins
        if tr in self.rows_done:
            return inserted
        self.rows_done.add(tr)
        for name, kind in (("ins", "row-insert"), ("del", "row-delete")):
            mark = trpr.find(W_NS + name) if trpr is not None else None
            if mark is not None and not self.is_own(mark):
                author, date = rev_info(mark)
                text = "\t".join(accepted_text(q) if name == "ins" else
                                 "".join(s.text for s in segments(q))
                                 for q in body_paragraphs(tr))
                row, shell = (_row_xml(tr) if name == "ins" else ("", ""))
                self.pieces.append(_Piece(kind, author, date, text, self.pos, self.pos,
                                          mark.get(qn("w:id")) or "", row, shell))
        return inserted


def _row_xml(tr) -> tuple[str, str]:
    """An inserted row as XML, and its table's properties as an empty w:tbl."""
    tbl = tr.getparent()
    shell = etree.Element(tbl.tag, nsmap=tbl.nsmap)
    for name in ("tblPr", "tblGrid"):
        found = tbl.find(W_NS + name)
        if found is not None:
            shell.append(etree.fromstring(etree.tostring(found)))
    return etree.tostring(tr, encoding="unicode"), etree.tostring(shell, encoding="unicode")


def _props(el, *skip: str) -> str:
    """Serialized properties without the named children (for format changes)."""
    if el is None:
        return ""
    copy = etree.fromstring(etree.tostring(el))
    for name in skip:
        for child in copy.findall(W_NS + name):
            copy.remove(child)
    return etree.tostring(copy, encoding="unicode")
