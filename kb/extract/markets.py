"""Products, market indices and currencies: actors the small tagger has no label for.

- Market indices by name (:data:`~kb.extract.gazetteer.MARKET_INDICES`: "the Dow Jones
  Industrial Average", "the S&P 500", "the Nikkei"), and "the Dow".
- Currencies as things that move, not amounts: a singular currency word after "the" or
  a demonym ("the dollar fell", "the Canadian dollar"), never after a number ("500
  dollars" is money).
- Products: a brand and a model designation ("Boeing 787 Dreamliner", "Airbus A380",
  "iPhone 4"), or what the tagger labels PRODUCT, widened to its brand and name; later
  mentions of the model or the name alone ("the 787", "the Dreamliner") are the same
  product.

>>> from kb.nlp import get_nlp
>>> doc = get_nlp()("The Boeing 787 Dreamliner flew. The dollar fell as the S&P 500 rose.")
>>> [(name, kind) for name, kind, _, _ in market_and_product_mentions(doc, set())]
[('Boeing 787 Dreamliner', 'product'), ('US dollar', 'currency'), ('S&P 500', 'market_index')]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from kb.extract.gazetteer import CURRENCIES, DEMONYMS, MARKET_INDICES

__all__ = ["market_and_product_mentions", "model_line_at"]

#: A model designation: "787", "A380", "S10", "3G".
_MODEL = re.compile(r"^[A-Z]{0,2}\d{1,4}[A-Z]{0,3}$")
#: A product line written in camel case after a lower-case letter: "iPhone", "eBook".
_CAMEL = re.compile(r"^[a-z][A-Z][a-z]+$")

Found = tuple[str, str, Span, str]


@lru_cache(maxsize=4)
def _index_matcher(vocab: Vocab) -> PhraseMatcher:
    matcher = PhraseMatcher(vocab, attr="LOWER")
    from kb.nlp import get_nlp

    make = get_nlp().make_doc
    for phrase, name in MARKET_INDICES.items():
        matcher.add(name, [make(phrase)])
    return matcher


def market_and_product_mentions(doc: Doc, covered: set[int]) -> list[Found]:
    """``(canonical name, kind, span, alias)`` for each mention in ``doc`` of a product,
    a market index or a currency, skipping tokens in ``covered`` (already an actor's);
    the tokens of each mention found are added to ``covered``."""
    found: list[Found] = []

    def take(name: str, kind: str, span: Span) -> None:
        if any(i in covered for i in range(span.start, span.end)):
            return
        covered.update(range(span.start, span.end))
        found.append((name, kind, span, span.text))

    products = list(_products(doc))
    for name, span in products:
        take(name, "product", span)
    _product_aliases(doc, products, take)
    for _, start, end in _index_matcher(doc.vocab)(doc):
        take(MARKET_INDICES[doc[start:end].text.lower()], "market_index", doc[start:end])
    for tok in doc:
        if tok.text == "Dow" and tok.i > 0 and doc[tok.i - 1].lower_ == "the":
            take("Dow Jones Industrial Average", "market_index", doc[tok.i:tok.i + 1])
    for name, span in _currencies(doc):
        take(name, "currency", span)
    return sorted(found, key=lambda f: f[2].start)


#: Entity types of a number that is no model (a count, "737", may be one).
_NOT_LINE_ENTS = ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY")
#: ... after a brand the tagger does not know as an organisation or product, a count too.
_NOT_MODEL_ENTS = (*_NOT_LINE_ENTS, "CARDINAL")


def _model_after_brand(doc: Doc, i: int) -> bool:
    """Token ``i`` is a model designation of the brand before it: "Boeing 787" (the brand
    an organisation or product name), "Airbus A380" (letters and digits)."""
    tok = doc[i]
    if i == 0 or not _MODEL.match(tok.text):
        return False
    brand = doc[i - 1]
    if brand.pos_ != "PROPN" or not brand.text[:1].isupper() or _MODEL.match(brand.text):
        return False
    if tok.dep_ == "nummod" and tok.head.i > i:
        return False  # "Delta Air Lines 20 jets": a count of what follows, not a model
    if brand.ent_type_ in ("ORG", "PRODUCT"):
        return tok.ent_type_ not in _NOT_LINE_ENTS
    mixed = any(c.isalpha() for c in tok.text) and any(c.isdigit() for c in tok.text)
    return mixed and brand.ent_type_ not in _NOT_MODEL_ENTS


#: Words before a model number that make it a product's name ("the 787 Dreamliner").
_MODEL_DETERMINERS = frozenset({"the", "its", "their", "a"})


def model_line_at(doc: Doc, i: int) -> bool:
    """Token ``i`` is a model number that a product line's name follows, after a
    determiner and no brand: "the 787 Dreamliner", "the 737 Max 9" (not a year, a
    count or an amount: "the 1990 Act", "the 2024 Olympics")."""
    tok = doc[i]
    if i == 0 or i + 1 >= len(doc) or not _MODEL.match(tok.text):
        return False
    if doc[i - 1].lower_ not in _MODEL_DETERMINERS or tok.ent_type_ in _NOT_LINE_ENTS:
        return False
    if tok.text.isdigit() and len(tok.text) == 4 and 1800 <= int(tok.text) <= 2100:
        return False  # a year
    name = doc[i + 1]
    return name.pos_ == "PROPN" and name.text[:1].isupper() and not _MODEL.match(name.text)


def _products(doc: Doc) -> Iterator[tuple[str, Span]]:
    """Brand + model (+ name) spans and camel-case product lines ("iPhone 4")."""
    seen: set[int] = set()
    for tok in doc:
        text = tok.text
        if tok.i in seen or not (_MODEL.match(text) or _CAMEL.match(text)):
            continue  # most tokens: one pattern test, no other look-up
        if _model_after_brand(doc, tok.i):
            start, end = tok.i - 1, tok.i + 1
        elif model_line_at(doc, tok.i):
            start, end = tok.i, tok.i + 2  # "the 787 Dreamliner", "the 737 Max 9"
            if end < len(doc) and _MODEL.match(doc[end].text) and doc[end].text.isdigit():
                end += 1
        elif _CAMEL.match(text) and tok.pos_ in ("PROPN", "NOUN"):
            start, end = tok.i, tok.i + 1
            if end < len(doc) and _MODEL.match(doc[end].text):
                end += 1  # "iPhone 4", "iPhone 3G"
            elif tok.ent_type_ == "ORG" and (tok.i == 0 or doc[tok.i - 1].lower_ != "the"):
                continue  # "eBay rose": a company; "the iPod": a product
        else:
            continue
        while end < len(doc) and doc[end - 1].whitespace_ == "" and doc[end].text.isalnum():
            end += 1  # a model the tokenizer cut: "3" + "G" of "iPhone 3G"
        while end < len(doc) and _product_name(doc[end]):
            end += 1  # "Boeing 787 Dreamliner"
        if end < len(doc) and doc[end].lower_ == "store" and _CAMEL.match(text):
            end += 1  # "the iTunes store": the shop, not the program
        seen.update(range(start, end))
        span = doc[start:end]
        yield span.text, span


def _product_name(tok: object) -> bool:
    """A capitalised name word that may follow a model ("Dreamliner")."""
    text = str(tok)
    return (getattr(tok, "pos_", "") == "PROPN" and text[:1].isupper()
            and getattr(tok, "ent_type_", "") in ("", "PRODUCT", "ORG")
            and not _MODEL.match(text))


def _product_aliases(
    doc: Doc, products: list[tuple[str, Span]], take: Callable[[str, str, Span], None]
) -> None:
    """Later mentions of a product by its model or its name alone ("the 787")."""
    aliases: dict[str, str] = {}
    for product, span in products:
        for tok in span[1:]:
            aliases.setdefault(tok.text, product)
    for tok in doc:
        name = aliases.get(tok.text)
        if name and tok.i > 0 and doc[tok.i - 1].lower_ in ("the", "its", "a"):
            take(name, "product", doc[tok.i:tok.i + 1])


def _currencies(doc: Doc) -> Iterator[tuple[str, Span]]:
    for tok in doc:
        word = tok.lower_
        if word not in CURRENCIES or tok.tag_ != "NN" or tok.i == 0:
            continue
        before = doc[tok.i - 1]
        if before.like_num or before.tag_ == "CD":
            continue  # an amount, not the currency
        demonym = DEMONYMS.get(before.lower_)
        if demonym and word in ("dollar", "franc", "peso", "rupee", "pound"):
            name = "US dollar" if demonym == "United States" and word == "dollar" else (
                f"{before.text} {word}")
            yield name, doc[tok.i - 1:tok.i + 1]
        elif before.lower_ == "the" or demonym:
            yield CURRENCIES[word], doc[tok.i:tok.i + 1]
