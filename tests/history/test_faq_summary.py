"""An FAQ change summed up in people's words, not counts ("Questions 6 → 7")."""

from __future__ import annotations

from assistants.history_entries import external_changes, faq_change_summary


def item(question, answer="", pending=False, source="human"):
    return {"question": question, "answer": answer, "needs_human_answer": pending,
            "source": source}  # fmt: skip


HOURS = item("Hours?", "9 to 5.")


def test_it_names_each_kind_of_change():
    before = [HOURS, item("Parking?", "Behind."), item("Kids?", "From 3.", True, "ai"),
              item("Lift?", "", True, "ai"), item("Spam?", "", True, "ai")]  # fmt: skip
    after = [item("Hours?", "8 to 6."), item("Parking?", "Behind."), item("Kids?", "From 3."),
             item("Lift?", "Yes."), item("Wi-Fi?", "Yes.")]  # fmt: skip

    assert faq_change_summary(before, after) == (
        "1 question added, 1 answer approved, 1 question answered, 1 answer edited, "
        "1 question deleted"
    )


def test_counts_are_plural_and_a_draft_kept_waiting_is_no_change():
    before = [HOURS, item("Kids?", "From 3.", True, "ai"), item("Lift?", "Maybe.", True, "ai")]
    after = [HOURS, item("Kids?", "From 3.", True, "ai"), item("Lift?", "Maybe.", True, "ai"),
             item("A?", "a"), item("B?", "b")]  # fmt: skip

    assert faq_change_summary(before, after) == "2 questions added"


def test_a_new_order_alone_says_so():
    other = item("Parking?", "Behind.")
    assert faq_change_summary([HOURS, other], [other, HOURS]) == "Questions reordered"


def test_a_change_found_in_revox_says_it_in_words_too():
    (change,) = external_changes(
        {"id": "a", "faq_items": [HOURS, item("Lift?", "", True, "ai")]},
        {"id": "a", "faq_items": [HOURS, item("Lift?", "Yes, by the stairs.")]},
    )
    assert change.summary == "FAQ changed in Revox: 1 question answered"
