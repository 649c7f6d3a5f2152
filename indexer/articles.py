"""What an article is: its fields, its identity, its facets, and a JSONL record's checks.

Reading files of every kind into articles is indexer/inputs.py.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from analyzers.places import PLACES
from analyzers.script import guess_language

from . import facets
from .dates import normalize_date

# Raise to make incremental runs re-analyze everything after a change in extraction.
PIPELINE_VERSION = "4"
# The data tables analysis and facets read: an edited or regenerated table changes what an
# unchanged article is indexed as (its place names' readings, its facets), so it re-analyzes.
_TABLES = (
    Path(__file__).resolve().parent / "data" / "events.json",
    *sorted(PLACES.parent.glob("*.tsv")),
)


@lru_cache(maxsize=1)
def pipeline() -> str:
    """PIPELINE_VERSION and a digest of the data tables."""
    digest = hashlib.sha1()
    for table in _TABLES:
        digest.update(table.read_bytes())
    return f"{PIPELINE_VERSION}-{digest.hexdigest()[:12]}"


# Longer than any news article; Kiwi would spend minutes on it (~0.1 MB/s).
MAX_ARTICLE_CHARS = 1_000_000


@dataclass
class Article:
    id: str
    lang: str
    title: str
    body: str
    date: str | None = None
    year: int | None = None
    source: str = ""  # the publisher or site
    url: str = ""  # an http(s) URL, canonical for a web page
    origin: str = ""  # the input file it was read from (not part of its identity)
    city: list[str] = field(default_factory=list)
    event: list[str] = field(default_factory=list)
    author: str = ""
    section: str = ""

    @property
    def hash(self) -> str:
        """A digest of the article's id and content, to tell a changed article from an
        unchanged one; not of where it was read from (a file named by a relative and then an
        absolute path, or moved, holds the same articles)."""
        fields = dict(vars(self))  # asdict's fields without its deep copy (strs, lists of str)
        del fields["origin"]
        data = json.dumps([pipeline(), fields], ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(data.encode()).hexdigest()


@dataclass
class Skipped:
    """Input passed over: path says where (a file, file:line of a record, file#n of a page's
    item), reason why. file is the input file it concerns ("" for a path that does not
    exist): its articles are never deleted by the run (indexer/build.py)."""

    path: str
    reason: str
    file: str = ""

    @property
    def whole_file(self) -> bool:
        """Whether a whole input (a missing path, an unreadable file) was passed over."""
        return self.path == self.file or not self.file


class BadRecord(ValueError):
    """A JSONL record that cannot be an article; the message says which field is wrong."""


def finish(article: Article) -> Article:
    """Fill language, facets and year from the text where they are not given."""
    text = f"{article.title}\n{article.body}"
    if article.lang not in ("ko", "ja"):
        article.lang = guess_language(text)
    cities, events = facets.extract(article.title, article.body)
    article.city = article.city or cities
    article.event = article.event or events
    if article.year is None:
        article.year = int(article.date[:4]) if article.date else facets.certain_year(text)
    return article


def web_id(url: str) -> str:
    """The id of an article known by its (normalized) URL: a page saved twice, crawled
    again, or arriving as a feed item too, is one article."""
    return "w-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


def too_long(n: int) -> str:
    return f"article of {n:,} characters, over the {MAX_ARTICLE_CHARS:,} limit"


def read_inputs(paths: Iterable[str | Path], procs: int = 1) -> Iterator[Article | Skipped]:
    """Yield the articles of files and folders (recursively), and what was skipped: the
    reading reindex does (indexer/inputs.py)."""
    from .inputs import list_inputs, read_all

    yield from read_all(list_inputs(paths), procs)


def from_record(rec, origin: str = "") -> Article:
    """Return the Article of a record in the corpus format, or raise BadRecord."""
    if not isinstance(rec, dict):
        raise BadRecord(f"a record must be a JSON object, not {_kind(rec)}")
    art_id = rec.get("id")
    if isinstance(art_id, bool) or not isinstance(art_id, str | int):
        raise BadRecord(f"id must be a string or a number, not {_kind(art_id)}")
    art_id = str(art_id).strip()
    body = _text(rec, "body")
    if not art_id or not body.strip():
        raise BadRecord("needs a non-empty id and body")
    if len(body) > MAX_ARTICLE_CHARS:
        raise BadRecord(too_long(len(body)))
    lang = _text(rec, "lang")
    if lang not in ("", "ko", "ja"):
        raise BadRecord(f"lang must be ko or ja, not {lang!r}")
    return Article(
        id=art_id,
        lang=lang,
        title=_text(rec, "title"),
        body=body,
        date=normalize_date(_text(rec, "date")),
        year=_year(rec.get("year")),
        source=_text(rec, "source"),
        url=web_url(_text(rec, "url")),
        origin=origin,
        city=_values(rec, "city"),
        event=_values(rec, "event"),
        author=_text(rec, "author"),
        section=_text(rec, "section") or _text(rec, "category"),
    )


def web_url(value: str) -> str:
    """The URL if it is an absolute http(s) URL, else "": only those become links."""
    value = value.strip()
    parts = urlsplit(value)
    return value if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def _kind(value) -> str:
    return "null" if value is None else type(value).__name__


def _text(rec: dict, name: str) -> str:
    value = rec.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{name} must be a string, not {_kind(value)}")
    return value


def _values(rec: dict, name: str) -> list[str]:
    """A facet given as a list of strings or one string."""
    value = rec.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise BadRecord(f"{name} must be a string or a list of non-empty strings")
    if any("," in v for v in value):
        raise BadRecord(f"{name} values must not contain commas")
    return [v.strip() for v in value]


def _year(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        raise BadRecord(f"year must be a four-digit year, not {value!r}")
    return value
