"""Japanese morphology with Sudachi: one dictionary per process, one tokenizer per thread."""

from __future__ import annotations

import re
import threading

from .bridge import index_terms
from .chunks import chunks
from .term import READING, SUDACHI, SUDACHI_PART, Term, new

_lock = threading.Lock()
_dictionary = None
_local = threading.local()

# Sudachi refuses input over 49,149 bytes; 12,000 characters stay under it even if every
# character takes four bytes in UTF-8.
MAX_CHARS = 12_000
# Loading only the fields we read makes Sudachi itself ~15% faster.
FIELDS = frozenset(("pos", "normalized_form", "split_a", "reading_form"))
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


def _word(m, mode_a, begin: int, end: int, compounds: bool, readings: bool):
    """Return (length, terms) for a morpheme: its Term, its A units when asked, each
    followed by its Korean readings when asked, offsets relative to the morpheme."""
    pos = m.part_of_speech()
    if pos[0] not in KEEP:
        return _DROP
    form = m.normalized_form()
    if form < "\u1100":
        return _DROP  # Latin and digits come from the Latin path
    length = end - begin
    units = [Term(form, 0, length, SUDACHI, False)]
    if length > 1 and compounds:
        split = m.split(mode_a, add_single=False)
        if len(split) > 1:
            for u in split:
                start, stop = u.begin() - begin, u.end() - begin
                units.append(Term(u.normalized_form(), start, stop, SUDACHI_PART, True))
    if not readings:
        return length, tuple(units)
    # A name's reading (人名, 地名) carries it across by sound; a common word's does not.
    name = pos[1] == "固有名詞"
    person = name and pos[2] == "人名"
    sounds = [m.reading_form() if name else ""]
    if name and len(units) > 1:
        sounds += [u.reading_form() for u in split]
    out = []
    for unit, sound in zip(units, sounds + [""] * (len(units) - len(sounds)), strict=True):
        out.append(unit)
        out.extend(
            Term(r, unit.start, unit.end, READING, True)
            for r in index_terms(unit.text, sound, person)
        )
    return length, tuple(out)


def analyze(
    text: str, offset: int, out: list[Term], compounds: bool = True, readings: bool = False
) -> None:
    """Append the Terms of the content words of Japanese text.

    Terms are Sudachi's normalized forms of C units; a compound's A units follow it
    (人工知能 -> 人工知能, 人工, 知能), and with readings each term is followed by its
    Korean forms (光州 -> ~광주, readings.py). Offsets are shifted by offset.
    """
    tok, mode_a, caches = _state()
    # What a dictionary word gives depends on the word alone: it is worked out once per
    # word id (unknown words share ids and are never remembered).
    words = caches.get((compounds, readings))
    if words is None:
        words = caches[compounds, readings] = {}
    append, make, term_type = out.append, new, Term
    first = len(out)
    for base, piece in chunks(text, MAX_CHARS):
        base += offset
        for m in tok.tokenize(piece):
            word = words.get(m.word_id())
            if word is _DROP:
                continue
            begin, end = m.begin(), m.end()
            if word is None or word[0] != end - begin:
                word = _word(m, mode_a, begin, end, compounds, readings)
                if not m.is_oov():
                    if len(words) >= MAX_WORDS:
                        words.clear()
                    words[m.word_id()] = word
            begin += base
            for term, start, stop, path, part in word[1]:
                append(make(term_type, (term, begin + start, begin + stop, path, part)))
    if "・" in text:
        _join_dotted_names(text, offset, out, first, readings)


# A foreign name in katakana, its parts joined by a middle dot (カン・ウォンレ, トム・クルーズ):
# Korean writes it as one word (강원래), so the whole name is a word too.
_DOTTED_NAME = re.compile(r"[ァ-ヺー]{2,}(?:・[ァ-ヺー]{1,})+|[ァ-ヺー](?:・[ァ-ヺー]{2,})+")


def _join_dotted_names(text: str, offset: int, out: list, first: int, readings: bool) -> None:
    """Insert, before the terms of each dotted katakana name, the name joined as one term,
    and make those terms its parts (unless Sudachi knows the name as one word: イ・ジェミョン)."""
    for m in _DOTTED_NAME.finditer(text):
        start, end = m.start() + offset, m.end() + offset
        inside = [i for i in range(first, len(out)) if start <= out[i].start and out[i].end <= end]
        if not inside or any(out[i].start == start and out[i].end == end for i in inside):
            continue
        joined = m.group().replace("・", "")
        name = [Term(joined, start, end, SUDACHI, False)]
        if readings:
            name += [Term(r, start, end, READING, True) for r in index_terms(joined)]
        for i in inside:
            out[i] = out[i]._replace(part=True)
        out[inside[0] : inside[0]] = name
