"""The commands that read returns: annotations, ingest and collate."""
from __future__ import annotations

import json
import sys

import click

from .cli_batch import (check_groups, closing_line, no_returns, rejected_entry, returns_of,
                        warning_for)
from .cli_common import (EXIT_PARTIAL, Failure, force_option, limit_options, limits_from,
                         load_plan, open_draft, progress_for, refuse_foreign, refuse_overwrite,
                         run, show, show_rejected)
from .results import safe_text


# -- annotations and ingest -----------------------------------------------------------------
@click.command()
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


@click.command("ingest")
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
@click.command("collate")
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

