"""What the page and the API share: reading a search request from the query string, the
interface language, the search index of the app, and the security headers."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import current_app, request

from ..search import BadRequest, SearchIndex, SearchRequest
from .i18n import UI_LANGS

# The page loads only its own stylesheet and runs no script; nothing may frame it.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def search_index() -> SearchIndex:
    return current_app.extensions["hanil"]


def check_utf8() -> None:
    """Refuse a query string or path that is not UTF-8: Werkzeug decodes both replacing
    bad bytes with U+FFFD, which would then be looked up as if it had been typed."""
    try:
        unquote_to_bytes(request.query_string).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("the query string is not valid UTF-8") from exc
    if "\ufffd" in request.path:
        raise BadRequest("the path is not valid UTF-8")


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


def _switch(name: str) -> bool:
    """An on/off parameter, on unless it says off."""
    value = request.args.get(name, "on").strip().lower()
    if value not in ("on", "off"):
        raise BadRequest(f"{name} must be on or off")
    return value == "on"


def search_request() -> SearchRequest:
    """The validated search request of this page or API call."""
    check_utf8()
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


def ui_language() -> str:
    """The interface language: hl= when given, else the browser's preference, else ko."""
    hl = request.args.get("hl")
    if hl in UI_LANGS:
        return hl
    return request.accept_languages.best_match(UI_LANGS) or "ko"
