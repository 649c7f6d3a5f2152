"""Each segment's postings written flat: arrays a query reads, never decodes.

whoosh3 stores a posting list as blocks of 128 postings, each block's ids, weights and values
pickled and compressed together. A query that scores every match of a term (search_app's
engine) decodes every block of it, and the second pass and the snippets decode some again
for the positions of a few documents: ~0.6 us a posting in Python, so a query's cost grew
with the archive. Written beside the segment as it is written (by hanil's codec, so also by
merges and by cluster workers), the same postings are plain arrays: the engine reads a
term's documents and weights, and the encoded values of a few postings, as byte ranges of
files (kept in the OS page cache, shared by threads and worker processes).

Files of a segment (named like its own, so Whoosh deletes them with it):
- .fid  int32   segment-local document numbers, term after term
- .fwt  float32 the postings' weights (term frequency times field boost)
- .fvl  bytes   the encoded values (positions and characters) of fields with positions
- .fve  int64   where each of those values ends in .fvl
- .ftm  int64   a header row (HEADER), then one row per term, sorted by its key (a 128-bit
                hash of field and term, two int64): key, first posting, postings, first
                value end (-1: none)
- .ftx  pickle  the names of the fields written flat only, then their sorted terms by field
Every term has a row, so a query finds a term's postings, or learns the segment lacks it,
without Whoosh's term table (a Python hash-table read, file seek by file seek).

The fields hanil scores (title, body and the grams field: flat_only below) are written here
alone, not in whoosh3's term table and blocks too: they are nearly every term and posting
of an article, and whoosh3's blocks of them were a tenth of a Japanese reindex. Whoosh's
readers (phrases, merges, Whoosh's own searcher) read them through hanil's codec from these
files (indexer/flat_terms.py). The id and facet fields are written both ways.
"""

from __future__ import annotations

import os
import weakref
from array import array
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b
from itertools import accumulate, groupby
from operator import itemgetter
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import W3FieldWriter

IDS, WEIGHTS, VALUES, ENDS, TERMS = ".fid", ".fwt", ".fvl", ".fve", ".ftm"
TEXTS = ".ftx"  # the fields written flat only and their terms (indexer/flat_terms.py)
# The first row of .ftm: files of another layout are not read (the segment is then decoded).
HEADER = (0x68616E696C, 1, 0, 0, 0)  # "hanil", layout 1
_EXTS = (IDS, WEIGHTS, VALUES, ENDS, TERMS)


class FieldWriter(W3FieldWriter):
    """whoosh3's field writer, writing each posting list flat: the scored fields' there
    alone, the id and facet fields' (a posting or two an article) through whoosh3's own
    postings writer too. It takes a term's postings at once (indexer/term_pool.py groups
    them): most terms hold a posting or two, so what a reindex pays for besides analysis is
    mostly a cost per term, kept here to a few appends to in-memory arrays (written out a few
    MB at a time)."""

    FLUSH_BYTES = 4 << 20

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        self._flat = {ext: segment.create_file(storage, ext) for ext in _EXTS if ext != TERMS}
        self._terms_file = segment.create_file(storage, TERMS)
        self._rows = array("q")  # the term rows, sorted and written at close
        self._ids = array("i")  # buffered for .fid, .fwt, .fve, .fvl
        self._weights = array("f")
        self._ends = array("q")
        self._vals: list[bytes] = []
        self._buffered = 0
        self._postings = 0  # written so far, over all terms
        self._values = 0
        self._value_bytes = 0
        self._flat_texts: dict[str, list[bytes]] = {}  # the terms of fields written flat only

    def start_field(self, fieldname, fieldobj):
        super().start_field(fieldname, fieldobj)
        self._with_values = fieldobj.format.supports("positions")
        self._flat_only = flat_only(fieldobj)
        if self._flat_only:
            self._flat_texts[fieldname] = []

    def add_postings(self, schema, lengths, items):
        """Write a segment's postings (sorted by field, term and document), flat and through
        whoosh3's postings writer. lengths are not read: hanil's codec keeps no length
        statistics (indexer/codec.py)."""
        by_term = getattr(items, "by_term", None)
        terms = by_term() if by_term else _by_term(items)
        lastfn = None
        for fieldname, btext, postings in terms:
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                lastfn = fieldname
            if postings[0][0] == -1:  # whoosh's marker for spelling words, which hanil lacks
                postings = [p for p in postings if p[0] != -1]
                if not postings:
                    continue
            ids, weights, values = zip(*postings, strict=True)
            if self._flat_only:
                self._flat_texts[fieldname].append(btext)
            else:  # as Whoosh's FieldWriter.add_postings writes it (no value: b""; no lengths)
                self.start_term(btext)
                for docnum, weight, value in postings:
                    self.add(docnum, weight, value or b"", 0)
                self.finish_term()
            self._flat_term(fieldname, btext, ids, weights, values)
        if lastfn is not None:
            self.finish_field()

    def _flat_term(self, fieldname, btext, ids, weights, values) -> None:
        start = self._postings
        self._ids.extend(ids)
        self._weights.extend(weights)
        self._postings += len(ids)
        first_value = -1
        if self._with_values:
            first_value = self._values
            if None in values:
                values = [v or b"" for v in values]
            ends = list(accumulate(map(len, values), initial=self._value_bytes))
            self._buffered += ends[-1] - self._value_bytes
            self._value_bytes = ends[-1]
            self._ends.extend(ends[1:])
            self._vals.extend(values)
            self._values += len(values)
        self._rows.extend((*key(fieldname, btext), start, len(ids), first_value))
        if self._buffered + 8 * len(self._ids) >= self.FLUSH_BYTES:
            self._flush()

    def _flush(self) -> None:
        for ext, data in (
            (IDS, self._ids),
            (WEIGHTS, self._weights),
            (ENDS, self._ends),
            (VALUES, b"".join(self._vals)),
        ):
            self._flat[ext].write(data.tobytes() if isinstance(data, array) else data)
        del self._ids[:], self._weights[:], self._ends[:], self._vals[:]
        self._buffered = 0

    def close(self):
        super().close()
        self._flush()
        if self._flat_texts:  # pickled (as Whoosh's table of contents): the names, the terms
            texts = self._segment.create_file(self._storage, TEXTS)
            texts.write(dumps(sorted(self._flat_texts), 5) + dumps(self._flat_texts, 5))
            texts.close()
        rows = np.frombuffer(self._rows, np.int64).reshape(-1, 5)
        rows = rows[np.lexsort((rows[:, 1], rows[:, 0]))]
        self._terms_file.write(np.array(HEADER, np.int64).tobytes() + rows.tobytes())
        for f in (*self._flat.values(), self._terms_file):
            f.close()


