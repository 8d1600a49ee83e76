"""What a field group is to the rest of the app: one object per group, the same interface for all.

The generic editor view, the overview, history, restore and import use only this; so can a
change set (one group's change applied to many assistants: `form_for`, `bound_form`,
`is_valid`, `patch`, `values` for the diff, `sendable` to roll it back, as a restore does) and
a test call (`applied`: the saved assistant with the form's group applied, as an inline
configuration). Each group's folder (`groups/<slug>/__init__.py`) makes its `GROUP`; a group
with something of its own overrides a hook below (FAQ merges with upstream, retry draws a week)
or its form says so (a form whose `preview_requested` is true asks to see or hear something
before saving, as voice's "Listen" and transfer's "Convert to a destination" do).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.contrib.staticfiles import finders
from django.http import QueryDict

from assistants import snapshot
from assistants.editors.forms.base import GroupForm
from assistants.editors.listen import preview_fetch
from assistants.editors.words import Rows
from assistants.fields import GROUP_FIELDS, GroupFields

# Fields Revox may answer null for and takes no null back for in an update (the official SDK's
# AssistantUpdateParams), with what says "not set" instead. (The calling plan's null is Revox's
# defaults: the retry group says that itself.)
NULL_SENT_AS: dict[str, Any] = {
    "first_sentence": "",
    "end_of_call_sentence": "",
    "webhook_url": "",
    "structured_output_config": [],
}


class Group:
    """One field group's editor. `slug`, `title`, `icon`, `blurb`, `fields` come from the field
    registry (assistants/fields.py); the rest from the group's folder."""

    def __init__(
        self,
        slug: str,
        *,
        form_class: type[GroupForm],
        describe: Callable[..., Rows],
        package: str,
        live: str = "",
    ) -> None:
        registered: GroupFields = GROUP_FIELDS[slug]
        self.slug = slug
        self.title = registered.title
        self.icon = registered.icon
        self.blurb = registered.blurb
        self.fields = registered.fields
        self.form_class = form_class
        self._describe = describe
        self.package = package  # the folder's name: groups/<package>/
        # Templates and static files of the folder (see groups/assets.py).
        self.template = f"{package}/fields.html"
        # The partial of `template` answering the form as it is typed: out-of-band pieces of
        # the page (the calling plan's week, the variables a template uses…), or "" for none.
        self._live = live

    def __repr__(self) -> str:
        return f"<Group {self.slug}>"

    # -- reading an assistant ------------------------------------------------------------------

    def values(self, data: dict[str, Any]) -> dict[str, Any]:
        """This group's fields as Revox holds them (absent ones as None)."""
        return {name: data.get(name) for name in self.fields}

    def fingerprint(self, data: dict[str, Any]) -> str:
        """What the form carries of the group as loaded (the save's conflict check)."""
        return snapshot.group_fingerprint(self.values(data))

    def describe(self, data: dict[str, Any], *, voice_name: str = "") -> Rows:
        """The group in plain words: (label, value) rows, as the overview's card shows them.
        `voice_name`: the name of the assistant's voice, when known (only voice uses it)."""
        return self._describe(data, voice_name=voice_name)

    # -- the form ------------------------------------------------------------------------------

    def form_for(self, data: dict[str, Any]) -> GroupForm:
        """An unbound form showing the assistant's group as it is, with its fingerprint."""
        initial = self.form_class.initial_from(data)
        initial["fingerprint"] = self.fingerprint(data)
        return self.form_class(initial=initial, assistant=data)

    def bound_form(
        self, post: QueryDict | dict[str, Any], *, assistant: dict[str, Any]
    ) -> GroupForm:
        """The form as submitted, against `assistant` (its context: what Revox holds)."""
        return self.form_class(post, assistant=assistant)

    def patch(self, form: GroupForm, current: dict[str, Any]) -> dict[str, Any]:
        """The PATCH body a valid form makes against `current`: this group's fields only."""
        return form.to_patch(current)

    def applied(self, form: GroupForm, current: dict[str, Any]) -> dict[str, Any]:
        """`current` with the valid form's group applied: the assistant as it would be saved."""
        return {**current, **self.patch(form, current)}

    def sendable(self, name: str, value: Any) -> Any:
        """A value this group's field `name` held, as Revox takes it back in an update: what a
        restore from history or a change set's roll-back sends to put it back. Revox answers
        null for a text or a list never set, but the official SDK's update takes no null there
        (end_of_call_sentence, first_sentence, webhook_url are plain strings, the extracted
        data a list): "" and [] say "not set" instead (NULL_SENT_AS), as the editors send."""
        if value is None and name in NULL_SENT_AS:
            return copy.deepcopy(NULL_SENT_AS[name])
        return value

    # -- hooks with defaults -------------------------------------------------------------------

    def merge(self, form: GroupForm) -> Callable[[dict, dict], dict] | None:
        """How a save folds in what changed upstream since the form was opened, or None: a
        conflict is shown instead (the default)."""
        return None

    def wants_preview(self, form: GroupForm) -> bool:
        """The submit asked to hear or see something first ("Listen", "Convert"), not to save."""
        return form.preview_requested

    def preview(self, form: GroupForm) -> None:
        """Fetch the voice `wants_preview` asked for, on the form; nothing is saved. (A group
        whose form shows the preview itself overrides this with nothing to do.)"""
        preview_fetch(form)

    @property
    def live_preview(self) -> str:
        """The template (a partial of `template`) that answers the form as it is typed, with
        the pieces of the page that follow it (swapped out of band); "" for none."""
        return f"{self.template}#{self._live}" if self._live else ""

    def card(self, data: dict[str, Any], *, voice_name: str = "") -> dict[str, Any]:
        """The overview's card: the rows, plus a template of the group's own under them."""
        return {"group": self, "rows": self.describe(data, voice_name=voice_name)}

    @property
    def save_label(self) -> str:
        """The save button: "Save general", "Save voice"."""
        return f"Save {self.title.lower()}"

    # -- assets --------------------------------------------------------------------------------

    @cached_property
    def script(self) -> str | None:
        """The folder's script, as a static path, if it has one."""
        return self._asset("script.js")

    @cached_property
    def stylesheet(self) -> str | None:
        return self._asset("style.css")

    def _asset(self, name: str) -> str | None:
        path = f"editors/{self.package}/{name}"
        return path if finders.find(path) else None
