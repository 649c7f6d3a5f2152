"""Facet values of an article: the cities it is about, the events, the year."""

from __future__ import annotations

import re
from collections import Counter

from . import gazetteer
from .dates import years_mentioned

# A place name that is part of a government word (안산시장, 光州市長) names the actor.
_GOVERNMENT = re.compile(
    r"\s?(?:시장|군수|구청장|도지사|지사|시청|군청|구청|도청|시의회|특별시장|광역시장|"
    r"市長|市役所|市庁|知事|区長|郡守|道知事|市議会)"
)
_YEAR_AFTER = re.compile(r"[\s'’‘\"“(（]{0,3}((?:19|20)\d{2})(?!\d)")
_YEAR_BEFORE = re.compile(r"(?<!\d)((?:19|20)\d{2})[\s'’‘\"“]?[^\d\n]{0,10}$")
TITLE_WEIGHT = 3
MIN_SCORE = 2
RELATIVE = 0.25  # of the top city's score


def cities(title: str, body: str, venues: set[str] = frozenset()) -> list[str]:
    """Return ids of the local governments an article is about, most salient first.

    Each mention scores 1 (3 in the title, +2 as part of a government word); a place
    that is the venue of an event the article covers does not count, nor does one
    far behind the leader. An ambiguous name (중구) goes to the place whose parent the
    article mentions, else nowhere.
    """
    places = gazetteer.places()
    matcher = gazetteer.place_matcher()
    raw: list[tuple[list[str], int]] = []
    for text, weight in ((title or "", TITLE_WEIGHT), (body or "", 1)):
        for _start, end, targets in matcher.finditer(text):
            score = weight + (2 if _GOVERNMENT.match(text, end) else 0)
            raw.append((targets, score))
    mentioned = {t for targets, _ in raw for t in targets if len(targets) == 1}
    scores: Counter[str] = Counter()
    for targets, score in raw:
        pid = _resolve(targets, mentioned, places)
        if pid and pid not in venues:
            scores[pid] += score
    if not scores:
        return []
    top = max(scores.values())
    keep = [p for p, s in scores.most_common() if s >= MIN_SCORE and s >= RELATIVE * top]
    return keep


def _resolve(targets: list[str], mentioned: set[str], places) -> str | None:
    if len(targets) == 1:
        return targets[0]
    with_parent = [t for t in targets if places[t].parent in mentioned]
    if len(with_parent) == 1:
        return with_parent[0]
    rank = {"top": 0, "province": 1, "jp": 1, "si": 2, "gun": 3, "gu": 9}
    best = sorted(targets, key=lambda t: rank[places[t].kind])
    if rank[places[best[0]].kind] < rank[places[best[1]].kind] and places[best[0]].kind != "gu":
        return best[0]
    return None


def events(title: str, body: str) -> list[str]:
    """Return event facet values (ces-2023, or ces when no edition year is written)."""
    matcher = gazetteer.event_matcher()
    editions: Counter[str] = Counter()
    plain: Counter[str] = Counter()
    for text in (title or "", body or ""):
        for start, end, targets in matcher.finditer(text):
            year = _edition_year(text, start, end)
            for eid in targets:
                if year:
                    editions[f"{eid}-{year}"] += 1
                else:
                    plain[eid] += 1
    with_year = {v.rsplit("-", 1)[0] for v in editions}
    out = [v for v, _ in editions.most_common()]
    out += [e for e, _ in plain.most_common() if e not in with_year]
    return out


def _edition_year(text: str, start: int, end: int) -> int | None:
    after = _YEAR_AFTER.match(text, end)
    if after:
        return int(after.group(1))
    before = _YEAR_BEFORE.search(text, max(0, start - 14), start)
    if before:
        return int(before.group(1))
    return None


def event_ids(values: list[str]) -> set[str]:
    """Return the event ids behind facet values (ces-2023 -> ces)."""
    known = gazetteer.events()
    out = set()
    for v in values:
        base = v if v in known else v.rsplit("-", 1)[0]
        if base in known:
            out.add(base)
    return out


def venues(event_values: list[str]) -> set[str]:
    """Return the place ids that host the given events."""
    known = gazetteer.events()
    return {pid for eid in event_ids(event_values) for pid in known[eid].venue}


def extract(title: str, body: str) -> tuple[list[str], list[str]]:
    """Return (cities, events) for an article."""
    ev = events(title, body)
    return cities(title, body, venues(ev)), ev


def certain_year(text: str) -> int | None:
    """Return the year text makes certain (the only one it mentions), else None."""
    years = years_mentioned(text)
    return next(iter(years)) if len(years) == 1 else None


def label(facet: str, value: str, lang: str = "en") -> str:
    """Return the display label of a facet value in lang (ko, ja, en)."""
    if facet == "city":
        place = gazetteer.places().get(value)
        return place.label(lang) if place else value
    if facet == "event":
        known = gazetteer.events()
        if value in known:
            return known[value].label
        base, _, year = value.rpartition("-")
        if base in known and year.isdigit():
            return f"{known[base].label} {year}"
        return value
    if facet == "lang":
        names = {
            "ko": {"ko": "한국어", "ja": "韓国語", "en": "Korean"},
            "ja": {"ko": "일본어", "ja": "日本語", "en": "Japanese"},
        }
        return names.get(value, {}).get(lang, value)
    return value
