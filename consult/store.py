"""Returns kept in a temporary file and read back one at a time.

What each return says is needed two or three times (for the collated document, the summary,
the reports) but never all at once, so a batch of hundreds of returns is held on disk and
takes about the memory of one.
"""
from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterator, MutableSequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Return


class ReturnStore(MutableSequence):
    """A list of :class:`Return` pickled into an anonymous temporary file.

    It behaves like a list; each access reads the return back (a fresh, equal object).
    """

    def __init__(self, items=()) -> None:
        self._file = None
        self._spans: list[tuple[int, int]] = []        # (offset, length) of each pickle
        self.extend(items)

    def _write(self, ret: Return) -> tuple[int, int]:
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        data = pickle.dumps(ret, pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, 2)
        at = self._file.tell()
        self._file.write(data)
        return at, len(data)

    def _read(self, span: tuple[int, int]) -> Return:
        self._file.seek(span[0])
        return pickle.loads(self._file.read(span[1]))

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._read(span) for span in self._spans[k]]
        return self._read(self._spans[k])

    def __setitem__(self, k, ret) -> None:
        if isinstance(k, slice):
            self._spans[k] = [self._write(r) for r in ret]
        else:
            self._spans[k] = self._write(ret)

    def __delitem__(self, k) -> None:
        del self._spans[k]

    def insert(self, k: int, ret: Return) -> None:
        self._spans.insert(k, self._write(ret))

    def __iter__(self) -> Iterator[Return]:
        for span in list(self._spans):
            yield self._read(span)

    def __eq__(self, other) -> bool:
        if isinstance(other, (ReturnStore, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"ReturnStore({len(self)} returns)"

    def __reduce__(self):
        return ReturnStore, (list(self),)

    def order_by(self, key: Callable[[Return], object]) -> None:
        """Sort in place by ``key`` (stable; each return is read once)."""
        keys = [key(r) for r in self]
        self._spans = [self._spans[k] for k in sorted(range(len(keys)), key=keys.__getitem__)]


__all__ = ["ReturnStore"]
