"""Facet values of an article: the cities it is about, the events, the year."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from . import gazetteer
from .dates import years_mentioned

# What stands right after a place name says what the mention is (a Korean match of a
# suffixed name such as 서울시 or 성동구 continues the word: 서울시+장, 성동구+청장).
_GOVERNMENT = re.compile(
    r"\s?(?:특별|광역)?(?:시장|군수|구청장|도지사|지사|시청|군청|구청|도청|시의회|군의회|"
    r"구의회|도의회)|市長|市役所|市庁|知事|区長|区役所|町長|村長|郡守|道知事|県知事|府知事|"
    r"都知事|市議会|県議会"
)
# After a name with its suffix the word goes on: 서울시+장, 성동구+청장, 무주군+수.
_GOVERNMENT_AFTER_SUFFIX = re.compile(
    r"장|청장|청(?!사)|의회|수(?:(?![가-힣])|(?=[은는이가의와과도]))|지사"
)
# A name heading an institution is not the place: courts, prosecutors, police, prisons,
# universities, clubs, regional agencies, broadcasters and papers.
_INSTITUTION = re.compile(
    r"\s?(?:(?:중앙|동부|서부|남부|북부)?(?:지방)?(?:검찰청|지검|지청|법원|지법|고법|고검)|"
    r"고등법원|가정법원|행정법원|회생법원|구치소|교도소|(?:중앙|동부|서부|남부|북부|지방)?"
    r"(?:경찰서|경찰청)|지원(?=\s|[은는이가의에])|대통령실|청와대|정부청사|"
    r"소방서|소방본부|해양경찰서|해경|대학교|대학|대(?![가-힣])|대(?=[은는이가을를의에와과도])|"
    r"(?:FC|fc)\b|구단|지방항공청|항공청|(?:지방)?국세청|세관|노동청|보훈청|병무청|"
    r"출입국|상공회의소|상의|MBC|KBS|SBS|일보|신문|방송|은행|교육청|교육감|항공(?!청)|"
    r"[가-힣]{0,4}(?:병원|의료원|장례식장)|"
    r"地検|地裁|高裁|高検|家裁|地方裁判所|高等裁判所|地方検察庁|県警|府警|道警|警察署|"
    r"大学|大(?![一-龥ぁ-んァ-ン])|FC|電力|電鉄|銀行|新聞|放送|テレビ|ガス)"
)
# Before the name: a former office (전 경남지사, 前/元 知事).
_FORMER = re.compile(r"(?:전|前|元|전직|당시)\s?$")
# A club's or a company's name ending in a city (FC서울, INAC神戸, ヴィッセル神戸).
_CLUB = re.compile(r"(?:[A-Za-z]|[ァ-ヺー]{2})$")
# Columns that list people (obituaries, appointments, horoscopes): the places in them are
# where each person works or mourns, none is the news'.
_LIST_COLUMN = re.compile(r"^\s*\[(?:부음|부고|인사|동정|오늘의 운세|운세|알림|게시판|訃報|人事)\]")
# Opinion columns argue, they do not report from a place: only their title's places count.
_OPINION = re.compile(
    r"^\s*\[(?:[^\]]*(?:칼럼|시론|사설|논단|기자의 시각|기자수첩|데스크|오피니언|社説|コラム))\]"
)
_ORIGIN = re.compile(r"\s?(?:출신|出身)")
# The actor: the government as the sentence's subject or source (안산시는, 남동구가,
# 안산시에 따르면, 横浜市は), for a name with its suffix (시, 군, 구, 도, 市, 県): bare,
# 장수는 or 진도가 are as likely words.
_ACTOR = re.compile(r"(?:[은는이가]\s|에\s?따르면|は|が)")
_SUFFIXED = re.compile(r"(?:시|군|구|도|市|県|府|都|区|郡|道)$")
# An office in an election or a candidacy is not the government acting (서울시장 선거),
# nor one held in the past (성남시장 시절, 경기지사 재임 때).
_ELECTION = re.compile(r"\s?(?:선거|출마|후보|경선|보궐|選挙|候補|出馬)")
_PAST_OFFICE = re.compile(r"\s?(?:시절|재직|재임|당시|때|出身|時代)")
# Officials listed (김영록 전남지사, 강기정 광주시장 등 1200여 명이 참석): attendees.
_LISTED_OFFICIAL = re.compile(r"\s?(?:등\s|,|、|·)")
# The scene: where it happens (서울 송파구의 한 도로에서, 대전에서, 무안공항, 横浜市で).
_SCENE = re.compile(
    r"\s?(?:에서|서\s|의\s한\s|일대|인근|앞바다|해상|앞\s|국제공항|공항|역(?![가-힣])|항(?![가-힣])|"
    r"읍|면(?![가-힣])|산단|산업단지|で|市内|県内|町内|内(?:で|に|の))"
)
# A time just before: the news' when and where (지난 18일 오후 1시쯤 서울 송파구).
_WHEN = re.compile(r"(?:\d+일|오전|오후|새벽|밤|쯤|께|\d+時|\d+日)[^.。\n]{0,12}$")
# A place something is compared with, or measured from, is not the news (방콕보다 뜨거운,
# 東京のように, 경기도 이남 지역, 東京以外); nor where a trip set off (홍콩에서 출발해).
_COMPARED = re.compile(
    r"(?:보다|처럼|만큼|より|のように|みたいな?|도?\s?(?:이남|이북|이외)|以南|以北|以外|"
    r"에서\s?(?:출발|이륙)|を出発)"
)
_NUMBER_AFTER = re.compile(r"\s?[-+]?\d")  # 서울 -5도, 대전 12㎜: a list of readings

# Where a mention stands, and what it does, weigh it.
TITLE, LEAD, BODY = 3.0, 2.0, 1.0
ROLE_BONUS = 2.0  # an actor or a scene
LISTED = 0.5  # a name in a list of readings
MIN_SCORE = 3.0  # a place counts from here: a title, a lead actor, a scene, three mentions
RELATIVE = 0.25  # ... and not far behind the article's main place
CONTAINER_SHARE = 0.5  # the province or city written before a place is kept with a main one


@dataclass
class Mention:
    targets: tuple[str, ...]
    start: int
    end: int
    weight: float
    role: str  # actor, scene, plain, listed, institution, former, compared, venue
    text: str
    after: str  # the text right after it
    in_title: bool


def mentions(title: str, body: str) -> list[Mention]:
    """Every place mention of an article with its weight and role."""
    matcher = gazetteer.place_matcher()
    lead_end = _lead_end(body)
    out = []
    for text, where in ((title or "", "title"), (body or "", "body")):
        for start, end, targets in matcher.finditer(text):
            base = TITLE if where == "title" else LEAD if start < lead_end else BODY
            out.append(_mention(text, start, end, targets, base, where == "title"))
    return out


def _lead_end(body: str) -> int:
    m = re.search(r"[.!?](?:\s|$)|[。！？]|다\.|\n", body)
    return m.end() if m else len(body)


def _mention(text: str, start: int, end: int, targets, base: float, in_title: bool) -> Mention:
    after, before = text[end : end + 16], text[max(0, start - 20) : start]
    suffixed = bool(_SUFFIXED.search(text[start:end]))
    role = "plain"
    if _INSTITUTION.match(after) or _CLUB.search(before):
        role = "institution"
    elif _FORMER.search(before) or _ORIGIN.match(after):
        role = "former"
    elif _COMPARED.match(after):
        role = "compared"
    elif (
        (gov := _GOVERNMENT.match(after))
        or (suffixed and (gov := _GOVERNMENT_AFTER_SUFFIX.match(after)))
        or (suffixed and _ACTOR.match(after))
    ):
        role = "actor"
        if gov and _PAST_OFFICE.match(after, gov.end()):
            role = "former"
        elif gov and (
            _ELECTION.match(after, gov.end()) or _LISTED_OFFICIAL.match(after, gov.end())
        ):
            role = "plain"
    elif _SCENE.match(after) or _WHEN.search(before):
        role = "scene"
    elif _NUMBER_AFTER.match(after):
        role = "listed"
    weight = {
        "institution": 0.0,
        "former": 0.0,
        "compared": 0.0,
        "listed": LISTED,
        "plain": base,
    }.get(role, base + ROLE_BONUS)
    return Mention(tuple(targets), start, end, weight, role, text[start:end], after, in_title)


def cities(title: str, body: str, venues: set[str] = frozenset()) -> list[str]:
    """Return ids of the places an article is about, most salient first.

    A place counts when it is an actor or the scene, not when it only names an
    institution (수원지검, 서울대, 東京地裁), a former office (전 경남지사) or a passing
    mention. Each mention weighs by where it stands (title 3, lead sentence 2, body 1) and
    gains 2 as an actor (안산시장, 안산시는, 横浜市は) or the scene (송파구의 한 도로에서,
    지난 18일 ... 서울, 横浜市で); an institution's or a former office's name weighs 0, a
    name in a list of readings (서울 -5도) 0.5. A place whose mentions weigh 3 or more, and
    at least a quarter of the main place's, is kept; so is the city or province of a kept
    district or city written right before it (서울 송파구). The venue city of an event the
    article covers does not count. A bare name that is also a word or a county's (화성,
    무안) counts only next to its province or city or in a role; a name several places
    share (중구) goes to the one whose city stands right before it, else to one the
    article names, else nowhere.
    """
    places = gazetteer.places()
    conditional = gazetteer.conditional_names()
    if _LIST_COLUMN.match(title or "") or _OPINION.match(title or ""):
        body = ""
    found = mentions(title, body)
    _not_at_event_venues(title, body, found)
    named = {t for m in found for t in m.targets if len(m.targets) == 1}
    scores: Counter[str] = Counter()
    acting: set[str] = set()
    containers: dict[str, set[str]] = {}  # a place -> the places written right before it
    previous: Mention | None = None
    for m in found:
        pid = _resolve(m, previous, named, places)
        near_parent = (
            _adjacent(previous, m)
            and previous is not None
            and (pid is not None and places[pid].parent in previous.targets)
        )
        if pid and m.text in conditional and not (near_parent or _placed(m, found)):
            pid = None  # 고양이 (a cat), 진주 (a pearl), 경기에서 (in the game): not the place
        if pid and pid not in venues:
            scores[pid] += m.weight
            if m.role == "actor":
                acting.add(pid)
            if near_parent and previous is not None:
                containers.setdefault(pid, set()).update(previous.targets)
        previous = m
    if not scores:
        return []
    top = max(scores.values())
    keep = [p for p, s in scores.most_common() if s >= MIN_SCORE and s >= RELATIVE * top]
    # A foreign city is where a delegation goes or a show is held: it counts as the main
    # place or as an actor (its mayor, its government), not beside a city that acts.
    keep = [p for p in keep if places[p].kind != "world" or scores[p] == top or p in acting]
    for pid in [p for p in keep if scores[p] >= CONTAINER_SHARE * top]:
        keep += [c for c in sorted(containers.get(pid, ())) if c not in keep]
    return keep


def _not_at_event_venues(title: str, body: str, found: list[Mention]) -> None:
    """Weigh 0 a host city named in a sentence that names its event: in バルセロナで開催された
    MWC or 라스베이거스에서 열린 CES the city is where the show is, not what the article is
    about (when the show is the article's subject, its host city is dropped everywhere)."""
    matcher, known = gazetteer.event_matcher(), gazetteer.events()
    for text, in_title in ((title or "", True), (body or "", False)):
        spans = [
            (_sentence(text, start, end), {p for e in targets for p in known[e].venue})
            for start, end, targets in matcher.finditer(text)
        ]
        for m in found:
            if m.in_title == in_title and any(
                s.start <= m.start < s.stop and hosts.intersection(m.targets) for s, hosts in spans
            ):
                m.weight, m.role = 0.0, "venue"


# Words after a bare name that make it a place: an airport, a town, a region.
_PLACE_WORD = re.compile(r"\s?(?:국제공항|공항|역(?![가-힣])|읍|면(?![가-힣])|지역|일대|남부|북부)")
# What separates the places of a row (충남·대전, 東京、大阪).
_LIST_MARK = "·ㆍ・,、/"


def _placed(m: Mention, found: list[Mention]) -> bool:
    """Whether a conditional bare name stands as a place: before a place word or its
    office (무안공항, 경기지사), or in a row of places (경기 화성, 충남·대전)."""
    if _PLACE_WORD.match(m.after) or _GOVERNMENT.match(m.after):
        return True
    return any(
        _adjacent(m, other) or (_adjacent(other, m) and other.after[:1] in _LIST_MARK)
        for other in found
        if other.in_title == m.in_title
    )


def _adjacent(a: Mention | None, b: Mention) -> bool:
    """Whether b stands right after a (at most two spaces or separators between)."""
    return a is not None and a.in_title == b.in_title and a.end <= b.start and a.end >= b.start - 2


def _resolve(m: Mention, previous: Mention | None, named: set[str], places) -> str | None:
    """The one place a mention names (see cities)."""
    if len(m.targets) == 1:
        return m.targets[0]
    # A province and its own city share the name (제주도, 제주시): the bare name is the
    # province's.
    outer = [t for t in m.targets if places[t].parent not in m.targets]
    if len(outer) == 1:
        return outer[0]
    if previous is not None and _adjacent(previous, m):
        under = [t for t in m.targets if places[t].parent in previous.targets]
        if len(under) == 1:
            return under[0]
    with_parent = [t for t in m.targets if places[t].parent in named]
    if len(with_parent) == 1:
        return with_parent[0]
    # A bare name two places share is the larger's; a Japanese capital's is the city's (大阪,
    # 福岡: the prefecture says 府 or 県).
    rank = {
        "top": 0,
        "province": 1,
        "jp": 1,
        "world": 1,
        "si": 2,
        "pref": 2,
        "jpcity": 3,
        "gun": 3,
        "gu": 9,
    }
    best = sorted(m.targets, key=lambda t: rank[places[t].kind])
    if rank[places[best[0]].kind] < rank[places[best[1]].kind] and places[best[0]].kind != "gu":
        return best[0]
    return None


# An event the article covers, not one it names in passing: the mention is in the title or
# the lead, or in two sentences, or its sentence says the event was taken part in.
_COVERED = re.compile(
    r"참가|참여|출품|출전|전시|부스|개막|폐막|방문|현장|대표단|상담|"
    r"出展|出品|開幕|展示|参加|会場|ブース|視察|商談"
)
# ... and a mention that only compares with it or names its award does not count (nor one
# saying where a product was announced: that is not covering the show).
_PASSING = re.compile(
    r"\s?(?:(?:19|20)\d{2}\s?)?(?:처럼|같은|같이|를\s?본떠|을\s?본떠|형\b|식\b|혁신상|어워드|"
    r"のような|並み|賞|アワード)"
)
_YEAR_AFTER = re.compile(r"[\s'’‘\"“(（]{0,3}((?:19|20)\d{2})(?!\d)")
# A year in the sentence (not one starting or ending a span: 2023년부터, 2010年以来).
_YEAR_BEFORE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?!\d)(?!\s?[년年度]?\s?(?:부터|이후|까지|以来|以降|から|まで))"
)
# Where a product was announced is not the show covered (1月のCESで発表された).
_ANNOUNCED = re.compile(r"\s?(?:で|에서)\s?(?:発表|アナウンス|公開|披露|공개|발표|선보)")
_SENTENCE = re.compile(r"[^.!?。！？\n]*")


