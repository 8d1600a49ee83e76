"""Revox Admin's app: the assistants, and the parts around them.

Each part says on which floor it sits, and tests/test_layers.py holds every import to that
(and to no import cycle): a package in its own `__init__.py` (`LAYER`: cache/, editors/,
faq_review/, history/, revox/, team/), the modules at this level below. What is listed nowhere
(views, urls, middleware, the template tags, the commands, the migrations) is the top floor and
may import any part. From the bottom up: revox/, team/, the models, fields.py, snapshot.py,
dates.py and phones.py import nothing of the app; faq.py on those; history_entries.py on faq.py; then cache/;
then the assistants' own selectors and services; then editors/; then history/ and faq_review/;
then calls/.
"""

# The floors, from the bottom: a module imports only its own part and parts on lower floors.
# Each package says its own (`LAYER` in its __init__.py: revox/ and team/ 0, cache/ 3, editors/
# 5, history/ and faq_review/ 6, calls/ 7; jobs/ 4, changes/ 7); the modules at this level are
# listed here.
LAYERS = {
    "assistants.models": 0,
    "assistants.fields": 0,
    "assistants.snapshot": 0,
    "assistants.dates": 0,
    "assistants.phones": 0,
    "assistants.redirects": 0,
    "assistants.faq": 1,
    "assistants.history_entries": 2,
    "assistants.list_rows": 1,
    "assistants.selectors": 4,
    "assistants.services": 4,
    "assistants.forms": 6,
}
