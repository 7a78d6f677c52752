"""Comment ranges as pandoc reads them: an independent reader for the collated document's marks.

``read(path)`` runs ``pandoc -f docx -t json --track-changes=all`` and flattens the body into a
stream of tokens: ``("text", str, stack)`` where ``stack`` is the tuple of (kind, author) of the
insertions and deletions around the text, ``("start", id, author, body)`` and ``("end", id)``
for comment marks. ``covered(tokens, keep)`` gives each comment's covered text in the view that
``keep(stack)`` selects (e.g. one group's changes accepted, the others rejected).
"""
from __future__ import annotations

import json
import re
import subprocess
from typing import Callable

BLOCK_ENDS = {"Para", "Plain", "Header"}
SKIP = {"Note"}


def read(path) -> list[tuple]:
    out = subprocess.run(["pandoc", "-f", "docx", "-t", "json", "--track-changes=all",
                          str(path)], capture_output=True, check=True).stdout
    tokens: list[tuple] = []
    _blocks(json.loads(out)["blocks"], (), tokens)
    return tokens


def _blocks(x, stack: tuple, out: list) -> None:
    if isinstance(x, list):
        for v in x:
            _blocks(v, stack, out)
        return
    if not isinstance(x, dict) or "t" not in x:
        return
    t, c = x["t"], x.get("c")
    if t in SKIP:
        return
    if t == "Str":
        out.append(("text", c, stack))
    elif t in ("Space", "SoftBreak"):
        out.append(("text", " ", stack))
    elif t == "LineBreak":
        out.append(("text", "\n", stack))
    elif t == "Span":
        (_, classes, attrs), inner = c
        attrs = dict(attrs)
        if "comment-start" in classes:
            out.append(("start", attrs.get("id"), attrs.get("author"), _plain(inner)))
        elif "comment-end" in classes:
            out.append(("end", attrs.get("id")))
        elif "insertion" in classes or "deletion" in classes:
            kind = "ins" if "insertion" in classes else "del"
            _blocks(inner, stack + ((kind, attrs.get("author", "")),), out)
        else:
            _blocks(inner, stack, out)
    elif t == "Header":
        _blocks(c[2], stack, out)
        out.append(("text", "\n", stack))
    elif t in BLOCK_ENDS:
        _blocks(c, stack, out)
        out.append(("text", "\n", stack))
    else:
        _blocks(c, stack, out)


def _plain(inlines) -> str:
    toks: list[tuple] = []
    _blocks(inlines, (), toks)
    return norm("".join(t[1] for t in toks if t[0] == "text"))


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


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
