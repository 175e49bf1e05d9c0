"""Actors: people, organisations, countries, places, groups, products, market indices
and currencies, each mention resolved to one actor.

Within an article, the forms of a name resolve to one canonical actor ("Blinken" and
"US Secretary of State Antony Blinken" are Antony Blinken; "UN" is the United Nations),
titles are kept ("US Secretary of State"), and the article's own evidence repairs NER
errors: a "Crocker" tagged ORG is the person Sheba Crocker when the article names her.
A place name is a country only when it names one (ISO 3166); cities and regions are
places ("Geneva"). Products ("the Boeing 787 Dreamliner", "the iPhone 4"), market
indices ("the S&P 500") and currencies ("the dollar") are actors too, found by
pattern where the tagger has no label for them (see :mod:`.markets`).
Role phrases resolve where the article allows: "both Russian and US presidents" are the
persons the article calls Russian and US presidents.

>>> from kb.nlp import get_nlp
>>> index = find_actors(get_nlp()("French President Emmanuel Macron met Putin. Macron spoke."))
>>> [(a.name, a.titles) for a in index.actors if a.kind == "person"]
[('Emmanuel Macron', ('French President',)), ('Putin', ())]
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kb.extract.gazetteer import (
    ACRONYMS,
    CAPITALS,
    COUNTRY_FORMS,
    COUNTRY_NAMES,
    DEMONYMS,
    NEWS_COUNTRIES,
    SPEECH_VERBS,
    TITLE_HEADS,
)
from kb.extract.markets import market_and_product_mentions, model_line_at
from kb.extract.types import Actor, Span
from kb.nlp import doc_text

__all__ = ["ActorIndex", "find_actors"]

_KIND = {"PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "group",
         "LOC": "place", "FAC": "place", "PRODUCT": "product"}
_LEADING = {"the", "a", "an"}
_POSSESSIVE = ("'s", "’s", "'", "’")
_TITLE_LINK = {"of", "to", "for", "the", "and", "on", "at", "'s", "’s"}
_HEAD_OF_STATE = {"president", "prime", "chancellor", "king", "queen", "premier", "leader"}
_NOT_NAME = re.compile(r"^[\W\d_]+$|^[a-z]")


@dataclass
class _Cluster:
    name: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    titles: list[str] = field(default_factory=list)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    nationality: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)

    def add_title(self, title: str, nations: set[str], heads: set[str]) -> None:
        self.nationality |= nations
        self.roles |= heads
        if heads - {"counterpart", "counterparts"} and title not in self.titles:
            self.titles.append(title)


@dataclass(frozen=True)
class ActorIndex:
    """The actors of one article and which text spans mention which actors."""

    actors: tuple[Actor, ...]
    spans: tuple[tuple[int, int, tuple[str, ...]], ...]
    kinds: dict[str, str]

    def names_overlapping(self, start: int, end: int) -> tuple[str, ...]:
        """Actors whose mention overlaps [start, end), the most specific mention first."""
        hits = [(e - s, names) for s, e, names in self.spans if s < end and start < e]
        hits.sort(key=lambda h: h[0])
        out: list[str] = []
        for _, names in hits:
            out.extend(n for n in names if n not in out)
        return tuple(out)

    def names_within(self, start: int, end: int) -> tuple[str, ...]:
        """Actors mentioned entirely inside [start, end), in text order."""
        out: list[str] = []
        for s, e, names in self.spans:
            if start <= s and e <= end:
                out.extend(n for n in names if n not in out)
        return tuple(out)

    def mentions_before(self, pos: int) -> list[tuple[int, int, tuple[str, ...]]]:
        return [m for m in self.spans if m[1] <= pos]


def _clean(span: SpacySpan) -> SpacySpan | None:
    """Strip a leading article, a trailing possessive and punctuation from an entity."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _LEADING or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _strip_title(span: SpacySpan) -> tuple[SpacySpan, str | None]:
    """'President Putin' tagged PERSON as a whole -> ('Putin', 'President')."""
    i = span.start
    while i < span.end - 1 and span.doc[i].lower_ in TITLE_HEADS | {"vice", "prime", "foreign"}:
        i += 1
    if i == span.start:
        return span, None
    return span.doc[i:span.end], span.doc[span.start:i].text


