"""Turn what a person types into a Whoosh query: words, "phrases", -exclusions, OR, title:.

Every word goes through the same analyzer as the index. A word that analyzes to several
terms (인공지능 -> 인공 + 지능, 光州の人工知能 -> 光州, 人工知能) needs all of them, and
documents where they stand as the exact phrase score higher. A compound also matches its
parts (광주광역시장 -> 광주광역시장, or 광주 and 광역시). Syntax that does not parse (an
odd quote, a lone -) is read as plain words; nothing here raises on user input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from analyzers import terms_function
from analyzers.script import HAS_CJK
from analyzers.simple import bigram_terms

FIELDS = ("title", "body")
_CLAUSE = re.compile(r'(?P<neg>-?)(?:(?P<field>title|body):)?(?:"(?P<phrase>[^"]*)"|(?P<word>\S+))')
PHRASE_BOOST = 1.5  # weight of the exact-phrase bonus of a multi-term word
PARTS_BOOST = 0.7  # a compound found only through its parts counts for less
GRAMS_BOOST = 0.5  # weight of the character-bigram field against the word fields
# In a query of three words or more, a word in more than this share of the articles (있다,
# 하다, 有る, 言う) does not narrow the all-words search, it only adds to the score, like
# Lucene's "common terms" cutoff.
COMMON_CUTOFF = 0.05
COMMON_MIN_TERMS = 3


@dataclass
class Clause:
    text: str
    phrase: bool = False
    field: str | None = None
    negate: bool = False
    or_prev: bool = False


@dataclass
class ParsedQuery:
    """The Whoosh query (None: no positive words), its any-term fallback, matched terms."""

    query: wq.Query | None
    fallback: wq.Query | None
    terms: set[tuple[str, str]] = field(default_factory=set)  # (field, term) to highlight


def parse(text: str) -> list[Clause]:
    """Split a query string into clauses; unparseable syntax becomes plain words."""
    if text.count('"') % 2:
        text = text.replace('"', " ")
    clauses: list[Clause] = []
    or_next = False
    for m in _CLAUSE.finditer(text):
        if m.group("word") == "OR" and not m.group("neg") and not m.group("field"):
            or_next = bool(clauses)
            continue
        body = m.group("phrase") if m.group("phrase") is not None else m.group("word")
        if not body or not body.strip("-"):
            continue
        clauses.append(
            Clause(
                text=body,
                phrase=m.group("phrase") is not None,
                field=m.group("field"),
                negate=bool(m.group("neg")),
                or_prev=or_next,
            )
        )
        or_next = False
    return clauses


def _groups(text: str, kind: str) -> list[tuple[str, list[str]]]:
    """Return (term, its compound parts) for each query term of text, in order."""
    out: list[tuple[str, list[str]]] = []
    for term, _s, _e, _path, is_part in terms_function(kind)(text, "auto", compounds=True):
        if is_part:
            if out and term not in out[-1][1] and term != out[-1][0]:
                out[-1][1].append(term)
        else:
            out.append((term, []))
    return out


def _any_field(term: str, fields, boost: float = 1.0) -> wq.Query:
    if len(fields) == 1:
        return wq.Term(fields[0], term, boost=boost)
    return wq.Or([wq.Term(f, term) for f in fields], boost=boost)


def _clause_query(
    clause: Clause, groups, share, out_terms: set, flat: list
) -> tuple[wq.Query | None, bool]:
    """Return the clause's query and whether all its terms are common.

    Common terms (see COMMON_CUTOFF) of a clause that has others only add to the score.
    """
    fields = (clause.field,) if clause.field else FIELDS
    if not groups:
        return None, False
    required, optional = [], []
    for term, parts in groups:
        q = _any_field(term, fields)
        if not clause.negate:
            out_terms.update((f, term) for f in fields)
            flat.append(q)
        if parts and not clause.phrase:
            q = wq.Or([q, wq.And([_any_field(p, fields) for p in parts], boost=PARTS_BOOST)])
            if not clause.negate:
                out_terms.update((f, p) for f in fields for p in parts)
        common = share is not None and not clause.phrase and share(term) > COMMON_CUTOFF
        (optional if common else required).append(q)
    words = [t for t, _ in groups]
    if len(words) > 1 and clause.phrase:
        return wq.Or([wq.Phrase(f, words) for f in fields]), False
    all_common = not required
    if all_common:
        required, optional = optional, []
    core = required[0] if len(required) == 1 else wq.And(required)
    should = optional[:]
    if len(words) > 1:
        should.append(wq.Or([wq.Phrase(f, words) for f in fields], boost=PHRASE_BOOST))
    if should:
        core = wq.AndMaybe(core, should[0] if len(should) == 1 else wq.Or(should))
    return core, all_common


def _grams_query(text: str) -> wq.Query | None:
    """Score the CJK bigrams of the positive words (a ranking signal, never a filter)."""
    words = " ".join(c.text for c in parse(text) if not c.negate)
    grams = {t for t, *_ in bigram_terms(words) if t and HAS_CJK.search(t)}
    if not grams:
        return None
    return wq.Or([wq.Term("grams", g) for g in sorted(grams)], boost=GRAMS_BOOST)


def build(text: str, kind: str = "morph", share=None) -> ParsedQuery:
    """Build the all-words query, its any-word fallback and the terms to highlight.

    kind is the analyzer the index was built with (see analyzers.KINDS). share(term), when
    given, is the share of articles that hold term: common words only add to the score.
    """
    out_terms: set[tuple[str, str]] = set()
    flat: list[wq.Query] = []
    positives: list[list[wq.Query]] = []  # OR-groups, ANDed together
    common: list[wq.Query] = []
    negatives: list[wq.Query] = []
    clauses = [(c, _groups(c.text, kind)) for c in parse(text)]
    if sum(len(g) for c, g in clauses if not c.negate) < COMMON_MIN_TERMS:
        share = None  # in a short query every word counts
    for clause, groups in clauses:
        q, all_common = _clause_query(clause, groups, share, out_terms, flat)
        if q is None:
            continue
        if clause.negate:
            negatives.append(q)
        elif clause.or_prev and positives:
            positives[-1].append(q)
        elif all_common:
            common.append(q)
        else:
            positives.append([q])
    if not positives:
        positives, common = [[c] for c in common], []
    if not positives:
        return ParsedQuery(None, None, out_terms)
    required = wq.And([g[0] if len(g) == 1 else wq.Or(g) for g in positives])
    fallback = wq.Or(flat) if len(flat) > 1 else None
    should = common[:]
    grams = _grams_query(text) if kind == "morph" else None
    if grams is not None:
        should.append(grams)
        if fallback is not None:
            fallback = wq.Or([*flat, grams])
    if should:
        required = wq.AndMaybe(required, should[0] if len(should) == 1 else wq.Or(should))
    if negatives:
        required = wq.AndNot(required, wq.Or(negatives))
        if fallback is not None:
            fallback = wq.AndNot(fallback, wq.Or(negatives))
    return ParsedQuery(required, fallback, out_terms)
