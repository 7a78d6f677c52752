"""Read comments and tracked changes from a package, placed in its original text."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from lxml import etree

from ..model import Comment, Pos, Revision
from ..results import Messages, safe_text
from .dates import real_date
from .ns import NS, qn
from .package import Package
from .revisions import next_paragraph
from .textview import (W_NS, Seg, accepted_text, body_paragraphs, first_child, mark_state,
                       rev_info, segments)

W14_PARA_ID = f"{{{NS['w14']}}}paraId"
W15 = NS["w15"]
STORIES = (("footnotes", "/footnotes"), ("endnotes", "/endnotes"))
ANCHOR_PREFIX = "_cp"          # hidden bookmarks packs put on the draft's paragraphs
INSERT_KINDS = {"ins": "insert", "moveTo": "move-to"}
BOOKMARK = W_NS + "bookmarkStart"
PARA = W_NS + "p"
# What makes a paragraph need the full walk (anything under it: text boxes included).
SPECIAL = tuple(W_NS + n for n in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "commentRangeStart",
    "commentRangeEnd", "commentReference", "moveFromRangeStart", "moveToRangeStart",
    "bookmarkStart"))
DELETE_KINDS = {"del": "delete", "moveFrom": "move-from"}


@dataclass
class StoryText:
    """One story's original-view paragraphs and the styles of their first w:p."""

    name: str
    paragraphs: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    elements: list[list] = field(default_factory=list)
    hints: dict[int, int] = field(default_factory=dict)     # paragraph -> draft paragraph


@dataclass
class _Piece:
    kind: str
    author: str
    date: str | None
    text: str
    start: Pos
    end: Pos
    rid: str
    props: str = ""
    old_props: str = ""
    move_name: str = ""


