"""Imported chunks (w:altChunk): another file's content (HTML, plain text, a Word document,
RTF) that the draft holds as one part, and that Word and LibreOffice turn into paragraphs of
their own when they open the file, so a re-saved return holds them as plain paragraphs."""
from __future__ import annotations

from lxml import etree, html

from ..errors import InputError
from .annotations import own_keys, read_file_annotations
from .comments_read import comment_key
from .ns import qn
from .package import Package, parse_xml
from .textview import ACCEPTED_STATES, W_NS, body_paragraphs, segments, view_text

Chunk = tuple       # (draft paragraph it follows, -1 at the start; its kind; its lines or None)
BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "pre", "dt", "dd",
          "caption", "blockquote", "div", "address")
WORD_MAIN = "wordprocessingml.document.main+xml"


def alt_chunks(package: Package) -> tuple[list[Chunk], frozenset]:
    """The body's imported chunks in order, each with the paragraphs its content stands for
    when consult can read them (HTML, XHTML, plain text, a Word document), else None; and
    the keys of the tracked changes and comments a Word document chunk carries (they are
    the draft's when a return holds the chunk as paragraphs: see annotations.own_keys)."""
    body = package.body()
    if body.find(f".//{W_NS}altChunk") is None:
        return [], frozenset()
    index = {p: k for k, p in enumerate(body_paragraphs(body))}
    rels = package.rels(package.main)
    out: list[Chunk] = []
    keys: set = set()
    last = -1
    for el in body.iter(W_NS + "p", W_NS + "altChunk"):
        if el.tag == W_NS + "p":
            last = index.get(el, last)
            continue
        rel = rels.get(el.get(qn("r:id")) or "")
        target = rel[1] if rel and rel[1] in package.parts else ""
        kind = _kind(package, target) if target else "missing"
        lines, own = _read(package, target, kind) if target else (None, frozenset())
        out.append((last, kind, lines))
        keys |= own
    return out, frozenset(keys)


def _kind(package: Package, target: str) -> str:
    ctype = package.content_type(target).lower()
    data = package.parts[target][:8]
    if data.startswith(b"PK"):
        return "docx"
    if WORD_MAIN in ctype:
        return "document.xml"
    for key, kind in (("xhtml", "html"), ("html", "html"), ("text/plain", "text"),
                      ("rtf", "rtf"), ("rfc822", "mht")):
        if key in ctype:
            return kind
    return ctype or "unknown"


def _read(package: Package, target: str, kind: str) -> tuple[tuple[str, ...] | None, frozenset]:
    """The chunk's lines (None when it cannot be read) and its own changes' keys."""
    data = package.parts[target]
    try:
        if kind == "docx":
            inner = Package.from_bytes(f"{package.path} ({target})", data, package.limits)
            keys = set(own_keys([inner.body()]))
            keys |= {comment_key(c.author, c.date, c.text)
                     for c in read_file_annotations(inner).comments}
            return _word_lines(inner.body()), frozenset(keys)
        if kind == "document.xml":
            body = parse_xml(data, package.path, target, package.limits).find(W_NS + "body")
            return (_word_lines(body) if body is not None else None), frozenset()
        if kind == "html":
            return _html_lines(data), frozenset()
        if kind == "text":
            return tuple(data.decode("utf-8-sig", "replace").splitlines()), frozenset()
    except (InputError, etree.LxmlError, ValueError):
        pass
    return None, frozenset()


def _word_lines(body) -> tuple[str, ...]:
    return tuple(view_text(segments(p), ACCEPTED_STATES) for p in body_paragraphs(body))


def _html_lines(data: bytes) -> tuple[str, ...]:
    """The text of each block (a paragraph, heading, list item, cell) that holds no other."""
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
    root = html.document_fromstring(data, parser=parser)
    for bad in list(root.iter("script", "style", "head")):
        bad.drop_tree()
    out = []
    for el in root.iter(*BLOCKS):
        if any(True for _ in el.iterdescendants(*BLOCKS)):
            continue
        out.append(" ".join(el.text_content().split()))
    return tuple(out)
