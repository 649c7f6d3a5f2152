"""The search page and the article page (HTML), and their error pages."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, abort, render_template, request
from werkzeug.exceptions import HTTPException

from indexer.articles import web_url
from indexer.facets import label as facet_label
from indexer.schema import FACETS
from indexer.store import IndexMissing

from ..search import MAX_QUERY_CHARS, MAX_RESULT_WINDOW, SORTS, BadRequest
from . import api
from .i18n import UI_LANGS, translator
from .requests import check_utf8, search_index, search_request, ui_language

bp = Blueprint("pages", __name__)


@bp.app_context_processor
def _page_helpers() -> dict:
    return {
        "facet_label": facet_label,
        "url_with": url_with,
        "web_url": web_url,
        "FACETS": FACETS,
        "SORTS": SORTS,
        "UI_LANGS": UI_LANGS,
        "MAX_QUERY_CHARS": MAX_QUERY_CHARS,
        "MAX_RESULT_WINDOW": MAX_RESULT_WINDOW,
    }


@bp.route("/")
def search():
    hl = ui_language()
    req = search_request()
    result = search_index().search(req, hl)
    return render_template("search.html", req=req, result=result, t=translator(hl), hl=hl)


@bp.route("/articles/<path:article_id>")
def article(article_id: str):
    hl = ui_language()
    check_utf8()
    q = request.args.get("q", "")
    doc = search_index().article(article_id, q)
    if doc is None:
        abort(404, description=translator(hl)("notfound"))
    return render_template("article.html", doc=doc, q=q, t=translator(hl), hl=hl)


def url_with(**changes) -> str:
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


def error_page(status: int, message: str, headers=None):
    hl = ui_language(strict=False) if request else "ko"
    page = render_template("error.html", status=status, message=message, t=translator(hl), hl=hl)
    return page, status, headers or []


@bp.app_errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    if api.below(request.path):  # a URL of the API's that matched no route
        return api.http_error(exc)
    return error_page(exc.code or 500, exc.description or exc.name, _allow(exc))


@bp.app_errorhandler(BadRequest)
def _bad_request(exc: BadRequest):
    return error_page(400, str(exc))


@bp.app_errorhandler(IndexMissing)
def _index_missing(exc: IndexMissing):
    return error_page(503, str(exc))


def _allow(exc: HTTPException) -> list[tuple[str, str]]:
    """The headers an HTTP error carries besides its body (405's Allow)."""
    return [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
