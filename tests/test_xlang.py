"""Cross-language search: Korean queries reach Japanese text and back (readings, names,
loanword sound keys), ranked below same-language matches, reported and switchable."""

import json

import pytest
from click.testing import CliRunner

from analyzers import analyzer
from analyzers.readings import korean_forms, sound_key
from search_app.cli import main
from search_app.search import SearchIndex, SearchRequest, ranking

from .conftest import (
    ANSAN_IREX,
    GWANGJU_CES_2023,
    SEOUL_CES_2024,
    SEOUL_CES_2024_JA,
    api,
    ids,
    search_index_of,
    shared_data,
)

# Measured 0.9223 MRR@10 on these 100 queries (docs/quality.md); a regression fails below.
FLORES_100_FLOOR = 0.89
GWANGJU_CES_2023 = GWANGJU_CES_2023
SEOUL = {SEOUL_CES_2024, SEOUL_CES_2024_JA}
ANSAN = ANSAN_IREX


@pytest.mark.parametrize(
    ("japanese", "korean"),
    [
        ("人工知能", "인공지능"),
        ("広域", "광역"),  # shinjitai 広 reads as its kyujitai 廣
        ("経済", "경제"),  # 経 -> 經, 済 -> 濟
        ("東京", "동경"),
        ("黒海", "흑해"),
        ("投資協約", "투자협약"),
        ("労働", "노동"),  # initial sound law: 로동 -> 노동
        ("理論", "이론"),
        ("不動産", "부동산"),  # 不 before ㄷ or ㅈ reads 부
        ("比率", "비율"),  # 률 after a vowel reads 율
        ("ソウル", "서울"),  # a kana name, from the gazetteer
        ("東京", "도쿄"),  # a place's Korean name as well as its reading
    ],
)
def test_korean_forms_of_japanese_words(japanese, korean):
    assert korean in korean_forms(japanese)


def test_words_without_a_korean_form():
    assert korean_forms("ビジネス") == ()
    assert korean_forms("する") == ()
    assert korean_forms("") == ()


@pytest.mark.parametrize(
    ("katakana", "hangul"),
    [
        ("キャンプ", "캠프"),
        ("スノーボード", "스노보드"),
        ("コンピューター", "컴퓨터"),
        ("インターネット", "인터넷"),
        ("ロボット", "로봇"),
        ("シーズン", "시즌"),
    ],
)
def test_loanwords_share_a_sound_key(katakana, hangul):
    assert sound_key(katakana) is not None
    assert sound_key(katakana) == sound_key(hangul)


def test_a_final_ng_keys_as_ng_in_loanwords_and_as_n_in_names():
    assert sound_key("캠핑") == sound_key("キャンピング")  # camping: -ng is ング
    assert sound_key("용섭", final_ng="N") == sound_key("ヨンソプ")  # a name: ㅇ is ン
    assert sound_key("강남", final_ng="N") == sound_key("カンナム")


def test_sound_keys_tell_words_apart():
    assert sound_key("キャンプ") != sound_key("컴퓨터")
    assert sound_key("로") is None  # too short to mean anything


def test_index_analysis_puts_readings_on_the_japanese_words():
    text = "南は地中海に面し、光州広域市がソウル市長とキャンプ"
    tokens = analyzer()(text, positions=True, chars=True)  # one Token, mutated: copy out
    by_text = {t.text: (t.pos, text[t.startchar : t.endchar]) for t in tokens}
    assert by_text["~광주"][1] == "光州"
    assert by_text["~광주"][0] == by_text["光州"][0]  # same position as the word
    assert by_text["~지중"][1] == "地中"  # Sudachi splits 地中海; a query 지중해 reaches 지중
    assert by_text["~광역"][1] == "広域"
    assert by_text["~서울"][1] == "ソウル"
    assert by_text[sound_key("キャンプ")][1] == "キャンプ"
    query_tokens = [t.text for t in analyzer()(text, mode="query")]
    assert not [t for t in query_tokens if t[0] in "~#"]  # queries carry no readings


def test_korean_text_gets_no_readings():
    tokens = [t.text for t in analyzer()("광주광역시장이 韓日 정상회담에서", mode="index")]
    assert not [t for t in tokens if t[0] in "~#"]


