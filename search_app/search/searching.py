"""The search logic the page, the JSON API and `hanil search` all call."""

from __future__ import annotations

import re
import time
from dataclasses import asdict, astuple, dataclass, field, replace
from pathlib import Path

import numpy as np
from markupsafe import Markup
from whoosh import query as wq

from indexer.dates import normalize_date
from indexer.facets import label as facet_label
from indexer.schema import FACETS

from . import highlight
from .engine import best_of
from .query import ParsedQuery, build, parse
from .ranking import RESCORE_WINDOW
from .rescore import Ranked, rescore
from .state import CacheBounds, LiveIndex, View

MAX_QUERY_CHARS = 1000
MAX_PER_PAGE = 100
MAX_RESULT_WINDOW = 10_000  # page * per_page
SORTS = ("relevance", "newest", "oldest")
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
            if value and not (_DATE.match(value) and normalize_date(value) == value):
                raise BadRequest(
                    f"{name.replace('date_', '')} must be a date as YYYY, YYYY-MM or YYYY-MM-DD"
                )
        return self

    def filters(self) -> dict[str, list[str]]:
        return {f: getattr(self, f) for f in FACETS if getattr(self, f)}


@dataclass
class Hit:
    id: str
    title: str
    title_html: Markup  # escaped text with <mark> on the matches
    snippet_html: Markup
    date: str | None
    lang: str
    city: list[str]
    event: list[str]
    year: str | None
    source: str  # the publisher or site
    url: str  # an http(s) URL (canonical for a web page), or ""
    author: str
    section: str
    score: float | None
    xlang_matches: list[str]  # "光州 ← 광주": a word of the hit matched a query word across


@dataclass
class ArticleView:
    """One article as the article page and /api/articles show it."""

    id: str
    title: str
    title_html: Markup
    body: str
    body_html: Markup
    date: str | None
    lang: str
    city: list[str]
    event: list[str]
    year: str | None
    source: str
    url: str
    author: str
    section: str


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


