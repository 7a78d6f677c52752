"""Reading a regular file safely, and writing one atomically (the old file or the new, whole)."""
from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Callable

from ..errors import InputError, OutputError


NOT_FILES = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
             (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_file(path: os.PathLike | str, most: int) -> bytes:
    """At most ``most`` bytes of a regular file; InputError for anything else (a FIFO or
    device is refused before reading, so it cannot hang; opened non-blocking for the same
    reason), or when the file vanishes or cannot be read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(path, "file not found (it may have been moved or deleted).") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a .docx file.") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc}). Check that the "
                               "file is not open elsewhere and that you may read it.") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(path, "is a folder, not a .docx file.")
        for test, kind in NOT_FILES:
            if test(mode):
                raise InputError(path, f"is {kind}, not a .docx file; it was not read.")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            # read(n) sets aside n bytes first: ask for no more than the file holds
            size = os.fstat(fd).st_size or most
            return fh.read(min(size, most))
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc}).") from None
    finally:
        os.close(fd)


def write_atomic(path: os.PathLike | str, data: bytes | Callable[[IO[bytes]], None]) -> None:
    """Write ``data`` (bytes, or a function writing to a file) to a temporary file beside
    ``path`` and rename it into place.

    Either the old file or the complete new one is left at ``path``; the temporary file
    never outlives a failure.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + target.name + ".", suffix=".tmp",
                                   dir=str(target.parent))
    except OSError as exc:
        raise OutputError(f"{path}: cannot be written ({exc.strerror or exc}).") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if callable(data):
                data(fh)
            else:
                fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _file_mode(target))
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot be written ({exc.strerror or exc}).") from None
        raise


def _file_mode(target: Path) -> int:
    """The mode of the file being replaced, or what a new file gets (mkstemp uses 0600)."""
    with contextlib.suppress(OSError):
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
