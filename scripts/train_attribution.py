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

from kb.eval.attribution import dice  # noqa: E402
from kb.eval.brat import read_split  # noqa: E402
from kb.extract.attribution.candidates import candidates  # noqa: E402
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


def examples(gold_docs, docs, nouns=frozenset()):
    """(options features, gold index or None) per anchor, and the coverage counts."""
    out = []
    covered = total = 0
    for g, doc in zip(gold_docs, docs, strict=True):
        golds = [(a, a.content.chars()) for a in g.attributions if a.cue is not None]
        total += len(g.attributions)
        by_anchor: dict[int, list] = {}
        for c in candidates(doc, find_quote_spans(doc.text), nouns):
            by_anchor.setdefault(c.anchor.i, []).append(c)
        hit = set()
        for cands in by_anchor.values():
            a = cands[0].anchor
            a0, a1 = a.idx, a.idx + len(a)
            best, best_d = None, 0.5
            for i, c in enumerate(cands):
                cc = set(range(c.start, c.end))
                for j, (ga, gc) in enumerate(golds):
                    if not any(s < a1 and a0 < e for s, e in ga.cue.fragments):
                        continue
                    d = dice(cc, gc)
                    if d >= best_d:
                        best, best_d = i, d
                        hit.add(j)
            out.append(([c.features for c in cands], best))
        covered += len(hit)
    return out, covered, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("split", type=Path)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-nouns", dest="nouns", action="store_false", help="verbs only")
    args = ap.parse_args()
    t0 = time.time()
    gold_docs = read_split(args.split)
    docs = parse([g.text for g in gold_docs], args.cache)
    print(f"parsed {len(docs)} articles in {time.time() - t0:.0f}s", flush=True)
    nouns = learn_noun_cues(gold_docs, docs) if args.nouns else frozenset()
    print(f"{len(nouns)} noun cues")
    data, covered, total = examples(gold_docs, docs, nouns)
    print(f"{len(data)} anchors; candidates reach {covered}/{total} gold attributions")
    model = Perceptron()
    rng = random.Random(args.seed)
    for epoch in range(args.epochs):
        rng.shuffle(data)
        for options, gold in data:
            model.update(options, gold)
        print(f"epoch {epoch + 1} done", flush=True)
    weights = model.averaged()
    weights.update({"noun_cue=" + w: 1.0 for w in nouns})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "about": "attribution candidate scorer; averaged perceptron trained on PolNeAR "
        "v1.0.0 train (research data) by scripts/train_attribution.py",
        "epochs": args.epochs,
        "weights": dict(sorted(weights.items())),
    }
    args.out.write_text(json.dumps(payload, indent=0, ensure_ascii=False) + "\n", "utf-8")
    print(f"wrote {len(weights)} weights to {args.out}")


if __name__ == "__main__":
    main()
