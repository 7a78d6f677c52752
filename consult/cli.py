"""The consult command line: a thin layer over the library.

Exit codes: 0 all good; 1 failure (nothing usable was produced); 2 usage error;
3 done, but some inputs were rejected (the output was still written from the rest).
"""
from __future__ import annotations

import csv
import io
import json
import signal
import sqlite3
import sys
from pathlib import Path

import click

from . import __version__
from .allocate import allocate, allocation_csv, allocation_rows, group_names, read_plan
from .checks import is_consult_text
from .cli_batch import (check_groups, closing_line, is_sheet, no_returns, rejected_entry,
                        returns_of, warning_for)
from .checks import refuse_foreign as _refuse_foreign
from .errors import ConsultError, PartialOutputError, UsageError
from .model import Draft
from .ooxml.package import MAX_ENTRIES, MAX_PART_BYTES, MAX_TOTAL_BYTES, Limits, write_atomic
from .results import safe_text
from .split import load_draft

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3
SECTION_FIELDS = ["id", "number", "title", "level", "paragraphs", "words", "pages",
                  "first_page", "last_page"]


class Failure(click.ClickException):
    exit_code = EXIT_FAILURE


def _stop(signum, _frame) -> None:
    """SIGTERM ends the command like Ctrl-C, so temporary files are removed on the way out."""
    raise KeyboardInterrupt(f"signal {signum}")


def main() -> None:
    """Console entry point."""
    signal.signal(signal.SIGTERM, _stop)
    cli(prog_name="consult")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="consult")
def cli() -> None:
    """Collate a room full of marked-up Word documents into one response.

    \b
    The loop:  split -> allocate -> distribute -> (groups edit) -> collate
    Exit codes: 0 all good, 1 failure, 2 usage error, 3 done but some inputs rejected.
    """


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


# -- split ----------------------------------------------------------------------------------
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


@cli.command()
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option("--level", type=click.IntRange(1, 9), help="Heading level that starts a section "
              "(1 = Heading 1). Default: the level giving a sensible number of sections.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--csv", "as_csv_", is_flag=True, help="Print CSV.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Save as .json or .csv.")
