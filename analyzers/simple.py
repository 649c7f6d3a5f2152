"""Comparison analyzers for `hanil eval --analyzer`: whitespace and CJK bigrams.

They show what the morphological analyzers gain; hanil never serves with them.
"""

from __future__ import annotations

import re
from collections import Counter

from .normalize import fold
from .script import HAS_CJK
from .term import LATIN, Term

_WORD = re.compile(r"\S+")
_RUN = re.compile(r"[^\W_]+")
_CJK_OR_NOT = re.compile(
    r"[\u1100-\u9fff\uac00-\ud7af\uf900-\ufaff]+|[^\u1100-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
)


def whitespace_terms(text: str, compounds: bool = True) -> list[Term]:
    """Words between spaces, NFKC-folded and lowercased (punctuation kept, like ES)."""
    folded = fold(text)
    out = [
        Term(m.group().lower(), m.start(), m.end(), "whitespace", False)
        for m in _WORD.finditer(folded.text)
    ]
    return folded.remap(out)


def bigram_terms(text: str, compounds: bool = True) -> list[Term]:
    """CJK runs as overlapping character bigrams, other words whole (Lucene's CJK analyzer)."""
    folded = fold(text)
    out = []
    for piece, start, cjk in _pieces(folded.text):
        if not cjk:
            out.append(Term(piece.lower(), start, start + len(piece), LATIN, False))
        elif len(piece) == 1:
            out.append(Term(piece, start, start + 1, "bigram", False))
        else:
            out.extend(
                Term(piece[i : i + 2], start + i, start + i + 2, "bigram", False)
                for i in range(len(piece) - 1)
            )
    return folded.remap(out)


# A bigram that starts with a hiragana (には, した, の東) is grammar or straddles a particle
# and the next word: over half of a Japanese article's bigrams, which the ranking signal does
# better without (docs/quality.md). One that ends in one (行わ, 高い) keeps a word's stem.
_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_HIRAGANA_CHARS = frozenset(map(chr, range(0x3041, 0x30A0)))


def ranking_gram(term: str) -> bool:
    """Whether a bigram term goes into the ranking signal (the grams field): CJK, not
    starting with a hiragana; Latin words are matched by the word fields."""
    return bool(HAS_CJK.search(term)) and not _HIRAGANA.match(term)


def ranking_gram_counts(text: str) -> dict[str, int]:
    """Return term -> frequency of the terms of bigram_terms(text) that ranking_gram keeps
    (the grams field's postings). The indexer runs this over every article: the CJK pieces
    are found in one regex pass and joined by a line break, and the pairs kept (neither
    across a break nor starting with a hiragana) found and counted in one more."""
    folded = fold(text).text
    if _CJK_TO_ONE_ONLY.search(folded):
        return dict(Counter(t.text for t in bigram_terms(text) if ranking_gram(t.text)))
    pieces = _CJK_PIECE.findall(folded)
    counts = Counter(_KEPT_PAIR.findall("\n".join(pieces)))
    for p in pieces:
        if len(p) == 1 and p not in _HIRAGANA_CHARS:  # a lone CJK letter is its own term
            counts[p] += 1
    return counts


# bigram_terms' CJK pieces (_pieces): letters and digits ([^\W_]) in _CJK_OR_NOT's ranges,
# written as the word characters outside the ranges' complement
_CJK_PIECE = re.compile(r"[^\W_\x00-\u10ff\ua000-\uabff\ud7b0-\uf8ff\ufb00-\U0010ffff]+")
# Letters in those ranges that ranking_gram does not count as CJK (Ethiopic, bopomofo), or
# the other way round (Han past U+FFFF, Hangul jamo extensions): seldom in news, and counted
# through bigram_terms itself. Without them every piece is CJK letters alone.
_CJK_TO_ONE_ONLY = re.compile(
    r"[\u1200-\u3004\u3008-\u303f\u3100-\u312f\u3190-\u31ef\u3200-\u33ff\u4dc0-\u4dff"
    r"\ua960-\ua97f\ud7b0-\ud7ff\uff66-\uff9f\U00020000-\U0003134f](?<=[^\W_])"
)
# Every pair of letters of a piece (overlapping: in a lookahead) but those ranking_gram drops
_KEPT_PAIR = re.compile("(?=([^\u3041-\u309f\n][^\n]))")


def _pieces(folded: str):
    """Yield (piece, start, is_cjk): the letter and digit runs of folded text, split where
    they change between CJK and other letters or digits."""
    for m in _RUN.finditer(folded):
        run, start = m.group(), m.start()
        if not HAS_CJK.search(run):
            yield run, start, False
            continue
        for piece in _CJK_OR_NOT.finditer(run):
            p = piece.group()
            yield p, start + piece.start(), bool(HAS_CJK.search(p))
