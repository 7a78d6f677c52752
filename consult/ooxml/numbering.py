"""List labels as Word displays them, computed from word/numbering.xml."""
from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import dataclass, field

from lxml import etree

from .ns import qn
from .styles import Styles, _int, _val

LEVELS = 9                                   # w:ilvl 0..8
_PLACEHOLDER = re.compile(r"%([1-9])")
_PADDED = re.compile(r"\s*(0+1)\s*,")        # w14 custom formats "001, 002, 003, ..."
_OFF = {"0", "false", "off"}


@dataclass(frozen=True)
class NumInfo:
    """The list facts of one numbered paragraph: which list, which level, what label."""

    num_id: str
    abstract_id: str
    ilvl: int
    counters: tuple[int, ...]
    label: str
    is_bullet: bool


@dataclass(frozen=True)
class Level:
    """One w:lvl: the counter's start, how it is shown and when it restarts.

    A missing w:start is 0, as the spec says (Word itself always writes w:start).
    ``width`` zero-pads decimals (decimalZero is decimal with width 2).
    """

    start: int = 0
    fmt: str = "decimal"
    width: int = 0
    text: str = ""
    restart: int | None = None
    is_lgl: bool = False


@dataclass(frozen=True)
class _ListDef:
    """A w:num resolved: its abstractNum, level definitions and start overrides."""

    num_id: str
    abstract_id: str
    levels: tuple[Level | None, ...]
    start_overrides: dict[int, int]
    single_level: bool

    def level(self, ilvl: int) -> Level:
        """The definition of ``ilvl``; an undefined level shows nothing and starts at 0."""
        return self.levels[ilvl] or Level()


@dataclass
class _Counters:
    """Counter values of one abstractNum's list, shared by every w:num that uses it."""

    values: list[int | None] = field(default_factory=lambda: [None] * LEVELS)

    def advance(self, d: _ListDef, ilvl: int, pending: dict[int, int]) -> tuple[int, ...]:
        """Count a paragraph at ``ilvl``; return the values of levels 0..ilvl.

        ``pending`` holds the w:num's start overrides not used yet: each is used (and
        dropped) the first time the num reaches that level, levels above ``ilvl`` included.
        A skipped level shows its start and keeps it, so a later paragraph there counts on.
        """
        vals = self.values
        for i in range(ilvl + 1):
            if i in pending:
                vals[i] = pending.pop(i)
                self._reset_below(d, i)
            elif i == ilvl:
                vals[i] = d.level(i).start if vals[i] is None else vals[i] + 1
            elif vals[i] is None:
                vals[i] = d.level(i).start
        self._reset_below(d, ilvl)
        return tuple(vals[: ilvl + 1])

    def _reset_below(self, d: _ListDef, used: int) -> None:
        """Restart the levels below ``used`` that w:lvlRestart says restart after it."""
        for deeper in range(used + 1, LEVELS):
            if _restarts(d.level(deeper).restart, deeper, used):
                self.values[deeper] = None


