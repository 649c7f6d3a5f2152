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


def load_models(korean: bool = True) -> None:
    """Load Sudachi's dictionary and, unless told there is no Korean text, Kiwi (~2 s,
    ~500 MB) now. Call it before forking workers: they then share the models copy-on-write
    instead of each loading its own."""
    from . import kiwi_backend, sudachi_backend

    sudachi_backend.dictionary()
    if korean:
        kiwi_backend.kiwi()


__all__ = [
    "KINDS",
    "LANGS",
    "MorphTokenizer",
    "analyzer",
    "load_models",
    "terms",
    "terms_function",
]
