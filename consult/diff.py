"""Compare two drafts: sections matched and classified, and a Word redline of the changes."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


from .errors import UsageError
from .model import Draft, Section
from .ooxml.build import sync_styles_with_effects
from .ooxml.document import Document, open_document
from .ooxml.package import Limits
from .ooxml.redline import DEFAULT_DATE, Redliner, Step, table_place
from .ooxml.revisions import accept_all, has_revisions, resolve
from .pairing import ROUGH_SHARE, pair_paragraphs, rough, sequence_opcodes
from .results import Message, Messages
from .split import load_draft
from .textdiff import EQUAL, edits, similarity, word_diff

STATUSES = ("unchanged", "changed", "added", "removed", "moved", "renumbered")
ROW_KEYS = ("section_old", "section_new", "title", "status", "changed_pct")
MIN_SECTION_SIMILARITY = 0.5    # sections whose titles differ pair up at this text similarity
MAX_SECTION_PAIRS = 2500        # similarity comparisons of unmatched sections, nearest first
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
    stranded: int = 0       # paragraph marks consult's accept / reject cannot resolve
    messages: tuple[Message, ...] = ()


# -- sections ------------------------------------------------------------------------------
def diff(old_path: str | Path, new_path: str | Path, level: int | None = None,
         limits: Limits = Limits()) -> DraftDiff:
    """Compare two drafts section by section (``level`` 1 = Heading 1, None = as split does)."""
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
        if rough(old_texts[i], new_texts[j]) >= ROUGH_SHARE * MIN_SECTION_SIMILARITY:
            score = similarity(old_texts[i], new_texts[j])
            if score >= MIN_SECTION_SIMILARITY:
                scored.append((-score, distance, j, i))
    for _s, _d, j, i in sorted(scored):
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)


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
    stranded = Redliner(new.package, author or "Redraft", stamp).apply(steps)
    sync_styles_with_effects(new.package)
    new.package.save(out_path)
    messages = Messages()
    for doc in (old, new):
        if doc.resolved_revisions:
            messages.info(f"{doc.resolved_revisions} tracked changes were accepted before "
                          "comparing", doc.package.path)
    if stranded:
        messages.warn(f"{stranded} inserted or deleted paragraphs have no paragraph to join "
                      "(they sit between tables, or before or after one at the start or end); "
                      "Word resolves them, but consult's accept and reject leave an empty "
                      "paragraph there", str(out_path))
    kinds = [s.kind for s in steps]
    return Redline(str(out_path), sum(1 for s in steps if s.kind == "same" and not s.edits),
                   sum(1 for s in steps if s.kind == "same" and s.edits),
                   kinds.count("insert"), kinds.count("delete"), stranded, tuple(messages))


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


__all__ = ["diff", "diff_drafts", "diff_rows", "write_redline", "DraftDiff", "SectionDiff",
           "Redline", "changed_pct", "STATUSES", "ROW_KEYS"]
