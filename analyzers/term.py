"""What an analysis gives for each word: the Term, and where it came from (its path)."""

from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    """A search term and where it stands in the text (offsets into the original text)."""

    text: str
    start: int
    end: int
    path: str  # which analysis made it (shown by `hanil analyze`)
    part: bool  # a compound's part or a reading: it shares the compound's position


# A Term made by tuple.__new__(Term, (...)) instead of Term(...): ~120 ns against ~280 ns,
# for the loops that make one per term occurrence (~10% of Japanese analysis time).
new = tuple.__new__

# Term.path values.
KIWI, KIWI_PART, KIWI_LEMMA = "kiwi", "kiwi:part", "kiwi:lemma"  # lemma: a verb's, 나서다
SUDACHI, SUDACHI_PART = "sudachi", "sudachi:A"
LATIN = "latin"
READING = "reading"  # the Korean form of a Japanese term, for cross-language search
