"""RevoxClient: the one place that speaks HTTP to the Revox API.

Every call has a connect and a read timeout from settings. Only GET and DELETE are retried (at
most REVOX_MAX_RETRIES times, with capped, jittered backoff, honouring Retry-After), and only on
connection errors, 408, 429 and 5xx: a POST or PATCH that timed out may have been applied, so
repeating it could create a duplicate or overwrite a teammate. Every failure becomes one of the
typed errors below, each carrying a plain sentence a user can read.

`iter_assistants` reads `GET /assistants` as it arrives (ijson over the response stream, its
C backend yajl2_c): Revox answers every assistant in one body, 100+ MB for 10,000 of them, which
held whole would cost several times that in memory.

Logged: method, path, status, duration. Never the key, never a body (a custom LLM's api_key
travels in bodies). Inside `revox_wait()`, the time spent waiting for Revox's answers is also
added up (the request's Server-Timing header says it).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import ijson
import requests
import urllib3
from django.conf import settings

from assistants.revox.errors import (
    BAD_RESPONSE_MESSAGE,
    TIMEOUT_MESSAGE,
    UNAVAILABLE_MESSAGE,
    WRITE_TIMEOUT_MESSAGE,
    RevoxAuthError,
    RevoxError,
    RevoxTimeout,
    RevoxUnavailable,
    error_for_status,
)

logger = logging.getLogger(__name__)

RETRYABLE_METHODS = frozenset({"GET", "DELETE"})
MAX_PREVIEW_BYTES = 5 * 1024 * 1024
# How much of a listing is kept to check its shape when it holds no assistant: an empty listing is
# a few bytes; one that names no assistant after this much is not a listing.
EMPTY_LISTING_MAX_BYTES = 1024 * 1024
STREAM_CHUNK_BYTES = 64 * 1024
# The C backend by name: should it ever be missing, fail here rather than fall back silently to
# ijson's pure-Python parser, twenty times slower.
_ijson = ijson.get_backend("yajl2_c")
AUDIO_TYPES = ("audio/", "application/octet-stream")


@dataclass
class RevoxWait:
    """What one request of the dashboard spent waiting for Revox: from each call's first byte
    sent to its answer's headers read (connecting included), and how many calls."""

    calls: int = 0
    seconds: float = 0.0

    def add(self, seconds: float) -> None:
        self.calls += 1
        self.seconds += seconds


_waits: ContextVar[RevoxWait | None] = ContextVar("revox_waits", default=None)


@contextmanager
def revox_wait() -> Iterator[RevoxWait]:
    """Add up the time this thread's Revox calls wait for their answers, until the block ends."""
    wait = RevoxWait()
    token = _waits.set(wait)
    try:
        yield wait
    finally:
        _waits.reset(token)


@dataclass(frozen=True)
class UnpatchedCalls:
    """Calls already scheduled that a PATCH did not reach: they keep the old settings, because
    of the prompt variables named (Revox's `unpatchedCallsNotice`)."""

    count: int
    variables: list[str] = field(default_factory=list)

    @classmethod
    def from_answer(cls, value: Any) -> UnpatchedCalls | None:
        """Read the notice tolerantly: a count that isn't a positive number means no notice."""
        if not isinstance(value, dict):
            return None
        count = value.get("count")
        if isinstance(count, bool) or not isinstance(count, int | float) or count < 1:
            return None
        raw = value.get("variables")
        variables = [v for v in raw if isinstance(v, str) and v] if isinstance(raw, list) else []
        return cls(count=int(count), variables=list(dict.fromkeys(variables)))


@dataclass(frozen=True)
class AssistantUpdate:
    """What a PATCH answered: the assistant as saved, and scheduled calls it did not reach."""

    assistant: dict[str, Any]
    unpatched_calls: UnpatchedCalls | None = None


@dataclass(frozen=True)
class VoicePreview:
    audio: bytes
    content_type: str


