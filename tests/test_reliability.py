"""What a reindex may never do to the served index: killed at any moment (full or
incremental), it leaves the index answering as before or as after, never between, and the
next run completes; under load, no request fails and every worker moves to the new state."""

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest

from indexer import store
from indexer.build import reindex
from search_app.search import SearchIndex, SearchRequest

from .conftest import ROOT, get_json, served, write_jsonl

pytestmark = pytest.mark.slow

# Japanese text: it analyzes ~8x faster than Korean, so a run long enough to kill is cheap.
BODY = "横浜市は人工知能の企業を誘致するため、海外の展示会に代表団を送ると発表した。" * 30


def records(prefix: str, n: int, extra: str = "") -> list[dict]:
    return [
        {
            "id": f"{prefix}{i}",
            "lang": "ja",
            "title": f"横浜 ニュース {i}",
            "body": f"{BODY}{extra} 第{i}号",
        }
        for i in range(n)
    ]


def state(root) -> tuple[int, int]:
    """(articles, hits for 横浜) as a fresh reader sees the live index."""
    index = SearchIndex(root, cached_results=0)
    return index.search(SearchRequest(q="")).total, index.search(SearchRequest(q="横浜")).total


def start_reindex(root, src, *flags) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "search_app", "--index-dir", str(root), "reindex", str(src)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [*cmd, *flags], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def files_of(root) -> set:
    return {p for p in root.rglob("*") if p.is_file()}


def kill_when(proc: subprocess.Popen, ready, timeout: float = 120) -> bool:
    """SIGKILL proc as soon as ready() holds; False when proc ended first."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.005)
    proc.wait()
    return False


@pytest.mark.parametrize("full", [False, True], ids=["incremental", "full"])
def test_a_killed_reindex_leaves_the_index_as_before_or_after(tmp_path, full):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", records("a", 20))
    root = tmp_path / "ix"
    reindex([src], root)
    before = state(root)
    assert before == (20, 20)
    write_jsonl(src / "a.jsonl", records("a", 10, " 変更"))  # 10 updated, 10 deleted
    write_jsonl(src / "b.jsonl", records("b", 300))  # 300 added
    after = (310, 310)
    flags = ["--full", "--force"] if full else ["--force"]
    # While reading and analyzing (a second in), then at the first file the run writes
    # (the commit: a full run's new generation, an incremental run's new segment).
    for moment in ("analysis", "commit"):
        old_files = files_of(root)
        t0 = time.monotonic()
        proc = start_reindex(root, src, *flags)
        if moment == "analysis":
            ready = lambda t0=t0: time.monotonic() - t0 > 1.0  # noqa: E731
        else:
            ready = lambda old=old_files: bool(files_of(root) - old - {root / ".build.lock"})  # noqa: E731
        assert kill_when(proc, ready), f"the reindex ended before the {moment} kill"
        assert state(root) == before, f"killed during {moment}"
    summary = reindex([src], root, force=True, full=full)
    assert state(root) == after and not summary.skipped
    leftover = [g for g in root.glob("gen-*") if g != store.current_dir(root)]
    assert len(leftover) <= 1  # the previous generation, kept for open readers


def test_no_request_fails_during_reindexes_and_every_worker_moves_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write_jsonl(src / "a.jsonl", records("a", 30))
    root = tmp_path / "ix"
    reindex([src], root)
    query = "/api/search?" + urllib.parse.urlencode({"q": "横浜"})
    stop = threading.Event()
    answers: list[int] = []
    failures: list[str] = []

    def client() -> None:
        while not stop.is_set():
            try:
                answers.append(get_json(port, query)["total"])
            except Exception as exc:  # noqa: BLE001 - every failure is what is counted
                failures.append(repr(exc))

    with served(root, workers=2, threads=4) as (_server, port):
        clients = [threading.Thread(target=client) for _ in range(6)]
        for t in clients:
            t.start()
        try:
            time.sleep(1)
            write_jsonl(src / "a.jsonl", records("a", 25))  # 5 deleted: incremental
            assert reindex([src], root).deleted == 5
            time.sleep(1)
            write_jsonl(src / "b.jsonl", records("b", 10))  # a new generation
            reindex([src], root, full=True)
            time.sleep(1)
        finally:
            stop.set()
            for t in clients:
                t.join()
        # Every worker and thread: many requests, one answer, the last commit's.
        seen = {get_json(port, query)["total"] for _ in range(60)}
    print(f"{len(answers)} requests during two reindexes, {len(failures)} failed")
    assert not failures, failures[:3]
    assert len(answers) > 100 and set(answers) <= {30, 25, 35}
    assert seen == {35}