class _Walker:
    """Walks a story, keeping original-view positions and an accepted-view buffer."""

    def __init__(self, story: str, style_of) -> None:
        self.story = StoryText(story)
        self.style_of = style_of
        self.cur: list[str] = []
        self.cur_len = 0                # characters in self.cur
        self.cur_elements: list = []
        self.acc: list[str] = []
        self.acc_len = 0
        self.marks: dict[tuple[str, str], tuple[Pos, int]] = {}
        self.pieces: list[_Piece] = []
        self.moves: dict[str, str] = {}
        self.active_move = ""
        self.rows_done: set = set()
        self.row_inserted = False       # the current paragraph is in an inserted table row
        self.seen_refs: list[str] = []
        self.acc_text = ""
        self.special: set | None = None      # see scan()
        self.bookmarks: dict = {}

    @property
    def pos(self) -> Pos:
        return Pos(len(self.story.paragraphs), self.cur_len)

    def _add_acc(self, text: str) -> None:
        self.acc.append(text)
        self.acc_len += len(text)

    def paragraph(self, p) -> None:
        if not self.cur_elements:
            self.story.styles.append(self.style_of(p))
        self.cur_elements.append(p)
        self.row_inserted = self._row(p)
        if self._plain(p):
            return
        start = self.pos
        for seg in segments(p, markers=True):
            self._seg(seg)
        self._paragraph_format(p, start)
        self._mark(p)

    def scan(self, root) -> None:
        """Find in one pass the paragraphs under ``root`` that need the full walk (a revision,
        comment or move mark anywhere inside them) and the bookmarks directly in the others."""
        self.special = set()
        self.bookmarks = {}
        for e in root.iter(*SPECIAL):
            parent = e.getparent()
            if e.tag == BOOKMARK and parent is not None and parent.tag == PARA:
                self.bookmarks.setdefault(parent, []).append(e)
                continue
            while parent is not None:
                if parent.tag == PARA:
                    self.special.add(parent)
                parent = parent.getparent()

    def _plain(self, p) -> bool:
        """Read ``p`` quickly when ``scan`` found nothing in it but text and bookmarks (most
        paragraphs); False when it needs the full walk."""
        if self.special is None or p in self.special:
            return False
        for b in self.bookmarks.get(p, ()):
            self._seg(Seg("", "", None, b, None))
        text = "".join(seg.text for seg in segments(p))
        if not self.row_inserted:
            self.cur.append(text)
            self.cur_len += len(text)
            self._finish()
        self._add_acc(text)
        self._add_acc("\n")
        return True

    def _seg(self, seg: Seg) -> None:
        name = seg.node.tag[len(W_NS):]
        if not seg.text and name in ("commentRangeStart", "commentRangeEnd", "commentReference"):
            cid = seg.node.get(qn("w:id")) or ""
            self.marks.setdefault((name, cid), (self.pos, self.acc_len))
            if name == "commentReference":
                self.seen_refs.append(cid)
            return
        if name == "bookmarkStart":
            bookmark = seg.node.get(qn("w:name")) or ""
            if bookmark.startswith(ANCHOR_PREFIX) and bookmark[len(ANCHOR_PREFIX):].isdigit():
                self.story.hints.setdefault(len(self.story.paragraphs),
                                            int(bookmark[len(ANCHOR_PREFIX):]))
            return
        if name in ("moveFromRangeStart", "moveToRangeStart"):
            self.moves[name[: -len("RangeStart")]] = seg.node.get(qn("w:name")) or ""
            return
        if not seg.text and name not in ("t", "delText"):
            return
        before = self.pos
        if self.row_inserted:       # the row is not in the original; row-insert stands for it
            if seg.state in ("", "ins", "moveTo"):
                self._add_acc(seg.text)
            return
        if seg.state in ("", "del", "moveFrom"):
            self.cur.append(seg.text)
            self.cur_len += len(seg.text)
        if seg.state in ("", "ins", "moveTo"):
            self._add_acc(seg.text)
        if seg.state:
            author, date = rev_info(seg.rev)
            kind = INSERT_KINDS.get(seg.state) or DELETE_KINDS[seg.state]
            end = before if seg.state in INSERT_KINDS else self.pos
            self._piece(_Piece(kind, author, date, seg.text, before, end,
                               seg.rev.get(qn("w:id")) or "",
                               move_name=self._move_name(seg.rev)))
        self._format(seg, before)

    def _move_name(self, rev) -> str:
        """The name of the move range a w:moveFrom / w:moveTo belongs to."""
        if rev is None:
            return ""
        return self.moves.get(rev.tag[len(W_NS):], "")

    def _format(self, seg: Seg, before: Pos) -> None:
        rpr = first_child(seg.run, W_NS + "rPr")
        change = first_child(rpr, W_NS + "rPrChange")
        if change is None:
            return
        author, date = rev_info(change)
        end = self.pos if seg.state in ("", "del", "moveFrom") else before
        self._piece(_Piece("format", author, date, seg.text, before, end,
                           change.get(qn("w:id")) or "", _props(rpr, "rPrChange"),
                           _props(change.find(W_NS + "rPr"))))

    def _paragraph_format(self, p, start: Pos) -> None:
        ppr = first_child(p, W_NS + "pPr")
        change = first_child(ppr, W_NS + "pPrChange")
        numbering = first_child(first_child(ppr, W_NS + "numPr"), W_NS + "ins")
        for ch in (change, numbering):
            if ch is None:
                continue
            author, date = rev_info(ch)
            old = ch.find(W_NS + "pPr") if ch is change else None
            self.pieces.append(_Piece("paragraph-format", author, date, accepted_text(p), start,
                                      self.pos, ch.get(qn("w:id")) or "",
                                      _props(ppr, "pPrChange", "rPr", "sectPr"), _props(old)))

    def _mark(self, p) -> None:
        state, rev = mark_state(p)
        author, date = rev_info(rev)
        rid = rev.get(qn("w:id")) if rev is not None else ""
        if self.row_inserted:       # not in the original at all; the row insertion says it
            self._add_acc("\n")
            return
        if state in ("ins", "moveTo") and next_paragraph(p) is not None:
            self.pieces.append(_Piece("paragraph-insert", author, date, "\n", self.pos,
                                      self.pos, rid or ""))
            self._add_acc("\n")
            return
        end_of = self.pos
        self._finish()
        if state in ("ins", "moveTo"):
            # a mark that cannot merge (end of a cell or of the body) stays a mark
            self.pieces.append(_Piece("paragraph-insert", author, date, "\n", end_of, end_of,
                                      rid or ""))
        if state in ("del", "moveFrom"):
            self.pieces.append(_Piece("paragraph-delete", author, date, "\n", end_of,
                                      self.pos, rid or ""))
        else:
            self._add_acc("\n")

    def _finish(self) -> None:
        self.story.paragraphs.append("".join(self.cur))
        self.story.elements.append(self.cur_elements)
        self.cur, self.cur_elements, self.cur_len = [], [], 0

    def close(self) -> None:
        if self.cur or self.cur_elements:
            self._finish()
        self.acc_text = "".join(self.acc)

    def _row(self, p) -> bool:
        """Record a row insertion or deletion at the row's first paragraph.

        Returns True when ``p`` is in an inserted row: the row-insert revision then stands
        for the text of its cells.
        """
        tr = p.getparent()
        while tr is not None and tr.tag != W_NS + "tr":
            tr = tr.getparent() if tr.tag != W_NS + "body" else None
        if tr is None:
            return False
        trpr = tr.find(W_NS + "trPr")
        inserted = trpr is not None and trpr.find(W_NS + "ins") is not None
        if tr in self.rows_done:
            return inserted
        self.rows_done.add(tr)
        for name, kind in (("ins", "row-insert"), ("del", "row-delete")):
            mark = trpr.find(W_NS + name) if trpr is not None else None
            if mark is not None:
                author, date = rev_info(mark)
                text = "\t".join(accepted_text(q) if name == "ins" else
                                 "".join(s.text for s in segments(q))
                                 for q in body_paragraphs(tr))
                row, shell = (_row_xml(tr) if name == "ins" else ("", ""))
                self.pieces.append(_Piece(kind, author, date, text, self.pos, self.pos,
                                          mark.get(qn("w:id")) or "", row, shell))
        return inserted

    def _piece(self, piece: _Piece) -> None:
        last = self.pieces[-1] if self.pieces else None
        if (last is not None and last.kind == piece.kind and last.author == piece.author
                and last.date == piece.date and last.props == piece.props
                and last.end == piece.start and last.move_name == piece.move_name):
            last.text += piece.text
            last.end = piece.end
            return
        self.pieces.append(piece)


