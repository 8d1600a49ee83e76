"""The Revox API under /api: assistants, voices, voice previews and the key check.

Only the handlers: the key, faults, latency and the request log are applied before
them, in `sandbox.app`.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from sandbox import audio, voices
from sandbox.state import State
from sandbox.store import encode
from sandbox.validation import (
    validate_assistant,
    validate_voice_preview,
    validate_voice_provider,
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
        ]

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
