import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from indexer.build import reindex
from search_app.search import SearchIndex, SearchRequest, ranking, rescore
from search_app.search.query import build, parse
from search_app.web import create_app

from .conftest import (
    ANSAN_IREX,
    GWANGJU_CES_2023,
    SEOUL_CES_2024,
    SEOUL_CES_2024_JA,
    api,
    get_json,
    ids,
    search_index_of,
    served,
    write_jsonl,
)

# -- seed search cases -------------------------------------------------------------------


def test_gwangju_ces_finds_the_gwangju_ces_2023_article_first(client):
    status, body = api(client, q="광주 CES")
    assert status == 200
    assert ids(body)[0] == GWANGJU_CES_2023


def test_seoul_ces_finds_both_seoul_articles(client):
    _, body = api(client, q="서울 CES")
    assert {SEOUL_CES_2024, SEOUL_CES_2024_JA} <= set(ids(body)[:3])


def test_robot_ansan_finds_the_ansan_article(client):
    _, body = api(client, q="로봇 안산")
    assert ids(body)[0] == ANSAN_IREX


def test_japanese_ai_gwangju_finds_gwangju_items(client):
    _, body = api(client, q="人工知能 光州")
    found = [i for i in ids(body) if i.startswith("004_")]
    assert len(found) >= 3
    assert all("gwangju" in r["city"] for r in body["results"])


# -- envelope, facets, highlighting ------------------------------------------------------


def test_envelope_and_facet_shape(client):
    status, body = api(client, q="CES", hl="en")
    assert status == 200
    assert set(body) >= {
        "ok",
        "query",
        "total",
        "page",
        "per_page",
        "took_ms",
        "fallback",
        "results",
        "facets",
    }
    assert body["ok"] is True and body["query"] == "CES" and body["fallback"] is False
    hit = body["results"][0]
    assert set(hit) == {
        "id",
        "title",
        "title_html",
        "snippet_html",
        "date",
        "lang",
        "city",
        "event",
        "year",
        "source",
        "url",
        "author",
        "section",
        "score",
        "xlang_matches",
    }
    assert set(body["facets"]) == {"city", "event", "year", "lang"}
    seoul = next(v for v in body["facets"]["city"] if v["value"] == "seoul")
    assert seoul == {"value": "seoul", "label": "Seoul", "count": 2, "selected": False}
    assert {v["value"] for v in body["facets"]["event"]} == {"ces-2020", "ces-2023", "ces-2024"}


def test_facet_labels_follow_the_page_language(client):
    _, ko = api(client, q="CES", hl="ko")
    _, ja = api(client, q="CES", hl="ja")
    assert {v["label"] for v in ko["facets"]["city"]} >= {"서울", "광주"}
    assert {v["label"] for v in ja["facets"]["city"]} >= {"ソウル", "光州"}


def test_drill_down_counts(client):
    _, body = api(client, q="CES", city="seoul")
    assert body["total"] == 2
    assert all("seoul" in r["city"] for r in body["results"])
    # The city facet still counts the other cities (its own filter is left out) ...
    cities = {v["value"]: v for v in body["facets"]["city"]}
    assert cities["gwangju"]["count"] == 1 and cities["seoul"]["selected"]
    # ... while the other facets count within Seoul.
    assert {v["value"] for v in body["facets"]["event"]} == {"ces-2020", "ces-2024"}
    _, both = api(client, q="CES", city="seoul,gwangju")
    assert both["total"] == 3  # OR within a facet
    _, narrowed = api(client, q="CES", city="seoul,gwangju", year="2024")
    assert ids(narrowed) == [SEOUL_CES_2024]  # AND across facets


def test_language_and_date_filters(client):
    _, body = api(client, q="", lang="ja")
    assert body["total"] >= 8 and {r["lang"] for r in body["results"]} == {"ja"}
    _, body = api(client, **{"q": "CES", "from": "2023-01", "to": "2024-12"})
    assert set(ids(body)) == {GWANGJU_CES_2023, SEOUL_CES_2024}


def test_sort_by_date(client):
    _, newest = api(client, q="CES", sort="newest")
    _, oldest = api(client, q="CES", sort="oldest")
    dates = [r["date"] for r in newest["results"]]
    assert dates == sorted(dates, reverse=True)
    assert ids(oldest)[0] == SEOUL_CES_2024_JA


def test_pages(client):
    _, first = api(client, q="", per_page=5, page=1)
    _, second = api(client, q="", per_page=5, page=2)
    assert first["total"] == second["total"] >= 13
    assert not set(ids(first)) & set(ids(second))


def test_fallback_to_any_word(client):
    _, body = api(client, q="안산 존재하지않는단어xyz")
    assert body["fallback"] is True
    assert ids(body)[0] == ANSAN_IREX
    _, normal = api(client, q="안산")
    assert normal["fallback"] is False


