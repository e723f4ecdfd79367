"""Measure detection against labelled data: how much identifying text would leak.

Load a labelled dataset with :func:`load_dataset`, then score a
:class:`redact.Redactor` with :func:`evaluate_redactor`, or any other system's
predicted spans with :func:`evaluate_predictions`. Both return a
:class:`Report`; ``Report.to_dict()`` is JSON-ready and ``print_report``
renders it with rich.

Datasets (auto-detected from the content; the extension is a hint only):

* presidio-research JSON: a JSON list of
  ``{"full_text": ..., "spans": [{"entity_type", "entity_value", "start_position",
  "end_position"}]}`` (e.g. ``generated_large.json``);
* JSONL: one ``{"text": ..., "spans": [{"start", "end", "type"}]}`` per line.
  Either record shape is accepted in either container;
* testimony JSONL: one ``{"id", "text", "protect": [[KIND, string], ...],
  "keep": [string, ...]}`` per line (``testimonies-dev.jsonl``): what an editor
  would remove and the public names that must survive. Every whole-word,
  any-case occurrence of a protect string is a gold span of its kind;
* CoNLL: one ``token<TAB>tag`` per line, a blank line between texts, BIO tags
  (``B-person``, ``I-location`` ...; WNUT 2017). Tokens are joined by single
  spaces to rebuild each text.

Testimony datasets are also scored by *leaks*, the way an editor would check
the output: a protect string leaks if it still occurs anywhere in the redacted
text as a whole word, in any case; a keep string is lost if it is not in the
output verbatim. :func:`evaluate_redactor` adds each statement's keep names to
the policy's ``allow`` list for that statement.

Metrics. Only letters and digits count (``str.isalnum``): spaces and
punctuation are neither leaked nor protected. A *predicted* span is a
``(start, end, entity)`` triple that the system removes (for redact: result
spans whose action is not ``keep``). With G the gold letters/digits and P the
predicted (protected) ones, per document, summed over the dataset:

* ``char_recall`` (any type): |G ∩ P| / |G| — a gold character is protected if
  any predicted span covers it, whatever its type;
* ``typed_char_recall``: the same, counting only predicted spans of a type that
  matches the gold type (see :data:`TYPE_MATCH`);
* ``span_recall``: fraction of gold spans whose letters and digits are *all*
  covered by predicted spans of any type (a half-masked name is a leak);
* ``typed_span_recall``: the same with predicted spans of a matching type;
* ``precision`` (any type): |P ∩ G| / |P| — the fraction of removed letters and
  digits that lie in some gold span;
* ``typed_precision``: the fraction of removed letters and digits that lie in a
  gold span of a type matching the predicted span's type;
* ``f2``: the F-beta score with beta = 2 from ``char_recall`` and ``precision``
  (recall weighs four times as much: a leak costs more than an over-redaction);
* ``leaked_docs``: documents with at least one gold span not fully covered.

Gold types :data:`NOT_IDENTIFYING` (``PREFIX`` such as "Mrs.", ``TITLE`` such as
"Benefits manager" in presidio-research) are scored and shown per type but are
left out of the overall recall figures and of ``leaked_docs`` by default: no
Presidio or redact type describes them, "Mrs." identifies nobody, and a job
title is at most a quasi-identifier. Predicted characters that fall inside
them still count as correct for ``precision``.

Reports hold numbers only. Dataset text, gold values and detected text appear
only with ``show_errors=True`` (a list of missed and wrongly removed snippets,
for debugging on a trusted machine; never store or share such a report).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from redact.redactor import Redactor
    from redact.result import RedactionResult

__all__ = [
    "TYPE_MATCH",
    "NOT_IDENTIFYING",
    "GoldSpan",
    "LeakCounts",
    "score_leaks",
    "whole_word",
    "TESTIMONY_KINDS",
    "CONLL_TYPES",
    "Document",
    "Dataset",
    "DatasetError",
    "Counts",
    "Report",
    "load_dataset",
    "predicted_spans",
    "evaluate_predictions",
    "evaluate_redactor",
    "print_report",
]

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


# ---- datasets ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldSpan:
    """A labelled identifier: character offsets in the document and its gold type."""

    start: int
    end: int
    entity: str


@dataclass(frozen=True)
class Document:
    """One labelled text; testimony datasets also carry ``protect`` and ``keep`` strings."""

    text: str
    spans: tuple[GoldSpan, ...]
    #: (kind, string) pairs that must not survive anywhere in the output
    protect: tuple[tuple[str, str], ...] = ()
    #: public names that must survive verbatim
    keep: tuple[str, ...] = ()
    id: str = ""


@dataclass(frozen=True)
class Dataset:
    """Labelled documents, with where they came from (``format``: presidio-research or jsonl)."""

    name: str
    format: str
    documents: tuple[Document, ...]

    @property
    def n_chars(self) -> int:
        return sum(len(d.text) for d in self.documents)

    def texts(self) -> list[str]:
        """The documents' texts, in order."""
        return [d.text for d in self.documents]

    def to_dict(self) -> dict[str, Any]:
        """Name, format and sizes (no text)."""
        types: dict[str, int] = {}
        for d in self.documents:
            for s in d.spans:
                types[s.entity] = types.get(s.entity, 0) + 1
        return {"name": self.name, "format": self.format, "documents": len(self.documents),
                "chars": self.n_chars, "gold_spans": dict(sorted(types.items()))}


