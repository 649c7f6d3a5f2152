"""Decode text files: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy Korean or
Japanese encoding (CP949/EUC-KR, Shift_JIS/CP932, EUC-JP) that a charset detector finds
credible. Bytes that decode to nothing credible are refused, never indexed as mojibake."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes


class UnreadableFile(Exception):
    """A file that is not text hanil can read; the message says why."""


# The legacy encodings of Korean and Japanese news; charset-normalizer weighs each decoding
# by how chaotic its text is (odd symbols, mixed scripts, accents inside words) and drops
# those past its threshold, so random bytes give no candidate at all.
LEGACY = ("cp949", "euc_kr", "cp932", "shift_jis", "euc_jp")
# Hangul syllables and kana. Short text in EUC-JP also decodes without chaos as CP949 (and
# back): the decoding whose text is in the languages' own syllabaries is the right one. In
# the wrong one, EUC-JP's hiragana row falls on CP949's compatibility jamo (ㅟ ㅞ), which
# Korean prose hardly uses, while its kanji fall on rare syllables (껐뿔묩): jamo count
# against a decoding.
_NATIVE = re.compile(r"[가-힣ぁ-ゖァ-ヺー]")
_JAMO = re.compile(r"[\u3131-\u318e]")
# A decoding must read as words: text from legacy bytes whose characters are mostly not
# letters (arrows, box symbols from a repeated byte) is not credible either.
MIN_LETTERS = 0.5
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, declared: str | None = None) -> str:
    """Return the text of data, or raise UnreadableFile saying why it cannot be read.

    declared is an encoding the file names itself (an HTML page's charset): it is used
    when the bytes decode under it, but bytes that are valid UTF-8 are read as UTF-8 (pages
    that declare euc-kr and are UTF-8 exist).
    """
    if not data.strip():
        raise UnreadableFile("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return _check(data.decode(enc))
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"not valid {enc} after its byte-order mark") from exc
    if b"\x00" in data[:65536]:
        raise UnreadableFile("binary file (NUL bytes)")
    try:
        return _check(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if declared and _known(declared):
        try:
            return _check(data.decode(declared))
        except UnicodeDecodeError:
            pass  # the declaration lies: let the detector judge
    return _check(_detect(data))


def _known(encoding: str) -> bool:
    try:
        codecs.lookup(encoding)
    except LookupError:
        return False
    return True


def _detect(data: bytes) -> str:
    found = [str(m) for m in from_bytes(data, cp_isolation=list(LEGACY))]
    if not found:
        raise UnreadableFile(
            "no credible decoding (not UTF-8, and a charset detector found no Korean or "
            "Japanese encoding that reads as text)"
        )
    best = max(found, key=_native_share)
    visible = [c for c in best if not c.isspace()]
    if sum(c.isalpha() for c in visible) < MIN_LETTERS * len(visible):
        raise UnreadableFile("no credible decoding (the bytes decode to symbols, not words)")
    return best


def _native_share(text: str) -> float:
    native, jamo = len(_NATIVE.findall(text)), len(_JAMO.findall(text))
    return (native - 3 * jamo) / max(1, len(text))


def _check(text: str) -> str:
    if not text.strip():
        raise UnreadableFile("empty file")
    if len(_CONTROL.findall(text[:65536])) > 0.01 * min(len(text), 65536):
        raise UnreadableFile("binary file (control characters)")
    return text
