"""The team: adding people (with a link to set their password), changing their role,
deactivating them, and signing in.

`roles.py` names the roles (Viewer, Editor, Admin) and holds the checks every other part's views
use; `services.py` holds the rules (the team always keeps an active Admin; nobody deactivates
their own account); `forms.py`, `views.py`, `urls.py` and templates/team/ are the pages. The
groups behind the roles were created by the assistants app's migration 0002, which stays where
it ran.

May import: Django only. Nothing about assistants or Revox; every other part may import
`roles.py`.
"""

# Its floor (assistants/__init__.py): it imports only nothing of the app.
LAYER = 0
