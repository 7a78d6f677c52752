"""Reports on a collation: a CSV to decide in, an HTML page to project, Markdown for minutes.

report.csv is UTF-8 with a byte-order mark and CRLF line endings (RFC 4180), written with the
csv module: fields holding commas, quotes or newlines are quoted, so Excel and LibreOffice Calc
open it with the right characters and columns. A cell that starts with = + - @ or a tab gets a
leading apostrophe (as does one that starts with an apostrophe) so that spreadsheets show it
as text instead of running it as a formula; read_csv takes exactly that apostrophe off again.
The HTML page loads nothing from anywhere (inline CSS, a pure-CSS bar chart) and every piece of
user text is escaped. The same collation always gives the same bytes.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from .changes import DELETES, INSERTS
from .errors import InputError, OutputError, PartialOutputError
from .model import Annotation, Comment, Draft, Place, Revision
from .ooxml.package import write_atomic
from .store import Buckets
from .summary import section_stats

if TYPE_CHECKING:
    from .collate import Collation

COLUMNS = ("section", "paragraph", "group", "person", "kind", "tracked", "anchor", "text",
           "date", "conflict", "decision", "status")
CARET = "\u2038"
MORE = "\u2026"
CONTEXT_WORDS = 4
DRAFT_CHARS = 400           # draft paragraphs are shortened to this in the reports
DRAFT_PARAS = 6             # longer sections show only their heading and annotated paragraphs
FORMULA = ("=", "+", "-", "@", "\t", "\r")
REPORT_SUFFIXES = (".csv", ".html", ".htm", ".md")
CHUNK = 1 << 16             # reports are written this many characters at a time


@dataclass(frozen=True)
class _Entry:
    """One annotation of one return, placed or not, with its report row."""

    group: str
    path: str
    place: Place | None
    row: dict


# -- rows ---------------------------------------------------------------------------------
def report_rows(col: "Collation") -> list[dict]:
    """One row per annotation of every return, in draft order; unplaced ones last."""
    with _Sorted(col) as entries:
        return [e.row for e in entries]


class _Sorted:
    """Every annotation's report entry, filed on disk by section and paragraph and read back
    in report order (section, paragraph, offset, group; unplaced ones last) as often as needed:
    a batch's rows never wait in memory together."""

    def __init__(self, col: "Collation") -> None:
        ranks = {g: k for k, g in enumerate(_group_names(col))}
        self.sections = col.draft.sections
        order = {s.id: k for k, s in enumerate(self.sections)}
        self.width = width = len(col.draft.paragraphs) + 1
        self.unplaced = (len(order) + 1) * width        # after every section's paragraphs
        self.filed, self.conflicts = Buckets(), _conflicts_by_paragraph(col)
        for ret in col.returns:
            for n, p in enumerate(ret.placed):
                pl = p.place
                row = _row(col.draft, ret.group, p.item, pl, "")
                self.filed.add(order.get(pl.section, len(order)) * width + pl.paragraph,
                               ((pl.start, ranks[ret.group], n),
                                _Entry(ret.group, ret.path, pl, row)))
            for unplaced in _unplaced(col.draft, ret, ranks[ret.group]):
                self.filed.add(self.unplaced, unplaced)
        self.keys = self.filed.keys()

    def __iter__(self) -> Iterator[_Entry]:
        for key in self.keys:
            index: dict[tuple, list] = {}
            if key != self.unplaced:
                for group, start, kind, text, cid in self.conflicts.items(key % self.width):
                    index.setdefault((group, start), []).append((kind, text, cid))
            for _, e in sorted(self.filed.items(key), key=lambda t: t[0]):
                if index:
                    e.row["conflict"] = _conflict_of(index, e.group, e.row, e.place)
                yield e

    def touched(self) -> dict[str, set[int]]:
        """Section id -> the paragraphs with a placed annotation (from the keys alone)."""
        out: dict[str, set[int]] = {}
        for key in self.keys:
            k, para = divmod(key, self.width)
            if k < len(self.sections):
                out.setdefault(self.sections[k].id, set()).add(para)
        return out

    def close(self) -> None:
        self.filed.close()
        self.conflicts.close()

    def __enter__(self) -> "_Sorted":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _unplaced(draft: Draft, ret, rank: int) -> Iterator[tuple[tuple, _Entry]]:
    """((group rank, position), entry) of each of the return's unplaced annotations."""
    for n, u in enumerate(ret.unplaced):
        yield (rank, n), _Entry(ret.group, ret.path, None,
                                _row(draft, ret.group, u.item, None, u.reason))


