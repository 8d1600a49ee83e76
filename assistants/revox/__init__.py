"""The Revox client: the one place that speaks HTTP to the Revox API (and the only importer of
`requests`). `client.py` holds the client and its transport, `errors.py` the error tree; callers
import both from here."""

from assistants.revox.client import (
    AssistantUpdate,
    Recording,
    RevoxClient,
    RevoxConfig,
    UnpatchedCalls,
    VoicePreview,
    get_client,
)
from assistants.revox.errors import (
    AUTH_MESSAGE,
    BAD_RESPONSE_MESSAGE,
    CONFLICT_MESSAGE,
    NOT_FOUND_MESSAGE,
    RATE_LIMITED_MESSAGE,
    REQUEST_ERROR_MESSAGE,
    SERVER_ERROR_MESSAGE,
    TIMEOUT_MESSAGE,
    UNAVAILABLE_MESSAGE,
    VALIDATION_MESSAGE,
    WRITE_TIMEOUT_MESSAGE,
    RevoxAuthError,
    RevoxConflict,
    RevoxError,
    RevoxNotFound,
    RevoxRateLimited,
    RevoxRequestError,
    RevoxTimeout,
    RevoxUnavailable,
    RevoxValidationError,
    error_for_status,
    parse_validation_body,
)

# Its floor (assistants/__init__.py): it imports only nothing of the app.
LAYER = 0

__all__ = [
    "AUTH_MESSAGE",
    "BAD_RESPONSE_MESSAGE",
    "CONFLICT_MESSAGE",
    "NOT_FOUND_MESSAGE",
    "RATE_LIMITED_MESSAGE",
    "REQUEST_ERROR_MESSAGE",
    "SERVER_ERROR_MESSAGE",
    "TIMEOUT_MESSAGE",
    "UNAVAILABLE_MESSAGE",
    "VALIDATION_MESSAGE",
    "WRITE_TIMEOUT_MESSAGE",
    "AssistantUpdate",
    "Recording",
    "RevoxAuthError",
    "RevoxClient",
    "RevoxConfig",
    "RevoxConflict",
    "RevoxError",
    "RevoxNotFound",
    "RevoxRateLimited",
    "RevoxRequestError",
    "RevoxTimeout",
    "RevoxUnavailable",
    "RevoxValidationError",
    "UnpatchedCalls",
    "VoicePreview",
    "error_for_status",
    "get_client",
    "parse_validation_body",
]
