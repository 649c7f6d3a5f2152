"""The search logic the page, the JSON API and `hanil search` all call."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import asdict, astuple, dataclass, field, replace
from pathlib import Path

import numpy as np
from whoosh import query as wq
from whoosh import scoring

from indexer import store
from indexer.facets import label as facet_label
from indexer.schema import FACETS

from . import highlight
from .engine import Arrays, Engine, best_of, holding
from .lru import LRU
from .query import ParsedQuery, build, parse
from .rescore import RESCORE_WINDOW, Ranked, rescore

MAX_QUERY_CHARS = 1000
MAX_PER_PAGE = 100
MAX_RESULT_WINDOW = 10_000  # page * per_page
# Result pages kept per index state, counted in hits (a page of 10 counts 11), so that pages
# of 100 do not hold ten times the memory: a repeated query costs no search.
CACHED_RESULTS = 11_000
SORTS = ("relevance", "newest", "oldest")
BM25_B, BM25_K1 = 0.4, 0.9  # tuned on the dev sets together (docs/quality.md)
_DATE = re.compile(r"^(?:19|20)\d{2}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


class BadRequest(ValueError):
    """A search request with a bad parameter; the message names it."""


@dataclass
class SearchRequest:
    q: str = ""
    city: list[str] = field(default_factory=list)
    event: list[str] = field(default_factory=list)
    year: list[str] = field(default_factory=list)
    lang: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    xlang: bool = True  # also match each word in the other language

    def validate(self) -> SearchRequest:
        """Check every parameter; raise BadRequest naming the first bad one."""
        if len(self.q) > MAX_QUERY_CHARS:
            raise BadRequest(f"q is longer than {MAX_QUERY_CHARS} characters")
        if self.sort not in SORTS:
            raise BadRequest(f"sort must be one of {', '.join(SORTS)}")
        if self.page < 1:
            raise BadRequest("page must be 1 or more")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise BadRequest(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.page * self.per_page > MAX_RESULT_WINDOW:
            raise BadRequest(f"page * per_page must not exceed {MAX_RESULT_WINDOW}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if value and not _DATE.match(value):
                raise BadRequest(f"{name.replace('date_', '')} must be YYYY, YYYY-MM or YYYY-MM-DD")
        for name in ("q", *FACETS):
            values = [self.q] if name == "q" else getattr(self, name)
            if any("\x00" in v or "\ufffd" in v for v in values):
                raise BadRequest(f"{name} is not valid UTF-8 text")
        return self

    def filters(self) -> dict[str, list[str]]:
        return {f: getattr(self, f) for f in FACETS if getattr(self, f)}


@dataclass
class Hit:
    id: str
    title: str
    title_html: str
    snippet_html: str
    date: str | None
    lang: str
    city: list[str]
    event: list[str]
    year: str | None
    source: str
    url: str
    score: float | None
    xlang_matches: list[str]  # "光州 ← 광주": a word of the hit matched a query word across


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    per_page: int
    took_ms: float
    fallback: bool
    results: list[Hit]
    facets: dict[str, list[FacetValue]]

    def to_json(self) -> dict:
        return {"ok": True, **asdict(self)}


@dataclass
class _Match:
    query: wq.Query
    base: np.ndarray  # documents matching the query (a mask over docnums)
    docs: np.ndarray  # ... and every filter
    score: np.ndarray  # BM25F score of each document
    fallback: bool
    parsed: ParsedQuery  # its terms to highlight, cross-language words, rescore terms


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


class _Generation:
    """One opened index generation: a searcher per thread, and the arrays of its committed
    state (term scores, lengths, facet postings, dates) shared by the threads."""

    def __init__(self, root: Path):
        self.link = store.current_link(root)  # read before the folder it points to
        self.path = store.current_dir(root)
        self.index = store.open_current(root)
        self.kind = store.analyzer_kind(self.path)
        self.local = threading.local()
        self.lock = threading.Lock()
        self.arrays: Arrays | None = None

    def searcher(self):
        """This thread's searcher, refreshed when an incremental reindex committed."""
        old = getattr(self.local, "searcher", None)
        if old is not None and old.up_to_date():
            return old
        if old is None:
            s = self.index.searcher(weighting=scoring.BM25F(B=BM25_B, K1=BM25_K1))
        else:
            s = old.refresh()  # shares the unchanged segments' readers: do not close old
        self.local.searcher = s
        self.local.engine = Engine(s, self._arrays(s.reader().generation()))
        return s

    def _arrays(self, generation: int) -> Arrays:
        """The shared arrays of a committed index state (an incremental reindex makes a new
        one; threads still on the old searcher keep theirs)."""
        with self.lock:
            if self.arrays is None or self.arrays.generation != generation:
                self.arrays = Arrays(generation)
            return self.arrays

    def engine(self) -> Engine:
        """This thread's array scorer, for the searcher searcher() returned."""
        return self.local.engine

    def facet_postings(self, facet: str) -> FacetPostings:
        """The postings of a facet's values, for this thread's searcher."""
        arrays = self.local.engine.arrays
        postings = arrays.facets.get(facet)
        if postings is None:
            reader = self.local.searcher.reader()
            values = {}
            for term in reader.lexicon(facet):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                values[value] = np.fromiter(reader.postings(facet, value).all_ids(), np.int64)
            postings = arrays.facets[facet] = FacetPostings(values)
        return postings

    def results(self, capacity: int) -> LRU:
        """The result pages cached for this thread's index state (dropped with it)."""
        arrays = self.local.engine.arrays
        if arrays.results is None:
            arrays.results = LRU(capacity, sizeof=lambda r: len(r.results) + 1)
        return arrays.results

    def dates(self) -> np.ndarray:
        """Each document's date ("" when unknown), for date filters and sorting."""
        arrays = self.local.engine.arrays
        if arrays.dates is None:
            s = self.local.searcher
            column = s.reader().column_reader("date")
            values = [column[d] for d in range(s.doc_count_all())]
            arrays.dates = np.array(
                [v.decode("utf-8") if isinstance(v, bytes) else (v or "") for v in values]
            )
        return arrays.dates


