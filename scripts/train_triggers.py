"""Train the event trigger and class models on TBAQ train; write kb/data/triggers.json.

Usage (the WordNet database is Debian's ``wordnet-base``: ``apt-get install wordnet-base``):
    python scripts/train_triggers.py ../shared/eval/tempeval3/TBAQ-cleaned \
        --wordnet /usr/share/wordnet [--max-epochs 10] [--folds 5] [--cache /tmp/tbaq.spacy] \
        [--out kb/data/triggers.json]

Every document of the fixed held-out fifth (:mod:`kb.eval.splits`) is kept out of
training and out of every choice made here. On the training four fifths, each gold
TimeML EVENT is mapped to the spaCy token at its root; every candidate token (a part
of speech that at least ``--min-pos-share`` of the gold triggers have) is an example.
Features are those of :func:`kb.extract.triggers.token_features`; the WordNet word
kinds (lexicographer files of a noun's or verb's first three senses) are read from
``--wordnet`` and written into the weights file as a table, with WordNet's licence. Two
averaged perceptrons learn: trigger or not (binary) and, for gold triggers, the
TimeML class (seven-way). The number of epochs of each and the trigger threshold are
chosen by ``--folds``-fold cross-validation over training documents (best pooled
trigger F1; best class accuracy), then both are retrained on all training documents.
Finally the held-out fifth is scored once, with :func:`kb.extract.triggers.find_triggers`
exactly as shipped: event P/R/F1 (relaxed = overlapping spans, one to one; strict =
same span), class F1 overall and per class, agreement of tense, aspect, polarity and
modality on matched events, and the speed of find_triggers against the spaCy parse.
Everything is deterministic (fixed seed, documents in sorted order).

The shipped class model is then replaced by a logistic regression, chosen over the
perceptron on the same training folds: run ``scripts/train_event_classes.py`` after
this script (it keeps the trigger model and the word-kind table).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kb.eval.splits import is_heldout  # noqa: E402
from kb.eval.timeml import read_timeml, timeml_paths  # noqa: E402
from kb.extract.triggers import (  # noqa: E402
    EVENT_CLASSES,
    WEIGHTS_PATH,
    WEIGHTS_VERSION,
    TriggerModel,
    candidate_tokens,
    class_features,
    find_triggers,
    token_features,
)
from kb.nlp import get_nlp, parse_cached  # noqa: E402

SEED = 13
#: The licence of WordNet 3.0, which must go with the word-kind table derived from it.
WORDNET_NOTICE = (
    'This software and database is being provided to you, the LICENSEE, by Princeton '
    'University under the following license. By obtaining, using and/or copying this '
    'software and database, you agree that you have read, understood, and will comply'
    ' with these terms and conditions.:\n\nPermission to use, copy, modify and '
    'distribute this software and database and its documentation for any purpose and '
    'without fee or royalty is hereby granted, provided that you agree to comply with'
    ' the following copyright notice and statements, including the disclaimer, and '
    'that the same appear on ALL copies of the software, database and documentation, '
    'including modifications that you make for internal use or for '
    'distribution.\n\nWordNet 3.0 Copyright 2006 by Princeton University. All rights '
    'reserved.\n\nTHIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON '
    'UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF'
    ' EXAMPLE, BUT NOT LIMITATION, PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR '
    'WARRANTIES OF MERCHANT- ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT '
    'THE USE OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT INFRINGE '
    'ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER RIGHTS.\n\nThe name of '
    'Princeton University or Princeton may not be used in advertising or publicity '
    'pertaining to distribution of the software and/or database. Title to copyright '
    'in this software, database and any associated documentation shall at all times '
    'remain with Princeton University and LICENSEE agrees to preserve same.'
)
THRESHOLDS = [x / 4 for x in range(-16, 17)]


@dataclass(frozen=True)
class GoldEvent:
    start: int
    end: int
    cls: str
    tense: str
    aspect: str
    polarity: str
    modality: str | None


def _walk_events(elem, pos: int, found: list, instances: dict) -> int:
    """Walk ``elem`` as :func:`kb.eval.timeml.read_timeml` does, recording EVENT spans."""
    start = pos
    if elem.text:
        pos += len(elem.text)
    for child in elem:
        pos = _walk_events(child, pos, found, instances)
        if child.tail:
            pos += len(child.tail)
    if elem.tag == "EVENT":
        mi = instances.get(elem.get("eid"), {})
        tense = mi.get("tense", "NONE")
        modality = (mi.get("modality") or "").lower() or None
        found.append(GoldEvent(start, pos, elem.get("class", "OCCURRENCE"),
                               tense if tense in ("PAST", "PRESENT", "FUTURE") else "NONE",
                               mi.get("aspect", "NONE"), mi.get("polarity", "POS"),
                               None if modality == "none" else modality))
    return pos


def read_events(path: Path) -> tuple[str, list[GoldEvent]]:
    """The document text (as read_timeml gives it) and its gold EVENTs."""
    text = read_timeml(path).text
    root = ET.parse(path).getroot()
    instances: dict = {}
    for mi in root.iter("MAKEINSTANCE"):
        instances.setdefault(mi.get("eventID"), dict(mi.attrib))
    text_elem = root.find(".//TEXT")
    found: list[GoldEvent] = []
    assert text_elem is not None
    text_elem.tail = None
    end = _walk_events(text_elem, 0, found, instances)
    assert end == len(text), path
    return text, sorted(found, key=lambda g: g.start)


def gold_roots(doc, events: list[GoldEvent]) -> tuple[dict[int, str], set[int]]:
    """{token index: class} of each gold event's root token, and the other tokens inside
    gold events (neither positive nor negative examples)."""
    roots: dict[int, str] = {}
    inside: set[int] = set()
    for g in events:
        span = doc.char_span(g.start, g.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        roots[span.root.i] = g.cls
        inside.update(t.i for t in span if t.i != span.root.i)
    return roots, inside


class Vocab:
    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def encode(self, feats: list[str], grow: bool) -> np.ndarray:
        out = []
        for f in feats:
            i = self.ids.get(f)
            if i is None and grow:
                i = self.ids[f] = len(self.ids)
            if i is not None:
                out.append(i)
        return np.array(out, dtype=np.int64)


def read_senses(folder: Path) -> dict[str, str]:
    """{"n:<lemma>" | "v:<lemma>": the lexicographer files of its first three senses} from
    a WordNet 3.0 database folder; nouns only when one of those senses is an act, event,
    process, phenomenon, state, communication, feeling, cognition or possession."""
    eventish = {"04", "09", "10", "11", "12", "19", "21", "22", "26"}
    out: dict[str, str] = {}
    for pos, key in (("noun", "n"), ("verb", "v")):
        lexfile = {}
        with open(folder / f"data.{pos}", encoding="latin-1") as fh:
            for line in fh:
                if not line.startswith("  "):
                    offset, lf = line.split()[:2]
                    lexfile[offset] = lf
        with open(folder / f"index.{pos}", encoding="latin-1") as fh:
            for line in fh:
                parts = line.split()
                if line.startswith("  ") or "_" in parts[0]:
                    continue
                n = int(parts[2])
                codes = list(dict.fromkeys(lexfile[o] for o in parts[-n:]))[:3]
                if key == "v" or eventish & set(codes):
                    out[key + ":" + parts[0]] = "".join(codes)
    return dict(sorted(out.items()))


def examples(docs, golds, pos: frozenset[str], senses: dict[str, str]):
    """Per document: [(features, gold class or None)] for every candidate token, and the
    number of gold events."""
    out = []
    for doc, events in zip(docs, golds, strict=True):
        roots, inside = gold_roots(doc, events)
        triggers = set(roots)
        ex = [(token_features(t, senses), roots.get(t.i),
               class_features(t, triggers) if t.i in roots else [])
              for t in candidate_tokens(doc, pos) if t.i not in inside]
        out.append((ex, len(events)))
    return out


def train_binary(data, epochs: list[int], rng: random.Random):
    """Averaged perceptron; the averaged weights after each epoch in ``epochs``."""
    vocab = Vocab()
    enc = [(vocab.encode(f, True), 1.0 if c else -1.0) for ex, _ in data for f, c, _ in ex]
    w = np.zeros(len(vocab.ids))
    u = np.zeros(len(vocab.ids))
    t, snaps = 1, {}
    order = list(range(len(enc)))
    for ep in range(1, max(epochs) + 1):
        rng.shuffle(order)
        for k in order:
            ids, y = enc[k]
            if y * w[ids].sum() <= 0:
                w[ids] += y
                u[ids] += t * y
            t += 1
        if ep in epochs:
            snaps[ep] = w - u / t
    return vocab, snaps


def train_classes(data, epochs: list[int], rng: random.Random):
    """Seven-way averaged perceptron over gold triggers; averaged weights per epoch."""
    vocab = Vocab()
    cix = {c: i for i, c in enumerate(EVENT_CLASSES)}
    enc = [(vocab.encode(f + e, True), cix[c]) for ex, _ in data for f, c, e in ex if c]
    w = np.zeros((len(vocab.ids), len(EVENT_CLASSES)))
    u = np.zeros_like(w)
    t, snaps = 1, {}
    order = list(range(len(enc)))
    for ep in range(1, max(epochs) + 1):
        rng.shuffle(order)
        for k in order:
            ids, y = enc[k]
            pred = int(w[ids].sum(axis=0).argmax())
            if pred != y:
                w[ids, y] += 1
                u[ids, y] += t
                w[ids, pred] -= 1
                u[ids, pred] -= t
            t += 1
        if ep in epochs:
            snaps[ep] = w - u / t
    return vocab, snaps


def f1(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_validate(data, folds: int, max_epochs: int, seed: int):
    """Pooled out-of-fold trigger counts per (epochs, threshold), class hits per epochs."""
    epochs = list(range(1, max_epochs + 1))
    counts: Counter = Counter()
    hits: Counter = Counter()
    ngold = nclass = 0
    for k in range(folds):
        train = [d for i, d in enumerate(data) if i % folds != k]
        test = [d for i, d in enumerate(data) if i % folds == k]
        vocab, snaps = train_binary(train, epochs, random.Random(seed + k))
        cvocab, csnaps = train_classes(train, epochs, random.Random(seed + k))
        ngold += sum(n for _, n in test)
        toks = [(vocab.encode(f, False), c) for ex, _ in test for f, c, _ in ex]
        ctoks = [(cvocab.encode(f + e, False), c) for ex, _ in test for f, c, e in ex if c]
        nclass += len(ctoks)
        for ep in epochs:
            scores = np.array([snaps[ep][ids].sum() for ids, _ in toks])
            gold = np.array([c is not None for _, c in toks])
            for th in THRESHOLDS:
                pred = scores > th
                counts[ep, th, "tp"] += int((pred & gold).sum())
                counts[ep, th, "pred"] += int(pred.sum())
            hits[ep] += sum(EVENT_CLASSES[int(csnaps[ep][ids].sum(axis=0).argmax())] == c
                            for ids, c in ctoks)
        print(f"  fold {k + 1}/{folds} done", flush=True)
    table = {(ep, th): f1(counts[ep, th, "tp"], counts[ep, th, "pred"], ngold)
             for ep in epochs for th in THRESHOLDS}
    return table, {ep: hits[ep] / nclass for ep in epochs}


def match(pred, gold, strict: bool):
    """One-to-one pairs (pred index, gold index): same span, or overlapping (greedy, in
    text order)."""
    pairs, used = [], set()
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if j in used:
                continue
            ok = (p.start, p.end) == (g.start, g.end) if strict else (
                p.start < g.end and g.start < p.end)
            if ok:
                pairs.append((i, j))
                used.add(j)
                break
    return pairs


def score_heldout(texts, golds, model: TriggerModel, timebank: list[bool]) -> None:
    """Score find_triggers on the held-out documents and time it against the parse.

    Polarity is compared on TimeBank documents only: the AQUAINT files mark polarity
    NEG on most of their events."""
    nlp = get_nlp()
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=8))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    preds = [find_triggers(d, model) for d in docs]
    t_find = time.perf_counter() - t0
    n_pred = sum(map(len, preds))
    n_gold = sum(map(len, golds))
    relaxed = strict = 0
    per_class: Counter = Counter()
    agree: Counter = Counter()
    for pred, gold, tb in zip(preds, golds, timebank, strict=True):
        strict += len(match(pred, gold, True))
        pairs = match(pred, gold, False)
        relaxed += len(pairs)
        for p in pred:
            per_class[p.event_class, "pred"] += 1
        for g in gold:
            per_class[g.cls, "gold"] += 1
        for i, j in pairs:
            p, g = pred[i], gold[j]
            per_class[g.cls, "tp"] += p.event_class == g.cls
            agree["tense"] += p.tense == g.tense
            agree["aspect"] += p.aspect == g.aspect
            agree["modality"] += p.modality == g.modality
            if tb:
                agree["polarity"] += p.polarity == g.polarity
                agree["polarity_n"] += 1
    ctp = sum(per_class[c, "tp"] for c in EVENT_CLASSES)
    print(f"held-out: {len(docs)} documents, {n_gold} gold events, {n_pred} triggers")
    print("  event relaxed P/R/F1: {:.3f} {:.3f} {:.3f}".format(*f1(relaxed, n_pred, n_gold)))
    print("  event strict  P/R/F1: {:.3f} {:.3f} {:.3f}".format(*f1(strict, n_pred, n_gold)))
    print("  class         P/R/F1: {:.3f} {:.3f} {:.3f}".format(*f1(ctp, n_pred, n_gold)))
    for c in EVENT_CLASSES:
        p, r, f = f1(per_class[c, "tp"], per_class[c, "pred"], per_class[c, "gold"])
        print(f"    {c:<11} gold {per_class[c, 'gold']:>5}  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    for k in ("tense", "aspect", "modality"):
        print(f"  {k} agreement on matched events: {agree[k] / max(relaxed, 1):.3f}")
    print(f"  polarity agreement on matched events of TimeBank documents: "
          f"{agree['polarity'] / max(agree['polarity_n'], 1):.3f}")
    print(f"  speed: spaCy parse {len(docs) / t_parse:.1f} docs/s, find_triggers "
          f"{len(docs) / t_find:.1f} docs/s ({100 * t_find / t_parse:.1f}% of the parse time)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--max-epochs", type=int, default=10)
    ap.add_argument("--seed", type=int, default=SEED, help="of the example order")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--min-pos-share", type=float, default=0.002)
    ap.add_argument("--min-abs", type=float, default=0.01,
                    help="weights smaller than this are not written")
    ap.add_argument("--wordnet", type=Path, default=None,
                    help="a WordNet 3.0 database folder (Debian's wordnet-base: "
                         "/usr/share/wordnet) for word-kind features")
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=WEIGHTS_PATH)
    args = ap.parse_args()

    paths = timeml_paths([args.data])
    train_paths = [p for p in paths if not is_heldout(p.name)]
    held_paths = [p for p in paths if is_heldout(p.name)]
    train = [read_events(p) for p in train_paths]
    held = [read_events(p) for p in held_paths]
    print(f"train: {len(train)} documents, {sum(len(g) for _, g in train)} events; "
          f"held-out: {len(held)} documents (not used until the end)")
    docs = parse_cached([t for t, _ in train], args.cache)

    pos_count: Counter = Counter()
    for doc, (_, events) in zip(docs, train, strict=True):
        roots, _ = gold_roots(doc, events)
        pos_count.update(doc[i].pos_ for i in roots)
    total = sum(pos_count.values())
    pos = frozenset(p for p, n in pos_count.items() if n / total >= args.min_pos_share)
    print("gold trigger parts of speech:", ", ".join(f"{p} {n}" for p, n in
                                                     pos_count.most_common()))
    senses = read_senses(args.wordnet) if args.wordnet else {}
    print(f"WordNet senses: {len(senses)} lemmas" if senses else "WordNet senses: none")
    data = examples(docs, [g for _, g in train], pos, senses)
    table, class_acc = cross_validate(data, args.folds, args.max_epochs, args.seed)
    (ep, th), (p, r, f) = max(table.items(), key=lambda kv: (kv[1][2], -kv[0][0]))
    cep = max(class_acc, key=lambda e: (class_acc[e], -e))
    print(f"chosen on {args.folds} folds of train: trigger epochs {ep}, threshold {th} "
          f"(out-of-fold P/R/F1 {p:.3f} {r:.3f} {f:.3f}); class epochs {cep} "
          f"(out-of-fold class accuracy on gold triggers {class_acc[cep]:.3f})")
    print("  out-of-fold trigger F1 by epochs (best threshold):", " ".join(
        f"{e}:{max(table[e, t][2] for t in THRESHOLDS):.3f}"
        for e in range(1, args.max_epochs + 1)))

    vocab, snaps = train_binary(data, [ep], random.Random(args.seed))
    cvocab, csnaps = train_classes(data, [cep], random.Random(args.seed))
    wt, wc = snaps[ep], csnaps[cep]
    trigger = {f: round(float(wt[i]), 3) for f, i in vocab.ids.items()
               if abs(wt[i]) >= args.min_abs}
    classes = {f: [round(float(x), 3) for x in wc[i]] for f, i in cvocab.ids.items()
               if np.abs(wc[i]).max() >= args.min_abs}
    settings = {"threshold": th, "trigger_epochs": ep, "class_learner": "perceptron",
                "class_epochs": cep,
                "candidate_pos": sorted(pos), "seed": args.seed, "folds": args.folds,
                "min_abs": args.min_abs}
    out = {
        "version": WEIGHTS_VERSION,
        "about": "event trigger and TimeML class models; averaged perceptrons trained on the "
                 "train four fifths of TempEval-3 TBAQ-cleaned (research data) by "
                 "scripts/train_triggers.py; senses: WordNet 3.0 word kinds (see senses_notice)",
        "classes_order": list(EVENT_CLASSES),
        "settings": settings,
        "trigger": dict(sorted(trigger.items())),
        "classes": dict(sorted(classes.items())),
        "senses": senses,
    }
    if senses:
        out["senses_notice"] = WORDNET_NOTICE
    args.out.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"settings: {json.dumps(settings)}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB; {len(trigger)} trigger "
          f"and {len(classes)} class features)")

    model = TriggerModel.from_dict(json.loads(args.out.read_text(encoding="utf-8")))
    score_heldout([t for t, _ in held], [g for _, g in held], model,
                  ["TimeBank" in str(p) for p in held_paths])


if __name__ == "__main__":
    main()