def _row(draft: Draft, group: str, item: Annotation, place: Place | None, reason: str) -> dict:
    tracked = isinstance(item, Comment) or item.tracked
    return {
        "section": place.section if place else "",
        "paragraph": paragraph_label(draft, place.paragraph) if place else "",
        "group": group, "person": item.author, "kind": _kind(item),
        "tracked": "yes" if tracked else "no", "anchor": _anchor(draft, item, place),
        "text": item.text, "date": item.date or "",
        "conflict": "", "decision": "",
        "status": "placed" if place else f"unplaced: {reason}",
    }


def paragraph_label(draft: Draft, index: int) -> str:
    """The number Word shows for a paragraph (e.g. "6.14"), else its 1-based position."""
    label = draft.paragraphs[index].label
    return label if any(ch.isalnum() for ch in label) else str(index + 1)


def _kind(item: Annotation) -> str:
    if isinstance(item, Comment):
        return "reply" if item.parent else "comment"
    return item.kind


def _anchor(draft: Draft, item: Annotation, place: Place | None) -> str:
    if place is None:
        return item.anchor if isinstance(item, Comment) else ""
    a, b = (place.paragraph, place.start), (place.end_paragraph, place.end)
    if b <= a or (isinstance(item, Revision) and item.kind in INSERTS):
        return insertion_context(draft.paragraphs[a[0]].text, a[1])
    if a[0] == b[0]:
        return draft.paragraphs[a[0]].text[a[1]:b[1]]
    parts = [draft.paragraphs[a[0]].text[a[1]:]]
    parts += [draft.paragraphs[i].text for i in range(a[0] + 1, b[0])]
    return "\n".join(parts + [draft.paragraphs[b[0]].text[:b[1]]])


def insertion_context(text: str, at: int, words: int = CONTEXT_WORDS) -> str:
    """A few words either side of ``at``, with ‸ where the insertion goes."""
    before = re.findall(r"\S+\s*", text[:at])
    after = re.findall(r"\s*\S+", text[at:])
    head = (MORE if len(before) > words else "") + "".join(before[-words:])
    tail = "".join(after[:words]) + (MORE if len(after) > words else "")
    return head + CARET + tail


def _conflicts_by_paragraph(col: "Collation") -> Buckets:
    """Paragraph -> (group, offset, op kind, op text, conflict id) of each conflicting op."""
    filed = Buckets()
    for op in col.ops:
        if op.conflict:
            for credit in op.credits:
                filed.add(op.para, (credit.group, op.start, op.kind, op.text, op.conflict))
    return filed


def _conflict_of(index: dict, group: str, row: dict, place: Place) -> str:
    """The conflict a revision's row is part of: ``index`` is its paragraph's, by (group,
    offset)."""
    if row["kind"] in ("comment", "reply"):
        return ""
    kind = row["kind"]
    kind = "insert" if kind in INSERTS else "delete" if kind in DELETES else kind
    for op_kind, text, cid in index.get((group, place.start), []):
        if op_kind == kind and row["text"] in text:     # consecutive insertions are one op
            return cid
    return ""


# -- machine summary ----------------------------------------------------------------------
def _group_names(col: "Collation") -> list[str]:
    names = list(col.groups)
    return names + [g for g, _ in col.returned if g not in names]


