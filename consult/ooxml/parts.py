"""Adding and removing package parts with their relationships and content types."""
from __future__ import annotations

import posixpath

from lxml import etree

from .ns import CT_CUSTOM_PROPS, NS, REL_CUSTOM_PROPS
from .package import Package

CT_NS = NS["ct"]
PR_NS = NS["pr"]
IDENTITY_PREFIX = "consult."
CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def content_types(pkg: Package):
    return pkg.xml("[Content_Types].xml")


def set_override(pkg: Package, part: str, ctype: str) -> None:
    """Declare the content type of ``part`` (an Override element)."""
    root = content_types(pkg)
    name = "/" + part
    for el in root.findall(f"{{{CT_NS}}}Override"):
        if el.get("PartName") == name:
            el.set("ContentType", ctype)
            return
    etree.SubElement(root, f"{{{CT_NS}}}Override", PartName=name, ContentType=ctype)


def _rels_root(pkg: Package, source: str):
    name = pkg.rels_name(source)
    if name not in pkg.parts:
        root = etree.Element(f"{{{PR_NS}}}Relationships", nsmap={None: PR_NS})
        pkg.parts[name] = b""
        pkg.set_xml(name, root)
        ensure_default(pkg, "rels", "application/vnd.openxmlformats-package.relationships+xml")
    return pkg.xml(name)


def ensure_default(pkg: Package, ext: str, ctype: str) -> None:
    root = content_types(pkg)
    for el in root.findall(f"{{{CT_NS}}}Default"):
        if (el.get("Extension") or "").lower() == ext:
            return
    root.insert(0, etree.Element(f"{{{CT_NS}}}Default", Extension=ext, ContentType=ctype))


def add_relationship(pkg: Package, source: str, rtype: str, target: str) -> str:
    """Relate ``source`` to the part ``target`` (package path); reuse an existing one."""
    root = _rels_root(pkg, source)
    folder = posixpath.dirname(source)
    relative = posixpath.relpath(target, folder) if folder else target
    for rel in root.findall(f"{{{PR_NS}}}Relationship"):
        if rel.get("Type") == rtype and rel.get("Target") in (relative, "/" + target):
            return rel.get("Id")
    rid = _fresh_id(root)
    etree.SubElement(root, f"{{{PR_NS}}}Relationship", Id=rid, Type=rtype, Target=relative)
    return rid


def _fresh_id(root) -> str:
    """The first rIdN no Relationship in ``root`` has."""
    used = {rel.get("Id") for rel in root.findall(f"{{{PR_NS}}}Relationship")}
    return next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)


def relationship_elements(pkg: Package, source: str) -> dict[str, object]:
    """The Relationship elements of ``source`` by id (none when it has no .rels part)."""
    if pkg.rels_name(source) not in pkg.parts:
        return {}
    return {r.get("Id"): r for r in _rels_root(pkg, source).iter(f"{{{PR_NS}}}Relationship")}


def add_external_relationship(pkg: Package, source: str, rtype: str, target: str) -> str:
    """Relate ``source`` to an outside resource (a web address) with a fresh id."""
    root = _rels_root(pkg, source)
    rid = _fresh_id(root)
    etree.SubElement(root, f"{{{PR_NS}}}Relationship", Id=rid, Type=rtype, Target=target,
                     TargetMode="External")
    return rid


def add_part(pkg: Package, source: str, name: str, root, ctype: str, rtype: str) -> str:
    """Add an XML part related from ``source``; return the relationship id."""
    pkg.parts[name] = b""
    pkg.set_xml(name, root)
    set_override(pkg, name, ctype)
    return add_relationship(pkg, source, rtype, name)


def drop_part(pkg: Package, name: str) -> None:
    """Remove a part, the relationships pointing at it and its content type override."""
    if name not in pkg.parts:
        return
    for source in [""] + [p for p in pkg.parts if not p.endswith(".rels")]:
        rels_name = pkg.rels_name(source)
        if rels_name not in pkg.parts:
            continue
        for rid, (_t, target) in pkg.rels(source).items():
            if target == name:
                root = pkg.xml(rels_name)
                for rel in root.findall(f"{{{PR_NS}}}Relationship"):
                    if rel.get("Id") == rid:
                        root.remove(rel)
    root = content_types(pkg)
    for el in root.findall(f"{{{CT_NS}}}Override"):
        if el.get("PartName") == "/" + name:
            root.remove(el)
    del pkg.parts[name]
    pkg._xml.pop(name, None)
    own_rels = pkg.rels_name(name)
    if own_rels in pkg.parts:
        del pkg.parts[own_rels]
        pkg._xml.pop(own_rels, None)


def read_identity(pkg: Package) -> dict[str, str]:
    """consult.* custom document properties, without the prefix."""
    name = _custom_part(pkg)
    if name is None:
        return {}
    out = {}
    for prop in pkg.xml(name).findall(f"{{{NS['op']}}}property"):
        key = prop.get("name") or ""
        if key.startswith(IDENTITY_PREFIX) and len(prop):
            out[key[len(IDENTITY_PREFIX):]] = prop[0].text or ""
    return out


def write_identity(pkg: Package, values: dict[str, str]) -> None:
    """Store consult.* custom document properties (they survive Word and LibreOffice)."""
    name = _custom_part(pkg)
    if name is None:
        name = "docProps/custom.xml"
        root = etree.Element(f"{{{NS['op']}}}Properties",
                             nsmap={None: NS["op"], "vt": NS["vt"]})
        pkg.parts[name] = b""
        pkg.set_xml(name, root)
        set_override(pkg, name, CT_CUSTOM_PROPS)
        add_relationship(pkg, "", REL_CUSTOM_PROPS, name)
    root = pkg.xml(name)
    props = root.findall(f"{{{NS['op']}}}property")
    for prop in props:
        if (prop.get("name") or "").startswith(IDENTITY_PREFIX):
            root.remove(prop)
    pid = max([int(p.get("pid") or 1) for p in root.findall(f"{{{NS['op']}}}property")] + [1])
    for key, value in values.items():
        pid += 1
        prop = etree.SubElement(root, f"{{{NS['op']}}}property", fmtid=CUSTOM_FMTID,
                                pid=str(pid), name=IDENTITY_PREFIX + key)
        etree.SubElement(prop, f"{{{NS['vt']}}}lpwstr").text = value


def _custom_part(pkg: Package) -> str | None:
    for rtype, target in pkg.rels("").values():
        if rtype.endswith("/custom-properties") and target in pkg.parts:
            return target
    return None
