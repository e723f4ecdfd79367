"""The unit detection hands to planning: one candidate identifier."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Detection"]


@dataclass(frozen=True)
class Detection:
    """A candidate identifier: character offsets, Presidio entity type, score, rule name."""

    start: int
    end: int
    entity: str
    score: float
    rule: str
