"""Japanese morphology with Sudachi: one dictionary per process, one tokenizer per thread."""

from __future__ import annotations

import threading

from .chunks import chunks
from .readings import korean_terms

_lock = threading.Lock()
_dictionary = None
_local = threading.local()

# Sudachi refuses input over 49,149 bytes; 12,000 characters stay under it even if every
# character takes four bytes in UTF-8.
MAX_CHARS = 12_000
# Loading only the fields we read makes Sudachi itself ~15% faster.
FIELDS = frozenset(("pos", "normalized_form", "split_a"))
# Parts of speech (first level) kept as terms: content words and suffixes (市, 展, 的).
KEEP = frozenset(("名詞", "動詞", "形容詞", "形状詞", "副詞", "接尾辞"))
# Words remembered per thread (a news corpus uses some tens of thousands).
MAX_WORDS = 200_000


def dictionary():
    """Return the process's Sudachi dictionary (sudachidict-core), loading it once."""
    global _dictionary
    if _dictionary is None:
        with _lock:
            if _dictionary is None:
                from sudachipy import Dictionary

                _dictionary = Dictionary(dict="core")
    return _dictionary


def _state():
    state = getattr(_local, "state", None)
    if state is None:
        from sudachipy import SplitMode

        tok = dictionary().tokenizer(mode=SplitMode.C, fields=set(FIELDS))
        state = _local.state = (tok, SplitMode.A, {})
    return state


def forget_words() -> None:
    """Empty this thread's word cache (benchmarks start cold, as a new process does)."""
    _state()[2].clear()


_DROP = (-1, ())  # a word that gives no term


def _word(m, mode_a, begin: int, end: int, paths: tuple):
    """Return (length, terms) for a morpheme: its term, its A units, each followed by its
    Korean readings, as (term, start, end, path, is_part) relative to the morpheme."""
    if m.part_of_speech()[0] not in KEEP:
        return _DROP
    form = m.normalized_form()
    if form < "\u1100":
        return _DROP  # Latin and digits come from the Latin path
    main_path, part_path, reading_path = paths
    length = end - begin
    units = [(form, 0, length, main_path, False)]
    if length > 1:
        split = m.split(mode_a, add_single=False)
        if len(split) > 1:
            for u in split:
                start, stop = u.begin() - begin, u.end() - begin
                units.append((u.normalized_form(), start, stop, part_path, True))
    if reading_path is None:
        return length, tuple(units)
    out = []
    for unit in units:
        out.append(unit)
        out.extend((r, unit[1], unit[2], reading_path, True) for r in korean_terms(unit[0]))
    return length, tuple(out)


def analyze(text: str, offset: int, out: list, paths: tuple) -> None:
    """Append (term, start, end, path, is_part) for the content words of Japanese text.

    Terms are Sudachi's normalized forms of C units; a compound's A units follow it
    (人工知能 -> 人工知能, 人工, 知能). paths names the path of a word, of a part and of
    a reading; a reading path of None leaves the readings out. Offsets are shifted by
    offset.
    """
    tok, mode_a, caches = _state()
    # What a dictionary word gives depends on the word alone: it is worked out once per
    # word id (unknown words share ids and are never remembered).
    words = caches.get(paths)
    if words is None:
        words = caches[paths] = {}
    append = out.append
    for base, piece in chunks(text, MAX_CHARS):
        base += offset
        for m in tok.tokenize(piece):
            word = words.get(m.word_id())
            if word is _DROP:
                continue
            begin, end = m.begin(), m.end()
            if word is None or word[0] != end - begin:
                word = _word(m, mode_a, begin, end, paths)
                if not m.is_oov():
                    if len(words) >= MAX_WORDS:
                        words.clear()
                    words[m.word_id()] = word
            begin += base
            for term, start, stop, path, part in word[1]:
                append((term, begin + start, begin + stop, path, part))
