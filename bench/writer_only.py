"""Whoosh's writer alone: index articles analyzed beforehand, with whichever `whoosh` imports.

    python bench/writer_only.py ../shared/data/ja-livedoor/corpus.jsonl.gz
    pip install --target /tmp/wr whoosh-reloaded
    PYTHONPATH=/tmp/wr python bench/writer_only.py ../shared/data/ja-livedoor/corpus.jsonl.gz

The articles are read and analyzed first (words and bigram counts, timed as "analysis");
then the library's own writer and default codec index them from those tokens, with hanil's
schema and fields, --rounds times ("writer", best of the rounds). Put another Whoosh first
on PYTHONPATH (the second command) to compare libraries on the same work.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

import whoosh
from whoosh import index as whoosh_index

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import read_jsonl  # noqa: E402
from reindex_speed import analyzed, replayed_schema  # noqa: E402

from analyzers import load_models  # noqa: E402
from indexer.articles import Article, read_inputs  # noqa: E402
from indexer.schema import to_fields  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus")
    p.add_argument("--limit", type=int, default=600)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl.gz"
        with gzip.open(src, "wt", encoding="utf-8") as f:
            for r in read_jsonl(args.corpus, args.limit):
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        articles = [a for a in read_inputs([src]) if isinstance(a, Article)]
        load_models()  # outside the timing
        t0 = time.perf_counter()
        tokens, counts = analyzed(articles)
        analysis = time.perf_counter() - t0
        schema, _restore = replayed_schema(tokens, counts)
        fields = [to_fields(art) for art in articles]
        walls = []
        for r in range(args.rounds):
            folder = Path(tmp) / f"ix{r}"
            folder.mkdir()
            ix = whoosh_index.create_in(str(folder), schema)
            t0 = time.perf_counter()
            writer = ix.writer(limitmb=1024)
            for doc in fields:
                writer.add_document(**doc)
            writer.commit()
            walls.append(time.perf_counter() - t0)
    where = Path(whoosh.__file__).parent
    version = ".".join(map(str, getattr(whoosh, "__version__", ())))
    print(f"whoosh      {version} from {where}")
    print(f"articles    {len(articles)} from {args.corpus}")
    print(f"analysis    {analysis:6.2f} s")
    print(f"writer      {min(walls):6.2f} s (best of {' '.join(f'{w:.2f}' for w in walls)})")
    print(f"writer / analysis {min(walls) / analysis:.2f}")


if __name__ == "__main__":
    main()
