"""Edit a .docx the way a person does in Word: comments, replies, tracked and untracked edits.

A test toolkit, written apart from consult's own writer on purpose: the files it makes are the
"returns" consult must read, so a mistake shared by both would go unseen. It writes what Word
writes (checked against Word-saved files in ../shared/corpus/real/): w:del/w:delText followed
by w:ins, comment ranges with a CommentReference run, comments.xml plus commentsExtended.xml
for replies and resolved state, and an inserted paragraph as an inserted paragraph mark.

    doc = Docx.open("Group 1.docx")
    c = add_comment(doc, "This policy sets out", "Why?", "Priya Shah", "PS", DATE)
    track_replace(doc, "We believe that", "broad and balanced", "broad, balanced", "PS", DATE)
    doc.save("Group 1 - comments.docx")

A ``snippet`` picks the one body paragraph whose current text (deleted text left out) holds
it; words to change are looked for from where the snippet starts. Offsets never cross a tracked
change that is already there. Every w:id is one more than the largest of its kind in the file.
"""
from __future__ import annotations

import copy
import posixpath
import zipfile
from pathlib import Path
from typing import NamedTuple

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DCTERMS = "http://purl.org/dc/terms/"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

REL_OFFICE_DOCUMENT = f"{R}/officeDocument"
REL_COMMENTS = f"{R}/comments"
REL_COMMENTS_EXT = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
REL_STYLES = f"{R}/styles"
REL_STYLES_WITH_EFFECTS = ("http://schemas.microsoft.com/office/2007/relationships/"
                           "stylesWithEffects")
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
CT_COMMENTS = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CT_COMMENTS_EXT = ("application/vnd.openxmlformats-officedocument.wordprocessingml."
                   "commentsExtended+xml")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)        # what Word writes on every entry
REVISION_TAGS = ("ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange")
TEXT_OF = {"t": None, "tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
FIRST_PARA_ID = 0x1C0FFEE0              # comment paragraph ids count up from here
COMMENT_STYLES = (
    ("character", "CommentReference", "annotation reference", "DefaultParagraphFont", "16"),
    ("paragraph", "CommentText", "annotation text", "Normal", "20"),
)


def w(name: str) -> str:
    """``"p"`` -> ``"{...wordprocessingml/2006/main}p"``."""
    return f"{{{W}}}{name}"


def el(name: str, attrs: dict | None = None, *children) -> etree._Element:
    """A ``w:`` element with ``w:`` attributes (in the order given) and children."""
    node = etree.Element(w(name))
    for key, value in (attrs or {}).items():
        node.set(w(key), str(value))
    node.extend(children)
    return node


# -- the package ------------------------------------------------------------------------------

class Docx:
    """A .docx held in memory: raw parts in their zip order, XML parts parsed when touched."""

    def __init__(self, parts: dict[str, bytes]) -> None:
        self.parts = parts
        self._xml: dict[str, etree._Element] = {}
        self.main = self._target("", REL_OFFICE_DOCUMENT) or "word/document.xml"

    @classmethod
    def open(cls, path: str | Path) -> "Docx":
        with zipfile.ZipFile(path) as z:
            return cls({name: z.read(name) for name in z.namelist()})

    def xml(self, name: str) -> etree._Element:
        if name not in self._xml:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            self._xml[name] = etree.fromstring(self.parts[name], parser)
        return self._xml[name]

    def save(self, path: str | Path) -> Path:
        """Write the package; the same edits give the same bytes."""
        for name, root in self._xml.items():
            self.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                              standalone=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.parts.items():
                info = zipfile.ZipInfo(name, ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, data)
        return Path(path)

    @property
    def body(self) -> etree._Element:
        return self.xml(self.main).find(w("body"))

    def related(self, rtype: str) -> str | None:
        """The part the main document relates to with type ``rtype``."""
        return self._target(self.main, rtype)

    def _rels_name(self, source: str) -> str:
        folder, name = posixpath.split(source)
        return posixpath.join(folder, "_rels", name + ".rels")

    def _target(self, source: str, rtype: str) -> str | None:
        rels = self._rels_name(source)
        if rels not in self.parts:
            return None
        for rel in self.xml(rels).iter(f"{{{PR}}}Relationship"):
            if rel.get("Type") == rtype and rel.get("TargetMode") != "External":
                target = rel.get("Target") or ""
                if target.startswith("/"):
                    return target[1:]
                return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        return None

    def add_part(self, name: str, root: etree._Element, ctype: str, rtype: str) -> None:
        """A new XML part, related from the main document, with its content type."""
        self.parts[name] = b""
        self._xml[name] = root
        types = self.xml("[Content_Types].xml")
        etree.SubElement(types, f"{{{CT}}}Override", PartName="/" + name, ContentType=ctype)
        rels = self.xml(self._rels_name(self.main))
        used = {rel.get("Id") for rel in rels}
        n = 1
        while f"rId{n}" in used:
            n += 1
        target = posixpath.relpath(name, posixpath.dirname(self.main))
        etree.SubElement(rels, f"{{{PR}}}Relationship", Id=f"rId{n}", Type=rtype,
                         Target=target)

    def next_id(self, tags: tuple[str, ...], parts: tuple[str, ...] = ()) -> int:
        """One more than the largest w:id on elements named ``tags`` (main document + parts)."""
        names = [self.main] + [p for p in parts if p]
        ids = [int(node.get(w("id")))
               for part in names for tag in tags for node in self.xml(part).iter(w(tag))
               if (node.get(w("id")) or "").lstrip("-").isdigit()]
        return max(ids, default=-1) + 1


# -- paragraph text and run splitting ---------------------------------------------------------

class Seg(NamedTuple):
    """One piece of a paragraph's current text: a w:t (or tab, break) inside a run."""

    node: etree._Element
    run: etree._Element
    start: int
    end: int


def segments(p: etree._Element) -> list[Seg]:
    """The current text of ``p`` (deleted text left out), piece by piece."""
    out, pos = [], 0
    for run in p.iter(w("r")):
        if _inside(run, p, "del"):
            continue
        for child in run:
            if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{W}}}"):
                continue
            name = etree.QName(child).localname
            if name not in TEXT_OF:
                continue
            text = (child.text or "") if name == "t" else TEXT_OF[name]
            out.append(Seg(child, run, pos, pos + len(text)))
            pos += len(text)
    return out


