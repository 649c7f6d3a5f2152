"""Reindex speed against analyzer-only time on the same text, with 1 and N processes.

    python bench/reindex_speed.py ../shared/data/ko-chosun/corpus.jsonl.gz
    python bench/reindex_speed.py ../shared/data/ja-livedoor/corpus.jsonl.gz --limit 3000
    python bench/reindex_speed.py ../shared/data/ja-livedoor/corpus.jsonl.gz --limit 800 --bridge

Analyzer-only: every title and body through the index analyzer (positions and offsets,
as Whoosh asks), models already loaded. Reindex: `reindex(..., full=True)` into a fresh
folder, as `hanil reindex --full` runs it, reading the JSONL, extracting facets, analyzing
and writing. --procs N workers are forked after the models are loaded, as `hanil reindex`
forks them (indexer.build.load_models_for). The three are timed in turn for --rounds rounds and
the best of each compared (the machine is shared and its speed drifts by 10-20% between
minutes). A fourth run, "analysis replayed", reindexes with one process from words and bigram
counts computed beforehand: everything reindex does but analysis (the least the ratio can be
is 1 + that time / analyzer-only). The analyzer's Terms alone (no Whoosh Token a term: what
the segment writer reads for the title and body) are timed too, and the ratio to them.
--bridge instead times `--procs 1` reindexes with the cross-language reading terms and
without them (switched off in this process), alternating for --rounds rounds (at least 3),
and prints the cost of the best runs and of each round; --flat the same with and without
the flat postings (indexer/flat_postings.py), and the index sizes.
--dask times `--procs N` against a local Dask cluster of N worker processes
(`hanil reindex --dask`).

    python bench/reindex_speed.py ../shared/data/html-news-dev/pages --copies 20

A folder of saved web pages instead: they are written, --copies times each, into a web
archive (their canonical links taken out, so that each copy is an article of its own), and
reading alone (decoding, extraction, facets: pages/s) is timed beside analysis and reindex,
with the share reading takes of a reindex.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from whoosh.analysis.analyzers import CompositeAnalyzer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import read_jsonl  # noqa: E402

from analyzers import MorphTokenizer, analyzer, kiwi_backend, sudachi_backend  # noqa: E402
from analyzers.simple import ranking_gram_counts  # noqa: E402
from indexer import build  # noqa: E402
from indexer import schema as schema_module  # noqa: E402
from indexer.articles import Article, read_inputs  # noqa: E402
from indexer.build import Cluster, reindex  # noqa: E402
from indexer.inputs import list_inputs, read_all  # noqa: E402


def forget_caches() -> None:
    """Every timed run starts with cold word caches, as a fresh `hanil reindex` does."""
    kiwi_backend.noun_parts.cache_clear()
    sudachi_backend.forget_words()


def analyze_all(records) -> float:
    a = analyzer()
    forget_caches()
    t0 = time.perf_counter()
    for r in records:
        for text in (r.get("title") or "", r.get("body") or ""):
            for _ in a(text, positions=True, chars=True, mode="index"):
                pass
    return time.perf_counter() - t0


def analyze_terms(records) -> float:
    """analyze_all without Whoosh's Token objects: the tokenizer's Terms, as the segment
    writer reads them for the title and body (indexer/segment_writer.py)."""
    tokenizer = MorphTokenizer()
    forget_caches()
    t0 = time.perf_counter()
    for r in records:
        for text in (r.get("title") or "", r.get("body") or ""):
            tokenizer.terms_of(text)
    return time.perf_counter() - t0


def timed_reindex(src: Path, dest: Path, procs: int) -> tuple[float, int]:
    forget_caches()
    t0 = time.perf_counter()
    s = reindex([src], dest, full=True, procs=procs)
    return time.perf_counter() - t0, s.indexed


class Replay(MorphTokenizer):
    """hanil's tokenizer handing back the Terms of texts analyzed beforehand."""

    def __init__(self, terms: dict[str, list]):
        super().__init__()
        self.analyzed = terms

    def __getstate__(self):  # Whoosh pickles the schema into the index
        return {"lang": self.lang, "kind": self.kind}

    def terms_of(self, value, index=True):
        return self.analyzed[value]


