"""The array scorer matches and scores exactly as Whoosh's own matchers do."""

import pytest
from whoosh import collectors
from whoosh import query as wq

from search_app.search import SearchIndex, SearchRequest
from search_app.search.engine import best_of
from search_app.search.query import build

QUERIES = [
    "광주 CES",  # all words, cross-language variants
    "人工知能 光州",
    "광주광역시장",  # a compound and its parts
    "서울 -CES",  # an exclusion
    '"인공지능 스타트업"',  # a phrase: scored by Whoosh's matcher inside the engine
    "title:로봇 OR 로봇",
    "안산 로봇 인재 양성 협약 존재하지않는단어",  # a long query: ranked, bigram bonus
    "光州広域市のAI企業誘致に関する協約を締結した",  # a space-less Japanese run
]


def whoosh_scores(s, q) -> dict[int, float]:
    """Every match of q with its score, from Whoosh's collector (no early termination).

    Whoosh's AndNot matcher lets through documents its excluded side matches (서울 -CES
    returned the article about CES 2024), so an exclusion is checked as its positive side
    minus the documents the excluded side matches."""
    if isinstance(q, wq.AndNot):
        excluded = set(s.docs_for_query(q.b))
        return {d: v for d, v in whoosh_scores(s, q.a).items() if d not in excluded}
    c = collectors.TopCollector(s.doc_count_all(), usequality=False, replace=0)
    s.search_with_collector(q, c)
    return {h.docnum: h.score for h in c.results()}


@pytest.mark.parametrize("text", QUERIES)
def test_engine_scores_like_whoosh(seeds_index, text):
    view = SearchIndex(seeds_index).view()
    s = view.searcher
    parsed = build(text, view.kind)
    for q in (parsed.query, parsed.fallback):
        if q is None:
            continue
        expected = whoosh_scores(s, q)
        matched, score = view.engine.run(q)
        got = dict(best_of(matched, score, s.doc_count_all()))
        assert got.keys() == expected.keys(), text
        for d, value in expected.items():
            assert got[d] == pytest.approx(value, rel=1e-9), (text, d)


def test_browsing_everything_scores_like_whoosh(seeds_index):
    view = SearchIndex(seeds_index).view()
    s = view.searcher
    matched, score = view.engine.run(wq.Every())
    got = dict(best_of(matched, score, s.doc_count_all()))
    assert got == pytest.approx(whoosh_scores(s, wq.Every()))
    assert len(got) == s.doc_count()


def test_best_of_orders_by_score_then_docnum():
    import numpy as np

    matched = np.array([True, True, True, False, True])
    score = np.array([1.0, 3.0, 1.0, 9.0, 2.0])
    assert best_of(matched, score, 3) == [(1, 3.0), (4, 2.0), (0, 1.0)]
    assert best_of(matched, score, 10) == [(1, 3.0), (4, 2.0), (0, 1.0), (2, 1.0)]


def test_lru_drops_the_least_recently_used_by_size():
    from search_app.search.lru import LRU

    cache = LRU(5, sizeof=len)
    cache.put("a", "xx")
    cache.put("b", "xx")
    assert cache.get("a") == "xx"  # now b is the least recently used
    cache.put("c", "xx")
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("xx", None, "xx")
    cache.put("d", "x" * 9)  # larger than the whole bound: kept alone
    assert (cache.get("a"), cache.get("d"), len(cache)) == (None, "x" * 9, 1)
    off = LRU(0)
    off.put("a", 1)
    assert off.get("a") is None


def _hits_over_rounds(cache, keys, rounds: int) -> int:
    """Ask for each key in turn, round after round, putting what was missing."""
    hits = 0
    for _ in range(rounds):
        for k in keys:
            if cache.get(k) is not None:
                hits += 1
            else:
                cache.put(k, "x" * 10)
    return hits


def test_lru_by_frequency_keeps_part_of_a_cycle_larger_than_itself():
    from search_app.search.lru import LRU

    keys = [f"k{i}" for i in range(30)]  # 300 in all, through a cache of 200
    assert _hits_over_rounds(LRU(200, sizeof=len), keys, 5) == 0  # plain LRU: each evicted
    kept = _hits_over_rounds(LRU(200, sizeof=len, by_frequency=True), keys, 5)
    assert kept >= 4 * 15  # from the second round on, at least half the keys hit


def test_lru_by_frequency_lets_a_key_seen_once_not_push_out_a_frequent_one():
    from search_app.search.lru import LRU

    cache = LRU(20, sizeof=len, by_frequency=True)
    for k in ("a", "b"):
        cache.put(k, "x" * 10)
        for _ in range(3):
            cache.get(k)
    cache.get("new")  # asked for once, found missing
    cache.put("new", "x" * 10)
    assert (cache.get("a"), cache.get("b"), cache.get("new")) == ("x" * 10, "x" * 10, None)
    for _ in range(5):  # asked for more often than both: now let in, the older one out
        cache.get("new")
    cache.put("new", "x" * 10)
    assert cache.get("new") is not None and len(cache) == 2


def test_a_repeated_search_is_answered_from_the_cache(seeds_index):
    index = SearchIndex(seeds_index)
    first = index.search(SearchRequest(q="광주 CES"))
    again = index.search(SearchRequest(q="광주 CES"))
    assert again.results is first.results and again.total == first.total
    second = index.search(SearchRequest(q="광주 CES", per_page=2, page=2))
    assert second.results is not first.results
    ja = index.search(SearchRequest(q="광주 CES"), ui_lang="ja")
    assert ja.facets["city"][0].label != first.facets["city"][0].label  # 光州, 광주
    cache = index.view().state.results  # counted in hits, +1 a page
    assert cache.size == sum(len(r.results) + 1 for r in (first, second, ja)) and len(cache) == 3
    uncached = SearchIndex(seeds_index, cached_results=0)
    one, two = (uncached.search(SearchRequest(q="광주 CES")) for _ in range(2))
    assert one.results is not two.results and one.results == two.results == first.results
