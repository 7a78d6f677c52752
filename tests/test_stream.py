"""Writing piece by piece: the streamed bytes equal the whole tree's, on real files.

Collate writes the response block by block (consult/response.py) and comments one at a time;
these tests check the layers it rests on against whole-tree serialisation, and the quick path
for plain paragraphs against the full walk.
"""
from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree
from conftest import CORPUS, SAMPLE_DRAFT, SAMPLES

from consult.errors import InputError
from consult.ooxml import annotations as ann
from consult.ooxml.comments_part import CommentsWriter, NewComment
from consult.ooxml.edit import renumber_duplicates
from consult.ooxml.package import Package
from consult.ooxml.stream import declarations, fragment, shell


def _real_files() -> list:
    files = [SAMPLE_DRAFT] + sorted((SAMPLES / "returns").glob("*.docx"))
    if CORPUS.is_dir():
        files += sorted(CORPUS.glob("*.docx"))
    return files


def _open(path) -> Package:
    try:
        pkg = Package.open(path)
        pkg.body()
        return pkg
    except InputError as exc:
        pytest.skip(f"{path.name}: {exc}")


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_body_streamed_block_by_block_is_the_whole_part(path):
    pkg = _open(path)
    body = pkg.body()
    whole = pkg.part_bytes(pkg.main)
    head, tail = shell(body)
    declared = declarations(body.getroottree().getroot())
    streamed = head + b"".join(fragment(child, declared) for child in body) + tail
    if streamed != whole:
        # lxml drops a namespace redeclared deep inside a block when the root declares it
        # already (two corpus files): the same XML, told once.
        assert _c14n(streamed) == _c14n(whole)
        assert len(streamed) < len(whole)


def _c14n(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_comments_streamed_equal_comments_added(path):
    """The same new comments, added to the tree or streamed, give the same part bytes."""
    records = [NewComment("900", "Group 1", "G1", "2026-10-05T10:00:00Z", "First line\nsecond"),
               NewComment("901", "Group 2", "", None, "A reply", "900", True),
               NewComment("902", "consult", "C", "2026-10-06T10:00:00Z", "")]
    added = _open(path)
    writer = CommentsWriter(added, set())
    for c in records:
        writer.add(c)
    streamed = _open(path)
    writer = CommentsWriter(streamed, set())
    writer.stream(lambda: iter([records[:2], records[2:]]))
    a = zipfile.ZipFile(io.BytesIO(added.to_bytes()))
    b = zipfile.ZipFile(io.BytesIO(streamed.to_bytes()))
    assert a.namelist() == b.namelist()
    for name in writer.parts:
        assert a.read(name) == b.read(name), name


@pytest.mark.parametrize("path", _real_files(), ids=lambda p: p.name)
def test_plain_paragraph_path_reads_what_the_full_walk_reads(path, monkeypatch):
    quick = ann.read_file_annotations(_open(path))
    monkeypatch.setattr(ann._Walker, "scan", lambda self, root: None)
    full = ann.read_file_annotations(_open(path))
    assert quick.body.paragraphs == full.body.paragraphs
    assert quick.body.styles == full.body.styles
    assert quick.body.hints == full.body.hints
    assert quick.comments == full.comments
    assert quick.revisions == full.revisions


def test_streamed_part_goes_into_the_zip_once():
    pkg = _open(SAMPLE_DRAFT)
    calls = []

    def write(fh):
        calls.append(1)
        fh.write(b"<x/>")
    pkg.stream("word/extra.xml", write)
    z = zipfile.ZipFile(io.BytesIO(pkg.to_bytes()))
    assert z.read("word/extra.xml") == b"<x/>"
    assert calls == [1]
    assert z.read("word/styles.xml") == pkg.parts["word/styles.xml"]


# -- revision ids checked block by block ------------------------------------------------------
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _block(*marks: tuple[str, str]):
    """A w:p holding one w:ins/w:del/... per (kind, w:id)."""
    inner = "".join(f'<w:{kind} w:id="{i}" w:author="A"><w:r><w:t>x</w:t></w:r></w:{kind}>'
                    if kind in ("ins", "del") else
                    f'<w:r><w:rPr><w:{kind} w:id="{i}" w:author="A"/></w:rPr></w:r>'
                    for kind, i in marks)
    return etree.fromstring(f'<w:p xmlns:w="{W}">{inner}</w:p>')


def _ids(block) -> list[str]:
    return [e.get(f"{{{W}}}id") for e in block.iter(f"{{{W}}}ins", f"{{{W}}}del",
                                                    f"{{{W}}}rPrChange")]


def test_renumber_duplicates_checks_fresh_ids_per_call_and_found_ids_across_calls():
    counter = iter(range(900, 1000))
    seen: set[str] = set()

    def fresh() -> int:
        return next(counter)

    # one call: a found id (below 100) and a fresh one (100 up), each twice
    first = _block(("ins", "1"), ("del", "1"), ("ins", "100"), ("del", "100"), ("ins", "101"),
                   ("rPrChange", "2"))
    assert renumber_duplicates(first, seen, fresh, fresh_from=100) == 2
    assert _ids(first) == ["1", "900", "100", "901", "101", "2"]
    assert "100" not in seen and "101" not in seen and {"1", "2"} <= seen

    # a later call: fresh ids met before are left alone, found ids met before are renumbered
    later = _block(("ins", "100"), ("del", "101"), ("ins", "1"), ("rPrChange", "2"),
                   ("del", "5"))
    assert renumber_duplicates(later, seen, fresh, fresh_from=100) == 2
    assert _ids(later) == ["100", "101", "902", "903", "5"]
    assert "5" in seen and "100" not in seen

    # and once more: "5" was found in the last call, "100" repeats within this one
    third = _block(("del", "5"), ("ins", "100"), ("ins", "100"))
    assert renumber_duplicates(third, seen, fresh, fresh_from=100) == 2
    assert _ids(third) == ["904", "100", "905"]


def test_renumber_duplicates_without_fresh_from_keeps_every_id_across_calls():
    seen: set[str] = set()
    first = _block(("ins", "100"), ("del", "7"))
    assert renumber_duplicates(first, seen) == 0 and seen == {"100", "7"}
    later = _block(("ins", "100"), ("del", "7"), ("ins", "3"))
    assert renumber_duplicates(later, seen) == 2
    assert _ids(later) == ["101", "102", "3"]         # default fresh: above the block's largest
