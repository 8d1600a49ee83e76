"""The editors: one per field group of an assistant (general, voice, calling hours, FAQ, ...).

`groups/<group>/` is one folder per group: its form, its description, its template, its script
and stylesheet (groups/__init__.py says more; the registry of groups and fields is
assistants/fields.py). `group.py` is what every group offers the rest of the app (read an
assistant, build a form and its PATCH, describe, and hooks: merge, preview, card).
`views.py` is the one generic view that serves them all (and the live preview of a form as it
is typed), `services.py` the group save (fresh read, conflict check, one PATCH of the group's own
fields), `forms/` what group forms share (`base.py`, `common.py`, `schema.py` for schema rows),
`words.py` the small plain-words helpers.

May import: the models, snapshot, the field registry, the FAQ rules, the Revox client, the cache,
the assistants' own services and selectors, history's entries, the team's roles. Never the FAQ
review or the history pages.
"""

# Its floor (assistants/__init__.py): it imports only the floors below: the cache, the assistants' own selectors and services, the FAQ rules, history_entries, the team's roles….
LAYER = 5
