"""Whoosh's terms reader for a segment with fields written flat only.

A flat-only field (title, body, grams: indexer/flat_postings.py) has no entry in whoosh3's
term table and no block in its postings file: its terms are in the segment's .ftx file,
its postings (with their positions and spans) in the flat files. hanil's codec
(indexer/codec.py) reads a segment through TermsReader below, so that everything reading
through Whoosh (phrase matchers, merges copying postings, Whoosh's own searcher, `hanil
stats`) meets those fields' terms, statistics and postings as it meets any other field's.
The id and facet fields are read from whoosh3's files, as are segments written before.
No term cursor is kept for a flat-only field (Whoosh's fuzzy, wildcard and prefix queries
walk one; hanil's queries do not).
"""

from __future__ import annotations

import heapq
import os
import pickle
from bisect import bisect_left

from whoosh.codec.base import TermsReader as _Base
from whoosh.matching import ListMatcher
from whoosh.reading import TermInfo, TermNotFound
from whoosh.system import pack_uint
from whoosh.util.numeric import byte_to_length, length_to_byte

from .flat_postings import TEXTS, FlatPostings, TermArrays, key
from .store import IndexDamaged

# What whoosh3 reads back as a term's length bounds when its codec keeps none (indexer/codec.py)
_NO_MIN_LENGTH = byte_to_length(length_to_byte(None))
_NO_MAX_LENGTH = byte_to_length(length_to_byte(0))


class FlatOnlyTerms:
    """The flat-only fields of one segment: their terms and postings, each read when first
    asked for (Whoosh opens a segment's terms reader with every reader of it; the engine
    reads the flat postings through its own FlatPostings, kept per segment)."""

    def __init__(self, paths: dict[str, str], path: str):
        self._paths = paths
        self._path = path
        with open(path, "rb") as f:
            self.fields: frozenset[str] = frozenset(pickle.load(f))  # the names come first
        self._texts: dict[str, list[bytes]] | None = None
        self._postings: FlatPostings | None = None

    @classmethod
    def at(cls, storage, segment) -> FlatOnlyTerms | None:
        """A segment's flat-only fields, or None when it has none (written before them, or
        by another codec). A segment that has them but has lost its flat files is damaged:
        its words are nowhere else, and this says so rather than serve it without them."""
        folder = getattr(storage, "folder", None)
        if segment is None or folder is None:
            return None
        path = os.path.join(folder, segment.make_filename(TEXTS))
        if not os.path.exists(path):
            return None
        paths = FlatPostings.paths(storage, segment)
        if paths is None:
            raise IndexDamaged(
                f"{path}: segment {segment.segment_id()} has lost its flat postings (its "
                f"title, body and bigram postings): rebuild the index with `hanil reindex --full`"
            )
        return cls(paths, path)

    @property
    def _flat(self) -> FlatPostings:
        if self._postings is None:
            self._postings = FlatPostings.opened(self._paths)
        return self._postings

    def texts(self, fieldname: str) -> list[bytes]:
        """A field's terms, sorted."""
        if self._texts is None:
            with open(self._path, "rb") as f:
                pickle.load(f)
                self._texts = pickle.load(f)
        return self._texts[fieldname]

    def postings(self, fieldname: str, btext: bytes) -> TermArrays | None:
        """A term's postings, or None when the segment lacks it."""
        return self._flat.term(key(fieldname, btext))

    def doc_frequency(self, fieldname: str, btext: bytes) -> int:
        return self._flat.doc_frequency(key(fieldname, btext))


