"""The linear model that scores candidate attributions, and its averaged-perceptron trainer.

The table may come from either learner of ``scripts/train_attribution.py`` (averaged
perceptron, or cost-sensitive logistic regression whose log-odds are written the same
way); the file says which (``learner``) and carries its layout ``version``.

Weights are a plain ``{feature: weight}`` table shipped as JSON in ``kb/data/``
(trained by ``scripts/train_attribution.py`` on the PolNeAR train split), with the
decision settings chosen on held-out training articles (``settings``: threshold and
speech-verb prior) loaded as ``@name`` entries of the same table. Scoring is a sum of
weights, so extraction runs at parsing speed with no numeric library.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from kb.extract.weights import read_weights

__all__ = [
    "WEIGHTS_PATH",
    "load_weights",
    "noun_cues",
    "prep_cues",
    "uses_shape",
    "score",
    "Perceptron",
]

WEIGHTS_PATH = Path(__file__).resolve().parent.parent.parent / "data" / "attribution.json"


@lru_cache(maxsize=2)
def load_weights(path: str | None = None) -> dict[str, float]:
    """The shipped feature weights (cached)."""
    p = Path(path) if path else WEIGHTS_PATH
    data = read_weights(p, "attribution weights", "scripts/train_attribution.py")
    out = {str(k): float(v) for k, v in data["weights"].items()}
    out.update({"@" + str(k): float(v) for k, v in data.get("settings", {}).items()})
    return out


_NOUNS_CACHE: list = [None, frozenset()]


def noun_cues(weights: dict[str, float]) -> frozenset[str]:
    """The nouns learnt as cues, stored in the table as ``noun_cue=<lemma>`` entries
    (remembered for the last table asked about: it is the same for every article)."""
    if _NOUNS_CACHE[0] is not weights:
        nouns = frozenset(k[9:] for k in weights if k.startswith("noun_cue="))
        _NOUNS_CACHE[0], _NOUNS_CACHE[1] = weights, nouns
    return _NOUNS_CACHE[1]


_PREPS_CACHE: list = [None, frozenset()]


def prep_cues(weights: dict[str, float]) -> frozenset[str]:
    """The prepositions learnt as cues with their object, ``prep_cue=in|poll`` entries
    of the table ("In a new poll, Clinton leads": the poll is the source)."""
    if _PREPS_CACHE[0] is not weights:
        preps = frozenset(k[9:] for k in weights if k.startswith("prep_cue="))
        _PREPS_CACHE[0], _PREPS_CACHE[1] = weights, preps
    return _PREPS_CACHE[1]


def uses_shape(weights: dict[str, float]) -> bool:
    """Whether the table has weights for the content spans' shape features
    (:func:`kb.extract.attribution.candidates.span_features`); tables trained before
    them do not, and extraction then skips computing them."""
    return "quoted=True" in weights or "quoted=False" in weights


def score(weights: dict[str, float], features: list[str]) -> float:
    """The candidate's score: the sum of its features' weights."""
    return sum(map(weights.get, features, repeat(0.0)))  # in order: the same float


class Perceptron:
    """Averaged perceptron choosing one candidate (or none) per anchor.

    "None" scores 0, so a candidate is chosen only when its score is positive.
    """

    def __init__(self) -> None:
        self.w: dict[str, float] = defaultdict(float)
        self._total: dict[str, float] = defaultdict(float)
        self._stamp: dict[str, int] = defaultdict(int)
        self.t = 0

    def _upd(self, feats: list[str], delta: float) -> None:
        for f in feats:
            self._total[f] += (self.t - self._stamp[f]) * self.w[f]
            self._stamp[f] = self.t
            self.w[f] += delta

    def update(self, options: list[list[str]], gold: int | None) -> None:
        """One example: the options' features and the index of the right one (or None)."""
        self.t += 1
        scores = [score(self.w, f) for f in options]
        best = max(range(len(options)), key=scores.__getitem__) if options else None
        pred = best if best is not None and scores[best] > 0 else None
        if pred == gold:
            return
        if gold is not None:
            self._upd(options[gold], 1.0)
        if pred is not None:
            self._upd(options[pred], -1.0)

    def averaged(self, min_abs: float = 1e-3) -> dict[str, float]:
        out = {}
        for f, w in self.w.items():
            total = self._total[f] + (self.t - self._stamp[f]) * w
            avg = total / max(self.t, 1)
            if abs(avg) >= min_abs:
                out[f] = round(avg, 4)
        return out
