"""A draft's own tracked changes and comments, kept for the collated document and counted.

The draft is modelled in its accepted view (``split.load_draft``), one paragraph for each
paragraph Word shows there. ``keep_own`` leaves every tracked change of the draft in place but
a deleted (or moved-away) paragraph mark, also one inserted, which would join two of those
paragraphs: it is accepted (the text deleted with it stays deleted) while the writer works, and
``restore_joins`` puts it back as each block is written, also where a group's change was
written across it (that change is cut in two there); a mark that joins nothing (before a
table, at a cell's end) is left as it is. The paragraphs of a deleted table row (also one inserted) stay,
outside that view (``shown`` leaves them out). Both follow ``revisions.gone_when_accepted``,
the accepted view's own rule.
"""
from __future__ import annotations

from collections import Counter
from copy import deepcopy
from dataclasses import dataclass, field

from .ns import qn
from .package import Package
from .revisions import PR_CHANGES, gone_when_accepted, next_paragraph, resolve
from .textview import W_NS

CONTENT = ("ins", "del", "moveFrom", "moveTo")
STRUCTURAL = {W_NS + "del", W_NS + "moveFrom"}
CHANGES = {W_NS + n for n in CONTENT}
INSERTIONS = {W_NS + "ins", W_NS + "moveTo"}
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


@dataclass
class OwnMarks:
    """Who made the draft's tracked changes and comments, by author (in first-seen order)."""

    changes: Counter = field(default_factory=Counter)
    comments: Counter = field(default_factory=Counter)
    accepted: int = 0           # paragraph marks and rows accepted to keep paragraphs in step
    joins: list = field(default_factory=list)   # the accepted marks, to put back (Join)


@dataclass
class Join:
    """A paragraph whose deleted mark was accepted: its content moved to the start of
    ``into``; ``last`` is the last element moved (None: it had none) and ``text`` their text."""

    into: object
    source: object          # the paragraph that was joined (gone from the tree)
    last: object
    text: str
    attrs: dict
    ppr: object


def keep_own(pkg: Package) -> OwnMarks:
    """Resolve only the draft's structural deletions in its main document (see the module
    doc); count the changes left and the comments, by author."""
    own = OwnMarks()
    root = pkg.xml(pkg.main)

    def decide(el) -> str:
        holder = el.getparent()
        if el.tag not in STRUCTURAL or holder is None or not (
                holder.tag == W_NS + "rPr" and holder.getparent() is not None and
                holder.getparent().tag == W_NS + "pPr"):
            return "leave"
        # as accepting everything does (revisions.gone_when_accepted): a mark also inserted
        # goes too; a paragraph of a deleted row is outside the accepted view, keeps its mark
        p = holder.getparent().getparent()
        if p is None or not shown(p):
            return "leave"
        into = next_paragraph(p)
        if into is None:            # before a table or at a cell's end: it joins nothing
            return "leave"
        if holder.getparent().find(W_NS + "sectPr") is None:
            moved = [c for c in p if c.tag != W_NS + "pPr"]
            ppr = deepcopy(holder.getparent())
            attrs = {k: v for k, v in p.attrib.items() if not k.startswith(W14)}
            own.joins.append(Join(into, p, moved[-1] if moved else None, _text(moved), attrs,
                                  ppr))
        return "accept"

    own.accepted = resolve(root, decide)
    names = {W_NS + n for n in CONTENT + PR_CHANGES}
    for el in root.iter(*names):
        own.changes[_author(el)] += 1
    part = pkg.related(pkg.main, "/comments")
    if part is not None:
        for c in pkg.xml(part).iter(W_NS + "comment"):
            own.comments[_author(c)] += 1
    return own


def restore_joins(block, joins: list, first_id: int | None = None) -> list:
    """Put back, inside ``block`` (written and about to be saved), each accepted mark of
    ``joins``: the paragraph it joined is cut there again and its first part gets its own
    properties and deleted mark back. It is cut after exactly the content moved into it or,
    where a change was written across the join, after as much of the draft's text (``_cut``:
    changes with a w:id from ``first_id`` up are the writer's). Returns the paragraphs put
    back (in ``block``, or just before it); the rest stay accepted (and leave ``joins``)."""
    done = []
    todo = [j for j in joins if j.into is block or _within(j.into, block)]
    while todo:
        j = todo.pop()
        joins.remove(j)
        into = j.into
        ppr = into.find(W_NS + "pPr")
        start = 0 if ppr is None else into.index(ppr) + 1
        head = _moved(into, start, j)
        if head is None and first_id is not None:
            head = _cut(into, start, len(j.text), first_id)
        if head is None:
            continue
        p = into.makeelement(W_NS + "p", j.attrs)
        p.append(j.ppr)
        for child in head:
            p.append(child)
        into.addprevious(p)
        done.append(p)
        for k in joins:             # a paragraph joined to this one before it was joined
            if k.into is j.source:
                k.into = p
                todo.append(k)
    return done


