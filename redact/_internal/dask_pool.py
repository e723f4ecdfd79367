"""Batch workers on a Dask cluster: ``redact batch --engine dask`` (``pip install 'redact[dask]'``).

:class:`DaskPool` offers what the batch pipeline uses of ``multiprocessing.Pool``
(``apply_async``, ``apply``, ``terminate``, ``join``). Each Dask worker process
starts as a spawned local worker does (``redact.batch._init_worker``: policy,
model, recipients) on its first task, whose arguments carry what it needs. The
main process keeps the case, its lock, the pseudonym index and the manifest
(``docs/scaling.md``).

Dask itself must not become a place where statement text lands:

* no spilling: a worker under memory pressure writes task results to its local
  directory, and ours hold detections and texts. A local cluster runs without
  memory management; workers of an existing cluster must have it off
  (``--memory-limit 0``, and ``--nthreads 1``), or the run is refused;
* a task never raises into Dask, which would log the task with its arguments
  (stage 2's hold the planned surface forms): the wrapper returns the error's
  type name, and the pipeline reports only that;
* no dashboard; Dask's own log lines name tasks by function and key only.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from redact.errors import CaseError, InputError, RedactError

__all__ = ["DaskPool", "WorkerFailure"]

_INIT: dict[str, Any] = {}


class WorkerFailure(Exception):
    """A batch task failed on a Dask worker; only the error's type travels back."""


class _Failed:
    def __init__(self, name: str) -> None:
        self.name = name


def _guarded(init: Callable[..., None], initargs: tuple[Any, ...], fn: Callable[..., Any],
             *args: Any) -> Any:
    """Run a batch task on a worker, which runs ``init(*initargs)`` (model, policy) before
    its first task.

    Any error comes back as its type name, never raised.
    """
    try:
        if _INIT.get("args") != initargs:
            init(*initargs)
            _INIT["args"] = initargs
        return fn(*args)
    except BaseException as exc:  # noqa: BLE001 - raised, Dask would log the arguments
        return _Failed(type(exc).__name__)


def _worker_check(paths: list[str], dask_worker: Any = None) -> dict[str, Any]:
    """On a worker (``Client.run``): may it spill to disk, does it see the folders, and
    how many tasks may it run at once?"""
    mm = dask_worker.memory_manager
    spills = bool(mm.memory_limit) and (mm.memory_spill_fraction is not False
                                        or mm.memory_target_fraction is not False)
    return {"spills": spills, "sees": all(os.path.isdir(p) for p in paths),
            "threads": dask_worker.state.nthreads}


def _check_workers(checks: dict[str, dict[str, Any]]) -> None:
    """Refuse workers that could write task data to disk, miss the folders, or run two
    tasks at once (a worker's model and labels serve one task at a time)."""
    if any(c["spills"] for c in checks.values()):
        raise CaseError("a Dask worker may spill task data (statement text) to disk",
                        "Start the workers with --memory-limit 0, or use the local engine.")
    if not all(c["sees"] for c in checks.values()):
        raise CaseError("a Dask worker does not see the case or input folder",
                        "Put both on a file system every worker mounts at the same path.")
    if any(c["threads"] != 1 for c in checks.values()):
        raise CaseError("a Dask worker runs several tasks at once",
                        "Start the workers with --nthreads 1 (one process per core).")


class _Result:
    def __init__(self, future: Any) -> None:
        self._future = future

    def ready(self) -> bool:
        return bool(self._future.done())

    def get(self) -> Any:
        try:
            out = self._future.result()
        except Exception as exc:  # a lost worker, a cancelled task: type only
            raise WorkerFailure(type(exc).__name__) from None
        if isinstance(out, _Failed):
            raise WorkerFailure(out.name)
        return out


class DaskPool:
    """Batch workers on a Dask cluster: a local one of ``workers`` processes, or the one
    at ``address`` (``tls://`` unless on this machine; workers must see the case and
    input folders at the same paths, and must not spill to disk)."""

    def __init__(self, workers: int, init: Callable[..., None], initargs: tuple[Any, ...],
                 address: str | None, paths: list[str]) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError("the dask engine needs Dask's distributed scheduler",
                             "Install it with: pip install 'redact[dask]'") from None
        # Its connection chatter (INFO) would otherwise reach the CLI's log handler.
        logging.getLogger("distributed").setLevel(logging.ERROR)
        self._initargs = initargs
        self._init = init
        self._cluster: Any = None
        self._dir: str | None = None
        quiet: dict[str, Any] = {
            "distributed.worker.memory.target": False, "distributed.worker.memory.spill": False,
            "distributed.worker.memory.pause": False,
            "distributed.worker.memory.terminate": False, "distributed.admin.log-length": 0}
        if address is None:  # every scratch folder of the cluster in one, removed at the end
            self._dir = tempfile.mkdtemp(prefix="redact-dask-")
            quiet["temporary-directory"] = self._dir
        try:
            with dask.config.set(quiet):
                if address is None:
                    self._cluster = LocalCluster(
                        n_workers=workers, threads_per_worker=1, processes=True,
                        memory_limit=0, dashboard_address=None, silence_logs=logging.ERROR,
                        local_directory=self._dir)
                    self._client = Client(self._cluster)
                else:
                    _check_address(address)
                    self._client = Client(address)
            self._client.wait_for_workers(1, timeout=120)
            _check_workers(self._client.run(_worker_check, paths))
        except RedactError:
            self.terminate()
            raise
        except Exception as exc:
            self.terminate()
            raise CaseError(f"the Dask cluster could not be started or reached "
                            f"({type(exc).__name__})",
                            "Check the scheduler's address and that its workers run, or use "
                            "--engine local.") from None
        except BaseException:
            self.terminate()
            raise

    def apply_async(self, fn: Callable[..., Any], args: tuple[Any, ...] = (),
                    callback: Callable[[Any], None] | None = None,
                    error_callback: Callable[[Any], None] | None = None) -> _Result:
        """Run ``fn(*args)`` on a worker; ``callback`` is called (with None) when it ends."""
        future = self._client.submit(_guarded, self._init, self._initargs, fn, *args,
                                     pure=False)
        if callback is not None:
            future.add_done_callback(lambda _f: callback(None))
        return _Result(future)

    def apply(self, fn: Callable[..., Any], args: tuple[Any, ...] = ()) -> Any:
        """Run ``fn(*args)`` on a worker and wait for its result."""
        return self.apply_async(fn, args).get()

    def terminate(self) -> None:
        """Close the client, the local cluster and its scratch folder."""
        with contextlib.suppress(Exception):
            self._client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def join(self) -> None:
        """Nothing to wait for after :meth:`terminate`."""


def _check_address(address: str) -> None:
    """Statements travel to the workers: only over TLS, or within this machine."""
    parts = urlsplit(address if "://" in address else "tcp://" + address)
    local = parts.hostname in ("localhost", "127.0.0.1", "::1")
    if parts.scheme != "tls" and not (local and parts.scheme in ("tcp", "inproc")):
        raise CaseError(f"the Dask scheduler address {address} is not encrypted",
                        "Statements travel to the workers: use a tls:// address (Dask TLS), "
                        "or run the scheduler on this machine.")

