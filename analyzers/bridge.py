"""The bridge between Korean and Japanese: what a term is in the other language.

Index side: a Japanese term is indexed with the terms that carry it into Korean, at its
own position (光州 -> ~광주, キャンプ -> #KMP); a Korean proper noun with the sound key a
Japanese katakana spelling of it shares (이재명 -> %SMN, for イ・ジェミョン).
Query side: a query word names the index terms that hold it in the other language, each
with its kind, which ranking weighs (search_app/search/ranking.py): a Korean word matches
Japanese readings and sound keys, a Japanese word the Korean forms of Korean text.

The keys themselves (reading table, place names, sound keys) are in readings.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .hangul import is_hangul
from .kana_hangul import to_hangul
from .readings import korean_forms, latin_sound_key, sound_key

MARK = "~"  # prefix of a reading term: never produced by analysis of real text
# Prefix of a Korean name's sound key: apart from the keys of Japanese text (#), so that a
# katakana query word meets Korean names only, never other katakana words.
NAME_MARK = "%"

# Kinds of variant, strongest first.
FORM = "form"  # a Japanese word's Korean form (光州 -> 광주)
READING = "reading"  # a Korean word as a Japanese term's reading (광주 -> ~광주)
SOUND = "sound"  # a loanword's sound key (캠프 -> #KMP)
AFFIX = "affix"  # the Sino-Korean core of a longer Korean word (운전자 -> ~운전)


class Variant(NamedTuple):
    term: str  # the index term
    kind: str


@lru_cache(maxsize=200_000)
def index_terms(term: str, name_reading: str = "", person: bool = False) -> tuple[str, ...]:
    """The index terms that carry a Japanese term into Korean: its Korean forms, marked
    (~광주 for 光州), and the sound key of a katakana word (#KMP for キャンプ) or of the
    Japanese reading of a name written in kanji (本田 ホンダ #HNT, as Korean writes it
    혼다: Japanese names cross by sound, not by their characters' Korean readings).

    A name (a term of two characters or more with name_reading, its reading in katakana) is
    also spelled as Korean writes Japanese names (井上 イノウエ -> ~이노우에, 宮城 -> ~미야기,
    kana_hangul.py), with and without its long vowels (ゴウリキ: 고리키, 고우리키): a Korean
    query word then meets it as written, as vowel-heavy names (マオ, アヤメ) have no sound
    key. A person's name gets no Korean reading of its characters: Korean writes 士郎 as
    시로, never 사랑 ("love"), so that reading would only meet words by chance. A
    one-character word gets none: queries never bridge a single syllable."""
    if len(term) < 2 and not name_reading:
        return ()
    out = [MARK + form for form in korean_forms(term)] if len(term) >= 2 and not person else []
    if name_reading and len(term) >= 2:
        for spelled in (to_hangul(name_reading), to_hangul(name_reading, long_vowels=True)):
            if len(spelled) >= 2 and MARK + spelled not in out:
                out.append(MARK + spelled)
    for key in (sound_key(term), sound_key(name_reading) if name_reading else None):
        if key and key not in out:
            out.append(key)
    return tuple(out)


@lru_cache(maxsize=200_000)
def korean_name_terms(name: str) -> tuple[str, ...]:
    """The index terms that carry a Korean proper noun into Japanese: the sound keys a
    katakana spelling of it shares (이재명 and ジェミョン's イ・ジェミョン; 삼성 and サムスン),
    a final ㅇ keyed as n and as ng."""
    keys = dict.fromkeys((sound_key(name, final_ng="N"), sound_key(name)))
    return tuple(NAME_MARK + k[1:] for k in keys if k)


def query_variants(word: str, lemma: bool = False, parts: tuple[str, ...] = ()) -> list[Variant]:
    """The index terms that hold a query word in the other language: a Korean word as a
    Japanese term's reading (~광주 for 光州), a katakana word's sound key (#KMP for 캠프)
    and the readings of its Sino-Korean core; a Japanese word's Korean forms (光州 -> 광주);
    an English word's sound key as katakana spells it (plasma -> #PRSM, プラズマ).

    A Japanese compound of Han words (parts: its words, 特別 + 検察) also matches the
    Korean abbreviation of its reading, the first syllable of each word (특검, as 대선 is
    大統領選挙 and 노조 労働組合), weighed as a core. A verb's or adjective's lemma
    (lemma=True: 바꾸다, 하다) gets neither a sound key nor a core: loanwords and Sino-Korean
    compounds are nouns, and the consonants of a native verb meet some katakana word by
    chance (바꾸다 ~ ボイコット)."""
    if len(word) < 2:  # one syllable or character reads as too many words
        return []
    if not is_hangul(word):
        latin = latin_sound_key(word)  # an English word: the katakana words that sound like it
        if latin:
            return [Variant(latin, SOUND)]
        out = [Variant(form, FORM) for form in korean_forms(word)]
        # A katakana word: the Korean names that sound like it. Japanese writes Korean
        # hw (화 hwa, 환 hwan) as f (ファ, ファン), a loanword's f as Korean writes p: a name's
        # f is also keyed as h (イ・ファヨン, 이화영).
        hw = _F_ROW.sub("ホ", word)
        for key in dict.fromkeys((sound_key(word), sound_key(hw) if hw != word else None)):
            if key:
                out.append(Variant(NAME_MARK + key[1:], SOUND))
        abbreviation = _abbreviation(parts)
        if abbreviation and all(v.term != abbreviation for v in out):
            out.append(Variant(abbreviation, AFFIX))
        for part in parts:  # サッカー協会: 협회 (축구협회), as a Korean word's core
            for form in korean_forms(part) if len(part) >= 2 else ():
                if all(v.term != form for v in out):
                    out.append(Variant(form, AFFIX))
        return out
    out = [Variant(MARK + word, READING)]
    keys = () if lemma else (sound_key(word), sound_key(word, final_ng="N"))
    for key in dict.fromkeys(keys):
        if key:
            out.append(Variant(key, SOUND))
    if lemma:
        return out
    return out + [Variant(MARK + a, AFFIX) for a in _affixes(word)]


_F_ROW = re.compile("フ(?=[ァィェォ])")  # fa, fi, fe, fo


def _abbreviation(parts: tuple[str, ...]) -> str:
    """The first syllable of each part's Sino-Korean reading (特別 + 検察 -> 특검), when
    every part is a Han word of two characters or more; else ""."""
    if len(parts) < 2:
        return ""
    out = []
    for part in parts:
        forms = korean_forms(part) if len(part) >= 2 else ()
        reading = next((f for f in forms if len(f) == len(part)), "")
        if not reading:
            return ""
        out.append(reading[0])
    return "".join(out)


def _affixes(word: str) -> list[str]:
    """The leading and trailing parts (two syllables or more) of a Korean word of three or
    more: a Sino-Korean compound often adds a morpheme to the word Japanese uses alone
    (운전자 driver ~ 運転手, 인내심 ~ 忍耐, 귀국길 ~ 帰国), which Kiwi rarely splits off."""
    out: list[str] = []
    for k in range(2, len(word)):
        for affix in (word[:k], word[-k:]):
            if affix not in out:
                out.append(affix)
    return out
