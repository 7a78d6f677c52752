"""Paragraphs in document order and their text, segment by segment, with revision state."""
from __future__ import annotations

import re
from dataclasses import dataclass, field as _field
from sys import intern
from typing import Iterator

from .ns import W, local, qn

# Elements that hold paragraphs at block level (body, cells, block content controls).
BLOCK_CONTAINERS = {"tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "del",
                    "moveFrom", "moveTo", "smartTag"}
# Elements inside a paragraph that hold runs.
RUN_CONTAINERS = {"hyperlink", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple",
                  "bdo", "dir", "ins", "del", "moveFrom", "moveTo", "r"}
STATES = {"ins": "ins", "del": "del", "moveFrom": "moveFrom", "moveTo": "moveTo"}
ORIGINAL_STATES = {"", "del", "moveFrom"}
ACCEPTED_STATES = {"", "ins", "moveTo"}
MARK_STATES = ("ins", "del", "moveFrom", "moveTo")
W_NS = f"{{{W}}}"


@dataclass
class Seg:
    """A piece of paragraph text: its characters, revision state and elements."""

    text: str
    state: str          # "", "ins", "del", "moveFrom", "moveTo"; "gone": deleted inside
                        # an insertion (``outer``), in neither view
    rev: object         # the w:ins / w:del / w:moveFrom / w:moveTo element, or None
    node: object        # the text-bearing element (w:t, w:delText, w:tab, ...)
    run: object         # the enclosing w:r
    outer: object = None    # for "gone": the enclosing w:ins / w:moveTo
    field: "Field | None" = None    # the field whose result this text is (the innermost)


@dataclass(eq=False)
class Field:
    """A field met in a paragraph: its code (w:instrText, or w:fldSimple's w:instr) and
    whether its result (after w:fldChar "separate") is being read."""

    code: str = ""
    state: str = "code"     # "code" / "result"
    parts: list = _field(default_factory=list)

    @property
    def key(self) -> str:
        return field_key(self.code or "".join(self.parts))


# Formatting switches (\* MERGEFORMAT, \@ "M/d/yy", \# "0.00"): a converter adds or rewrites
# them (LibreOffice writes DATE as DATE \@"M/d/yy") without changing what the field is.
_SWITCH = re.compile(r'\\[*@#]\s*(?:"[^"]*"|\S+)')


def field_key(code: str) -> str:
    """A field code as a re-save leaves it: no formatting switches, no quotes, the field's
    name in capitals, one space between words."""
    words = _SWITCH.sub(" ", code).replace('"', " ").split()
    return " ".join([words[0].upper()] + words[1:]) if words else ""


def field_spans(segs: list["Seg"], states: set[str]) -> list[tuple[int, int, str]]:
    """Where field results stand in the text of ``segs`` in ``states``: (start, end, the
    field's key), one a field (adjacent segments of one field joined)."""
    out: list[tuple[int, int, str]] = []
    last, at = None, 0
    for s in segs:
        if s.state not in states:
            continue
        end = at + len(s.text)
        if s.field is not None and s.text:
            if s.field is last and out and out[-1][1] == at:
                out[-1] = (out[-1][0], end, out[-1][2])
            else:
                out.append((at, end, s.field.key))
            last = s.field
        at = end
    return out


def is_w(el, name: str) -> bool:
    return el.tag == W_NS + name


def body_paragraphs(container) -> Iterator:
    """Every w:p under a body, cell, comment or note, in document order (no text boxes)."""
    for child in container:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(W_NS):
            continue
        name = tag[len(W_NS):]
        if name == "p":
            yield child
        elif name in BLOCK_CONTAINERS:
            yield from body_paragraphs(child)


def in_table(p) -> bool:
    parent = p.getparent()
    while parent is not None:
        if parent.tag == W_NS + "tc":
            return True
        if parent.tag == W_NS + "body":
            return False
        parent = parent.getparent()
    return False


def first_child(el, tag: str):
    """The first child of ``el`` with ``tag`` (a Clark name), or None.

    Cheaper than ``find`` (no path parsing), cheapest when schema order puts it first, as it
    does for w:pPr in w:p, w:rPr in w:r and w:pStyle in w:pPr.
    """
    if el is None:
        return None
    if len(el) and el[0].tag == tag:
        return el[0]
    return next(el.iterchildren(tag), None)


def mark_state(p) -> tuple[str, object]:
    """The revision state of the paragraph mark: ("ins", element) etc., or ("", None)."""
    rpr = first_child(first_child(p, W_NS + "pPr"), W_NS + "rPr")
    if rpr is not None:
        found: dict[str, object] = {}
        for el in rpr:
            name = el.tag[len(W_NS):] if isinstance(el.tag, str) and el.tag.startswith(W_NS) \
                else ""
            if name in MARK_STATES and name not in found:
                found[name] = el
        for name in MARK_STATES:
            if name in found:
                return name, found[name]
    return "", None


def run_text(child) -> str | None:
    """The characters one run child stands for, or None when it stands for none."""
    name = child.tag[len(W_NS):] if isinstance(child.tag, str) and child.tag.startswith(W_NS) else ""
    if name in ("t", "delText"):
        return child.text or ""
    if name == "tab":
        return "\t"
    if name in ("br", "cr"):
        kind = child.get(qn("w:type"))
        return "" if kind in ("page", "column") else "\u000b"
    if name == "noBreakHyphen":
        return "\u2011"
    if name == "sym":
        code = child.get(qn("w:char")) or ""
        try:
            return chr(int(code, 16))
        except ValueError:
            return ""
    return None


