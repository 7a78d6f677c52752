"""Helpers for the live-session tests: a session from the sample draft, a real server on
127.0.0.1 (always stopped), and pandoc's reading of comments and tracked changes."""
from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import consult
from consult.allocate import allocation_csv
from conftest import SAMPLE_DRAFT

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


# -- pandoc's reading of a .docx ---------------------------------------------------------------
@dataclass(frozen=True)
class PComment:
    author: str
    text: str
    words: str          # the draft's words the comment covers (inserted text left out)
    paragraph: str      # the paragraph's original text


@dataclass(frozen=True)
class PChange:
    kind: str           # insertion or deletion
    author: str
    text: str
    before: str         # original text of the paragraph before the change
    paragraph: str


def pandoc_read(path: Path) -> tuple[list[PComment], list[PChange], list[str]]:
    """Comments, tracked changes and each paragraph's original text, as pandoc reads them."""
    out = subprocess.run(["pandoc", "-f", "docx", "-t", "json", "--track-changes=all",
                          str(path)], capture_output=True, check=True, timeout=120).stdout
    doc = json.loads(out)
    comments: list[PComment] = []
    changes: list[PChange] = []
    paragraphs: list[str] = []
    for inlines in _paragraphs(doc["blocks"]):
        events: list[tuple] = []
        _flatten(inlines, "", "", events)
        original = "".join(e[1] for e in events if e[0] == "text" and e[2] != "insertion")
        paragraphs.append(original)
        _collect(events, original, comments, changes)
    return comments, changes, paragraphs


def _paragraphs(blocks: list):
    for block in blocks:
        kind, content = block["t"], block.get("c")
        if kind in ("Para", "Plain"):
            yield content
        elif kind == "Header":
            yield content[2]
        elif kind in ("BulletList", "OrderedList"):
            items = content if kind == "BulletList" else content[1]
            for item in items:
                yield from _paragraphs(item)
        elif kind in ("BlockQuote", "Div"):
            yield from _paragraphs(content if kind == "BlockQuote" else content[1])
        elif kind == "Table":
            for part in _table_cells(content):
                yield from _paragraphs(part)


def _table_cells(content) -> list:
    found: list = []

    def walk(x):
        if isinstance(x, dict) and x.get("t") in ("Para", "Plain"):
            found.append([x])
        elif isinstance(x, dict):
            walk(x.get("c"))
        elif isinstance(x, list):
            for y in x:
                walk(y)
    walk(content)
    return found


def _text(inlines: list) -> str:
    events: list = []
    _flatten(inlines, "", "", events)
    return "".join(e[1] for e in events if e[0] == "text")


def _flatten(inlines: list, state: str, author: str, out: list) -> None:
    for x in inlines:
        kind, c = x["t"], x.get("c")
        if kind == "Str":
            out.append(("text", c, state, author))
        elif kind in ("Space", "SoftBreak"):
            out.append(("text", " ", state, author))
        elif kind == "LineBreak":
            out.append(("text", "\n", state, author))
        elif kind == "Span":
            (_ident, classes, attrs), inner = c
            who, cid = dict(attrs).get("author", ""), dict(attrs).get("id", "")
            if "comment-start" in classes:
                out.append(("cstart", cid, who, _text(inner)))
            elif "comment-end" in classes:
                out.append(("cend", cid))
                _flatten(inner, state, author, out)
            elif "insertion" in classes or "deletion" in classes:
                _flatten(inner, classes[0], who, out)
            else:
                _flatten(inner, state, author, out)
        elif kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps", "Superscript",
                      "Subscript"):
            _flatten(c, state, author, out)
        elif kind in ("Link", "Quoted"):
            _flatten(c[1], state, author, out)


def _collect(events: list, original: str, comments: list, changes: list) -> None:
    open_: dict[str, tuple[str, str, list]] = {}
    pos = 0
    run: list = []              # the change being read: kind, author, text, before
    for e in events:
        if e[0] == "cstart":
            open_[e[1]] = (e[2], e[3], [])
        elif e[0] == "cend" and e[1] in open_:
            who, text, words = open_.pop(e[1])
            comments.append(PComment(who, text, "".join(words), original))
        elif e[0] == "text":
            _, s, state, who = e
            if state != "insertion":
                for _id, (_w, _t, words) in open_.items():
                    words.append(s)
            if state:
                if run and run[0] == state and run[1] == who:
                    run[2] += s
                else:
                    if run:
                        changes.append(PChange(run[0], run[1], run[2], run[3], original))
                    run = [state, who, s, original[:pos]]
            elif run:
                changes.append(PChange(run[0], run[1], run[2], run[3], original))
                run = []
            if state != "insertion":
                pos += len(s)
    if run:
        changes.append(PChange(run[0], run[1], run[2], run[3], original))
