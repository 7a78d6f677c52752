"""The groups' changes in the draft's footnotes and endnotes as the collated document writes
them (the same change by several groups once) and the conflicts between them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .changes import Conflict, Credit
from .model import Draft, Placed, Revision
from .asides import aside_name, aside_section, aside_texts, reference_of
from .ooxml.objects import fingerprint


@dataclass
class NoteChange:
    kind: str               # insert (text may hold "\\n") | delete | join | format | object-insert
    para: int
    start: int
    end: int
    text: str
    credits: list[Credit] = field(default_factory=list)
    props: str = ""


KINDS = {"insert": "insert", "move-to": "insert", "paragraph-insert": "insert",
         "delete": "delete", "move-from": "delete", "paragraph-delete": "join",
         "format": "format", "paragraph-format": "paragraph-format"}        # a move within a note: deleted there, inserted here


def conflict_lines(c: Conflict) -> list[str]:
    """The conflict comment's text, as the body's (``response_plan.ResponsePlanner.comment_records``) says it."""
    return ([f"Conflict {c.id}: groups propose different changes to this text of "
             f"{aside_name(c.note)}.", f"Draft: \u201c{c.draft_text}\u201d"]
            + [f"{g}: \u201c{t}\u201d" if t else f"{g}: (deletes it)" for g, t in c.versions])


def note_changes(notes: Iterable[tuple[str, list[Placed]]]) -> tuple[dict, dict]:
    """Every group's note changes, the same change by several groups once (credited to them
    all), a group's insertions one after another at one place one (a new paragraph and its
    text); and (group, k) -> the change the group's k-th note annotation is part of."""
    changes: dict[tuple, NoteChange] = {}
    member: dict[tuple[str, int], tuple] = {}
    for group, placed in notes:
        for ks, kind, text, p in _group_changes(placed):
            item, pl = p.item, p.place
            ck = note_key(p) + (kind, pl.paragraph, pl.start, pl.end if kind != "insert" else
                            pl.start, text if kind == "insert" else item.props
                            if "format" in kind else fingerprint(item.props)
                            if kind == "object-insert" else text
                            if kind == "object-delete" else "")
            change = changes.setdefault(ck, NoteChange(kind, pl.paragraph, pl.start,
                                                    pl.start if kind == "insert" else pl.end,
                                                    text, props=item.props))
            if group not in [c.group for c in change.credits]:
                change.credits.append(Credit(group, item.author, item.date, item.tracked))
            for k in ks:
                member[group, k] = ck
    return changes, member


def _group_changes(placed: list[Placed]) -> Iterator[tuple[list[int], str, str, Placed]]:
    """(indexes in ``placed``, kind, text, first placed) of each of a group's note changes:
    insertions one after another at one place (tracked alike) joined, as ``group_ops``
    joins the body's."""
    pending: list | None = None
    for k, p in enumerate(placed):
        if not isinstance(p.item, Revision):
            continue
        kind = KINDS.get(p.item.kind, p.item.kind)
        if pending and kind == "insert" and pending[1] == "insert" and note_key(pending[3]) == \
                note_key(p) and (pending[3].place.paragraph, pending[3].place.start) == \
                (p.place.paragraph, p.place.start) and pending[3].item.tracked == p.item.tracked:
            pending[0].append(k)
            pending[2] += p.item.text
            continue
        if pending:
            yield tuple(pending)
        pending = [[k], kind, p.item.text, p]
    if pending:
        yield tuple(pending)


def note_conflicts(draft: Draft, notes: Iterable[tuple[str, list[Placed]]],
                   first: int) -> list[Conflict]:
    """Where groups propose different changes to overlapping text of a note paragraph (as the
    body's conflicts are found: a group's deletion and its insertion at the deletion's end
    are one proposal), each cluster once, numbered C<first> on: in the section holding the
    note's reference (``para``, ``start``, ``end``: the end of that paragraph), ``note`` and
    ``in_note`` saying where in the note."""
    changes, _ = note_changes(list(notes))
    texts = aside_texts(draft)
    out = []
    for (story, ordinal), para, a, b, units in _clusters(changes):
        text = texts.get((story, ordinal), [""] * (para + 1))[para]
        versions = []
        for g in sorted({g for u in units for g in u[3]}):
            version, at = "", a
            for u in sorted((u for u in units if g in u[3]), key=lambda u: (u[0], u[1])):
                version += text[at:u[0]] + u[2]
                at = max(at, u[1])
            versions.append((g, (version + text[at:b]).strip()))
        section = f"{story}:{ordinal}"
        ref = reference_of(draft, section)
        ref = 0 if ref is None else ref
        at = len(draft.paragraphs[ref].text) if draft.paragraphs else 0
        out.append(Conflict(f"C{first + len(out)}", aside_section(draft, section), ref, at, ref,
                            at, text[a:b], tuple(versions), section, (para, a, b)))
    return out