def _title_tokens_left(doc: Doc, i: int) -> tuple[int, int] | None:
    """The title phrase ending just before token i ("US Secretary of State" Antony ...)."""
    j = i - 1
    comma = j >= 0 and doc[j].text == ","
    if comma:  # appositive: "US ambassador to the UN, Sheba Crocker"
        j -= 1
    end = j + 1
    start = end
    has_head = False
    while j >= 0:
        tok = doc[j]
        low = tok.lower_
        if tok.ent_type_ == "PERSON":
            break
        if low in TITLE_HEADS:
            has_head = True
        elif tok.is_punct and tok.text in "-":
            pass
        elif low in _TITLE_LINK:
            if j == 0 or doc[j - 1].is_punct:
                break
        elif tok.pos_ in ("PROPN", "ADJ", "NOUN") and not tok.is_punct:
            if tok.pos_ == "NOUN" and not has_head:
                break
        else:
            break
        start = j
        j -= 1
    raw_start = start
    # "US to UN human rights chief": a link before any title word starts a new phrase.
    for k in range(start, end):
        if doc[k].lower_ in TITLE_HEADS:
            break
        if doc[k].lower_ in ("to", "of", "for"):
            start = k + 1
    while start < end and doc[start].lower_ in _TITLE_LINK:
        start += 1
    if not has_head or start >= end:
        return None
    if any(t.tag_ in ("NNS", "NNPS") for t in doc[start:end] if t.lower_ in TITLE_HEADS):
        return None  # "a call with transatlantic leaders, Biden said": not his title
    if comma and raw_start > 0 and doc[raw_start - 1].pos_ in ("ADP", "VERB"):
        return None  # "after a call with transatlantic leaders, Biden said"
    if doc[end - 1].lower_ not in TITLE_HEADS and doc[end - 1].ent_type_ not in (
        "ORG", "GPE", "NORP"
    ):
        return None
    return start, end


def _title_tokens_right(doc: Doc, span: SpacySpan) -> tuple[int, int] | None:
    """'Antony Blinken, the US Secretary of State, said' -> the appositive title."""
    j = span.end
    if j >= len(doc) or doc[j].text != ",":
        return None
    k = j + 1
    while k < len(doc) and doc[k].lower_ in _LEADING:
        k += 1
    if k >= len(doc) or doc[k].pos_ not in ("PROPN", "ADJ", "NOUN"):
        return None
    start, has_head = k, False
    while k < len(doc) and k - start < 10:
        tok = doc[k]
        if tok.text in (",", ".", ";", ")") or tok.pos_ in ("VERB", "AUX", "CCONJ"):
            break
        if tok.lower_ in TITLE_HEADS:
            has_head = True
        k += 1
    if has_head and k > start and k < len(doc) and doc[k].text in (",", ".", ";", ")"):
        return start, k
    return None


def _nations(doc: Doc, start: int, end: int) -> set[str]:
    out = set()
    for tok in doc[start:end]:
        low = tok.lower_
        if low in DEMONYMS:
            out.add(DEMONYMS[low])
        elif tok.ent_type_ == "GPE":
            out.add(COUNTRY_FORMS.get(low, tok.text))
    return out


def _heads(doc: Doc, start: int, end: int) -> set[str]:
    return {t.lemma_.lower() for t in doc[start:end] if t.lower_ in TITLE_HEADS}


def _canonical(kind: str, text: str) -> str:
    low = text.lower()
    if kind == "country":
        return COUNTRY_FORMS.get(low, CAPITALS.get(text, text))
    if kind == "organization":
        return ACRONYMS.get(text, text)
    return text


class _Builder:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.clusters: dict[str, _Cluster] = {}
        self.spans: list[tuple[int, int, tuple[str, ...]]] = []
        self.covered: set[int] = set()

    def cluster(self, name: str, kind: str) -> _Cluster:
        if name not in self.clusters:
            self.clusters[name] = _Cluster(name, kind)
        return self.clusters[name]

    def mention(self, name: str, kind: str, span: SpacySpan, alias: str | None = None) -> None:
        c = self.cluster(name, kind)
        c.mentions.append((span.start_char, span.end_char))
        if alias and alias != name:
            c.aliases.add(alias)
        self.spans.append((span.start_char, span.end_char, (name,)))
        self.covered.update(range(span.start, span.end))

    def titles_for(self, c: _Cluster, span: SpacySpan) -> None:
        left = _title_tokens_left(self.doc, span.start)
        for found in (left, _title_tokens_right(self.doc, span)):
            if found:
                s, e = found
                title = self.doc[s:e].text
                c.add_title(title, _nations(self.doc, s, e), _heads(self.doc, s, e))


