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
from .comments_read import read_comments
from .objects import describe, drawing_run
from .revisions import next_paragraph
from .textview import (DRAWINGS, W_NS, Seg, accepted_text, body_paragraphs, field_spans,
                       first_child, rev_info, segments)

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
TAG_KINDS = {"ins": "insert", "moveTo": "move-to", "del": "delete", "moveFrom": "move-from"}
OBJECT_KINDS = {"ins": "object-insert", "moveTo": "object-insert", "del": "object-delete",
                "moveFrom": "object-delete"}
MC_FALLBACK = f"{{{NS['mc']}}}Fallback"
TEXT_BOX = W_NS + "txbxContent"
Own = frozenset     # keys (kind, author, date) of the draft's own revisions, see own_key
MOVES = {"moveTo": "ins", "moveFrom": "del"}


REVISION_TAGS = tuple(W_NS + n for n in ("ins", "del", "moveFrom", "moveTo", "rPrChange",
                                          "pPrChange"))


def own_key(rev) -> tuple:
    """What identifies one of the draft's own revision elements when a return carries it
    again: its author and date to the minute (a re-save may drop seconds or the zone) and,
    for an undated one, its element name, a move counting as the insertion or deletion it is.
    LibreOffice writes the draft's insertions and deletions of the same words as a move and
    back, and gives moved text format changes of its own, under the draft's author and date."""
    author, date = rev_info(rev)
    tag = rev.tag[len(W_NS):]
    return ("" if date else MOVES.get(tag, tag), author, (date or "")[:16])


def own_keys(roots) -> set[tuple]:
    """The ``own_key`` of every revision element under the given story roots."""
    return {own_key(el) for root in roots for el in root.iter(*REVISION_TAGS)}


