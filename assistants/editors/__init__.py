"""The editors: one per field group of an assistant (general, voice, calling hours, FAQ, ...).

`groups.py` is the registry (slug, title, the API fields a group owns, its form), `forms/` holds
one module per group, `views.py` the one generic view that serves them all, `services.py` the
group save (fresh read, conflict check, one PATCH of the group's own fields), `describe.py` each
group in plain words (the overview's cards too) with `plans.py` for calling plans and `words.py`
for the small helpers, `timeparse.py` the times of day people type, `previews.py` the voice
editor's "Listen".

May import: the models, snapshot, the Revox client, the cache, the assistants' own services and
selectors, history's record of changes, the team's roles. Never the FAQ review or the history
pages.
"""
