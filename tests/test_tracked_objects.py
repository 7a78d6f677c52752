"""Tracked images and shapes are carried into the collated document like any other revision.

Returns are a real draft's full packs in which a group inserts a picture with Track Changes on
(a new image part, related from the document, as Word writes it) or deletes one of the draft's
pictures. Independent readers check the collated document: pandoc (``--extract-media``, the
pictures compared by their bytes' hashes) and LibreOffice (the pictures of the .odt it makes).
With a group's changes accepted the collated document has exactly that group's pictures; with
every change rejected, the draft's.
"""
from __future__ import annotations

import copy
import csv
import hashlib
import json
import posixpath
import struct
import subprocess
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

import edit_docx as ed
from conftest import corpus_file, need
from wordcheck import word_checks

from consult.accept import accept, reject
from consult.collate import collate
from consult.ingest import ingest_one
from consult.model import Allocation
from consult.packs import build_pack
from consult.report import write_reports
from consult.split import load_draft

DRAFT = "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder04_Earth.docx"
DATE = "2026-11-20T10:00:00Z"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
REL_IMAGE = f"{ed.R}/image"
GROUPS = ("Group 1", "Group 2", "Group 3")


# -- making returns: pictures inserted and deleted with Track Changes on ------------------------

def png(seed: int) -> bytes:
    """A small PNG whose bytes differ with ``seed``."""
    rows = b"".join(b"\x00" + bytes((seed * 37 + x * 11 + y * 5) % 256 for x in range(12))
                    for y in range(4))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _image_part(doc: ed.Docx, data: bytes) -> str:
    """Add ``data`` as word/media/imageN.png, related from the document: the new rId."""
    n = 1
    while f"word/media/image{n}.png" in doc.parts:
        n += 1
    name = f"word/media/image{n}.png"
    doc.parts[name] = data
    types = doc.xml("[Content_Types].xml")
    if not any(d.get("Extension", "").lower() == "png" for d in types.iter(f"{{{ed.CT}}}Default")):
        etree.SubElement(types, f"{{{ed.CT}}}Default", Extension="png", ContentType="image/png")
    rels = doc.xml(doc._rels_name(doc.main))
    used = {r.get("Id") for r in rels}
    k = 1
    while f"rId{k}" in used:
        k += 1
    etree.SubElement(rels, f"{{{ed.PR}}}Relationship", Id=f"rId{k}", Type=REL_IMAGE,
                     Target=posixpath.relpath(name, "word"))
    return f"rId{k}"


def _doc_pr_id(doc: ed.Docx) -> int:
    return 1 + max([int(e.get("id")) for e in doc.body.iter(f"{{{WP}}}docPr")] + [0])


def picture_run(rid: str, pr_id: int, name: str):
    """A run holding an inline picture, as Word writes one."""
    xml = (f'<w:r xmlns:w="{ed.W}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:pic="{PIC}" '
           f'xmlns:r="{ed.R}"><w:rPr><w:noProof/></w:rPr><w:drawing><wp:inline distT="0" '
           'distB="0" distL="0" distR="0"><wp:extent cx="381000" cy="381000"/>'
           f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{pr_id}" name="{name}"/>'
           '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
           f'<a:graphic><a:graphicData uri="{PIC}"><pic:pic><pic:nvPicPr><pic:cNvPr id="0" '
           f'name="{name}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill>'
           f'<a:blip r:embed="{rid}"/>'
           '<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" '
           'y="0"/><a:ext cx="381000" cy="381000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
           '</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>'
           '</w:drawing></w:r>')
    return etree.fromstring(xml)


