"""Benchmark sealing and opening a large file (default 200 MB) with age v1.

Each measurement (seal or open, for the hybrid and the X25519 recipient) runs
in its own subprocess, so the peak RSS reported (``ru_maxrss``) is that
operation's own and shows that memory does not grow with the file size.

    .venv/bin/python bench/bench_seal.py            # 200 MB
    .venv/bin/python bench/bench_seal.py --mb 50 --armor
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from redact import seal as S


def _child(op: str, src: str, dst: str, key: str, armor: bool) -> None:
    """Run one operation and print a JSON line with timing and peak RSS."""
    start = time.perf_counter()
    if op == "baseline":  # import only: what `import redact` costs before any sealing
        print(json.dumps({"bytes": 0, "seconds": 1.0, "peak_rss_mib":
                          resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        if op == "seal":
            n = S.seal(fin, fout, [S.parse_recipient(key)], armor=armor)
        else:
            n = S.open_sealed(fin, fout, [S.parse_identity(key)])
    elapsed = time.perf_counter() - start
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({"bytes": n, "seconds": elapsed, "peak_rss_mib": rss_kb / 1024}))


def _run(op: str, src: Path, dst: Path, key: str, armor: bool) -> dict[str, float]:
    # The key is passed through the environment, not argv (argv shows up in `ps`).
    proc = subprocess.run(
        [sys.executable, __file__, "--child", op, str(src), str(dst)] + (["--armor"] if armor
                                                                          else []),
        capture_output=True, text=True, check=True, env={**os.environ, "BENCH_KEY": key})
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="plaintext size in MB (10^6 bytes)")
    parser.add_argument("--armor", action="store_true", help="seal with ASCII armor")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs per measurement; the fastest is shown (page-cache noise)")
    parser.add_argument("--child", nargs=3, metavar=("OP", "SRC", "DST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        op, src, dst = args.child
        _child(op, src, dst, os.environ["BENCH_KEY"], args.armor)
        return

    size = args.mb * 1_000_000
    with tempfile.TemporaryDirectory(prefix="redact-bench-") as tmp:
        plain = Path(tmp) / "plain.bin"
        with open(plain, "wb") as fh:
            block = os.urandom(1 << 20)
            left = size
            while left:
                fh.write(block[: min(left, len(block))])
                left -= min(left, len(block))
        print(f"plaintext: {size / 1e6:.0f} MB{' (armored output)' if args.armor else ''}; "
              f"python {sys.version.split()[0]}; best of {args.repeat} runs, each in its own "
              "process")
        base = _run("baseline", plain, plain, "", False)["peak_rss_mib"]
        print(f"baseline peak RSS after `import redact.seal`: {base:.1f} MiB")
        print(f"{'recipient':<10} {'op':<5} {'MB/s':>8} {'seconds':>8} {'peak RSS MiB':>13}")
        for kind in ("pq", "x25519"):
            ident = S.generate_identity(kind)  # type: ignore[arg-type]
            sealed, opened = Path(tmp) / f"{kind}.age", Path(tmp) / f"{kind}.out"
            for op, src, dst, key in (("seal", plain, sealed, str(ident.recipient)),
                                      ("open", sealed, opened, str(ident))):
                runs = [_run(op, src, dst, key, args.armor) for _ in range(args.repeat)]
                r = min(runs, key=lambda x: x["seconds"])
                r["peak_rss_mib"] = max(x["peak_rss_mib"] for x in runs)
                label = "hybrid" if kind == "pq" else "x25519"
                print(f"{label:<10} {op:<5} {size / 1e6 / r['seconds']:>8.1f} "
                      f"{r['seconds']:>8.2f} {r['peak_rss_mib']:>13.1f}")
            if opened.stat().st_size != size:
                raise SystemExit(f"{kind}: round trip size mismatch")
            opened.unlink()
            sealed.unlink()


if __name__ == "__main__":
    main()
