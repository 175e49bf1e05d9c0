"""Actors: canonical names, aliases, titles, NER repair and role phrases."""

from __future__ import annotations

import pytest

from kb.extract.actors import find_actors


def _actors(nlp, text):
    index = find_actors(nlp(text))
    return {a.name: a for a in index.actors}, index


@pytest.mark.parametrize(
    "text, name, aliases, titles",
    [
        ("US Secretary of State Antony Blinken spoke. Later Blinken left.",
         "Antony Blinken", {"Blinken"}, ("US Secretary of State",)),
        ("French President Emmanuel Macron called. Macron said little.",
         "Emmanuel Macron", {"Macron"}, ("French President",)),
        ("Additionally, US ambassador to the UN, Sheba Crocker, warned of abuses.",
         "Sheba Crocker", set(), ("US ambassador to the UN",)),
        ("Vladimir Putin spoke. We believe President Putin has decided.",
         "Vladimir Putin", {"Putin"}, ("President",)),
        ("Antony Blinken, the US Secretary of State, said so.",
         "Antony Blinken", set(), ("US Secretary of State",)),
    ],
)
def test_names_aliases_titles(nlp, text, name, aliases, titles):
    actors, _ = _actors(nlp, text)
    assert name in actors, sorted(actors)
    assert aliases <= set(actors[name].aliases)
    assert actors[name].titles == titles
    assert actors[name].kind == "person"


def test_acronym_joins_long_name(nlp):
    actors, _ = _actors(nlp, "He wrote to the United Nations (UN) high commissioner. The UN met.")
    assert "United Nations" in actors and "UN" in actors["United Nations"].aliases
    assert "UN" not in actors


def test_short_organisation_name_joins_the_one_long_form(nlp):
    actors, _ = _actors(nlp, "The UN Security Council met. The Security Council heard Kyiv.")
    assert "Security Council" in actors["UN Security Council"].aliases
    assert "Security Council" not in actors


def test_country_forms_and_demonyms(nlp):
    actors, _ = _actors(nlp, "The US and Russian troops. Washington stressed it. Moscow denied it.")
    assert actors["United States"].kind == "country"
    assert {"US", "Washington"} <= set(actors["United States"].aliases)
    assert "Moscow" in actors["Russia"].aliases


def test_seed_repairs_ner_errors(seed_parsed):
    names = [a.name for a in seed_parsed.actors]
    for person in ("Antony Blinken", "Joe Biden", "Vladimir Putin", "Emmanuel Macron",
                   "Sheba Crocker", "Michelle Bachelet"):
        assert names.count(person) == 1, names
    for alias in ("Blinken", "Crocker", "Putin", "Biden", "Macron", "State", "AP"):
        assert alias not in names, names
    by = {a.name: a for a in seed_parsed.actors}
    assert by["Sheba Crocker"].kind == "person"  # tagged ORG once by the NER
    assert by["Antony Blinken"].kind == "person"  # headline "Blinken" tagged GPE
    # the headline mention of Blinken is one of his mentions
    text = seed_parsed.text
    head = text.index("Format: Blinken") + len("Format: ")
    assert any(m.start == head for m in by["Antony Blinken"].mentions)
    assert "US ambassador to the UN" in by["Sheba Crocker"].titles
    assert "French President" in by["Emmanuel Macron"].titles


def test_role_phrase_resolves_to_persons(seed_parsed, nlp):
    _, index = _actors(nlp, seed_parsed.text)
    start = seed_parsed.text.index("both Russian and US presidents")
    end = start + len("both Russian and US presidents")
    (names,) = [n for s, e, n in index.spans if (s, e) == (start, end)]
    assert names == ("Vladimir Putin", "Joe Biden")  # in the order the phrase names them


def test_role_phrase_refuses_when_ambiguous(nlp):
    _, index = _actors(nlp, "The presidents met. Both Russian and US presidents spoke.")
    start = index.actors and 0
    assert not any(len(names) > 1 for _, _, names in index.spans), start


def test_mentions_slice_the_text(seed_parsed):
    for actor in seed_parsed.actors:
        for m in actor.mentions:
            assert seed_parsed.text[m.start:m.end] == m.text
