"""Score a query over whole arrays of documents at once, instead of one posting at a time.

Whoosh matches and scores through trees of Python matcher objects: a query matching
thousands of articles costs thousands of Python calls per term, and hanil must score every
match (Whoosh's top-N collector, skipping, dropped right answers: see the README). This
evaluator walks the same query tree but gives each node a score array over all documents:
a term's BM25F scores come from its postings, read once per index state and kept, and And,
Or, AndMaybe and AndNot become array arithmetic. It follows
Whoosh's scoring to the letter (the same BM25F formula, statistics and boosts, also a
compound of one subquery ignoring its boost), so rankings do not change; nodes it does not
know (phrases) are scored by Whoosh's own matchers, which only visit the documents holding
every word of the phrase.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from .lru import LRU
from .query import GramsOr


class Arrays:
    """What scoring derives once per committed index state for all threads: term scores
    (bounded), field lengths, live documents (search_app/state.py owns one per state)."""

    def __init__(self, cached_postings: int):
        # key -> (ids, scores), shared by the threads, bounded in postings
        self.terms = LRU(cached_postings, sizeof=lambda v: len(v[0]))
        self.lengths: dict[str, np.ndarray] = {}
        self.live: np.ndarray | None = None


class Engine:
    """Query scoring over arrays for one searcher (one thread's), with shared Arrays."""

    def __init__(self, searcher, arrays: Arrays):
        self.s = searcher
        self.n = searcher.doc_count_all()
        self.weighting = searcher.weighting
        self.arrays = arrays
        if arrays.live is None:
            reader = searcher.reader()
            live = np.ones(self.n, bool)
            if reader.has_deletions():
                live[[d for d in range(self.n) if reader.is_deleted(d)]] = False
            arrays.live = live
        self.live = arrays.live

    # -- the query tree -------------------------------------------------------------------

    def run(self, q: wq.Query) -> tuple[np.ndarray, np.ndarray]:
        """Return (matched, score) arrays over all documents for query q."""
        matched, score = self._eval(q)
        return matched & self.live, score

    def _eval(self, q):
        if isinstance(q, wq.Term):
            return self._term(q)
        if isinstance(q, GramsOr):
            return self._or(q.kept(self.s), q.boost)
        if isinstance(q, wq.Or):  # Whoosh's union and array-union matchers score alike
            return self._or(q.subqueries, q.boost)
        if type(q) is wq.And:
            return self._and(q)
        if type(q) is wq.AndMaybe:
            am, asc = self._eval(q.a)
            bm, bsc = self._eval(q.b)
            return am, np.where(am & bm, asc + bsc, asc)
        if type(q) is wq.AndNot:
            am, asc = self._eval(q.a)
            bm, _ = self._eval(q.b)
            keep = am & ~bm
            return keep, np.where(keep, asc, 0.0)
        if isinstance(q, type(wq.NullQuery)):
            return np.zeros(self.n, bool), np.zeros(self.n)
        if type(q) is wq.Every and q.fieldname in (None, "", "*"):
            return self.live.copy(), np.full(self.n, q.boost)  # Whoosh: every live doc, boost
        return self._by_whoosh(q)

    def _or(self, subs, boost: float):
        if not subs:
            return np.zeros(self.n, bool), np.zeros(self.n)
        if len(subs) == 1:  # Whoosh uses the lone subquery's matcher: no boost
            return self._eval(subs[0])
        matched = np.zeros(self.n, bool)
        score = np.zeros(self.n)
        for sub in subs:
            m, sc = self._eval(sub)
            matched |= m
            score += sc
        if boost != 1.0:
            score *= boost
        return matched, score

    def _and(self, q):
        subs = q.subqueries
        if not subs:
            return np.zeros(self.n, bool), np.zeros(self.n)
        if len(subs) == 1:
            return self._eval(subs[0])
        matched = np.ones(self.n, bool)
        score = np.zeros(self.n)
        for sub in subs:
            m, sc = self._eval(sub)
            matched &= m
            score += sc
        if q.boost != 1.0:
            score *= q.boost
        return matched, np.where(matched, score, 0.0)

    # -- leaves ---------------------------------------------------------------------------

    def _term(self, q: wq.Term):
        ids, scores = self.term_scores(q.fieldname, q.text)
        matched = np.zeros(self.n, bool)
        score = np.zeros(self.n)
        matched[ids] = True
        score[ids] = scores * q.boost if q.boost != 1.0 else scores
        return matched, score

    def term_scores(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding a term and their BM25F scores (cached)."""
        key = (fieldname, text)
        hit = self.arrays.terms.get(key)
        if hit is not None:
            return hit
        ids, weights = self._postings(fieldname, text)
        if len(ids):
            scorer = self.weighting.scorer(self.s, fieldname, text)
            b, k1 = scorer.B, scorer.K1
            fl = self.lengths(fieldname)[ids]
            norm = k1 * ((1 - b) + b * fl / scorer.avgfl)
            scores = scorer.idf * ((weights * (k1 + 1)) / (weights + norm))
        else:
            scores = np.zeros(0)
        self.arrays.terms.put(key, (ids, scores))
        return ids, scores

    def _postings(self, fieldname: str, text: str):
        if fieldname not in self.s.schema:
            return np.zeros(0, np.int32), np.zeros(0)
        try:
            btext = self.s.schema[fieldname].to_bytes(text)
        except ValueError:
            return np.zeros(0, np.int32), np.zeros(0)
        ids: list[int] = []
        weights: list[float] = []
        for sub, offset in self.s.leaf_searchers():
            reader = sub.reader()
            if (fieldname, btext) not in reader:
                continue
            m = reader.postings(fieldname, btext)
            start = len(ids)
            _read_all(m, ids, weights)
            if offset:
                ids[start:] = [d + offset for d in ids[start:]]
        return np.array(ids, np.int32), np.array(weights, np.float64)

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's length in a field, as Whoosh's BM25F reads it (1 when absent)."""
        lengths = self.arrays.lengths.get(fieldname)
        if lengths is None:
            fl = self.s.doc_field_length
            lengths = np.array([fl(d, fieldname, 1) for d in range(self.n)], np.float64)
            self.arrays.lengths[fieldname] = lengths
        return lengths

    def _by_whoosh(self, q):
        """Score q with Whoosh's matchers (phrases), leaf segment by leaf segment."""
        matched = np.zeros(self.n, bool)
        score = np.zeros(self.n)
        for sub, offset in self.s.leaf_searchers():
            m = q.matcher(sub, sub.context(weighting=self.weighting))
            while m.is_active():
                d = m.id() + offset
                matched[d] = True
                score[d] = m.score()
                m.next()
        return matched, score


def _read_all(m, ids: list, weights: list) -> None:
    """Append a matcher's ids and weights: a whole block at a time from whoosh3's leaf
    matcher (its block arrays are private, so anything else is read posting by posting).
    Deleted documents are left in; Engine.run masks them out."""
    leaf = getattr(m, "child", m)  # a segment with deletions wraps its leaf in a filter
    if all(hasattr(leaf, a) for a in ("_read_ids", "_read_weights", "_next_block", "_i")):
        while leaf.is_active():
            if leaf._i:  # not at a block start: finish this block posting by posting
                while leaf.is_active() and leaf._i:
                    ids.append(leaf.id())
                    weights.append(leaf.weight())
                    leaf.next()
                continue
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids)
            weights.extend(leaf._weights)
            leaf._next_block()
        return
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()


def holding(reader, fieldname: str, text: str, docnums: list[int]):
    """Yield (docnum, matcher at it) for each of docnums whose field holds text, opening
    the term's postings once and only moving forward through them. The matcher moves on
    with the next item: read it before asking for the next."""
    if (fieldname, text) not in reader:
        return
    m = reader.postings(fieldname, text)
    for d in sorted(set(docnums)):
        if not m.is_active():
            return
        m.skip_to(d)
        if m.is_active() and m.id() == d:
            yield d, m


def best_of(matched: np.ndarray, score: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The `limit` best (docnum, score) pairs: highest score first, ties by docnum as
    Whoosh's collector orders them."""
    docs = np.flatnonzero(matched)
    if len(docs) > limit:
        part = np.argpartition(-score[docs], limit - 1)[:limit]
        cut = score[docs[part]].min()
        docs = docs[score[docs] >= cut]  # keep every tie at the cut, then order
    order = np.lexsort((docs, -score[docs]))[:limit]
    return [(int(d), float(score[d])) for d in docs[order]]
