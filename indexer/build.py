"""Build or update the index from inputs: incremental by default, or a full rebuild."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index

from analyzers import kiwi_backend, sudachi_backend
from analyzers.script import HAS_HANGUL

from . import store
from .articles import Article, Skipped, read_inputs
from .codec import codec
from .schema import build_schema, to_fields

HASHES = "hashes.json"  # id -> content hash of the generation, to skip unchanged articles
# Whoosh's posting pool spills sorted runs to disk past this size and merges them at commit
# (a pickle dump and load per posting): 1,500 ja-livedoor articles, whose bigram field
# alone holds ~1,000 postings each, spilled at 256 MB (66.6 s) and not at 1,024 (43.8 s).
WRITER_MB = 1024
MIN_PER_PROC = 50  # changed articles per worker process before --procs starts workers


@dataclass
class Summary:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    elapsed: float = 0.0
    chars: int = 0  # characters of the articles analyzed

    @property
    def indexed(self) -> int:
        return self.added + self.updated

    @property
    def rate(self) -> float:
        return self.indexed / self.elapsed if self.elapsed else 0.0


def collect(paths: Iterable[str | Path], summary: Summary) -> list[Article]:
    """Read every input; the first article with an id wins, later ones are skipped."""
    seen: dict[str, str] = {}
    out = []
    for item in read_inputs(paths):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
        elif item.id in seen:
            summary.skipped.append(
                Skipped(item.origin, f"duplicate id {item.id!r} (first in {seen[item.id]})")
            )
        else:
            seen[item.id] = item.origin
            out.append(item)
    return out


def reindex(
    paths: Iterable[str | Path],
    root: str | Path,
    full: bool = False,
    procs: int = 1,
    progress: Callable[[int], None] | None = None,
    on_collected: Callable[[int], None] | None = None,
    analyzer_kind: str = "morph",
) -> Summary:
    """Make the index in root mirror the articles in paths, and return what changed.

    Unchanged articles (same content hash) are not re-analyzed, changed ones are
    replaced, and articles no longer in the inputs are deleted. full=True (or no index
    yet, or an index of another schema version or analyzer) builds a new generation and
    switches to it atomically after its commit.
    """
    root = Path(root)
    t0 = time.perf_counter()
    summary = Summary()
    with store.build_lock(root):
        articles = collect(paths, summary)
        if on_collected:
            on_collected(len(articles))
        gen = None if full else store.current_dir(root)
        if gen is not None and not store.is_compatible(gen, analyzer_kind):
            gen = None
        fresh = gen is None
        if fresh:
            gen = store.new_generation(root, analyzer_kind)
        try:
            ix = whoosh_index.open_dir(str(gen), schema=build_schema(analyzer_kind))
            known = {} if fresh else _known_hashes(ix, gen)
            _write(ix, articles, known, summary, procs, progress)
            _save_hashes(ix, gen, articles)
            now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
            store.write_meta(gen, updated_at=now, **({"built_at": now} if fresh else {}))
        except BaseException:
            if fresh:
                shutil.rmtree(gen, ignore_errors=True)
            raise
        if fresh:
            store.switch_to(root, gen)
    summary.elapsed = time.perf_counter() - t0
    return summary


def _write(ix, articles, known, summary, procs, progress) -> None:
    changed = [a for a in articles if known.get(a.id) != a.hash]
    if procs > 1 and len(changed) >= MIN_PER_PROC * procs:
        load_models(changed)
        writer = ix.writer(procs=procs, multisegment=True, limitmb=WRITER_MB, codec=codec())
    else:  # worker processes only pay off for real work
        writer = ix.writer(limitmb=WRITER_MB, codec=codec())
    try:
        for art in articles:
            old = known.pop(art.id, None)
            if old == art.hash:
                summary.unchanged += 1
            else:
                fields = to_fields(art)
                if old is None:
                    writer.add_document(**fields)
                    summary.added += 1
                else:
                    writer.update_document(**fields)
                    summary.updated += 1
                summary.chars += len(art.title) + len(art.body)
            if progress:
                progress(1)
        for gone in known:
            writer.delete_by_term("id", gone)
            summary.deleted += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def load_models(articles: list[Article]) -> None:
    """Load the models the articles need before the writer forks its workers: they then
    share them copy-on-write (Kiwi is ~500 MB) instead of each loading its own. A corpus
    without Hangul never needs Kiwi."""
    sudachi_backend.dictionary()
    if any(HAS_HANGUL.search(a.title) or HAS_HANGUL.search(a.body) for a in articles):
        kiwi_backend.kiwi()


def _known_hashes(ix, gen: Path) -> dict[str, str]:
    """Return id -> hash of the indexed articles, from the sidecar when it is current."""
    try:
        data = json.loads((gen / HASHES).read_text(encoding="utf-8"))
        if data.get("generation") == ix.latest_generation():
            return dict(data["hashes"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with ix.searcher() as s:
        return {f["id"]: f.get("hash", "") for f in s.reader().all_stored_fields()}


def _save_hashes(ix, gen: Path, articles: list[Article]) -> None:
    data = {"generation": ix.latest_generation(), "hashes": {a.id: a.hash for a in articles}}
    tmp = gen / f".{HASHES}.{os.getpid()}"
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, gen / HASHES)
