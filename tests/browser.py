"""A real browser for the suite: Debian's chromium driven by Playwright on a
live server, at a phone's and a desktop's size, with a screenshot per step.

A pytest plugin (named in tests/conftest.py) rather than a conftest fixture, so
every package shares the one session browser: Playwright's sync API runs an
event loop, and a second instance started beside it refuses to run.

Screenshots go to var/screenshots/<test name>/NN-<step>.png (git-ignored).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from cadrecare.org.demo import DEMO_PASSWORD
from config.env import VAR_DIR

CHROMIUM = "/usr/bin/chromium"  # Debian's package; .ci/run installs it (Playwright's own download cannot work here)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = VAR_DIR / "screenshots"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


# -- the browser ------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk (.ci/run does)")
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls while
    # one exists. The test body and the live server thread only use the ORM synchronously.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


def _open_page(browser: Browser, base_url: str, size: str) -> Iterator[Page]:
    context = browser.new_context(
        viewport=VIEWPORTS[size],
        base_url=base_url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        is_mobile=size == "phone",
        has_touch=size == "phone",
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.viewport_name = size  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def phone_page(browser: Browser, live_server: object) -> Iterator[Page]:
    """A 390 x 844 phone window on the live server."""
    yield from _open_page(browser, live_server.url, "phone")  # type: ignore[attr-defined]


@pytest.fixture
def desktop_page(browser: Browser, live_server: object) -> Iterator[Page]:
    """A 1366 x 900 desktop window on the live server."""
    yield from _open_page(browser, live_server.url, "desktop")  # type: ignore[attr-defined]


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Browser, live_server: object) -> Iterator[Page]:
    """The test runs twice: in a phone window and in a desktop window."""
    yield from _open_page(browser, live_server.url, request.param)  # type: ignore[attr-defined]


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """``shoot(page, "step")`` writes var/screenshots/<test>/NN-step.png (full page)."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    steps = count(1)

    def take(page: Page, step: str) -> Path:
        path = folder / f"{next(steps):02d}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def sign_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form and wait for the workbench."""
    page.goto("/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(password)
    page.locator("main").get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/$"))