class Numbering:
    """Word's list numbering for one document (the numbering part as it was when built).

    Counters belong to the abstractNum, so w:num elements sharing one continue one list.
    A w:num's w:startOverride sets that shared counter the first time a paragraph of the
    num reaches the overridden level (or a deeper one); paragraphs of the other nums then
    count on from there, as after Word's "Restart Numbering" (a new num on one paragraph).
    """

    def __init__(self, numbering_root=None, styles: Styles | None = None):
        self._styles = styles if styles is not None else Styles(None)
        self._abstracts = _index(numbering_root, "w:abstractNum", "w:abstractNumId")
        self._nums = _index(numbering_root, "w:num", "w:numId")
        self._defs: dict[str, _ListDef | None] = {}

    def compute(self, paragraphs: list) -> list[NumInfo | None]:
        """The NumInfo of each w:p in document order (None when it shows no list label)."""
        lists: dict[str, _Counters] = {}
        pending: dict[str, dict[int, int]] = {}
        return [self._info(p, lists, pending) for p in paragraphs]

    def _definition(self, num_id: str) -> _ListDef | None:
        """The resolved definition of a numId, or None when the numId is not defined."""
        if num_id not in self._defs:
            self._defs[num_id] = self._build(num_id)
        return self._defs[num_id]

    def _info(self, p, lists: dict[str, _Counters],
              pending: dict[str, dict[int, int]]) -> NumInfo | None:
        """Count paragraph ``p`` in its list and describe its label."""
        num_pr = self._styles.num_pr(p)
        d = self._definition(num_pr[0]) if num_pr else None
        if d is None:
            return None
        ilvl = 0 if d.single_level else num_pr[1]
        overrides = pending.setdefault(d.num_id, dict(d.start_overrides))
        values = lists.setdefault(d.abstract_id, _Counters()).advance(d, ilvl, overrides)
        return NumInfo(d.num_id, d.abstract_id, ilvl, values, _label(d, ilvl, values),
                       d.level(ilvl).fmt == "bullet")

    def _build(self, num_id: str) -> _ListDef | None:
        """Resolve w:num -> w:abstractNum (through numStyleLink) and apply w:lvlOverride."""
        num = self._nums.get(num_id)
        abstract_id = self._resolve(_val(num, "w:abstractNumId")) if num is not None else None
        if abstract_id is None:
            return None
        abstract = self._abstracts[abstract_id]
        levels: list[Level | None] = [None] * LEVELS
        for ilvl, lvl in reversed(_by_level(abstract, "w:lvl")):   # the first one wins
            levels[ilvl] = _parse_level(lvl)
        overrides: dict[int, int] = {}
        for ilvl, override in _by_level(num, "w:lvlOverride"):
            start = _int(_val(override, "w:startOverride"))
            if start is not None:
                overrides[ilvl] = start
            if override.find(qn("w:lvl")) is not None:
                levels[ilvl] = _parse_level(override.find(qn("w:lvl")))
        single = _val(abstract, "w:multiLevelType") == "singleLevel"
        return _ListDef(num_id, abstract_id, tuple(levels), overrides, single)

    def _resolve(self, abstract_id: str | None) -> str | None:
        """Follow w:numStyleLink to the abstractNum that defines the numbering style."""
        seen: set[str] = set()
        while abstract_id in self._abstracts and abstract_id not in seen:
            seen.add(abstract_id)
            link = _val(self._abstracts[abstract_id], "w:numStyleLink")
            target = self._style_abstract(link) if link else None
            if target is None or target in seen:
                return abstract_id
            abstract_id = target
        return abstract_id if abstract_id in self._abstracts else None

    def _style_abstract(self, style_id: str) -> str | None:
        """The abstractNumId defining numbering style ``style_id`` (w:styleLink, else its numPr)."""
        for abstract_id, abstract in self._abstracts.items():
            if _val(abstract, "w:styleLink") == style_id:
                return abstract_id
        for style in self._styles.chain(style_id):
            num = self._nums.get(_val(style.find(qn("w:pPr")), "w:numPr/w:numId") or "")
            if num is not None:
                return _val(num, "w:abstractNumId")
        return None


def _parse_level(lvl) -> Level:
    """A Level from a w:lvl element."""
    fmt, width = _num_fmt(lvl)
    text = lvl.find(qn("w:lvlText"))
    is_lgl = lvl.find(qn("w:isLgl"))
    return Level(
        start=_int(_val(lvl, "w:start")) or 0,
        fmt=fmt,
        width=width,
        text=(text.get(qn("w:val")) or "") if text is not None else "",
        restart=_int(_val(lvl, "w:lvlRestart")),
        is_lgl=is_lgl is not None and (is_lgl.get(qn("w:val")) or "1").lower() not in _OFF,
    )


