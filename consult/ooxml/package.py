"""The .docx zip package: safe reading with limits, parts, relationships, atomic writing."""
from __future__ import annotations

import io
import os
import posixpath
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..errors import InputError, OutputError
from .ns import NS, STRICT_W, W

# Named limits; raise them with Limits(...) when a real file needs more.
MAX_PART_BYTES = 200 * 1024 * 1024      # one part, uncompressed
MAX_TOTAL_BYTES = 500 * 1024 * 1024     # all parts, uncompressed
MAX_ENTRIES = 10_000                    # zip entries
MAX_RATIO = 200                         # uncompressed / compressed, for parts over 1 MiB
MAX_XML_DEPTH = 256                     # element nesting (libxml2's own limit without huge_tree)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
}
REL_OFFICE_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
STRICT_REL_OFFICE_DOC = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
RESAVE = "Open it in Word or LibreOffice, save it as .docx (Word Document) and send it again."
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Limits:
    """Safety limits for reading a package."""

    max_part_bytes: int = MAX_PART_BYTES
    max_total_bytes: int = MAX_TOTAL_BYTES
    max_entries: int = MAX_ENTRIES
    max_ratio: int = MAX_RATIO
    max_xml_depth: int = MAX_XML_DEPTH


def xml_parser() -> etree.XMLParser:
    """A parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_blank_text=False)


def parse_xml(data: bytes, path: object = "", part: str = "", limits: Limits = Limits()):
    """Parse one XML part safely; raise InputError naming the file and part."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:65536]:
        raise InputError(path, f"{part} declares a DTD or entities, which a Word file never "
                               f"does; it was not read. {RESAVE}")
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc.msg).lower():
            raise InputError(path, f"{part} nests elements too deeply (libxml2 limit "
                                   f"{MAX_XML_DEPTH}); it was not read.") from None
        raise InputError(path, f"{part} is not well-formed XML ({exc.msg}). {RESAVE}") from None
    return root


class Package:
    """The parts of a .docx held in memory, in their zip order."""

    def __init__(self, path: object, parts: dict[str, bytes], limits: Limits = Limits()):
        self.path = str(path)
        self.parts = parts
        self.limits = limits
        self._xml: dict[str, object] = {}
        self.main = self._find_main()

    @classmethod
    def open(cls, path: os.PathLike | str, limits: Limits = Limits()) -> "Package":
        """Read a .docx (or .docm/.dotx) safely, or raise InputError with a one-line reason."""
        p = Path(path)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise InputError(path, "file not found.") from None
        except IsADirectoryError:
            raise InputError(path, "is a folder, not a .docx file.") from None
        except OSError as exc:
            raise InputError(path, f"cannot be read ({exc.strerror}).") from None
        return cls(path, read_zip(path, data, limits), limits)

    def _find_main(self) -> str:
        rels = self.rels("")
        for rtype, target in rels.values():
            if rtype in (REL_OFFICE_DOC, STRICT_REL_OFFICE_DOC) and target in self.parts:
                return target
        if "word/document.xml" in self.parts:
            return "word/document.xml"
        raise InputError(self.path, f"has no main document part (word/document.xml). {RESAVE}")

    # -- parts ----------------------------------------------------------------
    def xml(self, name: str):
        """The parsed root of part ``name`` (cached, mutable)."""
        if name not in self._xml:
            root = parse_xml(self.parts[name], self.path, name, self.limits)
            if root.nsmap.get("w") == STRICT_W or STRICT_W in (root.nsmap or {}).values():
                raise InputError(self.path, "is saved as Strict Open XML, which consult does not "
                                            "read. Save it in Word as 'Word Document (*.docx)' "
                                            "and send it again.")
            self._xml[name] = root
        return self._xml[name]

    def has(self, name: str) -> bool:
        return name in self.parts

    def set_xml(self, name: str, root) -> None:
        self._xml[name] = root

    def set_bytes(self, name: str, data: bytes) -> None:
        self._xml.pop(name, None)
        self.parts[name] = data

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
                if target.startswith("/"):
                    target = target[1:]
            out[rel.get("Id", "")] = (rel.get("Type", ""), target)
        return out

    def related(self, part: str, rtype_suffix: str) -> str | None:
        """The first part related to ``part`` whose relationship type ends with the suffix."""
        for rtype, target in self.rels(part).values():
            if rtype.endswith(rtype_suffix) and target in self.parts:
                return target
        return None

    # -- writing ----------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The package as zip bytes: same inputs, same bytes."""
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            names = list(self.parts)
            if "[Content_Types].xml" in names:
                names.remove("[Content_Types].xml")
                names.insert(0, "[Content_Types].xml")
            for name in names:
                if name in self._xml:
                    data = etree.tostring(self._xml[name], xml_declaration=True,
                                          encoding="UTF-8", standalone=True)
                else:
                    data = self.parts[name]
                info = zipfile.ZipInfo(name, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                z.writestr(info, data)
        return buf.getvalue()

    def save(self, path: os.PathLike | str) -> None:
        write_atomic(path, self.to_bytes())


def write_atomic(path: os.PathLike | str, data: bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".tmp",
                                   dir=str(target.parent))
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror}).") from None


