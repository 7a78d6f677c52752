"""Groups' returns made from full-context packs with the test toolkit (tests/edit_docx.py).

Each group marks up its allocated sections at a realistic density (per 110,000-word draft:
40 comments of which 10 are replies, 80 tracked changes of mixed kinds, 15 untracked edits);
about one edit in six comes from a pool shared by every group reading the same section, so
groups agree (the same change) and conflict (different changes to the same words).
"""
from __future__ import annotations

import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from text import Prose

TESTS = Path(__file__).resolve().parents[1] / "tests"
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

import edit_docx as ed                                    # noqa: E402  (tests/edit_docx.py)


# The toolkit finds an edit's paragraph by scanning the whole body for the snippet, and a new
# w:id by scanning the whole document: linear in the document for every edit, which makes a
# 2,000-paragraph return take half a minute. The generator knows which paragraph it edits (packs
# mark each one with a hidden _cp<index> bookmark), so the toolkit tries that one first.
_scan = ed.find_paragraph
_hint: dict = {"p": None}


def _find_paragraph(doc, snippet: str):
    p = _hint["p"]
    if p is not None and snippet in ed.paragraph_text(p):
        return p
    return _scan(doc, snippet)


ed.find_paragraph = _find_paragraph


class _Docx(ed.Docx):
    """The toolkit's Docx, remembering the last w:id it gave out for each kind of element."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        super().__init__(parts)
        self._ids: dict = {}

    def next_id(self, tags: tuple[str, ...], parts: tuple[str, ...] = ()) -> int:
        key = (tags, parts)
        self._ids[key] = self._ids[key] + 1 if key in self._ids else super().next_id(tags, parts)
        return self._ids[key]

COMMENTS, REPLIES, TRACKED, UNTRACKED = 30, 10, 80, 15
TRACKED_MIX = (("replace", 30), ("delete", 20), ("insert", 22), ("insert-paragraph", 8))
UNTRACKED_MIX = (("replace", 11), ("split", 2), ("delete-paragraph", 2))
SHARED_SHARE = 1 / 6
POOL_PER_SECTION = 6
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
CONTEXT_CHARS = 30          # a snippet is the edited words and what follows, at least this long
PEOPLE = ("Priya Shah", "Ben Okafor", "Carmen Ruiz", "Dan Price", "Eve Lindqvist", "Sam Taylor",
          "Aisha Khan", "Tom Reilly", "Helen Carter", "Joanna Pryce", "Marek Nowak", "Li Wei")


@dataclass
class Target:
    """A draft paragraph a group may edit, with the words already spoken for."""

    para: int
    text: str
    words: list[tuple[int, int]]            # (start, end) character span of each word
    used: set[int] = field(default_factory=set)
    whole: bool = False                     # split or deleted: nothing else may touch it


@dataclass(frozen=True)
class Spec:
    """One edit: kind, paragraph, word span [a, b) and new text."""

    kind: str
    para: int
    a: int
    b: int
    new: str = ""


def targets(draft, section_ids) -> dict[int, Target]:
    """Body paragraphs of the sections long enough to edit, with unique text."""
    counts: dict[str, int] = {}
    for p in draft.paragraphs:
        counts[p.text] = counts.get(p.text, 0) + 1
    out = {}
    for sid in section_ids:
        s = draft.section(sid)
        for p in draft.paragraphs[s.start:s.end]:
            if p.in_table or p.outline is not None or len(p.text) < 120 or counts[p.text] > 1:
                continue
            out[p.index] = Target(p.index, p.text, _word_spans(p.text))
    return out


def pool(draft, section_id: str, seed: int, scale: float) -> list[Spec]:
    """Edits shared by every group reading ``section_id``; a replace has two wordings."""
    rng = random.Random(f"pool-{seed}-{section_id}")
    prose = Prose(rng)
    tg = targets(draft, [section_id])
    out: list[Spec] = []
    keys = sorted(tg)
    for _ in range(max(1, round(POOL_PER_SECTION * min(scale, 1)))):
        if not keys:
            break
        t = tg[rng.choice(keys)]
        span = _free_span(rng, t, 1, 3)
        if span is None:
            continue
        kind = rng.choice(("replace", "replace", "delete", "insert"))
        new = prose.words_of(rng.randint(1, 4)) if kind != "delete" else ""
        out.append(Spec(kind, t.para, *span, new=new))
    return out


def _free_span(rng: random.Random, t: Target, lo: int, hi: int) -> tuple[int, int] | None:
    """A run of ``lo``..``hi`` unused words followed by unused context; marks them used."""
    n = len(t.words)
    for _ in range(12):
        size = rng.randint(lo, hi)
        if n < size + 8:
            return None
        a = rng.randrange(0, n - size - 6)
        if _reserve(t, a, a + size):
            return a, a + size
    return None


def _reserve(t: Target, a: int, b: int) -> bool:
    """Mark words ``a``..``b-1``, their snippet context and a word either side as used."""
    n = len(t.words)
    end = b
    while end < n and t.words[end][0] - t.words[b - 1][1] < CONTEXT_CHARS:
        end += 1
    if end >= n or t.whole:
        return False
    span = range(max(0, a - 1), end + 1)
    if any(k in t.used for k in span):
        return False
    t.used.update(span)
    return True


@dataclass
class Group:
    """A group's plan: who, when, and the edits."""

    name: str
    people: list[tuple[str, str]]
    date: str
    specs: list[Spec] = field(default_factory=list)


