"""What the facilitator sees: who responded, counts per section, conflicts as they appear."""
from __future__ import annotations

from ..model import Draft
from .db import Group, Response, Store

SUGGESTIONS = {"replace": "replace", "insert": "insert", "delete": "delete"}


def status(store: Store, draft: Draft) -> dict:
    """Everything the dashboard shows, from the database alone."""
    groups = store.groups()
    responses = store.responses()
    uploads = {u.group_id: u for u in store.uploads()}
    items = store.upload_items()
    names = {g.id: g.name for g in groups}
    return {"state": store.meta("state"),
            "groups": [_group_row(g, responses, uploads) for g in groups],
            "sections": _section_rows(draft, groups, responses, items),
            "conflicts": conflicts(draft, names, responses, items)}


def _group_row(g: Group, responses: list[Response], uploads: dict) -> dict:
    own = [r for r in responses if r.group_id == g.id]
    upload = uploads.get(g.id)
    return {"id": g.id, "name": g.name, "sections": list(g.sections),
            "comments": sum(r.kind in ("comment", "reply") for r in own),
            "suggestions": sum(r.kind in SUGGESTIONS for r in own),
            "upload": None if upload is None else {
                "file": upload.original, "comments": upload.comments,
                "changes": upload.revisions, "at": upload.created},
            "last": max([r.updated for r in own] + ([upload.created] if upload else []),
                        default="")}


def _section_rows(draft: Draft, groups: list[Group], responses: list[Response],
                  items: list[tuple]) -> list[dict]:
    counts: dict[str, list[int]] = {s.id: [0, 0] for s in draft.sections}
    for r in responses:
        s = draft.section_of(r.paragraph)
        if s is not None:
            counts[s.id][0 if r.kind in ("comment", "reply") else 1] += 1
    for _gid, kind, section, *_rest in items:
        if section in counts:
            counts[section][0 if kind == "comment" else 1] += 1
    assigned = {s.id: [g.name for g in groups if s.id in g.sections] for s in draft.sections}
    return [{"id": s.id, "number": s.number, "title": s.title, "groups": assigned[s.id],
             "comments": counts[s.id][0], "suggestions": counts[s.id][1]}
            for s in draft.sections if assigned[s.id] or any(counts[s.id])]


def conflicts(draft: Draft, names: dict[int, str], responses: list[Response],
              items: list[tuple]) -> list[dict]:
    """Suggestions of different groups on overlapping words that do not say the same."""
    changes = [(r.group_id, r.kind, r.paragraph, r.start, r.end, r.text) for r in responses
               if r.kind in SUGGESTIONS]
    changes += [(gid, kind, para, start, end, text if kind == "insert" else "")
                for gid, kind, _s, para, start, end, text in items if kind in SUGGESTIONS]
    by_para: dict[int, list[tuple]] = {}
    for c in changes:
        by_para.setdefault(c[2], []).append(c)
    out = []
    for para, found in sorted(by_para.items()):
        for i, a in enumerate(found):
            for b in found[i + 1:]:
                if a[0] != b[0] and _overlap(a, b) and (a[1], a[5]) != (b[1], b[5]):
                    out.append(_conflict(draft, names, para, a, b))
    return out


def _overlap(a: tuple, b: tuple) -> bool:
    (s1, e1), (s2, e2) = a[3:5], b[3:5]
    if s1 == e1 or s2 == e2:
        return s2 <= s1 <= e2 if s1 == e1 else s1 <= s2 <= e1
    return s1 < e2 and s2 < e1


def _conflict(draft: Draft, names: dict[int, str], para: int, a: tuple, b: tuple) -> dict:
    p = draft.paragraphs[para]
    s = draft.section_of(para)
    lo, hi = min(a[3], b[3]), max(a[4], b[4])
    return {"section": s.number if s else "", "paragraph": para,
            "words": p.text[lo:hi][:200],
            "groups": [{"group": names.get(x[0], "?"), "kind": x[1], "text": x[5][:300]}
                       for x in (a, b)]}


def share_items(store: Store, draft: Draft, group: Group) -> list[dict]:
    """One group's responses, online and uploaded, in draft order, for the room."""
    rows = [(r.paragraph, r.start, r.kind, r.quote, r.text) for r in store.responses(group.id)]
    rows += [(para, start, kind, draft.paragraphs[para].text[start:end], text)
             for gid, kind, _s, para, start, end, text in store.upload_items() if gid == group.id]
    out = []
    for para, start, kind, quote, text in sorted(rows, key=lambda r: (r[0], r[1])):
        s = draft.section_of(para)
        label = draft.paragraphs[para].label
        out.append({"section": (s.number or s.title) if s else "", "label": label, "kind": kind,
                    "quote": quote, "text": "" if kind == "delete" else text})
    return out
