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

- Coverage across languages: an article in the other language than the query's is
  multiplied by share ** COVER_EXPONENT, share the part of the query's terms it holds in
  either language. A match in the query's own language is reliable term by term; a bridge
  also meets words by chance (a homophone reading, a sound key), so an article found
  across languages is worth what it covers of the query (Lucene's classic coordination
  factor, here for cross-language matches only: applied to every article it cost the
  one-language sets up to 0.027 MRR@10).

Measured on the dev sets in docs/quality.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

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
    wanted = engine.wanted(docnums)
    return {
        term: {d: decode(v) for d, v in engine.values_at("body", term, wanted).items()}
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


def near_bonus(
    idf, positions, words: list[list[str]], across: dict[str, str] | None = None, weights=None
) -> dict[int, float]:
    """Return docnum -> proximity bonus in each body of the query's adjacent terms (words:
    each word's terms, in query order), but for pairs inside a run. Terms the index lacks
    are skipped; one the window's documents lack pairs with nothing.

    A term stands where it or one of its forms in the other language stands (across:
    index term -> the query term it reads; weights: index term -> its weight, 1 if absent):
    a translation keeps words that go together close, and Korean and Japanese share their
    word order. A pair earns the smaller of its two terms' weight x idf in that body."""
    forms = _forms(across)
    order: list[tuple[str, int]] = []  # (term, word index), each term once, in query order
    seen = set()
    for i, word in enumerate(words):
        for term in word:
            if term not in seen and any(t in positions for t in (term, *forms.get(term, ()))):
                seen.add(term)
                order.append((term, i))
    slots = {term: _slot(idf, positions, term, forms.get(term, ()), weights) for term, _ in order}
    bonus: dict[int, float] = {}
    for (a, wa), (b, wb) in pairwise(order):
        if wa == wb and len(words[wa]) >= RUN_TERMS:
            continue
        held_b = slots[b]
        for d, (pa, scale_a) in slots[a].items():
            found = held_b.get(d)
            if found is not None:
                pb, scale_b = found
                gap = _least_gap(pa, pb)
                bonus[d] = bonus.get(d, 0.0) + min(scale_a, scale_b) * math.exp(
                    -max(gap - 1, 0) / NEAR_TOKENS
                )
    return bonus


def _slot(idf, positions, term: str, forms, weights) -> dict[int, tuple[list[int], float]]:
    """docnum -> (where term or its forms stand in the body, the best weight x idf held)."""
    held = [t for t in (term, *forms) if t in positions]
    if held == [term]:  # the common case: the term alone
        scale = idf("body", term)
        return {d: (pos, scale) for d, pos in positions[term].items()}
    out: dict[int, tuple[list[int], float]] = {}
    for t in held:
        scale = (1.0 if t == term else (weights or {}).get(t, 1.0)) * idf("body", t)
        for d, pos in positions[t].items():
            if d in out:
                merged = sorted(set(out[d][0]) | set(pos))
                out[d] = (merged, max(out[d][1], scale))
            else:
                out[d] = (pos, scale)
    return out


def _forms(across: dict[str, str] | None) -> dict[str, list[str]]:
    """query term -> the index terms that hold it in the other language."""
    forms: dict[str, list[str]] = {}
    for variant, term in (across or {}).items():
        forms.setdefault(term, []).append(variant)
    return forms


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


def coverage(engine, docnums: list[int], terms: list[str], across: dict[str, str]):
    """Return docnum -> how many of the query terms each document holds, in its title or
    body, as written or in one of its forms in the other language (across: index term ->
    the query term it reads); from the terms' postings (at hand from the first pass)."""
    forms = _forms(across)
    window = np.asarray(sorted(set(docnums)), np.int64)
    held = np.zeros(len(window), np.int64)
    for term in terms:
        found = np.zeros(len(window), bool)
        for t in (term, *forms.get(term, ())):
            for fieldname in ("title", "body"):
                found |= engine.holds(fieldname, t, window)
        held += found
    return dict(zip(window.tolist(), held.tolist(), strict=True))


def rescore(
    engine,
    first_pass,
    terms: dict[str, float],
    words: list[list[str]],
    limit: int,
    across: dict[str, str] | None = None,
    other_language=None,
):
    """Add the lead and proximity bonuses to the first pass's (docnum, score) pairs for the
    query terms (term -> weight) and words (across: an index term in the other language ->
    the query term it reads), and scale the articles in the other language (other_language:
    a boolean per docnum, or None) by their coverage; return the best `limit` as Ranked."""
    hits = [Ranked(d, sc) for d, sc in first_pass]
    if terms and hits:
        positions = body_positions(engine, [h.docnum for h in hits], terms)
        lead = lead_bonus(engine.idf, positions, terms)
        near = near_bonus(engine.idf, positions, words, across, terms)
        for h in hits:
            h.score += ranking.LEAD_WEIGHT * lead.get(
                h.docnum, 0.0
            ) + ranking.NEAR_WEIGHT * near.get(h.docnum, 0.0)
        query_terms = list(dict.fromkeys(t for word in words for t in word))
        crossed = [h for h in hits if other_language is not None and other_language[h.docnum]]
        if across and crossed and len(query_terms) >= ranking.COVER_MIN_TERMS:
            held = coverage(engine, [h.docnum for h in crossed], query_terms, across)
            for h in crossed:
                h.score *= (held[h.docnum] / len(query_terms)) ** ranking.COVER_EXPONENT
    hits.sort(key=lambda h: -h.score)  # stable: ties keep the first pass's order
    return hits[:limit]
