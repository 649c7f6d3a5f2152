"""End to end in a real headless Chromium (Debian's package), driven by Playwright."""

import shutil
import threading

import pytest
from playwright.sync_api import expect, sync_playwright
from waitress.server import create_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server_url(app):
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(locale="ko-KR")
        yield context.new_page()
        browser.close()


def test_type_query_submit_click_city_facet(server_url, page, tmp_path_factory):
    page.goto(f"{server_url}/")
    page.fill("input[name=q]", "CES")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/?q=CES*")
    hits = page.locator("li.hit")
    expect(hits).to_have_count(3)
    assert page.locator("li.hit mark").count() >= 3
    page.locator('fieldset[data-facet=city] a.facet-link[data-value="seoul"]').click()
    page.wait_for_url("**city=seoul*")
    expect(hits).to_have_count(2)
    for i in range(2):
        expect(hits.nth(i).locator(".chip.city").first).to_have_text("서울")
    assert page.locator("li.hit mark").count() >= 2
    expect(page.locator('fieldset[data-facet=city] input[value="seoul"]')).to_be_checked()
    shot = tmp_path_factory.mktemp("shots") / "search.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_checkbox_form_works_without_javascript_and_article_view(server_url, page):
    page.goto(f"{server_url}/?q=%E4%BA%BA%E5%B7%A5%E7%9F%A5%E8%83%BD&hl=ja")
    expect(page.locator("li.hit").first).to_have_attribute("lang", "ja")
    page.check('fieldset[data-facet=year] input[value="2020"]')
    page.locator("#facets button[type=submit]").click()
    page.wait_for_url("**year=2020*")
    assert page.locator("li.hit").count() >= 1
    page.locator("li.hit h2 a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("article .body mark").count() >= 1
