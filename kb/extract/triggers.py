"""Event triggers: every event predicate of a parsed text, verbal or nominal (TimeML EVENT).

An event trigger is the word that names something that happens, holds or is reported
(TimeML's EVENT): "fell", "deal", "sales", "invasion", "said". For each one
:func:`find_triggers` gives its span, its lemma, its TimeML class (OCCURRENCE,
REPORTING, ASPECTUAL, STATE, I_ACTION, I_STATE, PERCEPTION), and what the parse shows
of its polarity, tense, aspect and modality.

Two small linear models (averaged perceptrons) decide, over spaCy token features (lemma,
part of speech, tag, dependency, head, entity type, morphology, suffixes, neighbours,
dependents, and the WordNet kind of the word: act, event, state, communication, ...):
whether a token is a trigger (its score above the threshold chosen on training folds)
and, if so, its class. Polarity, tense, aspect and modality are read from the parse by
rules (a negation dependent, the auxiliaries, a modal auxiliary, a governing verb of
intention): the parse states them plainly, so no data is needed to decide them.

The weights (``kb/data/triggers.json``: JSON with a ``version``, the ``settings``
chosen and a table of WordNet word kinds) are trained by ``scripts/train_triggers.py``
on the training four fifths of TempEval-3 TBAQ-cleaned; they are loaded once, lazily,
and cached. Scoring is a sum of weights: a few per cent of the parse time.

How it is meant to be used: parse the article once with :func:`kb.nlp.get_nlp` and pass
the Doc (``find_triggers(doc)``); a pipeline that has the Doc already calls it there,
next to the other extractors. The triggers are plain frozen records in text order,
with character offsets into the Doc's text (the article text when the Doc was made
from it), so they join to times, actors, quotes and sentences by offset, or by
``token``, the index of the trigger's word in the Doc (``doc[t.token]`` is the node to
walk the parse from for arguments). A statement's cue is a REPORTING trigger; typed
events are triggers whose lemma the event layer knows. The function reads nothing but
the Doc and the cached weights and changes neither.

>>> from kb.nlp import get_nlp
>>> doc = get_nlp()("The company said it would not sell the unit.")
>>> [(t.text, t.event_class, t.polarity, t.tense, t.modality) for t in find_triggers(doc)]
[('said', 'REPORTING', 'POS', 'PAST', None), ('sell', 'OCCURRENCE', 'NEG', 'NONE', 'would')]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

from spacy.attrs import (
    DEP,
    ENT_TYPE,
    HEAD,
    IS_TITLE,
    LEMMA,
    LOWER,
    MORPH,
    POS,
    SENT_START,
    SHAPE,
    TAG,
)
from spacy.tokens import Doc, Token

from kb.errors import ModelError
from kb.extract.weights import read_weights

__all__ = [
    "EVENT_CLASSES",
    "WEIGHTS_PATH",
    "WEIGHTS_VERSION",
    "Trigger",
    "TriggerModel",
    "find_triggers",
    "load_model",
    "token_features",
    "candidate_tokens",
    "class_features",
    "trigger_span",
    "grammar",
]

#: The TimeML event classes, in the order the class model's weight vectors use.
EVENT_CLASSES = (
    "OCCURRENCE",
    "REPORTING",
    "ASPECTUAL",
    "STATE",
    "I_ACTION",
    "I_STATE",
    "PERCEPTION",
)
WEIGHTS_PATH = Path(__file__).resolve().parent.parent / "data" / "triggers.json"
#: The weights file format this module reads; the training script writes it.
WEIGHTS_VERSION = 1

#: Verbs of intention that make the event they govern (by an infinitive) a plan, not a
#: fact: "plans to build", "wants to buy".
_INTENT = frozenset({
    "plan", "intend", "want", "hope", "aim", "seek", "expect", "propose", "wish",
    "prepare", "try", "attempt", "mean", "promise", "threaten", "vow", "pledge",
})
#: Dependents that say what kind of predicate a word is ("agreed to purchase").
_CORE = frozenset({"dobj", "xcomp", "ccomp", "nsubj", "nsubjpass", "acomp", "attr", "advcl",
                   "pcomp", "oprd", "dative"})
_FUTURE = frozenset({"will", "shall", "'ll", "wo"})


@dataclass(frozen=True)
class Trigger:
    """One event trigger.

    ``start``/``end`` are character offsets into the Doc's text (end exclusive);
    ``token`` is the index of its head token in the Doc. ``tense`` is PAST, PRESENT,
    FUTURE or NONE; ``aspect`` is PERFECTIVE, PROGRESSIVE, PERFECTIVE_PROGRESSIVE or
    NONE; ``polarity`` is POS or NEG; ``modality`` is the modal auxiliary ("would",
    "may") or verb of intention ("plan") governing it, or None. ``score`` is the
    trigger model's margin over its threshold (higher is surer).
    """

    text: str
    start: int
    end: int
    lemma: str
    event_class: str
    polarity: str
    tense: str
    aspect: str
    modality: str | None
    token: int
    score: float


@dataclass(frozen=True)
class TriggerModel:
    """The learnt weights: ``trigger`` scores a token, ``classes`` its class vector."""

    version: int
    settings: dict[str, Any]
    trigger: dict[str, float]
    classes: dict[str, tuple[float, ...]]
    senses: dict[str, str]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TriggerModel:
        """The model of a weights file's JSON object."""
        return cls(
            version=int(data["version"]),
            settings=dict(data["settings"]),
            trigger={str(k): float(v) for k, v in data["trigger"].items()},
            classes={str(k): tuple(float(x) for x in v) for k, v in data["classes"].items()},
            senses={str(k): str(v) for k, v in data.get("senses", {}).items()},
        )

    @property
    def threshold(self) -> float:
        return float(self.settings["threshold"])

    @cached_property
    def candidate_pos(self) -> frozenset[str]:
        return frozenset(self.settings["candidate_pos"])


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> TriggerModel:
    """The trigger and class weights of ``path`` (default: the shipped file), cached."""
    p = Path(path) if path else WEIGHTS_PATH
    data = read_weights(p, "event trigger weights", "scripts/train_triggers.py")
    if data.get("version") != WEIGHTS_VERSION:
        raise ModelError(
            f"{p}: event trigger weights of version {data.get('version')!r}, this kb reads "
            f"version {WEIGHTS_VERSION}; run scripts/train_triggers.py to retrain them"
        )
    return TriggerModel.from_dict(data)