def analyzed(articles: list[Article]) -> tuple[dict, dict]:
    """Return what indexing asks the analyzers for, worked out beforehand: text -> Terms of
    each title and body, grams text -> bigram counts."""
    tokenizer = MorphTokenizer()
    terms: dict[str, list] = {}
    counts = {}
    for art in articles:
        for text in (art.title, art.body):
            terms[text] = tokenizer.terms_of(text)
        grams = f"{art.title}\n{art.body}"
        counts[grams] = ranking_gram_counts(grams)
    return terms, counts


def replayed_schema(terms: dict, counts: dict):
    """hanil's schema analyzing by lookups in what analyzed() returned. The bigram field
    reads schema_module.ranking_gram_counts, which this replaces: restore it with the
    returned function."""
    schema = build.build_schema()
    schema["title"].analyzer = schema["body"].analyzer = CompositeAnalyzer(Replay(terms))
    real_counts = schema_module.ranking_gram_counts
    schema_module.ranking_gram_counts = counts.__getitem__

    def restore() -> None:
        schema_module.ranking_gram_counts = real_counts

    return schema, restore


def timed_replay(src: Path, dest: Path) -> float:
    """Time a one-process reindex whose analysis (words and bigrams) was done beforehand."""
    articles = [a for a in read_inputs([src]) if isinstance(a, Article)]
    schema, restore = replayed_schema(*analyzed(articles))
    real_schema = build.build_schema
    build.build_schema = lambda kind="morph": schema
    try:
        t0 = time.perf_counter()
        reindex([src], dest, full=True, procs=1)
        return time.perf_counter() - t0
    finally:
        build.build_schema = real_schema
        restore()


def cluster_speed(src: Path, tmp: Path, procs: int, rounds: int) -> None:
    """Time `--procs N` against a local Dask cluster of N worker processes, alternating.
    The cluster is started anew each run, as `hanil reindex --dask` starts it."""
    walls: dict[str, list[float]] = {"procs": [], "dask": []}
    for r in range(rounds):
        for name in walls:
            forget_caches()
            cluster = Cluster(None, procs) if name == "dask" else None
            t0 = time.perf_counter()
            summary = reindex([src], tmp / f"{name}-{r}", full=True, procs=procs, cluster=cluster)
            walls[name].append(time.perf_counter() - t0)
            print(f"round {r + 1}  {name:<5} {walls[name][-1]:7.1f} s  {summary.indexed} articles")
    best = {k: min(v) for k, v in walls.items()}
    print(
        f"best of {rounds}: --procs {procs} {best['procs']:.1f} s, --dask --procs {procs} "
        f"{best['dask']:.1f} s ({best['procs'] / best['dask']:.2f}x the speed of --procs)"
    )


def bridge_cost(src: Path, tmp: Path, rounds: int = 3) -> None:
    """Time one-process reindexes without and with the reading terms, alternating; the
    best run of each, and each round's cost (the machine's speed drifts between runs)."""
    with_readings = sudachi_backend.index_terms
    walls: dict[bool, list[float]] = {False: [], True: []}
    for r in range(rounds):
        for on in (False, True):
            sudachi_backend.index_terms = with_readings if on else (lambda *_args: ())
            wall, _n = timed_reindex(src, tmp / f"bridge-{r}-{on}", 1)
            walls[on].append(wall)
            print(f"reindex -p 1 {'with' if on else 'without'} readings  {wall:8.1f} s")
    sudachi_backend.index_terms = with_readings
    off, on = min(walls[False]), min(walls[True])
    ratios = sorted(b / a for a, b in zip(walls[False], walls[True], strict=True))
    print(
        f"bridge cost (best of {rounds} each): {off:.1f} s -> {on:.1f} s, {on / off - 1:+.1%}; "
        f"per round {', '.join(f'{x - 1:+.1%}' for x in ratios)}, "
        f"median {ratios[len(ratios) // 2] - 1:+.1%}"
    )