def flat_only(fieldobj) -> bool:
    """Whether a field is written flat alone: the fields hanil scores (title, body, grams),
    whose postings the engine reads from the flat files. Fields of whole values (the id, the
    facets: a posting or two a document) stay in whoosh3's files too, read by Whoosh's
    deletions by id, lexicons and facet counts."""
    return fieldobj.scorable


def _by_term(items):
    """(field name, term, its postings: (document, weight, value)) of a stream of postings
    sorted as Whoosh sorts them."""
    for (fieldname, btext), postings in groupby(items, itemgetter(0, 1)):
        yield fieldname, btext, [p[2:] for p in postings]


def key(fieldname: str, btext: bytes) -> tuple[int, int]:
    """A term's key: 128 bits of a hash of its field and text, as two int64."""
    digest = blake2b(fieldname.encode() + b"\0" + btext, digest_size=16).digest()
    return (
        int.from_bytes(digest[:8], "little", signed=True),
        int.from_bytes(digest[8:], "little", signed=True),
    )


@dataclass(frozen=True)
class TermArrays:
    """One term's postings in one segment."""

    ids: np.ndarray  # segment-local docnums, ascending
    weights: np.ndarray  # float32
    ends: np.ndarray | None  # where each value ends, from the term's first (None: no values)
    values: _File | None = None  # the segment's values file
    base: int = 0  # where the term's first value starts in it

    def values_between(self, first: int, stop: int) -> list[bytes]:
        """The encoded values of postings first to stop (by their place in the term's
        list), read in one piece."""
        ends = self.ends[first:stop].tolist()
        start = int(self.ends[first - 1]) if first else 0
        data = self.values.read(self.base + start, self.base + ends[-1]) if ends else b""
        return [data[a - start : b - start] for a, b in zip([start, *ends[:-1]], ends, strict=True)]

    def values_of(self, docnums: np.ndarray):
        """Yield (docnum, encoded value) for the docnums (ascending) holding the term."""
        at = np.searchsorted(self.ids, docnums)
        held = at < len(self.ids)
        held[held] = self.ids[at[held]] == docnums[held]
        at = at[held]
        ends = self.ends[at] + self.base
        starts = np.where(at > 0, self.ends[np.maximum(at - 1, 0)], 0) + self.base
        read = self.values.read
        for d, b, e in zip(docnums[held].tolist(), starts.tolist(), ends.tolist(), strict=True):
            yield d, read(b, e)