def _num_fmt(lvl) -> tuple[str, int]:
    """(format, zero-pad width) of a w:lvl, reading w14 custom formats in mc:AlternateContent."""
    el = lvl.find(qn("w:numFmt"))
    if el is None:
        for alt in lvl.iterfind(qn("mc:AlternateContent")):
            chosen = [c.find(qn("w:numFmt")) for c in alt.iterfind(qn("mc:Choice"))]
            chosen = [c for c in chosen if c is not None and _custom_width(c)]
            el = chosen[0] if chosen else alt.find(f"{qn('mc:Fallback')}/{qn('w:numFmt')}")
            if el is not None:
                break
    val = (el.get(qn("w:val")) if el is not None else None) or "decimal"
    if val == "custom":
        return "decimal", _custom_width(el)
    if val == "decimalZero":
        return "decimal", 2
    return val, 0


def _custom_width(num_fmt) -> int:
    """Zero-pad width of a custom format like "001, 002, 003, ..." (0 when not of that kind)."""
    match = _PADDED.match(num_fmt.get(qn("w:format")) or "")
    return len(match.group(1)) if match else 0


def _label(d: _ListDef, ilvl: int, values: tuple[int, ...]) -> str:
    """The lvlText of ``ilvl`` with %N replaced; a bullet's lvlText is shown as it is.

    %N naming a level deeper than the paragraph's shows that level's start value.
    """
    level = d.level(ilvl)
    if level.fmt == "bullet":
        return level.text

    def number(match: re.Match) -> str:
        i = int(match.group(1)) - 1
        shown = d.level(i)
        value = values[i] if i < len(values) else shown.start
        fmt, width = shown.fmt, shown.width
        if level.is_lgl and fmt != "none":
            fmt, width = "decimal", width if fmt == "decimal" else 0
        return format_number(value, fmt, width)

    return _PLACEHOLDER.sub(number, level.text)


def _restarts(restart: int | None, level: int, used: int) -> bool:
    """Does ``level`` restart when a paragraph at shallower level ``used`` is counted?

    w:lvlRestart is one-based: 0 means never, r means "after level r (or a higher one)
    is used"; absent, or naming a level not above this one, means after any higher level.
    """
    if restart is None or restart > level:
        return True
    return restart != 0 and used < restart


# --- number formats ---------------------------------------------------------------------

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL_WORDS = {"one": "first", "two": "second", "three": "third", "five": "fifth",
                  "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_ENCLOSED = {"decimalEnclosedCircle": 0x2460, "decimalEnclosedCircleChinese": 0x2460,
             "decimalEnclosedParen": 0x2474, "decimalEnclosedFullstop": 0x2488}


def format_number(n: int, fmt: str, width: int = 0) -> str:
    """Show counter ``n`` in ST_NumberFormat ``fmt`` as English Word does.

    Implemented: decimal (zero-padded to ``width``), letters (27 -> "aa", cycling after
    780 as Word does), romans, ordinal ("1st"), cardinalText ("Twenty-one"), ordinalText
    ("Twenty-first"), enclosed circle/paren/full-stop digits for 1..20, full-width digits.
    "none" and "bullet" show nothing. Every other format (chineseCounting, hebrew1, ...),
    and values a format cannot show (0, negatives, text past 999,999), fall back to decimal.
    """
    if fmt in ("none", "bullet"):
        return ""
    if fmt == "decimalZero":
        fmt, width = "decimal", max(width, 2)
    if n > 0:
        shown = _format_positive(n, fmt)
        if shown is not None:
            return shown
    return str(n).zfill(width)


