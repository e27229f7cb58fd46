"""The API documentation in a real browser (Debian's chromium) cut off from
the internet, under the service's Content-Security-Policy: Swagger UI and
Redoc draw every domain and operation from this server's files alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Route, expect

DOMAINS = ["组织与干部", "轮休排班", "健康体检", "谈心谈话", "关爱走访", "提醒待办", "审计日志"]
SUMMARIES = ["列出干部", "列出体检记录", "发布排班表", "列出待办事项", "导出走访慰问（Excel）"]


@pytest.fixture
def offline_page(browser: Browser, live_server: Any) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A desktop window that may reach the live server only; it records what
    it tried to fetch elsewhere and every script error or refused resource."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(20_000)
    page = context.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []

    def only_here(route: Route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_here)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, elsewhere, errors
    finally:
        context.close()


def text_down_the_page(page: Page) -> str:
    """Everything Swagger UI draws from top to bottom, scrolling a screen at a
    time as a reader does: it draws only the operations in view."""
    seen = [page.inner_text("main")]
    while page.evaluate("window.scrollY + window.innerHeight < document.body.scrollHeight - 1"):
        page.mouse.wheel(0, 880)
        page.wait_for_timeout(50)
        seen.append(page.inner_text("main"))
    return "\n".join(seen)


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/api/docs/", "/api/redoc/"])
def test_the_docs_draw_every_domain_and_the_operations_with_no_internet(
    offline_page: tuple[Page, list[str], list[str]], address: str
) -> None:
    page, elsewhere, errors = offline_page

    # when a reader opens the docs (the schema takes a while to build) and reads down the page
    page.goto(address)
    expect(page.locator("body")).to_contain_text("列出干部", timeout=90_000)
    text = text_down_the_page(page) if address == "/api/docs/" else page.inner_text("body")

    # then every domain and the operations' Chinese summaries are drawn
    assert [name for name in DOMAINS + SUMMARIES if name not in text] == []
    # from this server alone, with no script error; the one thing the page's policy refuses is the
    # logo Redoc's footer links from its maker's CDN (Redoc then hides it): nothing left the server
    assert elsewhere == []
    assert [error for error in errors if "https://cdn.redoc.ly/redoc/logo-mini.svg" not in error] == []
