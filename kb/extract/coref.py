"""Who a speaker mention refers to: names, pronouns ("he"), nominals ("the official").

A light, rule-based resolver for the one job kb needs: turning a statement's speaker
mention into a canonical actor of the same article. It refuses rather than guesses: a
mention it cannot tie to an actor stays unresolved (None).

Pronouns agree in gender where the article shows it: a sentence that mentions one
person and then "she" or "her" is evidence about that person, as are "Mr" and "Ms".

>>> from kb import parse_article
>>> p = parse_article('Antony Blinken spoke on Sunday. "We are ready," he said.')
>>> p.quotes[-1].speaker.name
'Antony Blinken'
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence

from spacy.tokens import Doc

from kb.extract.actors import ActorIndex
from kb.extract.gazetteer import DEMONYMS, PRONOUNS, TITLE_HEADS
from kb.extract.ranges import Ranges
from kb.extract.types import Actor

__all__ = ["infer_genders", "resolve_mention", "SPEAKS_FOR_OWNER"]

_SYNONYMS = {
    "diplomat": ("secretary of state", "foreign minister", "foreign secretary", "ambassador",
                 "envoy", "diplomat"),
    "official": ("official", "secretary", "minister", "spokes", "adviser", "director",
                 "ambassador"),
    "spokesman": ("spokes",), "spokeswoman": ("spokes",), "spokesperson": ("spokes",),
    "leader": ("president", "prime minister", "chancellor", "leader", "king", "premier"),
}
_GROUP_KINDS = ("organization", "country", "group")
#: Head nouns of a definite description that stands for an organisation ("the company").
_ORG_HEADS = frozenset(
    "company firm corporation group agency bank organisation organization party campaign "
    "ministry department network newspaper".split()
)
#: Heads of a definite description of a business: "the carmaker" may also be the
#: organisation the article is about when none is named near it.
_COMPANY_HEADS = frozenset(
    "company firm corporation group bank carmaker planemaker airline automaker retailer "
    "insurer lender maker manufacturer producer concern thrift operator".split()
)
#: Heads of an institution's description: "the federation", "the court" is only an
#: organisation named with that word (the Port Workers' Federation, the Supreme Court).
_INSTITUTION_HEADS = frozenset(
    "federation union association authority council commission committee alliance "
    "coalition regulator court".split()
)
#: Heads of a definite description that stands for an organisation of the article.
_DESCRIPTION_HEADS = _ORG_HEADS | _COMPANY_HEADS | _INSTITUTION_HEADS
#: Heads of a body or a voice that speaks for whoever owns it: "Dravonia's foreign
#: ministry", "Biden's spokeswoman" (never "Biden's wife").
SPEAKS_FOR_OWNER = _DESCRIPTION_HEADS | frozenset(
    "government office embassy spokesman spokeswoman spokesperson army military police "
    "cabinet administration presidency mission delegation".split()
)
#: Heads of a definite description of a product ("the phone", "the store", "the plane").
_PRODUCT_HEADS = frozenset(
    "store service phone smartphone handset device gadget player laptop tablet console "
    "plane aircraft jet airliner car vehicle drug vaccine app".split()
)
#: Words that make a description another product than the one just named ("the
#: previous phone", "a rival device").
_OTHER_PRODUCT = frozenset("previous old older original rival other competing first last".split())
#: Words of the names of central banks ("the central bank" stands for one of them).
_CENTRAL_BANK_WORDS = ("central bank", "reserve", "bank of ")
#: How far back (characters) "the company" looks for the organisation it stands for.
ORG_REACH = 600
_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
           "she": "f", "her": "f", "hers": "f", "herself": "f"}
_HONORIFIC = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f",
              "miss": "f", "sir": "m", "madam": "f", "lady": "f", "lord": "m"}


def _kind_ok(pronoun_kind: str, actor_kind: str) -> bool:
    if pronoun_kind == "person":
        return actor_kind == "person"
    if pronoun_kind in ("thing", "plural"):
        return actor_kind in _GROUP_KINDS
    return False


def _inside(ranges: Sequence[tuple[int, int]] | Ranges, pos: int) -> bool:
    if isinstance(ranges, Ranges):
        return pos in ranges
    return any(s <= pos < e for s, e in ranges)


def infer_genders(
    doc: Doc, index: ActorIndex, quoted: Sequence[tuple[int, int]] | Ranges = ()
) -> dict[str, str]:
    """Persons' grammatical gender as this article shows it ("m" or "f"), where it does.

    Evidence: an honorific before a mention ("Ms Crocker"), and a third-person pronoun
    in a sentence whose only person mentioned before it is that person.
    """
    votes: dict[str, Counter[str]] = {}
    persons = {a.name for a in index.actors if a.kind == "person"}
    inside = quoted if isinstance(quoted, Ranges) else Ranges(quoted)
    spans = sorted((s, names) for s, _e, names in index.spans if s not in inside)
    k = 0
    for sent in doc.sents:
        while k < len(spans) and spans[k][0] < sent.start_char:
            k += 1
        seen: set[str] = set()
        j = k
        for tok in sent:
            while j < len(spans) and spans[j][0] < tok.idx:
                seen.update(n for n in spans[j][1] if n in persons)
                j += 1
            if tok.idx in inside:
                continue
            low = tok.lower_
            if low in _HONORIFIC and tok.i + 1 < len(doc):
                nxt = doc[tok.i + 1]
                for n in index.names_overlapping(nxt.idx, nxt.idx + len(nxt.text)):
                    if n in persons:
                        votes.setdefault(n, Counter())[_HONORIFIC[low]] += 2
            if low in _GENDER and len(seen) == 1:
                votes.setdefault(next(iter(seen)), Counter())[_GENDER[low]] += 1
    out: dict[str, str] = {}
    for name, c in votes.items():
        ranked = c.most_common()
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            out[name] = ranked[0][0]
    return out


def resolve_mention(
    text: str,
    start: int,
    end: int,
    index: ActorIndex,
    quoted: Sequence[tuple[int, int]] | Ranges = (),
    previous_speaker: str | None = None,
    genders: dict[str, str] | None = None,
    subjects: frozenset[int] = frozenset(),
    previous_at: int = -1,
    event: bool = False,
) -> str | None:
    """The canonical actor a mention at [start, end) refers to, or None.

    ``quoted`` are spans of direct quotes: names inside them are someone else's words and
    are not antecedents. ``previous_speaker`` is the speaker of the statement just
    before (the caller passes it only when that statement is near), preferred for a
    pronoun when compatible. ``genders`` (infer_genders) rules
    out antecedents of the other gender. ``subjects`` are the offsets of subject tokens;
    ``previous_at`` is where the previous statement was made. ``event``: the mention is
    an event's actor, where "we" is the organisation the article is about, if one is
    (never merely the one named last: "We are seeing real demand," Nadella said, after
    a paragraph on Apple).
    """
    body = _owned_body(text, index)
    if body is not None:
        return body
    # The mention of the head word decides: "The Ukrainian leader" is the leader, not
    # Ukraine; "US Secretary of State Antony Blinken" is Blinken.
    head_names = index.names_overlapping(max(start, end - 1), end)
    names = head_names or index.names_overlapping(start, end)
    if names:
        return names[0]
    words = text.lower().split()
    if not words:
        return None
    genders = genders or {}
    if len(words) == 1 and words[0] in PRONOUNS:
        pk = PRONOUNS[words[0]]
        if event and words[0] in ("we", "us"):
            return _salient_org(index, start)
        if pk == "thing" and previous_speaker and index.kinds.get(
                previous_speaker) in ("organization", "country"):
            # "Acme said ... It added ...": "it" goes on with an organisation that spoke
            # just before; otherwise it is as often a letter, a report or nothing at all
            # ("it is pertinent to note"): left unresolved, not guessed.
            return previous_speaker
        if pk in ("self", "thing"):
            # "I"/"we" speak for someone unnamed
            return None
        gender = _GENDER.get(words[0])

        def fits(name: str) -> bool:
            return _kind_ok(pk, index.kinds.get(name, "")) and (
                gender is None or genders.get(name, gender) == gender)

        # A pronoun that speaks continues the speaker just before ("..., she said,
        # referring to Putin. She warned ..."), not the last name in passing, unless
        # someone else has since become the subject of a sentence.
        ordered = sorted(subjects)

        def is_subject(s: int, e: int) -> bool:  # a subject's offset in [s, e)
            i = bisect_left(ordered, s)
            return i < len(ordered) and ordered[i] < e

        subject = _last_compatible(index, start, quoted, fits, is_subject)
        if previous_speaker and fits(previous_speaker):
            if subject and subject != previous_speaker and _position(
                    index, subject, start, quoted) > previous_at:
                return subject
            return previous_speaker
        return subject or _last_compatible(index, start, quoted, fits)
    head = words[-1]
    if words[-2:] == ["central", "bank"] and words[0] == "the":
        # "the central bank": the one the article names as such (a reserve bank, a
        # central bank, a "Bank of ..."), not the organisation named last
        return next((a.name for a in index.actors if a.kind == "organization" and any(
            w in a.name.lower() for w in _CENTRAL_BANK_WORDS)), None)
    if head in _DESCRIPTION_HEADS and words[0] == "the" and len(words) <= 3:
        # "the company said": the organisation last named outside quotes, if one is
        # named in the same or the previous paragraph; else unknown. One whose name
        # has the head word ("the federation": the Port Workers' Federation) is
        # preferred to a nearer one that does not.
        near = _named_near(index, start, quoted,
                           lambda n: index.kinds.get(n) == "organization")
        named = [n for n in near if head in n.lower().split()]
        if head in _INSTITUTION_HEADS:
            return next(iter(named), None)
        org = next(iter(named or near), None)
        if org is None and head in _COMPANY_HEADS:
            return _salient_org(index, start)
        return org
    if head in _PRODUCT_HEADS and words[0] in ("the", "this") and len(words) <= 3 and not (
            _OTHER_PRODUCT & set(words)):
        return _named_product(index, start, head, quoted)
    if head in TITLE_HEADS or head in _SYNONYMS:
        wanted = _SYNONYMS.get(head, (head,))
        by_name = {a.name: a for a in index.actors}
        for s, _e, found in reversed(index.mentions_before(start)):
            if _inside(quoted, s):
                continue
            for n in found:
                actor: Actor | None = by_name.get(n)
                if actor and actor.kind == "person" and any(
                        w in t.lower() for t in actor.titles for w in wanted):
                    return n
    return None


def _owned_body(text: str, index: ActorIndex) -> str | None:
    """ "Dravonia's foreign ministry" is the organisation the article also calls the
    Dravonian foreign ministry, when it does (else the mention resolves as usual)."""
    owner, sep, rest = text.replace("’", "'").partition("'s ")
    body = [w for w in rest.lower().split() if w != "the"]
    if not sep or not body or " " in owner.strip():
        return None
    owner = owner.strip().lower()
    for a in index.actors:
        if a.kind != "organization":  # the cheap test before splitting every name
            continue
        words = a.name.lower().split()
        if a.kind == "organization" and len(words) == len(body) + 1 and words[1:] == body and (
                _of_nation(words[0], owner)):
            return a.name
    return None


def _of_nation(adjective: str, country: str) -> bool:
    """Whether ``adjective`` names ``country``'s people: a known demonym, or the same
    stem ("Dravonian", "Dravonia")."""
    known = DEMONYMS.get(adjective)
    if known is not None:
        return known.lower() == country
    return len(country) >= 5 and adjective[:5] == country[:5]


def _named_near(
    index: ActorIndex, pos: int, quoted: Sequence[tuple[int, int]] | Ranges,
    fits: Callable[[str], bool],
) -> list[str]:
    """The actors that ``fits`` accepts named outside quotes within :data:`ORG_REACH`
    characters before ``pos``, the nearest first."""
    near: list[str] = []
    for s, _e, found in reversed(index.mentions_before(pos)):
        if _inside(quoted, s):
            continue
        if pos - s > ORG_REACH:
            break
        near.extend(n for n in found if n not in near and fits(n))
    return near


def _named_product(
    index: ActorIndex, pos: int, head: str, quoted: Sequence[tuple[int, int]] | Ranges
) -> str | None:
    """The product "the store" or "the phone" stands for: of the products named outside
    quotes within reach, one whose name has the head word ("the store": the iTunes Music
    Store, whatever its kind), else the one the article has named most so far (the
    nearest of a tie); else the product the article names most, by two mentions more
    than any other; else unknown."""
    near = _named_near(index, pos, quoted, lambda n: (
        index.kinds.get(n) == "product" or head in n.lower().split()))
    named = [n for n in near if head in n.lower().split()]
    if named:
        return named[0]
    so_far = {a.name: sum(1 for m in a.mentions if m.start < pos) for a in index.actors
              if a.kind == "product"}
    if near:
        return max(near, key=lambda n: so_far.get(n, 0))  # max keeps the nearest of a tie
    counts = sorted((c, n) for n, c in so_far.items() if c > 0)
    if len(counts) == 1 or (len(counts) > 1 and counts[-1][0] >= counts[-2][0] + 2):
        return counts[-1][1]
    return None


def _salient_org(index: ActorIndex, pos: int) -> str | None:
    """The organisation the article is about, for "the company" far from any name: the
    only one named before ``pos``, or the one named most often, by at least two
    mentions more than any other (a tie or a near tie is left unknown)."""
    counts = sorted(
        (sum(1 for m in a.mentions if m.start < pos), a.name)
        for a in index.actors if a.kind == "organization"
    )
    counts = [c for c in counts if c[0] > 0]
    if len(counts) == 1 or (len(counts) > 1 and counts[-1][0] >= counts[-2][0] + 2):
        return counts[-1][1]
    return None


def _last_compatible(index, pos, quoted, fits, where=None) -> str | None:  # type: ignore[no-untyped-def]
    for s, e, names in reversed(index.mentions_before(pos)):
        if _inside(quoted, s) or (where is not None and not where(s, e)):
            continue
        ok = [n for n in names if fits(n)]
        if ok:
            return ok[0]
    return None




def _position(
    index: ActorIndex, name: str, pos: int, quoted: Sequence[tuple[int, int]] | Ranges
) -> int:
    """Where ``name`` was last mentioned outside quotes before ``pos`` (-1 if never)."""
    for s, _e, names in reversed(index.mentions_before(pos)):
        if name in names and not _inside(quoted, s):
            return s
    return -1
