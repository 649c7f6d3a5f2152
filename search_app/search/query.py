"""Turn what a person types into a Whoosh query: words, "phrases", -exclusions, OR, title:.

Every word goes through the same analyzer as the index. A word that analyzes to several
terms (인공지능 -> 인공 + 지능, 光州の人工知能 -> 光州, 人工知能) needs all of them, and
documents where they stand as the exact phrase score higher. A compound also matches its
parts (광주광역시장 -> 광주광역시장, or 광주 and 광역시). Each word also matches its forms
in the other language at a lower weight (광주 -> 光州's reading ~광주; 光州 -> 광주), unless
xlang is off. Syntax that does not parse (an odd quote, a lone -) is read as plain words;
nothing here raises on user input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import matching
from whoosh import query as wq

from analyzers import bridge, terms_function
from analyzers.script import written_in
from analyzers.simple import bigram_terms, ranking_gram
from analyzers.term import KIWI_LEMMA

from .ranking import (
    AFFIX_BOOST,
    GRAMS_BOOST,
    GRAMS_MAX_DF,
    LONG_QUERY_TERMS,
    PARTS_BOOST,
    PHRASE_BOOST,
    RUN_TERMS,
    SOUND_BOOST,
    XLANG_BOOST,
)

FIELDS = ("title", "body")
_CLAUSE = re.compile(r'(?P<neg>-?)(?:(?P<field>title|body):)?(?:"(?P<phrase>[^"]*)"|(?P<word>\S+))')


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
    xlang: dict[str, str] = field(default_factory=dict)  # index term -> query word it reads
    lead: dict[str, float] = field(default_factory=dict)  # term -> weight, for the rescore
    near: list[list[str]] = field(default_factory=list)  # each body word's terms, in order
    lang: str | None = None  # the language the query is written in, if one (ko, ja)


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


def _groups(text: str, kind: str) -> list[tuple[str, list[str], bool]]:
    """Return (term, its compound parts, whether it is a verb's lemma) for each query term
    of text, in order."""
    out: list[tuple[str, list[str], bool]] = []
    for term, _s, _e, path, is_part in terms_function(kind)(text, "auto", compounds=True):
        if is_part:
            if out and term not in out[-1][1] and term != out[-1][0]:
                out[-1][1].append(term)
        else:
            out.append((term, [], path == KIWI_LEMMA))
    return out


def _any_field(term: str, fields, boost: float = 1.0) -> wq.Query:
    if len(fields) == 1:
        return wq.Term(fields[0], term, boost=boost)
    return wq.Or([wq.Term(f, term) for f in fields], boost=boost)


# How much a match across languages counts, by the bridge's kind of variant.
_VARIANT_BOOST = {
    bridge.FORM: XLANG_BOOST,
    bridge.READING: XLANG_BOOST,
    bridge.SOUND: SOUND_BOOST,
    bridge.AFFIX: AFFIX_BOOST,
}


def _across(
    term: str, lemma: bool, parts: tuple[str, ...] = (), doc_frequency=None
) -> list[tuple[str, float]]:
    """The index terms (with weights) that hold term in the other language (bridge.py).

    A Korean word Japanese writes in Han characters (지역 地域, 대중 大衆) crosses by its
    reading; its consonants then meet katakana words only by chance (지역 #SK ~ ショック).
    So when the index holds the word's reading (doc_frequency(field, term) > 0), its sound
    keys are left out; a loanword or a name has no such reading and keeps them. Without
    doc_frequency, every variant is kept."""
    variants = bridge.query_variants(term, lemma, parts)
    if doc_frequency is None:
        return [(v.term, _VARIANT_BOOST[v.kind]) for v in variants]

    def held(v: bridge.Variant) -> bool:
        return any(doc_frequency(f, v.term) for f in FIELDS)

    read = any(v.kind == bridge.SOUND for v in variants) and any(
        held(v) for v in variants if v.kind == bridge.READING
    )
    # A core (a part of the word) no article holds is left out: a word has several, most
    # meet nothing, and each would cost the query a term to score, rescore and highlight.
    return [
        (v.term, _VARIANT_BOOST[v.kind])
        for v in variants
        if not (read and v.kind == bridge.SOUND) and (v.kind != bridge.AFFIX or held(v))
    ]


def _term_query(
    term: str,
    fields,
    out_terms: set,
    xlang: dict | None,
    lead: dict | None = None,
    lemma: bool = False,
    parts: tuple[str, ...] = (),
    doc_frequency=None,
) -> wq.Query:
    """term in the fields, and (xlang not None) its forms in the other language, weighted
    lower; every index term it may match is added to out_terms for highlighting, and
    (lead not None) to lead with its weight. doc_frequency: see _across."""
    q = _any_field(term, fields)
    out_terms.update((f, term) for f in fields)
    if lead is not None:
        lead.setdefault(term, 1.0)
    variants = _across(term, lemma, parts, doc_frequency) if xlang is not None else []
    if not variants:
        return q
    for v, w in variants:
        xlang.setdefault(v, term)
        out_terms.update((f, v) for f in fields)
        if lead is not None:
            lead.setdefault(v, w)
    return wq.Or([q, *(_any_field(v, fields, w) for v, w in variants)])


def _clause_query(
    clause: Clause,
    groups,
    out_terms: set,
    flat: list,
    xlang: dict | None,
    lead: dict,
    doc_frequency=None,
) -> wq.Query | None:
    """Return the query of one clause: all its terms, the exact phrase scoring higher."""
    fields = (clause.field,) if clause.field else FIELDS
    if not groups:
        return None
    required = []
    marked = set() if clause.negate else out_terms  # excluded words are not highlighted
    for term, parts, lemma in groups:
        if clause.negate:
            q = _term_query(term, fields, marked, None)
        else:
            # The rescore reads body positions: a title: word earns no lead bonus.
            body_lead = lead if "body" in fields else None
            q = _term_query(
                term, fields, marked, xlang, body_lead, lemma, tuple(parts), doc_frequency
            )
            flat.append(q)
        if parts and not clause.phrase:
            q = wq.Or(
                [
                    q,
                    wq.And(
                        [_term_query(p, fields, marked, None) for p in parts], boost=PARTS_BOOST
                    ),
                ]
            )
        required.append(q)
    words = [t for t, _parts, _lemma in groups]
    if len(words) == 1:
        return required[0]
    phrase = wq.Or([wq.Phrase(f, words) for f in fields])
    if clause.phrase:
        return phrase
    return wq.AndMaybe(wq.And(required), wq.Or(phrase.subqueries, boost=PHRASE_BOOST))


def _grams_query(text: str) -> wq.Query | None:
    """Score the CJK bigrams of the positive words (a ranking signal, never a filter)."""
    words = " ".join(c.text for c in parse(text) if not c.negate)
    grams = {t for t, *_ in bigram_terms(words) if ranking_gram(t)}
    if not grams:
        return None
    return GramsOr([wq.Term("grams", g) for g in sorted(grams)], boost=GRAMS_BOOST)


class GramsOr(wq.Or):
    """The bigram bonus, leaving out bigrams found in a large share of the articles (には,
    하는): their weight is near zero, and scoring them would visit nearly every article."""

    def kept(self, doc_count_all: int, doc_frequency) -> list[wq.Query]:
        """The bigrams in at most GRAMS_MAX_DF of the documents (doc_frequency(field, text))."""
        cap = GRAMS_MAX_DF * doc_count_all
        return [q for q in self.subqueries if doc_frequency(q.fieldname, q.text) <= cap]

    def matcher(self, searcher, context=None):  # for Whoosh's own searcher (tests compare)
        kept = self.kept(searcher.doc_count_all(), searcher.doc_frequency)
        if not kept:
            return matching.NullMatcher()
        return wq.Or(kept, boost=self.boost).matcher(searcher, context)


def _all_of(groups: list[list[wq.Query]]) -> wq.Query:
    """Every OR-group (a word, or words joined by OR) must match."""
    return wq.And([g[0] if len(g) == 1 else wq.Or(g) for g in groups])


def _scored_with(query: wq.Query, *bonuses: wq.Query | None) -> wq.Query:
    """query's matches, scoring higher for each bonus they also match (never more matches)."""
    extra = [b for b in bonuses if b is not None]
    if not extra:
        return query
    return wq.AndMaybe(query, extra[0] if len(extra) == 1 else wq.Or(extra))


def build(text: str, kind: str = "morph", xlang: bool = True, doc_frequency=None) -> ParsedQuery:
    """Build the all-words query, its any-word fallback and the terms to highlight.

    kind is the analyzer the index was built with (see analyzers.KINDS); xlang also
    matches each word in the other language (Korean <-> Japanese); doc_frequency(field,
    term), the index's, leaves out the sound keys of words whose reading it holds.
    """
    across: dict[str, str] | None = {} if xlang and kind == "morph" else None
    out_terms: set[tuple[str, str]] = set()
    lead: dict[str, float] = {}
    near: list[list[str]] = []  # the rescore's proximity bonus
    flat: list[wq.Query] = []
    positives: list[list[wq.Query]] = []  # OR-groups, ANDed together
    runs: list[bool] = []  # per OR-group: a clause of it is a run of many terms
    negatives: list[wq.Query] = []
    asked: list[str] = []  # the text of the positive clauses
    for clause in parse(text):
        if not clause.negate:
            asked.append(clause.text)
        groups = _groups(clause.text, kind)
        q = _clause_query(clause, groups, out_terms, flat, across, lead, doc_frequency)
        if q is None:
            continue
        if not clause.negate and clause.field in (None, "body"):
            near.append([t for t, _parts, _lemma in groups])
        run = len(groups) >= RUN_TERMS and not clause.phrase
        if clause.negate:
            negatives.append(q)
        elif clause.or_prev and positives:
            positives[-1].append(q)
            runs[-1] = runs[-1] or run
        else:
            positives.append([q])
            runs.append(run)
    if not positives:
        if negatives:  # only exclusions: everything but them
            return ParsedQuery(wq.AndNot(wq.Every(), wq.Or(negatives)), None, out_terms)
        return ParsedQuery(None, None, out_terms)
    all_words = _all_of(positives)
    any_word = wq.Or(flat) if len(flat) > 1 else None
    grams = _grams_query(text) if kind == "morph" else None
    ranked = any_word is not None and len(flat) >= LONG_QUERY_TERMS
    if ranked:
        # Every word (not every term of a run) held scores higher; none is required.
        words = [g for g, run in zip(positives, runs, strict=True) if not run]
        required = _scored_with(any_word, _all_of(words) if words else None, grams)
        fallback = None
    else:
        required = _scored_with(all_words, grams)
        fallback = _scored_with(any_word, grams) if any_word is not None else None
    if negatives:
        required = wq.AndNot(required, wq.Or(negatives))
        if fallback is not None:
            fallback = wq.AndNot(fallback, wq.Or(negatives))
    lang = written_in(" ".join(asked))
    return ParsedQuery(required, fallback, out_terms, ranked, across or {}, lead, near, lang)
