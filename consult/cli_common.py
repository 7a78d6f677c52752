"""What every consult command shares: exit codes, error mapping, messages, options, tables."""
from __future__ import annotations

import csv
import io
import sqlite3
import sys
from pathlib import Path

import click

from .allocate import read_plan
from .checks import refuse_foreign as _refuse_foreign
from .errors import ConsultError, UsageError
from .model import Draft
from .ooxml.package import MAX_ENTRIES, MAX_PART_BYTES, MAX_TOTAL_BYTES, Limits
from .results import safe_text
from .split import load_draft

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
SECTION_FIELDS = ["id", "number", "title", "level", "paragraphs", "words", "pages",
                  "first_page", "last_page"]


class Failure(click.ClickException):
    exit_code = EXIT_FAILURE


def run(fn):
    """Call library code, turning its errors into one-line messages and exit codes."""
    try:
        return fn()
    except UsageError as exc:
        raise click.UsageError(safe_text(exc)) from None
    except ConsultError as exc:
        raise Failure(safe_text(exc)) from None
    except sqlite3.Error as exc:            # the batch's temporary database (TMPDIR full)
        raise Failure(f"the temporary files could not be written ({safe_text(exc)}); free some "
                      "space or set TMPDIR to a folder with room, and run again.") from None
    except OSError as exc:
        where = f"{safe_text(exc.filename)}: " if exc.filename else ""
        raise Failure(f"{where}{safe_text(exc.strerror or exc)}; nothing more was "
                      "written.") from None


def show(messages, info: bool = False, skip: set[str] = frozenset()) -> None:
    """Print warnings (and notes, with ``info``) to stderr, one line each; ``skip``: files
    already reported (a rejected file is named once)."""
    for m in messages:
        if (m.level != "info" or info) and m.where not in skip:
            click.echo(f"{m.level.capitalize()}: {m}", err=True)


def show_rejected(rejected) -> set[str]:
    """One 'Error: file: reason' line for each rejected input; the paths shown."""
    for r in rejected:
        click.echo(f"Error: {safe_text(r.path)}: {safe_text(r.reason)}", err=True)
    return {r.path for r in rejected}


def refuse_foreign(path, ours: bool, what: str, force: bool) -> None:
    """Exit 2 rather than replace a file consult did not write as ``what``."""
    run(lambda: _refuse_foreign(path, ours, what, force))


def force_option(fn):
    return click.option("--force", is_flag=True, help="Replace existing files that consult "
                        "did not write for this purpose.")(fn)


def limit_options(fn):
    """--max-part-mb / --max-total-mb / --max-entries: raise the safety limits for big files."""
    fn = click.option("--max-entries", type=click.IntRange(1), default=MAX_ENTRIES,
                      show_default=True, help="Most zip entries a file may have.")(fn)
    fn = click.option("--max-total-mb", type=click.IntRange(1),
                      default=MAX_TOTAL_BYTES // 2**20, show_default=True,
                      help="Most a file may expand to, in MB.")(fn)
    fn = click.option("--max-part-mb", type=click.IntRange(1),
                      default=MAX_PART_BYTES // 2**20, show_default=True,
                      help="Most one part of a file may expand to, in MB.")(fn)
    return fn


def limits_from(max_part_mb: int, max_total_mb: int, max_entries: int) -> Limits:
    return Limits(max_part_bytes=max_part_mb * 2**20, max_total_bytes=max_total_mb * 2**20,
                  max_entries=max_entries)


def open_draft(path: str, level: int | None) -> Draft:
    """The draft split at ``level`` (1 = Heading 1); a level it has no headings at is refused."""
    draft = run(lambda: load_draft(path, level))
    have = sorted({p.outline + 1 for p in draft.paragraphs if p.outline is not None})
    if level is not None and level not in have:
        raise click.BadParameter(
            f"{safe_text(path)} has no headings at level {level} (its heading levels are "
            f"{', '.join(map(str, have)) or 'none'}).", param_hint="'--level'")
    return draft


def refuse_overwrite(output: str | Path, inputs: list) -> None:
    out = Path(output).resolve()
    for item in inputs:
        if Path(item).exists() and Path(item).resolve() == out:
            raise click.UsageError(f"output {str(output)!r} is also an input; choose another "
                                   "name (inputs are never modified).")


# -- tables --------------------------------------------------------------------------------
def section_rows(draft: Draft) -> list[dict]:
    return [{"id": s.id, "number": s.number, "title": s.title, "level": s.level,
             "paragraphs": s.end - s.start, "words": s.words, "pages": s.pages,
             "first_page": s.first_page, "last_page": s.last_page} for s in draft.sections]


def as_csv(rows: list[dict], fields: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fields, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def as_table(rows: list[dict], fields: list[str]) -> str:
    widths = {f: max([len(f)] + [len(str(r[f])) for r in rows]) for f in fields}
    widths = {f: min(w, 48) for f, w in widths.items()}
    lines = ["  ".join(f.ljust(widths[f]) for f in fields)]
    for r in rows:
        lines.append("  ".join(_cut(str(r[f]), widths[f]).ljust(widths[f]) for f in fields))
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def load_plan(draft_path: str, plan: str, level: int | None):
    """The draft split at the level whose section ids the plan uses, and the plan."""
    levels = [level] if level is not None else [None, 1, 2, 3, 4]
    last: Exception | None = None
    for lvl in levels:
        d = open_draft(draft_path, lvl) if level is not None else run(
            lambda: load_draft(draft_path, lvl))
        try:
            return d, read_plan(d, plan)
        except UsageError as exc:
            last = exc
    raise click.UsageError(str(last))


def progress_for(paths_hint: int):
    """A progress callback drawing a bar on a terminal when there are many files."""
    if paths_hint < 4 or not sys.stderr.isatty():
        return None, None
    bar = click.progressbar(length=paths_hint, label="Reading returns", file=sys.stderr)
    bar.__enter__()
    return (lambda _p: bar.update(1)), bar

