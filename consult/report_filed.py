"""The decision page's proposals and threads filed on disk by paragraph, read back as written."""
from __future__ import annotations

import json
from array import array
from collections.abc import Iterator
from dataclasses import fields
from typing import TYPE_CHECKING

from .model import Draft
from .report_page import (CUTS, Para, Proposal, _row, _section_of, iter_proposals,
                          iter_threads, paragraph, shown_on)
from .report_rows import COLUMNS
from .store import Buckets

if TYPE_CHECKING:
    from .collate import Collation


class Filed:
    """Every proposal and thread, filed by the paragraphs they are shown on (and a conflict's
    proposals by conflict), with each proposal's entry in the page's data: the page is
    written a paragraph at a time, and a batch's proposals never wait in memory together."""

    def __init__(self, col: "Collation") -> None:
        self.col = col
        self.props, self.threads, self.in_conflict, self.data = (Buckets() for _ in range(4))
        self.position = {c.id: k for k, c in enumerate(col.conflicts)}
        self.ids = array("q")             # each proposal's number (P12: 12)
        for p in iter_proposals(col):
            self.ids.append(int(p.id[1:]))
            for index in shown_on(p):
                self.props.add(index, p)
            if p.conflict in self.position:
                self.in_conflict.add(self.position[p.conflict], p)
            self.data.add(self.ids[-1], f"{_dumps(p.id)}: " + _dumps(
                {"groups": p.groups, "rows": p.rows, "conflict": p.conflict,
                 "label": p.label, "where": p.where}))
        for t in iter_threads(col):
            self.threads.add(t.para, t)
        self.keys = sorted(set(self.props.keys()) | set(self.threads.keys()))
        self._last: tuple[int, Para | None] | None = None

    def paragraph(self, index: int) -> Para | None:
        """The paragraph with its proposals and threads (None: it has none); the last one
        asked for is kept (a paragraph's conflicts come one after another)."""
        if self._last is None or self._last[0] != index:
            ps, ts = self.props.items(index), self.threads.items(index)
            self._last = (index, paragraph(self.col.draft, index, ps, ts) if ps or ts else None)
        return self._last[1]

    def conflict(self, position: int) -> list[Proposal]:
        """The proposals of the collation's conflict at ``position``, in draft order."""
        return self.in_conflict.items(position)

    def page_data(self) -> Iterator[str]:
        """The page's data (JSON safe inside a <script> element, keys sorted) piece by piece:
        the columns, each conflict's versions, proposals and pieces, and each proposal."""
        col = self.col
        yield _safe(f'{{"columns": {_dumps(list(COLUMNS))}, "conflicts": {{')
        for k, (cid, at) in enumerate(sorted(self.position.items())):
            c, props = col.conflicts[at], self.conflict(at)
            entry = {"versions": [g for g, _ in c.versions], "proposals": [p.id for p in props],
                     "pieces": conflict_pieces(col.draft, [op for p in props for op in p.ops])}
            yield _safe((", " if k else "") + f"{_dumps(cid)}: {_dumps(entry)}")
        yield _safe(f'}}, "fingerprint": {_dumps(col.draft.fingerprint)}, "proposals": {{')
        for k, n in enumerate(sorted(set(self.ids), key=lambda n: f"P{n}")):
            yield _safe((", " if k else "") + self.data.items(n)[-1])     # one entry an id
        yield "}}"

    def close(self) -> None:
        for store in (self.props, self.threads, self.in_conflict, self.data):
            store.close()

    def __enter__(self) -> "Filed":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _safe(text: str) -> str:
    """JSON text safe inside a <script> element."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def conflict_pieces(draft: Draft, ops: list) -> list[dict]:
    """The conflict's changes as the collated document writes them: overlapping deletions cut
    where they overlap, each piece credited to every group deleting it (so choosing a group's
    version accepts exactly the pieces that group made)."""
    out = [{"groups": _names(op.credits), "rows": [_row(draft, op, c, "") for c in op.credits]}
           for op in ops if op.kind not in CUTS or op.end_para != op.para]
    by_para: dict[int, list] = {}
    for op in ops:
        if op.kind in CUTS and op.end_para == op.para:
            by_para.setdefault(op.para, []).append(op)
    for para, dels in sorted(by_para.items()):
        text = draft.paragraphs[para].text
        cuts = sorted({x for op in dels for x in (op.start, op.end)})
        for a, b in zip(cuts, cuts[1:]):
            cover = [op for op in dels if op.start <= a and b <= op.end]
            if not cover:
                continue
            credits = [c for op in cover for c in op.credits]
            piece = type(cover[0])(**{**_fields(cover[0]), "start": a, "end": b,
                                      "text": text[a:b]})
            out.append({"groups": _names(credits),
                        "rows": [_row(draft, piece, c, "") for c in _once(credits)]})
    section = _section_of(draft, ops[0].para) if ops else ""
    for piece in out:
        for row in piece["rows"]:
            row["section"] = section
    return out


def _names(credits) -> list[str]:
    return list(dict.fromkeys(c.group for c in credits))


def _once(credits) -> list:
    seen, out = set(), []
    for c in credits:
        if c.group not in seen:
            seen.add(c.group)
            out.append(c)
    return out


def _fields(op) -> dict:
    return {f.name: getattr(op, f.name) for f in fields(op)}
