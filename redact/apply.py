"""Apply: rewrite the text with presidio-anonymizer, span by span, as planned.

Each planned span becomes one Presidio ``replace`` operator carrying the
replacement the plan chose (a marker, a mask that keeps line breaks, a type
label or a pseudonym), so the planning step stays the only place where
decisions are made. Returns the new text and
where each replacement landed in it (verification ignores those ranges).
"""

from __future__ import annotations

from collections.abc import Sequence

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from redact.result import Span

__all__ = ["apply_spans"]

_engine = AnonymizerEngine()


def apply_spans(text: str, spans: Sequence[Span]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with every non-keep span replaced; and the output ranges of replacements."""
    todo = [s for s in spans if s.action != "keep"]
    if not todo:
        return text, []
    results, operators = [], {}
    for i, s in enumerate(todo):
        key = f"S{i}"
        results.append(RecognizerResult(key, s.start, s.end, 1.0))
        operators[key] = OperatorConfig("replace", {"new_value": s.replacement or ""})
    out = _engine.anonymize(text, results, operators)
    ranges = sorted((item.start, item.end) for item in out.items)
    return out.text, ranges
