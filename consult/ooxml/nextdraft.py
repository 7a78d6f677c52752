"""Read a tracked document's changes as a reader sees them; prune comments and consult's blocks."""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from .ns import NS, qn
from .boxes_part import fold_fallbacks
from .edit import reference_run
from .objects import described
from .package import Package
from .prune import remove_unpaired_markers, strip_comments
from .revisions import PR_CHANGES
from .textview import W_NS, accepted_text, body_paragraphs, mark_state, run_text, segments

W_AUTHOR, W_DATE, W_ID = qn("w:author"), qn("w:date"), qn("w:id")
W14_PARA_ID = qn("w14:paraId")
WRAPPED = {"ins": "insert", "del": "delete", "moveTo": "move-to", "moveFrom": "move-from"}
MARKS = {"ins": "paragraph-insert", "del": "paragraph-delete", "moveTo": "move-to",
         "moveFrom": "move-from"}
ROWS = {"ins": "row-insert", "del": "row-delete"}
FAMILY = {"insert": "insert", "paragraph-insert": "insert", "move-to": "insert",
          "row-insert": "insert", "delete": "delete", "paragraph-delete": "delete",
          "move-from": "delete", "row-delete": "delete", "format": "format",
          "paragraph-format": "format", "object-insert": "insert", "object-delete": "delete"}
JOINS = {"insert": "ins", "paragraph-insert": "ins", "delete": "del", "paragraph-delete": "del",
         "move-to": "moveTo", "move-from": "moveFrom", "format": "format"}
TEXT_NODES = {W_NS + n for n in ("t", "tab", "br", "cr", "noBreakHyphen", "sym")}
NOT_CONTENT = {W_NS + n for n in ("rPr", "trPr", "numPr", "tcPr")}
COMMENT_MARKERS = {W_NS + "commentRangeStart", W_NS + "commentRangeEnd"}
STORIES = ("/footnotes", "/endnotes", "/header", "/footer")
BLOCK_PARENTS = {W_NS + n for n in ("body", "tc", "sdtContent", "customXml")}


@dataclass
class Change:
    """Adjacent revision elements of one author and date: one change as a reader sees it."""

    kind: str               # insert, delete, move-to, move-from, format, paragraph-format,
    author: str             # paragraph-insert, paragraph-delete, row-insert, row-delete
    date: str | None
    text: str
    paragraph: int          # its paragraph in the original view (0-based; -1 outside the body)
    elements: list = field(default_factory=list)
    comments: set = field(default_factory=set)      # ids of flagged comments holding it
    note: str = ""          # "footnote 2" for a change in a note (set by consult.accept)

    @property
    def family(self) -> str:
        """insert, delete or format."""
        return FAMILY.get(self.kind, "format")


def author_of(node) -> str:
    """The w:author of a revision element ("" when it has none)."""
    return node.get(W_AUTHOR) or ""


def story_roots(pkg: Package) -> list:
    """The main document root, then footnotes, endnotes, headers and footers."""
    roots = [pkg.xml(pkg.main)]
    for rtype, target in sorted(pkg.rels(pkg.main).values(), key=lambda r: r[1]):
        if rtype.endswith(STORIES) and target in pkg.parts and target.endswith(".xml"):
            roots.append(pkg.xml(target))
    return roots


def comment_facts(pkg: Package) -> dict[str, tuple[str, str]]:
    """Comment id -> (author, text) from the comments part."""
    part = pkg.related(pkg.main, "/comments")
    if part is None:
        return {}
    return {c.get(W_ID) or "": (c.get(W_AUTHOR) or "",
                                "\n".join(accepted_text(p) for p in body_paragraphs(c)))
            for c in pkg.xml(part).iter(W_NS + "comment")}


def find_changes(root, flagged: set[str], in_body: bool = True) -> list[Change]:
    """Every tracked change under ``root`` in document order, with the flagged comments
    (by id) whose ranges hold it."""
    walker = _Walker(flagged, in_body)
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if isinstance(node.tag, str) and node.tag.startswith(W_NS):
            (walker.start if event == "start" else walker.end)(node, node.tag[len(W_NS):])
    return fold_fallbacks(walker.changes)       # a text box's two copies: one change


