"""Katakana -> Hangul by the Korean orthography for Japanese (외래어 표기법, 일본어): how a
Korean newspaper writes a Japanese name it has only heard (ミヤギ -> 미야기, トウキョウ -> 도쿄).

The rules: a voiceless stop (カ, タ rows, チ, キャ...) is plain at a word's start and aspirated
after it (カガワ 가가와, アキタ 아키타); ツ is 쓰; ン is a final ㄴ and ッ a final ㅅ; long vowels
are not written (トウキョウ 도쿄, オオサカ 오사카, ニイガタ 니가타). Used for the gazetteer's
places without a Korean name (make_places.py) and for Japanese names in the index (bridge.py).
"""

from __future__ import annotations

from analyzers.hangul import jamo, syllable

# Kana -> (initial form, medial form); a kana with one form gives it twice.
_KANA = {
    "ア": "아",
    "イ": "이",
    "ウ": "우",
    "エ": "에",
    "オ": "오",
    "カ": "가카",
    "キ": "기키",
    "ク": "구쿠",
    "ケ": "게케",
    "コ": "고코",
    "ガ": "가",
    "ギ": "기",
    "グ": "구",
    "ゲ": "게",
    "ゴ": "고",
    "サ": "사",
    "シ": "시",
    "ス": "스",
    "セ": "세",
    "ソ": "소",
    "ザ": "자",
    "ジ": "지",
    "ズ": "즈",
    "ゼ": "제",
    "ゾ": "조",
    "タ": "다타",
    "チ": "지치",
    "ツ": "쓰",
    "テ": "데테",
    "ト": "도토",
    "ダ": "다",
    "ヂ": "지",
    "ヅ": "즈",
    "デ": "데",
    "ド": "도",
    "ナ": "나",
    "ニ": "니",
    "ヌ": "누",
    "ネ": "네",
    "ノ": "노",
    "ハ": "하",
    "ヒ": "히",
    "フ": "후",
    "ヘ": "헤",
    "ホ": "호",
    "バ": "바",
    "ビ": "비",
    "ブ": "부",
    "ベ": "베",
    "ボ": "보",
    "パ": "파",
    "ピ": "피",
    "プ": "푸",
    "ペ": "페",
    "ポ": "포",
    "マ": "마",
    "ミ": "미",
    "ム": "무",
    "メ": "메",
    "モ": "모",
    "ヤ": "야",
    "ユ": "유",
    "ヨ": "요",
    "ラ": "라",
    "リ": "리",
    "ル": "루",
    "レ": "레",
    "ロ": "로",
    "ワ": "와",
    "ヲ": "오",
    "ヴ": "부",
}
# A small ャ/ュ/ョ after an イ-column kana: the consonant takes the y-vowel (キョ 교/쿄).
_Y_VOWEL = {"ャ": "야", "ュ": "유", "ョ": "요", "ェ": "에"}
_SMALL = {"ァ": "아", "ィ": "이", "ゥ": "우", "ェ": "에", "ォ": "오"}
# A kana and a small vowel that make one syllable (ウォ 워, ファ 파, ティ 티, ジェ 제).
_DIGRAPHS = {
    "ウィ": "위",
    "ウェ": "웨",
    "ウォ": "워",
    "ヴァ": "바",
    "ヴィ": "비",
    "ヴェ": "베",
    "ヴォ": "보",
    "ファ": "파",
    "フィ": "피",
    "フェ": "페",
    "フォ": "포",
    "ティ": "티",
    "ディ": "디",
    "トゥ": "투",
    "ドゥ": "두",
    "ツァ": "차",
    "ツォ": "초",
    "クァ": "과",
    "グァ": "과",
    "シェ": "셰",
    "ジェ": "제",
    "チェ": "체",
    "イェ": "예",
}
# Hangul vowel index (jamo) -> the Japanese vowel it writes, for the long-vowel rule.
_VOWEL_NAMES = {0: "a", 2: "a", 5: "e", 8: "o", 12: "o", 13: "u", 17: "u", 18: "u", 20: "i"}
# After ㅈ and ㅊ (ジャ, チャ) Hangul drops the y: 자, 주, 조; after ㅅ it keeps it: 샤, 슈, 쇼.
_PLAIN = {2: 0, 17: 13, 12: 8}
_J_LEADS = (12, 14)  # ㅈ, ㅊ


def to_hangul(kana: str, long_vowels: bool = False) -> str:
    """Hangul for a katakana (or hiragana) word; "" if it holds anything else.

    long_vowels=True writes every vowel kana (イノウエ 이노우에: the ウ of 上 うえ is no long
    vowel, which a reading does not tell)."""
    word = "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in kana)
    out: list[str] = []
    prev_vowel = ""
    i = 0
    while i < len(word):
        c = word[i]
        nxt = word[i + 1] if i + 1 < len(word) else ""
        i += 1
        if c == "ー":
            continue
        if c in ("ン", "ッ"):
            if not out:
                return ""
            lead, v, _ = jamo(out[-1])
            out[-1] = syllable(lead, v, 4 if c == "ン" else 19)  # final ㄴ, ㅅ
            prev_vowel = ""
            continue
        if not long_vowels and (
            (c == "ウ" and prev_vowel in ("o", "u"))
            or (c == "オ" and prev_vowel == "o")
            or (c == "イ" and prev_vowel == "i")
        ):
            continue  # a long vowel (トウ, オオ, ユウ, ニイ) is not written
        pair = _DIGRAPHS.get(c + nxt)
        if pair:
            out.append(pair)
            prev_vowel = _VOWEL_NAMES.get(jamo(pair)[1], "")
            i += 1
            continue
        forms = _KANA.get(c) or _SMALL.get(c)
        if forms is None:
            return ""
        form = forms[0] if not out or len(forms) == 1 else forms[1]
        if nxt in _Y_VOWEL and c not in "アイウエオ":
            lead = jamo(form)[0]
            vowel = jamo(_Y_VOWEL[nxt])[1]
            if lead in _J_LEADS:
                vowel = _PLAIN.get(vowel, vowel)
            form = syllable(lead, vowel, 0)
            i += 1
        out.append(form)
        prev_vowel = _VOWEL_NAMES.get(jamo(form)[1], "")
    return "".join(out)
