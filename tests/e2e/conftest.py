"""Browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against the
dashboard on a live server and the sandbox Revox, both on 127.0.0.1.

Every page of every context a test opens (`page`, `new_page`, popups, tabs a page opens) is
watched: a console error, an uncaught script error or a Content-Security-Policy violation
fails the test. Violations are caught twice over: by an init script listening to
`securitypolicyviolation` (reported through a binding), because Chromium does not log every one
as a console error, and by the console, because violations made while a popup's first document
loads can reach the console only.
A test that provokes a failed resource load on purpose says so with
`@pytest.mark.allow_failed_loads(status, ...)`; nothing else is ever allowed.

Every page is also audited for accessibility: axe-core (vendored, test-only, under
tests/e2e/vendor/axe-core/; never served) is added to every document by an init script, which
runs it once the page has loaded and reports each violation through a binding; a violation
fails the test like a console error. `axe_audit(page)` audits a page as it is now (after a
swap, with a dialog open). Pages with JavaScript off are not audited (axe is JavaScript).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the tests make
# between page actions are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    expect,
    sync_playwright,
)

from assistants.cache.services import assistants_sync
from tests.conftest import PASSWORD, make_user

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
VIEWPORT = {"width": 1360, "height": 900}

# Runs in every frame before the page's own scripts. On the window, not the document: a popup
# opened with window.open(url) keeps the Window of its first about:blank document (and this
# script does not run again there), while its document is replaced.
CSP_REPORTER = """
if (!window.__revoxWatching) {
  window.__revoxWatching = true;
  window.addEventListener("securitypolicyviolation", function (e) {
    window.__revoxCspViolation({
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI,
      source: e.sourceFile ? e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber : "",
      sample: e.sample || "",
      page: document.location.href,
    });
  }, true);
}
"""
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0/2.1/2.2 A and AA rules plus axe's best practices: everything axe checks by default.
AXE_OPTIONS = "{resultTypes: ['violations']}"
AXE_VIOLATIONS = (
    "function (results) { return results.violations.map(function (v) { return {"
    " id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 6).map(function (n) {"
    " return n.target.join(' ') + ' (' + (n.failureSummary || '').replace(/\\s+/g, ' ')"
    ".slice(0, 240) + ')'; }) }; }); }"
)
# In the top document only, once it has loaded (and after the page's own load handlers).
AXE_ON_LOAD = f"""
if (window === window.top && !window.__revoxAxeWatching) {{
  window.__revoxAxeWatching = true;
  window.addEventListener("load", function () {{
    if (!/^https?:$/.test(location.protocol) || typeof axe === "undefined") return;
    var page = location.href;
    window.__revoxAxeDone = new Promise(function (resolve) {{ setTimeout(resolve, 0); }})
      .then(function () {{ return axe.run(document, {AXE_OPTIONS}); }})
      .then({AXE_VIOLATIONS})
      .then(function (violations) {{
        if (violations.length) return window.__revoxAxeViolations(page, violations);
      }}, function () {{}});  // left before the audit ended: that page is gone
  }});
}}
"""
FAILED_LOAD = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "allow_failed_loads(*statuses): the test provokes failed loads with these HTTP statuses "
        "on purpose; the browser's 'Failed to load resource' errors for them are not problems",
    )


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
    """What the browser reported during one test, from every page of every context it used."""

    def __init__(self, allowed_statuses: frozenset[int] = frozenset()) -> None:
        super().__init__()
        self.allowed_statuses = allowed_statuses
        self.pages: list[Page] = []
        self.reported = 0

    def watch(self, context: BrowserContext) -> BrowserContext:
        context.expose_binding("__revoxCspViolation", self._on_violation)
        context.add_init_script(CSP_REPORTER)
        context.expose_binding("__revoxAxeViolations", self._on_axe)
        context.add_init_script(path=AXE)
        context.add_init_script(AXE_ON_LOAD)
        context.on("page", self._watch_page)  # new_page(), popups, window.open, target=_blank
        return context

    def _watch_page(self, page: Page) -> None:
        self.pages.append(page)
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.append(f"page error: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        failed = FAILED_LOAD.search(message.text)
        if failed and int(failed.group(1)) in self.allowed_statuses:
            return
        self.append(f"console error on {message.page.url if message.page else '?'}: {message.text}")

    def _on_violation(self, _source, report: dict) -> None:
        self.append(
            f"CSP violation on {report['page']}: {report['directive']} refused "
            f"{report['blocked'] or 'inline'} at {report['source'] or '?'} {report['sample']}".rstrip()
        )

    def _on_axe(self, _source, page: str, violations: list[dict]) -> None:
        self.extend(axe_problems(page, violations))

    def flush(self) -> None:
        """Let events already sent by the browser arrive, and the pages' accessibility audits
        end: one round trip per open page."""
        for page in self.pages:
            # A page closing or navigating away has nothing more to say.
            with contextlib.suppress(Error):
                if not page.is_closed():
                    page.evaluate("() => window.__revoxAxeDone")

    def new(self) -> list[str]:
        """Problems not reported yet (each is reported once, at the end of the call or after)."""
        fresh = self[self.reported :]
        self.reported = len(self)
        return fresh


def axe_problems(page: str, violations: list[dict]) -> list[str]:
    return [
        f"accessibility ({v['id']}, {v['impact']}) on {page}: {v['help']}: " + "; ".join(v["nodes"])
        for v in violations
    ]


def axe_violations(page: Page) -> list[str]:
    """What axe-core finds wrong with the page as it is now (after a swap, a dialog open)."""
    page.evaluate("() => window.__revoxAxeDone")  # the audit on load first: one at a time
    violations = page.evaluate(f"() => axe.run(document, {AXE_OPTIONS}).then({AXE_VIOLATIONS})")
    return axe_problems(page.url, violations)


def axe_audit(page: Page) -> None:
    """Fail on any accessibility violation in the page as it is now."""
    problems = axe_violations(page)
    assert not problems, _report(problems)


def _report(problems: list[str]) -> str:
    return "The browser reported problems:\n" + "\n".join(f"- {p}" for p in problems)


@pytest.fixture
def page_problems(request) -> Iterator[PageProblems]:
    marker = request.node.get_closest_marker("allow_failed_loads")
    problems = PageProblems(frozenset(marker.args) if marker else frozenset())
    yield problems
    # Anything that arrived after the test body (pages closing, late requests).
    late = problems.new()
    assert not late, _report(late)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    # Checked at the end of the test body, so a browser problem fails the test itself.
    result = yield
    problems = getattr(item, "funcargs", {}).get("page_problems")
    if problems is not None:
        problems.flush()
        fresh = problems.new()
        assert not fresh, _report(fresh)
    return result


def watched_context(browser: Browser, problems: PageProblems, **options) -> BrowserContext:
    """A browser context whose every page is watched; for tests that need their own options
    (another locale, JavaScript off)."""
    # Reduced motion: Bootstrap then skips its transitions, so a test never acts on a modal or
    # a collapse that is still animating (and has its key press ignored).
    context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce", **options)
    context.set_default_timeout(10_000)
    return problems.watch(context)


@pytest.fixture
def browser_context(browser: Browser, page_problems: PageProblems) -> Iterator[BrowserContext]:
    context = watched_context(browser, page_problems, locale="en-US")
    yield context
    page_problems.flush()
    context.close()


@pytest.fixture
def page(browser_context: BrowserContext) -> Page:
    return browser_context.new_page()


@pytest.fixture
def new_page(browser: Browser, page_problems: PageProblems):
    """A page in a context of its own: a second person at a second browser."""
    contexts = []

    def make() -> Page:
        context = watched_context(browser, page_problems)
        contexts.append(context)
        return context.new_page()

    yield make
    page_problems.flush()
    for context in contexts:
        context.close()


def shot(page: Page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot to look at (tests/e2e/screenshots/, git-ignored): the whole page, or
    the window as it is scrolled (full_page=False)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if full_page:
        # From the top: a full-page capture of a scrolled page draws the sticky navigation
        # where the window was, across the middle of the page.
        page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=full_page)
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


@pytest.fixture
def demo(revox):
    """The demo assistants, in the sandbox and in the cache. Returns the sandbox."""
    revox.reset("demo")
    assistants_sync()
    return revox


@pytest.fixture
def job_worker(live_server) -> Iterator[None]:
    """The job worker for the in-process live server: a thread running the queued jobs as
    `jobs_worker` does, on the live server's database (an in-memory SQLite database is shared
    the way the live server's own threads share it). The worker as a process of its own, killed
    and closed on: tests/jobs/ and test_jobs_outlive_the_page.py."""
    from django.db import connections

    from tests.jobs.inline import run_queued_jobs
    from tests.shared_connection import one_at_a_time

    shared = connections["default"]
    in_memory = shared.vendor == "sqlite" and shared.is_in_memory_db()
    stop = threading.Event()

    def work() -> None:
        if in_memory:
            connections["default"] = shared
        try:
            while not stop.wait(0.1):
                with one_at_a_time():
                    run_queued_jobs()
        finally:
            if not in_memory:
                connections.close_all()

    thread = threading.Thread(target=work, name="job-worker", daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=30)


# -- editing one field group (tests/e2e/test_editor_<group>.py) --------------------------------


@pytest.fixture
def editing(page, live, revox):
    """Returns a function that creates an assistant, logs in as an Editor and opens one of its
    group editors."""
    make_user("ed", "Editor")

    def open_group(slug: str, older: dict | None = None, **params):
        created = revox.create(name=f"{slug.title()} test", **params)
        if older:  # stored as an older Revox did (a key today's API no longer has)
            created = revox.plant(created["id"], **older)
        # Synced before logging in: the list page's own background refresh would race with it.
        assistants_sync()
        login(page, live, "ed")
        page.goto(f"{live}/assistants/{created['id']}/edit/{slug}/")
        return created

    return open_group


def save_and_wait(page) -> None:
    page.locator("#save-button").click()
    expect(page.locator("#saved-note")).to_be_visible()