_ORG_WORDS = frozenset(
    """council conference house department union party ministry post times news
    agency bank group committee commission court office service services forces army
    navy force guard assembly parliament congress senate government administration
    kremlin nations organization organisation company corp inc ltd university institute
    foundation fund network press media tv radio association federation league club
    board authority police security intelligence embassy motors airlines airways
    industries holdings systems technologies electric energy pharmaceuticals
    communications entertainment aerospace automotive securities partners co llc plc
    ag gmbh reserve exchange treasury""".split()
)


def _relabel(span: SpacySpan, label: str) -> str:
    """Repair a label from the span's own evidence: a capital or a known country is a
    place; a name coordinated with a place is a place ("Donetsk and Luhansk"); an
    organisation right after a title is a person ("Chancellor Olaf Scholz")."""
    text = span.text
    if text in CAPITALS or text in NEWS_COUNTRIES:
        return "GPE"
    root = span.root
    if label in ("PERSON", "ORG") and any(
        c.ent_type_ == "GPE" and c.ent_iob_ == "B" for c in (*root.conjuncts,)
    ):
        return "GPE"
    if label == "PERSON" and len(span) == 1 and _place_modifier(root):
        return "GPE"  # "the Donetsk and Luhansk regions"
    if label == "ORG" and 2 <= len(span) <= 3 and all(
        t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_.rstrip(".") not in _ORG_WORDS
        for t in span
    ) and span.root.dep_ in ("nsubj", "nsubjpass") and span.root.head.pos_ == "VERB" and not (
            span.start > 0 and span.doc[span.start - 1].lower_ == "the"):
        # "Olaf Scholz called it a dark day": a name acting as a person ("the Federal
        # Reserve said" is not one: no person's name follows "the")
        return "PERSON"
    if label == "PERSON" and len(span) == 1 and span.start > 0 and (
            span.doc[span.start - 1].lower_ == "the") and span[0].lower_ not in TITLE_HEADS:
        return "ORG"  # "told the Gazette": a one-word name after "the" is no person
    if label in ("GPE", "LOC") and _speaking_name(span):
        return "PERSON"  # "Ines Darrow, director of ..., said": places do not speak
    if label in ("ORG", "GPE") and len(span) >= 2 and span.start > 0 and (
        span.doc[span.start - 1].lower_ in TITLE_HEADS
        and span.doc[span.start - 1].text[:1].isupper()
    ):
        return "PERSON"
    return label


_PLACE_NOUNS = frozenset(
    "region regions republic republics province provinces city cities oblast oblasts "
    "district districts area areas town towns village villages border borders".split()
)


def _place_modifier(tok: Token) -> bool:
    """Whether a name (or the name it is coordinated with) modifies a place noun."""
    first = tok.head if tok.dep_ == "conj" else tok
    return first.dep_ in ("nmod", "compound", "amod") and first.head.lower_ in _PLACE_NOUNS


def _vote(counts: Counter[str], label: str) -> str:
    """The label most often given to the same text in this article (ties keep label)."""
    best, n = counts.most_common(1)[0]
    return best if n > counts[label] else label


def _roles_of(
    doc: Doc, person_spans: list[tuple[SpacySpan, str | None]],
    people: dict[tuple[str, ...], str],
) -> dict[str, set[str]]:
    """Each full-named person's roles in the article: the heads of their titles
    ("President", "general secretary"), and "member" for "Tomas Kovel of the Port
    Workers' Federation" (someone's man, not a head of state)."""
    out: dict[str, set[str]] = {}
    for span, title in person_spans:
        key = _person_key([t.text for t in span if not t.is_punct])
        if len(key) < 2 or people.get(key) != span.text:
            continue
        heads = out.setdefault(people[key], set())
        if title:
            heads |= {w.lower() for w in title.split()} & TITLE_HEADS
        for found in (_title_tokens_left(doc, span.start), _title_tokens_right(doc, span)):
            if found:
                heads |= _heads(doc, *found) - {"counterpart", "counterparts"}
        after = doc[span.end + 1 : span.end + 3]
        if span.end < len(doc) and doc[span.end].lower_ == "of" and any(
                t.ent_type_ == "ORG" for t in after):
            heads.add("member")
    return out