class SearchIndex:
    """Search the live index of a folder: whatever the last committed reindex holds."""

    def __init__(
        self,
        root: str | Path,
        cached_results: int = CacheBounds.results,
        cached_postings: int = CacheBounds.postings,
    ):
        self.root = Path(root)
        self.bounds = CacheBounds(cached_results, cached_postings)
        self.live = LiveIndex(self.root, self.bounds)

    def view(self) -> View:
        """This thread's view of the last commit (opens the index on first use)."""
        return self.live.view()

    def search(self, req: SearchRequest, ui_lang: str = "ko") -> SearchResult:
        """Run a validated request: ranked hits, snippets, drill-down facet counts. A page
        asked for before in this index state comes from the cache, with its own took_ms."""
        t0 = time.perf_counter()
        req.validate()
        v = self.view()
        results = v.state.results
        key = (ui_lang, *(tuple(x) if isinstance(x, list) else x for x in astuple(req)))
        result = results.get(key)
        if result is None:
            m = self._match(v, req)
            hits = self._hits(v, m, req)
            facets = {f: self._facet(v, m.base, req, f, ui_lang) for f in FACETS}
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
        v = self.view()
        m = self._match(v, req)
        s = v.searcher
        return [s.stored_fields(h.docnum)["id"] for h in best(v, m, limit)], m.fallback

    def _match(self, v: View, req: SearchRequest) -> _Match:
        """Parse q; its documents before and after the filters; fall back to any word."""
        parsed = build(req.q, v.kind, req.xlang, v.engine.doc_frequency)
        if parsed.query is not None:
            q = parsed.query
        elif any(not c.negate for c in parse(req.q)):
            q = wq.NullQuery  # words that are all particles or endings match nothing
        else:
            q = wq.Every()  # no words: browse everything
        base, score = v.engine.run(q)
        docs = self._filtered(v, base, req, None)
        if not docs.any() and parsed.fallback is not None:
            fb_base, fb_score = v.engine.run(parsed.fallback)
            fb_docs = self._filtered(v, fb_base, req, None)
            if fb_docs.any():
                return _Match(parsed.fallback, fb_base, fb_docs, fb_score, True, parsed)
        return _Match(q, base, docs, score, False, parsed)

    def _filtered(self, v: View, docs: np.ndarray, req: SearchRequest, skip: str | None):
        """docs narrowed by every filter but the facet `skip` (for drill-down counts)."""
        out = docs
        for facet, values in req.filters().items():
            if facet == skip:
                continue
            postings = v.state.facet_postings(v.reader, facet).by_value
            allowed = np.zeros(len(docs), bool)
            for value in values:
                if value in postings:
                    allowed[postings[value]] = True
            out = out & allowed
        if req.date_from or req.date_to:
            dates = v.state.dates(v.searcher)
            lo = req.date_from or "0000"
            hi = (req.date_to or "9999") + "\uffff"  # a YYYY-MM bound takes the whole month
            out = out & (dates >= lo) & (dates <= hi)
        return out

    def _hits(self, v: View, m: _Match, req: SearchRequest) -> list[Hit]:
        s = v.searcher
        limit = req.page * req.per_page
        if req.sort == "relevance":
            ranked = best(v, m, limit)
        else:
            docs = np.flatnonzero(m.docs)
            order = np.lexsort((docs, v.state.dates(s)[docs]))  # by date, then docnum
            if req.sort == "newest":
                order = order[::-1]
            ranked = [Ranked(int(d), 0.0) for d in docs[order[:limit]]]
        page = ranked[(req.page - 1) * req.per_page : limit]
        scored = req.sort == "relevance"
        spans = _term_spans(v, [h.docnum for h in page], m.parsed.terms)
        return [self._hit(s, h, m, scored, spans[h.docnum]) for h in page]

    def _hit(self, s, h: Ranked, m: _Match, scored: bool, spans: dict) -> Hit:
        doc = s.stored_fields(h.docnum)
        title, body = doc.get("title", ""), doc.get("body", "")
        return Hit(
            id=doc["id"],
            title=title,
            title_html=highlight.mark(title, _in_field(spans, "title")),
            snippet_html=highlight.snippet(body, _in_field(spans, "body")),
            **_described(doc),
            score=round(h.score, 4) if scored else None,  # else h.score is the sort key
            xlang_matches=_xlang_matches(spans, m.parsed.xlang, doc),
        )

    def _facet(self, v: View, base, req: SearchRequest, facet: str, ui_lang: str):
        docs = self._filtered(v, base, req, facet)
        selected = set(getattr(req, facet))
        counts = []
        for value, n in v.state.facet_postings(v.reader, facet).counts(docs).items():
            if n or value in selected:
                counts.append(
                    FacetValue(value, facet_label(facet, value, ui_lang), n, value in selected)
                )
        counts.sort(key=lambda fv: (-fv.count, fv.value))
        if facet == "year":
            counts.sort(key=lambda fv: fv.value, reverse=True)
        return counts

    def article(self, article_id: str, q: str = "") -> ArticleView | None:
        """Return one article's stored fields, with its text marked for query q."""
        v = self.view()
        s = v.searcher
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        doc = s.stored_fields(docnum)
        terms = build(q, v.kind, doc_frequency=v.engine.doc_frequency).terms if q else set()
        spans = _term_spans(v, [docnum], terms)[docnum]
        title, body = doc.get("title", ""), doc.get("body", "")
        return ArticleView(
            id=doc["id"],
            title=title,
            title_html=highlight.mark(title, _in_field(spans, "title")),
            body=body,
            body_html=highlight.mark(body, _in_field(spans, "body")),
            **_described(doc),
        )


def best(v: View, m: _Match, limit: int) -> list[Ranked]:
    """Return the `limit` best documents of a match (after its filters): BM25F's top
    RESCORE_WINDOW (or more), rescored by where the query words stand in the body
    (search_app/rescore.py)."""
    first = best_of(m.docs, m.score, max(limit, RESCORE_WINDOW))
    lang = m.parsed.lang
    other = v.state.other_language(v.reader, lang) if lang else None
    return rescore(v.engine, first, m.parsed.lead, m.parsed.near, limit, m.parsed.xlang, other)


def _described(doc: dict) -> dict:
    """What a hit and an article page say of an article besides its text."""
    return {
        "date": doc.get("date"),
        "lang": doc.get("lang", ""),
        "city": _split(doc.get("city")),
        "event": _split(doc.get("event")),
        "year": doc.get("year"),
        "source": doc.get("source") or "",
        "url": doc.get("url") or "",
        "author": doc.get("author") or "",
        "section": doc.get("section") or "",
    }


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


def _term_spans(v: View, docnums: list[int], terms) -> dict[int, dict]:
    """Return docnum -> (field, term) -> character spans of the query terms in each
    document; terms not in a document are left out."""
    out: dict[int, dict[tuple[str, str], list[tuple[int, int]]]] = {d: {} for d in docnums}
    schema = v.searcher.schema
    wanted = v.engine.wanted(docnums)
    for fieldname, text in terms:
        decode = schema[fieldname].format.decode_characters
        for d, value in v.engine.values_at(fieldname, text, wanted).items():
            out[d][fieldname, text] = [(sc, ec) for _p, sc, ec in decode(value)]
    return out
