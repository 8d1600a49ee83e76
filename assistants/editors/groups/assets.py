"""The groups' own scripts and stylesheets, served from their folders as static files.

`groups/<package>/script.js` is the static file `editors/<package>/script.js` (and style.css
likewise). Only scripts and stylesheets: the folders' Python and templates are never served.
Listed in STATICFILES_FINDERS, so `collectstatic` gathers them too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import FileSystemFinder
from django.core.files.storage import FileSystemStorage

GROUPS_DIR = Path(__file__).resolve().parent
PREFIX = "editors"
SUFFIXES = (".js", ".css")


class GroupAssetFinder(FileSystemFinder):
    def __init__(self, app_names: Any = None, *args: Any, **kwargs: Any) -> None:
        # Not FileSystemFinder's own set-up: that reads STATICFILES_DIRS.
        self.locations = [(PREFIX, str(GROUPS_DIR))]
        storage = FileSystemStorage(location=GROUPS_DIR)
        storage.prefix = PREFIX
        self.storages = {str(GROUPS_DIR): storage}

    def check(self, **kwargs: Any) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if not path.endswith(SUFFIXES):
            return [] if find_all else None
        return super().find(path, find_all=find_all, **kwargs)

    def list(self, ignore_patterns: Any) -> Any:
        for path, storage in super().list(ignore_patterns):
            if path.endswith(SUFFIXES):
                yield path, storage
