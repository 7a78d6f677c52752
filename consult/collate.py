"""Collate every group's return into one response document with tracked changes."""
from __future__ import annotations

import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable, Iterable, NamedTuple

from .changes import merge_changes
from .errors import UsageError
from .ingest import expand_inputs, ingest
from .model import Allocation, Comment, Revision, Draft, Placed, Rejected, Return, Unplaced
from .notes_changes import note_conflicts
from .notes_new import new_note_conflicts
from .ooxml.document import from_package
from .ooxml.own import carried_sentence, keep_own, shown
from .ooxml.package import Limits, Package, write_atomic
from .response import CONSULT_AUTHOR, Material, write_response
from .results import Message
from .gcwindow import fewer_passes
from .store import DiskList, ReturnStore
from .summary import add_summary_style, summary_blocks


class Tally(NamedTuple):
    """A return's group, file and sections, and how many of each thing it holds."""

    group: str
    path: str
    sections: tuple[str, ...]
    comments: int
    revisions: int
    untracked: int
    unplaced: int

    @classmethod
    def of(cls, ret: Return) -> "Tally":
        revisions = ret.revisions
        in_notes = sum(isinstance(p.item, Comment) for p in ret.notes)      # footnotes too
        return cls(ret.group, ret.path, ret.sections, len(ret.comments) + in_notes,
                   len(revisions) + len(ret.notes) - in_notes,
                   sum(not p.item.tracked for p in revisions) + sum(
                       isinstance(p.item, Revision) and not p.item.tracked for p in ret.notes),
                   len(ret.unplaced))


@dataclass
class Collation:
    """The collated document (written, ready to save) and everything known about it."""

    draft: Draft
    returns: ReturnStore                # a list of Return, kept on disk
    rejected: list[Rejected]
    allocations: list[Allocation] | None
    ops: DiskList                       # of Op, merged, in draft order
    conflicts: DiskList                 # of Conflict
    messages: list[Message] = field(default_factory=list)
    author_mode: str = "group"
    carried: str = ""                   # what the draft's own changes and comments were
    file: IO[bytes] | None = field(default=None, repr=False)     # the written .docx
    _tallies: list | None = field(default=None, repr=False)

    def save(self, path: str | Path) -> None:
        """Write the collated document to ``path`` (atomically)."""
        write_atomic(path, self._copy)

    def to_bytes(self) -> bytes:
        """The collated document's bytes."""
        buf = io.BytesIO()
        self._copy(buf)
        return buf.getvalue()

    def _copy(self, out: IO[bytes]) -> None:
        self.file.seek(0)
        shutil.copyfileobj(self.file, out)

    @property
    def unplaced(self) -> list[tuple[str, Unplaced]]:
        return [(r.group, u) for r in self.returns for u in r.unplaced]

    @property
    def tallies(self) -> list[Tally]:
        """What each return holds, in order, counted once (without reading them again)."""
        if self._tallies is None or len(self._tallies) != len(self.returns):
            self._tallies = [Tally.of(r) for r in self.returns]
        return self._tallies

    @property
    def returned(self) -> list[tuple[str, tuple[str, ...]]]:
        """(group, sections) of each return, in order."""
        return [(t.group, t.sections) for t in self.tallies]

    def returned_by(self, section_id: str) -> list[str]:
        """The groups whose return covers the section."""
        return [g for g, sections in self.returned if section_id in sections]

    @property
    def groups(self) -> list[str]:
        if self.allocations:
            return [a.group for a in self.allocations]
        return sorted({g for g, _ in self.returned})

    @property
    def missing_groups(self) -> list[str]:
        returned = {g for g, _ in self.returned}
        return [g for g in self.groups if g not in returned]

    def assigned(self, section_id: str) -> list[str]:
        if not self.allocations:
            return self.returned_by(section_id)
        return [a.group for a in self.allocations if section_id in a.sections]

    @property
    def uncovered_sections(self) -> list[str]:
        covered = {s for _, sections in self.returned for s in sections}
        return [s.id for s in self.draft.sections if s.id not in covered]


def collate(draft: Draft, returns: Iterable[str | Path], allocations: list[Allocation] | None = None,
            author_mode: str = "group", limits: Limits = Limits(),
            progress: Callable[[Path], None] | None = None,
            exclude: Iterable[str | Path] = (), jobs: int = 1) -> Collation:
    """Ingest ``returns`` and write them all onto the draft as one response document.

    ``jobs`` > 1 reads the returns in that many processes (the result is the same).
    """
    with fewer_passes():
        return _collate(draft, returns, allocations, author_mode, limits, progress, exclude,
                        jobs)


def _collate(draft: Draft, returns, allocations, author_mode: str, limits: Limits, progress,
             exclude, jobs: int) -> Collation:
    if author_mode not in ("group", "person", "both"):
        raise UsageError("author mode must be group, person or both.")
    paths = expand_inputs(returns)
    skip = {str(Path(p).resolve()) for p in exclude} | {str(Path(draft.path).resolve())}
    paths = [p for p in paths if str(p.resolve()) not in skip]
    result = ingest(draft, paths, allocations, limits, progress, jobs)
    order = {g: k for k, g in enumerate([a.group for a in allocations] if allocations else [])}
    rets = result.returns
    rets.order_by(lambda r: (order.get(r.group, len(order)), r.group, r.path))
    ops, conflicts = merge_changes(rets, draft)
    body_conflicts = _BodyConflicts(conflicts)
    notes = [(r.group, list(r.notes)) for r in rets]   # few: read once, not once a use
    in_notes = note_conflicts(draft, iter(notes), len(conflicts) + 1)
    conflicts.extend(in_notes)          # numbered after the body's, filed by their reference
    new_notes = new_note_conflicts(draft, iter(notes), len(conflicts) + 1)
    conflicts.extend(new_notes)         # different notes added at one place: after those
    pkg = Package.open(draft.path, limits)
    own = keep_own(pkg)                 # the draft's own changes stay, under their authors
    doc = from_package(pkg)
    doc.paragraphs = [dp for dp in doc.paragraphs if shown(dp.element)]
    if len(doc.paragraphs) != len(draft.paragraphs):
        raise UsageError(f"{draft.path}: the draft changed while collating; run again.")
    col = Collation(draft, rets, result.rejected, allocations, ops, conflicts,
                    [m for m in draft.messages if m.level != "info"] + result.messages
                    + [m for r in rets for m in r.messages], author_mode,
                    carried_sentence(own))
    if col.carried:
        col.messages.append(Message("info", col.carried, draft.path))
    col.file = tempfile.TemporaryFile()
    add_summary_style(doc.package)
    material = Material(ops, lambda: ((r.group, r.path, r.comments) for r in rets),
                        body_conflicts, [p.text for p in draft.paragraphs], author_mode,
                        lambda: summary_blocks(col), joins=own.joins,
                        notes=lambda: iter(notes),
                        note_conflicts=in_notes, new_notes=new_notes)
    col.messages += write_response(doc, material, col.file)
    return col


class _BodyConflicts:
    """The conflicts in the body text (the writer marks them there; a note's conflict is
    marked in its note, one between new notes around their references), read as often as
    needed."""

    def __init__(self, conflicts: DiskList) -> None:
        self.conflicts = conflicts

    def __iter__(self):
        return (c for c in self.conflicts if not c.note and not c.new_note)


__all__ = ["collate", "Collation", "Placed", "CONSULT_AUTHOR"]
