"""Fixtures and helpers shared by the test modules.

Tests that read the evaluation data in ../shared/data take it through `shared_data(name)`:
where the folder is absent (a person's fresh clone) they skip and say why; with
HANIL_REQUIRE_DATA=1 (set by .ci/run) a missing folder fails them instead.
"""

import gzip
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"
REQUIRE_DATA = "HANIL_REQUIRE_DATA"

# The five seed pages: ids are their file names without .txt.
GWANGJU_CES_2023 = "000_2d4bb3cd12e22502"
SEOUL_CES_2024 = "001_f4471e151cd5cea1"
SEOUL_CES_2024_JA = "002_0ec3ef31fa67ca02"
ANSAN_IREX = "003_4878778233ed44b9"
GWANGJU_AI_JA = "004_773f185e377a5231"


def shared_data(name: str) -> Path:
    """The folder ../shared/data/<name>, or a skip (a failure in CI) when it is absent."""
    path = SHARED_DATA / name
    if not path.is_dir():
        why = f"evaluation data {path} is absent (it lives beside the project, see README)"
        if os.environ.get(REQUIRE_DATA) == "1":
            pytest.fail(f"{why}; {REQUIRE_DATA}=1 requires it")
        pytest.skip(why)
    return path


def write_jsonl(path: Path, records, gz=False) -> Path:
    """Write records (dicts) one JSON object a line; gzipped when gz."""
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.write(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def search_index_of(tmp_path: Path, records):
    """Index records (dicts in the corpus format) into tmp_path/ix; return its SearchIndex."""
    from indexer.build import reindex
    from search_app.search import SearchIndex

    src = tmp_path / "in"
    src.mkdir(exist_ok=True)
    write_jsonl(src / "a.jsonl", records)
    reindex([src], tmp_path / "ix")
    return SearchIndex(tmp_path / "ix")


def api(client, path="/api/search", **params):
    """GET a JSON endpoint: (status, parsed body)."""
    resp = client.get(path, query_string=params)
    return resp.status_code, resp.get_json()


def ids(body) -> list[str]:
    return [r["id"] for r in body["results"]]


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def seeds_index(tmp_path_factory):
    """The seeds, indexed once per test session through the same function the CLI calls."""
    from indexer.build import reindex

    root = tmp_path_factory.mktemp("seeds-index")
    summary = reindex([SEEDS], root)
    assert summary.added >= 5 and not summary.skipped
    return root


@pytest.fixture(scope="session")
def app(seeds_index):
    from search_app.web import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(seeds_index)})


@pytest.fixture()
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(port: int, path: str, timeout: float = 10) -> dict:
    """GET a JSON path of a server on localhost."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as resp:
        return json.load(resp)


@contextmanager
def served(root: Path, workers: int = 2, threads: int = 4):
    """Run `hanil serve` on the index in root as a real process; yield (process, port) once
    it answers; stop it after."""
    port = free_port()
    cmd = [sys.executable, "-m", "search_app", "--index-dir", str(root), "serve"]
    cmd += ["--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    server = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        for _ in range(300):
            try:
                get_json(port, "/api/search?q=", timeout=5)
                break
            except OSError:
                assert server.poll() is None, "the server exited"
                time.sleep(0.2)
        yield server, port
    finally:
        server.terminate()
        server.wait(timeout=30)