def paragraph_text(p: etree._Element) -> str:
    return "".join(_seg_text(s) for s in segments(p))


def _seg_text(seg: Seg) -> str:
    name = etree.QName(seg.node).localname
    return (seg.node.text or "") if name == "t" else TEXT_OF[name]


def _inside(node, p, name: str) -> bool:
    node = node.getparent()
    while node is not None and node is not p:
        if node.tag == w(name):
            return True
        node = node.getparent()
    return False


def find_paragraph(doc: Docx, snippet: str) -> etree._Element:
    """The one body paragraph whose current text contains ``snippet``."""
    found = [p for p in doc.body.iter(w("p")) if snippet in paragraph_text(p)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} paragraphs contain {snippet!r}; give a snippet that "
                          "picks exactly one.")
    return found[0]


def locate(doc: Docx, snippet: str, words: str | None = None) -> tuple[etree._Element, int, int]:
    """(paragraph, start, end) of ``words`` (default: the snippet), searched from the snippet."""
    p = find_paragraph(doc, snippet)
    text = paragraph_text(p)
    at = text.index(snippet)
    if words is None:
        return p, at, at + len(snippet)
    start = text.find(words, at)
    if start < 0:
        raise LookupError(f"{words!r} does not follow {snippet!r} in its paragraph.")
    return p, start, start + len(words)


def split_at(p: etree._Element, k: int) -> None:
    """Make offset ``k`` of the paragraph's current text fall between two runs."""
    for seg in segments(p):
        if seg.start < k < seg.end:             # only a w:t can be longer than one
            _split_run(seg.run, seg.node, k - seg.start)
            return
        if seg.start == k:
            if _first_content(seg.run) is not seg.node:
                _split_run(seg.run, seg.node, 0)
            return


