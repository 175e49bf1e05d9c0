"""The attribution model: span features, the shipped weights file, the speaker threshold,
loose headline colons, and the logistic learner of the training script."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from kb.extract.attribution.candidates import candidates, span_features
from kb.extract.attribution.marks import find_quote_spans
from kb.extract.attribution.model import WEIGHTS_PATH, load_weights
from kb.extract.attribution.speakers import SPEAKER_THRESHOLD_KEY, choose_speaker

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


@pytest.mark.parametrize(
    "text, start, end, kind, expected",
    [
        # a whole quotation followed by a comma: quoted, ends on a quote mark
        (
            "He said “we won”, smiling.",
            8,
            16,
            "dobj",
            {"last=q", "next=,", "quoted=True", "past_sent=False", "dobj|next=,"},
        ),
        # a clause that runs to the end of its sentence, with one comma inside
        (
            "She said that taxes, she thinks, will rise.",
            9,
            42,
            "ccomp",
            {"last=w", "next=.", "quoted=False", "commas=2", "sent_rest=0"},
        ),
        # a content that stops short of its sentence: the rest is counted in words (a log scale)
        (
            "She said that taxes will rise after the vote in May.",
            9,
            29,
            "ccomp",
            {"next=sp", "sent_rest=2", "ccomp|sent_rest=2"},
        ),
    ],
)
def test_span_features(text, start, end, kind, expected):
    feats = set(span_features(text, start, end, kind, (0, len(text))))
    assert expected <= feats, sorted(feats)


def test_span_features_past_sentence():
    text = "He said it. It was late."
    assert "past_sent=True" in span_features(text, 8, len(text), "ccomp", (0, 11))


def test_weights_file_carries_version_learner_and_settings():
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    assert data["version"] == 2
    assert data["learner"] in ("logistic", "perceptron")
    assert set(data["settings"]) == {"threshold", "speech_bonus", "speaker_threshold"}
    if "training" in data:  # written by the script since version 2
        covered, total = data["training"]["candidate_recall"]
        assert 0.85 < covered / total < 1.0
        assert all("|" in p for p in data["training"].get("prep_cues", []))
    if data["learner"] == "perceptron" and "bag" in data:
        assert data["bag"] >= 1
    w = load_weights()
    assert w["@threshold"] == data["settings"]["threshold"]
    assert w[SPEAKER_THRESHOLD_KEY] == data["settings"]["speaker_threshold"]


def test_speaker_threshold_is_read_from_the_table(nlp):
    doc = nlp("The minister said the plan had failed.")
    cue = doc[2]
    w = load_weights()
    assert choose_speaker(cue, w).text == "The minister"
    assert choose_speaker(cue, dict(w, **{SPEAKER_THRESHOLD_KEY: 1e6})) is None


@pytest.mark.parametrize(
    "text, speaker, content",
    [
        (
            "Clinton camp: Trump's plan threatens national security\n\nThe campaign of "
            "Hillary Clinton said on Monday that the plan was dangerous.",
            "Clinton camp",
            "Trump's plan threatens national security",
        ),
    ],
)
def test_loose_colon_candidate(nlp, text, speaker, content):
    doc = nlp(text)
    loose = [c for c in candidates(doc, find_quote_spans(text)) if c.kind == "colon_loose"]
    assert [(text[c.speaker[0] : c.speaker[1]], text[c.start : c.end]) for c in loose] == [
        (speaker, content)
    ]
    assert "headline" not in loose[0].features  # scored by the model, not forced


@pytest.fixture(scope="module")
def learner():
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(SCRIPTS))
    try:
        import attribution_learner
    finally:
        sys.path.remove(str(SCRIPTS))
    return attribution_learner


def test_logistic_learns_the_right_option(learner):
    # two options per decision; "good" marks the right one, "bad" the wrong one, and
    # decisions whose options are both "meh" have no right option
    data = [([["bias", "good"], ["bias", "bad"]], 0)] * 30
    data += [([["bias", "bad"], ["bias", "good"]], 1)] * 30
    data += [([["bias", "meh"], ["bias", "meh"]], None)] * 30
    w = learner.fit_logistic(data, c=1.0, pos_weight=1.0)
    assert w["good"] > 0 > w["bad"]
    assert "bias" in w  # the intercept is folded into the bias feature
    assert learner.accuracy(data, w, threshold=0.0) == 1.0


def test_best_f1_threshold(learner):
    # scores with (right?, has a right option?): keeping the top two is best
    scored = [(3.0, True, True), (2.0, True, True), (1.0, False, False), (0.5, False, True)]
    f1, th = learner.best_f1_threshold(scored)
    assert f1 == pytest.approx(2 * 2 / (2 + 3))
    assert 1.0 < th < 2.0


@pytest.mark.parametrize("shape", [True, False])
def test_shape_features_only_when_asked(nlp, shape):
    text = "The minister said the plan had failed."
    cands = candidates(nlp(text), [], shape=shape)
    said = [c for c in cands if c.anchor.text == "said"]
    assert said
    assert all(any(f.startswith("quoted=") for f in c.features) == shape for c in said)


def test_bag_is_the_mean_of_its_perceptrons():
    sys.path.insert(0, str(SCRIPTS))
    try:
        import train_attribution
    finally:
        sys.path.remove(str(SCRIPTS))
    data = [([["bias", "good"], ["bias", "bad"]], 0), ([["bias", "bad"], ["bias", "good"]], 1)]
    data += [([["bias", "meh"]], None), ([["bias", "good", "meh"]], 0)]
    one = [train_attribution.train(data, 2, seed)[0] for seed in (13, 14)]
    bag, _ = train_attribution.train(data, 2, 13, bag=2)
    for k in set(one[0]) | set(one[1]):
        mean = (one[0].get(k, 0.0) + one[1].get(k, 0.0)) / 2
        assert bag.get(k, 0.0) == pytest.approx(mean, abs=1e-3)
    assert bag["good"] > max(0.0, bag.get("bad", 0.0))
