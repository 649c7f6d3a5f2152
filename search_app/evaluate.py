"""Measure ranking quality on a test collection: MRR@10, nDCG@10, recall, latency."""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

from indexer.build import reindex

from .search import SearchIndex


@dataclass
class Query:
    qid: str
    text: str


def read_queries(path: Path, limit: int | None = None) -> list[Query]:
    out = []
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                out.append(Query(str(rec["qid"]), rec["query"]))
                if limit and len(out) >= limit:
                    break
    return out


def read_qrels(path: Path) -> dict[str, set[str]]:
    """qid -> relevant doc ids (binary relevance: qid, docid, grade > 0)."""
    out: dict[str, set[str]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        parts = line.split("\t") if "\t" in line else line.split()
        if len(parts) < 3 or parts[0] == "qid":
            continue
        qid, docid, grade = parts[0], parts[1], parts[-1]
        if float(grade) > 0:
            out.setdefault(qid, set()).add(docid)
    return out


def default_eval_dir(base: Path, corpus: Path, kind: str) -> Path:
    """An index folder per corpus and analyzer, reused across runs."""
    digest = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:10]
    name = corpus.name.split(".")[0]
    return base / f"{corpus.parent.name}-{name}-{kind}-{digest}"


def metrics(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    """MRR@10, nDCG@10 (binary), Recall@10 and Recall@100 of one ranking."""
    rr = next((1.0 / r for r, d in enumerate(ranked[:10], 1) if d in relevant), 0.0)
    dcg = sum(1.0 / math.log2(r + 1) for r, d in enumerate(ranked[:10], 1) if d in relevant)
    ideal = sum(1.0 / math.log2(r + 1) for r in range(1, min(len(relevant), 10) + 1))
    return {
        "mrr@10": rr,
        "ndcg@10": dcg / ideal if ideal else 0.0,
        "recall@10": len(relevant & set(ranked[:10])) / len(relevant),
        "recall@100": len(relevant & set(ranked[:100])) / len(relevant),
    }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def evaluate(
    corpus: Path,
    queries: Path,
    qrels: Path,
    index_dir: Path,
    kind: str = "morph",
    limit: int | None = None,
    procs: int = 1,
) -> dict:
    """Index the corpus (incrementally: a reused index costs nothing) and score every query."""
    summary = reindex([corpus], index_dir, procs=procs, analyzer_kind=kind)
    if summary.skipped:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in summary.skipped[:3])
        raise ValueError(f"{len(summary.skipped)} corpus records skipped: {reasons}")
    judged = read_qrels(qrels)
    todo = [q for q in read_queries(queries, limit) if q.qid in judged]
    index = SearchIndex(index_dir)
    index.rank("워밍업 ウォームアップ")  # open the index and load the models outside the timing
    totals = {"mrr@10": 0.0, "ndcg@10": 0.0, "recall@10": 0.0, "recall@100": 0.0}
    no_hit = 0
    latencies = []
    for q in todo:
        t0 = time.perf_counter()
        ranked, _fallback = index.rank(q.text, 100)
        latencies.append((time.perf_counter() - t0) * 1000)
        no_hit += not ranked
        for key, value in metrics(ranked, judged[q.qid]).items():
            totals[key] += value
    n = max(len(todo), 1)
    return {
        **{k: round(v / n, 4) for k, v in totals.items()},
        "no_hit": no_hit,
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "queries": len(todo),
        "analyzer": kind,
        "index_dir": str(index_dir),
        "indexed": summary.indexed,
    }