@dataclass
class StoryText:
    """One story's original-view paragraphs and the styles of their first w:p."""

    name: str
    paragraphs: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    elements: list[list] = field(default_factory=list)
    hints: dict[int, int] = field(default_factory=dict)     # paragraph -> draft paragraph
    fields: list = field(default_factory=list)  # field results: (paragraph, start, end, key)


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

    def __init__(self, story: str, style_of, own: Own = frozenset(),
                 messages: Messages | None = None) -> None:
        self.story = StoryText(story)
        self.style_of = style_of
        self.own = own
        self.own_seen: set = set()      # the draft's own revision elements met
        self.own_paragraphs: set[int] = set()   # base paragraphs holding one
        self.own_deleted: list[tuple[Pos, str]] = []    # text the draft's authors deleted
        self.own_inserted: list[tuple[Pos, str]] = []   # ... and inserted (in the base)
        self.messages = messages if messages is not None else Messages()
        self.cur: list[str] = []
        self.cur_len = 0                # characters in self.cur
        self.cur_elements: list = []
        self.acc: list[str] = []
        self.acc_len = 0
        self.marks: dict[tuple[str, str], list[tuple[Pos, int]]] = {}
        self.pieces: list[_Piece] = []
        self.moves: dict[str, str] = {}
        self.active_move = ""
        self.rows_done: set = set()
        self.row_inserted = False       # the current paragraph is in an inserted table row
        self.row_gone = False           # ... in a row the draft itself deleted
        self.seen_refs: list[str] = []
        self.acc_text = ""
        self.special: set | None = None      # see scan()
        self.bookmarks: dict = {}
        self.last_field = None          # the field of the last span in story.fields

    @property
    def pos(self) -> Pos:
        return Pos(len(self.story.paragraphs), self.cur_len)

    def _add_acc(self, text: str) -> None:
        self.acc.append(text)
        self.acc_len += len(text)

    def is_own(self, rev) -> bool:
        """True for a revision element that is the draft's own (noted in ``own_seen``)."""
        if not self.own or rev is None:
            return False
        if own_key(rev) in self.own:
            self.own_seen.add(rev)
            self.own_paragraphs.add(len(self.story.paragraphs))
            return True
        return False

    def paragraph(self, p) -> None:
        self.row_inserted = self._row(p)
        if self.row_gone:           # in a row the draft's author deleted: not in the base
            self._deleted("".join(s.text for s in segments(p, gone=True)) + "\n")
            return
        if not self.cur_elements:
            self.story.styles.append(self.style_of(p))
        self.cur_elements.append(p)
        if self._plain(p):
            return
        start = self.pos
        for seg in segments(p, markers=True, gone=True):
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
        segs = segments(p)
        text = "".join(seg.text for seg in segs)
        if not self.row_inserted:
            self.story.fields += [(len(self.story.paragraphs), self.cur_len + a,
                                   self.cur_len + b, key) for a, b, key in field_spans(segs, {""})]
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
            self.marks.setdefault((name, cid), []).append((self.pos, self.acc_len))
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
        if seg.node.tag in DRAWINGS:
            self._drawing(seg)
            return
        if not seg.text and name not in ("t", "delText"):
            return
        before = self.pos
        state = self._state(seg)
        if state is None:
            return
        if self.row_inserted:       # the row is not in the original; row-insert stands for it
            if state in ("", "ins", "moveTo"):
                self._add_acc(seg.text)
            return
        if state in ("", "del", "moveFrom"):
            self.cur.append(seg.text)
            self.cur_len += len(seg.text)
            if seg.field is not None:
                self._field(seg, before)
        if state in ("", "ins", "moveTo"):
            self._add_acc(seg.text)
        if state:
            author, date = rev_info(seg.rev)
            kind = INSERT_KINDS.get(state) or DELETE_KINDS[state]
            end = before if state in INSERT_KINDS else self.pos
            self._piece(_Piece(kind, author, date, seg.text, before, end,
                               seg.rev.get(qn("w:id")) or "",
                               move_name=self._move_name(seg.rev)))
        self._format(seg, before)

    def _field(self, seg: Seg, before: Pos) -> None:
        """Note where a field's result stands in the base view (one span a field)."""
        spans = self.story.fields
        if self.last_field is seg.field and spans and spans[-1][0] == before.para \
                and spans[-1][2] == before.offset:
            spans[-1] = (before.para, spans[-1][1], self.cur_len, spans[-1][3])
        else:
            spans.append((before.para, before.offset, self.cur_len, seg.field.key))
        self.last_field = seg.field

    def _state(self, seg: Seg) -> str | None:
        """The segment's state in the base view (the draft's own changes accepted, every
        other rejected); None when the base and accepted views both leave it out."""
        state = seg.state
        if state == "gone":         # deleted inside an insertion
            inner_own = self.is_own(seg.rev)
            if self.is_own(seg.outer):      # the draft's text; deleted here unless by its author
                if inner_own:
                    self._deleted(seg.text)
                    return None
                return seg.rev.tag[len(W_NS):]
            if not inner_own:
                author, date = rev_info(seg.rev)
                self._piece(_Piece("delete", author, date, seg.text, self.pos, self.pos,
                                   seg.rev.get(qn("w:id")) or ""))
            return None
        if state and self.is_own(seg.rev):
            if state in INSERT_KINDS:       # part of the base: plain text
                self.own_inserted.append((self.pos, seg.text))
                return ""
            self._deleted(seg.text)         # deleted by the draft's author: not in the base
            return None
        return state

    def _deleted(self, text: str) -> None:
        """Note text (or a paragraph mark) the draft's own authors deleted, where it was."""
        self.own_deleted.append((self.pos, text))

    def _drawing(self, seg: Seg) -> None:
        """An image or shape inside a tracked insertion or deletion."""
        state = seg.state if seg.state != "gone" else seg.rev.tag[len(W_NS):]
        if not state or self.row_inserted or self.is_own(seg.rev):
            return
        author, date = rev_info(seg.rev)
        self.pieces.append(_Piece(OBJECT_KINDS[state], author, date, describe(seg.node),
                                  self.pos, self.pos, seg.rev.get(qn("w:id")) or "",
                                  drawing_run(seg.run, seg.node)))

    def _move_name(self, rev) -> str:
        """The name of the move range a w:moveFrom / w:moveTo belongs to."""
        if rev is None:
            return ""
        return self.moves.get(rev.tag[len(W_NS):], "")

    def _format(self, seg: Seg, before: Pos) -> None:
        rpr = first_child(seg.run, W_NS + "rPr")
        change = first_child(rpr, W_NS + "rPrChange")
        if change is None or self.is_own(change):
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
            if ch is None or self.is_own(ch):
                continue
            author, date = rev_info(ch)
            old = ch.find(W_NS + "pPr") if ch is change else None
            self.pieces.append(_Piece("paragraph-format", author, date, accepted_text(p), start,
                                      self.pos, ch.get(qn("w:id")) or "",
                                      _props(ppr, "pPrChange", "rPr", "sectPr"), _props(old)))

    def _mark_state(self, p) -> tuple[str, object]:
        """The paragraph mark's state in the base view, and its revision element."""
        rpr = first_child(first_child(p, W_NS + "pPr"), W_NS + "rPr")
        found = {} if rpr is None else {el.tag[len(W_NS):]: el for el in reversed(rpr)
                                        if isinstance(el.tag, str)
                                        and el.tag[len(W_NS):] in TAG_KINDS}
        ins = next(((n, found[n]) for n in ("ins", "moveTo") if n in found), None)
        dele = next(((n, found[n]) for n in ("del", "moveFrom") if n in found), None)
        if ins and dele:
            if self.is_own(ins[1]) and self.is_own(dele[1]):
                return "own-del", dele[1]
            if self.is_own(ins[1]):
                return dele         # the draft's paragraph mark, deleted in the return
            a, b = rev_info(ins[1])[0], rev_info(dele[1])[0]
            self.messages.warn(
                f"a paragraph mark inserted (by {a or 'unknown'}) and then deleted (by "
                f"{b or 'unknown'}) is in neither the original nor the accepted text; it was "
                f"left out: {accepted_text(p)[:60]!r}", self.story.name)
            return "gone", dele[1]
        if ins:
            return ("", None) if self.is_own(ins[1]) else ins
        if dele:
            return ("own-del", dele[1]) if self.is_own(dele[1]) else dele
        return "", None

    def _mark(self, p) -> None:
        state, rev = self._mark_state(p)
        author, date = rev_info(rev)
        rid = rev.get(qn("w:id")) if rev is not None else ""
        if self.row_inserted:       # not in the original at all; the row insertion says it
            self._add_acc("\n")
            return
        if state in ("own-del", "gone") and next_paragraph(p) is not None:
            if state == "own-del":
                self._deleted("\n")
            return                  # joined to the next paragraph in the base and accepted views
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
        self.row_gone = False
        if tr is None:
            return False
        trpr = tr.find(W_NS + "trPr")
        mark_ins = trpr.find(W_NS + "ins") if trpr is not None else None
        mark_del = trpr.find(W_NS + "del") if trpr is not None else None
        own_ins = self.is_own(mark_ins)
        self.row_gone = self.is_own(mark_del)
        inserted = mark_ins is not None and not own_ins
        if tr in self.rows_done:
            return inserted
        self.rows_done.add(tr)
        for name, kind in (("ins", "row-insert"), ("del", "row-delete")):
            mark = trpr.find(W_NS + name) if trpr is not None else None
            if mark is not None and not self.is_own(mark):
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
    own_revisions: int = 0      # revision elements recognised as the draft's own
    own_paragraphs: frozenset = frozenset()     # body paragraphs (base view) holding them
    own_deleted: tuple = ()     # ((Pos, text), ...): what they deleted, in the body's base view
    own_inserted: tuple = ()    # ((Pos, text), ...): what they inserted, there


