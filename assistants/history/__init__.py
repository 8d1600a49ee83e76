"""The history: who changed what and when, readable diffs, restore, export and import.

`record.py` writes entries (every dashboard change, and changes found made outside it),
`diff.py` and `text.py` turn two versions into readable differences, `selectors.py` reads the
feeds, `services.py` restores, recreates, exports and imports (through the editors' group save,
so the conflict check holds), `forms.py`, `views.py`, `urls.py` and templates/history/ are the
pages. The entries themselves are the assistants app's Change model.

May import: the models, snapshot, the editors' registry and descriptions (and, for restore and
import, their forms and group save), the cache, the Revox client, the team's roles. Never the
FAQ review.
"""

# Its floor (assistants/__init__.py): it imports only the floors below, the editors included; never the FAQ review (same floor).
LAYER = 6
