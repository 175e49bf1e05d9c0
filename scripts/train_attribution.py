"""Train the attribution candidate scorer on PolNeAR train; write kb/data/attribution.json.

Usage:
    python scripts/train_attribution.py ../shared/eval/polnear/train \
        [--epochs 6] [--cache /tmp/train.spacy] [--out kb/data/attribution.json]

For every cue anchor (verb, adjective, "according to", headline colon) the candidates
of :mod:`kb.extract.attribution.candidates` are generated; the right one is the
candidate whose content has the best character Dice (>= 0.5) with a gold attribution
whose cue overlaps the anchor, or none. An averaged perceptron learns to pick it. The
weights are PolNeAR-derived (research data): see benchmarks/ACCURACY.md.
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
from kb.nlp import get_nlp  # noqa: E402


def parse(texts: list[str], cache: Path | None):
    from spacy.tokens import DocBin

    nlp = get_nlp()
    if cache and cache.is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if len(docs) == len(texts) and all(d.text == t for d, t in zip(docs, texts, strict=True)):
            return docs
    docs = list(nlp.pipe(texts, batch_size=8))
    if cache:
        db = DocBin()
        for d in docs:
            db.add(d)
        db.to_disk(cache)
    return docs


def learn_noun_cues(gold_docs, docs, min_count: int = 3, min_ratio: float = 0.05):
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


def doc_candidates(docs, nouns=frozenset()):
    """Per article: its quotation spans and candidates (features interned)."""
    out = []
    for doc in docs:
        quotes = find_quote_spans(doc.text)
        cands = candidates(doc, quotes, nouns)
        for c in cands:
            c.features = [sys.intern(f) for f in c.features]
        out.append((quotes, cands))
    return out


def examples(gold_doc, cands):
    """(options features, gold index or None) per anchor of one article, and how many
    of its gold attributions some candidate reaches."""
    golds = [(a, a.content.chars()) for a in gold_doc.attributions if a.cue is not None]
    by_anchor: dict[int, list] = {}
    for c in cands:
        by_anchor.setdefault(c.anchor.i, []).append(c)
    hit = set()
    out = []
    for group in by_anchor.values():
        a = group[0].anchor
        a0, a1 = a.idx, a.idx + len(a)
        best, best_d = None, 0.5
        for i, c in enumerate(group):
            cc = set(range(c.start, c.end))
            for j, (ga, gc) in enumerate(golds):
                if not any(s < a1 and a0 < e for s, e in ga.cue.fragments):
                    continue
                d = dice(cc, gc)
                if d >= best_d:
                    best, best_d = i, d
                    hit.add(j)
        out.append(([c.features for c in group], best))
    return out, len(hit)


def train(data, epochs: int, seed: int, snapshots=()):
    """An averaged perceptron over ``data``; also the averaged weights after each epoch
    listed in ``snapshots``."""
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


def select_settings(gold_docs, docs, cands, epochs, seed, folds):
    """Epochs, threshold and speech-verb prior with the best mean of content and pair
    F1 on held-out articles (every ``folds``-th article held out in turn, averaged)."""
    thresholds = (-3.0, -2.0, -1.5, -1.0, -0.5, 0.0)
    bonuses = (0.0, 1.0, 2.0)
    epoch_list = tuple(range(max(2, epochs - 4), epochs + 5, 2))
    totals: Counter = Counter()
    for k in range(folds):
        held = [i for i in range(len(docs)) if i % folds == k]
        data = [
            ex
            for i in range(len(docs))
            if i % folds != k
            for ex in examples(gold_docs[i], cands[i][1])[0]
        ]
        _, snaps = train(data, max(epoch_list), seed, snapshots=epoch_list)
        for ep, w in snaps.items():
            for th in thresholds:
                for bo in bonuses:
                    ww = dict(w, **{THRESHOLD_KEY: th, BONUS_KEY: bo})
                    cf, pf = heldout_score(
                        [gold_docs[i] for i in held],
                        [docs[i] for i in held],
                        [cands[i] for i in held],
                        ww,
                    )
                    totals[(ep, th, bo)] += (cf + pf) / 2 / folds
        print(f"fold {k + 1}/{folds} done", flush=True)
    best = max(totals, key=totals.__getitem__)
    for key, v in sorted(totals.items(), key=lambda x: -x[1])[:8]:
        print(f"  epochs {key[0]} threshold {key[1]} prior {key[2]}: mean F1 {v:.4f}")
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("split", type=Path)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-nouns", dest="nouns", action="store_false", help="verbs only")
    ap.add_argument(
        "--folds",
        type=int,
        default=0,
        help="choose epochs, threshold and prior by held-out folds of the split (0: keep defaults)",
    )
    args = ap.parse_args()
    t0 = time.time()
    gold_docs = read_split(args.split)
    docs = parse([g.text for g in gold_docs], args.cache)
    print(f"parsed {len(docs)} articles in {time.time() - t0:.0f}s", flush=True)
    nouns = learn_noun_cues(gold_docs, docs) if args.nouns else frozenset()
    print(f"{len(nouns)} noun cues")
    cands = doc_candidates(docs, nouns)
    data, covered = [], 0
    for g, (_, cc) in zip(gold_docs, cands, strict=True):
        ex, hit = examples(g, cc)
        data.extend(ex)
        covered += hit
    total = sum(len(g.attributions) for g in gold_docs)
    print(f"{len(data)} anchors; candidates reach {covered}/{total} gold attributions", flush=True)
    settings = {"threshold": THRESHOLD, "speech_bonus": SPEECH_BONUS}
    epochs = args.epochs
    if args.folds:
        epochs, th, bo = select_settings(gold_docs, docs, cands, args.epochs, args.seed, args.folds)
        settings = {"threshold": th, "speech_bonus": bo}
    print(f"training {epochs} epochs; settings {settings}", flush=True)
    weights, _ = train(data, epochs, args.seed)
    weights.update({"noun_cue=" + w: 1.0 for w in nouns})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "about": "attribution candidate scorer; averaged perceptron trained on PolNeAR "
        "v1.0.0 train (research data) by scripts/train_attribution.py",
        "epochs": epochs,
        "settings": settings,
        "weights": dict(sorted(weights.items())),
    }
    args.out.write_text(json.dumps(payload, indent=0, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {len(weights)} weights to {args.out} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