def _format_positive(n: int, fmt: str) -> str | None:
    """``n`` >= 1 in a non-decimal format, or None to fall back to decimal."""
    if fmt in ("lowerLetter", "upperLetter"):
        m = (n - 1) % 780
        text = chr(ord("a") + m % 26) * (m // 26 + 1)
        return text.upper() if fmt == "upperLetter" else text
    if fmt in ("lowerRoman", "upperRoman"):
        text = _roman(n)
        return text.upper() if fmt == "upperRoman" else text
    if fmt == "ordinal":
        return f"{n}{_ordinal_suffix(n)}"
    if fmt in ("cardinalText", "ordinalText") and n < 1_000_000:
        words = _words(n) if fmt == "cardinalText" else _ordinal_words(n)
        return words[0].upper() + words[1:]
    if fmt in _ENCLOSED and n <= 20:
        return chr(_ENCLOSED[fmt] + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    return None


def _roman(n: int) -> str:
    """Lower-case roman numerals; thousands repeat "m"."""
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _ordinal_suffix(n: int) -> str:
    """English ordinal suffix: st, nd, rd or th."""
    if n % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _words(n: int) -> str:
    """English cardinal words for 0 < n < 1,000,000, lower case ("one hundred twenty-one")."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, rest = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[rest]}" if rest else "")
    unit, size = (100, "hundred") if n < 1000 else (1000, "thousand")
    head, rest = divmod(n, unit)
    return f"{_words(head)} {size}" + (f" {_words(rest)}" if rest else "")


def _ordinal_words(n: int) -> str:
    """English ordinal words: the last word of the cardinal made ordinal ("twenty-first")."""
    head, last = re.fullmatch(r"(.*[ -])?([a-z]+)", _words(n)).groups(default="")
    if last in _ORDINAL_WORDS:
        return head + _ORDINAL_WORDS[last]
    return head + (last[:-1] + "ieth" if last.endswith("y") else last + "th")


# --- writing ----------------------------------------------------------------------------

def add_restart_num(numbering_root, info: NumInfo) -> str:
    """Add a w:num on info's abstractNum whose first paragraph at info.ilvl shows info.label.

    Levels 0..ilvl start at info's counters, deeper levels at their usual start; the
    original w:num's w:lvlOverride/w:lvl definitions are carried over. The w:num is placed
    after the last w:num (schema order: abstractNums, nums, numIdMacAtCleanup). Returns the
    new numId.
    """
    nums = numbering_root.findall(qn("w:num"))
    new_id = str(max((_int(n.get(qn("w:numId"))) or 0 for n in nums), default=0) + 1)
    source = next((n for n in nums if n.get(qn("w:numId")) == info.num_id), None)
    own = {i: o.find(qn("w:lvl")) for i, o in _by_level(source, "w:lvlOverride")}
    abstract = _index(numbering_root, "w:abstractNum", "w:abstractNumId").get(info.abstract_id)
    usual = dict(reversed(_by_level(abstract, "w:lvl")))
    num = etree.SubElement(numbering_root, qn("w:num"), {qn("w:numId"): new_id})
    etree.SubElement(num, qn("w:abstractNumId"), {qn("w:val"): info.abstract_id})
    for ilvl in range(LEVELS):
        lvl = own.get(ilvl) if own.get(ilvl) is not None else usual.get(ilvl)
        start = _parse_level(lvl).start if lvl is not None else 0
        start = info.counters[ilvl] if ilvl <= info.ilvl else start
        override = etree.SubElement(num, qn("w:lvlOverride"), {qn("w:ilvl"): str(ilvl)})
        etree.SubElement(override, qn("w:startOverride"), {qn("w:val"): str(start)})
        if own.get(ilvl) is not None:
            override.append(deepcopy(own[ilvl]))
    _place_num(numbering_root, num)
    return new_id


def _place_num(root, num) -> None:
    """Move ``num`` after the last w:num, else the last w:abstractNum / w:numPicBullet."""
    for name in ("w:num", "w:abstractNum", "w:numPicBullet"):
        earlier = [el for el in root.findall(qn(name)) if el is not num]
        if earlier:
            earlier[-1].addnext(num)
            return
    root.insert(0, num)


# --- small helpers ----------------------------------------------------------------------

def _index(root, name: str, attr: str) -> dict[str, object]:
    """Children ``name`` of ``root`` by their ``attr`` (first one wins)."""
    found: dict[str, object] = {}
    if root is not None:
        for el in root.findall(qn(name)):
            found.setdefault(el.get(qn(attr)), el)
    return found


def _by_level(el, name: str) -> list[tuple[int, object]]:
    """Children ``name`` of ``el`` (may be None) with their w:ilvl, levels 0..8 only."""
    children = el.findall(qn(name)) if el is not None else []
    found = [(_int(child.get(qn("w:ilvl"))), child) for child in children]
    return [(ilvl, child) for ilvl, child in found if ilvl is not None and 0 <= ilvl < LEVELS]