def _first_content(run):
    return next((c for c in run if c.tag != w("rPr")), None)


def _split_run(run, node, at: int) -> None:
    """Split ``run`` so that ``node`` from character ``at`` on starts a new run after it."""
    new = etree.Element(run.tag, dict(run.attrib))
    rpr = run.find(w("rPr"))
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    following = list(node.itersiblings())
    if at:
        tail = etree.Element(node.tag)
        tail.text, node.text = node.text[at:], node.text[:at]
        _preserve(node)
        moving = [_preserve(tail)] + following
    else:
        moving = [node] + following
    new.extend(moving)
    run.addnext(new)


def _preserve(t):
    t.set(XML_SPACE, "preserve")
    return t


def isolate(p: etree._Element, start: int, end: int) -> list[etree._Element]:
    """The runs (children of ``p``) that hold exactly the text ``start``..``end``."""
    split_at(p, end)
    split_at(p, start)
    runs = []
    for seg in segments(p):
        if start <= seg.start and seg.end <= end and seg.end > seg.start \
                and seg.run not in runs:
            runs.append(seg.run)
    for run in runs:
        if run.getparent() is not p:
            raise ValueError(f"the text {paragraph_text(p)[start:end]!r} is inside a tracked "
                             "change, hyperlink or field; edit plain text only.")
    return runs


def text_run(text: str, rpr=None) -> etree._Element:
    run = el("r")
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, w("t"))
    t.text = text
    if text != text.strip():
        _preserve(t)
    return run


def _span(runs: list) -> list:
    """``runs`` and whatever sits between them (comment markers, bookmarks), in order."""
    out = [runs[0]]
    while out[-1] is not runs[-1]:
        out.append(out[-1].getnext())
    return out


# -- tracked changes --------------------------------------------------------------------------

def _rev_attrs(doc: Docx, author: str, date: str | None) -> dict:
    attrs = {"id": doc.next_id(REVISION_TAGS), "author": author}
    if date:
        attrs["date"] = date
    return attrs


def _wrap_deleted(doc: Docx, runs: list, author: str, date: str | None) -> etree._Element:
    wrapper = el("del", _rev_attrs(doc, author, date))
    runs[0].addprevious(wrapper)
    for node in _span(runs):
        wrapper.append(node)
    for t in wrapper.iter(w("t")):
        t.tag = w("delText")
    return wrapper


def _inserted(doc: Docx, text: str, rpr, author: str, date: str | None) -> etree._Element:
    return el("ins", _rev_attrs(doc, author, date), text_run(text, rpr))


def track_replace(doc: Docx, snippet: str, old: str, new: str, author: str,
                  date: str | None = None) -> None:
    """Select ``old`` and type ``new`` over it with Track Changes on: w:del then w:ins."""
    p, start, end = locate(doc, snippet, old)
    runs = isolate(p, start, end)
    deleted = _wrap_deleted(doc, runs, author, date)
    deleted.addnext(_inserted(doc, new, runs[0].find(w("rPr")), author, date))


def track_format(doc: Docx, snippet: str, words: str, props: dict[str, str | None],
                 author: str, date: str | None = None) -> None:
    """Select ``words`` and change their formatting with Track Changes on: each run gets the
    new properties (``{"b": None}``, ``{"color": "C00000"}``) and a w:rPrChange holding the
    old. Properties go in schema order only for the few names in RPR_ORDER."""
    p, start, end = locate(doc, snippet, words)
    attrs = _rev_attrs(doc, author, date)
    for run in isolate(p, start, end):
        old = run.find(w("rPr"))
        new = copy.deepcopy(old) if old is not None else el("rPr")
        for name, value in props.items():
            for same in new.findall(w(name)):
                new.remove(same)
            prop = el(name, {"val": value} if value is not None else None)
            rank = RPR_ORDER.index(name)
            later = [c for c in new if etree.QName(c).localname in RPR_ORDER[rank + 1:]]
            if later:
                later[0].addprevious(prop)
            else:
                new.append(prop)
        before = el("rPr")
        for child in (old if old is not None else []):
            before.append(copy.deepcopy(child))
        new.append(el("rPrChange", attrs, before))
        if old is not None:
            run.remove(old)
        run.insert(0, new)


RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "color",
             "sz", "szCs", "highlight", "u")


def track_delete(doc: Docx, snippet: str, words: str, author: str,
                 date: str | None = None) -> None:
    """Select ``words`` and press Delete with Track Changes on."""
    p, start, end = locate(doc, snippet, words)
    _wrap_deleted(doc, isolate(p, start, end), author, date)


def track_insert(doc: Docx, snippet: str, after: str, text: str, author: str,
                 date: str | None = None) -> None:
    """Click just after ``after`` and type ``text`` with Track Changes on."""
    p, _, end = locate(doc, snippet, after)
    split_at(p, end)
    before = [s for s in segments(p) if s.end == end and s.end > s.start][-1]
    if before.run.getparent() is not p:
        raise ValueError(f"{after!r} ends inside a tracked change; insert after plain text.")
    before.run.addnext(_inserted(doc, text, before.run.find(w("rPr")), author, date))


def track_insert_paragraph_after(doc: Docx, snippet: str, text: str, author: str,
                                 date: str | None = None) -> etree._Element:
    """Click at the end of the paragraph, press Enter and type ``text``, tracking on.

    Word records the new paragraph mark, which now ends the paragraph clicked in, as inserted
    (w:pPr/w:rPr/w:ins there); the typed text sits in the new paragraph, which keeps the old
    mark and so the old paragraph properties.
    """
    return _new_paragraph(doc, snippet, text, author, date, after=True)


def track_insert_paragraph_before(doc: Docx, snippet: str, text: str, author: str,
                                  date: str | None = None) -> etree._Element:
    """Click at the start of the paragraph, type ``text`` and press Enter, tracking on.

    The new paragraph's own mark is the inserted one (as in Open-XML-PowerTools'
    RevTracking_009-InsertedParagraph.docx, saved by Word).
    """
    return _new_paragraph(doc, snippet, text, author, date, after=False)


def _new_paragraph(doc: Docx, snippet: str, text: str, author: str, date: str | None,
                   after: bool) -> etree._Element:
    """A tracked paragraph next to the snippet's; the mark between the two is inserted."""
    p = find_paragraph(doc, snippet)
    new = _paragraph_like(p)
    (p.addnext if after else p.addprevious)(new)
    _mark_inserted(p if after else new, _rev_attrs(doc, author, date))
    new.append(_inserted(doc, text, None, author, date))
    return new


def _paragraph_like(p) -> etree._Element:
    """An empty paragraph with the properties of ``p`` (not its section or tracked marks)."""
    if p.find(f"{w('pPr')}/{w('sectPr')}") is not None:
        raise ValueError("the paragraph ends a document section; pick another one.")
    new = el("p")
    ppr = p.find(w("pPr"))
    if ppr is not None:
        new_ppr = copy.deepcopy(ppr)
        for mark in new_ppr.iterfind(f"{w('rPr')}/*"):
            if etree.QName(mark).localname in ("ins", "del"):
                mark.getparent().remove(mark)
        new.append(new_ppr)
    return new


