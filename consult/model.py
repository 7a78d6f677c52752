"""Plain data objects for drafts, sections, groups, annotations and placements."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import Union

from .results import Message
from .store import ReturnStore


class _Record:
    """Base of the slotted records kept by the thousand: they pickle as their field values
    (``dataclass(slots=True)``'s own way looks the fields up for every object)."""

    __slots__ = ()

    def __reduce__(self):
        return self.__class__, tuple(getattr(self, name) for name in self.__slots__)


@dataclass(frozen=True)
class Paragraph:
    """One body paragraph of a draft, in document order (table cells included)."""

    index: int
    text: str
    style: str = ""
    outline: int | None = None      # 0-based heading level, None for body text
    label: str = ""                 # the list number Word shows, e.g. "6.14"
    in_table: bool = False
    page: int = 1
    # where the results of fields (DATE, PAGE, REF...) stand in ``text``: (start, end, the
    # field code as consult compares it, see ooxml.textview.field_key), for re-saved returns
    fields: tuple[tuple[int, int, str], ...] = ()

    @property
    def display(self) -> str:
        """The text as a reader sees it, with its number."""
        return f"{self.label}\t{self.text}" if self.label else self.text


@dataclass(frozen=True)
class Section:
    """A numbered part of a draft: paragraphs ``start`` .. ``end - 1``."""

    id: str
    number: str
    title: str
    level: int                      # 1 = Heading 1 (the front matter is level 1)
    start: int
    end: int
    words: int
    first_page: int
    last_page: int

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1


@dataclass(frozen=True)
class Draft:
    """A draft read from a .docx: its paragraphs and the sections they form."""

    path: str
    fingerprint: str
    paragraphs: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    level: int                      # the heading level sections start at, 1 = Heading 1
    pages_estimated: bool
    messages: tuple[Message, ...] = ()
    # What the draft itself carries: tracked changes and comments by author, as
    # ((author, count), ...), and the keys that recognise them in a return (ingest).
    own_revisions: tuple[tuple[str, int], ...] = ()
    own_comments: tuple[tuple[str, int], ...] = ()
    own_keys: frozenset = frozenset()
    own_paragraphs: frozenset = frozenset()     # paragraphs holding the draft's own changes
    # The text its own changes deleted, ((paragraph, offset, text), ...) in order: where in
    # ``paragraphs`` it stood ("\n" for a deleted paragraph mark), for re-saved returns.
    own_deleted: tuple[tuple[int, int, str], ...] = ()
    own_inserted: tuple[tuple[int, int, str], ...] = ()     # and the text they inserted
    # Imported chunks (w:altChunk), ((paragraph they follow or -1, kind, their lines or None
    # when consult cannot read them), ...): Word and LibreOffice make them paragraphs.
    alt_chunks: tuple[tuple[int, str, tuple[str, ...] | None], ...] = ()

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def section_of(self, paragraph: int) -> Section | None:
        k = bisect_right(self._section_starts, paragraph) - 1
        if k >= 0 and self.sections[k].start <= paragraph < self.sections[k].end:
            return self.sections[k]
        return None

    @cached_property
    def _section_starts(self) -> list[int]:
        return [s.start for s in self.sections]

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sections)


@dataclass(frozen=True)
class Allocation:
    """The sections given to one group."""

    group: str
    sections: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Pos(_Record):
    """A place in a document's original text: paragraph index and character offset."""

    para: int
    offset: int


@dataclass(frozen=True, slots=True)
class Comment(_Record):
    """A comment or reply as found in a file."""

    id: str
    author: str
    initials: str | None
    date: str | None
    text: str
    anchor: str
    # the id of the comment replied to; in a return, a reply to one of the draft's own
    # comments names it by its key (comments_read.comment_key), for the writer to thread
    parent: str | tuple | None = None
    resolved: bool = False
    start: Pos | None = None
    end: Pos | None = None
    story: str = "body"


@dataclass(frozen=True, slots=True)
class Revision(_Record):
    """A tracked (or found untracked) change, located in the file's original text.

    ``kind`` is one of insert, delete, move-from, move-to, format, paragraph-format,
    paragraph-insert, paragraph-delete, row-insert, row-delete, object-insert, object-delete
    (an image or shape; ``text`` describes it, ``props`` holds its run). A delete with
    ``start == end`` is text deleted inside another insertion. ``text`` uses "\\n" for a
    paragraph mark. ``props``/``old_props`` hold serialized properties for format changes.
    """

    id: str
    kind: str
    author: str
    date: str | None
    text: str
    start: Pos | None = None
    end: Pos | None = None
    tracked: bool = True
    story: str = "body"
    props: str = ""
    old_props: str = ""
    move_name: str = ""


Annotation = Union[Comment, Revision]


@dataclass(frozen=True)
class Annotations:
    """Everything found in one file, without reference to any draft."""

    file: str
    comments: tuple[Comment, ...]
    revisions: tuple[Revision, ...]
    messages: tuple[Message, ...] = ()


@dataclass(frozen=True, slots=True)
class Place(_Record):
    """Where an annotation sits in the draft: character range in paragraph(s) original text."""

    section: str
    paragraph: int
    start: int
    end: int
    end_paragraph: int


@dataclass(frozen=True, slots=True)
class Placed(_Record):
    item: Annotation
    place: Place


@dataclass(frozen=True, slots=True)
class Unplaced(_Record):
    item: Annotation
    reason: str


@dataclass(frozen=True, slots=True)
class Return(_Record):
    """One group's annotated copy, mapped onto the draft."""

    path: str
    group: str
    sections: tuple[str, ...]
    identified_by: str
    placed: tuple[Placed, ...]
    unplaced: tuple[Unplaced, ...]
    found: int
    messages: tuple[Message, ...] = ()
    modified: str | None = None
    notes: tuple[Placed, ...] = ()      # annotations placed in the draft's notes (consult.notes)

    @property
    def comments(self) -> list[Placed]:
        return [p for p in self.placed if isinstance(p.item, Comment)]

    @property
    def revisions(self) -> list[Placed]:
        return [p for p in self.placed if isinstance(p.item, Revision)]


@dataclass(frozen=True)
class Rejected:
    """An input file that could not be used, with the one-line reason."""

    path: str
    reason: str


@dataclass
class IngestResult:
    """Returns that were read, inputs that were rejected, and messages."""

    returns: ReturnStore = field(default_factory=ReturnStore)    # a list, kept on disk
    rejected: list[Rejected] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