class DatasetError(InputError):
    """A dataset file cannot be read; the message names the file and record, never its text."""

    default_todo = ("A dataset is a presidio-research JSON list or JSONL with "
                    "{\"text\", \"spans\": [{\"start\", \"end\", \"type\"}]} per line.")


def _record(rec: Any, where: str) -> tuple[Document, str]:
    """One document from a record of either shape; returns it and the shape's name."""
    if not isinstance(rec, Mapping):
        raise DatasetError(f"{where}: expected a JSON object")
    if "full_text" in rec:
        text, shape = rec["full_text"], "presidio-research"
    elif "text" in rec:
        text, shape = rec["text"], "jsonl"
    else:
        raise DatasetError(f"{where}: no 'text' or 'full_text' key")
    if not isinstance(text, str):
        raise DatasetError(f"{where}: the text is not a string")
    if "protect" in rec:
        return _testimony_record(rec, text, where), "testimony"
    spans = []
    for j, s in enumerate(rec.get("spans") or []):
        try:
            if "start_position" in s:
                start, end, etype = s["start_position"], s["end_position"], s["entity_type"]
            else:
                start, end = s["start"], s["end"]
                etype = s.get("type") or s.get("entity") or s.get("label") or s["entity_type"]
        except (KeyError, TypeError):
            raise DatasetError(f"{where}, span {j}: needs start/end/type or "
                               "start_position/end_position/entity_type") from None
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
            raise DatasetError(f"{where}, span {j}: offsets outside the text")
        spans.append(GoldSpan(start, end, str(etype)))
    spans.sort(key=lambda s: (s.start, s.end))
    return Document(text=text, spans=tuple(spans)), shape


#: Kinds of ``testimonies-dev.jsonl`` -> redact entity types (for the typed figures).
TESTIMONY_KINDS: dict[str, str] = {
    "PERSON": "PERSON", "LOCATION": "LOCATION", "ADDRESS": "ADDRESS", "PHONE": "PHONE_NUMBER",
    "EMAIL": "EMAIL_ADDRESS", "HANDLE": "MESSAGING_HANDLE", "ID": "ID_NUMBER",
    "ORG": "ORGANIZATION", "DATE_OF_BIRTH": "DATE_OF_BIRTH"}

#: CoNLL (WNUT 2017) tags -> entity types.
CONLL_TYPES: dict[str, str] = {
    "person": "PERSON", "location": "LOCATION", "corporation": "ORGANIZATION",
    "group": "GROUP", "product": "PRODUCT", "creative-work": "CREATIVE_WORK",
    "per": "PERSON", "loc": "LOCATION", "org": "ORGANIZATION", "misc": "MISC"}


