"""What the page and the API share: reading a search request from the query string, the
interface language, the search index of the app, and the security headers."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import current_app, request

from ..search import MAX_QUERY_CHARS, BadRequest, SearchIndex, SearchRequest
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
    # The path as sent (servers keep it in REQUEST_URI or RAW_URI; PATH_INFO is latin-1
    # text of its bytes, or already lossy): a literal U+FFFD typed is valid, %FF is not.
    env = request.environ
    raw = env.get("REQUEST_URI") or env.get("RAW_URI")
    try:
        if raw:
            unquote_to_bytes(raw.split("?", 1)[0].encode("latin-1")).decode("utf-8")
        else:
            env.get("PATH_INFO", "").encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError) as exc:
        raise BadRequest("the path is not valid UTF-8") from exc


def _int(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
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
    q = request.args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:  # as sent: the spec bounds the parameter, not its core
        raise BadRequest(f"q is longer than {MAX_QUERY_CHARS} characters")
    return SearchRequest(
        q=q.strip(),
        city=_values("city"),
        event=_values("event"),
        year=_values("year"),
        lang=_values("lang"),
        # A form's empty date field means no bound.
        date_from=request.args.get("from") or None,
        date_to=request.args.get("to") or None,
        sort=request.args.get("sort", "relevance"),
        page=_int("page", 1),
        per_page=_int("per_page", 10),
        xlang=_switch("xlang"),
    ).validate()


def ui_language(strict: bool = True) -> str:
    """The interface language: hl= when given, else the browser's preference, else ko.
    An hl that is not a UI language is a BadRequest, or ignored when not strict (for
    error pages, which must render whatever the request)."""
    hl = request.args.get("hl")
    if hl in UI_LANGS:
        return hl
    if hl is not None and strict:
        raise BadRequest(f"hl must be one of {', '.join(UI_LANGS)}")
    return request.accept_languages.best_match(UI_LANGS) or "ko"
