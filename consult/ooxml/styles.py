"""Paragraph style facts from word/styles.xml: names, outline levels and inherited numbering."""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .ns import qn

BODY_TEXT_LEVEL = 9                      # w:outlineLvl 9 means "body text"
_HEADING_NAME = re.compile(r"heading ([1-9])", re.IGNORECASE)
_TRUE = {"1", "true", "on"}
W_VAL = qn("w:val")


def _val(el, path: str) -> str | None:
    """The w:val at ``path`` (w:-prefixed steps joined by "/") under ``el``, or None."""
    if el is None:
        return None
    child = el.find(_clark(path))
    return None if child is None else child.get(W_VAL)


@lru_cache(maxsize=256)
def _clark(path: str) -> str:
    """``"w:pPr/w:numPr"`` as a path of Clark names (remembered: paths are few)."""
    return "/".join(qn(step) for step in path.split("/"))


def _int(text: str | None) -> int | None:
    """``text`` as an int, or None when missing or not a number."""
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


class Styles:
    """Style lookups for paragraphs; an absent styles part behaves as an empty one."""

    def __init__(self, styles_root=None):
        self._by_id: dict[str, object] = {}
        self._default: str | None = None
        self._outline: dict[str | None, int | None] = {}     # style id -> from its chain
        self._num: dict[str | None, tuple] = {}
        if styles_root is None:
            return
        for style in styles_root.iter(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            if sid is None or sid in self._by_id:
                continue
            self._by_id[sid] = style
            if (self._default is None and style.get(qn("w:type")) == "paragraph"
                    and (style.get(qn("w:default")) or "").lower() in _TRUE):
                self._default = sid

    def default_paragraph_style(self) -> str | None:
        """The styleId of the default paragraph style (usually "Normal")."""
        return self._default

    def style_name(self, style_id: str | None) -> str | None:
        """The w:name of a style, or None when the style is unknown or unnamed."""
        return _val(self._by_id.get(style_id), "w:name") if style_id else None

    def style_element(self, style_id: str | None):
        """The w:style element for ``style_id``, or None."""
        return self._by_id.get(style_id) if style_id else None

    def style_id(self, p) -> str | None:
        """The paragraph's w:pStyle when defined, else the default paragraph style (as Word)."""
        own = _val(p.find(qn("w:pPr")), "w:pStyle")
        return own if own in self._by_id else self._default

    def chain(self, style_id: str | None) -> Iterator[object]:
        """The style and its w:basedOn ancestors, nearest first (cycles are cut)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._by_id:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style
            style_id = _val(style, "w:basedOn")

    def outline_level(self, p) -> int | None:
        """0-based outline level of paragraph ``p``; None for body text.

        The paragraph's own w:outlineLvl wins; otherwise the style chain is walked,
        where a style's w:outlineLvl or a built-in name "heading N" (level N-1) decides.
        """
        direct = _int(_val(p.find(qn("w:pPr")), "w:outlineLvl"))
        if direct is not None:
            return _level_or_none(direct)
        style_id = self.style_id(p)
        if style_id not in self._outline:
            self._outline[style_id] = self._style_outline(style_id)
        return self._outline[style_id]

    def _style_outline(self, style_id: str | None) -> int | None:
        for style in self.chain(style_id):
            level = _int(_val(style.find(qn("w:pPr")), "w:outlineLvl"))
            if level is not None:
                return _level_or_none(level)
            match = _HEADING_NAME.fullmatch((_val(style, "w:name") or "").strip())
            if match:
                return int(match.group(1)) - 1
        return None

    def num_pr(self, p) -> tuple[str, int] | None:
        """The effective (numId, ilvl) of paragraph ``p``, or None when it is not numbered.

        w:numId and w:ilvl are inherited separately: each comes from the paragraph's own
        w:numPr when present there, else from the nearest style in the chain that sets it.
        numId "0" removes numbering; a missing ilvl means level 0.
        """
        num_id, ilvl = _num_pr_parts(p.find(qn("w:pPr")))
        if num_id is None or ilvl is None:
            style_id = self.style_id(p)
            if style_id not in self._num:
                self._num[style_id] = self._style_num(style_id)
            s_num, s_ilvl = self._num[style_id]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
        if num_id is None or num_id == "0":
            return None
        return num_id, min(max(ilvl or 0, 0), 8)

    def _style_num(self, style_id: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) a style chain gives, each from the nearest style that sets it."""
        num_id = ilvl = None
        for style in self.chain(style_id):
            if num_id is not None and ilvl is not None:
                break
            s_num, s_ilvl = _num_pr_parts(style.find(qn("w:pPr")))
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
        return num_id, ilvl


def _num_pr_parts(ppr) -> tuple[str | None, int | None]:
    """(numId, ilvl) written in a w:pPr's own w:numPr; None for each part not written."""
    num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if num_pr is None:
        return None, None
    num_id = _val(num_pr, "w:numId")
    return (num_id.strip() if num_id else None), _int(_val(num_pr, "w:ilvl"))


def _level_or_none(level: int) -> int | None:
    """Outline levels 0..8 are headings; 9 (body text) and out-of-range values are not."""
    return level if 0 <= level < BODY_TEXT_LEVEL else None
