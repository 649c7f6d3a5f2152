import json
import shutil

import pytest
from click.testing import CliRunner
from whoosh.query import Term

from indexer import store
from indexer.articles import read_inputs
from indexer.build import reindex
from indexer.dates import item_date, normalize_date, parse_date
from indexer.decode import UnreadableFile, decode
from indexer.facets import cities, extract, label
from search_app.cli import main

from .conftest import (
    ANSAN_IREX,
    GWANGJU_CES_2023,
    SEEDS,
    SEOUL_CES_2024,
    SEOUL_CES_2024_JA,
    write_jsonl,
)

KO_PAGE = (
    "기사 메일전송\n수원시, 인공지능 기업 유치 나서\n  · 홍길동 기자\n"
    "  · 등록 2024-03-05 10:00:00\n\n"
    "수원시가 인공지능 스타트업 유치를 위해 전담 조직을 꾸렸다고 5일 밝혔다. 수원시장은 "
    "기업 관계자들과 만나 투자 환경을 설명했다.\n\n가장 많이 본 뉴스\n  1. 비트코인 시세 급등\n"
)
JA_PAGE = (
    "横浜市、ロボット企業を誘致\n\n公開 2023年11月30日\n\n横浜市は国際ロボット展2023に"
    "合わせて海外のロボット企業の誘致を進めると発表しました。横浜市長は会見で期待を述べました。\n"
)


def stored(root):
    ix = store.open_current(root)
    with ix.searcher() as s:
        return {f["id"]: f for f in s.reader().all_stored_fields()}


# -- dates -------------------------------------------------------------------------------

DATE_CASES = [
    ("등록 2023-01-04 15:04:40", "2023-01-04"),
    ("입력 2024-01-08 11:15", "2024-01-08"),
    ("date 2020-01", "2020-01"),
    ("(2019.8.20.)", "2019-08-20"),
    ("2020年3月9日", "2020-03-09"),
    ("2023년 1월 4일", "2023-01-04"),
    ("12月17日", None),
    ("2023-02-30", None),
]


@pytest.mark.parametrize(("text", "expected"), DATE_CASES)
def test_dates(text, expected):
    assert parse_date(text) == expected


def test_a_date_without_year_is_never_completed_by_guessing():
    assert item_date("光州市は12月17日光州市役所で投資協約を締結しました。") == (None, None)
    assert item_date("12月17日に。2019年の計画。") == (None, 2019)
    assert item_date("2019年10月に協約、2020年3月9日に設立。") == ("2020-03-09", 2020)
    assert normalize_date("2024-05-06T10:00:00+09:00") == "2024-05-06"
    assert normalize_date("") is None


# -- facets ------------------------------------------------------------------------------


def test_city_facets_from_korean_and_japanese_names():
    assert cities("", "강기정 광주광역시장이 광주 대표단과 출국했다.") == ["gwangju"]
    assert cities("", "光州広域市は光州型人工知能ビジネスを進める。") == ["gwangju"]
    assert cities("", "안산시(시장 이민근)는 안산 로봇 기업과 협약했다.") == ["ansan"]
    # 부산물 (by-product) and 고양이 (cat) are words, not Busan and Goyang.
    assert cities("", "부산물 처리와 고양이 보호소 이야기. 부산물이 많다.") == []


def test_event_venue_is_not_the_articles_city():
    text = (
        "안산시는 ‘2025 도쿄 국제로봇 전시회(iREX 2025)’에 참석했다. "
        "안산시장은 도쿄에서 간담회를 했다."
    )
    found_cities, events = extract("", text)
    assert events == ["irex-2025"]
    assert found_cities == ["ansan"]


def test_event_aliases_and_editions():
    assert extract("", "세계 최대 가전·IT 전시회 ‘CES 2023’에 참가")[1] == ["ces-2023"]
    assert extract("", "국제전자제품박람회(CES2024) 참가")[1] == ["ces-2024"]
    assert extract("", "東京ビッグサイトで国際ロボット展が開かれた")[1] == ["irex"]
    assert extract("", "PROCESS and successes")[1] == []


def test_facet_labels_in_three_languages():
    assert [label("city", "gwangju", lang) for lang in ("ko", "ja", "en")] == [
        "광주",
        "光州",
        "Gwangju",
    ]
    assert label("city", "busan-haeundae", "ko") == "부산 해운대구"
    assert label("event", "ces-2023") == "CES 2023"


