"""Namespaces and qualified names for WordprocessingML."""
from __future__ import annotations

from functools import lru_cache

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "op": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}

W = NS["w"]
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"

REL_COMMENTS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
REL_COMMENTS_EXT = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
REL_CUSTOM_PROPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_COMMENTS_EXT = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
)
CT_CUSTOM_PROPS = "application/vnd.openxmlformats-officedocument.custom-properties+xml"


@lru_cache(maxsize=4096)
def qn(name: str) -> str:
    """``"w:p"`` -> ``"{http://...main}p"`` (remembered: it is called for every element)."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def local(tag: object) -> str:
    """The local part of an element tag ('' for comments and PIs)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]
