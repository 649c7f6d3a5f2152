"""Analyzer throughput against the bare libraries on a JSONL corpus.

    python bench/analyzer_speed.py ../shared/data/ko-chosun/corpus.jsonl.gz --lang ko --limit 1000
    python bench/analyzer_speed.py ../shared/data/ja-livedoor/corpus.jsonl.gz --lang ja --limit 2000

Raw: Kiwi.tokenize / Sudachi tokenize (mode C) over the same texts, in the same pieces the
analyzer gives them (Sudachi refuses over 49,149 bytes). Floor: the raw call plus the least
any analyzer written in Python does with its result: read each morpheme's id (Kiwi: form)
and offsets into one Whoosh token. Analyzer: every token of the index-mode analyzer with
positions and offsets, as the indexer asks for them.

The machine's speed drifts by 10-50% within minutes, so the three are timed side by side on
each batch of articles, in alternating order, --rounds times; each batch counts its best
time per contender.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from whoosh.analysis import Token

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import article_text, read_jsonl  # noqa: E402

from analyzers import analyzer, kiwi_backend, sudachi_backend  # noqa: E402
from analyzers.chunks import chunks  # noqa: E402


def pieces(texts, backend):
    for text in texts:
        for _, piece in chunks(text, backend.MAX_CHARS):
            yield piece


def raw_kiwi(texts):
    k = kiwi_backend.kiwi()
    for piece in pieces(texts, kiwi_backend):
        k.tokenize(piece)


def floor_kiwi(texts):
    k, t = kiwi_backend.kiwi(), Token(True, True)
    for piece in pieces(texts, kiwi_backend):
        for pos, m in enumerate(k.tokenize(piece)):
            t.text, t.pos, t.startchar, t.endchar = m.form, pos, m.start, m.end


def _sudachi():
    from sudachipy import SplitMode

    return sudachi_backend.dictionary().tokenizer(mode=SplitMode.C)


def raw_sudachi(texts):
    tok = _sudachi()
    for piece in pieces(texts, sudachi_backend):
        tok.tokenize(piece)


def floor_sudachi(texts):
    tok, t = _sudachi(), Token(True, True)
    for piece in pieces(texts, sudachi_backend):
        for pos, m in enumerate(tok.tokenize(piece)):
            t.text, t.pos, t.startchar, t.endchar = m.word_id(), pos, m.begin(), m.end()


def side_by_side(contenders: dict, texts: list, batch: int, rounds: int) -> dict[str, float]:
    """Return each contender's total over the batches of its best time per batch."""
    names = list(contenders)
    total = dict.fromkeys(names, 0.0)
    for b, start in enumerate(range(0, len(texts), batch)):
        part = texts[start : start + batch]
        best = dict.fromkeys(names, float("inf"))
        for r in range(rounds):
            for name in names if (b + r) % 2 == 0 else reversed(names):
                t0 = time.perf_counter()
                contenders[name](part)
                best[name] = min(best[name], time.perf_counter() - t0)
        for name in names:
            total[name] += best[name]
    return total


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus")
    p.add_argument("--lang", choices=("ko", "ja"), required=True)
    p.add_argument("--limit", type=int, default=1000, help="articles to read")
    p.add_argument("--analyzer-lang", default="auto", help="analyzer language (default auto)")
    p.add_argument("--batch", type=int, default=20, help="articles timed side by side")
    p.add_argument("--rounds", type=int, default=2, help="alternating rounds per batch")
    args = p.parse_args()

    texts = [article_text(r) for r in read_jsonl(args.corpus, args.limit)]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    a = analyzer(args.analyzer_lang)

    def run_analyzer(part):
        for text in part:
            for _ in a(text, positions=True, chars=True, mode="index"):
                pass

    raw, floor = (raw_kiwi, floor_kiwi) if args.lang == "ko" else (raw_sudachi, floor_sudachi)
    contenders = {"raw": raw, "floor": floor, "analyzer": run_analyzer}
    for fn in contenders.values():
        fn(texts[:5])  # load the models outside the timing
    total = side_by_side(contenders, texts, args.batch, args.rounds)
    print(f"corpus      {args.corpus}: {len(texts)} articles, {mb:.2f} MB")
    print(f"batches of {args.batch}, best of {args.rounds} alternating rounds each")
    for name, s in total.items():
        print(f"{name:10s}  {s:7.2f} s  {mb / s:6.3f} MB/s  {total['raw'] / s:6.1%} of raw speed")


if __name__ == "__main__":
    main()
