"""The measurements, each against a running dashboard and sandbox, each writing its verdicts.

Timings are wall-clock on the client side, after a warm-up, repeated. "Revox time" is what the
dashboard says it waited for Revox (its Server-Timing header), so the dashboard's own time is
the rest; the sandbox's request log (what it spent on each call, its injected latency
included) counts the calls and is compared with it.
"""

from __future__ import annotations

import html
import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from bench.clients import Dashboard, Sandbox
from bench.report import Report, ms
from bench.stats import summary
from tests.html_forms import as_post, form_fields

LIST_PAGES = {
    "page 1": "/assistants/",
    "search": "/assistants/?q=lucca",
    "filter": "/assistants/?provider=cartesia",
}
LIST_MEDIAN_MS = 30
LIST_VS_API = 0.1
SAVE_OWN_MEDIAN_MS = 15
SAVE_MAX_CALLS = 2
QUEUE_MEDIAN_MS = 100
QUEUE_P95_MS = 60
BULK_MAX_MS = 1000


def _ok(response, what: str) -> None:
    if response.status_code != 200:
        raise RuntimeError(f"{what}: HTTP {response.status_code}\n{response.text[-2000:]}")


def list_page(dash: Dashboard, sandbox: Sandbox, report: Report, *, repeats: int,
              warmup: int, api_repeats: int) -> list[dict[str, Any]]:  # fmt: skip
    """The list page from the cache against one raw `GET /api/assistants`, in the same run.
    Returns the first assistants Revox lists."""
    count, assistants = sandbox.listing_head(keep=5)  # also the warm-up
    api = [sandbox.raw_get_assistants() for _ in range(api_repeats)]
    api_median = summary(api)["median"]

    sandbox.clear_requests()
    for _ in range(warmup):
        for name, path in LIST_PAGES.items():
            response, _ = dash.get(path)
            _ok(response, f"list {name}")
    first, _ = dash.get(LIST_PAGES["page 1"])
    shown = f"{count:,} assistants"
    if shown not in first.text:
        raise RuntimeError(f"the list page does not say '{shown}': is the cache filled?")

    samples: dict[str, list[float]] = {name: [] for name in LIST_PAGES}
    for _ in range(repeats):  # interleaved, so every page meets the same conditions
        for name, path in LIST_PAGES.items():
            response, elapsed = dash.get(path)
            _ok(response, f"list {name}")
            samples[name].append(elapsed)
    revox_calls = sandbox.requests()

    report.data["list_page"] = {
        "assistants": count,
        "pages": {name: {"path": LIST_PAGES[name], **summary(s)} for name, s in samples.items()},
        "raw_api_get_assistants": summary(api),
        "revox_calls": len(revox_calls),
    }
    for name, values in samples.items():
        median = summary(values)["median"]
        report.check(
            f"list page, {name} ({LIST_PAGES[name]})", median, LIST_MEDIAN_MS,
            result=f"median {ms(median)} (p95 {ms(summary(values)['p95'])})",
            target=f"median ≤ {LIST_MEDIAN_MS} ms",
        )  # fmt: skip
        report.check(
            f"list page, {name} vs raw API", median / api_median, LIST_VS_API,
            result=f"{median / api_median:.3f}x ({ms(median)} vs GET /api/assistants {ms(api_median)})",
            target=f"≤ {LIST_VS_API}x raw API",
        )  # fmt: skip
    report.check(
        "Revox calls made by the list page (cache fresh)", len(revox_calls), 0,
        result=f"{len(revox_calls)} in {(warmup + repeats) * len(LIST_PAGES) + 1} pages",
        target="0",
    )  # fmt: skip
    return assistants


def _revox_spent(sandbox: Sandbox) -> tuple[int, float, list[str]]:
    log = sandbox.requests()
    return len(log), sum(e["duration_ms"] or 0 for e in log), [e["method"] for e in log]


def _revox_waited(response) -> float:
    """What the dashboard says it waited for Revox (its Server-Timing header), in ms."""
    match = re.search(r"(?:^|,)\s*revox;dur=([0-9.]+)", response.headers.get("Server-Timing", ""))
    if match is None:
        raise RuntimeError("the answer has no Server-Timing for Revox: is the middleware on?")
    return float(match.group(1))


