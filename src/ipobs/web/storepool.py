"""The store as the web app uses it: one DuckDB connection per process, a cursor per thread.

DuckDB refuses a second connection to the same file with another configuration in one process
(read-only beside read-write), and allows one writing process. So the app opens the file once —
read-write when imports are allowed, read-only with ``--read-only`` — and

- every request thread reads through its own cursor of that connection (:meth:`reader`);
- imports and ledger edits go through the connection itself, one at a time (:meth:`writer`);
- :meth:`generation` (the last committed batch) tells caches when the data changed. It is read
  once and again after every write: no other process can write while the app holds the file.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from ipobs.store.db import CursorStore, Store, open_store


class StorePool:
    def __init__(self, path: str | Path, *, read_only: bool = False):
        path = Path(path)
        if read_only and not path.exists():
            raise FileNotFoundError(f"{path}: no such database (build one with `ipobs demo` or `ipobs init`)")
        self.base = open_store(path, read_only=read_only)
        self.read_only = read_only
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._readers: list[CursorStore] = []
        self._readers_lock = threading.Lock()
        self._writes = 0  # completed write sections
        self._generation: tuple[int, int] | None = None  # (writes when read, last committed batch)

    @property
    def path(self) -> Path:
        return self.base.path

    def reader(self) -> Store:
        """This thread's read cursor (created on first use)."""
        s = getattr(self._local, "store", None)
        if s is None:
            s = CursorStore(self.base)
            self._local.store = s
            with self._readers_lock:
                self._readers.append(s)
        return s

    @contextmanager
    def writer(self):
        """The writing store, held by one thread at a time."""
        if self.read_only:
            raise PermissionError("the store is served read-only; imports and edits are disabled")
        with self._write_lock:
            try:
                yield self.base
            finally:
                self._writes += 1

    def generation(self) -> int:
        """The id of the last committed batch: caches keyed on it refresh after an import."""
        writes, cached = self._writes, self._generation
        if cached is not None and cached[0] == writes:
            return cached[1]
        v = int(self.reader().scalar("SELECT max(batch_id) FROM import_batch WHERE status = 'committed'") or 0)
        self._generation = (writes, v)
        return v

    def close(self) -> None:
        with self._readers_lock:
            for s in self._readers:
                try:
                    s.close()
                except Exception:  # noqa: BLE001 - closing on shutdown, nothing to report
                    pass
            self._readers.clear()
        self.base.close()
