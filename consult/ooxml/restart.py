"""Lists that start mid-way in a pack and still show the draft's numbers, in Word and LibreOffice."""
from __future__ import annotations

from copy import deepcopy

from lxml import etree

from .numbering import NumInfo, _parse_level, add_restart_num, format_number
from .ns import qn

DROP = ("w:nsid", "w:tmpl", "w:styleLink", "w:numStyleLink", "w:name")


def add_pack_num(numbering_root, info: NumInfo) -> tuple[str, int]:
    """A numId under which ``info``'s paragraph shows ``info.label``; and the frozen depth.

    At level 0 a w:startOverride is enough. Deeper, the parents' numbers are written into
    a copy of the list's level texts ("%1.%2" becomes "6.%2"), because applications differ
    on how a start override of an unused parent level shows; such a list is only right until
    the next paragraph at a shallower level, so the caller restarts there (frozen depth).
    """
    if info.ilvl == 0:
        return add_restart_num(numbering_root, info), 0
    abstract_id = _clone_abstract(numbering_root, info)
    nums = numbering_root.findall(qn("w:num"))
    new_id = str(max((int(n.get(qn("w:numId")) or 0) for n in nums), default=0) + 1)
    num = etree.Element(qn("w:num"), {qn("w:numId"): new_id})
    etree.SubElement(num, qn("w:abstractNumId"), {qn("w:val"): abstract_id})
    override = etree.SubElement(num, qn("w:lvlOverride"), {qn("w:ilvl"): str(info.ilvl)})
    etree.SubElement(override, qn("w:startOverride"), {qn("w:val"): str(info.counters[-1])})
    (nums[-1].addnext(num) if nums else _after_abstracts(numbering_root, num))
    return new_id, info.ilvl


def _clone_abstract(root, info: NumInfo) -> str:
    abstracts = root.findall(qn("w:abstractNum"))
    source = next(a for a in abstracts if a.get(qn("w:abstractNumId")) == info.abstract_id)
    new_id = str(max(int(a.get(qn("w:abstractNumId")) or 0) for a in abstracts) + 1)
    clone = deepcopy(source)
    clone.set(qn("w:abstractNumId"), new_id)
    for name in DROP:
        for el in clone.findall(qn(name)):
            clone.remove(el)
    levels = {int(lvl.get(qn("w:ilvl")) or 0): lvl for lvl in clone.findall(qn("w:lvl"))}
    shown = {}
    for i in range(info.ilvl):
        parsed = _parse_level(levels[i]) if i in levels else None
        shown[i] = format_number(info.counters[i], parsed.fmt if parsed else "decimal",
                                 parsed.width if parsed else 0)
    for ilvl, lvl in levels.items():
        text = lvl.find(qn("w:lvlText"))
        if ilvl < info.ilvl or text is None:
            continue
        legal = _parse_level(lvl).is_lgl
        value = text.get(qn("w:val")) or ""
        for i in range(info.ilvl):
            literal = str(info.counters[i]) if legal else shown[i]
            value = value.replace(f"%{i + 1}", literal)
        text.set(qn("w:val"), value)
    abstracts[-1].addnext(clone)
    return new_id


def _after_abstracts(root, num) -> None:
    abstracts = root.findall(qn("w:abstractNum"))
    (abstracts[-1].addnext(num) if abstracts else root.append(num))