class _Columns:
    """The token attributes the features read, as plain per-Doc lists built in one pass
    over the Doc's arrays: reading them per token through spaCy's Token objects (made
    anew on every access) was most of the trigger finder's time."""

    __slots__ = ("doc", "n", "raw_lemma", "lemma", "lower", "pos", "tag", "dep", "ent",
                 "shape", "morph", "title", "start", "head", "children")

    def __init__(self, doc: Doc) -> None:
        strings = doc.vocab.strings
        self.doc = doc
        self.n = n = len(doc)
        array = doc.to_array([LEMMA, LOWER, POS, TAG, DEP, ENT_TYPE, SHAPE, MORPH, IS_TITLE,
                              HEAD])
        cols = array.tolist()  # string hashes (unsigned)
        heads = array[:, 9].astype("int64").tolist() if n else []  # relative, signed
        starts = doc.to_array([SENT_START]).astype("int64").tolist() if n else []
        self.raw_lemma = [strings[r[0]] for r in cols]
        self.lemma = [x.lower() for x in self.raw_lemma]
        self.lower = [strings[r[1]] for r in cols]
        self.pos = [strings[r[2]] for r in cols]
        self.tag = [strings[r[3]] for r in cols]
        self.dep = [strings[r[4]] for r in cols]
        self.ent = [strings[r[5]] if r[5] else "" for r in cols]
        self.shape = [strings[r[6]][:4] for r in cols]
        self.morph = [strings[r[7]] if r[7] else "" for r in cols]
        self.morph = [m if m != "_" else "" for m in self.morph]  # "_": no features
        self.title = [bool(r[8]) for r in cols]
        self.start = [x == 1 for x in starts]
        self.head = [i + h for i, h in enumerate(heads)]
        self.children: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(self.head):
            if h != i:
                self.children[h].append(i)


_last: list[_Columns] = []


def _columns(doc: Doc) -> _Columns:
    """The columns of ``doc``, kept for the last Doc asked about (the extractors of one
    article, and :func:`token_features` in the training script, ask about one Doc in
    turn). A Doc is read, never changed, by the extractors, so the columns stay true."""
    cached = _last[0] if _last else None
    if cached is not None and cached.doc is doc and cached.n == len(doc):
        return cached
    cols = _Columns(doc)
    _last[:] = [cols]
    return cols


def candidate_tokens(doc: Doc, pos: frozenset[str]) -> list[Token]:
    """The tokens that may be triggers: those whose part of speech is in ``pos``."""
    tags = _columns(doc).pos
    return [doc[i] for i in range(len(doc)) if tags[i] in pos]


def token_features(tok: Token, senses: dict[str, str]) -> list[str]:
    """The features both models read for one token (strings, each worth 1).

    ``senses`` maps "n:<noun lemma>" and "v:<verb lemma>" to the WordNet lexicographer
    files of the word's first senses (two digits each, most frequent first: "0411" for
    "invasion", an act and an event): what kind of thing a word names, for words the
    training data never showed.
    """
    return _features(_columns(tok.doc), tok.i, senses)


