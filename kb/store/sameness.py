"""When two reports are of the same fact: the matching rules of consolidation.

Pure functions over plain values (no database): :mod:`kb.store.consolidate` feeds them
candidate pairs and groups the reports that match into claims and consolidated
events. The rules are symmetric, so grouping the matches into connected components
gives the same claims whatever order the articles arrive in.

Two statements are one claim when they have the same speaker (both unknown only for
identical, long wording), compatible dates and the same words: equal up to
punctuation, case, accents and quotation marks; one a cut of the other (an ellipsis
or a truncated quotation, each piece at least :data:`MIN_PIECE` words); nearly equal
spelling (a re-punctuated or lightly edited wire copy); a passage one of them puts
in quotation marks ("said the union would “close the port ourselves”") found word for
word in the other; or, for an indirect report of a quotation, the same content words
(first five letters, so "believe" and "believed" agree).

>>> same_words("We believe President Putin has made the decision.",
...            "“We believe President Putin has made the decision”")
True
>>> same_words("We believe President Putin has made the decision",
...            "We will use every opportunity to see if diplomacy can still work")
False
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

__all__ = [
    "MIN_PIECE",
    "SYMMETRIC_PLOVER",
    "words",
    "same_words",
    "dates_compatible",
    "Actors",
    "same_actors",
    "as_actors",
    "no_actors",
    "MIN_CONTEXT",
    "PREDICATE_FAMILIES",
    "places_differ",
    "same_in_context",
    "predicate_key",
    "predicate_forms",
]

#: A cut quotation must keep at least this many words in each piece to match.
MIN_PIECE = 4
#: Spelling similarity (0-100) above which two wordings are one (edits, punctuation).
_SPELLING = 88
#: ... for wordings of at least this many words (in a short one an edit changes it all).
_SPELLING_WORDS = 6
#: Share of content words two wordings must have in common to be one report.
_CONTENT_SHARE = 0.8
#: Days a later report may follow the time it reports (statements; events pass 1).
_REPORTED_SLACK = 3
#: Days of slack between two stated dates (a late-night event, a time zone).
_STATED_SLACK = 1
#: PLOVER categories whose participants are interchangeable ("A met B" = "B met A").
SYMMETRIC_PLOVER = frozenset({"CONSULT", "AGREE", "COOPERATE"})

#: Roles that say where an event happened or only that an actor was named near it.
_NOT_NAMED = frozenset({"location", "context"})
#: Words for one kind of happening that share no stem, each set led by the word that
#: stands for it. A short table of plain synonyms in news copy; derivations
#: ("arrival", "arrive") need no entry (:func:`predicate_key`).
PREDICATE_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("arrive", "land", "landing"),
    ("die", "death"),
    ("resign", "quit"),
)
_FAMILY = {w: f[0] for f in PREDICATE_FAMILIES for w in f}
_MEMBERS = {f[0]: f for f in PREDICATE_FAMILIES}
#: Endings that make a noun of a verb ("arrival", "departure", "resignation").
#: ("-ment" is not one: "department" is not a departure.)
_SUFFIXES = ("e", "al", "ure", "ation", "ition", "ion", "ing")
_DERIVATION = re.compile(r"(?:ation|ition|ion|ure|al|ing)$")
#: Shortest stem a derivation may leave ("trial" is not "try").
_MIN_STEM = 4
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\.\s*\.\s*\.|…)\s*")
_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r"[\"“”«»]([^\"“”«»]+)[\"“”«»]")
#: Words that turn a statement into its opposite ("t" is what "don't" leaves).
_NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "nobody", "nothing", "t"})
_STOP = frozenset(
    "a an the of to in on at for with by as from and or but that this these those is are "
    "was were be been being has have had do does did will would shall should can could "
    "i we you he she it they me us him her them my our your his its their there here "
    "said says say told tell".split()
)


def _fold(text: str) -> str:
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(_fold(text)))


def words(text: str) -> list[str]:
    """The words of ``text``: case, accents, punctuation and quotation marks dropped."""
    return list(_words(text))


def _pieces(text: str) -> list[list[str]]:
    """The word runs of ``text`` between ellipses ("...", "…", "[...]")."""
    return [w for w in (words(p) for p in _ELLIPSIS.split(text)) if w]


def _quoted(text: str) -> list[list[str]]:
    """The words of each passage ``text`` puts in quotation marks."""
    return [words(q) for q in _QUOTED.findall(text)]


@lru_cache(maxsize=8192)
def _numbers(tokens: tuple[str, ...]) -> set[str]:
    return {t for t in tokens if any(c.isdigit() for c in t)}


@lru_cache(maxsize=8192)
def _negations(tokens: tuple[str, ...]) -> int:
    """How many negations the words hold, counted mod 2 ("not", "never", "n't"...)."""
    return sum(t in _NEGATIONS for t in tokens) % 2


@lru_cache(maxsize=8192)
def _content(tokens: tuple[str, ...]) -> set[str]:
    return {t[:5] for t in tokens if t not in _STOP}


def _inside(piece: list[str], whole: str) -> bool:
    return f" {' '.join(piece)} " in whole


def same_words(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` report the same words (see the module docstring)."""
    if a == b:
        return bool(_words(a))
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return True
    for text, other in ((a, wb), (b, wa)):
        within = f" {' '.join(other)} "
        if any(len(q) >= MIN_PIECE and _inside(q, within) for q in _quoted(text)):
            return True  # a report quoting a piece of the other's words, word for word
    (short_text, short), (_, long_) = sorted(((a, wa), (b, wb)), key=lambda p: len(p[1]))
    if len(short) < MIN_PIECE:
        return False
    whole = f" {' '.join(long_)} "
    pieces = _pieces(short_text)
    if all(len(p) >= MIN_PIECE and _inside(p, whole) for p in pieces):
        return True  # a cut: every piece appears word for word in the longer one
    if _negations(wa) != _negations(wb):
        return False  # "we will impose sanctions" is not "we will not impose sanctions"
    if _numbers(wa) != _numbers(wb):
        return False  # "1,200 marched" is not "2,000 marched"
    if len(short) >= _SPELLING_WORDS and fuzz.ratio(" ".join(short), " ".join(long_)) >= _SPELLING:
        return True
    ca, cb = _content(short), _content(long_)
    if len(ca) < MIN_PIECE or len(cb) < MIN_PIECE:
        return False
    shared = len(ca & cb) / min(len(ca), len(cb))
    # an indirect report shares the content words and is not much shorter or longer
    return shared >= _CONTENT_SHARE and len(short) >= 0.6 * len(long_)


