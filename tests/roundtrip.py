"""The semantic round-trip equation, checked with pandoc (tests/semantic.py), never consult.

For a group G, the collated document with G's changes and the draft's own accepted and every
other group's rejected must read like G's return read with ``--track-changes=accept``, and
each of G's comments must cover the same words. ``problems(...)`` lists every way it does
not, naming the group, the paragraph and what was expected and found.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import semantic as sem


@dataclass
class Case:
    """A collated document, the groups in it and each group's return (and pack, when the pack
    holds only some sections: its paragraphs decide which part of the collation to compare)."""

    collated: Path
    groups: set[str]
    returns: dict[str, Path]
    packs: dict[str, Path] | None = None
    draft: Path | None = None
    full_packs: dict[str, Path] | None = None   # the packs (whole documents) groups received
    sent: dict[str, Path] | None = None   # what a group gave a converter, before its re-save


def squash(text: str) -> str:
    """Text without any white space: pandoc moves spaces at the edge of a tracked change out
    of it, so where a space falls beside a change is not something it reads reliably."""
    return "".join(text.split())


def same(want: list[str], got: list[str]) -> bool:
    return [squash(p) for p in want] == [squash(p) for p in got]


def _opcodes(a: list[str], b: list[str]):
    return difflib.SequenceMatcher(None, [squash(p) for p in a], [squash(p) for p in b],
                                   autojunk=False).get_opcodes()


def draft_view(case: Case) -> list[str]:
    """The collated document with every group's change rejected: the draft as it stands."""
    doc = sem.read(case.collated)
    return sem.project(doc, lambda a: not any(n in case.groups for n in sem.members(a))
                       ).paragraphs


def projection(case: Case, group: str) -> sem.View:
    doc = sem.read(case.collated)
    return sem.project(doc, lambda a: sem.accepts_for(group, case.groups, a))


def without(case: Case, group: str) -> list[str]:
    """The collated document with every change accepted but those G alone proposed (an
    agreement keeps its other members' proposal)."""
    def accepted(author: str) -> bool:
        names = [n for n in sem.members(author) if n in case.groups]
        return not names or any(n != group for n in names)
    return sem.project(sem.read(case.collated), accepted).paragraphs


def text_problems(case: Case, group: str) -> list[str]:
    """Where G's projection and G's return differ, paragraph by paragraph."""
    want = sem.accepted_text(case.returns[group])
    got = projection(case, group).paragraphs
    out: list[str] = []
    if case.packs and group in case.packs:
        got, outside = _restrict(draft_view(case), sem.accepted_text(case.packs[group]), got)
        out += [f"{group}: collated paragraph {j + 1} outside the group's sections changed: "
                f"draft {d!r}, projection {p!r}" for j, d, p in outside]
    converted = _by_converter(case, group, want, got)
    out += revived(case, group) if case.sent and group in case.sent else []
    for tag, i1, i2, j1, j2 in _opcodes(want, got):
        if tag == "equal" or converted(i1, i2, j1, j2):
            continue
        out.append(f"{group}: return paragraphs {i1 + 1}-{i2} vs projection paragraphs "
                   f"{j1 + 1}-{j2} ({tag}):\n    return:     {want[i1:i2]!r}\n"
                   f"    projection: {got[j1:j2]!r}")
    return out


def _by_converter(case: Case, group: str, want: list[str], got: list[str]):
    """For a return a converter re-saved (``case.sent``): whether a stretch where the return
    and the projection differ is the converter's doing, credited to nobody: no return
    paragraph there is in the file the group gave the converter (the converter wrote them:
    LibreOffice drops or applies a draft's own tracked changes, keeping their deleted text,
    and consult lists those differences as unplaced), and every projection paragraph there
    reads like that file. Anything else is still a problem."""
    if not case.sent or group not in case.sent:
        return lambda i1, i2, j1, j2: False
    before = sem.accepted_text(case.sent[group])
    unchanged = {i for tag, a1, a2, i1, i2 in _opcodes(before, want) if tag == "equal"
                 for i in range(i1, i2)}
    as_sent = {j for tag, a1, a2, j1, j2 in _opcodes(before, got) if tag == "equal"
               for j in range(j1, j2)}
    return lambda i1, i2, j1, j2: (not unchanged & set(range(i1, i2))
                                   and set(range(j1, j2)) <= as_sent)


