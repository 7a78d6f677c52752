"""Dates in w:date attributes: kept when they are real ISO 8601 dates, dropped otherwise."""
from __future__ import annotations

from datetime import datetime


def real_date(text: str | None) -> str | None:
    """``text`` when it is a date that exists (2026-03-14T10:00:00Z), else None
    (2026-13-45T99:99:99Z, 'yesterday')."""
    if not text:
        return None
    try:
        datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return text
