"""Open a .docx as a body of paragraphs with styles, numbering and page facts."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from .numbering import NumInfo, Numbering
from .package import Limits, Package
from .revisions import accept_all, has_revisions, resolve
from .styles import Styles
from .textview import (W_NS, ORIGINAL_STATES, body_paragraphs, field_spans, in_table, segments,
                       view_text)

WORDS_PER_PAGE = 450        # an A4 page of policy text at 11-12 pt


@dataclass
class DocParagraph:
    """A body paragraph's element with the facts the steps need."""

    element: object
    text: str
    style: str
    outline: int | None
    num: NumInfo | None
    in_table: bool
    breaks_before: int      # page breaks between the previous paragraph's start and this one
    rendered_breaks: int
    rendered_lead: bool     # the first rendered break comes before any text
    fields: tuple = ()      # where field results stand in ``text``: (start, end, key), ...


@dataclass
class Document:
    """A package with its main document parsed and its body paragraphs listed."""

    package: Package
    root: object
    styles: Styles
    numbering: Numbering
    paragraphs: list[DocParagraph] = field(default_factory=list)
    resolved_revisions: int = 0

    @property
    def body(self):
        return self.root.find(W_NS + "body")

    def refresh(self) -> None:
        """Recompute the paragraph list after the tree changed."""
        self.paragraphs = describe(self.body, self.styles, self.numbering)


def open_document(path, limits: Limits = Limits(), accept: bool = False,
                  described: list[DocParagraph] | None = None) -> Document:
    """Open ``path``; with ``accept`` every tracked change is accepted first (in memory).

    ``described``: the paragraphs of the same file opened the same way before (see
    ``facts``), taken over instead of describing numbering and styles again, which is most
    of the cost of opening.
    """
    package = Package.open(path, limits)
    return from_package(package, accept, described)


def facts(doc: Document) -> list[DocParagraph]:
    """The document's paragraph facts without their elements (the tree can go)."""
    return [replace(dp, element=None) for dp in doc.paragraphs]


def from_package(package: Package, accept: bool = False,
                 described: list[DocParagraph] | None = None) -> Document:
    root = package.xml(package.main)
    resolved = 0
    if accept:
        for part in [package.main] + story_parts(package):
            story = package.xml(part)
            if has_revisions(story):
                resolved += resolve(story, accept_all)
    styles_part = package.related(package.main, "/styles")
    numbering_part = package.related(package.main, "/numbering")
    styles = Styles(package.xml(styles_part) if styles_part else None)
    numbering = Numbering(package.xml(numbering_part) if numbering_part else None, styles)
    package.body()                  # InputError when the document has no body
    doc = Document(package, root, styles, numbering, resolved_revisions=resolved)
    elements = list(body_paragraphs(doc.body)) if described is not None else []
    if described is not None and len(elements) == len(described):
        doc.paragraphs = [replace(dp, element=e) for dp, e in zip(described, elements)]
    else:
        doc.refresh()
    return doc


def story_parts(package: Package) -> list[str]:
    """Footnotes, endnotes, headers and footers of the main document."""
    return sorted(target for rtype, target in package.rels(package.main).values()
                  if rtype.rsplit("/", 1)[-1] in ("footnotes", "endnotes", "header", "footer")
                  and target in package.parts)


def describe(body, styles: Styles, numbering: Numbering) -> list[DocParagraph]:
    elements = list(body_paragraphs(body))
    nums = numbering.compute(elements)
    out = []
    pending = 0
    for p, num in zip(elements, nums):
        ppr = p.find(W_NS + "pPr")
        before = pending
        if ppr is not None and ppr.find(W_NS + "pageBreakBefore") is not None:
            before += 1
        explicit, rendered = _breaks(p)
        pending = explicit
        segs = segments(p)
        out.append(DocParagraph(p, view_text(segs, ORIGINAL_STATES), styles.style_id(p) or "",
                                styles.outline_level(p), num, in_table(p), before, rendered,
                                rendered > 0 and _break_leads(p),
                                tuple(field_spans(segs, ORIGINAL_STATES))))
    return out


def _breaks(p) -> tuple[int, int]:
    explicit = sum(1 for br in p.iter(W_NS + "br") if br.get(f"{W_NS}type") == "page")
    rendered = sum(1 for _ in p.iter(W_NS + "lastRenderedPageBreak"))
    sect = p.find(f"{W_NS}pPr/{W_NS}sectPr")
    if sect is not None:
        kind = sect.find(W_NS + "type")
        if kind is None or kind.get(f"{W_NS}val") in (None, "nextPage", "oddPage", "evenPage"):
            explicit += 1
    return explicit, rendered


def _break_leads(p) -> bool:
    """True when the paragraph's first rendered page break precedes its first text."""
    for el in p.iter(W_NS + "lastRenderedPageBreak", W_NS + "t"):
        return el.tag != W_NS + "t"
    return False