def group_rows(col: "Collation") -> list[dict]:
    """Per group, in allocation order: its file, whether it returned, what it sent."""
    by_group = {t.group: {
        "group": t.group, "file": t.path, "returned": True, "sections": list(t.sections),
        "comments": t.comments, "revisions": t.revisions, "untracked": t.untracked,
        "unplaced": t.unplaced} for t in col.tallies}
    return [by_group.get(name) or {
        "group": name, "file": None, "returned": False, "sections": [], "comments": 0,
        "revisions": 0, "untracked": 0, "unplaced": 0} for name in _group_names(col)]


def summary_json(col: "Collation", conflicts: bool = True) -> dict:
    """A JSON-serialisable summary for ``consult collate --json``, in a fixed order
    (``conflicts=False``: their list left empty, for ``write_summary_json`` to stream)."""
    ranks = {g: k for k, g in enumerate(_group_names(col))}
    unplaced = [e for _, e in sorted((u for r in col.returns
                                      for u in _unplaced(col.draft, r, ranks[r.group])),
                                     key=lambda t: t[0])]
    return {
        "draft": col.draft.path, "fingerprint": col.draft.fingerprint,
        "groups": group_rows(col),
        "sections": section_stats(col),
        "conflicts": [_conflict_json(c) for c in col.conflicts] if conflicts else [],
        "unplaced": [{"group": e.group, "file": e.path, "kind": e.row["kind"],
                      "person": e.row["person"], "text": e.row["text"],
                      "anchor": e.row["anchor"], "reason": e.row["status"].split(": ", 1)[1]}
                     for e in unplaced],
        "rejected": [{"file": r.path, "reason": r.reason} for r in col.rejected],
        "messages": [str(m) for m in col.messages],
    }


def _conflict_json(c) -> dict:
    return {"id": c.id, "section": c.section, "draft_text": c.draft_text,
            "versions": [{"group": g, "text": t} for g, t in c.versions]}


def write_summary_json(col: "Collation", write: Callable[[str], object]) -> None:
    """``summary_json`` as ``json.dumps(..., indent=2)`` writes it, handed to ``write`` (a
    file's ``write``, ``click.echo``) piece by piece: the conflicts, which quote every group's
    version (a batch's worth), one at a time."""
    def dumps(value) -> str:
        return json.dumps(value, indent=2, ensure_ascii=False)
    text = dumps(summary_json(col, conflicts=False))
    if not len(col.conflicts):
        write(text + "\n")
        return
    marker = '\n  "conflicts": []'         # a top-level key: no JSON string holds a newline
    head, tail = text.split(marker, 1)
    write(head + '\n  "conflicts": [')
    for k, c in enumerate(col.conflicts):
        write(("," if k else "") + "\n    " + dumps(_conflict_json(c)).replace("\n", "\n    "))
    write("\n  ]" + tail + "\n")


# -- CSV ----------------------------------------------------------------------------------
def csv_bytes(col: "Collation") -> bytes:
    """The rows as CSV: UTF-8 with a BOM, CRLF line endings, formulas defused."""
    with _Sorted(col) as entries:
        return b"".join(_csv_chunks(entries))


def _csv_chunks(entries: Iterable[_Entry]) -> Iterator[bytes]:
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for e in entries:
        writer.writerow({k: _cell(v) for k, v in e.row.items()})
        if buf.tell() > CHUNK:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA + ("'",)) else value


def write_csv(col: "Collation", path: str | Path, entries: _Sorted | None = None) -> Path:
    with _own(col, entries) as sorted_entries:
        _write_chunks(path, _csv_chunks(sorted_entries))
    return Path(path)


@contextmanager
def _own(col: "Collation", entries: _Sorted | None):
    """``entries``, or the collation's sorted for this report alone (and closed after)."""
    if entries is not None:
        yield entries
    else:
        with _Sorted(col) as mine:
            yield mine


def _write_chunks(path: str | Path, chunks: Iterable[bytes]) -> None:
    """Write a report piece by piece (atomically)."""
    def write(fh) -> None:
        for chunk in chunks:
            fh.write(chunk)
    write_atomic(path, write)


