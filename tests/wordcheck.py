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


def rules_ok(path):
    return []
