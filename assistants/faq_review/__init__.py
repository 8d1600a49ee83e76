"""The FAQ review: one queue of the answers calls suggested, across every assistant.

`selectors.py` reads the queue from the cache's FAQ index (filters, pages, counts),
`services.py` applies decisions (one fresh read and at most one PATCH per assistant, merge-safe,
in parallel for bulk actions; one person's "skip for now"), `csv_io.py` reads and writes the spreadsheet, `views.py` (the queue, one item, bulk),
`csv_views.py` (export, import) and `forms.py` are the pages; `jobs.py` runs bulk decisions
(and imports) as background jobs on the job runner (assistants/jobs/).
The rules for an assistant's FAQ items themselves are `assistants/faq.py`, shared with the FAQ
editor.

May import: the models, snapshot, faq rules, the Revox client, the cache, the editors (save claim,
form helpers), history's record of changes, the team's roles, the job runner. Never the history pages.
"""

# Its floor (assistants/__init__.py): it imports only the floors below, the editors included; never the history pages (same floor).
LAYER = 6