# -- seed cases ----------------------------------------------------------------------------


def test_korean_query_finds_the_japanese_gwangju_ai_items(client):
    _, body = api(client, q="광주 인공지능")
    japanese = [r for r in body["results"][:10] if r["id"].startswith("004_")]
    assert len(japanese) >= 3
    assert all("gwangju" in r["city"] for r in japanese)


def test_japanese_query_finds_the_korean_gwangju_ces_article(client):
    _, body = api(client, q="光州 CES")
    assert GWANGJU_CES_2023 in ids(body)[:3]


def test_katakana_seoul_finds_both_korean_seoul_articles(client):
    _, body = api(client, q="ソウル CES")
    assert SEOUL <= set(ids(body)[:3])


def test_kanji_ansan_finds_the_korean_ansan_article(client):
    _, body = api(client, q="安山 ロボット")
    assert ANSAN in ids(body)[:3]


def test_hits_say_which_words_matched_across_and_mark_them(client):
    _, body = api(client, q="광주 인공지능")
    hit = next(r for r in body["results"] if r["id"].startswith("004_"))
    assert "光州 ← 광주" in hit["xlang_matches"]
    assert "<mark>光州</mark>" in hit["title_html"] + hit["snippet_html"]
    korean = next(r for r in body["results"] if r["lang"] == "ko")
    assert not [m for m in korean["xlang_matches"] if m.endswith("← 광주")]


def test_xlang_off_keeps_to_the_querys_language(client):
    _, on = api(client, q="光州 CES")
    _, off = api(client, q="光州 CES", xlang="off")
    assert GWANGJU_CES_2023 in ids(on) and on["fallback"] is False
    # Off, no article holds both 光州 and CES in one language: only the any-word fallback.
    assert off["fallback"] is True
    assert all(not r["xlang_matches"] for r in off["results"])
    status, err = api(client, q="光州", xlang="maybe")
    assert status == 400 and err["ok"] is False and "xlang" in err["error"]


def test_page_shows_cross_language_matches_and_the_switch(client):
    html = client.get("/", query_string={"q": "광주 인공지능", "hl": "en"}).get_data(as_text=True)
    assert "光州 ← 광주" in html
    assert "xlang=off" in html


def test_same_language_ranks_above_the_other_of_equal_strength(tmp_path):
    records = [
        {"id": "ko", "lang": "ko", "title": "", "body": "광주 소식입니다."},
        {"id": "ja", "lang": "ja", "title": "", "body": "光州のニュースです。"},
    ]
    index = search_index_of(tmp_path, records)
    assert index.rank("광주")[0] == ["ko", "ja"]
    assert index.rank("光州")[0] == ["ja", "ko"]
    only = index.search(SearchRequest(q="光州", xlang=False))
    assert [h.id for h in only.results] == ["ja"]


def test_a_longer_sino_korean_word_reaches_its_japanese_core(tmp_path):
    # 운전자 (driver) and 인내심 (patience) add a morpheme to what Japanese says alone;
    # 지중해 is one Korean word where Japanese analysis splits 地中 + 海.
    records = [
        {"id": "driver", "lang": "ja", "title": "", "body": "運転手は頭部に重傷を負いました。"},
        {"id": "patience", "lang": "ja", "title": "", "body": "旅行者は忍耐を要することがある。"},
        {"id": "sea", "lang": "ja", "title": "", "body": "南は地中海に面している。"},
        {"id": "mayor", "lang": "ja", "title": "", "body": "イ・ヨンソプ市長が訪日した。"},
    ]
    index = search_index_of(tmp_path, records)
    assert index.rank("운전자")[0] == ["driver"]
    assert index.rank("인내심")[0] == ["patience"]
    assert index.rank("지중해")[0] == ["sea"]  # Sudachi reads 地中 + 海
    assert index.rank("이용섭")[0] == ["mayor"]  # a name: final ㅇ is ン (sound key #NSP)
    hit = index.search(SearchRequest(q="운전자")).results[0]
    assert hit.xlang_matches == ["運転 ← 운전자"] and "<mark>運転</mark>" in hit.snippet_html
    assert index.search(SearchRequest(q="운전자", xlang=False)).total == 0