def _titled_short_form(
    key: tuple[str, ...], title: str | None, people: dict[tuple[str, ...], str],
    roles: dict[str, set[str]],
) -> str | None:
    """Which person "President Kovel" is when the article names more than one Kovel, or
    a Kovel with another role: the one whose titles say president; none when every
    full name bearing the surname has roles and none of them is this title (the mention
    then stays a person of its own, for the knowledge base to place). None also when
    there is nothing to decide (no title, or a full name with no known role)."""
    words = (title or "").split()
    heads = {w.lower() for w in words} & _HEAD_OF_STATE
    if not heads or len(key) != 1:
        return None
    named = [n for k, n in people.items() if len(k) > 1 and k[-1] == key[0] and people[k] == n]
    named = list(dict.fromkeys(named))
    matching = [n for n in named if roles.get(n, set()) & heads]
    if len(matching) == 1:
        return matching[0]
    if named and not matching and all(roles.get(n) for n in named):
        return key[0].title()  # the surname alone, its title kept: placed across articles
    return None


def _person_key(tokens: list[str]) -> tuple[str, ...]:
    return tuple(t.lower() for t in tokens)


#: Lower-case particles inside personal names ("Ursula von der Leyen", "Vincent van Gogh").
_PARTICLES = frozenset("von van der den de da di du del della la le bin ibn al el ter zu".split())


def _joined_names(doc: Doc) -> list[tuple[SpacySpan, str]]:
    """The tagger's entities with their labels, where a person's name that the tagger
    cut at a particle is whole again: "Ursula von der" (PERSON) + "Leyen" (GPE) is the
    person Ursula von der Leyen."""
    out: list[tuple[SpacySpan, str]] = []
    end = 0
    for ent in doc.ents:
        if ent.start < end:
            continue  # taken into the name before it
        stop = ent.end
        if ent.label_ == "PERSON":
            j = stop
            while j < len(doc) and (doc[j].text in _PARTICLES or (
                    doc[j - 1].text in _PARTICLES and doc[j].is_alpha
                    and doc[j].text[:1].isupper())):
                j += 1
            while j > ent.start + 1 and doc[j - 1].text in _PARTICLES:
                j -= 1  # a name does not end with a particle
            stop = j
        out.append((doc[ent.start:stop] if stop != ent.end else ent, ent.label_))
        end = stop
    return out


def _untagged_speakers(doc: Doc) -> list[SpacySpan]:
    """Names the tagger missed that speak: "Ines Darrow, director of the ports
    authority, said ...". The subject of a speech verb written as two or three
    capitalised proper nouns, none of them a word of an organisation's or a place's
    name, a title or a country, is a person's name (organisations that speak carry
    such a word, or the tagger knows them). A single word is left alone here: it
    joins a person only as the surname of a full name (see find_actors)."""
    out: list[SpacySpan] = []
    for tok in doc:
        if tok.dep_ != "nsubj" or tok.ent_type_:
            continue
        start = tok.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i == tok.i:
            start -= 1
        span = doc[start:tok.i + 1]
        if not any(t.ent_type_ for t in span) and _speaking_name(span):
            out.append(span)
    return out


def _speaking_name(span: SpacySpan) -> bool:
    """Two or three capitalised proper nouns, none a word of an organisation's name, a
    title or a country, as the subject of a speech verb: a person's name."""
    root = span.root
    return (2 <= len(span) <= 3 and root.dep_ == "nsubj"
            and root.head.lemma_.lower() in SPEECH_VERBS and all(_name_word(t) for t in span))


def _name_word(tok: Token) -> bool:
    low = tok.lower_
    return (tok.pos_ == "PROPN" and tok.is_alpha and tok.text[:1].isupper()
            and not tok.text.isupper() and low not in _ORG_WORDS and low not in TITLE_HEADS
            and low not in DEMONYMS and low not in COUNTRY_NAMES and tok.text not in CAPITALS)


