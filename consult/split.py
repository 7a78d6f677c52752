"""Split a draft into numbered sections, as Word shows the numbers."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .errors import UsageError
from .model import Draft, Paragraph, Section
from .ooxml.annotations import own_keys, read_file_annotations
from .ooxml.comments_read import comment_key
from .ooxml.document import WORDS_PER_PAGE, Document, from_package, story_parts
from .ooxml.package import Limits, Package
from .ooxml.revisions import duplicate_revision_ids, has_revisions
from .results import Message, Messages

MIN_SECTIONS = 12           # default level: the shallowest that gives at least this many
MAX_LEVEL = 3
FRONT_MATTER = "Front matter"
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def fingerprint(texts: list[str]) -> str:
    """A short hash of the draft's text, stable across re-saves in any word processor."""
    digest = hashlib.sha256("\n".join(t.strip() for t in texts).encode("utf-8"))
    return digest.hexdigest()[:16]


def load_draft(path: str | Path, level: int | None = None, limits: Limits = Limits()) -> Draft:
    """Read a draft .docx and split it into sections at heading ``level`` (1 = Heading 1, as
    the CLI's --level; None = the level giving a sensible number of sections).

    ``Draft.level`` and ``Section.level`` count from 1 too (1 = Heading 1; the front matter
    before the first heading is a level-1 section); ``Paragraph.outline`` is Word's 0-based
    outline level. The draft's text is its text with its own tracked changes accepted; what
    it carries (its tracked changes and comments, by author) is on ``Draft.own_revisions`` /
    ``own_comments``.
    """
    if level is not None and level < 1:
        raise UsageError(f"level {level}: heading levels count from 1 (1 = Heading 1).")
    package = Package.open(path, limits)
    own = read_own(package)
    twice = duplicate_revision_ids(package.body()) if own[0] else 0
    draft = draft_from_document(from_package(package, accept=True),
                                None if level is None else level - 1, own)
    if twice:
        draft = replace(draft, messages=draft.messages + (Message(
            "warning", f"the draft gives {twice} tracked-change id{'s' * (twice != 1)} to more "
            "than one change, which Word may refuse; what consult writes from it numbers them "
            "afresh", draft.path),))
    return draft


def read_own(package: Package) -> tuple:
    """The draft's own revisions and comments: counts by author, their keys, the paragraphs
    holding them and the text they deleted and inserted (``FileAnnotations.own_deleted``,
    ``own_inserted``)."""
    stories = [package.body()] + [package.xml(part) for part in story_parts(package)]
    if not any(has_revisions(root) for root in stories) and \
            package.related(package.main, "/comments") is None:
        return (), (), frozenset(), frozenset(), (), ()
    found = read_file_annotations(package)
    revisions = Counter(r.author for r in found.revisions)
    comments = Counter(c.author for c in found.comments)
    keys = own_keys(stories)
    based = read_file_annotations(package, own=frozenset(keys)) if keys else None
    paragraphs = based.own_paragraphs if based else frozenset()
    deleted, inserted = ((tuple((pos.para, pos.offset, text) for pos, text in pieces)
                          for pieces in (based.own_deleted, based.own_inserted))
                         if based else ((), ()))
    keys |= {comment_key(c.author, c.date, c.text) for c in found.comments}
    return (tuple(sorted(revisions.items())), tuple(sorted(comments.items())),
            frozenset(keys), paragraphs, deleted, inserted)


def draft_from_document(doc: Document, level: int | None = None, own: tuple = ()) -> Draft:
    messages = Messages()
    where = doc.package.path
    own_revisions, own_comments, own_keys, own_paragraphs, own_deleted, own_inserted = \
        own or ((), (), frozenset(), frozenset(), (), ())
    if own_revisions or own_comments:
        messages.info(f"the draft carries {_by_author(own_revisions, 'tracked change')} and "
                      f"{_by_author(own_comments, 'comment')} of its own; in returns they are "
                      "recognised as the draft's, not the groups'", where)
    elif doc.resolved_revisions:
        messages.info(f"the draft had {doc.resolved_revisions} tracked changes; they were "
                      "accepted before splitting", where)
    pages, estimated = _pages(doc)
    paragraphs = tuple(
        Paragraph(i, dp.text, dp.style, None if dp.in_table else dp.outline,
                  dp.num.label if dp.num else "", dp.in_table, pages[i], dp.fields)
        for i, dp in enumerate(doc.paragraphs))
    chosen = choose_level(paragraphs) if level is None else level
    sections = make_sections(paragraphs, chosen)
    if not any(p.outline is not None for p in paragraphs):
        messages.warn("no headings found; the whole draft is one section. Use Word's heading "
                      "styles (Heading 1, Heading 2) so that sections can be found", where)
    if estimated:
        messages.info("the file records no rendered page breaks; page numbers are estimated "
                      f"from word count ({WORDS_PER_PAGE} words a page)", where)
    texts = [p.text for p in paragraphs]
    return Draft(where, fingerprint(texts), paragraphs, tuple(sections), chosen + 1, estimated,
                 tuple(messages), own_revisions, own_comments, own_keys, own_paragraphs,
                 own_deleted, own_inserted)


