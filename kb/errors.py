"""One error hierarchy for kb.

The library raises these; only the command line turns them into one clear line and a
non-zero exit status. Every message names the bad input and, where there is one, the fix.
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
    "ConfigError",
    "ModelError",
    "ExportError",
    "EvalError",
]


class KBError(Exception):
    """Base class of every error kb raises on purpose."""


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


class ConfigError(KBError):
    """A setting (flag or environment variable) is invalid."""


class ModelError(KBError):
    """The spaCy model cannot be loaded."""


class ExportError(KBError):
    """An export cannot be written."""


class EvalError(KBError):
    """Evaluation data cannot be read."""
