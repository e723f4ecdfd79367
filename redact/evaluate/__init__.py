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

import time
from pathlib import Path
from typing import TYPE_CHECKING

from redact.evaluate.datasets import (
    CONLL_TYPES,
    TESTIMONY_KINDS,
    Dataset,
    DatasetError,
    Document,
    GoldSpan,
    load_dataset,
    whole_word,
)
from redact.evaluate.display import print_report
from redact.evaluate.leaks import LeakCounts, score_leaks
from redact.evaluate.scoring import (
    NOT_IDENTIFYING,
    TYPE_MATCH,
    Counts,
    PredCounts,
    Prediction,
    Report,
    evaluate_predictions,
    matches,
    predicted_spans,
)

if TYPE_CHECKING:
    from redact.redactor import Redactor

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
    "PredCounts",
    "Prediction",
    "matches",
    "Report",
    "load_dataset",
    "predicted_spans",
    "evaluate_predictions",
    "evaluate_redactor",
    "print_report",
]


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
