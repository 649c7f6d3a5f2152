"""Find publication dates and years in news text, never inventing a missing part."""

from __future__ import annotations

import re
from datetime import date

_YEAR = r"((?:19|20)\d{2})"
# 2023-01-04, 2023.1.4., 2020-01, 2019/8/20
_NUMERIC = re.compile(rf"(?<!\d){_YEAR}\s?[-./]\s?(\d{{1,2}})(?:\s?[-./]\s?(\d{{1,2}}))?\.?(?!\d)")
# 2020年3月9日, 2023년 1월 4일, 2020年3月
_WORDS = re.compile(rf"(?<!\d){_YEAR}\s?[年년]\s?(\d{{1,2}})\s?[月월](?:\s?(\d{{1,2}})\s?[日일])?")
# A year alone in a date-like or edition-like context: 2019年, 2019년, 2019アジア, CES 2023
_BARE_YEAR = re.compile(rf"(?<![\d.,\-/]){_YEAR}(?![\d.,%])")
# A dateline label in front of a date: 등록 2023-01-04 15:04:40, 입력 2024-01-08, date 2020-01
DATELINE = re.compile(
    r"(?:등록|입력|수정|게재|발행|작성|송고|기사입력|date|Date|DATE|公開|配信|更新|掲載)"
    r"\s*[:：]?\s*(?=(?:19|20)\d{2})"
)


def _valid(y: int, m: int | None, d: int | None) -> bool:
    try:
        date(y, m or 1, d or 1)
    except ValueError:
        return False
    return True


def _format(y: int, m: int | None, d: int | None) -> str:
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


def parse_date(text: str) -> str | None:
    """Return the first date in text as YYYY-MM-DD, YYYY-MM or None (no year: None)."""
    found = all_dates(text)
    return found[0][1] if found else None


def all_dates(text: str) -> list[tuple[int, str]]:
    """Return (offset, ISO date) for every dated mention with a year, in text order."""
    out = []
    for rx in (_NUMERIC, _WORDS):
        for m in rx.finditer(text):
            y, mo = int(m.group(1)), int(m.group(2))
            d = int(m.group(3)) if m.group(3) else None
            if _valid(y, mo, d):
                out.append((m.start(), _format(y, mo, d)))
    out.sort()
    return out


def years_mentioned(text: str) -> set[int]:
    """Return the plausible years (1990 to 2039) text mentions."""
    return {int(m.group(1)) for m in _BARE_YEAR.finditer(text) if 1990 <= int(m.group(1)) < 2040}


def normalize_date(value: str | None) -> str | None:
    """Turn a given date field (ISO or free form) into YYYY-MM-DD / YYYY-MM, or None."""
    if not value:
        return None
    value = str(value).strip()
    m = re.match(r"((?:19|20)\d{2})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if m:
        y, mo, d = int(m.group(1)), m.group(2), m.group(3)
        mo_i, d_i = (int(mo) if mo else None), (int(d) if d else None)
        if _valid(y, mo_i, d_i):
            return _format(y, mo_i, d_i)
    return parse_date(value)


def item_date(text: str) -> tuple[str | None, int | None]:
    """Date and year of a news item without a dateline.

    The date is the latest full date the item gives (news reports its newest event); with
    none, the year is the only year the text mentions, else unknown.
    """
    full = [d for _, d in all_dates(text) if len(d) == 10]
    if full:
        latest = max(full)
        return latest, int(latest[:4])
    years = years_mentioned(text)
    if len(years) == 1:
        return None, next(iter(years))
    return None, None
