"""The live-session commands (consult[serve]): session and serve."""
from __future__ import annotations

import click

from .cli_common import Failure, run


def _web():
    """consult.web, or a one-line error saying how to install it."""
    try:
        import consult.web as web
        import starlette, uvicorn, jinja2, python_multipart, qrcode  # noqa: F401,E401
    except ImportError as exc:
        raise Failure(f"the live session needs the 'serve' extra ({exc.name} is missing): "
                      "pip install \"consult[serve]\"") from None
    return web


@click.command("session")
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


@click.command("serve")
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