def _row_xml(tr) -> tuple[str, str]:
    """An inserted row as XML, and its table's properties as an empty w:tbl."""
    tbl = tr.getparent()
    shell = etree.Element(tbl.tag, nsmap=tbl.nsmap)
    for name in ("tblPr", "tblGrid"):
        found = tbl.find(W_NS + name)
        if found is not None:
            shell.append(etree.fromstring(etree.tostring(found)))
    return etree.tostring(tr, encoding="unicode"), etree.tostring(shell, encoding="unicode")


def _props(el, *skip: str) -> str:
    """Serialized properties without the named children (for format changes)."""
    if el is None:
        return ""
    copy = etree.fromstring(etree.tostring(el))
    for name in skip:
        for child in copy.findall(W_NS + name):
            copy.remove(child)
    return etree.tostring(copy, encoding="unicode")


@dataclass
class FileAnnotations:
    """What one file holds: its stories' original text, comments and revisions."""

    body: StoryText
    comments: list[Comment]
    revisions: list[Revision]
    messages: Messages


def read_file_annotations(pkg: Package, style_of=None) -> FileAnnotations:
    """Every comment and revision in the package, located in its stories' original text."""
    messages = Messages()
    style_of = style_of or _style_id
    walkers = []
    body_walker = _Walker("body", style_of)
    body_walker.scan(pkg.body())
    for p in body_paragraphs(pkg.body()):
        body_walker.paragraph(p)
    body_walker.close()
    walkers.append(body_walker)
    for story, suffix in STORIES + _header_footer_stories(pkg):
        part = suffix if "/" in suffix and suffix in pkg.parts else pkg.related(pkg.main, suffix)
        if not part:
            continue
        w = _Walker(story, style_of)
        root = pkg.xml(part)
        w.scan(root)
        containers = [root] if root.tag.endswith(("}hdr", "}ftr")) else list(root)
        for container in containers:
            for p in body_paragraphs(container):
                w.paragraph(p)
            w.close()
        walkers.append(w)
    revisions = [Revision(f"{w.story.name}:{k}:{pc.rid}", pc.kind, pc.author, pc.date, pc.text,
                          pc.start, pc.end, True, w.story.name, pc.props, pc.old_props,
                          pc.move_name)
                 for w in walkers for k, pc in enumerate(w.pieces)]
    comments = _comments(pkg, walkers, messages)
    revisions = _checked_dates(revisions, messages, pkg.path)
    comments = _checked_dates(comments, messages, pkg.path)
    return FileAnnotations(body_walker.story, comments, revisions, messages)


