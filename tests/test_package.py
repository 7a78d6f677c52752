"""Package: relationships, the main part, deterministic bytes and atomic writing."""
from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from consult.errors import InputError, OutputError
from consult.ooxml import package as package_module
from consult.ooxml.package import (MAX_ENTRIES, MAX_PART_BYTES, MAX_RATIO, MAX_TOTAL_BYTES,
                                   MAX_XML_DEPTH, Limits, Package, write_atomic)

PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def rels(*items: tuple[str, str, str]) -> bytes:
    """A .rels part from (id, type suffix, target); a target starting 'http' is external."""
    out = "".join(f'<Relationship Id="{rid}" Type="{REL}{kind}" Target="{target}"'
                  + (' TargetMode="External"' if target.startswith("http") else "") + "/>"
                  for rid, kind, target in items)
    return f'<Relationships xmlns="{PR}">{out}</Relationships>'.encode()


def types(main: str = "/word/document.xml") -> bytes:
    return (f'<Types xmlns="{CT}"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Default Extension="PNG" ContentType="image/png"/>'
            f'<Override PartName="{main}" ContentType="{MAIN}"/></Types>').encode()


def document(text: str = "Hello") -> bytes:
    return f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p>' \
           f'</w:body></w:document>'.encode()


def tiny(main: str = "word/document.xml") -> dict[str, bytes]:
    return {"[Content_Types].xml": types("/" + main),
            "_rels/.rels": rels(("rId1", "officeDocument", main)),
            main: document()}


def base_docx() -> bytes:
    document_ = docx.Document()
    document_.add_paragraph("Section 1. The council shall publish its minutes.")
    buf = io.BytesIO()
    document_.save(buf)
    return buf.getvalue()


# -- relationships and the main part ------------------------------------------------------

def test_rels_resolve_relative_to_the_source_part() -> None:
    parts = tiny()
    parts["word/_rels/document.xml.rels"] = rels(
        ("rId1", "image", "media/image1.png"), ("rId2", "customXml", "../customXml/item1.xml"),
        ("rId3", "styles", "/word/styles.xml"), ("rId4", "hyperlink", "http://example.org/a"))
    got = Package("t.docx", parts).rels("word/document.xml")
    assert got == {"rId1": (REL + "image", "word/media/image1.png"),
                   "rId2": (REL + "customXml", "customXml/item1.xml"),
                   "rId3": (REL + "styles", "word/styles.xml"),
                   "rId4": (REL + "hyperlink", "http://example.org/a")}


def test_a_part_without_rels_has_none() -> None:
    assert Package("t.docx", tiny()).rels("word/document.xml") == {}


def test_related_needs_the_target_to_exist() -> None:
    parts = tiny()
    parts["word/_rels/document.xml.rels"] = rels(("rId1", "comments", "comments.xml"))
    assert Package("t.docx", parts).related("word/document.xml", "/comments") is None
    parts["word/comments.xml"] = f'<w:comments xmlns:w="{W}"/>'.encode()
    assert Package("t.docx", parts).related("word/document.xml", "/comments") == \
        "word/comments.xml"


def test_main_part_is_found_through_the_office_document_relationship() -> None:
    package = Package("t.docx", tiny("word/document2.xml"))
    assert package.main == "word/document2.xml"


def test_a_renamed_main_part_in_a_real_docx_is_read() -> None:
    base = base_docx()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name).replace(b"word/document.xml", b"word/document2.xml")
            dst.writestr(name.replace("word/_rels/document.xml.rels",
                                      "word/_rels/document2.xml.rels")
                         .replace("word/document.xml", "word/document2.xml"), data)
    package = Package.from_bytes("renamed.docx", out.getvalue())
    assert package.main == "word/document2.xml"
    assert "council" in "".join(package.xml(package.main).itertext())
    assert package.related(package.main, "/styles") == "word/styles.xml"


def test_without_package_rels_the_main_part_is_word_document_xml() -> None:
    parts = tiny()
    del parts["_rels/.rels"]
    assert Package("t.docx", parts).main == "word/document.xml"


def test_a_dangling_office_document_relationship_falls_back() -> None:
    parts = tiny()
    parts["_rels/.rels"] = rels(("rId1", "officeDocument", "word/missing.xml"))
    assert Package("t.docx", parts).main == "word/document.xml"


def test_content_type_prefers_override_then_default_ignoring_case() -> None:
    package = Package("t.docx", tiny())
    assert package.content_type("word/document.xml") == MAIN
    assert package.content_type("word/media/a.png") == "image/png"
    assert package.content_type("word/styles.xml") == "application/xml"
    assert package.content_type("word/media/a.gif") == ""


