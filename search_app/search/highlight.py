"""Snippets and titles with <mark> on the matched characters; all other text escaped.

This module holds the only HTML hanil builds from text: `mark` escapes every piece of the
text and returns markupsafe.Markup, which templates insert as it is (no `| safe` anywhere),
so text can only reach a page escaped.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from markupsafe import Markup, escape

# Sentence ends of Korean, Japanese and Latin text: 다. 。 . ! ? and their full-width forms.
_SENTENCE = re.compile(r"[^。！？!?\n]*?(?:[。！？!?]+|\.(?=\s|$)|\n|$)")
FRAGMENT_CHARS = 160
MAX_FRAGMENTS = 3


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> Markup:
    """Return text[start:end] escaped, with <mark> around the spans (offsets into text)."""
    end = len(text) if end is None else end
    out = []
    pos = start
    for s, e in merge(spans):
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(escape(text[pos:s]))
        out.append(Markup("<mark>%s</mark>") % text[s:e])
        pos = e
    out.append(escape(text[pos:end]))
    return Markup("").join(out)


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sort spans and merge the overlapping ones (a compound and its parts)."""
    out: list[list[int]] = []
    for s, e in sorted(spans):
        if out and s < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def sentences(text: str, until: int | None = None) -> list[tuple[int, int]]:
    """Return (start, end) of each sentence of text, trimmed of surrounding space; with
    until, only up to the first sentence reaching it (a long article is not split past its
    last match)."""
    out = []
    for m in _SENTENCE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
            if until is not None and e >= until:
                break
    return out


def snippet(text: str, spans: list[tuple[int, int]], fragments: int = MAX_FRAGMENTS) -> Markup:
    """Return 1 to 3 sentence fragments around the matches, marked and escaped."""
    spans = merge(spans)
    sents = sentences(text, until=spans[-1][1] if spans else 1)
    if not sents:
        return Markup("")
    if not spans:
        s, e = sents[0]
        return _cut(text, [], s, e)
    starts = [a for a, _ in spans]  # merged spans are sorted and apart
    scored = []
    for i, (s, e) in enumerate(sents):
        lo, hi = bisect_left(starts, s), bisect_left(starts, e)
        inside = [(a, b) for a, b in spans[lo:hi] if b <= e]
        if inside:
            distinct = len({text[a:b] for a, b in inside})
            scored.append((-distinct, -len(inside), i))
    chosen = sorted(i for _, _, i in sorted(scored)[:fragments]) or [0]
    parts = [_cut(text, spans, *sents[i]) for i in chosen]
    return Markup(" … ").join(parts)


def _cut(text: str, spans, s: int, e: int) -> Markup:
    """Mark the sentence text[s:e], trimmed to about FRAGMENT_CHARS around its matches."""
    if e - s > FRAGMENT_CHARS:
        inside = [a for a, b in spans if s <= a < e]
        centre = inside[0] if inside else s
        new_s = max(s, centre - FRAGMENT_CHARS // 3)
        new_e = min(e, new_s + FRAGMENT_CHARS)
        lead = "…" if new_s > s else ""
        tail = "…" if new_e < e else ""
        return Markup(lead) + mark(text, spans, new_s, new_e) + Markup(tail)
    return mark(text, spans, s, e)