def flat_cost(src: Path, tmp: Path, rounds: int = 3) -> None:
    """Time one-process reindexes without and with the flat postings, alternating."""
    from whoosh.codec.whoosh3 import W3Codec

    from indexer.codec import Codec

    with_flat = Codec.field_writer
    walls: dict[bool, list[float]] = {False: [], True: []}
    sizes: dict[bool, int] = {}
    for r in range(rounds):
        for on in (False, True):
            Codec.field_writer = with_flat if on else W3Codec.field_writer
            root = tmp / f"flat-{r}-{on}"
            wall, _n = timed_reindex(src, root, 1)
            walls[on].append(wall)
            sizes[on] = sum(f.stat().st_size for f in root.rglob("*") if f.is_file())
            print(f"reindex -p 1 {'with' if on else 'without'} flat postings  {wall:8.1f} s")
    Codec.field_writer = with_flat
    off, on = min(walls[False]), min(walls[True])
    cost = on / off - 1
    print(f"flat postings cost (best of {rounds} each): {off:.1f} s -> {on:.1f} s, {cost:+.1%}")
    print(f"index size: {sizes[False] / 1e6:.1f} MB -> {sizes[True] / 1e6:.1f} MB")


_CANONICAL = re.compile(rb"<link[^>]+rel=[\"']canonical[\"'][^>]*>|<meta[^>]+og:url[^>]*>", re.I)


