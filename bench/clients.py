"""HTTP handles on the two servers: the dashboard as a signed-in browser, and the sandbox's
controls. Every timing is taken here, around one request, on the client side."""

from __future__ import annotations

import re
import time
from typing import Any

import ijson
import requests

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TIMEOUT = 60


class Dashboard:
    """A browser-like session: signs in through the login form, keeps cookies."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = requests.Session()

    def sign_in(self, username: str, password: str) -> None:
        login = self.url + "/accounts/login/"
        page = self.http.get(login, timeout=TIMEOUT)
        token = CSRF_FIELD.search(page.text)
        if token is None:
            raise RuntimeError("the login page has no CSRF token")
        response = self.http.post(
            login,
            data={"username": username, "password": password,
                  "csrfmiddlewaretoken": token.group(1)},
            headers={"Referer": login},
            timeout=TIMEOUT,
            allow_redirects=False,
        )  # fmt: skip
        if response.status_code != 302 or "sessionid" not in self.http.cookies:
            raise RuntimeError(f"signing in failed: HTTP {response.status_code}")

    def another_tab(self) -> Dashboard:
        """A second session sharing the sign-in (one sign-in per run keeps django-axes calm)."""
        other = Dashboard(self.url)
        other.http.cookies.update(self.http.cookies)
        return other

    def get(self, path: str, **kwargs: Any) -> tuple[requests.Response, float]:
        return self._timed("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> tuple[requests.Response, float]:
        return self._timed("POST", path, **kwargs)

    def _timed(self, method: str, path: str, **kwargs: Any) -> tuple[requests.Response, float]:
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        started = time.perf_counter()
        response = self.http.request(method, self.url + path, **kwargs)
        _ = response.content  # the whole body, as a browser waits for it
        return response, (time.perf_counter() - started) * 1000


class Sandbox:
    """The sandbox's controls and its API, called directly (the "raw API" of the comparisons)."""

    def __init__(self, url: str, api_key: str) -> None:
        self.url = url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {api_key}"

    def reset(self, seed: Any) -> int:
        response = self.http.post(f"{self.url}/__sandbox__/reset", json={"seed": seed}, timeout=900)
        response.raise_for_status()
        return response.json()["assistants"]

    def requests(self) -> list[dict[str, Any]]:
        response = self.http.get(f"{self.url}/__sandbox__/requests", timeout=TIMEOUT)
        response.raise_for_status()
        return response.json()["requests"]

    def clear_requests(self) -> None:
        self.http.delete(f"{self.url}/__sandbox__/requests", timeout=TIMEOUT).raise_for_status()

    def suggest_faq(self, assistant_id: str, *, question: str, answer: str) -> None:
        response = self.http.post(
            f"{self.url}/__sandbox__/assistants/{assistant_id}/suggest-faq",
            json={"question": question, "answer": answer}, timeout=TIMEOUT,
        )  # fmt: skip
        response.raise_for_status()

    def raw_get_assistants(self) -> float:
        """One `GET /api/assistants`, timed to its last byte, not parsed (the raw API)."""
        started = time.perf_counter()
        response = self.http.get(f"{self.url}/api/assistants", timeout=TIMEOUT)
        _ = response.content
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        return elapsed

    def listing_head(self, keep: int) -> tuple[int, list[dict[str, Any]]]:
        """How many assistants Revox lists, and the first `keep` of them, read as a stream
        (a listing of 50,000 parsed whole would take GBs of this process's memory)."""
        response = self.http.get(f"{self.url}/api/assistants", timeout=TIMEOUT, stream=True)
        response.raise_for_status()
        response.raw.decode_content = True
        count, head = 0, []
        for assistant in ijson.items(response.raw, "assistants.item", use_float=True):
            count += 1
            if len(head) < keep:
                head.append(assistant)
        return count, head

    def list_assistants(self) -> tuple[list[dict[str, Any]], float]:
        """One `GET /api/assistants`, timed to its last byte. Parsing the JSON is left out of the
        time, which only makes the raw API look faster than a real client would see it."""
        started = time.perf_counter()
        response = self.http.get(f"{self.url}/api/assistants", timeout=TIMEOUT)
        _ = response.content
        elapsed = (time.perf_counter() - started) * 1000
        response.raise_for_status()
        return response.json()["assistants"], elapsed
