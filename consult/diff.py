"""Compare two drafts: sections matched and classified, and a Word redline of the changes."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from diff_match_patch import diff_match_patch

from .errors import UsageError
from .model import Draft, Section
from .ooxml.document import Document, open_document
from .ooxml.package import Limits
from .ooxml.revisions import accept_all, has_revisions, resolve
from .ooxml.redline import DEFAULT_DATE, Redliner, Step, table_place
from .results import Message, Messages
from .split import load_draft
from .textdiff import EQUAL, edits, similarity, word_diff

STATUSES = ("unchanged", "changed", "added", "removed", "moved", "renumbered")
ROW_KEYS = ("section_old", "section_new", "title", "status", "changed_pct")
MIN_SECTION_SIMILARITY = 0.5    # sections whose titles differ pair up at this text similarity
MAX_SECTION_PAIRS = 2500        # similarity comparisons of unmatched sections, nearest first
ROUGH_SHARE = 0.8               # texts sharing fewer words than this (x the bar) are not compared
MIN_PARAGRAPH_SIMILARITY = 0.5  # paragraphs at least this similar are one edited paragraph
MIN_LONE_SIMILARITY = 0.25      # ... or this, when one paragraph stands in for one other
MAX_GAP_CELLS = 4000            # larger unmatched stretches are not searched for edited pairs
MAX_ACCEPT_PASSES = 3
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SectionDiff:
    """One section's fate: its old and new versions (either may be None) and status."""

    status: str
    old: Section | None
    new: Section | None
    changed_pct: float = 0.0

    @property
    def title(self) -> str:
        return (self.new or self.old).title


@dataclass(frozen=True)
class DraftDiff:
    """Two drafts compared section by section, in the new draft's order."""

    old_path: str
    new_path: str
    level: int
    sections: tuple[SectionDiff, ...]
    messages: tuple[Message, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for s in self.sections if s.status == status)


@dataclass(frozen=True)
class Redline:
    """What write_redline wrote: paragraphs kept, edited, inserted and deleted."""

    path: str
    same: int
    edited: int
    inserted: int
    deleted: int
    messages: tuple[Message, ...] = ()


# -- sections ------------------------------------------------------------------------------
def diff(old_path: str | Path, new_path: str | Path, level: int | None = None,
         limits: Limits = Limits()) -> DraftDiff:
    """Compare two drafts section by section (``level`` 0 = Heading 1, None = as split does)."""
    old = load_draft(old_path, level, limits)
    new = load_draft(new_path, old.level if level is None else level, limits)
    return diff_drafts(old, new)


def diff_drafts(old: Draft, new: Draft) -> DraftDiff:
    """Match sections by title, number and text; classify each (see STATUSES)."""
    old_texts = [section_text(old, s) for s in old.sections]
    new_texts = [section_text(new, s) for s in new.sections]
    pairs = match_sections(old, new, old_texts, new_texts)
    moved = _moved(pairs, [s.words for s in old.sections])
    out, shown = [], set()
    for j, s in enumerate(new.sections):
        i = pairs.get(j)
        if i is None:
            out.append(SectionDiff("added", None, s, 100.0))
            continue
        if j not in moved:
            out += [SectionDiff("removed", old.sections[r], None, 100.0)
                    for r in _unpaired(pairs, shown, i)]
        status = _status(old, new, i, j, j in moved, old_texts, new_texts)
        out.append(SectionDiff(status, old.sections[i], s, changed_pct(old_texts[i],
                                                                        new_texts[j])))
    out += [SectionDiff("removed", old.sections[r], None, 100.0)
            for r in _unpaired(pairs, shown, len(old.sections))]
    messages = tuple(old.messages) + tuple(new.messages)
    return DraftDiff(old.path, new.path, old.level, tuple(out), messages)


def _unpaired(pairs: dict[int, int], shown: set[int], before: int) -> list[int]:
    """Old sections before ``before`` that no new section took and that are not yet listed."""
    taken = set(pairs.values())
    out = [r for r in range(before) if r not in taken and r not in shown]
    shown.update(out)
    return out


def _status(old: Draft, new: Draft, i: int, j: int, moved: bool, old_texts: list[str],
            new_texts: list[str]) -> str:
    if moved:
        return "moved"
    if old_texts[i] != new_texts[j]:
        return "changed"
    a, b = old.sections[i], new.sections[j]
    if a.number != b.number and (_labelled(old, a) or _labelled(new, b)):
        return "renumbered"
    return "unchanged"


