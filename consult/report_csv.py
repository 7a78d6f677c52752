"""report.csv: UTF-8 with a byte-order mark and CRLF line endings (RFC 4180), formulas defused.

Written with the csv module: fields holding commas, quotes or newlines are quoted, so Excel and
LibreOffice Calc open it with the right characters and columns. A cell that starts with = + - @
or a tab gets a leading apostrophe (as does one that starts with an apostrophe) so that
spreadsheets show it as text instead of running it as a formula; read_csv takes exactly that
apostrophe off again.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from . import report_rows as rows
from .errors import InputError
from .report_rows import COLUMNS, FORMULA, _Entry, _own, _Sorted, _write_chunks

if TYPE_CHECKING:
    from .collate import Collation


def csv_bytes(col: "Collation") -> bytes:
    """The rows as CSV: UTF-8 with a BOM, CRLF line endings, formulas defused."""
    with _Sorted(col) as entries:
        return b"".join(_csv_chunks(entries))


def _csv_chunks(entries: Iterable[_Entry]) -> Iterator[bytes]:
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for e in entries:
        writer.writerow({k: _cell(v) for k, v in e.row.items()})
        if buf.tell() > rows.CHUNK:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA + ("'",)) else value


def write_csv(col: "Collation", path: str | Path, entries: _Sorted | None = None) -> Path:
    with _own(col, entries) as sorted_entries:
        _write_chunks(path, _csv_chunks(sorted_entries))
    return Path(path)




def read_csv(path: str | Path) -> list[dict]:
    """The rows of a report.csv (as edited in a spreadsheet), with the formula guard undone."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot be read as a UTF-8 CSV file ({exc}).") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(path, f"has no {', '.join(missing)} column: use the report.csv that "
                               "consult collate wrote, saved as CSV.")
    return [{k: (v[1:] if v.startswith("'") else v) for k, v in row.items() if k in COLUMNS}
            for row in reader]

