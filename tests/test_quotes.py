"""find_quotes over real parses: each row is a sentence and the statement expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.extract.attribution.marks import find_quote_spans
from kb.extract.attribution.speakers import SPEAKER_PREFIX, speaker_options
from kb.extract.quotes import find_quotes
from kb.ingest import read_path

#: The repository copy of the seed article, read as kb reads articles (the header with
#: its date line is metadata, not text).
SEED = Path(__file__).resolve().parents[1] / "sources" / "000_b100f5f8ab4f4713.txt"


def _check_offsets(text, quotes):
    for q in quotes:
        for span in (q.content, q.speaker, q.cue, q.medium, q.addressee):
            if span is not None:
                assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(
    "text, expected",
    [
        # (speaker, cue, content, direct)
        (
            "The minister said, “We will not retreat.”",
            ("The minister", "said", "“We will not retreat.”", True),
        ),
        (
            "“We will not retreat,” the minister said.",
            ("the minister", "said", "“We will not retreat,”", True),
        ),
        (
            "“We will not retreat,” said Antony Blinken.",
            ("Antony Blinken", "said", "“We will not retreat,”", True),
        ),
        ('"We will not retreat," he said.', ("he", "said", '"We will not retreat,"', True)),
        (
            "Blinken said that Russia was preparing an invasion.",
            ("Blinken", "said", "that Russia was preparing an invasion", False),
        ),
        (
            "The senator warned that the bill would fail.",
            ("The senator", "warned", "that the bill would fail", False),
        ),
        (
            "Moscow has repeatedly denied any such plans.",
            ("Moscow", "denied", "any such plans", False),
        ),
        (
            "Many voters believe that the economy is getting worse.",
            ("Many voters", "believe", "that the economy is getting worse", False),
        ),
        (
            "The economy is getting worse, according to the central bank.",
            ("the central bank", "according to", "The economy is getting worse", False),
        ),
        (
            "According to the report, the troops moved north overnight.",
            ("the report", "According to", "the troops moved north overnight", False),
        ),
        # a headline's speaker is someone the article names
        (
            "Biden Ready To Engage With Putin In Any Format: Blinken\n\n"
            "Antony Blinken spoke on Sunday.",
            ("Blinken", ":", "Biden Ready To Engage With Putin In Any Format", False),
        ),
        (
            "US ambassador to the UN, Sheba Crocker, warned that an invasion would create a "
            "“human rights catastrophe”.",
            (
                "Sheba Crocker",
                "warned",
                "that an invasion would create a “human rights catastrophe”",
                False,
            ),
        ),
        (
            "“It is over,” she said. “We lost the vote and we will go home.”",
            (
                "she",
                "said",
                "“It is over,” she said. “We lost the vote and we will go home.”",
                True,
            ),
        ),
        (
            "Readers wrote in.\n“He does not speak for us. Not now, not ever.” ― Sonya Herridge\n",
            ("Sonya Herridge", "―", "“He does not speak for us. Not now, not ever.”", True),
        ),
        # stance and intention predicates count as statements (PolNeAR)
        (
            "Trump refuses to release his tax returns.",
            ("Trump", "refuses", "to release his tax returns", False),
        ),
        (
            "Warren attacked the bank executives.",
            ("Warren", "attacked", "the bank executives", False),
        ),
        # a relative pronoun is the speaker mention, as annotated
        (
            "Clinton, who has denied any wrongdoing, spoke in Ohio.",
            ("who", "denied", "any wrongdoing", False),
        ),
        (
            "“Nobody knows what will happen next in the region.”",
            (None, None, "“Nobody knows what will happen next in the region.”", True),
        ),
    ],
)
def test_statement(nlp, text, expected):
    quotes = find_quotes(nlp(text))
    _check_offsets(text, quotes)
    got = [
        (
            q.speaker.text if q.speaker else None,
            q.cue.text if q.cue else None,
            q.content.text,
            q.direct,
        )
        for q in quotes
    ]
    assert got == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # actions on a named actor are events, not statements
        "The European Union sanctioned Russia on Tuesday.",
        "Biden met Macron in Paris on Monday.",
        "Russia invaded Ukraine on Thursday.",
    ],
)
def test_no_statement(nlp, text):
    assert find_quotes(nlp(text)) == []


@pytest.mark.parametrize(
    "text, cue, expected",
    [
        # (relation to the cue, mention) of each possible speaker, structural ones first
        (
            "Trump lashed out on Twitter, blaming the media for his losses.",
            "blaming",
            [("subj2", "Trump"), ("ent_before", "Twitter")],
        ),
        (
            "The plan was criticized by the senator.",
            "criticized",
            [("subj1p", "The plan"), ("agent1", "the senator")],
        ),
        ("Trump's criticism of the plan was sharp.", "criticism", [("poss1", "Trump")]),
        ("The economy is weak, according to the bank.", "according", [("according", "the bank")]),
        (
            "Obama met Putin. Later he said the talks went well.",
            "said",
            [("subj1", "he"), ("prev_subj", "Obama")],
        ),
    ],
)
def test_speaker_options(nlp, text, cue, expected):
    doc = nlp(text)
    (tok,) = [t for t in doc if t.text == cue]
    options = speaker_options(tok)
    assert [(o.rel, o.mention.text) for o in options] == expected
    assert all(f.startswith(SPEAKER_PREFIX) for o in options for f in o.features)


@pytest.mark.parametrize(
    "text, medium, addressee",
    [
        ("She told reporters that the talks had collapsed.", None, "reporters"),
        ("He wrote to the committee that he would resign.", None, "the committee"),
        (
            "In an interview with CNN, Blinken said, “Everything appears to be taking place.”",
            "In an interview with CNN",
            None,
        ),
        ("The mayor said in a statement that the road would reopen.", "in a statement", None),
    ],
)
def test_medium_and_addressee(nlp, text, medium, addressee):
    (q,) = find_quotes(nlp(text))
    assert (q.medium.text if q.medium else None) == medium
    assert (q.addressee.text if q.addressee else None) == addressee


@pytest.mark.parametrize(
    "text, expected",
    [
        ('He said, “Go.” Then: "Fine, we go."', ["“Go.”", '"Fine, we go."']),
        (
            "“First paragraph\n\n“Second paragraph.”\nDone.",
            ["“First paragraph\n\n“Second paragraph.”"],
        ),
        ("“Unclosed to the end\nNext line.", ["“Unclosed to the end"]),
        ("He said ''not now,'' again.", ["''not now,''"]),
        ("It’s Clinton’s ‘scare quote’ only.", []),
    ],
)
def test_quote_marks(text, expected):
    assert [text[s:e] for s, e in find_quote_spans(text)] == expected


@pytest.mark.skipif(not SEED.is_file(), reason="seed article not available")
def test_seed_article(nlp):
    (article,) = list(read_path(SEED))
    text = article.text
    assert not text.startswith("date")
    quotes = find_quotes(nlp(text))
    _check_offsets(text, quotes)

    def find(word):
        hits = [q for q in quotes if word in q.content.text]
        assert hits, f"no statement holds {word!r}"
        return hits[0]

    q = find("false flag operations")
    assert (q.speaker.text, q.cue.text, q.medium.text, q.direct) == (
        "Blinken",
        "said",
        "In an interview with CNN",
        True,
    )
    q = find("We believe President Putin has made the decision")
    assert (q.speaker.text, q.cue.text, q.direct) == ("he", "said", True)
    q = find("human rights catastrophe")
    assert (q.speaker.text, q.cue.text) == ("Sheba Crocker", "warned")
    q = find("Biden is prepared to have talks")
    assert (q.speaker.text, q.cue.text) == ("Antony Blinken", "said")
    q = find("any such plans")
    assert (q.speaker.text, q.cue.text) == ("Moscow", "denied")
    q = find("Biden Ready To Engage")
    assert (q.speaker.text, q.cue.text) == ("Blinken", ":")
    # no speaker is a word of the article's header
    assert all(q.speaker is None or q.speaker.text.lower() != "date" for q in quotes)
    # every sentence span holds its cue
    for q in quotes:
        if q.cue is not None:
            assert q.sentence[0] <= q.cue.start < q.cue.end <= q.sentence[1]
