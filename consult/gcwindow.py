"""Fewer garbage-collector passes while consult reads and writes documents.

Reading a return makes millions of small objects (text segments, positions) and almost no
reference cycles, so CPython's default collector (a pass every 700 allocations) spends a
tenth of collate's time finding nothing. ``fewer_passes`` raises the thresholds for the
length of a call and puts them back after; a collector the caller turned off or already
raised is left as it is.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator

THRESHOLDS = (10_000, 50, 100)      # (generation 0, 1, 2); CPython's default is (700, 10, 10)


@contextmanager
def fewer_passes() -> Iterator[None]:
    old = gc.get_threshold()
    if not gc.isenabled() or old[0] == 0 or old[0] >= THRESHOLDS[0]:
        yield
        return
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*old)


__all__ = ["fewer_passes", "THRESHOLDS"]
