"""The command line's checks around a batch: what was given as returns, none usable,
group names, the closing line; and recognising consult's own allocation sheet."""
from __future__ import annotations

import zipfile
from pathlib import Path

from .results import Message, safe_text


def is_sheet(path: str) -> bool:
    """An allocation sheet consult wrote: its first heading says so."""
    try:
        with zipfile.ZipFile(path) as z:
            return b"Who reads what" in z.read("word/document.xml")[:20000]
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError):
        return False


def returns_of(items, draft: str):
    """The files given as returns, and Rejected entries for the draft given among them."""
    from .cli_common import Failure
    from .ingest import expand_inputs
    from .model import Rejected
    try:
        paths = expand_inputs(items)
    except OSError as exc:
        raise Failure(f"{safe_text(exc.filename or items[0])}: cannot be read "
                      f"({safe_text(exc.strerror or exc)}); check that you may read it.") from None
    me = Path(draft).resolve()
    drafts = [Rejected(str(p), "is the draft itself, not a return; it was left out.")
              for p in paths if p.resolve() == me]
    return [p for p in paths if p.resolve() != me], drafts


def no_returns(items, looked: int, rejected) -> None:
    """Exit 1 with one line saying what was looked at, when no return could be used."""
    from .checks import looked_at
    from .cli_common import Failure, show_rejected
    show_rejected(rejected)
    raise Failure(f"no usable return: looked at {looked_at(items, looked)}"
                  + (f", {len(rejected)} rejected" if rejected else "") + "; nothing was written.")


def check_groups(where, allocations, rets) -> list:
    """Typo'd group names in the allocation are a usage error; strays are warnings."""
    from .checks import check_return_groups
    from .cli_common import run
    return run(lambda: check_return_groups(allocations, list(rets), where or ""))


def rejected_entry(path, reason):
    from .model import Rejected
    return Rejected(str(path), reason)


def warning_for(path, text):
    return Message("warning", text, str(path))


def closing_line(col, output: str) -> str:
    """'Collated 6 of 7 groups (Group 7 did not return); 2 conflicts; 0 unplaced; ...'"""
    missing = col.missing_groups if col.allocations else []
    groups = len({g for g, _ in col.returned})
    head = (f"Collated {groups} of {len(col.groups)} groups" if col.allocations
            else f"Collated {groups} {'group' if groups == 1 else 'groups'}")
    if missing:
        shown_ = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5
                                           else "")
        head += f" ({shown_} did not return)"
    n = len(col.rejected)
    rejected = f"; {n} {'file' if n == 1 else 'files'} rejected" if n else ""
    return (f"{head}; {len(col.conflicts)} conflicts; {len(col.unplaced)} unplaced{rejected}; "
            f"wrote {output}")
