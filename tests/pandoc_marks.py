"""Comment ranges as pandoc reads them: an independent reader for the collated document's marks.

``read(path)`` runs ``pandoc -f docx -t json --track-changes=all`` and flattens the body into a
stream of tokens: ``("text", str, stack)`` where ``stack`` is the tuple of (kind, author) of the
insertions and deletions around the text, ``("start", id, author, body)`` and ``("end", id)``
for comment marks. ``covered(tokens, keep)`` gives each comment's covered text in the view that
``keep(stack)`` selects (e.g. one group's changes accepted, the others rejected).
"""
from __future__ import annotations

from typing import Callable

from pandoc_reader import BLOCK_ENDS, SKIP, _blocks, _plain, norm  # noqa: F401
from pandoc_reader import read_tokens as read  # noqa: F401


def covered(tokens: list[tuple], keep: Callable[[tuple], bool]) -> dict[str, dict]:
    """id -> {"author", "body", "text"}: the text between each comment's start and end."""
    open_: dict[str, list[str]] = {}
    found: dict[str, dict] = {}
    for tok in tokens:
        if tok[0] == "start":
            open_[tok[1]] = []
            found[tok[1]] = {"author": tok[2], "body": tok[3], "text": None}
        elif tok[0] == "end":
            if tok[1] in open_:
                found[tok[1]]["text"] = norm("".join(open_.pop(tok[1])))
            elif tok[1] in found or tok[1] not in found:
                found.setdefault(tok[1], {"author": None, "body": None, "text": None})
                found[tok[1]]["ended_first"] = True
        elif keep(tok[2]):
            for parts in open_.values():
                parts.append(tok[1])
    return found


def group_view(group: str, groups: set[str]) -> Callable[[tuple], bool]:
    """Keep what ``group`` would see: its changes (alone, in an agreement, untracked) and
    non-group authors' (the draft's own) accepted, every other group's rejected."""
    def accepted(author: str) -> bool:
        names = {n.strip() for n in author.replace(" (untracked)", "").split(" & ")}
        return group in names or not (names & groups)

    def keep(stack: tuple) -> bool:
        for kind, author in stack:
            if (kind == "ins") != accepted(author):
                return False
        return True
    return keep


def accept_all(stack: tuple) -> bool:
    return all(kind == "ins" for kind, _ in stack)
