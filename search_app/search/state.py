"""The live index as threads see it: one view per thread, one shared state per commit.

A generation folder (indexer/store.py) changes in two ways: a full reindex switches the
`current` link to another folder, and an incremental reindex commits a new state of the same
folder. Every request asks for a view; a view is current when its folder is the linked one
and its reader's generation is the folder's latest commit, so a thread sees a commit on its
next request. What one committed state derives (term scores, lengths, live documents, facet
postings, dates, cached result pages) lives in one IndexState, shared by every thread that
reads that state and dropped with it; a segment's flat postings, opened once, serve every
state that still holds the segment.

A new state gets a new reader, never `Searcher.refresh()`: whoosh3 3.54.0's reader reuse
(`FileIndex._reader(reuse=...)`) appends the old reader's segments to the new ones, so a
refreshed searcher counted every updated article twice and still served deleted ones.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from whoosh import scoring

from indexer import store

from .engine import Arrays, Engine, FlatSegments
from .lru import LRU
from .ranking import BM25_B, BM25_K1


@dataclass(frozen=True)
class CacheBounds:
    """What a serving process keeps per index state, besides the index itself."""

    # Result pages, counted in hits (a page of 10 counts 11, a page of 100 counts 101): a
    # repeated query costs no search. ~2 KB a hit: ~22 MB at the default.
    results: int = 11_000
    # Term postings kept as score arrays, 12 bytes each: ~36 MB at the default. Admitted by
    # how often their term is asked for (search_app/search/lru.py).
    postings: int = 3_000_000


class FacetPostings:
    """A facet's values and their documents, laid end to end so that the counts of every
    value over a set of documents are one bincount."""

    def __init__(self, by_value: dict[str, np.ndarray]):
        self.by_value = by_value
        self.values = list(by_value)
        self.docs = np.concatenate([*by_value.values(), np.zeros(0, np.int64)])
        self.owner = np.repeat(np.arange(len(by_value)), [len(v) for v in by_value.values()])

    def counts(self, mask: np.ndarray) -> dict[str, int]:
        """Return value -> how many documents of the mask hold it."""
        n = np.bincount(self.owner[mask[self.docs]], minlength=len(self.values))
        return dict(zip(self.values, n.tolist(), strict=True))


class IndexState:
    """What one committed index state derives once for every thread. Filled lazily; two
    threads racing on one entry compute the same value."""

    def __init__(self, generation: int, bounds: CacheBounds, flat: FlatSegments):
        self.generation = generation
        self.arrays = Arrays(bounds.postings, flat)
        self.results = LRU(bounds.results, sizeof=lambda r: len(r.results) + 1)
        self._facets: dict[str, FacetPostings] = {}
        self._dates: np.ndarray | None = None
        self._other_language: dict[str, np.ndarray] = {}

    def facet_postings(self, reader, facet: str) -> FacetPostings:
        """The live documents of each value of a facet."""
        postings = self._facets.get(facet)
        if postings is None:
            values = {}
            for term in reader.lexicon(facet):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                values[value] = np.fromiter(reader.postings(facet, value).all_ids(), np.int64)
            postings = self._facets[facet] = FacetPostings(values)
        return postings

    def other_language(self, reader, lang: str) -> np.ndarray:
        """True for each document whose language is not lang."""
        mask = self._other_language.get(lang)
        if mask is None:
            mask = np.ones(reader.doc_count_all(), bool)
            mask[self.facet_postings(reader, "lang").by_value.get(lang, [])] = False
            self._other_language[lang] = mask
        return mask

    def dates(self, searcher) -> np.ndarray:
        """Each document's date ("" when unknown), for date filters and sorting."""
        if self._dates is None:
            n = searcher.doc_count_all()
            column = searcher.reader().column_reader("date") if n else []  # none when empty
            values = (column[d] for d in range(n))
            self._dates = np.array(
                [v.decode("utf-8") if isinstance(v, bytes) else (v or "") for v in values],
                dtype="U10",  # also for an empty index, so comparisons with strings work
            )
        return self._dates


@dataclass
class View:
    """One thread's searcher on one committed state, with that state's shared arrays."""

    searcher: object
    engine: Engine
    state: IndexState
    kind: str  # the analyzer the generation was built with
    close: Callable[[], None] = lambda: None  # closes the searcher's files, once

    @property
    def reader(self):
        return self.searcher.reader()


class Generation:
    """One opened generation folder: a view per thread, the state of its latest commit."""

    def __init__(self, root: Path, bounds: CacheBounds):
        self.link = store.current_link(root)  # read before the folder it points to
        self.path = store.current_dir(root)
        self.index = store.open_current(root)
        self.kind = store.analyzer_kind(self.path)
        self.bounds = bounds
        self._local = threading.local()
        self._lock = threading.Lock()
        self._state: IndexState | None = None
        self._flat = FlatSegments()  # outlives the states: segments outlive commits

    def view(self) -> View:
        """This thread's view of the latest commit (a new one after a commit)."""
        old: View | None = getattr(self._local, "view", None)
        if old is not None and old.state.generation == self.index.latest_generation():
            return old
        s = self.index.searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
        if old is not None:
            old.close()  # this thread's own readers: no other thread holds them
        state = self._state_of(s)
        view = View(s, Engine(s, state.arrays), state, self.kind)
        # A view lives as long as its thread (or this generation): its files close with it,
        # or earlier, once, when the thread moves to a newer commit.
        view.close = weakref.finalize(view, s.close)
        self._local.view = view
        return view

    def _state_of(self, searcher) -> IndexState:
        generation = searcher.reader().generation()
        with self._lock:
            state = self._state
            if state is None or state.generation < generation:
                self._flat.keep_only(searcher)
                state = self._state = IndexState(generation, self.bounds, self._flat)
            elif state.generation > generation:  # a reader opened just before a commit
                state = IndexState(generation, self.bounds, self._flat)
            return state


class LiveIndex:
    """The live generation of an index folder, reopened when a reindex switches it."""

    def __init__(self, root: str | Path, bounds: CacheBounds):
        self.root = Path(root)
        self.bounds = bounds
        self._gen: Generation | None = None
        self._lock = threading.Lock()

    def view(self) -> View:
        """This thread's view of what the last committed reindex holds."""
        return self.generation().view()

    def generation(self) -> Generation:
        gen = self._gen
        link = store.current_link(self.root)  # one system call per request
        if gen is not None and link is not None and link == gen.link:
            return gen
        with self._lock:
            current = store.current_dir(self.root)
            if self._gen is None or self._gen.path != current:
                self._gen = Generation(self.root, self.bounds)
            elif link is not None:
                self._gen.link = link  # the link was rewritten to the same folder
            return self._gen
