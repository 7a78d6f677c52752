"""Exceptions that consult raises and users can catch."""
from __future__ import annotations

from .results import safe_text


class ConsultError(Exception):
    """Base class: a problem consult can describe in one line."""


class InputError(ConsultError):
    """An input file cannot be read; the message names the file and what to do."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = safe_text(path)
        self.problem = safe_text(problem)
        super().__init__(f"{self.path}: {self.problem}")


class UsageError(ConsultError):
    """The call itself is wrong (bad option value, output equal to an input...)."""


class OutputError(ConsultError):
    """An output could not be written."""


class PartialOutputError(OutputError):
    """Some of several outputs were written, some not: ``written`` paths and ``failed``
    (path, reason) pairs."""

    def __init__(self, written: list, failed: list) -> None:
        self.written = [str(p) for p in written]
        self.failed = [(str(p), str(why)) for p, why in failed]
        names = ", ".join(p for p, _ in self.failed)
        why = self.failed[0][1]
        why = why[why.rfind("(") + 1:why.rfind(")")] if "(" in why else why
        kept = f"; {', '.join(self.written)} {'was' if len(self.written) == 1 else 'were'} " \
               "written" if self.written else ""
        super().__init__(f"{names} could not be written ({why}){kept}")