@force_option
def split(draft, level, as_json, as_csv_, output, force):
    """Show the sections of DRAFT: number, title, paragraphs, words, pages.

    \b
    Example:
      consult split draft.docx
      consult split draft.docx --level 2 --json -o sections.json
    """
    d = open_draft(draft, level)
    rows = section_rows(d)
    data = {"draft": d.path, "fingerprint": d.fingerprint, "level": d.level,
            "pages_estimated": d.pages_estimated, "sections": rows}
    note = " (estimated)" if d.pages_estimated else ""
    closing = f"{len(rows)} sections, {d.words} words, pages{note}"
    if output:
        refuse_overwrite(output, [draft])
        is_csv = str(output).lower().endswith(".csv")
        refuse_foreign(output, is_consult_text(output, ("id,number,", '{\n  "draft"')),
                       "a sections list", force)
        text = (as_csv(rows, SECTION_FIELDS) if is_csv
                else json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        run(lambda: write_atomic(output, text.encode("utf-8")))
        click.echo(f"Wrote {output}: {closing}", err=as_json or as_csv_)
    elif as_json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    elif as_csv_:
        click.echo(as_csv(rows, SECTION_FIELDS), nl=False)
    else:
        click.echo(as_table(rows, SECTION_FIELDS))
        click.echo(closing)
    show(d.messages)


# -- allocate -------------------------------------------------------------------------------
@cli.command("allocate")
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option("--groups", "groups_", help="Number of groups, or a text file with one name a line.")
@click.option("--plan", type=click.Path(dir_okay=False, exists=True),
              help="An explicit plan CSV (group, sections or pages) instead of --groups.")
@click.option("--coverage", default=1, show_default=True, type=click.IntRange(1),
              help="How many groups read each section.")
@click.option("--per-group-pages", type=click.FloatRange(min=0.5),
              help="About how many pages each group reads.")
@click.option("--level", type=click.IntRange(1, 9), help="Heading level of sections.")
@click.option("-o", "--output", default="allocation.csv", show_default=True,
              type=click.Path(dir_okay=False), help="Where to write the allocation CSV.")
@click.option("--sheet", type=click.Path(dir_okay=False),
              help="Also write a printable allocation sheet (.docx). Default: beside the CSV.")
@force_option
def allocate_cmd(draft, groups_, plan, coverage, per_group_pages, level, output, sheet, force):
    """Assign the sections of DRAFT to groups and write allocation.csv.

    \b
    Example:
      consult allocate draft.docx --groups 8
      consult allocate draft.docx --groups names.txt --coverage 2 -o allocation.csv
      consult allocate draft.docx --plan session-plan.csv
    """
    from .results import Messages
    from .sheet import write_sheet
    d = open_draft(draft, level)
    messages = Messages()
    if plan:
        allocations = run(lambda: read_plan(d, plan))
    else:
        if not groups_:
            raise click.UsageError("give --groups N, --groups FILE or --plan CSV.")
        names = run(lambda: group_names(groups_))
        allocations = run(lambda: allocate(d, names, coverage, per_group_pages, messages))
    sheet = sheet or str(Path(output).with_name(Path(output).stem + "-sheet.docx"))
    refuse_overwrite(output, [draft] + ([plan] if plan else []))
    refuse_overwrite(sheet, [draft] + ([plan] if plan else []) + [output])
    refuse_foreign(output, is_consult_text(output, ("group,sections,",)), "an allocation", force)
    refuse_foreign(sheet, is_sheet(sheet), "an allocation sheet", force)
    run(lambda: write_atomic(output, allocation_csv(d, allocations).encode("utf-8")))
    run(lambda: write_sheet(d, allocations, sheet))
    rows = allocation_rows(d, allocations)
    click.echo(as_table(rows, ["group", "sections", "words", "pages"]))
    show(list(d.messages) + list(messages))
    given = {s for a in allocations for s in a.sections}
    left = [sec.id for sec in d.sections if sec.id not in given]
    click.echo(f"Allocated {len(d.sections) - len(left)} of {len(d.sections)} sections to "
               f"{len(allocations)} group{'s' if len(allocations) != 1 else ''}"
               + (f" ({len(left)} not allocated)" if left else "")
               + f"; wrote {output} and {sheet}")


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


# -- distribute ------------------------------------------------------------------------------
@cli.command()
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option("--allocation", required=True, type=click.Path(dir_okay=False, exists=True),
              help="allocation.csv from 'consult allocate', or a plan CSV.")
@click.option("-o", "--output", default="packs", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the packs.")
@click.option("--context", type=click.Choice(["sections", "full"]), default="sections",
              show_default=True, help="Only the group's sections, or the full draft with the "
              "rest marked 'for reference'.")
@click.option("--prompts", type=click.Path(dir_okay=False, exists=True),
              help="Text file of prompt questions for the cover page, one a line.")
@click.option("--level", type=click.IntRange(1, 9), help="Heading level of sections.")
@force_option
def distribute(draft, allocation, output, context, prompts, level, force):
    """Write one pack (.docx) per group into a folder.

    \b
    Example:
      consult distribute draft.docx --allocation allocation.csv -o packs/
    """
    from .checks import untouched_pack
    from .packs import pack_paths, read_prompts, write_packs
    d, allocations = load_plan(draft, allocation, level)
    targets = pack_paths(allocations, output)
    for path in targets:
        refuse_overwrite(path, [draft, allocation] + ([prompts] if prompts else []))
    if Path(output).exists() and not Path(output).is_dir():
        raise click.UsageError(f"{safe_text(output)} is a file, not a folder; choose a folder "
                               "for the packs.")
    if not force:
        kept = [p for a, p in zip(allocations, targets)
                if p.exists() and not untouched_pack(p, d, a.group)]
        if kept:
            names = ", ".join(safe_text(p.name) for p in kept)
            verb = "is not a pack" if len(kept) == 1 else "are not packs"
            raise click.UsageError(
                f"{safe_text(output)} already holds {names}, which {verb} "
                "of this draft as consult wrote it (a group's marked-up return, or another "
                "draft's pack); nothing was written. Choose another folder, or use --force to "
                "replace them.")
    paths = run(lambda: write_packs(d, allocations, output, context, read_prompts(prompts)))
    for a, p in zip(allocations, paths):
        click.echo(f"{a.group}: {p} ({', '.join(a.sections)})")
    show(d.messages)
    click.echo(f"Wrote {len(paths)} packs into {output}")


# -- annotations and ingest -----------------------------------------------------------------
@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON shape.")
@limit_options
def annotations(file, as_json, max_part_mb, max_total_mb, max_entries):
    """List every comment, reply and tracked change in FILE (no draft needed).

    \b
    Example:
      consult annotations "Group 3.docx" --json
    """
    from .annotations import annotations_json, annotations_text, read_annotations
    a = run(lambda: read_annotations(file, limits_from(max_part_mb, max_total_mb, max_entries)))
    if as_json:
        click.echo(json.dumps(annotations_json(a), indent=2, ensure_ascii=False))
    else:
        click.echo(annotations_text(a))
    show(a.messages)


def progress_for(paths_hint: int):
    """A progress callback drawing a bar on a terminal when there are many files."""
    if paths_hint < 4 or not sys.stderr.isatty():
        return None, None
    bar = click.progressbar(length=paths_hint, label="Reading returns", file=sys.stderr)
    bar.__enter__()
    return (lambda _p: bar.update(1)), bar


@cli.command("ingest")
@click.argument("draft", type=click.Path(dir_okay=False))
@click.argument("returns", nargs=-1, required=True)
@click.option("--allocation", type=click.Path(dir_okay=False, exists=True),
              help="allocation.csv, to name groups and their sections.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--level", type=click.IntRange(1, 9), help="Heading level of sections.")
@limit_options
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1),
              help="Read the returns in N processes at once (for large batches).")
