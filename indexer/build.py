"""Build or update the index from inputs: incremental by default, or a full rebuild."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.reading import SegmentReader

from analyzers import load_models
from analyzers.script import HAS_HANGUL

from . import store
from .articles import Article, Skipped
from .codec import codec
from .inputs import Inputs, list_inputs, read_all
from .schema import build_schema, to_fields
from .segment_writer import Writer
from .term_pool import fewer_collections

# id -> (content hash, origin file) of a generation's articles: unchanged articles are not
# re-analyzed, and an article's file tells whether a run may delete it.
KNOWN = "articles.json"
MAX_DELETE_SHARE = 0.5  # a run deleting more of the index than this needs --force
# The writer's posting pool spills sorted runs to disk past this size and merges them at
# commit (a marshal dump and load per posting, in Python): 1,024 MB holds ~5 million
# postings (term_pool.POSTING_BYTES), ~7,000 Japanese articles of ~700 postings each.
WRITER_MB = 1024
# Segments stay separate files: whoosh3 reads a file of a compound segment by copying it
# into memory (BytesIO over the mapped file), once per reader, so each serving thread held
# its own ~300 MB copy of a 27k-article index's postings; separate files are read in place.
COMPOUND = False
PURGE_SHARE = 0.2  # a segment with more of its documents deleted is rewritten at commit
MAX_SEGMENTS = 4  # a commit keeps at most MAX_SEGMENTS - 1 earlier segments beside its own
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


class UnsafeRun(Exception):
    """A reindex that would delete what it must not without --force; nothing was changed."""


@dataclass
class Collected:
    """What one run read: its articles, what it skipped, and which indexed articles it may
    delete (see may_delete)."""

    articles: list[Article]
    inputs: Inputs
    incomplete: set[str]  # files with something skipped: none of their articles is deleted

    def may_delete(self, origin: str) -> bool:
        """Whether an indexed article from `origin` that this run did not read is gone: its
        file was read whole and no longer holds it, or its file is gone from a folder that
        this run read. An article from a file that was not given, could not be read, or had
        a record skipped is kept."""
        if origin in self.incomplete:
            return False
        if origin in self.listed:
            return True
        return any(Path(origin).is_relative_to(folder) for folder in self.inputs.folders)

    @property
    def listed(self) -> set[str]:
        return {str(path) for path, _rel in self.inputs.files}


def collect(
    paths: Iterable[str | Path], summary: Summary, procs: int = 1, progress=None
) -> Collected:
    """Read every input (in procs worker processes). A web article (known by its URL) read
    twice, as a page and a feed item or from two saves, is one: the fuller text wins. Of
    other articles with one id the first wins, later ones are skipped."""
    inputs = list_inputs(paths)
    seen: dict[str, int] = {}
    out: list[Article] = []
    for item in read_all(inputs, procs, progress):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
        elif item.id not in seen:
            seen[item.id] = len(out)
            out.append(item)
        elif item.url and out[seen[item.id]].url == item.url:
            if len(item.body) > len(out[seen[item.id]].body):
                out[seen[item.id]] = item
        else:
            first = out[seen[item.id]].origin
            reason = f"duplicate id {item.id!r} (first in {first})"
            summary.skipped.append(Skipped(item.origin, reason, item.origin))
    incomplete = {s.file for s in summary.skipped if s.file}
    return Collected(out, inputs, incomplete)


def reindex(
    paths: Iterable[str | Path],
    root: str | Path,
    full: bool = False,
    procs: int = 1,
    progress: Callable[[int], None] | None = None,
    on_collected: Callable[[int], None] | None = None,
    analyzer_kind: str = "morph",
    force: bool = False,
    on_read: Callable[[int], None] | None = None,
    cluster: Cluster | None = None,
) -> Summary:
    """Add and update the articles of paths in the index in root; return what changed.

    Incremental (the default): unchanged articles (same content hash) are not re-analyzed,
    changed ones are replaced, and an indexed article is deleted only when this run shows it
    gone (Collected.may_delete): inputs that are missing or unreadable delete nothing.
    full=True (or no index yet, or one of another schema version or analyzer) builds a new
    generation of exactly this run's articles and switches to it atomically after its
    commit; it refuses (UnsafeRun) when an input could not be read, since what that input
    held would be dropped. Either way, a run that would delete more than MAX_DELETE_SHARE of
    the index's articles refuses unless force is set. A refused run changes nothing.
    With cluster, the changed articles are analyzed on a Dask cluster (indexer/cluster.py);
    what is indexed and when it shows are the same.
    """
    root = Path(root)
    t0 = time.perf_counter()
    summary = Summary()
    with store.build_lock(root):
        run = collect(paths, summary, procs, on_read)
        if on_collected:
            on_collected(len(run.articles))
        live = store.current_dir(root)
        gen = None if full else live
        if gen is not None and not store.is_compatible(gen, analyzer_kind):
            gen = None
        fresh = gen is None
        previous = _known(live) if live is not None else {}
        ids = {a.id for a in run.articles}
        if fresh:
            unread = [s for s in summary.skipped if s.whole_file]
            if unread and previous and not force:
                raise UnsafeRun(
                    f"{len(unread)} input(s) could not be read (listed above): a full rebuild "
                    "would drop the articles they hold; nothing was changed (fix them, or "
                    "pass --force)"
                )
            gone = [i for i in previous if i not in ids]
        else:
            gone = [
                i for i, (_h, origin) in previous.items() if i not in ids and run.may_delete(origin)
            ]
        _check_share(len(gone), len(previous), force)
        if fresh:
            gen = store.new_generation(root, analyzer_kind)
        try:
            ix = whoosh_index.open_dir(str(gen), schema=build_schema(analyzer_kind))
            known = {} if fresh else previous
            if cluster is not None:
                _write_on_cluster(
                    ix,
                    gen,
                    analyzer_kind,
                    run.articles,
                    known,
                    gone if not fresh else [],
                    summary,
                    cluster,
                    progress,
                )
            else:
                _write(ix, run.articles, known, gone if not fresh else [], summary, procs, progress)
            summary.deleted = len(gone)
            kept = {i: v for i, v in known.items() if i not in ids and i not in set(gone)}
            _save_known(ix, gen, kept | {a.id: (a.hash, a.origin) for a in run.articles})
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


def _check_share(deleting: int, total: int, force: bool) -> None:
    if total and deleting > MAX_DELETE_SHARE * total and not force:
        raise UnsafeRun(
            f"this run would delete {deleting} of the index's {total} articles (more than "
            f"{MAX_DELETE_SHARE:.0%}); nothing was changed (pass --force if that is meant)"
        )


def _changed(articles: list[Article], known: dict) -> list[Article]:
    """The articles the index does not hold as they are (new, or of another content hash)."""
    return [a for a in articles if known.get(a.id, ("",))[0] != a.hash]


def _write(ix, articles, known, gone, summary, procs, progress) -> None:
    changed = _changed(articles, known)
    options = {"limitmb": WRITER_MB, "codec": codec(), "compound": COMPOUND}
    if procs > 1 and len(changed) >= MIN_PER_PROC * procs:
        load_models_for(changed)
        writer = ix.writer(procs=procs, multisegment=True, **options)
    else:  # worker processes only pay off for real work
        writer = Writer(ix, **options)
    with fewer_collections(), _committing(writer, gone):
        for art in articles:
            old = known.get(art.id)
            if old is not None and old[0] == art.hash:
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


@contextmanager
def _committing(writer, gone):
    """Run the writer's additions, then delete the gone articles and commit (merge_policy);
    on any failure cancel, leaving the index as it was."""
    try:
        yield writer
        for art_id in gone:
            writer.delete_by_term("id", art_id)
        writer.commit(mergetype=merge_policy)
    except BaseException:
        writer.cancel()
        raise


@dataclass(frozen=True)
class Cluster:
    """Where a distributed reindex runs: a scheduler's address, else a local cluster."""

    scheduler: str | None = None
    procs: int = 2
    partition: int = 200  # articles per task: enough to amortize a task, few enough to spread


