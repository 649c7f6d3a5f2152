"""How query cost and the index grow with the archive: the index built in steps.

    python bench/scale.py --steps 4 --queries 200
    python bench/scale.py --steps 4 --queries 200 --compare-steps
    python bench/scale.py --steps 2 --limit 8000 --replace-half

Each step adds the next share of the dev corpora (ko-chosun, ja-livedoor, ja-jsquad,
ko-korquad, ko-wikinews: ~32k articles, interleaved so every step holds each language) to
one index by an incremental reindex, then prints the step's build time, articles, index
size, deleted share and segments, and the in-process latency (p50, p95, max; result cache
off; a page of 10 with snippets and every facet count) of short queries (1-3 words) and
long ones (a whole headline or question), after one untimed pass over them, and the RSS
of the process holding the index.
--compare-steps then times the first step's index (kept) and the last one alternating, for
--rounds rounds: the growth as a ratio of two indexes timed side by side.
--replace-half then reindexes with half the articles changed (an incremental run replacing
them) and times the same queries on that index and on a fresh build of the same articles,
alternating between the two for --rounds rounds.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import SHARED_DATA, read_jsonl  # noqa: E402
from search_latency import in_process, short_queries  # noqa: E402

from indexer.build import reindex  # noqa: E402
from indexer.stats import index_stats  # noqa: E402
from search_app.evaluate import percentile  # noqa: E402
from search_app.search import SearchIndex, SearchRequest  # noqa: E402

SETS = ("ko-chosun", "ja-livedoor", "ja-jsquad", "ko-korquad", "ko-wikinews")


def corpus(limit: int | None) -> list[dict]:
    """The sets' articles interleaved (a step holds each language and kind)."""
    lists = [read_jsonl(next((SHARED_DATA / s).glob("corpus.jsonl*"))) for s in SETS]
    out = []
    for i in range(max(len(x) for x in lists)):
        out += [x[i] for x in lists if i < len(x)]
    return out[:limit] if limit else out


def long_queries(n: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    pool = []
    for s in SETS:
        with open(SHARED_DATA / s / "queries.jsonl", encoding="utf-8") as f:
            pool += [json.loads(line)["query"] for line in f if line.strip()]
    return rng.sample(pool, n)


def figures(lat: list[float]) -> str:
    return (
        f"p50 {percentile(lat, 0.5):6.1f}  p95 {percentile(lat, 0.95):6.1f}  max {max(lat):6.1f} ms"
    )


def latency(root: Path, short: list[str], long: list[str]) -> tuple[str, str]:
    """Timed after one untimed pass over the same queries: the files a query reads are then
    in the OS cache, as they are for a server that has run a while (results are never
    cached: each query is searched)."""
    index = SearchIndex(root, cached_results=0)
    in_process(index, short + long)
    return figures(in_process(index, short)), figures(in_process(index, long))


def write(path: Path, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, default=4)
    p.add_argument("--limit", type=int, default=None, help="articles in all")
    p.add_argument("--queries", type=int, default=200)
    p.add_argument("--procs", type=int, default=2)
    p.add_argument("--replace-half", action="store_true")
    p.add_argument("--rounds", type=int, default=3, help="alternating comparisons' rounds")
    p.add_argument(
        "--compare-steps",
        action="store_true",
        help="time the first step's index (kept) against the last one, alternating",
    )
    args = p.parse_args()
    records = corpus(args.limit)
    short, long = short_queries(args.queries), long_queries(args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        src, root = Path(tmp) / "in", Path(tmp) / "ix"
        src.mkdir()
        size = -(-len(records) // args.steps)
        for k in range(args.steps):
            part = records[k * size : (k + 1) * size]
            write(src / f"step{k}.jsonl", part)
            t0 = time.perf_counter()
            reindex([src], root, procs=args.procs)
            built = time.perf_counter() - t0
            st = index_stats(root)
            s, lg = latency(root, short, long)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            if k == 0 and args.compare_steps:
                shutil.copytree(root, Path(tmp) / "first", symlinks=True)
            print(
                f"step {k + 1}: {st['articles']:6d} articles  +{len(part)} in {built:6.1f} s  "
                f"{st['size_bytes'] / 1e6:6.0f} MB  deleted {st['deleted_share']:.1%} "
                f"({st['segments']} segments)  peak RSS {rss:5.0f} MB\n"
                f"        short: {s}\n        long:  {lg}",
                flush=True,
            )
        if args.compare_steps:
            compare({"last": root, "first": Path(tmp) / "first"}, short, long, args.rounds)
        if not args.replace_half:
            return
        changed = [dict(r, body=r["body"] + " (수정)") for r in records[::2]]
        for k in range(args.steps):  # the changed half, in their files
            part = records[k * size : (k + 1) * size]
            edits = {r["id"]: r for r in changed}
            write(src / f"step{k}.jsonl", [edits.get(r["id"], r) for r in part])
        t0 = time.perf_counter()
        reindex([src], root, procs=args.procs, force=True)
        st = index_stats(root)
        print(
            f"half replaced in {time.perf_counter() - t0:.1f} s: deleted "
            f"{st['deleted_share']:.1%} ({st['segments']} segments)",
            flush=True,
        )
        fresh = Path(tmp) / "fresh"
        reindex([src], fresh, procs=args.procs, full=True)
        print(f"fresh build of the same articles: {index_stats(fresh)['segments']} segments")
        compare({"replaced": root, "fresh": fresh}, short, long, args.rounds)


def compare(roots: dict[str, Path], short: list[str], long: list[str], rounds: int) -> None:
    """The same queries on two indexes: each query runs on one, then at once on the other
    (the machine's speed drifts 10-50% within minutes: both meet the same moment), every
    query once a round, for rounds rounds; the median of the rounds' p95 and their ratio."""
    indexes = {name: SearchIndex(root, cached_results=0) for name, root in roots.items()}
    for index in indexes.values():
        index.search(SearchRequest(q=short[0]))  # open, load the models
        in_process(index, short + long)  # the files in the OS cache
    p95: dict[tuple[str, str], list[float]] = {}
    for r in range(rounds):
        for kind, queries in (("short", short), ("long", long)):
            lat: dict[str, list[float]] = {name: [] for name in indexes}
            for q in queries:
                for name, index in indexes.items():
                    lat[name] += in_process(index, [q])
            for name in indexes:
                p95.setdefault((name, kind), []).append(percentile(lat[name], 0.95))
                print(f"round {r + 1} {name:<8} {kind:<5} {figures(lat[name])}", flush=True)
    a_name, b_name = indexes
    for kind in ("short", "long"):
        a = sorted(p95[a_name, kind])[rounds // 2]
        b = sorted(p95[b_name, kind])[rounds // 2]
        print(
            f"{kind} p95 (median of {rounds}): {a_name} {a:.1f}, {b_name} {b:.1f} ms, "
            f"{a_name} / {b_name} {a / b:.2f}"
        )


if __name__ == "__main__":
    main()