REVIVED = 12        # characters (no white space) of the draft's deleted text that count


def revived(case: Case, group: str, kinds: tuple[str, ...] = ("del",)) -> list[str]:
    """Text credited to ``group`` as inserted that the draft's own authors had deleted: what a
    converter brings back when it drops the draft's tracked deletions (the return then reads
    like it, so the equation alone cannot see it), never what the group typed. With ``kinds``
    ("ins", "del"): text in any of the draft's own changes of those kinds (pandoc reads a
    deletion inside a w:moveTo as inserted text, so the draft's view has it too)."""
    if case.draft is None:
        return []
    deleted = "".join(v for k, v in own_marks(case.draft, case.groups).items()
                      if k[0] in kinds)
    runs, run = [], ""                  # consecutive text inserted by the group
    for para in sem.read(case.collated).paragraphs:
        for piece in para.pieces:
            if any(kind == "ins" and group in sem.members(a) for kind, a in piece.changes):
                run += piece.text
            elif piece.text:
                runs, run = runs + [run], ""
        runs, run = runs + [run], ""
    return [f"{group}: {_cut(sem.norm(r))} is credited to {group} as inserted, but it is "
            "in the draft's own author's tracked changes" for r in runs
            if len(squash(r)) >= REVIVED and squash(r) in deleted]


def _restrict(draft: list[str], pack: list[str], got: list[str]):
    """The projection's paragraphs that stand for the pack's (what the draft had there, with
    what the group inserted next to it), and the ones outside that differ from the draft."""
    inside = [False] * len(draft)
    for tag, i1, i2, _, _ in _opcodes(draft, pack):
        if tag == "equal":
            inside[i1:i2] = [True] * (i2 - i1)
    keep, outside = [], []
    for tag, i1, i2, j1, j2 in _opcodes(draft, got):
        near = inside[max(i1 - 1, 0):i2 + 1] if i1 == i2 else inside[i1:i2]
        if tag == "equal":
            keep += [got[j1 + k] for k in range(i2 - i1) if inside[i1 + k]]
        elif any(near):
            keep += got[j1:j2]
        else:
            outside += [(j, draft[i1 + k] if i1 + k < i2 else None, got[j])
                        for k, j in enumerate(range(j1, j2))]
            outside += [(j2, draft[i], None) for i in range(i1 + (j2 - j1), i2)]
    return keep, outside


def comment_problems(case: Case, group: str) -> list[str]:
    """Each comment of G's return must be in the collated document under G, once, on the same
    words; comments the draft carried must not be credited to G."""
    ret = sem.project(sem.read(case.returns[group]), lambda a: True).covered
    own = set()
    if case.draft is not None:
        own = {(a, body) for a, body, _ in
               sem.project(sem.read(case.draft), lambda a: True).covered.values()}
    view = projection(case, group)
    mine = [(cid, body, cov) for cid, (a, body, cov) in view.covered.items()
            if group in sem.members(a)]
    out = []
    used: set[str] = set()
    for rid, (author, body, want) in ret.items():
        if (author, body) in own:
            continue
        match = [m for m in mine if m[1] == body and m[0] not in used]
        if not match:
            out.append(f"{group}: comment {body!r} (return id {rid}) is not in the collated "
                       f"document under {group}")
            continue
        cid, _, got = match[0]
        used.add(cid)
        if got is None or squash(got) != squash(want):
            where = "no range end after its start" if got is None else repr(got)
            out.append(f"{group}: comment {body!r} covers {where} in the projection, "
                       f"{want!r} in the return")
    for cid, body, _ in mine:
        if cid not in used:
            why = "the draft's own comment" if any(b == body for _, b in own) else "not in it"
            out.append(f"{group}: collated comment {cid} {body!r} is credited to {group} but "
                       f"is {why} (the return)")
    return out