def segments(p, markers: bool = False, gone: bool = False) -> list[Seg]:
    """The text segments of a paragraph in order, excluding field codes and text boxes.

    With ``markers``, range markers (comments, moves, bookmarks) and comment references come
    too, as segments with empty text whose ``node`` is the marker; with ``gone``, text deleted
    inside an insertion comes as segments in state "gone", and tracked drawings (images,
    shapes) as segments with empty text whose ``node`` is the w:drawing / w:pict.
    """
    out: list[Seg] = []
    fields: list[Field] = []        # the fields open here, innermost last
    _walk(p, "", None, out, fields, markers, gone)
    return out


def _walk(el, state: str, rev, out: list[Seg], fields: list[Field], markers: bool,
          gone: bool = False) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(W_NS):
            continue
        name = tag[len(W_NS):]
        if name == "r":
            _walk_run(child, state, rev, out, fields, markers, gone)
        elif name in STATES and state in ("ins", "moveTo") and name in ("del", "moveFrom"):
            # Inserted (or moved here) and then deleted: in neither view.
            inner: list[Seg] = []
            _walk(child, STATES[name], child, inner, fields, markers, gone)
            for s in inner:
                if run_text(s.node) is None:
                    out.append(s)
                elif gone:
                    out.append(Seg(s.text, "gone", s.rev, s.node, s.run, rev))
        elif name in STATES:
            _walk(child, STATES[name], child, out, fields, markers, gone)
        elif name == "fldSimple":
            fields.append(Field(child.get(qn("w:instr")) or "", "result"))
            _walk(child, state, rev, out, fields, markers, gone)
            fields.pop()
        elif name in RUN_CONTAINERS:
            _walk(child, state, rev, out, fields, markers, gone)
        elif markers and name in MARKERS:
            out.append(Seg("", state, rev, child, None))


MARKERS = {"commentRangeStart", "commentRangeEnd", "moveFromRangeStart", "moveFromRangeEnd",
           "moveToRangeStart", "moveToRangeEnd", "bookmarkStart"}


# A run's images and shapes (a shape Word writes with a fallback: mc:AlternateContent).
DRAWINGS = {W_NS + "drawing", W_NS + "pict", W_NS + "object",
            "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"}


def _walk_run(run, state: str, rev, out: list[Seg], fields: list[Field], markers: bool,
              gone: bool = False) -> None:
    for child in run:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if gone and state and tag in DRAWINGS:
            out.append(Seg("", state, rev, child, run))
            continue
        if markers and tag == W_NS + "commentReference":
            out.append(Seg("", state, rev, child, run))
            continue
        if tag == W_NS + "fldChar":
            kind = child.get(qn("w:fldCharType"))
            if kind == "begin":
                fields.append(Field())
            elif kind == "separate" and fields:
                fields[-1].state = "result"
            elif kind == "end" and fields:
                fields.pop()
            continue
        if fields and any(f.state == "code" for f in fields):
            if tag in (W_NS + "instrText", W_NS + "delInstrText") and \
                    fields[-1].state == "code":
                fields[-1].parts.append(child.text or "")
            continue
        text = run_text(child)
        if text is not None:
            out.append(Seg(text, state, rev, child, run, None,
                           fields[-1] if fields else None))


# What a run of a plain paragraph may hold that stands for text (what ``run_text`` reads), and
# what makes ``plain_text`` give up (fields) so that ``segments`` reads the paragraph.
_PLAIN_TEXT = tuple(W_NS + n for n in ("t", "delText", "tab", "br", "cr", "noBreakHyphen",
                                       "sym"))
_NOT_PLAIN = tuple(W_NS + n for n in ("fldChar", "fldSimple", "instrText", "delInstrText"))
_RUN = W_NS + "r"
_T = W_NS + "t"


def plain_text(p) -> str | None:
    """The text of a paragraph with no revisions and no fields whose text-bearing elements are
    all in runs directly under it, read in one pass: what ``segments`` would give, joined;
    None when the paragraph is not that simple (``segments`` then reads it)."""
    out = []
    for el in p.iter(*_PLAIN_TEXT, *_NOT_PLAIN):
        run = el.getparent()
        if el.tag in _NOT_PLAIN or run.tag != _RUN or run.getparent() is not p:
            return None
        out.append((el.text or "") if el.tag == _T else run_text(el))
    return "".join(out)


def view_text(segs: list[Seg], states: set[str]) -> str:
    return "".join(s.text for s in segs if s.state in states)


def original_text(p) -> str:
    """The paragraph text with every tracked change rejected."""
    return view_text(segments(p), ORIGINAL_STATES)


def accepted_text(p) -> str:
    """The paragraph text with every tracked change accepted."""
    return view_text(segments(p), ACCEPTED_STATES)


def rev_info(rev) -> tuple[str, str | None]:
    """Author and date of a revision element."""
    if rev is None:
        return "", None
    date = rev.get(qn("w:date"))
    # interned: thousands of changes share a few authors and dates
    return intern(rev.get(qn("w:author")) or ""), None if date is None else intern(date)


def local_name(el) -> str:
    return local(el.tag)
