"""Crash consistency of ``redact batch``: kill -9 at random moments, rerun, compare.

    .venv/bin/python tests/tools/crash_batch.py                # 50 trials
    .venv/bin/python tests/tools/crash_batch.py --trials 200 --seed 7 --json out.json

Set-up: a corpus of statements (txt, md, jsonl, csv, docx) and a fresh case; one
uninterrupted ``redact batch IN --case CASE --workers 2`` is the reference. Each trial
copies the fresh case, starts the same batch, sends SIGKILL to its whole process group
(parent and workers) after a random delay within the reference run's duration (some
trials kill twice, the second time during the rerun), then runs the batch again to the
end and checks:

- every redacted output is byte-identical to the reference run's;
- every sealed original opens with the case identity and equals its input file;
- ``redact verify-manifest`` accepts the case; every report parses;
- no temporary file (``.*.tmp``) and no file the reference run does not have remains;
- the pseudonym table (opened with the identity) equals the reference's. (A table that
  only *lacks* the real names of labels allocated just before the kill is reported as
  NAMES-LOST: the bug this script found, fixed in redact/case.py; ``--lenient-names``
  counts such trials apart instead of failing them.)

Exit code 1 if any trial fails; the summary says which and why.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from redact import seal as S  # noqa: E402
from redact.case import Case  # noqa: E402
from tools.attack_common import ENTRY, PASS, PYTHON, REPO  # noqa: E402
from tools.canary_corpus import write_corpus  # noqa: E402


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDACT_", "PYTEST_"))}
    env["PYTHONPATH"] = str(REPO)
    return env


def _batch_cmd(inp: Path, case: Path, pwf: Path, workers: int) -> list[str]:
    return [PYTHON, ENTRY, "batch", str(inp), "--case", str(case), "--workers", str(workers),
            "--passphrase-file", str(pwf), "--json"]


def make_corpus(folder: Path, copies: int) -> None:
    """The canary corpus, several times over in subfolders (layout kept by batch)."""
    for i in range(copies):
        sub = folder / f"set{i:02d}"
        write_corpus(sub)
        for p in sub.iterdir():  # make each copy a different statement
            if p.suffix in (".txt", ".md"):
                p.write_text(p.read_text() + f"\nRecorded in session {i} on day {i + 3}.\n")


def snapshot(case: Path, identities: list[S.Identity]) -> dict[str, object]:
    """What must be equal between runs (sealed files are compared by their plaintext)."""
    c = Case.open(case)
    red = {str(p.relative_to(case)): p.read_bytes().hex()
           for p in sorted((case / "redacted").rglob("*")) if p.is_file()}
    sealed = {}
    for p in sorted((case / "sealed").rglob("*.age")):
        sealed[str(p.relative_to(case))] = S.open_bytes(p.read_bytes(), identities).hex()
    for p in sorted((case / "reports").rglob("*.json")):
        json.loads(p.read_bytes())
    table = c.pseudonym_table(identities)
    files = sorted(str(p.relative_to(case)) for p in case.rglob("*")
                   if p.is_file() and not str(p.relative_to(case)).startswith(
                       ("manifests/", "pseudonyms/names/")))
    return {"redacted": red, "sealed": sealed, "table": table, "files": files}


def run_to_end(cmd: list[str], timeout: float = 600) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(cmd, env=_env(), capture_output=True, timeout=timeout, check=False)


def kill_after(cmd: list[str], delay: float) -> str:
    """Start ``cmd`` in its own process group; SIGKILL the group after ``delay`` seconds."""
    proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=delay)
        return "finished before the kill"
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return f"killed at {delay:.2f} s"


def check_trial(case: Path, inputs: dict[str, bytes], ref: dict[str, object],
                identities: list[S.Identity]) -> list[str]:
    problems = []
    tmp = [str(p.relative_to(case)) for p in case.rglob("*") if p.name.endswith(".tmp")]
    if tmp:
        problems.append(f"temporary files left: {tmp[:5]}")
    try:
        snap = snapshot(case, identities)
    except Exception as exc:  # noqa: BLE001 - any failure is a finding
        return problems + [f"cannot read the case back: {type(exc).__name__}: {exc}"[:300]]
    for key in ("redacted", "sealed", "files"):
        if snap[key] != ref[key]:
            a, b = snap[key], ref[key]
            if isinstance(a, dict) and isinstance(b, dict):
                diff = sorted(set(a) ^ set(b)) + [k for k in a if k in b and a[k] != b[k]]
            else:
                diff = sorted(set(a) ^ set(b))  # type: ignore[arg-type]
            problems.append(f"{key} differ from the uninterrupted run: {diff[:5]}")
    # the order of forms depends on which names file sealed them first: compare as sets
    table = {k: {"entity": v["entity"], "forms": sorted(set(v["forms"])),
                 "parts": sorted(set(v["parts"]))} for k, v in snap["table"].items()}
    ref_table = {k: {"entity": v["entity"], "forms": sorted(set(v["forms"])),
                     "parts": sorted(set(v["parts"]))} for k, v in ref["table"].items()}
    if table != ref_table:
        missing = sorted(set(ref_table) - set(table))
        wrong = sorted(k for k in table if ref_table.get(k, {}).get("entity") != table[k][
            "entity"] or not set(table[k]["forms"]) <= set(ref_table[k]["forms"]))
        if wrong or set(table) - set(ref_table):
            problems.append(f"the pseudonym table differs from the uninterrupted run's: {wrong}")
        elif missing:
            # labels allocated by a killed run before their names were sealed, and not
            # sealed again by the rerun (fixed in redact/case.py: {"named": key} lines)
            problems.append(f"NAMES-LOST: {len(missing)} label(s) without real names")
        else:
            lacking = sorted(k for k in ref_table if table.get(k) != ref_table[k])
            problems.append(f"NAMES-LOST: name forms missing for {lacking}")
    sealed = snap["sealed"]
    assert isinstance(sealed, dict)
    for rel, data in inputs.items():
        item = "sealed/" + rel.rsplit(".", 1)[0] + ".age"
        if sealed.get(item) != data.hex():
            problems.append(f"{item} does not open to its input")
    r = run_to_end([PYTHON, ENTRY, "verify-manifest", str(case)])
    if r.returncode != 0:
        problems.append("verify-manifest failed: " + (r.stdout + r.stderr).decode()[-300:])
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--copies", type=int, default=3, help="corpus copies (5 files each)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--strict-names", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--lenient-names", action="store_true",
                    help="count trials that only lost real names of new labels apart")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="redact-crash-"))
    try:
        inp = work / "in"
        make_corpus(inp, args.copies)
        inputs = {str(p.relative_to(inp)): p.read_bytes() for p in sorted(inp.rglob("*"))
                  if p.is_file()}
        ident = S.generate_identity()
        pwf = work / "pw.txt"
        pwf.write_text(PASS + "\n")
        fresh = work / "fresh-case"
        Case.init(fresh, [ident.recipient], passphrase=PASS, work_factor=10)
        ref_case = work / "ref-case"
        shutil.copytree(fresh, ref_case)
        t0 = time.perf_counter()
        r = run_to_end(_batch_cmd(inp, ref_case, pwf, args.workers))
        full = time.perf_counter() - t0
        if r.returncode != 0:
            print("reference run failed:", r.stderr.decode()[-2000:])
            return 1
        ref = snapshot(ref_case, [ident])
        print(f"reference run: {len(inputs)} files, {full:.1f} s", flush=True)
        results = []
        for trial in range(args.trials):
            case = work / f"case-{trial:03d}"
            shutil.copytree(fresh, case)
            cmd = _batch_cmd(inp, case, pwf, args.workers)
            events = [kill_after(cmd, rng.uniform(0.05, full * 1.05))]
            if rng.random() < 0.3:  # a second kill, during the rerun
                events.append(kill_after(cmd, rng.uniform(0.05, full)))
            rr = run_to_end(cmd)
            problems = [] if rr.returncode == 0 else [
                f"the rerun exited {rr.returncode}: {rr.stderr.decode()[-300:]}"]
            problems += check_trial(case, inputs, ref, [ident])
            results.append({"trial": trial, "events": events, "problems": problems})
            print(f"trial {trial:3d}: {'; '.join(events):45} "
                  + ("OK" if not problems else "FAIL " + " | ".join(problems)), flush=True)
            if not problems:
                shutil.rmtree(case)
        lost = [r for r in results
                if r["problems"] and all(p.startswith("NAMES-LOST") for p in r["problems"])]
        failed = [r for r in results if r["problems"] and r not in lost]
        killed = sum(1 for r in results for e in r["events"] if e.startswith("killed"))
        print(f"\n{len(results)} trials, {killed} kills, {len(failed)} failed trial(s); "
              f"{len(lost)} trial(s) where only real names of new labels were lost")
        if args.json:
            args.json.write_text(json.dumps({"reference_seconds": full, "files": len(inputs),
                                             "trials": results}, indent=2) + "\n")
        return 1 if failed or (lost and not args.lenient_names) else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("work folder:", work)


if __name__ == "__main__":
    sys.exit(main())
