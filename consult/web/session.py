"""A session folder: the draft, the allocation, the database with a token per group."""
from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .. import load_draft, read_plan
from ..errors import InputError, UsageError
from ..model import Allocation, Draft
from .db import Store, now

DRAFT, ALLOCATION, DATABASE = "draft.docx", "allocation.csv", "session.db"
UPLOADS, RETURNS, COLLATED, REPORTS = "uploads", "returns", "collated.docx", "report"


def create_session(draft_path: str | Path, allocation_path: str | Path,
                   folder: str | Path) -> "Session":
    """Make ``folder`` (new or empty): copies of the draft and allocation, and the database."""
    out = Path(folder)
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{out} is not empty; give a new folder for the session.")
    draft = load_draft(draft_path)
    allocations = read_plan(draft, allocation_path)
    if not allocations:
        raise InputError(allocation_path, "names no groups; make one with 'consult allocate'.")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(draft_path, out / DRAFT)
    shutil.copyfile(allocation_path, out / ALLOCATION)
    (out / UPLOADS).mkdir()
    groups = [(a.group, secrets.token_urlsafe(24), a.sections) for a in allocations]
    store = Store(out / DATABASE)
    store.create(groups, {
        "facilitator": secrets.token_urlsafe(24), "secret": secrets.token_urlsafe(32),
        "state": "open", "created": now(), "draft": draft.fingerprint})
    store.close()
    return Session(out)


@dataclass
class Session:
    """An existing session folder."""

    folder: Path

    def __post_init__(self) -> None:
        self.folder = Path(self.folder)
        if not (self.folder / DATABASE).is_file():
            raise InputError(self.folder, f"has no {DATABASE}; make the session with "
                                          "'consult session DRAFT --allocation FILE -o FOLDER'.")
        self.store = Store(self.folder / DATABASE)

    @cached_property
    def draft(self) -> Draft:
        return load_draft(self.folder / DRAFT)

    @cached_property
    def allocations(self) -> list[Allocation]:
        return read_plan(self.draft, self.folder / ALLOCATION)

    @cached_property
    def texts(self) -> list[str]:
        return [p.text for p in self.draft.paragraphs]

    def path(self, name: str) -> Path:
        return self.folder / name

    @property
    def closed(self) -> bool:
        return self.store.meta("state") == "closed"

    @property
    def accepting(self) -> bool:
        """Responses can still be sent, changed and withdrawn."""
        return self.store.meta("state") == "open"
