"""Query latency with facet counts: in-process, and over HTTP under concurrent clients.

    python bench/search_latency.py                      # ko-chosun + ja-livedoor, ~27k articles
    python bench/search_latency.py --clients 32 --seconds 60
    python bench/search_latency.py --no-build --no-cache   # every request searched
    python bench/search_latency.py --bridge                 # xlang on against off, in-process

Builds (or reuses) an index of the two corpora in --index-dir, draws 1-3 word queries from
the sets' own queries (deterministic), runs them through SearchIndex.search (ranked page of
10, snippets, facet counts) in-process, then starts `hanil serve` and loads /api/search from
N client threads for S seconds. The in-process figures never use the result cache; the
server uses it unless --no-cache (the clients cycle through the same queries).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import SHARED_DATA  # noqa: E402

from analyzers import terms  # noqa: E402
from indexer.build import reindex  # noqa: E402
from search_app.evaluate import percentile  # noqa: E402
from search_app.search import SearchIndex, SearchRequest  # noqa: E402

SETS = ("ko-chosun", "ja-livedoor")


def corpus_files() -> list[Path]:
    return [next((SHARED_DATA / s).glob("corpus.jsonl*")) for s in SETS]


def short_queries(n: int, seed: int = 7) -> list[str]:
    """1-3 word queries: the first words of the sets' own queries."""
    rng = random.Random(seed)
    pool = []
    for s in SETS:
        with open(SHARED_DATA / s / "queries.jsonl", encoding="utf-8") as f:
            pool += [json.loads(line)["query"] for line in f if line.strip()]
    out = []
    while len(out) < n:
        words = [t for t, *_ in terms(rng.choice(pool), compounds=False) if len(t) > 1]
        if words:
            k = rng.randint(1, min(3, len(words)))
            out.append(" ".join(words[:k]))
    return out


def in_process(index: SearchIndex, queries: list[str], xlang: bool = True) -> list[float]:
    out = []
    for q in queries:
        t0 = time.perf_counter()
        index.search(SearchRequest(q=q, xlang=xlang))
        out.append((time.perf_counter() - t0) * 1000)
    return out


def bridge_latency(index: SearchIndex, queries: list[str], runs: int = 5) -> None:
    """In-process latency with the cross-language bridge (xlang on, the default) and
    without it (xlang=off). Each query runs off and on in turn, `runs` times each, and
    keeps its best time per side: the two sides meet the same moment of the machine
    (its speed drifts 10-50% within minutes), and p50/p95 are taken over queries."""
    for q in queries:  # warm: term tables read, postings cached, files in the OS cache
        for xlang in (False, True):
            index.search(SearchRequest(q=q, xlang=xlang))
    best: dict[bool, list[float]] = {True: [], False: []}
    for q in queries:
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(runs):
            for xlang in (False, True):
                t0 = time.perf_counter()
                index.search(SearchRequest(q=q, xlang=xlang))
                times[xlang].append((time.perf_counter() - t0) * 1000)
        for xlang in (False, True):
            best[xlang].append(min(times[xlang]))
    for stat, p in (("p50", 0.5), ("p95", 0.95), ("mean", None)):
        if p is None:
            off, on = (sum(best[x]) / len(queries) for x in (False, True))
        else:
            off, on = (percentile(best[x], p) for x in (False, True))
        print(
            f"{stat} of each query's best of {runs}: off {off:.2f} ms, on {on:.2f} ms, "
            f"{on / off - 1:+.1%}"
        )


def load(port: int, queries: list[str], clients: int, seconds: float):
    """Closed-loop clients: each sends its next query as soon as the last one answered."""
    stop = time.monotonic() + seconds
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = k
        while time.monotonic() < stop:
            path = "/api/search?q=" + urllib.parse.quote(queries[i % len(queries)])
            i += clients
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                lat.append(ms)
                errors[0] += not ok

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, errors[0]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index-dir", type=Path, default=ROOT / "instance" / "bench-index")
    p.add_argument("--queries", type=int, default=500)
    p.add_argument("--clients", type=int, default=32)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--procs", type=int, default=2, help="for building the index")
    p.add_argument("--no-build", action="store_true", help="use the index as it is")
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes")
    p.add_argument("--threads", type=int, default=8, help="per server process")
    p.add_argument("--no-cache", action="store_true", help="the server caches no results")
    p.add_argument("--bridge", action="store_true", help="in-process, xlang on against off")
    args = p.parse_args()

    if not args.no_build:
        reindex(corpus_files(), args.index_dir, procs=args.procs)
    index = SearchIndex(args.index_dir, cached_results=0)
    queries = short_queries(args.queries)
    index.search(SearchRequest(q=queries[0]))  # open the index, load the models
    if args.bridge:
        bridge_latency(index, queries)
        return
    lat = in_process(index, queries)
    total = index.search(SearchRequest(q="")).total
    print(f"index        {args.index_dir}: {total} articles")
    print(
        f"in-process   {len(lat)} queries  p50 {percentile(lat, 0.5):.1f} ms  "
        f"p95 {percentile(lat, 0.95):.1f} ms  max {max(lat):.1f} ms"
    )

    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "search_app",
            "--index-dir",
            str(args.index_dir),
            "serve",
            "--port",
            str(args.port),
            "--threads",
            str(args.threads),
            "--workers",
            str(args.workers),
        ],
        env={**os.environ, **({"HANIL_CACHED_RESULTS": "0"} if args.no_cache else {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)
        load(args.port, queries[:50], 4, 5)  # warm the server's searcher
        lat, errors = load(args.port, queries, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait()
    print(
        f"http         {args.workers} workers x {args.threads} threads, "
        f"result cache {'off' if args.no_cache else 'on'}\n"
        f"             {args.clients} clients x {args.seconds:.0f} s: {len(lat)} requests, "
        f"{len(lat) / args.seconds:.1f} req/s, {errors} errors, "
        f"p50 {percentile(lat, 0.5):.1f} ms  p95 {percentile(lat, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    main()
