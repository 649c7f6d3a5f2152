"""Interface strings of the page in Korean, Japanese and English."""

from __future__ import annotations

UI_LANGS = ("ko", "ja", "en")

STRINGS = {
    "title": {"ko": "한일 뉴스 검색", "ja": "韓日ニュース検索", "en": "hanil news search"},
    "search": {"ko": "검색", "ja": "検索", "en": "Search"},
    "placeholder": {
        "ko": "한국어 또는 일본어로 검색 (예: 광주 CES)",
        "ja": "韓国語・日本語で検索 (例: 光州 人工知能)",
        "en": "Search in Korean or Japanese (e.g. 광주 CES)",
    },
    "results": {"ko": "{n}건", "ja": "{n}件", "en": "{n} results"},
    "took": {"ko": "{ms} ms", "ja": "{ms} ms", "en": "{ms} ms"},
    "fallback": {
        "ko": "모든 단어를 포함한 기사가 없어 일부 단어가 일치하는 기사를 보여 줍니다.",
        "ja": "すべての語を含む記事がないため、一部の語に一致する記事を表示しています。",
        "en": "No article has every word; showing articles that match some of them.",
    },
    "none": {
        "ko": "검색 결과가 없습니다.",
        "ja": "該当する記事はありません。",
        "en": "No articles found.",
    },
    "city": {"ko": "도시", "ja": "都市", "en": "City"},
    "event": {"ko": "행사", "ja": "イベント", "en": "Event"},
    "year": {"ko": "연도", "ja": "年", "en": "Year"},
    "lang": {"ko": "언어", "ja": "言語", "en": "Language"},
    "sort": {"ko": "정렬", "ja": "並べ替え", "en": "Sort"},
    "relevance": {"ko": "관련도순", "ja": "関連度順", "en": "Relevance"},
    "newest": {"ko": "최신순", "ja": "新しい順", "en": "Newest"},
    "oldest": {"ko": "오래된순", "ja": "古い順", "en": "Oldest"},
    "xlang": {"ko": "다른 언어로 일치", "ja": "他言語で一致", "en": "Matched across languages"},
    "xlang_on": {
        "ko": "한국어·일본어 모두 검색",
        "ja": "韓国語・日本語の両方を検索",
        "en": "Search both languages",
    },
    "xlang_off": {
        "ko": "검색어의 언어로만 검색",
        "ja": "検索語の言語のみ",
        "en": "Only the query's language",
    },
    "apply": {"ko": "적용", "ja": "適用", "en": "Apply"},
    "clear": {"ko": "필터 해제", "ja": "絞り込み解除", "en": "Clear filters"},
    "prev": {"ko": "이전", "ja": "前へ", "en": "Previous"},
    "next": {"ko": "다음", "ja": "次へ", "en": "Next"},
    "from": {"ko": "부터", "ja": "から", "en": "From"},
    "to": {"ko": "까지", "ja": "まで", "en": "To"},
    "back": {"ko": "검색으로 돌아가기", "ja": "検索に戻る", "en": "Back to search"},
    "original": {"ko": "원문", "ja": "原文", "en": "Original"},
    "error": {
        "ko": "요청을 처리할 수 없습니다",
        "ja": "リクエストを処理できません",
        "en": "The request could not be handled",
    },
    "notfound": {
        "ko": "기사를 찾을 수 없습니다",
        "ja": "記事が見つかりません",
        "en": "Article not found",
    },
}


def translator(lang: str):
    """Return t(key, **fmt) for the interface language lang."""

    def t(key: str, **fmt) -> str:
        text = STRINGS[key].get(lang) or STRINGS[key]["en"]
        return text.format(**fmt) if fmt else text

    return t
