"""Messages collected while working, instead of printing them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_text(text: object) -> str:
    """Text made safe to show on one line and to write into XML, CSV or HTML: control
    characters (newline, ESC...) become escapes such as \\n and \\x1b, and bytes that were not
    valid in the file system's encoding (surrogate escapes) become U+FFFD."""
    text = _SURROGATE.sub("\ufffd", str(text))
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True)
class Message:
    """A warning or note: ``level`` is "warning" or "info"; ``where`` names the file or place."""

    level: str
    text: str
    where: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.text}" if self.where else self.text
        return safe_text(text)


@dataclass
class Messages:
    """An ordered list of messages that steps append to."""

    items: list[Message] = field(default_factory=list)

    def warn(self, text: str, where: str = "") -> None:
        self.items.append(Message("warning", text, where))

    def info(self, text: str, where: str = "") -> None:
        self.items.append(Message("info", text, where))

    def extend(self, other: "Messages | list[Message]") -> None:
        self.items.extend(other.items if isinstance(other, Messages) else other)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Result(Generic[T]):
    """A value with the messages produced while making it."""

    value: T
    messages: tuple[Message, ...] = ()
