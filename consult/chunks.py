"""A draft's imported chunks (w:altChunk) in a return: Word and LibreOffice turn the chunk
into paragraphs of their own, which the draft's text (consult's view of it) does not hold.

Where the chunk's text is known (``ooxml.altchunk``), the return's unmatched paragraphs right
after the paragraph the chunk follows that read as its lines are the chunk, not the group's
edit, and are left out of the comparison; a line of the chunk the return no longer holds
(once the return holds the rest) is listed as unplaced. Where it is not known, the return's
unmatched paragraphs in its place are listed as unplaced: they may be the chunk's content.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from .align import Alignment, Gap
from .model import Draft, Revision, Unplaced
from .untracked import spacing

ALT_CHUNK = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}altChunk"
GONE = ("text of the draft's imported chunk (w:altChunk) that this return, which holds the "
        "chunk as paragraphs, no longer holds: consult's view of the draft holds the chunk's "
        "text in no paragraph, so the deletion has no place there")
UNREAD = ("text where the draft holds an imported chunk (w:altChunk, {kind}) that consult "
          "cannot read: it may be the chunk's own content (Word and LibreOffice make it "
          "paragraphs), so it is not collated as the group's edit")


def settle(draft: Draft, ret: list[str], alignment: Alignment, author: str, kept: bool
           ) -> tuple[Alignment, list[Unplaced], list[str]]:
    """The alignment without the return's paragraphs that stand for the draft's chunks, what
    is listed as unplaced, and one-line messages saying so (``kept``: the return still holds
    the draft's imported chunks: no word processor has made them paragraphs)."""
    if not draft.alt_chunks or kept:
        return alignment, [], []
    gaps = list(alignment.gaps)
    skipped = set(alignment.skipped)
    unplaced: list[Unplaced] = []
    messages: list[str] = []
    for after, kind, lines in draft.alt_chunks:
        k = next((k for k, g in enumerate(gaps) if g.ret and _follows(g, after)), None)
        gap = gaps[k] if k is not None else Gap([], [], None, None)
        texts = [ret[r] for r in gap.ret]
        if lines is None:           # not known: the paragraphs standing in its place alone
            taken, gone = (list(range(len(texts))) if not gap.draft else []), []
        else:
            taken, gone = _matched(lines, texts)
        if not taken:
            if not gap.ret:
                messages.append(f"the draft's imported chunk ({kind}) after paragraph "
                                f"{after + 1} is not in this return, as a chunk or as "
                                "paragraphs (LibreOffice drops HTML chunks); its text is the "
                                "draft's, not counted as the group's deletion")
            continue
        taken = [gap.ret[j] for j in taken]
        unplaced += _listed(ret, taken, gone, kind, author, lines is None)
        messages.append(f"{len(taken)} paragraphs stand where the draft holds an imported "
                        f"chunk (w:altChunk, {kind}): " + (
                            "consult cannot read it, so they are listed as unplaced"
                            if lines is None else "they read as its text") +
                        "; not counted as the group's edits" +
                        (f" ({len(gone)} lines of it they lack are listed as unplaced)"
                         if gone else ""))
        skipped |= set(taken)
        gaps[k] = Gap([r for r in gap.ret if r not in set(taken)], gap.draft, gap.after,
                      gap.before)
    return (Alignment(alignment.pairs, alignment.moved, gaps, skipped), unplaced, messages)


def _listed(ret: list[str], taken: list[int], gone: list[str], kind: str, author: str,
            unread: bool) -> list[Unplaced]:
    """The unplaced entries: an unread chunk's paragraphs, or the lines of a read one that
    the return lacks."""
    if unread:
        return [Unplaced(Revision("", "insert", author, None, ret[r], None, None, False),
                         UNREAD.format(kind=kind)) for r in taken if ret[r].strip()]
    return [Unplaced(Revision("", "delete", author, None, line, None, None, False), GONE)
            for line in gone]


def _follows(gap: Gap, after: int) -> bool:
    """The gap stands where a chunk after draft paragraph ``after`` (-1: at the start) is:
    between the matched paragraphs on either side of the gap."""
    low = -1 if gap.after is None else gap.after
    return low <= after and (gap.before is None or after < gap.before)


def _matched(lines: tuple[str, ...], texts: list[str]) -> tuple[list[int], list[str]]:
    """Which of ``texts`` (by index) read as the chunk's lines (spacing aside), and the
    chunk's lines with text that none of them holds."""
    want = [spacing(t) for t in lines]
    have = [spacing(t) for t in texts]
    matcher = SequenceMatcher(None, want, have, autojunk=False)
    taken: list[int] = []
    held: set[int] = set()
    for a, b, n in matcher.get_matching_blocks():
        for i in range(n):
            if want[a + i]:
                taken.append(b + i)
                held.add(a + i)
    gone = [lines[i] for i, w in enumerate(want) if w and i not in held]
    return taken, gone
