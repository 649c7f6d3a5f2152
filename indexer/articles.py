"""Read inputs (text pages, JSONL, folders) into clean articles with facets."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from analyzers.script import guess_language

from . import facets
from .dates import normalize_date
from .decode import UnreadableFile, decode
from .extract import extract_page

# Raise to make incremental runs re-analyze everything after a change in extraction.
PIPELINE_VERSION = "2"
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
        """A digest of the article's id and content, to tell a changed article from an
        unchanged one; not of where it was read from (a file named by a relative and then an
        absolute path, or moved, holds the same articles)."""
        fields = asdict(self)
        del fields["origin"]
        data = json.dumps([PIPELINE_VERSION, fields], ensure_ascii=False, sort_keys=True)
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


@dataclass
class Inputs:
    """The files a list of paths names (folders recursively, hidden entries left out)."""

    files: list[tuple[Path, Path]]  # (absolute path, name relative to the path given)
    folders: list[Path]  # the folders given, absolute
    missing: list[Path]  # given paths that do not exist


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


def list_inputs(paths: Iterable[str | Path]) -> Inputs:
    """List the files of files and folders (recursively)."""
    inputs = Inputs([], [], [])
    for root in paths:
        root = Path(root).absolute()
        if root.is_dir():
            inputs.folders.append(root)
            files = sorted(p for p in root.rglob("*") if p.is_file() and not _hidden(p, root))
            inputs.files.extend((p, p.relative_to(root)) for p in files)
        elif root.is_file():
            inputs.files.append((root, Path(root.name)))
        else:
            inputs.missing.append(root)
    return inputs


def read_inputs(paths: Iterable[str | Path]) -> Iterator[Article | Skipped]:
    """Yield the articles of files and folders (recursively), and what was skipped."""
    inputs = list_inputs(paths)
    for root in inputs.missing:
        yield Skipped(str(root), "no such file or folder")
    for path, rel in inputs.files:
        yield from read_file(path, rel)


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
    file = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Skipped(file, f"file too large ({size:,} bytes, over {MAX_FILE_BYTES:,})", file)
            return
        if name.endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(path)
            return
        text = decode(path.read_bytes())
    except UnreadableFile as exc:
        yield Skipped(file, str(exc), file)
        return
    except OSError as exc:
        yield Skipped(file, f"cannot read: {exc.strerror or exc}", file)
        return
    stem = _stem(rel)
    items = [a for a in extract_page(text) if a.body.strip()]
    if not items:
        yield Skipped(file, "no article text found", file)
        return
    for i, item in enumerate(items, 1):
        art_id = stem if len(items) == 1 else f"{stem}#{i}"
        if len(item.body) > MAX_ARTICLE_CHARS:
            yield Skipped(f"{path}#{i}", _too_long(len(item.body)), file)
            continue
        yield finish(Article(art_id, "", item.title, item.body, item.date, item.year, origin=file))


def _read_jsonl(path: Path) -> Iterator[Article | Skipped]:
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    file = str(path)
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    yield finish(from_record(json.loads(line), file))
                except (ValueError, RecursionError) as exc:  # BadRecord, bad JSON
                    yield Skipped(f"{path}:{n}", f"bad record: {exc}", file)
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        yield Skipped(file, f"cannot read JSONL: {exc}", file)


def _too_long(n: int) -> str:
    return f"article of {n:,} characters, over the {MAX_ARTICLE_CHARS:,} limit"


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
        raise BadRecord(_too_long(len(body)))
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
