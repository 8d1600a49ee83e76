"""The Revox API under /api: assistants, voices, voice previews, the key check, and calls
(place, read, cancel, search); and the calls' recordings under /recordings.

Only the handlers: the key, faults, latency and the request log are applied before
them, in `sandbox.app`.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from urllib.parse import parse_qs

from sandbox import audio, callplan, model, voices
from sandbox.state import State
from sandbox.store import encode
from sandbox.validation import (
    validate_assistant,
    validate_voice_preview,
    validate_voice_provider,
)
from sandbox.validation.call_requests import (
    parse_datetime_ms,
    validate_call_create,
    validate_call_search,
)
from sandbox.voices import VOICES
from sandbox.wire import (
    Request,
    Response,
    Route,
    assistant_response,
    error,
    json_object,
    json_response,
    not_found,
    validation_error,
)

DEFAULT_PREVIEW_TEXT = "Hello! This is how I sound on the phone."
VOICES_BLOB = encode({"voices": VOICES})
CALLER_VOICE = "the-person-called"  # the other side of a recording hums at its own pitch
ASSISTANT_BLOBS_KEPT = 4096  # assistant versions whose JSON is kept ready for their calls
RECORDINGS_KEPT = 32  # synthesised recordings kept ready (a page plays the same one often)


class Api:
    def __init__(self, state: State) -> None:
        self.state = state
        self.routes = [
            Route(re.compile(r"/assistants"), {"GET": self.list_assistants, "POST": self.create}),
            Route(
                re.compile(r"/assistants/(?P<id>[^/]+)"),
                {"GET": self.retrieve, "PATCH": self.update, "DELETE": self.delete},
            ),
            Route(re.compile(r"/assistants/(?P<id>[^/]+)/clone"), {"POST": self.clone}),
            Route(re.compile(r"/voices"), {"GET": self.voices}),
            Route(re.compile(r"/voices/preview"), {"POST": self.voice_preview}),
            Route(re.compile(r"/voices/(?P<id>[^/]+)"), {"GET": self.voice}),
            Route(re.compile(r"/auth-status"), {"GET": self.auth_status}),
            Route(re.compile(r"/call"), {"POST": self.create_call}),
            Route(re.compile(r"/call/search"), {"POST": self.search_calls}),
            Route(re.compile(r"/call/(?P<id>[^/]+)"), {"GET": self.retrieve_call}),
            Route(re.compile(r"/call/(?P<id>[^/]+)/cancel"), {"POST": self.cancel_call}),
        ]
        self.recording_routes = [
            Route(
                re.compile(r"/recordings/(?P<call>[^/]+)/(?P<attempt>[^/]+)\.wav"),
                {"GET": self.recording},
            )
        ]
        self._recordings: OrderedDict[tuple, bytes] = OrderedDict()
        self._recordings_lock = threading.Lock()
        # Each call carries its whole assistant: encoded once per version, not once per call.
        self._assistant_blobs: OrderedDict[tuple, bytes] = OrderedDict()
        self._blobs_lock = threading.Lock()

    def list_assistants(self, request: Request, params: dict[str, str]) -> Response:
        return Response(200, self.state.store.list_json())

    def voices(self, request: Request, params: dict[str, str]) -> Response:
        return Response(200, VOICES_BLOB)

    def voice(self, request: Request, params: dict[str, str]) -> Response:
        provider = parse_qs(request.query).get("provider", [None])[-1]
        errors = validate_voice_provider(provider)
        if errors:
            return validation_error(errors)
        found = voices.find(provider, params["id"])
        if found is None:
            return error(404, "not_found", f"No {provider} voice {params['id']}")
        return json_response(200, {"voice": found})

    def voice_preview(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = validate_voice_preview(body)
        if errors:
            return validation_error(errors)
        if voices.find(body["provider"], body["voiceId"]) is None:
            errors.add("voiceId", f"no such {body['provider']} voice")
            return validation_error(errors)
        volume = body.get("volume", 1.0) if body["provider"] == "cartesia" else 1.0
        wav = audio.synthesize(
            voice_id=body["voiceId"],
            text=body.get("text", DEFAULT_PREVIEW_TEXT),
            speed=body.get("speed", 1.0),
            volume=volume,
        )
        return Response(200, wav, content_type="audio/wav")

    def auth_status(self, request: Request, params: dict[str, str]) -> Response:
        return json_response(200, {"authenticated": self.state.authorised(request)})

    def retrieve(self, request: Request, params: dict[str, str]) -> Response:
        blob = self.state.store.get_json(params["id"])
        if blob is None:
            return not_found(params["id"])
        return (
            assistant_response(blob)
            if self.state.retrieve_shape == "wrapped"
            else Response(200, blob)
        )

    def create(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = validate_assistant(body, creating=True)
        if errors:
            return validation_error(errors)
        return assistant_response(self.state.store.create(body))

    def update(self, request: Request, params: dict[str, str]) -> Response:
        # An unknown id is a 404 whatever the body holds.
        if self.state.store.get_json(params["id"]) is None:
            return not_found(params["id"])
        body = json_object(request)
        errors = validate_assistant(body, creating=False)
        if errors:
            return validation_error(errors)
        blob = self.state.store.update(params["id"], body)
        if blob is None:
            return not_found(params["id"])
        scheduled = self.state.scheduled_calls.get(params["id"])
        return assistant_response(
            blob, extra={"unpatchedCallsNotice": scheduled} if scheduled else None
        )

    def delete(self, request: Request, params: dict[str, str]) -> Response:
        if not self.state.store.delete(params["id"]):
            return not_found(params["id"])
        return json_response(200, {"success": True})

    def clone(self, request: Request, params: dict[str, str]) -> Response:
        blob = self.state.store.clone(params["id"])
        return assistant_response(blob) if blob is not None else not_found(params["id"])

    # --- calls ---------------------------------------------------------------------------------

    def create_call(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = validate_call_create(body)
        if errors:
            return validation_error(errors)
        now = self.state.clock.now_ms()
        if body.get("assistant_id") is not None:
            assistant = self.state.store.get(body["assistant_id"])
            if assistant is None:
                errors.add("assistant_id", "no such assistant")
                return validation_error(errors)
        else:
            # An inline configuration runs as an assistant of its own, never stored.
            assistant = model.new_record(
                body["assistant"],
                assistant_id=model.new_id(),
                timestamp=model.format_timestamp(now),
            )
        scheduled = parse_datetime_ms(body["scheduled_at"]) if "scheduled_at" in body else None
        plan = callplan.make_plan(
            call_id=model.new_id(),
            created_ms=now,
            phone_number=body["phone_number"],
            assistant=assistant,
            from_phone_number=body.get("from_phone_number"),
            prompt_variables=body.get("prompt_variables"),
            metadata=body.get("metadata"),
            scheduled_ms=max(scheduled, now) if scheduled is not None else None,
            skip_calling_window=body.get("skip_calling_window", False),
            script=self.state.take_call_script(body["phone_number"]),
        )
        plan["assistant_id"] = body.get("assistant_id")
        self.state.calls.add(plan)
        return Response(200, b'{"call":' + self._call_json(request, plan) + b"}")

    def retrieve_call(self, request: Request, params: dict[str, str]) -> Response:
        plan = self.state.calls.plan(params["id"])
        if plan is None:
            return call_not_found(params["id"])
        return Response(200, b'{"call":' + self._call_json(request, plan) + b"}")

    def cancel_call(self, request: Request, params: dict[str, str]) -> Response:
        cancelled = self.state.calls.cancel(params["id"], self.state.clock.now_ms())
        if cancelled is None:
            return call_not_found(params["id"])
        # A call already over (or in its analysis) cannot be cancelled: success is false.
        return json_response(200, {"success": cancelled})

    def search_calls(self, request: Request, params: dict[str, str]) -> Response:
        body = json_object(request)
        errors = validate_call_search(body)
        if errors:
            return validation_error(errors)
        now = self.state.clock.now_ms()
        plans, total = self.state.calls.search(body, now)
        calls = b",".join(self._call_json(request, plan, now) for plan in plans)
        return Response(200, b'{"calls":[' + calls + b'],"total_count":' + encode(total) + b"}")

    def _call_json(self, request: Request, plan: dict, now: int | None = None) -> bytes:
        """The call as JSON, its assistant spliced in from the blob of that version."""
        moment = self.state.clock.now_ms() if now is None else now
        call = callplan.render(plan, moment, recording_base(request))
        assistant = call.pop("assistant")
        # The object too: versions and stored plans keep theirs, so the same one means the same
        # content, whatever an odd record's timestamps say.
        key = (assistant.get("id"), assistant.get("updated_at"), id(plan["assistant"]))
        with self._blobs_lock:
            blob = self._assistant_blobs.get(key)
        if blob is None:
            blob = encode_ascii(assistant)
            with self._blobs_lock:
                self._assistant_blobs[key] = blob
                while len(self._assistant_blobs) > ASSISTANT_BLOBS_KEPT:
                    self._assistant_blobs.popitem(last=False)
        return b'{"assistant":' + blob + b"," + encode_ascii(call)[1:]

    def recording(self, request: Request, params: dict[str, str]) -> Response:
        plan = self.state.calls.plan(params["call"])
        call = callplan.render(plan, self.state.clock.now_ms(), "") if plan is not None else None
        attempt = next(
            (a for a in (call or {}).get("call_attempts", []) if a["id"] == params["attempt"]),
            None,
        )
        if attempt is None or attempt["recording_url"] is None:
            return error(404, "not_found", "No such recording")
        key = (params["call"], params["attempt"], attempt["ended_at"])
        with self._recordings_lock:
            wav = self._recordings.get(key)
        if wav is None:
            voice = callplan.usable(plan["assistant"], ("voice",)).get("voice") or {}
            agent = voice.get("id") or "agent"
            turns = [
                (agent if line["role"] == "assistant" else CALLER_VOICE, line["content"])
                for line in attempt["transcript"]
            ]
            wav = audio.conversation(turns, speed=float(voice.get("speed") or 1.0))
            with self._recordings_lock:
                self._recordings[key] = wav
                while len(self._recordings) > RECORDINGS_KEPT:
                    self._recordings.popitem(last=False)
        return Response(200, wav, content_type="audio/wav")


# Calls are the bulkiest answers (a page of 100 carries 100 assistants and transcripts): \u
# escapes for what is not ASCII encode about twice as fast, and read back the same.
_ASCII_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def encode_ascii(value: object) -> bytes:
    return _ASCII_ENCODER.encode(value).encode()


def call_not_found(call_id: str) -> Response:
    return error(404, "not_found", f"Call {call_id} not found")


def recording_base(request: Request) -> str:
    """Where this sandbox serves recordings, as the client reached it."""
    environ = request.environ
    host = environ.get("HTTP_HOST") or (
        f"{environ.get('SERVER_NAME', '127.0.0.1')}:{environ.get('SERVER_PORT', '80')}"
    )
    return f"{environ.get('wsgi.url_scheme', 'http')}://{host}/recordings"
