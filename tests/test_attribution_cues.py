"""Learnt preposition cues ("In a new poll, ...") and quotations split by their cue.

Rows run the real spaCy model; the extraction rows use the shipped weights.
"""

from __future__ import annotations

import pytest

from kb.extract.attribution.candidates import anchors, candidates, continues
from kb.extract.attribution.marks import find_quote_spans
from kb.extract.attribution.model import load_weights, prep_cues
from kb.extract.attribution.roles import speaker_token
from kb.extract.attribution.speakers import speaker_options
from kb.extract.quotes import find_quotes


@pytest.mark.parametrize(
    "text, end_marker, start_marker, expected",
    [
        # a cue clause between two quotations, closed by a full stop or set off by commas
        ("“We won,” he said. “We will win again.”", "won,”", "“We will", True),
        ("“We won,” he said, “and we will win again.”", "won,”", "“and", True),
        # a comma after words that are not a quotation: a new sentence, not a continuation
        ("He said we won, and “we will win again.”", "won", "“we", False),
        # a paragraph break always ends the statement
        ("“We won,” he said,\n“We will win again.”", "won,”", "“We will", False),
    ],
)
def test_continues(text, end_marker, start_marker, expected):
    end = text.index(end_marker) + len(end_marker)
    assert continues(text, end, text.index(start_marker)) is expected


def test_quotation_split_by_a_comma_cue_is_one_statement(nlp):
    text = "“We won the vote,” the minister said, “and we will win the next one too.”"
    quotes = find_quotes(nlp(text))
    assert [(q.speaker and q.speaker.text, q.cue and q.cue.text) for q in quotes] == [
        ("the minister", "said")
    ]
    content = quotes[0].content
    assert content.text.startswith("“We won the vote,”")
    assert content.text.endswith("“and we will win the next one too.”")
    assert quotes[0].direct


def test_preposition_cues_are_learnt_and_shipped():
    cues = prep_cues(load_weights())
    assert "in|poll" in cues
    assert all("|" in c for c in cues)


@pytest.mark.parametrize(
    "text, prep, source, content",
    [
        (
            "In a new poll, Clinton leads Trump by five points.",
            "In",
            "poll",
            "Clinton leads Trump by five points",
        ),
        (
            "Clinton leads Trump by five points in the latest survey.",
            "in",
            "survey",
            "Clinton leads Trump by five points",
        ),
    ],
)
def test_preposition_cue_anchors_and_source(nlp, text, prep, source, content):
    doc = nlp(text)
    preps = frozenset({"in|poll", "in|survey"})
    cue = next(t for t in doc if t.text == prep)
    assert cue in anchors(doc, preps=preps)
    assert cue not in anchors(doc)  # only learnt pairs anchor
    assert speaker_token(cue).text == source
    assert [o.rel for o in speaker_options(cue)][:1] == ["prep_obj"]
    # the content is the clause the preposition hangs on, without the phrase itself
    got = [
        (c.kind, text[c.start : c.end])
        for c in candidates(doc, find_quote_spans(text), preps=preps)
        if c.anchor.i == cue.i
    ]
    assert got == [("head:prep", content)]


@pytest.mark.parametrize(
    "text, source, content",
    [
        (
            "In a new Quinnipiac poll, Clinton leads Trump by five points nationally.",
            "a new Quinnipiac poll",
            "Clinton leads Trump by five points nationally",
        ),
    ],
)
def test_poll_is_the_source(nlp, text, source, content):
    quotes = find_quotes(nlp(text))
    got = [(q.speaker and q.speaker.text, q.cue and q.cue.text, q.content.text) for q in quotes]
    assert (source, "In", content) in got
