"""Saved web pages, web archives and feeds become clean articles: the main text, the
headline without the site's name, the page's own date and metadata; no menu, list, script
or footer; facets from the article alone; one article per URL however it arrives."""

import gzip
import io
import json
import re
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.articles import Article, Skipped, web_id
from indexer.build import reindex
from indexer.inputs import list_inputs, read_all, read_file
from indexer.web_pages import headline, normalize_web_url, strip_site
from search_app.cli import main

from .conftest import shared_data
from .web_pages import JA_PAGE, JA_URL, KO_PAGE, KO_URL, PAGES, TRUTH


def articles_of(path: Path) -> list[Article]:
    items = list(read_file(path, Path(path.name)))
    assert all(isinstance(a, Article) for a in items), items
    return items


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name", list(PAGES))
def test_a_saved_page_gives_its_article_and_nothing_else(tmp_path, name):
    html, url, body, boiler = PAGES[name]
    truth = next(t for t in TRUTH if t["f"] == name)
    [art] = articles_of(write(tmp_path, name, html.encode("utf-8")))
    assert art.title == truth["title"] and art.date == truth["date"]
    assert all(p in art.body for p in body)
    text = art.title + art.body
    assert not [p for p in boiler if p in text]
    for junk in ("<", "&#", "&quot;", "function", "{", "よこはま"):  # markup, script, ruby
        assert junk not in text
    assert art.url == url and art.id == web_id(url)


def test_metadata_a_news_search_keeps(tmp_path):
    [ko] = articles_of(write(tmp_path, "ko.html", KO_PAGE.encode("utf-8")))
    assert (ko.source, ko.author, ko.section) == ("한빛일보", "김한빛 기자", "지역")
    [ja] = articles_of(write(tmp_path, "ja.html", JA_PAGE.encode("utf-8")))
    assert (ja.source, ja.author) == ("みなと新聞デジタル", "港太郎")


def test_facets_come_from_the_article_not_the_page_around_it(tmp_path):
    # The menu names 서울, the footer 서울특별시 중구, a related story 부산 and CES.
    [ko] = articles_of(write(tmp_path, "ko.html", KO_PAGE.encode("utf-8")))
    assert ko.city == ["ansan", "gyeonggi"] and ko.event == ["irex-2025"] and ko.lang == "ko"
    [ja] = articles_of(write(tmp_path, "ja.html", JA_PAGE.encode("utf-8")))
    assert ja.city == ["yokohama"] and ja.lang == "ja"


def test_html_is_known_by_its_content_and_read_gzipped(tmp_path):
    as_text = articles_of(write(tmp_path, "saved.txt", KO_PAGE.encode("utf-8")))
    gzipped = articles_of(write(tmp_path, "ko.html.gz", gzip.compress(KO_PAGE.encode())))
    assert as_text[0].title == gzipped[0].title == "안산시, 국제로봇전 참가 기업 모집"
    assert as_text[0].id == gzipped[0].id == web_id(KO_URL)


@pytest.mark.parametrize(
    ("page", "encoding", "declared"),
    [
        (KO_PAGE, "euc-kr", "euc-kr"),
        (KO_PAGE, "cp949", "ks_c_5601-1987"),
        (JA_PAGE, "shift_jis", "Shift_JIS"),
        (JA_PAGE, "euc-jp", "EUC-JP"),
        (KO_PAGE, "utf-8", "euc-kr"),  # the declaration lies: the bytes win
    ],
)
def test_pages_in_every_charset_they_declare(tmp_path, page, encoding, declared):
    html = page.replace('<meta charset="utf-8">', f'<meta charset="{declared}">')
    html = html.replace("charset=Shift_JIS", f"charset={declared}")
    html = html.replace("\u2022", "").replace("©", "(c)")  # not in every legacy charset
    [art] = articles_of(write(tmp_path, "p.html", html.encode(encoding)))
    assert art.title in (TRUTH[0]["title"], TRUTH[1]["title"])


def test_without_date_metadata_the_dateline_by_the_headline_counts(tmp_path):
    bare = re.sub(r'<meta property="article:published_time"[^>]*>', "", KO_PAGE)
    bare = bare.replace('"datePublished": "2024-01-10T09:30:00+09:00",', "")
    bare = bare.replace("20240110", "x").replace(
        '<li><a href="/a/1">', '<li>2023.05.02 <a href="/a/1">'
    )  # a listed story's date, far from the headline
    [art] = articles_of(write(tmp_path, "a.html", bare.encode("utf-8")))
    assert art.date == "2024-01-10"
    no_dateline = bare.replace("입력 2024.01.10 09:30", "입력 오늘 09:30")
    [art] = articles_of(write(tmp_path, "b.html", no_dateline.encode("utf-8")))
    assert art.date is None  # never a listed story's date


