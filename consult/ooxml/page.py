"""A document's page: size and margins of its last section (the body's final w:sectPr)."""
from __future__ import annotations

from dataclasses import dataclass

from .ns import qn
from .package import Limits, Package

A4_WIDTH, A4_HEIGHT, INCH = 11906, 16838, 1440


@dataclass(frozen=True)
class PageSetup:
    """Page size and margins in twentieths of a point (twips), as Word stores them."""

    width: int = A4_WIDTH
    height: int = A4_HEIGHT
    left: int = INCH
    right: int = INCH
    top: int = INCH
    bottom: int = INCH

    @property
    def text_width(self) -> int:
        return max(self.width - self.left - self.right, INCH)


def page_setup(path, limits: Limits = Limits()) -> PageSetup:
    """The page of the document at ``path`` (A4 with 1-inch margins where it says nothing)."""
    pkg = Package.open(path, limits)
    found = pkg.xml(pkg.main).findall(".//" + qn("w:sectPr"))   # parsed safely (no DTDs)
    return _setup(found[-1]) if found else PageSetup()


def _setup(sect) -> PageSetup:
    size, mar = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    base = PageSetup()

    def get(node, name: str, default: int) -> int:
        value = node.get(qn(f"w:{name}")) if node is not None else None
        try:
            return abs(int(float(value))) if value is not None else default
        except ValueError:
            return default
    return PageSetup(get(size, "w", base.width), get(size, "h", base.height),
                     get(mar, "left", base.left), get(mar, "right", base.right),
                     get(mar, "top", base.top), get(mar, "bottom", base.bottom))
