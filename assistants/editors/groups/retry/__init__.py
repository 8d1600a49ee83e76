"""Calling hours & retries: when calls may be placed, and how often a number is tried again.

`form.py` is the group's form (the plan: switch, attempts, days, time zone, and the save),
`windows.py` the rows of calling windows (a formset: times, overlaps, one-click merge),
`meaning.py` what a stored plan means (to send it back untouched when nothing that matters
changed), `zones.py` the time-zone list, `timeparse.py` the times of day people type, `plans.py`
a plan in plain words and as a week, `describe.py` the card. `fields.html` is the page (its
`preview` partial, the week and the summary, is asked of the server as the plan is edited),
`_week_grid.html` the week, `script.js` and `style.css`.

Revox holds one `call_retry_config` object, or null for its defaults (10:00–18:00, 2 h apart,
3 attempts, Mon–Fri, the time zone of the callee's number). The form shows a "Custom calling
plan" switch: off means Revox's defaults. On a null config an untouched form sends nothing.

Choices worth knowing:
- Windows are saved in order of start time: they are time ranges, their order means nothing to
  Revox, and a sorted list reads like a day. The rows keep the user's order while they edit, and
  errors Revox returns for "window N" are mapped back to the row that was sent N-th.
- Round trip: when the plan means what Revox holds (times compared in minutes, days as a set,
  delays to the minute shown), the stored object goes back exactly as it was ('6pm' stays '6pm',
  the day order stays, fields a newer API adds inside it stay). A window whose start and end
  did not change keeps its stored spellings; a new or moved window is sent as 'HH:mm'.
- Switching the custom plan off on a stored plan sends Revox's defaults as an explicit object,
  not null: the newest SDK types `call_retry_config` on update as an object, and an object with
  `timezone: null` means exactly the defaults. A stored plan equal to the defaults shows the
  switch off.
- At most 20 attempts: Revox takes any positive number, but a slip of the finger (30 for 3)
  would ring someone thirty times. A larger number already in Revox is kept if left unchanged.
"""

import copy
from typing import Any

from assistants.editors.group import Group
from assistants.editors.groups.retry.describe import describe
from assistants.editors.groups.retry.form import RetryForm
from assistants.editors.groups.retry.plans import REVOX_DEFAULT_PLAN, retry_week


class RetryGroup(Group):
    def sendable(self, name: str, value: Any) -> Any:
        """A null calling plan is Revox's defaults, which an update says as the object (the
        SDK takes no null there), as switching the custom plan off does."""
        if name == "call_retry_config" and value is None:
            return copy.deepcopy(REVOX_DEFAULT_PLAN)
        return super().sendable(name, value)

    def card(self, data: dict[str, Any], *, voice_name: str = "") -> dict[str, Any]:
        return {
            **super().card(data, voice_name=voice_name),
            "template": "retry/_card.html",
            "week": retry_week(data.get("call_retry_config")),
        }


GROUP = RetryGroup("retry", form_class=RetryForm, describe=describe, package="retry", live="live")
