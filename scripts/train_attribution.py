"""Train the attribution candidate scorer on PolNeAR train; write kb/data/attribution.json.

Usage:
    python scripts/train_attribution.py ../shared/eval/polnear/train \
        [--learner perceptron|logistic] [--epochs 6] [--folds 5] [--cache /tmp/train.spacy]
        [--out kb/data/attribution.json]

For every cue anchor (verb, adjective, "according to", learnt noun or preposition with
its object, headline colon) the candidates of :mod:`kb.extract.attribution.candidates`
are generated; the right one is the candidate whose content has the best character Dice
(>= 0.5) with a gold attribution whose cue overlaps the anchor, or none. An averaged
perceptron learns to pick it. A second perceptron learns to pick the speaker among the
options of
:mod:`kb.extract.attribution.speakers` (the one overlapping the gold source, or none).
The number of epochs, the decision threshold and the speech-verb prior are chosen on
held-out training articles (every ``--folds``-th article; the models are trained on the
rest and the whole extraction is scored on them), then both models are retrained on
the whole split. With ``--learner logistic`` the content model is a cost-sensitive L2
logistic regression instead (scikit-learn, training only; its C, the weight of the right
option, the threshold and the prior chosen on the held-out fold, and the speaker model
is the logistic one only when it beats the perceptron there). The script prints the
candidate recall on train (gold attributions some candidate reaches) and every
held-out figure behind a choice. The weights are PolNeAR-derived (research data): see
benchmarks/ACCURACY.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.eval.attribution import AttributionReport, dice, score_document  # noqa: E402
from kb.eval.brat import read_split  # noqa: E402
from kb.extract.attribution.candidates import candidates  # noqa: E402
from kb.extract.attribution.extract import (  # noqa: E402
    BONUS_KEY,
    SPEECH_BONUS,
    THRESHOLD,
    THRESHOLD_KEY,
    assemble,
)
from kb.extract.attribution.marks import find_quote_spans  # noqa: E402
from kb.extract.attribution.model import WEIGHTS_PATH, Perceptron  # noqa: E402
from kb.extract.attribution.speakers import (  # noqa: E402
    SPEAKER_PREFIX,
    SPEAKER_THRESHOLD_KEY,
    speaker_options,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution_learner import (  # noqa: E402
    accuracy,
    best_f1_threshold,
    choice_scores,
    fit_logistic,
)

#: Version of the weights file's layout and learner (2: logistic regression, settings
#: with the speaker threshold).
WEIGHTS_VERSION = 2
#: Settings the extractor reads at run time (as ``@name`` entries of the table).
DECISION_SETTINGS = ("threshold", "speech_bonus", "speaker_threshold")
#: Epochs of the speaker model (a small, easy problem: it converges fast).
SPEAKER_EPOCHS = 5
from kb.nlp import parse_cached  # noqa: E402


def learn_noun_cues(gold_docs, docs, min_count: int = 2, min_ratio: float = 0.02):
    """Nouns heading gold cues often enough ("criticism", "claim") to be anchors."""
    cue, seen = Counter(), Counter()
    for g, doc in zip(gold_docs, docs, strict=True):
        for t in doc:
            if t.pos_ == "NOUN":
                seen[t.lemma_.lower()] += 1
        for a in g.attributions:
            if a.cue is None:
                continue
            for s, e in a.cue.fragments:
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is not None and not any(t.pos_ in ("VERB", "ADJ") for t in span):
                    for t in span:
                        if t.pos_ == "NOUN":
                            cue[t.lemma_.lower()] += 1
    return frozenset(
        w for w, n in cue.items() if n >= min_count and n / max(seen[w], 1) >= min_ratio
    )


def learn_prep_cues(gold_docs, docs, min_count: int = 3, min_ratio: float = 0.2):
    """Prepositions with their object lemma that head gold cues with no verb often
    enough ("in|poll": "In a new poll, Clinton leads"), as "preposition|lemma"."""
    cue, seen = Counter(), Counter()
    for g, doc in zip(gold_docs, docs, strict=True):
        for t in doc:
            if t.dep_ == "prep":
                for o in t.children:
                    if o.dep_ == "pobj":
                        seen[t.lower_ + "|" + o.lemma_.lower()] += 1
        for a in g.attributions:
            if a.cue is None:
                continue
            toks = [
                t
                for s, e in a.cue.fragments
                for t in (doc.char_span(s, e, alignment_mode="expand") or ())
            ]
            if any(t.pos_ in ("VERB", "ADJ", "NOUN") for t in toks):
                continue
            for t in toks:
                if t.dep_ == "prep":
                    for o in t.children:
                        if o.dep_ == "pobj":
                            cue[t.lower_ + "|" + o.lemma_.lower()] += 1
    return frozenset(
        k for k, n in cue.items() if n >= min_count and n / max(seen[k], 1) >= min_ratio
    )


def doc_candidates(docs, nouns=frozenset(), preps=frozenset()):
    """Per article: its quotation spans and candidates (features interned)."""
    out = []
    for doc in docs:
        quotes = find_quote_spans(doc.text)
        cands = candidates(doc, quotes, nouns, preps=preps)
        for c in cands:
            c.features = [sys.intern(f) for f in c.features]
        out.append((quotes, cands))
    return out


#: Candidate kinds left out of the training examples (still generated and scored at
#: run time): loose headline colons ("Clinton camp: ...") trained on make every
#: "Topic: Headline" line a statement (measured: lower dev F1, see ACCURACY.md), so they
#: keep the general weights (bias, length, title).
UNTRAINED_KINDS = frozenset(("colon_loose",))


def examples(gold_doc, cands):
    """(options features, gold index or None) per anchor of one article, and how many
    of its gold attributions some candidate reaches."""
    golds = [(a, a.content.chars()) for a in gold_doc.attributions if a.cue is not None]
    by_anchor: dict[int, list] = {}
    for c in cands:
        if c.kind not in UNTRAINED_KINDS:
            by_anchor.setdefault(c.anchor.i, []).append(c)
    hit = set()
    out = []
    speakers = []
    for group in by_anchor.values():
        a = group[0].anchor
        a0, a1 = a.idx, a.idx + len(a)
        best, best_d, best_g = None, 0.5, None
        for i, c in enumerate(group):
            cc = set(range(c.start, c.end))
            for j, (ga, gc) in enumerate(golds):
                if not any(s < a1 and a0 < e for s, e in ga.cue.fragments):
                    continue
                d = dice(cc, gc)
                if d >= best_d:
                    best, best_d, best_g = i, d, ga
                    hit.add(j)
        out.append(([c.features for c in group], best))
        if best_g is not None and group[best].speaker is None:
            ex = speaker_example(a, best_g)
            if ex is not None:
                speakers.append(ex)
    return out, len(hit), speakers


def speaker_example(cue, gold):
    """(options features, index of the option naming the gold source, or None when the
    gold has none); None when no option overlaps the gold source."""
    options = speaker_options(cue)
    feats = [[sys.intern(f) for f in o.features] for o in options]
    if gold.source is None:
        return feats, None
    for i, o in enumerate(options):
        m = o.mention
        if any(s < m.end and m.start < e for s, e in gold.source.fragments):
            return feats, i
    return None


#: Perceptrons trained on differently shuffled data whose weights are averaged (a bag):
#: on the held-out fold (threshold -8), content F1 0.767 -> 0.769 and pair F1 0.687 -> 0.692
#: with 5.
BAG = 5


def train(data, epochs: int, seed: int, snapshots=(), bag: int = 1):
    """An averaged perceptron over ``data`` (the mean of ``bag`` of them, each trained
    on its own shuffling, seeds ``seed``, ``seed + 1``, ...); also the weights after
    each epoch listed in ``snapshots``."""
    if bag > 1:
        runs = [_train_one(data, epochs, seed + k, snapshots) for k in range(bag)]
        return _mean([w for w, _ in runs]), {
            ep: _mean([snaps[ep] for _, snaps in runs]) for ep in runs[0][1]
        }
    return _train_one(data, epochs, seed, snapshots)


def _mean(tables):
    out: Counter = Counter()
    for t in tables:
        for k, v in t.items():
            out[k] += v / len(tables)
    return {k: round(v, 4) for k, v in out.items() if abs(v) >= 1e-3}


def _train_one(data, epochs: int, seed: int, snapshots=()):
    model = Perceptron()
    rng = random.Random(seed)
    data = list(data)
    snaps = {}
    for epoch in range(1, epochs + 1):
        rng.shuffle(data)
        for options, gold in data:
            model.update(options, gold)
        if epoch in snapshots:
            snaps[epoch] = model.averaged()
    return model.averaged(), snaps


def heldout_score(gold_docs, docs, cands, weights) -> tuple[float, float]:
    """(content F1, pair F1) of the full extraction on held-out articles."""
    report = AttributionReport(path="held-out")
    for g, doc, (quotes, cc) in zip(gold_docs, docs, cands, strict=True):
        report.add(score_document(g, assemble(doc, quotes, cc, weights)))
    return report.content[2], report.pair[2]


def select_settings(gold_docs, docs, cands, epochs, seed, folds, runs=1, bag=1):
    """Perceptron: epochs, threshold and speech-verb prior with the best mean of content
    and pair F1 on held-out articles (every ``folds``-th article held out, for the first
    ``runs`` of the ``folds`` ways to do so, averaged)."""
    thresholds = (-14.0, -12.0, -10.0, -8.0, -6.0, -5.0, -4.0, -3.0, -2.0, -1.0, 0.0)
    bonuses = (0.0, 2.0)
    epoch_list = tuple(sorted({2, 3, epochs, epochs + 3}))
    totals: Counter = Counter()
    runs = max(1, min(runs, folds))
    for k in range(runs):
        held = [i for i in range(len(docs)) if i % folds == k]
        data, spk = [], []
        for i in range(len(docs)):
            if i % folds != k:
                ex, _, sp = examples(gold_docs[i], cands[i][1])
                data += ex
                spk += sp
        spk_w, _ = train(spk, SPEAKER_EPOCHS, seed, bag=bag)
        _, snaps = train(data, max(epoch_list), seed, snapshots=epoch_list, bag=bag)
        for ep, w in snaps.items():
            for th in thresholds:
                for bo in bonuses:
                    ww = dict(w, **spk_w, **{THRESHOLD_KEY: th, BONUS_KEY: bo})
                    cf, pf = heldout_score(
                        [gold_docs[i] for i in held],
                        [docs[i] for i in held],
                        [cands[i] for i in held],
                        ww,
                    )
                    totals[(ep, th, bo)] += (cf + pf) / 2 / runs
        print(f"held-out fold {k + 1}/{runs} done", flush=True)
    best = max(totals, key=totals.__getitem__)
    for key, v in sorted(totals.items(), key=lambda x: -x[1])[:8]:
        print(f"  epochs {key[0]} threshold {key[1]} prior {key[2]}: mean F1 {v:.4f}")
    return best


#: Grids of the logistic learner's settings, searched on a held-out fold of train.
LOGISTIC_C = (0.1, 0.3, 1.0)
LOGISTIC_POS_WEIGHT = (1.0, 2.0)
SPEAKER_C = (0.1, 0.3, 1.0, 3.0)
LOGISTIC_THRESHOLDS = (-1.5, -1.0, -0.5, 0.0, 0.5)
LOGISTIC_BONUSES = (0.0, 1.0, 2.0)


def _split_fold(gold_docs, cands, folds, k=0):
    """Anchor and speaker examples of the fold's training and held-out articles."""
    parts = {True: ([], []), False: ([], [])}
    for i in range(len(gold_docs)):
        ex, _, sp = examples(gold_docs[i], cands[i][1])
        parts[i % folds == k][0].extend(ex)
        parts[i % folds == k][1].extend(sp)
    return parts[False], parts[True]


