"""Write use cases of the history: restore a group from an entry, recreate a deleted assistant,
import an exported one; and the export document itself.

None of them ever needs the custom LLM key from history, because history never has it: a
restore keeps the current key when it is the same one, a recreate or an import asks for it
(or falls back to a dedicated model, and says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.formats import date_format

from assistants import services, snapshot
from assistants.editors.forms.common import CURRENT_OUTCOMES, OUTCOMES
from assistants.editors.groups import GROUPS
from assistants.editors.services import assistant_update_group
from assistants.history import selectors as history_selectors
from assistants.history_entries import change_record
from assistants.models import Assistant, Change
from assistants.revox import UnpatchedCalls, get_client

EXPORT_FORMAT = "revox-admin/assistant@1"
FALLBACK_LLM = {"type": "dedicated-instance", "name": "gpt-4.1"}

NOT_RESTORABLE = (
    "This entry is not about one settings group, so there is nothing to restore from it."
)
SECRET_NOT_RESTORABLE = (
    "The custom language model's API key is not the one this entry knew, and the dashboard never "
    "stores keys, so it can't put that key back. The language model was left as it is: open "
    "Language model and enter the key to switch back."
)
NO_CONFIGURATION = (
    "History holds no full configuration of this assistant, so it can't be recreated."
)
CUSTOM_LLM_FALLBACK = (
    "The configuration used a custom language model ({model}), whose API key is never exported "
    "or stored. It was created with GPT-4.1 instead: open Language model to set the custom model "
    "again with its key."
)


class RestoreRefused(Exception):
    """Nothing could be restored from the entry; nothing was written."""


@dataclass
class RestoreResult:
    changed: bool
    refused: list[str] = field(default_factory=list)
    unpatched_calls: UnpatchedCalls | None = None


# -- restore --------------------------------------------------------------------------------


def _secret_restored(name: str, target: Any, current: Any) -> tuple[Any, bool]:
    """A stored value with its masked secret put back: the current secret when its digest is the
    one history kept, otherwise (False) it cannot be restored."""
    for parent, key in snapshot.SECRET_PATHS:
        if name != parent or not isinstance(target, dict) or not target.get(key):
            continue
        current_masked = snapshot.mask_secrets({parent: current}).get(parent)
        if not isinstance(current_masked, dict) or current_masked.get(key) != target[key]:
            return target, False
        target = {**target, key: current[key]}
    return target, True


def _when(change: Change) -> str:
    return date_format(timezone.localtime(change.created_at), "j M Y, H:i")


def change_restore(
    *, user: AbstractBaseUser, change: Change, side: str, fingerprint: str
) -> RestoreResult:
    """Put the entry's group back as it was before (or after) that change, through the same
    conflict check as an editor save. The restore is itself an entry (kind restore).

    Raises GroupConflict (nothing written) when the group changed since `fingerprint` was
    taken, RestoreRefused when nothing can be restored, and the client's errors.
    """
    group = GROUPS.get(change.group)
    values = change.before if side == "before" else change.after
    if group is None or not isinstance(values, dict):
        raise RestoreRefused(NOT_RESTORABLE)
    refused: list[str] = []

    def build_patch(current: dict[str, Any]) -> dict[str, Any]:
        patch = {}
        for name in group.fields:
            if name not in values:
                continue  # the group gained this field after the entry: leave it as it is
            # History keeps NULs as U+2400 (PostgreSQL stores none): restored as they were.
            stored = snapshot.with_nul(values[name])
            target, restorable = _secret_restored(name, stored, current.get(name))
            if not restorable:
                refused.append(SECRET_NOT_RESTORABLE)
                continue
            target = group.sendable(name, target)
            if target != group.sendable(name, current.get(name)):
                patch[name] = target
        if refused and not patch:
            raise RestoreRefused(" ".join(refused))
        return patch

    who = f" by {change.actor_name}" if change.actor_name else ""
    summary = f"{group.title} restored as it was {side} the change of {_when(change)}{who}"
    result = assistant_update_group(
        user=user,
        revox_id=change.assistant_revox_id,
        group=group,
        build_patch=build_patch,
        fingerprint=fingerprint,
        kind=Change.Kind.RESTORE,
        summary=summary,
    )
    return RestoreResult(
        changed=result.changed, refused=refused, unpatched_calls=result.unpatched_calls
    )


# -- creating from a stored or exported configuration --------------------------------------


LEGACY_TRANSFER_CONVERTED = (
    "The configuration had an old-style single transfer number ({number}), which Revox no longer "
    "takes: it was added as the “Transfer line” destination (cold transfer). Check it in Transfer."
)
LEGACY_TRANSFER_DROPPED = (
    "The configuration had an old-style single transfer number ({number}) besides its "
    "destinations; Revox no longer takes it, so it was left out."
)
LEGACY_OUTCOMES_DROPPED = (
    "Call outcomes Revox no longer has ({outcomes}) were left out of {setting}."
)
OUTCOME_SETTINGS = {
    "after_call_sms_outcomes": "the after-call SMS",
    "email_notification_outcomes": "the e-mail notifications",
}
# Nested keys Revox may answer with null but takes no null for (the official SDK's request
# models): null there means "not set", which leaving them out says too.
NOT_NULL_KEYS = {
    "voice": ("speed", "volume", "model"),
    "llm_model": ("realtime_voice_id",),
}
NOT_NULL_ROW_KEYS = ("description", "enum_options")


def _drop_nulls(value: Any, keys: tuple[str, ...]) -> Any:
    if not isinstance(value, dict):
        return value
    return {k: v for k, v in value.items() if not (k in keys and v is None)}


def _as_today_takes_it(config: dict[str, Any], notices: list[str]) -> dict[str, Any]:
    """A stored or exported configuration as today's Revox takes it in a create: no null
    values (a create leaves such fields unset anyway), and what only an older Revox had
    converted or left out, each said in `notices`."""
    params = {k: v for k, v in config.items() if v is not None}
    legacy = params.pop("transfer_phone_number", None)
    if isinstance(legacy, str) and legacy:
        if params.get("transfer_destinations"):
            notices.append(LEGACY_TRANSFER_DROPPED.format(number=legacy))
        else:
            params["transfer_destinations"] = [{"label": "Transfer line", "phone_number": legacy}]
            params.setdefault("human_transfer_mode", "cold")
            notices.append(LEGACY_TRANSFER_CONVERTED.format(number=legacy))
    for key, inner in NOT_NULL_KEYS.items():
        if key in params:
            params[key] = _drop_nulls(params[key], inner)
    if isinstance(params.get("structured_output_config"), list):
        params["structured_output_config"] = [
            _drop_nulls(row, NOT_NULL_ROW_KEYS) for row in params["structured_output_config"]
        ]
    if isinstance(params.get("custom_tools"), list):
        params["custom_tools"] = [
            {**tool, "input_schema": [_drop_nulls(r, NOT_NULL_ROW_KEYS) for r in tool["input_schema"]]}
            if isinstance(tool, dict) and isinstance(tool.get("input_schema"), list) else tool
            for tool in params["custom_tools"]
        ]  # fmt: skip
    for key, setting in OUTCOME_SETTINGS.items():
        outcomes = params.get(key)
        if isinstance(outcomes, list):
            old = [o for o in outcomes if o not in CURRENT_OUTCOMES]
            if old:
                params[key] = [o for o in outcomes if o in CURRENT_OUTCOMES]
                labels = ", ".join(f"“{OUTCOMES.get(o, o)}”" for o in old if isinstance(o, str))
                notices.append(LEGACY_OUTCOMES_DROPPED.format(outcomes=labels, setting=setting))
    return params


def create_params(config: dict[str, Any], *, api_key: str = "") -> tuple[dict[str, Any], list[str]]:
    """A create body from a configuration: Revox's own fields dropped, FAQ as question/answer,
    what today's Revox no longer takes converted or left out (with a notice), the custom LLM
    given `api_key` (or replaced by a dedicated model, with a notice)."""
    notices: list[str] = []
    params = _as_today_takes_it(snapshot.writable_fields(config), notices)
    llm = params.get("llm_model")
    if isinstance(llm, dict) and llm.get("type") == "custom":
        if api_key.strip():
            params["llm_model"] = {**llm, "api_key": api_key.strip()}
        else:
            model = snapshot.text(llm.get("model_name")) or "custom"
            params["llm_model"] = dict(FALLBACK_LLM)
            notices.append(CUSTOM_LLM_FALLBACK.format(model=model))
    return params, notices


def needs_api_key(config: dict[str, Any] | None) -> bool:
    llm = (config or {}).get("llm_model")
    return isinstance(llm, dict) and llm.get("type") == "custom"


def _create_and_record(
    *, user: AbstractBaseUser, params: dict[str, Any], kind: str, summary: str, related: str = ""
) -> tuple[Assistant, dict[str, Any]]:
    data = get_client().create_assistant(params)
    assistant = services.record_new_assistant(
        user=user, data=data, kind=kind, related_revox_id=related, summary=summary
    )
    return assistant, data


def assistant_recreate(
    *, user: AbstractBaseUser, revox_id: str, api_key: str = ""
) -> tuple[Assistant, list[str]]:
    """Create a new assistant from a deleted one's last configuration (FAQ included); each
    history links to the other."""
    source = history_selectors.last_configuration(revox_id=revox_id)
    if source is None:
        raise RestoreRefused(NO_CONFIGURATION)
    params, notices = create_params(snapshot.with_nul(source.before), api_key=api_key)
    assistant, data = _create_and_record(
        user=user, params=params, kind=Change.Kind.CREATE, related=revox_id,
        summary=f"Recreated from the deleted assistant “{snapshot.isolated(source.assistant_name)}”",
    )  # fmt: skip
    change_record(
        user=user,
        kind=Change.Kind.RESTORE,
        assistant={"id": revox_id, "name": source.assistant_name},
        related_revox_id=data["id"],
        summary=f"Recreated as a new assistant, “{snapshot.isolated(assistant.name)}”",
    )
    return assistant, notices


def assistant_import(
    *, user: AbstractBaseUser, config: dict[str, Any], api_key: str = "", source: str = ""
) -> tuple[Assistant, list[str]]:
    """Create a new assistant from an exported configuration (already validated)."""
    params, notices = create_params(config, api_key=api_key)
    summary = f"Imported from {source}" if source else "Imported from a file"
    assistant, _ = _create_and_record(
        user=user, params=params, kind=Change.Kind.IMPORT, summary=summary
    )
    return assistant, notices


# -- export ---------------------------------------------------------------------------------


def export_document(data: dict[str, Any], *, now: datetime | None = None) -> dict[str, Any]:
    """An assistant's configuration as a file: the writable fields, FAQ as question/answer, the
    custom LLM key removed, under a small header saying what it is and where it came from."""
    config = snapshot.writable_fields(data)
    for parent, key in snapshot.SECRET_PATHS:
        if isinstance(config.get(parent), dict):
            config[parent] = {k: v for k, v in config[parent].items() if k != key}
    return {
        "format": EXPORT_FORMAT,
        "exported_at": (now or timezone.now()).isoformat(timespec="seconds"),
        "source": {"assistant_id": data.get("id"), "name": data.get("name")},
        "assistant": config,
    }
