import pickle
import sys
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzers import analyzer, kiwi_backend, sudachi_backend
from analyzers.normalize import fold
from analyzers.script import regions

from .conftest import GWANGJU_AI_JA

# (text, terms that must be present, terms that must be absent)
TERM_CASES = [
    ("광주광역시장이", ["광주", "광주광역시장"], ["이"]),
    ("안산시장 이민근", ["안산", "이민근"], []),
    ("인공지능 스타트업을", ["인공", "지능", "스타트업"], ["을"]),
    ("라스베이거스에서", ["라스베이거스"], ["에서"]),
    ("‘CES 2023’에", ["ces", "2023"], ["CES", "에", "‘"]),
    ("光州広域市は", ["光州", "広域", "市"], ["は"]),
    ("人工知能ビジネス", ["人工知能", "人工", "知能", "ビジネス"], []),
    ("ＣＥＳ２０２４", ["ces", "2024"], ["ＣＥＳ"]),
    ("ソウル市長", ["ソウル", "市長"], []),
    ("대한상공회의소 서울시", ["대한상공회의소", "대한", "서울시", "서울"], []),
    ("강 시장이 행사에 나섰다.", ["나서다", "시장", "행사"], ["나섰다", "다", "."]),
    ("美 대통령과 韓 정부", ["美", "韓", "대통령", "정부"], ["과"]),
    ("東京で行われた国際ロボット展", ["東京", "行う", "国際", "ロボット"], ["で", "た"]),
]


def term_set(text, lang="auto", mode="index"):
    return {t.text for t in analyzer(lang)(text, mode=mode)}


@pytest.mark.parametrize(("text", "present", "absent"), TERM_CASES)
def test_terms(text, present, absent):
    terms = term_set(text)
    for term in present:
        assert term in terms, (text, term, terms)
    for term in absent:
        assert term not in terms, (text, term, terms)


def test_compound_parts_share_the_compound_position_and_sit_on_their_characters():
    text = "강기정 광주광역시장이 출국했다"
    toks = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in analyzer()(text, positions=True, chars=True)
    ]
    by_text = {t[0]: t for t in toks}
    whole, part = by_text["광주광역시장"], by_text["광주"]
    assert part[1] == whole[1]
    assert text[part[2] : part[3]] == "광주"
    assert text[whole[2] : whole[3]] == "광주광역시장"
    assert by_text["출국"][1] == whole[1] + 1


def test_query_mode_emits_no_compound_parts():
    assert "광주" in term_set("광주광역시장", mode="index")
    assert term_set("광주광역시장", mode="query") == {"광주광역시장"}
    assert term_set("人工知能", mode="query") == {"人工知能"}


def test_offsets_survive_nfkc_folding():
    text = "ｶﾞｲﾄﾞ ㎞ ＣＥＳ２０２４ 광주"
    toks = {t.text: (t.startchar, t.endchar) for t in analyzer()(text, chars=True)}
    assert text.__getitem__(slice(*toks["ガイド"])) == "ｶﾞｲﾄﾞ"
    assert text.__getitem__(slice(*toks["km"])) == "㎞"
    assert text.__getitem__(slice(*toks["ces"])) == "ＣＥＳ"
    assert text.__getitem__(slice(*toks["광주"])) == "광주"


def test_fold_maps_every_folded_character_back():
    text = "a\u1100\u1161b ｶﾞ ﬁ ①"
    folded = fold(text)
    assert folded.text == "a가b ガ fi 1"
    assert folded.span(1, 2) == (1, 3)  # 가 came from two conjoining jamo
    assert folded.span(4, 5) == (5, 7)  # ガ from ｶ + ﾞ


def test_kanji_routing_follows_neighbours_then_document():
    ko = regions("美대통령 韓 정부")
    assert [r.lang for r in ko] == ["ko"]
    ja = regions("東京に行く")
    assert [r.lang for r in ja] == ["ja"]
    # A lone kanji word follows the document: Korean here, Japanese there.
    assert regions("서울과 부산 그리고 韓國 관계")[0].lang == "ko"
    assert {r.lang for r in regions("東京 大阪 そして 韓国")} == {"ja"}
    mixed = regions("서울시 ソウル市")
    assert [r.lang for r in mixed] == ["ko", "ja"]


def test_forced_language_routes_everything_to_one_analyzer():
    paths = {t.path for t in analyzer("ja")("서울 東京", mode="index")}
    assert "kiwi" not in paths
    paths = {t.path for t in analyzer("ko")("서울 東京", mode="index")}
    assert "sudachi" not in paths


def test_every_seed_token_points_into_the_text(seed_texts):
    a = analyzer()
    for name, text in seed_texts.items():
        count = 0
        for t in a(text, positions=True, chars=True):
            assert 0 <= t.startchar < t.endchar <= len(text), (name, t.text)
            assert text[t.startchar : t.endchar].strip(), (name, t.text)
            count += 1
        assert count > 100, name


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "😀🎉",
        "\x00\x01\x02\u200b",
        "。、！",
        "あ" * 100_000,
        ("광주광역시 인공지능 " * 10_000),
        "ＡＢＣ한국語テスト123\u0301\u1100",
    ],
)
def test_awkward_input_never_raises(text):
    toks = [(t.text, t.startchar, t.endchar) for t in analyzer()(text, chars=True)]
    for _term, s, e in toks:
        assert 0 <= s < e <= len(text)


