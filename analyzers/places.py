"""The city gazetteer (data/places.tsv): read once, here, for the facets (indexer) and the
bridge's place names (readings.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

PLACES = Path(__file__).parent / "data" / "places.tsv"


class PlaceRow(NamedTuple):
    id: str
    kind: str  # top, province, si, gun, gu (Korea and Tokyo), jp, pref, jpcity, world
    parent: str  # the id of the city or province a district or county belongs to
    ko: str
    ja: str
    en: str
    aliases: tuple[str, ...]  # more names, any language
    strict: bool  # the bare name is a common word: only suffixed forms count
    homonyms: tuple[str, ...] = ()  # aliases that are common words too (marked ~ in the file)


@cache
def place_rows() -> tuple[PlaceRow, ...]:
    """Every row of the gazetteer, in file order."""
    out = []
    for line in PLACES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("id\t"):
            continue
        pid, kind, parent, ko, ja, en, aliases, strict = line.split("\t")
        names = [a for a in aliases.split("|") if a]
        homonyms = tuple(a[1:] for a in names if a.startswith("~"))
        names = tuple(a.removeprefix("~") for a in names)
        out.append(PlaceRow(pid, kind, parent, ko, ja, en, names, strict.strip() == "1", homonyms))
    return tuple(out)