def test_limits_default_to_the_named_constants() -> None:
    assert Limits() == Limits(MAX_PART_BYTES, MAX_TOTAL_BYTES, MAX_ENTRIES, MAX_RATIO,
                              MAX_XML_DEPTH)


def test_missing_file_and_folder_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="missing.docx: file not found"):
        Package.open(tmp_path / "missing.docx")
    with pytest.raises(InputError, match="is a folder"):
        Package.open(tmp_path)


def test_a_file_larger_than_the_total_limit_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "big.docx"
    path.write_bytes(base_docx())
    with pytest.raises(InputError, match="is larger than 1,000 bytes"):
        Package.open(path, Limits(max_total_bytes=1000))


# -- writing ------------------------------------------------------------------------------

def test_to_bytes_is_deterministic() -> None:
    data = base_docx()
    first = Package.from_bytes("a.docx", data)
    first.xml(first.main)
    assert first.to_bytes() == first.to_bytes()
    assert first.to_bytes() == Package.from_bytes("b.docx", data).to_bytes()


def test_to_bytes_round_trips_parts() -> None:
    data = base_docx()
    package = Package.from_bytes("a.docx", data)
    again = Package.from_bytes("b.docx", package.to_bytes())
    assert list(again.parts)[0] == "[Content_Types].xml"
    assert set(again.parts) == set(package.parts)
    parsed_on_open = {"_rels/.rels", "[Content_Types].xml"}    # re-serialised: same XML
    for name, blob in package.parts.items():
        if name in parsed_on_open:
            assert canonical(again.parts[name]) == canonical(blob)
        else:
            assert again.parts[name] == blob
    assert Package.from_bytes("c.docx", again.to_bytes()).to_bytes() == again.to_bytes()


def canonical(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


def test_edits_and_siblings_of_the_root_survive_serialising() -> None:
    parts = tiny()
    parts["word/document.xml"] = b'<?mso-application progid="Word.Document"?>' + document()
    package = Package("t.docx", parts)
    package.xml(package.main).find(f".//{{{W}}}t").text = "Changed"
    package.set_bytes("word/media/image1.png", b"\x89PNG")
    again = Package.from_bytes("u.docx", package.to_bytes())
    assert b"<?mso-application" in again.parts["word/document.xml"]
    assert b"Changed" in again.parts["word/document.xml"]
    assert again.parts["word/media/image1.png"] == b"\x89PNG"


def test_save_writes_a_readable_package(tmp_path: Path) -> None:
    path = tmp_path / "out" / "collated.docx"
    Package("t.docx", tiny()).save(path)
    assert Package.open(path).main == "word/document.xml"
    assert [p.name for p in path.parent.iterdir()] == ["collated.docx"]


def test_save_declares_the_rels_content_type_word_needs(tmp_path: Path) -> None:
    """A package whose [Content_Types].xml lacks the Default for "rels" is written with it
    (Word refuses a part without a content type); the package's own .rels counts: its
    extension is "rels", though its name starts with the dot."""
    package = Package("t.docx", tiny())
    assert package.content_type("_rels/.rels") == ""
    path = tmp_path / "collated.docx"
    package.save(path)
    with zipfile.ZipFile(path) as z:
        types = etree.fromstring(z.read("[Content_Types].xml"))
    defaults = {d.get("Extension"): d.get("ContentType")
                for d in types.findall(f"{{{CT}}}Default")}
    assert defaults["rels"] == "application/vnd.openxmlformats-package.relationships+xml"
    again = Package.open(path)
    assert again.content_type("_rels/.rels") == defaults["rels"]
    assert again.to_bytes() == package.to_bytes()           # declared once, not again


def test_write_atomic_keeps_the_old_file_when_the_rename_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "collated.docx"
    path.write_bytes(b"old")

    def broken_replace(src: str, dst: object) -> None:
        assert Path(src).read_bytes() == b"new"           # the temp file was written
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(package_module.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="collated.docx: cannot be written"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [path]


def test_write_atomic_cleans_up_after_any_interruption(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "collated.docx"

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(package_module.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b"new")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_replaces_and_keeps_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "collated.docx"
    write_atomic(path, b"first")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~current_umask()
    path.chmod(0o640)
    write_atomic(path, b"second")
    assert path.read_bytes() == b"second"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert list(tmp_path.iterdir()) == [path]


def current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def test_write_atomic_into_an_unwritable_place_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(OutputError, match="cannot be written"):
        write_atomic(blocker / "collated.docx", b"new")