def _lines(lines: Iterable[str]) -> Iterator[bytes]:
    """Lines, each ended by a newline, as UTF-8 in chunks."""
    chunk: list[str] = []
    size = 0
    for line in lines:
        chunk.append(line)
        size += len(line)
        if size > CHUNK:
            yield ("\n".join(chunk) + "\n").encode("utf-8")
            chunk, size = [], 0
    if chunk:
        yield ("\n".join(chunk) + "\n").encode("utf-8")


def read_csv(path: str | Path) -> list[dict]:
    """The rows of a report.csv (as edited in a spreadsheet), with the formula guard undone."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as a UTF-8 CSV file ({exc}).") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(path, f"has no {', '.join(missing)} column: use the report.csv that "
                               "consult collate wrote, saved as CSV.")
    return [{k: (v[1:] if v.startswith("'") else v) for k, v in row.items() if k in COLUMNS}
            for row in reader]


# -- shared pieces of the HTML and Markdown -----------------------------------------------
class _Walk:
    """The entries in report order, taken a section at a time and then the unplaced ones."""

    def __init__(self, col: "Collation", entries: _Sorted) -> None:
        self._it = iter(entries)
        self._next = next(self._it, None)
        self.touched = entries.touched()            # section -> paragraphs responded to
        self._conflicts = col.conflicts
        self.conflicted: dict[str, list[int]] = {}  # section -> its conflicts' positions
        for k, c in enumerate(col.conflicts):
            self.conflicted.setdefault(c.section, []).append(k)

    def conflicts(self, section_id: str) -> Iterator:
        """The section's conflicts (read back one at a time)."""
        for k in self.conflicted.get(section_id, ()):
            yield self._conflicts[k]

    def section(self, section_id: str) -> Iterator[_Entry]:
        """The entries placed in the section (sections are taken in draft order)."""
        while (self._next is not None and self._next.place is not None
               and self._next.place.section == section_id):
            yield self._pop()

    def unplaced(self) -> Iterator[_Entry]:
        while self._next is not None:
            e = self._pop()
            if e.place is None:
                yield e

    def _pop(self) -> _Entry:
        e, self._next = self._next, next(self._it, None)
        return e


def _draft_excerpt(draft: Draft, section, touched: set[int]) -> list[tuple[str, str]]:
    """(number, shortened text) for the paragraphs shown; ("", "…") marks skipped ones."""
    first = section.start
    if draft.paragraphs[first].text.strip() == section.title and first not in touched:
        first += 1                                      # the heading is shown already
    indexes = list(range(first, section.end))
    if len(indexes) > DRAFT_PARAS:
        indexes = [i for i in indexes if i in touched]
    out, last = [], first - 1
    for i in indexes:
        if i > last + 1:
            out.append(("", MORE))
        text = draft.paragraphs[i].text
        out.append((paragraph_label(draft, i), _short(text, DRAFT_CHARS)))
        last = i
    if last < section.end - 1:
        out.append(("", MORE))
    return out


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + MORE


def _totals(col: "Collation") -> str:
    groups = group_rows(col)
    returned = sum(g["returned"] for g in groups)
    comments = sum(g["comments"] for g in groups)
    changes = sum(g["revisions"] for g in groups)
    return (f"{returned} of {len(groups)} groups returned: {_n(comments, 'comment')}, "
            f"{_n(changes, 'proposed change')}, {_n(len(col.conflicts), 'conflict')}.")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _quiet_sections(col: "Collation", active: set[str]) -> tuple[list, list]:
    """Sections nobody covered, and sections returned without any response."""
    uncovered = set(col.uncovered_sections)
    none = [s for s in col.draft.sections if s.id in uncovered]
    silent = [s for s in col.draft.sections if s.id not in uncovered and s.id not in active]
    return none, silent


def _title(s) -> str:
    return f"{s.number} {s.title}".strip()


def _title_assigned(col: "Collation", s) -> str:
    assigned = col.assigned(s.id)
    return _title(s) + (f" (assigned to {', '.join(assigned)})" if assigned else "")


