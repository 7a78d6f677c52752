"""Small builders for the WordprocessingML that consult writes itself."""
from __future__ import annotations

import copy

from lxml import etree

from .ns import W, qn
from .order import ensure, insert_ordered

W_NS = f"{{{W}}}"
COVER_STYLE = "ConsultCover"
NOTE_STYLE = "ConsultNote"
SUMMARY_STYLE = "ConsultSummary"
OUR_STYLES = {COVER_STYLE: "Consult Cover", NOTE_STYLE: "Consult Note",
              SUMMARY_STYLE: "Consult Summary"}


def el(name: str, attrs: dict | None = None, *children) -> etree._Element:
    """``el("w:p", {"w:rsidR": "00"}, child, ...)``."""
    node = etree.Element(qn(name))
    for key, value in (attrs or {}).items():
        node.set(qn(key) if ":" in key else key, str(value))
    for child in children:
        node.append(child)
    return node


def text_run(text: str, rpr=None) -> etree._Element:
    """A w:r holding ``text``; tabs and line breaks become w:tab / w:br."""
    run = el("w:r")
    if rpr is not None:
        run.append(rpr)
    buf = ""
    for ch in text:
        if ch in "\t\u000b":
            if buf:
                run.append(_t(buf))
                buf = ""
            run.append(el("w:tab" if ch == "\t" else "w:br"))
        else:
            buf += ch
    if buf or len(run) == (0 if rpr is None else 1):
        run.append(_t(buf))
    return run


def _t(text: str):
    t = el("w:t")
    t.text = text
    if text != text.strip() or "  " in text:
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return t


def run_props(bold: bool = False, size_half_points: int | None = None,
              color: str | None = None, italic: bool = False) -> etree._Element | None:
    rpr = el("w:rPr")
    if bold:
        insert_ordered(rpr, el("w:b"))
    if italic:
        insert_ordered(rpr, el("w:i"))
    if color:
        insert_ordered(rpr, el("w:color", {"w:val": color}))
    if size_half_points:
        insert_ordered(rpr, el("w:sz", {"w:val": size_half_points}))
    return rpr if len(rpr) else None


def paragraph(text: str = "", style: str | None = None, rpr=None,
              page_break_before: bool = False, runs: list | None = None) -> etree._Element:
    """A w:p with an optional style, one run of ``text`` (or the given runs)."""
    p = el("w:p")
    if style or page_break_before:
        ppr = el("w:pPr")
        if style:
            insert_ordered(ppr, el("w:pStyle", {"w:val": style}))
        if page_break_before:
            insert_ordered(ppr, el("w:pageBreakBefore"))
        p.append(ppr)
    for run in runs or ([text_run(text, rpr)] if text else []):
        p.append(run)
    return p


def table(rows: list[list[str]], style: str, widths: list[int],
          size_half_points: int | None = None) -> etree._Element:
    """A bordered table; the first row is a repeating header in bold; no row splits across
    pages."""
    border = {"w:val": "single", "w:sz": 4, "w:space": 0, "w:color": "999999"}
    tbl = el("w:tbl", None,
             el("w:tblPr", None, el("w:tblW", {"w:w": sum(widths), "w:type": "dxa"}),
                el("w:tblBorders", None, *[el(f"w:{side}", border) for side in
                                           ("top", "left", "bottom", "right", "insideH",
                                            "insideV")]),
                el("w:tblLayout", {"w:type": "fixed"})),
             el("w:tblGrid", None, *[el("w:gridCol", {"w:w": w}) for w in widths]))
    for k, row in enumerate(rows):
        tr = el("w:tr", None, el("w:trPr", None, el("w:cantSplit"),
                                  *([el("w:tblHeader")] if k == 0 else [])))
        for text, width in zip(row, widths):
            tc = el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:w": width, "w:type": "dxa"})))
            tc.append(paragraph(text, style, run_props(bold=k == 0,
                                                       size_half_points=size_half_points)))
            tr.append(tc)
        tbl.append(tr)
    return tbl


def page_break_paragraph() -> etree._Element:
    return el("w:p", None, el("w:r", None, el("w:br", {"w:type": "page"})))


def ensure_styles(styles_root) -> None:
    """Add consult's own paragraph styles (cover page, notes) if missing."""
    if styles_root is None:
        return
    have = {s.get(qn("w:styleId")) for s in styles_root.findall(qn("w:style"))}
    for style_id, name in OUR_STYLES.items():
        if style_id in have:
            continue
        style = el("w:style", {"w:type": "paragraph", "w:customStyle": "1",
                               "w:styleId": style_id},
                   el("w:name", {"w:val": name}))
        if "Normal" in have:
            style.append(el("w:basedOn", {"w:val": "Normal"}))
        style.append(el("w:qFormat"))
        if style_id == NOTE_STYLE:
            style.append(el("w:pPr", None,
                            el("w:shd", {"w:val": "clear", "w:color": "auto",
                                         "w:fill": "E7E6E6"})))
            style.append(el("w:rPr", None, el("w:i"), el("w:color", {"w:val": "595959"})))
        styles_root.append(style)


def add_consult_styles(pkg) -> None:
    """Give ``pkg``'s styles consult's own paragraph styles, in stylesWithEffects.xml too
    when there is one (Word 2010 reads it, and it must list the styles styles.xml has)."""
    for rel in ("/styles", "/stylesWithEffects"):
        part = pkg.related(pkg.main, rel)
        if part:
            ensure_styles(pkg.xml(part))


def sync_styles_with_effects(pkg) -> int:
    """Copy into stylesWithEffects.xml (when there is one) each style of styles.xml it lacks,
    as Word keeps the two alike (a group's file may not: its pack's or comment styles went
    into styles.xml only); return how many were copied."""
    styles, effects = (pkg.related(pkg.main, rel) for rel in ("/styles", "/stylesWithEffects"))
    if not styles or not effects:
        return 0
    target = pkg.xml(effects)
    have = {s.get(qn("w:styleId")) for s in target.findall(qn("w:style"))}
    missing = [s for s in pkg.xml(styles).findall(qn("w:style"))
               if s.get(qn("w:styleId")) not in have]
    for style in missing:
        target.append(copy.deepcopy(style))
    return len(missing)


def turn_on_tracking(settings_root) -> None:
    """Switch Track Changes on (w:trackRevisions in schema order)."""
    insert_ordered(settings_root, el("w:trackRevisions"))


def set_num(p, num_id: str, ilvl: int) -> None:
    """Give paragraph ``p`` direct numbering (numId, ilvl)."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    numpr = el("w:numPr", None, el("w:ilvl", {"w:val": ilvl}), el("w:numId", {"w:val": num_id}))
    insert_ordered(ppr, numpr)


__all__ = ["el", "text_run", "paragraph", "run_props", "ensure_styles", "add_consult_styles",
           "sync_styles_with_effects",
           "turn_on_tracking", "set_num", "page_break_paragraph", "ensure", "COVER_STYLE",
           "NOTE_STYLE"]
