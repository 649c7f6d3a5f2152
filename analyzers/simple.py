"""Comparison analyzers for `hanil eval --analyzer`: whitespace and CJK bigrams.

They show what the morphological analyzers gain; hanil never serves with them.
"""

from __future__ import annotations

import re

from .normalize import fold
from .script import HAS_CJK

_WORD = re.compile(r"\S+")
_RUN = re.compile(r"[^\W_]+")
_CJK_OR_NOT = re.compile(
    r"[\u1100-\u9fff\uac00-\ud7af\uf900-\ufaff]+|[^\u1100-\u9fff\uac00-\ud7af\uf900-\ufaff]+"
)


def whitespace_terms(text: str, compounds: bool = True) -> list[tuple]:
    """Words between spaces, NFKC-folded and lowercased (punctuation kept, like ES)."""
    folded = fold(text)
    out = [
        (m.group().lower(), m.start(), m.end(), "whitespace", False)
        for m in _WORD.finditer(folded.text)
    ]
    return folded.remap(out)


def bigram_terms(text: str, compounds: bool = True) -> list[tuple]:
    """CJK runs as overlapping character bigrams, other words whole (Lucene's CJK analyzer)."""
    folded = fold(text)
    out = []
    for m in _RUN.finditer(folded.text):
        run, start = m.group(), m.start()
        if not HAS_CJK.search(run):
            out.append((run.lower(), start, m.end(), "latin", False))
            continue
        # Split the run where it changes between CJK and other letters or digits.
        for piece in _CJK_OR_NOT.finditer(run):
            p, ps = piece.group(), start + piece.start()
            if not HAS_CJK.search(p):
                out.append((p.lower(), ps, ps + len(p), "latin", False))
            elif len(p) == 1:
                out.append((p, ps, ps + 1, "bigram", False))
            else:
                out.extend(
                    (p[i : i + 2], ps + i, ps + i + 2, "bigram", False) for i in range(len(p) - 1)
                )
    return folded.remap(out)
