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

from math import log

import numpy as np
from whoosh import query as wq

from indexer.flat_postings import FlatPostings
from indexer.flat_postings import key as flat_key

from .lru import LRU
from .postings import holding, read_all
from .query import GramsOr


class Arrays:
    """What scoring derives once per committed index state for all threads: term scores
    (bounded), field lengths, live documents (search_app/state.py owns one per state), and
    the generation's flat postings, which outlive a state (a segment's files never change)."""

    def __init__(self, cached_postings: int, flat: FlatSegments):
        # (field, term) -> (ids, scores), shared by the threads, bounded in postings; let in
        # by how often a term is asked for, so that a run of long queries does not flush
        # the terms every short query needs
        self.terms = LRU(cached_postings, sizeof=lambda v: len(v[0]), by_frequency=True)
        self.lengths: dict[str, np.ndarray] = {}
        self.live: np.ndarray | None = None
        self.flat = flat


class FlatSegments:
    """The flat postings of a generation's segments, each opened once (its term table's
    sparse keys read) for every state and thread that reads the segment."""

    def __init__(self):
        self._open: dict[str, FlatPostings | None] = {}  # segment id -> its flat postings

    def of(self, reader) -> FlatPostings | None:
        segment = reader.segment()
        if segment is None:  # an empty index's reader
            return None
        sid = segment.segment_id()
        if sid not in self._open:  # two threads racing open the same files: harmless
            self._open[sid] = FlatPostings.of(reader)
        return self._open[sid]

    def keep_only(self, searcher) -> None:
        """Forget the segments a new state no longer has (merged away)."""
        live = {
            sub.reader().segment().segment_id()
            for sub, _o in searcher.leaf_searchers()
            if sub.reader().segment() is not None
        }
        self._open = {sid: f for sid, f in self._open.items() if sid in live}


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
            return self._or(q.kept(self.s.doc_count_all(), self.doc_frequency), q.boost)
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
            if isinstance(sub, wq.Term):  # added where it matches: no array of its own
                self._add_term(matched, score, sub)
            elif _terms_only(sub):  # a word in both fields (or another language's form)
                for term in sub.subqueries:
                    self._add_term(matched, score, term, sub.boost)
            else:
                m, sc = self._eval(sub)
                matched |= m
                score += sc
        if boost != 1.0:
            score *= boost
        return matched, score

    def _add_term(self, matched, score, q: wq.Term, boost: float = 1.0) -> None:
        ids, sc = self._leaf_scores(q)
        matched[ids] = True
        score[ids] += sc * boost if boost != 1.0 else sc

    def _and(self, q):
        subs = q.subqueries
        if not subs:
            return np.zeros(self.n, bool), np.zeros(self.n)
        if len(subs) == 1:
            return self._eval(subs[0])
        matched = np.ones(self.n, bool)
        score = np.zeros(self.n)
        for sub in subs:
            if isinstance(sub, wq.Term):
                ids, sc = self._leaf_scores(sub)
                kept = np.zeros(self.n, bool)
                kept[ids] = matched[ids]
                matched = kept
                score[ids] += sc
            else:
                m, sc = self._eval(sub)
                matched &= m
                score += sc
        if q.boost != 1.0:
            score *= q.boost
        return matched, np.where(matched, score, 0.0)

    # -- leaves ---------------------------------------------------------------------------

    def _term(self, q: wq.Term):
        ids, scores = self._leaf_scores(q)
        matched = np.zeros(self.n, bool)
        score = np.zeros(self.n)
        matched[ids] = True
        score[ids] = scores
        return matched, score

    def _leaf_scores(self, q: wq.Term):
        ids, scores = self.term_scores(q.fieldname, q.text)
        return ids, (scores * q.boost if q.boost != 1.0 else scores)

    def term_scores(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The documents holding a term (deleted ones too) and their BM25F scores (cached)."""
        key = (fieldname, text)
        hit = self.arrays.terms.get(key)
        if hit is not None:
            return hit
        ids, weights = self._postings(fieldname, text)
        if len(ids):
            # Whoosh's BM25F (scoring.BM25FScorer) with its statistics, taken from the
            # postings at hand instead of its term table: idf from the document frequency
            # (deleted documents count, as in Whoosh's), the field's average length.
            b, k1 = self.weighting.B, self.weighting.K1
            idf = _idf(self.n, len(ids))
            avgfl = self.s.avg_field_length(fieldname) or 1
            fl = self.lengths(fieldname)[ids]
            norm = k1 * ((1 - b) + b * fl / avgfl)
            scores = idf * ((weights * (k1 + 1)) / (weights + norm))
        else:
            scores = np.zeros(0)
        self.arrays.terms.put(key, (ids, scores))
        return ids, scores

    def doc_frequency(self, fieldname: str, text: str) -> int:
        """How many documents hold a term, deleted ones too (as Whoosh counts for idf)."""
        hit = self.arrays.terms.get((fieldname, text))
        if hit is not None:
            return len(hit[0])
        return sum(
            flat.doc_frequency(term_key) if flat else reader.doc_frequency(fieldname, btext)
            for _offset, reader, flat, btext, term_key in self._segments(fieldname, text)
        )

    def idf(self, fieldname: str, text: str) -> float:
        """A term's inverse document frequency, as Whoosh's weighting computes it."""
        return _idf(self.n, self.doc_frequency(fieldname, text))

    def holds(self, fieldname: str, text: str, docnums: np.ndarray) -> np.ndarray:
        """For each of docnums, whether its field holds the term (from the term's postings,
        read once per index state)."""
        return _among(self.term_scores(fieldname, text)[0], docnums)

    def values_at(self, fieldname: str, text: str, docnums: np.ndarray) -> dict[int, bytes]:
        """docnum -> the term's encoded posting value (its positions and characters), for
        the docnums (ascending, distinct: `wanted(docnums)`) whose field holds it: from each
        segment's flat postings, else decoded. Callers ask for many terms at the same
        documents, most of them held by none (a query's forms in the other language)."""
        hit = self.arrays.terms.get((fieldname, text))
        if hit is not None:
            # The term's documents are at hand: only segments where a wanted one holds it
            # are read. Most of a query's terms in other languages hold none.
            wanted = docnums[_among(hit[0], docnums)]
        elif self.doc_frequency(fieldname, text):
            wanted = docnums
        else:
            return {}
        out: dict[int, bytes] = {}
        if not len(wanted):
            return out
        for offset, reader, flat, btext, term_key in self._segments(fieldname, text):
            local = wanted[(wanted >= offset) & (wanted < offset + reader.doc_count_all())]
            if not len(local):
                continue
            local -= offset
            if flat is None:
                for d, m in holding(reader, fieldname, btext, local.tolist()):
                    out[d + offset] = m.value()
            elif (arrays := flat.term(term_key, weights=False)) and arrays.ends is not None:
                for d, value in arrays.values_of(local):
                    out[d + offset] = value
        return out

    @staticmethod
    def wanted(docnums) -> np.ndarray:
        """Document numbers as values_at takes them."""
        return np.unique(np.asarray(docnums, np.int64))

    def _postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's (ids, weights) over all segments, deleted documents in."""
        ids_parts: list[np.ndarray] = [np.zeros(0, np.int64)]
        weight_parts: list[np.ndarray] = [np.zeros(0)]
        for offset, reader, flat, btext, term_key in self._segments(fieldname, text):
            if flat is not None:
                got = flat.term(term_key)
                if got is not None:
                    ids_parts.append(got.ids + offset)
                    weight_parts.append(got.weights)
            elif (fieldname, btext) in reader:
                ids: list[int] = []
                weights: list[float] = []
                read_all(reader.postings(fieldname, btext), ids, weights)
                ids_parts.append(np.array(ids, np.int64) + offset)
                weight_parts.append(np.array(weights))
        return (
            np.concatenate(ids_parts).astype(np.int32),
            np.concatenate(weight_parts).astype(np.float64),
        )

    def _segments(self, fieldname: str, text: str):
        """Yield (docnum offset, reader, flat postings or None, the term as the index holds
        it, its flat key) for each segment; nothing when the term cannot be in the index.
        A segment without flat postings (written before them) is read through Whoosh."""
        if fieldname not in self.s.schema:
            return
        try:
            btext = self.s.schema[fieldname].to_bytes(text)
        except ValueError:
            return
        term_key = flat_key(fieldname, btext)
        for sub, offset in self.s.leaf_searchers():
            reader = sub.reader()
            yield offset, reader, self.arrays.flat.of(reader), btext, term_key

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


def _among(ids: np.ndarray, docnums: np.ndarray) -> np.ndarray:
    """For each of docnums, whether it is one of ids (ascending)."""
    if not len(ids):
        return np.zeros(len(docnums), bool)
    at = np.minimum(np.searchsorted(ids, docnums), len(ids) - 1)
    return ids[at] == docnums


def _terms_only(q) -> bool:
    """Whether q is an Or of two or more terms (scored as their sum times its boost)."""
    return (
        type(q) is wq.Or
        and len(q.subqueries) > 1
        and all(isinstance(t, wq.Term) for t in q.subqueries)
    )


def _idf(doc_count_all: int, doc_frequency: int) -> float:
    return log(doc_count_all / (doc_frequency + 1)) + 1  # whoosh.scoring.WeightingModel.idf


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
