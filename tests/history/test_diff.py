"""The diff module: pure functions, so plain inputs and outputs."""

from __future__ import annotations

from assistants import snapshot
from assistants.history.diff import SECRET_CHANGED, SECRET_SET, diff_fields, display
from assistants.history.text import MAX_LINES, diff_text
from assistants.history_entries import external_changes


def by_label(diffs):
    return {d.label: d for d in diffs}


def test_it_reports_fields_added_removed_and_changed():
    diffs = by_label(diff_fields(
        {"name": "Desk", "webhook_url": "https://a.example", "sms_enabled": True},
        {"name": "Front desk", "sms_enabled": True, "voicemail_message": "Call back"},
    ))  # fmt: skip
    assert set(diffs) == {"Name", "Webhook URL", "Voicemail message"}
    assert (diffs["Name"].status, diffs["Name"].before, diffs["Name"].after) == (
        "changed",
        "Desk",
        "Front desk",
    )
    assert diffs["Webhook URL"].status == "removed"
    assert (
        diffs["Voicemail message"].status == "added"
        and diffs["Voicemail message"].after == "Call back"
    )


def test_unchanged_values_give_no_diff():
    same = {
        "voice": {"id": "v1", "provider": "cartesia"},
        "faq_items": [{"question": "Q", "answer": "A"}],
    }
    assert diff_fields(same, dict(same)) == []


def test_long_text_is_a_line_diff_with_the_changed_words_marked():
    before = "\n".join(f"Line {n} stays." for n in range(1, 21)) + "\nAlways be polite."
    after = before.replace("Always be polite.", "Always be very polite.") + "\nNever quote prices."
    (diff,) = diff_fields({"prompt": before}, {"prompt": after})
    assert diff.kind == "text"
    ops = [line.op for line in diff.lines]
    # Far-away unchanged lines are folded into one marker; two lines of context stay.
    assert ops == ["skip", "equal", "equal", "removed", "added", "added"]
    assert diff.lines[0].skipped == 18
    removed, added = diff.lines[3], diff.lines[4]
    assert [s.text for s in added.segments if s.changed] == ["very "]
    assert "".join(s.text for s in removed.segments) == "Always be polite."
    assert added.new_number == 21 and diff.lines[5].segments[0].text == "Never quote prices."


def test_short_text_is_a_plain_before_and_after():
    (diff,) = diff_fields({"first_sentence": "Hi"}, {"first_sentence": "Hello"})
    assert (diff.kind, diff.before, diff.after) == ("value", "Hi", "Hello")


def test_faq_items_compare_by_question_ignoring_the_ids_revox_gives():
    before = [
        {"id": "1", "question": "Opening hours?", "answer": "9 to 5", "source": "human"},
        {"id": "2", "question": "Parking?", "answer": "Yes", "source": "human"},
    ]
    after = [
        {"id": "7", "question": "Opening hours?", "answer": "9 to 6", "source": "human"},
        {"id": "8", "question": "Do you take cards?", "answer": "Yes", "source": "human"},
    ]
    (diff,) = diff_fields({"faq_items": before}, {"faq_items": after})
    items = by_label(diff.children)
    assert set(items) == {
        "Question “Opening hours?”",
        "Question “Do you take cards?”",
        "Question “Parking?”",
    }
    changed = items["Question “Opening hours?”"]
    assert changed.status == "changed"
    assert [(c.label, c.before, c.after) for c in changed.children] == [
        ("Answer", "9 to 5", "9 to 6")
    ]
    assert items["Question “Parking?”"].status == "removed"
    assert items["Question “Do you take cards?”"].status == "added"


def test_keyed_lists_notice_a_new_order():
    a = {"question": "A?", "answer": "a"}
    b = {"question": "B?", "answer": "b"}
    (diff,) = diff_fields({"faq_items": [a, b]}, {"faq_items": [b, a]})
    (order,) = diff.children
    assert (order.label, order.before, order.after) == ("Order", "A?, B?", "B?, A?")


def test_calling_windows_compare_by_position_inside_a_nested_object():
    before = {
        "call_retry_config": {
            "max_retry_attempts": 3,
            "allowed_days": ["monday", "tuesday"],
            "calling_windows": [
                {"calling_window_start_time": "09:00", "calling_window_end_time": "12:00"}
            ],
        }
    }
    after = {
        "call_retry_config": {
            "max_retry_attempts": 5,
            "allowed_days": ["monday", "saturday"],
            "calling_windows": [
                {"calling_window_start_time": "09:00", "calling_window_end_time": "13:00"},
                {"calling_window_start_time": "14:00", "calling_window_end_time": "18:00"},
            ],
        }
    }
    (diff,) = diff_fields(before, after)
    assert diff.kind == "object"
    parts = by_label(diff.children)
    assert (parts["Max retry attempts"].before, parts["Max retry attempts"].after) == ("3", "5")
    days = parts["Allowed days"]
    assert [(c.status, c.label) for c in days.children] == [
        ("removed", "tuesday"),
        ("added", "saturday"),
    ]
    windows = by_label(parts["Calling windows"].children)
    assert [(c.label, c.before, c.after) for c in windows["Window 1"].children] == [
        ("End", "12:00", "13:00")
    ]
    assert windows["Window 2"].status == "added"


