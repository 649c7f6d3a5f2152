"""A thread-safe least-recently-used map bounded by the total size of its values."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class LRU:
    """Keep values up to `capacity` in total `sizeof` (1 each by default), dropping the
    least recently used first; the newest entry stays even when it alone is larger. A
    capacity of 0 keeps nothing."""

    def __init__(self, capacity: int, sizeof: Callable[[object], int] = lambda _v: 1):
        self.capacity = capacity
        self.sizeof = sizeof
        self.size = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            if key in self._items or self.capacity <= 0:
                return
            self._items[key] = value
            self.size += self.sizeof(value)
            while self.size > self.capacity and len(self._items) > 1:
                _key, old = self._items.popitem(last=False)
                self.size -= self.sizeof(old)

    def __len__(self) -> int:
        return len(self._items)
