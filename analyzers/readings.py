"""The keys the bridge (bridge.py) is built from: Sino-Korean readings of Han words, place
names across scripts, and sound keys of loanwords.

Korean and Japanese share Sino-Xenic vocabulary: 人工知能 is 인공지능, 光州 is 광주, 広域
(廣域) is 광역. Names written in kana (ソウル) take their Korean form from the city
gazetteer; loanwords written in katakana and Hangul share a sound key (キャンプ, 캠프).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from . import hangul
from .places import place_rows

DATA = Path(__file__).parent / "data"
_HAN_WORD = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]+$")
_KANA = re.compile(r"^[\u30a0-\u30ff\u3040-\u309f]+$")

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
    for row in place_rows():
        if row.kind == "gu":  # a ward's bare name is a common word (港 port, 中央 centre)
            ja_to_ko.setdefault(row.ja + "区", row.ko + "구")
            continue
        for name in (row.ja, *row.aliases):
            if name and (_KANA.match(name) or _HAN_WORD.match(name)):
                ja_to_ko.setdefault(name, row.ko)
    return ja_to_ko


@cache
def _sino_syllables() -> frozenset[str]:
    """The syllables Han characters read as in Korean (five characters or more: 터 and 카
    are each a rare character's reading), before and after the initial sound law (로, 노)."""
    counts: dict[str, int] = {}
    for reading in _table().values():
        counts[reading] = counts.get(reading, 0) + 1
    readings = {r for r, n in counts.items() if n >= 5}
    return frozenset(readings | {_initial_sound_law(r) for r in readings})


@lru_cache(maxsize=100_000)  # asked for every common noun Kiwi finds
def foreign_looking(word: str) -> bool:
    """Whether a Korean noun has two syllables or more that no Han character reads as
    (스마트시티, 카메라, 센터): a loanword, which Japanese writes in katakana. One such
    syllable is as often a native word (바다, 그림, 나머지)."""
    sino = _sino_syllables()
    return hangul.is_hangul(word) and sum(ch not in sino for ch in word) >= 2


@cache
def _words() -> dict[str, str]:
    """Japanese word -> the Korean word for it where no reading joins them (ドイツ -> 독일,
    北朝鮮 -> 북한), from data/words.tsv (generated from CLDR by make_words.py)."""
    out: dict[str, str] = {}
    for line in (DATA / "words.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            ja, ko, _source = line.split("\t")
            out[ja] = ko
    return out


def _initial_sound_law(syllable: str) -> str:
    """A word-initial ㄹ or ㄴ changes before some vowels (두음법칙: 勞動 로동 -> 노동,
    理論 리론 -> 이론, 女性 녀성 -> 여성)."""
    lead, vowel, tail = hangul.jamo(syllable)
    if lead == hangul.LEAD_R:
        lead = hangul.LEAD_IEUNG if vowel in hangul.IOTIC_VOWELS else hangul.LEAD_N
    elif lead == hangul.LEAD_N and vowel in hangul.IOTIC_VOWELS and vowel != hangul.VOWEL_YE:
        lead = hangul.LEAD_IEUNG
    else:
        return syllable
    return hangul.syllable(lead, vowel, tail)


@lru_cache(maxsize=100_000)
def korean_forms(term: str) -> tuple[str, ...]:
    """Return the Korean forms of a Japanese term: the gazetteer's name for a place
    (東京 -> 도쿄, ソウル -> 서울), the word list's word (ドイツ -> 독일) and the
    Sino-Korean reading of a Han word (東京 -> 동경, 経済 -> 경제, 労働 -> 노동). Empty for
    anything else."""
    forms = []
    for table in (_names(), _words()):
        word = table.get(term)
        if word and word not in forms:
            forms.append(word)
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
    for i in range(len(out) - 1):  # 不 before ㄷ ㅈ: 부동산, 부정
        if out[i] == "불" and hangul.jamo(out[i + 1])[0] in (hangul.LEAD_D, hangul.LEAD_J):
            out[i] = "부"
    return "".join(out)


def _after(prev: str, syllable: str) -> str:
    """렬 and 률 read 열 and 율 after a vowel or ㄴ (羅列 나열, 比率 비율, 規律 규율)."""
    if syllable in ("렬", "률") and hangul.jamo(prev)[2] in (hangul.TAIL_NONE, hangul.TAIL_N):
        return "열" if syllable == "렬" else "율"
    return syllable


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
    elif hangul.is_hangul(term) and len(term) >= 2:
        for ch in term:
            lead, _vowel, tail = hangul.jamo(ch)
            classes.append(_INITIAL[lead])
            classes.extend(final_ng if tail == hangul.TAIL_NG else _FINAL[tail])
    key = _fold(classes)
    return KEY_MARK + key if len(key) >= MIN_KEY else None


# English spelling to the same classes, for a Latin query word that Japanese writes in
# katakana (national ナショナル, plasma プラズマ): letters and digraphs by their usual sound;
# an r that ends a syllable is not pronounced in the English Japanese borrows from (number
# ナンバー); "ti" before a vowel is sh (nation ネーション).
_LATIN_DIGRAPHS = (
    ("tio", "S"), ("tia", "S"), ("sh", "S"), ("ch", "S"), ("th", "S"), ("ph", "P"),
    ("ck", "K"), ("qu", "K"), ("ng", "NK"), ("gh", ""), ("wh", ""),
)  # fmt: skip
_LATIN_LETTER = {
    **dict.fromkeys("bpfv", "P"), **dict.fromkeys("kgq", "K"), **dict.fromkeys("dt", "T"),
    **dict.fromkeys("sjz", "S"), "x": "KS", "l": "R", "r": "R", "m": "M", "n": "N", "h": "H",
}  # fmt: skip
_VOWELS = set("aeiouy")
MIN_LATIN_KEY = 3  # Latin spelling is a rougher guide to sound: a longer key is asked


@lru_cache(maxsize=20_000)
def latin_sound_key(word: str) -> str | None:
    """The sound key of an English word as Japanese would write it in katakana, or None."""
    w = word.lower()
    if not w.isascii() or not w.isalpha():
        return None
    classes: list[str] = []
    i = 0
    while i < len(w):
        pair = next((c for d, c in _LATIN_DIGRAPHS if w.startswith(d, i)), None)
        if pair is not None:
            classes.append(pair)
            i += 2
            continue
        ch = w[i]
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if ch == "c":
            classes.append("S" if nxt in ("e", "i", "y") else "K")
        elif ch == "n" and nxt in ("b", "p", "m"):
            classes.append("M")  # as ン before バ, パ, マ (camp キャンプ)
        elif ch == "r" and nxt not in _VOWELS:
            pass  # a non-rhotic r (number, world)
        elif ch not in _VOWELS and ch != "w":
            classes.append(_LATIN_LETTER.get(ch, ""))
        i += 1
    # Merged only where doubled (the vowels between are gone; n before b/p/m is done above).
    key = "".join(c for i, c in enumerate(classes) if c and (i == 0 or classes[i - 1] != c))
    return KEY_MARK + key if len(key) >= MIN_LATIN_KEY else None
