"""Read what people bring into articles: files and folders of saved web pages, web
archives, feeds, JSONL and text pages, each told apart by its content as well as its name.

| kind | how it is known | what becomes an article |
|---|---|---|
| web archive | starts with a WARC record (`.warc`, `.warc.gz`) | each HTML page (web_pages.py) |
| JSONL | `.jsonl`, `.jsonl.gz`, `.ndjson` | each record (articles.from_record) |
| feed | an RSS or Atom document | each item (feeds.py) |
| web page | HTML markup at its start, or `.html`, `.htm`, `.xhtml` | its main text (web_pages.py) |
| text page | anything else that decodes as text | its article(s) (extract.py) |

Any of them but JSONL and WARC may also be gzipped. An article from the web is known by
its canonical URL (articles.web_id); one from a text page by its path; a record by its id.

With procs > 1 the reading itself (decoding, extraction, facets) runs in worker processes,
a file or a batch of an archive's pages at a time, in input order.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from . import feeds, warc, web_pages
from .articles import MAX_ARTICLE_CHARS, Article, Skipped, finish, from_record, too_long, web_id
from .decode import UnreadableFile, decode
from .extract import extract_page

MAX_FILE_BYTES = 50 * 1024 * 1024  # a page, feed or JSONL file (not an archive)
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
FEED_SUFFIXES = (".rss", ".atom", ".rdf")
GZIP_MAGIC = b"\x1f\x8b"
PAGES_PER_JOB = 20  # an archive's pages are read in batches of this many


@dataclass
class Inputs:
    """The files a list of paths names (folders recursively, hidden entries left out)."""

    files: list[tuple[Path, Path]]  # (absolute path, name relative to the path given)
    folders: list[Path]  # the folders given, absolute
    missing: list[Path]  # given paths that do not exist


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


def _hidden(p: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in p.relative_to(root).parts)


# -- one file ------------------------------------------------------------------------------


def read_file(path: Path, rel: Path) -> Iterator[Article | Skipped]:
    """Yield the articles of one file, and what of it was skipped (the whole file, or a
    record, item or page of it, with the reason)."""
    file = str(path)
    try:
        if warc.is_warc(_head(path)):
            yield from _read_warc(path, rel)
            return
        if path.name.lower().endswith(JSONL_SUFFIXES):
            yield from _read_jsonl(path)
            return
        data = _read_bytes(path)
    except UnreadableFile as exc:
        yield Skipped(file, str(exc), file)
        return
    except OSError as exc:
        yield Skipped(file, f"cannot read: {exc.strerror or exc}", file)
        return
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(FEED_SUFFIXES) or feeds.looks_like_feed(data):
        yield from _read_feed(path, rel, data)
    elif name.endswith(web_pages.HTML_SUFFIXES) or web_pages.looks_like_html(data):
        yield from _read_page(path, rel, data)
    else:
        yield from _read_text(path, rel, data)


def _head(path: Path) -> bytes:
    """The first bytes of a file, decompressed when it is gzipped."""
    with open(path, "rb") as f:
        head = f.read(4096)  # enough compressed bytes to give the first few out
    if head.startswith(GZIP_MAGIC):
        try:
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 32)
        except zlib.error:
            return b""
    return head


def _read_bytes(path: Path) -> bytes:
    """A file's bytes, gunzipped when gzipped; UnreadableFile past MAX_FILE_BYTES."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(f"file too large ({size:,} bytes, over {MAX_FILE_BYTES:,})")
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                data = f.read(MAX_FILE_BYTES + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableFile(f"cannot decompress: {exc}") from exc
        if len(data) > MAX_FILE_BYTES:
            raise UnreadableFile(f"file too large once decompressed (over {MAX_FILE_BYTES:,})")
    return data


def stem(rel: Path) -> str:
    """The id of a file's article: its path relative to what was given, without suffixes."""
    name = rel.name
    for suffix in (".gz", *JSONL_SUFFIXES, *web_pages.HTML_SUFFIXES, ".txt", ".text", ".md"):
        name = name.removesuffix(suffix)
    return str(rel.parent / name) if str(rel.parent) != "." else name


def _checked(article: Article, where: str, file: str) -> Article | Skipped:
    """The article with its facets, or why it is skipped."""
    if len(article.body) > MAX_ARTICLE_CHARS:
        return Skipped(where, too_long(len(article.body)), file)
    return finish(article)


def _read_text(path: Path, rel: Path, data: bytes) -> Iterator[Article | Skipped]:
    file = str(path)
    try:
        text = decode(data)
    except UnreadableFile as exc:
        yield Skipped(file, str(exc), file)
        return
    items = [a for a in extract_page(text) if a.body.strip()]
    if not items:
        yield Skipped(file, "no article text found", file)
        return
    base = stem(rel)
    for i, item in enumerate(items, 1):
        art_id = base if len(items) == 1 else f"{base}#{i}"
        art = Article(art_id, "", item.title, item.body, item.date, item.year, origin=file)
        yield _checked(art, f"{path}#{i}", file)


def _web_article(page: web_pages.WebArticle, fallback_id: str, origin: str) -> Article:
    return Article(
        id=web_id(page.url) if page.url else fallback_id,
        lang="",
        title=page.title,
        body=page.body,
        date=page.date,
        source=page.site,
        url=page.url,
        origin=origin,
        author=page.author,
        section=page.section,
    )


def _read_page(path: Path, rel: Path, data: bytes) -> Iterator[Article | Skipped]:
    file = str(path)
    try:
        page = web_pages.read_page(data)
    except (UnreadableFile, web_pages.NotAnArticle) as exc:
        yield Skipped(file, str(exc), file)
        return
    yield _checked(_web_article(page, stem(rel), file), file, file)


def _read_feed(path: Path, rel: Path, data: bytes) -> Iterator[Article | Skipped]:
    file = str(path)
    try:
        found = feeds.items(data)
    except feeds.NotAFeed as exc:
        yield Skipped(file, str(exc), file)
        return
    base = stem(rel)
    for item in found:
        where = f"{path}#{item.n}"
        if not item.body:
            yield Skipped(where, "feed item without text", file)
            continue
        url = web_pages.normalize_web_url(item.url)
        art = Article(
            id=web_id(url) if url else (web_id(item.guid) if item.guid else f"{base}#{item.n}"),
            lang="",
            title=item.title,
            body=item.body,
            date=item.date,
            source=item.source,
            url=url,
            origin=file,
            author=item.author,
            section=item.section,
        )
        yield _checked(art, where, file)


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
    except (OSError, EOFError, UnicodeDecodeError, zlib.error) as exc:
        yield Skipped(file, f"cannot read JSONL: {exc}", file)


def _read_warc(path: Path, rel: Path) -> Iterator[Article | Skipped]:
    """The pages of a web archive, a batch at a time (_jobs hands batches to workers)."""
    for batch in _warc_batches(path):
        if isinstance(batch, Skipped):
            yield batch
        else:
            yield from read_archived(path, rel, batch)


def _warc_batches(path: Path) -> Iterator[list | Skipped]:
    """An archive's HTML pages in batches; a Skipped for the file when it breaks off."""
    file = str(path)
    batch: list = []
    try:
        for page in warc.pages(path):
            batch.append(page)
            if len(batch) >= PAGES_PER_JOB:
                yield batch
                batch = []
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds on broken input
        if batch:
            yield batch
        yield Skipped(file, f"web archive breaks off: {exc}", file)
        return
    if batch:
        yield batch


def read_archived(path: Path, rel: Path, batch: list) -> list[Article | Skipped]:
    """The articles of a batch of an archive's pages (or UnreadableRecords)."""
    file = str(path)
    out: list[Article | Skipped] = []
    for page in batch:
        where = f"{path}#{page.n}"
        if isinstance(page, warc.UnreadableRecord):
            out.append(Skipped(where, f"{page.url}: {page.reason}", file))
            continue
        try:
            found = web_pages.read_page(page.data, page.url, page.charset)
        except (UnreadableFile, web_pages.NotAnArticle) as exc:
            out.append(Skipped(where, f"{page.url}: {exc}", file))
            continue
        if not found.url:
            found.url = web_pages.normalize_web_url(page.url)
        article = _web_article(found, f"{stem(rel)}#{page.n}", file)
        out.append(_checked(article, where, file))
    return out


# -- many files, in worker processes -----------------------------------------------------


def read_all(inputs: Inputs, procs: int = 1, progress=None) -> Iterator[Article | Skipped]:
    """Yield the articles of every input file in order, and what was skipped; progress(1)
    is called as each file is done."""
    for root in inputs.missing:
        yield Skipped(str(root), "no such file or folder")
    if procs <= 1:
        for path, rel in inputs.files:
            yield from read_file(path, rel)
            if progress:
                progress(1)
        return
    # Forked workers: nothing is loaded yet that they could not share (models load later).
    with ProcessPoolExecutor(procs, mp_context=get_context("fork")) as pool:
        window: list[tuple[Future, bool]] = []
        for last, fn, *args in _jobs(inputs):
            window.append((pool.submit(fn, *args), last))
            if len(window) >= 4 * procs:  # bounded: an archive's pages are in the jobs
                yield from _done(*window.pop(0), progress)
        for future, last in window:
            yield from _done(future, last, progress)


def _done(future: Future, last: bool, progress) -> list:
    items = future.result()
    if progress and last:
        progress(1)
    return items


def _jobs(inputs: Inputs):
    """(ends a file, function, arguments...) per unit of work: a file, or a batch of an
    archive's pages (read from the archive here, extracted in a worker)."""
    for path, rel in inputs.files:
        try:
            archive = warc.is_warc(_head(path))
        except OSError:
            archive = False
        if not archive:
            yield True, _read_list, path, rel
            continue
        batches = _warc_batches(path)
        batch = next(batches, [])  # an archive without pages is one empty job
        while batch is not None:
            following = next(batches, None)
            if isinstance(batch, Skipped):
                yield following is None, _given, [batch]
            else:
                yield following is None, read_archived, path, rel, batch
            batch = following


def _read_list(path: Path, rel: Path) -> list[Article | Skipped]:
    return list(read_file(path, rel))


def _given(items: list) -> list:
    return items


__all__ = ["Inputs", "list_inputs", "read_all", "read_file", "stem"]