def dates_compatible(
    a: tuple[dt.date | None, dt.date | None, bool],
    b: tuple[dt.date | None, dt.date | None, bool],
    slack: int = _REPORTED_SLACK,
    stated_slack: int = _STATED_SLACK,
) -> bool:
    """True when two date intervals ``(start, end, stated)`` can be the same time.

    Two stated intervals may be ``stated_slack`` days apart (words said late at night,
    a time zone; events pass 0: a meeting on Monday is not the one on Tuesday). A
    report dated only by its article's publication can be from the day before a stated
    interval to ``slack`` days after it (a later article repeating the news), and two
    such reports at most ``slack`` days apart. An undated side is compatible.
    """
    (da, ea_, stated_a), (db, eb_, stated_b) = a, b
    if da is None or db is None:
        return True
    # day numbers, not dates: a window around year 1 or 9999 must not overflow
    sa, sb = da.toordinal(), db.toordinal()
    ea, eb = (ea_ or da).toordinal(), (eb_ or db).toordinal()
    if stated_a and stated_b:
        return sa - stated_slack <= eb and sb - stated_slack <= ea
    if not stated_a and not stated_b:
        return abs(sa - sb) <= slack
    (s, e), r = ((sa, ea), sb) if stated_a else ((sb, eb), sa)
    return s - 1 <= r <= e + slack


@dataclass(frozen=True)
class Actors:
    """The actors of one event report: ids of its agents and of everyone involved;
    ``named``, the participants it names in a role (not where it happened, not merely
    in its sentence); ``places``, the towns and regions it says it happened in; and
    ``context``, every actor its article names (who "the talks" were between, when
    the sentence does not say)."""

    agents: frozenset[int]
    everyone: frozenset[int]
    named: frozenset[int] = frozenset()
    places: frozenset[int] = frozenset()
    context: frozenset[int] = frozenset()


_NO_ACTORS = Actors(frozenset(), frozenset())
#: Actors two articles must share for their reports that name no participant ("the
#: march", "the talks") to be of one happening.
MIN_CONTEXT = 2


