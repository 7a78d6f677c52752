"""Checks before and after a command: group names, outputs that would overwrite, inputs seen."""
from __future__ import annotations

import difflib
import glob
import re
import zipfile
from pathlib import Path
from typing import Iterable

from .errors import UsageError
from .model import Allocation, Return
from .ooxml.build import SUMMARY_STYLE
from .results import Message, safe_text


def closest(name: str, known: Iterable[str]) -> str | None:
    """The known name most like ``name`` (a typo, different case or spacing), or None."""
    known = list(known)
    folded = {k.casefold().replace(" ", ""): k for k in known}
    key = name.casefold().replace(" ", "")
    if key in folded:
        return folded[key]
    digits = re.sub(r"\D", "", name)
    same = [k for k in known if re.sub(r"\D", "", k) == digits]     # Gorup 3 is not Group 7
    found = difflib.get_close_matches(name, same, n=1, cutoff=0.6)
    return found[0] if found else None


def unknown_group(name: str, known: Iterable[str], where: str = "") -> UsageError:
    """'Gorup 3: did you mean Group 3?' (or the list of known groups)."""
    known = list(known)
    hint = closest(name, known)
    head = f"{safe_text(where)}: " if where else ""
    if hint:
        return UsageError(f"{head}{safe_text(name)}: did you mean {safe_text(hint)}? "
                          f"(no such group; the groups are {', '.join(known[:12])})")
    return UsageError(f"{head}{safe_text(name)}: no such group; the groups are "
                      f"{', '.join(known[:12])}{'...' if len(known) > 12 else ''}.")


def check_return_groups(allocations: list[Allocation] | None, returns: Iterable[Return],
                        where: str) -> list[Message]:
    """Raise when a group of the allocation looks like a typo of a return's group (the plan
    says 'Gorup 3', the pack says 'Group 3'); warn about returns from groups it does not name."""
    if not allocations:
        return []
    names = [a.group for a in allocations]
    strays = [r for r in returns if r.group not in names]
    returned = {r.group for r in returns}
    silent = [n for n in names if n not in returned]
    for r in strays:
        hint = closest(r.group, silent)
        if hint:
            raise UsageError(f"{safe_text(where)}: {safe_text(hint)}: did you mean "
                             f"{safe_text(r.group)}? ({safe_text(Path(r.path).name)} is from "
                             f"{safe_text(r.group)}, which {safe_text(Path(where).name)} does "
                             "not name; correct the name and run again)")
    return [Message("warning", f"is from {r.group} ({r.identified_by}), a group "
                    f"{Path(where).name} does not name", r.path) for r in strays]


def looked_at(items: Iterable[str], found: int) -> str:
    """What was given as returns, for the one line saying none could be used."""
    parts = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            parts.append(f"folder {safe_text(item)}")
        elif any(ch in str(item) for ch in "*?[") and not path.exists():
            parts.append(f"pattern {safe_text(item)!r} ({len(glob.glob(str(item)))} matches)")
        else:
            parts.append(safe_text(item))
    files = "file" if found == 1 else "files"
    return f"{', '.join(parts)}: {found} .docx {files}"


def is_collated(path: str | Path, most: int = 512 * 2**20) -> bool:
    """Whether ``path`` is a collated document consult wrote (paragraphs in its summary
    style); reads the main part a chunk at a time, at most ``most`` bytes."""
    mark, tail, seen = f'w:val="{SUMMARY_STYLE}"'.encode(), b"", 0
    try:
        with zipfile.ZipFile(path) as z, z.open("word/document.xml") as fh:
            while (chunk := fh.read(2**20)) and seen < most:
                if mark in tail + chunk:
                    return True
                tail, seen = chunk[-len(mark):], seen + len(chunk)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError, EOFError):
        return False
    return False


def is_consult_text(path: str | Path, starts: tuple[str, ...]) -> bool:
    """Whether a CSV or JSON file begins as consult writes it (its header or first key)."""
    try:
        with open(path, encoding="utf-8") as fh:
            head = fh.read(200)
    except (OSError, UnicodeDecodeError):
        return False
    return head.lstrip().startswith(starts)


def refuse_foreign(path: str | Path, ours: bool, what: str, force: bool) -> None:
    """Refuse to replace an existing file that is not ``what`` consult wrote."""
    target = Path(path)
    if force or not target.exists() or ours:
        return
    kind = "a folder" if target.is_dir() else "a file"
    raise UsageError(f"{safe_text(path)} exists and is {kind} consult did not write as {what}; "
                     "it was left as it is. Choose another name, or use --force to replace it.")


def untouched_pack(path: str | Path, draft, group: str) -> bool:
    """Whether ``path`` is a pack of this draft for ``group`` that nobody has marked up:
    its identity says so, and it holds no comment, no tracked change and no paragraph the
    draft does not have (an edit made with Track Changes off)."""
    from .align import norm
    from .errors import InputError
    from .ooxml.annotations import read_file_annotations
    from .ooxml.build import OUR_STYLES
    from .ooxml.package import Package
    from .ooxml.parts import read_identity
    try:
        pkg = Package.open(path)
        identity = read_identity(pkg)
        if identity.get("draft") != draft.fingerprint or identity.get("group") != group:
            return False
        found = read_file_annotations(pkg)
    except InputError:
        return False
    if found.comments or found.revisions:
        return False
    texts = {norm(p.text) for p in draft.paragraphs}
    return all(norm(t) in texts or style in OUR_STYLES
               for t, style in zip(found.body.paragraphs, found.body.styles))


def is_redline(path: str | Path, author: str, most: int = 512 * 2**20) -> bool:
    """Whether ``path`` is a redline consult wrote: every tracked change is by ``author``."""
    try:
        with zipfile.ZipFile(path) as z, z.open("word/document.xml") as fh:
            text = fh.read(most)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError, EOFError):
        return False
    authors = set(re.findall(rb'w:author="([^"]*)"', text))
    return authors == {author.encode("utf-8")}
