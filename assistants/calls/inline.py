"""The one hook into the editors: "Try these changes" calls with the saved assistant as Revox
holds it, with one field group's form applied, so a change can be heard before anyone saves it.
The saved assistant itself is never changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistants import snapshot
from assistants.editors.group import Group


@dataclass(frozen=True)
class InlineConfiguration:
    group: str
    configuration: dict[str, Any]  # the whole assistant, as a call's inline `assistant`
    before: dict[str, Any]  # the group's saved values (secrets masked)
    after: dict[str, Any]  # the group's values tried (secrets masked)


def inline_configuration(
    *, group: Group, form: Any, saved: dict[str, Any]
) -> InlineConfiguration | None:
    """The saved assistant with the group's form applied, or None when the form changes
    nothing (the call then uses the saved assistant by its id). `form` must be valid: its own
    validation runs first, as for a save."""
    patch = group.patch(form, saved)
    changed = {key: value for key, value in patch.items() if saved.get(key) != value}
    if not changed:
        return None
    configuration = {**saved, **changed}
    return InlineConfiguration(
        group=group.slug,
        configuration=configuration,
        before=snapshot.mask_secrets(group.values(saved)),
        after=snapshot.mask_secrets(group.values(configuration)),
    )
