"""``redact batch`` and ``redact verify-manifest``: folder runs into a case, and their check.

A thin layer over :mod:`redact.batch` and :mod:`redact.manifest` (see
``docs/batch.md``). Progress goes to the terminal as a rich progress bar, or,
with ``--json`` or when stdout is not a terminal, as one JSON line per file on
stdout. Neither ever shows text from a statement: paths (which the user
chose), statuses, reasons, counts and digests only.
"""

from __future__ import annotations

import sys
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from redact._cli_common import emit, freeze_loaded
from redact.formats.text import ENCODING_HELP

__all__ = ["register", "batch_cmd", "verify_manifest_cmd"]


class Engine(StrEnum):
    """Where ``redact batch`` runs its workers."""

    local = "local"
    dask = "dask"


JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON line per file on stdout.")]


_emit = emit


def batch_cmd(
    in_dir: Annotated[Path, typer.Argument(help="The folder of statements to redact.")],
    case: Annotated[Path, typer.Option("--case", help="The case folder to redact into.")],
    policy: Annotated[str | None, typer.Option(
        "--policy", "-p", help="Must be the case's policy if given (a case keeps one policy); "
                               "checked, not switched.")] = None,
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=0, help="Detection processes (default 0: the number of CPUs, "
                                       "at most 8).")] = 0,
    glob: Annotated[str, typer.Option(
        "--glob", help="Which files, relative to IN_DIR (default: every file, recursively).")]
    = "**/*",
    encoding: Annotated[str | None, typer.Option("--encoding", help=ENCODING_HELP)] = None,
    max_mb: Annotated[float, typer.Option(
        "--max-mb", help="Refuse files larger than this many MiB.")] = 200.0,
    fail_fast: Annotated[bool, typer.Option(
        "--fail-fast", help="Stop at the first file that fails.")] = False,
    passphrase_file: Annotated[Path | None, typer.Option(
        "--passphrase-file", help="The case passphrase is on this file's first line "
                                  "(else $REDACT_PASSPHRASE, else asked).")] = None,
    engine: Annotated[Engine, typer.Option(
        "--engine", help="local: worker processes on this machine; dask: on a Dask cluster "
                         "(pip install 'redact[dask]'), local unless --dask-scheduler.")]
    = Engine.local,
    dask_scheduler: Annotated[str | None, typer.Option(
        "--dask-scheduler", help="With --engine dask: the address of a running Dask "
                                 "scheduler (tls://..., or on this machine).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Redact every file of a folder into a case: parallel, resumable, with a signed manifest.

    The folder's layout is kept in the case's redacted/ folder; each original is
    sealed into sealed/; a manifest of the run, signed with the case key, goes
    to manifests/. Files that are not statements (PDF, images, ...) are reported
    as skipped, never copied; a statement file that cannot be read (binary data
    in a .txt) fails. Interrupted? Run the same command again: finished files
    are skipped, the rest redone. Exit code 0: all redacted; 1: a file failed;
    130: interrupted.

    \b
    Example:
      redact batch transcripts/ --case cases/grozny-2024 --workers 2
      redact batch leak/ --case cases/leak --glob '**/*.docx' --json > progress.jsonl
      redact batch leak/ --case cases/leak --engine dask --dask-scheduler tls://10.0.0.5:8786
    """
    import contextlib
    import os

    from redact._cli_age import json_errors
    from redact._cli_case import unlock_case

    with json_errors(json_out):
        from redact.batch import BatchOptions, batch_lock, loads_model_here
        from redact.case import Case
        from redact.errors import CaseError

        c = Case.open(case)
        if policy is not None:
            from redact.policy import Policy

            if Policy.load(policy).sha256() != c.policy_sha256:
                raise CaseError(f"the policy {policy} is not the case's policy",
                                "A case keeps one policy: leave out --policy, or create a "
                                "new case with `redact case init --policy ...`.")
        if dask_scheduler and engine is not Engine.dask:
            raise CaseError("--dask-scheduler needs --engine dask",
                            "Add --engine dask, or leave out --dask-scheduler.")
        # Another run holding the case is refused at once, before the passphrase is asked
        # and the model loads (run_batch takes the lock again for the run itself).
        with batch_lock(c.path):
            pass
        n_workers = workers or max(1, min(8, len(os.sched_getaffinity(0))))
        opts = BatchOptions(glob=glob, workers=n_workers, fail_fast=fail_fast,
                            encoding=encoding, max_bytes=int(max_mb * 1024 * 1024),
                            engine=engine.value,
                            scheduler=dask_scheduler)
        # Load the model while the passphrase is typed and scrypt runs, if this process
        # will use it (Dask workers and spawned workers load their own).
        preload = c.loading_model() if loads_model_here(opts) else contextlib.nullcontext()
        with preload:
            unlock_case(c, passphrase_file)
        freeze_loaded()
        lines = json_out or not sys.stdout.isatty()
        with c:
            summary = _run(c, in_dir, opts, lines)
        if lines:
            _emit({"event": "summary", "status": "ok" if summary.ok else "failed",
                   **summary.to_dict()})
        if not json_out:
            for text in summary_lines(summary.to_dict()):
                typer.echo(text, err=True)
        if summary.interrupted:
            typer.echo("interrupted: run the same command again to resume", err=True)
            raise typer.Exit(130)
        if not summary.ok:
            raise typer.Exit(1)


#: At most this many skipped or failed files are named in the summary (all are in the
#: manifest and in the --json summary event).
_LISTED = 20


def summary_lines(d: dict[str, Any]) -> list[str]:
    """The human summary of a run (``BatchSummary.to_dict()``): counts, then the skipped and
    the failed files with their reasons, and the files whose statement writes a label the
    case gives to someone else (paths, reasons and labels only, never statement text)."""
    out = [f"{d['files']} file(s): {d['ok']} redacted, {d['unchanged']} unchanged "
           f"(earlier run), {d['skipped']} skipped, {d['failed']} failed; "
           f"{d['chars']:,} chars in {d['seconds']:.1f} s; manifest -> {d['manifest']}"]
    lists = [("skipped (not a statement format; never copied, convert or redact by hand)",
              [f"{f['path']}: {f['reason']}" for f in d["skipped_files"]]),
             ("failed (nothing written for them; fix them and run the same command again)",
              [f"{f['path']}: {f['reason']}" for f in d["failed_files"]]),
             ("warning: these statements write a label themselves that this case gives to "
              "another person (rename one before publishing; the reports list the places "
              "under \"label_clashes\")",
              [f"{f['path']}: {', '.join(f['labels'])}"
               for f in d.get("label_clash_files") or []])]
    for title, lines in lists:
        if lines:
            out.append(f"{title}:")
            out.extend(f"  {x}" for x in lines[:_LISTED])
            if len(lines) > _LISTED:
                out.append(f"  ... and {len(lines) - _LISTED} more (all in the manifest)")
    return out


def _run(case: Any, in_dir: Path, opts: Any, lines: bool) -> Any:
    from redact.batch import run_batch

    if lines:
        t0 = time.perf_counter()

        def line(o: Any) -> None:
            _emit({"event": "file", **o.to_dict(), "t": round(time.perf_counter() - t0, 3)})

        def start(total: int, todo: int) -> None:
            _emit({"event": "start", "files": total, "to_process": todo,
                   "workers": opts.workers, "engine": opts.engine})

        return run_batch(case, in_dir, opts, on_file=line, on_start=start)

    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True, highlight=False)
    progress = Progress(TextColumn("[bold]redacting"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("files"), TextColumn("{task.fields[cps]} chars/s"),
                        TextColumn("{task.fields[bad]}"), TimeElapsedColumn(), TextColumn("ETA"),
                        TimeRemainingColumn(), console=console, transient=False)
    state: dict[str, Any] = {"chars": 0, "t0": time.perf_counter(), "task": None, "bad": 0}

    def start(total: int, todo: int) -> None:
        state["task"] = progress.add_task("batch", total=todo, cps="-", bad="")
        state["t0"] = time.perf_counter()

    def on_file(o: Any) -> None:
        if o.status == "unchanged" or state["task"] is None:
            return
        state["chars"] += o.chars if o.status == "ok" else 0
        if o.status == "failed":
            state["bad"] += 1
            console.print(f"[red]failed[/red] {o.rel}: {o.reason}", markup=True,
                          highlight=False)
        elif o.status == "skipped":
            console.print(f"[yellow]skipped[/yellow] {o.rel}: {o.reason}")
        dt = max(1e-6, time.perf_counter() - state["t0"])
        progress.update(state["task"], advance=1, cps=f"{state['chars'] / dt:,.0f}",
                        bad=f"{state['bad']} failed" if state["bad"] else "")

    with progress:
        return run_batch(case, in_dir, opts, on_file=on_file, on_start=start)


def verify_manifest_cmd(
    case: Annotated[Path, typer.Argument(help="The case folder.")],
    run: Annotated[str | None, typer.Option(
        "--run", help="Check only this run's manifest (its run id).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Machine-readable result.")] = False,
) -> None:
    """Check the signed manifests of a case against its files.

    Verifies each manifest's Ed25519 signature with the case's public key
    (case.json; no secret needed) and the SHA-256 of every redacted output,
    sealed original and report; lists files added, changed or missing. Exit
    code 1 on any problem.

    \b
    Example:
      redact verify-manifest cases/grozny-2024
    """
    from redact._cli_age import json_errors

    with json_errors(json_out):
        from redact.case import Case
        from redact.manifest import verify_case

        c = Case.open(case)
        result = verify_case(c.path, c.signing_public_key, run)
        if json_out:
            _emit({"status": "ok" if result.ok else "failed", **result.to_dict()})
        else:
            for p in result.problems:
                typer.echo(f"{p.kind:9} {p.path}" + (f"  ({p.detail})" if p.detail else ""))
            verdict = "OK" if result.ok else "PROBLEMS FOUND"
            typer.echo(f"{verdict}: {len(result.manifests)} manifest(s), "
                       f"{result.checked_files} file(s) checked, "
                       f"{sum(p.kind != 'leftover' for p in result.problems)} problem(s)",
                       err=True)
        if not result.ok:
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``batch`` and ``verify-manifest`` to the main ``redact`` app."""
    app.command("batch")(batch_cmd)
    app.command("verify-manifest")(verify_manifest_cmd)
