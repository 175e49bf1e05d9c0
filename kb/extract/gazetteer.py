"""Small built-in tables: demonyms, common acronyms, capitals used for their countries,
and the words that make a phrase a title ("President", "ambassador").

They hold general knowledge only, never facts about a particular story.
"""

from __future__ import annotations

__all__ = ["DEMONYMS", "ACRONYMS", "CAPITALS", "TITLE_HEADS", "PRONOUNS", "COUNTRY_FORMS",
           "MARKET_INDICES", "CURRENCIES", "COUNTRY_NAMES", "SPEECH_VERBS",
           "NEWS_COUNTRIES"]

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
    "uae": "United Arab Emirates", "drc": "Democratic Republic of the Congo",
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
    "Fed": "Federal Reserve",  # a short form, not initials: never another body's
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

#: Verbs that report speech or belief whatever the data says about their neighbours: a
#: statement with one of these and a clause, object or quotation is favoured.
SPEECH_VERBS = frozenset(
    "say tell warn deny claim state add insist argue believe think announce declare "
    "explain note suggest admit acknowledge allege assert confirm report write tweet "
    "stress urge predict promise vow reply respond complain accuse".split()
)
PRONOUNS = {
    "he": "person", "him": "person", "his": "person", "she": "person", "her": "person",
    "they": "plural", "them": "plural", "their": "plural", "it": "thing", "its": "thing",
    "we": "plural", "i": "self",
}

#: Stock market indices as the news names them -> canonical name. Only multi-word or
#: unambiguous forms: a bare "Dow" is an index only as "the Dow" (see actors.py).
MARKET_INDICES = {
    "dow jones industrial average": "Dow Jones Industrial Average",
    "dow jones": "Dow Jones Industrial Average", "djia": "Dow Jones Industrial Average",
    "s&p 500": "S&P 500", "standard & poor's 500": "S&P 500",
    "nasdaq composite": "Nasdaq Composite", "nasdaq 100": "Nasdaq-100",
    "ftse 100": "FTSE 100", "ftse": "FTSE 100", "dax": "DAX", "cac 40": "CAC 40",
    "nikkei 225": "Nikkei 225", "nikkei": "Nikkei 225", "hang seng": "Hang Seng Index",
    "shanghai composite": "Shanghai Composite", "sensex": "BSE Sensex",
    "euro stoxx 50": "Euro Stoxx 50", "stoxx 600": "Stoxx Europe 600",
    "russell 2000": "Russell 2000", "kospi": "KOSPI", "moex": "MOEX Russia Index",
}

#: Currency words (singular, as in "the dollar fell") -> canonical name; a demonym
#: before a shared word names another currency ("the Canadian dollar").
CURRENCIES = {
    "dollar": "US dollar", "greenback": "US dollar", "euro": "euro", "yen": "Japanese yen",
    "pound": "pound sterling", "sterling": "pound sterling", "yuan": "Chinese yuan",
    "renminbi": "Chinese yuan", "rouble": "Russian rouble", "ruble": "Russian rouble",
    "franc": "Swiss franc", "rupee": "Indian rupee", "hryvnia": "Ukrainian hryvnia",
    "lira": "Turkish lira", "peso": "Mexican peso", "bitcoin": "bitcoin",
}


def _country_names() -> frozenset[str]:
    """Every country's names, lower-cased: ISO 3166 (its short and common names) and
    the forms above."""
    import pycountry

    names: set[str] = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names.add(value.lower())
                names.add(value.split(",")[0].lower())  # "Korea, Republic of"
    names |= {v.lower() for v in (*DEMONYMS.values(), *COUNTRY_FORMS.values())}
    names |= set(COUNTRY_FORMS)
    return frozenset(names)


COUNTRY_NAMES = _country_names()


def _all_demonyms() -> dict[str, str]:
    """Every country's demonym from countryinfo ("kenyan" -> Kenya), where it names one
    country only ("congolese" names two and is left out); the table above wins."""
    from countryinfo import all_countries

    found: dict[str, set[str]] = {}
    for country in all_countries():
        try:
            demonym, name = country.demonym(), country.name()
        except Exception:  # noqa: BLE001 - an entry without the field
            continue
        if demonym and name:
            found.setdefault(demonym.lower(), set()).add(COUNTRY_FORMS.get(name.lower(), name))
    out = {d: next(iter(names)) for d, names in found.items() if len(names) == 1}
    out.update(DEMONYMS)
    return out


#: The countries of the hand table: names common enough in the news that a tagger's
#: PERSON on them ("Ukraine") is its error. A rarer country that is also a name
#: ("Jordan", "Chad") keeps the tagger's label.
NEWS_COUNTRIES = frozenset(DEMONYMS.values()) | frozenset(COUNTRY_FORMS.values())
DEMONYMS = _all_demonyms()
