"""The index schema, built by one function."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.system import pack_uint

from analyzers import analyzer
from analyzers.simple import ranking_gram_counts

TITLE_BOOST = 2.0
# Raise when fields or analysis change: an index of another version is rebuilt, not updated.
SCHEMA_VERSION = 12
FACETS = ("city", "event", "year", "lang")


class Bigrams(TEXT):
    """A CJK-bigram field indexed straight from term counts: the postings
    TEXT(analyzer=analyzer("auto", "bigram"), phrase=False) gives (frequencies only) for the
    bigrams that carry content (analyzers.simple.ranking_gram), without a Whoosh token per
    bigram. Queries analyze with the bigram analyzer and keep the same bigrams. Its class
    path is part of the on-disk schema."""

    def __init__(self):
        super().__init__(analyzer=analyzer("auto", "bigram"), phrase=False)

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        return [
            (term.encode("utf-8"), freq, freq * boost, pack_uint(freq))
            for term, freq in ranking_gram_counts(value).items()
        ]


def build_schema(kind: str = "morph") -> Schema:
    """Return hanil's schema. Pass it to open_dir so Whoosh need not unpickle (and load) it.

    kind names the text analyzer: hanil's (morph) or a comparison one for `hanil eval`.
    """
    text = analyzer("auto", kind)
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=text, stored=True, chars=True, field_boost=TITLE_BOOST),
        body=TEXT(analyzer=text, stored=True, chars=True),
        # CJK character bigrams of title and body: a ranking signal robust to segmentation
        # differences between query and text (see search_app/query.py).
        grams=Bigrams(),
        lang=ID(stored=True),
        date=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        city=KEYWORD(stored=True, commas=True),
        event=KEYWORD(stored=True, commas=True),
        source=ID(stored=True),
        url=STORED(),
        author=STORED(),
        section=STORED(),
        origin=ID(stored=True),
        hash=STORED(),
    )


def to_fields(article) -> dict:
    """Return the Whoosh fields of an Article (empty ones left out)."""
    fields = {
        "id": article.id,
        "title": article.title or "",
        "body": article.body,
        "grams": f"{article.title}\n{article.body}",
        "lang": article.lang,
        "date": article.date or "",
        "year": str(article.year) if article.year else "",
        "city": ",".join(article.city),
        "event": ",".join(article.event),
        "source": article.source or "",
        "url": article.url or "",
        "author": article.author or "",
        "section": article.section or "",
        "origin": article.origin,
        "hash": article.hash,
    }
    return {k: v for k, v in fields.items() if v != "" or k in ("title", "body")}
