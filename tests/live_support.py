"""Helpers for the live-session tests: a session from the sample draft, a real server on
127.0.0.1 (always stopped), and pandoc's reading of comments and tracked changes."""
from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import consult
from consult.allocate import allocation_csv
from conftest import SAMPLE_DRAFT
from pandoc_reader import PChange, PComment  # noqa: F401
from pandoc_reader import read_changes as pandoc_read  # noqa: F401

ORIGIN_OF = re.compile(r"^(https?://[^/]+)")
RUN_CLI = "import sys; from consult.cli import main; sys.argv[0] = 'consult'; main()"


def make_session(folder: Path, groups: int = 3) -> Path:
    """A session of the sample draft for ``groups`` groups in ``folder``/session."""
    from consult.web import create_session
    draft = consult.load_draft(SAMPLE_DRAFT)
    allocations = consult.allocate(draft, consult.group_names(groups))
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / "allocation.csv"
    plan.write_text(allocation_csv(draft, allocations), encoding="utf-8")
    create_session(SAMPLE_DRAFT, plan, folder / "session")
    return folder / "session"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def server(session: Path, port: int | None = None):
    """``consult serve`` in its own process on 127.0.0.1; yields (base URL, process)."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-c", RUN_CLI, "serve", str(session), "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_up(base, proc)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        for stream in (proc.stdout, proc.stderr):
            stream.close()


def wait_up(base: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    """Until the server answers (bounded), or fail with its error output."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server stopped: " + proc.stderr.read().decode()[-2000:])
        try:
            with urllib.request.urlopen(base + "/", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server at {base} did not answer within {seconds} s")


def csrf_of(html: str) -> str:
    return re.search(r'<meta name="csrf" content="([^"]+)"', html).group(1)
