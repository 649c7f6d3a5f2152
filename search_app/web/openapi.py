"""The OpenAPI description of the JSON API, served at /api/openapi.json.

Limits, sorts, facets, languages and the version come from the code that enforces them.
"""

from dataclasses import fields
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from indexer.schema import FACETS

from ..search import (
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    MAX_RESULT_WINDOW,
    SORTS,
    ArticleView,
    Hit,
    SearchResult,
)
from .i18n import UI_LANGS

_DATE = {
    "type": "string",
    "pattern": r"^((19|20)\d{2}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$",
    "description": (
        "YYYY, YYYY-MM or YYYY-MM-DD; a day that does not exist is refused; empty: no bound"
    ),
}

_FACET = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "value": {"type": "string"},
            "label": {"type": "string"},
            "count": {"type": "integer"},
            "selected": {"type": "boolean"},
        },
    },
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


_UNAVAILABLE = _error("No index yet: run `hanil reindex`")


def _param(name, desc, schema=None, required=False):
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": desc,
        "schema": schema or {"type": "string"},
    }


_TYPES = {
    "city": {"type": "array", "items": {"type": "string"}},
    "event": {"type": "array", "items": {"type": "string"}},
    "score": {"type": "number", "nullable": True},
    "xlang_matches": {
        "type": "array",
        "items": {"type": "string"},
        "description": "Words matched across languages, as 'text ← query word'",
    },
    "title_html": {"type": "string", "description": "Escaped title, <mark> on matches"},
    "snippet_html": {"type": "string", "description": "Escaped snippet, <mark> on matches"},
    "body_html": {"type": "string", "description": "Escaped text, <mark> on matches"},
    "url": {
        "type": "string",
        "description": "An http(s) URL (a web page's canonical URL), or empty",
    },
    "id": {"type": "string"},
    "title": {"type": "string"},
    "body": {"type": "string"},
    "lang": {"type": "string"},
    "source": {"type": "string", "description": "The publisher or site"},
    "author": {"type": "string"},
    "section": {"type": "string", "description": "The section the publisher filed it under"},
}


def _properties(cls) -> dict:
    """A dataclass's fields as the API returns them (a test holds the two together)."""
    string = {"type": "string", "nullable": True}
    return {f.name: _TYPES.get(f.name, string) for f in fields(cls)}


def _object(cls) -> dict:
    props = _properties(cls)
    return {"type": "object", "required": list(props), "properties": props}


def _version() -> str:
    try:
        return version("hanil")
    except PackageNotFoundError:
        return "0"


@cache
def openapi() -> dict:
    """The OpenAPI 3 document of the API."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "hanil",
            "version": _version(),
            "description": "Full-text search of Korean and Japanese news.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search articles",
                    "parameters": [
                        _param(
                            "q",
                            'Query: words, "phrases", -exclusions, OR, title:word',
                            {"type": "string", "maxLength": MAX_QUERY_CHARS},
                        ),
                        _param("city", "City ids, comma-separated or repeated (OR)"),
                        _param("event", "Event values such as ces-2023 (OR)"),
                        _param("year", "Years (OR)"),
                        _param("lang", "ko and/or ja"),
                        _param("from", "First date (inclusive)", _DATE),
                        _param(
                            "to",
                            "Last date (inclusive: a month or year takes all of it)",
                            _DATE,
                        ),
                        _param(
                            "sort",
                            "Order",
                            {"type": "string", "enum": list(SORTS)},
                        ),
                        _param(
                            "page",
                            f"Page, from 1; page × per_page <= {MAX_RESULT_WINDOW}",
                            {"type": "integer", "minimum": 1, "maximum": MAX_RESULT_WINDOW},
                        ),
                        _param(
                            "per_page",
                            f"Hits a page; page × per_page <= {MAX_RESULT_WINDOW}",
                            {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
                        ),
                        _param(
                            "xlang",
                            "on (default): also match words in the other language; "
                            "off: only in the query's own language",
                            {"type": "string", "enum": ["on", "off"], "default": "on"},
                        ),
                        _param(
                            "hl",
                            "Language of facet labels",
                            {"type": "string", "enum": list(UI_LANGS)},
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "Results",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResult"}
                                }
                            },
                        },
                        "400": _error("A bad parameter (the message names it)"),
                        "503": _UNAVAILABLE,
                    },
                }
            },
            "/api/articles/{id}": {
                "get": {
                    "summary": "One article, its text marked for q",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                        },
                        _param("q", "Query whose matches are marked"),
                    ],
                    "responses": {
                        "200": {
                            "description": "The article",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ArticleResult"}
                                }
                            },
                        },
                        "400": _error("A path or query string that is not UTF-8"),
                        "404": _error("No article with this id"),
                        "503": _UNAVAILABLE,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["ok", "error", "status"],
                    "properties": {
                        "ok": {"type": "boolean"},
                        "error": {"type": "string"},
                        "status": {"type": "integer"},
                    },
                },
                "Hit": _object(Hit),
                "Article": _object(ArticleView),
                "ArticleResult": {
                    "type": "object",
                    "required": ["ok", "article"],
                    "properties": {
                        "ok": {"type": "boolean"},
                        "article": {"$ref": "#/components/schemas/Article"},
                    },
                },
                "SearchResult": {
                    "type": "object",
                    "required": [f.name for f in fields(SearchResult)],
                    "properties": {
                        "ok": {"type": "boolean"},
                        "query": {"type": "string"},
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "took_ms": {"type": "number"},
                        "fallback": {"type": "boolean"},
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Hit"},
                        },
                        "facets": {
                            "type": "object",
                            "properties": {f: _FACET for f in FACETS},
                        },
                    },
                },
            }
        },
    }