def _labelled(draft: Draft, s: Section) -> bool:
    """Whether the section's heading shows a number Word computes."""
    return s.id != "0" and any(ch.isalnum() for ch in draft.paragraphs[s.start].label)


def section_text(draft: Draft, s: Section) -> str:
    """The section's paragraphs (heading included, list numbers left out), one a line."""
    return "\n".join(p.text for p in draft.paragraphs[s.start:s.end])


def match_sections(old: Draft, new: Draft, old_texts: list[str],
                   new_texts: list[str]) -> dict[int, int]:
    """new section index -> old section index, for sections that are the same section.

    In order: identical sections (title and text) in order, then identical ones that moved,
    then the same title and number, a title found once on each side, and last similar text.
    """
    a, b = old.sections, new.sections
    old_keys = [(_title(s), t) for s, t in zip(a, old_texts)]
    new_keys = [(_title(s), t) for s, t in zip(b, new_texts)]
    pairs: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in sequence_opcodes(old_keys, new_keys):
        if tag == "equal":
            pairs.update((j1 + k, i1 + k) for k in range(i2 - i1))
    _take(pairs, len(a), len(b), lambda i, j: old_keys[i] == new_keys[j])
    _take(pairs, len(a), len(b),
          lambda i, j: old_keys[i][0] == new_keys[j][0] and a[i].number == b[j].number)
    _take(pairs, len(a), len(b),
          lambda i, j: old_keys[i][0] == new_keys[j][0] and _unique_title(a, b, pairs, i, j))
    _pair_similar(pairs, old_texts, new_texts)
    return pairs


def _take(pairs: dict[int, int], m: int, n: int, same) -> None:
    """Pair each unpaired new section with the nearest unpaired old one that is ``same``."""
    taken = set(pairs.values())
    for j in range(n):
        if j in pairs:
            continue
        found = [i for i in range(m) if i not in taken and same(i, j)]
        if found:
            i = min(found, key=lambda i: (abs(i - j), i))
            pairs[j] = i
            taken.add(i)


def _title(s: Section) -> str:
    return " ".join(s.title.split()).casefold()


def _unique_title(a, b, pairs: dict[int, int], i: int, j: int) -> bool:
    """No other unpaired section on either side has this title."""
    taken = set(pairs.values())
    title = _title(b[j])
    return (sum(1 for k, s in enumerate(a) if k not in taken and _title(s) == title) == 1
            and sum(1 for k, s in enumerate(b) if k not in pairs and _title(s) == title) == 1)


def _pair_similar(pairs: dict[int, int], old_texts: list[str], new_texts: list[str]) -> None:
    """Pair the remaining sections by text similarity, most similar first."""
    taken = set(pairs.values())
    near = sorted((abs(i - j), j, i) for j in range(len(new_texts)) if j not in pairs
                  for i in range(len(old_texts)) if i not in taken)
    scored = []
    for distance, j, i in near[:MAX_SECTION_PAIRS]:
        if _rough(old_texts[i], new_texts[j]) >= ROUGH_SHARE * MIN_SECTION_SIMILARITY:
            score = similarity(old_texts[i], new_texts[j])
            if score >= MIN_SECTION_SIMILARITY:
                scored.append((-score, distance, j, i))
    for _s, _d, j, i in sorted(scored):
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)


def _rough(a: str, b: str) -> float:
    """A cheap estimate of ``similarity``: the share of words the texts have in common."""
    wa, wb = Counter(_WORD.findall(a)), Counter(_WORD.findall(b))
    total = sum(wa.values()) + sum(wb.values())
    return min(_bound(a, b), 2 * sum((wa & wb).values()) / total if total else 1.0)


def _bound(a: str, b: str) -> float:
    """The highest similarity two texts of these lengths can have."""
    return 2 * min(len(a), len(b)) / (len(a) + len(b)) if a or b else 1.0


def _moved(pairs: dict[int, int], words: list[int]) -> set[int]:
    """New indices of pairs outside the heaviest in-order chain (weighted by words)."""
    order = sorted(pairs)
    best: list[tuple[int, int]] = []          # (weight of best chain ending here, previous)
    for k, j in enumerate(order):
        i = pairs[j]
        prev = max(((best[q][0], q) for q in range(k) if pairs[order[q]] < i),
                   default=(0, -1))
        best.append((prev[0] + words[i] + 1, prev[1]))
    keep, k = set(), max(range(len(best)), key=lambda q: (best[q][0], -q), default=-1)
    while k >= 0:
        keep.add(order[k])
        k = best[k][1]
    return set(pairs) - keep