class TermsReader(_Base):
    """whoosh3's terms reader with a segment's flat-only fields read from FlatOnlyTerms."""

    def __init__(self, inner: _Base, flat: FlatOnlyTerms):
        self._inner, self._flat = inner, flat
        self._fields = flat.fields

    def __contains__(self, term) -> bool:
        fieldname, btext = term
        if fieldname in self._fields:
            return self._flat.doc_frequency(fieldname, btext) > 0
        return term in self._inner

    def cursor(self, fieldname, fieldobj):
        if fieldname in self._fields:
            raise NotImplementedError(f"{fieldname} is written flat only: no term cursor")
        return self._inner.cursor(fieldname, fieldobj)

    def terms(self):
        """Every term, in (field name, term) order as whoosh3's (its field numbers follow the
        names' order): a multi-segment reader merges its segments' terms in that order."""
        flat = ((f, btext) for f in sorted(self._fields) for btext in self._flat.texts(f))
        return heapq.merge(self._inner.terms(), flat)

    def terms_from(self, fieldname, prefix):
        if fieldname not in self._fields:
            yield from self._inner.terms_from(fieldname, prefix)
            return
        texts = self._flat.texts(fieldname)
        for btext in texts[bisect_left(texts, prefix) :]:
            yield fieldname, btext

    def items(self):
        for term in self.terms():
            yield term, self.term_info(*term)

    def items_from(self, fieldname, prefix):
        for term in self.terms_from(fieldname, prefix):
            yield term, self.term_info(*term)

    def term_info(self, fieldname, btext):
        if fieldname not in self._fields:
            return self._inner.term_info(fieldname, btext)
        return _info(self._postings(fieldname, btext))

    def frequency(self, fieldname, btext):
        if fieldname not in self._fields:
            return self._inner.frequency(fieldname, btext)
        found = self._flat.postings(fieldname, btext)
        return 0 if found is None else float(found.weights.sum(dtype=float))

    def doc_frequency(self, fieldname, btext):
        if fieldname not in self._fields:
            return self._inner.doc_frequency(fieldname, btext)
        return self._flat.doc_frequency(fieldname, btext)

    def matcher(self, fieldname, btext, format_, scorer=None):
        if fieldname not in self._fields:
            return self._inner.matcher(fieldname, btext, format_, scorer=scorer)
        found = self._postings(fieldname, btext)
        weights = found.weights.tolist()
        if found.ends is None:
            values = _Frequencies(weights, format_.field_boost)
        else:
            values = _Values(found)
        return ListMatcher(
            found.ids.tolist(),
            weights,
            values,
            format=format_,
            scorer=scorer,
            term=(fieldname, btext),
            terminfo=_info(found),
        )

    def indexed_field_names(self):
        return list(dict.fromkeys([*self._inner.indexed_field_names(), *sorted(self._fields)]))

    def close(self):
        self._inner.close()

    def _postings(self, fieldname, btext):
        found = self._flat.postings(fieldname, btext)
        if found is None:
            raise TermNotFound(f"No term {fieldname}:{btext!r}")
        return found


def _info(found: TermArrays) -> TermInfo:
    """A flat-only term's statistics, as whoosh3 keeps them for hanil's codec."""
    ids, weights = found.ids, found.weights
    return TermInfo(
        weight=float(weights.sum(dtype=float)),
        df=len(ids),
        minlength=_NO_MIN_LENGTH,  # what whoosh3 reads back for a codec without lengths
        maxlength=_NO_MAX_LENGTH,
        maxweight=float(weights.max()),
        minid=int(ids[0]),
        maxid=int(ids[-1]),
    )


class _Values:
    """A flat-only term's encoded values (positions and character spans), read CHUNK at a
    time when first asked for: a phrase or a snippet reads a few of a term's postings, a
    merge every one in turn."""

    CHUNK = 256

    def __init__(self, found: TermArrays):
        self._found = found
        self._chunks: dict[int, list[bytes]] = {}

    def __len__(self) -> int:
        return len(self._found.ids)

    def __getitem__(self, i: int) -> bytes:
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError(i)
        c, at = divmod(i, self.CHUNK)
        chunk = self._chunks.get(c)
        if chunk is None:
            first = c * self.CHUNK
            chunk = self._chunks[c] = self._found.values_between(first, min(n, first + self.CHUNK))
        return chunk[at]

    def __iter__(self):
        return (self[i] for i in range(len(self)))


class _Frequencies:
    """A flat-only field's posting values, as its format (frequencies only) encodes them:
    each weight over the field's boost, made when asked for (merges copy the weights and
    leave these)."""

    def __init__(self, weights: list[float], boost: float):
        self._weights, self._boost = weights, boost

    def __len__(self) -> int:
        return len(self._weights)

    def __getitem__(self, i: int) -> bytes:
        return pack_uint(round(self._weights[i] / self._boost))

    def __iter__(self):
        return (pack_uint(round(w / self._boost)) for w in self._weights)
