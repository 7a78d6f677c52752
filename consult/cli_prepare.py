"""The commands that prepare a session: split, allocate and distribute."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .allocate import allocate, allocation_csv, allocation_rows, group_names, read_plan
from .checks import is_consult_text
from .cli_batch import is_sheet
from .cli_common import (SECTION_FIELDS, as_csv, as_table, force_option, load_plan, open_draft,
                         refuse_foreign, refuse_overwrite, run, section_rows, show)
from .ooxml.package import write_atomic
from .results import safe_text


# -- split ----------------------------------------------------------------------------------
@click.command()
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
@click.command("allocate")
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


# -- distribute ------------------------------------------------------------------------------
@click.command()
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

