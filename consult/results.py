"""Messages collected while working, instead of printing them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Message:
    """A warning or note: ``level`` is "warning" or "info"; ``where`` names the file or place."""

    level: str
    text: str
    where: str = ""

    def __str__(self) -> str:
        return f"{self.where}: {self.text}" if self.where else self.text


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
