"""Change sets: one field group's change applied to many assistants at once.

`models.py` keeps a set (who, when, the group, the change as the group's form submitted it, the
selection) and one item per assistant (its touched fields before and after, its outcome);
`services.py` previews a set from the local copy, applies it (each assistant through the
editors' own group save: fresh read, conflict check against what the preview showed, only the
group's keys) and rolls it back; `views.py` the pages (/changes/).

May import anything below it: the editors' groups and save, history's diff, the selectors.
"""

# Its floor (assistants/__init__.py): above the editors and history, whose save and diff it uses.
LAYER = 7