def _mark_inserted(p, attrs: dict) -> None:
    """w:pPr/w:rPr/w:ins, each created in schema order (rPr comes before sectPr, pPrChange)."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = el("pPr")
        p.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = el("rPr")
        later = [c for c in ppr if c.tag in (w("sectPr"), w("pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, el("ins", attrs))         # w:ins is the first child of CT_ParaRPr


# -- untracked edits --------------------------------------------------------------------------

def untracked_replace(doc: Docx, snippet: str, old: str, new: str) -> None:
    """Type ``new`` over ``old`` with Track Changes off: no trace is left."""
    p, start, end = locate(doc, snippet, old)
    runs = isolate(p, start, end)
    first = runs[0]
    for child in [c for c in first if c.tag != w("rPr")]:
        first.remove(child)
    t = etree.SubElement(first, w("t"))
    t.text = new
    if new != new.strip():
        _preserve(t)
    for run in runs[1:]:
        run.getparent().remove(run)


def untracked_delete_paragraph(doc: Docx, snippet: str) -> None:
    """Select a whole paragraph, mark included, and delete it with Track Changes off."""
    p = find_paragraph(doc, snippet)
    if p.find(f"{w('pPr')}/{w('sectPr')}") is not None:
        raise ValueError("the paragraph ends a document section; pick another one.")
    p.getparent().remove(p)


def untracked_split_paragraph(doc: Docx, snippet: str, before: str) -> etree._Element:
    """Click just before ``before`` and press Enter with Track Changes off; return part one."""
    p, start, _ = locate(doc, snippet, before)
    split_at(p, start)
    first_seg = next(s for s in segments(p) if s.start == start and s.end > s.start)
    if first_seg.run.getparent() is not p:
        raise ValueError(f"{before!r} starts inside a tracked change; split at plain text.")
    first = _paragraph_like(p)
    for node in list(first_seg.run.itersiblings(preceding=True))[::-1]:
        if node.tag != w("pPr"):
            first.append(node)
    p.addprevious(first)
    return first


def delete_cover_page(doc: Docx, style: str = "ConsultCover") -> int:
    """Delete the leading paragraphs in ``style`` (a pack's cover page), untracked."""
    removed = 0
    for p in list(doc.body):
        if p.tag != w("p") or p.find(f"{w('pPr')}/{w('pStyle')}[@{w('val')}='{style}']") is None:
            break
        doc.body.remove(p)
        removed += 1
    return removed


def set_author_in_core(doc: Docx, last_modified_by: str, modified: str | None = None) -> None:
    """Core properties as Word leaves them on save: who saved, when, one more revision."""
    core = doc._target("", REL_CORE) or "docProps/core.xml"
    root = doc.xml(core)
    _core_value(root, f"{{{CP}}}lastModifiedBy", last_modified_by)
    if modified:
        _core_value(root, f"{{{DCTERMS}}}modified", modified).set(
            "{http://www.w3.org/2001/XMLSchema-instance}type", "dcterms:W3CDTF")
    revision = root.find(f"{{{CP}}}revision")
    if revision is not None and (revision.text or "").isdigit():
        revision.text = str(int(revision.text) + 1)


def _core_value(root, tag: str, value: str):
    node = root.find(tag)
    if node is None:
        node = etree.SubElement(root, tag)
    node.text = value
    return node


# -- comments ---------------------------------------------------------------------------------

def add_comment(doc: Docx, snippet: str | None, text: str, author: str, initials: str,
                date: str | None = None, reply_to: int | None = None,
                resolved: bool = False, words: str | None = None) -> int:
    """A comment on ``snippet`` (or on ``words`` after it), or a reply to comment ``reply_to``.

    Returns the comment's w:id. ``text`` may hold several paragraphs separated by "\\n". A
    reply shares its parent's range, as Word writes it; ``resolved`` is Word's "Resolve"
    (w15:done="1").
    """
    comments = _comments_root(doc)
    cid = doc.next_id(("comment",), (doc.related(REL_COMMENTS),))
    parent = None if reply_to is None else _last_para_id(comments, reply_to)
    if reply_to is None:
        _mark_range(doc, snippet, words, cid)
    else:
        _mark_reply(doc, reply_to, cid)
    paragraphs = _comment_paragraphs(doc, text)
    attrs = {"id": cid, "author": author}
    if date:
        attrs["date"] = date
    attrs["initials"] = initials
    comments.append(el("comment", attrs, *paragraphs))
    ex = etree.SubElement(_comments_ext_root(doc), f"{{{W15}}}commentEx")
    ex.set(f"{{{W15}}}paraId", paragraphs[-1].get(f"{{{W14}}}paraId"))
    if parent is not None:
        ex.set(f"{{{W15}}}paraIdParent", parent)
    ex.set(f"{{{W15}}}done", "1" if resolved else "0")
    return cid


def _mark_range(doc: Docx, snippet: str | None, words: str | None, cid: int) -> None:
    if snippet is None:
        raise ValueError("a comment that is not a reply needs a snippet to anchor it.")
    p, start, end = locate(doc, snippet, words)
    runs = isolate(p, start, end)
    first, last = _top(runs[0], p), _top(runs[-1], p)
    first.addprevious(el("commentRangeStart", {"id": cid}))
    last.addnext(el("commentRangeEnd", {"id": cid}))
    last.getnext().addnext(_reference_run(cid))


def _mark_reply(doc: Docx, parent: int, cid: int) -> None:
    """Word's layout: start markers side by side, then each End with its reference run."""
    body = doc.body
    start = body.find(f".//{w('commentRangeStart')}[@{w('id')}='{parent}']")
    ref = body.find(f".//{w('commentReference')}[@{w('id')}='{parent}']")
    if start is None or ref is None:
        raise LookupError(f"comment {parent} has no range in the document to reply to.")
    start.addnext(el("commentRangeStart", {"id": cid}))
    anchor = ref.getparent()
    while anchor.getnext() is not None and (
            anchor.getnext().tag == w("commentRangeEnd")
            or anchor.getnext().find(w("commentReference")) is not None):
        anchor = anchor.getnext()
    anchor.addnext(el("commentRangeEnd", {"id": cid}))
    anchor.getnext().addnext(_reference_run(cid))


def _top(node, p):
    while node.getparent() is not p:
        node = node.getparent()
    return node


def _reference_run(cid: int) -> etree._Element:
    return el("r", None, el("rPr", None, el("rStyle", {"val": "CommentReference"})),
              el("commentReference", {"id": cid}))


def _comment_paragraphs(doc: Docx, text: str) -> list:
    out = []
    for k, line in enumerate(text.split("\n")):
        p = el("p", None, el("pPr", None, el("pStyle", {"val": "CommentText"})))
        p.set(f"{{{W14}}}paraId", _new_para_id(doc, out))
        p.set(f"{{{W14}}}textId", "77777777")
        if k == 0:
            p.append(el("r", None, el("rPr", None, el("rStyle", {"val": "CommentReference"})),
                        el("annotationRef")))
        if line:
            p.append(text_run(line))
        out.append(p)
    return out


def _new_para_id(doc: Docx, pending: list) -> str:
    used = {p.get(f"{{{W14}}}paraId") for part in (doc.main, doc.related(REL_COMMENTS))
            for p in doc.xml(part).iter(w("p"))}
    used |= {p.get(f"{{{W14}}}paraId") for p in pending}
    n = FIRST_PARA_ID
    while f"{n:08X}" in used:
        n += 1
    return f"{n:08X}"


def _last_para_id(comments, cid: int) -> str:
    comment = comments.find(f"{w('comment')}[@{w('id')}='{cid}']")
    if comment is None:
        raise LookupError(f"there is no comment {cid} to reply to.")
    return comment.findall(w("p"))[-1].get(f"{{{W14}}}paraId")


def _comments_root(doc: Docx) -> etree._Element:
    name = doc.related(REL_COMMENTS)
    if name is None:
        root = etree.Element(w("comments"), nsmap={"w": W, "w14": W14, "w15": W15, "mc": MC,
                                                    "r": R})
        root.set(f"{{{MC}}}Ignorable", "w14 w15")
        name = posixpath.join(posixpath.dirname(doc.main), "comments.xml")
        doc.add_part(name, root, CT_COMMENTS, REL_COMMENTS)
        _add_comment_styles(doc)
    return doc.xml(name)


def _comments_ext_root(doc: Docx) -> etree._Element:
    name = doc.related(REL_COMMENTS_EXT)
    if name is None:
        root = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15, "mc": MC})
        root.set(f"{{{MC}}}Ignorable", "w15")
        name = posixpath.join(posixpath.dirname(doc.main), "commentsExtended.xml")
        doc.add_part(name, root, CT_COMMENTS_EXT, REL_COMMENTS_EXT)
    return doc.xml(name)


