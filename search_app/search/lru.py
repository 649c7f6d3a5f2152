"""A thread-safe least-recently-used map bounded by the total size of its values, with an
optional admission test by frequency."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class LRU:
    """Keep values up to `capacity` in total `sizeof` (1 each by default), dropping the
    least recently used first; the newest entry stays even when it alone is larger. A
    capacity of 0 keeps nothing.

    With by_frequency, a new value is let in only if its key has been asked for more often
    (recently) than every entry it would push out (TinyLFU's admission, Einziger et al.
    2017). Plain LRU keeps nothing when a stream of keys larger than the cache comes round
    again (every key is evicted just before its next use: a server's long pasted queries
    then flush the postings of everyone's short ones); with admission, the keys asked for
    most stay, and a key seen once never pushes out one seen often. Counts are halved
    every AGING_ROUNDS times the number of entries, so that what was popular long ago
    fades (and the counts, kept by the key's hash, stay few)."""

    AGING_ROUNDS = 10
    MOST_BETWEEN_AGINGS = 50_000

    def __init__(
        self,
        capacity: int,
        sizeof: Callable[[object], int] = lambda _v: 1,
        by_frequency: bool = False,
    ):
        self.capacity = capacity
        self.sizeof = sizeof
        self.size = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._by_frequency = by_frequency
        self._asked: dict[int, int] = {}  # hash of a key -> times asked for, aged
        self._since_aging = 0

    def get(self, key: Hashable):
        with self._lock:
            if self._by_frequency:
                self._count(key)
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            if key in self._items or self.capacity <= 0:
                return
            size = self.sizeof(value)
            if self._by_frequency and not self._admits(key, size):
                return
            self._items[key] = value
            self.size += size
            while self.size > self.capacity and len(self._items) > 1:
                _key, old = self._items.popitem(last=False)
                self.size -= self.sizeof(old)

    def __len__(self) -> int:
        return len(self._items)

    def _admits(self, key: Hashable, size: int) -> bool:
        """Whether key, asked for as often as it was, may push out what it needs room from."""
        room = self.capacity - self.size
        if room >= size or not self._items:
            return True
        asked = self._asked.get(hash(key), 0)
        for victim, value in self._items.items():  # least recently used first
            if self._asked.get(hash(victim), 0) >= asked:
                return False
            room += self.sizeof(value)
            if room >= size:
                return True
        return False  # larger than the whole cache: the entries stay

    def _count(self, key: Hashable) -> None:
        h = hash(key)
        self._asked[h] = self._asked.get(h, 0) + 1
        self._since_aging += 1
        rounds = self.AGING_ROUNDS * max(len(self._items), 100)
        if self._since_aging >= min(rounds, self.MOST_BETWEEN_AGINGS):
            self._asked = {k: n // 2 for k, n in self._asked.items() if n > 1}
            self._since_aging = 0
