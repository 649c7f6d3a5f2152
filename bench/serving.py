"""A served index under load: start-up time, and the memory a serving process holds.

    python bench/serving.py --index-dir instance/bench-index --seconds 300
    python bench/serving.py --index-dir instance/index --startup-only     # the seeds

Start-up: `hanil serve` started as a new process, timed until /api/search first answers 200
(best and median of --starts runs). Load: N closed-loop clients send a mix of requests
for --seconds (searches never seen before and repeated ones, facet filters, later pages,
dates, the article page); every 10 s, and at the end, each server process's RSS and PSS
are read from /proc (PSS counts pages shared copy-on-write, such as Kiwi's model, once
across the processes that share them).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_latency import short_queries  # noqa: E402

from search_app.evaluate import percentile  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(index_dir: Path, port: int, workers: int, threads: int, env: dict):
    cmd = [sys.executable, "-m", "search_app", "--index-dir", str(index_dir), "serve"]
    cmd += ["--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    return subprocess.Popen(
        cmd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_ready(port: int, proc, timeout: float = 120) -> float:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc.poll() is not None:
            raise SystemExit("the server exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("GET", "/api/search?q=")
            if conn.getresponse().status == 200:
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit("the server did not answer")


def startup(args, env) -> list[float]:
    out = []
    for _ in range(args.starts):
        port = free_port()
        t0 = time.perf_counter()
        proc = start(args.index_dir, port, args.workers, args.threads, env)
        try:
            out.append(wait_ready(port, proc) - t0)
        finally:
            proc.terminate()
            proc.wait()
    return out


def processes(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *map(int, children)]


def memory(pid: int) -> tuple[int, int] | None:
    """(RSS, PSS) of a process in bytes, or None when it has exited (a recycled worker)."""
    fields = {}
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except (ProcessLookupError, FileNotFoundError):
        return None
    for line in rollup.splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) * 1024
    return fields["Rss"], fields["Pss"]


def mixed_paths(queries: list[str], ids: list[str], rng: random.Random):
    """An endless mix of what people ask of the server."""
    while True:
        q = rng.choice(queries)
        kind = rng.random()
        params = {"q": q}
        if kind < 0.15:
            params["page"] = str(rng.randint(2, 5))
        elif kind < 0.3:
            params["lang"] = rng.choice(("ko", "ja"))
        elif kind < 0.4:
            params["sort"] = "newest"
        elif kind < 0.5:
            params["from"] = f"20{rng.randint(10, 25)}"
        elif kind < 0.6 and ids:
            yield "/articles/" + urllib.parse.quote(rng.choice(ids)) + "?q=" + urllib.parse.quote(q)
            continue
        elif kind < 0.65:
            params["per_page"] = "100"
        yield ("/" if kind > 0.9 else "/api/search") + "?" + urllib.parse.urlencode(params)


def load(port, queries, ids, clients, seconds, pid, samples):
    stop = time.monotonic() + seconds
    lat, errors = [], [0]
    lock = threading.Lock()

    def client(k: int) -> None:
        rng = random.Random(k)
        paths = mixed_paths(queries, ids, rng)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                conn.request("GET", next(paths))
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                lat.append((time.perf_counter() - t0) * 1000)
                errors[0] += not ok

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads):
        time.sleep(min(10, max(0.1, stop - time.monotonic())))
        samples.append([(p, *m) for p in processes(pid) if (m := memory(p)) is not None])
    for t in threads:
        t.join()
    return lat, errors[0]


def article_ids(port: int, queries: list[str]) -> list[str]:
    out = []
    for q in queries[:40]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", "/api/search?" + urllib.parse.urlencode({"q": q}))
        out += [h["id"] for h in json.loads(conn.getresponse().read())["results"]]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--index-dir", type=Path, default=ROOT / "instance" / "bench-index")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--starts", type=int, default=3, help="start-up runs")
    p.add_argument("--startup-only", action="store_true")
    p.add_argument("--queries", type=int, default=3000, help="distinct queries in the mix")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument("--seconds", type=float, default=300)
    args = p.parse_args()
    env: dict = {}

    times = startup(args, env)
    print(
        f"start-up     {args.index_dir}: first 200 after {min(times):.2f} s best, "
        f"{statistics.median(times):.2f} s median of {len(times)} "
        f"({args.workers} workers)"
    )
    if args.startup_only:
        return
    queries = short_queries(args.queries)
    port = free_port()
    proc = start(args.index_dir, port, args.workers, args.threads, env)
    try:
        wait_ready(port, proc)
        ids = article_ids(port, queries)
        samples: list = []
        lat, errors = load(port, queries, ids, args.clients, args.seconds, proc.pid, samples)
    finally:
        proc.terminate()
        proc.wait()
    print(
        f"load         {args.clients} clients x {args.seconds:.0f} s, mixed: {len(lat)} "
        f"requests, {errors} errors, p50 {percentile(lat, 0.5):.1f} ms, "
        f"p95 {percentile(lat, 0.95):.1f} ms"
    )
    peak = {}
    for sample in samples:
        for pid, rss, pss in sample:
            old = peak.get(pid, (0, 0))
            peak[pid] = (max(old[0], rss), max(old[1], pss))
    for pid, (rss, pss) in peak.items():
        role = "master" if pid == proc.pid else "worker"
        print(f"memory       {role} {pid}: peak RSS {rss / 2**20:.0f} MB, PSS {pss / 2**20:.0f} MB")
    last = samples[-1]
    print(
        f"memory       at the end, all processes: RSS {sum(r for _, r, _ in last) / 2**20:.0f} MB,"
        f" PSS {sum(s for _, _, s in last) / 2**20:.0f} MB"
    )


if __name__ == "__main__":
    main()
