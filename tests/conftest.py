"""Shared fixtures: the real spaCy model and real Presidio, loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from redact import Policy, Redactor

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


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
