"""Read TimeML (.tml) documents: the text, its creation date, the gold TIMEX3 and EVENTs.

TimeML marks time expressions and events inline, inside a ``<TEXT>`` element. The
document text is the content of ``<TEXT>`` with every tag removed; each gold ``TIMEX3``
and ``EVENT`` is then a character span of that text; an EVENT keeps its TimeML class
(OCCURRENCE, REPORTING, ASPECTUAL, STATE, I_ACTION, I_STATE, PERCEPTION). The document
creation time (DCT) is the ``TIMEX3`` with ``functionInDocument="CREATION_TIME"``,
usually inside ``<DCT>``: it is the anchor relative expressions are resolved from.

>>> doc = read_timeml("tests/data/timeml/simple.tml")  # run from the repository
>>> doc.text[doc.timexes[0].start:doc.timexes[0].end] == doc.timexes[0].text
True
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kb.errors import EvalError

__all__ = ["EVENT_CLASSES", "GoldEvent", "GoldTimex", "TimeMLDocument", "read_timeml",
           "timeml_paths"]

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
#: The TimeML event classes, in the order reports list them.
EVENT_CLASSES = ("OCCURRENCE", "REPORTING", "ASPECTUAL", "STATE", "I_ACTION", "I_STATE",
                 "PERCEPTION")


@dataclass(frozen=True)
class GoldTimex:
    """One annotated TIMEX3: its span in the document text and its normalisation."""

    text: str
    start: int
    end: int
    type: str
    value: str
    mod: str | None = None
    tid: str | None = None


@dataclass(frozen=True)
class GoldEvent:
    """One annotated EVENT: its span in the document text and its TimeML class."""

    text: str
    start: int
    end: int
    tml_class: str
    eid: str | None = None


@dataclass(frozen=True)
class TimeMLDocument:
    """A TimeML document: ``text`` is the tag-free ``<TEXT>`` content."""

    name: str
    path: str
    text: str
    dct: dt.date | None
    dct_value: str | None
    timexes: tuple[GoldTimex, ...]
    events: tuple[GoldEvent, ...] = ()


def _walk(
    elem: ET.Element,
    parts: list[str],
    found: list[GoldTimex],
    pos: int,
    events: list[GoldEvent],
) -> int:
    """Append the text under ``elem`` to ``parts``; record TIMEX3 and EVENT spans;
    return the end."""
    start = pos
    if elem.text:
        parts.append(elem.text)
        pos += len(elem.text)
    for child in elem:
        pos = _walk(child, parts, found, pos, events)
        if child.tail:
            parts.append(child.tail)
            pos += len(child.tail)
    if elem.tag == "TIMEX3":
        text = "".join(parts)[start:pos] if start != pos else ""
        found.append(
            GoldTimex(
                text=text,
                start=start,
                end=pos,
                type=elem.get("type", ""),
                value=elem.get("value", ""),
                mod=elem.get("mod"),
                tid=elem.get("tid"),
            )
        )
    elif elem.tag == "EVENT":
        text = "".join(parts)[start:pos] if start != pos else ""
        events.append(GoldEvent(text, start, pos, elem.get("class", ""), elem.get("eid")))
    return pos


def read_timeml(path: str | Path) -> TimeMLDocument:
    """Read one TimeML file; raise :class:`~kb.errors.EvalError` naming it if malformed."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise EvalError(
            f"{path}: not well-formed TimeML XML ({exc}); fix or remove the file"
        ) from exc
    except OSError as exc:
        raise EvalError(f"{path}: cannot be read ({exc.strerror})") from exc
    text_elem = root.find(".//TEXT")
    if text_elem is None:
        raise EvalError(f"{path}: no <TEXT> element; is this a TimeML (.tml) document?")
    dct_value = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct_value = timex.get("value")
            break
    dct = None
    if dct_value:
        m = _DATE.match(dct_value)
        if m is None:
            raise EvalError(f"{path}: creation time value {dct_value!r} is not a YYYY-MM-DD date")
        try:
            dct = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError as exc:
            raise EvalError(f"{path}: creation time {dct_value!r}: {exc}") from exc
    parts: list[str] = []
    found: list[GoldTimex] = []
    events: list[GoldEvent] = []
    # the TEXT element's own tail is outside the document; walk its content only
    tail, text_elem.tail = text_elem.tail, None
    _walk(text_elem, parts, found, 0, events)
    text_elem.tail = tail
    text = "".join(parts)
    for g in found:
        if not g.value:
            raise EvalError(f"{path}: TIMEX3 {g.tid or '?'} ({g.text!r}) has no value")
    for e in events:
        if e.tml_class not in EVENT_CLASSES:
            raise EvalError(
                f"{path}: EVENT {e.eid or '?'} ({e.text!r}) has class {e.tml_class!r}, not one "
                f"of {', '.join(EVENT_CLASSES)}; fix its class attribute"
            )
    timexes = sorted(found, key=lambda g: (g.start, g.end))
    return TimeMLDocument(
        name=path.name,
        path=str(path),
        text=text,
        dct=dct,
        dct_value=dct_value,
        timexes=tuple(timexes),
        events=tuple(sorted(events, key=lambda e: (e.start, e.end))),
    )


def timeml_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders (recursively, ``*.tml``) into a sorted list of files."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.tml") if not q.name.startswith("._")))
        elif p.is_file():
            out.append(p)
        else:
            raise EvalError(f"{p}: no such file or folder; pass TimeML files or folders")
    return out
