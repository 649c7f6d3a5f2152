"""The thin Flask front end: a pages blueprint and an API blueprint over the search library.

Config, in order: defaults, instance/config.py, HANIL_* environment variables (Flask's
prefixed env: HANIL_INDEX_DIR, HANIL_CACHED_RESULTS, HANIL_CACHED_POSTINGS), then test_config.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from indexer.store import default_index_dir

from ..search import SearchIndex
from ..search.state import CacheBounds
from . import api, pages
from .requests import SECURITY_HEADERS


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: nothing is opened until the first request needs the index."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        INDEX_DIR=str(default_index_dir()),
        CACHED_RESULTS=CacheBounds.results,
        CACHED_POSTINGS=CacheBounds.postings,
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("HANIL")
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.json.sort_keys = False  # keep the envelope in its documented order
    app.extensions["hanil"] = SearchIndex(
        Path(app.config["INDEX_DIR"]),
        cached_results=int(app.config["CACHED_RESULTS"]),
        cached_postings=int(app.config["CACHED_POSTINGS"]),
    )
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.after_request(_secure)
    return app


def _secure(response):
    """Every response: only the page's own assets, no framing, no sniffing (see requests)."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
