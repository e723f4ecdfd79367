"""The review page's time from "add a word" to the re-verified view (goal: under 1 s).

Usage::

    .venv/bin/python bench/review_latency.py            # 10 KB statement, 10 changes

A 10 KB statement (the bundled example statements and the Chechnya article,
joined) is opened in a :class:`redact.review.ReviewSession` behind the real
app; each step POSTs a change (deny one more word) through the HTTP interface and
times the round trip to the new JSON view: the Redactor is rebuilt from the
extended policy, the statement re-detected, re-planned, re-rendered and
re-verified. Then every change is undone (a view seen before comes from the
session's memory). Prints p50/p95/max in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from starlette.testclient import TestClient

from redact.policy import Policy
from redact.review import COOKIE, ReviewSession, create_app

ROOT = Path(__file__).resolve().parents[1]


def statement(size: int) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples").glob("*.txt"))]
    text = ""
    while len(text.encode()) < size:
        text += "\n\n".join(parts) + "\n\n"
    return text[:size]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=10_000, help="statement size in bytes")
    ap.add_argument("--changes", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "statement.txt"
        src.write_text(statement(args.size), encoding="utf-8")
        session = ReviewSession(src, Policy.load())
        client = TestClient(create_app(session, "k"), base_url="http://127.0.0.1:1")
        client.cookies.set(COOKIE, "k")
        t0 = time.perf_counter()
        client.get("/api/state").raise_for_status()
        first = time.perf_counter() - t0
        times: list[float] = []
        undos: list[float] = []
        for i in range(args.changes):
            times.append(post(client, "/api/deny", {"text": f"zarema{i}"}))
        for _ in range(args.changes):
            undos.append(post(client, "/api/undo", {}))
    print(f"statement: {args.size:,} bytes; first view (model load included): "
          f"{first:.2f} s")
    print(f"add a word -> re-verified view, {summary(times)}")
    print(f"undo -> view, {summary(undos)}")


def post(client: TestClient, path: str, body: dict[str, str]) -> float:
    t = time.perf_counter()
    r = client.post(path, json=body)
    r.raise_for_status()
    assert r.json()["verified"]
    return (time.perf_counter() - t) * 1000


def summary(ms: list[float]) -> str:
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return (f"{len(ms)} changes: p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, "
            f"max {ms[-1]:.0f} ms")


if __name__ == "__main__":
    main()
