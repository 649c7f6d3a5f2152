"""Score extraction from saved web pages against a truth file (`hanil eval-pages`).

The truth file is a JSON list with one object per page: f (file name in the pages folder),
title (the headline), date (YYYY-MM-DD), body (phrases only the article body holds),
boiler (phrases only the page's boilerplate holds). A page is read exactly as `hanil
reindex` reads it (indexer/inputs.py), and scored on: one article; its title (spaces
compared as one); its date; every body phrase in its body; no boilerplate phrase, markup,
script or style text, or undecoded entity in its title or body.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .articles import Article
from .inputs import read_file

_MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_SCRIPT = re.compile(
    r"\bfunction\s*\(|\bdocument\.\w|\bwindow\.\w|\$\(\s*document|=>\s*\{|\bvar\s+\w+\s*=|"
    r"[.#]?[\w-]+\s*\{\s*[\w-]+\s*:[^{}]*;\s*\}"  # a CSS rule
)


@dataclass
class PageScore:
    page: str
    articles: int
    title_ok: bool
    date_ok: bool
    body_found: int
    body_phrases: int
    boilerplate: list[str] = field(default_factory=list)
    junk: list[str] = field(default_factory=list)  # markup, script, entities found
    title: str = ""
    date: str | None = None
    want_title: str = ""
    want_date: str = ""

    @property
    def clean(self) -> bool:
        return not self.boilerplate and not self.junk


def _spaces(text: str) -> str:
    return " ".join(text.split())


def score_page(path: Path, truth: dict) -> PageScore:
    items = list(read_file(path, Path(path.name)))
    found = [a for a in items if isinstance(a, Article)]
    art = found[0] if found else Article("", "", "", "")
    text = f"{art.title}\n{art.body}"
    junk = [m.group() for rx in (_MARKUP, _ENTITY, _SCRIPT) for m in rx.finditer(text)]
    return PageScore(
        page=truth["f"],
        articles=len(found),
        title_ok=_spaces(art.title) == _spaces(truth["title"]),
        date_ok=art.date == truth.get("date"),
        body_found=sum(_spaces(p) in _spaces(art.body) for p in truth["body"]),
        body_phrases=len(truth["body"]),
        boilerplate=[p for p in truth["boiler"] if _spaces(p) in _spaces(text)],
        junk=junk[:5],
        title=art.title,
        date=art.date,
        want_title=truth["title"],
        want_date=truth.get("date") or "",
    )


def score_pages(pages: Path, truth_file: Path) -> dict:
    """Score every page the truth file lists; return totals and each page's score."""
    truth = json.loads(Path(truth_file).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    scores = [score_page(Path(pages) / t["f"], t) for t in truth]
    elapsed = time.perf_counter() - t0
    return {
        "pages": len(scores),
        "one_article": sum(s.articles == 1 for s in scores),
        "titles": sum(s.title_ok for s in scores),
        "dates": sum(s.date_ok for s in scores),
        "body_phrases": sum(s.body_found for s in scores),
        "body_phrases_all": sum(s.body_phrases for s in scores),
        "boilerplate_phrases": sum(len(s.boilerplate) for s in scores),
        "clean": sum(s.clean for s in scores),
        "pages_per_s": round(len(scores) / elapsed, 1) if elapsed else 0.0,
        "scores": [asdict(s) for s in scores],
    }