class SearchIndex:
    """The live index of a folder, reopened when a reindex switches or updates it."""

    def __init__(self, root: str | Path, cached_results: int = CACHED_RESULTS):
        self.root = Path(root)
        self.cached_results = cached_results
        self._gen: _Generation | None = None
        self._lock = threading.Lock()

    def generation(self) -> _Generation:
        gen = self._gen
        link = store.current_link(self.root)
        if gen is not None and link is not None and link == gen.link:
            return gen
        current = store.current_dir(self.root)
        if gen is None or gen.path != current:
            with self._lock:
                if self._gen is None or self._gen.path != store.current_dir(self.root):
                    self._gen = _Generation(self.root)
                gen = self._gen
        elif link is not None:
            gen.link = link  # the link was rewritten to the same folder
        return gen

    def search(self, req: SearchRequest, ui_lang: str = "ko") -> SearchResult:
        """Run a validated request: ranked hits, snippets, drill-down facet counts. A page
        asked for before in this index state comes from the cache, with its own took_ms."""
        t0 = time.perf_counter()
        req.validate()
        gen = self.generation()
        s = gen.searcher()
        results = gen.results(self.cached_results)
        key = (ui_lang, *(tuple(v) if isinstance(v, list) else v for v in astuple(req)))
        result = results.get(key)
        if result is None:
            m = self._match(gen, s, req)
            hits = self._hits(gen, s, m, req)
            facets = {f: self._facet(gen, m.base, req, f, ui_lang) for f in FACETS}
            total = int(m.docs.sum())
            result = SearchResult(
                req.q, total, req.page, req.per_page, 0.0, m.fallback, hits, facets
            )
            results.put(key, result)
        return replace(result, took_ms=round((time.perf_counter() - t0) * 1000, 1))

    def rank(self, q: str, limit: int = 100) -> tuple[list[str], bool]:
        """Return article ids for q in relevance order, as search() ranks them, and whether
        the any-word fallback was used. For `hanil eval`: no snippets, no facets."""
        req = SearchRequest(q=q, per_page=limit).validate()
        gen = self.generation()
        s = gen.searcher()
        m = self._match(gen, s, req)
        return [s.stored_fields(h.docnum)["id"] for h in best(s, m, limit)], m.fallback

    def _match(self, gen, s, req: SearchRequest) -> _Match:
        """Parse q; its documents before and after the filters; fall back to any word."""
        parsed = build(req.q, gen.kind, req.xlang)
        if parsed.query is not None:
            q = parsed.query
        elif any(not c.negate for c in parse(req.q)):
            q = wq.NullQuery  # words that are all particles or endings match nothing
        else:
            q = wq.Every()  # no words: browse everything
        engine = gen.engine()
        base, score = engine.run(q)
        docs = self._filtered(gen, base, req, None)
        if not docs.any() and parsed.fallback is not None:
            fb_base, fb_score = engine.run(parsed.fallback)
            fb_docs = self._filtered(gen, fb_base, req, None)
            if fb_docs.any():
                return _Match(parsed.fallback, fb_base, fb_docs, fb_score, True, parsed)
        return _Match(q, base, docs, score, False, parsed)

    def _filtered(self, gen, docs: np.ndarray, req: SearchRequest, skip: str | None):
        """docs narrowed by every filter but the facet `skip` (for drill-down counts)."""
        out = docs
        for facet, values in req.filters().items():
            if facet == skip:
                continue
            postings = gen.facet_postings(facet).by_value
            allowed = np.zeros(len(docs), bool)
            for v in values:
                if v in postings:
                    allowed[postings[v]] = True
            out = out & allowed
        if req.date_from or req.date_to:
            dates = gen.dates()
            lo = req.date_from or "0000"
            hi = (req.date_to or "9999") + "\uffff"  # a YYYY-MM bound takes the whole month
            out = out & (dates >= lo) & (dates <= hi)
        return out

    def _hits(self, gen, s, m: _Match, req: SearchRequest) -> list[Hit]:
        limit = req.page * req.per_page
        if req.sort == "relevance":
            ranked = best(s, m, limit)
        else:
            docs = np.flatnonzero(m.docs)
            order = np.lexsort((docs, gen.dates()[docs]))  # by date, then docnum
            if req.sort == "newest":
                order = order[::-1]
            ranked = [Ranked(int(d), 0.0) for d in docs[order[:limit]]]
        page = ranked[(req.page - 1) * req.per_page : limit]
        scored = req.sort == "relevance"
        spans = _term_spans(s, [h.docnum for h in page], m.parsed.terms)
        return [self._hit(s, h, m, scored, spans[h.docnum]) for h in page]

    def _hit(self, s, h: Ranked, m: _Match, scored: bool, spans: dict) -> Hit:
        doc = s.stored_fields(h.docnum)
        title, body = doc.get("title", ""), doc.get("body", "")
        return Hit(
            id=doc["id"],
            title=title,
            title_html=highlight.mark(title, _in_field(spans, "title")),
            snippet_html=highlight.snippet(body, _in_field(spans, "body")),
            date=doc.get("date"),
            lang=doc.get("lang", ""),
            city=_split(doc.get("city")),
            event=_split(doc.get("event")),
            year=doc.get("year"),
            source=doc.get("source") or "",
            url=doc.get("url") or "",
            score=round(h.score, 4) if scored else None,  # else h.score is the sort key
            xlang_matches=_xlang_matches(spans, m.parsed.xlang, doc),
        )

    def _facet(self, gen, base, req: SearchRequest, facet: str, ui_lang: str):
        docs = self._filtered(gen, base, req, facet)
        selected = set(getattr(req, facet))
        counts = []
        for value, n in gen.facet_postings(facet).counts(docs).items():
            if n or value in selected:
                counts.append(
                    FacetValue(value, facet_label(facet, value, ui_lang), n, value in selected)
                )
        counts.sort(key=lambda fv: (-fv.count, fv.value))
        if facet == "year":
            counts.sort(key=lambda fv: fv.value, reverse=True)
        return counts

    def article(self, article_id: str, q: str = "") -> dict | None:
        """Return one article's stored fields, with its text marked for query q."""
        gen = self.generation()
        s = gen.searcher()
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        doc = s.stored_fields(docnum)
        terms = build(q, gen.kind).terms if q else set()
        spans = _term_spans(s, [docnum], terms)[docnum]
        return {
            "id": doc["id"],
            "title": doc.get("title", ""),
            "title_html": highlight.mark(doc.get("title", ""), _in_field(spans, "title")),
            "body": doc.get("body", ""),
            "body_html": highlight.mark(doc.get("body", ""), _in_field(spans, "body")),
            "date": doc.get("date"),
            "lang": doc.get("lang", ""),
            "city": _split(doc.get("city")),
            "event": _split(doc.get("event")),
            "year": doc.get("year"),
            "source": doc.get("source") or "",
            "url": doc.get("url") or "",
        }