def ingest_cmd(draft, returns, allocation, as_json, level, max_part_mb, max_total_mb,
               max_entries, jobs):
    """Read annotated RETURNS (files, folders, globs) and place them on DRAFT.

    \b
    Example:
      consult ingest draft.docx returns/ --json
      consult ingest draft.docx returns/ --jobs 4
    """
    from .ingest import expand_inputs, ingest
    from .ingest_report import ingest_json, ingest_text
    d, allocations = (load_plan(draft, allocation, level) if allocation
                      else (open_draft(draft, level), None))
    paths, drafts = returns_of(returns, draft)
    tick, bar = progress_for(len(paths))
    limits = limits_from(max_part_mb, max_total_mb, max_entries)
    result = run(lambda: ingest(d, paths, allocations, limits, progress=tick, jobs=jobs))
    if bar:
        bar.__exit__(None, None, None)
    extra = check_groups(allocation, allocations, result.returns)
    if not result.returns:
        no_returns(returns, len(paths) + len(drafts), drafts + result.rejected)
    extra += [warning_for(r.path, r.reason) for r in drafts]
    click.echo(json.dumps(ingest_json(d, result), indent=2, ensure_ascii=False) if as_json
               else ingest_text(d, result))
    shown_ = show_rejected(result.rejected)
    show(result.messages + [m for r in result.returns for m in r.messages] + extra, info=True,
         skip=shown_)
    click.echo(f"Read {len(result.returns)} of {len(paths)} files: "
               f"{sum(len(r.placed) for r in result.returns)} annotations placed, "
               f"{sum(len(r.unplaced) for r in result.returns)} unplaced, "
               f"{len(result.rejected)} rejected", err=as_json)
    if result.rejected:
        sys.exit(EXIT_PARTIAL)


# -- collate ------------------------------------------------------------------------------
@cli.command("collate")
@click.argument("draft", type=click.Path(dir_okay=False))
@click.argument("returns", nargs=-1, required=True)
@click.option("-o", "--output", default="collated.docx", show_default=True,
              type=click.Path(dir_okay=False), help="The collated Word document.")
@click.option("--report", type=click.Path(file_okay=False),
              help="Folder for report.csv, report.html and report.md.")
@click.option("--allocation", type=click.Path(dir_okay=False, exists=True),
              help="allocation.csv, to name groups, their sections and who did not return.")
@click.option("--author", "author_mode", type=click.Choice(["group", "person", "both"]),
              default="group", show_default=True, help="Credit changes to the group, the "
              "reviewer, or both.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine summary as JSON.")
@click.option("--level", type=click.IntRange(1, 9), help="Heading level of sections.")
@limit_options
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1),
              help="Read the returns in N processes at once (for large batches).")
