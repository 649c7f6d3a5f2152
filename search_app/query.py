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
# A query of this many terms or more (a pasted headline, a question) is ranked rather than
# filtered: articles holding every term score higher, but one lacking a term still counts.
LONG_QUERY_TERMS = 5


@dataclass
class Clause:
    text: str
    phrase: bool = False
    field: str | None = None
    negate: bool = False
    or_prev: bool = False


@dataclass
class ParsedQuery:
    """The Whoosh query (None: no positive words), its any-term fallback, matched terms.

    ranked: a long query, whose query already admits articles lacking some terms.
    """

    query: wq.Query | None
    fallback: wq.Query | None
    terms: set[tuple[str, str]] = field(default_factory=set)  # (field, term) to highlight
    ranked: bool = False


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


def _clause_query(clause: Clause, groups, out_terms: set, flat: list) -> wq.Query | None:
    """Return the query of one clause: all its terms, the exact phrase scoring higher."""
    fields = (clause.field,) if clause.field else FIELDS
    if not groups:
        return None
    required = []
    for term, parts in groups:
        q = _any_field(term, fields)
        if not clause.negate:
            out_terms.update((f, term) for f in fields)
            flat.append(q)
        if parts and not clause.phrase:
            q = wq.Or([q, wq.And([_any_field(p, fields) for p in parts], boost=PARTS_BOOST)])
            if not clause.negate:
                out_terms.update((f, p) for f in fields for p in parts)
        required.append(q)
    words = [t for t, _ in groups]
    if len(words) == 1:
        return required[0]
    phrase = wq.Or([wq.Phrase(f, words) for f in fields])
    if clause.phrase:
        return phrase
    return wq.AndMaybe(wq.And(required), wq.Or(phrase.subqueries, boost=PHRASE_BOOST))


def _grams_query(text: str) -> wq.Query | None:
    """Score the CJK bigrams of the positive words (a ranking signal, never a filter)."""
    words = " ".join(c.text for c in parse(text) if not c.negate)
    grams = {t for t, *_ in bigram_terms(words) if t and HAS_CJK.search(t)}
    if not grams:
        return None
    return wq.Or([wq.Term("grams", g) for g in sorted(grams)], boost=GRAMS_BOOST)


def build(text: str, kind: str = "morph") -> ParsedQuery:
    """Build the all-words query, its any-word fallback and the terms to highlight.

    kind is the analyzer the index was built with (see analyzers.KINDS).
    """
    out_terms: set[tuple[str, str]] = set()
    flat: list[wq.Query] = []
    positives: list[list[wq.Query]] = []  # OR-groups, ANDed together
    negatives: list[wq.Query] = []
    for clause in parse(text):
        q = _clause_query(clause, _groups(clause.text, kind), out_terms, flat)
        if q is None:
            continue
        if clause.negate:
            negatives.append(q)
        elif clause.or_prev and positives:
            positives[-1].append(q)
        else:
            positives.append([q])
    if not positives:
        if negatives:  # only exclusions: everything but them
            return ParsedQuery(wq.AndNot(wq.Every(), wq.Or(negatives)), None, out_terms)
        return ParsedQuery(None, None, out_terms)
    required = wq.And([g[0] if len(g) == 1 else wq.Or(g) for g in positives])
    fallback = wq.Or(flat) if len(flat) > 1 else None
    grams = _grams_query(text) if kind == "morph" else None
    if grams is not None:
        required = wq.AndMaybe(required, grams)
        if fallback is not None:
            fallback = wq.Or([*flat, grams])
    ranked = fallback is not None and len(flat) >= LONG_QUERY_TERMS
    if ranked:
        required, fallback = wq.Or([fallback, required]), None
    if negatives:
        required = wq.AndNot(required, wq.Or(negatives))
        if fallback is not None:
            fallback = wq.AndNot(fallback, wq.Or(negatives))
    return ParsedQuery(required, fallback, out_terms, ranked)
