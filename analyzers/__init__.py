"""Whoosh analyzers for Korean (Kiwi), Japanese (Sudachi) and mixed text.

Importing this package loads no model: Kiwi and Sudachi load on first use.
"""

from whoosh.analysis.analyzers import CompositeAnalyzer

from .tokenizer import MorphTokenizer, terms

LANGS = ("auto", "ko", "ja")


def analyzer(lang: str = "auto") -> CompositeAnalyzer:
    """Return the analyzer for lang: "auto" (mixed text), "ko" or "ja"."""
    return CompositeAnalyzer(MorphTokenizer(lang))


__all__ = ["LANGS", "MorphTokenizer", "analyzer", "terms"]