_CHILD_WORD = frozenset({"aux", "auxpass", "det", "prep", "neg", "mark", "poss", "case", "prt"})


def _features(c: _Columns, i: int, senses: dict[str, str]) -> list[str]:
    lemma, lower, pos, tag, dep = c.lemma[i], c.lower[i], c.pos[i], c.tag[i], c.dep[i]
    h = c.head[i]
    hl, hp = c.lemma[h], c.pos[h]
    pl, pt = (c.lemma[i - 1], c.tag[i - 1]) if i > 0 else ("<s>", "<s>")
    nl, nt = (c.lemma[i + 1], c.tag[i + 1]) if i + 1 < c.n else ("</s>", "</s>")
    f = [
        "bias", "l=" + lemma, "w=" + lower, "p=" + pos, "t=" + tag, "d=" + dep,
        "pd=" + pos + dep, "lp=" + lemma + pos, "s2=" + lower[-2:], "s3=" + lower[-3:],
        "s4=" + lower[-4:], "hl=" + hl, "hp=" + hp, "dhl=" + dep + hl, "dhp=" + dep + hp,
        "hd=" + c.dep[h], "e=" + (c.ent[i] or "-"), "sh=" + c.shape[i],
        "pl=" + pl, "pt=" + pt, "nl=" + nl, "nt=" + nt, "tt=" + pt + tag,
        "ld=" + lemma + "|" + dep,
    ]
    morph = c.morph[i]
    if morph:
        f.extend("m=" + m for m in morph.split("|") if m)
    for k in c.children[i]:
        cd = c.dep[k]
        f.append("cd=" + cd)
        if cd in _CHILD_WORD:
            f.append("cl=" + cd + c.lower[k])
        elif cd in _CORE:
            f.append("cp=" + cd + c.pos[k])
            f.append("lc=" + lemma + "|" + cd)
    if c.title[i] and not c.start[i]:
        f.append("title")
    kind = "n" if pos in ("NOUN", "PROPN") else "v" if pos in ("VERB", "AUX") else ""
    if kind:
        codes = senses.get(kind + ":" + lemma, "")
        f.append("ws1=" + kind + (codes[:2] or "-"))
        f.extend("ws=" + kind + codes[k:k + 2] for k in range(2, len(codes), 2))
    return list(dict.fromkeys(f))


def class_features(tok: Token, triggers: set[int]) -> list[str]:
    """What the class model reads besides :func:`token_features`: which of the token's
    dependents and head are triggers themselves ("agreed to purchase": the complement
    "purchase" is an event, so "agreed" is an intention, I_ACTION)."""
    return _class_features(_columns(tok.doc), tok.i, triggers)


def _class_features(c: _Columns, i: int, triggers: set[int]) -> list[str]:
    lemma = c.lemma[i]
    f = []
    for k in c.children[i]:
        if k in triggers:
            f.append("ec=" + c.dep[k])
            f.append("el=" + lemma + "|" + c.dep[k])
        elif c.dep[k] == "prep":
            if any(g in triggers for g in c.children[k]):
                f.append("ep=" + c.lower[k])
                f.append("epl=" + lemma + "|" + c.lower[k])
    if c.head[i] in triggers:  # the root is its own head: a trigger root reads "eh=ROOT"
        f.append("eh=" + c.dep[i])
    return list(dict.fromkeys(f))