def _word_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in WORD.finditer(text)]


def plan_group(draft, name: str, index: int, sections, seed: int, scale: float,
               pools: dict[str, list[Spec]]) -> Group:
    """What group ``name`` (the ``index``-th) does to its ``sections``: edits at ``scale``
    times the full density, some drawn from the sections' shared ``pools``."""
    rng = random.Random(f"group-{seed}-{name}")
    prose = Prose(rng)
    people = [(p, "".join(w[0] for w in p.split())) for p in rng.sample(PEOPLE, rng.randint(2, 4))]
    day = 1 + index % 27
    group = Group(name, people, f"2026-10-{day:02d}T{9 + index % 8:02d}:{index % 60:02d}:00Z")
    tg = targets(draft, sections)
    keys = sorted(tg)
    if not keys:
        return group
    n = lambda k: max(1, round(k * scale))             # noqa: E731
    shared = [s for sid in sections for s in pools.get(sid, ())]
    plan = [("t-" + k, n(c)) for k, c in TRACKED_MIX] + [("u-" + k, n(c)) for k, c in UNTRACKED_MIX]
    plan.append(("comment", n(COMMENTS)))
    for kind, count in plan:
        made = 0
        for _ in range(count * 4):
            if made == count:
                break
            spec = _spec(rng, prose, kind, tg, keys, shared)
            if spec is not None:
                group.specs.append(spec)
                made += 1
    replies = n(REPLIES)
    commented = [k for k, s in enumerate(group.specs) if s.kind == "comment"]
    for k in rng.sample(commented, min(replies, len(commented))):
        group.specs.append(Spec("reply", group.specs[k].para, k, 0,
                                prose.sentence(rng.randint(6, 20))))
    return group


def _spec(rng, prose: Prose, kind: str, tg: dict[int, Target], keys: list[int],
          shared: list[Spec]) -> Spec | None:
    if kind in ("t-replace", "t-delete", "t-insert", "u-replace") and shared \
            and rng.random() < SHARED_SHARE:
        s = rng.choice(shared)
        t = tg.get(s.para)
        if t is not None and _reserve(t, s.a, s.b):
            new = s.new if rng.random() < 0.5 else prose.words_of(rng.randint(1, 4))
            base = {"replace": "t-replace", "delete": "t-delete", "insert": "t-insert"}[s.kind]
            if kind == "u-replace" and s.kind == "replace":
                base = kind
            return Spec(base, s.para, s.a, s.b, "" if s.kind == "delete" else new)
    t = tg[rng.choice(keys)]
    if t.whole:
        return None
    if kind in ("u-split", "u-delete-paragraph", "t-insert-paragraph"):
        if t.used or len(t.words) < 12 or not _reserve(t, 0, 1):
            return None
        if kind == "u-split":
            k = len(t.words) // 2
            t.whole = _reserve(t, k, k + 1)
            return Spec(kind, t.para, k, k + 1) if t.whole else None
        t.whole = kind == "u-delete-paragraph"
        return Spec(kind, t.para, 0, 0, prose.paragraph(rng.randint(20, 60)))
    lo, hi = {"comment": (2, 12), "t-insert": (1, 2)}.get(kind, (1, 4))
    span = _free_span(rng, t, lo, hi)
    if span is None:
        return None
    new = ""
    if kind in ("t-replace", "u-replace", "t-insert"):
        new = prose.words_of(rng.randint(1, 5))
    elif kind == "comment":
        new = prose.sentence(rng.randint(8, 30))
    return Spec(kind, t.para, *span, new=new)