class _Walker:
    """Groups revision elements into changes while walking start and end events."""

    def __init__(self, flagged: set[str], in_body: bool) -> None:
        self.flagged, self.in_body = flagged, in_body
        self.open: set[str] = set()
        self.changes: list[Change] = []
        self.last: Change | None = None
        self.wrappers: set = set()
        self.runs = 0
        self.para = 0 if in_body else -1

    def start(self, node, name: str) -> None:
        parent = node.getparent()
        if name == "commentRangeStart" and node.get(W_ID) in self.flagged:
            self.open.add(node.get(W_ID))
        elif name == "commentRangeEnd":
            self.open.discard(node.get(W_ID))
        elif name == "r":
            self.runs += 1
        elif name in WRAPPED and parent is not None and parent.tag not in NOT_CONTENT:
            self.wrappers.add(node)
            text = "".join(s.text for s in segments(node) if s.state == "")
            self.atom(WRAPPED[name], node, text + described(node))
        elif name in ROWS and parent is not None and parent.tag == W_NS + "trPr":
            text = "\t".join(accepted_text(q) for q in body_paragraphs(parent.getparent()))
            self.atom(ROWS[name], node, text, join=False)
        elif name == "rPrChange":
            run = parent.getparent()
            self.atom("format", node, "".join(run_text(c) or "" for c in run)
                      if run.tag == W_NS + "r" else "")
        elif name == "pPrChange":
            self.atom("paragraph-format", node, accepted_text(parent.getparent()), join=False)
        elif name in PR_CHANGES or name in ("cellIns", "cellDel", "cellMerge") or (
                name == "ins" and parent is not None and parent.tag == W_NS + "numPr"):
            self.atom("paragraph-format" if name == "ins" else "format", node, "", join=False)
        elif node.tag in TEXT_NODES and not self.wrappers and not _formatted(parent):
            self.last = None

    def end(self, node, name: str) -> None:
        if node in self.wrappers:
            self.wrappers.discard(node)
        elif name == "r":
            self.runs -= 1
        elif name == "p":
            state, mark = mark_state(node)
            if state:
                self.atom(MARKS[state], mark, "\n")
            else:
                self.last = None
            if self.in_body and not self.runs and state not in ("ins", "moveTo") \
                    and not _in_inserted_row(node):
                self.para += 1

    def atom(self, kind: str, node, text: str, join: bool = True) -> None:
        author, date = node.get(W_AUTHOR) or "", node.get(W_DATE)
        last = self.last
        if (join and last is not None and JOINS.get(last.kind) == JOINS.get(kind)
                and (last.author, last.date) == (author, date)):
            last.elements.append(node)
            last.text += text
            last.comments |= self.open
            if last.kind.startswith("paragraph-") and not kind.startswith("paragraph-"):
                last.kind = kind
            return
        change = Change(kind, author, date, text, self.para, [node], set(self.open))
        self.changes.append(change)
        self.last = change if join else None


def _formatted(run) -> bool:
    """Whether ``run`` (a text node's parent) records a formatting change."""
    return run is not None and run.find(f"{W_NS}rPr/{W_NS}rPrChange") is not None


def _in_inserted_row(p) -> bool:
    node = p.getparent()
    while node is not None and node.tag != W_NS + "body":
        if node.tag == W_NS + "tr" and node.find(f"{W_NS}trPr/{W_NS}ins") is not None:
            return True
        node = node.getparent()
    return False


# -- comments -------------------------------------------------------------------------------
def prune_comments(pkg: Package, roots: list, keep: set[str]) -> tuple[int, int]:
    """Remove every comment but those in ``keep`` (and their replies); (removed, kept)."""
    part = pkg.related(pkg.main, "/comments")
    comments = pkg.xml(part).findall(W_NS + "comment") if part else []
    keep = _with_replies(pkg, comments, keep) if keep else set()
    keep = _anchored(pkg, roots, comments, keep)
    removed = sum(1 for c in comments if c.get(W_ID) not in keep)
    for root in roots:
        _drop_markers(root, keep)
    if not keep:
        strip_comments(pkg, roots[0])
        return removed, 0
    doomed_paras = set()
    for c in comments:
        if c.get(W_ID) not in keep:
            doomed_paras |= {p.get(W14_PARA_ID) for p in c.iter(W_NS + "p")}
            c.getparent().remove(c)
    _prune_extensions(pkg, doomed_paras - {None})
    return removed, len(comments) - removed