def _by_author(counts: tuple[tuple[str, int], ...], what: str) -> str:
    """"3 tracked changes (2 by A, 1 by B)"."""
    total = sum(n for _, n in counts)
    noun = what if total == 1 else what + "s"
    if not total:
        return f"no {what}s"
    return f"{total} {noun} (" + ", ".join(f"{n} by {a or 'unknown'}" for a, n in counts) + ")"


def choose_level(paragraphs: tuple[Paragraph, ...]) -> int:
    """The shallowest heading level giving at least MIN_SECTIONS sections, else the deepest."""
    levels = sorted({p.outline for p in paragraphs if p.outline is not None})
    if not levels:
        return 0
    for lvl in levels:
        if lvl > MAX_LEVEL:
            break
        if sum(1 for p in paragraphs if p.outline is not None and p.outline <= lvl) >= MIN_SECTIONS:
            return lvl
    return min(max(levels), MAX_LEVEL)


def make_sections(paragraphs: tuple[Paragraph, ...], level: int) -> list[Section]:
    starts = [p.index for p in paragraphs if p.outline is not None and p.outline <= level]
    bounds = []
    if not starts or starts[0] > 0:
        bounds.append((0, starts[0] if starts else len(paragraphs), None))
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(paragraphs)
        bounds.append((start, end, paragraphs[start]))
    ids = _section_ids([b[2] for b in bounds])
    sections = []
    for (start, end, head), (sid, number) in zip(bounds, ids):
        words = sum(word_count(p.text) for p in paragraphs[start:end])
        title = head.text.strip() if head is not None else FRONT_MATTER
        lvl = head.outline + 1 if head is not None else 1
        last = paragraphs[end - 1].page if end > start else paragraphs[start].page
        first = paragraphs[start].page if end > start else last
        sections.append(Section(sid, number, title or "(untitled)", lvl, start, end, words,
                                first, last))
    return sections


def _section_ids(heads: list[Paragraph | None]) -> list[tuple[str, str]]:
    """Section ids from Word's numbers, else outline numbers ("2.3"); front matter is "0"."""
    counters: list[int] = []
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for head in heads:
        if head is None:
            out.append(("0", ""))
            seen.add("0")
            continue
        depth = head.outline or 0
        counters = (counters + [0] * (depth + 1))[: depth + 1]
        counters[depth] += 1
        outline = ".".join(str(c or 1) for c in counters)
        number = head.label.strip().rstrip(".").strip() if any(c.isalnum() for c in head.label) else ""
        sid = number or outline
        base, n = sid, 2
        while sid in seen:
            sid = f"{base}-{n}"
            n += 1
        seen.add(sid)
        out.append((sid, number or outline))
    return out


def _pages(doc: Document) -> tuple[list[int], bool]:
    """Page of each paragraph: from rendered page breaks when present, else estimated."""
    rendered = any(dp.rendered_breaks for dp in doc.paragraphs)
    pages, page, fill = [], 1, 0
    for dp in doc.paragraphs:
        if rendered:
            lead = 1 if dp.rendered_lead else 0
            pages.append(page + lead)
            page += dp.rendered_breaks
            continue
        if dp.breaks_before and fill:
            page += 1
            fill = 0
        pages.append(page)
        fill += max(word_count(dp.text), 10)
        while fill > WORDS_PER_PAGE:
            page += 1
            fill -= WORDS_PER_PAGE
    return pages, not rendered
