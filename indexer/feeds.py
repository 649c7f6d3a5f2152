"""Items of an RSS or Atom feed (feedparser): each item is an article."""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass

from .dates import normalize_date
from .web_pages import html_text

_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)


@dataclass
class FeedItem:
    n: int  # the item's number in the feed, from 1
    title: str
    body: str  # the fullest text the item carries: its content, else its summary
    url: str  # its link, as given
    guid: str
    date: str | None
    source: str  # the feed's title
    author: str
    section: str


class NotAFeed(ValueError):
    """Bytes feedparser cannot read as a feed."""


def looks_like_feed(head: bytes) -> bool:
    """Whether the start of a file is an RSS or Atom document."""
    return bool(_FEED.search(head[:2048])) and b"<html" not in head[:2048].lower()


def items(data: bytes) -> list[FeedItem]:
    """The items of a feed, or raise NotAFeed."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception") or "no RSS or Atom document"
        raise NotAFeed(f"not a feed: {reason}")
    source = html_text(parsed.feed.get("title", ""))
    out = []
    for n, entry in enumerate(parsed.entries, 1):
        texts = [c.get("value", "") for c in entry.get("content", [])]
        texts.append(entry.get("summary", ""))
        body = max((html_text(t) for t in texts), key=len)
        tags = [t.get("term") for t in entry.get("tags", []) if t.get("term")]
        out.append(
            FeedItem(
                n=n,
                title=html_text(entry.get("title", "")),
                body=body,
                url=entry.get("link", ""),
                guid=entry.get("id", ""),
                date=_date(entry),
                source=source,
                author=html_text(entry.get("author", "")),
                section=html_text(tags[0]) if tags else "",
            )
        )
    return out


def _date(entry) -> str | None:
    """The item's date as written (the publisher's own day, not UTC's)."""
    for key in ("published", "updated", "created"):
        raw = (entry.get(key) or "").strip()
        if not raw:
            continue
        try:  # RFC 822, as RSS writes it: keep the writer's time zone
            return email.utils.parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        date = normalize_date(raw[:10])  # ISO 8601, as Atom writes it
        if date:
            return date
    return None