def read_file_annotations(pkg: Package, style_of=None, own: Own = frozenset()
                          ) -> FileAnnotations:
    """Every comment and revision in the package, located in its stories' base text: the
    original text, with the draft's own revisions (``own``: their ``own_key``s) accepted
    and left out of the revisions."""
    messages = Messages()
    style_of = style_of or _style_id
    walkers = []
    body_walker = _Walker("body", style_of, own, messages)
    body_walker.scan(pkg.body())
    for p in body_paragraphs(pkg.body()):
        body_walker.paragraph(p)
    body_walker.close()
    walkers.append(body_walker)
    roots = [pkg.body()]
    for story, suffix in STORIES + _header_footer_stories(pkg):
        part = suffix if "/" in suffix and suffix in pkg.parts else pkg.related(pkg.main, suffix)
        if not part:
            continue
        w = _Walker(story, style_of, own, messages)
        root = pkg.xml(part)
        roots.append(root)
        w.scan(root)
        containers = [root] if root.tag.endswith(("}hdr", "}ftr")) else list(root)
        for container in containers:
            for p in body_paragraphs(container):
                w.paragraph(p)
            w.close()
        walkers.append(w)
    boxes = _text_box_walker(roots, style_of, own, messages)
    if boxes is not None:
        walkers.append(boxes)
    revisions = [Revision(f"{w.story.name}:{k}:{pc.rid}", pc.kind, pc.author, pc.date, pc.text,
                          pc.start, pc.end, True, w.story.name, pc.props, pc.old_props,
                          pc.move_name)
                 for w in walkers for k, pc in enumerate(w.pieces)]
    revisions = _lone_moves(revisions, messages, pkg.path)
    comments = read_comments(pkg, walkers, messages)
    revisions = _checked_dates(revisions, messages, pkg.path)
    comments = _checked_dates(comments, messages, pkg.path)
    seen = sum(len(w.own_seen) for w in walkers)
    return FileAnnotations(body_walker.story, comments, revisions, messages, seen,
                           frozenset(body_walker.own_paragraphs),
                           tuple(body_walker.own_deleted), tuple(body_walker.own_inserted))


