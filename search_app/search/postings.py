"""Reading postings out of whoosh3's blocks, for a segment without flat postings
(indexer/flat_postings.py: a segment written before them) faster than its matchers do.

whoosh3's leaf matcher keeps a block of postings (up to 128: ids, weights, values, pickled
and compressed together) and moves through it one posting at a time, and a segment with
deletions wraps it in a filter, each adding a Python call per posting. Two reads here need
less: all of a term's ids and weights (the engine's score arrays), and the postings of a
few documents (positions for the second pass, spans for snippets), which should cost the
blocks holding them, not the postings before them. Both use the leaf's block arrays, which
are private: a matcher without them is read through its public methods.
"""

from __future__ import annotations

from bisect import bisect_left

_BLOCK_API = ("_read_ids", "_read_weights", "_next_block", "_i", "_maxid", "_atend")


def _leaf(m):
    """The block matcher under a deletion filter, or None when m is not one."""
    leaf = getattr(m, "child", m)  # a segment with deletions wraps its leaf in a filter
    return leaf if all(hasattr(leaf, a) for a in _BLOCK_API) else None


def read_all(m, ids: list, weights: list) -> None:
    """Append a matcher's ids and weights, a whole block at a time. Deleted documents are
    in too (a document frequency counts them; the caller masks them out): the matcher under
    a deletion filter is read from its start, since the filter has already moved it past
    deleted documents at the start."""
    m = getattr(m, "child", m)
    m.reset()
    leaf = _leaf(m)
    if leaf is None:
        while m.is_active():
            ids.append(m.id())
            weights.append(m.weight())
            m.next()
        return
    while leaf.is_active():
        leaf._read_ids()
        leaf._read_weights()
        ids.extend(leaf._ids)
        weights.extend(leaf._weights)
        leaf._next_block()


def holding(reader, fieldname: str, text, docnums: list[int]):
    """Yield (docnum, matcher at it) for each of docnums (ascending, of this segment reader)
    whose field holds text: blocks before a wanted document are passed by their header (its
    last id), and inside a block the document is found by bisection. The docnums must be
    live documents (a deleted one may be yielded). The matcher moves on with the next item:
    read it before asking for the next."""
    if not docnums or (fieldname, text) not in reader:
        return
    m = reader.postings(fieldname, text)
    leaf = _leaf(m)
    yield from _by_blocks(leaf, docnums) if leaf is not None else _by_skipping(m, docnums)


def _by_blocks(leaf, local: list[int]):
    for d in local:
        while not leaf._atend and d > leaf._maxid:
            leaf._next_block()  # reads the next block's header only
        if leaf._atend:
            return
        if leaf._ids is None:
            leaf._read_ids()
        i = bisect_left(leaf._ids, d, leaf._i)  # d <= the block's last id: i is in it
        leaf._i = i
        if leaf._ids[i] == d:
            yield d, leaf


def _by_skipping(m, local: list[int]):
    for d in local:
        if not m.is_active():
            return
        m.skip_to(d)
        if m.is_active() and m.id() == d:
            yield d, m