def _with_replies(pkg: Package, comments: list, keep: set[str]) -> set[str]:
    """``keep`` and every reply (at any depth) to a comment in it."""
    part = pkg.related(pkg.main, "/commentsExtended")
    if part is None:
        return set(keep)
    w15 = f"{{{NS['w15']}}}"
    parent_of = {ex.get(w15 + "paraId"): ex.get(w15 + "paraIdParent")
                 for ex in pkg.xml(part).iter(w15 + "commentEx")}
    id_of = {p.get(W14_PARA_ID): c.get(W_ID) for c in comments for p in c.iter(W_NS + "p")}
    out, grew = set(keep), True
    while grew:
        grew = False
        for para, parent in parent_of.items():
            cid = id_of.get(para)
            if parent and id_of.get(parent) in out and cid and cid not in out:
                out.add(cid)
                grew = True
    return out


def _anchored(pkg: Package, roots: list, comments: list, keep: set[str]) -> set[str]:
    """The comments of ``keep`` that the next draft can show: each kept comment needs a
    reference (Word's rule). A kept reply without one (some writers give replies none) gets
    a reference next to its nearest referenced ancestor's; a kept comment whose reference
    went with the text it was in, and ids comments.xml lacks, are not kept."""
    present = {c.get(W_ID) for c in comments}
    keep = keep & present
    refs = {e.get(W_ID): e for root in roots for e in root.iter(W_NS + "commentReference")}
    parent = _parents(pkg, comments)
    for cid in sorted(keep - set(refs), key=_id_key):
        seen, up = {cid}, parent.get(cid)
        while up and up not in refs and up not in seen:
            seen.add(up)
            up = parent.get(up)
        if up in refs and up in keep:
            run = refs[up].getparent()
            new = reference_run(cid)
            (run if run.tag == W_NS + "r" else refs[up]).addnext(new)
            refs[cid] = new.find(W_NS + "commentReference")
            _copy_range(roots, up, cid)
    return {cid for cid in keep if cid in refs}


def _copy_range(roots: list, parent: str, cid: str) -> None:
    """Give reply ``cid`` the range of ``parent`` (as Word writes replies), if it has none."""
    for root in roots:
        marks = [e for e in root.iter(*COMMENT_MARKERS) if e.get(W_ID) in (parent, cid)]
        if any(e.get(W_ID) == cid for e in marks):
            return
        for e in marks:
            e.addnext(etree.Element(e.tag, {W_ID: cid}))


def _id_key(cid: str) -> tuple[int, str]:
    return (int(cid), "") if cid.isdigit() else (1 << 62, cid)


def _parents(pkg: Package, comments: list) -> dict[str, str]:
    """Each reply's id -> its parent comment's id (from commentsExtended)."""
    part = pkg.related(pkg.main, "/commentsExtended")
    if part is None:
        return {}
    w15 = f"{{{NS['w15']}}}"
    id_of = {p.get(W14_PARA_ID): c.get(W_ID) for c in comments for p in c.iter(W_NS + "p")}
    out = {}
    for ex in pkg.xml(part).iter(w15 + "commentEx"):
        child, up = id_of.get(ex.get(w15 + "paraId")), id_of.get(ex.get(w15 + "paraIdParent"))
        if child and up and child != up:
            out[child] = up
    return out


def _drop_markers(root, keep: set[str]) -> None:
    for node in [e for e in root.iter(*COMMENT_MARKERS) if e.get(W_ID) not in keep]:
        node.getparent().remove(node)
    for ref in [e for e in root.iter(W_NS + "commentReference") if e.get(W_ID) not in keep]:
        run = ref.getparent()
        run.remove(ref)
        if run.tag == W_NS + "r" and all(c.tag == W_NS + "rPr" for c in run):
            run.getparent().remove(run)