def _write_on_cluster(ix, gen, analyzer_kind, articles, known, gone, summary, cluster, progress):
    """_write, with the changed articles analyzed into segments by the cluster's workers and
    committed here, with the deletions, in one commit."""
    from .cluster import SegmentsWriter, analyze_on_cluster

    changed = _changed(articles, known)
    summary.unchanged += len(articles) - len(changed)
    if progress:
        progress(len(articles) - len(changed))
    options = {"limitmb": WRITER_MB, "compound": COMPOUND}
    segments = analyze_on_cluster(str(gen), analyzer_kind, changed, options, cluster, progress)
    writer = SegmentsWriter(ix, segments, codec=codec(), **options)
    with _committing(writer, gone):
        for art in changed:
            if art.id in known:
                writer.delete_by_term("id", art.id)  # the new version is in a cluster segment
                summary.updated += 1
            else:
                summary.added += 1
            summary.chars += len(art.title) + len(art.body)


def merge_policy(writer, segments):
    """Every segment whose deleted documents pass PURGE_SHARE rewritten without them, as
    Lucene's tiered merge policy reclaims deletes (a deleted document is otherwise read and
    scored until a merge: an index with half its documents deleted answered 2.4x slower),
    then Whoosh's merge of small segments, then the smallest segments merged until at most
    MAX_SEGMENTS - 1 earlier ones stay beside what the commit writes (its own segment, and
    one per worker with --procs): a query looks up each term once per segment, so an archive
    grown by many reindexes would otherwise answer ever slower."""
    kept = []
    for segment in segments:
        total = segment.doc_count_all()
        if total and segment.deleted_count() > PURGE_SHARE * total:
            _rewrite(writer, segment)
        else:
            kept.append(segment)
    kept = _merge_small(writer, kept)
    if len(kept) >= MAX_SEGMENTS:
        ordered = sorted(kept, key=lambda s: s.doc_count_all())
        merged = len(kept) - MAX_SEGMENTS + 1
        for small in ordered[:merged]:
            _rewrite(writer, small)
        kept = ordered[merged:]
    return kept


