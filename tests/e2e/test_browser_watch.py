"""The watcher in tests/e2e/conftest.py fails a browser test on any console error, uncaught
script error, CSP violation or accessibility violation (axe-core), on every page the test opens — shown by running a small suite
of browser tests in a pytest of its own and reading which of them failed, and why."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parents[2]

# Served by Playwright's router with the dashboard's own policy, so no server is needed.
WATCHED_SUITE = """
import pytest

from csp.utils import build_policy

POLICY = build_policy(nonce="watched")  # the dashboard's own policy
SITE = "http://watched.test"
SCRIPTS = {
    "/inline-style-by-script.js": "document.getElementById('target').setAttribute('style', 'color: red');",
    "/style-property.js": "document.getElementById('target').style.color = 'darkred';",
    "/throws.js": "window.undefinedFunction();",
    "/console-error.js": "console.error('something broke');",
    "/popup.js": "document.getElementById('open').addEventListener('click', function () { window.open('/clean'); });",
}
PAGES = {
    "/clean": "<p id=target>Fine</p><script src=/style-property.js></script>",
    "/inline-style": "<p id=target style='color: red'>Styled inline</p>",
    "/inline-script": "<p id=target>x</p><script>document.title = 'inline';</script>",
    "/inline-style-by-script": "<p id=target>x</p><script src=/inline-style-by-script.js></script>",
    "/throws": "<p id=target>x</p><script src=/throws.js></script>",
    "/console-error": "<p id=target>x</p><script src=/console-error.js></script>",
    "/popup": "<button id=open>Open</button><script src=/popup.js></script>",
    "/missing-image": "<img src=/missing.png alt=''>",
    "/unlabelled-field": "<p id=target>x</p><input type=text>",
}


def serve(route):
    path = route.request.url.removeprefix(SITE).split("?")[0]
    if path in SCRIPTS:
        route.fulfill(body=SCRIPTS[path], content_type="text/javascript")
    elif path in PAGES:
        # A page axe-core finds nothing wrong with, but for what each page adds.
        body = "<!doctype html><html lang=en><title>t</title><main><h1>Watched</h1>" + PAGES[path] + "</main>"
        route.fulfill(body=body, content_type="text/html", headers={"Content-Security-Policy": POLICY})
    else:
        route.fulfill(status=503, body="down")


@pytest.fixture(autouse=True)
def site(browser_context):
    browser_context.route(SITE + "/**", serve)


def test_clean_page(page):
    page.goto(SITE + "/clean")


def test_inline_style_attribute(page):
    page.goto(SITE + "/inline-style")


def test_inline_script(page):
    page.goto(SITE + "/inline-script")


def test_style_attribute_set_by_script(page):
    page.goto(SITE + "/inline-style-by-script")


def test_uncaught_error(page):
    page.goto(SITE + "/throws")


def test_console_error(page):
    page.goto(SITE + "/console-error")


def test_violation_in_a_popup(page):
    page.goto(SITE + "/popup")
    with page.expect_popup() as popup:
        page.click("#open")
    popup.value.wait_for_load_state()
    # Something the popup does once open (the console may miss those made while it loads).
    popup.value.evaluate("document.getElementById('target').setAttribute('style', 'color: red')")


def test_violation_in_a_second_browser(new_page):
    other = new_page()
    other.context.route(SITE + "/**", serve)
    other.goto(SITE + "/inline-style")


def test_failed_load(page):
    page.goto(SITE + "/missing-image")


@pytest.mark.allow_failed_loads(503)
def test_failed_load_the_test_provokes_on_purpose(page):
    page.goto(SITE + "/missing-image")


def test_accessibility_violation(page):
    page.goto(SITE + "/unlabelled-field")


@pytest.mark.allow_failed_loads(503)
def test_allowing_failed_loads_allows_nothing_else(page):
    page.goto(SITE + "/inline-style")
"""


def run_watched_suite(tmp_path: Path) -> dict[str, str]:
    """{test name: "" when it passed, else the failure text}."""
    suite = tmp_path / "test_watched.py"
    suite.write_text(textwrap.dedent(WATCHED_SUITE))
    # The fixtures and hooks under test, as a conftest (loaded after Django is set up).
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import *  # noqa: F403\nfrom tests.e2e.conftest import *  # noqa: F403\n"
    )
    report = tmp_path / "report.xml"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", str(suite), "-p", "no:cacheprovider", "-p", "no:xdist",
         "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), "--confcutdir", str(tmp_path), "-q",
         f"--junitxml={report}"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert report.exists(), completed.stdout + completed.stderr
    outcomes = {}
    for case in ElementTree.parse(report).iter("testcase"):  # noqa: S314 (our own file)
        problems = [node.get("message", "") + (node.text or "") for node in case
                    if node.tag in ("failure", "error")]  # fmt: skip
        outcomes[case.get("name")] = "\n".join(problems)
    return outcomes


def test_every_kind_of_browser_problem_fails_the_test(tmp_path):
    outcomes = run_watched_suite(tmp_path)

    passed = {name for name, failure in outcomes.items() if not failure}
    assert passed == {
        "test_clean_page",  # el.style.color from a script file is not an inline style
        "test_failed_load_the_test_provokes_on_purpose",
    }
    expected_failures = {
        "test_inline_style_attribute": ["CSP violation on http://watched.test/inline-style: style-src-attr"],
        "test_inline_script": ["CSP violation on http://watched.test/inline-script: script-src-elem"],
        "test_style_attribute_set_by_script": ["style-src-attr", "inline-style-by-script.js"],
        "test_uncaught_error": ["page error: ", "undefinedFunction"],
        "test_console_error": ["console error on http://watched.test/console-error: something broke"],
        "test_violation_in_a_popup": ["CSP violation on http://watched.test/clean: style-src-attr"],
        "test_violation_in_a_second_browser": ["CSP violation on http://watched.test/inline-style"],
        "test_failed_load": ["the server responded with a status of 503"],
        "test_allowing_failed_loads_allows_nothing_else": ["style-src-attr"],
        "test_accessibility_violation": ["accessibility (label, critical) on http://watched.test/unlabelled-field",
                                         "Form elements must have labels: input"],
    }  # fmt: skip
    for name, phrases in expected_failures.items():
        failure = outcomes[name]
        assert "The browser reported problems" in failure, (name, failure)
        for phrase in phrases:
            assert phrase in failure, (name, phrase, failure)
