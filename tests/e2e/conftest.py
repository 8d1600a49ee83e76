"""Browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against the
dashboard on a live server and the sandbox Revox, both on 127.0.0.1.

Every page a test opens is watched: a console error (a CSP violation shows up as one) or an
uncaught script error fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# between page actions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium` (or `make test`).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageProblems(list):
    pass


# Reduced motion: Bootstrap then skips its transitions, so a test never acts on a modal or a
# collapse that is still animating (and has its key press ignored).
@pytest.fixture
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport={"width": 1360, "height": 900}, locale="en-US", reduced_motion="reduce"
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


def _watch(page: Page, problems: list[str]) -> Page:
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)  # fmt: skip
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    return page


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def page(browser_context: BrowserContext, page_problems: PageProblems) -> Iterator[Page]:
    page = _watch(browser_context.new_page(), page_problems)
    yield page
    # Failed resource loads the test provoked on purpose are not script problems.
    real = [p for p in page_problems if "Failed to load resource" not in p]
    assert not real, "The browser reported problems:\n" + "\n".join(real)


@pytest.fixture
def new_page(browser: Browser, page_problems: PageProblems):
    """A page in a context of its own: a second person at a second browser."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(
            viewport={"width": 1360, "height": 900}, reduced_motion="reduce"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return _watch(context.new_page(), page_problems)

    yield make
    for context in contexts:
        context.close()


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot to look at (tests/e2e/screenshots/, git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # caret="initial": hiding the caret leaves style="" on every input, which htmx copies onto
    # the swapped-in form when it settles, and the CSP then reports as an inline style.
    page.screenshot(path=str(path), full_page=True, caret="initial")
    return path


def login(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("User name or e-mail").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/assistants/**")


@pytest.fixture
def live(live_server, revox):
    """The live dashboard, pointed at the sandbox. Yields the base URL."""
    return live_server.url
