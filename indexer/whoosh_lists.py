"""A term's posting list in whoosh3's own format, written in one step.

whoosh3's postings writer takes a posting at a time (a call, type checks and block statistics
each), and its term table asks the file for its position at every entry; a reindex writes
~100 terms and ~700 postings a Japanese article through them. These write the same bytes for
a whole list at once (tests/test_flat_postings.py compares a segment with one whoosh3 writes
itself, byte for byte). They write the id and facet fields, which Whoosh's own readers
(deletions by id, lexicons, facet counts, merges) read; the scored fields are written flat
alone (indexer/flat_postings.py).
"""

from __future__ import annotations

import struct
import zlib
from array import array
from hashlib import md5
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import COMPRESSION_MIN_SIZE, WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter, _lengths, _pointer, md5_hash
from whoosh.system import pack_int, pack_long
from whoosh.util.numeric import length_to_byte

_INFO = W3TermInfo._struct  # a term entry's statistics
# hanil's codec keeps no lengths (indexer/codec.py): whoosh3 writes these for "none".
NO_LENGTH, NO_MAX_LENGTH = length_to_byte(None), length_to_byte(0)


def inlined_entry(ids: tuple, weights: tuple, values: tuple) -> bytes:
    """The term table entry of a list short enough to live in it (whoosh3's W3TermInfo
    after add_block, set_inlined and to_bytes)."""
    stored = array("f", weights)  # whoosh3 keeps a block's weights as float32
    info = _INFO.pack(
        True, sum(stored), len(ids), NO_LENGTH, NO_MAX_LENGTH, max(0, *weights), ids[0], ids[-1]
    )
    return info + dumps((ids, tuple(stored), tuple(filter(None, values))), 2)


def write_blocks(postfile, fmt, codec, ids: tuple, weights: tuple, values: tuple) -> bytes:
    """Write a list too long to inline as whoosh3's W3PostingsWriter writes it, and return its
    term table entry: a header, then blocks of the codec's blocklimit postings, each its
    statistics and its (delta-coded) ids, weights and values pickled, the data compressed
    from COMPRESSION_MIN_SIZE bytes on; the last block's size negative."""
    limit, level, fixed = codec._blocklimit, codec._compression, fmt.fixed_value_size()
    start = postfile.tell()
    out = [WHOOSH3_HEADER_MAGIC]
    total, maxweight = 0.0, 0
    for first in range(0, len(ids), limit):
        block_ids = ids[first : first + limit]
        raw = weights[first : first + limit]
        kept = tuple(filter(None, values[first : first + limit]))
        stored = array("f", raw)
        total += sum(stored)
        block_max = max(0, *raw)
        maxweight = max(maxweight, block_max)
        if stored.count(1.0) == len(stored):
            mini_weights = None
        elif stored.count(stored[0]) == len(stored):
            mini_weights = stored[0]
        else:
            mini_weights = tuple(stored)
        if fixed is None or fixed < 0:
            mini_values = kept
        else:
            mini_values = b"".join(kept) if fixed else None
        deltas = tuple(map(sub, block_ids, (0, *block_ids[:-1])))
        data = dumps((deltas, mini_weights, mini_values), 2)
        comp = level if len(data) >= COMPRESSION_MIN_SIZE else 0
        if comp:
            data = zlib.compress(data, comp)
        info = dumps((len(block_ids), block_ids[-1], block_max, comp, NO_LENGTH, NO_MAX_LENGTH), 2)
        size = len(info) + len(data)
        out += (pack_int(-size if first + limit >= len(ids) else size), info, data)
    written = b"".join(out)
    postfile.write(written)
    info = _INFO.pack(False, total, len(ids), NO_LENGTH, NO_MAX_LENGTH, maxweight, ids[0], ids[-1])
    return info + pack_long(start) + pack_int(len(written))


class TermTable(OrderedHashWriter):
    """whoosh3's term table writer, its entries written a few thousand at a time at positions
    it counts rather than asks the file for."""

    WRITE_EVERY = 4096  # entries

    def __init__(self, dbfile):
        super().__init__(dbfile)
        if self.hashfn is not md5_hash:
            raise ValueError("TermTable writes whoosh3's term tables, hashed with md5_hash")
        self._position = dbfile.tell()
        self._entries: list[bytes] = []

    def add(self, key: bytes, value: bytes) -> None:
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        position = self._position
        entry = _lengths.pack(len(key), len(value)) + key + value
        self._entries.append(entry)
        self._position = position + len(entry)
        self.index.append(position)
        # md5_hash(key): the md5 digest's low 32 bits, read from its bytes
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")
        self.buckets[h & 255].append((h, position))
        self.lastkey = key
        if len(self._entries) >= self.WRITE_EVERY:
            self._write_entries()

    def _write_entries(self) -> None:
        self.dbfile.write(b"".join(self._entries))
        self._entries.clear()

    def close(self) -> None:
        self._write_entries()
        super().close()

    def _write_hashes(self) -> None:
        """HashWriter._write_hashes (256 open-addressing tables of (hash, position) slots,
        empty slots (0, 0)), each table packed in one call rather than a write per slot."""
        position = self.dbfile.tell()
        tables = []
        for entries in self.buckets:
            slots = 2 * len(entries)
            self.directory.append((position, slots))
            table = [0] * (2 * slots)  # hash, position, hash, position, ...
            for h, at in entries:
                slot = (h >> 8) % slots
                while table[2 * slot + 1]:  # no entry is at position 0 (the header is)
                    slot = (slot + 1) % slots
                table[2 * slot : 2 * slot + 2] = h, at
            tables.append(struct.pack(f"!{'Iq' * slots}", *table))
            position += _pointer.size * slots
        self.dbfile.write(b"".join(tables))
