"""Read-only database connections for the web UI, one per request at a time.

A ``sqlite3`` connection must never serve two threads at once, and FastAPI runs each request (and its
dependencies) on a worker thread of its own choosing; so a request borrows a connection from a small pool and
gives it back when its response is sent. Opening a connection per request would also work, but costs a schema
check each time; borrowing keeps the stories page at a few milliseconds.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storyprism.store import Store, db_path

IDLE_MAX = 8
"""Connections kept open between requests (more are opened under load and closed when handed back)."""


class StorePool:
    def __init__(self, db: str | Path | None) -> None:
        self.path = db_path(db)
        self._idle: queue.LifoQueue[Store] = queue.LifoQueue()
        # Opened once now so that a missing or unusable database fails at start, not on the first request.
        self._give_back(Store.open(self.path, readonly=True))

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        try:
            store = self._idle.get_nowait()
        except queue.Empty:
            store = Store.open(self.path, readonly=True)
        try:
            yield store
        finally:
            self._give_back(store)

    def _give_back(self, store: Store) -> None:
        if self._idle.qsize() >= IDLE_MAX:
            store.close()
        else:
            self._idle.put(store)

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
