"""Scoring predicted spans against gold spans, letters and digits only (the metrics are
described in :mod:`redact.evaluate`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from redact.evaluate.datasets import Dataset, Document
from redact.evaluate.leaks import LeakCounts

if TYPE_CHECKING:
    from redact.result import RedactionResult

__all__ = ["TYPE_MATCH", "NOT_IDENTIFYING", "Prediction", "matches", "Counts", "PredCounts",
           "Report", "evaluate_predictions", "predicted_spans"]

#: Gold type -> predicted (redact / Presidio) types that count as "the same type".
#: Gold types not listed match only a predicted type of the same name.
TYPE_MATCH: dict[str, frozenset[str]] = {
    "PERSON": frozenset({"PERSON"}),
    # A street address may be found whole (ADDRESS) or by its town/country (LOCATION),
    # and a gold place may sit inside a detected address.
    "ADDRESS": frozenset({"ADDRESS", "LOCATION"}),
    "LOCATION": frozenset({"LOCATION", "ADDRESS"}),
    "ORGANIZATION": frozenset({"ORGANIZATION"}),
    "DATE_TIME": frozenset({"DATE_TIME", "DATE_OF_BIRTH"}),
    "PHONE_NUMBER": frozenset({"PHONE_NUMBER"}),
    "EMAIL_ADDRESS": frozenset({"EMAIL_ADDRESS"}),
    # Presidio reports web addresses as URL; presidio-research labels them DOMAIN_NAME.
    "DOMAIN_NAME": frozenset({"URL", "DOMAIN_NAME"}),
    "URL": frozenset({"URL", "DOMAIN_NAME"}),
    "CREDIT_CARD": frozenset({"CREDIT_CARD"}),
    "IBAN_CODE": frozenset({"IBAN_CODE"}),
    "IP_ADDRESS": frozenset({"IP_ADDRESS"}),
    # redact's generic ID_NUMBER covers national identifiers and licences.
    "US_SSN": frozenset({"US_SSN", "ID_NUMBER"}),
    "US_DRIVER_LICENSE": frozenset({"US_DRIVER_LICENSE", "ID_NUMBER"}),
    "US_PASSPORT": frozenset({"US_PASSPORT", "ID_NUMBER"}),
    "ID_NUMBER": frozenset({"ID_NUMBER", "VEHICLE_PLATE", "US_PASSPORT", "US_DRIVER_LICENSE",
                            "US_SSN", "UK_NHS", "IBAN_CODE", "CREDIT_CARD"}),
    "MESSAGING_HANDLE": frozenset({"MESSAGING_HANDLE", "EMAIL_ADDRESS", "URL"}),
    # No predicted type describes honorifics or job titles: typed recall is 0 by design.
    "PREFIX": frozenset(),
    "TITLE": frozenset(),
}

#: Gold types scored per type but left out of the overall recall and leaked-document figures.
NOT_IDENTIFYING: frozenset[str] = frozenset({"PREFIX", "TITLE"})

#: Characters of context on each side of a snippet in ``show_errors`` output.
_CONTEXT = 25


def matches(gold_type: str, predicted_type: str) -> bool:
    """Whether a predicted type counts as the gold type (see :data:`TYPE_MATCH`)."""
    allowed = TYPE_MATCH.get(gold_type)
    if allowed is None:
        return predicted_type == gold_type
    return predicted_type in allowed


#: A predicted protected span: (start, end, entity type).
Prediction = tuple[int, int, str]


@dataclass
class Counts:
    """Raw tallies for one gold type (or overall); the metrics are properties."""

    gold_chars: int = 0
    covered_chars: int = 0
    typed_covered_chars: int = 0
    spans: int = 0
    covered_spans: int = 0
    typed_covered_spans: int = 0

    def add(self, other: Counts) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    @property
    def char_recall(self) -> float | None:
        return _ratio(self.covered_chars, self.gold_chars)

    @property
    def typed_char_recall(self) -> float | None:
        return _ratio(self.typed_covered_chars, self.gold_chars)

    @property
    def span_recall(self) -> float | None:
        return _ratio(self.covered_spans, self.spans)

    @property
    def typed_span_recall(self) -> float | None:
        return _ratio(self.typed_covered_spans, self.spans)

    def to_dict(self) -> dict[str, Any]:
        return {"spans": self.spans, "gold_chars": self.gold_chars,
                "char_recall": _r(self.char_recall),
                "typed_char_recall": _r(self.typed_char_recall),
                "span_recall": _r(self.span_recall),
                "typed_span_recall": _r(self.typed_span_recall),
                "missed_spans": self.spans - self.covered_spans}


@dataclass
class PredCounts:
    """Tallies of removed letters/digits for one predicted type (or overall)."""

    chars: int = 0
    in_gold: int = 0
    in_gold_typed: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.in_gold, self.chars)

    @property
    def typed_precision(self) -> float | None:
        return _ratio(self.in_gold_typed, self.chars)

    def to_dict(self) -> dict[str, Any]:
        return {"chars": self.chars, "precision": _r(self.precision),
                "typed_precision": _r(self.typed_precision)}


@dataclass
class Report:
    """Scores of one system on one dataset. ``to_dict()`` holds numbers only (see module doc)."""

    dataset: dict[str, Any]
    system: dict[str, Any]
    overall: Counts
    by_type: dict[str, Counts]
    predicted: PredCounts
    by_predicted_type: dict[str, PredCounts]
    documents: int
    leaked_docs: int
    excluded_types: tuple[str, ...]
    seconds: float | None = None
    errors: list[dict[str, Any]] | None = field(default=None, repr=False)
    #: the leak rule's figures (testimony datasets only)
    leaks: LeakCounts | None = None

    @property
    def char_recall(self) -> float | None:
        return self.overall.char_recall

    @property
    def span_recall(self) -> float | None:
        return self.overall.span_recall

    @property
    def precision(self) -> float | None:
        return self.predicted.precision

    @property
    def typed_precision(self) -> float | None:
        return self.predicted.typed_precision

    @property
    def f2(self) -> float | None:
        """F-beta (beta 2) of any-type character recall and precision."""
        r, p = self.char_recall, self.precision
        if r is None or p is None or (4 * p + r) == 0:
            return None if r is None or p is None else 0.0
        return 5 * p * r / (4 * p + r)

    @property
    def chars_per_second(self) -> float | None:
        if not self.seconds:
            return None
        return self.dataset.get("chars", 0) / self.seconds

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; it holds text only if the report was built with show_errors."""
        out: dict[str, Any] = {
            "dataset": self.dataset,
            "system": self.system,
            "overall": {
                **self.overall.to_dict(),
                "precision": _r(self.precision),
                "typed_precision": _r(self.typed_precision),
                "f2": _r(self.f2),
                "predicted_chars": self.predicted.chars,
                "documents": self.documents,
                "leaked_docs": self.leaked_docs,
                "excluded_types": list(self.excluded_types),
            },
            "by_type": {k: v.to_dict() for k, v in sorted(self.by_type.items())},
            "by_predicted_type": {k: v.to_dict()
                                  for k, v in sorted(self.by_predicted_type.items())},
            "timing": {"seconds": _r(self.seconds),
                       "chars_per_second": _r(self.chars_per_second, 1)},
        }
        if self.leaks is not None:
            out["leaks"] = self.leaks.to_dict()
        if self.errors is not None:
            out["errors"] = self.errors
        return out


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _r(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(x, nd)


def _doc_coverage(text: str, preds: Sequence[Prediction]) -> tuple[list[bool], list[set[str]]]:
    """Per character: covered by any prediction; the set of predicted types covering it."""
    covered = [False] * len(text)
    types: list[set[str]] = [set() for _ in text]
    for start, end, etype in preds:
        for i in range(max(0, start), min(end, len(text))):
            covered[i] = True
            types[i].add(etype)
    return covered, types


def _snippet(text: str, start: int, end: int) -> dict[str, Any]:
    return {"start": start, "end": end, "text": text[start:end],
            "context": text[max(0, start - _CONTEXT):end + _CONTEXT].replace("\n", " ")}


def _runs(mask: Sequence[bool]) -> list[tuple[int, int]]:
    out, start = [], None
    for i, m in enumerate(list(mask) + [False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            out.append((start, i))
            start = None
    return out


def evaluate_predictions(docs: Dataset | Sequence[Document],
                         predictions: Sequence[Iterable[Prediction]], *,
                         system: Mapping[str, Any] | None = None,
                         seconds: float | None = None,
                         show_errors: bool = False,
                         excluded_types: Iterable[str] = NOT_IDENTIFYING) -> Report:
    """Score predicted protected spans against the gold spans of ``docs``.

    ``predictions[i]`` lists the ``(start, end, entity)`` spans removed from
    document ``i`` (overlaps are fine: coverage is per character). ``system``
    describes what made the predictions (model, policy), ``seconds`` how long
    it took (for chars/s). ``show_errors=True`` adds the missed and wrongly
    removed snippets, *with their text*, under ``errors``.
    """
    if isinstance(docs, Dataset):
        meta, documents = docs.to_dict(), list(docs.documents)
    else:
        documents = list(docs)
        meta = Dataset("<documents>", "in-memory", tuple(documents)).to_dict()
    if len(predictions) != len(documents):
        raise ValueError(f"{len(predictions)} prediction lists for {len(documents)} documents")
    excluded = tuple(sorted(set(excluded_types)))
    overall, by_type = Counts(), {}
    pred_all, by_pred = PredCounts(), {}
    leaked_docs = 0
    errors: list[dict[str, Any]] | None = [] if show_errors else None

    for n, (doc, preds) in enumerate(zip(documents, predictions, strict=True)):
        text = doc.text
        preds = list(preds)
        covered, ptypes = _doc_coverage(text, preds)
        gold_types: list[set[str]] = [set() for _ in text]
        doc_leak = False
        for g in doc.spans:
            alnum = [i for i in range(g.start, g.end) if text[i].isalnum()]
            for i in range(g.start, g.end):
                gold_types[i].add(g.entity)
            if not alnum:
                continue  # nothing in it can identify anyone
            c = Counts(gold_chars=len(alnum), spans=1)
            c.covered_chars = sum(covered[i] for i in alnum)
            c.typed_covered_chars = sum(any(matches(g.entity, t) for t in ptypes[i])
                                        for i in alnum)
            c.covered_spans = int(c.covered_chars == len(alnum))
            c.typed_covered_spans = int(c.typed_covered_chars == len(alnum))
            by_type.setdefault(g.entity, Counts()).add(c)
            if g.entity not in excluded:
                overall.add(c)
                if not c.covered_spans:
                    doc_leak = True
            if errors is not None and not c.covered_spans:
                kind = "missed" if c.covered_chars == 0 else "partial"
                errors.append({"doc": n, "kind": kind, "gold_type": g.entity,
                               "predicted_types": sorted({t for i in alnum for t in ptypes[i]}),
                               **_snippet(text, g.start, g.end)})
        leaked_docs += doc_leak

        for i, ch in enumerate(text):
            if not covered[i] or not ch.isalnum():
                continue
            in_gold = bool(gold_types[i])
            pred_all.chars += 1
            pred_all.in_gold += in_gold
            pred_all.in_gold_typed += any(matches(g, t) for g in gold_types[i]
                                          for t in ptypes[i])
            for t in ptypes[i]:
                pc = by_pred.setdefault(t, PredCounts())
                pc.chars += 1
                pc.in_gold += in_gold
                pc.in_gold_typed += any(matches(g, t) for g in gold_types[i])
        if errors is not None:
            for start, end, etype in preds:
                outside = [not gold_types[i] for i in range(max(0, start), min(end, len(text)))]
                for a, b in _runs(outside):
                    alnum = [i for i in range(start + a, start + b) if text[i].isalnum()]
                    if alnum:
                        errors.append({"doc": n, "kind": "false_positive",
                                       "predicted_type": etype,
                                       **_snippet(text, alnum[0], alnum[-1] + 1)})

    return Report(dataset=meta, system=dict(system or {}), overall=overall, by_type=by_type,
                  predicted=pred_all, by_predicted_type=by_pred, documents=len(documents),
                  leaked_docs=leaked_docs, excluded_types=excluded, seconds=seconds,
                  errors=errors)


def predicted_spans(result: RedactionResult) -> list[Prediction]:
    """The spans a redaction removes (every action but ``keep``), as (start, end, entity)."""
    return [(s.start, s.end, s.entity) for s in result.spans if s.action != "keep"]
