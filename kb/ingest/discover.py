"""Expand the PATH arguments of `kb ingest` (files, folders, globs) into files.

A folder that cannot be listed, or a named path that cannot be looked at, is not
silently passed over: it comes back as a :class:`~kb.ingest.readers.ReadFailure`
naming it, so the run reports it and exits 1.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import InputError
from kb.ingest.readers import ReadFailure, is_article_file

__all__ = ["Found", "expand_paths"]

#: Files inside a folder that describe the folder rather than hold an article.
_NOT_ARTICLES = {"README", "CHANGELOG", "LICENSE", "LICENCE", "NOTES", "INDEX"}


@dataclass
class Found:
    """The files to read, in order, and the paths that could not be looked at."""

    files: list[Path] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)


def expand_paths(args: list[str]) -> Found:
    """Files named, files under folders (recursively, known suffixes), glob matches.

    Hidden files and folders, and README/CHANGELOG/LICENSE files, are skipped inside
    folders; an explicitly named file is always read whatever its suffix. A path that
    matches nothing raises InputError; one that cannot be looked at (permissions) is a
    failure in :attr:`Found.failures`.
    """
    found = Found()
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            found.files.append(p)

    def fail(where: str | Path, exc: OSError, what: str) -> None:
        found.failures.append(ReadFailure(str(where), f"cannot {what} ({exc.strerror or exc})"))

    for arg in args:
        path = Path(arg)
        try:
            is_dir, exists = path.is_dir(), path.exists()
        except OSError as exc:
            fail(path, exc, "read this path")
            continue
        if is_dir:
            def unlisted(exc: OSError, top: Path = path) -> None:
                fail(exc.filename or top, exc, "read folder")

            for child in _walk(path, unlisted):
                add(child)
        elif exists:
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


def _walk(folder: Path, on_error: object) -> list[Path]:
    """Article files under ``folder`` in name order; ``on_error(OSError)`` is called for
    each folder that cannot be listed."""
    files: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=on_error):  # type: ignore[arg-type]
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        base = Path(root)
        for name in names:
            child = base / name
            if name.startswith(".") or child.stem.upper() in _NOT_ARTICLES:
                continue
            if is_article_file(child):
                files.append(child)
    return sorted(files)
