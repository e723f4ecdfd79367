"""Detection quality: vanilla Presidio vs redact's policies, one run, one dataset, one model.

Usage::

    .venv/bin/python bench/evaluate.py                      # full dev set, all three systems
    .venv/bin/python bench/evaluate.py --limit 300 --json out.json
    .venv/bin/python bench/evaluate.py --policies testimony.yaml,my-case.yaml

Systems: (a) vanilla Presidio (default recognizers, same spaCy model; every
detected span counts as removed), (b) redact with each policy (default
``testimony.yaml`` and ``strict.yaml``; spans whose action is not ``keep``).
Metrics are those of :mod:`redact.evaluate` (letters and digits only; PREFIX and
TITLE gold spans are left out of the overall figures). Each engine is built
(timed separately) and warmed up on one document before its timed run; chars/s
is over the whole dataset. Run from the repository root or anywhere: the
default dataset is ``../shared/data/presidio-research/generated_large.json``
relative to the repository.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DEV_SET, Timer, build_vanilla, model_info, revision, versions  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from redact import Policy, Redactor  # noqa: E402
from redact.evaluate import Report, evaluate_predictions, evaluate_redactor, load_dataset  # noqa: E402,I001


def run_vanilla(dataset: Any) -> tuple[Report, float]:
    """Score vanilla Presidio; returns the report and the build time in seconds."""
    with Timer() as build:
        analyzer = build_vanilla()
    texts = dataset.texts()
    analyzer.analyze(texts[0], language="en")  # warm-up
    with Timer() as run:
        preds = [[(r.start, r.end, r.entity_type) for r in analyzer.analyze(t, language="en")]
                 for t in texts]
    system = {"tool": "presidio (vanilla)", "model": model_info(), "policy": [],
              "note": "AnalyzerEngine defaults; every detected span counts as removed"}
    return evaluate_predictions(dataset, preds, system=system, seconds=run.seconds), build.seconds


def run_redact(dataset: Any, policy_name: str) -> tuple[Report, float]:
    """Score redact under one policy; returns the report and the build time in seconds."""
    with Timer() as build:
        redactor = Redactor(Policy.load(policy_name))
    redactor.redact_many(dataset.texts()[:1], verify=False)  # warm-up
    return evaluate_redactor(redactor, dataset), build.seconds


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def table(rows: dict[str, tuple[Report, float]]) -> Table:
    """The side-by-side comparison (percentages)."""
    t = Table(title="Detection on the dev set (%, letters and digits only)")
    cols = ("system", "char recall", "PERSON span recall", "span recall", "precision",
            "typed precision", "F2", "leaked docs", "chars/s", "build s")
    for c in cols:
        t.add_column(c, justify="left" if c == "system" else "right")
    for name, (r, build_s) in rows.items():
        person = r.by_type.get("PERSON")
        t.add_row(name, _pct(r.char_recall), _pct(person.span_recall if person else None),
                  _pct(r.span_recall), _pct(r.precision), _pct(r.typed_precision), _pct(r.f2),
                  f"{r.leaked_docs}/{r.documents}",
                  f"{r.chars_per_second:,.0f}" if r.chars_per_second else "-",
                  f"{build_s:.1f}")
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dataset", nargs="?", default=str(DEV_SET),
                    help="labelled dataset (default: the presidio-research dev set)")
    ap.add_argument("--limit", type=int, default=None, help="first N documents only")
    ap.add_argument("--policies", default="testimony.yaml,strict.yaml",
                    help="comma-separated redact policies (default: testimony.yaml,strict.yaml)")
    ap.add_argument("--no-vanilla", action="store_true", help="skip vanilla Presidio")
    ap.add_argument("--json", metavar="FILE", help="also write all reports as JSON")
    args = ap.parse_args(argv)

    dataset = load_dataset(args.dataset, limit=args.limit)
    con = Console(highlight=False, width=max(Console().width, 150))
    rows: dict[str, tuple[Report, float]] = {}
    if not args.no_vanilla:
        rows["presidio vanilla"] = run_vanilla(dataset)
    for pol in [p.strip() for p in args.policies.split(",") if p.strip()]:
        rows[f"redact {pol.removesuffix('.yaml')}"] = run_redact(dataset, pol)

    ds = dataset.to_dict()
    con.print(f"dataset: {ds['name']} ({ds['documents']} documents, {ds['chars']:,} chars); "
              f"model: {model_info()['package']} {model_info()['version']}; "
              + ", ".join(f"{k} {v}" for k, v in versions().items())
              + f"; revision {revision()}")
    con.print(table(rows))
    con.print("char recall, span recall, precision: any type; PERSON span recall: PERSON gold "
              "spans fully covered by any type; leaked docs: documents with a gold span not fully "
              "covered; F2 from char recall and precision. PREFIX/TITLE gold spans excluded "
              "from overall figures.")
    if args.json:
        out = {"dataset": ds, "model": model_info(), "versions": versions(),
               "revision": revision(),
               "systems": {k: {**r.to_dict(), "build_seconds": round(b, 3)}
                           for k, (r, b) in rows.items()}}
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
        con.print(f"JSON -> {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
