"""Whoosh analyzers for Korean (Kiwi), Japanese (Sudachi) and mixed text.

Importing this package loads no model: Kiwi and Sudachi load on first use.
"""

from whoosh.analysis.analyzers import CompositeAnalyzer

from .tokenizer import MorphTokenizer, terms, terms_function

LANGS = ("auto", "ko", "ja")
KINDS = ("morph", "whitespace", "bigram")


def analyzer(lang: str = "auto", kind: str = "morph") -> CompositeAnalyzer:
    """Return the analyzer for lang: "auto" (mixed text), "ko" or "ja".

    kind "whitespace" or "bigram" gives a comparison analyzer for `hanil eval`.
    """
    return CompositeAnalyzer(MorphTokenizer(lang, kind))


__all__ = ["KINDS", "LANGS", "MorphTokenizer", "analyzer", "terms", "terms_function"]
