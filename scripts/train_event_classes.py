"""Retrain the TimeML class model of kb/data/triggers.json as a logistic regression.

Usage (needs scikit-learn: ``pip install -e '.[train]'``):
    python scripts/train_event_classes.py ../shared/eval/tempeval3/TBAQ-cleaned \
        [--cache /tmp/tbaq.spacy] [--folds 5] [--weights kb/data/triggers.json]

The trigger model (is a word an event) and the WordNet word-kind table of the weights
file are kept as they are; only the class model (which TimeML class a trigger has) is
replaced, so the triggers kb finds, and their spans, do not change. The examples are the
gold EVENTs of the training four fifths of TBAQ-cleaned (the held-out fifth of
:mod:`kb.eval.splits` is never read), each as the features kb reads at run time
(:func:`kb.extract.triggers.token_features` and :func:`~kb.extract.triggers.class_features`,
the gold triggers standing for the found ones). A multinomial logistic regression is
fitted for each inverse regularisation strength ``C`` of ``--grid``; the one with the best
pooled out-of-fold accuracy over ``--folds`` folds of training documents (the same folds
as scripts/train_triggers.py) is refitted on every training document and written in the
file's format: one vector of seven weights per feature, the intercepts added to the
``bias`` feature every token has, so that kb scores a class as before (a sum of vectors,
the largest wins) and needs no numeric library. The out-of-fold accuracy of the averaged
perceptron it replaces is printed beside it when ``--compare`` is given (slow).
Deterministic: the solver is lbfgs, the documents are read in sorted order.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_triggers import SEED, gold_roots, read_events, train_classes  # noqa: E402

from kb.eval.splits import is_heldout  # noqa: E402
from kb.eval.timeml import timeml_paths  # noqa: E402
from kb.extract.triggers import (  # noqa: E402
    EVENT_CLASSES,
    WEIGHTS_PATH,
    TriggerModel,
    class_features,
    token_features,
)
from kb.nlp import parse_cached  # noqa: E402

GRID = (0.1, 0.2, 0.3, 0.5)


def class_examples(docs, golds, senses: dict[str, str]) -> list[list[tuple[list[str], str]]]:
    """Per document: (features, gold class) of every gold trigger's root token."""
    out = []
    for doc, events in zip(docs, golds, strict=True):
        roots, _ = gold_roots(doc, events)
        triggers = set(roots)
        out.append([(token_features(doc[i], senses) + class_features(doc[i], triggers), c)
                    for i, c in sorted(roots.items())])
    return out


def fit(examples: list[tuple[list[str], str]], strength: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([dict.fromkeys(f, 1) for f, _ in examples])
    model = LogisticRegression(C=strength, max_iter=3000)
    model.fit(x, [cls for _, cls in examples])
    return vec, model


def cross_validate(data, folds: int, grid: tuple[float, ...]) -> dict[float, float]:
    """Pooled out-of-fold accuracy of each ``C`` (fold k: documents i with i % folds == k)."""
    hits = dict.fromkeys(grid, 0)
    n = 0
    for k in range(folds):
        train = [e for i, d in enumerate(data) if i % folds != k for e in d]
        test = [e for i, d in enumerate(data) if i % folds == k for e in d]
        gold = np.array([c for _, c in test])
        n += len(test)
        for c in grid:
            vec, model = fit(train, c)
            pred = model.predict(vec.transform([dict.fromkeys(f, 1) for f, _ in test]))
            hits[c] += int((pred == gold).sum())
        print(f"  fold {k + 1}/{folds} done", flush=True)
    return {c: hits[c] / n for c in grid}


def perceptron_accuracy(data, folds: int, epochs: int) -> float:
    """Out-of-fold accuracy of the averaged perceptron of scripts/train_triggers.py."""
    hits = n = 0
    for k in range(folds):
        train = [([(f, c, []) for f, c in d], 0) for i, d in enumerate(data) if i % folds != k]
        test = [e for i, d in enumerate(data) if i % folds == k for e in d]
        vocab, snaps = train_classes(train, [epochs], random.Random(SEED + k))
        w = snaps[epochs]
        for f, c in test:
            hits += EVENT_CLASSES[int(w[vocab.encode(f, False)].sum(axis=0).argmax())] == c
        n += len(test)
    return hits / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--grid", default=",".join(map(str, GRID)),
                    help="values of C to choose from, comma-separated")
    ap.add_argument("--min-abs", type=float, default=0.002,
                    help="feature vectors whose largest weight is smaller are not written")
    ap.add_argument("--compare", action="store_true",
                    help="also print the out-of-fold accuracy of the averaged perceptron")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--weights", type=Path, default=WEIGHTS_PATH,
                    help="the weights file whose class model is replaced (in place)")
    args = ap.parse_args()

    raw = json.loads(args.weights.read_text(encoding="utf-8"))
    senses = TriggerModel.from_dict(raw).senses
    paths = [p for p in timeml_paths([args.data]) if not is_heldout(p.name)]
    train = [read_events(p) for p in paths]
    print(f"train: {len(train)} documents, {sum(len(g) for _, g in train)} events "
          f"(the held-out fifth is not read)")
    docs = parse_cached([t for t, _ in train], args.cache)
    data = class_examples(docs, [g for _, g in train], senses)
    grid = tuple(float(x) for x in args.grid.split(","))
    acc = cross_validate(data, args.folds, grid)
    print("  out-of-fold class accuracy on gold triggers by C:",
          " ".join(f"{c}:{a:.4f}" for c, a in acc.items()))
    best = max(grid, key=lambda c: (acc[c], -c))
    if args.compare:
        epochs = int(raw["settings"].get("class_epochs") or 4)
        print(f"  averaged perceptron ({epochs} epochs), same folds: "
              f"{perceptron_accuracy(data, args.folds, epochs):.4f}")

    vec, model = fit([e for d in data for e in d], best)
    order = [list(model.classes_).index(c) if c in model.classes_ else None
             for c in EVENT_CLASSES]
    coef = model.coef_
    classes: dict[str, list[float]] = {}
    for name, j in vec.vocabulary_.items():
        v = [float(coef[i, j]) if i is not None else 0.0 for i in order]
        if name == "bias":
            v = [x + (float(model.intercept_[i]) if i is not None else -1e3)
                 for x, i in zip(v, order, strict=True)]
        if max(map(abs, v)) >= args.min_abs:
            classes[name] = [round(x, 4) for x in v]
    raw["classes"] = dict(sorted(classes.items()))
    settings = raw["settings"]
    settings.pop("class_epochs", None)
    settings.update({"class_learner": "logistic", "class_C": best,
                     "class_min_abs": args.min_abs})
    raw["about"] = (
        "event trigger and TimeML class models trained on the train four fifths of "
        "TempEval-3 TBAQ-cleaned (research data): trigger, an averaged perceptron "
        "(scripts/train_triggers.py); classes, a logistic regression "
        "(scripts/train_event_classes.py); senses: WordNet 3.0 word kinds (see senses_notice)")
    args.weights.write_text(json.dumps(raw, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"chosen on {args.folds} folds of train: C {best} (out-of-fold accuracy "
          f"{acc[best]:.4f}); wrote {args.weights} ({len(classes)} class features, "
          f"{args.weights.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