# -- decoding ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (KO_PAGE, "utf-8"),
        (KO_PAGE, "cp949"),
        (KO_PAGE, "euc-kr"),
        (JA_PAGE, "shift_jis"),
        (JA_PAGE, "euc-jp"),
        (JA_PAGE, "utf-8-sig"),
    ],
)
def test_decode_each_encoding(text, encoding):
    assert decode(text.encode(encoding)) == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"  \n ", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")],
)
def test_decode_refuses_empty_and_binary(data, reason):
    with pytest.raises(UnreadableFile, match=reason):
        decode(data)


# -- the seeds ---------------------------------------------------------------------------

SEED_FACETS = {
    GWANGJU_CES_2023: ("gwangju", "ces-2023", "2023"),
    SEOUL_CES_2024: ("seoul", "ces-2024", "2024"),
    SEOUL_CES_2024_JA: ("seoul", "ces-2020", "2020"),
    ANSAN_IREX: ("ansan", "irex-2025", "2025"),
}


@pytest.mark.parametrize(("doc_id", "expected"), SEED_FACETS.items())
def test_seed_facets(seeds_index, doc_id, expected):
    doc = stored(seeds_index)[doc_id]
    city, event, year = expected
    assert doc["city"].split(",") == [city]  # not the venue, nor a city the trip visits
    assert doc["event"].split(",") == [event]
    assert doc["year"] == year
    assert doc["title"] and doc["lang"] == "ko"


def test_seed_titles_and_no_boilerplate(seeds_index):
    docs = stored(seeds_index)
    assert docs[GWANGJU_CES_2023]["title"] == "강기정 시장, CES 참가 위해 미국 출국"
    assert docs[ANSAN_IREX]["title"].startswith("안산시, 한국미쓰비시전기오토메이션")
    for doc in docs.values():
        for leak in ("제천문화원", "비트코인", "목록 바로가기", "가장 많이 본"):
            assert leak not in doc["body"] and leak not in doc["title"], (doc["id"], leak)


def test_bundle_page_becomes_one_article_per_item(seeds_index):
    items = {k: v for k, v in stored(seeds_index).items() if k.startswith("004_")}
    assert 8 <= len(items) <= 14
    titles = [d["title"] for d in items.values()]
    assert "光州市、人工知能の外国企業誘致" in titles
    assert len(set(titles)) == len(titles)
    for doc in items.values():
        assert doc["lang"] == "ja"
        assert "gwangju" in doc["city"].split(","), doc["title"]
        assert doc.get("year", "") in ("", "2019", "2020")
    years = [d.get("year") for d in items.values()]
    assert "2020" in years and "2019" in years
    by_title = {d["title"]: d for d in items.values()}
    assert by_title["光州市、人工知能の外国企業誘致"]["date"] == "2020-03-09"
    assert by_title["光州市14社と810億ウォン投資協約"].get("year") is None


# -- inputs ------------------------------------------------------------------------------


def index_records(tmp_path):
    """Index RECORDS from tmp_path/in into tmp_path/ix; return both folders."""
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", RECORDS)
    root = tmp_path / "ix"
    reindex([src], root)
    return src, root


RECORDS = [
    {
        "id": "k1",
        "lang": "ko",
        "title": "부산시, 해양 스타트업 지원",
        "body": "부산시가 해운대구에서 "
        "해양 스타트업 지원 사업을 시작했다. 부산시장은 기대를 밝혔다.",
        "date": "2024-05-06",
        "source": "test",
        "url": "https://example.org/k1",
    },
    {
        "id": "j1",
        "lang": "ja",
        "title": "",
        "body": "大阪市はロボット企業の誘致を進める。大阪市長が発表した。",
        "date": "",
        "city": ["osaka"],
    },
]