TEXT_BOX_STORY = "text box"


def _text_box_walker(roots: list, style_of, own: Own, messages: Messages):
    """One walker over every text box (w:txbxContent) of the stories, each read once: the
    fallback copy Word keeps for older readers (mc:Fallback) is left out."""
    boxes = []
    for root in roots:
        for box in root.iter(TEXT_BOX):
            node = box.getparent()
            while node is not None and node.tag != MC_FALLBACK:
                node = node.getparent()
            if node is None:
                boxes.append(box)
    if not boxes:
        return None
    w = _Walker(TEXT_BOX_STORY, style_of, own, messages)
    for box in boxes:
        w.scan(box)
        for p in body_paragraphs(box):
            w.paragraph(p)
        w.close()
    return w


def _lone_moves(revisions: list[Revision], messages: Messages, where) -> list[Revision]:
    """A move whose other half is missing is a deletion (or an insertion), with a warning."""
    halves = {"move-from": "move-to", "move-to": "move-from"}
    names = {(r.kind, r.move_name or (r.author, r.date)) for r in revisions
             if r.kind in halves}
    out = []
    for r in revisions:
        if r.kind in halves and (halves[r.kind], r.move_name or (r.author, r.date)) not in names:
            kind = "delete" if r.kind == "move-from" else "insert"
            messages.warn(f"a moved passage has no {'destination' if kind == 'delete' else 'origin'}"
                          f" (w:{'moveTo' if kind == 'delete' else 'moveFrom'}); it was read as "
                          f"{'a deletion' if kind == 'delete' else 'an insertion'} by "
                          f"{r.author or 'unknown'}: {r.text[:60]!r}", where)
            r = Revision(r.id, kind, r.author, r.date, r.text, r.start, r.end, r.tracked,
                         r.story, r.props, r.old_props, "")
        out.append(r)
    return out


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
