"""Walking a story: original-view positions, an accepted-view buffer, the revision pieces."""
from __future__ import annotations

from ..model import Pos
from ..results import Messages
from .ns import qn
from .story import DELETE_KINDS, INSERT_KINDS, Own, StoryText, _Piece, own_key
from .textview import DRAWINGS, W_NS, Seg, field_spans, plain_text, rev_info, segments
from .walk_marks import _MarkReader

ANCHOR_PREFIX = "_cp"          # hidden bookmarks packs put on the draft's paragraphs
BOOKMARK = W_NS + "bookmarkStart"
PARA = W_NS + "p"
# What makes a paragraph need the full walk (anything under it: text boxes included).
SPECIAL = tuple(W_NS + n for n in (
    "ins", "del", "moveFrom", "moveTo", "rPrChange", "pPrChange", "commentRangeStart",
    "commentRangeEnd", "commentReference", "moveFromRangeStart", "moveToRangeStart",
    "bookmarkStart"))


class _Walker(_MarkReader):
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
        text, segs = plain_text(p), ()
        if text is None:
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

    def _finish(self) -> None:
        self.story.paragraphs.append("".join(self.cur))
        self.story.elements.append(self.cur_elements)
        self.cur, self.cur_elements, self.cur_len = [], [], 0

    def close(self) -> None:
        if self.cur or self.cur_elements:
            self._finish()
        self.acc_text = "".join(self.acc)

    def _piece(self, piece: _Piece) -> None:
        last = self.pieces[-1] if self.pieces else None
        if (last is not None and last.kind == piece.kind and last.author == piece.author
                and last.date == piece.date and last.props == piece.props
                and last.end == piece.start and last.move_name == piece.move_name):
            last.text += piece.text
            last.end = piece.end
            return
        self.pieces.append(piece)

