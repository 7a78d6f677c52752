"""Allocate sections to groups: contiguous and balanced by words, or from a session plan."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .errors import UsageError
from .model import Allocation, Draft, Section
from .results import Messages, safe_text

ALLOCATION_FIELDS = ["group", "sections", "titles", "words", "pages"]


def group_names(spec: str | int | list[str]) -> list[str]:
    """Group names from a count (``8`` -> Group 1..Group 8), a list, or a text file path."""
    if isinstance(spec, list):
        names = [n.strip() for n in spec if n.strip()]
    elif isinstance(spec, int) or str(spec).strip().isdigit():
        count = int(spec)
        if count < 1:
            raise UsageError("the number of groups must be at least 1.")
        names = [f"Group {n}" for n in range(1, count + 1)]
    else:
        path = Path(str(spec))
        if not path.is_file():
            raise UsageError(f"groups file {str(spec)!r} does not exist; give a number of "
                             "groups or a text file with one group name a line.")
        names = [ln.strip() for ln in path.read_text(encoding="utf-8-sig").splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")]
    if not names:
        raise UsageError("no group names were given.")
    twice = next((n for i, n in enumerate(names) if n in names[:i]), None)
    if twice:
        raise UsageError(f"group names must be different from each other: {safe_text(twice)!r} "
                         "is given twice.")
    check_spelling(names)
    return names


def check_spelling(names: list[str], where: str = "") -> None:
    """Raise when two group names differ only in case or spacing ('Group 1', 'group  1'):
    a typo that would split one group's sections between two packs."""
    seen: dict[str, str] = {}
    for name in names:
        key = " ".join(name.split()).casefold()
        first = seen.setdefault(key, name)
        if first != name:
            head = f"{where}: " if where else ""
            raise UsageError(f"{head}{safe_text(name)!r} and {safe_text(first)!r} differ only "
                             "in case or spacing; spell each group's name the same way.")


def allocate(draft: Draft, groups: list[str], coverage: int = 1,
             per_group_pages: float | None = None,
             messages: Messages | None = None) -> list[Allocation]:
    """Give each group a contiguous run of sections, balanced by words.

    ``coverage`` K gives every section to K groups (each group also reads the next K-1
    groups' runs). ``per_group_pages`` caps each run at about that many pages; sections
    beyond what the groups can read are left uncovered (a warning says which).
    """
    messages = messages if messages is not None else Messages()
    sections = [s for s in draft.sections if s.words > 0 or s.end > s.start]
    if coverage < 1 or coverage > len(groups):
        raise UsageError(f"coverage must be between 1 and the number of groups ({len(groups)}).")
    runs = (_runs_within(sections, per_group_pages, messages) if per_group_pages
            else partition([s.words for s in sections], min(len(groups), len(sections))))
    parts = [[sections[i].id for i in run] for run in runs]
    if len(parts) > len(groups):
        left = [sid for part in parts[len(groups):] for sid in part]
        messages.warn(f"{len(groups)} groups reading about {per_group_pages:g} pages each "
                      f"cannot cover the draft; sections not allocated: {', '.join(left)}")
        parts = parts[: len(groups)]
    out = []
    for g, name in enumerate(groups):
        ids: list[str] = []
        for k in range(coverage):
            ids += parts[(g + k) % len(parts)]
        out.append(Allocation(name, tuple(dict.fromkeys(ids))))
    return out


def _span(secs: list[Section]) -> int:
    """Pages from the first section's first page to the last one's last page."""
    return max(s.last_page for s in secs) - min(s.first_page for s in secs) + 1


def _runs_within(sections: list[Section], pages: float, messages: Messages) -> list[list[int]]:
    """The fewest runs balanced by words whose page spans are all at most ``pages`` (a
    section longer than that is a run of its own, with a warning)."""
    weights = [s.words for s in sections]
    for k in range(1, len(sections) + 1):
        runs = partition(weights, k)
        if all(len(r) == 1 or _span([sections[i] for i in r]) <= pages for r in runs):
            break
    for r in runs:
        if _span([sections[i] for i in r]) > pages:
            s = sections[r[0]]
            messages.warn(f"section {s.id} alone spans {_span([s])} pages, more than "
                          f"--per-group-pages {pages:g}; it was given to one group whole")
    return runs