def test_highlight_marks_the_compound_part_exactly(client):
    _, body = api(client, q="광주 CES")
    snippet = body["results"][0]["snippet_html"]
    assert "<mark>광주</mark>광역시장" in snippet
    assert "<mark>광주광역시장</mark>" not in snippet
    assert "<mark>CES</mark>" in snippet
    assert "<mark>CES</mark>" in body["results"][0]["title_html"]


def test_snippets_are_cut_at_sentence_ends(client):
    _, body = api(client, q="인공지능 스타트업")
    snippet = body["results"][0]["snippet_html"]
    fragments = snippet.split(" … ")
    assert 1 <= len(fragments) <= 3
    assert all(
        f.rstrip("…").endswith(("다.", "。", ".", "!", "?", "…")) or f.endswith("…")
        for f in fragments
    )


SEOUL_ARTICLES = {SEOUL_CES_2024, SEOUL_CES_2024_JA}


def _no_seoul_ces(body) -> bool:
    """No hit about Seoul at CES (Whoosh's own AndNot matcher let CES through)."""
    hits = body["results"]
    no_ces = not [r for r in hits if "CES" in r["title"] + r["snippet_html"]]
    return no_ces and not SEOUL_ARTICLES & set(ids(body))


# (query, extra parameters, what the answer must satisfy)
SYNTAX_CASES = [
    ('"서울 스마트 라이프 위크"', {}, lambda b: ids(b) == [SEOUL_CES_2024]),
    ("CES -서울", {}, lambda b: ids(b) == [GWANGJU_CES_2023]),
    ("서울 -CES", {}, lambda b: b["total"] >= 1 and _no_seoul_ces(b)),
    ("안산 OR 라스베이거스", {}, lambda b: {ANSAN_IREX, GWANGJU_CES_2023} <= set(ids(b))),
    ("-서울", {}, lambda b: b["total"] >= 11 and not SEOUL_ARTICLES & set(ids(b))),
    ("title:로봇", {"xlang": "off"}, lambda b: ids(b) == [ANSAN_IREX]),
    # ... and across languages a Japanese title with ロボット, below it
    (
        "title:로봇",
        {},
        lambda b: (
            ids(b)[0] == ANSAN_IREX
            and all(r["lang"] == "ja" and r["xlang_matches"] for r in b["results"][1:])
        ),
    ),
]


@pytest.mark.parametrize(("q", "params", "holds"), SYNTAX_CASES)
def test_syntax_phrase_exclude_or_title(client, q, params, holds):
    status, body = api(client, q=q, **params)
    assert status == 200 and holds(body), (q, ids(body))


@pytest.mark.parametrize("q", ['"unbalanced 광주', "- -- ---", "OR", "title:", "((光州", "*?"])
def test_broken_syntax_is_searched_as_words(client, q):
    status, body = api(client, q=q)
    assert status == 200 and body["ok"] is True


def test_a_long_query_ranks_instead_of_filtering(client):
    # Five words or more (a pasted headline): the article lacking one word still comes first.
    _, body = api(client, q="안산 로봇 인재 양성 협약 존재하지않는단어")
    assert ids(body)[0] == ANSAN_IREX and body["fallback"] is False
    # A short query stays strict: no article has both words, so it falls back and says so.
    _, short = api(client, q="안산 존재하지않는단어")
    assert short["fallback"] is True


def test_words_early_in_the_body_rank_higher(tmp_path):
    # Same sentences, reordered: BM25 ties; the article leading with the words comes first,
    # although it was indexed second (ties would keep indexing order).
    ko = ["날씨가 맑았다.", "오늘 시장이 방문했다.", "로봇 공장이 문을 열었다."]
    ja = ["天気は晴れだった。", "今日は市長が訪れた。", "ロボット工場が開いた。"]
    records = [
        {"id": "ko-late", "lang": "ko", "title": "", "body": " ".join(ko)},
        {"id": "ko-lead", "lang": "ko", "title": "", "body": " ".join(ko[::-1])},
        {"id": "ja-late", "lang": "ja", "title": "", "body": "".join(ja)},
        {"id": "ja-lead", "lang": "ja", "title": "", "body": "".join(ja[::-1])},
    ]
    index = search_index_of(tmp_path, records)
    assert index.rank("로봇 공장", 10)[0][:2] == ["ko-lead", "ko-late"]
    assert index.rank("ロボット工場", 10)[0][:2] == ["ja-lead", "ja-late"]
    page = index.search(SearchRequest(q="로봇 공장", per_page=1, page=2, xlang=False))
    assert [h.id for h in page.results] == ["ko-late"] and page.total == 2