def _version(text: str) -> str:
    return f"\u201c{text}\u201d" if text else "(deletes it)"


VERBS = {"comment": "comment", "reply": "reply", "insert": "inserted", "delete": "deleted",
         "move-to": "moved here", "move-from": "moved away", "paragraph-insert":
         "new paragraph", "paragraph-delete": "joined paragraphs", "format": "formatting",
         "paragraph-format": "paragraph formatting"}


# -- HTML ---------------------------------------------------------------------------------
CSS = """
body{font:20px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#111;
background:#fff;max-width:72em;margin:1em auto;padding:0 1em}
h1{font-size:1.8em;margin:.3em 0}h2{font-size:1.4em;border-bottom:2px solid #bbb;margin-top:1.8em}
h3{font-size:1.2em;margin:1.2em 0 .4em}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}
.lead{font-size:1.1em}.meta{color:#444}.t{white-space:pre-wrap}
.chart{display:grid;grid-template-columns:minmax(8em,16em) 1fr;gap:.6em 1em;align-items:center}
.bars div{display:flex;align-items:center;gap:.4em;font-size:.8em;line-height:1.2}
.bar{display:inline-block;height:.8em}.bc{background:#1f5fbf}.be{background:#b35c00}
.bx{background:#c62828}.key span{margin-right:1.2em}.key .bar{width:1.2em;margin-right:.3em}
.draft{background:#f4f4f4;border-left:5px solid #888;padding:.2em .9em;font-size:.9em}
.draft p{margin:.4em 0}.num{font-weight:bold;margin-right:.6em}
ul.items{list-style:none;padding:0}.item{border-left:5px solid #1f5fbf;padding:.3em .8em;
margin:.5em 0;background:#f7f9fc}.item.x{border-color:#c62828;background:#fdecea}
.who{font-size:.85em;color:#333}.on{font-size:.85em;color:#444}
.badge{background:#c62828;color:#fff;border-radius:.3em;padding:0 .35em;font-weight:bold}
.conflict{border:3px solid #c62828;background:#fff5f5;padding:.4em .9em;margin:.6em 0}
ins{background:#dff5e3;text-decoration:underline}del{background:#fde2e1}
.no{color:#b00020;font-weight:bold}
@media print{body{font-size:11pt;max-width:none;margin:0}h2{break-after:avoid}
.item,.conflict,.draft,tr,.chart>*{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}a{color:inherit;text-decoration:none}}
"""


def html_text(col: "Collation") -> str:
    """The whole report as one self-contained HTML page."""
    with _Sorted(col) as entries:
        return "\n".join(_html_lines(col, entries)) + "\n"


def _html_lines(col: "Collation", entries: _Sorted) -> Iterator[str]:
    walk = _Walk(col, entries)
    name = Path(col.draft.path).name
    yield from ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
             'style-src \'unsafe-inline\'">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Responses to {escape(name)}</title><style>{CSS}</style></head><body>",
             f"<h1>Responses to {escape(name)}</h1>",
             f'<p class="lead">{escape(_totals(col))}</p>',
             f'<p class="meta">Draft fingerprint {escape(col.draft.fingerprint)}.</p>']
    yield from _html_chart(col) + _html_groups(col)
    yield from _html_sections(col, walk)
    yield from _html_unplaced(walk.unplaced())
    yield from _html_list("Inputs that could not be used",
                          [f"<b>{escape(Path(r.path).name)}</b>: {escape(r.reason)}"
                           for r in col.rejected])
    yield from _html_list("Notes from reading the files", [escape(str(m)) for m in col.messages])
    yield "</body></html>"


