"""Score kb's per-entity timelines against SemEval-2015 Task 4 TimeLine gold.

For each target entity of the gold timelines, kb builds its own timeline from the
task's documents: every document is parsed with :func:`kb.parse_article` (its creation
time as the published date); the events and statements that involve an actor matching
the entity (:func:`actor_matches`) in any role but ``topic`` (a statement merely about
the entity is not an event the entity takes part in) become timeline lines
(:func:`kb.export.semeval.timeline_lines`: stated dates at their precision; events
with no date of their own not placed unless ``reported="published"``), each named by
the task id of its trigger's first word. The timeline is scored with temporal
awareness (:mod:`kb.eval.temporal`), micro-averaged over entities.

>>> actor_matches("Beatles Apple Corps", ["Apple Corps"]), actor_matches("iPod", ["Apple"])
(True, False)
>>> [actor_matches("iTunes store", [n]) for n in ("iTunes Music Store", "iTunes", "Apple")]
[True, False, False]
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kb.errors import EvalError
from kb.eval.semeval import TaskData, TaskDocument, read_task
from kb.eval.temporal import (
    Awareness,
    Relation,
    entailed,
    reduced_relations,
    temporal_awareness,
    timeline_graph,
)
from kb.export.semeval import (
    REPORTED,
    TAKING_PART,
    TimelineLine,
    format_timeline,
    timeline_lines,
)

__all__ = [
    "EntityResult",
    "TimelineReport",
    "actor_matches",
    "entity_records",
    "evaluate_timeline",
    "format_report",
]

_WORD = re.compile(r"\w+")


def _words(name: str) -> list[str]:
    return _WORD.findall(name.lower())


def _name_core(entity: str) -> tuple[list[str], list[str]]:
    """An entity's name and the common nouns after it: "iTunes store" is ("itunes",),
    ("store",); "Beatles Apple Corps" is all name."""
    parts = entity.split()
    i = len(parts)
    while i > 1 and parts[i - 1].islower():
        i -= 1
    return _words(" ".join(parts[:i])), _words(" ".join(parts[i:]))


def actor_matches(entity: str, names: Iterable[str]) -> bool:
    """Whether an actor known by ``names`` (its name and aliases) is the ``entity``:
    a name equal to it (case and punctuation aside), or one of two words or more that
    runs inside it or holds it ("Apple Corps" is "Beatles Apple Corps"; "Apple" is not).
    An entity that ends in common nouns written in lower case ("iTunes store") is also
    a longer name that starts with its name and ends with those nouns ("iTunes Music
    Store"), not its name alone ("iTunes" is the program).
    """
    target = _words(entity)
    core, generic = _name_core(entity)
    for name in names:
        words = _words(name)
        if not words:
            continue
        if words == target or (generic and len(words) > len(core) + len(generic) and (
                words[: len(core)] == core and words[-len(generic):] == generic)):
            return True
        short, long_ = sorted((words, target), key=len)
        if len(short) >= 2 and any(
            long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1)
        ):
            return True
    return False


def entity_records(entity: str, doc: TaskDocument, parsed: Any) -> list[dict[str, Any]]:
    """The events of one parsed document that involve ``entity``, as event dicts with
    the task ``mention`` id of their trigger, in text order."""
    names = {a.name for a in parsed.actors if actor_matches(entity, [a.name, *a.aliases])}
    out = []
    for e in parsed.events:
        if any(a.name in names and a.role in TAKING_PART for a in e.actors):
            out.append({**e.to_dict(), "mention": doc.mention_id(e.trigger.start)})
    return out


@dataclass(frozen=True)
class EntityResult:
    """One entity: its gold and system timelines, the score, the relations missed."""

    entity: str
    gold: tuple[TimelineLine, ...]
    system: tuple[TimelineLine, ...]
    score: Awareness
    wrong: tuple[Relation, ...]
    missed: tuple[Relation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "score": self.score.to_dict(),
            "gold_lines": len(self.gold),
            "system_lines": len(self.system),
            "system_placed": sum(1 for ln in self.system if ln.rank),
            "timeline": format_timeline(self.entity, self.system),
            "wrong": [list(r) for r in self.wrong],
            "missed": [list(r) for r in self.missed],
        }


@dataclass
class TimelineReport:
    """Per-entity results and their micro average."""

    documents: int = 0
    reported: str = "unplaced"
    entities: list[EntityResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def micro(self) -> Awareness:
        total = Awareness(0, 0, 0, 0)
        for e in self.entities:
            total = total + e.score
        return total

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "reported": self.reported,
            "micro": self.micro.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "seconds": round(self.seconds, 3),
        }


def _not_entailed(rel: list[Relation], other: list[TimelineLine]) -> tuple[Relation, ...]:
    closure = nx.transitive_closure(timeline_graph(other), reflexive=False)
    return tuple(r for r in rel if not entailed(closure, r))


def score_entity(
    entity: str, gold: Iterable[TimelineLine], system: Iterable[TimelineLine]
) -> EntityResult:
    """Score one entity's timeline and list the relations each side lacks."""
    g, s = list(gold), list(system)
    return EntityResult(
        entity, tuple(g), tuple(s), temporal_awareness(g, s),
        _not_entailed(reduced_relations(timeline_graph(s)), g),
        _not_entailed(reduced_relations(timeline_graph(g)), s),
    )


def evaluate_timeline(
    folder: str | Path,
    reported: str = "unplaced",
    nlp: Any = None,
    progress: Callable[[int, int], None] | None = None,
    task: TaskData | None = None,
) -> TimelineReport:
    """Build kb's timeline of every gold entity of a task folder and score it."""
    from kb.extract.pipeline import parse_article

    if reported not in REPORTED:
        raise EvalError(f"--reported {reported!r} is not one of: {', '.join(REPORTED)}")
    if nlp is None:
        from kb.nlp import get_nlp

        nlp = get_nlp()
    task = task or read_task(folder)
    report = TimelineReport(documents=len(task.documents), reported=reported)
    parsed = []
    t0 = time.perf_counter()
    for k, doc in enumerate(task.documents):
        parsed.append(parse_article(doc.text, doc.dct, nlp=nlp))
        if progress is not None:
            progress(k + 1, len(task.documents))
    report.seconds = time.perf_counter() - t0
    for gold in task.timelines:
        records = [r for doc, p in zip(task.documents, parsed, strict=True)
                   for r in entity_records(gold.entity, doc, p)]
        system = timeline_lines(records, lambda r: r["mention"], reported)
        report.entities.append(score_entity(gold.entity, gold.lines, system))
    return report


def format_report(report: TimelineReport, show_errors: bool = False) -> str:
    """A text table of temporal-awareness P/R/F1 per entity and micro-averaged; with
    ``show_errors`` each entity's system timeline and the relations each side lacks."""
    lines = [
        f"timelines: {len(report.entities)} entities, {report.documents} documents, "
        f"events without a stated date: {report.reported}",
        "",
        f"{'entity':<24}{'gold ln':>8}{'kb ln':>7}{'placed':>7}{'precision':>10}"
        f"{'recall':>8}{'F1':>7}{'sys rel':>8}{'gold rel':>9}",
    ]

    def row(name: str, s: Awareness, g: str, k: str, placed: str) -> str:
        return (f"{name:<24}{g:>8}{k:>7}{placed:>7}{s.precision:>10.3f}{s.recall:>8.3f}"
                f"{s.f1:>7.3f}{s.system:>8d}{s.gold:>9d}")

    for e in report.entities:
        lines.append(row(e.entity, e.score, str(len(e.gold)), str(len(e.system)),
                         str(sum(1 for ln in e.system if ln.rank))))
    lines.append(row("micro average", report.micro, "", "", ""))
    if show_errors:
        for e in report.entities:
            lines += ["", f"--- {e.entity}: kb's timeline", format_timeline(e.entity, e.system)]
            lines += [f"not in gold: {a} {k} {b}" for a, k, b in e.wrong]
            lines += [f"missed:      {a} {k} {b}" for a, k, b in e.missed]
    return "\n".join(lines)
