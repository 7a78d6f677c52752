"""Counted nouns and their verbs in messages: "1 edit was", "2 edits were"."""
from __future__ import annotations


def count(n: int, one: str, many: str | None = None) -> str:
    """"1 comment", "3 comments" (``many``: the plural when it is not ``one`` + "s")."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def agree(n: int, one: str, many: str) -> str:
    """The word that agrees with ``n``: ``agree(1, "was", "were")`` is "was"."""
    return one if n == 1 else many


__all__ = ["count", "agree"]