def _merge_small(writer, segments):
    """Whoosh's MERGE_SMALL: the smallest segments merged up to the first point where they
    hold fewer documents than a Fibonacci bound."""
    from whoosh.util import fib

    ordered = sorted(segments, key=lambda s: s.doc_count_all())
    total = 0
    for i, segment in enumerate(ordered):
        total += segment.doc_count_all()
        if i > 3 and total < fib(i + 5):
            for small in ordered[: i + 1]:
                _rewrite(writer, small)
            return ordered[i + 1 :]
    return segments


def merge_all(writer, segments):
    """Every segment rewritten into the writer's new one (`hanil optimize`)."""
    for segment in segments:
        _rewrite(writer, segment)
    return []


def _rewrite(writer, segment) -> None:
    """Copy a segment's live documents into the writer's new segment (postings copied,
    nothing analyzed again)."""
    reader = _CopiedSegment(writer.storage, writer.schema, segment)
    writer.add_reader(reader)
    reader.close()


class _CopiedSegment(SegmentReader):
    """A segment read for copying. whoosh3 3.54.0 reads the value of an inlined posting
    without one as "" where its writer's pool requires bytes (or None): it is given as
    None, as a posting from a block is."""

    def iter_postings(self):
        for fieldname, text, docnum, weight, value in super().iter_postings():
            yield fieldname, text, docnum, weight, (value or None)


def optimize(root: str | Path) -> int:
    """Merge the live index into one segment without deleted documents (`hanil optimize`);
    return how many deleted documents were dropped."""
    root = Path(root)
    with store.build_lock(root):
        gen = store.current_dir(root)
        if gen is None:
            raise store.IndexMissing(f"no index in {root}: run `hanil reindex` first")
        ix = whoosh_index.open_dir(str(gen), schema=build_schema(store.analyzer_kind(gen)))
        known = _known(gen)
        with ix.searcher() as s:
            dropped = s.doc_count_all() - s.doc_count()
        writer = ix.writer(limitmb=WRITER_MB, codec=codec(), compound=COMPOUND)
        with fewer_collections():  # every posting of the index passes through the pool
            writer.commit(mergetype=merge_all)
        _save_known(ix, gen, known)
        store.write_meta(gen, updated_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"))
    return dropped


def load_models_for(articles: list[Article]) -> None:
    """Load the models the articles need before the writer forks its workers: they then
    share them copy-on-write (Kiwi is ~500 MB) instead of each loading its own. A corpus
    without Hangul never needs Kiwi."""
    load_models(
        korean=any(HAS_HANGUL.search(a.title) or HAS_HANGUL.search(a.body) for a in articles)
    )


def _known(gen: Path) -> dict[str, tuple[str, str]]:
    """Return id -> (content hash, origin file) of a generation's articles, from the
    sidecar when it is current, else from the stored fields."""
    ix = whoosh_index.open_dir(str(gen), schema=build_schema(store.analyzer_kind(gen)))
    try:
        data = json.loads((gen / KNOWN).read_text(encoding="utf-8"))
        if data.get("generation") == ix.latest_generation():
            return {i: (h, o) for i, (h, o) in data["articles"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    with ix.searcher() as s:
        return {
            f["id"]: (f.get("hash", ""), f.get("origin", ""))
            for f in s.reader().all_stored_fields()
        }


def _save_known(ix, gen: Path, articles: dict[str, tuple[str, str]]) -> None:
    data = {"generation": ix.latest_generation(), "articles": articles}
    tmp = gen / f".{KNOWN}.{os.getpid()}"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, gen / KNOWN)
