"""Score the city and event facets against hand labels (`hanil eval-facets`).

The labels file is JSONL, one article a line: id, lang, title, body, date, group, and gold
{city_required, city_acceptable, event_required, event_acceptable, missing}. Articles are
read exactly as `hanil reindex` reads them (indexer.articles.read_inputs), and scored per
facet, pooled over articles:

- precision: predicted values that are required or acceptable, over all predicted;
- recall: required values predicted, over all required (acceptable ones are never needed);
- events both strict (the exact value, ces-2012) and lenient (the event: ces).

A predicted prefecture that shares its capital's name (福岡県) is compared as the capital
(fukuoka), which is what labels made before prefectures had ids of their own give it.
`missing` names places the gazetteer lacked when the labels were made ("港区 (Tokyo
ward)"): a predicted place whose name is one of them counts as right, never as needed; so
does an event the note says was not in the event list ("CeBIT is not in the event list").
Recall is also given per group, and every wrong or missed value is listed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import gazetteer
from .articles import Article, read_inputs
from .facets import label as facet_label


@dataclass
class Tally:
    right: int = 0  # predicted and required or acceptable
    predicted: int = 0
    found: int = 0  # required and predicted
    required: int = 0

    def add(self, predicted: set, required: set, acceptable: set) -> None:
        self.right += len(predicted & (required | acceptable))
        self.predicted += len(predicted)
        self.found += len(predicted & required)
        self.required += len(required)

    def figures(self) -> dict:
        return {
            "precision": round(self.right / self.predicted, 4) if self.predicted else None,
            "recall": round(self.found / self.required, 4) if self.required else None,
            "right": self.right,
            "predicted": self.predicted,
            "found": self.found,
            "required": self.required,
        }


@dataclass
class Errors:
    wrong: list = field(default_factory=list)  # (article id, facet, value, title)
    missed: list = field(default_factory=list)


def _names_of(place_id: str) -> set[str]:
    """A place's names, and its labels (천안 동남구, 港区), spaces and 시 left out."""
    place = gazetteer.places().get(place_id)
    if place is None:
        return set()
    names = (place.ko, place.ja, place.en, *place.names, place.label("ko"), place.label("ja"))
    return {_plain(n) for n in names if n}


def _plain(name: str) -> str:
    return re.sub(r"\s|시(?=\s)", "", name)


def _missing_matches(place_id: str, missing: list[str]) -> bool:
    """Whether a predicted place is one the labels list as missing from the gazetteer
    ("천안시 동남구 (non-autonomous gu)", "甲子園/西宮市 (Japanese city)")."""
    names = _names_of(place_id)
    for entry in missing:
        label = entry.split(" (", 1)[0]
        if any(_plain(part) in names for part in (label, *label.split("/"))):
            return True
    return False


def _as_labelled(place_id: str) -> str:
    """The id labels give a place: when a prefecture shares its capital's name (福岡県, 福岡市),
    labels made before prefectures had ids of their own name the capital."""
    place = gazetteer.places()[place_id]
    if place.kind != "pref":
        return place_id
    capital = next(
        (p.id for p in gazetteer.places().values() if p.kind == "jp" and p.ja == place.ja), None
    )
    return capital or place_id


def _unlisted_event(value: str, note: str) -> bool:
    """Whether the labels' note says a predicted event was not in the event list when
    they were made ("Interop Tokyo 2012 (not in event list)")."""
    label = facet_label("event", _base(value))
    pattern = re.escape(label) + r"[^;]*?not in (?:the )?event list"
    return bool(label) and re.search(pattern, note, re.I) is not None


def _base(value: str) -> str:
    head, _, year = value.rpartition("-")
    return head if year.isdigit() and len(year) == 4 else value


def score_facets(labels: Path) -> dict:
    """Score the facets hanil gives the labelled articles; return figures and errors."""
    gold = {}
    with open(labels, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                gold[str(rec["id"])] = rec
    city, event, lenient = Tally(), Tally(), Tally()
    groups: dict[str, Tally] = defaultdict(Tally)
    errors = Errors()
    seen = 0
    for art in read_inputs([labels]):
        if not isinstance(art, Article) or art.id not in gold:
            continue
        seen += 1
        rec = gold[art.id]
        g = rec["gold"]
        missing = g.get("missing") or []
        predicted = {_as_labelled(p) for p in art.city}
        required, acceptable = set(g["city_required"]), set(g["city_acceptable"])
        acceptable |= {p for p in predicted if _missing_matches(p, missing)}
        city.add(predicted, required, acceptable)
        groups[rec.get("group", "")].add(predicted, required, acceptable)
        ev_pred = set(art.event)
        ev_req, ev_acc = set(g["event_required"]), set(g["event_acceptable"])
        ev_acc |= {v for v in ev_pred if _unlisted_event(v, g.get("note") or "")}
        event.add(ev_pred, ev_req, ev_acc)
        lenient.add(
            {_base(v) for v in ev_pred}, {_base(v) for v in ev_req}, {_base(v) for v in ev_acc}
        )
        title = art.title[:60]
        for facet, pred, req, acc in (
            ("city", predicted, required, acceptable),
            ("event", ev_pred, ev_req, ev_acc),
        ):
            errors.wrong += [(art.id, facet, v, title) for v in sorted(pred - req - acc)]
            errors.missed += [(art.id, facet, v, title) for v in sorted(req - pred)]
    return {
        "articles": seen,
        "city": city.figures(),
        "event": event.figures(),
        "event_lenient": lenient.figures(),
        "city_by_group": {k: v.figures() for k, v in sorted(groups.items())},
        "wrong": errors.wrong,
        "missed": errors.missed,
    }