def page_archive(pages: Path, copies: int, dest: Path) -> int:
    """Write every page of a folder, copies times, into one WARC as HTTP responses, each
    under a URL of its own; return the number of pages written."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    files = sorted(p for p in pages.iterdir() if p.is_file())
    with open(dest, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for k in range(copies):
            for page in files:
                data = _CANONICAL.sub(b"", page.read_bytes())
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1")
                record = writer.create_warc_record(
                    f"https://bench.example/{k}/{page.name}",
                    "response",
                    payload=io.BytesIO(data),
                    length=len(data),
                    http_headers=headers,
                )
                writer.write_record(record)
    return copies * len(files)


def timed_reading(src: Path, procs: int) -> tuple[float, list[Article]]:
    t0 = time.perf_counter()
    found = [a for a in read_all(list_inputs([src]), procs) if isinstance(a, Article)]
    return time.perf_counter() - t0, found


def page_speed(pages: Path, copies: int, procs: int, rounds: int) -> None:
    """Reading web pages (extraction) beside analysis and reindex, with 1 and procs."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "pages.warc.gz"
        n = page_archive(pages, copies, src)
        _t, found = timed_reading(src, 1)
        records = [{"title": a.title, "body": a.body} for a in found]
        analyze_all(records[:20])  # load the models outside the timing
        print(f"pages         {pages}: {n} pages ({copies} copies each), {len(found)} articles")
        runs: dict[str, list[float]] = {}
        for r in range(rounds):
            for name, fn in (
                ("reading -p 1", lambda: timed_reading(src, 1)[0]),
                (f"reading -p {procs}", lambda: timed_reading(src, procs)[0]),
                ("analyzer only", lambda: analyze_all(records)),
                ("reindex -p 1", lambda r=r: timed_reindex(src, Path(tmp) / f"a{r}", 1)[0]),
                (
                    f"reindex -p {procs}",
                    lambda r=r: timed_reindex(src, Path(tmp) / f"b{r}", procs)[0],
                ),
            ):
                runs.setdefault(name, []).append(fn())
            print(f"round {r + 1}  " + "  ".join(f"{k} {v[-1]:.1f} s" for k, v in runs.items()))
        best = {k: min(v) for k, v in runs.items()}
        print(f"best of {rounds} each:")
        for name, wall in best.items():
            print(f"{name:<14} {wall:7.1f} s  {n / wall:6.1f} pages/s")
        print(
            f"reading is {best['reading -p 1'] / best['reindex -p 1']:.0%} of a one-process "
            f"reindex, analysis {best['analyzer only'] / best['reindex -p 1']:.0%}; "
            f"reading with {procs} processes is "
            f"{best['reading -p 1'] / best[f'reading -p {procs}']:.2f}x as fast"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--procs", type=int, default=2)
    p.add_argument("--rounds", type=int, default=2, help="alternating rounds; best of each")
    p.add_argument("--bridge", action="store_true", help="time the cross-language readings")
    p.add_argument("--flat", action="store_true", help="time writing the flat postings")
    p.add_argument("--copies", type=int, default=10, help="of each page, for a folder of pages")
    p.add_argument("--dask", action="store_true", help="time --procs N against --dask")
    args = p.parse_args()
    if Path(args.corpus).is_dir():
        page_speed(Path(args.corpus), args.copies, args.procs, args.rounds)
        return

    records = read_jsonl(args.corpus, args.limit)
    mb = sum(len((r.get("title") or "").encode()) + len(r["body"].encode()) for r in records) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl.gz"
        with gzip.open(src, "wt", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        analyze_all(records[:20])  # load the models outside the timing
        if args.bridge or args.flat:
            (bridge_cost if args.bridge else flat_cost)(src, Path(tmp), max(args.rounds, 3))
            return
        if args.dask:
            cluster_speed(src, Path(tmp), args.procs, args.rounds)
            return
        print(f"corpus        {args.corpus}: {len(records)} articles, {mb:.1f} MB")
        t_an: list[float] = []
        t_terms: list[float] = []
        walls: dict[int, list[float]] = {1: [], args.procs: []}
        replays: list[float] = []
        for r in range(args.rounds):  # alternating: the machine's speed drifts between runs
            t_an.append(analyze_all(records))
            t_terms.append(analyze_terms(records))
            print(
                f"round {r + 1}  analyzer only {t_an[-1]:.1f} s (Terms {t_terms[-1]:.1f} s)", end=""
            )
            for procs in walls:
                wall, indexed = timed_reindex(src, Path(tmp) / f"ix{r}-{procs}", procs)
                walls[procs].append(wall)
                print(f"  reindex -p {procs} {wall:.1f} s", end="")
            replays.append(timed_replay(src, Path(tmp) / f"replay{r}"))
            print(f"  analysis replayed {replays[-1]:.1f} s")
        an = min(t_an)
        print(f"best of {args.rounds} each:")
        print(f"analyzer only {an:8.1f} s  {len(records) / an:7.1f} articles/s  {mb / an:.3f} MB/s")
        for procs, runs in walls.items():
            wall = min(runs)
            print(
                f"reindex -p {procs}  {wall:8.1f} s  {indexed / wall:7.1f} articles/s  "
                f"{mb / wall:.3f} MB/s  ratio to analyzer-only {wall / an:.2f}"
            )
        terms_only = min(t_terms)
        print(
            f"analyzer Terms only (no Whoosh Token) {terms_only:.1f} s: reindex -p 1 / it "
            f"{min(walls[1]) / terms_only:.2f}"
        )
        replay = min(replays)
        print(f"analysis replayed {replay:.1f} s: the ratio is at least {1 + replay / an:.2f}")
        print(f"speed-up --procs {args.procs} vs 1: {min(walls[1]) / min(walls[args.procs]):.2f}x")
        # The same figures within each round, whose runs follow each other within a minute.
        one, many = walls[1], walls[args.procs]
        ratios = " ".join(f"{w / a:.2f}" for w, a in zip(one, t_an, strict=True))
        floors = " ".join(f"{1 + w / a:.2f}" for w, a in zip(replays, t_an, strict=True))
        speedups = " ".join(f"{w / m:.2f}x" for w, m in zip(one, many, strict=True))
        per_round = [w / a for w, a in zip(one, t_an, strict=True)]
        to_terms = [w / a for w, a in zip(one, t_terms, strict=True)]
        print(f"per round: ratio {ratios}; least ratio {floors}; speed-up {speedups}")
        print(f"per round: ratio to the Terms only {' '.join(f'{x:.2f}' for x in to_terms)}")
        print(
            f"median round: ratio {statistics.median(per_round):.2f}, "
            f"to the Terms only {statistics.median(to_terms):.2f}"
        )


if __name__ == "__main__":
    main()
