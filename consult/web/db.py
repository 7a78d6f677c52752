"""The session's state in SQLite (WAL): groups and tokens, responses, uploads; each write
is committed before it is acknowledged."""
from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS groups(
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, token TEXT NOT NULL UNIQUE,
    sections TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses(
    id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id),
    nonce TEXT NOT NULL, kind TEXT NOT NULL, paragraph INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, quote TEXT NOT NULL, text TEXT NOT NULL,
    parent INTEGER REFERENCES responses(id), created TEXT NOT NULL, updated TEXT NOT NULL,
    withdrawn INTEGER NOT NULL DEFAULT 0, UNIQUE(group_id, nonce));
CREATE TABLE IF NOT EXISTS uploads(
    id INTEGER PRIMARY KEY, group_id INTEGER NOT NULL REFERENCES groups(id),
    file TEXT NOT NULL, original TEXT NOT NULL, size INTEGER NOT NULL, created TEXT NOT NULL,
    comments INTEGER NOT NULL, revisions INTEGER NOT NULL, current INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS upload_items(
    upload_id INTEGER NOT NULL REFERENCES uploads(id), kind TEXT NOT NULL,
    section TEXT NOT NULL, paragraph INTEGER NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, text TEXT NOT NULL);
"""
OPEN = "(SELECT value FROM meta WHERE key = 'state') = 'open'"
COLUMNS = ("id", "group_id", "nonce", "kind", "paragraph", "start", "end", "quote", "text",
           "parent", "created", "updated", "withdrawn")


class Closed(Exception):
    """The session is closing or closed: nothing more is stored."""


def now() -> str:
    """The time, as Word writes dates (UTC, whole seconds)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    token: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class Response:
    id: int
    group_id: int
    nonce: str
    kind: str
    paragraph: int
    start: int
    end: int
    quote: str
    text: str
    parent: int | None
    created: str
    updated: str
    withdrawn: int

    def public(self) -> dict:
        """What a page may see (no nonce)."""
        return {k: getattr(self, k) for k in COLUMNS if k not in ("nonce", "group_id")}


@dataclass(frozen=True)
class Upload:
    id: int
    group_id: int
    file: str
    original: str
    size: int
    created: str
    comments: int
    revisions: int


class Store:
    """One SQLite file; a connection per thread, every write its own transaction."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()

    def connect(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def write(self, sql: str, args: tuple = ()) -> sqlite3.Cursor:
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute(sql, args)
            conn.execute("COMMIT")
            return cur
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def script(self, steps: list[tuple[str, tuple]]) -> None:
        """Several writes in one transaction."""
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            for sql, args in steps:
                conn.execute(sql, args)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        return self.connect().execute(sql, args).fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # -- setting up ------------------------------------------------------------------------
    def create(self, groups: list[tuple[str, str, tuple[str, ...]]], meta: dict[str, str]) -> None:
        self.connect().executescript(SCHEMA)
        self.script([("INSERT INTO meta VALUES (?, ?)", (k, v)) for k, v in meta.items()]
                    + [("INSERT INTO groups(name, token, sections) VALUES (?, ?, ?)",
                        (name, token, ";".join(sections))) for name, token, sections in groups])

    def meta(self, key: str, default: str = "") -> str:
        found = self.rows("SELECT value FROM meta WHERE key = ?", (key,))
        return found[0][0] if found else default

    def set_meta(self, key: str, value: str) -> None:
        self.write("INSERT INTO meta VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = ?",
                   (key, value, value))

    # -- groups ------------------------------------------------------------------------------
    def groups(self) -> list[Group]:
        return [Group(i, n, t, tuple(s.split(";")) if s else ())
                for i, n, t, s in self.rows("SELECT id, name, token, sections FROM groups "
                                            "ORDER BY id")]

    def group_by_token(self, token: str) -> Group | None:
        found = [g for g in self.groups() if _same(g.token, token)]
        return found[0] if found else None

    # -- responses -----------------------------------------------------------------------------
    def add_response(self, group_id: int, nonce: str, kind: str, paragraph: int, start: int,
                     end: int, quote: str, text: str, parent: int | None) -> tuple[Response, bool]:
        """Store a response once per nonce: (the row, whether it is new)."""
        stamp = now()
        cur = self.write(
            "INSERT OR IGNORE INTO responses(group_id, nonce, kind, paragraph, start, \"end\", "
            f"quote, text, parent, created, updated) SELECT ?,?,?,?,?,?,?,?,?,?,? WHERE {OPEN}",
            (group_id, nonce, kind, paragraph, start, end, quote, text, parent, stamp, stamp))
        row = self.rows(f"SELECT {_cols()} FROM responses WHERE group_id = ? AND nonce = ?",
                        (group_id, nonce))
        if not row:
            raise Closed()
        return Response(*row[0]), cur.rowcount == 1

    def responses(self, group_id: int | None = None, withdrawn: bool = False) -> list[Response]:
        sql = f"SELECT {_cols()} FROM responses WHERE 1=1"
        args: tuple = ()
        if group_id is not None:
            sql, args = sql + " AND group_id = ?", (group_id,)
        if not withdrawn:
            sql += " AND withdrawn = 0"
        return [Response(*r) for r in self.rows(sql + " ORDER BY id", args)]

    def response(self, group_id: int, rid: int) -> Response | None:
        found = self.rows(f"SELECT {_cols()} FROM responses WHERE id = ? AND group_id = ?",
                          (rid, group_id))
        return Response(*found[0]) if found else None

    def edit_response(self, group_id: int, rid: int, text: str) -> bool:
        cur = self.write("UPDATE responses SET text = ?, updated = ? WHERE id = ? AND "
                         f"group_id = ? AND withdrawn = 0 AND {OPEN}", (text, now(), rid, group_id))
        return cur.rowcount == 1

    def withdraw(self, group_id: int, rid: int) -> bool:
        """Withdraw a response of the group's own, and the replies to it."""
        cur = self.write("UPDATE responses SET withdrawn = 1, updated = ? WHERE group_id = ? "
                         f"AND withdrawn = 0 AND (id = ? OR parent = ?) AND {OPEN}",
                         (now(), group_id, rid, rid))
        return cur.rowcount > 0

    # -- uploads ---------------------------------------------------------------------------------
    def add_upload(self, group_id: int, file: str, original: str, size: int, comments: int,
                   revisions: int, items: list[tuple]) -> None:
        """The group's new current upload, with the annotations found in it."""
        conn = self.connect()
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not conn.execute(f"SELECT {OPEN}").fetchone()[0]:
                raise Closed()
            conn.execute("UPDATE uploads SET current = 0 WHERE group_id = ?", (group_id,))
            cur = conn.execute(
                "INSERT INTO uploads(group_id, file, original, size, created, comments, "
                "revisions) VALUES (?,?,?,?,?,?,?)",
                (group_id, file, original, size, now(), comments, revisions))
            conn.executemany("INSERT INTO upload_items VALUES (?,?,?,?,?,?,?)",
                             [(cur.lastrowid, *item) for item in items])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def uploads(self, group_id: int | None = None) -> list[Upload]:
        sql = ("SELECT id, group_id, file, original, size, created, comments, revisions "
               "FROM uploads WHERE current = 1")
        args: tuple = ()
        if group_id is not None:
            sql, args = sql + " AND group_id = ?", (group_id,)
        return [Upload(*r) for r in self.rows(sql + " ORDER BY id", args)]

    def upload_items(self) -> list[tuple]:
        """(group_id, kind, section, paragraph, start, end, text) of current uploads."""
        return self.rows("SELECT u.group_id, i.kind, i.section, i.paragraph, i.start, i.\"end\", "
                         "i.text FROM upload_items i JOIN uploads u ON u.id = i.upload_id "
                         "WHERE u.current = 1 ORDER BY u.group_id, i.paragraph, i.start")


def _cols() -> str:
    return ", ".join(f'"{c}"' for c in COLUMNS)


def _same(a: str, b: str) -> bool:
    import hmac
    return hmac.compare_digest(a.encode(), b.encode())
