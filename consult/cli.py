"""The consult command line: a thin layer over the library.

Exit codes: 0 all good; 1 failure (nothing usable was produced); 2 usage error;
3 done, but some inputs were rejected (the output was still written from the rest).
"""
from __future__ import annotations

import signal

import click

from .version import __version__
from .cli_common import (EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE,  # noqa: F401
                         SECTION_FIELDS, Failure, as_csv, as_table, force_option, limit_options,
                         limits_from, load_plan, open_draft, progress_for, refuse_foreign,
                         refuse_overwrite, run, section_rows, show, show_rejected, _cut)
from .cli_collect import annotations, collate_cmd, ingest_cmd
from .cli_prepare import allocate_cmd, distribute, split
from .cli_redraft import register
from .cli_web import _web, serve_cmd, session_cmd  # noqa: F401


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


# -- demo ------------------------------------------------------------------------------------
@click.command()
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


for _command in (split, allocate_cmd, distribute, annotations, ingest_cmd, collate_cmd):
    cli.add_command(_command)
cli.add_command(demo)
register(cli, run, show)
for _command in (session_cmd, serve_cmd):
    cli.add_command(_command)
