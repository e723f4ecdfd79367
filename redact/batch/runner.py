"""The batch run: scan, decide resume, schedule the two worker stages, plan and place.

Only detection, the re-analysis rounds and finishing run in workers
(:mod:`redact.batch.stages`). Everything that allocates pseudonym labels or
writes into the case happens here, in one process, file after file in sorted
path order, exactly as ``redact file --case`` run on each file in that order
would do it; outputs are therefore byte-identical whatever the number of workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import posixpath
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact._internal.durable import checkpoint, deferred_sync
from redact.batch.discovery import BatchFile, discover
from redact.batch.pools import DaskPool, Done, fork_pool, loads_model_here, spawn_pool
from redact.batch.resume import batch_lock, clean_temps, foreign_item, still_done
from redact.batch.split import assign
from redact.batch.stages import (
    Detected,
    Finish,
    Finished,
    LabelFeed,
    Task,
    WorkerState,
    adopt_state,
    detect_job,
    finish_group,
    hidden_error,
    init_worker,
    worker_detect,
    worker_finish,
    worker_model,
    worker_redactor,
)
from redact.batch.types import STATUSES, BatchOptions, BatchSummary, FileOutcome
from redact.errors import CaseError, InputError, RedactError
from redact.io import sha256_file
from redact.manifest import (
    MANIFEST_FORMAT,
    MANIFEST_VERSION,
    new_run_id,
    newest_run_id,
    utc_now,
    write_manifest,
)
from redact.manifest import tool_versions as _versions

if TYPE_CHECKING:
    from redact.case import Case
    from redact.redactor import Redactor

__all__ = ["run_batch"]

log = logging.getLogger("redact.batch")

#: Detection work units grow from this many bytes of input...
_GROUP_START = 4 << 10
#: ...doubling up to this (large groups batch the NER well; small first ones start fast).
_GROUP_MAX = 96 << 10
_GROUP_FILES = 128

#: Group commit: finished files are made durable (one ``sync``) at least this often.
_SYNC_SECONDS = 2.0

#: Near the end, a group holds at most 1/(_TAIL * workers) of the bytes not yet grouped.
_TAIL = 2


def work_groups(tasks: list[Task], sizes: dict[int, int],
                workers: int = 1) -> Iterator[list[Task]]:
    """Consecutive runs of tasks that grow: a group closes at 1, 2, 4 ... files or at
    _GROUP_START, twice, four times ... bytes, whichever comes first, up to _GROUP_FILES
    files and _GROUP_MAX bytes. The first file is written soon; large groups batch the
    NER well. Towards the end they shrink again, to at most 1/(2 x ``workers``) of the
    bytes not yet grouped: the workers then finish at about the same time, where one
    worker used to detect the last large group alone while the others waited (about
    0.5 s of a 12 s run of 100 statements on two workers)."""
    limit, files = _GROUP_START, 1
    left = sum(sizes.get(t.index, 0) for t in tasks)
    cur: list[Task] = []
    cur_bytes = 0
    for t in tasks:
        cur.append(t)
        cur_bytes += sizes.get(t.index, 0)
        if cur_bytes >= min(limit, max(1, left // (_TAIL * workers))) or len(cur) >= files:
            yield cur
            left -= cur_bytes
            cur, cur_bytes = [], 0
            limit = min(limit * 2, _GROUP_MAX)
            files = min(files * 2, _GROUP_FILES)
    if cur:
        yield cur


class _Job:
    """One group of files on its way: stage 1 (detect), planned, stage 2 (finish), placed."""

    def __init__(self, tasks: list[Task]) -> None:
        self.tasks = tasks
        self.stage1: Any = None
        self.stage2: Any = None
        #: per file index: its outcome if decided before stage 2, else its stage-1 result
        self.early: dict[int, FileOutcome] = {}
        self.detected: dict[int, Detected] = {}


class _Runner:
    """One batch run (use :func:`run_batch`)."""

    def __init__(self, case: Case, in_dir: Path, options: BatchOptions,
                 on_file: Callable[[FileOutcome], None] | None,
                 on_start: Callable[[int, int], None] | None, lock_fd: int | None = None
                 ) -> None:
        self.case = case
        self.lock_fd = lock_fd
        self.in_dir = in_dir
        self.opts = options
        self.on_file = on_file
        self.on_start = on_start
        self.outcomes: dict[int, FileOutcome] = {}
        self.model: dict[str, str] | None = None
        self.t_start = time.perf_counter()

    def _state(self, redactor: Redactor,
               index_key: Callable[[str, str], str] | None = None) -> WorkerState:
        case = self.case
        return WorkerState(redactor, case.report_key(), case.path, case.case_id, case.recipients,
                      case.allow_mixed_pq, self.opts.encoding,
                      self.opts.max_bytes, index_key)

    def _emit(self, index: int, outcome: FileOutcome) -> None:
        log.info("%s: %s%s (%.1f s into the run)", outcome.rel, outcome.status,
                 f" ({outcome.reason})" if outcome.reason else "",
                 time.perf_counter() - self.t_start)
        self.outcomes[index] = outcome
        if self.on_file is not None:
            self.on_file(outcome)

    def run(self) -> BatchSummary:
        from redact.plan import Planner

        t_start = self.t_start = time.perf_counter()
        started = utc_now()
        # after the case's newest run, even within the same second (the later manifest wins)
        run_id = new_run_id(after=newest_run_id(self.case.path))
        case = self.case
        policy = case.policy
        files = discover(self.in_dir, self.opts.glob, exclude=[case.path])
        pool = None
        interrupted = False
        clean_temps(case, all_temps=True)
        try:
            tasks: list[Task] = []
            sizes: dict[int, int] = {}
            todo: list[int] = []
            for i, f in enumerate(files):
                sha = ""
                try:
                    st = f.path.stat()
                    sizes[i] = st.st_size
                    # Only a file an earlier run may have finished is hashed up front (to
                    # decide resume); stage 1 hashes the others as it reads them.
                    if st.st_size <= self.opts.max_bytes and \
                            (case.path / "reports" / f"{f.item}.json").exists():
                        sha = sha256_file(f.path)
                except OSError:
                    pass
                if sha:
                    done = still_done(case, f, sha)
                    if done is not None:
                        self.outcomes[i] = done
                        continue
                todo.append(i)
                tasks.append(Task(i, str(f.path), posixpath.basename(f.rel), sha))
            groups = list(work_groups(tasks, sizes, self.opts.workers))
            log.info("%d file(s) under %s match %s: %d to process in %d group(s), %d "
                     "unchanged since an earlier run", len(files), self.in_dir, self.opts.glob,
                     len(todo), len(groups), len(files) - len(todo))
            local: WorkerState | None = None
            # Workers that know the case's index key (forked, or this process) start their
            # throw-away labels from a copy of the case's labels.
            seeded = True
            if groups and not loads_model_here(self.opts):
                # Workers load the model (on a Dask cluster, or spawned); this process only
                # plans and places.
                if self.opts.engine == "dask":
                    pool = DaskPool(self.opts.workers, init_worker,
                                    _worker_args(self.opts, case, policy.sha256()),
                                    self.opts.scheduler,
                                    [str(case.path / "sealed"), str(self.in_dir)])
                else:
                    pool = spawn_pool(self.opts.workers, init_worker,
                                      _worker_args(self.opts, case, policy.sha256()))
                planner = Planner(policy, case.pseudonyms)
                seeded = False
            elif groups and self.opts.workers > 1:
                # Load the model here once; the workers are forked with it (copy-on-write).
                redactor = case.redactor()
                planner = redactor.planner
                self.model = redactor.model_info.to_dict()
                # Presidio compiles its patterns on first use (~0.25 s): once, here, so the
                # forked workers share them instead of each compiling its own.
                redactor.detect("Warm-up: call +44 20 7946 0958 or see www.example.org.")
                state = self._state(worker_redactor(redactor), case.pseudonyms.key)
                state.feed = LabelFeed(case.pseudonyms)
                pool = fork_pool(self.opts.workers, adopt_state, (state,),
                                 [self.lock_fd, case.pseudonyms.lock_fd])
            else:
                redactor = case.redactor()
                planner = redactor.planner
                self.model = redactor.model_info.to_dict()
                local = self._state(redactor, case.pseudonyms.key)
            log.info("%s ready after %.1f s", f"{self.opts.workers} worker(s), {self.opts.engine}"
                     if pool is not None else "detection in this process",
                     time.perf_counter() - t_start)
            if self.on_start is not None:
                self.on_start(len(files), len(todo))
            for i in range(len(files)):  # report the files an earlier run finished
                if i in self.outcomes and self.on_file is not None:
                    self.on_file(self.outcomes[i])
            with deferred_sync():
                self._pipeline(files, groups, planner, pool, local, seeded)
            if pool is not None and self.model is None:
                self.model = pool.apply(worker_model)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
            clean_temps(case)
            case.flush_names()
        if self.model is None:
            self.model = case.redactor().model_info.to_dict()
        ordered = [self.outcomes[i] for i in sorted(self.outcomes)]
        finished = utc_now()
        seconds = time.perf_counter() - t_start
        body = {
            "format": MANIFEST_FORMAT, "version": MANIFEST_VERSION, "run_id": run_id,
            "case_id": case.case_id, "input_dir": str(self.in_dir), "glob": self.opts.glob,
            "workers": self.opts.workers, "started": started, "finished": finished,
            "seconds": round(seconds, 3), "policy_sha256": policy.sha256(),
            **_versions(self.model),
            "complete": not interrupted and len(ordered) == len(files),
            "totals": {"files": len(files), **{s: sum(1 for o in ordered if o.status == s)
                                               for s in STATUSES},
                       "not_reached": len(files) - len(ordered)},
            "files": [o.to_dict() for o in ordered],
        }
        manifest = write_manifest(case, body)
        return BatchSummary(run_id=run_id, manifest=manifest, files=ordered, started=started,
                            finished=finished, seconds=seconds, interrupted=interrupted)

    def _pipeline(self, files: list[BatchFile], groups: list[list[Task]], planner: Any,
                  pool: Any, local: WorkerState | None, seeded: bool) -> None:
        """Stage 1 in the workers; plan in path order here; stage 2 in the workers; place here.

        A window of groups is in flight, so workers always have detection or
        finishing work while this process plans and places files one by one.
        """
        import collections
        import threading

        wake = threading.Event()

        def submit(fn: Callable[..., Any], arg: Any) -> Any:
            if pool is None:
                return Done(fn, arg, local)
            return pool.apply_async(fn, (arg,), callback=lambda _r: wake.set(),
                                    error_callback=lambda _e: wake.set())

        window = max(2, 2 * self.opts.workers + 1)
        pending = iter(groups)
        jobs: collections.deque[_Job] = collections.deque()
        unplanned = 0  # jobs[:unplanned] are planned (stage 2 submitted)
        more = True
        placed = False
        last_sync = time.monotonic()
        try:
            while True:
                wake.clear()
                progress = False
                # Finishing work first: it then queues ahead of the next detection group.
                if unplanned < len(jobs) and jobs[unplanned].stage1.ready():
                    job = jobs[unplanned]
                    finish = self._plan_job(files, job, planner)
                    job.stage2 = submit(worker_finish if pool is not None else finish_group,
                                        finish)
                    unplanned += 1
                    progress = True
                # At most one detection group waits per worker: finishing work (stage 2),
                # queued behind them, then never waits long (the pool's queue is FIFO).
                # Until the first group is placed, none waits: its stage 2 then starts as
                # soon as a worker is free, and the first file is written early.
                ahead = self.opts.workers if placed else self.opts.workers - 1
                while more and len(jobs) < window and sum(
                        1 for j in jobs if not j.stage1.ready()) <= ahead:
                    g = next(pending, None)
                    if g is None:
                        more = False
                        break
                    job = _Job(g)
                    seed = planner.pseudonyms.label_tables() if seeded else None
                    job.stage1 = submit(worker_detect if pool is not None else detect_job,
                                        (g, seed))
                    jobs.append(job)
                if not jobs:
                    return
                if unplanned and jobs[0].stage2.ready():
                    job = jobs.popleft()
                    unplanned -= 1
                    stop = self._place_job(files, job)
                    placed = True
                    if time.monotonic() - last_sync > _SYNC_SECONDS:
                        checkpoint()
                        last_sync = time.monotonic()
                    if stop:
                        return
                    progress = True
                if not progress and pool is not None:
                    wake.wait(0.5)
        finally:
            for job in jobs:  # not placed (fail-fast, interrupt): drop their sealed temps
                if job.stage2 is not None and job.stage2.ready():
                    with contextlib.suppress(Exception):
                        for r in job.stage2.get():
                            if r.sealed_temp:
                                with contextlib.suppress(OSError):
                                    os.unlink(r.sealed_temp)

    def _plan_job(self, files: list[BatchFile], job: _Job, planner: Any) -> list[Finish]:
        """Plan every file of a group, in path order, with the case's pseudonym index."""
        try:
            detected = job.stage1.get()
        except Exception as exc:  # noqa: BLE001 - a worker failure fails the group's files
            detected = [Detected(t.index, error=f"unexpected {type(exc).__name__} in a worker")
                        for t in job.tasks]
        out: list[Finish] = []
        try:
            with self.case.pseudonyms.group_commit():  # one fsync for the group's labels
                self._plan_files(files, job, planner, detected, out)
        except RedactError as exc:  # the labels are not durable: none of these is written
            for t in out:
                f = files[t.index]
                d = job.detected[t.index]
                job.early[t.index] = FileOutcome(rel=f.rel, item=f.item, status="failed",
                                                 kind=d.kind or None,
                                                 input_sha256=d.sha256 or None, chars=d.chars,
                                                 reason=exc.what)
            out = []
        return out

    def _plan_files(self, files: list[BatchFile], job: _Job, planner: Any,
                    detected: list[Detected], out: list[Finish]) -> None:
        for d in detected:
            f = files[d.index]
            job.detected[d.index] = d
            outcome = FileOutcome(rel=f.rel, item=f.item, status="failed", kind=d.kind or None,
                                  input_sha256=d.sha256 or None, chars=d.chars)
            if d.error is not None:
                outcome.status = "skipped" if d.skipped else "failed"
                outcome.reason = d.error
                job.early[d.index] = outcome
                continue
            try:
                if foreign_item(self.case, f):
                    raise CaseError(f"the case already holds an item {f.item} that this batch "
                                    "run did not make")
                # the worker decided each round's spans; the labels come from the case's
                # index, here, in path order
                plans = (assign(planner, d.texts or [], d.decisions)
                         if d.rounds is not None and d.decisions is not None else None)
            except RedactError as exc:
                outcome.reason = exc.what
                job.early[d.index] = outcome
                continue
            except Exception as exc:  # noqa: BLE001
                outcome.reason = hidden_error(exc)
                job.early[d.index] = outcome
                continue
            out.append(Finish(d.index, str(f.path), posixpath.basename(f.rel), d.sha256,
                               d.chars, f.rel, f.item, f.suffix, d.rounds, plans))
            d.texts = d.rounds = d.decisions = None  # keep no statement text

    def _place_job(self, files: list[BatchFile], job: _Job) -> bool:
        """Write the finished files of a group in path order; True to stop (fail-fast)."""
        try:
            finished = {r.index: r for r in job.stage2.get()}
        except Exception as exc:  # noqa: BLE001
            finished = {}
            reason = f"unexpected {type(exc).__name__} in a worker"
        else:
            reason = "not finished by a worker"
        # The names behind the group's new labels, sealed once before its files are written
        # (add_statement would seal them with the first file; it retries if this fails).
        with contextlib.suppress(RedactError):
            self.case.flush_names()
        stop = False
        for t in job.tasks:
            i = t.index
            outcome = job.early.get(i)
            if outcome is None:
                d = job.detected[i]
                outcome = self._place(files[i], d, finished.get(i), reason)
            if not stop:
                self._emit(i, outcome)
                if outcome.status == "failed" and self.opts.fail_fast:
                    stop = True
            else:
                r = finished.get(i)
                if r is not None and r.sealed_temp:
                    with contextlib.suppress(OSError):
                        os.unlink(r.sealed_temp)
        return stop

    def _place(self, f: BatchFile, d: Detected, r: Finished | None,
               missing: str) -> FileOutcome:
        """Rename the sealed original into place, write the output and the report."""
        out = FileOutcome(rel=f.rel, item=f.item, status="failed", kind=d.kind or None,
                          input_sha256=d.sha256 or None, chars=d.chars)
        if r is None:
            out.reason = missing
            return out
        if r.error is not None:
            out.reason = (f"verification found a possible leak, nothing written ({r.error})"
                          if r.leak else r.error)
            return out
        from redact.case.store import companion_entries

        case = self.case
        report = r.report or {}
        try:
            paths = case.store_statement(f.item, f.suffix, True, r.output,
                                         Path(r.sealed_temp or ""), lambda _tmp: r.report_file,
                                         companions=r.companions)
        except RedactError as exc:
            out.reason = exc.what
            return out
        except Exception as exc:  # noqa: BLE001 - the message may quote the file: type only
            out.reason = hidden_error(exc)
            return out
        finally:
            if r.sealed_temp:
                with contextlib.suppress(OSError):
                    os.unlink(r.sealed_temp)
        rel = case.path
        out.status = "ok"
        out.output = paths.redacted.relative_to(rel).as_posix()
        out.output_sha256 = report["batch"]["output_sha256"]
        out.sealed = paths.sealed.relative_to(rel).as_posix()
        out.sealed_sha256 = r.sealed_sha256
        out.report = paths.report.relative_to(rel).as_posix()
        out.report_sha256 = hashlib.sha256(r.report_file).hexdigest()
        out.companions = companion_entries(out.output, r.companions or {})
        out.counts = report["counts"]
        out.label_clashes = list(report.get("label_clashes", []))
        out.new_pseudonyms = paths.names is not None
        return out