def best(s, m: _Match, limit: int) -> list[Ranked]:
    """Return the `limit` best documents of a match (after its filters): BM25F's top
    RESCORE_WINDOW (or more), rescored by where the query words stand in the body
    (search_app/rescore.py)."""
    first = best_of(m.docs, m.score, max(limit, RESCORE_WINDOW))
    return rescore(s, first, m.parsed.lead, m.parsed.near, limit)


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(",") if v]


def _xlang_matches(spans: dict, xlang: dict[str, str], doc: dict) -> list[str]:
    """Return "光州 ← 광주" for each word of the document a query word matched across
    languages: the document's own text at the matched term's first occurrence."""
    out: list[str] = []
    for term, word in xlang.items():
        for fieldname in ("title", "body"):
            found = spans.get((fieldname, term))
            if found:
                start, end = found[0]
                label = f"{doc.get(fieldname, '')[start:end]} ← {word}"
                if label not in out:
                    out.append(label)
                break
    return out


def _in_field(spans: dict, fieldname: str) -> list[tuple[int, int]]:
    return [span for (f, _t), found in spans.items() if f == fieldname for span in found]


def _term_spans(s, docnums: list[int], terms) -> dict[int, dict]:
    """Return docnum -> (field, term) -> character spans of the query terms in each
    document (from postings, each term's opened once for all of them); terms not in a
    document are left out."""
    out: dict[int, dict[tuple[str, str], list[tuple[int, int]]]] = {d: {} for d in docnums}
    reader = s.reader()
    for fieldname, text in terms:
        for d, m in holding(reader, fieldname, text, docnums):
            out[d][fieldname, text] = [(sc, ec) for _p, sc, ec in m.value_as("characters")]
    return out
