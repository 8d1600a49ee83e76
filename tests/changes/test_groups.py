"""Each field group as a change set, beside the language model's (test_change_sets.py): the
"new change set" page's own form for the group, the preview from the local copy, the apply
read back from Revox, and the rollback putting each assistant back as it was. Only the fields
the set touches are sent; the group's other fields stay each assistant's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from assistants.cache.services import assistants_sync
from assistants.changes.models import ChangeSet, ChangeSetItem
from assistants.editors.groups.sounds.form import OFFICE_SOUND
from tests.changes.conftest import apply, items_by_name, roll_back, say_change

pytestmark = pytest.mark.django_db

KATIE = "6513270e-269e-4d37-b2a7-4de452e6b438"
MARCUS = "9531985d-5d9d-49f8-9818-e811892f902b"
SOPHIE = "6b0d549b-6f03-475a-9600-a35a099950d8"
PLAN = {
    "calling_windows": [
        {"calling_window_start_time": "09:00", "calling_window_end_time": "12:00",
         "retry_delay_seconds": 7200},
    ],
    "max_retry_attempts": 4,
    "allowed_days": ["monday", "wednesday", "friday"],
    "call_twice_in_a_row": False,
    "timezone": "Europe/Paris",
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    """Two assistants (the page's form opens on Alpha's values), what is typed in the form,
    the fields ticked, what both hold afterwards, and the fields each keeps as its own."""

    group: str
    alpha: dict[str, Any]
    bravo: dict[str, Any]
    typed: dict[str, Any]
    after: dict[str, Any]
    touch: list[str] = field(default_factory=list)
    own: tuple[str, ...] = ()


CASES = {
    "general: the voicemail message, names and first sentences stay": Case(
        group="general",
        alpha={"first_sentence": "Hello from Alpha.", "voicemail_message": "Alpha here."},
        bravo={"first_sentence": "Bravo speaking.", "voicemail_message": None},
        typed={"voicemail_message": "Sorry we missed you: we will call back."},
        touch=["voicemail_message"],
        after={"voicemail_message": "Sorry we missed you: we will call back."},
        own=("name", "first_sentence"),
    ),
    "sounds: office background and a thinking sound, volumes stay": Case(
        group="sounds",
        alpha={"background_sound": None, "thinking_sound": None},
        bravo={
            "background_sound": None,
            "thinking_sound": "keyboard-typing.ogg",
            "thinking_sound_volume": 0.8,
        },
        typed={"background_on": "on", "thinking_sound": "city-ambience.ogg"},
        touch=["background_sound", "thinking_sound"],
        after={"background_sound": OFFICE_SOUND, "thinking_sound": "city-ambience.ogg"},
        own=("thinking_sound_volume",),
    ),
    "voice: another catalogue voice for both": Case(
        group="voice",
        alpha={"voice": {"id": KATIE, "provider": "cartesia"}},
        bravo={"voice": {"id": MARCUS, "provider": "cartesia"}},
        typed={"voice": f"cartesia:{SOPHIE}"},
        after={"voice": {"id": SOPHIE, "provider": "cartesia"}},
    ),
    "retry: Alpha's calling plan with 2 attempts, for both": Case(
        group="retry",
        alpha={"call_retry_config": PLAN},
        bravo={"call_retry_config": {**PLAN, "allowed_days": ["saturday"], "timezone": None}},
        typed={"max_retry_attempts": "2"},
        after={"call_retry_config": {**PLAN, "max_retry_attempts": 2}},
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_group_as_a_change_set(editor_client, revox, case):
    made = {
        "Alpha": revox.create(name="Alpha", **case.alpha),
        "Bravo": revox.create(name="Bravo", **case.bravo),
    }
    assistants_sync()
    held_before = {name: revox.get(a["id"]) for name, a in made.items()}
    revox.clear_requests()

    change_set = say_change(
        editor_client, [a["id"] for a in made.values()], case.group, touch=case.touch,
        **case.typed,
    )  # fmt: skip
    touched = list(case.after)
    assert change_set.touched == touched
    items = items_by_name(change_set)
    for name, item in items.items():
        assert item.preview == ChangeSetItem.Preview.CHANGE, (name, item.reasons)
        assert item.before == {k: held_before[name].get(k) for k in touched}
        assert item.after == case.after
    assert revox.requests() == []  # the preview reads the local copy only
    page = editor_client.get(f"/changes/{change_set.pk}/").content.decode()
    assert "Apply to 2 assistants" in page

    apply(editor_client, change_set)
    assert change_set.status == ChangeSet.Status.APPLIED
    for name, created in made.items():
        held = revox.get(created["id"])
        assert {k: held.get(k) for k in touched} == case.after, name
        for key in case.own:
            assert held.get(key) == held_before[name].get(key), (name, key)
    assert [sorted(p["body_keys"]) for p in revox.requests("PATCH")] == [sorted(touched)] * 2
    assert set(change_set.items.values_list("outcome", flat=True)) == {"changed"}

    roll_back(editor_client, change_set)
    assert change_set.status == ChangeSet.Status.ROLLED_BACK
    for name, created in made.items():
        held = revox.get(created["id"])
        assert {k: held.get(k) for k in touched} == {k: held_before[name].get(k) for k in touched}
    assert set(change_set.items.values_list("rollback", flat=True)) == {"restored"}
