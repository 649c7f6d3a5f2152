"""Hangul syllables as their jamo: a syllable is U+AC00 + (lead * 21 + vowel) * 28 + tail."""

from __future__ import annotations

import re

FIRST = 0xAC00  # 가
VOWELS, TAILS = 21, 28
HANGUL_WORD = re.compile(r"^[가-힣]+$")

# Leads (initial consonants), by index.
LEAD_N, LEAD_D, LEAD_R, LEAD_IEUNG, LEAD_J = 2, 3, 5, 11, 12
# Vowels that begin with a y-glide or are i: ㅑ ㅕ ㅖ ㅛ ㅠ ㅣ (ㅖ is 7).
VOWEL_YE = 7
IOTIC_VOWELS = frozenset((2, 6, VOWEL_YE, 12, 17, 20))
# Tails (final consonants), by index: 0 is none.
TAIL_NONE, TAIL_N, TAIL_NG = 0, 4, 21


def is_hangul(word: str) -> bool:
    """Whether word is made of Hangul syllables only."""
    return bool(HANGUL_WORD.match(word))


def jamo(syllable: str) -> tuple[int, int, int]:
    """Return (lead, vowel, tail) indices of a Hangul syllable."""
    code = ord(syllable) - FIRST
    return code // (VOWELS * TAILS), (code // TAILS) % VOWELS, code % TAILS


def syllable(lead: int, vowel: int, tail: int) -> str:
    """Return the Hangul syllable of (lead, vowel, tail) indices."""
    return chr(FIRST + (lead * VOWELS + vowel) * TAILS + tail)
