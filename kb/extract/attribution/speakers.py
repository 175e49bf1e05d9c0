"""Choosing the speaker of a statement: the rule's choice and its rivals, scored.

The rule of :func:`kb.extract.attribution.roles.speaker_token` (the cue's subject,
following conjoined and controlled verbs) is right for most statements, but not for all:
a participle cue ("..., blaming the workers") takes the subject of the clause it hangs
on, a passive cue its agent, and some cues have no subject in their clause at all. Here
the rule's choice competes with the other phrases of the sentence that could be the
speaker (subjects up the clause chain, agents, possessors, named entities, personal
pronouns, the previous sentence's subject); a linear model trained on PolNeAR train
(features prefixed ``spk|`` in the shared weights table) scores them, and "no speaker"
scores 0. When the table has no speaker weights the rule alone decides.

>>> from kb.nlp import get_nlp
>>> doc = get_nlp()("Trump lashed out on Twitter, blaming the media for his losses.")
>>> [(o.rel, o.mention.text) for o in speaker_options(doc[6])]  # the cue "blaming"
[('subj2', 'Trump'), ('ent_before', 'Twitter')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from kb.extract.attribution.roles import doc_ents, mention_of, speaker_token
from kb.extract.types import Mention

__all__ = [
    "SpeakerOption",
    "speaker_options",
    "choose_speaker",
    "SPEAKER_PREFIX",
    "SPEAKER_THRESHOLD_KEY",
]

#: Prefix of the speaker model's entries in the weights table.
SPEAKER_PREFIX = "spk|"
#: Key of the least score of a speaker (settings of the weights file; "none" below it).
SPEAKER_THRESHOLD_KEY = "@speaker_threshold"
_ENTS = ("PERSON", "ORG", "GPE", "NORP")
_PRONOUNS = frozenset("he she they i we it you who".split())
#: Most options per statement (nearest first beyond the structural ones).
_MAX_OPTIONS = 12


@dataclass
class SpeakerOption:
    """One phrase that could be the speaker, how it relates to the cue, its features."""

    token: Token
    rel: str
    mention: Mention
    features: list[str] = field(default_factory=list)


def _bucket(n: int) -> str:
    return str(min(5, n.bit_length()))


def _structural(cue: Token) -> list[tuple[Token, str]]:
    """Subjects, agents and possessors along the cue's clause chain, nearest first."""
    out: list[tuple[Token, str]] = []
    if cue.lower_ == "according":
        for c in cue.children:
            if c.lower_ == "to":
                out += [(g, "according") for g in c.children if g.dep_ == "pobj"]
        return out
    if cue.pos_ == "ADP":  # a source preposition: "In a new poll, ..."
        return [(g, "prep_obj") for g in cue.children if g.dep_ == "pobj"]
    t = cue
    for level in range(1, 5):
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
                out.append((c, f"subj{level}" + ("p" if c.dep_ == "nsubjpass" else "")))
            elif c.dep_ == "agent":
                out += [(g, f"agent{level}") for g in c.children if g.dep_ == "pobj"]
            elif c.dep_ == "poss" and t.pos_ == "NOUN":
                out.append((c, f"poss{level}"))
            elif c.dep_ == "prep" and c.lower_ in ("by", "from") and t.pos_ == "NOUN":
                out += [(g, f"by{level}") for g in c.children if g.dep_ == "pobj"]
        if t.dep_ in ("relcl", "acl") and t.head is not t:
            out.append((t.head, t.dep_ + "_head"))
        if t.head is t:
            break
        t = t.head
    return out


def speaker_options(cue: Token) -> list[SpeakerOption]:
    """The cue's possible speakers with their features (the rule's choice flagged)."""
    doc = cue.doc
    sent = cue.sent
    rule = speaker_token(cue)
    seen: set[int] = {cue.i}
    raw: list[tuple[Token, str]] = []
    for tok, rel in _structural(cue):
        if tok.i not in seen:
            seen.add(tok.i)
            raw.append((tok, rel))
    if rule is not None and rule.i not in seen:
        seen.add(rule.i)
        raw.append((rule, "rule"))
    loose: list[tuple[Token, str]] = []
    for ent in doc_ents(doc):
        if ent.start < sent.start or ent.end > sent.end:
            continue
        if ent.label_ in _ENTS and ent.root.i not in seen:
            loose.append((ent.root, "ent_" + ("before" if ent.start < cue.i else "after")))
    for tok in sent:
        if tok.pos_ == "PRON" and tok.lower_ in _PRONOUNS and tok.i not in seen:
            loose.append((tok, "pron_" + ("before" if tok.i < cue.i else "after")))
    if sent.start > 0:
        prev = doc[sent.start - 1].sent
        for tok in prev:
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
                loose.append((tok, "prev_subj"))
                break
    loose.sort(key=lambda x: abs(x[0].i - cue.i))
    for tok, rel in loose:
        if tok.i not in seen and len(raw) < _MAX_OPTIONS:
            seen.add(tok.i)
            raw.append((tok, rel))
    lemma = cue.lemma_.lower()
    out = []
    for n, (tok, rel) in enumerate(raw):
        is_rule = rule is not None and tok.i == rule.i
        kind = "pron:" + tok.lower_ if tok.pos_ == "PRON" else tok.ent_type_ or tok.pos_
        feats = [
            "bias",
            "rel=" + rel,
            "rule=" + str(is_rule),
            "rel_rule=" + rel + "|" + str(is_rule),
            "kind=" + kind,
            "rel_kind=" + rel + "|" + kind,
            "rank=" + str(min(n, 6)),
            "dist=" + _bucket(abs(tok.i - cue.i)),
            "cue_dep=" + cue.dep_ + "|" + rel,
            "cue_pos=" + cue.pos_ + "|" + rel,
            "lemma_rel=" + lemma + "|" + rel,
            "dep=" + tok.dep_,
            "has_rule=" + str(rule is not None) + "|" + rel,
        ]
        out.append(SpeakerOption(tok, rel, mention_of(tok), [SPEAKER_PREFIX + f for f in feats]))
    return out


def choose_speaker(
    cue: Token, weights: dict[str, float], content: tuple[int, int] | None = None
) -> Mention | None:
    """The best-scoring speaker of ``cue`` (None when no option scores above 0); the
    rule's choice when the weights hold no speaker model. The least score is the
    table's ``@speaker_threshold`` (0 when it has none). No word of ``content`` (the
    statement's own words, "I" of a quotation) is its speaker."""

    def inside(m: Mention) -> bool:
        return content is not None and content[0] <= m.start < content[1]

    if SPEAKER_PREFIX + "rule=True" not in weights:
        sp = speaker_token(cue)
        m = mention_of(sp) if sp is not None else None
        return None if m is None or inside(m) else m
    best, best_s = None, weights.get(SPEAKER_THRESHOLD_KEY, 0.0)
    for o in speaker_options(cue):
        if inside(o.mention):
            continue
        s = sum(weights.get(f, 0.0) for f in o.features)
        if s > best_s:
            best, best_s = o, s
    return best.mention if best is not None else None