def test_site_names_leave_the_headline():
    sites = ["朝日新聞デジタル", "asahi"]
    assert strip_site("首相が会見：朝日新聞デジタル", sites) == "首相が会見"
    assert strip_site("首相が会見 | 毎日新聞", ["毎日新聞"]) == "首相が会見"
    assert strip_site("首相が会見 - 日本経済新聞", ["日本経済新聞"]) == "首相が会見"
    assert strip_site("기사 제목（1/2 ページ） - 머니투데이", ["머니투데이"]) == "기사 제목"
    assert strip_site("정부 - 여당 협의", ["머니투데이"]) == "정부 - 여당 협의"
    # A <title> with a section and the site: the og:title it holds whole wins.
    title = headline(
        ["국제 > 사건 - 한빛일보", "한빛일보", "큰 사건 났다 - 국제 - 한빛일보", "큰 사건 났다"],
        ["한빛일보"],
    )
    assert title == "큰 사건 났다"


def test_urls_are_normalized_to_one_spelling():
    assert normalize_web_url("HTTPS://News.Example.kr:443/a?utm_source=x&b=1#top") == (
        "https://news.example.kr/a?b=1"
    )
    assert normalize_web_url("javascript:alert(1)") == normalize_web_url("/relative") == ""


# -- web archives ----------------------------------------------------------------------


def warc_of(pages: list[tuple[str, bytes, str, str]], gz: bool) -> bytes:
    """A WARC of (url, payload, status, content type) HTTP responses."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    for url, payload, status, ctype in pages:
        headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), length=len(payload), http_headers=headers
        )
        writer.write_record(record)
    return out.getvalue()


CRAWL = [
    (KO_URL, KO_PAGE.encode("utf-8"), "200 OK", "text/html; charset=utf-8"),
    ("https://news.example.kr/missing", b"<html>gone</html>", "404 Not Found", "text/html"),
    ("https://news.example.kr/logo.png", b"\x89PNG\r\n", "200 OK", "image/png"),
    # No canonical link: the record's URI is the article's URL.
    (
        JA_URL,
        JA_PAGE.replace('<link rel="canonical"', '<link rel="alternate"').encode(
            "shift_jis", "replace"
        ),
        "200 OK",
        "text/html; charset=Shift_JIS",
    ),
]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_a_web_archive_indexes_to_the_same_articles_as_its_pages(tmp_path, gz):
    name = "crawl.warc.gz" if gz else "crawl.warc"
    from_archive = articles_of(write(tmp_path, name, warc_of(CRAWL, gz)))
    pages = articles_of(write(tmp_path, "ko.html", KO_PAGE.encode("utf-8")))
    pages += articles_of(write(tmp_path, "ja.html", JA_PAGE.encode("utf-8")))

    def key(a: Article):
        return (a.id, a.title, a.body, a.date, a.url, a.city, a.event)

    assert [key(a) for a in from_archive] == [key(a) for a in pages]


def record_offsets(data: bytes) -> list[int]:
    from warcio.archiveiterator import ArchiveIterator

    it = ArchiveIterator(io.BytesIO(data))
    return [it.get_record_offset() for _record in it]


@pytest.mark.parametrize("where", ["inside the last page", "inside a record's headers"])
def test_an_archive_that_breaks_off_keeps_what_it_read(tmp_path, where):
    data = warc_of(CRAWL, gz=True)
    offsets = record_offsets(data)  # the Korean page is the first of four records
    end = len(data) - 200 if where == "inside the last page" else offsets[2] + 20
    path = write(tmp_path, "cut.warc.gz", data[:end])
    items = list(read_file(path, Path(path.name)))
    assert [a.title for a in items if isinstance(a, Article)] == [TRUTH[0]["title"]]
    assert items[1:] and all(isinstance(a, Skipped) for a in items[1:])
    assert "breaks off" in items[-1].reason


# -- feeds -----------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>한빛일보 지역</title><link>https://news.example.kr/</link>
<item><title>안산시, 국제로봇전 참가 기업 모집</title><link>{KO_URL}?utm_medium=rss</link>
<pubDate>Wed, 10 Jan 2024 00:30:00 +0900</pubDate>
<description>&lt;p&gt;경기 안산시는 국제로봇전에 함께 나갈
기업을 모집한다.&lt;/p&gt;</description></item>
<item><title>광주시, CES 2024 통합관 운영</title>
<link>https://news.example.kr/article/20240111/0002</link>
<pubDate>Thu, 11 Jan 2024 08:00:00 +0900</pubDate><category>경제</category>
<description>&lt;p&gt;광주광역시는 미국 라스베이거스에서 열리는 CES 2024에서
광주 통합관을 운영한다고 11일 밝혔다.&lt;/p&gt;
&lt;p&gt;통합관에는 지역 기업 12곳이 참가한다.&lt;/p&gt;</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>みなと新聞</title>
<entry><title>川崎市、水素の実証を開始</title><id>tag:example.jp,2023:k002</id>
<link href="https://www.example.jp/news/articles/20231201/k002.html"/>
<updated>2023-12-01T10:00:00+09:00</updated><author><name>港花子</name></author>
<content type="html">&lt;p&gt;川崎市は1日、水素を使った発電の実証を始めると
発表しました。&lt;/p&gt;</content>
</entry></feed>
"""