def test_words_typed_side_by_side_rank_higher_side_by_side(tmp_path, monkeypatch):
    # The same words in both; "far" leads with 로봇 (a larger lead bonus), "near" has the two
    # query words next to each other. BM25 ties.
    middle = "날씨가 맑았다. 오늘 시장이 방문했다. 주민들이 모였다."
    records = [
        {"id": "far", "lang": "ko", "body": f"로봇을 만든다. {middle} 공장을 짓는다."},
        {"id": "near", "lang": "ko", "body": f"만든다. {middle} 로봇 공장을 짓는다."},
    ]
    index = search_index_of(tmp_path, records)
    assert build("로봇 공장").near == [["로봇"], ["공장"]]
    assert build("ロボット工場").near == [["ロボット", "工場"]]  # one word of two terms
    assert index.rank("로봇 공장", 10)[0] == ["near", "far"]
    monkeypatch.setattr(ranking, "NEAR_WEIGHT", 0.0)
    assert index.rank("로봇 공장", 10)[0] == ["far", "near"]  # the lead bonus alone
    idf = index.view().engine.idf
    at = {"로봇": {0: [5]}, "공장": {0: [6]}, "짓다": {0: [7]}, "만들다": {0: [8]}}
    assert rescore.near_bonus(idf, at, [["로봇", "공장"]])[0] > 0  # the terms of a short word
    assert rescore.near_bonus(idf, at, [["로봇", "공장", "짓다", "만들다"]]) == {}  # a run
    assert rescore.near_bonus(idf, at, [["로봇", "공장", "짓다", "만들다"], ["로봇"]]) == {}


def test_least_gap_between_sorted_positions():
    assert rescore._least_gap([3, 20], [9, 17, 40]) == 3
    assert rescore._least_gap([5], [5]) == 0
    assert rescore._least_gap([1, 2], [50]) == 48


def test_words_that_analyze_to_nothing_match_nothing(client):
    _, body = api(client, q="있다 의")  # an auxiliary verb and a particle
    assert body["total"] == 0 and body["results"] == []
    _, everything = api(client, q="")
    assert everything["total"] >= 13


def test_parse_reads_odd_quotes_as_words():
    clauses = parse('"광주 CES')
    assert [c.text for c in clauses] == ["광주", "CES"] and not any(c.phrase for c in clauses)


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"q": "광주", "page": "-1"},
        {"q": "광주", "page": "abc"},
        {"q": "광주", "per_page": "10000"},
        {"q": "광주", "per_page": "0"},
        {"q": "광주", "sort": "random"},
        {"q": "광" * 10_000},
        {"q": "광주", "from": "yesterday"},
        {"q": "광주", "page": "2000", "per_page": "100"},
    ],
)
def test_bad_input_is_400_with_the_error_shape(client, params):
    status, body = api(client, **params)
    assert status == 400
    assert body["ok"] is False and body["status"] == 400 and body["error"]


def test_invalid_utf8_is_400(client):
    resp = client.get("/api/search?q=%ff%fe%c3")
    assert resp.status_code == 400 and resp.get_json()["ok"] is False
    page = client.get("/?q=%ff%fe")
    assert page.status_code == 400 and b"<!doctype html>" in page.data


def test_unknown_ids_are_404(client):
    resp = client.get("/api/articles/nope")
    assert resp.status_code == 404
    assert resp.get_json() == {"ok": False, "error": "no article with id 'nope'", "status": 404}
    assert client.get("/articles/nope").status_code == 404
    assert client.get("/api/nothing-here").get_json()["status"] == 404


def test_article_api_marks_the_query(client):
    resp = client.get(f"/api/articles/{ANSAN_IREX}", query_string={"q": "로봇"})
    doc = resp.get_json()["article"]
    assert doc["city"] == ["ansan"] and doc["event"] == ["irex-2025"]
    assert "<mark>로봇</mark>" in doc["body_html"]


def test_openapi_describes_both_endpoints(client):
    spec = client.get("/api/openapi.json").get_json()
    assert {"/api/search", "/api/articles/{id}"} <= set(spec["paths"])


# -- XSS ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xss_client(tmp_path_factory):
    src = tmp_path_factory.mktemp("xss")
    record = {
        "id": "x1",
        "lang": "ko",
        "title": "<script>alert(1)</script> 광주 뉴스",
        "body": "광주에서 <script>alert('x')</script> 행사가 열렸다. <b>굵게</b> 광주.",
    }
    (src / "x.jsonl").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    root = tmp_path_factory.mktemp("xss-ix")
    reindex([src], root)
    return create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client()


def test_article_and_query_with_script_come_back_escaped(xss_client):
    _, body = api(xss_client, q="광주 <script>alert(2)</script>")
    hit = body["results"][0]
    for html in (hit["title_html"], hit["snippet_html"]):
        assert "<script" not in html and "&lt;" in html
    page = xss_client.get("/", query_string={"q": '광주 "><script>alert(3)</script>'}).data
    assert b"<script>" not in page
    assert page.count(b"<mark>") >= 2
    article = xss_client.get("/articles/x1", query_string={"q": "<script>"}).data
    assert b"<script>" not in article and b"&lt;b&gt;" in article


