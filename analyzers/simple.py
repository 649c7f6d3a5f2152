"""Comparison analyzers for `hanil eval --analyzer`: whitespace and CJK bigrams.

They show what the morphological analyzers gain; hanil never serves with them.
"""

from __future__ import annotations

import re
from collections import Counter
from operator import add

from .normalize import fold
from .script import ALL_CJK, HAS_CJK
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
    (the grams field's postings), counted without a tuple per bigram and without the Latin
    words it drops: the indexer runs this over every article."""
    counts: Counter = Counter()
    only_cjk = True  # every piece of CJK letters alone: ranking_gram is then its first test
    for piece, _start, cjk in _pieces(fold(text).text):
        if not cjk:
            continue
        only_cjk = only_cjk and bool(ALL_CJK.fullmatch(piece))
        if len(piece) == 1:
            counts[piece] += 1
        else:
            counts.update(map(add, piece, piece[1:]))  # each character and the next
    if not only_cjk:
        return {term: n for term, n in counts.items() if ranking_gram(term)}
    return {term: n for term, n in counts.items() if term[0] not in _HIRAGANA_CHARS}


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
