"""Ingest results as JSON data and as a readable listing."""
from __future__ import annotations

from .annotations import comment_json, revision_json
from .model import Comment, Draft, IngestResult, Placed, Unplaced


def placed_json(draft: Draft, p: Placed) -> dict:
    item = p.item
    base = comment_json(item) if isinstance(item, Comment) else revision_json(item)
    base["type"] = "comment" if isinstance(item, Comment) else "revision"
    base["tracked"] = True if isinstance(item, Comment) else item.tracked
    # paragraphs count from 1, as in the CSV and HTML reports; label: what Word shows
    base["place"] = {"section": p.place.section, "paragraph": p.place.paragraph + 1,
                     "start": p.place.start, "end_paragraph": p.place.end_paragraph + 1,
                     "end": p.place.end, "label": shown_label(draft, p.place.paragraph)}
    return base


def shown_label(draft: Draft, index: int) -> str:
    """The number Word shows for a paragraph (e.g. "6.14"), else its 1-based position."""
    label = draft.paragraphs[index].label
    return label if any(ch.isalnum() for ch in label) else str(index + 1)


def note_json(p: Placed) -> dict:
    """An annotation placed in one of the draft's notes or text boxes: section "footnotes:N"
    (the N-th note by its reference in the body) or "text box:N" (the N-th box of the body),
    paragraphs within the note or box."""
    item = p.item
    base = comment_json(item) if isinstance(item, Comment) else revision_json(item)
    base["type"] = "comment" if isinstance(item, Comment) else "revision"
    base["place"] = {"note": p.place.section, "paragraph": p.place.paragraph,
                     "start": p.place.start, "end_paragraph": p.place.end_paragraph,
                     "end": p.place.end}
    return base


def unplaced_json(u: Unplaced) -> dict:
    item = u.item
    base = comment_json(item) if isinstance(item, Comment) else revision_json(item)
    base["type"] = "comment" if isinstance(item, Comment) else "revision"
    base["reason"] = u.reason
    return base


def ingest_json(draft: Draft, result: IngestResult) -> dict:
    """One object: the draft, each return with placed and unplaced items, rejected files."""
    return {
        "draft": draft.path, "fingerprint": draft.fingerprint,
        "returns": [{
            "file": r.path, "group": r.group, "identified_by": r.identified_by,
            "sections": list(r.sections), "found": r.found,
            "placed": [placed_json(draft, p) for p in r.placed],
            "unplaced": [unplaced_json(u) for u in r.unplaced],
            "in_notes": [note_json(p) for p in r.notes],
            "messages": [str(m) for m in r.messages]} for r in result.returns],
        "rejected": [{"file": x.path, "reason": x.reason} for x in result.rejected],
        "messages": [str(m) for m in result.messages],
    }


def ingest_text(draft: Draft, result: IngestResult) -> str:
    lines = []
    for r in result.returns:
        lines.append(f"{r.path}: {r.group} (by {r.identified_by}), sections "
                     f"{', '.join(r.sections) or 'none'}: {len(r.placed)} placed, "
                     f"{len(r.unplaced)} unplaced"
                     + (f", {len(r.notes)} in footnotes, endnotes or text boxes"
                        if r.notes else ""))
        for p in list(r.placed) + list(r.notes):
            item = p.item
            what = "comment" if isinstance(item, Comment) else item.kind
            flag = "" if isinstance(item, Comment) or item.tracked else " (untracked)"
            text = " ".join(item.text.split()) or "¶"
            lines.append(f"  [{p.place.section} ¶{shown_label(draft, p.place.paragraph)} "
                         f"{p.place.start}-"
                         f"{p.place.end}] {what}{flag} by {item.author or '?'}: {text[:80]}")
        for u in r.unplaced:
            lines.append(f"  UNPLACED {u.item.text[:60]!r}: {u.reason}")
    for x in result.rejected:
        lines.append(f"{x.path}: rejected: {x.reason}")
    return "\n".join(lines)
