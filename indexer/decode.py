"""Decode text files written in UTF-8, CP949/EUC-KR or Shift_JIS/EUC-JP."""

from __future__ import annotations

import codecs
import re


class UnreadableFile(Exception):
    """A file that is not text hanil can read; the message says why."""


_CANDIDATES = ("cp949", "cp932", "euc_jp")
_NATIVE = re.compile(r"[가-힣ぁ-ゖァ-ヺー]")  # Hangul syllables and kana: native script
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def decode(data: bytes) -> str:
    """Return the text of data, or raise UnreadableFile saying why it cannot be read."""
    if not data.strip():
        raise UnreadableFile("empty file")
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _check(data.decode(enc, errors="strict"))
    if b"\x00" in data[:65536]:
        raise UnreadableFile("binary file (NUL bytes)")
    try:
        return _check(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    best, best_score = None, -1.0
    for enc in _CANDIDATES:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        # A wrong legacy decoding yields kanji soup; the right one yields Hangul or kana.
        score = len(_NATIVE.findall(text)) / max(1, len(text))
        if score > best_score:
            best, best_score = text, score
    if best is None:
        raise UnreadableFile("not text in UTF-8, CP949/EUC-KR, Shift_JIS or EUC-JP")
    return _check(best)


def _check(text: str) -> str:
    if not text.strip():
        raise UnreadableFile("empty file")
    if len(_CONTROL.findall(text[:65536])) > 0.01 * min(len(text), 65536):
        raise UnreadableFile("binary file (control characters)")
    return text