def note_conflict_ids(conflicts: Iterable[Conflict], returns) -> dict[tuple[str, int], str]:
    """(group, k) -> the id of the note conflict the group's k-th note annotation (in
    ``Return.notes``) is part of, for the reports; a note the group adds, the conflict
    between the notes added at its reference's place."""
    ids, added = {}, {}
    for c in conflicts:
        if c.new_note:
            added[c.para, c.start] = (c.id, {g for g, _ in c.versions})
        elif c.note:
            ids[c.note, c.in_note] = c.id
    out = {}
    for r in returns if added else ():
        for k, p in enumerate(r.notes):
            hit = added.get((p.place.paragraph, p.place.start)) if isinstance(
                p.item, Revision) and p.item.kind == "note-insert" else None
            if hit and r.group in hit[1]:
                out[r.group, k] = hit[0]
    if not ids:
        return out
    changes, member = note_changes([(r.group, list(r.notes)) for r in returns])
    of_change: dict[tuple, str] = {}
    for (story, ordinal), para, a, b, units in _clusters(changes):
        cid = ids.get((f"{story}:{ordinal}", (para, a, b)))
        for u in units:
            for ch in u[4]:
                for g in u[3]:
                    of_change[id(ch), g] = cid
    out.update({(g, k): of_change[id(changes[ck]), g] for (g, k), ck in member.items()
                if of_change.get((id(changes[ck]), g))})
    return out


def _clusters(changes: dict[tuple, NoteChange]) -> list[tuple]:
    """(note, paragraph, start, end, units) of each conflict in a note paragraph: a cluster of
    overlapping units (start, end, new text, groups, changes, what it puts in: its text or
    its picture's fingerprint; a deletion and the insertion its group makes at its end are
    one) from two or more groups, not all the same."""
    by_para: dict[tuple, list[list]] = {}
    for key, ch in changes.items():
        if ch.kind == "delete":
            for c in ch.credits:
                by_para.setdefault(key[:2] + (ch.para,), []).append(
                    [ch.start, ch.end, "", [c.group], [ch], ""])
    for key, ch in changes.items():
        if ch.kind not in ("insert", "object-insert"):
            continue
        units = by_para.setdefault(key[:2] + (ch.para,), [])
        put = ch.text if ch.kind == "insert" else f"\x00{fingerprint(ch.props)}\x00"
        for c in ch.credits:
            mine = next((u for u in units if u[1] == ch.start and u[3] == [c.group]
                         and u[0] < u[1]), None)
            if mine is not None:
                mine[2] += ch.text
                mine[4].append(ch)
                mine[5] += put
            else:
                units.append([ch.start, ch.start, ch.text, [c.group], [ch], put])
    out = []
    for (story, ordinal, para), units in sorted(by_para.items()):
        units.sort(key=lambda u: (u[0], u[1]))
        clusters: list[list] = []
        for u in units:
            if clusters and any(_overlap(v, u) for v in clusters[-1]):
                clusters[-1].append(u)
            else:
                clusters.append([u])
        for cluster in clusters:
            groups = {g for u in cluster for g in u[3]}
            if len(groups) < 2 or len({(u[0], u[1], u[5]) for u in cluster}) < 2:
                continue
            out.append(((story, ordinal), para, min(u[0] for u in cluster),
                        max(u[1] for u in cluster), cluster))
    return out


def _overlap(a: list, b: list) -> bool:
    """Two units share text, are insertions at one place, or one is inserted inside the other
    (as ``changes._overlaps`` says for the body)."""
    (s1, e1), (s2, e2) = a[:2], b[:2]
    return (s1 < e2 and s2 < e1) or s1 == e1 == s2 == e2 or (s1 == e1 and s2 < s1 < e2) or (
        s2 == e2 and s1 < s2 < e1)


def note_key(p: Placed) -> tuple[str, int]:
    story, ordinal = p.place.section.rsplit(":", 1)
    return story, int(ordinal)


__all__ = ["NoteChange", "note_changes", "note_conflicts", "note_conflict_ids", "conflict_lines",
           "note_key"]
