"""Read inputs (text pages, JSONL, folders) into clean articles with facets."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from analyzers.script import guess_language

from . import facets
from .dates import normalize_date
from .decode import UnreadableFile, decode
from .extract import extract_page

# Raise to make incremental runs re-analyze everything after a change in extraction.
PIPELINE_VERSION = "1"
MAX_FILE_BYTES = 50 * 1024 * 1024
# Longer than any news article; Kiwi would spend minutes on it (~0.1 MB/s).
MAX_ARTICLE_CHARS = 1_000_000
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")


@dataclass
class Article:
    id: str
    lang: str
    title: str
    body: str
    date: str | None = None
    year: int | None = None
    source: str = ""
    url: str = ""
    origin: str = ""
    city: list[str] = field(default_factory=list)
    event: list[str] = field(default_factory=list)

    @property
    def hash(self) -> str:
        """A digest of everything indexed, to tell a changed article from an unchanged one."""
        data = json.dumps([PIPELINE_VERSION, asdict(self)], ensure_ascii=False, sort_keys=True)
        return hashlib.sha1(data.encode()).hexdigest()


@dataclass
class Skipped:
    path: str
    reason: str


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


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Article | Skipped]:
    """Yield the articles of files and folders (recursively), and what was skipped."""
    for root in paths:
        root = Path(root)
        if root.is_dir():
            files = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p, root))
            for p in files:
                yield from read_file(p, p.relative_to(root))
        elif root.is_file():
            yield from read_file(root, Path(root.name))
        else:
            yield Skipped(str(root), "no such file or folder")


def _hidden(p: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in p.relative_to(root).parts)


def _stem(rel: Path) -> str:
    name = rel.name
    for suffix in (*JSONL_SUFFIXES, ".txt", ".text", ".md"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return str(rel.parent / name) if str(rel.parent) != "." else name


def read_file(path: Path, rel: Path) -> Iterator[Article | Skipped]:
    """Yield the articles of one file, or one Skipped saying why it was passed over."""
    name = path.name.lower()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Skipped(str(path), f"file too large ({size} bytes)")
            return
        if name.endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(path)
            return
        text = decode(path.read_bytes())
    except UnreadableFile as exc:
        yield Skipped(str(path), str(exc))
        return
    except OSError as exc:
        yield Skipped(str(path), f"cannot read: {exc.strerror or exc}")
        return
    stem = _stem(rel)
    items = [a for a in extract_page(text) if a.body.strip()]
    if not items:
        yield Skipped(str(path), "no article text found")
        return
    for i, item in enumerate(items, 1):
        art_id = stem if len(items) == 1 else f"{stem}#{i}"
        if len(item.body) > MAX_ARTICLE_CHARS:
            yield Skipped(f"{path}#{i}", _too_long(len(item.body)))
            continue
        yield finish(
            Article(art_id, "", item.title, item.body, item.date, item.year, origin=str(path))
        )


def _read_jsonl(path: Path) -> Iterator[Article | Skipped]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    yield finish(_from_record(rec, path))
                except (ValueError, TypeError, KeyError) as exc:
                    yield Skipped(f"{path}:{n}", f"bad JSON record: {exc}")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        yield Skipped(str(path), f"cannot read JSONL: {exc}")


def _too_long(n: int) -> str:
    return f"article of {n:,} characters, over the {MAX_ARTICLE_CHARS:,} limit"


def _from_record(rec: dict, path: Path) -> Article:
    if not isinstance(rec, dict):
        raise TypeError("not an object")
    art_id = str(rec["id"]).strip()
    body = rec.get("body") or ""
    if not art_id or not isinstance(body, str) or not body.strip():
        raise ValueError("needs a non-empty id and body")
    if len(body) > MAX_ARTICLE_CHARS:
        raise ValueError(_too_long(len(body)))
    date = normalize_date(rec.get("date"))
    city, event = rec.get("city") or [], rec.get("event") or []
    return Article(
        id=art_id,
        lang=rec.get("lang") or "",
        title=rec.get("title") or "",
        body=body,
        date=date,
        year=int(rec["year"]) if rec.get("year") else None,
        source=rec.get("source") or "",
        url=rec.get("url") or "",
        origin=str(path),
        city=list(city) if isinstance(city, list) else [str(city)],
        event=list(event) if isinstance(event, list) else [str(event)],
    )
