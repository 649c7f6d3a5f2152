"""The writer's pool of postings, grouped by term as they come.

Whoosh's SegmentWriter adds each posting to a pool as a tuple (field, term, document, weight,
value) and sorts the whole pool at commit: ~700 postings a Japanese article, each added with a
size estimate and type checks, then sorted in Python. Postings come document by document, so
each term's postings are already in document order: grouped by field and term as they come,
only the terms are left to sort (a tenth as many), and the field writer takes a term's postings
at once (indexer/flat_postings.py). Past its size limit the pool still spills to sorted runs on
disk as Whoosh's does: multiprocess writers hand their runs to the parent.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from whoosh.writing import PostingPool

# Python's cyclic collector, while a pool fills: a full collection scans every list the pool
# holds (one a term), and the pool grows by a quarter often enough that 1,500 ja-livedoor
# articles spent 1.2 s of a 17 s reindex in full collections (counted with gc.callbacks).
# Collecting this much less often left 0.1 s; cycles that analysis leaves are still collected.
COLLECT_EVERY = 50_000  # allocations between young collections (Python's default: 700)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage COLLECT_EVERY allocations rather than 700 while writing."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], COLLECT_EVERY), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


# What a posting held in the pool costs, as Whoosh's own estimate comes to for a short term
# with a few positions (its tuple, field name, term, number, weight and value).
POSTING_BYTES = 200


class TermPool(PostingPool):
    """whoosh.writing.PostingPool keeping postings by field and term."""

    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        # field name -> term -> its postings: (document, weight, value), documents in order
        self._fields: dict[str, dict[bytes, list[tuple]]] = {}
        self._held = 0
        self._max_held = max(1, self.limit // POSTING_BYTES)
        # A term's postings out of document order (merged segments added out of order, or a
        # document twice): they are then sorted as Whoosh's pool sorts them.
        self._unordered = False

    def _terms_of(self, fieldname: str) -> dict[bytes, list[tuple]]:
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def add(self, item):
        fieldname, btext, docnum = item[0], item[1], item[2]
        terms = self._terms_of(fieldname)
        postings = terms.get(btext)
        if postings is None:
            terms[btext] = [item[2:]]
        else:
            if docnum <= postings[-1][0]:
                self._unordered = True
            postings.append(item[2:])
        self._held += 1
        if self._held >= self._max_held:
            self.save()

    def add_field(self, fieldname: str, items, docnum: int, boost: float) -> int:
        """Add a new document's postings in a field (a field's index() items: term, frequency,
        weight, value), the document numbered after every one the pool holds; return the sum
        of the frequencies. SegmentWriter.add_document's loop, without a call per posting."""
        terms = self._terms_of(fieldname)
        get = terms.get
        length = held = 0
        for btext, freq, weight, value in items:
            postings = get(btext)
            if postings is None:
                terms[btext] = [(docnum, weight * boost, value)]
            else:
                postings.append((docnum, weight * boost, value))
            length += freq
            held += 1
        self._held += held
        return length

    def check_size(self) -> None:
        """Spill to a run on disk past the size limit (between documents)."""
        if self._held >= self._max_held:
            self.save()

    def by_term(self):
        """Yield (field name, term, its postings in order), fields and terms in sorted order,
        as Whoosh's sorted pool gives them; a posting is (document, weight, value). The pool
        is emptied."""
        fields, unordered = self._fields, self._unordered
        self._fields, self._held, self._unordered = {}, 0, False
        for fieldname in sorted(fields):
            terms = fields[fieldname]
            for btext in sorted(terms):
                postings = terms[btext]
                if unordered:
                    postings.sort()
                yield fieldname, btext, postings

    def postings(self):
        """Yield every posting in Whoosh's order; the pool is emptied."""
        for fieldname, btext, postings in self.by_term():
            for docnum, weight, value in postings:
                yield fieldname, btext, docnum, weight, value

    def save(self):
        self.current = list(self.postings())
        super().save()

    def items(self, maxfiles=128):
        if not self.runs:
            return Grouped(self)
        return super().items(maxfiles)  # saves what is held as one more run, then merges


class Grouped:
    """A pool's postings in Whoosh's order (iterating gives its tuples, as a sorted pool
    does); by_term() gives them a term at a time."""

    def __init__(self, pool: TermPool):
        self.by_term = pool.by_term
        self._postings = pool.postings

    def __iter__(self):
        return self._postings()