def find_actors(doc: Doc) -> ActorIndex:
    """Find and resolve the actors of one article (a spaCy Doc of the whole text)."""
    b = _Builder(doc)
    ents: list[tuple[SpacySpan, str]] = []
    for ent, label_ in _joined_names(doc):
        if label_ not in _KIND:
            continue
        span = _clean(ent)
        if span is None or len(span.text) < 2:
            continue
        if label_ in ("GPE", "LOC") and len(span) == 1 and span.text.isupper() and (
                len(span.text) <= 3 and span.text.lower() not in COUNTRY_NAMES):
            continue  # "AI tools": letters the tagger took for a place, not a country's
        if label_ == "PERSON" and span.start > 0 and model_line_at(doc, span.start - 1):
            continue  # "the 737 Max": a product's name, not a person (markets)
        if label_ == "ORG" and span.start >= 2 and doc[span.start - 1].lower_ == "of" and (
            doc[span.start - 2].lower_ in ("secretary", "department", "minister", "ministry")
        ):
            continue  # "Secretary of State" is a title, not an organisation
        ents.append((span, _relabel(span, label_)))
    ents.extend((span, "PERSON") for span in _untagged_speakers(doc))
    votes: dict[str, Counter[str]] = {}
    for span, label in ents:
        votes.setdefault(span.text.lower(), Counter())[label] += 1
    # the vote ignores case: a dateline's "KERRIN" (tagged a person) is the place the
    # article calls Kerrin everywhere else
    ents = [(span, _vote(votes[span.text.lower()], label)) for span, label in ents]

    # People first: full names, then shorter forms joining them.
    people: dict[tuple[str, ...], str] = {}
    person_spans = []
    for span, label in ents:
        if label == "PERSON":
            name_span, title = _strip_title(span)
            if _NOT_NAME.match(name_span.text):
                continue
            person_spans.append((name_span, title))
    for name_span, _ in sorted(person_spans, key=lambda p: -len(p[0])):
        toks = [t.text for t in name_span if not t.is_punct]
        key = _person_key(toks)
        if key in people:
            continue
        full = next(
            (n for k, n in people.items() if len(k) > len(key) and (
                k[-len(key):] == key or k[: len(key)] == key)),
            None,
        )
        people[key] = full or name_span.text
    surnames = {k[-1]: n for k, n in sorted(people.items(), key=lambda kv: len(kv[0]))}

    roles = _roles_of(doc, person_spans, people)
    for name_span, title in person_spans:
        key = _person_key([t.text for t in name_span if not t.is_punct])
        left = _title_tokens_left(doc, name_span.start)
        said = (title or "") + " " + (doc[left[0]:left[1]].text if left else "")
        name = _titled_short_form(key, said, people, roles) or people[key]
        b.mention(name, "person", name_span, alias=name_span.text)
        c = b.clusters[name]
        if title:
            c.add_title(title, set(), {title.split()[-1].lower()})
        b.titles_for(c, name_span)

    # Products, market indices and currencies (the tagger has no label for most).
    for name, kind, span, alias in market_and_product_mentions(doc, b.covered):
        b.mention(name, kind, span, alias=alias)

    # A place written in capitals (a dateline, a headline) is the place as written
    # elsewhere in the article: "KERRIN" is Kerrin.
    written = {span.text.lower(): span.text for span, _ in reversed(ents)
               if not span.text.isupper()}
    # Other entities; an entity that is a known person's name is that person.
    for span, label in ents:
        if label == "PERSON" or span.start in b.covered:
            continue
        key = _person_key([t.text for t in span if not t.is_punct])
        if key in people or (len(key) == 1 and key[0] in surnames):
            name = people.get(key) or surnames[key[0]]
            b.mention(name, "person", span, alias=span.text)
            b.titles_for(b.clusters[name], span)
            continue
        text = span.text
        if label == "NORP":
            country = DEMONYMS.get(text.lower())
            if country:
                b.mention(country, "country", span)
            elif text[:1].isupper() and span[-1].tag_ in ("NNPS", "NNS"):
                b.mention(text, "group", span)
            continue
        kind = _KIND[label]
        if kind == "country" and text in CAPITALS:
            b.mention(CAPITALS[text], "country", span, alias=text)
            continue
        name = _canonical(kind, written.get(text.lower(), text) if kind in (
            "country", "place") else text)
        if kind == "country" and name.lower() not in COUNTRY_NAMES:
            kind = "place"  # a city or a region, not a country
        b.mention(name, kind, span, alias=text)

    # Names the NER missed or split ("the Biden-Putin summit").
    for tok in doc:
        if tok.i in b.covered or tok.pos_ != "PROPN":
            continue
        surname = surnames.get(tok.lower_)
        if surname and tok.text[:1].isupper():
            b.mention(surname, "person", doc[tok.i:tok.i + 1], alias=tok.text)

    _merge_acronyms(b)
    _role_phrases(b)
    return _finish(b)


