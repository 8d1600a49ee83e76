""" "Listen": a voice preview fetched from Revox (cached: previews.py), and why one failed, in
words that say what to do. Used by an editor's "Listen" button and the preview URL."""

from __future__ import annotations

from assistants.editors.previews import voice_preview_get
from assistants.revox import RevoxError, RevoxNotFound, RevoxTimeout, RevoxValidationError

PREVIEW_REFUSED = "Revox couldn't make this preview: {reason}."


PREVIEW_TIMEOUT = "Revox took too long to make the preview. Try again in a moment."


PREVIEW_UNKNOWN_VOICE = "Revox doesn't know this voice for this provider. Check the voice id."


PREVIEW_FIELDS = {"voiceId": "the voice", "provider": "the provider", "speed": "the speed",
                  "volume": "the volume", "model": "the model", "text": "the text"}  # fmt: skip


PREVIEW_NEEDS_VOICE = "Pick a voice first: Revox's default voice can't be previewed."


def preview_failure(err: RevoxError) -> str:
    """Why a voice preview failed, in words that say what to do."""
    if isinstance(err, RevoxValidationError):
        reasons = [
            f"{PREVIEW_FIELDS.get(path, path)} {' '.join(messages)}"
            for path, messages in err.field_errors.items()
        ] + err.non_field_errors  # fmt: skip
        return PREVIEW_REFUSED.format(reason="; ".join(reasons) or "it refused the request")
    if isinstance(err, RevoxTimeout):
        return PREVIEW_TIMEOUT
    if isinstance(err, RevoxNotFound):
        return PREVIEW_UNKNOWN_VOICE
    return str(err)


def preview_fetch(form) -> None:
    """ "Listen" without JavaScript (the voice editor's, and the general editor's beside the
    first sentence): the voice as the valid form sets it, fetched now so that a failure is said
    next to the button (the player then reads it from the cache)."""
    if not form.is_valid():
        return
    params = form.preview_params()
    if params is None:
        form.preview_error = PREVIEW_NEEDS_VOICE
        return
    try:
        voice_preview_get(**params)
    except RevoxError as err:
        form.preview_error = preview_failure(err)
    else:
        form.preview = params
