"""Find and normalise every time expression of a parsed document.

Patterns (:mod:`.rules_absolute`, :mod:`.rules_relative`, :mod:`.rules_period`,
:mod:`.rules_duration`) propose spans over the text; overlapping proposals are
resolved longest first. The spaCy parse then does what patterns cannot: it rejects
look-alikes ("May" the modal verb, "2000" people counted as a CARDINAL), gives the
tense of the governing verb (so "Friday" in "will meet Friday" is the next one) and
lets words such as "about" or "more than" join a duration as its ``mod``. Anaphoric
expressions ("that day", "a year earlier") are resolved against the last time the
text mentioned, so the document is read in order.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from kb.extract.timex import lexicon as lx
from kb.extract.timex import rules_absolute, rules_duration, rules_period, rules_relative
from kb.extract.timex.calendar import bounds
from kb.extract.timex.grammar import Ctx, Hit, Rule, candidates
from kb.extract.types import TimeExpr
from kb.nlp import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["find_in_doc", "to_expr", "tense_of", "widen"]

_LOADED = (rules_absolute, rules_duration, rules_period, rules_relative)
_FUTURE_HEADS = {
    "expect",
    "plan",
    "schedule",
    "set",
    "due",
    "intend",
    "hope",
    "want",
    "aim",
    "seek",
    "go",
    "likely",
    "prepare",
    "agree",
    "promise",
    "threaten",
    "vow",
    "suppose",
}
_PREFIX = re.compile(
    r"(?:\b("
    + "|".join(sorted((re.escape(k) for k in lx.APPROX_PREFIXES), key=len, reverse=True))
    + r")\s+)$",
    re.IGNORECASE,
)
#: verbs whose time is when the plan is to happen ("planned a rally on Saturday")
_PLAN_VERBS = {"plan", "schedule", "expect", "intend", "prepare"}
#: words just before a time that point forward whatever the verb's tense
_FORWARD = re.compile(
    r"\b(?:as (?:early|soon) as|no later than|starting|beginning|scheduled for|set for|"
    r"planned for|due|effective|ahead of)\s+(?:on\s+)?$",
    re.IGNORECASE,
)
#: "until": a deadline ahead ("postponed until Tuesday") unless told in the past perfect
_UNTIL = re.compile(r"\buntil\s+$", re.IGNORECASE)
#: "called a march for Tuesday", "a vote for Friday": a weekday after "for" is the day
#: something is set for, ahead ("arrested for Tuesday's attack" names an event: not this).
_FOR = re.compile(r"\bfor\s+$", re.IGNORECASE)
_WEEKDAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day$", re.IGNORECASE)
_QUARTER = re.compile(r"\bquarter", re.IGNORECASE)
_ONLY_NUMBERS = ("CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL")


def tense_of(doc: Doc, start: int, end: int, text: str | None = None) -> str | None:
    """ "past", "present" or "future" for the verb governing ``doc.text[start:end]``.

    ``text`` is ``doc.text`` when the caller has it: spaCy rebuilds that string from
    every token on each access, which would make a long document quadratic.
    """
    if text is None:
        text = doc.text
    if _FORWARD.search(text, max(0, start - 24), start) or (
            _FOR.search(text, max(0, start - 8), start) and _WEEKDAY.match(text, start, end)
            and not text.startswith(("'s", "’s"), end)):
        return "future"
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    tok: Token = span.root
    if _names_event(span):
        return "past"
    for _ in range(5):
        if tok.pos_ in ("VERB", "AUX") and not (tok.i >= span.start and tok.i < span.end):
            break
        if tok.head is tok:
            break
        tok = tok.head
    if tok.pos_ not in ("VERB", "AUX"):
        return None
    if _UNTIL.search(text, max(0, start - 8), start) and not _past_perfect(tok):
        return "future"
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & {"will", "'ll", "shall", "wo", "would"} or tok.lemma_ in _PLAN_VERBS:
        return "future"
    if "to" in words and tok.tag_ == "VB":
        head = tok.head
        if _past_perfect(head) or _past_perfect(head.head):
            return "past"  # "had been due to expire Friday": the plan lies in the past
        if head.lemma_ in _FUTURE_HEADS or (head.lemma_ == "be" and head.tag_ != "VBD"):
            return "future"
        if head.tag_ == "VBD" or "Past" in head.morph.get("Tense", []):
            return "past"
        return "future"
    if tok.tag_ == "VBD" and tok.dep_ == "advcl" and any(
            c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "wo")
            for c in tok.head.children):
        return "future"  # "would weaken as it moved toward Taiwan on Thursday"
    if tok.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
        return "past"
    if tok.tag_ == "VBN" and words & {"has", "have", "had"}:
        return "past"
    if tok.tag_ == "VBG" and words & {"is", "are", "'s", "'re"}:
        return "future"
    if tok.tag_ in ("VBZ", "VBP") or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
        return "present"
    return None


def _names_event(span: Span) -> bool:
    """True for a date that modifies a noun after its determiner ("the Oct. 23 slaying",
    "a June agreement"): such a noun names an event the news reports, so it is past."""
    root = span.root
    head = root.head
    if root.dep_ not in ("compound", "nmod", "npadvmod", "amod") or head.pos_ != "NOUN":
        return False
    if head.i < span.end:
        return False
    first = span.doc[span.start - 1] if span.start > 0 else None
    return first is not None and first.dep_ in ("det", "poss") and first.head.i == head.i


def _past_perfect(tok: Token) -> bool:
    """True for a verb in the past perfect ("had been scheduled")."""
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in tok.children)


def _reject(doc: Doc, start: int, end: int, rule: Rule, text: str) -> bool:
    """True when spaCy says the match is not a time (modal "May", a counted number)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    first = span[0]
    if rule.name in ("month_only",) and first.text == "May" and first.tag_ == "MD":
        return True
    if rule.name == "month_only" and first.text in ("March", "May") and first.pos_ == "VERB":
        return True
    if rule.name == "year" and len(span) == 1 and first.ent_type_ in _ONLY_NUMBERS:
        return True
    if rule.name == "reference" and text.lower() in ("current", "recent", "future", "earlier"):
        if text.lower() == "earlier":
            return first.dep_ not in ("advmod",) or first.head.pos_ not in ("VERB", "AUX")
        return first.dep_ != "amod"
    return False