def _html_chart(col: "Collation") -> list[str]:
    stats = [(k, st) for k, st in enumerate(section_stats(col)) if _weight(st)]
    out = ["<h2>Which sections drew the most responses</h2>"]
    if not stats:
        return out + ["<p>No comments or changes were returned.</p>"]
    stats.sort(key=lambda t: (-_weight(t[1]), t[0]))
    top = max(max(st["comments"], st["insertions"] + st["deletions"], st["conflicts"])
              for _, st in stats)
    out.append('<p class="key"><span><i class="bar bc"></i>comments</span><span><i class="bar '
               'be"></i>edits (insertions and deletions)</span><span><i class="bar bx"></i>'
               "conflicts</span></p>")
    out.append('<div class="chart">')
    for _, st in stats:
        s = col.draft.section(st["section"])
        bars = [(st["comments"], "bc", "comment"), (st["insertions"] + st["deletions"], "be",
                                                     "edit"), (st["conflicts"], "bx", "conflict")]
        out.append(f'<a href="#s-{escape(s.id)}">{escape(_title(s))}</a><div class="bars">'
                   + "".join(f'<div><span class="bar {cls}" style="width:{80 * n / top:.1f}%">'
                             f"</span>{escape(_n(n, noun))}</div>" for n, cls, noun in bars)
                   + "</div>")
    return out + ["</div>"]


def _weight(st: dict) -> int:
    return st["comments"] + st["insertions"] + st["deletions"] + st["conflicts"]


def _html_groups(col: "Collation") -> list[str]:
    out = ["<h2>Groups</h2>", "<table><tr><th>Group</th><th>Returned</th><th>File</th>"
           "<th>Sections</th><th>Comments</th><th>Changes</th><th>Unplaced</th></tr>"]
    for g in group_rows(col):
        returned = "yes" if g["returned"] else '<span class="no">no</span>'
        file = escape(Path(g["file"]).name) if g["file"] else "\u2014"
        out.append(f"<tr><td>{escape(g['group'])}</td><td>{returned}</td><td>{file}</td>"
                   f"<td>{escape(', '.join(g['sections']))}</td><td>{g['comments']}</td>"
                   f"<td>{g['revisions']}</td><td>{g['unplaced']}</td></tr>")
    return out + ["</table>"]


def _html_sections(col: "Collation", walk: _Walk) -> Iterator[str]:
    yield "<h2>Section by section</h2>"
    for s in col.draft.sections:
        if s.id in walk.touched or s.id in walk.conflicted:
            yield from _html_section(col, s, walk)
    none, silent = _quiet_sections(col, set(walk.touched) | set(walk.conflicted))
    yield from _html_list("Sections no group returned",
                          [f'<span id="s-{escape(s.id)}">{escape(_title_assigned(col, s))}</span>'
                           for s in none])
    yield from _html_list("Sections returned without comments or changes",
                          [f'<span id="s-{escape(s.id)}">{escape(_title(s))}</span>'
                           for s in silent])


def _html_section(col: "Collation", s, walk: _Walk) -> Iterator[str]:
    touched = walk.touched.get(s.id, set())
    returned = col.returned_by(s.id)
    out = [f'<section id="s-{escape(s.id)}"><h3>{escape(_title(s))}</h3>',
           f'<p class="meta">Assigned to {escape(", ".join(col.assigned(s.id)) or "nobody")};'
           f' returned by {escape(", ".join(returned) or "nobody")}.</p>', '<div class="draft">']
    for num, text in _draft_excerpt(col.draft, s, touched):
        out.append(f'<p><span class="num">{escape(num)}</span>{escape(text)}</p>')
    out.append("</div>")
    for c in walk.conflicts(s.id):
        out.append(f'<div class="conflict"><span class="badge">{escape(c.id)}</span> '
                   f"<b>Conflict:</b> groups propose different changes to "
                   f"\u201c<span class=\"t\">{escape(c.draft_text)}</span>\u201d<table>"
                   "<tr><th>Group</th><th>Their version</th></tr>"
                   + "".join(f"<tr><td>{escape(g)}</td><td class=\"t\">{escape(_version(t))}"
                             "</td></tr>" for g, t in c.versions) + "</table></div>")
    out.append('<ul class="items">')
    yield from out
    for e in walk.section(s.id):
        yield _html_item(e.row)
    yield "</ul></section>"


