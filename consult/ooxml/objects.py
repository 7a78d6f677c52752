"""Tracked images and shapes: read one with the parts it uses, copy it into another package."""
from __future__ import annotations

import base64
import copy
import hashlib
import posixpath
from typing import Callable

from lxml import etree

from ..errors import InputError
from .build import el
from .ns import NS
from .package import Package
from .parts import (add_external_relationship, add_relationship, ensure_default,
                    relationship_elements, set_override)
from .textview import DRAWINGS, W_NS
from .edit import segments
from .rows import credited

R_NS = NS["r"]
O_RELID = "{urn:schemas-microsoft-com:office:office}relid"
BUNDLE_NS = "urn:consult:object"
BUNDLE, REL = f"{{{BUNDLE_NS}}}object", f"{{{BUNDLE_NS}}}rel"
DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
WP14 = "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing"
EXTERNAL_KINDS = ("/image", "/hyperlink")
STORIES = ("/header", "/footer", "/footnotes", "/endnotes")     # drawing ids unique across them
# what a relationship type names, for the reason a part is not copied
KINDS = (("/chart", "a chart"), ("/diagram", "a SmartArt diagram"),
         ("/oleObject", "an embedded (OLE) object"), ("/package", "an embedded document"),
         ("/control", "an ActiveX control"))


def describe(node) -> str:
    """A short description of an image or shape: its name or alternative text."""
    for e in node.iter():
        if isinstance(e.tag, str) and e.tag.endswith("}docPr"):
            name = e.get("descr") or e.get("name") or ""
            return f"[image or shape: {name}]" if name else "[image or shape]"
        if isinstance(e.tag, str) and e.tag.endswith(("}shape", "}rect", "}oval")):
            name = e.get("alt") or e.get("id") or ""
            return f"[image or shape: {name}]" if name else "[image or shape]"
    return "[image or shape]"


def described(container) -> str:
    """The descriptions of the images and shapes in ``container``'s own runs (a tracked
    change), one after another: how a decision names them."""
    return "".join(describe(d) for d in container.iter(*DRAWINGS)
                   if d.getparent() is not None and d.getparent().tag == W_NS + "r")


def drawing_run(run, node) -> str:
    """The run holding only ``node`` (an image or shape of ``run``), with the run's
    formatting, as XML: what is carried of a tracked image or shape."""
    out = etree.Element(run.tag, nsmap=run.nsmap)
    rpr = run.find(W_NS + "rPr")
    if rpr is not None:
        clean = copy.deepcopy(rpr)
        for name in ("ins", "del", "moveFrom", "moveTo", "rPrChange"):
            for child in clean.findall(W_NS + name):
                clean.remove(child)
        out.append(clean)
    out.append(copy.deepcopy(node))
    return etree.tostring(out, encoding="unicode")


# -- reading: the run and the parts it uses, as one piece of text -------------------------

def carry(pkg: Package, run_xml: str, source: str | None = None) -> tuple[str, str]:
    """(the bundle, "") for an inserted image or shape of ``pkg`` (``run_xml``: from
    ``drawing_run``; or an inserted table row): the element with each part it uses;
    ("", why) when it uses a part that is not an image (a chart, an embedded object,
    SmartArt) or one the return lacks."""
    source = source or pkg.main
    run = etree.fromstring(run_xml)
    rels = relationship_elements(pkg, source)
    bundle = etree.Element(BUNDLE, nsmap={"consult": BUNDLE_NS})
    names: dict[str, str] = {}
    for owner, attr, rid in _references(run):
        if rid not in names:
            rel = rels.get(rid)
            why = _why_not(pkg, source, rid, rel)
            if why:
                return "", why
            names[rid] = f"rIdObj{len(names) + 1}"
            bundle.append(_packed(pkg, source, rel, names[rid]))
        owner.set(attr, names[rid])
    _forget_ids(run)
    bundle.insert(0, run)
    return etree.tostring(bundle, encoding="unicode"), ""


def uses_parts(xml: str) -> bool:
    """Whether the element ``xml`` (a table row, a run) refers to parts of its package."""
    return bool(xml) and R_NS in xml and bool(_references(etree.fromstring(xml)))


def _references(run) -> list[tuple]:
    """(element, attribute, relationship id) for every relationship the run refers to."""
    out = []
    for e in run.iter():
        for attr, value in e.attrib.items():
            if attr.startswith(f"{{{R_NS}}}") or attr == O_RELID:
                if value:
                    out.append((e, attr, value))
    return out