def problems(case: Case, group: str) -> list[str]:
    return text_problems(case, group) + comment_problems(case, group)


def report(items: list[str], limit: int = 12) -> str:
    more = f"\n... and {len(items) - limit} more" if len(items) > limit else ""
    return f"{len(items)} problems:\n" + "\n".join(items[:limit]) + more


def first_difference(want: list[str], got: list[str], limit: int = 3) -> list[str]:
    """The first few differing stretches of two paragraph lists, as text."""
    out = []
    for tag, i1, i2, j1, j2 in _opcodes(want, got):
        if tag != "equal":
            out.append(f"paragraphs {i1 + 1}-{i2}: expected {want[i1:i2]!r}, got "
                       f"{got[j1:j2]!r}")
    return out[:limit] + ([f"... {len(out) - limit} more"] if len(out) > limit else [])


CONSULT = "consult"     # the author of consult's own comments (conflicts, formatting notes)


def own_marks(path: Path, groups: set[str]) -> dict[tuple, str]:
    """The tracked changes and comments in ``path`` by authors who are neither groups nor
    consult: (kind, author) -> their text, in order, without white space; (comment, author,
    body) -> the text it covers."""
    doc = sem.read(path)
    groups = groups | {CONSULT}
    out: dict[tuple, str] = {}
    for para in doc.paragraphs:
        for piece in para.pieces:
            for kind, author in piece.changes:
                if not any(n in groups for n in sem.members(author)):
                    key = (kind, author)
                    out[key] = out.get(key, "") + squash(piece.text)
        if para.mark and not any(n in groups for n in sem.members(para.mark[1])):
            key = ("paragraph mark " + para.mark[0], para.mark[1])
            out[key] = out.get(key, "") + "¶"
    for author, body, covered in sem.project(doc, lambda a: True).covered.values():
        if not any(n in groups for n in sem.members(author)):
            key = ("comment", author, body)
            out[key] = out.get(key, "") + "[" + squash(covered or "") + "]"
    return out


def _cut(text: str | None, n: int = 60) -> str:
    if text is None:
        return "nothing"
    return repr(text if len(text) <= n else text[:n] + f"... ({len(text)} characters)")


def own_mark_problems(case: Case) -> list[str]:
    """The draft's own changes and comments must reach the packs, the returns and the collated
    document under their own authors, once each, and never be credited to a group."""
    want = own_marks(case.draft, case.groups)
    out = []
    where = [("collated document", case.collated)] + [
        (f"{g}'s pack", p) for g, p in sorted((case.packs or case.full_packs or {}).items())]
    for label, path in where:
        got = own_marks(path, case.groups)
        for key in sorted(set(want) | set(got), key=str):
            if want.get(key) != got.get(key):
                out.append(f"{label}: {key}: the draft has {_cut(want.get(key))}, found "
                           f"{_cut(got.get(key))}")
    texts = {v for k, v in want.items() if k[0] in ("ins", "del")}
    doc = sem.read(case.collated)
    credited: dict[str, str] = {}
    for para in doc.paragraphs:
        for piece in para.pieces:
            for kind, author in piece.changes:
                if any(n in case.groups for n in sem.members(author)) \
                        and len(sem.members(author)) == len(case.groups):
                    credited[author] = credited.get(author, "") + squash(piece.text)
    for author, text in credited.items():
        if any(t and t in text for t in texts):
            out.append(f"collated document: the draft's own text {text[:80]!r} is credited to "
                       f"{author!r}")
    return out