def same_actors(a: Actors, b: Actors, plover: str | None = None) -> bool:
    """True when two event reports can have the same participants.

    They must share at least one actor, and two when both name two or more; the
    agents must agree where both name them (Russia accusing Ukraine is not Ukraine
    accusing Russia), unless the category is symmetric (:data:`SYMMETRIC_PLOVER`);
    a report that names no agent joins one that does only through two shared actors.
    """
    if not a.everyone or not b.everyone:
        return False
    shared = len(a.everyone & b.everyone)
    if shared < min(2, len(a.everyone), len(b.everyone)):
        return False
    if a.agents and b.agents:
        return bool(a.agents & b.agents) or plover in SYMMETRIC_PLOVER
    if a.agents or b.agents:
        # one report names who acted and the other does not ("sanctions against Russia"):
        # one shared actor would let a vague report join every specific one
        return shared >= 2
    return True


def places_differ(a: Actors, b: Actors) -> bool:
    """True when the two reports put the event in different towns or regions (talks
    in Aldmouth are not the meeting in Kerrin). Countries are left out: a report "in
    France" and one "in Paris" can be of one event."""
    return bool(a.places and b.places and not a.places & b.places)


def same_in_context(a: Actors, b: Actors, plover: str | None = None) -> bool:
    """True when two reports can have the same participants once each is read in its
    article: what one leaves out, its article may name.

    A report naming no participant ("Monday's talks in Aldmouth", "dockworkers
    marched") joins one that names some when its article names them all; two that
    name none need articles sharing :data:`MIN_CONTEXT` actors; two that name some
    need one in common, each one's participants named in the other's article, and
    agents that agree (as :func:`same_actors`). Callers ask this only with stronger
    evidence on dates (see :func:`kb.store.consolidate`)."""
    na, nb = a.named, b.named
    if not na and not nb:
        return len(a.context & b.context) >= MIN_CONTEXT
    if not na or not nb:
        named, other = (na, b) if na else (nb, a)
        return named <= other.context
    if not na & nb or not na <= nb | b.context or not nb <= na | a.context:
        return False
    if a.agents and b.agents:
        return bool(a.agents & b.agents) or plover in SYMMETRIC_PLOVER
    return True


@lru_cache(maxsize=8192)
def predicate_key(lemma: str) -> str:
    """What two predicates must share to name one kind of happening: a derivation
    ("arrival" and "arrive", "departure" and "depart", "resignation" and "resign")
    or a word of one of :data:`PREDICATE_FAMILIES` ("landed" and "arrived").

    >>> predicate_key("arrival") == predicate_key("arrive") == predicate_key("land")
    True
    >>> predicate_key("march") == predicate_key("meet")
    False
    """
    base = _FAMILY.get(lemma, lemma)
    cut = _DERIVATION.sub("", base)
    return (cut if len(cut) >= _MIN_STEM else base).removesuffix("e")


def predicate_forms(lemma: str) -> set[str]:
    """Every predicate :func:`predicate_key` could give the same key as ``lemma``
    (the family's words and the derivations of its stem), so that candidates can be
    looked up by an index on the predicate."""
    out = {lemma}
    for word in _MEMBERS.get(_FAMILY.get(lemma, lemma), (lemma,)):
        stem = predicate_key(word)
        out |= {word, stem, *(stem + s for s in _SUFFIXES)}
    return {w for w in out if predicate_key(w) == predicate_key(lemma)}


def no_actors() -> Actors:
    """The :class:`Actors` of a report that names none."""
    return _NO_ACTORS


def as_actors(
    roles: Collection[tuple[int, str]],
    places: Collection[int] = (),
    context: Collection[int] = (),
) -> Actors:
    """:class:`Actors` from ``(actor id, role)`` pairs; agents and speakers are agents,
    a "location" is where it happened (a town or region when in ``places``), and
    "context" marks an actor only named in the report's sentence."""
    agents = frozenset(a for a, role in roles if role in ("agent", "speaker"))
    named = frozenset(a for a, role in roles if role not in _NOT_NAMED)
    where = frozenset(a for a, role in roles if role == "location" and a in places)
    return Actors(agents, frozenset(a for a, _ in roles), named, where, frozenset(context))
