"""Checks that Word will open what consult writes: schemas, LibreOffice, pandoc, structure."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from lxml import etree

from conftest import VALIDATOR, need

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"


def schema_valid(*paths: Path) -> None:
    """Assert every file passes ../shared/ooxml-schemas/validate.py."""
    import pytest
    if not VALIDATOR.is_file():
        pytest.skip("../shared/ooxml-schemas/validate.py is absent")
    proc = subprocess.run([sys.executable, str(VALIDATOR), "--quiet", *map(str, paths)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def libreoffice_converts(*paths: Path) -> list[Path]:
    """Convert to PDF with LibreOffice headless (one process for all); return the PDFs."""
    soffice = need("soffice")
    out = Path(tempfile.mkdtemp(prefix="consult-lo-"))
    profile = Path(tempfile.mkdtemp(prefix="consult-lo-profile-"))
    proc = subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{profile}",
                           "--convert-to", "pdf", "--outdir", str(out), *map(str, paths)],
                          capture_output=True, text=True, timeout=600)
    pdfs = [out / (Path(p).stem + ".pdf") for p in paths]
    missing = [str(p) for p, pdf in zip(paths, pdfs) if not pdf.is_file() or not pdf.stat().st_size]
    assert not missing, f"LibreOffice did not convert {missing}: {proc.stderr[-2000:]}"
    return pdfs


def pandoc_reads(path: Path) -> str:
    """Read with pandoc --track-changes=all; return the plain text."""
    pandoc = need("pandoc")
    proc = subprocess.run([pandoc, "--track-changes=all", "-f", "docx", "-t", "plain",
                           str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def structure_ok(path: Path) -> None:
    """Ids unique per kind, comment ranges complete, relationships and content types present."""
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        ct = etree.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName").lstrip("/") for o in ct.iter(f"{{{CT}}}Override")}
        defaults = {d.get("Extension").lower() for d in ct.iter(f"{{{CT}}}Default")}
        for name in names:
            if not name.endswith("/"):
                assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
        for rels in [n for n in names if n.endswith(".rels")]:
            folder = os.path.dirname(os.path.dirname(rels))
            for rel in etree.fromstring(z.read(rels)).iter(f"{{{PR}}}Relationship"):
                if rel.get("TargetMode") == "External":
                    continue
                target = os.path.normpath(os.path.join(folder, rel.get("Target"))).lstrip("/")
                assert target in names, f"{rels} points at missing {target}"
        doc = etree.fromstring(z.read("word/document.xml"))
        comments = (etree.fromstring(z.read("word/comments.xml"))
                    if "word/comments.xml" in names else None)
    _unique(doc, ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange"))
    _unique(doc, ("bookmarkStart",))
    starts = Counter(e.get(f"{{{W}}}id") for e in doc.iter(f"{{{W}}}commentRangeStart"))
    ends = Counter(e.get(f"{{{W}}}id") for e in doc.iter(f"{{{W}}}commentRangeEnd"))
    refs = Counter(e.get(f"{{{W}}}id") for e in doc.iter(f"{{{W}}}commentReference"))
    assert starts == ends, "comment range starts and ends differ"
    assert set(starts) <= set(refs), "a comment range has no reference"
    if comments is not None:
        ids = [c.get(f"{{{W}}}id") for c in comments.iter(f"{{{W}}}comment")]
        assert len(ids) == len(set(ids)), "duplicate comment ids"
        assert set(refs) <= set(ids), "a reference points at a missing comment"
        para_ids = [p.get(f"{{{W14}}}paraId") for p in comments.iter(f"{{{W}}}p")
                    if p.get(f"{{{W14}}}paraId")]
        para_ids += [p.get(f"{{{W14}}}paraId") for p in doc.iter(f"{{{W}}}p")
                     if p.get(f"{{{W14}}}paraId")]
        assert len(para_ids) == len(set(para_ids)), "duplicate paraIds"


def _unique(root, names) -> None:
    ids = [e.get(f"{{{W}}}id") for n in names for e in root.iter(f"{{{W}}}{n}")
           if e.getparent() is not None]
    dup = [i for i, c in Counter(ids).items() if c > 1]
    assert not dup, f"duplicate w:id among {names}: {dup[:5]}"


def word_checks(*paths: Path) -> None:
    """All of the above for every file."""
    schema_valid(*paths)
    for p in paths:
        structure_ok(p)
        pandoc_reads(p)
    libreoffice_converts(*paths)


# -- rules the schemas cannot express ---------------------------------------------------------

W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"
W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"
REVISION_KINDS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "sectPrChange",
                  "tblPrChange", "tblPrExChange", "trPrChange", "tcPrChange", "tblGridChange",
                  "numberingChange", "cellIns", "cellDel", "cellMerge")
STORY_TYPES = ("/header", "/footer", "/footnotes", "/endnotes")
PARA_ID_LIMIT = 0x80000000


def rules_ok(path: Path, since: Path | None = None,
             styles: tuple[str, ...] | None = None) -> list[str]:
    """What Word expects of a package beyond its schemas, as a list of problems (empty: all
    kept): content types and relationship targets; in every story, comment ranges in order
    (start, end, then the reference; one each; every range, reference and comment matching);
    w:id unique per kind; w14:paraId / w14:textId unique and below 0x80000000; the comment
    parts (commentsExtended, commentsIds, commentsExtensible) agreeing with comments.xml; every
    author in people.xml when there is one; stylesWithEffects.xml holding every style (or,
    with ``styles``, every style whose id starts with one of them). ``since``: the input the
    file was made from; problems it has already are not counted again."""
    if since is not None:
        before = set(rules_ok(since, styles=styles))
        return [p for p in rules_ok(path, styles=styles) if p not in before]
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    out: list[str] = []
    xml: dict[str, etree._Element] = {}

    def tree(name: str):
        if name not in xml:
            parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
            xml[name] = etree.fromstring(parts[name], parser)
        return xml[name]

    out += _package_rules(parts, tree)
    main, related = _main_and_related(parts, tree)
    if main is None:
        return out + ["no main document part"]
    stories = [main] + [t for rtype, t in related if rtype.endswith(STORY_TYPES)]
    comments = next((t for rtype, t in related if rtype.endswith("/comments")), None)
    comments_root = tree(comments) if comments in parts else None
    for story in [s for s in stories if s in parts]:
        out += [f"{story}: {p}" for p in _range_rules(tree(story), comments_root)]
        out += [f"{story}: {p}" for p in _unique_ids(tree(story))]
    if comments_root is not None:
        referenced = {e.get(f"{{{W}}}id") for s in stories if s in parts
                      for e in tree(s).iter(f"{{{W}}}commentReference")}
        out += [f"comments.xml: comment {c.get(f'{{{W}}}id')} is referenced nowhere"
                for c in comments_root.iter(f"{{{W}}}comment")
                if c.get(f"{{{W}}}id") not in referenced]
    out += _para_id_rules([tree(s) for s in stories + [comments] if s in parts])
    if comments_root is not None:
        out += _comment_part_rules(comments_root, related, parts, tree)
    out += _people_rules(related, parts, tree, [tree(s) for s in stories + [comments]
                                                 if s in parts])
    out += _styles_rules(related, parts, tree, styles)
    return out


def _package_rules(parts: dict, tree) -> list[str]:
    out = []
    if "[Content_Types].xml" not in parts:
        return ["no [Content_Types].xml"]
    ct = tree("[Content_Types].xml")
    overrides = {o.get("PartName").lstrip("/").lower() for o in ct.iter(f"{{{CT}}}Override")}
    defaults = {d.get("Extension").lower() for d in ct.iter(f"{{{CT}}}Default")}
    for name in parts:
        if name != "[Content_Types].xml" and name.lower() not in overrides \
                and name.rsplit(".", 1)[-1].lower() not in defaults:
            out.append(f"{name} has no content type")
    for rels in [n for n in parts if n.endswith(".rels")]:
        folder = os.path.dirname(os.path.dirname(rels))
        for rel in tree(rels).iter(f"{{{PR}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            target = (target.lstrip("/") if target.startswith("/")
                      else os.path.normpath(os.path.join(folder, target)).lstrip("/"))
            if target not in parts:
                out.append(f"{rels}: {rel.get('Id')} points at missing {target}")
    return out


def _main_and_related(parts: dict, tree) -> tuple[str | None, list[tuple[str, str]]]:
    """The main document part and (relationship type, part) for what it relates to."""
    main = None
    if "_rels/.rels" in parts:
        for rel in tree("_rels/.rels").iter(f"{{{PR}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                main = rel.get("Target", "").lstrip("/")
    if main is None:
        return None, []
    folder, name = os.path.split(main)
    rels = os.path.join(folder, "_rels", name + ".rels")
    related = []
    if rels in parts:
        for rel in tree(rels).iter(f"{{{PR}}}Relationship"):
            if rel.get("TargetMode") != "External":
                target = rel.get("Target", "")
                target = (target.lstrip("/") if target.startswith("/")
                          else os.path.normpath(os.path.join(folder, target)))
                related.append((rel.get("Type", ""), target))
    return main, related


def _range_rules(root, comments_root) -> list[str]:
    """Each comment: at most one start, end and reference; start before end before the
    reference; a range has both ends and a reference; each one a comment in comments.xml."""
    marks: dict[str, dict[str, list[int]]] = {}
    kinds = {f"{{{W}}}commentRangeStart": "start", f"{{{W}}}commentRangeEnd": "end",
             f"{{{W}}}commentReference": "reference"}
    for k, node in enumerate(root.iter(*kinds)):
        marks.setdefault(node.get(f"{{{W}}}id"), {}).setdefault(kinds[node.tag], []).append(k)
    known = (None if comments_root is None else
             {c.get(f"{{{W}}}id") for c in comments_root.iter(f"{{{W}}}comment")})
    out = []
    for cid, m in marks.items():
        start, end, ref = m.get("start", []), m.get("end", []), m.get("reference", [])
        for kind, found in (("start", start), ("end", end), ("reference", ref)):
            if len(found) > 1:
                out.append(f"comment {cid} has {len(found)} range {kind}s")
        if bool(start) != bool(end):
            out.append(f"comment {cid} has a range {'start' if start else 'end'} only")
        if not ref:
            out.append(f"comment {cid} has a range but no reference")
        if start and end and start[0] > end[0]:
            out.append(f"comment {cid}: its range ends before it starts")
        if end and ref and ref[0] < end[0]:
            out.append(f"comment {cid}: its reference comes before its range ends")
        if known is None or cid not in known:
            out.append(f"comment {cid} is marked in the text but is not in comments.xml")
    return out


def _unique_ids(root) -> list[str]:
    out = []
    for label, names in (("revision", REVISION_KINDS), ("bookmark", ("bookmarkStart",)),
                         ("move range", ("moveFromRangeStart", "moveToRangeStart"))):
        ids = Counter(e.get(f"{{{W}}}id") for e in root.iter(*(f"{{{W}}}{n}" for n in names))
                      if e.get(f"{{{W}}}id") is not None)
        dup = sorted(i for i, c in ids.items() if c > 1)
        if dup:
            out.append(f"{len(dup)} {label} w:id values used more than once: {dup[:5]}")
    return out


def _para_id_rules(roots) -> list[str]:
    out = []
    for attr in ("paraId", "textId"):
        values = [p.get(f"{{{W14}}}{attr}") for root in roots for p in root.iter(f"{{{W}}}p")
                  if p.get(f"{{{W14}}}{attr}")]
        if attr == "paraId":
            dup = sorted(v for v, c in Counter(values).items() if c > 1)
            if dup:
                out.append(f"{len(dup)} w14:paraId values used more than once: {dup[:5]}")
        big = [v for v in values if not _hex_below(v, PARA_ID_LIMIT)]
        if big:
            out.append(f"{len(big)} w14:{attr} values not below 0x80000000: {big[:5]}")
    return out


def _hex_below(value: str, limit: int) -> bool:
    try:
        return int(value, 16) < limit
    except ValueError:
        return False


def _comment_part_rules(comments_root, related, parts, tree) -> list[str]:
    """commentsExtended, commentsIds and commentsExtensible name exactly the comments."""
    last = {}
    for c in comments_root.iter(f"{{{W}}}comment"):
        paras = c.findall(f"{{{W}}}p")
        last[c.get(f"{{{W}}}id")] = paras[-1].get(f"{{{W14}}}paraId") if paras else None
    out = []
    ids = Counter(c.get(f"{{{W}}}id") for c in comments_root.iter(f"{{{W}}}comment"))
    out += [f"comments.xml: comment id {i} used {n} times" for i, n in ids.items() if n > 1]
    para_ids = {v for v in last.values() if v}

    def part(suffix: str):
        name = next((t for rtype, t in related if rtype.endswith(suffix)), None)
        return tree(name) if name in parts else None

    ext = part("/commentsExtended")
    if ext is not None:
        entries = Counter(e.get(f"{{{W15}}}paraId") for e in ext.iter(f"{{{W15}}}commentEx"))
        out += [f"commentsExtended.xml: {v} is no comment's last paragraph"
                for v in entries if v not in para_ids]
        out += [f"commentsExtended.xml: {v} has {n} entries" for v, n in entries.items()
                if n > 1]
        out += [f"commentsExtended.xml: comment {cid} has no w15:commentEx"
                for cid, v in last.items() if v not in entries]
        for e in ext.iter(f"{{{W15}}}commentEx"):
            parent = e.get(f"{{{W15}}}paraIdParent")
            if parent is not None and (parent not in para_ids
                                       or parent == e.get(f"{{{W15}}}paraId")):
                out.append(f"commentsExtended.xml: {e.get(f'{{{W15}}}paraId')} has parent "
                           f"{parent}, which is {'itself' if parent in para_ids else 'missing'}")
    cid_root = part("/commentsIds")
    durable: set[str] = set()
    if cid_root is not None:
        entries = {e.get(f"{{{W16CID}}}paraId"): e.get(f"{{{W16CID}}}durableId")
                   for e in cid_root.iter(f"{{{W16CID}}}commentId")}
        durable = set(entries.values())
        out += [f"commentsIds.xml: {v} is no comment's last paragraph" for v in entries
                if v not in para_ids]
        out += [f"commentsIds.xml: comment {cid} has no w16cid:commentId"
                for cid, v in last.items() if v not in entries]
    cex = part("/commentsExtensible")
    if cex is not None:
        ext_ids = {e.get(f"{{{W16CEX}}}durableId")
                   for e in cex.iter(f"{{{W16CEX}}}commentExtensible")}
        if cid_root is not None:
            out += [f"commentsExtensible.xml: durableId {d} is in no w16cid:commentId"
                    for d in sorted(ext_ids - durable)]
            out += [f"commentsExtensible.xml: durableId {d} (commentsIds.xml) has no entry"
                    for d in sorted(durable - ext_ids)]
        elif len(ext_ids) != len(last):
            out.append(f"commentsExtensible.xml has {len(ext_ids)} entries for {len(last)} "
                       "comments")
    return out


def _people_rules(related, parts, tree, roots) -> list[str]:
    name = next((t for rtype, t in related if rtype.endswith("/people")), None)
    if name not in parts:
        return []
    people = {p.get(f"{{{W15}}}author") for p in tree(name).iter(f"{{{W15}}}person")}
    authors = {e.get(f"{{{W}}}author") for root in roots for e in root.iter()
               if isinstance(e.tag, str) and e.get(f"{{{W}}}author") is not None}
    return [f"people.xml has no w15:person for author {a!r}" for a in sorted(authors - people)]


def _styles_rules(related, parts, tree, prefixes: tuple[str, ...] | None) -> list[str]:
    names = {rtype.rsplit("/", 1)[-1]: t for rtype, t in related}
    styles, effects = names.get("styles"), names.get("stylesWithEffects")
    if styles not in parts or effects not in parts:
        return []
    have = {s.get(f"{{{W}}}styleId") for s in tree(effects).iter(f"{{{W}}}style")}
    want = [s.get(f"{{{W}}}styleId") for s in tree(styles).iter(f"{{{W}}}style")]
    return [f"stylesWithEffects.xml lacks style {s!r} of styles.xml" for s in want
            if s not in have and (prefixes is None or (s or "").startswith(prefixes))]


CONSULT_STYLES = ("Consult", "Comment", "annotation")     # the styles consult adds


def assert_rules(path: Path, since: Path | None = None,
                 styles: tuple[str, ...] | None = None) -> None:
    """Fail with every problem ``rules_ok`` finds."""
    found = rules_ok(path, since, styles)
    assert not found, f"{path}: {len(found)} Word-consistency problems:\n" + "\n".join(found[:20])
