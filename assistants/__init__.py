"""Revox Admin's app: the assistants, and the parts around them.

Each part says what of the app it may import, and tests/test_layers.py holds it to that (and
to no import cycle): a package in its own `__init__.py` (`MAY_IMPORT`: cache/, editors/,
faq_review/, history/, revox/, team/), the modules at this level below. What is listed nowhere
(views, urls, middleware, the template tags, the commands, the migrations) is the top floor and
may import any part. From the bottom up: revox/, team/, the models, fields.py, snapshot.py and
dates.py import nothing of the app; faq.py and history_entries.py sit on those; then cache/;
then the assistants' own selectors and services; then editors/; then history/ and faq_review/.
"""

MAY_IMPORT = {
    "assistants.models": (),
    "assistants.fields": (),
    "assistants.snapshot": (),
    "assistants.dates": (),
    "assistants.faq": ("assistants.snapshot",),
    "assistants.history_entries": ("assistants.models", "assistants.snapshot", "assistants.fields"),
    "assistants.list_rows": ("assistants.models", "assistants.snapshot"),
    "assistants.selectors": ("assistants.models", "assistants.snapshot", "assistants.cache"),
    "assistants.services": (
        "assistants.models",
        "assistants.snapshot",
        "assistants.history_entries",
        "assistants.revox",
        "assistants.cache",
    ),
    "assistants.forms": ("assistants.models", "assistants.editors"),
}