def _prune_extensions(pkg: Package, paras: set[str]) -> None:
    """Drop commentsExtended / commentsIds / commentsExtensible entries of removed comments."""
    durable = set()
    for suffix in ("/commentsExtended", "/commentsIds"):
        part = pkg.related(pkg.main, suffix)
        for entry in list(pkg.xml(part)) if part else []:
            values = {etree.QName(k).localname: v for k, v in entry.attrib.items()}
            if values.get("paraId") in paras:
                durable.add(values.get("durableId"))
                entry.getparent().remove(entry)
    part = pkg.related(pkg.main, "/commentsExtensible")
    for entry in list(pkg.xml(part)) if part else []:
        values = {etree.QName(k).localname: v for k, v in entry.attrib.items()}
        if values.get("durableId") in durable - {None}:
            entry.getparent().remove(entry)


# -- consult's own blocks and settings ------------------------------------------------------
def remove_styled_blocks(root, prefix: str) -> int:
    """Remove body paragraphs whose style id starts with ``prefix``, and tables all of whose
    paragraphs do, then tidy the body; return how many blocks went."""
    body = root.find(W_NS + "body")
    doomed = []
    for child in body:
        if child.tag == W_NS + "p" and _style(child).startswith(prefix):
            doomed.append(child)
        elif child.tag == W_NS + "tbl":
            paras = list(body_paragraphs(child))
            if paras and all(_style(p).startswith(prefix) for p in paras):
                doomed.append(child)
    for block in doomed:
        body.remove(block)
    _drop_empty_tables(body)
    remove_unpaired_markers(body)
    _ensure_paragraph(body)
    return len(doomed)


def _drop_empty_tables(body) -> None:
    """Remove tables left without rows, and block content controls left without content."""
    for tbl in list(body.iter(W_NS + "tbl")):
        if tbl.find(W_NS + "tr") is None and tbl.getparent() is not None:
            tbl.getparent().remove(tbl)
    for sdt in list(body.iter(W_NS + "sdt")):
        content = sdt.find(W_NS + "sdtContent")
        block = sdt.getparent() is not None and sdt.getparent().tag in BLOCK_PARENTS
        if block and (content is None or not len(content)):
            sdt.getparent().remove(sdt)
    for tc in body.iter(W_NS + "tc"):
        if tc.find(W_NS + "p") is None and tc.find(W_NS + "tbl") is None:
            tc.append(etree.Element(W_NS + "p"))


def _style(p) -> str:
    style = p.find(f"{W_NS}pPr/{W_NS}pStyle")
    return (style.get(qn("w:val")) or "") if style is not None else ""


def _ensure_paragraph(body) -> None:
    """Word needs at least one paragraph in the body."""
    if body.find(W_NS + "p") is None and body.find(W_NS + "tbl") is None:
        sect = body.find(W_NS + "sectPr")
        p = etree.Element(W_NS + "p")
        if sect is not None:
            sect.addprevious(p)
        else:
            body.append(p)


def summary_groups(root, prefix: str, headers: tuple[str, ...]) -> list[str] | None:
    """The names listed (comma-separated) under ``headers`` in the first table all of whose
    paragraphs have a style starting with ``prefix``, in order; None when there is none."""
    for tbl in root.iter(W_NS + "tbl"):
        paras = list(body_paragraphs(tbl))
        if not paras or not all(_style(p).startswith(prefix) for p in paras):
            continue
        rows = [[accepted_text(tc.find(W_NS + "p")) if tc.find(W_NS + "p") is not None else ""
                 for tc in tr.findall(W_NS + "tc")] for tr in tbl.findall(W_NS + "tr")]
        columns = [k for k, head in enumerate(rows[0]) if head.strip() in headers]
        if not columns:
            continue
        names: list[str] = []
        for row in rows[1:]:
            for k in columns:
                for name in (row[k] if k < len(row) else "").split(","):
                    name = name.strip()
                    if name and name != "none" and name not in names:
                        names.append(name)
        return names
    return None


def tracking_off(pkg: Package) -> None:
    """Remove w:trackRevisions from the settings, if it is there."""
    part = pkg.related(pkg.main, "/settings")
    if part is None:
        return
    for node in pkg.xml(part).findall(W_NS + "trackRevisions"):
        node.getparent().remove(node)


__all__ = ["Change", "author_of", "story_roots", "comment_facts", "find_changes", "prune_comments",
           "remove_styled_blocks", "summary_groups", "tracking_off"]
