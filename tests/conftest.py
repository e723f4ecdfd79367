"""Shared fixtures: the real spaCy model and real Presidio, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact import Policy, Redactor

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def testimony_policy() -> Policy:
    return Policy.load("testimony.yaml")


@pytest.fixture(scope="session")
def strict_policy() -> Policy:
    return Policy.load("strict.yaml")


@pytest.fixture(scope="session")
def redactor(testimony_policy: Policy) -> Redactor:
    """A Redactor with the shipped testimony policy (the model loads once per process)."""
    return Redactor(testimony_policy)


@pytest.fixture(scope="session")
def strict_redactor(strict_policy: Policy) -> Redactor:
    return Redactor(strict_policy)


@pytest.fixture()
def fresh_redactor(testimony_policy: Policy) -> Redactor:
    """A Redactor whose pseudonym labels start again at A (cheap: the model is cached)."""
    return Redactor(testimony_policy)


# ---- huge tests (big resource-limit runs): skipped unless asked for ------------------------
# A separate marker from ``slow`` (which the interop tests carry and CI runs): tests marked
# ``@pytest.mark.huge`` take minutes or gigabytes and run only with --runslow or
# REDACT_RUNSLOW=1.


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", default=False,
                     help="also run tests marked @pytest.mark.huge (or set REDACT_RUNSLOW=1)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "huge: minutes or gigabytes; needs --runslow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    import os

    if config.getoption("--runslow") or os.environ.get("REDACT_RUNSLOW") == "1":
        return
    skip = pytest.mark.skip(reason="huge: run with --runslow or REDACT_RUNSLOW=1")
    for item in items:
        if "huge" in item.keywords:
            item.add_marker(skip)
