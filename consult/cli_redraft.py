"""CLI commands for redrafting: diff two drafts, accept or reject a collated document."""
from __future__ import annotations

import json

import click


def register(cli, run, show) -> None:
    """Add diff, accept and reject to the command group."""

    @cli.command("diff")
    @click.argument("old", type=click.Path(dir_okay=False))
    @click.argument("new", type=click.Path(dir_okay=False))
    @click.option("-o", "--output", type=click.Path(dir_okay=False),
                  help="Write a Word redline (the new draft with tracked changes).")
    @click.option("--author", default="Redraft", show_default=True, help="Redline author.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @click.option("--csv", "as_csv_", is_flag=True, help="Print CSV.")
    @click.option("--level", type=click.IntRange(1, 9), help="Heading level of sections.")
    @click.option("--force", is_flag=True, help="Replace an existing -o file that is not a "
                  "redline consult wrote.")
    def diff_cmd(old, new, output, author, as_json, as_csv_, level, force):
        """Compare two drafts section by section.

        \b
        Example:
          consult diff draft1.docx draft2.docx -o redline.docx
        """
        from .checks import is_redline
        from .cli_common import SECTION_FIELDS, as_csv, as_table, refuse_foreign, refuse_overwrite
        from .diff import diff, diff_rows, write_redline
        if output:
            refuse_overwrite(output, [old, new])
            refuse_foreign(output, is_redline(output, author), "a redline", force)
        d = run(lambda: diff(old, new, level))
        rows = diff_rows(d)
        fields = list(rows[0]) if rows else ["section_old", "section_new", "title", "status",
                                             "changed_pct"]
        if as_json:
            click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        elif as_csv_:
            click.echo(as_csv(rows, fields), nl=False)
        else:
            click.echo(as_table(rows, fields))
        if output:
            run(lambda: write_redline(old, new, output, author=author))
            click.echo(f"Wrote {output}", err=True)

    for name, verb in (("accept", "Accept"), ("reject", "Reject")):
        _accept_command(cli, run, show, name, verb)


GROUP_HELP = {
    "accept": "Accept this group's changes (agreements it shares included) and reject every "
              "other group's: the draft as this group proposed it. The draft's own tracked "
              "changes are accepted. Repeatable.",
    "reject": "Reject this group's changes and accept the rest; a change it agreed with a "
              "group not rejected stays in as that group's, and a conflict two other groups "
              "still contest stays tracked. Repeatable."}


def _accept_command(cli, run, show, name: str, verb: str) -> None:
    doc = (f"{verb} tracked changes in COLLATED and remove comments: the next draft.\n\n"
           "By default conflicting changes are left as tracked changes with their conflict "
           "comments. A change groups agreed on (author \"Group 2 & Group 4\") is each "
           "group's: it stays in while one of them accepts it. Ends with a line saying how "
           "many changes were accepted, rejected and left, and why. A --group or a decisions "
           "row naming no group of COLLATED is an error naming the closest group."
           "\n\n\b\nExample:\n"
           f"  consult {name} collated.docx -o next-draft.docx\n"
           f"  consult {name} collated.docx --group \"Group 2\" -o next-draft.docx\n"
           f"  consult {name} collated.docx --decisions report.csv -o next-draft.docx")

    @cli.command(name, help=doc)
    @click.argument("collated", type=click.Path(dir_okay=False))
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                  help="The clean next draft.")
    @click.option("--all", "everything", is_flag=True,
                  help=f"{verb} every change, conflicts included (not with --group).")
    @click.option("--group", "groups", multiple=True, help=GROUP_HELP[name])
    @click.option("--decisions", type=click.Path(dir_okay=False, exists=True),
                  help="The report CSV with a 'decision' column (accept/reject/leave).")
    def command(collated, output, everything, groups, decisions):
        from .accept import accept, reject
        from .cli_common import refuse_overwrite
        refuse_overwrite(output, [collated])
        mode = "all" if everything else "default"
        fn = accept if name == "accept" else reject
        result = run(lambda: fn(collated, output, mode=mode, groups=list(groups) or None,
                                decisions=decisions))
        show(result.messages)
        click.echo(f"{result.closing_line()}; wrote {output}")
