"""Each segment's postings also written flat: arrays a query maps and reads, never decodes.

whoosh3 stores a posting list as blocks of 128 postings, each block's ids, weights and values
pickled and compressed together. A query that scores every match of a term (search_app's
engine) decodes every block of it, and the second pass and the snippets decode some again
for the positions of a few documents: ~0.6 us a posting in Python, so a query's cost grew
with the archive. Written beside the segment as it is written (by hanil's codec, so also by
merges and by cluster workers), the same postings are plain arrays: the engine maps them
(shared by threads and worker processes through the OS page cache) and slices a term's
documents and weights, and the encoded values of a few postings, at memory speed.

Files of a segment (named like its own, so Whoosh deletes them with it):
- .fid  int32   segment-local document numbers, term after term
- .fwt  float32 the postings' weights (term frequency times field boost)
- .fvl  bytes   the encoded values (positions and characters) of fields with positions
- .fve  int64   where each of those values ends in .fvl
- .ftm  int64   a header row (HEADER), then one row per term, sorted by its key (a 128-bit
                hash of field and term, two int64): key, first posting, postings, first
                value end (-1: none)
Every term has a row, so a query finds a term's postings, or learns the segment lacks it,
without Whoosh's term table (a Python hash-table read, file seek by file seek).
"""

from __future__ import annotations

import mmap
import os
from array import array
from dataclasses import dataclass
from hashlib import blake2b

import numpy as np
from whoosh.codec.whoosh3 import W3FieldWriter

IDS, WEIGHTS, VALUES, ENDS, TERMS = ".fid", ".fwt", ".fvl", ".fve", ".ftm"
# The first row of .ftm: files of another layout are not read (the segment is then decoded).
HEADER = (0x68616E696C, 1, 0, 0, 0)  # "hanil", layout 1
_EXTS = (IDS, WEIGHTS, VALUES, ENDS, TERMS)


class FieldWriter(W3FieldWriter):
    """whoosh3's field writer, also writing each posting list flat."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self._flat = {ext: segment.create_file(storage, ext) for ext in _EXTS if ext != TERMS}
        self._terms_file = segment.create_file(storage, TERMS)
        self._rows = array("q")  # the term rows, sorted and written at close
        self._postings = 0  # written so far, over all terms
        self._values = 0
        self._value_bytes = 0

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        self._with_values = fieldobj.format.supports("positions")

    def start_term(self, btext):
        super().start_term(btext)
        self._ids = array("i")
        self._weights = array("f")
        self._vals: list[bytes] = []

    def add(self, docnum, weight, vbytes, length):
        super().add(docnum, weight, vbytes, length)
        self._ids.append(docnum)
        self._weights.append(weight)
        if self._with_values:
            self._vals.append(vbytes or b"")

    def finish_term(self):
        super().finish_term()
        first_value = -1
        if self._with_values:
            first_value = self._values
            ends = np.cumsum([len(v) for v in self._vals], dtype=np.int64) + self._value_bytes
            self._flat[ENDS].write(ends.tobytes())
            self._flat[VALUES].write(b"".join(self._vals))
            self._values += len(self._vals)
            self._value_bytes = int(ends[-1])
        self._rows.extend(key(self._fieldname, self._btext))
        self._rows.extend((self._postings, len(self._ids), first_value))
        self._flat[IDS].write(self._ids.tobytes())
        self._flat[WEIGHTS].write(self._weights.tobytes())
        self._postings += len(self._ids)

    def close(self):
        super().close()
        rows = np.frombuffer(self._rows, np.int64).reshape(-1, 5)
        rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
        self._terms_file.write(np.array(HEADER, np.int64).tobytes() + rows.tobytes())
        for f in (*self._flat.values(), self._terms_file):
            f.close()


def key(fieldname: str, btext: bytes) -> tuple[int, int]:
    """A term's key: 128 bits of a hash of its field and text, as two int64."""
    digest = blake2b(fieldname.encode() + b"\0" + btext, digest_size=16).digest()
    return (
        int.from_bytes(digest[:8], "little", signed=True),
        int.from_bytes(digest[8:], "little", signed=True),
    )


