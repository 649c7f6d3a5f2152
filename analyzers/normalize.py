"""NFKC folding that remembers where every folded character came from."""

from __future__ import annotations

import re
import unicodedata

from .term import Term, new

# Full-width ASCII and the ideographic space fold one-to-one under NFKC; translating them
# first lets most Japanese text take the fast path (is_normalized is C speed). Only their
# runs are translated: str.translate walks a whole non-Latin text in Python-dict steps.
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_WIDE = re.compile("[\uff01-\uff5e\u3000]+")
# Characters NFKC leaves alone whatever surrounds them (unless a combining mark follows):
# printable ASCII, whitespace, kana, common kanji, Hangul syllables, common punctuation.
_UNSAFE = re.compile(
    "[^\\u0020-\\u007e\\t\\n\\r\\u3001-\\u3003\\u3005-\\u3007\\u300c-\\u300f"
    "\\u3041-\\u3096\\u30a1-\\u30fa\\u30fc\\u4e00-\\u9fff\\uac00-\\ud7a3]+"
)


def _attaches(ch: str) -> bool:
    """Tell whether ch composes with the character before it under NFKC."""
    o = ord(ch)
    return (
        unicodedata.combining(ch) != 0
        or 0x1160 <= o <= 0x11FF  # Hangul jungseong/jongseong join a preceding syllable
        or 0xD7B0 <= o <= 0xD7FF
        or o in (0xFF9E, 0xFF9F)  # half-width (han)dakuten join the kana before them
    )


class Folded:
    """Folded text plus a map from folded spans back to the original text.

    The map lists only the clusters whose length changed (ｶﾞ -> ガ, ㎞ -> km), as parallel
    lists of folded start, folded end, original start, original end; between them the
    two texts run in step.
    """

    __slots__ = ("text", "_fs", "_fe", "_os", "_oe", "_starts", "_ends")

    def __init__(self, text: str, fs=(), fe=(), os_=(), oe=()):
        self.text = text
        self._fs, self._fe, self._os, self._oe = fs, fe, os_, oe
        self._starts = self._ends = None

    def _maps(self) -> tuple[list[int], list[int]]:
        """Return, for every folded offset, where a span starting (ending) there starts
        (ends) in the original: a list lookup per term instead of a search."""
        if self._starts is None:
            starts: list[int] = []
            ends = [0]
            f = o = 0  # the end of the last cluster, folded and original
            for fs, fe, os_, oe in zip(self._fs, self._fe, self._os, self._oe, strict=True):
                starts.extend(range(o, o + fs - f))
                starts.extend([os_] * (fe - fs))  # inside a cluster: the whole cluster
                ends.extend(range(o + 1, o + fs - f + 1))
                ends.extend([oe] * (fe - fs))
                f, o = fe, oe
            n = len(self.text) - f
            starts.extend(range(o, o + n + 1))
            ends.extend(range(o + 1, o + n + 1))
            self._starts, self._ends = starts, ends
        return self._starts, self._ends

    def remap(self, items: list[Term]) -> list[Term]:
        """Map Terms of non-empty spans from folded to original offsets."""
        if not self._fs:
            return items
        starts, ends = self._maps()
        return [new(Term, (t, starts[s], ends[e], path, part)) for t, s, e, path, part in items]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original (start, end) of the folded span [start, end)."""
        if not self._fs:
            return start, end
        starts, ends = self._maps()
        return (starts[start], ends[end]) if end > start else (starts[start], starts[start])


def _narrow(m: re.Match) -> str:
    return m.group().translate(_WIDTH)


def fold(text: str) -> Folded:
    """NFKC-fold text, keeping exact offsets into the original."""
    quick = _WIDE.sub(_narrow, text)
    if unicodedata.is_normalized("NFKC", quick):
        return Folded(quick)
    # Characters outside the safe set are folded cluster by cluster (a base character and
    # the marks that attach to it); the rest maps one-to-one.
    out: list[str] = []
    fs: list[int] = []
    fe: list[int] = []
    os_: list[int] = []
    oe: list[int] = []
    pos = 0  # in quick (= in text: the width fold is one-to-one)
    npos = 0  # in the folded text
    for m in _UNSAFE.finditer(quick):
        a, b = m.start(), m.end()
        if a > pos and _attaches(quick[a]):
            a -= 1  # a combining mark folds together with the character before it
        out.append(quick[pos:a])
        npos += a - pos
        i = a
        while i < b:
            j = i + 1
            while j < b and _attaches(quick[j]):
                j += 1
            piece = unicodedata.normalize("NFKC", quick[i:j])
            out.append(piece)
            if len(piece) != 1 or j - i != 1:
                fs.append(npos)
                fe.append(npos + len(piece))
                os_.append(i)
                oe.append(j)
            npos += len(piece)
            i = j
        pos = b
    out.append(quick[pos:])
    return Folded("".join(out), fs, fe, os_, oe)
