"""report.html: the decision page, one self-contained file (Jinja2 templates, inlined CSS/JS).

Conflicts come first, then each section's paragraphs in draft order with every proposal on them
and the comment threads; the page keeps the adviser's decisions in the browser and exports them
as the CSV that ``consult accept --decisions`` reads. Nothing is loaded from anywhere.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .report_filed import Filed
from .report_rows import (_own, _quiet_sections, _Sorted, _title, _title_assigned, _totals,
                          _version, _Walk, _write_chunks, group_rows, label_of)

if TYPE_CHECKING:
    from .collate import Collation


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("consult", "templates/report"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def _static(name: str) -> str:
    return resources.files("consult").joinpath("static/report", name).read_text("utf-8")


def html_text(col: "Collation") -> str:
    """The whole decision page as one self-contained HTML document."""
    with _Sorted(col) as entries:
        return "".join(_chunks(col, entries))


def write_html(col: "Collation", path: str | Path, entries: _Sorted | None = None) -> Path:
    with _own(col, entries) as sorted_entries:
        _write_chunks(path, (c.encode("utf-8") for c in _chunks(col, sorted_entries)))
    return Path(path)


def _chunks(col: "Collation", entries: _Sorted) -> Iterator[str]:
    with Filed(col) as filed:
        yield from _env().get_template("page.html").generate(**context(col, entries, filed))


def context(col: "Collation", entries: _Sorted, filed: Filed) -> dict:
    """What the page template shows: the conflicts, sections, paragraphs, unplaced rows and
    the page's data are read from disk (``filed``, ``entries``) as the page is written."""
    draft, walk = col.draft, _Walk(col, entries)
    shown = [(s, [i for i in filed.keys if s.start <= i < s.end]) for s in draft.sections]
    shown = [(s, mine) for s, mine in shown if mine]
    none, silent = _quiet_sections(col, {s.id for s, _ in shown})
    return {
        "title": f"Responses to {Path(draft.path).name}", "totals": _totals(col),
        "conflicts": _Lazy(lambda: (_conflict(col, c, k, filed)
                                    for k, c in enumerate(col.conflicts))),
        "sections": ({"id": s.id, "title": _title(s),
                      "paras": (filed.paragraph(i) for i in mine),
                      "assigned": ", ".join(col.assigned(s.id)) or "nobody",
                      "returned": ", ".join(col.returned_by(s.id)) or "nobody"}
                     for s, mine in shown),
        "groups": _groups(col),
        "unplaced": _Lazy(lambda: (e.row for e in walk.unplaced())),
        "rejected": [(Path(r.path).name, r.reason) for r in col.rejected],
        "notes": [(Path(m.where).name + ": " if m.where else "") + m.text
                  for m in col.messages],
        "uncovered": [(s.id, _title_assigned(col, s)) for s in none],
        "silent": [(s.id, _title(s)) for s in silent],
        "css": _static("page.css"), "js": _static("page.js"), "data": filed.page_data(),
    }


def _conflict(col: "Collation", c, position: int, filed: Filed) -> dict:
    mine = filed.conflict(position)
    return {"id": c.id, "where": label_of(col.draft, c.para), "section": c.section,
            "draft_text": c.draft_text, "para": filed.paragraph(c.para),
            "new_note": getattr(c, "new_note", ""),
            "proposals": [p.id for p in mine], "props": mine,
            "versions": [{"group": g, "text": _version(t)} for g, t in c.versions]}


class _Lazy:
    """Items made as the template loops over them (once); ``{% if %}`` makes only the first."""

    def __init__(self, make: Callable[[], Iterator]) -> None:
        self._items = make()
        self._first = _UNSEEN

    def __bool__(self) -> bool:
        if self._first is _UNSEEN:
            self._first = next(self._items, _NONE)
        return self._first is not _NONE

    def __iter__(self) -> Iterator:
        if self:
            yield self._first
            yield from self._items


_UNSEEN, _NONE = object(), object()


def _groups(col: "Collation") -> list[dict]:
    out = []
    for g in group_rows(col):
        out.append(dict(g, file=Path(g["file"]).name if g["file"] else "\u2014"))
    return out
