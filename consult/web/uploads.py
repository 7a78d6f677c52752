"""A group's uploaded .docx: size-limited, read by the hardened reader and ingest (with its
limits and errors), kept under the group's name only when it can be used."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..errors import ConsultError, InputError
from ..ingest import DOCX_SUFFIXES, ingest_one
from ..model import Comment, Return
from ..ooxml.package import Limits as ReadLimits
from ..ooxml.package import Package
from ..ooxml.parts import read_identity
from .db import Group
from .returns import upload_name
from .session import UPLOADS

CHUNK = 64 * 1024


async def receive_upload(live, group: Group, file: UploadFile) -> str | None:
    """Keep the file as the group's upload, or say in one line why it cannot be used."""
    shown = _shown_name(file.filename or "")
    if not shown.lower().endswith(DOCX_SUFFIXES):
        return f"{shown or 'the file'}: only Word files (.docx) can be uploaded."
    folder = live.session.path(UPLOADS)
    holder = tempfile.mkdtemp(prefix=".incoming-", dir=folder)
    tmp = os.path.join(holder, upload_name(group))     # named as collate will see it
    try:
        size = 0
        with open(tmp, "xb") as out:
            while chunk := await file.read(CHUNK):
                size += len(chunk)
                if size > live.limits.upload_bytes:
                    return (f"{shown}: the file is larger than "
                            f"{live.limits.upload_bytes // (1024 * 1024)} MB; it was not read.")
                out.write(chunk)
        outcome = await run_in_threadpool(_read, live, group, Path(tmp), shown)
        if isinstance(outcome, str):
            return outcome
        await run_in_threadpool(_keep, live, group, Path(tmp), shown, size, outcome)
        return None
    finally:
        shutil.rmtree(holder, ignore_errors=True)


def _read(live, group: Group, path: Path, shown: str) -> Return | str:
    """The return as collate will read it, or the reason it cannot be used."""
    limits = ReadLimits(max_total_bytes=live.limits.upload_bytes)
    session = live.session
    try:
        identity = read_identity(Package.open(path, limits))
        other = identity.get("group")
        if other and other != group.name and other in {g.name for g in live.store.groups()}:
            return f"{shown}: this is the pack of {other}; upload {group.name}'s own pack."
        ret = ingest_one(session.draft, path, session.allocations, limits)
    except InputError as exc:
        return f"{shown}: {exc.problem}"
    except ConsultError as exc:
        return f"{shown}: {exc}"
    if ret.group != group.name:
        return (f"{shown}: consult reads this file as {ret.group}'s; upload {group.name}'s "
                "own pack.")
    return ret


def _keep(live, group: Group, tmp: Path, shown: str, size: int, ret: Return) -> None:
    """Move the file into place under the group's name and record what it holds."""
    folder = live.session.path(UPLOADS)
    name = upload_name(group)
    target = folder / name
    if target.exists():
        old = folder / "superseded"
        old.mkdir(exist_ok=True)
        n = len(list(old.iterdir())) + 1
        os.replace(target, old / f"{n:03d}-{name}")
    os.replace(tmp, target)
    items = [("comment" if isinstance(p.item, Comment) else p.item.kind, p.place.section,
              p.place.paragraph, p.place.start, p.place.end, p.item.text[:2000])
             for p in ret.placed]
    comments = sum(isinstance(p.item, Comment) for p in ret.placed)
    live.store.add_upload(group.id, name, shown, size, comments, len(ret.placed) - comments,
                          items)


def _shown_name(name: str) -> str:
    """The client's file name for messages only: its last part, printable, short."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in base if ch.isprintable())[:120]
