"""Second pass over the best first-pass matches: query words early in the body count more.

A news article says in its first lines what its headline says (the inverted pyramid), and
a passage names its subject early; BM25 ignores where a word stands. So each query term an
article holds adds idf * exp(-p / LEAD_TOKENS) to its score, p the term's first position in
the body, times LEAD_WEIGHT. Positions come from the postings, read for the top
RESCORE_WINDOW documents only (Elasticsearch's rescore works the same way), so the cost
does not grow with the number of matches. Measured on the dev sets in docs/quality.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .engine import holding

LEAD_WEIGHT = 2.0
LEAD_TOKENS = 100  # a term at this position earns 1/e of the bonus of one at the start
RESCORE_WINDOW = 100


@dataclass
class Ranked:
    docnum: int
    score: float


def lead_bonus(s, docnums: list[int], terms: dict[str, float]) -> dict[int, float]:
    """Return docnum -> bonus for the query terms (term -> weight) found in each body."""
    reader = s.reader()
    bonus = dict.fromkeys(docnums, 0.0)
    for term, weight in terms.items():
        scale = None
        for d, m in holding(reader, "body", term, docnums):
            if scale is None:
                scale = weight * s.idf("body", term)
            bonus[d] += scale * math.exp(-m.value_as("positions")[0] / LEAD_TOKENS)
    return bonus


def rescore(s, first_pass, terms: dict[str, float], limit: int) -> list[Ranked]:
    """Add the lead bonus to the first pass's (docnum, score) pairs; best `limit` first."""
    hits = [Ranked(d, sc) for d, sc in first_pass]
    if terms and hits:
        bonus = lead_bonus(s, [h.docnum for h in hits], terms)
        for h in hits:
            h.score += LEAD_WEIGHT * bonus[h.docnum]
    hits.sort(key=lambda h: -h.score)  # stable: ties keep the first pass's order
    return hits[:limit]