def _add_comment_styles(doc: Docx) -> None:
    """The two styles Word adds with the first comment, when the file lacks them: in
    styles.xml and, as Word keeps them alike, in stylesWithEffects.xml when there is one."""
    for rtype in (REL_STYLES, REL_STYLES_WITH_EFFECTS):
        name = doc.related(rtype)
        if name is not None:
            _add_styles(doc.xml(name))


def _add_styles(styles) -> None:
    have = {s.get(w("styleId")) for s in styles.iter(w("style"))}
    for kind, style_id, ui_name, based_on, size in COMMENT_STYLES:
        if style_id in have:
            continue
        style = el("style", {"type": kind, "styleId": style_id}, el("name", {"val": ui_name}))
        if based_on in have:
            style.append(el("basedOn", {"val": based_on}))
        style.extend([el("uiPriority", {"val": "99"}), el("semiHidden"), el("unhideWhenUsed"),
                      el("rPr", None, el("sz", {"val": size}), el("szCs", {"val": size}))])
        styles.append(style)


# -- scripting returns ------------------------------------------------------------------------

PLAIN_CHILDREN = ("pPr", "r", "bookmarkStart", "bookmarkEnd", "proofErr")


def plain_paragraphs(doc: Docx, min_words: int = 4,
                     skip_styles: tuple[str, ...] = ("ConsultCover", "ConsultNote")
                     ) -> list[str]:
    """The texts of body paragraphs (not in tables, not in ``skip_styles``: a pack's cover
    page and notes) that hold only plain runs (no tracked change, hyperlink, field or content
    control) and whose text no other paragraph contains: each is a snippet that picks its
    paragraph, and any words in it can be edited."""
    texts = [paragraph_text(p) for p in doc.body.iter(w("p"))]
    out = []
    for p in doc.body.findall(w("p")):
        style = p.find(f"{w('pPr')}/{w('pStyle')}")
        if style is not None and style.get(w("val")) in skip_styles:
            continue
        if any(etree.QName(c).localname not in PLAIN_CHILDREN for c in p
               if isinstance(c.tag, str)):
            continue
        if p.find(f".//{w('fldChar')}") is not None or p.find(f".//{w('instrText')}") is not None:
            continue
        if p.find(f"{w('pPr')}/{w('sectPr')}") is not None:
            continue
        text = paragraph_text(p)
        if len(text.split()) < min_words or text != text.strip() or "\t" in text:
            continue
        if sum(text in t for t in texts) == 1:
            out.append(text)
    return out


