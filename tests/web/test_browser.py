"""Browser tests: Debian's chromium driven by Playwright against the app served by uvicorn.

Screenshots go to tests/artifacts/ (git-ignored); with IPOBS_UPDATE_SCREENSHOTS=1 (or when one
is missing) they are also written, reduced to 256 colours, to docs/screenshots/.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD, ledger_file, program_rows

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
CHARTS_TIMEOUT_MS = 600_000  # the first dashboard evaluates every target of the plan


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The app served by uvicorn in a background thread on a free loopback port."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        # lifespan off: stopping this server must not close the app other tests still use
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make sysdeps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                              "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def base_url(web_app):
    with Server(web_app) as url:
        yield url


def shot(page, name: str) -> Path:
    """A viewport screenshot in tests/artifacts/, copied small to docs/screenshots/ when asked."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    doc = SCREENSHOTS / f"{name}.png"
    if os.environ.get("IPOBS_UPDATE_SCREENSHOTS") == "1" or not doc.exists():
        from PIL import Image

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        with Image.open(path) as im:
            im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(doc, optimize=True)
    return path


def login(page, base_url: str, name: str, next_path: str = "/") -> None:
    page.goto(f"{base_url}/login?next={next_path}")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def wait_charts(page) -> None:
    page.wait_for_function("window.ipobsChartsReady === true", timeout=CHARTS_TIMEOUT_MS)


def test_login_then_dashboard_renders_its_charts(browser, base_url):
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(CHARTS_TIMEOUT_MS)
    page.goto(f"{base_url}/login")
    shot(page, "login")
    login(page, base_url, "admin")
    page.wait_for_url(f"{base_url}/")
    wait_charts(page)
    assert page.locator(".target").count() > 20
    assert page.locator(".sparkline canvas").count() > 0
    assert page.locator(".synthetic-banner").count() == (1 if page.evaluate("document.querySelector('.synthetic-banner') !== null") else 0)
    assert "总览" in page.locator("h1").inner_text()
    shot(page, "dashboard")
    page.close()


def test_switching_language_changes_labels(browser, base_url):
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(CHARTS_TIMEOUT_MS)
    page.goto(f"{base_url}/about")
    assert page.locator("h1").inner_text() == "关于数据"
    page.click("[data-lang-link=en]")
    page.wait_for_url("**/about?lang=en")
    assert page.locator("h1").inner_text() == "About the data"
    assert page.locator("nav.main-nav a").first.inner_text() == "Dashboard"
    page.goto(f"{base_url}/tasks")  # the choice is kept in a cookie
    assert page.locator("h1").inner_text().startswith("Tasks")
    shot(page, "tasks_en")
    page.click("[data-lang-link=zh]")
    assert page.locator("h1").inner_text().startswith("任务")
    shot(page, "tasks")
    page.close()


def test_drill_down_from_dashboard_to_records(browser, base_url):
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(CHARTS_TIMEOUT_MS)
    page.goto(f"{base_url}/?lang=zh")
    wait_charts(page)
    page.click("#target-valid-patents .name a")
    page.wait_for_url("**/indicators/valid_patents**")
    wait_charts(page)
    assert page.locator(".chart canvas").count() >= 1
    shot(page, "indicator")
    page.click("text=全部记录")
    page.wait_for_url("**/indicators/valid_patents/records**")
    rows = page.locator("table#records tbody tr")
    assert rows.count() >= 1
    first_patent = page.locator("table#records tbody tr a").first
    shot(page, "records")
    first_patent.click()
    page.wait_for_url("**/patents/**")
    assert page.locator("ol.timeline li").count() >= 1
    shot(page, "patent")
    page.close()


def test_pages_for_screenshots(browser, base_url):
    page = browser.new_page(viewport=VIEWPORT)
    page.set_default_timeout(CHARTS_TIMEOUT_MS)
    login(page, base_url, "admin")
    for name, path in [("department", "/departments/market"), ("search", "/search?q=数据"),
                       ("entity", "/entities/E-TEST-1"), ("about", "/about"), ("admin", "/admin"),
                       ("audit", "/admin/audit"), ("imports", "/imports"), ("indicators", "/indicators"),
                       ("docket", "/docket"), ("credit", "/credit"), ("finance", "/finance"),
                       ("analytics", "/analytics?set=ipc:G06&as_of=2024-12-31")]:
        page.goto(base_url + path)
        assert page.locator("h1").count() == 1, path
        shot(page, name)
    page.close()


def test_upload_with_bad_rows_shows_them(browser, fresh_app, tmp_path):
    bad = {(4, "开始"): "not-a-date", (5, "状态"): "bogus"}
    path = ledger_file(tmp_path / "培训台账.xlsx", "programs", "program_item", program_rows("market"), bad)
    with Server(fresh_app) as url:
        page = browser.new_page(viewport=VIEWPORT)
        login(page, url, "officer", "/imports")
        page.wait_for_url(f"{url}/imports")
        page.set_input_files("input[name=file]", str(path))
        page.select_option("select[name=kind]", "programs")
        page.click("#upload-form button[type=submit]")
        page.wait_for_selector("#import-summary")
        assert page.locator("#rejected-count").inner_text() == "2"
        cells = page.locator("table#rejects tbody tr").all_inner_texts()
        assert any("4" in c and "type-error" in c for c in cells)
        assert any("5" in c and "enum-error" in c for c in cells)
        shot(page, "import_result")
        with page.expect_download() as dl:
            page.click("#rejects-xlsx")
        assert dl.value.suggested_filename.endswith(".xlsx")
        page.close()
