"""The record types of the recognizer tables: a :class:`Rule` (one regular expression and
its checks) and a :class:`RecognizerSpec` (one recognizer: its rules and context words).
:mod:`redact.detect.rules` and :mod:`redact.detect.address_patterns` hold the tables;
:mod:`redact.detect.recognizers` turns them into Presidio recognizers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["RecognizerSpec", "Rule"]


@dataclass(frozen=True)
class Rule:
    """One regular expression of a :class:`RegexRecognizer`."""

    name: str
    regex: str
    score: float
    flags: int = 0
    #: extra check on the reported text; False drops the match
    validate: Callable[[str, re.Match[str]], bool] | None = None
    #: where the reported text ends, given the text and the span a greedy pattern took
    trim: Callable[[str, int, int], int] | None = None


@dataclass(frozen=True)
class RecognizerSpec:
    """One testimony recognizer as data: what :class:`redact.detect.recognizers.RegexRecognizer`
    is built from."""

    name: str
    entity: str
    rules: Sequence[Rule]
    context: Sequence[str] = ()
