"""Split folded text into Korean and Japanese regions and Latin/digit words."""

from __future__ import annotations

import re
from typing import NamedTuple

_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff"
_KANA = "\u3040-\u309f\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"
_HAN = "\u3005-\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

_RUNS = re.compile(f"(?P<ko>[{_HANGUL}]+)|(?P<kana>[{_KANA}]+)|(?P<han>[{_HAN}]+)")
# Letters of any alphabet but the CJK ones, and digits, as separate words: "CES2024" -> ces, 2024.
LATIN_WORD = re.compile(f"[^\\W\\d_{_HANGUL}{_KANA}{_HAN}]+|\\d+")
HAS_HANGUL = re.compile(f"[{_HANGUL}]")
_KANA_CHAR = re.compile(f"[{_KANA}]")
_JA_CHAR = re.compile(f"[{_KANA}{_HAN}]")
HAS_CJK = re.compile(f"[{_HANGUL}{_KANA}{_HAN}]")

KO, JA = "ko", "ja"


class Region(NamedTuple):
    lang: str
    start: int
    end: int


def guess_language(text: str) -> str:
    """Guess whether text is mostly Korean or Japanese (kanji-only text counts as Japanese)."""
    hangul = len(HAS_HANGUL.findall(text))
    kana = len(_KANA_CHAR.findall(text))
    return KO if hangul > kana else JA


def written_in(text: str) -> str | None:
    """KO for text in Hangul without kana or Han characters, JA for kana or Han without
    Hangul, else None (Latin and digits alone, or both scripts)."""
    korean, japanese = HAS_HANGUL.search(text), _JA_CHAR.search(text)
    if korean and not japanese:
        return KO
    if japanese and not korean:
        return JA
    return None


def regions(text: str, lang: str = "auto") -> list[Region]:
    """Cut text into maximal runs handled by one analyzer, in order.

    Hangul goes to Korean and kana to Japanese; a kanji run sticks to the script it touches
    (美대통령 is Korean, 東京に is Japanese) and otherwise follows the document's language.
    Text between two runs of the same language stays in their region, for context.
    """
    if lang == "auto":
        if not HAS_HANGUL.search(text):
            lang = JA
        elif not _JA_CHAR.search(text):
            lang = KO
    if lang in (KO, JA):
        first = HAS_CJK.search(text)
        if not first:
            return []
        last = HAS_CJK.search(text[::-1])
        return [Region(lang, first.start(), len(text) - last.start())]
    runs = [[m.lastgroup, m.start(), m.end()] for m in _RUNS.finditer(text)]
    doc_lang = None
    for i, run in enumerate(runs):
        kind = run[0]
        if kind == "ko":
            run[0] = KO
        elif kind == "kana":
            run[0] = JA
        else:
            prev_touch = i > 0 and runs[i - 1][2] == run[1] and runs[i - 1][0]
            next_touch = i + 1 < len(runs) and runs[i + 1][1] == run[2] and runs[i + 1][0]
            if prev_touch in ("kana", JA) or next_touch == "kana":
                run[0] = JA
            elif prev_touch in ("ko", KO) or next_touch == "ko":
                run[0] = KO
            else:
                doc_lang = doc_lang or guess_language(text)
                run[0] = doc_lang
    out: list[Region] = []
    for kind, start, end in runs:
        if out and out[-1].lang == kind:
            out[-1] = Region(kind, out[-1].start, end)
        else:
            out.append(Region(kind, start, end))
    return out
