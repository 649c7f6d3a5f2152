"""Every ranking setting in one place (chosen on the dev sets: docs/quality.md, "Settings").

The index-time weight of the title is indexer/schema.py's TITLE_BOOST (part of the index).
"""

# BM25F, as Whoosh computes it (search_app/engine.py), tuned on the dev sets together.
BM25_B, BM25_K1 = 0.4, 0.9

# Query weights (search_app/query.py).
PHRASE_BOOST = 1.5  # weight of the exact-phrase bonus of a multi-term word
PARTS_BOOST = 0.7  # a compound found only through its parts counts for less
XLANG_BOOST = 0.6  # a match across languages counts for less than one in the query's
SOUND_BOOST = 0.3  # ... and a loanword matched by its sound key (캠프 ~ キャンプ) less again
AFFIX_BOOST = 0.3  # ... and the Sino-Korean core of a longer word (운전자 ~ 運転 운전)
GRAMS_BOOST = 0.5  # weight of the character-bigram field against the word fields
# A query of this many terms or more (a pasted headline, a question) is ranked rather than
# filtered: articles holding every word score higher, but one lacking a word still counts.
LONG_QUERY_TERMS = 5
# A clause (text between spaces) of this many terms is a run, not a word: a Japanese sentence
# written without spaces. A long query's all-words bonus counts words, not a run's terms.
RUN_TERMS = 4
GRAMS_MAX_DF = 0.2  # bigrams in more than this share of the articles add no score

# The second pass (search_app/rescore.py).
LEAD_WEIGHT = 2.0
LEAD_TOKENS = 100  # a term at this position earns 1/e of the bonus of one at the start
NEAR_WEIGHT = 1.0
NEAR_TOKENS = 3  # a pair this many tokens further apart than adjacent earns 1/e
RESCORE_WINDOW = 100  # first-pass matches the second pass reorders
# An article reached across languages is scaled by the share of the query's terms it holds
# (in either language) to this power, for queries of COVER_MIN_TERMS terms or more.
COVER_EXPONENT = 0.5
COVER_MIN_TERMS = 3
