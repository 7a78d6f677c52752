"""Serialise a part piece by piece: the bytes around a container, then its children one by one.

Large outputs (the collated document with every group's changes) are written this way so that
each block can be finished, written and freed before the next is built. The bytes are the
same as serialising the whole tree at once.
"""
from __future__ import annotations

import copy
import re

from lxml import etree

SLOT = "consultSlot"
_DECL = rb'\s+xmlns(?::[^\s=]+)?="[^"]*"'
_DECLS = re.compile(_DECL)
_START = re.compile(rb'^<[^\s/>]+((?:' + _DECL + rb')*)')


def shell(container) -> tuple[bytes, bytes]:
    """The part's bytes before and after ``container``'s children (XML declaration included).

    A copy of the tree is made without the container's children (only the root and what sits
    beside the container are copied); when the root has siblings (processing instructions),
    the container is swapped for an empty copy while the whole tree is serialised instead.
    """
    root = container.getroottree().getroot()
    parent = container.getparent()
    if parent is None or (parent is root and not _has_siblings(root)):
        clone = _shallow(root, container)
        data = etree.tostring(clone, xml_declaration=True, encoding="UTF-8", standalone=True)
    else:
        empty = etree.Element(container.tag, attrib=dict(container.attrib))
        empty.text = container.text
        empty.tail = container.tail
        parent.replace(container, empty)
        try:
            etree.SubElement(empty, SLOT)
            data = etree.tostring(empty.getroottree(), xml_declaration=True,
                                  encoding="UTF-8", standalone=True)
        finally:
            parent.replace(empty, container)
    head, tail = data.split(f"<{SLOT}/>".encode(), 1)
    return head, tail


def _shallow(root, container):
    """A copy of ``root`` whose ``container`` (the root or a child of it) holds only a slot."""
    clone = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=root.nsmap)
    clone.text = root.text
    if container is root:
        etree.SubElement(clone, SLOT)
        return clone
    for child in root:
        if child is container:
            inner = etree.SubElement(clone, container.tag, attrib=dict(container.attrib))
            inner.text, inner.tail = container.text, container.tail
            etree.SubElement(inner, SLOT)
        else:
            clone.append(copy.deepcopy(child))
    return clone


def _has_siblings(root) -> bool:
    return next(root.itersiblings(preceding=True), None) is not None or \
        next(root.itersiblings(), None) is not None


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
    decls = _DECLS.findall(match.group(1))
    kept = b"".join(d for d in decls if b" " + d.strip() not in declared)
    return data[:match.start(1)] + kept + data[match.end(1):]


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


__all__ = ["shell", "declarations", "fragment"]
