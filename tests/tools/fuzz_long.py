"""Long fuzz run: every target of ``tests/tools/fuzz_targets.py`` with many inputs.

    .venv/bin/python tests/tools/fuzz_long.py                 # 10,000 inputs per target
    .venv/bin/python tests/tools/fuzz_long.py -n 50000 -k age  # more, only some targets
    .venv/bin/python tests/tools/fuzz_long.py --atheris        # also coverage-guided (atheris)

Prints one line per target: inputs tried, how many ended in redact's own errors (by type),
the slowest input, and any failure (another exception type, a wrong answer, or an input
slower than 2 s) with the smallest failing input hypothesis found. Exit code 1 on any
failure. ``--json FILE`` writes the table as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from tools.fuzz_targets import Target, all_targets  # noqa: E402


def run_hypothesis(target: Target, n: int) -> str | None:
    @settings(max_examples=n, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck),
              phases=[Phase.generate, Phase.shrink])
    @given(target.strategy)
    def run(value: object) -> None:
        target.run(value)

    try:
        run()
    except BaseException as exc:  # noqa: BLE001 - report every failure
        if isinstance(exc, KeyboardInterrupt):
            raise
        return "".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000]
    return None


_BYTES_TARGETS = {"age.random_bytes": lambda b: b, "age.identity_file_bytes": lambda b: b,
                  "formats.text_utf8": lambda b: b.decode("utf-8", "replace"),
                  "policy.yaml_text": lambda b: b.decode("utf-8", "replace")}


def run_atheris(name: str, n: int) -> dict[str, object]:
    """Coverage-guided fuzzing with atheris of one bytes target, in a child process."""
    import subprocess

    code = f"""
import sys, atheris
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
with atheris.instrument_imports(include=["redact"]):
    import redact.seal, redact.formats, redact.policy, redact._internal.age.core
    from redact.formats import text, markdown, jsondoc, tabular, word
from tools.fuzz_targets import all_targets
from tools.fuzz_long import _BYTES_TARGETS, _ATHERIS_NAMES
t = {{x.name: x for x in all_targets()}}[{name!r}]
conv = _BYTES_TARGETS.get({name!r})
def one(data):
    if conv is not None:
        t.run(conv(data))
    else:
        t.run((data, _ATHERIS_NAMES[len(data) % len(_ATHERIS_NAMES)]))
atheris.Setup([sys.argv[0], "-runs={n}", "-max_len=4096", "-timeout=2", "-rss_limit_mb=4096"],
              one)
try:
    atheris.Fuzz()
except SystemExit:
    pass
"""
    t0 = time.time()
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    tail = r.stderr.strip().splitlines()[-3:]
    done = [ln for ln in r.stderr.splitlines() if "Done " in ln]
    return {"target": name + " (atheris)", "rc": r.returncode, "seconds": round(time.time() - t0),
            "summary": done[-1] if done else tail}


_ATHERIS_NAMES = ["s.txt", "s.md", "s.json", "s.jsonl", "s.csv", "s.docx"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=10_000, help="inputs per target (default 10,000)")
    ap.add_argument("-k", default="", help="only targets whose name contains this")
    ap.add_argument("--atheris", action="store_true", help="also run atheris on bytes targets")
    ap.add_argument("--json", type=Path, help="write the results as JSON here")
    args = ap.parse_args()
    rows = []
    failed = False
    for target in all_targets():
        if args.k not in target.name:
            continue
        t0 = time.time()
        failure = run_hypothesis(target, args.n)
        failed |= failure is not None
        row = {"target": target.name, "inputs": target.calls, "own_errors": target.own_errors,
               "error_types": target.errors, "slowest_s": round(target.slowest, 3),
               "seconds": round(time.time() - t0, 1), "failure": failure}
        rows.append(row)
        print(f"{target.name:28} {target.calls:>7} inputs  {target.own_errors:>7} own errors  "
              f"slowest {target.slowest:6.3f} s  {row['seconds']:>7} s  "
              + ("OK" if failure is None else "FAIL: " + failure.splitlines()[-1][:200]),
              flush=True)
    if args.atheris:
        for name in [*_BYTES_TARGETS, "formats.any_reader"]:
            if args.k in name:
                res = run_atheris(name, args.n)
                rows.append(res)
                failed |= res["rc"] not in (0,)
                print(f"{res['target']:40} rc={res['rc']} {res['seconds']} s  {res['summary']}",
                      flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
