"""Worker pools of batch runs: forked, spawned, in this process, or on a Dask cluster.

Every pool offers what the pipeline uses of ``multiprocessing.Pool``
(``apply_async``, ``apply``, ``terminate``, ``join``) and, like it, runs an
``initializer(*initargs)`` in each worker before its first task.

Forked workers (Linux) start from this process after it loaded the model: no
second load, shared pages, a fast start. They drop the parent's lock files and
die with it. Workers of every kind ignore Ctrl-C: the parent handles it.

**Dask** (``redact batch --engine dask``, ``pip install 'redact[dask]'``):
:class:`DaskPool` runs the initializer on each worker with its first task,
whose arguments carry what it needs (policy, model, recipients); the main
process keeps the case, its lock, the pseudonym index and the manifest
(``docs/scaling.md``). Dask itself must not become a place where statement
text lands:

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
import multiprocessing as mp
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from redact.errors import CaseError, InputError, RedactError

if TYPE_CHECKING:
    from redact.batch.types import BatchOptions

__all__ = ["Done", "spawn_pool", "fork_pool", "DaskPool", "WorkerFailure", "loads_model_here",
           "leave_ctrl_c_to_parent"]


class Done:
    """A stage run in this process (one worker), shaped like ``AsyncResult``."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            self._value, self._exc = fn(*args), None
        except Exception as exc:  # noqa: BLE001
            self._value, self._exc = None, exc

    def ready(self) -> bool:
        """Always: the stage ran when this was made."""
        return True

    def get(self) -> Any:
        """The stage's result, or its error raised."""
        if self._exc is not None:
            raise self._exc
        return self._value


#: Fork workers from this process after loading the model (Linux): no second model load,
#: shared memory pages, a fast start. Elsewhere fork is unsafe; workers start afresh.
_FORK = sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


def loads_model_here(options: BatchOptions) -> bool:
    """True if :func:`run_batch` with ``options`` loads the model in the calling process
    (local engine, one worker or workers forked from it): worth
    :meth:`Case.loading_model <redact.case.Case.loading_model>` around the unlock."""
    return options.engine == "local" and (options.workers == 1 or _FORK)


def spawn_pool(workers: int, initializer: Callable[..., None],
               initargs: tuple[Any, ...]) -> Any:
    """A pool of ``workers`` fresh processes (forkserver, else spawn); each runs
    ``initializer(*initargs)`` (which must be importable) when it starts."""
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    with _sigint_blocked():
        return ctx.Pool(workers, initializer=_start_spawned, initargs=(initializer, initargs))


def fork_pool(workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...],
              close_fds: Sequence[int | None]) -> Any:
    """A pool of ``workers`` processes forked from this one, each running
    ``initializer(*initargs)`` when it starts (the arguments are not pickled: they
    come with the fork, also to a worker that replaces one that died).

    A worker closes ``close_fds`` (the parent's lock files: a worker that still
    held the batch lock after its parent was killed would keep the case locked
    until it exits), and dies with its parent (``kill -9``, power-off of the run):
    its work is of no use then, and it would print a broken-pipe traceback on
    handing it back.
    """
    with _sigint_blocked():
        return mp.get_context("fork").Pool(
            workers, initializer=_start_forked,
            initargs=([fd for fd in close_fds if fd is not None], os.getpid(), initializer,
                      initargs))


def _start_spawned(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    leave_ctrl_c_to_parent()
    initializer(*initargs)


def _start_forked(close_fds: list[int], parent: int, initializer: Callable[..., None],
                  initargs: tuple[Any, ...]) -> None:
    leave_ctrl_c_to_parent()
    for fd in close_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    _die_with_parent(parent)
    initializer(*initargs)


def leave_ctrl_c_to_parent() -> None:
    """Worker start: ignore SIGINT (then stop blocking it, see :func:`_sigint_blocked`).

    Ctrl-C reaches every process of the terminal's group. The parent handles it
    (stops the pool, writes the manifest, says how to resume); a worker that
    took it would print a KeyboardInterrupt traceback, and one that died holding
    the pool's task-queue lock made the parent's ``terminate()`` wait forever.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        return  # a Dask worker's task thread: the worker process handles its own signals
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT while a pool starts: its workers (forked from this thread, or from the
    pool's own threads started here) begin with it blocked until
    :func:`leave_ctrl_c_to_parent` ignores it, so even an early Ctrl-C never reaches a
    worker; this process gets a Ctrl-C that came meanwhile once the block ends."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when ``parent`` (its parent) dies."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # died before the request was in place
        os._exit(1)


# ---- Dask ---------------------------------------------------------------------------------

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

    def __init__(self, workers: int, initializer: Callable[..., None], initargs: tuple[Any, ...],
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
        self._init = initializer
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
