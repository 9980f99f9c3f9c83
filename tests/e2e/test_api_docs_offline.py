"""The API docs with no internet: in Chromium, every request outside the server is refused, and Swagger UI still
renders the operations from the package's assets the app serves (issue 20)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Route

from tests.backend.syncserver import SyncServer


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncServer]:
    srv = SyncServer(Path(tmp_path_factory.mktemp("docs"))).start()
    yield srv
    srv.stop()


def test_swagger_ui_renders_without_internet(browser: Browser, backend: SyncServer) -> None:
    context = browser.new_context()
    outside: list[str] = []

    def only_the_server(route: Route) -> None:
        if route.request.url.startswith(backend.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    page = context.new_page()
    page.goto(f"{backend.url}/api/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
    assert page.locator(".opblock").count() > 30
    assert page.get_by_text("/api/v1/sync/push").count() >= 1
    assert outside == []
    context.close()