def trigger_span(tok: Token) -> tuple[int, int]:
    """The characters of a trigger: the token, with the words joined to it by a hyphen
    ("cease-fire", "buy-back" are one trigger though they are three tokens)."""
    doc = tok.doc
    lo = hi = tok.i
    while lo >= 2 and doc[lo - 1].text == "-" and not doc[lo - 1].whitespace_ and not doc[
            lo - 2].whitespace_ and doc[lo - 2].is_alpha:
        lo -= 2
    while hi + 2 < len(doc) and doc[hi + 1].text == "-" and not doc[hi].whitespace_ and not doc[
            hi + 1].whitespace_ and doc[hi + 2].is_alpha:
        hi += 2
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _verb_group(tok: Token) -> Token | None:
    """The verb whose auxiliaries carry the trigger's tense: the trigger itself, or the
    copula of a predicate ("was available", "is a candidate")."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    if tok.dep_ in ("acomp", "attr") and tok.head.lemma_ == "be":
        return tok.head
    return None


def _auxiliaries(verb: Token) -> list[Token]:
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if not aux and verb.dep_ == "conj" and verb.tag_ in ("VB", "VBN", "VBG"):
        # "has bought and sold": the second verb shares the first one's auxiliaries
        aux = [c for c in verb.head.children if c.dep_ in ("aux", "auxpass")]
    return [a for a in aux if a.lower_ != "to"]


def grammar(tok: Token) -> tuple[str, str, str, str | None]:
    """(polarity, tense, aspect, modality) of the trigger ``tok`` as the parse shows them.

    "did not meet" is NEG and PAST; "has been talking" is PRESENT and
    PERFECTIVE_PROGRESSIVE; "would create" has modality "would"; "plans to build" gives
    "build" the modality "plan"; a noun ("the deal") has tense and aspect NONE.
    """
    verb = _verb_group(tok)
    negs = [c for c in tok.children if c.dep_ == "neg"]
    negs += [c for c in tok.children if c.dep_ == "det" and c.lower_ == "no"]
    if verb is not None and verb is not tok:
        negs += [c for c in verb.children if c.dep_ == "neg"]
    polarity = "NEG" if negs else "POS"
    tense, aspect, modality = "NONE", "NONE", None
    if verb is not None:
        aux = _auxiliaries(verb)
        chain = [*aux, verb]
        modal = next((a for a in aux if a.tag_ == "MD"), None)
        if modal is not None:
            modality = modal.lower_ if modal.lower_ not in ("'ll", "wo") else "will"
            tense = "FUTURE" if modal.lower_ in _FUTURE else "NONE"
        else:
            first = chain[0]
            tense = {"VBD": "PAST", "VBZ": "PRESENT", "VBP": "PRESENT"}.get(first.tag_, "NONE")
        lemmas = [a.lemma_ for a in aux]
        perfect = "have" in lemmas and any(x.tag_ == "VBN" for x in chain[1:])
        progressive = any(
            a.lemma_ == "be" and nxt.tag_ == "VBG" for a, nxt in zip(chain, chain[1:], strict=False)
        )
        if perfect and progressive:
            aspect = "PERFECTIVE_PROGRESSIVE"
        elif perfect:
            aspect = "PERFECTIVE"
        elif progressive:
            aspect = "PROGRESSIVE"
    if modality is None and tok.dep_ == "xcomp" and tok.head.lemma_.lower() in _INTENT:
        modality = tok.head.lemma_.lower()
    return polarity, tense, aspect, modality


def _score(weights: dict[str, float], feats: list[str]) -> float:
    return sum(map(weights.get, feats, repeat(0.0)))


def _best_class(classes: dict[str, tuple[float, ...]], feats: list[str]) -> str:
    vectors = [v for v in map(classes.get, feats) if v is not None]
    if not vectors:
        return EVENT_CLASSES[0]
    totals = [sum(column) for column in zip(*vectors, strict=True)]
    return EVENT_CLASSES[max(range(len(totals)), key=totals.__getitem__)]


def find_triggers(doc: Doc, model: TriggerModel | None = None) -> list[Trigger]:
    """Every event trigger in ``doc``, in text order (``model``: the shipped weights).

    "The company said shares fell 3%" has "said" (REPORTING) and "fell" (OCCURRENCE);
    "Officials agreed to purchase 60 aircraft" has "agreed" (I_ACTION) and "purchase";
    "Workers began the strike" has "began" (ASPECTUAL) and "strike".
    """
    model = model or load_model()
    out: list[Trigger] = []
    threshold = model.threshold
    found = []
    cols = _columns(doc)
    pos, weights, senses = model.candidate_pos, model.trigger, model.senses
    for i, p in enumerate(cols.pos):
        if p not in pos:
            continue
        feats = _features(cols, i, senses)
        margin = _score(weights, feats) - threshold
        if margin > 0:
            found.append((doc[i], feats, margin))
    triggers = {tok.i for tok, _, _ in found}
    for tok, feats, margin in found:
        i = tok.i
        if (i > 0 and cols.lower[i - 1] == "-") or (i + 1 < cols.n and cols.lower[i + 1] == "-"):
            start, end = trigger_span(tok)
            text = doc.text[start:end] if end - start != len(tok.text) else tok.text
        else:  # no hyphen beside it: the token alone
            text = tok.text
            start = tok.idx
            end = start + len(text)
        if out and start < out[-1].end:
            continue  # another piece of a hyphenated trigger already found
        lemma = tok.lemma_.lower() if end - start == len(tok.text) else text.lower()
        polarity, tense, aspect, modality = grammar(tok)
        cls = _best_class(model.classes, feats + _class_features(cols, tok.i, triggers))
        out.append(Trigger(text, start, end, lemma, cls, polarity, tense, aspect, modality,
                           tok.i, round(margin, 3)))
    return out