def _checked_dates(items: list, messages: Messages, where: str) -> list:
    """Items whose date does not exist (2026-13-45T99:99:99Z) lose it, with a warning."""
    bad = [k for k, item in enumerate(items) if item.date and real_date(item.date) is None]
    example = safe_text(items[bad[0]].date)[:40] if bad else ""
    for k in bad:
        items[k] = dataclasses.replace(items[k], date=None)
    if bad:
        kind = "comments" if isinstance(items[0], Comment) else "changes"
        messages.warn(f"{len(bad)} {kind} had dates that do not exist (such as {example}); "
                      "those dates were dropped", where)
    return items


def _header_footer_stories(pkg: Package) -> tuple:
    out = []
    for rtype, target in sorted(pkg.rels(pkg.main).values(), key=lambda r: r[1]):
        if rtype.endswith(("/header", "/footer")) and target in pkg.parts:
            out.append((target.rsplit("/", 1)[-1].split(".")[0], target))
    return tuple(out)


def _style_id(p) -> str:
    style = first_child(first_child(p, W_NS + "pPr"), W_NS + "pStyle")
    return style.get(qn("w:val")) or "" if style is not None else ""


def _comments(pkg: Package, walkers: list[_Walker], messages: Messages) -> list[Comment]:
    part = pkg.related(pkg.main, "/comments")
    if part is None:
        refs = [cid for w in walkers for cid in w.seen_refs]
        if refs:
            messages.warn(f"{len(refs)} comment references point at a missing comments part",
                          pkg.path)
        return []
    extended = _extended(pkg)
    root = pkg.xml(part)
    para_to_id: dict[str, str] = {}
    raw = []
    for c in root.findall(W_NS + "comment"):
        cid = c.get(qn("w:id")) or ""
        paras = list(body_paragraphs(c))
        for p in paras:
            if p.get(W14_PARA_ID):
                para_to_id[p.get(W14_PARA_ID)] = cid
        last = paras[-1].get(W14_PARA_ID) if paras else None
        raw.append((c, cid, "\n".join(accepted_text(p) for p in paras), last))
    out = []
    known = {cid for _, cid, _, _ in raw}
    for c, cid, text, last in raw:
        parent_para, done = extended.get(last or "", (None, False))
        start, end, story, anchor = _locate(walkers, cid)
        author, date = rev_info(c)
        out.append(Comment(cid, author, c.get(qn("w:initials")), date, text, anchor,
                           para_to_id.get(parent_para) if parent_para else None, done,
                           start, end, story))
    missing = {cid for w in walkers for cid in w.seen_refs} - known
    if missing:
        messages.warn(f"comment references {', '.join(sorted(missing))} have no comment in "
                      "comments.xml; they were ignored", pkg.path)
    return out


def _extended(pkg: Package) -> dict[str, tuple[str | None, bool]]:
    part = pkg.related(pkg.main, "/commentsExtended")
    if part is None:
        return {}
    out = {}
    for ex in pkg.xml(part).iter(f"{{{W15}}}commentEx"):
        out[ex.get(f"{{{W15}}}paraId") or ""] = (ex.get(f"{{{W15}}}paraIdParent"),
                                                  ex.get(f"{{{W15}}}done") in ("1", "true"))
    return out


def _locate(walkers: list[_Walker], cid: str):
    """Start, end, story and anchor text of a comment from its markers."""
    for w in walkers:
        start = w.marks.get(("commentRangeStart", cid))
        end = w.marks.get(("commentRangeEnd", cid))
        ref = w.marks.get(("commentReference", cid))
        if start is None and end is None and ref is None:
            continue
        start = start or end or ref
        end = end or ref or start
        if (end[0].para, end[0].offset) < (start[0].para, start[0].offset):
            start, end = end, start
        anchor = w.acc_text[start[1]:end[1]] if end[1] > start[1] else ""
        return start[0], end[0], w.story.name, anchor
    return None, None, "body", ""