@dataclass(frozen=True)
class CallPage:
    calls: list[dict[str, Any]]
    total_count: int | None  # None when Revox did not say


@dataclass(frozen=True)
class Recording:
    audio: bytes
    content_type: str


@dataclass(frozen=True)
class RevoxConfig:
    base_url: str
    api_key: str
    connect_timeout: float
    read_timeout: float
    max_retries: int
    backoff_base: float
    backoff_max: float
    retry_after_max: float
    recording_max_bytes: int = 50 * 1024 * 1024

    @classmethod
    def from_settings(cls) -> RevoxConfig:
        return cls(
            base_url=settings.REVOX_API_URL.rstrip("/"),
            api_key=settings.REVOX_API_KEY,
            connect_timeout=settings.REVOX_CONNECT_TIMEOUT,
            read_timeout=settings.REVOX_READ_TIMEOUT,
            max_retries=settings.REVOX_MAX_RETRIES,
            backoff_base=settings.REVOX_BACKOFF_BASE,
            backoff_max=settings.REVOX_BACKOFF_MAX,
            retry_after_max=settings.REVOX_RETRY_AFTER_MAX,
            recording_max_bytes=settings.REVOX_RECORDING_MAX_BYTES,
        )


class RevoxClient:
    def __init__(self, config: RevoxConfig, *, pool_size: int = 10) -> None:
        self.config = config
        self.session = requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {config.api_key}",
                "Accept": "application/json",
                "User-Agent": "revox-admin",
            }
        )
        # Proxy settings (HTTPS_PROXY, NO_PROXY) are read once here; left to requests, every
        # call would scan the environment and look for a .netrc (a few ms per save, issue 9).
        self.session.proxies = requests.utils.get_environ_proxies(config.base_url)
        self.session.trust_env = False
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def __repr__(self) -> str:  # never show the key, even in a debugger or a traceback
        return f"<RevoxClient {self.config.base_url}>"

    # -- endpoints --------------------------------------------------------------------------

    def list_assistants(self) -> list[dict[str, Any]]:
        return self._expect_list(self._request("GET", "/assistants"), "assistants")

    def iter_assistants(self) -> Generator[dict[str, Any], None, None]:
        """Every assistant of `GET /assistants`, each yielded as soon as its JSON has arrived,
        so that memory holds one assistant at a time rather than the whole listing.

        Retried like any GET until the answer begins; once assistants have been yielded, a
        failure half-way (a dropped connection, a read timeout, a body cut short or not JSON)
        raises the typed error instead, and the caller must not take what it received for the
        whole list. Entries without a string id are skipped, as `list_assistants` does.
        """
        response = self._request("GET", "/assistants", stream=True)
        try:
            yield from _listed_items(response, "assistants")
        finally:
            response.close()

    def get_assistant(self, assistant_id: str) -> dict[str, Any]:
        # Revox answers the assistant itself (the official SDK's AssistantRetrieveResponse);
        # some of its documentation pages show it wrapped in {"assistant": …}. Read both.
        data = self._request("GET", f"/assistants/{assistant_id}")
        if isinstance(data, dict) and not isinstance(data.get("id"), str) and "assistant" in data:
            return self._expect_object(data, "assistant")
        return self._expect_object({"assistant": data}, "assistant")

    def create_assistant(self, params: Mapping[str, Any]) -> dict[str, Any]:
        return self._expect_object(self._request("POST", "/assistants", json=params), "assistant")

    def update_assistant(self, assistant_id: str, params: Mapping[str, Any]) -> AssistantUpdate:
        data = self._request("PATCH", f"/assistants/{assistant_id}", json=params)
        return AssistantUpdate(
            assistant=self._expect_object(data, "assistant"),
            unpatched_calls=UnpatchedCalls.from_answer(data.get("unpatchedCallsNotice")),
        )

    def delete_assistant(self, assistant_id: str) -> None:
        self._request("DELETE", f"/assistants/{assistant_id}")

    def clone_assistant(self, assistant_id: str) -> dict[str, Any]:
        data = self._request("POST", f"/assistants/{assistant_id}/clone")
        return self._expect_object(data, "assistant")

    def list_voices(self) -> list[dict[str, Any]]:
        return self._expect_list(self._request("GET", "/voices"), "voices")

    def get_voice(self, voice_id: str, *, provider: str) -> dict[str, Any]:
        """One voice of the provider account, listed by GET /voices or not: {id, name, …}."""
        data = self._request(
            "GET", f"/voices/{quote(voice_id, safe='')}", params={"provider": provider}
        )
        voice = self._expect_object(data, "voice")
        if not isinstance(voice.get("name"), str):
            raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=200)
        return voice

    def preview_voice(self, params: Mapping[str, Any]) -> VoicePreview:
        """A short spoken sample. `params` as Revox takes them: provider, voiceId, and optional
        speed, text, model, volume."""
        response = self._request("POST", "/voices/preview", json=params, raw=True)
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        audio = response.content
        if not audio or len(audio) > MAX_PREVIEW_BYTES or not content_type.startswith(AUDIO_TYPES):
            raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=response.status_code)
        return VoicePreview(audio=audio, content_type=content_type)

    # -- calls: POST /call is never retried (it rings a phone and costs money) ----------------

    def create_call(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Place a call: `params` as Revox takes them (phone_number, and assistant_id or an
        inline assistant, …). Sent once, whatever happens: a timeout or a dropped connection
        may still have placed it."""
        return self._expect_object(self._request("POST", "/call", json=params), "call")

    def search_calls(self, params: Mapping[str, Any]) -> CallPage:
        """One page of `POST /call/search` (the SDK's CallSearchParams). A read, but a POST: like
        every POST it is sent once (rule 1); the refresh that asks for it simply runs again
        later. Calls without a string id are dropped; the rest are kept as Revox sent them."""
        data = self._request("POST", "/call/search", json=dict(params))
        calls = self._expect_list(data, "calls")
        total = data.get("total_count")
        if isinstance(total, bool) or not isinstance(total, int | float):
            total = None
        return CallPage(calls=calls, total_count=int(total) if total is not None else None)

    def get_call(self, call_id: str) -> dict[str, Any]:
        data = self._request("GET", f"/call/{quote(call_id, safe='')}")
        return self._expect_object(data, "call")

    def cancel_call(self, call_id: str) -> bool:
        """Whether Revox cancelled it (`{"success": bool}`; false for a call already over)."""
        data = self._request("POST", f"/call/{quote(call_id, safe='')}/cancel")
        success = data.get("success") if isinstance(data, dict) else None
        if not isinstance(success, bool):
            raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=200)
        return success

    def get_recording(self, url: str) -> Recording:
        """A call's recording, from the `recording_url` Revox gave: fetched here so that the
        page plays it from the dashboard (the key, when the URL is Revox's own, stays here;
        any other host never gets it)."""
        absolute = urljoin(self.config.base_url + "/", url)
        if urlsplit(absolute).scheme not in ("http", "https"):
            raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=200)
        response = self._request("GET", absolute, raw=True, stream=True)
        limit = self.config.recording_max_bytes
        try:
            content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            declared = response.headers.get("Content-Length", "")
            if not content_type.startswith(AUDIO_TYPES) or (
                declared.isdigit() and int(declared) > limit
            ):
                raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=response.status_code)
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=response.status_code)
                chunks.append(chunk)
        except requests.exceptions.RequestException as err:
            raise RevoxUnavailable(UNAVAILABLE_MESSAGE) from err
        finally:
            response.close()
        if not size:
            raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=response.status_code)
        return Recording(audio=b"".join(chunks), content_type=content_type)

    def auth_status(self) -> bool:
        """Whether Revox accepts our key: `{"authenticated": bool}`; a 401/403 also means no."""
        try:
            data = self._request("GET", "/auth-status")
        except RevoxAuthError:
            return False
        authenticated = data.get("authenticated") if isinstance(data, dict) else None
        if not isinstance(authenticated, bool):
            raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=200)
        return authenticated

    # -- transport --------------------------------------------------------------------------

    def _request(self, method: str, path: str, **options: Any) -> Any:
        """`_send_once`, retried as the rules above say. `options`: those of `_send_once`."""
        retries_left = self.config.max_retries if method in RETRYABLE_METHODS else 0
        attempt = 0
        while True:
            try:
                return self._send_once(method, path, **options)
            except RevoxError as err:
                delay = self._retry_delay(err, attempt) if retries_left > 0 else None
                if delay is None:
                    raise
                retries_left -= 1
                attempt += 1
                logger.info(
                    "revox retry %s %s in %.2fs (%s)", method, path, delay, type(err).__name__
                )
                time.sleep(delay)

    def _retry_delay(self, err: RevoxError, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when this failure must not be retried."""
        if isinstance(err, RevoxTimeout) and err.read_timeout:
            # A read that never ended: waiting the whole read timeout again would triple the
            # user's wait, and the connection itself was fine.
            return None
        if err.status is None:
            retryable = isinstance(err, RevoxUnavailable)  # connection refused, reset, dropped
        else:
            retryable = err.status in (408, 429) or err.status >= 500
        if not retryable:
            return None
        backoff = min(self.config.backoff_max, self.config.backoff_base * (2**attempt))
        backoff *= random.uniform(0.5, 1.0)
        retry_after = getattr(err, "retry_after", None)
        if retry_after is None:
            return backoff
        if retry_after > self.config.retry_after_max:
            return None
        return max(retry_after, backoff)

    def _send_once(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        raw: bool = False,
        stream: bool = False,
    ) -> Any:
        """One HTTP exchange. The parsed JSON answer, or with `raw` the 2xx response itself, or
        with `stream` the 2xx response with its body not yet read (errors are parsed the same
        way in every case).

        `path` is under the API's base URL, or an absolute URL Revox gave (a recording): the
        key goes only to the API's own origin, and only the URL's path is logged."""
        absolute = path.startswith(("http://", "https://"))
        url = path if absolute else f"{self.config.base_url}{path}"
        headers: dict[str, str | None] = {"Accept": "*/*"} if raw else {}
        if absolute:
            parts = urlsplit(url)
            path = parts.path
            if parts[:2] != urlsplit(self.config.base_url)[:2]:
                headers["Authorization"] = None  # requests drops a header set to None
        started = time.monotonic()
        status: int | str = "-"
        waited: float | None = None
        try:
            response = self.session.request(
                method,
                url,
                json=json,
                params=params,
                headers=headers or None,
                stream=stream,
                timeout=(self.config.connect_timeout, self.config.read_timeout),
            )
            status = response.status_code
            # requests' own measure: the request sent to the answer's headers parsed (neither
            # building the request nor reading and parsing the body, which are ours).
            waited = response.elapsed.total_seconds()
        except requests.exceptions.ConnectTimeout as err:
            status = "connect-timeout"
            raise RevoxUnavailable(UNAVAILABLE_MESSAGE, request_sent=False) from err
        except requests.exceptions.ReadTimeout as err:
            status = "read-timeout"
            message = TIMEOUT_MESSAGE if method in RETRYABLE_METHODS else WRITE_TIMEOUT_MESSAGE
            raise RevoxTimeout(message, read_timeout=True) from err
        except requests.exceptions.RequestException as err:
            # Connection refused or reset, DNS, a dropped connection: all "unreachable".
            status = "connection-error"
            raise RevoxUnavailable(UNAVAILABLE_MESSAGE, request_sent=_was_sent(err)) from err
        finally:
            took = time.monotonic() - started
            logger.info("revox %s %s %s %dms", method, path, status, took * 1000)
            if (wait := _waits.get()) is not None:
                wait.add(took if waited is None else waited)  # a failure: all of it was waiting
        if (raw or stream) and 200 <= response.status_code < 300:
            return response
        try:
            return self._parse(response)
        finally:
            response.close()

    def _parse(self, response: requests.Response) -> Any:
        request_id = response.headers.get("x-request-id")
        status = response.status_code
        try:
            body = response.json() if response.content else None
        except ValueError:
            body = None
            if 200 <= status < 300 or status >= 500:
                raise error_for_status(status, None, request_id, response, parsed=False) from None
        if 200 <= status < 300:
            return body
        raise error_for_status(status, body, request_id, response)

    @staticmethod
    def _expect_object(data: Any, key: str) -> dict[str, Any]:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, dict) or not isinstance(value.get("id"), str):
            raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=200)
        return value

    @staticmethod
    def _expect_list(data: Any, key: str) -> list[dict[str, Any]]:
        value = data.get(key) if isinstance(data, dict) else None
        if not isinstance(value, list):
            raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=200)
        # One odd entry should not hide every other assistant: keep the well-formed ones.
        return [
            item for item in value if isinstance(item, dict) and isinstance(item.get("id"), str)
        ]