def _why_not(pkg: Package, source: str, rid: str, rel) -> str:
    """Why the part ``rel`` points at cannot be copied ("" when it can)."""
    if rel is None:
        return f"it refers to a relationship ({rid}) the return does not have"
    rtype = rel.get("Type") or ""
    kind = next((label for suffix, label in KINDS if rtype.endswith(suffix)), "")
    if kind:
        return f"it is or holds {kind}, whose parts consult does not copy"
    if rel.get("TargetMode") == "External":
        return "" if rtype.endswith(EXTERNAL_KINDS) else \
            f"it refers to an outside resource of a kind consult does not copy ({rtype})"
    name = _target(source, rel.get("Target") or "")
    ctype = pkg.content_type(name)
    if name not in pkg.parts:
        return f"it refers to a part the return does not have ({name})"
    if not ctype.startswith("image/") or pkg.rels_name(name) in pkg.parts:
        return f"it uses a part that is not a plain image ({name}, {ctype or 'no type'})"
    return ""


def _target(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _packed(pkg: Package, source: str, rel, rid: str):
    """One relationship of the bundle: its type, and the part's bytes or the outside target."""
    out = etree.Element(REL, id=rid, type=rel.get("Type") or "")
    if rel.get("TargetMode") == "External":
        out.set("external", rel.get("Target") or "")
        return out
    name = _target(source, rel.get("Target") or "")
    out.set("name", posixpath.basename(name))
    out.set("ctype", pkg.content_type(name))
    out.text = base64.b64encode(pkg.parts[name]).decode("ascii")
    return out


def _forget_ids(run) -> None:
    """Without what must be unique in the document it goes into (set again on copying) or
    says only who saved it: drawing ids, Word's anchor and edit ids, revision-save ids."""
    for e in run.iter():
        if e.tag == DOC_PR:
            e.set("id", "0")
        for attr in list(e.attrib):
            if attr.startswith((f"{{{WP14}}}", f"{{{NS['w14']}}}", W_NS + "rsid")):
                del e.attrib[attr]


NAMES = ("id", "name", "descr", "title")       # what a return calls a picture, not what it is
V_NS, O_NS = "urn:schemas-microsoft-com:vml", "urn:schemas-microsoft-com:office:office"
VML_IDS = ("id", f"{{{O_NS}}}spid")


def fingerprint(bundle_xml: str) -> str:
    """What an inserted image or shape is (a bundle from ``carry``): its XML and its parts'
    bytes, without the names, ids and file names each return gives it, so that two groups
    inserting the same picture give the same fingerprint and different pictures do not."""
    if not bundle_xml.startswith("<consult:object"):
        return hashlib.sha256(bundle_xml.encode("utf-8")).hexdigest()
    bundle = etree.fromstring(bundle_xml)
    for e in bundle.iter():
        if not isinstance(e.tag, str):
            continue
        if e.tag == DOC_PR or e.tag.endswith("}cNvPr"):
            for attr in NAMES:
                e.attrib.pop(attr, None)
        elif e.tag.startswith(f"{{{V_NS}}}"):
            for attr in VML_IDS:
                e.attrib.pop(attr, None)
        elif e.tag == REL:
            e.attrib.pop("name", None)
    return hashlib.sha256(etree.tostring(bundle, method="c14n")).hexdigest()


# -- writing: copying a bundle into the collated document --------------------------------

class ObjectWriter:
    """Copies carried images and shapes into ``pkg`` (the parts before the package is
    written) and marks the draft's images and shapes as deleted."""

    def __init__(self, pkg: Package, root) -> None:
        self.pkg, self.source = pkg, pkg.main
        roots = [root] + _stories(pkg)
        self.next_doc_pr = 1 + max([int(v) for r in roots for e in r.iter(DOC_PR)
                                    for v in [e.get("id") or ""] if v.isdigit()] + [0])
        self.vml_ids = {v for r in roots for e in r.iter() for v in _vml_ids(e).values()}

    def adopt(self, bundle_xml: str, source: str | None = None) -> str:
        """The bundle's run (or row) with its parts added to the package (fresh names and
        relationship ids, related from ``source``: the main document unless given) and fresh
        drawing ids, as XML; anything else as it is."""
        if not bundle_xml.startswith("<consult:object"):
            return bundle_xml
        bundle = etree.fromstring(bundle_xml)
        run = bundle[0]
        fresh = {rel.get("id"): self._add(rel, source or self.source)
                 for rel in bundle.iter(REL)}
        for owner, attr, rid in _references(run):
            owner.set(attr, fresh.get(rid, rid))
        for e in run.iter(DOC_PR):
            e.set("id", str(self.next_doc_pr))
            self.next_doc_pr += 1
        for e in run.iter():
            for attr, value in _vml_ids(e).items():
                e.set(attr, self._fresh_vml_id(value))
        return etree.tostring(run, encoding="unicode")

    def _fresh_vml_id(self, value: str) -> str:
        """``value`` (a VML shape's id) when the document does not use it yet; otherwise the
        same stem numbered past every id that document uses ("_x0000_i1025" -> "_x0000_i1026")."""
        if value in self.vml_ids:
            stem = value.rstrip("0123456789") or "_x0000_s"
            n = int(value[len(stem):] or "1024")
            while f"{stem}{n}" in self.vml_ids:
                n += 1
            value = f"{stem}{n}"
        self.vml_ids.add(value)
        return value

    def _add(self, rel, source: str) -> str:
        rtype = rel.get("type") or ""
        if rel.get("external") is not None:
            return add_external_relationship(self.pkg, source, rtype, rel.get("external"))
        name = self._fresh_name(rel.get("name") or "image.bin")
        self.pkg.parts[name] = base64.b64decode(rel.text or "")
        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        ctype = rel.get("ctype") or "application/octet-stream"
        if not ext or self.pkg.content_type(name) not in ("", ctype):
            set_override(self.pkg, name, ctype)
        elif not self.pkg.content_type(name):
            ensure_default(self.pkg, ext, ctype)
        return add_relationship(self.pkg, source, rtype, name)

    def _fresh_name(self, base: str) -> str:
        stem, dot, ext = base.rpartition(".")
        stem, ext = (stem, "." + ext) if dot else (base, "")
        stem = stem.rstrip("0123456789") or "image"
        taken = {n.lower() for n in self.pkg.parts}
        n = 1
        while f"word/media/{stem}{n}{ext}".lower() in taken:
            n += 1
        return f"word/media/{stem}{n}{ext}"


def _vml_ids(e) -> dict[str, str]:
    """The shape ids a VML element carries (its id, its o:spid) that must be unique in the
    document; a shape type's id is not one (every picture may name the same type)."""
    if not isinstance(e.tag, str) or not e.tag.startswith(f"{{{V_NS}}}") \
            or e.tag == f"{{{V_NS}}}shapetype":
        return {}
    return {a: e.get(a) for a in VML_IDS if e.get(a)}


def _stories(pkg: Package) -> list:
    """The roots of the notes, headers and footers (those that can be read)."""
    out = []
    for rtype, target in sorted(pkg.rels(pkg.main).values()):
        if rtype.endswith(STORIES) and target in pkg.parts:
            try:
                out.append(pkg.xml(target))
            except InputError:      # left as it is (see order.tidy); its ids are not seen
                continue
    return out


def inserted(run_xml: str, attrs: Callable[[], dict]):
    """A w:ins (with ``attrs()``) holding the run; what the run holds (the text of a text
    box in a shape) credited like the run, without comment marks."""
    return el("w:ins", attrs(), credited(etree.fromstring(run_xml), attrs))


def delete_drawing(p, offset: int, text: str, attrs: Callable[[], dict],
                   own_below: int | None) -> bool:
    """Wrap the image or shape of ``p`` at ``offset`` (of the text an editor of ``p`` sees,
    see edit.segments) that ``text`` describes (failing that, the first one there) in a
    w:del with ``attrs()``; False when there is none to delete."""
    found = drawings_at(p, offset, own_below)
    node = next((d for d in found if describe(d) == text), found[0] if found else None)
    if node is None:
        return False
    run = _alone(node)
    wrapper = el("w:del", attrs())
    run.getparent().replace(run, wrapper)
    wrapper.append(run)
    return True


def drawings_at(p, offset: int, own_below: int | None = None) -> list:
    """The images and shapes of ``p`` (not already deleted) at character ``offset``."""
    segs = [s for s in segments(p, own_below) if s.text]      # kept alive: while they are,
    ends = {id(s.node): len(s.text) for s in segs}     # no other node can take their ids
    pos, out = 0, []
    for node in p.iter():
        if id(node) in ends:
            pos += ends[id(node)]
        elif node.tag in DRAWINGS and pos == offset and _own_run(node, p) \
                and node.getparent().getparent().tag not in (W_NS + "del", W_NS + "moveFrom"):
            out.append(node)
    return out


def _own_run(node, p) -> bool:
    """``node`` is a direct child of a run of ``p`` (not of a text box inside it)."""
    run = node.getparent()
    if run is None or run.tag != W_NS + "r":
        return False
    up = run.getparent()
    while up is not None and up.tag != W_NS + "p":
        up = up.getparent()
    return up is p


def _alone(node):
    """The run holding ``node``, split so that it holds nothing else (its formatting kept)."""
    run = node.getparent()
    rpr = run.find(W_NS + "rPr")
    after = list(node.itersiblings())
    if after:
        tail = etree.Element(run.tag, dict(run.attrib))
        if rpr is not None:
            tail.append(copy.deepcopy(rpr))
        tail.extend(after)
        run.addnext(tail)
    before = [c for c in node.itersiblings(preceding=True) if c is not rpr]
    if before:
        head = etree.Element(run.tag, dict(run.attrib))
        if rpr is not None:
            head.append(copy.deepcopy(rpr))
        head.extend(reversed(before))
        run.addprevious(head)
    return run


__all__ = ["describe", "drawing_run", "carry", "fingerprint", "ObjectWriter", "inserted", "delete_drawing",
           "drawings_at"]
