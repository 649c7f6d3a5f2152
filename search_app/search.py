"""The search logic the page, the JSON API and `hanil search` all call."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import collectors, scoring
from whoosh import query as wq

from indexer import store
from indexer.facets import label as facet_label
from indexer.schema import FACETS

from . import highlight
from .query import build, parse

MAX_QUERY_CHARS = 1000
MAX_PER_PAGE = 100
MAX_RESULT_WINDOW = 10_000  # page * per_page
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
    base: set[int]  # documents matching the query
    docs: set[int]  # ... and every filter
    fallback: bool
    terms: set[tuple[str, str]]
    xlang: dict[str, str]  # index term -> the query word it reads in the other language


class _Generation:
    """One opened index generation, with a searcher and facet postings per thread."""

    def __init__(self, root: Path):
        self.path = store.current_dir(root)
        self.index = store.open_current(root)
        self.kind = store.analyzer_kind(self.path)
        self.local = threading.local()

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
        self.local.postings = {}
        return s

    def facet_postings(self, facet: str) -> dict[str, frozenset[int]]:
        """Return value -> docnums of a facet for this thread's searcher."""
        cache = self.local.postings
        if facet not in cache:
            reader = self.local.searcher.reader()
            values = {}
            for term in reader.lexicon(facet):
                value = term.decode("utf-8") if isinstance(term, bytes) else term
                values[value] = frozenset(reader.postings(facet, value).all_ids())
            cache[facet] = values
        return cache[facet]


class SearchIndex:
    """The live index of a folder, reopened when a reindex switches or updates it."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self._gen: _Generation | None = None
        self._lock = threading.Lock()

    def generation(self) -> _Generation:
        current = store.current_dir(self.root)
        gen = self._gen
        if gen is None or gen.path != current:
            with self._lock:
                if self._gen is None or self._gen.path != store.current_dir(self.root):
                    self._gen = _Generation(self.root)
                gen = self._gen
        return gen

    def search(self, req: SearchRequest, ui_lang: str = "ko") -> SearchResult:
        """Run a validated request: ranked hits, snippets, drill-down facet counts."""
        t0 = time.perf_counter()
        req.validate()
        gen = self.generation()
        s = gen.searcher()
        m = self._match(gen, s, req)
        hits = self._hits(s, m, req)
        facets = {f: self._facet(gen, s, m.base, req, f, ui_lang) for f in FACETS}
        took = (time.perf_counter() - t0) * 1000
        return SearchResult(
            req.q, len(m.docs), req.page, req.per_page, round(took, 1), m.fallback, hits, facets
        )

    def rank(self, q: str, limit: int = 100) -> tuple[list[str], bool]:
        """Return article ids for q in relevance order, as search() ranks them, and whether
        the any-word fallback was used. For `hanil eval`: no snippets, no facets."""
        req = SearchRequest(q=q, per_page=limit).validate()
        gen = self.generation()
        s = gen.searcher()
        m = self._match(gen, s, req)
        if not m.docs:
            return [], m.fallback
        results = top(s, m.query, limit)
        return [s.stored_fields(h.docnum)["id"] for h in results], m.fallback

    def _match(self, gen, s, req: SearchRequest) -> _Match:
        """Parse q; its documents before and after the filters; fall back to any word."""
        parsed = build(req.q, gen.kind, req.xlang)
        if parsed.query is not None:
            q = parsed.query
        elif any(not c.negate for c in parse(req.q)):
            q = wq.NullQuery  # words that are all particles or endings match nothing
        else:
            q = wq.Every()  # no words: browse everything
        base = set(s.docs_for_query(q))
        docs = self._filtered(gen, s, base, req, None)
        if not docs and parsed.fallback is not None:
            fb_base = set(s.docs_for_query(parsed.fallback))
            fb_docs = self._filtered(gen, s, fb_base, req, None)
            if fb_docs:
                return _Match(parsed.fallback, fb_base, fb_docs, True, parsed.terms, parsed.xlang)
        return _Match(q, base, docs, False, parsed.terms, parsed.xlang)

    def _filtered(self, gen, s, docs: set[int], req: SearchRequest, skip: str | None):
        """docs narrowed by every filter but the facet `skip` (for drill-down counts)."""
        out = docs
        for facet, values in req.filters().items():
            if facet == skip:
                continue
            postings = gen.facet_postings(facet)
            allowed = frozenset().union(*(postings.get(v, frozenset()) for v in values))
            out = out & allowed
        if req.date_from or req.date_to:
            lo = req.date_from or "0000"
            hi = (req.date_to or "9999") + "\uffff"  # a YYYY-MM bound takes the whole month
            in_range = set(s.docs_for_query(wq.TermRange("date", lo, hi)))
            out = out & in_range
        return out

    def _hits(self, s, m: _Match, req: SearchRequest) -> list[Hit]:
        if not m.docs:
            return []
        limit = req.page * req.per_page
        filtered = m.docs if req.filters() or req.date_from or req.date_to else None
        if req.sort == "relevance":
            results = top(s, m.query, limit, filtered)
        else:
            results = s.search(
                m.query, limit=limit, sortedby="date", reverse=req.sort == "newest", filter=filtered
            )
        # Slice, never list(): list() asks len(), which makes Whoosh count every match.
        page = results[(req.page - 1) * req.per_page : limit]
        scored = req.sort == "relevance"
        return [self._hit(s, h, m, scored) for h in page]

    def _hit(self, s, h, m: _Match, scored: bool) -> Hit:
        doc = h.fields()
        spans = _term_spans(s, h.docnum, m.terms)
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
            xlang_matches=_xlang_matches(spans, m.xlang, doc),
        )

    def _facet(self, gen, s, base, req: SearchRequest, facet: str, ui_lang: str):
        docs = self._filtered(gen, s, base, req, facet)
        selected = set(getattr(req, facet))
        counts = []
        for value, posting in gen.facet_postings(facet).items():
            n = len(docs & posting) if docs else 0
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
        spans = _term_spans(s, docnum, terms)
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


def top(s, q: wq.Query, limit: int, allowed: set[int] | None = None):
    """Return the `limit` best-scored documents of q (optionally only those in allowed).

    Whoosh's top-N collector swaps the matcher tree for a cheaper one as its minimum score
    rises, trusting each term's max_quality bound; on our nested Or/AndMaybe queries that
    swap drops documents that belong in the top N (measured on ja-livedoor: the right
    article, 4th with every match scored, was missing from the top 100). So score every
    match: replace=0, no block-quality skipping.
    """
    c = collectors.TopCollector(limit, usequality=False, replace=0)
    if allowed is not None:
        c = collectors.FilterCollector(c, allowed, None)
    s.search_with_collector(q, c)
    return c.results()


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


def _term_spans(s, docnum: int, terms) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """Return (field, term) -> character spans of the query terms in one document (from
    postings); terms not in the document are left out."""
    out: dict[tuple[str, str], list[tuple[int, int]]] = {}
    reader = s.reader()
    for fieldname, text in terms:
        if (fieldname, text) not in reader:
            continue
        m = reader.postings(fieldname, text)
        m.skip_to(docnum)
        if m.is_active() and m.id() == docnum:
            out[fieldname, text] = [(sc, ec) for _p, sc, ec in m.value_as("characters")]
    return out
