"""Edits made with Track Changes off in a return's footnotes and endnotes, found as ``untracked``
finds the body's: each note diffed with the draft's in the same view, placed on its note."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from difflib import SequenceMatcher

from .align import align
from .model import Draft, Place, Placed, Revision, Unplaced
from .notes import A_NOTE, MIN_SIMILAR, NOTE_STORIES, SINGULAR, draft_notes, note_section
from .ooxml.notes_part import Note, read_notes, reference_context
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


def untracked_in_notes(draft: Draft, pkg: Package, author: str,
                       sections: Collection[str] | None = None
                       ) -> tuple[list[Placed], list[Unplaced]]:
    """The return's untracked edits in its notes (Revisions with tracked=False and the
    note's story), placed as ``place_in_notes`` places tracked ones ("footnotes:N",
    paragraphs within the note); what has no place is unplaced, with the reason. Differences
    a re-save makes (``untracked.spacing``) are not edits. A draft's note the return does not
    have is deleted only when its reference is in ``sections`` (the return's; None: all): a
    pack keeps every note, and a re-save drops those its sections do not refer to."""
    mine, own = draft_notes(draft)
    theirs = {story: read_notes(pkg, story, draft.own_keys) for story in NOTE_STORIES}
    if not any(mine.values()) and not any(theirs.values()):
        return [], []
    placed: list[Placed] = []
    left: list[Unplaced] = []
    for story in NOTE_STORIES:
        drafts = accepted_notes(draft)[story]
        base = {n.ordinal: n for n in mine[story]}
        used: set[int] = set()
        for note in theirs[story]:
            target = _counterpart(note, drafts, used)
            if target is None:
                if spacing(note.text):
                    left.append(_added(story, note, author, pkg))
                continue
            used.add(target.ordinal)
            if spacing(note.text) != spacing(target.text):
                p, u = _edits(story, note, target, base[target.ordinal], author, own)
                placed += p
                left += u
        left += [_deleted(draft, story, n, author) for n in mine[story]
                 if n.ordinal not in used and spacing(n.text)
                 and (sections is None or note_section(draft, f"{story}:{n.ordinal}")
                      in sections)]
    return placed, left


def _added(story: str, note: Note, author: str, pkg: Package) -> Unplaced:
    """A note of the return that no note of the draft is: typed with Track Changes off."""
    where = reference_context(pkg, story).get(note.id)
    at = (f", its reference after \u201c{_tail(where[1])}\u201d in paragraph {where[0] + 1} of "
          "the return" if where else "")
    return Unplaced(Revision(f"untracked:{story}:new{note.ordinal}", "insert", author, None,
                             note.text, None, None, False, story),
                    f"{A_NOTE[story]} the draft does not have, added without Track Changes{at}; "
                    f"consult does not add {story} to the collated document: add it by hand "
                    "if it is accepted")


def _deleted(draft: Draft, story: str, note: Note, author: str) -> Unplaced:
    """A note of the draft that no note of the return is: deleted with Track Changes off."""
    name = SINGULAR[story]
    where = _draft_references(draft, story).get(note.id)
    at = (f" (its reference after \u201c{_tail(where[1])}\u201d, paragraph "
          f"{_label(draft, where[0])})" if where else "")
    return Unplaced(Revision(f"untracked:{story}:gone{note.ordinal}", "delete", author, None,
                             note.text, None, None, False, story),
                    f"the draft's {name} {note.ordinal + 1}{at} is not in this return, so it "
                    f"was deleted without Track Changes; consult does not delete {story} in "
                    "the collated document: delete it by hand if that is accepted")


_REFERENCES: dict = {}      # (path, fingerprint, story) -> the draft's reference_context


def _draft_references(draft: Draft, story: str) -> dict:
    """``reference_context`` of the draft's notes, worked out once a draft."""
    key = (draft.path, draft.fingerprint, story)
    if key not in _REFERENCES:
        if len(_REFERENCES) > 8:
            _REFERENCES.clear()
        _REFERENCES[key] = reference_context(Package.open(draft.path), story)
    return _REFERENCES[key]


def _tail(text: str, words: int = 6) -> str:
    """The last few words of ``text`` (a reference's place)."""
    got = text.split()
    return ("\u2026" if len(got) > words else "") + " ".join(got[-words:])


def _label(draft: Draft, index: int) -> str:
    if index >= len(draft.paragraphs):
        return str(index + 1)
    label = draft.paragraphs[index].label
    return label if any(ch.isalnum() for ch in label) else str(index + 1)


def _counterpart(note: Note, drafts: list[Note], used: set[int]) -> Note | None:
    """The draft's note a return's note is (maybe edited): at its place when alike, else the
    only free one with its text, else the free one most like it (at least MIN_SIMILAR)."""
    free = [d for d in drafts if d.ordinal not in used]
    text = spacing(note.text)
    same = next((d for d in free if d.ordinal == note.ordinal), None)
    if same is not None and (_spaced(same) == text or
                             _ratio(same.text, note.text) >= SAME_PLACE_SIMILAR):
        return same
    equal = [d for d in free if _spaced(d) == text]
    if len(equal) == 1:
        return equal[0]
    matcher = SequenceMatcher(None, "", text, autojunk=False)   # the return's note analysed once
    best: tuple = (MIN_SIMILAR, 0, None)
    for d in free:          # the highest ratio, the first note among equals; bounds skip most
        matcher.set_seq1(_spaced(d))
        if matcher.real_quick_ratio() < best[0] or matcher.quick_ratio() < best[0]:
            continue
        score = (matcher.ratio(), -d.ordinal, d)
        if score[:2] > best[:2] or best[2] is None and score[0] >= best[0]:
            best = score
    return best[2]


_SPACED: dict = {}      # id(note) -> (note, spacing(note.text)), for the draft's notes


def _spaced(note: Note) -> str:
    hit = _SPACED.get(id(note))
    if hit is None or hit[0] is not note:
        if len(_SPACED) > 10_000:
            _SPACED.clear()
        hit = _SPACED[id(note)] = (note, spacing(note.text))
    return hit[1]


def _ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, spacing(a), spacing(b), autojunk=False).ratio()


