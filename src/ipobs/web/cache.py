"""A small in-memory cache for page data that is expensive to compute (the dashboard's evaluation).

Keys include the store's *generation* (the last committed batch), so an import makes every
older entry unreachable; they age out of the LRU. Concurrent requests for the same missing key
wait for one computation instead of each running it (single flight).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Hashable


class Memo:
    def __init__(self, capacity: int = 256):
        self.capacity = capacity
        self._data: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], object]):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            flight = self._inflight.setdefault(key, threading.Lock())
        with flight:
            with self._lock:
                if key in self._data:
                    self.hits += 1
                    return self._data[key]
            self.misses += 1
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._inflight.pop(key, None)
                raise
            with self._lock:
                self._data[key] = value
                self._data.move_to_end(key)
                while len(self._data) > self.capacity:
                    self._data.popitem(last=False)
                self._inflight.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)
