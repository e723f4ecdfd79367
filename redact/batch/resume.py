"""Resuming and guarding batch runs: the batch lock, which earlier outputs still hold,
and the temporary files an interrupted run left behind."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact.batch.types import FileOutcome
from redact.errors import BatchLockedError, CaseError, RedactError
from redact.io import sha256_file

if TYPE_CHECKING:
    from redact.batch.discovery import BatchFile
    from redact.case import Case

__all__ = ["BATCH_LOCK", "batch_lock", "still_done", "foreign_item", "clean_temps"]

BATCH_LOCK = "batch.lock"


@contextlib.contextmanager
def batch_lock(case_path: Path) -> Iterator[int]:
    """Hold ``CASE/batch.lock`` exclusively (yields its descriptor), or raise
    :class:`BatchLockedError` at once."""
    try:
        fd = os.open(case_path / BATCH_LOCK, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise CaseError(f"cannot open {case_path / BATCH_LOCK}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            except OSError:
                holder = ""
            raise BatchLockedError(
                f"another batch run is writing into the case {case_path}"
                + (f" (process {holder})" if holder.isdigit() else "")) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        yield fd
    finally:
        os.close(fd)


def still_done(case: Case, f: BatchFile, input_sha: str) -> FileOutcome | None:
    """The outcome of an earlier run for ``f`` if it is complete and valid, else None."""
    from redact._internal.age.core import read_header

    report_path = case.path / "reports" / f"{f.item}.json"
    try:
        rep = json.loads(report_path.read_bytes())
        batch = rep["batch"]
        if batch["source"] != f.rel or batch["input_sha256"] != input_sha:
            return None
        out_rel, sealed_rel = rep["redacted"], rep["sealed"]["path"]
        out_path, sealed_path = case.path / out_rel, case.path / sealed_rel
        if sha256_file(out_path) != batch["output_sha256"]:
            return None
        sealed_sha = sha256_file(sealed_path)
        if sealed_sha != rep["sealed"]["sha256"]:
            return None
        with open(sealed_path, "rb") as fh:
            read_header(fh)
        companions = _companions_intact(case, rep)
        if companions is None:
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RedactError):
        return None
    return FileOutcome(rel=f.rel, item=f.item, status="unchanged", input_sha256=input_sha,
                       output=out_rel, output_sha256=batch["output_sha256"],
                       sealed=sealed_rel, sealed_sha256=sealed_sha,
                       report=f"reports/{f.item}.json",
                       report_sha256=sha256_file(report_path), kind=rep.get("format"),
                       chars=int(batch.get("chars", 0)), counts=rep.get("counts", {}),
                       companions=companions,
                       label_clashes=[str(x) for x in rep.get("label_clashes", [])])


#: Kinds whose redacted file has companions (the redacted text, ``.txt``, beside it).
_WITH_COMPANIONS = ("pdf", "image")


def _companions_intact(case: Case, rep: dict[str, Any]) -> list[dict[str, str]] | None:
    """The report's ``companions`` (``[{"path", "sha256"}]``) if every one is on disk with
    its SHA-256, else None (also for a PDF or image whose report lists none: an older
    run stored no .txt beside it)."""
    listed = rep.get("companions")
    if listed is None:
        return None if rep.get("format") in _WITH_COMPANIONS else []
    out = []
    for c in listed:
        path, digest = c["path"], c["sha256"]
        if not (isinstance(path, str) and path.startswith("redacted/")
                and isinstance(digest, str)) or sha256_file(case.path / path) != digest:
            return None
        out.append({"path": path, "sha256": digest})
    return out


def foreign_item(case: Case, f: BatchFile) -> bool:
    """True if the case holds ``f.item`` from something other than a batch run of ``f``."""
    report_path = case.path / "reports" / f"{f.item}.json"
    try:
        rep = json.loads(report_path.read_bytes())
    except FileNotFoundError:
        return False  # absent, or interrupted before its report: ours to (re)write
    except (OSError, ValueError):
        return True
    batch = rep.get("batch") if isinstance(rep, dict) else None
    return not (isinstance(batch, dict) and batch.get("source") == f.rel)


def clean_temps(case: Case, *, all_temps: bool = False) -> None:
    """Remove sealed originals left in ``sealed/`` by a stage 2 that was never placed.

    With ``all_temps`` (at the start of a run, under the case's exclusive lock
    so that no ``redact file --case`` is writing), also the temporary files a
    killed run left in ``redacted/``, ``reports/`` and ``sealed/``.
    """
    patterns = [("sealed", ".batch-*.tmp")]
    if all_temps:
        patterns = [(top, "**/.*.tmp") for top in ("redacted", "reports", "sealed")]
    lock = case.locked(exclusive=True) if all_temps else contextlib.nullcontext()
    with lock, contextlib.suppress(OSError):
        for top, pattern in patterns:
            for p in (case.path / top).glob(pattern):
                with contextlib.suppress(OSError):
                    if p.is_file():
                        p.unlink()
