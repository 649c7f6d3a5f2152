"""Korean morphology with Kiwi: one model per process, loaded on first use."""

from __future__ import annotations

import threading
import warnings
from functools import lru_cache

from .bridge import korean_name_terms
from .chunks import chunks
from .readings import foreign_looking
from .term import KIWI, KIWI_LEMMA, KIWI_PART, READING, Term, new

_lock = threading.Lock()
_kiwi = None

# Kiwi is linear in text length; pieces bound its memory on huge articles.
MAX_CHARS = 20_000
# Tags kept as terms: nouns, numerals, verb and adjective stems (as lemmas), roots,
# adverbs, Hanja, and words Kiwi does not know. Particles, endings, affixes, the copula
# and symbols go.
KEEP = frozenset(("NNG", "NNP", "NNB", "NR", "VV", "VA", "XR", "MAG", "SH", "UN"))
LEMMA = frozenset(("VV", "VA"))
NOUNS = frozenset(("NNG", "NNP"))
COMPOUND_MIN = 3  # syllables; shorter nouns are not worth a Kiwi call to split
# How much less likely (in Kiwi's log score) a split may be than the whole word and still
# count as its parts: 광주광역시 -> 광주 + 광역시 costs ~4, 라스베이거스 -> 라스베이 + 거스 ~20.
SPLIT_MARGIN = 7.0


def kiwi():
    """Return the process's Kiwi, loading it (~5 s, ~500 MB) on first call."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                # No thread pool: hanil tokenizes one text per call, which the pool does
                # not speed up, and processes fork after loading (reindex --procs, serve):
                # a forked child's pool has no threads, and its destructor aborted the
                # child at exit ("std::system_error: Invalid argument").
                with warnings.catch_warnings():  # 0 means "no pool" since 0.21: as meant
                    warnings.filterwarnings("ignore", "behavior of `num_workers=0`")
                    k = Kiwi(num_workers=0)
                k.tokenize("광주에서 출발했다")  # the first call finishes loading (~3 s)
                _kiwi = k
    return _kiwi


def analyze(
    text: str, offset: int, out: list[Term], compounds: bool = True, readings: bool = False
) -> None:
    """Append the Terms of the content words of Korean text.

    Verbs and adjectives become lemmas (나섰다 -> 나서다); a compound noun Kiwi keeps whole
    is followed by its parts (광주광역시장 -> 광주광역시, 광주, 광역시). Offsets are
    shifted by offset. With readings, a proper noun or a loanword (readings.foreign_looking)
    is followed by the sound keys a katakana spelling of it shares
    (bridge.korean_name_terms): ジェミョン meets 재명, スマートシティ 스마트시티.
    """
    k = kiwi()
    append = out.append
    for base, piece in chunks(text, MAX_CHARS):
        base += offset
        for t in k.tokenize(piece):
            if t.len <= 0:
                continue  # Kiwi may infer a morpheme no character of the text spells
            tag = t.tag
            if tag not in KEEP:
                tag = tag.split("-", 1)[0]  # VV-R, VA-I: regular/irregular marks
                if tag not in KEEP:
                    continue
            form = t.form
            if form < "\u1100":
                continue  # Latin and digits come from the Latin path
            start = base + t.start
            end = start + t.len
            if tag in LEMMA:
                append(new(Term, (t.lemma, start, end, KIWI_LEMMA, False)))
                continue
            if " " in form:
                # Kiwi joins multi-word names (찰스 오스틴); index each word, as a text
                # written without the space would be.
                _words(form, piece, start - base, base, append)
                continue
            append(new(Term, (form, start, end, KIWI, False)))
            if (
                readings
                and len(form) >= 2
                and (tag == "NNP" or (tag == "NNG" and foreign_looking(form)))
            ):
                for key in korean_name_terms(form):
                    append(new(Term, (key, start, end, READING, True)))
            if compounds and len(form) >= COMPOUND_MIN and tag in NOUNS:
                for part, ps, pe in noun_parts(form):
                    append(Term(part, start + ps, start + pe, KIWI_PART, True))


def _words(form: str, piece: str, at: int, base: int, append) -> None:
    """Append each space-separated word of a multi-word morpheme at its own offsets."""
    surface = piece[at : at + len(form) + 8]
    pos = 0
    for word in form.split():
        found = surface.find(word, pos)
        if found < 0:
            continue
        append(Term(word, base + at + found, base + at + found + len(word), KIWI, False))
        pos = found + len(word)


@lru_cache(maxsize=200_000)
def noun_parts(word: str) -> tuple[tuple[str, int, int], ...]:
    """Split a compound noun Kiwi keeps whole into its noun parts, as (text, start, end).

    Kiwi is asked for its best analysis with the whole word forbidden; the split is taken
    only when it is nearly as likely as the whole word, and parts of three or more
    syllables are split again (광주광역시장 -> 광주광역시 + 장 -> 광주 + 광역시).
    """
    return tuple(_split(word, 0, depth=2))


def _split(word: str, offset: int, depth: int) -> list[tuple[str, int, int]]:
    from kiwipiepy import MorphemeSet

    k = kiwi()
    whole = k.analyze(word, top_n=1)[0][1]
    block = MorphemeSet(k, [(word, "NNP"), (word, "NNG")])
    tokens, score = k.analyze(word, top_n=1, blocklist=block)[0]
    if whole - score > SPLIT_MARGIN or len(tokens) < 2:
        return []
    if any(t.tag not in NOUNS for t in tokens) or all(t.len < 2 for t in tokens):
        return []
    out: list[tuple[str, int, int]] = []
    for t in tokens:
        start = offset + t.start
        if t.len >= 2:
            out.append((t.form, start, start + t.len))
        if depth > 1 and t.len >= 3:
            out.extend(_split(t.form, start, depth - 1))
    return out
