"""Mark up a copy of a draft as a group would in Word: comments on words, tracked changes."""
from __future__ import annotations

from dataclasses import dataclass, field

from .comments_part import W14_PARA_ID, CommentsWriter, NewComment
from .document import from_package
from .edit import ParagraphEditor, inserted_runs, marker, reference_run
from .package import Package
from .parts import write_identity
from .track import Revisions

KINDS = ("comment", "replace", "insert", "delete")


@dataclass(frozen=True)
class Mark:
    """One thing a group said about the draft's words, at draft offsets.

    ``kind``: comment (``text`` is the comment), replace (``text`` replaces start..end),
    insert (``text`` goes in at ``end``) or delete (start..end). ``replies`` are further
    comments in the comment's thread.
    """

    kind: str
    paragraph: int
    start: int
    end: int
    text: str = ""
    date: str | None = None
    replies: tuple[str, ...] = ()


@dataclass
class Marked:
    """The marked-up package and what could not be marked, with the reason."""

    package: Package
    skipped: list[tuple[Mark, str]] = field(default_factory=list)


def mark_up(draft_path: str, marks: list[Mark], author: str, initials: str,
            identity: dict[str, str] | None = None, date: str = "2026-01-01T00:00:00Z",
            expected: list[str] | None = None) -> Marked:
    """The draft (tracked changes accepted) with ``marks`` made by ``author``.

    ``expected``: each paragraph's text as the marks' offsets read it; a paragraph whose text
    differs is left alone and its marks listed as skipped. Suggestions that overlap an earlier
    suggestion in the same paragraph become comments saying what was suggested.
    """
    pkg = Package.open(draft_path)
    doc = from_package(pkg, accept=True)
    used = {p.get(W14_PARA_ID) for p in doc.root.iter() if p.get(W14_PARA_ID)}
    comments = CommentsWriter(pkg, used)
    ids = iter(range(max(comments.existing_ids(), default=-1) + 1, 1 << 30))
    rev = Revisions(doc.root, author, date)
    out = Marked(pkg)
    by_para: dict[int, list[Mark]] = {}
    for m in marks:
        if m.kind not in KINDS:
            out.skipped.append((m, f"unknown kind {m.kind!r}"))
        elif not 0 <= m.paragraph < len(doc.paragraphs):
            out.skipped.append((m, "no such paragraph in the draft"))
        else:
            by_para.setdefault(m.paragraph, []).append(m)
    for index in sorted(by_para):
        editor = ParagraphEditor(doc.paragraphs[index].element)
        if expected is not None and editor.text != expected[index]:
            out.skipped += [(m, "the paragraph's text differs from the draft's") for m in
                            by_para[index]]
            continue
        bad = [m for m in by_para[index] if not 0 <= m.start <= m.end <= len(editor.text)]
        out.skipped += [(m, "the words are outside the paragraph") for m in bad]
        good = [m for m in by_para[index] if m not in bad]
        _mark_paragraph(editor, good, lambda: str(next(ids)), comments, rev, author, initials)
    if identity:
        write_identity(pkg, identity)
    return out


def _mark_paragraph(editor: ParagraphEditor, marks: list[Mark], new_id, comments: CommentsWriter,
                    rev: Revisions, author: str, initials: str) -> None:
    """Suggestions as w:del/w:ins, comments as ranges; all inserts placed in offset order."""
    suggestions, notes = _split_overlaps(marks)
    editor.cut({k for m in marks for k in (m.start, m.end)})
    pending: list[tuple[int, int, list]] = []       # (offset, rank, nodes)
    for m in suggestions:
        rpr = editor.style_at(m.start if m.start < m.end else m.end)
        if m.kind in ("replace", "delete") and m.start < m.end:
            editor.delete(m.start, m.end, rev.attrs)
        if m.kind in ("replace", "insert") and m.text:
            pending.append((m.end, 0, [inserted_runs(m.text, rpr, rev.attrs())]))
    for m in notes:
        thread = [m.text] + list(m.replies)
        cids = [new_id() for _ in thread]
        pending.append((m.start, 2, [marker("commentRangeStart", c) for c in cids]))
        pending.append((m.end, 1, [n for c in cids for n in (marker("commentRangeEnd", c),
                                                               reference_run(c))]))
        for k, (cid, text) in enumerate(zip(cids, thread)):
            comments.add(NewComment(cid, author, initials, m.date or rev.date, text,
                                    parent=cids[0] if k else None))
    for offset, _rank, nodes in sorted(pending, key=lambda x: (x[0], x[1])):
        editor.insert(offset, nodes)


def _split_overlaps(marks: list[Mark]) -> tuple[list[Mark], list[Mark]]:
    """(suggestions to track, comments): a suggestion overlapping an earlier one is a comment."""
    suggestions: list[Mark] = []
    notes = [m for m in marks if m.kind == "comment"]
    for m in sorted((m for m in marks if m.kind != "comment"), key=lambda m: (m.start, m.end)):
        if any(_overlap(m, s) for s in suggestions):
            notes.append(Mark("comment", m.paragraph, m.start, m.end, _described(m), m.date))
        else:
            suggestions.append(m)
    return suggestions, notes


def _overlap(a: Mark, b: Mark) -> bool:
    if a.start == a.end or b.start == b.end:
        return a.start == b.start == a.end == b.end or (
            b.start < a.start < b.end if a.start == a.end else a.start < b.start < a.end)
    return a.start < b.end and b.start < a.end


def _described(m: Mark) -> str:
    if m.kind == "replace":
        return f"Suggested replacing these words with: {m.text}"
    if m.kind == "insert":
        return f"Suggested inserting here: {m.text}"
    return "Suggested deleting these words."
