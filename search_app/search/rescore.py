"""Second pass over the best first-pass matches: where the query words stand in the body.

BM25 ignores where a word stands. Two signals are added, read from the body's positions
for the top RESCORE_WINDOW documents only (Elasticsearch's rescore works the same way), so
the cost does not grow with the number of matches:

- Lead: a news article says in its first lines what its headline says (the inverted
  pyramid), and a passage names its subject early. Each query term an article holds adds
  LEAD_WEIGHT * weight * idf * exp(-p / LEAD_TOKENS), p the term's first position.
- Proximity: query terms next to each other that also stand close in the body are more
  likely about one thing there (the sequential dependence model's window). Each adjacent
  pair adds NEAR_WEIGHT * min(idf) * exp(-(d - 1) / NEAR_TOKENS), d the least distance
  between the two in the body. Pairs inside a run (a space-less word of RUN_TERMS terms or
  more: a Japanese headline or sentence) are left out: there, neighbours are mostly the
  parts of fixed expressions, and counting them rewarded any article that quotes them
  (ja-livedoor headlines: -0.04 MRR@10).

Measured on the dev sets in docs/quality.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from . import ranking
from .ranking import LEAD_TOKENS, NEAR_TOKENS, RUN_TERMS


@dataclass
class Ranked:
    docnum: int
    score: float


def body_positions(engine, docnums: list[int], terms) -> dict[str, dict[int, list[int]]]:
    """Return term -> docnum -> the term's positions in the body, for the documents of
    docnums that hold it; terms the index's bodies lack are left out."""
    decode = engine.s.schema["body"].format.decode_positions
    return {
        term: {d: decode(v) for d, v in engine.values_at("body", term, docnums).items()}
        for term in terms
        if engine.doc_frequency("body", term)
    }


def lead_bonus(idf, positions, terms: dict[str, float]) -> dict[int, float]:
    """Return docnum -> lead bonus of the query terms (term -> weight) in each body."""
    bonus: dict[int, float] = {}
    for term, weight in terms.items():
        held = positions.get(term)
        if held:
            scale = weight * idf("body", term)
            for d, pos in held.items():
                bonus[d] = bonus.get(d, 0.0) + scale * math.exp(-pos[0] / LEAD_TOKENS)
    return bonus


def near_bonus(idf, positions, words: list[list[str]]) -> dict[int, float]:
    """Return docnum -> proximity bonus in each body of the query's adjacent terms (words:
    each word's terms, in query order), but for pairs inside a run. Terms the index lacks
    are skipped; one the window's documents lack pairs with nothing."""
    order: list[tuple[str, int]] = []  # (term, word index), each term once, in query order
    seen = set()
    for i, word in enumerate(words):
        for term in word:
            if term in positions and term not in seen:
                seen.add(term)
                order.append((term, i))
    bonus: dict[int, float] = {}
    for (a, wa), (b, wb) in pairwise(order):
        if wa == wb and len(words[wa]) >= RUN_TERMS:
            continue
        scale = min(idf("body", a), idf("body", b))
        held_b = positions[b]
        for d, pa in positions[a].items():
            pb = held_b.get(d)
            if pb is not None:
                gap = _least_gap(pa, pb)
                bonus[d] = bonus.get(d, 0.0) + scale * math.exp(-max(gap - 1, 0) / NEAR_TOKENS)
    return bonus


def _least_gap(a: list[int], b: list[int]) -> int:
    """The least |x - y| for x in a, y in b (both sorted)."""
    i = j = 0
    best = abs(a[0] - b[0])
    while i < len(a) and j < len(b):
        gap = a[i] - b[j]
        if gap < 0:
            best = min(best, -gap)
            i += 1
        else:
            best = min(best, gap)
            j += 1
    return best


def rescore(engine, first_pass, terms: dict[str, float], words: list[list[str]], limit: int):
    """Add the lead and proximity bonuses to the first pass's (docnum, score) pairs for the
    query terms (term -> weight) and words; return the best `limit` as Ranked."""
    hits = [Ranked(d, sc) for d, sc in first_pass]
    if terms and hits:
        positions = body_positions(engine, [h.docnum for h in hits], terms)
        lead = lead_bonus(engine.idf, positions, terms)
        near = near_bonus(engine.idf, positions, words)
        for h in hits:
            h.score += ranking.LEAD_WEIGHT * lead.get(
                h.docnum, 0.0
            ) + ranking.NEAR_WEIGHT * near.get(h.docnum, 0.0)
    hits.sort(key=lambda h: -h.score)  # stable: ties keep the first pass's order
    return hits[:limit]
