"""Calls: test calls ("call my phone with this assistant", live, and what the call did), and the
local call record with its pages and outcomes per change.

Test calls: `models.py` keeps each test call (who, when, the number, the configuration it ran
with, the one-time token of the form that placed it, the last state Revox told); numbers are
read and masked by `assistants/phones.py` (shared with the editors); `inline.py` is the one hook into the editors (a group's unsaved changes
applied to the saved assistant); `services.py` places, follows and cancels calls; `selectors.py`
reads them; `present.py` turns a call's JSON into what the page shows; `forms.py`, `views.py`,
`urls.py`, templates/calls/ and the `test_call_panel` tag are the pages.

The call record: `models.Call` (the columns lists, filters and sums need, and the JSON) and
`models.CallConfiguration` (each configuration calls ran with, once); `record.py` reads a call
into columns; `refresh.py` fills the record from POST /call/search (`calls_follow` follows the
cache's refresh, registered from apps.py; `sync_assistants` too); `outcomes.py` groups calls by version and
compares them; `chart.py` draws the chart. /calls/, /assistants/<id>/calls/ and
/assistants/<id>/outcomes/ read only the record.

May import: the assistants' models, snapshot and services (the fresh read), the cache's
selectors, the editors' groups, the history's diff and entries, the Revox client,
the team's roles. Never another part's views. (The cache runs `calls_follow` after each refresh through
the hook apps.py registers it in: the cache imports nothing of this part.)
"""

# Its floor (assistants/__init__.py): above the history it reads diffs from.
LAYER = 7