def split_runs(doc: Docx, snippet: str, offsets: list[int]) -> None:
    """Cut the paragraph's runs at these offsets of its text (formatting kept): what Word's
    own saves look like after spell-checking or editing, so that later marks cross runs."""
    p = find_paragraph(doc, snippet)
    for k in sorted(offsets):
        split_at(p, k)


def words_at(text: str, fraction: float, n: int = 2) -> tuple[int, int]:
    """(start, end) of ``n`` whole words of ``text`` starting about ``fraction`` of the way."""
    import re
    spans = [m.span() for m in re.finditer(r"\S+", text)]
    n = max(1, min(n, len(spans)))
    k = min(len(spans) - n, int(len(spans) * fraction))
    return spans[k][0], spans[k + n - 1][1]


def unique_words(doc: Docx) -> set[str]:
    """Words of four letters or more that occur once in the body (deleted text included)."""
    import re
    words: dict[str, int] = {}
    for t in doc.body.iter(w("t"), w("delText")):
        for word in re.findall(r"\w{4,}", t.text or ""):
            words[word] = words.get(word, 0) + 1
    return {k for k, n in words.items() if n == 1}


def retype_beside_own_change(doc: Docx, new: str) -> str:
    """Type ``new`` over a word of a plain run in a paragraph that also holds tracked changes
    (the draft's own, in a pack), with Track Changes off; return the word."""
    import re
    unique = unique_words(doc)
    for p in doc.body.iter(w("p")):
        if not any(p.find(w(n)) is not None for n in ("del", "ins", "moveFrom", "moveTo")):
            continue
        for t in p.findall(f"{w('r')}/{w('t')}"):
            for word in re.findall(r"\w{4,}", t.text or ""):
                if word in unique and not word.isdigit():
                    t.text = t.text.replace(word, new, 1)
                    return word
    raise LookupError("no plain word beside tracked changes")