def read_zip(path: object, data: bytes, limits: Limits) -> dict[str, bytes]:
    """Check the container and return its parts, or raise InputError."""
    if data[:8] == OLE_MAGIC:
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise InputError(path, "is password-protected (encrypted); consult cannot open it. "
                                   "Remove the password in Word (File > Info > Protect "
                                   "Document) and send it again.")
        raise InputError(path, "is a Word 97-2003 .doc file, not .docx. " + RESAVE)
    if not data:
        raise InputError(path, "is empty (0 bytes).")
    if data[:2] != b"PK":
        if data.lstrip()[:5] in (b"{\\rtf",):
            raise InputError(path, "is an RTF file, not .docx. " + RESAVE)
        raise InputError(path, "is not a Word .docx file (not a zip package). " + RESAVE)
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InputError(path, "is damaged: the zip package is truncated or corrupt. "
                               "Ask for the file to be sent again.") from None
    if len(infos) > limits.max_entries:
        raise InputError(path, f"has {len(infos)} zip entries (limit {limits.max_entries}); "
                               "it is not a normal Word file.")
    total = 0
    parts: dict[str, bytes] = {}
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if name.startswith(("/", "\\")) or ".." in name.split("/") or ":" in name:
            raise InputError(path, f"has an unsafe entry name {name!r}; it was not read.")
        if info.file_size > limits.max_part_bytes:
            raise InputError(path, f"part {name} is {info.file_size} bytes uncompressed "
                                   f"(limit {limits.max_part_bytes}).")
        if info.file_size > 1 << 20 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise InputError(path, f"part {name} expands {info.file_size // max(info.compress_size, 1)} "
                                   f"times (limit {limits.max_ratio}): a zip bomb was refused.")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise InputError(path, f"expands to more than {limits.max_total_bytes} bytes; "
                                   "a zip bomb was refused.")
        try:
            with z.open(info) as fh:
                blob = fh.read(limits.max_part_bytes + 1)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError,
                RuntimeError):
            raise InputError(path, f"is damaged: part {name} cannot be decompressed. "
                                   "Ask for the file to be sent again.") from None
        if len(blob) > limits.max_part_bytes:
            raise InputError(path, f"part {name} is larger than it says; refused.")
        parts[name] = blob
    if "content.xml" in parts and "mimetype" in parts:
        raise InputError(path, "is an OpenDocument (.odt) file, not .docx. In LibreOffice use "
                               "File > Save As > Word 2007-365 (.docx) and send it again.")
    if "[Content_Types].xml" not in parts:
        raise InputError(path, "is not a Word package: [Content_Types].xml is missing. " + RESAVE)
    return parts
