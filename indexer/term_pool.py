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

from whoosh.writing import PostingPool

# What a posting held in the pool costs, as Whoosh's own estimate comes to for a short term
# with a few positions (its tuple, field name, term, number, weight and value).
POSTING_BYTES = 200


class TermPool(PostingPool):
    def __init__(self, tempstore, segment, limitmb=128, **kwargs):
        super().__init__(tempstore, segment, limitmb=limitmb, **kwargs)
        self._fields: dict[str, dict[bytes, list[tuple]]] = {}
        self._held = 0
        self._max_held = max(1, self.limit // POSTING_BYTES)
        # A term's postings out of document order (merged segments added out of order, or a
        # document twice): they are then sorted as Whoosh's pool sorts them.
        self._unordered = False

    def add(self, item):
        fieldname, btext, docnum = item[0], item[1], item[2]
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        postings = terms.get(btext)
        if postings is None:
            terms[btext] = [item]
        else:
            if docnum <= postings[-1][2]:
                self._unordered = True
            postings.append(item)
        self._held += 1
        if self._held >= self._max_held:
            self.save()

    def by_term(self):
        """Yield (field name, term, its postings in order), fields and terms in sorted order,
        as Whoosh's sorted pool gives them; the pool is emptied."""
        fields, unordered = self._fields, self._unordered
        self._fields, self._held, self._unordered = {}, 0, False
        for fieldname in sorted(fields):
            terms = fields[fieldname]
            for btext in sorted(terms):
                postings = terms[btext]
                if unordered:
                    postings.sort()
                yield fieldname, btext, postings

    def _flat(self):
        for _fieldname, _btext, postings in self.by_term():
            yield from postings

    def save(self):
        self.current = list(self._flat())
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

    def __iter__(self):
        for _fieldname, _btext, postings in self.by_term():
            yield from postings
