"""Read and map the next chunk of a file while the store merges the current one.

An import has two halves that can overlap: reading and mapping rows (pyarrow kernels,
pandas) and storing them (DuckDB, which releases the GIL while it works). :class:`Prefetch`
runs the source's chunk iterator one chunk ahead in a background thread.

The store is never used by both threads at once: a source that asks the store something
while it maps chunk *k* (``Context.lookup_publication``) waits in :meth:`Prefetch.wait_merged`
until chunks ``0 … k-1`` are merged, and by then the importer is waiting for chunk *k*, so
it sees exactly what a one-thread import would. Errors raised while reading are raised
again in the importer's thread; an import that stops early stops the reader.
"""

from __future__ import annotations

import queue
import threading
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")
_END = object()


class Stopped(Exception):
    """The import stopped while the reader waited for the store."""


class Prefetch:
    """Iterate ``make_iter()`` in a background thread, one item ahead of the consumer."""

    def __init__(self, make_iter: Callable[[], Iterator[T]]):
        self._make_iter = make_iter
        self._q: queue.Queue = queue.Queue(maxsize=1)
        self._stop = threading.Event()
        self._cond = threading.Condition()
        self._merged = 0  # items the consumer has finished with
        self._produced = 0  # items the reader has handed over
        self._taken = 0  # items the consumer has taken
        self._thread = threading.Thread(target=self._run, name="ipobs-prefetch", daemon=True)
        self._started = False

    # -- reader thread ----------------------------------------------------------
    def _put(self, item) -> bool:
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self._make_iter():
                if not self._put(("item", item)):
                    return
                self._produced += 1
                del item
                # read the next item only once the consumer has taken this one: at most two
                # chunks are in memory (the one being stored, the one being read)
                with self._cond:
                    while self._taken < self._produced and not self._stop.is_set():
                        self._cond.wait(0.1)
            self._put(("end", _END))
        except BaseException as e:  # handed to the consumer, raised there
            self._put(("error", e))

    def wait_merged(self) -> None:
        """Block the reader until the consumer has finished every item handed over before the
        one being read now (call it before using anything the consumer writes)."""
        if threading.current_thread() is not self._thread:
            return
        with self._cond:
            while self._merged < self._produced and not self._stop.is_set():
                self._cond.wait(0.1)
        if self._stop.is_set():
            raise Stopped("the import stopped")

    # -- consumer -------------------------------------------------------------------
    def done(self) -> None:
        """The consumer finished with the last item it was given."""
        with self._cond:
            self._merged += 1
            self._cond.notify_all()

    def __iter__(self) -> Iterator[T]:
        if not self._started:
            self._started = True
            self._thread.start()
        try:
            while True:
                kind, item = self._q.get()
                with self._cond:
                    self._taken += 1
                    self._cond.notify_all()
                if kind == "end":
                    return
                if kind == "error":
                    raise item
                yield item
        finally:
            self.close()

    def close(self) -> None:
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        while True:  # unblock a reader waiting to put
            try:
                self._q.get_nowait()
            except queue.Empty:
                break
        if self._started and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)
