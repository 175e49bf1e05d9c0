"""One error hierarchy for kb.

The library raises these; only the command line turns them into one clear line and a
non-zero exit status. Every message names the bad input and, where there is one, the fix.

Exit statuses of every ``kb`` command (one convention, documented in the README):

- 0: done, nothing skipped;
- 1: done, but some input was skipped (each skipped file or line is reported by name);
- 2: nothing done: a bad command line, setting, input or name (``exit_code`` of
  :class:`KBError` and most subclasses);
- 3: nothing done: the database cannot be opened, read or written (:class:`StoreError`).
"""

from __future__ import annotations

__all__ = [
    "KBError",
    "InputError",
    "EmptyInputError",
    "BinaryInputError",
    "EncodingError",
    "FormatError",
    "DateError",
    "StoreError",
    "DatabaseError",
    "NotFoundError",
    "ConfigError",
    "ModelError",
    "ExportError",
    "EvalError",
]


class KBError(Exception):
    """Base class of every error kb raises on purpose."""

    #: The command line's exit status for this kind of error.
    exit_code = 2


class InputError(KBError):
    """An input file or value cannot be used."""


class EmptyInputError(InputError):
    """An input file holds no text."""


class BinaryInputError(InputError):
    """An input file is binary, not text."""


class EncodingError(InputError):
    """An input file is not text in the expected encoding."""


class FormatError(InputError):
    """An input file is text but not of the form its reader expects."""


class DateError(InputError):
    """A date given by the user cannot be understood."""


class StoreError(KBError):
    """The database cannot be opened, read or written."""

    exit_code = 3


class DatabaseError(StoreError):
    """The database itself failed (connection, permissions, disk, schema), as opposed to
    one article that could not be stored: a run stops rather than fail every article."""


class NotFoundError(KBError):
    """A name (an actor, a record) given by the user matches nothing stored."""


class ConfigError(KBError):
    """A setting (flag or environment variable) is invalid."""


class ModelError(KBError):
    """The spaCy model cannot be loaded."""


class ExportError(KBError):
    """An export cannot be written."""


class EvalError(KBError):
    """Evaluation data cannot be read."""