def partition(weights: list[int], k: int) -> list[list[int]]:
    """Split indices 0..n-1 into k contiguous runs minimising the largest run's weight."""
    n = len(weights)
    if n == 0 or k <= 0:
        return []
    k = min(k, n)
    prefix = [0]
    for w in weights:
        prefix.append(prefix[-1] + max(w, 1))
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(k + 1)]
    cut = [[0] * (n + 1) for _ in range(k + 1)]
    best[0][0] = 0
    for j in range(1, k + 1):
        for i in range(j, n + 1):
            for m in range(j - 1, i):
                cost = max(best[j - 1][m], prefix[i] - prefix[m])
                if cost < best[j][i]:
                    best[j][i], cut[j][i] = cost, m
    runs, i = [], n
    for j in range(k, 0, -1):
        m = cut[j][i]
        runs.append(list(range(m, i)))
        i = m
    return list(reversed(runs))


def allocation_rows(draft: Draft, allocations: list[Allocation]) -> list[dict]:
    rows = []
    for a in allocations:
        secs = [draft.section(s) for s in a.sections]
        rows.append({
            "group": a.group,
            "sections": "; ".join(a.sections),
            "titles": "; ".join(s.title for s in secs),
            "words": sum(s.words for s in secs),
            "pages": _page_span(secs, draft.pages_estimated),
        })
    return rows


def _page_span(secs: list[Section], estimated: bool) -> str:
    if not secs:
        return ""
    first, last = min(s.first_page for s in secs), max(s.last_page for s in secs)
    span = f"{first}-{last}" if last > first else str(first)
    return ("~" + span) if estimated else span


def allocation_csv(draft: Draft, allocations: list[Allocation]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, ALLOCATION_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(allocation_rows(draft, allocations))
    return buf.getvalue()


def read_plan(draft: Draft, path: str | Path) -> list[Allocation]:
    """An explicit plan: CSV with a ``group`` column and ``sections`` and/or ``pages``.

    A group named on several rows reads the sections of all of them, in plan order; two
    names that differ only in case or spacing are refused as a typo.

    Pages are used for a row only when its sections cell is empty. Sections are ids separated by ``;`` or ``,``, with ranges (``3.1-3.4``); pages are a range
    (``163-167``) and select the sections that overlap it. ``allocation.csv`` is such a plan.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "group" not in fields or not ({"sections", "pages"} & set(fields)):
        raise UsageError(f"plan {str(path)!r} needs a 'group' column and a 'sections' or "
                         "'pages' column.")
    rows: dict[str, list[str]] = {}
    for row in reader:
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        if not row.get("group"):
            continue
        ids = parse_sections(draft, row.get("sections", ""), path)
        if row.get("pages") and not ids:
            ids += pages_to_sections(draft, row["pages"], path)
        rows.setdefault(" ".join(row["group"].split()), []).extend(ids)
    if not rows:
        raise UsageError(f"plan {str(path)!r} has no rows.")
    check_spelling(list(rows), f"plan {str(path)!r}")
    return [Allocation(group, tuple(dict.fromkeys(ids))) for group, ids in rows.items()]


def parse_sections(draft: Draft, spec: str, where: object = "") -> list[str]:
    order = [s.id for s in draft.sections]
    ids: list[str] = []
    for item in re.split(r"[;,]", spec):
        item = item.strip()
        if not item:
            continue
        if item.lower().startswith(("p", "pages")) and re.search(r"\d", item):
            ids += pages_to_sections(draft, re.sub(r"^[a-zA-Z.\s]+", "", item), where)
            continue
        lo, _, hi = item.partition("-") if item.count("-") == 1 else (item, "", "")
        lo, hi = lo.strip(), (hi.strip() or lo.strip())
        if lo not in order or hi not in order:
            bad = lo if lo not in order else hi
            raise UsageError(f"{where}: section {bad!r} is not in the draft; sections are "
                             f"{', '.join(order[:12])}{'...' if len(order) > 12 else ''}.")
        ids += order[order.index(lo): order.index(hi) + 1]
    return ids


def pages_to_sections(draft: Draft, spec: str, where: object = "") -> list[str]:
    m = re.fullmatch(r"\s*~?(\d+)\s*(?:[-–]\s*(\d+))?\s*", spec)
    if not m:
        raise UsageError(f"{where}: page range {spec!r} should look like 163-167.")
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    return [s.id for s in draft.sections if s.first_page <= last and s.last_page >= first]
