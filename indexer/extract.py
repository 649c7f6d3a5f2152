"""Find the article(s) in a news page saved as text: title, date, body; drop the rest."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import DATELINE, item_date, parse_date

# Lines of page furniture: share and font-size buttons, edit links.
_UI = re.compile(
    r"^(?:기사\s?메일전송|기사수정|기사\s?수정|가장작게|작게|기본|크게|가장크게|인쇄|스크랩|"
    r"공유|공유하기|목록|글자\s?크기|URL\s?복사|카카오톡|페이스북|트위터|밴드|"
    r"印刷|シェア|ツイート|いいね|ブックマーク)$"
)
# Where the article ends: lists of other stories, reactions, tickers, copyright.
_END = re.compile(
    r"^(?:\d{1,5}$|이전\s?기사|다음\s?기사|가장\s?많이\s?본|많이\s?본\s?뉴스|주요\s?뉴스|"
    r"관련\s?기사|인기\s?기사|추천\s?기사|실시간|오늘의\s?상승종목|좋아요|기사\s?제보|"
    r"저작권자|무단\s?전재|Copyright|ⓒ|©|댓글|구독|관련記事|関連記事|人気記事|"
    r"アクセスランキング|ランキング|コメント|前の記事|次の記事)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[•·◦▪■□●○◆◇►▶☞\-*]|\d{1,2}[.)]\s)")
_SENTENCE_END = re.compile(r"[。.!?！？]$|다\.?$")
HEADLINE_MAX = 45  # characters; a headline is a short line
PARAGRAPH_MIN = 50  # characters; a body paragraph is a long one
DATELINE_WITHIN = 40  # lines from the top


@dataclass
class PageArticle:
    title: str
    body: str
    date: str | None
    year: int | None


def _clean(line: str) -> str:
    return line.replace("\u00a0", " ").strip()


def extract_page(text: str) -> list[PageArticle]:
    """Return the articles of a page: one, or one per item of a bundle page."""
    lines = [_clean(x) for x in text.splitlines()]
    dateline = _find_dateline(lines)
    if dateline is not None:
        return [_single(lines, dateline)]
    items = _split_bundle(lines)
    if len(items) > 1:
        return [_item(title, body) for title, body in items]
    return [_single(lines, None)]


def _find_dateline(lines: list[str]) -> int | None:
    for i, line in enumerate(lines[:DATELINE_WITHIN]):
        if DATELINE.search(line) and parse_date(line):
            return i
    return None


def _single(lines: list[str], dateline: int | None) -> PageArticle:
    date = None
    start = 0
    lead: list[str] = []
    if dateline is not None:
        line = lines[dateline]
        m = DATELINE.search(line)
        date = parse_date(line[m.end() :])
        # A dateline may run into the body (" date 2020-01 박원순 시장이 ..."): keep the rest.
        rest = re.sub(r"^\S+(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", "", line[m.end() :]).strip()
        if len(rest) >= PARAGRAPH_MIN:
            lead = [rest]
        start = dateline + 1
    title = _title_above(lines, dateline) if dateline is not None else ""
    body_lines = lead + _body(lines[start:], skip=title)
    if not title:
        title, body_lines = _title_from(body_lines)
    body = "\n\n".join(body_lines)
    return PageArticle(title, body, date, int(date[:4]) if date else None)


def _title_above(lines: list[str], dateline: int) -> str:
    """The longest line above the dateline that is not furniture, a bullet or a byline."""
    candidates = [x for x in lines[:dateline] if x and not _UI.match(x) and not _BULLET.match(x)]
    return max(candidates, key=len) if candidates else ""


def _title_from(body_lines: list[str]) -> tuple[str, list[str]]:
    """With no headline on the page, take a short first line, else the first sentence."""
    if not body_lines:
        return "", []
    first = body_lines[0]
    if len(first) <= HEADLINE_MAX and len(body_lines) > 1:
        return first, body_lines[1:]
    m = re.match(r"(.+?(?:다\.|[。!?]|\.(?=\s|$)))", first)
    sentence = m.group(1) if m else first
    return sentence[:120], body_lines


def _body(lines: list[str], skip: str = "") -> list[str]:
    """Article paragraphs: from the first text line to the first end-of-article marker."""
    out: list[str] = []
    for line in lines:
        if not line or _UI.match(line) or line == skip:
            continue
        if out and (_END.match(line) or _BULLET.match(line)):
            break
        if _BULLET.match(line) or (not out and _END.match(line)):
            continue
        if out and out[-1] == line:
            continue  # photo captions often come twice
        out.append(line)
    return out


def _is_headline(lines: list[str], i: int) -> bool:
    line = lines[i]
    if not line or len(line) > HEADLINE_MAX or _BULLET.match(line) or _UI.match(line):
        return False
    if line.endswith(("、", ",", "，")):
        return False
    if _SENTENCE_END.search(line) and len(line) > 30:
        return False
    if i > 0 and lines[i - 1]:
        return False  # a headline stands after a blank line
    # Within the next few lines (a subtitle may come between) a paragraph must follow.
    following = [x for x in lines[i + 1 : i + 6] if x][:3]
    return any(len(x) >= PARAGRAPH_MIN for x in following)


def _split_bundle(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Cut a page of several news items at their headlines."""
    heads: list[int] = []
    for i in range(len(lines)):
        if not _is_headline(lines, i):
            continue
        # A headline right under another one, with no paragraph between, is its subtitle.
        if heads and not any(len(x) >= PARAGRAPH_MIN for x in lines[heads[-1] + 1 : i]):
            continue
        heads.append(i)
    items: list[tuple[str, list[str]]] = []
    for k, h in enumerate(heads):
        end = heads[k + 1] if k + 1 < len(heads) else len(lines)
        body = _body(lines[h + 1 : end], skip=lines[h])
        if sum(len(x) for x in body) >= PARAGRAPH_MIN * 2:
            items.append((lines[h], body))
        elif items:
            items[-1][1].extend([lines[h], *body])  # a subheading inside the previous item
    return items


def _item(title: str, body_lines: list[str]) -> PageArticle:
    body = "\n\n".join(body_lines)
    date, year = item_date(body)
    return PageArticle(title, body, date, year)