def _moved(into, start: int, j: Join) -> list | None:
    """The elements at the start of ``into`` that were moved into it, if still as moved."""
    if j.last is None:
        return [] if not j.text else None
    if j.last.getparent() is not into:
        return None
    head = list(into)[start:into.index(j.last) + 1]
    return head if _text(head) == j.text else None


def _cut(into, start: int, n: int, first_id: int) -> list | None:
    """The elements at the start of ``into`` holding its first ``n`` characters of the
    draft's text (text and deleted text, not what the writer inserted), a change of the
    writer's that crosses that point cut in two (the part before it a copy); None when a run
    crosses it (runs cut there are never joined again, so that is not a join's)."""
    out, got = [], 0
    for child in list(into)[start:]:
        if got == n:
            break
        size = _draft_chars(child, first_id)
        if got + size <= n:
            out.append(child)
            got += size
            continue
        part = _split(child, n - got, first_id)
        if part is None:
            return None
        out.append(part)
        got = n
    return out if got == n else None


def _split(wrapper, n: int, first_id: int):
    """A copy of a change element holding its children up to ``n`` characters of the draft's
    text (moved out of it), or None if it is not one or a run crosses that point."""
    if wrapper.tag not in CHANGES:
        return None
    part = wrapper.makeelement(wrapper.tag, dict(wrapper.attrib))
    for child in _cut(wrapper, 0, n, first_id) or [None]:
        if child is None:
            return None
        part.append(child)
    return part


def _draft_chars(el, first_id: int) -> int:
    """Characters of the draft's text under ``el``: text inside an insertion the writer made
    (w:id from ``first_id`` up) is not the draft's."""
    total = 0
    for t in el.iter(W_NS + "t", W_NS + "delText"):
        node = t
        while node is not None and not _writers_insertion(node, first_id):
            node = None if node is el else node.getparent()
        if node is None:
            total += len(t.text or "")
    return total


def _writers_insertion(el, first_id: int) -> bool:
    rid = el.get(qn("w:id")) or ""
    return el.tag in INSERTIONS and rid.isdigit() and int(rid) >= first_id


def _within(el, block) -> bool:
    return any(a is block for a in el.iterancestors())


def _text(elements) -> str:
    return "".join(t.text or "" for e in elements for t in e.iter(W_NS + "t", W_NS + "delText"))


def shown(p) -> bool:
    """Whether paragraph ``p`` is in the accepted view: not in a deleted row (also if the row
    was inserted: accepting everything removes it, ``revisions.gone_when_accepted``)."""
    return not any(gone_when_accepted(tr) for tr in p.iterancestors(W_NS + "tr"))


def carried_sentence(own: OwnMarks) -> str:
    """"The draft carried 8 tracked changes by A and B and 2 comments by C." ('' if none)."""
    parts = []
    if own.changes:
        n = sum(own.changes.values())
        parts.append(f"{n} tracked change{'s' * (n != 1)} by {_names(own.changes)}")
    if own.comments:
        n = sum(own.comments.values())
        parts.append(f"{n} comment{'s' * (n != 1)} by {_names(own.comments)}")
    if not parts:
        return ""
    text = "The draft carried " + " and ".join(parts) + "; they are kept under their authors"
    accepted = own.accepted - len(own.joins)     # the joins are put back as written
    if accepted:
        text += (f" (but {accepted} deleted paragraph mark{'s' * (accepted != 1)}, "
                 "accepted as in the draft the groups read)")
    return text + "."


def _author(el) -> str:
    return (el.get(qn("w:author")) or "").strip() or "an unnamed author"


def _names(counts: Counter) -> str:
    names = list(counts)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["keep_own", "carried_sentence", "shown", "restore_joins", "OwnMarks", "Join"]
