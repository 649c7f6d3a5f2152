"""A distributed reindex (indexer/cluster.py) on a real Dask scheduler with two worker
processes on loopback gives the index a local reindex gives: the same articles, the same
postings; incremental runs too, and a worker killed mid-run loses nothing."""

import os
import signal
import threading
import time

import pytest
from whoosh import index as whoosh_index

from indexer import store
from indexer.build import Cluster, reindex

from .conftest import SEEDS

distributed = pytest.importorskip("dask.distributed", reason="the cluster extra is not installed")

pytestmark = pytest.mark.slow


def content(root):
    """Every stored article and every posting (field, term, article id, weight, value) of
    the live index, by article id rather than by document number (an empty value read as
    "" from an inlined posting and None from a block, a whoosh3 quirk, is None)."""
    ix = whoosh_index.open_dir(str(store.current_dir(root)))
    with ix.searcher() as s:
        reader = s.reader()
        ids = {n: f["id"] for n, f in reader.iter_docs()}
        stored = {f["id"]: f for _n, f in reader.iter_docs()}
        postings = {
            (field, text, ids[doc], weight, value or None)
            for field, text, doc, weight, value in reader.iter_postings()
            if doc in ids
        }
    return stored, postings


def corpus(tmp_path, n, changed=()):
    """n short articles in Korean and Japanese, one JSONL file."""
    lines = []
    for i in range(n):
        if i % 2:
            body = f"광주시는 {i}일 인공지능 기업 {i}곳과 투자 협약을 맺었다고 밝혔다."
            lang = "ko"
        else:
            body = f"横浜市は{i}日、ロボット企業{i}社と協定を結んだと発表した。"
            lang = "ja"
        if i in changed:
            body += " 추가 내용." if lang == "ko" else "追加の内容。"
        lines.append(
            f'{{"id": "a{i}", "lang": "{lang}", "title": "기사 {i}", "body": "{body}", '
            f'"date": "2024-01-{i % 28 + 1:02d}"}}'
        )
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scheduler():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    yield cluster
    cluster.close()


def test_distributed_reindex_gives_the_local_index(tmp_path, scheduler):
    on = Cluster(scheduler.scheduler_address, partition=5)
    local, remote = tmp_path / "local", tmp_path / "remote"
    reindex([SEEDS], local)
    summary = reindex([SEEDS], remote, cluster=on)
    assert summary.added == 13
    assert content(remote) == content(local)
    # incremental: two articles changed, one gone, one new (JSONL beside the seeds)
    news = corpus(tmp_path, 30)
    reindex([SEEDS, news], local)
    reindex([SEEDS, news], remote, cluster=on)
    news = corpus(tmp_path, 31, changed={3, 8})
    lines = news.read_text(encoding="utf-8").splitlines()
    news.write_text("\n".join(lines[:5] + lines[6:]) + "\n", encoding="utf-8")  # a5 gone
    local_run = reindex([SEEDS, news], local)
    remote_run = reindex([SEEDS, news], remote, cluster=on)
    assert (remote_run.added, remote_run.updated, remote_run.deleted) == (1, 2, 1)
    assert (local_run.added, local_run.updated, local_run.deleted) == (1, 2, 1)
    assert content(remote) == content(local)


def test_a_worker_killed_mid_run_loses_nothing(tmp_path, scheduler):
    news = corpus(tmp_path, 400)
    local, remote = tmp_path / "local", tmp_path / "remote"
    reindex([news], local)
    pids = [w.process.pid for w in scheduler.workers.values()]
    killed = []

    def kill_one_worker_once_it_works():
        deadline = time.monotonic() + 60
        with distributed.Client(scheduler.scheduler_address) as client:
            while time.monotonic() < deadline and not killed:
                if any(client.processing().values()):
                    os.kill(pids[0], signal.SIGKILL)
                    killed.append(pids[0])
                time.sleep(0.05)

    killer = threading.Thread(target=kill_one_worker_once_it_works)
    killer.start()
    summary = reindex([news], remote, cluster=Cluster(scheduler.scheduler_address, partition=10))
    killer.join()
    assert killed, "no task ran while the test watched"
    assert summary.added == 400
    assert content(remote) == content(local)
