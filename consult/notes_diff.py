"""Edits made with Track Changes off in a return's footnotes and endnotes, found as ``untracked``
finds the body's: each note diffed with the draft's in the same view, placed on its note."""
from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from .align import align
from .model import Draft, Place, Placed, Revision, Unplaced
from .notes import A_NOTE, MIN_SIMILAR, NOTE_STORIES, SINGULAR, draft_notes
from .ooxml.notes_part import Note, read_notes
from .ooxml.package import Package
from .untracked import spacing, untracked_revisions

SAME_PLACE_SIMILAR = 0.5    # a note at the same place matches its draft note at this ratio
_ACCEPTED: dict = {}        # (path, fingerprint) -> {story: [Note]}, the own changes accepted


def accepted_notes(draft: Draft) -> dict[str, list[Note]]:
    """The draft's notes with its own changes accepted: the view a return's notes are read in
    (``place_in_notes``), so that only what the group typed differs."""
    key = (draft.path, draft.fingerprint)
    if key not in _ACCEPTED:
        pkg = Package.open(draft.path)
        _ACCEPTED.clear()
        _ACCEPTED[key] = {story: read_notes(pkg, story, draft.own_keys)
                          for story in NOTE_STORIES}
    return _ACCEPTED[key]


def untracked_in_notes(draft: Draft, pkg: Package,
                       author: str) -> tuple[list[Placed], list[Unplaced]]:
    """The return's untracked edits in its notes (Revisions with tracked=False and the
    note's story), placed as ``place_in_notes`` places tracked ones ("footnotes:N",
    paragraphs within the note); what has no place is unplaced, with the reason. Differences
    a re-save makes (``untracked.spacing``) are not edits."""
    mine, _ = draft_notes(draft)
    if not any(mine.values()):
        return [], []
    placed: list[Placed] = []
    left: list[Unplaced] = []
    for story in NOTE_STORIES:
        drafts = accepted_notes(draft)[story]
        base = {n.ordinal: n for n in mine[story]}
        used: set[int] = set()
        for note in read_notes(pkg, story, draft.own_keys):
            target = _counterpart(note, drafts, used)
            if target is None:
                if spacing(note.text):
                    left.append(Unplaced(Revision(
                        f"untracked:{story}:new{note.ordinal}", "insert", author, None,
                        note.text, None, None, False, story),
                        f"{A_NOTE[story]} the draft does not have, typed without Track "
                        f"Changes; consult does not add {story}"))
                continue
            used.add(target.ordinal)
            if spacing(note.text) != spacing(target.text):
                p, u = _edits(story, note, target, base[target.ordinal], author)
                placed += p
                left += u
    return placed, left


def _counterpart(note: Note, drafts: list[Note], used: set[int]) -> Note | None:
    """The draft's note a return's note is (maybe edited): at its place when alike, else the
    only free one with its text, else the free one most like it (at least MIN_SIMILAR)."""
    free = [d for d in drafts if d.ordinal not in used]
    same = next((d for d in free if d.ordinal == note.ordinal), None)
    if same is not None and (spacing(same.text) == spacing(note.text) or
                             _ratio(same.text, note.text) >= SAME_PLACE_SIMILAR):
        return same
    equal = [d for d in free if spacing(d.text) == spacing(note.text)]
    if len(equal) == 1:
        return equal[0]
    scored = sorted(((_ratio(d.text, note.text), -d.ordinal, d) for d in free),
                    key=lambda t: t[:2])
    return scored[-1][2] if scored and scored[-1][0] >= MIN_SIMILAR else None


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, spacing(a), spacing(b), autojunk=False).ratio()


def _edits(story: str, note: Note, target: Note, base: Note,
           author: str) -> tuple[list[Placed], list[Unplaced]]:
    """The untracked differences between a return's note and the draft's (``target``, both
    with the draft's own changes accepted), placed on ``base`` (the draft's note as the
    collated document holds it, its own changes still tracked)."""
    d, r = target.paragraphs, note.paragraphs
    alignment = align(d, 0, len(d), r, set())
    lost = {k for j, k in alignment.pairs.items() if spacing(d[k]) != spacing(base.paragraphs[k])
            and spacing(r[j]) == spacing(base.paragraphs[k])} \
        if len(base.paragraphs) == len(d) else set()
    placed, left = [], []
    for n, rev in enumerate(untracked_revisions(d, r, alignment, author)):
        rev = replace(rev, id=f"untracked:{story}:{target.ordinal}:{n}", story=story)
        where = _place(story, rev, target, base, lost)
        if isinstance(where, str):
            left.append(Unplaced(rev, where))
        else:
            placed.append(Placed(rev, where))
    return placed, left


def _place(story: str, rev: Revision, target: Note, base: Note, lost: set[int]) -> Place | str:
    name, a_name = SINGULAR[story], A_NOTE[story]
    if rev.start is None:
        return (f"text typed without Track Changes in {a_name} where no paragraph of it "
                "matches the draft's on either side, so it has no place")
    if len(base.paragraphs) != len(target.paragraphs):
        return (f"the draft's own tracked changes join or split this {name}'s paragraphs, so "
                "its untracked edits have no place")
    end = rev.end or rev.start
    if rev.start.para in lost or end.para in lost:
        return (f"it is in a paragraph of {a_name} holding the draft's own tracked changes, "
                "which this return no longer has: the difference may be the converter's, not "
                "the group's")
    a = _shift(target.paragraphs[rev.start.para], base.paragraphs[rev.start.para],
               rev.start.offset)
    b = _shift(target.paragraphs[end.para], base.paragraphs[end.para], end.offset)
    if a is None or b is None:
        return f"it is inside the draft's own tracked insertion in {a_name}"
    for para in range(rev.start.para, end.para + 1):
        if len(base.elements[para]) != 1:
            return f"the draft's {name} paragraph there is joined by a tracked change"
    return Place(f"{story}:{base.ordinal}", rev.start.para, a, b, end.para)


def _shift(accepted: str, base: str, offset: int) -> int | None:
    """An offset in a note paragraph with the draft's own changes accepted, in the paragraph
    with them tracked (None: inside the draft's own inserted text)."""
    if accepted == base:
        return offset
    for tag, i1, i2, j1, _ in SequenceMatcher(None, accepted, base,
                                              autojunk=False).get_opcodes():
        if tag == "equal" and i1 <= offset <= i2:
            return j1 + offset - i1
    return None


__all__ = ["untracked_in_notes", "accepted_notes"]