# -- pages -------------------------------------------------------------------------------


def test_search_page_renders_hits_facets_and_state(client):
    page = client.get("/", query_string={"q": "광주 OR 光州", "hl": "ko"}).data.decode()
    assert '<li class="hit" lang="ko">' in page and '<li class="hit" lang="ja">' in page
    assert "<mark>광주</mark>" in page and "<mark>光州</mark>" in page
    assert 'data-facet="city"' in page and "광주" in page
    assert "q=%EA%B4%91%EC%A3%BC" in page  # facet links keep the query in the URL
    assert "https://" not in page.split("<main>")[0]  # no external CDN or font


def test_article_page(client):
    page = client.get(f"/articles/{GWANGJU_CES_2023}", query_string={"q": "광주"}).data
    assert "<mark>광주</mark>".encode() in page


def test_server_sees_a_reindex_without_restart(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    rec = {"id": "a", "lang": "ko", "title": "안산 소식", "body": "안산시가 로봇 산업을 키운다."}
    (src / "a.jsonl").write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    root = tmp_path / "ix"
    reindex([src], root)
    index = SearchIndex(root)
    assert index.search(SearchRequest(q="로봇")).total == 1
    rec2 = dict(rec, id="b", body="부천시도 로봇 산업을 키운다.")
    (src / "b.jsonl").write_text(json.dumps(rec2, ensure_ascii=False), encoding="utf-8")
    reindex([src], root)  # incremental: same generation, new commit
    assert index.search(SearchRequest(q="로봇")).total == 2
    reindex([src], root, full=True)  # full: a new generation
    assert index.search(SearchRequest(q="로봇")).total == 2
    (src / "b.jsonl").unlink()
    reindex([src], root, full=True)
    assert index.search(SearchRequest(q="로봇")).total == 1


def test_every_thread_sees_exactly_the_last_commit(tmp_path):
    """An incremental reindex (one article deleted, five updated) under a live SearchIndex:
    every thread that searched before answers the new state on its next request, with each
    article once, and the deleted article is gone (whoosh3's Searcher.refresh() kept the old
    segments: totals of 11 and more, the deleted article still served)."""
    records = [
        {
            "id": f"g{i}",
            "lang": "ko",
            "title": f"광주광역시 소식 {i}",
            "body": f"광주광역시가 {i}번째 사업을 시작했다.",
        }
        for i in range(6)
    ]
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", records)
    root = tmp_path / "ix"
    reindex([src], root)
    index = SearchIndex(root)
    threads = 4
    barrier = threading.Barrier(threads)

    def answer(_):
        barrier.wait(timeout=30)  # one request on each thread of the pool
        result = index.search(SearchRequest(q="광주광역시", per_page=20))
        return result.total, [h.id for h in result.results]

    with ThreadPoolExecutor(threads) as pool:
        assert {t for t, _ in pool.map(answer, range(threads))} == {6}
        updated = [dict(r, body=r["body"] + " 시장이 밝혔다.") for r in records[:5]]
        write_jsonl(src / "a.jsonl", updated)
        summary = reindex([src], root)
        assert (summary.updated, summary.deleted) == (5, 1)
        for total, found in pool.map(answer, range(threads)):
            assert total == 5 and sorted(found) == [f"g{i}" for i in range(5)]
    assert index.article("g5") is None and index.article("g4") is not None


def test_cli_search(seeds_index):
    from click.testing import CliRunner

    from search_app.cli import main

    result = CliRunner().invoke(
        main, ["--index-dir", str(seeds_index), "search", "로봇", "안산", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"][0]["id"] == ANSAN_IREX
    bad = CliRunner().invoke(main, ["--index-dir", str(seeds_index / "nope"), "search", "x"])
    assert bad.exit_code == 1 and "reindex" in bad.output


@pytest.mark.slow
def test_serve_forks_workers_that_answer_and_stop_with_it(seeds_index):
    with served(seeds_index, workers=2) as (server, port):
        body = get_json(port, "/api/search?q=%EA%B4%91%EC%A3%BC%20CES")
        assert body["ok"] and body["results"][0]["id"] == GWANGJU_CES_2023
        children: list[str] = []
        for _ in range(100):  # the second worker may still be starting
            children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
            if len(children) == 2:
                break
            time.sleep(0.1)
        assert len(children) == 2
    for _ in range(100):
        if not any(Path(f"/proc/{c}").exists() for c in children):
            break
        time.sleep(0.1)
    assert not any(Path(f"/proc/{c}").exists() for c in children)