def test_structured_output_fields_and_tools_compare_by_name():
    field = {"name": "email", "type": "string", "required": True}
    (diff,) = diff_fields(
        {"structured_output_config": [field]},
        {
            "structured_output_config": [
                {**field, "required": False},
                {"name": "budget", "type": "number", "required": False},
            ]
        },
    )
    items = by_label(diff.children)
    assert items["Field “email”"].children[0].label == "Required"
    assert items["Field “budget”"].status == "added"
    tool = {
        "name": "lookup",
        "method": "GET",
        "url": "https://x.example",
        "headers": [{"key": "A", "value": "1"}],
    }
    (diff,) = diff_fields(
        {"custom_tools": [tool]},
        {"custom_tools": [{**tool, "headers": [{"key": "A", "value": "2"}]}]},
    )
    (changed,) = diff.children
    assert changed.label == "Tool “lookup”"
    (headers,) = changed.children
    assert headers.children[0].label == "Header “A”"


def test_transfer_destinations_compare_by_label():
    (diff,) = diff_fields(
        {"transfer_destinations": [{"label": "Sales", "phone_number": "+14155550100"}]},
        {"transfer_destinations": [{"label": "Sales", "phone_number": "+14155550199"}]},
    )
    (item,) = diff.children
    assert item.label == "Destination “Sales”" and item.children[0].after == "+14155550199"


def test_a_secret_is_only_ever_changed_or_unchanged():
    canary = "sk-canary-123456"
    old = snapshot.mask_secrets(
        {"llm_model": {"type": "custom", "api_key": canary, "model_name": "m"}}
    )
    new = snapshot.mask_secrets(
        {"llm_model": {"type": "custom", "api_key": canary + "x", "model_name": "m2"}}
    )
    (diff,) = diff_fields(old, new)
    labels = by_label(diff.children)
    assert labels["API key"].kind == "secret" and labels["API key"].note == SECRET_CHANGED
    rendered = repr(diff_fields(old, new))
    assert canary not in rendered and snapshot.SECRET_MASK_PREFIX not in rendered
    # Unchanged: not mentioned at all.
    (diff,) = diff_fields(old, {"llm_model": {**old["llm_model"], "model_name": "m3"}})
    assert [c.label for c in diff.children] == ["Model name"]


def test_a_secret_inside_a_value_shown_whole_is_hidden():
    shown = display({"type": "custom", "api_key": "sk-canary-9"})
    assert "sk-canary" not in shown and "(hidden)" in shown
    # Switching from a dedicated model to a custom one: the key is "set", never shown.
    (diff,) = diff_fields({"llm_model": {"type": "dedicated-instance", "name": "gpt-4.1"}},
                                  {"llm_model": {"type": "custom", "api_key": "sk-canary-9", "api_url": "https://llm.example"}})  # fmt: skip
    assert "sk-canary" not in repr(diff)
    assert by_label(diff.children)["API key"].note == SECRET_SET


def test_displayed_values_read_plainly():
    assert display(None) == "(not set)"
    assert display(True) == "Yes"
    assert display("") == "(empty)"
    assert display(1.5) == "1.5"


def test_an_outside_change_is_split_by_group():
    previous = {"id": "a1", "name": "Desk", "prompt": "P", "voice": {"id": "v1", "provider": "cartesia"},
                "logo_url": None, "updated_at": "2025-01-01T00:00:00Z"}  # fmt: skip
    current = {**previous, "name": "Desk 2", "voice": {"id": "v2", "provider": "cartesia"},
               "logo_url": "https://logo.example/x.png", "updated_at": "2025-02-01T00:00:00Z"}  # fmt: skip
    changes = {c.group: c for c in external_changes(previous, current)}
    assert set(changes) == {"general", "voice", ""}
    assert changes["voice"].before == {"voice": {"id": "v1", "provider": "cartesia"}}
    assert changes["general"].after["name"] == "Desk 2"
    assert "logo url" in changes[""].summary


def test_only_read_only_fields_moving_is_no_change():
    previous = {"id": "a1", "name": "Desk", "updated_at": "1", "pending_faq_count": 0}
    assert external_changes(previous, {**previous, "updated_at": "2"}) == []


def test_ai_suggestions_read_as_such():
    item = {
        "id": "1",
        "question": "Q?",
        "answer": "A",
        "source": "human",
        "needs_human_answer": False,
    }
    new = {
        "id": "2",
        "question": "Do you deliver?",
        "answer": "",
        "source": "ai",
        "needs_human_answer": True,
    }
    (change,) = external_changes(
        {"id": "a", "faq_items": [item]}, {"id": "a", "faq_items": [item, new]}
    )
    assert change.group == "faq" and change.summary == "1 FAQ question suggested by calls"


def test_very_long_diffs_are_cut_with_a_note():
    lines = diff_text("", "\n".join(str(n) for n in range(1000)))
    assert len(lines) == MAX_LINES + 1 and lines[-1].op == "skip"
