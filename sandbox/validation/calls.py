"""When and where calls go: the retry windows and days, call outcomes (which notifications
and integrations filter on), and transfer destinations."""

from __future__ import annotations

from sandbox.validation.engine import (
    MAX_SAFE_INTEGER,
    Field,
    array,
    boolean,
    number,
    obj,
    one_of,
    string,
)
from sandbox.validation.formats import (
    e164,
    time_of_day,
    timezone,
)

HUMAN_TRANSFER_MODES = ("warm", "cold")
# The SDK's five. The older API also had "requested_callback_new_number" and "do_not_contact";
# Revox no longer accepts them (assistants saved back then may still carry them: see the
# legacy-fields control in sandbox/README.md).
OUTCOMES = ("not_interested", "interested", "completed", "requested_callback_later", "none")
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

CALLING_WINDOW = obj(
    {
        "calling_window_start_time": Field(time_of_day(), required=True),
        "calling_window_end_time": Field(time_of_day(), required=True),
        "retry_delay_seconds": Field(
            number(integer=True, minimum=0, maximum=MAX_SAFE_INTEGER), required=True
        ),
    }
)

CALL_RETRY_CONFIG = obj(
    {
        "calling_windows": Field(array(CALLING_WINDOW), required=True),
        "max_retry_attempts": Field(
            number(integer=True, exclusive_minimum=0, maximum=MAX_SAFE_INTEGER), required=True
        ),
        "allowed_days": Field(array(one_of(DAYS)), required=True),
        "call_twice_in_a_row": Field(boolean(), required=True),
        "timezone": Field(timezone(), nullable=True),
    }
)

TRANSFER_DESTINATION = obj(
    {
        "label": Field(string(non_blank=True), required=True),
        "phone_number": Field(e164(), required=True),
    }
)
