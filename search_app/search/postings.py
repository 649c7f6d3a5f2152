"""Reading postings out of whoosh3's blocks, for a segment without flat postings
(indexer/flat_postings.py: a segment written before them, until `hanil optimize` or a merge
rewrites it).

All of a term's ids and weights (the engine's score arrays) are read a whole block at a time
from the leaf matcher's block arrays, which are private, not posting by posting through the
matcher's Python calls; a matcher without them is read through its public methods.
"""

from __future__ import annotations

_BLOCK_API = ("_read_ids", "_read_weights", "_next_block", "_ids", "_weights")


def read_all(m, ids: list, weights: list) -> None:
    """Append a matcher's ids and weights. Deleted documents are in too (a document
    frequency counts them; the caller masks them out): the matcher under a deletion filter is
    read from its start, since the filter has already moved it past deleted documents at the
    start."""
    m = getattr(m, "child", m)  # a segment with deletions wraps its leaf in a filter
    m.reset()
    if not all(hasattr(m, a) for a in _BLOCK_API):
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return
    while m.is_active():
        m._read_ids()
        m._read_weights()
        ids.extend(m._ids)
        weights.extend(m._weights)
        m._next_block()


def holding(reader, fieldname: str, text, docnums: list[int]):
    """Yield (docnum, matcher at it) for each of docnums (ascending, live documents of this
    segment reader) whose field holds text, opening the term's postings once and only moving
    forward. The matcher moves on with the next item: read it before asking for the next."""
    if not docnums or (fieldname, text) not in reader:
        return
    m = reader.postings(fieldname, text)
    for d in docnums:
        if not m.is_active():
            return
        m.skip_to(d)
        if m.is_active() and m.id() == d:
            yield d, m
