"""report.html: the decision page, one self-contained file (Jinja2 templates, inlined CSS/JS).

Conflicts come first, then each section's paragraphs in draft order with every proposal on them
and the comment threads; the page keeps the adviser's decisions in the browser and exports them
as the CSV that ``consult accept --decisions`` reads. Nothing is loaded from anywhere.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .report_page import conflict_pieces, label_of, paragraphs, proposals, threads
from .report_rows import (COLUMNS, _own, _quiet_sections, _Sorted, _title, _title_assigned,
                          _totals, _version, _Walk, _write_chunks, group_rows)
from .summary import section_stats

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
    return _env().get_template("page.html").generate(**context(col, entries))


def context(col: "Collation", entries: _Sorted) -> dict:
    """What the page template shows."""
    ps, ts = proposals(col), threads(col)
    paras = paragraphs(col, ps, ts)
    walk = _Walk(col, entries)
    by_para = {p.index: p for p in paras}
    sections = []
    for s in col.draft.sections:
        mine = [p for p in paras if s.start <= p.index < s.end]
        if mine:
            sections.append({"id": s.id, "title": _title(s), "paras": mine,
                             "assigned": ", ".join(col.assigned(s.id)) or "nobody",
                             "returned": ", ".join(col.returned_by(s.id)) or "nobody"})
    in_conflict: dict[str, list] = {}
    for p in ps:
        if p.conflict:
            in_conflict.setdefault(p.conflict, []).append(p)
    conflicts = [_conflict(col, c, in_conflict.get(c.id, []), by_para) for c in col.conflicts]
    none, silent = _quiet_sections(col, {s["id"] for s in sections})
    return {
        "title": f"Responses to {Path(col.draft.path).name}", "totals": _totals(col),
        "conflicts": conflicts, "sections": sections, "groups": _groups(col),
        "chart": section_stats(col), "threads": {t.id: t for t in ts},
        "unplaced": [e.row for e in walk.unplaced()],
        "rejected": [(Path(r.path).name, r.reason) for r in col.rejected],
        "notes": [(Path(m.where).name + ": " if m.where else "") + m.text
                  for m in col.messages],
        "uncovered": [(s.id, _title_assigned(col, s)) for s in none],
        "silent": [(s.id, _title(s)) for s in silent],
        "css": _static("page.css"), "js": _static("page.js"),
        "data": _json({"fingerprint": col.draft.fingerprint, "columns": list(COLUMNS),
                       "proposals": {p.id: {"groups": p.groups, "rows": p.rows,
                                            "conflict": p.conflict, "label": p.label,
                                            "where": p.where} for p in ps},
                       "conflicts": {c["id"]: {"versions": [v["group"] for v in c["versions"]],
                                               "proposals": c["proposals"],
                                               "pieces": conflict_pieces(col.draft, [
                                                   op for p in c["props"] for op in p.ops])}
                                     for c in conflicts}}),
    }


def _conflict(col: "Collation", c, mine, by_para) -> dict:
    return {"id": c.id, "where": label_of(col.draft, c.para), "section": c.section,
            "draft_text": c.draft_text, "para": by_para.get(c.para),
            "proposals": [p.id for p in mine], "props": mine,
            "versions": [{"group": g, "text": _version(t)} for g, t in c.versions]}


def _groups(col: "Collation") -> list[dict]:
    out = []
    for g in group_rows(col):
        out.append(dict(g, file=Path(g["file"]).name if g["file"] else "\u2014"))
    return out


def _json(value) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
