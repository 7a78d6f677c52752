"""The .docx zip package: safe reading with limits, parts, relationships, atomic writing."""
from __future__ import annotations

import io
import lzma
import os
import posixpath
import struct
import zipfile
import zlib
from typing import IO, Callable

from lxml import etree

from ..errors import InputError
from .files import NOT_FILES, _file_mode, read_file, write_atomic  # noqa: F401
from .limits import (MAX_ENTRIES, MAX_PART_BYTES, MAX_RATIO, MAX_TOTAL_BYTES,  # noqa: F401
                     MAX_XML_DEPTH, RATIO_FLOOR, Limits)
from .ns import NS, STRICT_W
from .safexml import (DTD_SNIFF_BYTES, LIBXML_DEPTH, LIBXML_HUGE_DEPTH, RESAVE,  # noqa: F401
                      RESEND, _depth_error, _dtd_error, _parse, _syntax_error, one_line,
                      parse_xml, shown, xml_depth, xml_parser)

CHUNK = 1024 * 1024                     # parts are inflated this much at a time

CENTRAL_RECORD = b"PK\x01\x02"                # starts each zip central-directory record
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
CONTENT_TYPES = "[Content_Types].xml"
RELS_TYPE = "application/vnd.openxmlformats-package.relationships+xml"
MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
OTHER_MAINS = (("spreadsheetml", "an Excel workbook"), ("ms-excel", "an Excel workbook"),
               ("presentationml", "a PowerPoint presentation"),
               ("ms-powerpoint", "a PowerPoint presentation"))
REL_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_REL_OFFICE_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
BOMB = "refused as a possible zip bomb. " + RESEND
STRICT = ("is saved as Strict Open XML, which consult does not read. Save it in Word as "
          "'Word Document (*.docx)' and send it again.")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)
# What the zip and decompression libraries raise on damaged input.
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
              NotImplementedError, RuntimeError, zlib.error, lzma.LZMAError, struct.error,
              OverflowError)


