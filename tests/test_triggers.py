"""Event triggers (kb.extract.triggers): the sentences are the specification."""

from __future__ import annotations

import dataclasses
import doctest
import json

import pytest

import kb.extract.triggers as triggers_module
from kb.errors import ModelError
from kb.extract.triggers import (
    EVENT_CLASSES,
    WEIGHTS_PATH,
    WEIGHTS_VERSION,
    Trigger,
    find_triggers,
    load_model,
    trigger_span,
)

#: Where the learnt model and the expectation part: the data marks these nouns rarely.
_FLIGHT = "not found: TBAQ-cleaned marks 'flight' as an event 3 times in 9"
_BANKRUPTCY = "not found: TBAQ-cleaned never marks 'bankruptcy' as an event (0 of 6)"


def _by_text(nlp, text: str) -> dict[str, Trigger]:
    return {t.text: t for t in find_triggers(nlp(text))}


@pytest.mark.parametrize(
    "text, word, event_class",
    [
        ("The 787 Dreamliner made its first test flight Tuesday.", "made", None),
        pytest.param("The 787 Dreamliner made its first test flight Tuesday.", "flight", None,
                     marks=pytest.mark.xfail(strict=True, reason=_FLIGHT)),
        ("GM filed for bankruptcy.", "filed", "OCCURRENCE"),
        pytest.param("GM filed for bankruptcy.", "bankruptcy", None,
                     marks=pytest.mark.xfail(strict=True, reason=_BANKRUPTCY)),
        ("Shares fell 3%.", "fell", "OCCURRENCE"),
        ("Boeing delivered the final 717.", "delivered", None),
        ("Officials agreed to purchase 60 aircraft.", "agreed", "I_ACTION"),
        ("Officials agreed to purchase 60 aircraft.", "purchase", "OCCURRENCE"),
        ("The company said.", "said", "REPORTING"),
        ("The company said shares fell 3% on Monday.", "said", "REPORTING"),
        ("Sales rose 5% after the deal.", "deal", "OCCURRENCE"),
        ("The cease-fire collapsed after the invasion.", "invasion", "OCCURRENCE"),
        ("Workers began the strike in May.", "began", "ASPECTUAL"),
        ("Workers began the strike in May.", "strike", "OCCURRENCE"),
        ("Officials saw the crash.", "saw", "PERCEPTION"),
    ],
)
def test_triggers_found(nlp, text, word, event_class):
    found = _by_text(nlp, text)
    assert word in found, f"{word!r} not found in {text!r}: {sorted(found)}"
    if event_class is not None:
        assert found[word].event_class == event_class


@pytest.mark.parametrize(
    "text, word",
    [
        ("Shares fell 3%.", "Shares"),
        ("The company said.", "company"),
        ("Boeing delivered the final 717.", "Boeing"),
        ("Officials agreed to purchase 60 aircraft.", "aircraft"),
        ("The 787 Dreamliner made its first test flight Tuesday.", "Tuesday"),
    ],
)
def test_participants_are_not_triggers(nlp, text, word):
    assert word not in _by_text(nlp, text)


@pytest.mark.parametrize(
    "text, word, polarity, tense, aspect, modality",
    [
        ("The two leaders did not meet.", "meet", "NEG", "PAST", "NONE", None),
        ("There was no deal.", "deal", "NEG", "PAST", "NONE", None),
        ("The company may sell the unit.", "sell", "POS", "NONE", "NONE", "may"),
        ("The company said it would not sell the unit.", "sell", "NEG", "NONE", "NONE",
         "would"),
        ("The airline plans to build a new terminal.", "build", "POS", "NONE", "NONE", "plan"),
        ("The airline plans to build a new terminal.", "plans", "POS", "PRESENT", "NONE", None),
        ("The ministers have been talking for hours.", "talking", "POS", "PRESENT",
         "PERFECTIVE_PROGRESSIVE", None),
        ("Sales rose and the company will hire more workers.", "hire", "POS", "FUTURE", "NONE",
         "will"),
        ("Sales rose and the company will hire more workers.", "rose", "POS", "PAST", "NONE",
         None),
        ("Boeing has delivered the final 717.", "delivered", "POS", "PRESENT", "PERFECTIVE",
         None),
    ],
)
def test_polarity_tense_aspect_modality(nlp, text, word, polarity, tense, aspect, modality):
    found = _by_text(nlp, text)
    assert word in found, f"{word!r} not found in {text!r}: {sorted(found)}"
    t = found[word]
    assert (t.polarity, t.tense, t.aspect, t.modality) == (polarity, tense, aspect, modality)


def test_records_point_into_the_text(nlp):
    text = "The company said it would not sell the unit, and shares fell 3% on Monday."
    doc = nlp(text)
    found = find_triggers(doc)
    assert [t.text for t in found] == ["said", "sell", "fell"]
    for t in found:
        assert text[t.start:t.end] == t.text
        assert doc[t.token].idx == t.start
        assert t.event_class in EVENT_CLASSES
        assert t.score > 0
    assert [t.lemma for t in found] == ["say", "sell", "fall"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].text = "x"  # type: ignore[misc]


def test_empty_text_has_no_triggers(nlp):
    assert find_triggers(nlp("")) == []


@pytest.mark.parametrize(
    "text, word, expected",
    [
        ("The cease-fire held.", "cease", "cease-fire"),
        ("The cease-fire held.", "fire", "cease-fire"),
        ("The buy-back ended.", "ended", "ended"),
        ("A - B held talks.", "talks", "talks"),
    ],
)
def test_hyphenated_words_are_one_span(nlp, text, word, expected):
    doc = nlp(text)
    (tok,) = [t for t in doc if t.text == word]
    start, end = trigger_span(tok)
    assert text[start:end] == expected


def test_weights_load_with_the_declared_version():
    raw = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert raw["version"] == WEIGHTS_VERSION == 1
    model = load_model()
    assert model.version == WEIGHTS_VERSION
    assert {"threshold", "trigger_epochs", "candidate_pos", "seed", "class_learner"} <= set(
        model.settings)
    # the class model: an averaged perceptron (its epochs) or a logistic regression (its C)
    assert {"perceptron": "class_epochs", "logistic": "class_C"}[
        model.settings["class_learner"]] in model.settings
    assert {"VERB", "NOUN"} <= model.candidate_pos
    assert model.trigger and model.senses
    assert all(len(v) == len(EVENT_CLASSES) for v in model.classes.values())
    assert load_model() is model  # loaded once


def test_a_weights_file_of_another_version_is_refused(tmp_path):
    raw = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    raw["version"] = WEIGHTS_VERSION + 1
    path = tmp_path / "triggers.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ModelError, match="version"):
        load_model(str(path))
    with pytest.raises(ModelError, match="cannot read"):
        load_model(str(tmp_path / "missing.json"))


def test_module_example_runs(nlp):
    result = doctest.testmod(triggers_module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
