"""The OpenAPI description of the JSON API, served at /api/openapi.json."""

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
_ERROR = {
    "description": "Bad input or unknown id",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def _param(name, desc, schema=None, required=False):
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": desc,
        "schema": schema or {"type": "string"},
    }


OPENAPI = {
    "openapi": "3.0.3",
    "info": {
        "title": "hanil",
        "version": "0.1.0",
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
                        {"type": "string", "maxLength": 1000},
                    ),
                    _param("city", "City ids, comma-separated or repeated (OR)"),
                    _param("event", "Event values such as ces-2023 (OR)"),
                    _param("year", "Years (OR)"),
                    _param("lang", "ko and/or ja"),
                    _param("from", "First date, YYYY[-MM[-DD]]"),
                    _param("to", "Last date, YYYY[-MM[-DD]]"),
                    _param(
                        "sort",
                        "Order",
                        {"type": "string", "enum": ["relevance", "newest", "oldest"]},
                    ),
                    _param("page", "Page, from 1", {"type": "integer", "minimum": 1}),
                    _param(
                        "per_page", "Hits a page", {"type": "integer", "minimum": 1, "maximum": 100}
                    ),
                    _param(
                        "xlang",
                        "off: match words only in the query's own language",
                        {"type": "string", "enum": ["on", "off"], "default": "on"},
                    ),
                    _param(
                        "hl",
                        "Language of facet labels",
                        {"type": "string", "enum": ["ko", "ja", "en"]},
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
                    "400": _ERROR,
                },
            }
        },
        "/api/articles/{id}": {
            "get": {
                "summary": "One article, its text marked for q",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    _param("q", "Query whose matches are marked"),
                ],
                "responses": {
                    "200": {
                        "description": "The article",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "404": _ERROR,
                    "400": _ERROR,
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
            "Hit": {
                "type": "object",
                "properties": {
                    k: {"type": "string", "nullable": True}
                    for k in (
                        "id",
                        "title",
                        "title_html",
                        "snippet_html",
                        "date",
                        "lang",
                        "year",
                        "source",
                        "url",
                    )
                }
                | {
                    "city": {"type": "array", "items": {"type": "string"}},
                    "event": {"type": "array", "items": {"type": "string"}},
                    "score": {"type": "number", "nullable": True},
                    "xlang_matches": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Words matched across languages, as 'text ← query word'",
                    },
                },
            },
            "SearchResult": {
                "type": "object",
                "properties": {
                    "ok": {"type": "boolean"},
                    "query": {"type": "string"},
                    "total": {"type": "integer"},
                    "page": {"type": "integer"},
                    "per_page": {"type": "integer"},
                    "took_ms": {"type": "number"},
                    "fallback": {"type": "boolean"},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                    "facets": {
                        "type": "object",
                        "properties": {f: _FACET for f in ("city", "event", "year", "lang")},
                    },
                },
            },
        }
    },
}