class Package:
    """The parts of a .docx held in memory, in their zip order."""

    def __init__(self, path: object, parts: dict[str, bytes], limits: Limits = Limits()):
        self.path = str(path)
        self.parts = parts
        self.limits = limits
        self._xml: dict[str, object] = {}
        self._streams: dict[str, Callable[[IO[bytes]], None]] = {}
        self.main = self._find_main()

    @classmethod
    def open(cls, path: os.PathLike | str, limits: Limits = Limits()) -> "Package":
        """Read a .docx (or .docm/.dotx) safely, or raise InputError with a one-line reason."""
        data = read_file(path, limits.max_total_bytes + 1)
        if len(data) > limits.max_total_bytes:
            raise InputError(path, f"is larger than {limits.max_total_bytes:,} bytes (the limit); "
                                   "it was not read.")
        return cls.from_bytes(path, data, limits)

    @classmethod
    def from_bytes(cls, path: object, data: bytes, limits: Limits = Limits()) -> "Package":
        """Read a package already in memory; ``path`` only names it in messages."""
        return cls(path, read_zip(path, data, limits), limits)

    def _find_main(self) -> str:
        main = None
        for rtype, target in self.rels("").values():
            if rtype == STRICT_REL_OFFICE_DOC:
                raise InputError(self.path, STRICT)
            if rtype == REL_OFFICE_DOC and target in self.parts and main is None:
                main = target
        if main is None and "word/document.xml" in self.parts:
            main = "word/document.xml"
        if main is None:
            raise InputError(self.path, "has no main document part (word/document.xml). "
                                        + RESAVE)
        self._check_main_type(main)
        return main

    def _check_main_type(self, main: str) -> None:
        ctype = self.content_type(main)
        if not ctype.endswith("main+xml") or ctype in MAIN_TYPES:
            return
        kind = next((label for key, label in OTHER_MAINS if key in ctype), "another file type")
        raise InputError(self.path, f"is {kind}, not a Word document. Send the Word (.docx) "
                                    "file instead.")

    # -- parts ----------------------------------------------------------------
    def xml(self, name: str):
        """The parsed root of part ``name`` (cached, mutable)."""
        if name not in self._xml:
            root = parse_xml(self.parts[name], self.path, name, self.limits)
            if STRICT_W in (root.nsmap or {}).values():
                raise InputError(self.path, STRICT)
            self._xml[name] = root
        return self._xml[name]

    def body(self):
        """The w:body of the main document, or InputError when there is none."""
        from .ns import W
        body = self.xml(self.main).find(f"{{{W}}}body")
        if body is None:
            raise InputError(self.path, f"{self.main} has no w:body. {RESAVE}")
        return body

    def has(self, name: str) -> bool:
        return name in self.parts

    def set_xml(self, name: str, root) -> None:
        self._xml[name] = root

    def set_bytes(self, name: str, data: bytes) -> None:
        self._xml.pop(name, None)
        self.parts[name] = data

    def content_type(self, name: str) -> str:
        """The content type [Content_Types].xml gives part ``name`` ('' if none)."""
        if CONTENT_TYPES not in self.parts:
            return ""
        types = self.xml(CONTENT_TYPES)
        for override in types.findall(f"{{{NS['ct']}}}Override"):
            if override.get("PartName", "").lstrip("/").lower() == name.lower():
                return override.get("ContentType", "")
        base = posixpath.basename(name)         # "_rels/.rels": the extension is "rels"
        extension = base.rsplit(".", 1)[1].lower() if "." in base else ""
        for default in types.findall(f"{{{NS['ct']}}}Default"):
            if default.get("Extension", "").lower() == extension:
                return default.get("ContentType", "")
        return ""

    def rels_name(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationships of ``part`` ('' for the package): rId -> (type, resolved target)."""
        name = self.rels_name(part)
        if name not in self.parts:
            return {}
        root = self.xml(name)
        folder = posixpath.dirname(part)
        out = {}
        for rel in root.findall(f"{{{NS['pr']}}}Relationship"):
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = posixpath.normpath(posixpath.join(folder, target)).lstrip("/")
            out[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return out

    def related(self, part: str, rtype_suffix: str) -> str | None:
        """The first part related to ``part`` whose relationship type ends with the suffix."""
        for rtype, target in self.rels(part).values():
            if rtype.endswith(rtype_suffix) and target in self.parts:
                return target
        return None

    # -- writing ----------------------------------------------------------------
    def stream(self, name: str, write: Callable[[IO[bytes]], None]) -> None:
        """Let ``write`` produce part ``name`` straight into the zip when the package is
        written (for parts too large to hold as one tree); it is called once."""
        self.parts.setdefault(name, b"")
        self._streams[name] = write

    def write(self, fh: IO[bytes]) -> None:
        """Write the package as a zip to ``fh``: same inputs, same bytes."""
        self._declare_rels()
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as z:
            names = list(self.parts)
            if CONTENT_TYPES in names:
                names.remove(CONTENT_TYPES)
                names.insert(0, CONTENT_TYPES)
            for name in names:
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3                  # the same bytes on every platform
                info.external_attr = 0o644 << 16
                if name in self._streams:
                    with z.open(info, "w") as out:
                        self._streams.pop(name)(out)
                else:
                    z.writestr(info, self.part_bytes(name))

    def _declare_rels(self) -> None:
        """Word will not open a package whose .rels parts have no content type: when the
        input lacked one, declare the Default for "rels" (otherwise nothing changes)."""
        if CONTENT_TYPES not in self.parts:
            return
        parsed = CONTENT_TYPES in self._xml
        if all(self.content_type(n) for n in self.parts if n.lower().endswith(".rels")):
            if not parsed:
                self._xml.pop(CONTENT_TYPES, None)      # unchanged: written as it was read
            return
        types = self.xml(CONTENT_TYPES)
        types.insert(0, etree.Element(f"{{{NS['ct']}}}Default", Extension="rels",
                                      ContentType=RELS_TYPE))

    def to_bytes(self) -> bytes:
        """The package as zip bytes: same inputs, same bytes."""
        buf = io.BytesIO()
        self.write(buf)
        return buf.getvalue()

    def part_bytes(self, name: str) -> bytes:
        """The bytes of part ``name``, serialising its XML if it was parsed."""
        if name not in self._xml:
            return self.parts[name]
        # The whole tree, so processing instructions and comments beside the root survive.
        return etree.tostring(self._xml[name].getroottree(), xml_declaration=True,
                              encoding="UTF-8", standalone=True)

    def save(self, path: os.PathLike | str) -> None:
        write_atomic(path, self.write)


def read_zip(path: object, data: bytes, limits: Limits) -> dict[str, bytes]:
    """Check the container and return its parts, or raise InputError."""
    _sniff(path, data)
    # Count central-directory records before zipfile builds an object for each one; every
    # entry it could build starts with this signature, so this is an upper bound.
    entries = data.count(CENTRAL_RECORD)
    if entries > limits.max_entries:
        raise InputError(path, f"has {entries:,} zip entries (limit {limits.max_entries:,}); "
                               f"it is not a normal Word file and was not read. {RESEND}")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in z.infolist() if not info.is_dir()]
    except ZIP_ERRORS:
        raise InputError(path, "is damaged: the zip package is truncated or corrupt. "
                               + RESEND) from None
    _check_entries(path, infos, limits)
    parts = Parts(path, z, infos, limits)
    if "content.xml" in parts and "mimetype" in parts:
        raise InputError(path, "is an OpenDocument (.odt) file, not .docx. In LibreOffice use "
                               "File > Save As > Word 2007-365 (.docx) and send it again.")
    if CONTENT_TYPES not in parts:
        raise InputError(path, f"is not a Word package: {CONTENT_TYPES} is missing. " + RESAVE)
    return parts


def _sniff(path: object, data: bytes) -> None:
    """Refuse files that are plainly not a zip package, naming what they are."""
    if not data:
        raise InputError(path, "is empty (0 bytes). " + RESEND)
    if data[:8] == OLE_MAGIC:
        if OLE_ENCRYPTED in data:
            raise InputError(path, "is password-protected (encrypted); consult cannot open it. "
                                   "Remove the password in Word (File > Info > Protect "
                                   "Document) and send it again.")
        raise InputError(path, "is a Word 97-2003 .doc file, not .docx. " + RESAVE)
    if data[:5] == b"%PDF-":
        raise InputError(path, "is a PDF, not .docx; consult cannot read comments or changes "
                               "from a PDF. Send the Word (.docx) file instead.")
    if data.lstrip()[:5] == b"{\\rtf":
        raise InputError(path, "is an RTF file, not .docx. " + RESAVE)
    if data[:2] != b"PK":
        raise InputError(path, "is not a Word .docx file (not a zip package). " + RESAVE)


class Parts(dict):
    """Part name -> bytes, each part inflated only when first asked for (images and
    embedded objects that are only copied are inflated when written, parts never used not
    at all). What is inflated is bounded as it streams: per part and in total."""

    def __init__(self, path: object, z: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                 limits: Limits) -> None:
        super().__init__((info.filename, None) for info in infos)
        self._path, self._zip, self._limits, self._used = path, z, limits, 0
        self._infos = {info.filename: info for info in infos}

    def __getitem__(self, name: str) -> bytes:
        data = super().__getitem__(name)
        if data is None:
            data = self._inflate(self._infos[name])
            super().__setitem__(name, data)
        return data

    def get(self, name, default=None):
        return self[name] if name in self else default

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        path, limits = self._path, self._limits
        _check_size(path, info, limits)
        left = limits.max_total_bytes - self._used
        if info.file_size > left:
            raise InputError(path, f"expands to more than {limits.max_total_bytes:,} bytes "
                                   f"(the limit); {BOMB}")
        blob = _read_part(path, self._zip, info, min(limits.max_part_bytes, left), limits)
        self._used += len(blob)
        return blob


def _check_entries(path: object, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse unsafe names, duplicates and parts declared over the limit before inflating."""
    seen = set()
    for info in infos:
        name = info.filename
        if unsafe_name(name):
            raise InputError(path, f"has an unsafe entry name ({shown(name)}); it was not read. "
                                   + RESEND)
        if name.lower() in seen:
            raise InputError(path, f"has two zip entries named {shown(name)}, so it is ambiguous "
                                   f"and was not read. {RESEND}")
        seen.add(name.lower())
        if info.flag_bits & 0x1:
            raise InputError(path, f"part {shown(name)} is encrypted inside the zip; consult "
                                   "cannot read it. Send an unencrypted .docx.")


def unsafe_name(name: str) -> bool:
    """Whether an entry name could escape a folder if extracted (absolute, '..', drive)."""
    steps = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in steps or ":" in name


def _check_size(path: object, info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.file_size > limits.max_part_bytes:
        raise InputError(path, f"part {shown(info.filename)} expands to {info.file_size:,} bytes "
                               f"(limit {limits.max_part_bytes:,}); {BOMB}")


def _read_part(path: object, z: zipfile.ZipFile, info: zipfile.ZipInfo, most: int,
               limits: Limits) -> bytes:
    """Inflate one part a chunk at a time, refusing it once it passes ``most`` bytes."""
    chunks, size = [], 0
    try:
        with z.open(info) as fh:
            while chunk := fh.read(CHUNK):
                size += len(chunk)
                if size > most:
                    break
                chunks.append(chunk)
    except ZIP_ERRORS:
        raise InputError(path, f"is damaged: part {shown(info.filename)} cannot be "
                               f"decompressed. {RESEND}") from None
    if size > most:
        if most < limits.max_part_bytes:
            raise InputError(path, f"expands to more than {limits.max_total_bytes:,} bytes "
                                   f"(the limit); {BOMB}")
        raise InputError(path, f"part {shown(info.filename)} is larger than it says; " + BOMB)
    return b"".join(chunks)