def test_feed_items_are_articles(tmp_path):
    rss = articles_of(write(tmp_path, "local.xml", RSS.encode("utf-8")))
    assert [a.title for a in rss] == [
        "안산시, 국제로봇전 참가 기업 모집",
        "광주시, CES 2024 통합관 운영",
    ]
    gwangju = rss[1]
    assert gwangju.date == "2024-01-11" and gwangju.source == "한빛일보 지역"
    assert gwangju.body.splitlines()[1] == "통합관에는 지역 기업 12곳이 참가한다."
    assert (
        gwangju.city == ["gwangju"] and gwangju.event == ["ces-2024"] and gwangju.section == "경제"
    )
    assert rss[0].date == "2024-01-10"  # the publisher's day, not UTC's (9 January)
    [atom] = articles_of(write(tmp_path, "feed.atom", ATOM.encode("utf-8")))
    assert (atom.title, atom.date, atom.author) == (
        "川崎市、水素の実証を開始",
        "2023-12-01",
        "港花子",
    )
    assert atom.city == ["kawasaki"]


def test_an_item_whose_page_also_comes_is_one_article_with_the_fuller_text(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write(src, "feed.rss", RSS.encode("utf-8"))
    write(src, "page.html", KO_PAGE.encode("utf-8"))
    summary = reindex([src], tmp_path / "ix")
    assert (summary.added, summary.skipped) == (2, [])
    from search_app.search import SearchIndex

    doc = SearchIndex(tmp_path / "ix").article(web_id(KO_URL))
    assert "누리집에서 받는다" in doc.body and doc.url == KO_URL


def test_a_page_saved_again_updates_its_article(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    write(src, "first-save.html", KO_PAGE.encode("utf-8"))
    root = tmp_path / "ix"
    reindex([src], root)
    (src / "first-save.html").unlink()
    changed = KO_PAGE.replace("10개 기업을", "12개 기업을")
    write(src, "second-save (1).html", changed.encode("utf-8"))
    summary = reindex([src], root)
    assert (summary.added, summary.updated, summary.deleted) == (0, 1, 0)


# -- reading in worker processes; the scoring command --------------------------------


def test_worker_processes_read_what_one_process_reads(tmp_path):
    write(tmp_path, "crawl.warc.gz", warc_of(CRAWL * 15, gz=True))  # 30 pages, 2 batches
    write(tmp_path, "feed.rss", RSS.encode("utf-8"))
    write(tmp_path, "ko.html", KO_PAGE.encode("utf-8"))
    inputs = list_inputs([tmp_path])

    def ids(procs):
        return [a.id if isinstance(a, Article) else a.path for a in read_all(inputs, procs)]

    assert ids(1) == ids(2) and len(ids(1)) == 33


def test_eval_pages_scores_pages_against_a_truth_file(tmp_path):
    for name, (html, *_rest) in PAGES.items():
        write(tmp_path, name, html.encode("utf-8"))
    truth = tmp_path / "truth.json"
    wrong = [dict(TRUTH[0], title="다른 제목"), TRUTH[1]]
    truth.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["eval-pages", str(tmp_path), "--truth", str(truth)])
    assert result.exit_code == 0, result.output
    assert "titles 1/2, dates 2/2, body phrases 4/4, boilerplate phrases 0" in result.output
    assert "TITLE" in result.output.splitlines()[0]


def test_the_dev_pages_meet_the_extraction_bar():
    """html-news-dev: one article a page, titles and dates right on 11 of 12, every body
    phrase, and no boilerplate, markup, script or entity anywhere."""
    from indexer.score_pages import score_pages

    folder = shared_data("html-news-dev")
    result = score_pages(folder / "pages", folder / "truth.json")
    assert result["one_article"] == result["pages"] == 12
    assert result["titles"] >= 11 and result["dates"] >= 11
    assert result["body_phrases"] == result["body_phrases_all"]
    assert result["boilerplate_phrases"] == 0 and result["clean"] == 12


def test_the_dev_pages_as_an_archive_and_a_feed_are_the_same_articles(tmp_path):
    """html-news-dev: the pages archived in a WARC (under their canonical URLs) give the
    articles the pages give; a feed of them, with the pages, adds none."""
    folder = shared_data("html-news-dev") / "pages"
    inputs = list_inputs([folder])
    pages = [a for a in read_all(inputs) if isinstance(a, Article)]
    crawl = [
        (a.url, (folder / Path(a.origin).name).read_bytes(), "200 OK", "text/html") for a in pages
    ]
    archived = articles_of(write(tmp_path, "dev.warc.gz", warc_of(crawl, gz=True)))

    def key(a: Article):
        return (a.id, a.title, a.body, a.date, a.url, a.city, a.event, a.lang)

    assert [key(a) for a in archived] == [key(a) for a in pages] and len(pages) == 12
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{escape(a.url)}</link>"
        f"<description>{escape(a.body.splitlines()[0][:80])}</description></item>"
        for a in pages
    )
    feed = tmp_path / "feed" / "dev.rss"
    feed.parent.mkdir()
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>')
    summary = reindex([folder, feed], tmp_path / "ix")
    assert (summary.added, summary.skipped) == (12, [])
    from search_app.search import SearchIndex

    index = SearchIndex(tmp_path / "ix")
    assert all(index.article(a.id).body == a.body for a in pages)
