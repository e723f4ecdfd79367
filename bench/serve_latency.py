"""Latency of ``POST /v1/redact`` (``redact serve``) for a 5 KB statement, 1 and 8 clients.

Usage::

    .venv/bin/python bench/serve_latency.py                      # 40 requests per run
    .venv/bin/python bench/serve_latency.py --requests 80 --workers 2 --json out.json

Starts ``redact serve`` in a child process on a free loopback port (real model,
shipped testimony policy), warms it up, then measures:

* 1 client sending ``--requests`` requests one after another;
* 8 clients (threads, one connection each) sending ``--requests`` in all;
* for comparison, ``Redactor.redact`` called directly in this process, as often.

It prints p50/p95/max latency per run, the requests per second, and the server's
peak resident memory (``VmHWM`` from ``/proc``, Linux) and this process's own
peak for the in-process run. The statement is the first ~5 KB (whole paragraphs)
of ``examples/chechnya-testimony-article.txt``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]


def statement(size: int = 5000) -> str:
    paras = (REPO / "examples" / "chechnya-testimony-article.txt").read_text(
        encoding="utf-8").split("\n\n")
    out = ""
    for p in paras:
        if len(out) + len(p) > size and out:
            break
        out += p + "\n\n"
    return out.strip() + "\n"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))]


def summary(lat: list[float], wall: float) -> dict[str, Any]:
    return {"requests": len(lat), "p50_ms": round(statistics.median(lat) * 1000, 1),
            "p95_ms": round(pct(lat, 95) * 1000, 1), "max_ms": round(max(lat) * 1000, 1),
            "per_second": round(len(lat) / wall, 2)}


def start_server(tmp: Path, workers: int) -> tuple[subprocess.Popen[bytes], str, str]:
    token = os.urandom(24).hex()
    tok = tmp / "token"
    tok.write_text(token + "\n")
    tok.chmod(0o600)
    out = tmp / "out.txt"
    with out.open("wb") as o:
        proc = subprocess.Popen([sys.executable, "-m", "redact", "serve", "--port", "0",
                                 "--token-file", str(tok), "--workers", str(workers)],
                                stdout=o, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        m = re.search(r"listening on (http://\S+)/v1/", out.read_text())
        if m:
            return proc, m.group(1), token
        if proc.poll() is not None:
            sys.exit("bench: the server exited")
        time.sleep(0.2)
    proc.kill()
    sys.exit("bench: the server did not start")


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def run_clients(url: str, token: str, text: str, clients: int, total: int
                ) -> dict[str, Any]:
    lat: list[float] = []
    lock = threading.Lock()
    per = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    errors = [0]

    def client(n: int) -> None:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"},
                          timeout=300) as c:
            for _ in range(n):
                t0 = time.perf_counter()
                r = c.post("/v1/redact", json={"text": text})
                dt = time.perf_counter() - t0
                with lock:
                    lat.append(dt)
                    errors[0] += r.status_code != 200

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in per]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return {"clients": clients, **summary(lat, time.perf_counter() - t0), "errors": errors[0]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=40, help="requests per run")
    ap.add_argument("--workers", type=int, default=2, help="the server's --workers")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    text = statement()
    report: dict[str, Any] = {"statement_chars": len(text), "statement_bytes":
                              len(text.encode()), "workers": args.workers,
                              "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        proc, url, token = start_server(Path(tmp), args.workers)
        try:
            report["server_idle_peak_mib"] = round(peak_kib(proc.pid) / 1024)
            run_clients(url, token, text, 1, 3)  # warm up
            report["serve_1_client"] = run_clients(url, token, text, 1, args.requests)
            report["serve_8_clients"] = run_clients(url, token, text, 8, args.requests)
            report["server_peak_mib"] = round(peak_kib(proc.pid) / 1024)
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    from redact import Policy, Redactor

    redactor = Redactor(Policy.load("testimony.yaml"))
    redactor.redact(text)
    lat = []
    t0 = time.perf_counter()
    for _ in range(args.requests):
        t1 = time.perf_counter()
        redactor.redact(text)
        lat.append(time.perf_counter() - t1)
    report["in_process"] = summary(lat, time.perf_counter() - t0)
    report["in_process_peak_mib"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"statement: {report['statement_bytes']:,} bytes; server --workers "
          f"{args.workers}; {report['cpus']} CPU(s)")
    for key in ("serve_1_client", "serve_8_clients", "in_process"):
        r = report[key]
        errs = f", {r['errors']} errors" if "errors" in r else ""
        print(f"{key:16} p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms  "
              f"max {r['max_ms']:8.1f} ms  {r['per_second']:6.2f} req/s  "
              f"({r['requests']} requests{errs})")
    print(f"server peak memory: {report['server_peak_mib']} MiB "
          f"(idle after start: {report['server_idle_peak_mib']} MiB); "
          f"in-process peak: {report['in_process_peak_mib']} MiB")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
