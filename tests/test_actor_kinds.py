"""Actors of every kind the news needs: places that are not countries, products, market
indices and currencies, and organisation names the tagger splits."""

from __future__ import annotations

import pytest

from kb.extract.actors import find_actors


def kinds(nlp, text: str) -> dict[str, str]:
    return {a.name: a.kind for a in find_actors(nlp(text)).actors}


@pytest.mark.parametrize("text, expected", [
    ("General Motors filed for bankruptcy on Monday. General Motors shares fell.",
     {"General Motors": "organization"}),
    ("Singapore Airlines bought ten jets.", {"Singapore Airlines": "organization"}),
    ("Talks in Geneva and Brussels went on; Ukraine and Russia sent envoys.",
     {"Geneva": "place", "Brussels": "place", "Ukraine": "country", "Russia": "country"}),
    ("Fighting went on near the Black Sea and in Seattle.",
     {"Black Sea": "place", "Seattle": "place"}),
    ("The Dow Jones Industrial Average fell 3% and the S&P 500 rose. The Nikkei closed "
     "higher.", {"Dow Jones Industrial Average": "market_index", "S&P 500": "market_index",
                 "Nikkei 225": "market_index"}),
    ("The dollar fell against the yen and the Canadian dollar rose.",
     {"US dollar": "currency", "Japanese yen": "currency", "Canadian dollar": "currency"}),
    ("The Boeing 787 Dreamliner made its first test flight Tuesday. Airbus A380 orders rose.",
     {"Boeing 787 Dreamliner": "product", "Airbus A380": "product"}),
    ("Apple sold the iPhone 4 and the iPod.", {"iPhone 4": "product", "iPod": "product"}),
    # a name after "the" that speaks is no person; "the Fed" is the Federal Reserve
    ("The Federal Reserve left its rate unchanged and said it would wait. The Fed meets "
     "again in June.", {"Federal Reserve": "organization"}),
    # "AI" is no place; "the UAE" is a country
    ("Microsoft builds AI tools. The UAE and the US signed a deal.",
     {"Microsoft": "organization", "United Arab Emirates": "country",
      "United States": "country"}),
    ("Boeing paused deliveries of the 737 Max 9. Max Verstappen won.",
     {"737 Max 9": "product", "Max Verstappen": "person", "Boeing": "organization"}),
    ("Apple launched the iPhone 3G in July.", {"iPhone 3G": "product"}),  # "3" + "G"
    # a name the tagger cuts at its particle is one person
    ("Europe will act, Ursula von der Leyen said on Tuesday.",
     {"Ursula von der Leyen": "person"}),
    ("Vincent van Gogh painted it.", {"Vincent van Gogh": "person"}),
    # a company's legal suffix keeps it an organisation when it acts ("Inc." with its dot)
    ("Apple Inc. makes phones. Acme Corp. said sales rose.",
     {"Apple Inc.": "organization", "Acme Corp.": "organization"}),
    # a dateline in capitals (tagged an organisation or a person) is the place
    ("KERRIN (Northgate) - Dockers marched in Kerrin on Tuesday. The port of Kerrin was "
     "calm.", {"Kerrin": "place", "KERRIN": None}),
    # a one-word "person" after "the" is a newspaper or a body, not a person
    ("\"Nobody asked us,\" Tomas Kovel told the Gazette.", {"Tomas Kovel": "person",
                                                           "Gazette": "organization"}),
    # every country's demonym, not only the common ones
    ("The Kenyan government and Tanzanian police met.", {"Kenya": "country",
                                                         "Tanzania": "country"}),
])
def test_actor_kinds(nlp, text, expected):
    found = kinds(nlp, text)
    assert {name: found.get(name) for name in expected} == expected, found


@pytest.mark.parametrize("text, absent", [
    ("General Motors filed for bankruptcy.", "Motors"),  # not a general called Motors
    ("He paid 500 dollars for it.", "US dollar"),  # an amount is not the currency
    ("Article 5 of the treaty applies in March 2022.", "Article 5"),
    ("eBay rose 2% on Monday.", "eBay"),  # a company, not a product
    ("Boeing sold Delta Air Lines 20 jets.", "Lines 20"),  # a count, not a model
    ("Europe will act, Ursula von der Leyen said on Tuesday.", "Leyen"),
    ("President Macron de facto agreed.", "Macron de"),  # "de facto" is not his name
    ("Satya Nadella has pushed Microsoft to build AI tools into its products.", "AI"),
])
def test_not_actors_of_those_kinds(nlp, text, absent):
    found = kinds(nlp, text)
    assert found.get(absent) in (None, "organization"), found


def test_a_product_named_again_by_its_model(nlp):
    index = find_actors(nlp("The Boeing 787 Dreamliner flew on Tuesday. The 787 landed."))
    (product,) = [a for a in index.actors if a.kind == "product"]
    assert product.name == "Boeing 787 Dreamliner" and len(product.mentions) == 2
