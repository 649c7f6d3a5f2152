"""Helpers shared by the benchmark scripts."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def read_jsonl(path: str | Path, limit: int | None = None) -> list[dict]:
    """Read up to limit records from a .jsonl or .jsonl.gz file."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    out = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
                if limit and len(out) >= limit:
                    break
    return out


def article_text(rec: dict) -> str:
    return "\n".join(x for x in (rec.get("title"), rec.get("body")) if x)