@dataclass(frozen=True)
class TermArrays:
    """One term's postings in one segment: views of the mapped files."""

    ids: np.ndarray  # segment-local docnums, ascending
    weights: np.ndarray  # float32
    values: np.ndarray  # uint8: the postings' encoded values end to end (empty: none kept)
    ends: np.ndarray | None  # where each value ends in values (None: a field without)

    def value(self, i: int) -> bytes:
        """The encoded value (positions and characters) of the i-th posting."""
        return self.values[self.ends[i - 1] if i else 0 : self.ends[i]].tobytes()

    def values_of(self, docnums: np.ndarray):
        """Yield (docnum, encoded value) for the docnums (ascending) holding the term."""
        at = np.searchsorted(self.ids, docnums)
        held = at < len(self.ids)
        held[held] = self.ids[at[held]] == docnums[held]
        at = at[held]
        ends = self.ends[at]
        starts = np.where(at > 0, self.ends[np.maximum(at - 1, 0)], 0)
        values = self.values
        for d, b, e in zip(docnums[held].tolist(), starts.tolist(), ends.tolist(), strict=True):
            yield d, values[b:e].tobytes()


class FlatPostings:
    """One segment's flat postings, memory-mapped (read-only, shared)."""

    def __init__(self, paths: dict[str, str]):
        self._ids = _map(paths[IDS], np.int32)
        self._weights = _map(paths[WEIGHTS], np.float32)
        self._values = _map(paths[VALUES], np.uint8)
        self._ends = _map(paths[ENDS], np.int64)
        self._terms = _map(paths[TERMS], np.int64).reshape(-1, 5)[1:]
        self._first_keys = np.ascontiguousarray(self._terms[:, 0])

    @classmethod
    def of(cls, reader) -> FlatPostings | None:
        """A segment reader's flat postings, or None for a segment written without them
        (before hanil wrote them, or by another codec): it is then read through Whoosh."""
        segment, storage = reader.segment(), reader.storage()
        folder = getattr(storage, "folder", None)
        if segment is None or folder is None:
            return None
        paths = {ext: os.path.join(folder, segment.make_filename(ext)) for ext in _EXTS}
        if not all(os.path.exists(p) for p in paths.values()):
            return None
        with open(paths[TERMS], "rb") as f:
            if f.read(40) != np.array(HEADER, np.int64).tobytes():
                return None
        return cls(paths)

    def _row(self, term_key: tuple[int, int]):
        hi, lo = term_key
        k = int(np.searchsorted(self._first_keys, hi))
        while k < len(self._first_keys) and self._first_keys[k] == hi:
            if self._terms[k, 1] == lo:
                return self._terms[k]
            k += 1
        return None

    def doc_frequency(self, term_key: tuple[int, int]) -> int:
        """How many documents (deleted ones too, as Whoosh counts) hold the term of a key."""
        row = self._row(term_key)
        return 0 if row is None else int(row[3])

    def term(self, term_key: tuple[int, int]) -> TermArrays | None:
        """The postings of the term of a key (flat_postings.key), or None when the segment
        lacks it."""
        row = self._row(term_key)
        if row is None:
            return None
        _hi, _lo, start, count, first_value = (int(x) for x in row)
        ids = self._ids[start : start + count]
        weights = self._weights[start : start + count]
        if first_value < 0:
            return TermArrays(ids, weights, self._values[:0], None)
        ends = self._ends[first_value : first_value + count]
        begin = int(self._ends[first_value - 1]) if first_value else 0
        return TermArrays(ids, weights, self._values[begin : int(ends[-1])], ends - begin)


def _map(path: str, dtype) -> np.ndarray:
    """A read-only array over a mapped file (a plain ndarray: np.memmap's slices cost a
    Python call each)."""
    with open(path, "rb") as f:
        if os.fstat(f.fileno()).st_size == 0:  # mmap refuses an empty file
            return np.zeros(0, dtype)
        return np.frombuffer(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ), dtype)
