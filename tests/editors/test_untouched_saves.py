"""Every field group: opening its editor and saving it without a change sends nothing to Revox
and writes no history, for each demo assistant and for a bare one (name and prompt only)."""

from __future__ import annotations

import pytest

from assistants.editors.groups import GROUPS
from tests.editors.group_support import GroupEditing

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", list(GROUPS))
def test_an_untouched_save_sends_nothing_for_every_demo_assistant(synced, editor_client, slug):
    tried = GroupEditing(editor_client, synced, slug).assert_untouched_saves_send_nothing()
    assert len(tried) >= 10  # the whole demo, not one assistant


@pytest.mark.parametrize("slug", list(GROUPS))
def test_an_untouched_save_sends_nothing_for_a_bare_assistant(cached, revox, editor_client, slug):
    cached()
    GroupEditing(editor_client, revox, slug).assert_untouched_saves_send_nothing()