def _was_sent(err: requests.exceptions.RequestException) -> bool:
    """False when the connection itself failed (refused, no such host): nothing reached Revox.
    A connection reset or dropped later may have delivered the request."""
    reason = getattr(err.args[0], "reason", None) if err.args else None
    return not isinstance(reason, urllib3.exceptions.NewConnectionError)


class _HeadKeepingReader:
    """The response body as a file for ijson, mapping transport failures to typed errors and
    keeping what it read until told the listing is not empty (to check the shape of one that
    is)."""

    def __init__(self, response: requests.Response) -> None:
        self.raw = response.raw
        self.raw.decode_content = True  # gzip, deflate: as requests would
        self.head: bytearray | None = bytearray()

    def read(self, size: int = STREAM_CHUNK_BYTES) -> bytes:
        try:
            chunk = self.raw.read(size)
        except urllib3.exceptions.ReadTimeoutError as err:
            raise RevoxTimeout(TIMEOUT_MESSAGE, read_timeout=True) from err
        except (urllib3.exceptions.HTTPError, OSError) as err:
            # A dropped connection, a body shorter than announced, bad compression.
            raise RevoxUnavailable(UNAVAILABLE_MESSAGE) from err
        if self.head is not None:
            if len(self.head) + len(chunk) > EMPTY_LISTING_MAX_BYTES:
                raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=200)
            self.head += chunk
        return chunk


def _listed_items(response: requests.Response, key: str) -> Iterator[dict[str, Any]]:
    """The entries of `{key: [...]}` in a streamed answer, one at a time."""
    reader = _HeadKeepingReader(response)
    seen_any = False
    try:
        # use_float: numbers as json.loads gives them (ijson's default is Decimal).
        for item in _ijson.items(
            reader, f"{key}.item", use_float=True, buf_size=STREAM_CHUNK_BYTES
        ):
            if not seen_any:
                seen_any, reader.head = True, None
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                yield item
    except ijson.JSONError as err:
        raise RevoxUnavailable(BAD_RESPONSE_MESSAGE, status=response.status_code) from err
    if not seen_any:
        # Nothing listed: an empty list, or not a listing at all (which must not read as
        # "every assistant was deleted").
        RevoxClient._expect_list(_loads(bytes(reader.head or b"")), key)


def _loads(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        return None


_local = threading.local()


def get_client() -> RevoxClient:
    """A client for the configured Revox, one per thread (a Session's pool is not thread-safe
    to share while a bulk action runs saves in parallel)."""
    config = RevoxConfig.from_settings()
    client = getattr(_local, "client", None)
    if client is None or client.config != config:
        client = RevoxClient(config)
        _local.client = client
    return client
