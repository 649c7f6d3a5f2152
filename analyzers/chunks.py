"""Cut long text into pieces a morphological analyzer accepts, at natural boundaries."""

from __future__ import annotations

from collections.abc import Iterator

_BREAKS = ("\n", "。", ". ", "! ", "? ", "다. ", " ", "、", ",")


def chunks(text: str, max_chars: int) -> Iterator[tuple[int, str]]:
    """Yield (offset, piece) covering text, each piece at most max_chars long.

    Cuts after the latest line, sentence, space or comma boundary in the window, so that
    a word is cut only when the window holds none of them.
    """
    n = len(text)
    start = 0
    while n - start > max_chars:
        window = text[start : start + max_chars]
        cut = 0
        for mark in _BREAKS:
            at = window.rfind(mark, max_chars // 2)
            if at >= 0:
                cut = at + len(mark)
                break
        if cut <= 0:
            cut = max_chars
        yield start, text[start : start + cut]
        start += cut
    if start < n:
        yield start, text[start:]