def find_in_doc(doc: Doc, published: datetime.date | None) -> list[TimeExpr]:
    """The time expressions of ``doc`` in text order, normalised against ``published``."""
    text = doc_text(doc)
    quarter_doc = _QUARTER.search(text) is not None
    found = []
    for start, end, rule, m in candidates(text):
        if _handle(rule, m, Ctx(published, notes={"quarter_doc": quarter_doc})) is None:
            continue
        found.append((start, end, rule, m))
    # longest first, then the rule registered first
    order = {r: i for i, r in enumerate(dict.fromkeys(f[2] for f in found))}
    found.sort(key=lambda f: (-(f[1] - f[0]), order[f[2]], f[0]))
    taken: list[tuple[int, int, Rule, re.Match[str]]] = []
    for f in found:
        if any(f[0] < t[1] and t[0] < f[1] for t in taken):
            continue
        if _reject(doc, f[0], f[1], f[2], text[f[0] : f[1]]):
            continue
        taken.append(f)
    taken.sort(key=lambda f: f[0])
    ctx = Ctx(published, notes={"quarter_doc": quarter_doc})
    out = []
    for start, end, rule, m in taken:
        ctx.tense = tense_of(doc, start, end, text)
        hit = _handle(rule, m, ctx)
        if hit is None:
            continue
        start, hit = widen(text, start, hit, end)
        if hit.type in ("DATE", "TIME") and not hit.anaphoric and hit.resolved:
            ctx.remember(hit.value)
        ctx.notes["last"] = hit.value
        out.append(to_expr(text, start, end, hit))
    return out


_BEYOND = re.compile(r"^(?:\d{5}|-|0000)")


def _handle(rule: Rule, m: re.Match[str], ctx: Ctx) -> Hit | None:
    """``rule``'s hit for ``m``; when resolving it would leave the calendar (before year
    1 or after 9999: "tomorrow" on 9999-12-31) the expression is kept unresolved, as if
    the article had no date, instead of failing or inventing a year 10000."""
    try:
        hit = rule.handler(m, ctx)
        if hit is None or not _BEYOND.match(hit.value):
            return hit
    except (OverflowError, ValueError):
        pass
    try:
        return rule.handler(m, Ctx(None, tense=ctx.tense, notes=ctx.notes))
    except (OverflowError, ValueError):
        return None


def widen(text: str, start: int, hit: Hit, end: int | None = None) -> tuple[int, Hit]:
    """Join "about", "more than", "nearly" ... before a duration or an "ago" date.

    ``end`` (the end of the expression) lets a possessive ("Wednesday's") refuse it.
    """
    m = _PREFIX.search(text, max(0, start - 16), start)
    if m is None or m.end() != start:
        return start, hit
    word = m.group(1).lower()
    if end is not None and text[:end].endswith("'s"):
        return start, hit  # "around Wednesday's ruling": the word belongs to the verb
    if hit.type != "DURATION" and word not in (
        "about",
        "around",
        "approximately",
        "roughly",
        "nearly",
        "almost",
    ):
        return start, hit
    if hit.type == "DURATION" and text[start : start + 4].lower() == "the ":
        return start, hit
    mod = lx.APPROX_PREFIXES[word]
    if hit.type != "DURATION":
        mod = "APPROX"
    return m.start(), Hit(hit.type, hit.value, mod, hit.resolved, hit.anaphoric)


def to_expr(text: str, start: int, end: int, hit: Hit) -> TimeExpr:
    """Build the record: granularity and interval come from the value itself."""
    gran, first, last = bounds(hit.value) if hit.type in ("DATE", "TIME") else (None,) * 3
    if gran is None and hit.type in ("DATE", "TIME") and hit.value:
        gran = _granularity_of_placeholder(hit.value)
    return TimeExpr(
        text=text[start:end],
        start=start,
        end=end,
        type=hit.type,
        value=hit.value,
        granularity=gran,
        interval_start=first,
        interval_end=last,
        resolved=hit.resolved,
        mod=hit.mod,
    )


def _granularity_of_placeholder(value: str) -> str | None:
    if value.endswith("_REF"):
        return None
    if "T" in value[10:]:
        return "part_of_day" if value[-2:].isalpha() else "minute"
    if "-W" in value:
        return "day" if re.search(r"-W\w\w-\d", value) else "week"
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}-[\dX]{2}", value):
        return "day"
    if re.fullmatch(r"[\dX]{4}-[\dX]{2}", value):
        return "month"
    if re.fullmatch(r"[\dX]{4}-Q[\dX]", value):
        return "quarter"
    if re.fullmatch(r"[\dX]{4}-(SP|SU|FA|WI)", value):
        return "season"
    if re.fullmatch(r"[\dX]{4}", value):
        return "year"
    return None