def whole_word(s: str) -> re.Pattern[str]:
    """The leak rule's regex: ``s`` as a whole word (no word character on either side),
    any case."""
    return re.compile(r"(?<!\w)" + re.escape(s) + r"(?!\w)", re.IGNORECASE)


def _testimony_record(rec: Mapping[str, Any], text: str, where: str) -> Document:
    protect: list[tuple[str, str]] = []
    for j, pair in enumerate(rec.get("protect") or []):
        if not (isinstance(pair, list | tuple) and len(pair) == 2
                and all(isinstance(x, str) for x in pair) and pair[1]):
            raise DatasetError(f"{where}, protect {j}: expected [KIND, string]")
        protect.append((pair[0], pair[1]))
    keep = rec.get("keep") or []
    if not all(isinstance(k, str) and k for k in keep):
        raise DatasetError(f"{where}: keep must be a list of strings")
    spans = {(m.start(), m.end(), TESTIMONY_KINDS.get(kind, kind))
             for kind, value in protect for m in whole_word(value).finditer(text)}
    return Document(text=text, spans=tuple(GoldSpan(*s) for s in sorted(spans)),
                    protect=tuple(protect), keep=tuple(keep), id=str(rec.get("id", "")))


def _conll_documents(raw: str, p: Path) -> list[Document]:
    docs: list[Document] = []
    tokens: list[tuple[str, str]] = []

    def flush() -> None:
        text, spans, pos = [], [], 0
        current: list[Any] | None = None
        for tok, tag in tokens:
            start = pos
            text.append(tok)
            pos += len(tok) + 1
            kind = tag[2:].lower() if tag[:2] in ("B-", "I-") else None
            if kind is not None and tag.startswith("I-") and current is not None \
                    and current[2] == kind:
                current[1] = start + len(tok)
                continue
            if current is not None:
                spans.append(current)
                current = None
            if kind is not None:
                current = [start, start + len(tok), kind]
        if current is not None:
            spans.append(current)
        docs.append(Document(" ".join(text), tuple(
            GoldSpan(a, b, CONLL_TYPES.get(k, k.upper().replace("-", "_"))) for a, b, k in spans)))
        tokens.clear()

    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            if tokens:
                flush()
            continue
        tok, sep, tag = line.rstrip("\n").rpartition("\t")
        if not sep or not tok:
            raise DatasetError(f"{p}:{n}: expected TOKEN<TAB>TAG")
        tokens.append((tok, tag.strip()))
    if tokens:
        flush()
    return docs


def _looks_conll(raw: str) -> bool:
    for line in raw.splitlines()[:50]:
        if line.strip():
            return re.fullmatch(r"[^\t]+\t(?:O|[BI]-[\w\-]+)", line.rstrip()) is not None
    return False


def load_dataset(path: str | Path, *, limit: int | None = None) -> Dataset:
    """Load a labelled dataset (presidio-research JSON or JSONL; detected from the content).

    A file whose first non-blank character is ``[`` is read as one JSON list;
    otherwise each non-blank line is one JSON record. ``limit`` keeps the first
    ``limit`` documents. Raises :class:`DatasetError` for a malformed file.
    """
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatasetError(f"{p}: cannot read ({exc.strerror or type(exc).__name__})") from None
    records: list[tuple[Any, str]]
    if _looks_conll(raw):
        conll = _conll_documents(raw, p)
        return Dataset(name=p.name, format="conll",
                       documents=tuple(conll[:limit] if limit is not None else conll))
    if raw.lstrip().startswith("["):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{p}: invalid JSON at line {exc.lineno}") from None
        records = [(r, f"{p}: record {i}") for i, r in enumerate(data)]
    else:
        records = []
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                records.append((json.loads(line), f"{p}:{n}"))
            except json.JSONDecodeError:
                raise DatasetError(f"{p}:{n}: invalid JSON line") from None
    if limit is not None:
        records = records[:limit]
    docs, shapes = [], set()
    for rec, where in records:
        doc, shape = _record(rec, where)
        docs.append(doc)
        shapes.add(shape)
    fmt = next(iter(shapes)) if len(shapes) == 1 else ("jsonl" if not shapes else "mixed")
    return Dataset(name=p.name, format=fmt, documents=tuple(docs))