def shape_run(pr_id: int, name: str):
    """A run holding a plain rectangle (a wps shape, no parts of its own), as Word 2010+
    writes it: the shape, and a VML copy for older readers."""
    xml = (f'<w:r xmlns:w="{ed.W}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:wps="{WPS}" '
           f'xmlns:mc="{ed.MC}" xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
           '<mc:Choice Requires="wps"><w:drawing><wp:inline distT="0" distB="0" distL="0" '
           'distR="0"><wp:extent cx="457200" cy="228600"/><wp:effectExtent l="0" t="0" r="0" '
           f'b="0"/><wp:docPr id="{pr_id}" name="{name}"/><wp:cNvGraphicFramePr/><a:graphic>'
           f'<a:graphicData uri="{WPS}"><wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" '
           'y="0"/><a:ext cx="457200" cy="228600"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
           '</a:prstGeom><a:solidFill><a:srgbClr val="4472C4"/></a:solidFill></wps:spPr>'
           '<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing>'
           '</mc:Choice><mc:Fallback><w:pict><v:rect style="width:36pt;height:18pt" '
           'fillcolor="#4472c4"/></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    return etree.fromstring(xml)


def track_insert_object(doc: ed.Docx, snippet: str, after: str, run, author: str) -> None:
    """Click just after ``after`` and insert ``run`` (a picture or shape), tracked."""
    p, _, end = ed.locate(doc, snippet, after)
    ed.split_at(p, end)
    before = [s for s in ed.segments(p) if s.end == end and s.end > s.start][-1]
    before.run.addnext(ed.el("ins", ed._rev_attrs(doc, author, DATE), run))


def track_delete_picture(doc: ed.Docx, k: int, author: str) -> None:
    """Select the draft's k-th picture and press Delete with Track Changes on."""
    drawing = list(doc.body.iter(ed.w("drawing")))[k]
    run = drawing.getparent()
    wrapper = ed.el("del", ed._rev_attrs(doc, author, DATE))
    run.addprevious(wrapper)
    wrapper.append(run)


# -- independent readers --------------------------------------------------------------------------

def pandoc_images(path: Path, tmp: Path, changes: str = "accept") -> list[str]:
    """The hashes of the pictures pandoc reads in ``path`` (in order), Track Changes as
    ``changes`` says; with "all", (hash, "insertion"/"deletion"/"", author) triples."""
    media = tmp / f"media-{path.stem}-{changes}"
    out = subprocess.run([need("pandoc"), str(path), "-t", "json", f"--track-changes={changes}",
                          f"--extract-media={media}"], capture_output=True, check=True)
    found: list = []

    def walk(node, mark=("", "")):
        if isinstance(node, dict):
            if node.get("t") == "Image":
                digest = hashlib.sha256(Path(node["c"][2][0]).read_bytes()).hexdigest()[:16]
                found.append(digest if changes != "all" else (digest, *mark))
                return
            if node.get("t") == "Span":
                (_, classes, attrs), inner = node["c"]
                kind = next((c for c in classes if c in ("insertion", "deletion")), None)
                if kind:
                    mark = (kind, dict(attrs).get("author", ""))
            for value in node.values():
                walk(value, mark)
        elif isinstance(node, list):
            for value in node:
                walk(value, mark)
    walk(json.loads(out.stdout))
    return found


def libreoffice_images(path: Path, tmp: Path) -> list[str]:
    """The hashes of the pictures in the .odt LibreOffice makes of ``path`` (sorted)."""
    outdir, profile = tmp / f"odt-{path.stem}", tmp / "lo-profile"
    subprocess.run([need("soffice"), "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "odt", "--outdir", str(outdir), str(path)],
                   capture_output=True, check=True, timeout=300)
    with zipfile.ZipFile(outdir / (path.stem + ".odt")) as z:
        return sorted(hashlib.sha256(z.read(n)).hexdigest()[:16] for n in z.namelist()
                      if n.startswith("Pictures/") and not n.endswith("/"))


def hashes(*blobs: bytes) -> list[str]:
    return [hashlib.sha256(b).hexdigest()[:16] for b in blobs]


# -- the case -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def case(folder):
    return make_case(folder)


def make_case(folder: Path):
    """Three groups' returns of the Earth draft: Groups 1 and 2 both delete its first picture
    (an agreement); Group 1 inserts a picture in one paragraph, Group 2 a picture in another
    and a new paragraph of words and a picture, Group 3 a picture and a plain shape."""
    path = corpus_file(DRAFT)
    draft = load_draft(path)
    every = tuple(s.id for s in draft.sections)
    returns = {}
    for k, group in enumerate(GROUPS):
        pack = folder / f"pack {group}.docx"
        build_pack(draft, Allocation(group, every), context="full").save(pack)
        doc = ed.Docx.open(pack)
        if group in ("Group 1", "Group 2"):
            track_delete_picture(doc, 0, group)
        rid = _image_part(doc, png(k + 1))
        snippet, after = [("The Earth is nearly", "13,000 km wide."),
                          ("A day on Earth is", "24 hours long."),
                          ("The Earth is 4.6", "4.6 billion")][k]
        track_insert_object(doc, snippet, after, picture_run(rid, _doc_pr_id(doc),
                                                             f"New {k + 1}"), group)
        if group == "Group 2":          # a new paragraph: words and a picture
            added = ed.track_insert_paragraph_after(doc, "A day on Earth is", "As seen here: ",
                                                    group, DATE)
            added.append(ed.el("ins", ed._rev_attrs(doc, group, DATE), picture_run(
                _image_part(doc, png(4)), _doc_pr_id(doc), "New 4")))
        if group == "Group 3":
            track_insert_object(doc, "When a planet", "When a planet", shape_run(_doc_pr_id(doc),
                                                                       "Box"), group)
        returns[group] = doc.save(folder / f"{group}.docx")
    col = collate(draft, list(returns.values()), [Allocation(g, every) for g in GROUPS])
    out = folder / "collated.docx"
    col.save(out)
    return path, returns, col, out


def test_each_tracked_picture_is_placed_not_unplaced(case):
    _, _, col, _ = case
    assert [u.item.kind for _, u in col.unplaced] == []
    kinds = Counter(p.item.kind for r in col.returns for p in r.revisions)
    assert kinds == {"object-delete": 2, "object-insert": 5, "insert": 1, "paragraph-insert": 1}


def test_pandoc_sees_each_groups_pictures_under_its_name(case, tmp_path):
    draft, returns, _, out = case
    seen = pandoc_images(out, tmp_path, "all")
    base = pandoc_images(draft, tmp_path)
    new = hashes(*(png(k + 1) for k in range(4)))
    assert (base[0], "deletion", "Group 1 & Group 2") in seen
    assert [(h, a) for h, kind, a in seen if kind == "insertion"] == [
        (new[0], "Group 1"), (new[1], "Group 2"), (new[3], "Group 2"), (new[2], "Group 3")]
    assert pandoc_images(out, tmp_path, "reject") == base


@pytest.mark.parametrize("group", GROUPS)
def test_a_groups_projection_has_exactly_its_pictures(case, tmp_path, group):
    """accept --group G: pandoc and LibreOffice find G's pictures (its return's, accepted)."""
    _, returns, _, out = case
    mine = tmp_path / f"{group}-accepted.docx"
    accept(out, mine, groups=[group])
    assert pandoc_images(mine, tmp_path) == pandoc_images(returns[group], tmp_path)
    expected = tmp_path / f"{group}-return-accepted.docx"
    accept(returns[group], expected, mode="all")
    assert libreoffice_images(mine, tmp_path) == libreoffice_images(expected, tmp_path)


def test_rejecting_every_change_gives_the_drafts_pictures(case, tmp_path):
    draft, _, _, out = case
    back = tmp_path / "rejected.docx"
    reject(out, back, mode="default")
    assert pandoc_images(back, tmp_path) == pandoc_images(draft, tmp_path)
    assert libreoffice_images(back, tmp_path) == libreoffice_images(draft, tmp_path)


def test_the_shape_is_carried_as_a_tracked_insertion(case):
    _, _, _, out = case
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    shapes = [e for e in root.iter(f"{{{WPS}}}wsp")]
    assert len(shapes) == 1
    ins = next(a for a in shapes[0].iterancestors() if a.tag == ed.w("ins"))
    assert ins.get(ed.w("author")) == "Group 3"


def test_ids_parts_and_schema(case):
    _, _, _, out = case
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        root = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
    ids = [e.get("id") for e in root.iter(f"{{{WP}}}docPr")]
    assert len(ids) == len(set(ids)) == 7          # the draft's 2, four pictures, a shape
    targets = {r.get("Id"): r.get("Target") for r in rels}
    assert len(targets) == len(rels)                # relationship ids unique
    embeds = [e.get(f"{{{ed.R}}}embed") for e in root.iter(f"{{{A}}}blip")]
    assert all(posixpath.normpath("word/" + targets[r]) in names for r in embeds)
    assert len({targets[r] for r in embeds}) == len(embeds)      # each picture its own part
    word_checks(out)            # the schemas, ids, parts, pandoc and LibreOffice read it


def test_the_same_collation_gives_the_same_bytes(case, folder):
    draft, returns, col, _ = case
    again = collate(load_draft(draft), list(returns.values()),
                    [Allocation(g, col.allocations[0].sections) for g in GROUPS])
    assert again.to_bytes() == col.to_bytes()


def test_a_chart_is_listed_with_the_reason(case, tmp_path):
    """A chart (a part of its own, with a workbook of its own) is not copied: it is listed as
    unplaced, saying why, and the return's other pictures are still placed."""
    draft, returns, _, _ = case
    doc = ed.Docx.open(returns["Group 1"])
    chart = "http://schemas.openxmlformats.org/drawingml/2006/chart"
    doc.add_part("word/charts/chart1.xml", etree.fromstring(f'<c:chartSpace xmlns:c="{chart}"/>'),
                 "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                 f"{ed.R}/chart")
    rid = doc.xml(doc._rels_name(doc.main))[-1].get("Id")
    run = picture_run("x", _doc_pr_id(doc), "Chart 1")
    data = next(run.iter(f"{{{A}}}graphicData"))
    data.set("uri", chart)
    data[0].getparent().replace(data[0], etree.fromstring(
        f'<c:chart xmlns:c="{chart}" xmlns:r="{ed.R}" r:id="{rid}"/>'))
    track_insert_object(doc, "When a planet", "When a planet", run, "Group 1")
    r = ingest_one(load_draft(draft), doc.save(tmp_path / "Group 1.docx"))
    reasons = [u.reason for u in r.unplaced if u.item.kind == "object-insert"]
    assert reasons == ["an image or shape inserted with Track Changes ([image or shape: Chart 1]) "
                       "that consult cannot copy: it is or holds a chart, whose parts consult "
                       "does not copy"]
    assert Counter(p.item.kind for p in r.revisions) == {"object-delete": 1, "object-insert": 1}
    col = collate(load_draft(draft), [tmp_path / "Group 1.docx"], [])
    col.save(tmp_path / "collated.docx")
    text = subprocess.run([need("pandoc"), str(tmp_path / "collated.docx"), "-t", "plain",
                           "--wrap=none"], capture_output=True, text=True, check=True).stdout
    assert ("Group 1, picture or shape inserted by Group 1: \u201c[image or shape: Chart 1]"
            "\u201d (an image or shape inserted") in " ".join(text.split())


def test_libreoffice_shows_the_shape_only_while_it_is_accepted(case, tmp_path):
    """LibreOffice's .odt of Group 3's projection holds the rectangle; the draft has none."""
    _, _, _, out = case
    mine, back = tmp_path / "g3.docx", tmp_path / "none.docx"
    accept(out, mine, groups=["Group 3"])
    reject(out, back, groups=list(GROUPS))
    assert [libreoffice_shapes(p, tmp_path) for p in (mine, back)] == [1, 0]


def libreoffice_shapes(path: Path, tmp: Path) -> int:
    """How many drawn shapes (not pictures) the .odt LibreOffice makes of ``path`` holds."""
    libreoffice_images(path, tmp)
    with zipfile.ZipFile(tmp / f"odt-{path.stem}" / (path.stem + ".odt")) as z:
        root = etree.fromstring(z.read("content.xml"))
    draw = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
    return sum(1 for _ in root.iter(f"{{{draw}}}custom-shape", f"{{{draw}}}rect"))


def test_a_libreoffice_resave_carries_the_same_pictures(case, tmp_path):
    """Group 3's return re-saved by LibreOffice (new relationship ids, names and drawing ids):
    collated alone, its projection has the pictures of its return."""
    draft, returns, col, _ = case
    outdir, profile = tmp_path / "resaved", tmp_path / "lo-profile"
    subprocess.run([need("soffice"), "--headless", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
                    str(returns["Group 3"])], capture_output=True, check=True, timeout=300)
    resaved = outdir / "Group 3.docx"
    alone = collate(load_draft(draft), [resaved], [col.allocations[2]])
    assert [p.item.kind for r in alone.returns for p in r.revisions
            if p.item.kind.startswith("object")] == ["object-insert", "object-insert"]
    out, mine = tmp_path / "collated.docx", tmp_path / "g3.docx"
    alone.save(out)
    accept(out, mine, groups=["Group 3"])
    assert pandoc_images(mine, tmp_path) == pandoc_images(returns["Group 3"], tmp_path)
    assert libreoffice_shapes(mine, tmp_path) == 1


def test_decisions_rows_decide_the_pictures(case, tmp_path):
    """The report's rows for pictures decide them: Group 1's picture rejected, every other
    picture change accepted (the agreed deletion of the draft's first picture too)."""
    draft, _, col, out = case
    write_reports(col, tmp_path / "report")
    with open(tmp_path / "report" / "report.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    mine = [r for r in rows if r["kind"].startswith("object-")]
    assert Counter((r["group"], r["kind"]) for r in mine) == {
        ("Group 1", "object-delete"): 1, ("Group 2", "object-delete"): 1,
        ("Group 1", "object-insert"): 1, ("Group 2", "object-insert"): 2,
        ("Group 3", "object-insert"): 2}
    for r in mine:
        r["decision"] = "reject" if (r["group"], r["kind"]) == ("Group 1", "object-insert") \
            else "accept"
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "delete \u201c[image or shape: 250px-The_Earth_seen_from_Apollo_17.png]\u201d" in page
    assert "insert \u201c[image or shape: New 1]\u201d after" in page
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "**Group 1** (Group 1), inserted a picture or shape at" in md
    decisions = tmp_path / "decisions.csv"
    with open(decisions, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(mine)
    done = accept(out, tmp_path / "next.docx", decisions=decisions)
    assert (done.accepted, done.rejected, done.left) == (5, 1, 0)
    new = hashes(png(2), png(3), png(4))
    symbol = pandoc_images(draft, tmp_path)[1]
    assert pandoc_images(tmp_path / "next.docx", tmp_path) == [new[0], new[2], symbol, new[1]]


TABLE_DRAFT = "Open-Xml-Pow__OpenXmlPowerToolsExamples_DocumentBuilder01_Source1.docx"


def track_insert_row_after(doc: ed.Docx, snippet: str, run, author: str) -> None:
    """Insert a row after the one holding ``snippet``, as Word tracks it (the row, its runs
    and paragraph marks inserted), with ``run`` (a picture) in its last cell."""
    p = ed.find_paragraph(doc, snippet)
    tr = next(a for a in p.iterancestors() if a.tag == ed.w("tr"))
    new = copy.deepcopy(tr)
    for e in new.iter():
        for key in [k for k in e.attrib if k.startswith("{http://schemas.microsoft.com/office/")]:
            del e.attrib[key]
    tr.addnext(new)
    trpr = new.find(ed.w("trPr"))
    if trpr is None:
        trpr = ed.el("trPr")
        new.insert(0, trpr)
    trpr.append(ed.el("ins", ed._rev_attrs(doc, author, DATE)))
    for q in new.iter(ed.w("p")):
        for r in list(q.iter(ed.w("r"))):
            r.addprevious(ed.el("ins", ed._rev_attrs(doc, author, DATE)))
            r.getprevious().append(r)
        ed._mark_inserted(q, ed._rev_attrs(doc, author, DATE))
    last = list(new.iter(ed.w("p")))[-1]
    last.append(ed.el("ins", ed._rev_attrs(doc, author, DATE), run))


def test_a_row_inserted_with_a_picture_brings_its_picture(folder, tmp_path):
    """An inserted table row holding a picture: the row is copied with its image part (its
    picture was a relationship id of the return's, pointing nowhere in the collated
    document)."""
    path = corpus_file(TABLE_DRAFT)
    draft = load_draft(path)
    every = tuple(s.id for s in draft.sections)
    pack = tmp_path / "pack.docx"
    build_pack(draft, Allocation("Group 1", every), context="full").save(pack)
    doc = ed.Docx.open(pack)
    rid = _image_part(doc, png(5))
    track_insert_row_after(doc, "TableCell", picture_run(rid, _doc_pr_id(doc), "In a row"),
                           "Group 1")
    ret = doc.save(tmp_path / "Group 1.docx")
    col = collate(draft, [ret], [Allocation("Group 1", every)])
    assert [p.item.kind for r in col.returns for p in r.revisions] == ["row-insert"]
    out, mine = tmp_path / "collated.docx", tmp_path / "mine.docx"
    col.save(out)
    accept(out, mine, groups=["Group 1"])
    assert pandoc_images(mine, tmp_path) == pandoc_images(ret, tmp_path) == hashes(png(5))
    assert pandoc_images(out, tmp_path, "reject") == []
    word_checks(out)


def test_a_linked_picture_keeps_its_link(case, tmp_path):
    """A picture that links to a web page (a:hlinkClick, an outside relationship) is copied
    with the link: its relationship id in the collated document names that address."""
    draft, returns, col, _ = case
    doc = ed.Docx.open(returns["Group 3"])
    rels = doc.xml(doc._rels_name(doc.main))
    etree.SubElement(rels, f"{{{ed.PR}}}Relationship", Id="rIdLink", Type=f"{ed.R}/hyperlink",
                     Target="https://example.org/earth", TargetMode="External")
    run = picture_run(_image_part(doc, png(7)), _doc_pr_id(doc), "Linked")
    pr = next(run.iter(f"{{{WP}}}docPr"))
    pr.append(etree.fromstring(f'<a:hlinkClick xmlns:a="{A}" xmlns:r="{ed.R}" r:id="rIdLink"/>'))
    track_insert_object(doc, "When a planet", "is made", run, "Group 3")
    out = _collate_alone(draft, doc, col, tmp_path)
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        rels = {r.get("Id"): r for r in etree.fromstring(z.read("word/_rels/document.xml.rels"))}
    link = next(root.iter(f"{{{A}}}hlinkClick")).get(f"{{{ed.R}}}id")
    assert (rels[link].get("Target"), rels[link].get("TargetMode")) == (
        "https://example.org/earth", "External")
    mine = tmp_path / "mine.docx"
    accept(out, mine, groups=["Group 3"])
    assert hashes(png(7))[0] in pandoc_images(mine, tmp_path)


def _collate_alone(draft: Path, doc: ed.Docx, col, tmp: Path) -> Path:
    """Group 3's return as ``doc`` now reads, collated on its own; the collated document."""
    out = tmp / "collated.docx"
    collate(load_draft(draft), [doc.save(tmp / "Group 3.docx")], [col.allocations[2]]).save(out)
    return out


def test_a_shapes_own_text_is_credited_to_the_group(case, tmp_path):
    """A shape whose text box holds tracked words and a comment mark: in the collated
    document its words are Group 3's, not the person's, and it holds no comment marks."""
    draft, returns, col, _ = case
    doc = ed.Docx.open(returns["Group 3"])
    run = shape_run(_doc_pr_id(doc), "Box with words")
    inner = etree.fromstring(
        f'<wps:txbx xmlns:wps="{WPS}" xmlns:w="{ed.W}"><w:txbxContent><w:p>'
        '<w:commentRangeStart w:id="90"/><w:ins w:id="91" w:author="Ben Walsh" '
        f'w:date="{DATE}"><w:r><w:t>Inside the box</w:t></w:r></w:ins>'
        '<w:commentRangeEnd w:id="90"/></w:p></w:txbxContent></wps:txbx>')
    body_pr = next(run.iter(f"{{{WPS}}}bodyPr"))
    body_pr.addprevious(inner)
    track_insert_object(doc, "When a planet", "is made", run, "Group 3")
    out = _collate_alone(draft, doc, col, tmp_path)
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    box = next(b for b in root.iter(ed.w("txbxContent")) if "Inside" in "".join(b.itertext()))
    assert {r.get(ed.w("author")) for r in box.iter(ed.w("ins"))} == {"Group 3"}
    assert list(box.iter(ed.w("commentRangeStart"), ed.w("commentRangeEnd"))) == []
    word_checks(out)


def test_a_picture_within_words_is_deleted_alone(case, tmp_path):
    """The next round: the draft made from Group 1's projection has its picture within a
    paragraph's words; a group deletes that picture and the word after it. The collated
    document deletes just those; accepted, it has the return's pictures and text."""
    _, _, col, out = case
    nxt = tmp_path / "next draft.docx"
    accept(out, nxt, groups=["Group 1"])
    draft = load_draft(nxt)
    every = tuple(s.id for s in draft.sections)
    pack = tmp_path / "pack.docx"
    build_pack(draft, Allocation("Group 2", every), context="full").save(pack)
    doc = ed.Docx.open(pack)
    k = [describe(d) for d in doc.body.iter(ed.w("drawing"))].index("[image or shape: New 1]")
    track_delete_picture(doc, k, "Group 2")
    ed.track_delete(doc, "The Earth is nearly", " It's", "Group 2", DATE)
    ret = doc.save(tmp_path / "Group 2.docx")
    again = collate(draft, [ret], [Allocation("Group 2", every)])
    assert Counter(p.item.kind for r in again.returns for p in r.revisions) == {
        "object-delete": 1, "delete": 1}
    collated, mine = tmp_path / "round 2.docx", tmp_path / "mine.docx"
    again.save(collated)
    accept(collated, mine, groups=["Group 2"])
    assert pandoc_images(mine, tmp_path) == pandoc_images(ret, tmp_path)
    assert pandoc_images(collated, tmp_path, "reject") == pandoc_images(nxt, tmp_path)
    assert pandoc_line(mine, "13,000") == pandoc_line(ret, "13,000") == (
        "The Earth is nearly 13,000 km wide. the largest terrestrial planet in the Solar "
        "System.")


def pandoc_line(path: Path, words: str) -> str:
    """The paragraph holding ``words`` as pandoc reads it, changes accepted."""
    text = subprocess.run([need("pandoc"), str(path), "-t", "plain", "--wrap=none",
                           "--track-changes=accept"], capture_output=True, text=True,
                          check=True).stdout
    return next(line for line in text.splitlines() if words in line)


def describe(drawing) -> str:
    name = next(drawing.iter(f"{{{WP}}}docPr")).get("name")
    return f"[image or shape: {name}]"