def _worker_args(options: BatchOptions, case: Case, policy_sha: str) -> tuple[Any, ...]:
    """The arguments of :func:`~redact.batch.stages.init_worker` for a worker that starts
    afresh."""
    return (case.lists_key(), policy_sha, options.encoding, options.max_bytes,
            str(case.path), case.case_id, list(case.recipients),
            case.allow_mixed_pq, case.report_key())


def run_batch(case: Case, in_dir: str | os.PathLike[str], options: BatchOptions | None = None,
              *, on_file: Callable[[FileOutcome], None] | None = None,
              on_start: Callable[[int, int], None] | None = None) -> BatchSummary:
    """Redact every matching file of ``in_dir`` into ``case`` (unlocked); write a manifest.

    ``on_start(total files, files to process)`` is called once the folder is
    scanned and resume decided; ``on_file(outcome)`` once per file, in sorted
    path order (files finished by an earlier run first, as ``unchanged``).
    Raises :class:`BatchLockedError` if another batch run holds the case, and
    the usual errors for a case that cannot be used; a bad file never raises:
    it is reported in its outcome and the run goes on (unless ``fail_fast``).
    """
    opts = options or BatchOptions()
    if opts.workers < 1:
        raise ValueError("workers must be at least 1")
    src = Path(in_dir).expanduser()
    if not src.is_dir():
        raise InputError(f"the input folder {src} does not exist or is not a folder")
    inside = src.resolve()
    if inside == case.path.resolve() or case.path.resolve() in inside.parents:
        raise InputError(f"the input folder {src} is inside the case folder",
                         "Give the folder that holds the original statements; the case's own "
                         "files (redacted, sealed) are never read as inputs.")
    with batch_lock(case.path) as lock_fd:
        return _Runner(case, src, opts, on_file, on_start, lock_fd).run()
