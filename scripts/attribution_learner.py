"""Cost-sensitive L2 logistic regression for the attribution choices (training only).

Both decisions of the statement extractor are "pick one option, or none": which content
a cue anchors, and who the speaker is. Each option is one row of a sparse 0/1 matrix over
its string features, labelled 1 when it is the right option; the fitted log-odds are
written back as a plain ``{feature: weight}`` table (the intercept folded into a
feature every option carries), so inference stays a sum of weights with no numeric
library. scikit-learn is needed only here, to train.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["Example", "fit_logistic", "choice_scores", "best_f1_threshold", "accuracy"]

#: One decision: the options' features, and the index of the right one (or None).
Example = tuple[Sequence[Sequence[str]], "int | None"]


def _matrix(data: Sequence[Example], vocab: dict[str, int] | None = None):
    """Sparse design matrix and labels of every option of ``data``."""
    import numpy as np
    from scipy.sparse import csr_matrix

    grow = vocab is None
    vocab = {} if vocab is None else vocab
    rows, cols, y = [], [], []
    r = 0
    for options, gold in data:
        for i, feats in enumerate(options):
            for f in set(feats):
                j = vocab.get(f)
                if j is None and grow:
                    j = vocab[f] = len(vocab)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
            y.append(1 if gold == i else 0)
            r += 1
    x = csr_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)), shape=(r, len(vocab)))
    return x, np.array(y), vocab


def fit_logistic(
    data: Sequence[Example],
    c: float,
    pos_weight: float,
    bias_feature: str = "bias",
    min_abs: float = 1e-3,
) -> dict[str, float]:
    """L2 logistic regression (inverse strength ``c``; the right options weighted
    ``pos_weight``) as a weights table; the intercept goes to ``bias_feature``.
    Deterministic: the lbfgs solver has no random state."""
    from sklearn.linear_model import LogisticRegression

    x, y, vocab = _matrix(data)
    model = LogisticRegression(
        C=c, class_weight={0: 1.0, 1: pos_weight}, solver="lbfgs", max_iter=2000, tol=1e-5
    )
    model.fit(x, y)
    coef = model.coef_[0]
    out = {f: round(float(coef[j]), 4) for f, j in vocab.items() if abs(coef[j]) >= min_abs}
    out[bias_feature] = round(out.get(bias_feature, 0.0) + float(model.intercept_[0]), 4)
    return out


def choice_scores(
    data: Sequence[Example], weights: dict[str, float]
) -> list[tuple[float, bool, bool]]:
    """Per decision: (best option's score, whether it is the right one, whether there
    is a right one)."""
    out = []
    for options, gold in data:
        if not options:
            out.append((float("-inf"), False, gold is not None))
            continue
        scores = [sum(weights.get(f, 0.0) for f in o) for o in options]
        best = max(range(len(options)), key=scores.__getitem__)
        out.append((scores[best], best == gold, gold is not None))
    return out


def best_f1_threshold(scored: list[tuple[float, bool, bool]]) -> tuple[float, float]:
    """(F1, threshold) of the best cut: a decision keeps its best option when the score is
    above the threshold; right when that option is the right one."""
    gold = sum(1 for _, _, g in scored if g)
    ranked = sorted(scored, key=lambda x: -x[0])
    best, best_t, tp, n = 0.0, 0.0, 0, 0
    for s, right, _ in ranked:
        n += 1
        tp += right
        f1 = 2 * tp / (n + gold) if n + gold else 0.0
        if f1 > best:
            best, best_t = f1, s - 1e-6
    return best, best_t


def accuracy(data: Sequence[Example], weights: dict[str, float], threshold: float = 0.0) -> float:
    """Share of decisions right when the best option is kept above ``threshold`` (and
    "none" otherwise)."""
    right = 0
    for (s, ok, _), (_, gold) in zip(choice_scores(data, weights), data, strict=True):
        right += (ok and s > threshold) or (gold is None and s <= threshold)
    return right / max(len(data), 1)
