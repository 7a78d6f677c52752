"""Remove paragraphs from a body and tidy what they leave behind."""
from __future__ import annotations

from .ns import W, qn
from .package import Package
from .parts import drop_part
from .textview import body_paragraphs

W_NS = f"{{{W}}}"
COMMENT_MARKERS = ("commentRangeStart", "commentRangeEnd")
PAIRS = (("bookmarkStart", "bookmarkEnd"), ("permStart", "permEnd"),
         ("moveFromRangeStart", "moveFromRangeEnd"), ("moveToRangeStart", "moveToRangeEnd"))


def remove_paragraphs(body, doomed: list) -> None:
    """Remove the given w:p elements; drop tables and content controls left empty."""
    for p in doomed:
        parent = p.getparent()
        if parent is not None:
            parent.remove(p)
    _drop_empty_blocks(body)
    remove_unpaired_markers(body)


def _drop_empty_blocks(body) -> None:
    for name in ("tbl", "sdt"):
        for block in list(body.iter(W_NS + name)):
            if _inside_paragraph(block):
                continue            # an inline content control, not a block
            if next(body_paragraphs(block), None) is None and block.getparent() is not None:
                block.getparent().remove(block)
    for tc in list(body.iter(W_NS + "tc")):
        if tc.find(W_NS + "p") is None and tc.find(W_NS + "tbl") is None:
            tc.append(tc.makeelement(W_NS + "p", {}))


def _inside_paragraph(el) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag == W_NS + "p":
            return True
        node = node.getparent()
    return False


def remove_unpaired_markers(root) -> None:
    """Drop range starts without ends and ends without starts (bookmarks, permissions)."""
    for start_name, end_name in PAIRS:
        starts = {el.get(qn("w:id")): el for el in root.iter(W_NS + start_name)}
        ends = {el.get(qn("w:id")): el for el in root.iter(W_NS + end_name)}
        for key in set(starts) ^ set(ends):
            el = starts.get(key) if key in starts else ends.get(key)
            el.getparent().remove(el)


def strip_comments(pkg: Package, root) -> int:
    """Remove every comment marker and reference from ``root`` and the comment parts."""
    count = 0
    for name in COMMENT_MARKERS:
        for el in list(root.iter(W_NS + name)):
            el.getparent().remove(el)
    for ref in list(root.iter(W_NS + "commentReference")):
        run = ref.getparent()
        run.remove(ref)
        count += 1
        if run.tag == W_NS + "r" and all(c.tag == W_NS + "rPr" for c in run):
            run.getparent().remove(run)
    for suffix in ("/comments", "/commentsExtended", "/commentsIds", "/commentsExtensible"):
        part = pkg.related(pkg.main, suffix)
        if part:
            drop_part(pkg, part)
    return count


W14_PARA_ID = "{http://schemas.microsoft.com/office/word/2010/wordml}paraId"
W15_PARA_ID = "{http://schemas.microsoft.com/office/word/2012/wordml}paraId"
W16CID = "http://schemas.microsoft.com/office/word/2016/wordml/cid"


def drop_orphan_comments(pkg: Package, root) -> int:
    """After paragraphs went, remove the comments whose reference went with them (and their
    range markers and entries in the comment parts); return how many were removed."""
    part = pkg.related(pkg.main, "/comments")
    refs = {el.get(qn("w:id")) for el in root.iter(W_NS + "commentReference")}
    for name in COMMENT_MARKERS:
        for el in list(root.iter(W_NS + name)):
            if el.get(qn("w:id")) not in refs:
                el.getparent().remove(el)
    if part is None:
        return 0
    comments = pkg.xml(part)
    gone_paras: set[str] = set()
    count = 0
    for c in list(comments.findall(W_NS + "comment")):
        if c.get(qn("w:id")) not in refs:
            gone_paras |= {p.get(W14_PARA_ID) for p in c.iter(W_NS + "p") if p.get(W14_PARA_ID)}
            comments.remove(c)
            count += 1
    gone_paras |= _dangling(pkg, comments)
    _drop_entries(pkg, "/commentsExtended", W15_PARA_ID, gone_paras)
    durable = _drop_entries(pkg, "/commentsIds", f"{{{W16CID}}}paraId", gone_paras,
                            f"{{{W16CID}}}durableId")
    _drop_entries(pkg, "/commentsExtensible", None, durable)
    return count


def drop_dangling_threads(pkg: Package) -> int:
    """Remove the thread entries (commentsExtended, commentsIds) naming no comment's last
    paragraph, and the commentsExtensible entries only they named; return how many comment
    paragraphs they named."""
    part = pkg.related(pkg.main, "/comments")
    if part is None:
        return 0
    gone = _dangling(pkg, pkg.xml(part))
    _drop_entries(pkg, "/commentsExtended", W15_PARA_ID, gone)
    durable = _drop_entries(pkg, "/commentsIds", f"{{{W16CID}}}paraId", gone,
                            f"{{{W16CID}}}durableId")
    _drop_entries(pkg, "/commentsExtensible", None, durable)
    return len(gone)


def _dangling(pkg: Package, comments) -> set[str]:
    """The paragraph ids of thread entries (commentsExtended, commentsIds) naming no comment's
    last paragraph: Word reads them as broken (a draft may carry some)."""
    lasts = set()
    for c in comments.findall(W_NS + "comment"):
        paras = c.findall(W_NS + "p")
        if paras and paras[-1].get(W14_PARA_ID):
            lasts.add(paras[-1].get(W14_PARA_ID))
    named = set()
    for suffix, key in (("/commentsExtended", W15_PARA_ID),
                        ("/commentsIds", f"{{{W16CID}}}paraId")):
        part = pkg.related(pkg.main, suffix)
        if part is not None:
            named |= {e.get(key) for e in pkg.xml(part) if isinstance(e.tag, str) and e.get(key)}
    return named - lasts


def _drop_entries(pkg: Package, suffix: str, key: str | None, values: set[str],
                  keep: str | None = None) -> set[str]:
    """Remove the children of a comment part whose ``key`` attribute (any attribute ending
    in durableId when None) is in ``values``; return their ``keep`` attributes."""
    part = pkg.related(pkg.main, suffix)
    out: set[str] = set()
    if part is None or not values:
        return out
    root = pkg.xml(part)
    for child in list(root):
        if not isinstance(child.tag, str):
            continue
        value = child.get(key) if key else next(
            (v for k, v in child.attrib.items() if k.endswith("}durableId")), None)
        if value in values:
            if keep and child.get(keep):
                out.add(child.get(keep))
            root.remove(child)
    return out