def changed_pct(old: str, new: str) -> float:
    """Words inserted plus words deleted, as a share of the words of both texts (0-100).

    Any difference counts at least 0.1, so a changed section never shows 0.
    """
    if old == new:
        return 0.0
    changed = sum(len(_WORD.findall(t)) for op, t in word_diff(old, new) if op != EQUAL)
    total = len(_WORD.findall(old)) + len(_WORD.findall(new))
    pct = round(100 * changed / total, 1) if total else 100.0
    return max(pct, 0.1)


def diff_rows(d: DraftDiff) -> list[dict]:
    """One row per section for a table, JSON or CSV (keys: ROW_KEYS)."""
    return [{"section_old": s.old.id if s.old else "", "section_new": s.new.id if s.new else "",
             "title": s.title, "status": s.status, "changed_pct": s.changed_pct}
            for s in d.sections]


# -- the redline ---------------------------------------------------------------------------
def write_redline(old_path: str | Path, new_path: str | Path, out_path: str | Path,
                  author: str = "Redraft", date: str | datetime | None = None,
                  limits: Limits = Limits()) -> Redline:
    """Write the new draft with its differences from the old one as tracked changes."""
    stamp = revision_date(date)
    old, new = accepted(old_path, limits), accepted(new_path, limits)
    steps = paragraph_steps(old, new)
    Redliner(new.package, author or "Redraft", stamp).apply(steps)
    new.package.save(out_path)
    messages = Messages()
    for doc in (old, new):
        if doc.resolved_revisions:
            messages.info(f"{doc.resolved_revisions} tracked changes were accepted before "
                          "comparing", doc.package.path)
    kinds = [s.kind for s in steps]
    return Redline(str(out_path), sum(1 for s in steps if s.kind == "same" and not s.edits),
                   sum(1 for s in steps if s.kind == "same" and s.edits),
                   kinds.count("insert"), kinds.count("delete"), tuple(messages))


def accepted(path: str | Path, limits: Limits = Limits()) -> Document:
    """The document with every tracked change accepted, including marks an accept leaves
    behind (a paragraph mark both inserted and deleted)."""
    doc = open_document(path, limits, accept=True)
    for _ in range(MAX_ACCEPT_PASSES):
        if not has_revisions(doc.root):
            break
        doc.resolved_revisions += resolve(doc.root, accept_all)
        doc.refresh()
    return doc


def revision_date(date: str | datetime | None) -> str:
    """An ISO 8601 date for w:date: DEFAULT_DATE for None, UTC for a datetime."""
    if date is None:
        return DEFAULT_DATE
    if isinstance(date, datetime):
        if date.tzinfo is not None:
            date = date.astimezone(timezone.utc).replace(tzinfo=None)
        return date.replace(microsecond=0).isoformat() + "Z"
    if not ISO_DATE.fullmatch(date):
        raise UsageError(f"date {date!r} is not an ISO 8601 date and time; write it like "
                         f"{DEFAULT_DATE}.")
    return date


def paragraph_steps(old: Document, new: Document) -> list[Step]:
    """The merged paragraph order of two documents, with word edits for edited paragraphs."""
    old_texts = [p.text for p in old.paragraphs]
    new_texts = [p.text for p in new.paragraphs]
    old_places = [table_place(p.element) for p in old.paragraphs]
    new_places = [table_place(p.element) for p in new.paragraphs]
    steps = []
    for kind, i, j in pair_paragraphs(old_texts, new_texts, old_places, new_places):
        o = old.paragraphs[i].element if i is not None else None
        n = new.paragraphs[j].element if j is not None else None
        changes = tuple(edits(old_texts[i], new_texts[j])) if kind == "same" else ()
        steps.append(Step(kind, o, n, changes))
    return steps