def test_long_japanese_text_without_newline_is_chunked_with_right_offsets():
    sentence = "光州広域市は人工知能の研究所を設立した"
    text = sentence * 6000  # ~340 KB in UTF-8, far over Sudachi's 49,149-byte limit
    assert len(text.encode()) > 49_149 * 4
    toks = [(t.text, t.startchar, t.endchar) for t in analyzer("ja")(text, chars=True)]
    hits = [(s, e) for term, s, e in toks if term == "光州"]
    assert len(hits) >= 5990  # a cut may fall inside at most a few words
    assert all(text[s:e] == "光州" for s, e in hits)


MIXED = st.text(
    alphabet=st.sampled_from(
        list("광주시장에서인공지능을東京大阪人工知能ひらがなカタカナｶﾞﾞＡＢＣabc123１２ ．。、\n\t😀")
        + ["\u0301", "\u1161", "\u11a8", "\u3099", "\x00", "\ufeff", "\U00020bb7"]
    ),
    max_size=80,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MIXED)
def test_random_mixed_text_gives_valid_offsets_and_positions(text):
    last_pos = -1
    for t in analyzer()(text, positions=True, chars=True):
        assert t.text
        assert 0 <= t.startchar < t.endchar <= len(text)
        assert t.pos >= last_pos
        last_pos = t.pos


@pytest.mark.parametrize("lang", ["auto", "ko", "ja"])
def test_pickle_round_trip_carries_no_model(lang):
    a = analyzer(lang)
    data = pickle.dumps(a)
    assert len(data) < 2_000
    assert b"kiwipiepy" not in data and b"sudachipy" not in data
    restored = pickle.loads(data)
    assert restored == a
    assert [t.text for t in restored("광주 東京")] == [t.text for t in a("광주 東京")]


def test_importing_and_unpickling_load_no_model():
    import subprocess

    code = (
        "import pickle, sys, analyzers\n"
        "a = pickle.loads(pickle.dumps(analyzers.analyzer()))\n"
        "from analyzers import kiwi_backend, sudachi_backend\n"
        "assert kiwi_backend._kiwi is None and sudachi_backend._dictionary is None\n"
        "assert 'kiwipiepy' not in sys.modules and 'sudachipy' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_models_load_once_per_process():
    analyzer()("광주 東京")
    k, d = kiwi_backend.kiwi(), sudachi_backend._dictionary
    analyzer()("서울 大阪")
    assert kiwi_backend.kiwi() is k and sudachi_backend._dictionary is d


def test_eight_threads_give_the_same_tokens_as_one(seed_texts):
    texts = list(seed_texts.values())
    a = analyzer()

    def run(text):
        return [
            (t.text, t.pos, t.startchar, t.endchar) for t in a(text, positions=True, chars=True)
        ]

    expected = [run(t) for t in texts]
    results: dict[int, list] = {}
    errors: list[BaseException] = []

    def worker(i):
        try:
            results[i] = [run(t) for t in texts[i % 2 :] + texts[: i % 2]]
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    for i in range(8):
        rotated = expected[i % 2 :] + expected[: i % 2]
        assert results[i] == rotated


@pytest.mark.parametrize(
    "text",
    [
        "ｶﾞｲﾄﾞ…㎞ ①②",
        "e\u0301te\u0301",
        "\u1100\u1161\u11a8 가\u11a8",
        "ＡＢ ㈱ﾃｽﾄ ﬁne",
        "か\u3099き\u3099",
    ],
)
def test_fold_span_covers_exactly_the_source_of_each_folded_character(text):
    import unicodedata

    folded = fold(text)
    assert folded.text == unicodedata.normalize("NFKC", text)
    for i in range(len(folded.text)):
        s, e = folded.span(i, i + 1)
        assert 0 <= s < e <= len(text)
        assert folded.text[i] in unicodedata.normalize("NFKC", text[s:e])


def test_unknown_words_sharing_an_id_keep_their_own_terms():
    # Sudachi gives every unknown katakana noun one word id: the word cache must not
    # answer the second with the first.
    assert {"ヌピョラゲ", "ゾムキャリ"} <= term_set("ヌピョラゲとゾムキャリが")


def test_words_from_the_cache_equal_words_worked_out_afresh(seed_texts):
    a = analyzer("ja")

    def tokens(text):
        return [
            (t.text, t.pos, t.startchar, t.endchar, t.path)
            for t in a(text, positions=True, chars=True)
        ]

    text = seed_texts[f"{GWANGJU_AI_JA}.txt"]  # Japanese
    sudachi_backend.forget_words()
    first = tokens(text)
    assert tokens(text) == first
    sudachi_backend.forget_words()
    assert tokens(text) == first


def test_inferred_zero_length_morphemes_are_not_terms():
    text = "공．지"  # Kiwi infers a 하다 here that spans no character
    for t in analyzer()(text, chars=True):
        assert t.startchar < t.endchar, t.text


@pytest.mark.parametrize(
    ("kana", "hangul"),
    [
        ("ミヤギ", "미야기"),  # plain
        ("トウキョウ", "도쿄"),  # long vowels not written, palatal
        ("オオサカ", "오사카"),
        ("ニイガタ", "니가타"),
        ("アキタ", "아키타"),  # voiceless stops aspirated after the first syllable
        ("カガワ", "가가와"),  # ... and plain at the start
        ("ホッカイドウ", "홋카이도"),  # ッ a final ㅅ
        ("シンジュク", "신주쿠"),  # ン a final ㄴ; ジュ without y
        ("カツシカ", "가쓰시카"),  # ツ 쓰
        ("ショウナン", "쇼난"),  # シ keeps the y
        ("とやま", "도야마"),  # hiragana too
        ("東京", ""),  # not kana
    ],
)
def test_kana_to_hangul(kana, hangul):
    from analyzers.kana_hangul import to_hangul

    assert to_hangul(kana) == hangul
