"""Self-contained HTML pages: our templates, vis-network inlined, data embedded safely.

PyVis's own templates fetch vis-network and Bootstrap from CDNs and copy a ``lib/``
folder into the working directory; kb's exports must be one file that opens with the
network off. So pages are rendered from kb/export/templates/ with vis-network's
JavaScript and CSS read from the files bundled inside the pyvis package, and the
network data embedded as JSON.

Article text is untrusted. Data goes into the page only through :func:`script_json`,
which escapes ``<``, ``>``, ``&`` and U+2028/U+2029 as ``\\u`` escapes, so nothing in it
can close the ``<script>`` element it sits in; the page's JavaScript then shows text
with DOM text nodes (never ``innerHTML``), and every other value the template prints
is HTML-escaped by Jinja's autoescaping.

>>> script_json({"q": "</script><b>&"})
'{"q": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from kb.errors import ExportError
from kb.safe import atomic_write

__all__ = [
    "script_json",
    "vis_assets",
    "render_page",
    "write_text",
    "TEMPLATES",
    "jinja_environment",
    "KIND_COLOURS",
    "kind_colour",
    "type_colour",
]

TEMPLATES = Path(__file__).with_name("templates")
VIS_VERSION = "9.1.2"

#: One colour per actor kind (colour-blind-safe Tableau 10 hues), used by every export.
KIND_COLOURS = {
    "person": "#4e79a7",
    "organization": "#f28e2b",
    "country": "#59a14f",
    "place": "#8cd17d",
    "group": "#b07aa1",
    "product": "#d37295",
    "market_index": "#499894",
    "currency": "#b6992d",
    "unknown": "#9c9c9c",
}
_TYPE_PALETTE = (
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
)
STATEMENT_COLOUR = "#4e79a7"

_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_ESCAPE_RE = re.compile("[<>&\u2028\u2029]")


def kind_colour(kind: str | None) -> str:
    return KIND_COLOURS.get(kind or "unknown", KIND_COLOURS["unknown"])


def type_colour(event_type: str, known: list[str]) -> str:
    """A stable colour per event type; statements are always blue."""
    if event_type == "statement":
        return STATEMENT_COLOUR
    others = sorted(t for t in set(known) if t != "statement")
    index = others.index(event_type) if event_type in others else len(others)
    return _TYPE_PALETTE[index % len(_TYPE_PALETTE)]


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>``, ``&``, U+2028 or U+2029."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, default=str)
    except ValueError as exc:
        raise ExportError(f"cannot embed the export data as JSON: {exc}") from exc
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


@lru_cache(maxsize=1)
def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS as bundled in the installed pyvis package."""
    try:
        import pyvis
    except ImportError as exc:  # pragma: no cover - pyvis is a dependency
        raise ExportError("pyvis is not installed; run `pip install pyvis==0.3.2`") from exc
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError(
            f"vis-network {VIS_VERSION} is missing from the pyvis package ({lib}): {exc}; "
            "reinstall it with `pip install --force-reinstall pyvis==0.3.2`"
        ) from exc
    # No source map fetches, and nothing that could end the inline <script>/<style>.
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


@lru_cache(maxsize=1)
def jinja_environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"], default=True),
        keep_trailing_newline=True,
    )


def render_page(template: str, *, data: Any, **context: Any) -> str:
    """Render ``template`` with vis-network inlined and ``data`` embedded as safe JSON."""
    js, css = vis_assets()
    return (
        jinja_environment()
        .get_template(template)
        .render(
            vis_js=Markup(js),
            vis_css=Markup(css),
            data_json=Markup(script_json(data)),
            **context,
        )
    )


def write_text(out: Path, text: str) -> Path:
    """Write ``text`` to ``out`` (UTF-8), creating its folder; errors become ExportError."""
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out, text)
    except OSError as exc:
        raise ExportError(f"{out}: cannot write the export ({exc.strerror or exc})") from exc
    return out
