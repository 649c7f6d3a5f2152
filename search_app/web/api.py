"""The JSON API: /api/search, /api/articles/<id>, /api/openapi.json, one error shape."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, abort, jsonify, request
from werkzeug.exceptions import HTTPException

from indexer.store import IndexMissing

from ..search import BadRequest
from .openapi import openapi
from .requests import check_utf8, search_index, search_request, ui_language

PREFIX = "/api"
bp = Blueprint("api", __name__, url_prefix=PREFIX)


@bp.route("/search")
def search():
    return jsonify(search_index().search(search_request(), ui_language()).to_json())


@bp.route("/articles/<path:article_id>")
def article(article_id: str):
    check_utf8()
    doc = search_index().article(article_id, request.args.get("q", ""))
    if doc is None:
        abort(404, description=f"no article with id {article_id!r}")
    return jsonify({"ok": True, "article": asdict(doc)})


@bp.route("/openapi.json")
def spec():
    return jsonify(openapi())


def error(status: int, message: str, headers=None):
    """The API's one error shape."""
    body = jsonify({"ok": False, "error": message, "status": status})
    return body, status, headers or []


def below(path: str) -> bool:
    """Whether a URL that matched no route is the API's: only there is there no blueprint
    to ask (Flask matches blueprints by route)."""
    return path == PREFIX or path.startswith(PREFIX + "/")


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    return error(exc.code or 500, exc.description or exc.name, headers)


@bp.errorhandler(BadRequest)
def _bad_request(exc: BadRequest):
    return error(400, str(exc))


@bp.errorhandler(IndexMissing)
def _index_missing(exc: IndexMissing):
    return error(503, str(exc))
