"""Match a return to the draft and its pack: consult's own pages, the group, its sections."""
from __future__ import annotations

import re
from pathlib import Path

from .align import Alignment, norm
from .fields import without
from .model import Allocation, Draft
from .ooxml.annotations import FileAnnotations
from .ooxml.build import OUR_STYLES
from .packs import COVER_TITLE, NOTE_TEXTS
from .results import safe_text
from .textdiff import similarity


_FIELDS: tuple = (None, {}, None)  # (draft, its fields by paragraph, its texts without them)


def _draft_fields(draft: Draft) -> dict:
    """Where the draft's fields' results stand, by paragraph: worked out once a draft."""
    global _FIELDS
    if _FIELDS[0] is not draft:
        _FIELDS = (draft, {p.index: list(p.fields) for p in draft.paragraphs if p.fields},
                   None)
    return _FIELDS[1]


def _bare_text(draft: Draft, texts: list[str], spans: dict) -> tuple[list[str], list[str]]:
    """The draft's texts without its fields' results, and those normalised (once a draft)."""
    global _FIELDS
    if _FIELDS[0] is not draft or _FIELDS[2] is None:
        bare = without(texts, spans)
        _FIELDS = (draft, spans, (bare, [norm(t) for t in bare]))
    return _FIELDS[2]


_TEXT: tuple = (None,)      # (draft, texts, normalised texts, their set) of the last draft


def _draft_text(draft: Draft) -> tuple[list[str], list[str], set[str]]:
    """The draft's paragraph texts, normalised, and their set: worked out once a draft."""
    global _TEXT
    if _TEXT[0] is not draft:
        texts = [p.text for p in draft.paragraphs]
        norms = [norm(t) for t in texts]
        _TEXT = (draft, texts, norms, set(norms))
    return _TEXT[1], _TEXT[2], _TEXT[3]


def _our_paragraphs(found: FileAnnotations, draft_texts: set[str],
                    normed: list[str]) -> set[int]:
    """Cover page and notes that consult added to the pack (by style, else by text);
    ``normed``: the return's paragraphs, normalised."""
    skip = {i for i, s in enumerate(found.body.styles) if s in OUR_STYLES}
    skip |= {i for i, t in enumerate(normed) if t in NOTE_TEXTS}
    if normed and normed[0].startswith(COVER_TITLE) and 0 not in skip:
        for i, t in enumerate(normed):
            if t in draft_texts and t:
                break
            skip.add(i)
    return skip


def _group(path, identity: dict, allocations: list[Allocation] | None) -> tuple[str, str]:
    names = [a.group for a in allocations] if allocations else []
    if identity.get("group") and (not names or identity["group"] in names):
        return identity["group"], "pack"
    stem = Path(path).stem
    key = _key(stem)
    for name in sorted(names, key=len, reverse=True):
        k = _key(name)
        if k and (key == k or re.search(rf"(^|[^a-z0-9]){re.escape(k)}($|[^a-z0-9])",
                                         _spaced(stem))):
            return name, "file name"
    return (safe_text(identity.get("group") or stem),
            "pack" if identity.get("group") else "file name")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def _spaced(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).replace(" ", "")


def _sections(draft: Draft, identity: dict, alignment: Alignment, ret: list[str]) -> list[str]:
    ids = [s.id for s in draft.sections]
    wanted = [s for s in identity.get("sections", "").split(";") if s in ids]
    if wanted:
        return wanted
    chars: dict[str, int] = {}
    hits: dict[str, int] = {}
    for r, d in alignment.pairs.items():
        sid = draft.section_of(d).id
        chars[sid] = chars.get(sid, 0) + len(norm(ret[r]))
        hits[sid] = hits.get(sid, 0) + 1
    out = []
    for s in draft.sections:
        total = sum(len(norm(p.text)) for p in draft.paragraphs[s.start:s.end])
        if total == 0:
            if hits.get(s.id, 0) == s.end - s.start:     # an empty section, all there
                out.append(s.id)
        elif chars.get(s.id, 0) >= min(40, total) or chars.get(s.id, 0) / total >= 0.25:
            out.append(s.id)
    return out


EDITED_SIMILARITY = 0.5     # a draft paragraph this like a return paragraph was edited, not left out
MAX_GAP_PAIRS = 400         # compare at most this many paragraph pairs in one gap


def _restrict(draft: Draft, alignment: Alignment, sections: list[str], texts: list[str],
              ret: list[str]) -> list[str]:
    """Forget matches and gaps outside the return's sections, except draft paragraphs the
    return holds edited (a heading with a changed word): return the sections those are in."""
    inside = set()
    for sid in sections:
        s = draft.section(sid)
        inside.update(range(s.start, s.end))
    edited = _edited_outside(alignment, inside, texts, ret)
    inside |= edited
    more = sorted({draft.section_of(d).id for d in edited if draft.section_of(d)} -
                  set(sections))
    for r, d in list(alignment.pairs.items()):
        if d not in inside:
            del alignment.pairs[r]
    for gap in alignment.gaps:
        gap.draft = [d for d in gap.draft if d in inside]
    for gap in alignment.gaps:
        if gap.after is not None and gap.after not in inside:
            gap.after = None
        if gap.before is not None and gap.before not in inside:
            gap.before = None
    return more


def _edited_outside(alignment: Alignment, inside: set[int], texts: list[str],
                    ret: list[str]) -> set[int]:
    """Draft paragraphs outside ``inside`` that a return paragraph of the same gap is an
    edited copy of."""
    out: set[int] = set()
    for gap in alignment.gaps:
        outside = [d for d in gap.draft if d not in inside and norm(texts[d])]
        if not outside or not gap.ret or len(outside) * len(gap.ret) > MAX_GAP_PAIRS:
            continue
        normed = [norm(ret[r]) for r in gap.ret if norm(ret[r])]
        for d in outside:
            text = norm(texts[d])
            if any(_alike(text, r) for r in normed):
                out.add(d)
    return out


def _alike(a: str, b: str) -> bool:
    """``b`` is an edited copy of ``a``: similar lengths, shared words, similar text."""
    if not 0.5 <= len(a) / len(b) <= 2:
        return False
    wa, wb = set(a.lower().split()), set(b.lower().split())
    if len(wa & wb) * 3 < min(len(wa), len(wb)):
        return False
    return similarity(a, b) >= EDITED_SIMILARITY
