"""One XML part parsed safely: no DTDs or entities, nesting bounded, one-line errors."""
from __future__ import annotations

from lxml import etree

from ..errors import InputError
from ..results import safe_text
from .limits import Limits

LIBXML_DEPTH = 256                      # libxml2's own nesting limit without huge_tree
LIBXML_HUGE_DEPTH = 2048                # and with huge_tree (used when max_xml_depth > 256)
DTD_SNIFF_BYTES = 4096                  # where a DOCTYPE is looked for before parsing
RESAVE = "Open it in Word or LibreOffice, save it as .docx (Word Document) and send it again."
RESEND = "Ask for the file to be sent again."


def shown(name: str) -> str:
    """A part name made safe for a one-line message (printable, at most 80 characters)."""
    text = name if name.isprintable() else repr(name)
    text = safe_text(text)
    return text if len(text) <= 80 else text[:77] + "..."


def one_line(text: str, width: int = 200) -> str:
    """Collapse whitespace (libxml2 messages may hold newlines) and cut to ``width``."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 3] + "..."


def xml_parser(huge: bool = False) -> etree.XMLParser:
    """A parser that never resolves entities, loads DTDs or touches the network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=huge, remove_blank_text=False)


def parse_xml(data: bytes, path: object = "", part: str = "", limits: Limits = Limits()):
    """Parse one XML part safely; raise InputError naming the file and part."""
    if b"<!DOCTYPE" in data[:DTD_SNIFF_BYTES]:
        raise _dtd_error(path, part)
    huge = limits.max_xml_depth > LIBXML_DEPTH
    try:
        root, huge = _parse(data, huge, len(data) <= limits.max_part_bytes)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(path, part, str(exc.msg), limits) from None
    except etree.LxmlError as exc:
        raise InputError(path, f"{shown(part)} cannot be read as XML ({one_line(exc)}). "
                               + RESAVE) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _dtd_error(path, part)
    if (limits.max_xml_depth != LIBXML_DEPTH or huge) and xml_depth(root) > limits.max_xml_depth:
        raise _depth_error(path, part, limits.max_xml_depth)
    return root


def _parse(data: bytes, huge: bool, within_limits: bool) -> tuple[object, bool]:
    """Parse; a text node over libxml2's 10 MB cap is parsed again with huge_tree when the
    part is within consult's own --max-part-mb (the depth is then checked by consult)."""
    try:
        return etree.fromstring(data, xml_parser(huge=huge)), huge
    except etree.XMLSyntaxError as exc:
        if huge or not within_limits or "XML_PARSE_HUGE" not in str(exc.msg):
            raise
    return etree.fromstring(data, xml_parser(huge=True)), True


def xml_depth(root) -> int:
    """How deeply elements nest under and including ``root``."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


def _dtd_error(path: object, part: str) -> InputError:
    return InputError(path, f"{shown(part)} declares a DTD or entities, which a Word file never "
                            f"does; it was not read. {RESAVE}")


def _depth_error(path: object, part: str, limit: int) -> InputError:
    return InputError(path, f"{shown(part)} nests elements more than {limit} deep; "
                            f"it was not read. {RESEND}")


def _syntax_error(path: object, part: str, msg: str, limits: Limits) -> InputError:
    if "depth" in msg.lower():
        cap = LIBXML_DEPTH if limits.max_xml_depth <= LIBXML_DEPTH else LIBXML_HUGE_DEPTH
        return _depth_error(path, part, min(limits.max_xml_depth, cap))
    if "encoding" in msg.lower() or "utf-8" in msg.lower():
        return InputError(path, f"{shown(part)} has text that is not valid in its encoding "
                                f"({one_line(msg)}). {RESAVE}")
    return InputError(path, f"{shown(part)} is not well-formed XML ({one_line(msg)}). {RESAVE}")