def _html_item(row: dict) -> str:
    kind = row["kind"]
    text = escape(row["text"])
    if kind in INSERTS:
        text = f"<ins>{text}</ins>"
    elif kind in DELETES:
        text = f"<del>{text}</del>"
    badge = f' <span class="badge">{escape(row["conflict"])}</span>' if row["conflict"] else ""
    untracked = " (made without Track Changes)" if row["tracked"] == "no" else ""
    on = "at" if CARET in row["anchor"] else "on"
    anchor = (f'<div class="on">{on}: \u201c<span class="t">{escape(row["anchor"])}</span>'
              "\u201d</div>" if row["anchor"] and row["anchor"] != row["text"] else "")
    return (f'<li class="item{" x" if row["conflict"] else ""}"><div class="who"><b>'
            f'{escape(row["group"])}</b> \u00b7 {escape(row["person"])} \u00b7 '
            f'{escape(VERBS.get(kind, kind))}{escape(untracked)}{badge}</div>'
            f'<div class="t">{text}</div>{anchor}</li>')


def _html_unplaced(entries: Iterable[_Entry]) -> list[str]:
    items = [f"<b>{escape(e.row['group'])}</b> \u00b7 {escape(e.row['person'])} \u00b7 "
             f"{escape(VERBS.get(e.row['kind'], e.row['kind']))}: "
             f'<span class="t">{escape(e.row["text"])}</span>'
             + (f'<div class="on">on: \u201c{escape(e.row["anchor"])}\u201d</div>'
                if e.row["anchor"] else "")
             + f'<div class="on">Not placed: {escape(e.row["status"].split(": ", 1)[1])}</div>'
             for e in entries]
    return _html_list("Responses that could not be placed on the draft", items)


def _html_list(title: str, items: list[str]) -> list[str]:
    body = ["<ul>"] + [f"<li>{i}</li>" for i in items] + ["</ul>"] if items else ["<p>None.</p>"]
    return [f"<h2>{escape(title)}</h2>"] + body


def write_html(col: "Collation", path: str | Path, entries: _Sorted | None = None) -> Path:
    with _own(col, entries) as sorted_entries:
        _write_chunks(path, _lines(_html_lines(col, sorted_entries)))
    return Path(path)


# -- Markdown -----------------------------------------------------------------------------
MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str) -> str:
    """Text safe inside Markdown inline content and table cells; ¶ marks a paragraph break."""
    return MD_SPECIAL.sub(r"\\\1", text).replace("\r\n", "\n").replace("\n", " \u00b6 ")


def markdown_text(col: "Collation") -> str:
    """The report as Markdown, for pasting into minutes."""
    with _Sorted(col) as entries:
        return "\n".join(_md_lines(col, entries)) + "\n"


def _md_lines(col: "Collation", entries: _Sorted) -> Iterator[str]:
    walk = _Walk(col, entries)
    out = [f"# Responses to {md(Path(col.draft.path).name)}", "",
           f"{md(_totals(col))} Draft fingerprint {md(col.draft.fingerprint)}.", ""]
    out += ["## Responses per section", "",
            "| Section | Title | Assigned | Returned | Comments | Edits | Conflicts |",
            "|---|---|---|---|---:|---:|---:|"]
    for st in section_stats(col):
        out.append(f"| {md(st['section'])} | {md(st['title'])} | {md(', '.join(st['assigned']))}"
                   f" | {md(', '.join(st['returned']))} | {st['comments']} | "
                   f"{st['insertions'] + st['deletions']} | {st['conflicts']} |")
    out += ["", "## Groups", "", "| Group | Returned | File | Comments | Changes | Unplaced |",
            "|---|---|---|---:|---:|---:|"]
    for g in group_rows(col):
        file = md(Path(g["file"]).name) if g["file"] else "\u2014"
        out.append(f"| {md(g['group'])} | {'yes' if g['returned'] else '**no**'} | {file} | "
                   f"{g['comments']} | {g['revisions']} | {g['unplaced']} |")
    yield from out
    yield from _md_sections(col, walk)
    yield from _md_list("Responses that could not be placed on the draft",
                        [_md_item(e.row) + " \u2014 not placed: "
                         + md(e.row["status"].split(": ", 1)[1]) for e in walk.unplaced()])
    yield from _md_list("Inputs that could not be used",
                        [f"{md(Path(r.path).name)}: {md(r.reason)}" for r in col.rejected])
    yield from _md_list("Notes from reading the files", [md(str(m)) for m in col.messages])


