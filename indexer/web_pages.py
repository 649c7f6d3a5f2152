"""Read a saved news web page (HTML) into one article: main text and metadata.

trafilatura finds the main text (menus, most-read lists, related stories, footers, scripts
left out) and, through htmldate, the publication date from the page's own machine-readable
metadata (article:published_time, JSON-LD, <time>), never from links to other stories.
A page without them gets the date of its own dateline, next to its headline (`입력
2019.01.07 10:30`, `2019年2月22日 公開`), as a saved text page does; a page whose only date
has no year gets no date. What news pages need on top:

- Ruby readings (furigana, <rt>) are dropped before extraction: they are not the text.
- The headline is chosen among the page's title candidates (og:title, twitter:title,
  JSON-LD headline, <title>, <h1>, trafilatura's): each loses a site name standing before
  or after a separator (`… - 머니투데이`, `…：朝日新聞デジタル`) and a page counter
  (`（1/2 ページ）`), and the candidate the others hold whole wins (a <title> holds the
  headline plus the site's name and section; a menu's <h1> or a site name is held by none).
- Text the page itself carries as escaped markup (`&lt;br&gt;` in a caption) or as an
  entity is cleaned out of title and body.
- The canonical URL is normalized (courlan: scheme and host case, default port, tracking
  parameters, fragment): it identifies the article, so a page saved twice or crawled again
  updates it.
"""

from __future__ import annotations

import html as html_lib
import json
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from .dates import DATELINE, all_dates, normalize_date
from .decode import decode

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
# Where markup and a charset declaration are looked for: saved pages may open with long
# server-side code or comments.
SNIFF_BYTES = 16384
# Markup near the start of a file, after whatever a server-side template left (<?php ?>,
# <%@ page %>), comments or whitespace: a saved page, whatever it is called.
_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.I)
# Between a headline and a site name: " - ", " | ", "|", " : ", "：", " – ", " — ", "｜",
# an ideographic space, " :: ".
_SEPARATOR = re.compile(r"\s+[-–—|:]\s+|\s*[|｜：]\s*|\u3000+|\s+::\s+")
_PAGE_COUNTER = re.compile(r"\s*[(（]\s*\d+\s*/\s*\d+\s*(?:ページ|페이지|page)?\s*[)）]\s*$", re.I)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
SITE_MAX = 30  # characters: a site name is short; a headline part is not stripped
AUTHOR_MAX = 60
_NOT_AUTHOR = re.compile(r"[©Ⓒⓒ]|copyright|all rights", re.I)
_CODE = re.compile(r"^[A-Za-z]{0,3}\d[A-Za-z0-9_-]*$")  # S1N1, A01: a CMS code, not a name


class NotAnArticle(ValueError):
    """A page with no article text."""


@dataclass
class WebArticle:
    title: str
    body: str
    date: str | None
    url: str = ""  # canonical, normalized; "" when the page names none
    site: str = ""
    author: str = ""
    section: str = ""


def looks_like_html(data: bytes) -> bool:
    """Whether bytes are an HTML page, whatever the file is called."""
    return bool(_SNIFF.search(data[:SNIFF_BYTES]))


def decode_page(data: bytes, declared: str | None = None) -> str:
    """The page's text: bytes that are UTF-8 are read as UTF-8 whatever the page declares
    (a page saying euc-kr may be UTF-8), else the charset the page (or its HTTP header,
    `declared`) names when the bytes decode under it, else what the detector finds
    credible (indexer/decode.py)."""
    if declared is None:
        m = _CHARSET.search(data[:SNIFF_BYTES])
        declared = m.group(1).decode("ascii", "replace") if m else None
    return decode(data, declared=declared)


def read_page(data: bytes, url: str = "", declared: str | None = None) -> WebArticle:
    """Extract the article of one saved page; url is where it was fetched from, if known."""
    return extract(decode_page(data, declared), url)


