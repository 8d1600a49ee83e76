"""Issue 19.4: a multi-step assistant's steps (`prompt_flow`) on its overview, in their order,
read-only, and the reading of odd flows."""

from __future__ import annotations

import pytest

from assistants.models import Assistant
from assistants.snapshot import prompt_flow_steps

FLOW = "Lakeside Physio – Intake flow"


def node(node_id, title, body="", x=0, y=0):
    return {"id": node_id, "type": "promptBlock", "position": {"x": x, "y": y},
            "data": {"title": title, "body": body}}  # fmt: skip


def edge(source, target):
    return {"id": f"{source}-{target}", "source": source, "target": target}


def titles(flow) -> list[str]:
    return [step["title"] for step in prompt_flow_steps({"prompt_flow": flow})]


def test_steps_follow_the_edges_not_the_order_they_are_stored_in():
    flow = {"nodes": [node("c", "Booking", x=0), node("a", "Welcome", x=500), node("b", "Triage", x=900)],
            "edges": [edge("b", "c"), edge("a", "b")]}  # fmt: skip
    assert titles(flow) == ["Welcome", "Triage", "Booking"]


def test_a_branch_says_where_it_leads_and_its_steps_come_left_to_right():
    flow = {"nodes": [node("w", "Welcome"), node("n", "New patient", x=300, y=100),
                      node("e", "Existing patient", x=300, y=-100)],
            "edges": [edge("w", "n"), edge("w", "e")]}  # fmt: skip
    steps = prompt_flow_steps({"prompt_flow": flow})
    assert [s["title"] for s in steps] == ["Welcome", "Existing patient", "New patient"]
    assert steps[0]["next"] == ["Existing patient", "New patient"]


def test_odd_flows_are_read_without_failing():
    assert prompt_flow_steps({}) == [] and prompt_flow_steps({"prompt_flow": None}) == []
    assert prompt_flow_steps({"prompt_flow": {"nodes": "x", "edges": 3}}) == []
    cycle = {"nodes": [node("a", "A"), node("b", "B", x=1), "junk", {"id": "c"}],
             "edges": [edge("a", "b"), edge("b", "a"), edge("a", "nowhere"), None]}  # fmt: skip
    assert titles(cycle) == ["Step 3", "A", "B"]  # every block once; an untitled one named


@pytest.mark.django_db
def test_the_overview_shows_the_flow_read_only(synced, viewer_client):
    flow = Assistant.objects.get(name=FLOW)
    page = viewer_client.get(f"/assistants/{flow.revox_id}/").content.decode()
    section = page[
        page.index('id="prompt-flow"') : page.index("</section>", page.index('id="prompt-flow"'))
    ]
    positions = [section.index(f"</span> {t}</h3>") for t in ("Welcome", "Triage", "Booking")]
    assert positions == sorted(positions)
    assert "Greet and ask whether the call is about a new problem." in section
    assert "Revox's own flow editor edits these steps" in section
    assert "<form" not in section and "<textarea" not in section and "<input" not in section


@pytest.mark.django_db
def test_a_standalone_assistant_has_no_flow_section(synced, viewer_client):
    other = Assistant.objects.exclude(name=FLOW).first()
    assert (
        'id="prompt-flow"'
        not in viewer_client.get(f"/assistants/{other.revox_id}/").content.decode()
    )
