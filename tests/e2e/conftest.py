"""Browser fixtures: Debian's Chromium launched once per session, one context per simulated tablet."""

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from tests.e2e.fakeapi import FakeApi, StaticServer

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "pwa" / "dist"
CHROMIUM = os.environ.get("LI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PORTRAIT = {"width": 768, "height": 1024}
LANDSCAPE = {"width": 1366, "height": 1024}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def dist() -> Path:
    if not (DIST / "index.html").is_file() or not (DIST / "sw.js").is_file():
        pytest.fail(f"{DIST} is not built: run `make pwa` (cd pwa && npm ci && npm run build)")
    return DIST


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file() and not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: `apt-get install -y chromium` (or set LI_CHROMIUM)")
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def server(dist: Path) -> Iterator[StaticServer]:
    srv = StaticServer(dist)
    yield srv
    srv.stop()


@pytest.fixture
def api() -> FakeApi:
    return FakeApi.default()


@pytest.fixture
def tablet(browser: Browser, server: StaticServer, api: FakeApi) -> Iterator[Callable[..., BrowserContext]]:
    """A factory of fresh tablets (isolated contexts) talking to the same fake server."""
    contexts: list[BrowserContext] = []

    def make(viewport: dict[str, int] = PORTRAIT) -> BrowserContext:
        context = browser.new_context(
            base_url=server.url,
            viewport=viewport,
            geolocation={"latitude": 26.0812, "longitude": 119.3021, "accuracy": 12},
            permissions=["geolocation"],
            locale="en-GB",
            service_workers="allow",
        )
        context.set_default_timeout(15_000)
        api.install(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
