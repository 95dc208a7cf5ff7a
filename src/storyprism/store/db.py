"""The SQLite database: where it is, how it is opened, and its schema migrations.

Migrations are the numbered SQL files in ``migrations/`` (``0001_initial.sql``, ``0002_...``); the
database's ``PRAGMA user_version`` says how many have run, so a newer storyprism opens an older database
and upgrades it in place, one transaction per step. WAL mode lets readers (the web UI, ``stories``) work
while an ingest writes; foreign keys are on for every connection.
"""

from __future__ import annotations

import os
import re
import sqlite3
from importlib import resources
from pathlib import Path

DB_ENV = "STORYPRISM_DB"
DEFAULT_DB = "storyprism.db"
BUSY_TIMEOUT_S = 30.0
"""How long a connection waits for another's write lock (an ingest commits every document) before failing."""


class StoreError(Exception):
    """The database cannot be used: not a storyprism database, newer than this storyprism, or unreadable."""


def db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """``db``, else $STORYPRISM_DB, else storyprism.db in the working directory; a ``sqlite:///`` URL works too."""
    value = str(db) if db else os.environ.get(DB_ENV) or DEFAULT_DB
    if value.startswith("sqlite:///"):
        value = value[len("sqlite:///") :]
    elif "://" in value:
        raise StoreError(f"{value}: only SQLite databases (a path or sqlite:///path) are supported")
    return Path(value)


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, SQL) of every migration shipped, in order."""
    folder = resources.files("storyprism.store").joinpath("migrations")
    found = []
    for item in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", item.name)
        if match:
            found.append((int(match.group(1)), match.group(2), item.read_text(encoding="utf-8")))
    return sorted(found)


def latest_version() -> int:
    return migrations()[-1][0]


def connect(path: Path, *, readonly: bool = False, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating it unless ``readonly``) and upgrade the database; autocommit mode, transactions explicit."""
    if readonly:
        if not path.is_file():
            raise StoreError(f"{path}: no such database (run `storyprism ingest` first)")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                               check_same_thread=False)  # fmt: skip
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: durable at checkpoints, never corrupt
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > latest_version():
            raise StoreError(f"{path}: schema {version} is newer than this storyprism knows ({latest_version()})")
        if version < latest_version():
            if readonly or not migrate:
                raise StoreError(f"{path}: schema {version} needs an upgrade; open it once for writing")
            upgrade(conn, version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: {exc}") from None
    return conn


def upgrade(conn: sqlite3.Connection, version: int, *, until: int | None = None) -> None:
    """Run the migrations after ``version`` (up to ``until``), each in its own transaction."""
    for number, _, sql in migrations():
        if number <= version or (until is not None and number > until):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _statements(sql: str) -> list[str]:
    """The statements of a migration file (sqlite3 has no multi-statement execute inside a transaction)."""
    out, current = [], []
    for line in sql.splitlines():
        if line.strip().startswith("--") and not current:
            continue
        current.append(line)
        candidate = "\n".join(current)
        if sqlite3.complete_statement(candidate):
            out.append(candidate.strip())
            current = []
    return [s for s in out if s]