def editor_save(dash: Dashboard, sandbox: Sandbox, report: Report, *, assistant: dict,
                repeats: int, warmup: int) -> None:  # fmt: skip
    """Open the general editor (a fresh read), change the name, save it as htmx does.

    The dashboard's own time is the save's wall time less what the dashboard waited for
    Revox's answers (its Server-Timing header: each call from its first byte sent to the
    answer's headers read). Less what the sandbox's log says it spent instead, the rest also
    holds the loopback transport, the sandbox's HTTP server and the machine waking the
    processes that slept through Revox's latency: reported beside it, with that difference."""
    path = f"/assistants/{assistant['id']}/edit/general/"
    htmx = {"HX-Request": "true", "HX-Target": "editor", "HX-Current-URL": dash.url + path}
    opens, saves, open_calls, save_calls = [], [], [], []
    beyond_log, transport = [], []
    for index in range(warmup + repeats):
        sandbox.clear_requests()
        page, open_ms = dash.get(path)
        _ok(page, "open the editor")
        calls, _, _ = _revox_spent(sandbox)
        name = assistant["name"] + (" (benchmark)" if index % 2 == 0 else "")
        data = as_post(form_fields(page.text), name=name)

        sandbox.clear_requests()
        response, save_ms = dash.post(path, data=data, headers=htmx)
        _ok(response, "save the general group")
        save_count, save_revox_ms, methods = _revox_spent(sandbox)
        if "PATCH" not in methods:
            raise RuntimeError(f"the save sent no PATCH (Revox saw {methods})")
        if index >= warmup:
            opens.append(open_ms - _revox_waited(page))
            open_calls.append(calls)
            waited = _revox_waited(response)
            saves.append(save_ms - waited)
            beyond_log.append(save_ms - save_revox_ms)
            transport.append((waited - save_revox_ms) / max(1, save_count))
            save_calls.append(save_count)

    own = summary(saves)
    report.data["editor"] = {
        "group": "general",
        "open_own_ms": summary(opens),
        "open_revox_calls": max(open_calls),
        "save_own_ms": own,
        "save_beyond_sandbox_log_ms": summary(beyond_log),
        "revox_call_transport_ms": summary(transport),
        "save_revox_calls": max(save_calls),
    }
    report.check(
        "save one group: Revox calls per save", max(save_calls), SAVE_MAX_CALLS,
        result=f"{max(save_calls)} (a read to check for conflicts, then the PATCH)",
        target=f"≤ {SAVE_MAX_CALLS}",
    )  # fmt: skip
    report.check(
        "save one group: dashboard's own time", own["median"], SAVE_OWN_MEDIAN_MS,
        result=f"median {ms(own['median'])} beyond Revox (p95 {ms(own['p95'])})",
        target=f"median ≤ {SAVE_OWN_MEDIAN_MS} ms",
    )  # fmt: skip
    report.info(
        "save one group: beyond what the sandbox's log says it spent",
        f"median {ms(summary(beyond_log)['median'])}; per Revox call, the dashboard waited "
        f"{ms(summary(transport)['median'])} more than the sandbox spent (transport, wake-up)",
    )
    report.info(
        "open an editor: dashboard's own time",
        f"median {ms(summary(opens)['median'])} beyond Revox, {max(open_calls)} Revox call",
    )


def throughput(dash: Dashboard, report: Report, *, seconds: float, threads: int) -> None:
    """Page 1 of the list, as fast as `threads` signed-in tabs can load it, for `seconds`."""
    stop_at = time.perf_counter() + seconds

    def load_until_stopped(_: int) -> tuple[list[float], int]:
        tab = dash.another_tab()
        latencies, errors = [], 0
        while time.perf_counter() < stop_at:
            response, elapsed = tab.get(LIST_PAGES["page 1"])
            if response.status_code == 200:
                latencies.append(elapsed)
            else:
                errors += 1
        return latencies, errors

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        outcomes = list(pool.map(load_until_stopped, range(threads)))
    elapsed = time.perf_counter() - started
    latencies = [value for lat, _ in outcomes for value in lat]
    errors = sum(e for _, e in outcomes)
    rate = len(latencies) / elapsed
    report.data["throughput"] = {
        "seconds": round(elapsed, 2), "client_threads": threads, "requests": len(latencies),
        "errors": errors, "requests_per_second": round(rate, 1), "latency_ms": summary(latencies),
    }  # fmt: skip
    report.info(
        "list page throughput (gunicorn, 2 workers)",
        f"{rate:,.0f} requests/s over {elapsed:.0f} s, {threads} client threads, "
        f"median {ms(summary(latencies)['median'])}, {errors} errors",
    )


def faq_queue(dash: Dashboard, sandbox: Sandbox, report: Report, *, repeats: int,
              warmup: int, items: int) -> bool:  # fmt: skip
    """The review queue's first page. Returns False when the page does not exist yet."""
    path = "/faq-review/"
    target = f"median ≤ {QUEUE_MEDIAN_MS} ms"
    measurement = f"FAQ review queue, first page ({items:,} items)"
    first, _ = dash.get(path)
    if first.status_code == 404:
        report.not_built(measurement, target, f"{path} answers 404")
        return False
    _ok(first, "the FAQ review queue")
    for _ in range(warmup):
        dash.get(path)
    sandbox.clear_requests()
    samples = []
    for _ in range(repeats):
        response, elapsed = dash.get(path)
        _ok(response, "the FAQ review queue")
        samples.append(elapsed)
    calls = len(sandbox.requests())
    result = summary(samples)
    report.data["faq_queue"] = {"path": path, "items": items, **result, "revox_calls": calls}
    report.check(
        measurement, result["median"], QUEUE_MEDIAN_MS,
        result=f"median {ms(result['median'])} (p95 {ms(result['p95'])}), {calls} Revox calls",
        target=target,
    )  # fmt: skip
    report.check(
        "FAQ review queue, first page: p95", result["p95"], QUEUE_P95_MS,
        result=f"p95 {ms(result['p95'])}", target=f"p95 ≤ {QUEUE_P95_MS} ms",
    )  # fmt: skip
    return True