@force_option
def collate_cmd(draft, returns, output, report, allocation, author_mode, as_json, level,
                max_part_mb, max_total_mb, max_entries, jobs, force):
    """Collate every group's RETURNS (files, folders, globs) into one Word document.

    \b
    Example:
      consult collate draft.docx returns/ -o collated.docx --report report/
      consult collate draft.docx returns/ --jobs 4 -o collated.docx
    Exit code 3 means some inputs were rejected; the document was still written.
    """
    from .collate import collate
    from .checks import is_collated
    from .report import write_reports, write_summary_json
    d, allocations = (load_plan(draft, allocation, level) if allocation
                      else (open_draft(draft, level), None))
    paths, drafts = returns_of(returns, draft)
    refuse_overwrite(output, [draft, allocation or draft] + paths)
    refuse_foreign(output, is_collated(output), "a collated document", force)
    tick, bar = progress_for(len(paths))
    limits = limits_from(max_part_mb, max_total_mb, max_entries)
    col = run(lambda: collate(d, paths, allocations, author_mode, limits, progress=tick,
                              exclude=[output], jobs=jobs))
    if bar:
        bar.__exit__(None, None, None)
    extra = check_groups(allocation, allocations, col.returns)
    usable = [t for t in col.tallies if t.comments or t.revisions or t.unplaced]
    if not usable:
        empty = [r for r in col.returns]
        no_returns(returns, len(paths) + len(drafts), drafts + col.rejected + [
            rejected_entry(r.path, "has no comments or changes (the pack as it was sent?)")
            for r in empty])
    extra += [warning_for(r.path, r.reason) for r in drafts]
    extra += [warning_for(t.path, "has no comments or changes (the pack as it was sent?)")
              for t in col.tallies if t not in usable]
    run(lambda: col.save(output))
    failed = ""
    written = []
    if report:
        try:
            written = [str(p) for p in run(lambda: write_reports(col, report))]
        except Failure as exc:
            failed = exc.message
    if as_json:
        write_summary_json(col, lambda text: click.echo(text, nl=False))
    elif written:
        click.echo("Reports: " + ", ".join(written))
    shown_ = show_rejected(col.rejected)
    show(col.messages + extra, info=True, skip=shown_)
    click.echo(closing_line(col, output), err=as_json)
    if failed:
        raise Failure(f"{safe_text(output)} was written, but not every report: {failed}")
    if col.rejected:
        sys.exit(EXIT_PARTIAL)


# -- demo ------------------------------------------------------------------------------------
@cli.command()
@click.argument("folder", default="demo-output", type=click.Path(file_okay=False))
def demo(folder):
    """Run the whole loop on the bundled samples into FOLDER.

    \b
    split -> allocate -> distribute -> collate the sample returns -> reports
    Example:
      consult demo demo-output
    """
    from .demo import run_demo
    lines = run(lambda: run_demo(folder))
    for line in lines:
        click.echo(line)


from .cli_redraft import register  # noqa: E402

register(cli, run, show)


# -- live session (consult[serve]) -------------------------------------------------------------
def _web():
    """consult.web, or a one-line error saying how to install it."""
    try:
        import consult.web as web
        import starlette, uvicorn, jinja2, python_multipart, qrcode  # noqa: F401,E401
    except ImportError as exc:
        raise Failure(f"the live session needs the 'serve' extra ({exc.name} is missing): "
                      "pip install \"consult[serve]\"") from None
    return web


@cli.command("session")
@click.argument("draft", type=click.Path(dir_okay=False, exists=True))
@click.option("--allocation", required=True, type=click.Path(dir_okay=False, exists=True),
              help="allocation.csv from 'consult allocate', or a plan CSV.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="A new (or empty) folder for the session.")
def session_cmd(draft, allocation, output):
    """Make a live-session folder: the draft, the allocation and a database with a secret
    link for each group and one for the facilitator.

    \b
    Example:
      consult session draft.docx --allocation allocation.csv -o session/
      consult serve session/
    """
    web = _web()
    run(lambda: web.create_session(draft, allocation, output))
    click.echo(f"Session ready in {output}. Start it with: consult serve {output}")


@cli.command("serve")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets phones on the room's network join.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--url", "public_url", default="",
              help="The address groups use, for the printed links and QR codes "
                   "(default: http://HOST:PORT).")
def serve_cmd(folder, host, port, public_url):
    """Serve a live session: groups respond in the browser, the facilitator watches, shares
    and closes (which writes collated.docx and the reports into FOLDER).

    \b
    Example:
      consult serve session/
      consult serve session/ --host 0.0.0.0 --url http://192.168.1.20:8000
    """
    web = _web()
    if host in ("0.0.0.0", "::") and not public_url:
        click.echo("note: give --url http://THIS-LAPTOP'S-ADDRESS:PORT so that the links and "
                   "QR codes work on the groups' phones.", err=True)
    base = public_url or f"http://{host}:{port}"
    facilitator, groups = run(lambda: web.links(folder, base))
    click.echo(f"Facilitator (keep this private): {facilitator}")
    for name, url in groups:
        click.echo(f"{name}: {url}")
    click.echo("Press Ctrl+C to stop; everything sent so far is kept in the session folder.")
    web.serve(folder, host, port, base)
