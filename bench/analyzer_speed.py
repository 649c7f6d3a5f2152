"""Analyzer throughput against the bare libraries on a JSONL corpus.

    python bench/analyzer_speed.py ../shared/data/ko-chosun/corpus.jsonl.gz --lang ko --limit 1000
    python bench/analyzer_speed.py ../shared/data/ja-livedoor/corpus.jsonl.gz --lang ja --limit 2000

Raw: Kiwi.tokenize / Sudachi tokenize (mode C) over the same texts, in the same pieces the
analyzer gives them (Sudachi refuses over 49,149 bytes). Analyzer: every token of the
index-mode analyzer with positions and offsets, as the indexer asks for them. The two are
timed in turn for --rounds rounds and the best of each compared.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import article_text, read_jsonl  # noqa: E402

from analyzers import analyzer, kiwi_backend, sudachi_backend  # noqa: E402
from analyzers.chunks import chunks  # noqa: E402


def raw_kiwi(texts):
    k = kiwi_backend.kiwi()
    n = 0
    for text in texts:
        for _, piece in chunks(text, kiwi_backend.MAX_CHARS):
            n += len(k.tokenize(piece))
    return n


def raw_sudachi(texts):
    from sudachipy import SplitMode

    tok = sudachi_backend.dictionary().tokenizer(mode=SplitMode.C)
    n = 0
    for text in texts:
        for _, piece in chunks(text, sudachi_backend.MAX_CHARS):
            n += len(tok.tokenize(piece))
    return n


def run_analyzer(texts, lang):
    a = analyzer(lang)
    n = 0
    for text in texts:
        for _ in a(text, positions=True, chars=True, mode="index"):
            n += 1
    return n


def timed(fn, *args):
    t0 = time.perf_counter()
    n = fn(*args)
    return time.perf_counter() - t0, n


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus")
    p.add_argument("--lang", choices=("ko", "ja"), required=True)
    p.add_argument("--limit", type=int, default=1000, help="articles to read")
    p.add_argument("--analyzer-lang", default="auto", help="analyzer language (default auto)")
    p.add_argument("--rounds", type=int, default=2, help="alternating rounds; best of each")
    args = p.parse_args()

    texts = [article_text(r) for r in read_jsonl(args.corpus, args.limit)]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    raw = raw_kiwi if args.lang == "ko" else raw_sudachi
    raw(texts[:5])  # load the model outside the timing
    run_analyzer(texts[:5], args.analyzer_lang)
    raw_runs, ana_runs = [], []
    for _ in range(args.rounds):  # alternating: the machine's speed drifts between runs
        raw_s, raw_n = timed(raw, texts)
        ana_s, ana_n = timed(run_analyzer, texts, args.analyzer_lang)
        raw_runs.append(raw_s)
        ana_runs.append(ana_s)
    raw_s, ana_s = min(raw_runs), min(ana_runs)
    print(f"corpus      {args.corpus}: {len(texts)} articles, {mb:.2f} MB")
    print(f"best of {args.rounds} rounds each:")
    print(f"raw         {raw_s:7.2f} s  {mb / raw_s:6.3f} MB/s  {raw_n} morphemes")
    print(f"analyzer    {ana_s:7.2f} s  {mb / ana_s:6.3f} MB/s  {ana_n} tokens")
    print(f"ratio       {raw_s / ana_s:.1%} of raw speed")


if __name__ == "__main__":
    main()
