"""Serialise a part piece by piece: the bytes around a container, then its children one by one.

Large outputs (the collated document with every group's changes) are written this way so that
each block can be finished, written and freed before the next is built. The bytes are the
same as serialising the whole tree at once.
"""
from __future__ import annotations

import re

from lxml import etree

SLOT = "consultSlot"
_START = re.compile(rb'^<[^\s/>]+((?:\s+xmlns(?::[^\s=]+)?="[^"]*")*)')


def shell(container) -> tuple[bytes, bytes]:
    """The part's bytes before and after ``container``'s children (XML declaration included).

    The container is swapped for an empty copy while the tree is serialised, then put back;
    a root container is copied with its namespaces (what lies beside the root is dropped).
    """
    parent = container.getparent()
    if parent is None:
        empty = etree.Element(container.tag, attrib=dict(container.attrib),
                              nsmap=container.nsmap)
        empty.text = container.text
        etree.SubElement(empty, SLOT)
        data = etree.tostring(empty, xml_declaration=True, encoding="UTF-8", standalone=True)
        head, tail = data.split(f"<{SLOT}/>".encode(), 1)
        return head, tail
    empty = etree.Element(container.tag, attrib=dict(container.attrib))
    empty.text = container.text
    empty.tail = container.tail
    parent.replace(container, empty)
    try:
        etree.SubElement(empty, SLOT)
        data = etree.tostring(empty.getroottree(), xml_declaration=True, encoding="UTF-8",
                              standalone=True)
    finally:
        parent.replace(empty, container)
    head, tail = data.split(f"<{SLOT}/>".encode(), 1)
    return head, tail


def declarations(root) -> set[bytes]:
    """The namespace declarations ``root`` makes, as they are serialised."""
    out = set()
    for prefix, uri in (root.nsmap or {}).items():
        name = b"xmlns" if prefix is None else b"xmlns:" + prefix.encode()
        out.add(b" " + name + b'="' + _escape(uri).encode() + b'"')
    return out


def fragment(element, declared: set[bytes]) -> bytes:
    """``element`` and its tail as they appear inside the whole tree's serialisation: without
    the namespace declarations an ancestor (``declared``) already makes."""
    data = etree.tostring(element, encoding="UTF-8")
    match = _START.match(data)
    if not match or not match.group(1):
        return data
    decls = re.findall(rb'\s+xmlns(?::[^\s=]+)?="[^"]*"', match.group(1))
    kept = b"".join(d for d in decls if b" " + d.strip() not in declared)
    return data[:match.start(1)] + kept + data[match.end(1):]


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


__all__ = ["shell", "declarations", "fragment"]