def _merge_acronyms(b: _Builder) -> None:
    """'UN' joins 'United Nations' when the initials match an organisation named here;
    'Security Council' joins 'UN Security Council' when the article names only that one."""
    orgs = [c for c in b.clusters.values() if c.kind == "organization"]
    for short in list(orgs):
        words = short.name.split()
        longer = [c for c in orgs if c is not short and len(c.name.split()) > len(words) >= 2
                  and c.name.split()[-len(words):] == words]
        if len(longer) == 1 and short.name in b.clusters:
            _absorb(b, longer[0], short)
            orgs.remove(short)
    for short in orgs:
        if not short.name.replace(".", "").isupper() or len(short.name) > 6:
            continue
        letters = short.name.replace(".", "")
        long = next((c for c in orgs if c is not short and _initials(c.name) == letters), None)
        if long is not None:
            _absorb(b, long, short)
    _untagged_acronyms(b, [c for c in orgs if c.name in b.clusters])


def _initials(name: str) -> str | None:
    """ "Port Workers' Federation" -> "PWF" (None for a one-word name)."""
    words = [w for w in name.split() if w[:1].isupper()]
    return "".join(w[0] for w in words) if len(words) > 1 else None


def _untagged_acronyms(b: _Builder, orgs: list[_Cluster]) -> None:
    """An acronym the tagger did not tag ("The PWF has asked ...") is the organisation
    of this article whose initials it spells."""
    by_letters: dict[str, list[_Cluster]] = {}
    for c in orgs:
        letters = _initials(c.name)
        if letters:
            by_letters.setdefault(letters, []).append(c)
    for tok in b.doc:
        found = by_letters.get(tok.text)
        if found and len(found) == 1 and tok.i not in b.covered and 2 <= len(tok) <= 6:
            b.mention(found[0].name, "organization", b.doc[tok.i:tok.i + 1], alias=tok.text)


def _absorb(b: _Builder, keep: _Cluster, gone: _Cluster) -> None:
    keep.aliases |= gone.aliases | {gone.name}
    keep.mentions += gone.mentions
    keep.titles += [t for t in gone.titles if t not in keep.titles]
    del b.clusters[gone.name]
    b.spans = [
        (s, e, tuple(keep.name if n == gone.name else n for n in names))
        for s, e, names in b.spans
    ]


def _role_phrases(b: _Builder) -> None:
    """'both Russian and US presidents' -> the persons this article calls so."""
    doc = b.doc
    persons = [c for c in b.clusters.values() if c.kind == "person"]
    for tok in doc:
        if tok.lower_ not in TITLE_HEADS or tok.pos_ != "NOUN" or tok.i in b.covered:
            continue
        mods = [t for t in tok.lefts if t.dep_ in ("amod", "compound", "nmod")]
        nation_toks = []
        for m in mods:
            nation_toks.append(m)
            nation_toks.extend(c for c in m.conjuncts)
        nations = set()
        for t in nation_toks:
            if t.lower_ in DEMONYMS:
                nations.add(DEMONYMS[t.lower_])
            elif t.ent_type_ == "GPE":
                nations.add(COUNTRY_FORMS.get(t.lower_, t.text))
        if not nations:
            continue
        role = tok.lemma_.lower()
        names: list[str] = []
        for nation in sorted(nations):
            match = [
                p for p in persons
                if nation in p.nationality and (
                    role in p.roles or (role in _HEAD_OF_STATE and p.roles & _HEAD_OF_STATE)
                )
            ]
            if len(match) != 1:
                names = []
                break
            names.append(match[0].name)
        if not names:
            continue
        left = min([tok.i] + [t.i for t in tok.lefts if t.dep_ in ("det", "amod", "compound",
                                                                  "nmod", "predet")])
        phrase = doc[left:tok.i + 1]
        order = sorted(names, key=lambda n: min(
            (t.idx for t in nation_toks if DEMONYMS.get(t.lower_) in b.clusters[n].nationality
             or COUNTRY_FORMS.get(t.lower_, t.text) in b.clusters[n].nationality), default=0))
        for n in order:
            b.clusters[n].mentions.append((phrase.start_char, phrase.end_char))
        b.spans.append((phrase.start_char, phrase.end_char, tuple(order)))


def _finish(b: _Builder) -> ActorIndex:
    text = doc_text(b.doc)
    counts = Counter({name: len(c.mentions) for name, c in b.clusters.items()})
    actors = []
    for name, _ in counts.most_common():
        c = b.clusters[name]
        mentions = tuple(Span(text[s:e], s, e) for s, e in sorted(set(c.mentions)))
        actors.append(Actor(
            name=c.name,
            kind=c.kind,
            aliases=tuple(sorted(a for a in c.aliases if a != c.name)),
            titles=tuple(c.titles),
            mentions=mentions,
        ))
    spans = tuple(sorted(set(b.spans)))
    return ActorIndex(tuple(actors), spans, {a.name: a.kind for a in actors})
