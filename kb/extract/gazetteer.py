"""Small built-in tables: demonyms, common acronyms, capitals used for their countries,
and the words that make a phrase a title ("President", "ambassador").

They hold general knowledge only, never facts about a particular story.
"""

from __future__ import annotations

__all__ = ["DEMONYMS", "ACRONYMS", "CAPITALS", "TITLE_HEADS", "PRONOUNS", "COUNTRY_FORMS"]

#: Adjective or singular demonym -> country.
DEMONYMS = {
    "american": "United States", "us": "United States", "u.s.": "United States",
    "russian": "Russia", "ukrainian": "Ukraine", "french": "France", "german": "Germany",
    "british": "United Kingdom", "uk": "United Kingdom", "chinese": "China",
    "belarusian": "Belarus", "polish": "Poland", "italian": "Italy", "spanish": "Spain",
    "japanese": "Japan", "indian": "India", "canadian": "Canada", "turkish": "Turkey",
    "israeli": "Israel", "iranian": "Iran", "syrian": "Syria", "iraqi": "Iraq",
    "saudi": "Saudi Arabia", "egyptian": "Egypt", "mexican": "Mexico",
    "brazilian": "Brazil", "australian": "Australia", "dutch": "Netherlands",
    "swedish": "Sweden", "finnish": "Finland", "norwegian": "Norway",
    "danish": "Denmark", "lithuanian": "Lithuania", "latvian": "Latvia",
    "estonian": "Estonia", "romanian": "Romania", "hungarian": "Hungary",
    "georgian": "Georgia", "moldovan": "Moldova", "korean": "South Korea",
    "north korean": "North Korea", "south korean": "South Korea", "pakistani": "Pakistan",
    "afghan": "Afghanistan", "palestinian": "Palestine", "lebanese": "Lebanon",
    "greek": "Greece", "irish": "Ireland", "swiss": "Switzerland", "austrian": "Austria",
    "belgian": "Belgium", "czech": "Czech Republic", "serbian": "Serbia",
    "kazakh": "Kazakhstan", "armenian": "Armenia", "azerbaijani": "Azerbaijan",
    "soviet": "Soviet Union",
}

#: Alternative forms of a country's name -> canonical name.
COUNTRY_FORMS = {
    "us": "United States", "u.s.": "United States", "usa": "United States",
    "u.s.a.": "United States", "america": "United States",
    "the united states": "United States", "united states of america": "United States",
    "uk": "United Kingdom", "u.k.": "United Kingdom", "britain": "United Kingdom",
    "great britain": "United Kingdom", "the united kingdom": "United Kingdom",
    "russian federation": "Russia", "the russian federation": "Russia",
    "prc": "China", "the netherlands": "Netherlands",
}

#: Acronym -> organisation (used only when the article does not spell it out itself).
ACRONYMS = {
    "UN": "United Nations", "U.N.": "United Nations", "NATO": "NATO",
    "EU": "European Union", "E.U.": "European Union", "OSCE": "OSCE",
    "IMF": "International Monetary Fund", "WHO": "World Health Organization",
    "UNHRC": "UN Human Rights Council", "IAEA": "International Atomic Energy Agency",
    "FBI": "FBI", "CIA": "CIA", "G7": "G7", "G20": "G20",
}

#: Capitals often used for their government ("Moscow has denied").
CAPITALS = {
    "Washington": "United States", "Moscow": "Russia", "Kyiv": "Ukraine",
    "Kiev": "Ukraine", "Beijing": "China", "London": "United Kingdom",
    "Paris": "France", "Berlin": "Germany", "Minsk": "Belarus", "Tehran": "Iran",
    "Ankara": "Turkey", "Warsaw": "Poland", "Tokyo": "Japan",
}

#: Head words that make a noun phrase a title or role.
TITLE_HEADS = frozenset(
    """president presidents secretary minister ministers chancellor ambassador envoy
    chief spokesman spokeswoman spokesperson senator governor mayor general commander
    director head leader leaders king queen prince premier official officials diplomat
    representative commissioner secretary-general chairman chairwoman chair ceo
    counterpart counterparts deputy adviser advisor aide lawmaker congressman
    congresswoman speaker prosecutor judge attorney negotiator emissary monarch
    commissioner-general high-commissioner coordinator administrator""".split()
)

PRONOUNS = {
    "he": "person", "him": "person", "his": "person", "she": "person", "her": "person",
    "they": "plural", "them": "plural", "their": "plural", "it": "thing", "its": "thing",
    "we": "plural", "i": "self",
}
