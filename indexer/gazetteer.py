"""The place and event gazetteers (data files beside this module), compiled once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from analyzers.places import place_rows  # beside the readings it also feeds

DATA = Path(__file__).resolve().parent / "data"

_KO_SUFFIX = {"top": ("시",), "si": ("시", "특례시"), "gun": ("군",), "gu": ("구",)}
_JA_SUFFIX = {"top": ("市",), "si": ("市",), "gun": ("郡",), "gu": ("区",)}
# After a bare Korean place name (서울, 안산) comes a particle, a suffix or a non-Hangul
# character; anything else means the name is the start of another word (부산물, 대구경).
_KO_NEXT = "시군구도광특청장민정형권지역행발내외대교항공상의은는이가을를에와과로으만까부보처엔서"
_METROS = {"seoul", "busan", "daegu", "incheon", "gwangju", "daejeon", "ulsan"}


@dataclass(frozen=True)
class Place:
    id: str
    kind: str
    parent: str
    ko: str
    ja: str
    en: str
    names: tuple[str, ...] = ()  # other names, any language

    def label(self, lang: str) -> str:
        """Name the place in lang (ko, ja, else English); districts name their city too."""
        name = {"ko": self.ko, "ja": self.ja}.get(lang, self.en)
        if self.kind in ("pref", "jpcity") and lang in ("ko", "ja"):
            return next((n for n in self.names if _is_hangul(n) == (lang == "ko")), name)
        if self.kind in ("si", "gun", "gu"):
            if lang == "ko":
                name += _KO_SUFFIX[self.kind][0]
            elif lang == "ja":
                name += _JA_SUFFIX[self.kind][0]
        if self.kind == "gu" or (self.kind == "gun" and self.parent in _METROS):
            parent = places()[self.parent].label(lang)
            name = f"{parent} {name}" if lang in ("ko", "ja") else f"{name}, {parent}"
        return name


@dataclass(frozen=True)
class Event:
    id: str
    label: str
    venue: tuple[str, ...]


def _is_hangul(s: str) -> bool:
    return any("가" <= c <= "힣" for c in s)


def _is_latin(s: str) -> bool:
    return all(c.isascii() for c in s)


_WORD = re.compile(r"(?<![A-Za-z])[A-Za-z]+")
_KATAKANA = re.compile(r"[ァ-ヺー]")


def _latin_pattern(alias: str) -> str:
    body = re.escape(alias).replace(r"\ ", r"\s*")
    if not alias.isupper():
        body = f"(?i:{body})"  # acronyms in capitals match case-sensitively: CES, not ces
    return rf"(?<![A-Za-z]){body}(?![A-Za-z])"


class Matcher:
    """Find many aliases in text; each match names the alias's targets.

    Korean and Japanese aliases (two characters or more) are looked up by their first two
    characters and length (a regex of hundreds of alternatives is ~100x slower); Latin ones
    by their first word, then a regex with word boundaries. A Hangul alias must not follow
    Hangul, and a bare Korean name (서울, not 서울시) must be followed by a particle, a
    suffix or a non-Hangul character.
    """

    def __init__(self, aliases: dict[str, set[str]], bare: set[str]):
        self._cjk: dict[str, tuple[tuple[str, ...], bool]] = {}
        self._lengths: dict[str, list[int]] = {}
        latin = []
        for alias, targets in aliases.items():
            if _is_latin(alias):
                latin.append((alias, tuple(sorted(targets))))
                continue
            if len(alias.replace(" ", "")) < 2:
                raise ValueError(f"a Korean or Japanese alias needs two characters: {alias!r}")
            for variant in {alias, alias.replace(" ", "")}:
                self._cjk[variant] = (tuple(sorted(targets)), alias in bare)
                self._lengths.setdefault(variant[:2], []).append(len(variant))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)
        # Where an alias can start: one of their first characters before one of their
        # second ones (most characters of a text start none; a Python step each that does)
        firsts = "".join(map(re.escape, sorted({prefix[0] for prefix in self._lengths})))
        seconds = "".join(map(re.escape, sorted({prefix[1] for prefix in self._lengths})))
        self._first = re.compile(f"[{firsts}](?=[{seconds}])")
        # Latin aliases by their first word, lowercased; longest first.
        latin.sort(key=lambda a: len(a[0]), reverse=True)
        self._latin: dict[str, list[tuple[re.Pattern, tuple[str, ...]]]] = {}
        for alias, targets in latin:
            first = re.match(r"[A-Za-z]+", alias).group().lower()
            self._latin.setdefault(first, []).append((re.compile(_latin_pattern(alias)), targets))

    def finditer(self, text: str):
        """Yield (start, end, targets) for every alias match, in text order."""
        out = []
        for w in _WORD.finditer(text):
            for rx, targets in self._latin.get(w.group().lower(), ()):
                m = rx.match(text, w.start())
                if m:
                    out.append((m.start(), m.end(), targets))
                    break
        lengths, table = self._lengths, self._cjk
        pos = 0
        # The regex skips, at C speed, to characters that can start an alias.
        for m in self._first.finditer(text):
            i = m.start()
            if i < pos:
                continue
            for k in lengths.get(text[i : i + 2], ()):
                hit = table.get(text[i : i + k])
                if hit is not None and self._fits(text, i, i + k, hit[1]):
                    out.append((i, i + k, hit[0]))
                    pos = i + k
                    break
        out.sort()
        return out

    @staticmethod
    def _fits(text: str, start: int, end: int, bare: bool) -> bool:
        if _KATAKANA.match(text[start]):  # a whole katakana word: not ロメ in プロメテウス
            return not (
                (start > 0 and _KATAKANA.match(text[start - 1]))
                or (end < len(text) and _KATAKANA.match(text[end]))
            )
        if not ("가" <= text[start] <= "힣"):
            return True
        if start > 0 and "가" <= text[start - 1] <= "힣":
            return False
        if bare and end < len(text):
            nxt = text[end]
            return not ("가" <= nxt <= "힣") or nxt in _KO_NEXT
        return True


@lru_cache(maxsize=1)
def places() -> dict[str, Place]:
    return {r.id: Place(r.id, r.kind, r.parent, r.ko, r.ja, r.en, r.aliases) for r in place_rows()}


@lru_cache(maxsize=1)
def place_matcher() -> Matcher:
    return _place_aliases()[0]


def conditional_names() -> frozenset[str]:
    """Bare names that are also common words (화성 Mars, 진주 pearl, 대전 great war) or
    county names (부안, 무안): a mention of one counts only next to its province or city
    (경기 화성, 전남 무안) or before a word that makes it a place (무안공항)."""
    return _place_aliases()[1]


@lru_cache(maxsize=1)
def _place_aliases() -> tuple[Matcher, frozenset[str]]:
    aliases: dict[str, set[str]] = {}
    bare: set[str] = set()
    needs_context: set[str] = set()  # ids whose bare Korean name is conditional

    def add(alias: str, pid: str, is_bare: bool = False) -> None:
        aliases.setdefault(alias, set()).add(pid)
        if is_bare:
            bare.add(alias)

    for r in place_rows():
        for suffix in _KO_SUFFIX.get(r.kind, ()):
            add(r.ko + suffix, r.id)
        for suffix in _JA_SUFFIX.get(r.kind, ()):
            add(r.ja + suffix, r.id)
        if r.kind in ("top", "si", "province", "jp", "gun", "pref", "jpcity", "world"):
            add(r.ko, r.id, is_bare=True)
            if r.strict or r.kind == "gun":
                needs_context.add(r.id)
            elif len(r.ja) > 1:
                add(r.ja, r.id)
        for alias in r.aliases:
            add(alias, r.id, is_bare=_is_hangul(alias))
    # A bare name is conditional when every place it names is (광주 stays plain: the
    # metropolitan city's name is not, though Gyeonggi's Gwangju is).
    bare_names = {r.ko for r in place_rows() if r.id in needs_context}
    conditional = {n for n in bare_names if aliases[n] <= needs_context}
    conditional |= {h for r in place_rows() for h in r.homonyms}  # 경기 (a game), 대구 (cod)
    return Matcher(aliases, bare), frozenset(conditional)


@lru_cache(maxsize=1)
def events() -> dict[str, Event]:
    data = json.loads((DATA / "events.json").read_text(encoding="utf-8"))
    return {e["id"]: Event(e["id"], e["label"], tuple(e["venue"])) for e in data["events"]}


@lru_cache(maxsize=1)
def event_matcher() -> Matcher:
    data = json.loads((DATA / "events.json").read_text(encoding="utf-8"))
    aliases: dict[str, set[str]] = {}
    for e in data["events"]:
        for alias in e["aliases"]:
            aliases.setdefault(alias, set()).add(e["id"])
    return Matcher(aliases, set())
