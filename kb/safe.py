"""The safe-output layer: article text is untrusted wherever it is written.

Every writer in kb passes text through one of these before it leaves the program:

- :func:`terminal`: for the terminal. Rich markup is escaped (``[/]`` or ``[link=...]``
  in an article is printed as written, never interpreted) and control characters,
  escape sequences and bidirectional overrides are made visible (``\\x1b`` is printed
  as the four characters ``\\x1b``), so an article cannot clear, recolour or re-order
  the screen. :func:`terminal_text` gives a Rich ``Text`` for table cells.
- :func:`csv_cell`: for CSV. A text cell that a spreadsheet would read as a formula
  (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed
  with an apostrophe, as spreadsheet-injection guidance recommends.
- :func:`xml_text`: for XML, SVG, GraphML and GEXF. Characters that XML 1.0 forbids
  (most control characters, lone surrogates, U+FFFE/U+FFFF) become U+FFFD.
- HTML is escaped by the Jinja2 environment of :mod:`kb.export.html` (autoescape), and
  data embedded in pages by :func:`kb.export.html.safe_json`.
- :func:`atomic_write` / :func:`atomic_path`: an export is written to a temporary file
  beside its target and renamed over it only when complete, so a failed export never
  leaves a truncated file where the previous one was.

>>> terminal("[red]x[/] \\x1b[2J")
'\\\\[red]x\\\\[/] \\\\x1b[2J'
>>> csv_cell('=HYPERLINK("http://x")')
'\\'=HYPERLINK("http://x")'
>>> xml_text("a\\x0cb")
'a\\ufffdb'
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.markup import escape as _escape_markup
from rich.text import Text

__all__ = [
    "visible",
    "terminal",
    "terminal_text",
    "csv_cell",
    "xml_text",
    "atomic_path",
    "atomic_write",
]

# C0 controls except tab and newline, DEL, C1 controls, the Unicode controls that
# re-order or hide text on screen (bidirectional embeddings/overrides/isolates, line and
# paragraph separators), and lone surrogates (a file name that is not UTF-8), which no
# terminal can be sent.
_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_XML_ILLEGAL = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``), newlines and
    tabs kept: safe to print on any terminal."""
    return _CONTROL.sub(_show, text)


def terminal(value: Any) -> str:
    """``value`` as a string ready for Rich's ``print`` with markup on: controls made
    visible, markup escaped."""
    return _escape_markup(visible(str(value)))


def terminal_text(value: Any, style: str = "") -> Text:
    """``value`` as a Rich ``Text`` (never parsed as markup), controls made visible: for
    table cells and anything else Rich renders."""
    return Text(visible("" if value is None else str(value)), style=style)


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet evaluates: text starting with ``= + - @``, a tab or
    a carriage return gets a leading apostrophe. Numbers and None pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xml_text(value: str) -> str:
    """``value`` with the characters XML 1.0 forbids replaced by U+FFFD."""
    return _XML_ILLEGAL.sub("\ufffd", value)


@contextlib.contextmanager
def atomic_path(target: Path | str) -> Iterator[Path]:
    """A temporary path beside ``target`` to write to; renamed over ``target`` when the
    block ends without an exception, removed when it raises.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> with atomic_path(out) as tmp:
    ...     _ = tmp.write_text("done")
    >>> out.read_text()
    'done'
    """
    target = Path(target)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        try:
            mode = 0o666 & ~_umask()
            os.chmod(tmp, mode)
        except OSError:
            pass
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(target: Path | str, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``target`` atomically; returns ``target``."""
    target = Path(target)
    with atomic_path(target) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
    return target


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