def select_logistic(gold_docs, docs, cands, seed, folds):
    """Logistic learner: the content model's C and weight of the right option by the
    best anchor-decision F1 on the held-out fold (every ``folds``-th article); the
    speaker model's C and threshold (against the perceptron) by held-out speaker
    accuracy; then the decision threshold and speech-verb prior by the mean of content
    and pair F1 of the whole extraction on the held-out articles."""
    (data, spk), (data_ho, spk_ho) = _split_fold(gold_docs, cands, folds)
    best = None
    for c in LOGISTIC_C:
        for pw in LOGISTIC_POS_WEIGHT:
            w = fit_logistic(data, c, pw)
            f1, th = best_f1_threshold(choice_scores(data_ho, w))
            print(
                f"  content C {c} positive weight {pw}: anchor F1 {f1:.4f} at {th:.2f}"
                f" ({time.strftime('%H:%M:%S')})",
                flush=True,
            )
            if best is None or f1 > best[0]:
                best = (f1, c, pw, w)
    _, c, pw, w = best
    spk_best = None
    pw_spk, _ = train(spk, SPEAKER_EPOCHS, seed)
    for sc in (None, *SPEAKER_C):
        sw = (
            pw_spk
            if sc is None
            else fit_logistic(spk, sc, 1.0, bias_feature=SPEAKER_PREFIX + "bias")
        )
        for sth in (0.0,) if sc is None else (-1.0, -0.5, 0.0, 0.5, 1.0):
            acc = accuracy(spk_ho, sw, sth)
            name = "perceptron" if sc is None else f"logistic C {sc} threshold {sth}"
            print(f"  speaker {name}: held-out accuracy {acc:.4f}", flush=True)
            if spk_best is None or acc > spk_best[0]:
                spk_best = (acc, sc, sth, sw)
    _, sc, sth, sw = spk_best
    held = [i for i in range(len(docs)) if i % folds == 0]
    totals = {}
    for th in LOGISTIC_THRESHOLDS:
        for bo in LOGISTIC_BONUSES:
            ww = dict(w, **sw, **{THRESHOLD_KEY: th, BONUS_KEY: bo, SPEAKER_THRESHOLD_KEY: sth})
            cf, pf = heldout_score(
                [gold_docs[i] for i in held], [docs[i] for i in held], [cands[i] for i in held], ww
            )
            totals[(th, bo)] = ((cf + pf) / 2, cf, pf)
    for key, v in sorted(totals.items(), key=lambda x: -x[1][0])[:8]:
        print(f"  threshold {key[0]} prior {key[1]}: content F1 {v[1]:.4f} pair F1 {v[2]:.4f}")
    th, bo = max(totals, key=lambda k: totals[k][0])
    return {
        "c": c,
        "positive_weight": pw,
        "threshold": th,
        "speech_bonus": bo,
        "speaker_c": sc,
        "speaker_threshold": sth,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("split", type=Path)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--bag", type=int, default=BAG, help="perceptrons averaged, each its own shuffling"
    )
    ap.add_argument("--runs", type=int, default=1, help="held-out folds to average (with --folds)")
    ap.add_argument(
        "--learner",
        choices=("logistic", "perceptron"),
        default="perceptron",
        help="the content model's learner (logistic: the speaker model too, if it wins on "
        "the held-out fold)",
    )
    ap.add_argument("--no-nouns", dest="nouns", action="store_false", help="verbs only")
    ap.add_argument(
        "--no-preps", dest="preps", action="store_false", help="no preposition cues ('in a poll')"
    )
    ap.add_argument("--noun-count", type=int, default=2, help="least gold cues of a noun cue")
    ap.add_argument(
        "--noun-ratio", type=float, default=0.02, help="least share of a noun's uses as a cue"
    )
    ap.add_argument(
        "--no-speakers", dest="speakers", action="store_false", help="speakers by rule only"
    )
    ap.add_argument(
        "--folds",
        type=int,
        default=5,
        help="choose epochs, threshold and prior by held-out folds of the split (0: keep defaults)",
    )
    args = ap.parse_args()
    t0 = time.time()
    gold_docs = read_split(args.split)
    docs = parse_cached([g.text for g in gold_docs], args.cache)
    print(f"parsed {len(docs)} articles in {time.time() - t0:.0f}s", flush=True)
    nouns = (
        learn_noun_cues(gold_docs, docs, args.noun_count, args.noun_ratio)
        if args.nouns
        else frozenset()
    )
    print(f"{len(nouns)} noun cues")
    preps = learn_prep_cues(gold_docs, docs) if args.preps else frozenset()
    print(f"{len(preps)} preposition cues: {', '.join(sorted(preps))}")
    cands = doc_candidates(docs, nouns, preps)
    print(f"candidates generated ({time.time() - t0:.0f}s)", flush=True)
    data, spk, covered = [], [], 0
    for g, (_, cc) in zip(gold_docs, cands, strict=True):
        ex, hit, sp = examples(g, cc)
        data.extend(ex)
        spk.extend(sp)
        covered += hit
    total = sum(len(g.attributions) for g in gold_docs)
    print(f"{len(data)} anchors; candidates reach {covered}/{total} gold attributions", flush=True)
    print(
        f"candidate recall (train): {covered}/{total} = {covered / max(total, 1):.3f}", flush=True
    )
    if args.learner == "logistic":
        settings = select_logistic(gold_docs, docs, cands, args.seed, args.folds or 5)
        print(f"chosen on the held-out fold: {settings}", flush=True)
        weights = fit_logistic(data, settings["c"], settings["positive_weight"])
        if args.speakers:
            print(f"speaker model: {len(spk)} statements", flush=True)
            if settings["speaker_c"] is None:
                weights.update(train(spk, SPEAKER_EPOCHS, args.seed)[0])
            else:
                weights.update(
                    fit_logistic(
                        spk, settings["speaker_c"], 1.0, bias_feature=SPEAKER_PREFIX + "bias"
                    )
                )
        epochs = None
    else:
        settings = {"threshold": THRESHOLD, "speech_bonus": SPEECH_BONUS, "speaker_threshold": 0.0}
        epochs = args.epochs
        if args.folds:
            epochs, th, bo = select_settings(
                gold_docs, docs, cands, args.epochs, args.seed, args.folds, args.runs, args.bag
            )
            settings = {"threshold": th, "speech_bonus": bo, "speaker_threshold": 0.0}
        print(f"training {epochs} epochs; settings {settings}", flush=True)
        weights, _ = train(data, epochs, args.seed, bag=args.bag)
        if args.speakers:
            print(f"speaker model: {len(spk)} statements", flush=True)
            weights.update(train(spk, SPEAKER_EPOCHS, args.seed, bag=args.bag)[0])
    weights.update({"noun_cue=" + w: 1.0 for w in nouns})
    weights.update({"prep_cue=" + w: 1.0 for w in preps})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    learner = (
        "cost-sensitive L2 logistic regression"
        if args.learner == "logistic"
        else "averaged perceptron"
    )
    payload = {
        "version": WEIGHTS_VERSION,
        "about": f"attribution candidate scorer; {learner} trained on PolNeAR "
        "v1.0.0 train (research data) by scripts/train_attribution.py",
        "learner": args.learner,
        "seed": args.seed,
        "epochs": epochs,
        "bag": args.bag if args.learner == "perceptron" else None,
        "settings": {k: v for k, v in settings.items() if k in DECISION_SETTINGS},
        "training": {
            "candidate_recall": [covered, total],
            "noun_cues": len(nouns),
            "prep_cues": sorted(preps),
            **{k: v for k, v in settings.items() if k in ("c", "positive_weight", "speaker_c")},
        },
        "weights": dict(sorted(weights.items())),
    }
    args.out.write_text(json.dumps(payload, indent=0, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {len(weights)} weights to {args.out} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
