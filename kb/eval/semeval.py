"""Read SemEval-2015 Task 4 TimeLine data: gold timelines and the tokenised corpus.

A task folder holds a folder of gold timelines (``TimeLines_*/*.txt``: the trial data's
``TimeLines_trial_data_task4_v1.2``, an evaluation corpus' ``TimeLines_Gold_Standard``)
and a folder of TimeML documents. When there are several document folders, the one
with raw text is read: a name with ``trackA``, else the one without ``events`` or
``trackB`` in its name. Only the text of each ``<s id="N">`` sentence is used (never
an annotation); sentences are joined with a blank line, so the task's sentence breaks
hold (a headline without a full stop stays a sentence of its own), every token keeps a
character span, and a character offset maps back to the task's ``DOCID-SENTID-word`` id
(the word in lower case, as the gold timelines write it: "Pre-orders" is
``16900-2-pre-orders``).

Usage (a trial document whose second sentence holds "unveiled")::

    doc = read_document(".../16844-Apple_unveils_iPhone_4.tml")
    doc.mention_id(doc.text.index("unveiled"))  # '16844-2-unveiled'
"""

from __future__ import annotations

import bisect
import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from kb.errors import EvalError
from kb.export.semeval import TimelineLine

__all__ = [
    "GoldTimeline",
    "TaskData",
    "TaskDocument",
    "normal_date",
    "read_document",
    "read_task",
    "read_timeline",
]


@dataclass(frozen=True)
class TaskDocument:
    """A task document: ``text`` is its sentences joined by blank lines; ``tokens`` are
    ``(start, sentence id, word)`` in text order (the words are space-separated)."""

    docid: str
    name: str
    text: str
    dct: dt.date | None
    tokens: tuple[tuple[int, str, str], ...]

    def mention_id(self, offset: int) -> str | None:
        """The task id of the token at (or, in a space, just before) ``offset``."""
        k = bisect.bisect_right([t[0] for t in self.tokens], offset) - 1
        if k < 0:
            return None
        _, sid, word = self.tokens[k]
        return f"{self.docid}-{sid}-{word.lower()}"


@dataclass(frozen=True)
class GoldTimeline:
    """One entity's gold timeline, as read from its file."""

    entity: str
    path: str
    lines: tuple[TimelineLine, ...]


@dataclass(frozen=True)
class TaskData:
    """The gold timelines and the documents of a task folder."""

    timelines: tuple[GoldTimeline, ...]
    documents: tuple[TaskDocument, ...]


def normal_date(value: str) -> str | None:
    """A task date without its unknown parts: ``2008-03-XX`` is ``2008-03``; an
    unknown year is no date at all.

    >>> [normal_date(v) for v in ("2010-06-07", "2008-03-XX", "2010-XX-XX", "XXXX-XX-XX")]
    ['2010-06-07', '2008-03', '2010', None]
    """
    kept: list[str] = []
    for part in value.strip().split("-"):
        if not part or "X" in part.upper() or not part.isdigit():
            break
        kept.append(part)
    return "-".join(kept) or None


def read_timeline(path: str | Path) -> GoldTimeline:
    """Read one timeline file; raise :class:`~kb.errors.EvalError` naming it if malformed."""
    path = Path(path)
    try:
        rows = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvalError(f"{path}: cannot be read as UTF-8 text ({exc})") from exc
    if not rows or not rows[0].strip():
        raise EvalError(f"{path}: the first line must name the entity; is this a timeline?")
    lines = []
    for n, row in enumerate(rows[1:], start=2):
        if not row.strip():
            continue
        cells = row.rstrip("\n").split("\t")
        if len(cells) < 3 or not cells[0].strip().isdigit():
            raise EvalError(
                f"{path}:{n}: expected 'rank<TAB>date<TAB>DOCID-SENTID-word', got {row!r}"
            )
        mentions = tuple(c.strip() for c in cells[2:] if c.strip())
        lines.append(TimelineLine(int(cells[0]), cells[1].strip(), mentions))
    return GoldTimeline(rows[0].strip(), str(path), tuple(lines))


def read_document(path: str | Path) -> TaskDocument:
    """Read one task TimeML document's sentences, tokens and creation date."""
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise EvalError(f"{path}: not well-formed TimeML XML ({exc}); fix or remove it") from exc
    except OSError as exc:
        raise EvalError(f"{path}: cannot be read ({exc.strerror})") from exc
    docid = (root.findtext("DOCID") or path.name.split("_")[0].split("-")[0]).strip()
    dct = None
    for timex in root.iter("TIMEX3"):
        if timex.get("functionInDocument") == "CREATION_TIME":
            try:
                dct = dt.date.fromisoformat((timex.get("value") or "")[:10])
            except ValueError:
                raise EvalError(
                    f"{path}: creation time {timex.get('value')!r} is not a YYYY-MM-DD date"
                ) from None
            break
    parts: list[str] = []
    tokens: list[tuple[int, str, str]] = []
    pos = 0
    for s in root.iter("s"):
        sid = s.get("id")
        if sid is None:
            raise EvalError(f"{path}: a <s> element has no id; every sentence needs one")
        sentence = " ".join("".join(s.itertext()).split())
        for word in sentence.split(" "):
            if word:
                tokens.append((pos, sid, word))
            pos += len(word) + 1
        parts.append(sentence)
        pos += 1  # the loop counted one character past the sentence; the separator is two
    if not parts:
        raise EvalError(f"{path}: no <s id=...> sentences; is this a task TimeML document?")
    return TaskDocument(docid, path.name, "\n\n".join(parts), dct, tuple(tokens))


def _folders(root: Path, suffix: str) -> list[Path]:
    return sorted(p for p in [root, *root.iterdir()] if p.is_dir() and any(p.glob(suffix)))


def read_task(folder: str | Path) -> TaskData:
    """Find and read the gold timelines and the documents of a task folder."""
    root = Path(folder)
    if not root.is_dir():
        raise EvalError(f"{root}: no such folder; pass a SemEval-2015 Task 4 data folder")
    gold = [p for p in _folders(root, "*.txt") if p.name.lower().startswith("timelines")]
    if len(gold) != 1:
        raise EvalError(
            f"{root}: expected one folder of gold timelines (TimeLines_*/ with .txt files), "
            f"found {len(gold)}; pass the folder that holds it"
        )
    corpora = _folders(root, "*.tml")
    chosen = [p for p in corpora if "tracka" in p.name.lower()] or [
        p for p in corpora if not any(w in p.name.lower() for w in ("events", "trackb"))
    ]
    if len(chosen) != 1:
        raise EvalError(
            f"{root}: expected one folder of raw-text TimeML documents, found "
            f"{', '.join(p.name for p in chosen) or 'none'}; pass the folder that holds one"
        )
    timelines = tuple(read_timeline(p) for p in sorted(gold[0].glob("*.txt")))
    docs = [read_document(p) for p in sorted(chosen[0].glob("*.tml"))]
    ids = [d.docid for d in docs]
    if len(set(ids)) != len(ids):
        raise EvalError(f"{chosen[0]}: two documents share a DOCID; remove the duplicate")
    docs.sort(key=lambda d: (d.dct or dt.date.min, d.docid))
    return TaskData(timelines, tuple(docs))
