"""Writing the collated document's changes into a block: each op's marks and placed nodes."""
from __future__ import annotations

from lxml import etree

from .changes import Credit, Op, author_label
from .ooxml.build import el
from .ooxml.edit import inserted_runs, mark_paragraph, marker, reference_run, split_paragraph
from .ooxml.order import insert_ordered
from .ooxml.rows import credited_row, inserted_row, mark_row, recredit, row_of
from .ooxml.objects import delete_drawing, inserted
from .ooxml.textview import W_NS
from .response_plan import MARKS
from .results import Message

BREAK = W_NS + "consultBreak"


class ResponseOps:
    """ResponseWriter's changes: each kind of op made in its paragraph, and the planned
    nodes put in place (the writer holds the state)."""

    # -- ops ---------------------------------------------------------------------------
    def _deletes(self, para: int) -> None:
        """Deletions, piece by piece: text deleted by several groups credits them all."""
        items = self.pieces.pop(para, None)
        if items:
            ends = self.deleted_to.setdefault(para, {})
            for _, b, op in items:
                if b is not None:
                    ends.setdefault(b, set()).update(c.group for c in op.credits)
            ed = self.editor(para)
            spans = [(a, len(ed.text) if b is None else b, op) for a, b, op in items]
            bounds = sorted({x for a, b, _ in spans for x in (a, b)})
            for x, y in zip(bounds, bounds[1:]):
                covering = [op for a, b, op in spans if a <= x and b >= y]
                if covering:
                    ed.delete(x, y, lambda c=covering: self.attrs(_credits(c)))
        ending = self.marks.pop(para, None)
        if ending:
            mark_paragraph(self.paras[para], "del", self.attrs(_credits(ending)))

    def _insert(self, op: Op) -> None:
        """New text at its offset. Replacing words (a group's deletion ends where it types)
        it goes straight after them, so before a picture that follows them."""
        rpr = self.editor(op.para).style_at(op.start)
        inside = self.inside.pop((op.para, op.start, op.text), ())     # comments in it
        replaced = self.deleted_to.get(op.para, {}).get(op.start, set())
        before = any(c.group in replaced for c in op.credits)
        for k, part in enumerate(op.text.split("\n")):
            if k:
                self._add(op.para, op.start, 2, el("w:consultBreak", self.attrs(op.credits)),
                          before)
            if part:
                self._add(op.para, op.start, 2, inserted_runs(part, rpr, self.attrs(op.credits),
                                                              inside), before)

    def _format(self, op: Op) -> None:
        """Formatting _format_clash let through: properties given, one paragraph."""
        self.editor(op.para).reformat(op.start, op.end, etree.fromstring(op.props),
                                      self.attrs(op.credits))

    def _paragraph_format(self, op: Op) -> None:
        p = self.paras[op.para]
        ppr = p.find(W_NS + "pPr")
        if ppr is not None and ppr.find(W_NS + "pPrChange") is not None:
            return
        new = etree.fromstring(op.props)
        old = el("w:pPr")
        if ppr is None:
            ppr = el("w:pPr")
            p.insert(0, ppr)
        keep = {W_NS + "rPr", W_NS + "sectPr"}
        for child in list(ppr):
            if child.tag not in keep:
                old.append(child)
        for k, child in enumerate(c for c in new if c.tag not in keep):
            ppr.insert(k, child)
        insert_ordered(ppr, el("w:pPrChange", self.attrs(op.credits), old))

    def _row_insert(self, op: Op) -> None:
        """The group's row, before the row at the op's place, after the row just before it,
        or in a table of its own when the draft has no table there."""
        how, anchor, model = self._row_place(op)
        nxt = lambda: self.attrs(op.credits)          # noqa: E731
        if op.props:
            row = credited_row(op.props, nxt)
        else:
            row = inserted_row(model, op.text.split("\t"), nxt(), nxt)
        if how == "before":
            anchor.addprevious(row)
        elif how == "after":
            anchor.addnext(row)
        else:
            self._new_table(op, self.paras[op.para], row)

    def _new_table(self, op: Op, p, row) -> None:
        """Rows inserted where the draft has no table: one new table before ``p``."""
        key = (op.para, op.start)
        table = self.new_tables.get(key)
        if table is None:
            table = etree.fromstring(op.old_props) if op.old_props else el("w:tbl")
            recredit(table, lambda: self.attrs(op.credits))     # its ids are the return's
            block = p
            while block.getparent() is not None and block.getparent().tag not in (
                    W_NS + "body", W_NS + "tc", W_NS + "sdtContent"):
                block = block.getparent()
            block.addprevious(table)
            self.new_tables[key] = table
        table.append(row)

    def _object_insert(self, op: Op) -> None:
        """An image or shape a group inserted (its parts were copied when it was planned)."""
        self._add(op.para, op.start, 2, inserted(op.props, lambda: self.attrs(op.credits)))

    def _object_delete(self, op: Op) -> None:
        """The draft's image or shape at the op's place, marked as deleted."""
        ed = self.editor(op.para)
        if delete_drawing(self.paras[op.para], op.start, op.text,
                          lambda: self.attrs(op.credits), ed.own_below):
            ed.cut(())                  # its run was split: read the paragraph again
            return
        self.messages.append(Message(
            "warning", f"{author_label(op.credits)} deleted an image or shape ({op.text}) "
            "that the draft does not have at that place; the deletion is not shown", "draft"))

    def _row_delete(self, op: Op) -> None:
        mark_row(row_of(self.paras[op.para]), "del", self.attrs(op.credits))

    # -- placing nodes ---------------------------------------------------------------
    def _add(self, para: int, offset: int, rank: int, node, before: bool = False) -> None:
        """Plan ``node`` at ``offset``; ``before``: before any picture there (see _place_nodes)."""
        self.seq += 1
        self.at.setdefault(para, {}).setdefault(offset, []).append((rank, self.seq, node, before))

    def _place_nodes(self, para: int) -> None:
        """The planned nodes at each offset, in order. Those up to the last one meant to go
        before a picture at the offset go before the pictures there, the rest after them."""
        self.deleted_to.pop(para, None)
        by_offset = self.at.pop(para, None)
        if not by_offset:
            return
        p = self.paras[para]
        ed = self.editor(para)
        for offset in sorted(by_offset, reverse=True):
            planned = sorted(by_offset[offset], key=lambda t: (t[0], t[1]))
            cut = max((k + 1 for k, t in enumerate(planned) if t[3:] == (True,)), default=0)
            k = min(offset, len(ed.text))
            for part, first in ((planned[:cut], True), (planned[cut:], False)):
                nodes = [_node(t[2]) for t in part]
                if nodes:
                    ed.insert(k, nodes, top=any(n.tag == BREAK for n in nodes),
                              before_objects=first)
        self._split_breaks(p)

    def _split_breaks(self, p) -> None:
        current = p
        while True:
            brk = next((c for c in current if c.tag == BREAK), None)
            if brk is None:
                return
            attrs = {k: v for k, v in brk.attrib.items()}
            second = split_paragraph(current, brk)
            mark_paragraph(current, "ins", {_short(k): v for k, v in attrs.items()})
            current = second


def _node(planned):
    """A node to insert: built now for a planned comment mark, or as it is."""
    if not isinstance(planned, int):
        return planned
    cid, kind = divmod(planned, len(MARKS))
    return reference_run(str(cid)) if MARKS[kind] == "reference" else marker(MARKS[kind], str(cid))


def _credits(ops: list[Op]) -> list[Credit]:
    """The credits of several ops, each group once, in order."""
    out: list[Credit] = []
    for op in ops:
        for c in op.credits:
            if c.group not in [x.group for x in out]:
                out.append(c)
    return out


def _short(key: str) -> str:
    return "w:" + key.rsplit("}", 1)[-1]
