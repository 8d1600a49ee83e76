"""Test calls: "call my phone with this assistant", live, and what the call did.

`models.py` keeps each test call (who, when, the number, the configuration it ran with, the
one-time token of the form that placed it, the last state Revox told); `phones.py` reads and
masks numbers; `inline.py` is the one hook into the editors (a group's unsaved changes applied
to the saved assistant); `services.py` places, follows and cancels calls; `selectors.py` reads
them; `present.py` turns a call's JSON into what the page shows; `forms.py`, `views.py`,
`urls.py`, templates/calls/ and the `test_call_panel` tag are the pages.

May import: the assistants' models, snapshot and services (the fresh read), the editors'
groups, the history's diff and entries, the Revox client, the team's roles. Never another
part's views.
"""

# Its floor (assistants/__init__.py): above the history it reads diffs from.
LAYER = 7