def events(title: str, body: str) -> list[str]:
    """Return the events the article covers: ces-2023 when the edition's year is written
    next to the name or in its sentence, else ces (see _COVERED for what covering is)."""
    matcher = gazetteer.event_matcher()
    lead_end = _lead_end(body or "")
    editions: Counter[str] = Counter()
    plain: Counter[str] = Counter()
    sentences: dict[str, set] = {}  # event -> the sentences naming it
    covered: set[str] = set()
    for text, where in ((title or "", "title"), (body or "", "body")):
        for start, end, targets in matcher.finditer(text):
            if _PASSING.match(text, end):
                continue
            sentence = _sentence(text, start, end)
            year = _edition_year(text, start, end, sentence)
            for eid in targets:
                sentences.setdefault(eid, set()).add((where, sentence.start))
                if where == "title" or _COVERED.search(text[sentence]):
                    covered.add(eid)
                elif start < lead_end and not _ANNOUNCED.match(text, end):
                    covered.add(eid)
                if year:
                    editions[f"{eid}-{year}"] += 1
                else:
                    plain[eid] += 1
    covered |= {e for e, found in sentences.items() if len(found) >= 2}
    with_year = {v.rsplit("-", 1)[0] for v in editions}
    out = [v for v, _ in editions.most_common() if v.rsplit("-", 1)[0] in covered]
    out += [e for e, _ in plain.most_common() if e not in with_year and e in covered]
    return out


def _sentence(text: str, start: int, end: int) -> slice:
    """The span of the sentence holding text[start:end]."""
    left = max(text.rfind(c, 0, start) for c in ".!?。！？\n") + 1
    m = _SENTENCE.match(text, end)
    return slice(left, m.end() if m else end)


def _edition_year(text: str, start: int, end: int, sentence: slice) -> int | None:
    """The year next to an event's name (CES 2023, 2023 CES), else the one year its
    sentence names before it and no date of that year (2012年1月に…開かれた「CES」)."""
    after = _YEAR_AFTER.match(text, end)
    if after:
        return int(after.group(1))
    before = list(_YEAR_BEFORE.finditer(text, sentence.start, start))
    years = {m.group(1) for m in before}
    if len(years) == 1:
        return int(years.pop())
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


@lru_cache(maxsize=16_384)  # every result page labels each facet value it counts
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
