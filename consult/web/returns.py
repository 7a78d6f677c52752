"""Closing a session: each group's online responses become a marked-up Word return, and
collate reads those and the uploaded files, exactly as it reads returns sent by email."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from .. import collate, write_reports
from ..ooxml.markup import Mark, Marked, mark_up
from ..errors import UsageError
from ..packs import safe_filename
from .db import Group, Response
from .session import COLLATED, REPORTS, RETURNS, UPLOADS, Session

ONLINE_SUFFIX = " (online)"


def initials(name: str) -> str:
    """"Group 3" -> "G3"."""
    words = re.findall(r"\w+", name)
    return "".join(w[0] if not w.isdigit() else w for w in words)[:8] or "G"


def marks_of(responses: list[Response]) -> list[Mark]:
    """Comments with their replies, and suggestions, as marks on the draft."""
    replies: dict[int, list[Response]] = {}
    for r in responses:
        if r.kind == "reply" and r.parent is not None:
            replies.setdefault(r.parent, []).append(r)
    out = []
    for r in responses:
        if r.kind == "reply":
            continue
        thread = tuple(x.text for x in replies.get(r.id, ()))
        out.append(Mark(r.kind, r.paragraph, r.start, r.end, r.text, r.created, thread))
    return out


def online_return(session: Session, group: Group, both: bool) -> Marked | None:
    """The draft marked up with the group's online responses (None when there are none).

    A group that also uploaded a file is named "NAME (online)" here, so that collate keeps
    both (it keeps only the newest of two returns from one group).
    """
    responses = session.store.responses(group.id)
    if not responses:
        return None
    author = group.name + (ONLINE_SUFFIX if both else "")
    identity = {"draft": session.draft.fingerprint, "group": author,
                "sections": ";".join(group.sections)}
    latest = max(r.updated for r in responses)
    return mark_up(str(session.path("draft.docx")), marks_of(responses), author,
                   initials(group.name), identity, latest, session.texts)


def close_session(session: Session) -> dict:
    """Write the returns, collated.docx and the reports into the session folder."""
    store = session.store
    store.set_meta("state", "closing")          # from here on nothing more is stored
    try:
        summary = _collate_all(session)
    except BaseException:
        store.set_meta("state", "open")
        raise
    store.set_meta("state", "closed")
    return summary


def _collate_all(session: Session) -> dict:
    store = session.store
    uploads = {u.group_id: u for u in store.uploads()}
    folder = session.path(RETURNS)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    paths: list[Path] = []
    skipped = 0
    for group in store.groups():
        marked = online_return(session, group, group.id in uploads)
        if marked is not None:
            path = folder / f"online-{group.id}.docx"
            marked.package.save(path)
            skipped += len(marked.skipped)
            paths.append(path)
        if group.id in uploads:
            paths.append(session.path(UPLOADS) / uploads[group.id].file)
    if not paths:
        raise UsageError("no group has responded yet; there is nothing to collate.")
    col = collate(session.draft, [str(p) for p in paths], session.allocations)
    col.save(session.path(COLLATED))
    written = write_reports(col, session.path(REPORTS))
    summary = {"returns": len(col.returns), "rejected": len(col.rejected),
               "conflicts": len(col.conflicts), "unplaced": len(col.unplaced),
               "skipped": skipped, "files": [COLLATED] + [f"{REPORTS}/{p.name}" for p in written]}
    return summary


def upload_name(group: Group) -> str:
    """Where a group's uploaded file is kept: its name, so collate knows whose it is."""
    return safe_filename(group.name, f"group-{group.id}") + ".docx"


__all__ = ["close_session", "online_return", "marks_of", "upload_name"]