def pair_paragraphs(old: list[str], new: list[str], old_places: list | None = None,
                    new_places: list | None = None) -> list[tuple]:
    """Merge two lists of paragraph texts: ("same", i, j), ("delete", i, None), ("insert", None, j).

    Equal paragraphs (whitespace aside) in the same place (body, or table depth and
    column, as ``table_place`` gives) are matched in order;
    between them, paragraphs at least MIN_PARAGRAPH_SIMILARITY alike (MIN_LONE_SIMILARITY
    for one paragraph in place of one other, or in table cells) pair up as edited; the rest
    are deleted (first) and inserted.
    """
    old_keys = list(zip(old_places or [(0, -1)] * len(old), [_norm(t) for t in old]))
    new_keys = list(zip(new_places or [(0, -1)] * len(new), [_norm(t) for t in new]))
    out: list[tuple] = []
    for tag, i1, i2, j1, j2 in sequence_opcodes(old_keys, new_keys):
        if tag == "equal":
            out += [("same", i1 + k, j1 + k) for k in range(i2 - i1)]
        else:
            out += _pair_gap(old_keys, new_keys, old, new, (i1, i2, j1, j2))
    return out


def sequence_opcodes(a: list, b: list) -> list[tuple[str, int, int, int, int]]:
    """("equal" | "change", i1, i2, j1, j2) runs of a minimal diff of two lists of keys.

    diff-match-patch's Myers diff (no time limit, so deterministic) over one character
    per distinct key: it keeps the most items in order, even in repetitive documents.
    """
    codes: dict = {}
    text_a = "".join(_code(codes, k) for k in a)
    text_b = "".join(_code(codes, k) for k in b)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    out, i, j = [], 0, 0
    for op, chars in dmp.diff_main(text_a, text_b, False):
        n = len(chars)
        if op == EQUAL:
            out.append(("equal", i, i + n, j, j + n))
        elif out and out[-1][0] == "change":
            _t, i1, i2, j1, j2 = out.pop()
            out.append(("change", i1, i2 + (n if op < 0 else 0), j1, j2 + (n if op > 0 else 0)))
        else:
            out.append(("change", i, i + (n if op < 0 else 0), j, j + (n if op > 0 else 0)))
        i, j = i + (n if op <= 0 else 0), j + (n if op >= 0 else 0)
    return out


def _code(codes: dict, key) -> str:
    """One private-use character per distinct key."""
    if key not in codes:
        n = len(codes)
        codes[key] = chr(0xE000 + n) if n < 0x1900 else chr(0xF0000 + n - 0x1900)
    return codes[key]


def _norm(text: str) -> str:
    return " ".join(text.split())


def _pair_gap(old_keys: list, new_keys: list, old: list[str], new: list[str],
              span: tuple[int, int, int, int]) -> list:
    """Edited pairs in an unmatched stretch (best total similarity, in order), then the rest."""
    i1, i2, j1, j2 = span
    m, n = i2 - i1, j2 - j1
    least = MIN_LONE_SIMILARITY if (m, n) == (1, 1) else MIN_PARAGRAPH_SIMILARITY
    sims = {}
    if m and n and m * n <= MAX_GAP_CELLS:
        for a in range(m):
            for b in range(n):
                x, y = old[i1 + a], new[j1 + b]
                place = old_keys[i1 + a][0]
                if place != new_keys[j1 + b][0]:
                    continue
                bar = MIN_LONE_SIMILARITY if place[0] else least
                score = similarity(x, y) if _rough(x, y) >= ROUGH_SHARE * bar else 0.0
                if score >= bar:
                    sims[a, b] = score
    pairs = _best_chain(sims, m, n) if sims else []
    out, a0, b0 = [], 0, 0
    for a, b in pairs + [(m, n)]:
        out += [("delete", i1 + k, None) for k in range(a0, a)]
        out += [("insert", None, j1 + k) for k in range(b0, b)]
        if (a, b) != (m, n):
            out.append(("same", i1 + a, j1 + b))
        a0, b0 = a + 1, b + 1
    return out


def _best_chain(sims: dict, m: int, n: int) -> list[tuple[int, int]]:
    """The in-order set of pairs with the largest total similarity."""
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    for a in range(m):
        for b in range(n):
            here = max(best[a][b + 1], best[a + 1][b])
            if (a, b) in sims:
                here = max(here, best[a][b] + sims[a, b])
            best[a + 1][b + 1] = here
    pairs, a, b = [], m, n
    while a and b:
        if (a - 1, b - 1) in sims and best[a][b] == best[a - 1][b - 1] + sims[a - 1, b - 1]:
            pairs.append((a - 1, b - 1))
            a, b = a - 1, b - 1
        elif best[a][b] == best[a - 1][b]:
            a -= 1
        else:
            b -= 1
    return pairs[::-1]


__all__ = ["diff", "diff_drafts", "diff_rows", "write_redline", "DraftDiff", "SectionDiff",
           "Redline", "pair_paragraphs", "changed_pct", "STATUSES"]