def _edits(story: str, note: Note, target: Note, base: Note, author: str,
           own: set = frozenset()) -> tuple[list[Placed], list[Unplaced]]:
    """The untracked differences between a return's note and the draft's (``target``, both
    with the draft's own changes accepted), placed on ``base`` (the draft's note as the
    collated document holds it, its own changes still tracked); ``own``: the keys of the
    draft's own changes in its notes (``notes.draft_notes``), to name an insertion's author."""
    d, r = target.paragraphs, note.paragraphs
    alignment = align(d, 0, len(d), r, set())
    lost = {k for j, k in alignment.pairs.items() if spacing(d[k]) != spacing(base.paragraphs[k])
            and spacing(r[j]) == spacing(base.paragraphs[k])} \
        if len(base.paragraphs) == len(d) else set()
    placed, left = [], []
    for n, rev in enumerate(untracked_revisions(d, r, alignment, author)):
        rev = replace(rev, id=f"untracked:{story}:{target.ordinal}:{n}", story=story)
        where = _place(story, rev, target, base, lost, own)
        if isinstance(where, str):
            left.append(Unplaced(rev, where))
        else:
            placed.append(Placed(rev, where))
    return placed, left


def _place(story: str, rev: Revision, target: Note, base: Note, lost: set[int],
           own: set = frozenset()) -> Place | str:
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
        para, at = (rev.start.para, rev.start.offset) if a is None else (end.para, end.offset)
        return _inside_own(story, base, target.paragraphs[para], base.paragraphs[para], para,
                           at, own)
    for para in range(rev.start.para, end.para + 1):
        if len(base.elements[para]) != 1:
            return f"the draft's {name} paragraph there is joined by a tracked change"
    return Place(f"{story}:{base.ordinal}", rev.start.para, a, b, end.para)


def _inside_own(story: str, base: Note, accepted: str, original: str, para: int, offset: int,
                own: set) -> str:
    """Why an edit inside the draft's own insertion in a note is not written: the inserted
    words, their author, and what to do."""
    name = SINGULAR[story]
    words, at = "", None
    for tag, i1, i2, j1, _ in SequenceMatcher(None, accepted, original,
                                              autojunk=False).get_opcodes():
        if tag != "equal" and i1 <= offset <= i2 and i2 > i1:
            words, at = accepted[i1:i2], j1
            break
    by = sorted({k[5] or "an unnamed author" for k in own
                 if k[:4] == (story, base.ordinal, para, at) and k[4] in ("insert", "move-to")})
    what = f"\u201c{words.strip()}\u201d" if words.strip() else "text"
    who = f" by {' & '.join(by)}" if by else ""
    return (f"it is inside {what}, the draft's own tracked insertion{who} in {name} "
            f"{base.ordinal + 1}: consult writes a group's edits in {A_NOTE[story]} only outside "
            f"the draft's own insertions there (in the body it writes them inside too); make "
            "it by hand if it is accepted")


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