# ---- scoring ----------------------------------------------------------------------------

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
class LeakCounts:
    """The editor's check on testimony datasets (see the module doc): protect strings
    still in the output, keep strings lost, per kind."""

    strings: int = 0
    leaked: int = 0
    cases: int = 0
    leaked_cases: int = 0
    refused_cases: int = 0
    keep: int = 0
    keep_lost: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [strings, leaked]

    def to_dict(self) -> dict[str, Any]:
        return {"protect_strings": self.strings, "leaked_strings": self.leaked,
                "cases": self.cases, "leaked_cases": self.leaked_cases,
                "refused_by_verification": self.refused_cases,
                "keep_strings": self.keep, "keep_lost": self.keep_lost,
                "by_kind": {k: {"strings": v[0], "leaked": v[1]}
                            for k, v in sorted(self.by_kind.items())}}


def score_leaks(docs: Sequence[Document], outputs: Sequence[str],
                refused: Sequence[bool] = (), *,
                errors: list[dict[str, Any]] | None = None) -> LeakCounts:
    """Apply the leak rule to ``outputs`` (the redacted texts of ``docs``).

    ``refused[i]`` says that verification refused document ``i`` (nothing would be
    written; its unverified output is scored all the same). ``errors``, if given,
    receives each leaked or lost string *with its text* (trusted machines only).
    """
    out = LeakCounts()
    for n, (doc, text) in enumerate(zip(docs, outputs, strict=True)):
        if not doc.protect and not doc.keep:
            continue
        out.cases += 1
        out.refused_cases += bool(refused[n]) if n < len(refused) else 0
        leaked_here = False
        for kind, value in dict.fromkeys(doc.protect):
            row = out.by_kind.setdefault(kind, [0, 0])
            row[0] += 1
            out.strings += 1
            if whole_word(value).search(text):
                row[1] += 1
                out.leaked += 1
                leaked_here = True
                if errors is not None:
                    errors.append({"doc": n, "id": doc.id, "kind": "leaked", "gold_type": kind,
                                   "text": value})
        out.leaked_cases += leaked_here
        for keep in dict.fromkeys(doc.keep):
            out.keep += 1
            if keep not in text:
                out.keep_lost += 1
                if errors is not None:
                    errors.append({"doc": n, "id": doc.id, "kind": "keep_lost",
                                   "gold_type": "KEEP", "text": keep})
    return out


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


def evaluate_redactor(redactor: Redactor, dataset: Dataset, *, show_errors: bool = False,
                      batch_size: int = 32) -> Report:
    """Redact every document of ``dataset`` (verify off) and score what was removed.

    The report's ``system`` names the spaCy model and its version, the policy
    files and the policy's fingerprint; ``timing`` gives the redaction speed.
    """
    texts = dataset.texts()
    policy = redactor.policy
    system = {"tool": "redact", "model": redactor.model_info.to_dict(),
              "policy": [Path(s).name for s in policy.sources],
              "policy_sha256": policy.sha256()}
    if not any(d.protect or d.keep for d in dataset.documents):
        t0 = time.perf_counter()
        results = redactor.redact_many(texts, batch_size=batch_size, verify=False)
        seconds = time.perf_counter() - t0
        return evaluate_predictions(dataset, [predicted_spans(r) for r in results],
                                    system=system, seconds=seconds, show_errors=show_errors)
    # Testimony: each statement under the policy with its own public names allowed, and
    # with verification on (a refused statement is written nowhere; its unverified output
    # is scored all the same, so a refusal never hides a leak from the figures).
    from redact.errors import LeakError
    from redact.redactor import Redactor

    results, refused = [], []
    t0 = time.perf_counter()
    for doc in dataset.documents:
        one = Redactor(policy.extended(allow=doc.keep, source="<keep>"),
                       pseudonyms=redactor.planner.pseudonyms) if doc.keep else redactor
        try:
            results.append(one.redact(doc.text))
            refused.append(False)
        except LeakError:
            results.append(one.redact(doc.text, verify=False))
            refused.append(True)
    seconds = time.perf_counter() - t0
    report = evaluate_predictions(dataset, [predicted_spans(r) for r in results],
                                  system=system, seconds=seconds, show_errors=show_errors)
    report.leaks = score_leaks(dataset.documents, [r.text for r in results], refused,
                               errors=report.errors)
    return report


