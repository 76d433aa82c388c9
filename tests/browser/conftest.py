"""Browser tests drive Debian's Chromium through Playwright (its own browser download is not used).

Without /usr/bin/chromium they are skipped with a reason, except in CI (CI=true), where a missing
Chromium is an error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("MADOGUCHI_CHROMIUM", "/usr/bin/chromium"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(f"CI には Chromium が必要です: {CHROMIUM} がありません。")
    skip = pytest.mark.skip(reason=f"Chromium がないためブラウザテストを省略します（{CHROMIUM}）")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(locale="ja-JP", base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(30000)  # generous: CI machines are shared and slow
    pg = context.new_page()
    # Every page runs under the site's Content-Security-Policy; a violation fails the test (ADR 0018).
    violations: list[str] = []
    pg.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    yield pg
    context.close()
    assert violations == [], violations


@pytest.fixture
def login_as(page):
    from tests.factories import PASSWORD

    def do(username: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_selector("[data-testid=current-user]")
    return do