BULK_MARKER = "bench-draft"
ITEM_FIELD = re.compile(r'name="item" value="([^"]+)"')
QUESTION_FIELD = re.compile(r'name="question:([^"]+)" value="([^"]*)"')


def bulk_drafts(sandbox: Sandbox, assistants: list[dict], *, per_assistant: int) -> int:
    """AI suggestions with a draft answer on each assistant, as calls leave them: what a bulk
    approve approves. Their questions carry BULK_MARKER so the queue can be filtered to them."""
    for index, assistant in enumerate(assistants):
        for number in range(per_assistant):
            sandbox.suggest_faq(
                assistant["id"],
                question=f"Do you deliver on Sundays? ({BULK_MARKER} {index}-{number})",
                answer="Yes, on Sundays between 10am and 4pm.",
            )
    return len(assistants) * per_assistant


JOB_ID = re.compile(r'data-job="(\d+)"')
JOB_STATUS = re.compile(r'data-job-status="(\w+)"')
JOB_POLL = re.compile(r'hx-trigger="every (\d+)ms"')
JOB_TITLE = re.compile(r"Approve (\d+) FAQ answers? in (\d+) assistants?")


def bulk_approve(dash: Dashboard, sandbox: Sandbox, report: Report, *, items: int,
                 assistants: int) -> None:  # fmt: skip
    """Filter the queue to the drafts, select every match, approve: as the page's script does
    (the bulk form, scope "filter", answered with the background job's card), then ask for the
    card as often as the page does, timed to the answer that shows the job finished."""
    measurement = f"bulk approve, {items} items over {assistants} assistants"
    target = f"≤ {BULK_MAX_MS / 1000:.0f} s"
    page, _ = dash.get(f"/faq-review/?q={BULK_MARKER}")
    if page.status_code == 404 or 'id="bulk-form"' not in page.text:
        report.not_built(measurement, target, "no bulk approve form on /faq-review/")
        return
    data = as_post(form_fields(page.text, "bulk-form"), scope="filter", action="approve")
    data["item"] = ITEM_FIELD.findall(page.text)
    for key, question in QUESTION_FIELD.findall(page.text):
        data[f"question:{key}"] = [html.unescape(question)]

    sandbox.clear_requests()
    started = time.perf_counter()
    response = dash.http.post(dash.url + "/faq-review/bulk/", data=data,
                              headers={"HX-Request": "true"}, timeout=30)  # fmt: skip
    _ok(response, "bulk approve")
    card = response.text
    job_id, title = JOB_ID.search(card), JOB_TITLE.search(card)
    if not job_id or not title or (int(title[1]), int(title[2])) != (items, assistants):
        raise RuntimeError(f"bulk approve did not start the expected job: {card[:500]}")
    poll = int(JOB_POLL.search(card)[1]) / 1000
    done: dict[str, Any] = {}
    while time.perf_counter() - started < 120:
        time.sleep(poll)  # the page's own rhythm: what a person sees, not faster
        polled = dash.http.get(f"{dash.url}/jobs/{job_id[1]}/card/",
                               headers={"HX-Request": "true"}, timeout=30)  # fmt: skip
        _ok(polled, "the job's card")
        if "HX-Trigger" in polled.headers:
            done = json.loads(polled.headers["HX-Trigger"])["jobs:finished"]
            break
    elapsed = (time.perf_counter() - started) * 1000
    if done.get("status") != "done":
        raise RuntimeError(f"bulk approve did not finish as expected: {done}")
    failed = len(done.get("failed_keys") or [])
    log = sandbox.requests()
    patches = sum(1 for e in log if e["method"] == "PATCH")
    report.data["bulk_approve"] = {
        "items": items, "assistants": assistants, "ms": round(elapsed, 1), "failed": failed,
        "revox_calls": len(log), "patches": patches,
    }  # fmt: skip
    if failed:
        raise RuntimeError(f"bulk approve failed for {failed} items")
    report.check(
        measurement, elapsed, BULK_MAX_MS,
        result=f"{ms(elapsed)}, {len(log)} Revox calls ({patches} PATCH), {failed} failed",
        target=target,
    )  # fmt: skip