# ---- display ----------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def print_report(report: Report, console: Console | None = None) -> None:
    """Render a report as rich tables: overall figures, per gold type, per predicted type."""
    from rich.console import Console
    from rich.table import Table

    con = console or Console(highlight=False)
    sysd, ds = report.system, report.dataset
    model = sysd.get("model") or {}
    if isinstance(model, Mapping):
        model = f"{model.get('package', '?')} {model.get('version', '?')}"
    con.print(f"dataset: {ds.get('name')} ({ds.get('format')}, {ds.get('documents')} documents, "
              f"{ds.get('chars')} chars)")
    con.print(f"system: {sysd.get('tool', '?')}; model: {model}; "
              f"policy: {', '.join(sysd.get('policy') or []) or '-'}")

    t = Table(title="Overall (letters and digits only)")
    t.add_column("metric")
    t.add_column("value", justify="right")
    o = report.overall
    rows = [("char recall (any type)", _pct(o.char_recall)),
            ("char recall (typed)", _pct(o.typed_char_recall)),
            ("span recall (any type)", _pct(o.span_recall)),
            ("span recall (typed)", _pct(o.typed_span_recall)),
            ("precision (any type)", _pct(report.precision)),
            ("precision (typed)", _pct(report.typed_precision)),
            ("F2", _pct(report.f2)),
            ("documents with a leak", f"{report.leaked_docs} / {report.documents}")]
    if report.chars_per_second:
        rows.append(("chars/s", f"{report.chars_per_second:,.0f}"))
    for k, v in rows:
        t.add_row(k, v)
    con.print(t)

    if report.leaks is not None:
        lk = report.leaks
        t2 = Table(title="Leak rule (protect strings found anywhere in the output, any case)")
        t2.add_column("kind")
        t2.add_column("strings", justify="right")
        t2.add_column("leaked", justify="right")
        for kind, (n, leaked) in sorted(lk.by_kind.items()):
            t2.add_row(kind, str(n), str(leaked))
        t2.add_row("all", str(lk.strings), str(lk.leaked))
        con.print(t2)
        con.print(f"statements with a leak: {lk.leaked_cases} / {lk.cases}; refused by "
                  f"verification: {lk.refused_cases}; public names lost: {lk.keep_lost} / "
                  f"{lk.keep}")

    g = Table(title="By gold type (recall)")
    for col in ("gold type", "spans", "missed", "char", "char typed", "span", "span typed"):
        g.add_column(col, justify="left" if col == "gold type" else "right")
    for name, c in sorted(report.by_type.items(), key=lambda kv: -kv[1].spans):
        label = name + (" *" if name in report.excluded_types else "")
        g.add_row(label, str(c.spans), str(c.spans - c.covered_spans), _pct(c.char_recall),
                  _pct(c.typed_char_recall), _pct(c.span_recall), _pct(c.typed_span_recall))
    con.print(g)
    if report.excluded_types:
        con.print(f"* not in the overall figures: {', '.join(report.excluded_types)} "
                  "(honorifics and job titles; no detector type matches them)")

    p = Table(title="By predicted type (precision)")
    for col in ("predicted type", "chars", "in any gold span", "in a matching gold span"):
        p.add_column(col, justify="left" if col == "predicted type" else "right")
    for name, pc in sorted(report.by_predicted_type.items(), key=lambda kv: -kv[1].chars):
        p.add_row(name, str(pc.chars), _pct(pc.precision), _pct(pc.typed_precision))
    con.print(p)
