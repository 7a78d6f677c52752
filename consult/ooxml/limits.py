"""Named safety limits for reading a package; raise them with Limits(...) for a big real file."""
from __future__ import annotations

from dataclasses import dataclass

# docs/input-handling.md lists them with the message each one gives.
MAX_PART_BYTES = 200 * 1024 * 1024      # one part, uncompressed
MAX_TOTAL_BYTES = 500 * 1024 * 1024     # all parts, uncompressed; also the most read from disk
MAX_ENTRIES = 10_000                    # zip entries
MAX_RATIO = 200                         # kept for compatibility; sizes, not ratios, are bounded
MAX_XML_DEPTH = 256                     # element nesting in one XML part
RATIO_FLOOR = 1024 * 1024               # kept for compatibility (no ratio check any more)


@dataclass(frozen=True)
class Limits:
    """Safety limits for reading a package."""

    max_part_bytes: int = MAX_PART_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_entries: int = MAX_ENTRIES
    max_ratio: int = MAX_RATIO          # no longer used: what is inflated is bounded instead
    max_xml_depth: int = MAX_XML_DEPTH
