"""The draft's own changes and comments in a return, and deletions that undo the return's own
insertions."""
from __future__ import annotations

from dataclasses import replace

from .align import Alignment
from .model import Draft, Revision, Unplaced
from .ooxml.annotations import FileAnnotations
from .ooxml.comments_read import comment_key
from .results import Messages
from .untracked import deleted_at
from .words import agree, count


REVIVED = ("text the draft's own tracked changes deleted, which this return holds again: a "
           "converter such as LibreOffice dropped or rewrote the deletion (or the group typed "
           "it again without Track Changes); not counted as the group's edit")


def _converted(dropped: list[Unplaced], revived: list[Revision], messages: Messages,
               where: str) -> list[Unplaced]:
    """What a converter did to the draft's own changes, listed as unplaced, with a warning."""
    if dropped:
        messages.warn(f"some of the draft's own tracked changes are gone from this return (a "
                      "converter such as LibreOffice may have dropped them); "
                      f"{count(len(dropped), 'piece')} of the text they inserted, missing "
                      f"here, {agree(len(dropped), 'is', 'are')} listed as unplaced, not counted "
                      "as the group's edits", where)
    if revived:
        n = len(revived)
        messages.warn(f"{count(n, 'piece')} of text that the draft's own tracked changes "
                      f"deleted {agree(n, 'is', 'are')} back in this return (a converter such "
                      "as LibreOffice may have dropped or rewritten the deletions); "
                      f"{agree(n, 'it is', 'they are')} listed as unplaced, not counted as the "
                      "group's edits", where)
    return dropped + [Unplaced(r, REVIVED) for r in revived]


_DELETED: tuple = (None, {})     # (draft, its own deleted text by place) of the last draft


def _own_deleted(draft: Draft) -> dict:
    global _DELETED
    if _DELETED[0] is not draft:
        _DELETED = (draft, deleted_at(draft.own_deleted))
    return _DELETED[1]

def _without_own_comments(draft: Draft, found: FileAnnotations) -> tuple[FileAnnotations, int]:
    """The return's annotations without the comments the draft itself carries. A reply to
    one of those stays, its parent given as the draft comment's ``comment_key`` (the writer
    threads it under that comment, which the collated document keeps) and on its range."""
    if not draft.own_keys:
        return found, 0
    own = {}
    for c in found.comments:
        key = comment_key(c.author, c.date, c.text)
        if key in draft.own_keys:
            own.setdefault(c.id, (key, c))
    if not own:
        return found, 0
    kept = []
    for c in found.comments:
        if c.id in own:
            continue
        if c.parent in own and c.parent != c.id:
            key, p = own[c.parent]
            c = replace(c, parent=key) if p.start is None else replace(
                c, parent=key, start=p.start, end=p.end, anchor=p.anchor, story=p.story)
        kept.append(c)
    return replace(found, comments=kept), len(own)


def _lost_own_changes(draft: Draft, found: FileAnnotations, alignment: Alignment,
                      extra: list[Revision]) -> tuple[list[Revision], list[Unplaced]]:
    """Where a return paragraph no longer holds the draft's own tracked changes that the
    draft paragraph has, text missing from what the draft's authors inserted there is what
    a converter dropped (or the group rejecting the draft's change), not what the group
    typed. (Their deleted text coming back is found by the diff, see untracked.differences.)"""
    if not draft.own_paragraphs or not extra:
        return extra, []
    held = {alignment.pairs[r] for r in found.own_paragraphs if r in alignment.pairs}
    for gap in alignment.gaps:
        if any(r in found.own_paragraphs for r in gap.ret):
            held.update(gap.draft)
    lost = draft.own_paragraphs - held
    spans: dict[int, list[tuple[int, int]]] = {}
    for para, offset, text in draft.own_inserted:
        if para in lost:
            spans.setdefault(para, []).append((offset, offset + len(text)))
    keep, dropped = [], []
    for r in extra:
        if r.kind == "delete" and r.start is not None and r.start.para == r.end.para \
                and _within(spans.get(r.start.para, []), r.start.offset, r.end.offset):
            dropped.append(Unplaced(r, "it is text the draft's own tracked changes inserted, "
                                       "in a paragraph of the return that no longer holds "
                                       "them: a converter may have dropped it"))
        else:
            keep.append(r)
    return keep, dropped


def _within(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside the spans, adjacent ones joined."""
    at = start
    for s, e in sorted(spans):
        if s <= at < e:
            at = e
        if at >= end:
            return True
    return False


def _without_undone(found: FileAnnotations) -> tuple[FileAnnotations, int]:
    """Without the text deleted inside the return's own insertions (in neither the draft nor
    the return's accepted text: it changes nothing)."""
    kept = [r for r in found.revisions if not _undone(r)]
    if len(kept) == len(found.revisions):
        return found, 0
    return replace(found, revisions=kept), len(found.revisions) - len(kept)


def _undone(r: Revision) -> bool:
    return r.kind == "delete" and r.start == r.end and bool(r.text)