def extract(page: str, url: str = "") -> WebArticle:
    """Extract the article of a page's HTML text, or raise NotAnArticle."""
    import trafilatura  # ~0.3 s to import: only when a page comes

    tree = _parse(page)
    meta = _Meta(tree)
    doc = trafilatura.bare_extraction(
        tree,
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = clean_text(getattr(doc, "text", None) or "")
    if not body:
        raise NotAnArticle("no article text found in the page")
    canonical = _canonical(meta, url)
    sites = _site_names(meta, doc, canonical or url)
    title = headline(_title_candidates(tree, meta, doc), sites)
    return WebArticle(
        title=title,
        body=body,
        date=normalize_date(getattr(doc, "date", None)) or _dateline(tree, title),
        url=canonical,
        site=next(iter(sites), ""),
        author=_author(meta, doc),
        section=_section(meta),
    )


def _parse(page: str):
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.fromstring(page)
    except (etree.ParserError, ValueError) as exc:
        raise NotAnArticle(f"not HTML that can be parsed: {exc}") from exc
    etree.strip_elements(tree, "rt", "rp", with_tail=False)  # ruby readings are not text
    return tree


def clean_text(text: str) -> str:
    """Text as it reads: entities the page escaped twice decoded, markup it carries as
    text dropped, spaces collapsed, empty lines gone."""
    if "&" in text:
        text = _ENTITY.sub(lambda m: html_lib.unescape(m.group()), text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    lines = (re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


_SPACES = re.compile(r"\s+")
_BLOCKS = ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote")


def html_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed item's content): paragraphs on their own
    lines, scripts, styles and ruby readings left out."""
    if "<" not in fragment:
        return clean_text(fragment)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(_TAG.sub(" ", fragment))
    etree.strip_elements(root, "script", "style", "rt", "rp", etree.Comment, with_tail=False)
    for el in root.iter():  # line breaks in the source are spaces; blocks make lines
        el.text = _SPACES.sub(" ", el.text) if el.text else el.text
        el.tail = _SPACES.sub(" ", el.tail) if el.tail else el.tail
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
    return clean_text(root.text_content())


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", clean_text(text)).strip()


class _Meta:
    """A page's <meta> values and JSON-LD objects, read once."""

    def __init__(self, tree):
        self.values: dict[str, str] = {}
        for el in tree.iter("meta"):
            name = el.get("property") or el.get("name") or el.get("itemprop")
            content = (el.get("content") or "").strip()
            if name and content:
                self.values.setdefault(name.strip().lower(), content)
        self.json_ld = _json_ld(tree)
        self.canonical = [el.get("href") or "" for el in tree.xpath('//link[@rel="canonical"]')]

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def ld(self, key: str) -> list:
        """The values of key in the page's JSON-LD objects (articles first)."""
        return [d[key] for d in self.json_ld if d.get(key)]


def _json_ld(tree) -> list[dict]:
    out: list[dict] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                out.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return out


def _names(values) -> list[str]:
    """Names out of JSON-LD values: strings, {"name": ...} objects, lists of either."""
    out = []
    for v in values if isinstance(values, list) else [values]:
        if isinstance(v, dict):
            v = v.get("name")
        if isinstance(v, str) and v.strip():
            out.append(_one_line(v))
    return out


def _title_candidates(tree, meta: _Meta, doc) -> list[str]:
    found = [meta.get("og:title"), meta.get("twitter:title")]
    for value in meta.ld("headline"):
        found += _names(value)
    found += [el.text_content() for el in tree.xpath("//title")[:1]]
    found += [el.text_content() for el in tree.xpath("//h1")[:5]]
    found.append(getattr(doc, "title", None) or "")
    out = []
    for text in found:
        text = _one_line(text or "")
        if text and text not in out:
            out.append(text)
    return out


def _site_names(meta: _Meta, doc, url: str) -> list[str]:
    """What the page calls its site, most trusted first, then its host."""
    names = [meta.get("og:site_name"), meta.get("application-name")]
    for publisher in meta.ld("publisher"):
        names += _names(publisher)
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    sitename = getattr(doc, "sitename", None) or ""
    if _key(sitename) != _key(host):  # trafilatura's guess from the host (Afpbbcom)
        names.append(sitename)
    names.append(host)
    out = []
    for name in names:
        name = _one_line(name or "")
        if name and len(name) <= SITE_MAX and name not in out:
            out.append(name)
    # Words of the host name a title may carry (itmedia in "… - ITmedia PC USER").
    out += [p for p in host.split(".") if len(p) > 2 and p not in ("com", "net", "news", "org")]
    return out


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def _is_site(part: str, sites: list[str]) -> bool:
    """Whether a title part names the site: it matches, holds or is held by a site name."""
    key = _key(part)
    if not key or len(part) > SITE_MAX:
        return False
    return any(
        (s := _key(site)) and (s == key or (len(s) >= 3 and (s in key or key in s)))
        for site in sites
    )


def strip_site(title: str, sites: list[str]) -> str:
    """Drop site names standing before or after a separator at either end, then a page
    counter."""
    parts = _SEPARATOR.split(title)
    seps = _SEPARATOR.findall(title)
    while len(parts) > 1 and _is_site(parts[-1], sites):
        parts.pop()
        seps.pop()
    while len(parts) > 1 and _is_site(parts[0], sites):
        parts.pop(0)
        seps.pop(0)
    kept = "".join(p + s for p, s in zip(parts, [*seps, ""], strict=True)).strip()
    return _PAGE_COUNTER.sub("", kept).strip()


def headline(candidates: list[str], sites: list[str]) -> str:
    """The headline among a page's title candidates: the one the most candidates hold
    whole (before their site names are stripped), the first of them on a tie."""
    sources: dict[str, set[str]] = {}  # stripped candidate -> the candidates it came from
    for c in candidates:
        stripped = strip_site(c, sites)
        if stripped and not _is_site(stripped, sites):
            sources.setdefault(stripped, set()).add(c)
    if not sources:
        return ""
    support = {
        c: sum(c in other for other in candidates if other not in own) for c, own in sources.items()
    }
    best = max(support.values())
    return next(c for c in sources if support[c] == best)


DATELINE_PIECES = 12  # text pieces after the headline where a dateline stands
DATELINE_CHARS = 40  # a piece this short that is a date is the dateline
PARAGRAPH_CHARS = 50  # a piece this long is a paragraph of the body (in CJK: a sentence)


def _dateline(tree, title: str) -> str | None:
    """The full date of the dateline next to the page's headline: a piece of text after
    it that names itself (입력, 公開, ...) or is little but a date."""
    heads = [h for h in tree.iter("h1", "h2") if title and title in _one_line(h.text_content())]
    if not heads:
        return None
    pieces = [t.strip() for t in heads[0].xpath("following::text()")[:60] if t.strip()]
    for piece in pieces[:DATELINE_PIECES]:
        labelled = DATELINE.search(piece)
        if labelled or len(piece) <= DATELINE_CHARS:
            found = all_dates(piece[labelled.start() :] if labelled else piece)
            if found and len(found[0][1]) == 10:
                return found[0][1]
        elif len(piece) > PARAGRAPH_CHARS:
            return None  # the body has begun: a dateline stands before it
    return None


def _canonical(meta: _Meta, url: str) -> str:
    for href in (*meta.canonical, meta.get("og:url"), url):
        normal = normalize_web_url(href or "")
        if normal:
            return normal
    return ""


def normalize_web_url(url: str) -> str:
    """An absolute http(s) URL in one spelling (courlan: scheme and host case, default
    port, tracking parameters, sorted query), without its fragment; else ""."""
    from courlan import normalize_url

    url = url.strip()
    if not re.match(r"^https?://[^/\s]+", url, re.I):
        return ""
    try:
        return normalize_url(url).split("#", 1)[0]
    except (ValueError, AttributeError):
        return ""


def _author(meta: _Meta, doc) -> str:
    found = [meta.get("author"), meta.get("article:author"), meta.get("dable:author")]
    for value in meta.ld("author"):
        found += _names(value)
    found.append(getattr(doc, "author", None) or "")
    for name in found:
        name = _one_line(name or "")
        if name and len(name) <= AUTHOR_MAX and not _NOT_AUTHOR.search(name):
            if not name.startswith(("http://", "https://")):
                return name
    return ""


def _section(meta: _Meta) -> str:
    found = [meta.get("article:section")]
    for value in meta.ld("articleSection"):
        found += _names(value)
    for name in found:
        name = _one_line(name or "")
        if name and len(name) <= SITE_MAX and not _CODE.match(name):
            return name
    return ""
