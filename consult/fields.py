"""Field results a re-save recomputes: a return's DATE, PAGE or REF field read as the draft's.

Word and LibreOffice work out a field's result (the date, page number or cross-reference it
shows) again when they open or save a file, so a return sent back unedited can show another
date than the draft. The result is the program's, not what a person typed: where a field with
the same code stands in the paired paragraph (or the same stretch of unmatched paragraphs),
the return's result is compared as the draft's (white space at either end of a result is
compared as the paragraph's text: converters move a tab into or out of a result). The codes are compared as
``ooxml.textview.field_key`` leaves them (formatting switches a converter adds are left out).
"""
from __future__ import annotations

from difflib import SequenceMatcher

from .align import Alignment

Span = tuple        # (start, end, key): a field's result in a paragraph's text


def as_draft(draft: list[str], draft_fields: dict[int, list[Span]], ret: list[str],
             ret_fields: dict[int, list[Span]], alignment: Alignment) -> list[str]:
    """``ret`` with the result of each field that has the same code as the draft's field at
    the same place replaced by the draft's result (the paragraphs' count unchanged)."""
    if not ret_fields or not draft_fields:
        return ret
    units = [([r], [d]) for r, d in alignment.pairs.items()]
    units += [(gap.ret, gap.draft) for gap in alignment.gaps]
    pieces: dict[int, list[tuple[int, int, str]]] = {}
    for rets, drafts in units:
        theirs = [(r, span) for r in rets for span in ret_fields.get(r, ())]
        ours = [(d, span) for d in drafts for span in draft_fields.get(d, ())]
        if not theirs or not ours:
            continue
        matcher = SequenceMatcher(None, [s[2] for _, s in theirs], [s[2] for _, s in ours],
                                  autojunk=False)
        for a, b, n in matcher.get_matching_blocks():
            for (r, (start, end, _)), (d, (s, e, _)) in zip(theirs[a:a + n], ours[b:b + n]):
                start, end = _trimmed(ret[r], start, end)
                s, e = _trimmed(draft[d], s, e)
                if ret[r][start:end] != draft[d][s:e]:
                    pieces.setdefault(r, []).append((start, end, draft[d][s:e]))
    if not pieces:
        return ret
    out = list(ret)
    for r, found in pieces.items():
        text = out[r]
        for start, end, result in sorted(found, reverse=True):
            text = text[:start] + result + text[end:]
        out[r] = text
    return out


def without(texts: list[str], spans: dict[int, list[Span]]) -> list[str]:
    """The texts with their fields' results left out, to match paragraphs by (a paragraph
    that is mostly a date a re-save recomputed still matches its draft paragraph)."""
    out = list(texts)
    for k, found in spans.items():
        text = out[k]
        for start, end, _ in sorted(found, reverse=True):
            text = text[:start] + text[end:]
        out[k] = text
    return out


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the white space at its ends (a tab or space that a converter moves
    into or out of a field's result is the paragraph's, compared as such)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def by_paragraph(spans) -> dict[int, list[Span]]:
    """(paragraph, start, end, key) spans as lists of (start, end, key) by paragraph."""
    out: dict[int, list[Span]] = {}
    for para, start, end, key in spans:
        out.setdefault(para, []).append((start, end, key))
    return out
