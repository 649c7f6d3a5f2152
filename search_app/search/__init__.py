"""The search library: parse a query, score it over arrays, rescore, highlight, facet.

Usable without Flask: the web app (search_app/web), `hanil search` and `hanil eval` all call
SearchIndex. Ranking settings are in ranking.py.
"""

from .searching import (
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    MAX_RESULT_WINDOW,
    SORTS,
    ArticleView,
    BadRequest,
    FacetValue,
    Hit,
    SearchIndex,
    SearchRequest,
    SearchResult,
)

__all__ = [
    "MAX_PER_PAGE",
    "MAX_QUERY_CHARS",
    "MAX_RESULT_WINDOW",
    "SORTS",
    "ArticleView",
    "BadRequest",
    "FacetValue",
    "Hit",
    "SearchIndex",
    "SearchRequest",
    "SearchResult",
]
