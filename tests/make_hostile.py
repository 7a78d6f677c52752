"""Generate a corpus of broken and hostile Word files: ``python tests/make_hostile.py FOLDER``."""
from __future__ import annotations

import io
import random
import re
import struct
import sys
import warnings
import zipfile
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

import docx

W_MAIN = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
STRICT_W = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
R_MAIN = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_R = b"http://purl.oclc.org/ooxml/officeDocument/relationships"
DOC = "word/document.xml"
CT_DOCX = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CT_DOCM = b"application/vnd.ms-word.document.macroEnabled.main+xml"
CT_DOTX = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
MB = 1024 * 1024


class Case(NamedTuple):
    """One generated file: its name, a substring of the expected error (None: must read),
    and Limits overrides for the test (keyword arguments of consult's Limits)."""

    filename: str
    expect: str | None
    limits: dict[str, int] = {}


def base_docx() -> bytes:
    """A small valid .docx made by python-docx."""
    document = docx.Document()
    document.add_paragraph("Section 1. The council shall publish its minutes.")
    buf = io.BytesIO()
    document.save(buf)
    return rezip(buf.getvalue())                    # fixed dates: the same bytes every run


def entry(name: str) -> zipfile.ZipInfo:
    """A deflated zip entry with a fixed date, so the corpus is the same on every run."""
    info = zipfile.ZipInfo(name, (2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def rezip(base: bytes, replace: dict[str, bytes | None] = {},
          add: Iterable[tuple[str, bytes]] = ()) -> bytes:
    """``base`` with parts replaced (None drops them) and raw entries appended."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = replace.get(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(entry(info.filename), data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")         # duplicate names are one of the cases
            for name, data in add:
                dst.writestr(entry(name), data)
    return out.getvalue()


def part(base: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(base)) as z:
        return z.read(name)


def with_xml(body: bytes) -> Callable[[bytes], bytes]:
    """A builder replacing word/document.xml with ``body``."""
    return lambda base: rezip(base, {DOC: body})


def with_main_type(content_type: bytes) -> Callable[[bytes], bytes]:
    """A builder giving word/document.xml another main content type (.docm, .dotx)."""
    def build(base: bytes) -> bytes:
        types = part(base, "[Content_Types].xml").replace(CT_DOCX, content_type)
        return rezip(base, {"[Content_Types].xml": types})
    return build


def corrupt_central_directory(base: bytes) -> bytes:
    """Flip 16 bytes at the start of the central directory."""
    end = base.rindex(b"PK\x05\x06")
    start = struct.unpack("<I", base[end + 16:end + 20])[0]
    data = bytearray(base)
    for i in range(start, start + 16):
        data[i] ^= 0xFF
    return bytes(data)


def strict(base: bytes, rels_too: bool) -> bytes:
    """Strict Open XML: the strict namespaces in document.xml (and in _rels/.rels)."""
    body = part(base, DOC).replace(W_MAIN, STRICT_W).replace(R_MAIN, STRICT_R)
    replace = {DOC: body}
    if rels_too:
        replace["_rels/.rels"] = part(base, "_rels/.rels").replace(
            R_MAIN + b"/officeDocument", STRICT_R + b"/officeDocument")
    return rezip(base, replace)


def zeros_bomb(base: bytes, megabytes: int, name: str = DOC) -> bytes:
    """``base`` with part ``name`` (by default the main document, which every command
    reads) made of zeros, compressed while streaming (memory stays low)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst, zipfile.ZipFile(io.BytesIO(base)) as src:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(entry(info.filename), src.read(info.filename))
        with dst.open(entry(name), "w", force_zip64=True) as fh:
            zeros = bytes(MB)
            for _ in range(megabytes):
                fh.write(zeros)
    return out.getvalue()


def lying_sizes(base: bytes) -> bytes:
    """A bomb whose headers claim a 1,000-byte part that really holds 5 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr(entry("[Content_Types].xml"), part(base, "[Content_Types].xml"))
        dst.writestr(entry(DOC), part(base, DOC) + bytes(5 * MB))
    data = bytearray(out.getvalue())
    size = len(part(base, DOC)) + 5 * MB
    for match in re.finditer(re.escape(struct.pack("<I", size)), bytes(data)):
        data[match.start():match.end()] = struct.pack("<I", 1000)
    return bytes(data)


def squeezable(base: bytes, name: str, size: int, ratio: int, head: bytes = b"",
               tail: bytes = b"") -> bytes:
    """``base`` plus part ``name`` of ``size`` bytes that deflate about ``ratio`` times: like
    the real EMF image (1.3 MB, 822 times) and app.xml (47 MB, 682 times) Word wrote."""
    # zeros deflate about 1,030 times; random bytes not at all
    noise = random.Random(size).randbytes(max(1, int(size * (1 / ratio - 1 / 1100))))
    filler = bytes(size - len(head) - len(tail) - len(noise))
    return rezip(base, {name: None}, [(name, head + noise + filler + tail)])


def huge_text_node(base: bytes, megabytes: int) -> bytes:
    """One well-formed paragraph whose text is ``megabytes`` MB long (libxml2 caps a text
    node at 10 MB unless huge_tree is on)."""
    doc = part(base, DOC)
    para = b"<w:p><w:r><w:t>" + b"a" * (megabytes * MB) + b"</w:t></w:r></w:p>"
    return rezip(base, {DOC: doc.replace(b"</w:body>", para + b"</w:body>", 1)})


def ole(extra: bytes) -> bytes:
    """A minimal OLE compound file: its magic, padding, and ``extra`` (a directory name)."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + extra + bytes(512)


def odt(_: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(entry("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr(entry("content.xml"), '<office:document-content xmlns:office='
                                         '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return out.getvalue()


def xlsx(_: bytes) -> bytes:
    """An Excel workbook's package shape, named .docx."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(entry("[Content_Types].xml"), (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>'))
        z.writestr(entry("_rels/.rels"), (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr(entry("xl/workbook.xml"), '<workbook xmlns="http://schemas.openxmlformats.org/'
                                             'spreadsheetml/2006/main"/>')
    return out.getvalue()


XXE = (b'<?xml version="1.0" encoding="UTF-8"?>\n'
       b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       b'<w:document xmlns:w="' + W_MAIN + b'"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>'
       b'</w:body></w:document>')
# The same, with the DOCTYPE pushed past the first 4 KiB by a comment.
XXE_LATE = XXE.replace(b"\n<!DOCTYPE", b"\n<!--" + b" " * 5000 + b"-->\n<!DOCTYPE", 1)
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;")
                                                   * 10) for i in range(1, 10))
          + b']>\n<w:document xmlns:w="' + W_MAIN + b'"><w:body><w:p><w:r><w:t>&lol9;</w:t>'
          b'</w:r></w:p></w:body></w:document>')
DEEP = (b'<w:document xmlns:w="' + W_MAIN + b'"><w:body>' + b"<w:sdt>" * 10_000
        + b"</w:sdt>" * 10_000 + b"</w:body></w:document>")
MALFORMED = b'<w:document xmlns:w="' + W_MAIN + b'"><w:body><w:p><w:r><w:t>unclosed</w:body>'
BAD_UTF8 = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="' + W_MAIN
            + b'"><w:body><w:p><w:r><w:t>caf\xe9 \xff\xfe</w:t></w:r></w:p></w:body></w:document>')

BUILDERS: list[tuple[Case, Callable[[bytes], bytes]]] = [
    (Case("not-a-zip.docx", "not a zip package"),
     lambda base: b"Dear team, our comments are below.\n"),
    (Case("empty.docx", "is empty"), lambda base: b""),
    (Case("report.pdf.docx", "is a PDF"), lambda base: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    (Case("rich-text.docx", "RTF"), lambda base: b"{\\rtf1\\ansi Hello}"),
    (Case("truncated.docx", "truncated or corrupt"), lambda base: base[:len(base) // 2]),
    (Case("corrupt-central-directory.docx", "damaged"), corrupt_central_directory),
    (Case("no-document-part.docx", "no main document part"), lambda base: rezip(base, {DOC: None})),
    (Case("malformed-document.docx", "not well-formed XML"), with_xml(MALFORMED)),
    (Case("no-content-types.docx", "[Content_Types].xml is missing"),
     lambda base: rezip(base, {"[Content_Types].xml": None})),
    (Case("no-package-rels.docx", None), lambda base: rezip(base, {"_rels/.rels": None})),
    (Case("old-word.doc", "Word 97-2003"), lambda base: ole(b"Root Entry".ljust(64, b"\0"))),
    (Case("password.docx", "password-protected"),
     lambda base: ole("EncryptionInfo".encode("utf-16-le"))),
    (Case("opendocument.odt", "OpenDocument"), odt),
    (Case("spreadsheet.docx", "Excel workbook"), xlsx),
    (Case("macros.docm", None), with_main_type(CT_DOCM)),
    (Case("template.dotx", None), with_main_type(CT_DOTX)),
    (Case("strict.docx", "Strict Open XML"), lambda base: strict(base, rels_too=True)),
    (Case("strict-namespace-only.docx", "Strict Open XML"), lambda base: strict(base, False)),
    (Case("bomb-small-limit.docx", "zip bomb", {"max_part_bytes": MB}),
     lambda base: zeros_bomb(base, 2)),
    (Case("bomb-ratio.docx", None), lambda base: zeros_bomb(base, 20, "word/media/image1.png")),
    (Case("emf-822-times.docx", None),
     lambda base: squeezable(base, "word/media/image1.emf", 1_300_000, 822, b"\x01\0\0\0")),
    (Case("app-xml-682-times.docx", None),
     lambda base: squeezable(base, "docProps/app.xml", 47 * MB, 682, b"<Properties><!--",
                             b"--></Properties>")),
    (Case("huge-text-node.docx", None), lambda base: huge_text_node(base, 50)),
    (Case("bomb-media-over-part-limit.docx", None, {"max_part_bytes": MB}),
     lambda base: zeros_bomb(base, 3, "word/media/image1.png")),
    (Case("bomb-total.docx", "zip bomb", {"max_total_bytes": 2 * MB, "max_ratio": 10**6}),
     lambda base: zeros_bomb(base, 3)),
    (Case("bomb-300mb.docx", "zip bomb"), lambda base: zeros_bomb(base, 300)),
    (Case("bomb-lying-sizes.docx", "damaged"), lying_sizes),
    (Case("many-entries.docx", "zip entries (limit 50)", {"max_entries": 50}),
     lambda base: rezip(base, add=[(f"customXml/item{i}.bin", b"x") for i in range(60)])),
    (Case("dotdot-entry.docx", "unsafe entry name"),
     lambda base: rezip(base, add=[("../../evil.txt", b"x")])),
    (Case("absolute-entry.docx", "unsafe entry name"),
     lambda base: rezip(base, add=[("/etc/evil.txt", b"x")])),
    (Case("drive-entry.docx", "unsafe entry name"),
     lambda base: rezip(base, add=[("C:\\Windows\\evil.txt", b"x")])),
    (Case("newline-in-entry-name.docx", "unsafe entry name"),
     lambda base: rezip(base, add=[("../evil\nname.txt", b"x")])),
    (Case("duplicate-entry.docx", "two zip entries named"),
     lambda base: rezip(base, add=[(DOC, MALFORMED)])),
    (Case("xxe.docx", "declares a DTD"), with_xml(XXE)),
    (Case("xxe-late-doctype.docx", "declares a DTD"), with_xml(XXE_LATE)),
    (Case("billion-laughs.docx", "declares a DTD"), with_xml(LAUGHS)),
    (Case("deep-nesting.docx", "nests elements more than 256 deep"), with_xml(DEEP)),
    (Case("invalid-utf8.docx", "not valid in its encoding"), with_xml(BAD_UTF8)),
]


def cases() -> list[Case]:
    """The cases ``build`` writes, without writing them."""
    return [case for case, _ in BUILDERS]


def build(folder: Path | str) -> list[Case]:
    """Write every case into ``folder`` and return the cases."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    base = base_docx()
    for case, make in BUILDERS:
        (folder / case.filename).write_bytes(make(base))
    return cases()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for case in build(sys.argv[1]):
        print(f"{case.filename}\t{case.expect or 'reads'}")
