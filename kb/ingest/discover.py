"""Expand the PATH arguments of `kb ingest` (files, folders, globs) into files."""

from __future__ import annotations

import glob
from pathlib import Path

from kb.errors import InputError
from kb.ingest.readers import SUFFIXES

__all__ = ["expand_paths"]

#: Files inside a folder that describe the folder rather than hold an article.
_NOT_ARTICLES = {"README", "CHANGELOG", "LICENSE", "LICENCE", "NOTES", "INDEX"}


def expand_paths(args: list[str]) -> list[Path]:
    """Files named, files under folders (recursively, known suffixes), glob matches.

    Hidden files and folders, and README/CHANGELOG/LICENSE files, are skipped inside
    folders; an explicitly named file is
    always read whatever its suffix. A path that matches nothing raises InputError.
    """
    found: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for arg in args:
        path = Path(arg)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path).parts
                if any(part.startswith(".") for part in rel):
                    continue
                if child.stem.upper() in _NOT_ARTICLES:
                    continue
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    add(child)
        elif path.exists():
            add(path)
        elif glob.has_magic(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                raise InputError(f"{arg}: no file matches this pattern")
            for m in matches:
                if Path(m).is_file():
                    add(Path(m))
        else:
            raise InputError(f"{arg}: no such file or folder")
    return found