class FlatPostings:
    """One segment's flat postings, read by offset (os.pread): their pages stay in the OS
    cache, shared by every process, outside each process's own memory (a mapping would
    count every page a process touched in its resident size)."""

    KEY_STRIDE = 64  # every 64th term key is kept in memory; a lookup reads 2 x 64 rows
    ROWS_KEPT = 5_000  # term rows found (or not) kept per segment, ~300 bytes each

    def __init__(self, paths: dict[str, str]):
        self._ids = _File(paths[IDS], np.int32)
        self._weights = _File(paths[WEIGHTS], np.float32)
        self._values = _File(paths[VALUES], np.uint8)
        self._ends = _File(paths[ENDS], np.int64)
        self._terms = _File(paths[TERMS], np.int64, row=5, skip=1)  # after the header
        # A query asks for a term's row several times (scores, positions, spans), and for
        # the terms a segment lacks as often: the last rows found are kept.
        self._row = lru_cache(maxsize=self.ROWS_KEPT)(self._find_row)
        chunk = 1024 * self.KEY_STRIDE  # read in pieces: the table can be large
        self._sparse_keys = np.concatenate(
            [
                self._terms.rows(first, first + chunk)[:: self.KEY_STRIDE, 0]
                for first in range(0, self._terms.rowcount, chunk)
            ]
            + [np.zeros(0, np.int64)]
        )

    @classmethod
    def of(cls, reader) -> FlatPostings | None:
        """A segment reader's flat postings, or None for a segment written without them
        (before hanil wrote them, or by another codec): it is then read through Whoosh."""
        return cls.at(reader.storage(), reader.segment())

    @classmethod
    def at(cls, storage, segment) -> FlatPostings | None:
        """A segment's flat postings (as of), or None."""
        paths = cls.paths(storage, segment)
        return None if paths is None else cls.opened(paths)

    # The files' FlatPostings in this process, by their term table's path: the engine and
    # Whoosh's readers of a segment (phrases read the words through indexer/flat_terms.py)
    # share its sparse keys (read from the whole term table) and the rows it found.
    _opened: weakref.WeakValueDictionary[str, FlatPostings] = weakref.WeakValueDictionary()

    @classmethod
    def opened(cls, paths: dict[str, str]) -> FlatPostings:
        """The FlatPostings of a segment's files (FlatPostings.paths), opened once while
        anything holds it (a segment's files never change; two threads racing open the files
        twice, harmlessly)."""
        found = cls._opened.get(paths[TERMS])
        if found is None:
            found = cls._opened[paths[TERMS]] = cls(paths)
        return found

    @staticmethod
    def paths(storage, segment) -> dict[str, str] | None:
        """The paths of a segment's flat files, or None when it has none of this layout."""
        folder = getattr(storage, "folder", None)
        if segment is None or folder is None:
            return None
        paths = {ext: os.path.join(folder, segment.make_filename(ext)) for ext in _EXTS}
        if not all(os.path.exists(p) for p in paths.values()):
            return None
        with open(paths[TERMS], "rb") as f:
            if f.read(40) != np.array(HEADER, np.int64).tobytes():
                return None
        return paths

    def _find_row(self, term_key: tuple[int, int]):
        hi, lo = term_key
        j = int(np.searchsorted(self._sparse_keys, hi))  # sparse[j - 1] < hi <= sparse[j]
        first = max(j - 1, 0) * self.KEY_STRIDE
        rows = self._terms.rows(first, first + 2 * self.KEY_STRIDE + 1)
        k = int(np.searchsorted(rows[:, 0], hi))
        while k < len(rows) and rows[k, 0] == hi:
            if rows[k, 1] == lo:
                return rows[k]
            k += 1
        return None

    def doc_frequency(self, term_key: tuple[int, int]) -> int:
        """How many documents (deleted ones too, as Whoosh counts) hold the term of a key."""
        row = self._row(term_key)
        return 0 if row is None else int(row[3])

    def term(self, term_key: tuple[int, int], weights: bool = True) -> TermArrays | None:
        """The postings of the term of a key (flat_postings.key), or None when the segment
        lacks it; without weights (an empty array) when only its values are wanted."""
        row = self._row(term_key)
        if row is None:
            return None
        _hi, _lo, start, count, first_value = (int(x) for x in row)
        ids = self._ids.read_array(start, start + count)
        weights = self._weights.read_array(start, start + count if weights else start)
        if first_value < 0:
            return TermArrays(ids, weights, None)
        if first_value:  # the previous posting's end is where this term's values begin
            ends = self._ends.read_array(first_value - 1, first_value + count)
            base, ends = int(ends[0]), ends[1:]
        else:
            base, ends = 0, self._ends.read_array(0, count)
        return TermArrays(ids, weights, ends - base, self._values, base)


class _File:
    """A file of fixed-size items (or rows of them), read by item offsets with os.pread."""

    def __init__(self, path: str, dtype, row: int = 1, skip: int = 0):
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)
        self._dtype = np.dtype(dtype)
        self._row = row
        self._rowbytes = self._dtype.itemsize * row
        self._skip = skip * self._rowbytes
        self.rowcount = (os.fstat(self._fd).st_size - self._skip) // self._rowbytes

    def read(self, start: int, stop: int) -> bytes:
        """Bytes of rows start to stop."""
        stop = min(stop, self.rowcount)
        if stop <= start:
            return b""
        size = (stop - start) * self._rowbytes
        return os.pread(self._fd, size, self._skip + start * self._rowbytes)

    def read_array(self, start: int, stop: int) -> np.ndarray:
        return np.frombuffer(self.read(start, stop), self._dtype)

    def rows(self, start: int, stop: int) -> np.ndarray:
        return self.read_array(start, stop).reshape(-1, self._row)
