"""Hostile input in every field reaches the page escaped; only http(s) URLs become links;
every response carries the security headers; the API's spec and behaviour agree."""

from dataclasses import fields
from html.parser import HTMLParser

import pytest

from indexer.build import reindex
from search_app.search import ArticleView, Hit
from search_app.web import create_app

from .conftest import api, write_jsonl

SCRIPT = "<script>alert(1)</script>"
HANDLER = '"><img src=x onerror=alert(2)>'
BAD_URLS = [
    "javascript:alert(3)",
    "JaVaScRiPt:alert(4)",
    "  javascript:alert(5)",
    "data:text/html,<script>alert(6)</script>",
    "vbscript:msgbox(7)",
    "//evil.example/x",
]
# Records whose every field carries script, event handlers or a bad URL; each holds 광주 so
# that one query shows them all.
XSS_RECORDS = [
    {"id": SCRIPT, "lang": "ko", "title": "", "body": f"광주 소식 {SCRIPT}", "url": BAD_URLS[0]},
    {"id": HANDLER, "lang": "ko", "title": "", "body": f"광주 {HANDLER}", "url": BAD_URLS[1]},
    {
        "id": "t1",
        "lang": "ko",
        "title": f"{SCRIPT} 광주 {HANDLER}",
        "body": f"광주에서 {SCRIPT} 행사가 열렸다. <b>굵게</b> {HANDLER}",
        "source": f"{SCRIPT}{HANDLER}",
        "url": BAD_URLS[2],
        "city": ["gwangju"],
    },
    *(
        {"id": f"u{i}", "lang": "ko", "title": "광주 링크", "body": "광주 기사.", "url": url}
        for i, url in enumerate(BAD_URLS[3:])
    ),
    {
        "id": "good",
        "lang": "ko",
        "title": "광주 정상 링크",
        "body": "광주 기사.",
        "url": "https://news.example/a?b=1&c=2",
    },
]


class Audit(HTMLParser):
    """Collect what would run or navigate: script elements, on* attributes, links."""

    def __init__(self):
        super().__init__()
        self.scripts = 0
        self.handlers: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)


def audit(html: str) -> Audit:
    a = Audit()
    a.feed(html)
    return a


def assert_inert(html: str) -> None:
    a = audit(html)
    assert a.scripts == 0 and a.handlers == [], (a.scripts, a.handlers)
    for link in a.links:
        assert link.startswith(("/", "https://news.example/", "?")), link


@pytest.fixture(scope="module")
def xss_client(tmp_path_factory):
    src = tmp_path_factory.mktemp("xss")
    write_jsonl(src / "x.jsonl", XSS_RECORDS)
    root = tmp_path_factory.mktemp("xss-ix")
    reindex([src], root)
    return create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client()


@pytest.mark.parametrize("q", ["광주", f"광주 {SCRIPT}", f'광주 "{HANDLER}', "javascript:alert(1)"])
def test_the_results_page_is_inert(xss_client, q):
    for params in ({"q": q}, {"q": q, "city": SCRIPT, "event": HANDLER}):
        page = xss_client.get("/", query_string=params).get_data(as_text=True)
        assert_inert(page)
    assert "&lt;script&gt;" in xss_client.get("/?q=광주").get_data(as_text=True)  # as text


def test_every_article_page_is_inert_and_links_only_http(xss_client):
    _, body = api(xss_client, q="광주", per_page=100)
    assert len(body["results"]) == len(XSS_RECORDS)
    for hit in body["results"]:
        resp = xss_client.get(f"/articles/{hit['id']}", query_string={"q": SCRIPT})
        assert resp.status_code == 200, hit["id"]
        page = resp.get_data(as_text=True)
        assert_inert(page)
        links = [x for x in audit(page).links if "news.example" in x]
        assert links == (["https://news.example/a?b=1&c=2"] if hit["id"] == "good" else [])


def test_the_api_escapes_html_fields_and_keeps_only_http_urls(xss_client):
    _, body = api(xss_client, q="광주", per_page=100)
    for hit in body["results"]:
        for name in ("title_html", "snippet_html"):
            assert_inert(hit[name])
        assert hit["url"] in ("", "https://news.example/a?b=1&c=2")
    status, one = api(xss_client, path=f"/api/articles/{SCRIPT}", q=SCRIPT)
    assert status == 200 and one["article"]["id"] == SCRIPT
    assert_inert(one["article"]["body_html"])


def test_no_template_marks_text_safe():
    from pathlib import Path

    import search_app.web

    templates = Path(search_app.web.__file__).parent / "templates"
    for page in templates.glob("*.html"):
        assert "| safe" not in page.read_text(encoding="utf-8") and "|safe" not in page.read_text(
            encoding="utf-8"
        ), page.name


@pytest.mark.parametrize(
    "path",
    ["/", "/?q=광주", "/articles/nope", "/api/search?q=광주", "/api/nope", "/static/hanil.css"],
)
def test_every_response_carries_the_security_headers(client, path):
    resp = client.get(path)
    resp.close()
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "script-src 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] and resp.headers["X-Frame-Options"] == "DENY"


def test_the_page_needs_no_inline_script_or_style(client):
    page = client.get("/", query_string={"q": "광주"}).get_data(as_text=True)
    assert "<script" not in page and "<style" not in page and " style=" not in page


@pytest.mark.parametrize("path", ["/api/search", "/"])
def test_405_names_the_allowed_methods(client, path):
    resp = client.post(path)
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]
    if path.startswith("/api"):
        assert resp.get_json() == {"ok": False, "error": resp.get_json()["error"], "status": 405}


@pytest.mark.parametrize("hl", ["ko", "ja", "en"])
def test_error_pages_carry_the_page_language(client, hl):
    page = client.get("/articles/nope", query_string={"hl": hl}).get_data(as_text=True)
    assert f'<html lang="{hl}">' in page


@pytest.mark.parametrize("day", ["2023-02-30", "2023-13", "2024-04-31", "2023-00"])
def test_impossible_dates_are_refused(client, day):
    status, body = api(client, q="광주", to=day)
    assert status == 400 and "to" in body["error"]


def test_a_path_that_is_not_utf8_is_400(client):
    status, body = api(client, path="/api/articles/%ff")
    assert status == 400 and body["status"] == 400


def test_the_spec_states_the_rules_the_api_enforces(client):
    spec = client.get("/api/openapi.json").get_json()
    params = {p["name"]: p for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert "10000" in params["page"]["description"] and "10000" in params["per_page"]["description"]
    assert params["xlang"]["schema"]["enum"] == ["on", "off"]
    for value in ("on", "off"):
        assert api(client, q="광주", xlang=value)[0] == 200
    assert api(client, q="광주", xlang="maybe")[0] == 400
    assert "pattern" in params["to"]["schema"] and "exist" in params["to"]["schema"]["description"]
    schemas = spec["components"]["schemas"]
    assert list(schemas["Hit"]["properties"]) == [f.name for f in fields(Hit)]
    assert list(schemas["Article"]["properties"]) == [f.name for f in fields(ArticleView)]
    status, body = api(client, path="/api/articles/nope")
    assert status == 404 and "404" in spec["paths"]["/api/articles/{id}"]["get"]["responses"]
