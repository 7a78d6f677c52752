"""A draft's own tracked changes and comments, kept for the collated document and counted.

The draft is modelled in its accepted view (``split.load_draft``), one paragraph for each
paragraph Word shows there. ``keep_own`` leaves every tracked change of the draft in place but
a deleted (or moved-away) paragraph mark, also one inserted, which would join two of those
paragraphs: it is accepted (the text deleted with it stays deleted) and counted apart. The
paragraphs of a deleted table row (also one inserted) stay, outside that view (``shown`` leaves
them out). Both follow ``revisions.gone_when_accepted``, the accepted view's own rule.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .ns import qn
from .package import Package
from .revisions import PR_CHANGES, gone_when_accepted, resolve
from .textview import W_NS

CONTENT = ("ins", "del", "moveFrom", "moveTo")
STRUCTURAL = {W_NS + "del", W_NS + "moveFrom"}


@dataclass
class OwnMarks:
    """Who made the draft's tracked changes and comments, by author (in first-seen order)."""

    changes: Counter = field(default_factory=Counter)
    comments: Counter = field(default_factory=Counter)
    accepted: int = 0           # paragraph marks and rows accepted to keep paragraphs in step


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
        return "leave" if p is None or not shown(p) else "accept"

    own.accepted = resolve(root, decide)
    names = {W_NS + n for n in CONTENT + PR_CHANGES}
    for el in root.iter(*names):
        own.changes[_author(el)] += 1
    part = pkg.related(pkg.main, "/comments")
    if part is not None:
        for c in pkg.xml(part).iter(W_NS + "comment"):
            own.comments[_author(c)] += 1
    return own


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
    if own.accepted:
        text += (f" (but {own.accepted} deleted paragraph mark{'s' * (own.accepted != 1)}, "
                 "accepted as in the draft the groups read)")
    return text + "."


def _author(el) -> str:
    return (el.get(qn("w:author")) or "").strip() or "an unnamed author"


def _names(counts: Counter) -> str:
    names = list(counts)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


__all__ = ["keep_own", "carried_sentence", "shown", "OwnMarks"]