def apply(doc: ed.Docx, draft, group: Group, rng: random.Random) -> int:
    """Make the group's edits with the toolkit; returns how many were made."""
    made = 0
    ids: dict[int, int] = {}
    anchors = {b.get(ed.w("name")): b.getparent() for b in doc.body.iter(ed.w("bookmarkStart"))
               if (b.get(ed.w("name")) or "").startswith("_cp")}
    for k, s in enumerate(group.specs):
        person, initials = rng.choice(group.people)
        text = draft.paragraphs[s.para].text
        _hint["p"] = anchors.get(f"_cp{s.para}")
        try:
            if s.kind == "reply":
                parent = ids.get(s.a)
                if parent is None:
                    continue
                ed.add_comment(doc, None, s.new, person, initials, group.date, reply_to=parent,
                               resolved=rng.random() < 0.3)
            else:
                cid = _apply_one(doc, text, s, person, initials, group.date)
                if cid is not None:
                    ids[k] = cid
            made += 1
        except (LookupError, ValueError):
            continue                # a snippet that is not unique: that edit is left out
    _hint["p"] = None
    return made


def _snippet(text: str, s: Spec, words) -> tuple[str, str]:
    """(snippet, words): the edited words and enough following text to be unique."""
    a, b = words[s.a][0], words[s.b - 1][1]
    end = b
    k = s.b
    while k < len(words) and end - a < (b - a) + CONTEXT_CHARS:
        end = words[k][1]
        k += 1
    return text[a:end], text[a:b]


def _apply_one(doc: ed.Docx, text: str, s: Spec, person: str, initials: str, date: str):
    """One edit with the toolkit; a comment's w:id is returned (for replies)."""
    words = _word_spans(text)
    head = text[:words[0][1] + CONTEXT_CHARS]
    if s.kind == "t-insert-paragraph":
        ed.track_insert_paragraph_after(doc, head, s.new, person, date)
        return None
    if s.kind == "u-delete-paragraph":
        ed.untracked_delete_paragraph(doc, head)
        return None
    if s.kind == "u-split":
        snippet, before = _snippet(text, s, words)
        ed.untracked_split_paragraph(doc, snippet, before)
        return None
    snippet, old = _snippet(text, s, words)
    if s.kind == "t-replace":
        ed.track_replace(doc, snippet, old, s.new, person, date)
    elif s.kind == "t-delete":
        ed.track_delete(doc, snippet, old, person, date)
    elif s.kind == "t-insert":
        ed.track_insert(doc, snippet, old, " " + s.new, person, date)
    elif s.kind == "u-replace":
        ed.untracked_replace(doc, snippet, old, s.new)
    elif s.kind == "comment":
        return ed.add_comment(doc, snippet, s.new, person, initials, date, words=old)
    return None


def make_return(pack: Path, out: Path, draft, group: Group, seed: int) -> int:
    """Open ``pack``, make the group's edits, save as ``out``; returns edits made."""
    doc = _Docx.open(pack)
    made = apply(doc, draft, group, random.Random(f"apply-{seed}-{group.name}"))
    person = group.people[0][0]
    ed.set_author_in_core(doc, person, group.date)
    doc.save(out)
    return made
