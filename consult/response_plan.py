"""Planning the collated document: where every op, comment and conflict note goes."""
from __future__ import annotations

from dataclasses import replace
from typing import Iterator

from .anchors import takes, within
from .changes import Credit, Op, author_label
from .model import Placed
from .ooxml.comments_part import NewComment
from .ooxml.rows import row_of
from .ooxml.props import describe
from .ooxml.textview import W_NS, body_paragraphs
from .results import Message

CONSULT_AUTHOR = "consult"
MARKS = ("commentRangeStart", "commentRangeEnd", "reference")
ROW_NOTES = {"row-insert": "inserted a table row", "row-delete": "deleted a table row"}
FORMATS = ("format", "paragraph-format")
CUT, PIECE, MARK, OP, AT, INSIDE = range(6)     # what a plan entry says: see ResponseWriter._change


class ResponsePlanner:
    """ResponseWriter's planning: files every op, comment mark and conflict note under its
    block, and gives the comments their records (the writer holds the state)."""

    # -- planning ----------------------------------------------------------------------
    def _plan(self) -> None:
        """File every op, comment mark and conflict note under the block it changes; give
        comments their ids. The plan waits on disk: a batch of returns plans a lot."""
        self.latest = None                          # the latest change's date
        shown: list[Op] = []                        # formatting shown in the current paragraph
        for op in self.col.ops:
            date = op.credits[0].date if op.credits else None
            if date and (self.latest is None or date > self.latest):
                self.latest = date
            self._file(op.para, (CUT, op.para, op.start))
            self._file(op.end_para, (CUT, op.end_para, op.end))
            if op.kind == "delete":
                for para in range(op.para, op.end_para + 1):
                    a = op.start if para == op.para else 0
                    b = op.end if para == op.end_para else None
                    self._file(para, (PIECE, para, a, b, op))
                    if para < op.end_para:
                        self._file(para, (MARK, para, op))
                continue
            if shown and shown[0].para != op.para:
                shown = []
            clash = _format_clash(op, shown) if op.kind in FORMATS else None
            if clash:
                self._note(op, clash, span=True)
                continue
            if op.kind in FORMATS:
                shown.append(op)
            if op.kind in ("object-insert", "row-insert"):  # parts go in before the package
                op.props = self.objects.adopt(op.props)     # is written
            home = self._home(op)
            if home is None:
                self._note(op, ROW_NOTES[op.kind])
            else:
                self.plan.add(home, (OP, op))
            if op.kind == "insert":
                self.inserted.setdefault((op.para, op.start), []).append(
                    ({c.group for c in op.credits}, op.text))
        for group, path, comments in self.col.returns():
            self._check_ids(path, comments)
            first: dict[str, Placed] = {}
            for placed in comments:
                c = placed.item
                if isinstance(c.parent, tuple):     # the draft's: threaded before writing
                    self.comments.thread_to(c.parent)
                parent = first.get(c.parent) if c.parent and c.parent != c.id else None
                first.setdefault(c.id, placed)
                if parent is not None:      # a reply covers what its parent covers
                    placed = Placed(replace(c, anchor=parent.item.anchor), parent.place)
                pl = placed.place
                inside = within(group, placed, self.inserted)
                if inside:
                    self._comment_inside(pl.paragraph, pl.start, *inside)
                    continue
                self._comment_at(pl.paragraph, pl.start, pl.end_paragraph, pl.end,
                                 takes=takes(group, placed, self.inserted, self.col.texts))
        self.inserted = {}
        for c in self.col.conflicts:
            self._comment_at(c.para, c.start, c.end_para, c.end, around=True)

    def _home(self, op: Op) -> int | None:
        """The block an op changes (None: a row that becomes a note)."""
        if op.kind == "row-insert":
            place = self._row_place(op)
            if place is None:
                return None
            if place[0] == "after":
                return self.block_of[op.para - 1]
        elif op.kind == "row-delete" and row_of(self.paras[op.para]) is None:
            return None
        return self.block_of[op.para]

    def _row_place(self, op: Op) -> tuple | None:
        """Where an inserted row goes, as (how, anchor row, model row): "before" the row the
        op's paragraph starts, "after" the row of the paragraph before, or into a "new" table;
        None when there is no row to model it on (it becomes a note)."""
        p = self.paras[op.para]
        here = row_of(p)
        if here is not None and _first_paragraph_of(here) is p:
            return "before", here, here
        # the paragraph before is already written only when _home found no row there
        prev = self.paras[op.para - 1] if op.para > 0 else None
        before = row_of(prev) if prev is not None else None
        model = here if here is not None else before
        if not op.props and model is None:
            return None
        return ("after", before, model) if before is not None else ("new", None, model)

    def _note(self, op: Op, what: str, span: bool = False) -> None:
        """Where a change cannot be made (a row with nothing to rebuild it on, formatting
        that another group's formatting of the same text holds), a comment keeps what the
        group did: at its place, or over its text with ``span``."""
        self.notes.append((op, what))
        if span:
            self._comment_at(op.para, op.start, op.end_para, op.end)
        else:
            self._comment_at(op.para, op.start, op.para, op.start)

    def _comment_at(self, p1: int, a: int, p2: int, b: int, around: bool = False,
                    takes: tuple | None = None) -> None:
        """Plan a comment's range [a, b). Insertions at its start and end are in it when
        ``takes`` says so (start, end), else when it is a point comment (or ``around``); an
        edge given as (insertion text, character) is within that insertion.

        Every mark goes in at its offset after insertions (rank 2) when it opens the range
        after them or closes it after them (ranks 3, 4), before them otherwise (0, 1); the
        offsets are cut like a change's boundaries when the block is written (``_change``).
        """
        cid = self.next_comment
        self.next_comment += 1
        if takes is None:
            wide = around or (p1, a) == (p2, b)
            takes = (wide, wide)
        # a planned mark is a number (comment id and kind), built when its block is written
        if (p1, a) == (p2, b) and takes == (False, False):
            # a point before the insertions there: start, end, reference, in that order
            for k in range(len(MARKS)):
                self._file_node(p1, a, 1, cid * len(MARKS) + k)
            return
        if isinstance(takes[0], tuple):
            self._file_inside(p1, a, takes[0], f"commentRangeStart:{cid}")
        else:
            self._file_node(p1, a, 1 if takes[0] else 4, cid * len(MARKS) + 0)
        if isinstance(takes[1], tuple):
            self._file_inside(p2, b, takes[1], f"commentRangeEnd:{cid}")
        else:
            self._file_node(p2, b, 3 if takes[1] else 0, cid * len(MARKS) + 1)
        self._file_node(p2, b, 3 if takes[1] else 0, cid * len(MARKS) + 2)

    def _file_inside(self, para: int, offset: int, where: tuple[str, int], mark: str) -> None:
        """File a marker at character ``where[1]`` of the insertion ``where[0]`` at offset."""
        self.seq += 1
        self._file(para, (INSIDE, para, offset, where[0], where[1], self.seq, mark))

    def _comment_inside(self, para: int, offset: int, text: str, a: int, b: int) -> None:
        """Plan a comment on characters [a, b) of the insertion ``text`` at ``offset``: its
        markers go inside the insertion, its reference after it."""
        cid = self.next_comment
        self.next_comment += 1
        self._file_inside(para, offset, (text, a), f"commentRangeStart:{cid}")
        self._file_inside(para, offset, (text, b), f"commentRangeEnd:{cid}")
        self._file_node(para, offset, 3, cid * len(MARKS) + 2)

    def _check_ids(self, path: str, comments: list[Placed]) -> None:
        """Warn about what a return's comment ids get wrong (comment_records repairs it)."""
        seen: set[str] = set()
        for placed in comments:
            c = placed.item
            if c.id in seen:
                self.messages.append(Message(
                    "warning", f"two comments share the id {c.id}; each is written with its "
                    "own id and replies go to the first", path))
            elif c.parent and c.parent == c.id:
                self.messages.append(Message(
                    "warning", f"comment {c.id} is marked as a reply to itself; it is written "
                    "as a comment of its own", path))
            seen.add(c.id)

    def _file(self, para: int, entry: tuple) -> None:
        self.plan.add(self.block_of[para], entry)

    def _file_node(self, para: int, offset: int, rank: int, mark: int) -> None:
        self.seq += 1
        self._file(para, (AT, para, offset, rank, self.seq, mark))

    def comment_records(self) -> Iterator[list[NewComment]]:
        """Every new comment in id order, a return's at a time: row notes, the groups'
        comments, conflict notes."""
        cid = self.first_comment
        mode = self.col.author_mode
        for op, what in self.notes:
            text = f"{author_label(op.credits)} {what}: {op.text.replace(chr(9), ' | ')}"
            yield [NewComment(str(cid), author_label(op.credits, mode), "", op.credits[0].date,
                              text)]
            cid += 1
        for group, _, comments in self.col.returns():
            ids: dict[str, str] = {}        # a return's id -> the first comment's new id
            batch = []
            for placed in comments:
                c = placed.item
                mine = str(cid)
                cid += 1
                # a reply goes to a comment written before it, never to itself, or to the
                # draft's own comment it names
                parent = self.comments.thread_to(c.parent) if isinstance(c.parent, tuple) \
                    else ids.get(c.parent) if c.parent and c.parent != c.id else None
                ids.setdefault(c.id, mine)
                credit = Credit(group, c.author, c.date, True)
                initials = c.initials if mode == "person" else _initials(group)
                batch.append(NewComment(mine, author_label([credit], mode), initials or "",
                                        c.date, c.text, parent, c.resolved))
            yield batch
        for c in self.col.conflicts:
            lines = [f"Conflict {c.id}: groups propose different changes to this text.",
                     f"Draft: \u201c{c.draft_text}\u201d"]
            lines += [f"{g}: \u201c{t}\u201d" if t else f"{g}: (deletes it)" for g, t in c.versions]
            yield [NewComment(str(cid), CONSULT_AUTHOR, "C", self.latest, "\n".join(lines))]
            cid += 1


def _format_clash(op: Op, shown: list[Op]) -> str | None:
    """Why a formatting change cannot be shown as a tracked change (None: it can): Word
    keeps one formatting change a run or paragraph, and an earlier group's is there."""
    if not op.props or op.para != op.end_para:
        return f"changed the formatting ({_props(op.props)}), which consult cannot show " \
               "as a tracked change here"
    for other in shown:
        if other.kind != op.kind:
            continue
        if op.kind == "paragraph-format" or (op.start < other.end and other.start < op.end):
            return (f"changed the formatting of this text ({_props(op.props)}); "
                    f"{author_label(other.credits)}'s formatting of it is the tracked change "
                    "shown")
    return None


def _props(props: str) -> str:
    """A formatting change's properties in words ("bold, colour C00000"), as the notes'
    comments and the decision page say them."""
    return describe(props) or "properties not recorded"


def _first_paragraph_of(tr):
    return next(body_paragraphs(tr.find(W_NS + "tc")), None) if tr.find(W_NS + "tc") is not None \
        else None


def _initials(name: str) -> str:
    parts = [w for w in name.replace("&", " ").split() if w]
    return "".join(w[0] for w in parts)[:8].upper()