def _md_sections(col: "Collation", walk: _Walk) -> Iterator[str]:
    yield from ["", "## Section by section"]
    for s in col.draft.sections:
        if s.id in walk.touched or s.id in walk.conflicted:
            yield from _md_section(col, s, walk)
    none, silent = _quiet_sections(col, set(walk.touched) | set(walk.conflicted))
    yield from _md_list("Sections no group returned", [md(_title_assigned(col, s)) for s in none])
    yield from _md_list("Sections returned without comments or changes",
                        [md(_title(s)) for s in silent])


def _md_section(col: "Collation", s, walk: _Walk) -> Iterator[str]:
    out = ["", f"### {md(_title(s))}", ""]
    out += [f"> {'**' + md(num) + '** ' if num else ''}{md(text)}  "
            for num, text in _draft_excerpt(col.draft, s, walk.touched.get(s.id, set()))]
    out.append("")
    out += [f"- **Conflict {md(c.id)}** on \u201c{md(c.draft_text)}\u201d: "
            + "; ".join(f"{md(g)}: {md(_version(t))}" for g, t in c.versions)
            for c in walk.conflicts(s.id)]
    yield from out
    for e in walk.section(s.id):
        yield f"- {_md_item(e.row)}"


def _md_item(row: dict) -> str:
    kind = VERBS.get(row["kind"], row["kind"])
    extra = " (made without Track Changes)" if row["tracked"] == "no" else ""
    extra += f" [{row['conflict']}]" if row["conflict"] else ""
    anchor = ""
    if row["anchor"] and row["anchor"] != row["text"]:
        anchor = f" {'at' if CARET in row['anchor'] else 'on'} \u201c{md(row['anchor'])}\u201d"
    return (f"**{md(row['group'])}** ({md(row['person'])}), {md(kind)}{md(extra)}{anchor}: "
            f"\u201c{md(row['text'])}\u201d")


def _md_list(title: str, items: list[str]) -> list[str]:
    return ["", f"## {title}", ""] + ([f"- {i}" for i in items] or ["None."])


def write_markdown(col: "Collation", path: str | Path, entries: _Sorted | None = None) -> Path:
    with _own(col, entries) as sorted_entries:
        _write_chunks(path, _lines(_md_lines(col, sorted_entries)))
    return Path(path)


# -- all three ----------------------------------------------------------------------------
def write_reports(col: "Collation", folder_or_prefix: str | Path) -> list[Path]:
    """Write the CSV, HTML and Markdown reports; return their paths.

    A folder gets report.csv, report.html and report.md; a file name such as
    ``out/minutes.html`` names the three files ``out/minutes.csv``, ``.html`` and ``.md``.
    """
    target = Path(folder_or_prefix)
    if target.suffix.lower() in REPORT_SUFFIXES and not target.is_dir():
        base = target.with_suffix("")
    else:
        base = target / "report"
    paths = [base.with_name(base.name + ext) for ext in (".csv", ".html", ".md")]
    failed = []
    with _Sorted(col) as entries:            # sorted once for the three
        for path, write in zip(paths, (write_csv, write_html, write_markdown)):
            try:
                write(col, path, entries)
            except OutputError as exc:      # try the others; say which could not be written
                failed.append((path, exc))
    if failed:
        raise PartialOutputError([p for p in paths if p not in dict(failed)], failed)
    return paths


__all__ = ["COLUMNS", "report_rows", "summary_json", "write_summary_json", "group_rows", "csv_bytes", "read_csv",
           "html_text", "markdown_text", "write_csv", "write_html", "write_markdown",
           "write_reports", "paragraph_label", "insertion_context"]
