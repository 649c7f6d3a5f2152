"""NFKC folding that remembers where every folded character came from."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

# Full-width ASCII and the ideographic space fold one-to-one under NFKC; translating them
# first lets most Japanese text take the fast path (is_normalized is C speed).
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
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

    __slots__ = ("text", "_fs", "_fe", "_os", "_oe")

    def __init__(self, text: str, fs=(), fe=(), os_=(), oe=()):
        self.text = text
        self._fs, self._fe, self._os, self._oe = fs, fe, os_, oe

    def _at(self, i: int, end: bool) -> int:
        """Return where folded character i starts (or, with end, ends) in the original."""
        k = bisect_right(self._fs, i) - 1
        if k >= 0 and i < self._fe[k]:  # inside a cluster: the whole cluster
            return self._oe[k] if end else self._os[k]
        o = i if k < 0 else i - self._fe[k] + self._oe[k]
        return o + 1 if end else o

    def remap(self, items: list[tuple]) -> list[tuple]:
        """Map (term, start, end, ...) tuples from folded to original offsets."""
        if not self._fs:
            return items
        span = self.span
        return [(t[0], *span(t[1], t[2]), *t[3:]) for t in items]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original (start, end) of the folded span [start, end)."""
        if not self._fs:
            return start, end
        if end <= start:
            o = self._at(start, False)
            return o, o
        return self._at(start, False), self._at(end - 1, True)


def fold(text: str) -> Folded:
    """NFKC-fold text, keeping exact offsets into the original."""
    quick = text.translate(_WIDTH)
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