def test_jsonl_and_gz_inputs_with_given_fields_winning(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", RECORDS[:1])
    write_jsonl(src / "b.jsonl.gz", RECORDS[1:], gz=True)
    huge = {"id": "huge", "lang": "ko", "body": "광주 " * 600_000}
    (src / "c.jsonl").write_text(
        '{"id": "x"}\nnot json\n' + json.dumps(huge) + "\n", encoding="utf-8"
    )
    summary = reindex([src], tmp_path / "ix")
    docs = stored(tmp_path / "ix")
    assert set(docs) == {"k1", "j1"}
    assert docs["k1"]["city"].split(",")[0] == "busan"
    assert docs["k1"]["year"] == "2024" and docs["k1"]["url"] == "https://example.org/k1"
    assert docs["j1"]["city"] == "osaka" and docs["j1"]["title"] == ""
    # The record without a body, the line that is not JSON, the 1.8M-character article.
    assert len(summary.skipped) == 3
    assert "over the 1,000,000 limit" in summary.skipped[2].reason


def test_encodings_binary_and_empty_files_in_a_folder(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "ko-cp949.txt").write_bytes(KO_PAGE.encode("cp949"))
    (src / "sub" / "ja-sjis.txt").write_bytes(JA_PAGE.encode("shift_jis"))
    (src / "ja-eucjp.txt").write_bytes(JA_PAGE.replace("横浜", "名古屋").encode("euc-jp"))
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (src / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["--index-dir", str(tmp_path / "ix"), "reindex", str(src)])
    assert result.exit_code == 1, result.output
    assert "image.png: binary file" in result.output
    assert "empty.txt: empty file" in result.output
    docs = stored(tmp_path / "ix")
    assert docs["ko-cp949"]["title"] == "수원시, 인공지능 기업 유치 나서"
    assert docs["ko-cp949"]["city"].split(",")[0] == "suwon"
    assert docs["sub/ja-sjis"]["title"] == "横浜市、ロボット企業を誘致"
    assert docs["sub/ja-sjis"]["date"] == "2023-11-30"
    assert docs["sub/ja-sjis"]["event"] == "irex-2023"
    assert docs["ja-eucjp"]["city"].split(",")[0] == "nagoya"
    assert "비트코인" not in docs["ko-cp949"]["body"]


def test_incremental_reindex_touches_only_what_changed(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    root = tmp_path / "ix"
    first = reindex([src], root)
    gen = store.current_dir(root)
    assert first.added >= 13 and first.updated == 0
    page = src / f"{SEOUL_CES_2024}.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("오세훈", "오 시장"), encoding="utf-8")
    (src / f"{SEOUL_CES_2024_JA}.txt").unlink()
    (src / "new.txt").write_text(KO_PAGE, encoding="utf-8")
    second = reindex([src], root)
    assert (second.added, second.updated, second.deleted) == (1, 1, 1)
    assert second.unchanged == first.added - 2
    assert store.current_dir(root) == gen  # updated in place, no rebuild
    docs = stored(root)
    assert SEOUL_CES_2024_JA not in docs and "new" in docs
    assert "오세훈" not in docs[SEOUL_CES_2024]["body"]
    third = reindex([src], root)
    assert (third.added, third.updated, third.deleted, third.indexed) == (0, 0, 0, 0)


def test_full_rebuild_switches_generation_atomically(tmp_path):
    src, root = index_records(tmp_path)
    old = store.current_dir(root)
    reindex([src], root, full=True)
    new = store.current_dir(root)
    assert new != old and old.exists()  # the previous generation stays for open readers
    reindex([src], root, full=True)
    assert not old.exists()
    assert set(stored(root)) == {"k1", "j1"}


def test_read_inputs_reports_missing_paths(tmp_path):
    items = list(read_inputs([tmp_path / "nope"]))
    assert len(items) == 1 and items[0].reason == "no such file or folder"


def test_stats_command(seeds_index):
    result = CliRunner().invoke(main, ["--index-dir", str(seeds_index), "stats", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.output)
    assert info["by_lang"]["ko"] == 4 and info["by_lang"]["ja"] >= 8
    assert dict(info["facets"]["city"])["gwangju"] >= 9
    assert info["size_bytes"] > 0 and info["built_at"]


def test_reindex_usage_error_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["reindex", "--procs", "0"])
    assert result.exit_code == 2


def test_an_index_of_another_schema_version_is_rebuilt_not_updated(tmp_path):
    src, root = index_records(tmp_path)
    old = store.current_dir(root)
    store.write_meta(old, schema_version=-1)
    summary = reindex([src], root)
    assert summary.added == 2 and store.current_dir(root) != old


def test_worker_processes_index_everything(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    records = [
        {
            "id": f"p{i}",
            "lang": "ko" if i % 2 else "ja",
            "body": "광주광역시는 인공지능 기업을 유치했다."
            if i % 2
            else "光州市は人工知能の企業を誘致した。",
        }
        for i in range(120)
    ]
    write_jsonl(src / "many.jsonl", records)
    summary = reindex([src], tmp_path / "ix", procs=2)
    assert summary.added == 120
    ix = store.open_current(tmp_path / "ix")
    with ix.searcher() as s:
        assert s.doc_count() == 120
        assert len(s.search(Term("body", "광주"), limit=None)) == 60
        assert len(s.search(Term("body", "人工"), limit=None)) == 60


def test_load_models_loads_kiwi_only_for_korean_text(monkeypatch):
    from analyzers import kiwi_backend, sudachi_backend
    from indexer.articles import Article
    from indexer.build import load_models_for

    loaded = []
    monkeypatch.setattr(kiwi_backend, "kiwi", lambda: loaded.append("kiwi"))
    monkeypatch.setattr(sudachi_backend, "dictionary", lambda: loaded.append("sudachi"))
    ja = Article(id="j", lang="ja", title="光州", body="光州市は人工知能の企業を誘致した。")
    ko = Article(id="k", lang="ko", title="", body="광주광역시는 기업을 유치했다.")
    load_models_for([ja, ja])
    assert loaded == ["sudachi"]
    load_models_for([ja, ko])
    assert loaded == ["sudachi", "sudachi", "kiwi"]


def test_the_bigram_field_indexes_the_content_bigrams_the_analyzer_gives(seed_texts):
    from whoosh.fields import TEXT

    from analyzers import analyzer
    from analyzers.simple import ranking_gram
    from indexer.schema import Bigrams

    analyzed = TEXT(analyzer=analyzer("auto", "bigram"), phrase=False)
    texts = [*seed_texts.values(), "ＣＥＳ２０２４에서 光州広域市 ｶﾞｲﾄﾞ 서울시ABC 1人", "", "   "]
    texts.append("ሀ漢ሀ 東京には")  # a run of CJK-range letters not all CJK (Ethiopic)
    # bopomofo, a Han letter past U+FFFF, lone CJK letters
    texts.append("ㄅㄆ漢字 ㄅabc 𠀀漢字 a漢b 漢\n字")
    for text in texts:  # the content bigrams of what the analyzer gives, no other term
        kept = [p for p in analyzed.index(text) if ranking_gram(p[0].decode())]
        assert sorted(Bigrams().index(text)) == sorted(kept)
    grams = sorted(t.decode() for t, *_ in Bigrams().index("東京には人が多い"))
    assert grams == sorted(["東京", "京に", "人が", "多い"])  # none starting with a hiragana
    assert dict((t, f) for t, f, _w, _v in Bigrams().index("광주광역시 광주")) == {
        "광주".encode(): 2,
        "주광".encode(): 1,
        "광역".encode(): 1,
        "역시".encode(): 1,
    }


def test_inlined_posting_lists_read_back_as_blocks_do(seeds_index, tmp_path, monkeypatch):
    from whoosh.codec.whoosh3 import W3Codec

    import indexer.build

    monkeypatch.setattr(indexer.build, "codec", W3Codec)  # whoosh3's default: no inlining
    blocks = tmp_path / "blocks"
    reindex([SEEDS], blocks)

    def postings(root):
        out, inlined = {}, 0
        with store.open_current(root).searcher() as s:
            assert s.is_atomic()  # one segment: term_info is whoosh3's own
            reader = s.reader()
            for field, text in reader.all_terms():
                if field not in flat_only:  # read from the flat files (indexer/flat_terms.py)
                    inlined += reader.term_info(field, text).is_inlined()
                m, rows = reader.postings(field, text), []
                while m.is_active():
                    rows.append((m.id(), m.weight(), m.value() or None))  # no value: '' inlined
                    m.next()
                out[field, text] = rows
        return out, inlined

    flat_only = ("title", "body", "grams")  # the fields hanil scores, written flat only
    (inline, n_inlined), (block, n_block) = postings(seeds_index), postings(blocks)
    words = sum(field not in flat_only for field, _t in inline)
    assert inline == block and n_block == 0 and n_inlined > words // 2
    # hanil's codec also keeps no per-term length bounds: rankings are the same
    from search_app.search import SearchIndex, SearchRequest

    ours, whooshs = SearchIndex(seeds_index), SearchIndex(blocks)
    for q in ("광주 CES", "서울 부스", "光州 人工知能", '"로봇 전시회"', "iREX 안산"):
        ranked = [
            [(h.id, h.score) for h in ix.search(SearchRequest(q=q)).results]
            for ix in (ours, whooshs)
        ]
        assert ranked[0] and ranked[0] == ranked[1], q
