"""Cross-language keys: Sino-Korean readings of Han words, and place names across scripts.

Korean and Japanese share Sino-Xenic vocabulary: 人工知能 is 인공지능, 光州 is 광주, 広域
(廣域) is 광역. Japanese terms are indexed with their Hangul reading as an extra term marked
by XLANG_MARK, so a Korean query reaches Japanese text at a lower weight and a Japanese
query's Han words, read in Hangul, reach Korean text. Names written in kana (ソウル) take
their Korean form from the city gazetteer.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
PLACES = DATA / "places.tsv"  # the city gazetteer; indexer/gazetteer.py reads it too
XLANG_MARK = "~"  # prefix of a reading term: never produced by analysis of real text
_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]+$")
_KANA = re.compile(r"^[\u30a0-\u30ff\u3040-\u309f]+$")
_HANGUL = re.compile(r"^[가-힣]+$")

# Initial sound law (두음법칙): a word-initial ㄹ or ㄴ changes before some vowels
# (勞動 로동 -> 노동, 理論 리론 -> 이론, 女性 녀성 -> 여성).
_IOTIC = {2, 6, 7, 12, 17, 20}  # ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ
_NIEUN, _RIEUL, _IEUNG = 2, 5, 11
# The table reads a character alone; inside a word 率 is 률 (比率 비율), not 솔 (率先 솔선).
_INSIDE_WORD = {"率": "률"}


@cache
def _table() -> dict[str, str]:
    out = {}
    for line in (DATA / "hanja_readings.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, reading = line.split("\t")
            out[char] = reading
    return out


@cache
def _names() -> dict[str, str]:
    """Japanese place name (ソウル, 東京, クァンジュ) -> its Korean name, from the gazetteer."""
    ja_to_ko: dict[str, str] = {}
    for line in PLACES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        ko, ja, aliases = cols[3], cols[4], cols[6].split("|") if cols[6] else []
        for name in (ja, *aliases):
            if name and (_KANA.match(name) or _HAN_WORD.match(name)):
                ja_to_ko.setdefault(name, ko)
    return ja_to_ko


def _initial_sound_law(syllable: str) -> str:
    code = ord(syllable) - 0xAC00
    lead, vowel, tail = code // 588, (code % 588) // 28, code % 28
    if lead == _RIEUL:
        lead = _IEUNG if vowel in _IOTIC else _NIEUN
    elif lead == _NIEUN and vowel in _IOTIC and vowel != 7:
        lead = _IEUNG
    else:
        return syllable
    return chr(0xAC00 + lead * 588 + vowel * 28 + tail)


@lru_cache(maxsize=100_000)
def korean_forms(term: str) -> tuple[str, ...]:
    """Return the Korean forms of a Japanese term: the gazetteer's name for a place
    (東京 -> 도쿄, ソウル -> 서울) and the Sino-Korean reading of a Han word (東京 -> 동경,
    経済 -> 경제, 労働 -> 노동). Empty for anything else."""
    forms = []
    name = _names().get(term)
    if name:
        forms.append(name)
    if _HAN_WORD.match(term):
        reading = _reading(term)
        if reading and reading not in forms:
            forms.append(reading)
    return tuple(forms)


def _reading(term: str) -> str | None:
    table = _table()
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", term):
        if ch == "々" and out:
            out.append(out[-1])
            continue
        reading = _INSIDE_WORD.get(ch) if out else None
        reading = reading or table.get(ch)
        if reading is None:
            return None
        out.append(reading)
    out[0] = _initial_sound_law(out[0])
    for i in range(1, len(out)):
        out[i] = _after(out[i - 1], out[i])
    for i in range(len(out) - 1):
        if out[i] == "불" and _lead(out[i + 1]) in (3, 12):  # 不 before ㄷ ㅈ: 부동산, 부정
            out[i] = "부"
    return "".join(out)


def _lead(syllable: str) -> int:
    return (ord(syllable) - 0xAC00) // 588


def _after(prev: str, syllable: str) -> str:
    """렬 and 률 read 열 and 율 after a vowel or ㄴ (羅列 나열, 比率 비율, 規律 규율)."""
    if syllable in ("렬", "률") and (ord(prev) - 0xAC00) % 28 in (0, 4):
        return "열" if syllable == "렬" else "율"
    return syllable


@lru_cache(maxsize=200_000)
def korean_terms(term: str) -> tuple[str, ...]:
    """The index terms that carry a Japanese term into Korean: its Korean forms, marked
    (~광주 for 光州), and the sound key of a katakana word (#KMP for キャンプ).

    A one-character word gets none: queries never bridge a single syllable."""
    if len(term) < 2:
        return ()
    out = [XLANG_MARK + form for form in korean_forms(term)]
    key = sound_key(term)
    if key:
        out.append(key)
    return tuple(out)


def is_hangul(term: str) -> bool:
    return bool(_HANGUL.match(term))


# A sound key lets a loanword written in katakana meet its Hangul spelling (スノーボード and
# 스노보드 -> #SMPT): vowels dropped, consonants folded into classes both scripts keep apart
# (s/z/j/ch -> S, t/d -> T, p/b/f/v -> P, k/g -> K, r/l -> R), doubled ones merged, and
# n before p/b/m read as m (キャンプ kyanpu, 캠프 kaempeu).
KEY_MARK = "#"
_KATAKANA_CONSONANT = {}
for _row, _cls in (
    ("カキクケコガギグゲゴ", "K"),
    ("サシスセソザジズゼゾチヂツヅ", "S"),
    ("タテトダデド", "T"),
    ("ナニヌネノ", "N"),
    ("ハヒヘホ", "H"),
    ("フバビブベボパピプペポヴ", "P"),
    ("マミムメモ", "M"),
    ("ラリルレロ", "R"),
):
    for _ch in _row:
        _KATAKANA_CONSONANT[_ch] = _cls
_KATAKANA_CONSONANT["ン"] = "N"
_KATAKANA_CONSONANT["ァ"] = ""  # ファ -> f: the small vowel adds nothing
# Hangul initial (19) and final (28) consonants to the same classes.
# ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ(silent) ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
_INITIAL = ["K", "K", "N", "T", "T", "R", "M", "P", "P", "S", "S", "", "S", "S", "S", "K", "T",
            "P", "H"]  # fmt: skip
_FINAL = ["", "K", "K", "K", "N", "N", "N", "T", "R", "K", "M", "P", "R", "T", "P", "R",
          "M", "P", "P", "T", "T", "NK", "T", "T", "K", "T", "P", "T"]  # fmt: skip
_FINAL_NG = 21  # ㅇ
_KATAKANA_WORD = re.compile(r"^[\u30a1-\u30fa\u30fc]{2,}$")
MIN_KEY = 2  # a key of fewer consonants matches too many words


def _fold(classes: list[str]) -> str:
    classes = [c for c in classes if c]
    out: list[str] = []
    for i, c in enumerate(classes):
        if c == "N" and i + 1 < len(classes) and classes[i + 1] in ("P", "M"):
            c = "M"
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


@lru_cache(maxsize=100_000)
def sound_key(term: str, final_ng: str = "NK") -> str | None:
    """Return the sound key of a katakana or Hangul word, or None (too short, other script).

    final_ng is the class of a final ㅇ: loanwords write English -ng as ング (캠핑,
    キャンピング: NK), Korean names and words as ン alone (용섭, ヨンソプ: pass "N")."""
    classes: list[str] = []
    if _KATAKANA_WORD.match(term):
        classes = [_KATAKANA_CONSONANT.get(ch, "") for ch in term]
    elif _HANGUL.match(term) and len(term) >= 2:
        for ch in term:
            code = ord(ch) - 0xAC00
            classes.append(_INITIAL[code // 588])
            classes.extend(final_ng if code % 28 == _FINAL_NG else _FINAL[code % 28])
    key = _fold(classes)
    return KEY_MARK + key if len(key) >= MIN_KEY else None
