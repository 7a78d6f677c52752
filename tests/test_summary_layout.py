"""The collated document's summary, as LibreOffice lays it out: on the draft's page, within its
margins, no header word broken, rows kept whole, a deleting version said in words; and the
allocation sheet on the draft's page size."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import SAMPLE_DRAFT
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER = ["Section", "Title", "Assigned", "Returned", "Comments", "Inserted", "Deleted",
          "Conflicts"]
TOLERANCE = 1.0                 # points

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                reason="needs LibreOffice (soffice) and poppler-utils")


def _consult(*args: str, cwd: Path | None = None) -> None:
    script = Path(sys.executable).with_name("consult")
    cmd = [str(script)] if script.exists() else [sys.executable, "-c",
                                                  "from consult.cli import main; main()"]
    done = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300,
                          cwd=cwd)
    assert done.returncode == 0, done.stderr


def _pdf(docx: Path, tmp: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp / 'lo-profile'}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(docx)],
                   capture_output=True, timeout=300, check=True)
    return tmp / (docx.stem + ".pdf")


def _draft_page(path: Path) -> dict:
    """The draft's last page size and margins, in points, read from its XML directly."""
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    size = re.findall(r'<w:pgSz [^>]*w:w="(\d+)" w:h="(\d+)"', xml)[-1]
    mar = re.findall(r"<w:pgMar ([^>]*)/>", xml)[-1]
    get = lambda k: int(re.search(rf'w:{k}="(\d+)"', mar).group(1)) / 20  # noqa: E731
    return {"width": int(size[0]) / 20, "height": int(size[1]) / 20, "left": get("left"),
            "right": get("right")}


def _pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, str]]]]:
    """(width, height, [(xMin, xMax, word)]) of each page, from pdftotext -bbox."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    out = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html,
                            re.S):
        words = [(float(a), float(b), w) for a, b, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            page.group(3))]
        out.append((float(page.group(1)), float(page.group(2)), words))
    return out


@pytest.fixture(scope="module")
def collated(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("summary")
    _consult("collate", str(SAMPLE_DRAFT), str(ROOT / "samples" / "returns"), "-o",
             str(tmp / "c.docx"))
    return tmp


def test_summary_lies_within_the_drafts_margins(collated):
    page = _draft_page(SAMPLE_DRAFT)
    pages = _pages(_pdf(collated / "c.docx", collated))
    first = next(k for k, (_, _, words) in enumerate(pages)
                 if "Collation" in [w for _, _, w in words[:12]])
    summary = pages[first:]
    assert len(summary) >= 2
    for width, height, words in summary:
        assert (round(width), round(height)) == (round(page["width"]), round(page["height"]))
        left, right = min(a for a, _, _ in words), max(b for _, b, _ in words)
        assert left >= page["left"] - TOLERANCE, left
        assert right <= page["width"] - page["right"] + TOLERANCE, (right, page)
    heading = [w for _, _, w in summary[0][2]]
    start = heading.index("Section")
    assert heading[start:start + len(HEADER)] == HEADER         # no header word broken


def test_summary_rows_whole_header_repeated_deletion_in_words(collated):
    root = etree.fromstring(zipfile.ZipFile(collated / "c.docx").read("word/document.xml"))
    table = [t for t in root.iter(f"{W}tbl")
             if "".join(t.find(f"{W}tr").itertext()).startswith("Section")][0]
    rows = table.findall(f"{W}tr")
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    text = subprocess.run(["pandoc", "-t", "plain", "--wrap=none", str(collated / "c.docx")],
                          capture_output=True, text=True, check=True).stdout \
        if shutil.which("pandoc") else "".join(root.itertext())
    assert "Group 4: (deletes it)" in text and 'Group 4: \u201c\u201d' not in text


def test_allocation_sheet_on_the_drafts_page(tmp_path):
    _consult("allocate", str(SAMPLE_DRAFT), "--groups", "6", "--sheet",
             str(tmp_path / "sheet.docx"), cwd=tmp_path)     # allocation.csv goes there too
    page = _draft_page(SAMPLE_DRAFT)
    (width, height, words), *_ = _pages(_pdf(tmp_path / "sheet.docx", tmp_path))
    assert (round(width), round(height)) == (round(page["width"]), round(page["height"]))
    assert min(a for a, _, _ in words) >= page["left"] - TOLERANCE
