"""What a batch says, kept on disk: lists read back one item at a time, and buckets.

What each return says is needed two or three times (for the collated document, the summary,
the reports) but never all at once, so a batch of hundreds of returns is held on disk and
takes about the memory of one. The same goes for the merged changes and conflicts, and for
the plan of the collated document, filed by paragraph or block and read back in that order.
"""
from __future__ import annotations

import pickle
import sqlite3
import tempfile
from array import array
from collections.abc import Callable, Iterator, MutableSequence


class DiskList(MutableSequence):
    """A list whose items are pickled into an anonymous temporary file.

    It behaves like a list; each access reads the item back (a fresh, equal object).
    """

    def __init__(self, items=()) -> None:
        self._file = None
        self._spans = array("Q")        # each pickle's offset << 32 | length: 8 bytes an item
        self.extend(items)

    def _write(self, item) -> int:
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        data = pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, 2)
        at = self._file.tell()
        self._file.write(data)
        return at << 32 | len(data)

    def _read(self, span: int):
        self._file.seek(span >> 32)
        return pickle.loads(self._file.read(span & 0xFFFFFFFF))

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._read(span) for span in self._spans[k]]
        return self._read(self._spans[k])

    def __setitem__(self, k, item) -> None:
        if isinstance(k, slice):
            self._spans[k] = array("Q", [self._write(x) for x in item])
        else:
            self._spans[k] = self._write(item)

    def __delitem__(self, k) -> None:
        del self._spans[k]

    def insert(self, k: int, item) -> None:
        self._spans.insert(k, self._write(item))

    def __iter__(self) -> Iterator:
        for span in self._spans[:]:
            yield self._read(span)

    def __eq__(self, other) -> bool:
        if isinstance(other, (DiskList, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self)} items)"

    def __reduce__(self):
        return type(self), (list(self),)

    def order_by(self, key: Callable[[object], object]) -> None:
        """Sort in place by ``key`` (stable; each item is read once)."""
        keys = [key(r) for r in self]
        self._spans = array("Q", [self._spans[k] for k in sorted(range(len(keys)),
                                                                 key=keys.__getitem__)])


class ReturnStore(DiskList):
    """The returns of a batch (:class:`Return`), kept on disk."""

    def __repr__(self) -> str:
        return f"ReturnStore({len(self)} returns)"


class Buckets:
    """Items filed under integer keys, read back key by key in the order they were filed.

    They wait in a private temporary SQLite database (a small page cache in memory, the rest
    on disk), so filing a batch's worth of items costs about the memory of a few.
    """

    BATCH = 2000

    def __init__(self) -> None:
        self._db = sqlite3.connect("")          # "": a temporary on-disk database
        self._db.execute("PRAGMA cache_size = -512")
        self._db.execute("CREATE TABLE item (key INTEGER, seq INTEGER, data BLOB, "
                         "PRIMARY KEY (key, seq)) WITHOUT ROWID")
        self._waiting: list[tuple[int, int, bytes]] = []
        self._seq = 0

    def add(self, key: int, item) -> None:
        """File ``item`` under ``key``."""
        self._waiting.append((key, self._seq, pickle.dumps(item, pickle.HIGHEST_PROTOCOL)))
        self._seq += 1
        if len(self._waiting) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._waiting:
            self._db.executemany("INSERT INTO item VALUES (?, ?, ?)", self._waiting)
            self._waiting = []

    def keys(self) -> list[int]:
        """The keys with items, in order."""
        self._flush()
        return [k for (k,) in self._db.execute("SELECT DISTINCT key FROM item ORDER BY key")]

    def items(self, key: int) -> list:
        """The items filed under ``key``, in filing order."""
        self._flush()
        rows = self._db.execute("SELECT data FROM item WHERE key = ? ORDER BY seq", (key,))
        return [pickle.loads(data) for (data,) in rows]

    def take(self, key: int) -> list:
        """The items filed under ``key``, in filing order (and forget them)."""
        items = self.items(key)
        if items:
            self._db.execute("DELETE FROM item WHERE key = ?", (key,))
        return items

    def close(self) -> None:
        self._db.close()


__all__ = ["DiskList", "ReturnStore", "Buckets"]
