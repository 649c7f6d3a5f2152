"""Reindexing on a Dask cluster (`hanil reindex --scheduler tcp://HOST:8786`, or `--dask`
for a local cluster of --procs worker processes).

The coordinator reads the inputs and decides, as a local run does, what is added, replaced
and deleted. Each task of the cluster analyzes one partition of the changed articles and
writes it as a Whoosh segment into the generation's folder, which workers and coordinator
share (one machine, or a shared file system such as NFS); the models load once per worker
process and stay for its later tasks. The coordinator then deletes the replaced and gone
articles and commits the workers' segments with its own in one commit, exactly when a
local run would. A worker lost mid-task loses nothing: Dask runs its task again elsewhere,
and the files of a segment no commit names are removed by the commit (whoosh clean_files).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack, contextmanager

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from .articles import Article
from .codec import codec
from .schema import build_schema, to_fields
from .segment_writer import Writer
from .term_pool import fewer_collections


def write_partition(gen: str, analyzer_kind: str, articles: list[Article], options: dict):
    """Analyze articles into a new segment of the index in gen; return the segment (a small
    picklable record of its files, as whoosh's own worker processes return)."""
    ix = whoosh_index.open_dir(gen, schema=build_schema(analyzer_kind))
    writer = Writer(ix, _lk=False, codec=codec(), **options)  # the coordinator locks
    try:
        with fewer_collections():
            for art in articles:
                writer.add_document(**to_fields(art))
            return writer._finalize_segment()
    except BaseException:
        writer.cancel()
        raise


class SegmentsWriter(SegmentWriter):
    """The coordinator's writer: its commit also names the segments the cluster wrote."""

    def __init__(self, ix, segments: list, **kwargs):
        super().__init__(ix, **kwargs)
        self._cluster_segments = list(segments)

    def _commit_toc(self, segments):
        super()._commit_toc(list(segments) + self._cluster_segments)


class ClusterUnavailable(RuntimeError):
    """Dask is not installed, or the scheduler cannot be reached."""


@contextmanager
def connected(scheduler: str | None, procs: int):
    """A client of the scheduler at its address, or of a local cluster of procs worker
    processes (one thread each: Kiwi and Sudachi hold the GIL), closed on leaving."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterUnavailable(
            "a distributed reindex needs Dask: pip install 'hanil[cluster]'"
        ) from exc
    with ExitStack() as stack:
        if scheduler:
            try:
                client = stack.enter_context(Client(scheduler, timeout=30))
            except OSError as exc:
                raise ClusterUnavailable(
                    f"no Dask scheduler answers at {scheduler}: {exc}"
                ) from exc
        else:
            local = stack.enter_context(
                LocalCluster(
                    n_workers=procs, threads_per_worker=1, processes=True, dashboard_address=None
                )
            )
            client = stack.enter_context(Client(local))
        yield client


def analyze_on_cluster(
    gen: str,
    analyzer_kind: str,
    changed: list[Article],
    options: dict,
    cluster,
    progress: Callable[[int], None] | None = None,
) -> list:
    """Write the changed articles as segments on the cluster (indexer.build.Cluster);
    return the segments. Nothing changed starts no cluster."""
    if not changed:
        return []
    from dask.distributed import as_completed

    size = cluster.partition
    parts = [changed[i : i + size] for i in range(0, len(changed), size)]
    with connected(cluster.scheduler, cluster.procs) as client:
        futures = {
            client.submit(write_partition, gen, analyzer_kind, part, options, pure=False): len(part)
            for part in parts
        }
        segments = []
        for future in as_completed(futures):
            segments.append(future.result())
            if progress:
                progress(futures[future])
        return segments
