"""`{% test_call_panel assistant %}` on the overview, `{% test_call_panel assistant group %}`
on an editor: the test call form, for Editors and Admins only (nothing for Viewers)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string

from assistants.calls.forms import TestCallForm, prompt_variables
from assistants.calls.present import call_view
from assistants.calls.selectors import last_number, recent_test_calls
from assistants.team.roles import can_edit

register = template.Library()


@register.simple_tag(takes_context=True)
def test_call_panel(context: template.Context, assistant: Any, group: Any = None) -> str:
    request = context.get("request")
    if request is None or not can_edit(request.user):
        return ""
    data = assistant if isinstance(assistant, dict) else assistant.data
    form = TestCallForm.fresh(
        variables=prompt_variables(data), number=last_number(user=request.user)
    )
    if group is not None:
        form.attach_to("group-form")
    # On the overview, the last few test calls, to find one again after leaving its page.
    recent = [] if group is not None else [
        {"call": test_call, "status": call_view(test_call.call)["status_label"]}
        for test_call in recent_test_calls(revox_id=data["id"], limit=3)
    ]  # fmt: skip
    return render_to_string(
        "calls/new.html#panel",
        {
            "recent": recent,
            "revox_id": data["id"],
            "assistant_name": data.get("name") or data["id"],
            "form": form,
            "group": group,
            "problems": [],
            "standalone": False,
            "limit": settings.TEST_CALLS_PER_HOUR,
        },
        request=request,
    )
