"""The Flask front end: search page, article view, JSON API."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote_to_bytes, urlencode

from flask import Flask, abort, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.cli import default_index_dir
from indexer.facets import label as facet_label
from indexer.store import IndexMissing

from .i18n import UI_LANGS, translator
from .openapi import OPENAPI
from .search import CACHED_RESULTS, BadRequest, SearchIndex, SearchRequest


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, then instance config.py, then HANIL_* env, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX_DIR=str(default_index_dir()), CACHED_RESULTS=CACHED_RESULTS, JSON_AS_ASCII=False
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("HANIL")
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False  # keep the envelope in its documented order
    app.extensions["hanil"] = SearchIndex(
        Path(app.config["INDEX_DIR"]), cached_results=int(app.config["CACHED_RESULTS"])
    )
    app.jinja_env.globals.update(
        city_label=lambda v, lang: facet_label("city", v, lang),
        event_label=lambda v, lang: facet_label("event", v, lang),
        url_with=_url_with,
    )
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(BadRequest, _bad_request)
    app.register_error_handler(IndexMissing, _index_missing)
    app.add_url_rule("/", "search_page", search_page)
    app.add_url_rule("/articles/<path:article_id>", "article_page", article_page)
    app.add_url_rule("/api/search", "api_search", api_search)
    app.add_url_rule("/api/articles/<path:article_id>", "api_article", api_article)
    app.add_url_rule("/api/openapi.json", "api_openapi", lambda: jsonify(OPENAPI))
    return app


def index() -> SearchIndex:
    return current_app.extensions["hanil"]


def _check_utf8() -> None:
    """Refuse a query string that is not UTF-8 (Werkzeug would silently replace it)."""
    try:
        unquote_to_bytes(request.query_string).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("the query string is not valid UTF-8") from exc


def _int(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a whole number") from exc


def _values(name: str) -> list[str]:
    """A facet parameter: repeated (city=a&city=b) or comma-separated (city=a,b)."""
    out = []
    for raw in request.args.getlist(name):
        out.extend(v.strip() for v in raw.split(",") if v.strip())
    return out


def request_from_args() -> SearchRequest:
    _check_utf8()
    return SearchRequest(
        q=request.args.get("q", "").strip(),
        city=_values("city"),
        event=_values("event"),
        year=_values("year"),
        lang=_values("lang"),
        date_from=request.args.get("from") or None,
        date_to=request.args.get("to") or None,
        sort=request.args.get("sort", "relevance") or "relevance",
        page=_int("page", 1),
        per_page=_int("per_page", 10),
        xlang=_switch("xlang"),
    ).validate()


def _switch(name: str) -> bool:
    """An on/off parameter, on unless it says off."""
    value = request.args.get(name, "on").strip().lower()
    if value not in ("on", "off", "1", "0", "true", "false", ""):
        raise BadRequest(f"{name} must be on or off")
    return value not in ("off", "0", "false")


def ui_language() -> str:
    hl = request.args.get("hl")
    if hl in UI_LANGS:
        return hl
    return request.accept_languages.best_match(UI_LANGS) or "ko"


def api_search():
    req = request_from_args()
    return jsonify(index().search(req, ui_language()).to_json())


def api_article(article_id: str):
    _check_utf8()
    doc = index().article(article_id, request.args.get("q", ""))
    if doc is None:
        abort(404, description=f"no article with id {article_id!r}")
    return jsonify({"ok": True, "article": doc})


def search_page():
    hl = ui_language()
    req = request_from_args()
    result = index().search(req, hl)
    return render_template("search.html", req=req, result=result, t=translator(hl), hl=hl)


def article_page(article_id: str):
    hl = ui_language()
    _check_utf8()
    q = request.args.get("q", "")
    doc = index().article(article_id, q)
    if doc is None:
        abort(404, description=translator(hl)("notfound"))
    return render_template("article.html", doc=doc, q=q, t=translator(hl), hl=hl)


def _url_with(**changes) -> str:
    """This page's URL with some parameters changed (None removes one); page resets to 1."""
    args = {k: request.args.getlist(k) for k in request.args}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value if isinstance(value, list) else [str(value)]
    pairs = [(k, v) for k, vs in args.items() for v in vs if v != ""]
    return f"{request.path}?{urlencode(pairs)}"


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _error(status: int, message: str):
    if _wants_json():
        return jsonify({"ok": False, "error": message, "status": status}), status
    t = translator(ui_language() if request else "ko")
    return render_template("error.html", status=status, message=message, t=t), status


def _http_error(exc: HTTPException):
    return _error(exc.code or 500, exc.description or exc.name)


def _bad_request(exc: BadRequest):
    return _error(400, str(exc))


def _index_missing(exc: IndexMissing):
    return _error(503, str(exc))