def test_cli_search_no_xlang(seeds_index):
    args = ["--index-dir", str(seeds_index), "search", "--json", "光州", "CES"]
    on = json.loads(CliRunner().invoke(main, args).output)
    off = json.loads(CliRunner().invoke(main, [*args, "--no-xlang"]).output)
    assert on["fallback"] is False and GWANGJU_CES_2023 in ids(on)[:3]
    assert off["fallback"] is True


@pytest.mark.slow
def test_eval_on_a_flores_slice_stays_above_the_floor(tmp_path):
    flores = shared_data("xlang-flores")
    files = {"--corpus": "corpus.jsonl", "--queries": "queries.jsonl", "--qrels": "qrels.tsv"}
    args = [
        "--index-dir",
        str(tmp_path / "ix"),
        "eval",
        "--json",
        *(x for k, v in files.items() for x in (k, str(flores / v))),
    ]
    args += ["--limit", "100", "--procs", "2"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["queries"] == 100
    assert out["mrr@10"] >= FLORES_100_FLOOR, out


def test_verbs_and_adjectives_get_no_sound_key():
    """A sound key is for loanwords; a native verb's consonants meet katakana words by
    chance (바꾸다 ~ ボイコット)."""
    from search_app.search.query import build

    verb = build("방침을 바꾸었다").xlang
    assert [t for t, word in verb.items() if word == "바꾸다"] == ["~바꾸다"]
    assert sound_key("방침") in verb  # the noun keeps its key
    noun = build("캠프").xlang
    assert sound_key("캠프") in noun


def test_a_japanese_name_in_kanji_is_found_by_its_sound_in_hangul(tmp_path):
    """Korean writes Japanese names as they sound (혼다, 마쓰이), Japanese in kanji (本田,
    松井): a name's reading carries it across, not its characters' Korean readings."""
    index = search_index_of(
        tmp_path,
        [
            {
                "id": "j1",
                "lang": "ja",
                "title": "",
                "body": "本田圭佑はイタリアのクラブに移籍した。",
            },
            {"id": "j2", "lang": "ja", "title": "", "body": "本屋で新しい田舎の本を買った。"},
        ],
    )
    result = index.search(SearchRequest(q="혼다 게이스케"))
    assert [h.id for h in result.results][:1] == ["j1"]
    assert any("本田" in m for m in result.results[0].xlang_matches)


def test_a_katakana_name_finds_the_korean_name_it_spells(tmp_path):
    """Japanese writes Korean names in katakana (サムスン, ソンフンミン): a Korean proper
    noun is indexed with the sound key its katakana spelling shares, apart from the keys
    of Japanese text, so a katakana word never meets other katakana words that way."""
    index = search_index_of(
        tmp_path,
        [
            {"id": "k1", "lang": "ko", "title": "", "body": "삼성이 새 휴대폰을 공개했다."},
            {"id": "k2", "lang": "ko", "title": "", "body": "새 휴대폰이 공개됐다."},
            {"id": "j1", "lang": "ja", "title": "", "body": "新しいスマホが発表された。"},
        ],
    )
    result = index.search(SearchRequest(q="サムスン"))
    assert [h.id for h in result.results] == ["k1"]
    assert result.results[0].xlang_matches == ["삼성 ← サムスン"]


def test_words_that_share_no_reading_cross_through_the_word_list(tmp_path):
    """독일 / ドイツ and 북한 / 北朝鮮 share no reading: the CLDR word list (data/words.tsv)
    carries them both ways, and the hit says so."""
    index = search_index_of(
        tmp_path,
        [
            {"id": "j1", "lang": "ja", "title": "", "body": "北朝鮮がドイツと会談した。"},
            {"id": "j2", "lang": "ja", "title": "", "body": "北限の桜が咲いた。"},
            {"id": "k1", "lang": "ko", "title": "", "body": "북한이 독일과 회담했다."},
        ],
    )
    result = index.search(SearchRequest(q="북한 독일"))
    assert [h.id for h in result.results] == ["k1", "j1"]
    assert sorted(result.results[1].xlang_matches) == ["ドイツ ← 독일", "北朝鮮 ← 북한"]
    back = index.search(SearchRequest(q="北朝鮮"))
    assert [h.id for h in back.results] == ["j1", "k1"]


def test_a_japanese_given_name_does_not_read_as_a_korean_word(tmp_path):
    """Korean writes a Japanese given name by its sound (士郎 시로): the Korean reading of
    its characters (사랑, "love") would meet the word by chance."""
    index = search_index_of(
        tmp_path,
        [
            {"id": "j1", "lang": "ja", "title": "", "body": "士郎は新しい店を開いた。"},
            {"id": "j2", "lang": "ja", "title": "", "body": "愛の歌が流れた。"},
        ],
    )
    assert "j1" not in [h.id for h in index.search(SearchRequest(q="사랑")).results]
    assert "j1" in [h.id for h in index.search(SearchRequest(q="士郎")).results]


def test_a_japanese_name_is_found_as_korean_spells_it(tmp_path):
    """Vowel-heavy names have no sound key (イノウエ, マオ): the name's reading spelled by
    the Korean orthography for Japanese (이노우에 마오) is indexed with it."""
    index = search_index_of(
        tmp_path,
        [
            {"id": "j1", "lang": "ja", "title": "", "body": "井上真央が新しい映画に主演した。"},
            {"id": "j2", "lang": "ja", "title": "", "body": "新しい映画が公開された。"},
        ],
    )
    result = index.search(SearchRequest(q="이노우에 마오"))
    assert [h.id for h in result.results] == ["j1"]
    assert any("井上" in m for m in result.results[0].xlang_matches)


def test_a_dotted_katakana_name_meets_the_korean_name_both_ways(tmp_path):
    """Japanese writes a Korean name in katakana with a middle dot (カン・ウォンレ); Korean
    as one word (강원래): the dotted name is one word too, with the name's sound key."""
    index = search_index_of(
        tmp_path,
        [
            {"id": "j1", "lang": "ja", "title": "", "body": "カン・ウォンレ氏が訴えた。"},
            {"id": "k1", "lang": "ko", "title": "", "body": "강원래씨가 호소했다."},
            {"id": "k2", "lang": "ko", "title": "", "body": "그는 호소했다."},
        ],
    )
    assert [h.id for h in index.search(SearchRequest(q="カン・ウォンレ")).results] == ["j1", "k1"]
    assert [h.id for h in index.search(SearchRequest(q="강원래")).results] == ["k1", "j1"]


def test_an_english_word_meets_its_katakana_spelling(tmp_path):
    """Korean text keeps an English term in Latin letters (플라스마(plasma)), Japanese writes
    it in katakana (プラズマ): the English word's sound key, as katakana spells it, joins them."""
    index = search_index_of(
        tmp_path,
        [
            {"id": "j1", "lang": "ja", "title": "", "body": "恒星のプラズマの流れを調べた。"},
            {"id": "j2", "lang": "ja", "title": "", "body": "恒星の明るさを調べた。"},
        ],
    )
    result = index.search(SearchRequest(q="plasma"))
    assert [h.id for h in result.results] == ["j1"]


def test_a_katakana_loanword_finds_the_korean_loanword(tmp_path):
    """スマートシティ / 스마트시티: a Korean noun with two syllables no Han character reads as
    is a loanword, indexed with the sound key katakana shares; a native noun is not (바다)."""
    index = search_index_of(
        tmp_path,
        [
            {"id": "k1", "lang": "ko", "title": "", "body": "광주시는 스마트시티 사업을 시작했다."},
            {"id": "k2", "lang": "ko", "title": "", "body": "광주시는 새 사업을 시작했다."},
            {"id": "k3", "lang": "ko", "title": "", "body": "광주시는 바다 사업을 시작했다."},
        ],
    )
    assert [h.id for h in index.search(SearchRequest(q="スマートシティ")).results] == ["k1"]
    assert [h.id for h in index.search(SearchRequest(q="バター")).results] == []


def test_a_word_read_in_han_characters_does_not_also_cross_by_sound(tmp_path):
    """지역 is 地域 (~지역); its consonants (#SK) also key ショック, which it is not."""
    records = [
        {"id": "region", "lang": "ja", "title": "", "body": "この地域の住民が集まった。"},
        {"id": "shock", "lang": "ja", "title": "", "body": "住民はショックを受けた。"},
    ]
    assert sound_key("지역") == sound_key("ショック")
    index = search_index_of(tmp_path, records)
    assert [h.id for h in index.search(SearchRequest(q="지역")).results] == ["region"]
    # Found through 주민 (住民) alone, the other article claims no match through 지역.
    hits = {h.id: h for h in index.search(SearchRequest(q="지역 OR 주민")).results}
    assert hits["shock"].xlang_matches == ["住民 ← 주민"]
    assert "<mark>ショック</mark>" not in hits["shock"].snippet_html
    # Where no article holds the word as a reading, its sound key still reaches katakana:
    # a loanword or a name has no Han reading to cross by.
    (tmp_path / "alone").mkdir()
    alone = search_index_of(tmp_path / "alone", records[1:])
    assert [h.id for h in alone.search(SearchRequest(q="지역")).results] == ["shock"]


def test_words_close_in_the_query_rank_higher_close_in_a_translation(tmp_path, monkeypatch):
    # Both hold 環境 and 保護 once; in "near" they stand side by side. BM25 ties.
    middle = "天気は晴れだった。市長が訪問した。住民が集まった。"
    bodies = {
        "far": f"環境について話した。{middle}保護が必要だ。",
        "near": f"話した。{middle}環境の保護が必要だ。",
    }
    records = [{"id": k, "lang": "ja", "title": "", "body": b} for k, b in bodies.items()]
    index = search_index_of(tmp_path, records)
    assert index.rank("환경 보호", 10)[0] == ["near", "far"]
    monkeypatch.setattr(ranking, "NEAR_WEIGHT", 0.0)
    assert index.rank("환경 보호", 10)[0] == ["far", "near"]  # the lead bonus alone


def test_an_article_across_languages_counts_for_what_it_covers_of_the_query(tmp_path, monkeypatch):
    records = [
        {"id": "ko", "lang": "ko", "title": "", "body": "환경 보호 정책을 발표했다."},
        {"id": "ja", "lang": "ja", "title": "", "body": "環境の保護について話した。"},
    ]
    search_index_of(tmp_path, records)
    index = SearchIndex(tmp_path / "ix", cached_results=0)  # every search ranked anew
    q = "환경 OR 보호 OR 정책"  # the Japanese article holds two of the three words

    def scores():
        return {h.id: h.score for h in index.search(SearchRequest(q=q)).results}

    covered = scores()
    monkeypatch.setattr(ranking, "COVER_EXPONENT", 0.0)
    whole = scores()
    assert covered["ja"] == pytest.approx(whole["ja"] * (2 / 3) ** 0.5, rel=1e-3)
    assert covered["ko"] == whole["ko"]  # the query's own language: not scaled


@pytest.mark.parametrize(
    ("query", "held", "without", "chip"),
    [
        # Japanese writes Korean 화 (hwa) as ファ: イ・ファヨン is 이화영.
        (
            "イ・ファヨン",
            "이화영 전 부지사가 재판에 출석했다.",
            "전 부지사가 재판에 출석했다.",
            "이화영 ← イファヨン",
        ),
        # 労働組合 is 노조 in Korean news, the first syllable of each word's reading.
        ("労働組合", "노조는 파업을 예고했다.", "회사는 파업을 예고했다.", "노조 ← 労働組合"),
        # サッカー協会 is 축구협회: the katakana word has no Korean sound alike, its Han
        # word 協会 reads 협회.
        (
            "サッカー協会",
            "축구협회는 감독 선임을 발표했다.",
            "구단은 감독 선임을 발표했다.",
            "협회 ← サッカー協会",
        ),
    ],
)
def test_a_japanese_word_finds_the_korean_article_holding_its_form(
    tmp_path, query, held, without, chip
):
    """The article holding the word's Korean form is found, the other not, and the hit
    says which word crossed."""
    index = search_index_of(
        tmp_path,
        [
            {"id": "k1", "lang": "ko", "title": "", "body": held},
            {"id": "k2", "lang": "ko", "title": "", "body": without},
        ],
    )
    result = index.search(SearchRequest(q=query))
    assert [h.id for h in result.results] == ["k1"]
    assert result.results[0].xlang_matches == [chip]
