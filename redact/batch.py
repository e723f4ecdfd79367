"""Batch runs: redact every file of a folder into a case, in parallel, resumably, signed.

How a run works (see ``docs/batch.md``)::

    files (sorted)  ──▶ groups ──▶ worker processes: read + detect (spaCy NER, patterns)
                                        │ detections (offsets, types, scores)
                                        ▼
    parent, strictly in sorted path order: read again, plan (pseudonyms!), apply,
    verify, render, re-check the file, seal the original, write (atomic) ──▶ manifest

Only detection, the expensive and order-independent step, runs in parallel.
Everything that allocates pseudonym labels or writes into the case happens in
one process, file after file in sorted path order, exactly as ``redact file
--case`` run on each file in that order would do it. Outputs are therefore
byte-identical whatever the number of workers.

Resume: an item's report (written last, atomically) records the SHA-256 of the
input and of the output. A rerun skips a file whose report names the same
source and input digest and whose output and sealed original exist with the
recorded digests (the sealed file's age header is parsed too); everything else
is redone. A kill at any moment leaves either the old file or the finished new
one (every write is temp file + fsync + rename).

A lock (``CASE/batch.lock``) keeps two batch runs out of one case: the second
refuses with :class:`~redact.errors.BatchLockedError`.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import multiprocessing as mp
import os
import posixpath
import re
import signal
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from redact._internal.durable import checkpoint, deferred_sync
from redact.errors import (
    BatchLockedError,
    CaseError,
    InputError,
    LeakError,
    MislabelledFileError,
    RedactError,
    UnsupportedFormatError,
)
from redact.io import read_appended, read_bytes, sha256_file
from redact.manifest import (
    MANIFEST_FORMAT,
    MANIFEST_VERSION,
    new_run_id,
    utc_now,
    write_manifest,
)
from redact.manifest import tool_versions as _versions
from redact.result import document_report

if TYPE_CHECKING:
    from redact.case import Case
    from redact.detect import Detection
    from redact.plan import Decisions, Plan
    from redact.redactor import ReAnalysis, Redactor

__all__ = ["BatchOptions", "BatchFile", "FileOutcome", "BatchSummary", "discover", "run_batch",
           "BATCH_LOCK"]

BATCH_LOCK = "batch.lock"

log = logging.getLogger("redact.batch")

#: File statuses: ok (redacted now), unchanged (done by an earlier run, still valid),
#: failed (an error; nothing written for it), skipped (not a readable statement format).
STATUSES = ("ok", "unchanged", "failed", "skipped")

#: Detection work units grow from this many bytes of input...
_GROUP_START = 4 << 10
#: ...doubling up to this (large groups batch the NER well; small first ones start fast).
_GROUP_MAX = 96 << 10
_GROUP_FILES = 128

#: Group commit: finished files are made durable (one ``sync``) at least this often.
_SYNC_SECONDS = 2.0

_SAFE_PART = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class BatchOptions:
    """How a batch run reads and schedules files.

    ``glob`` selects files under the input folder (``**/*`` = all, recursively);
    ``workers`` is the number of detection processes (1: detect in this
    process); ``fail_fast`` stops at the first failed file; ``encoding`` is the
    text encoding of text inputs (default: detected); ``max_bytes`` refuses
    larger files. ``engine="dask"`` runs the workers on a Dask cluster
    (``pip install 'redact[dask]'``): a local one of ``workers`` processes, or
    the one at ``scheduler`` (see ``docs/scaling.md``); outputs are the same.
    """

    glob: str = "**/*"
    workers: int = 1
    fail_fast: bool = False
    encoding: str | None = None
    max_bytes: int = 200 * 1024 * 1024
    engine: Literal["local", "dask"] = "local"
    scheduler: str | None = None


@dataclass(frozen=True)
class BatchFile:
    """One input: its path relative to the input folder (POSIX), and the case item it becomes."""

    rel: str
    path: Path
    item: str
    suffix: str


@dataclass
class FileOutcome:
    """What happened to one file. Holds digests, counts and reasons; never statement text."""

    rel: str
    item: str
    status: str
    reason: str = ""
    input_sha256: str | None = None
    output: str | None = None
    output_sha256: str | None = None
    sealed: str | None = None
    sealed_sha256: str | None = None
    report: str | None = None
    report_sha256: str | None = None
    kind: str | None = None
    chars: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    new_pseudonyms: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The manifest entry (and the JSON progress line) for this file."""
        d: dict[str, Any] = {"path": self.rel, "item": self.item, "status": self.status}
        if self.reason:
            d["reason"] = self.reason
        for key in ("kind", "input_sha256", "output", "output_sha256", "sealed",
                    "sealed_sha256", "report", "report_sha256"):
            value = getattr(self, key)
            if value is not None:
                d[key] = value
        d["chars"] = self.chars
        d["counts"] = self.counts
        return d


@dataclass
class BatchSummary:
    """The result of :func:`run_batch`."""

    run_id: str
    manifest: Path | None
    files: list[FileOutcome]
    started: str
    finished: str
    seconds: float
    interrupted: bool = False

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def chars(self) -> int:
        return sum(f.chars for f in self.files if f.status == "ok")

    @property
    def ok(self) -> bool:
        """True if no file failed (skipped files are not failures)."""
        return self.count("failed") == 0 and not self.interrupted

    def listed(self, status: str) -> list[dict[str, str]]:
        """``{"path", "reason"}`` of every file with ``status`` (paths and reasons only)."""
        return [{"path": f.rel, "reason": f.reason} for f in self.files if f.status == status]

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id,
                "manifest": str(self.manifest) if self.manifest else None,
                "files": len(self.files), **{s: self.count(s) for s in STATUSES},
                "chars": self.chars, "seconds": round(self.seconds, 3),
                "chars_per_second": round(self.chars / self.seconds, 1) if self.seconds else None,
                "interrupted": self.interrupted,
                "failed_files": self.listed("failed"), "skipped_files": self.listed("skipped")}


# ---------------------------------------------------------------------------------------
# Finding the files and naming their items
# ---------------------------------------------------------------------------------------


def _safe_part(name: str) -> str:
    out = _SAFE_PART.sub("_", name)[:200] or "_"
    return out if out[0].isalnum() else "x" + out[:199]


def discover(in_dir: Path, pattern: str = "**/*", exclude: Sequence[Path] = ()
             ) -> list[BatchFile]:
    """The files of ``in_dir`` matching ``pattern``, sorted by relative path, with item names.

    The item of ``sub/Interview 07.txt`` is ``sub/Interview_07`` (the path
    without its extension, characters other than letters, digits, '.', '_' and
    '-' replaced), so the case keeps the folder's layout and ``redact file
    --case`` would name a top-level file the same way. Files whose items
    collide (``a.txt`` and ``a.md``) get their extension appended (``a_md``);
    the first in sorted order keeps the plain name. Hidden files and folders
    and anything under ``exclude`` (the case itself) are left out.
    """
    from redact.formats import SUPPORTED_EXTENSIONS

    base = in_dir.resolve()
    excluded = [e.resolve() for e in exclude]
    found: list[tuple[str, Path]] = []
    for p in base.glob(pattern):
        rel = p.relative_to(base)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if not p.is_file():
            continue
        rp = p.resolve()
        if any(rp == e or e in rp.parents for e in excluded):
            continue
        found.append((rel.as_posix(), p))
    found.sort(key=lambda x: x[0])
    taken: set[str] = set()
    files = []
    # Readable formats get the plain names first, so a stray .pdf never pushes a .txt aside.
    order = sorted(range(len(found)), key=lambda i: (
        posixpath.splitext(found[i][0])[1].lower() not in SUPPORTED_EXTENSIONS, found[i][0]))
    items: dict[int, str] = {}
    for i in order:
        rel, _p = found[i]
        parts = rel.split("/")
        stem, ext = posixpath.splitext(parts[-1])
        if not stem:  # ".txt"-like names are hidden and already skipped; be safe anyway
            stem, ext = parts[-1], ""
        folders = [_safe_part(x) for x in parts[:-1]]
        item = "/".join([*folders, _safe_part(stem)])
        if item.lower() in taken:
            item = "/".join([*folders, _safe_part(f"{stem}_{ext.lstrip('.')}")])
            n = 2
            while item.lower() in taken:
                item = "/".join([*folders, _safe_part(f"{stem}_{ext.lstrip('.')}_{n}")])
                n += 1
        taken.add(item.lower())
        items[i] = item
    for i, (rel, p) in enumerate(found):
        suffix = posixpath.splitext(rel)[1]
        if not re.fullmatch(r"\.[A-Za-z0-9]{1,10}", suffix):
            suffix = ".txt"
        files.append(BatchFile(rel=rel, path=p, item=items[i], suffix=suffix))
    return files


# ---------------------------------------------------------------------------------------
# Worker side: (1) read, detect, re-analysis rounds; (2) apply, verify, render, check, seal
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Task:
    index: int
    path: str
    name: str
    sha256: str


@dataclass
class _Detected:
    """Stage 1 of one file: the detection list of every planning round, and the segments."""

    index: int
    sha256: str = ""
    kind: str = ""
    segments: int = 0
    chars: int = 0
    texts: list[str] | None = None
    rounds: list[list[list[Detection]]] | None = None
    evidence: list[ReAnalysis] | None = None
    #: each round's span decisions (index-free): the parent only assigns labels
    decisions: list[Decisions] | None = None
    error: str | None = None
    skipped: bool = False
    leak: bool = False


@dataclass(frozen=True)
class _Finish:
    """Stage 2 of one file: its plans (real pseudonym labels, from the parent)."""

    index: int
    path: str
    name: str
    sha256: str
    chars: int
    rel: str
    item: str
    suffix: str
    rounds: list[list[list[Detection]]] | None
    plans: list[Plan] | None
    evidence: list[ReAnalysis] | None = None


@dataclass
class _Finished:
    """What stage 2 hands to the parent: the output, its report (and the report file's
    bytes), the sealed original (temp) and its SHA-256."""

    index: int
    output: bytes = b""
    report: dict[str, Any] | None = None
    report_file: bytes = b""
    sealed_temp: str | None = None
    sealed_sha256: str = ""
    error: str | None = None
    leak: bool = False


class _State:
    """What a worker (or the parent, with one worker) needs for both stages."""

    def __init__(self, redactor: Redactor, case_path: Path, case_id: str,
                 recipients: Sequence[str], mixed_pq: bool, encoding: str | None,
                 max_bytes: int, index_key: Callable[[str, str], str] | None = None) -> None:
        from redact import seal as S
        from redact.plan import Planner
        from redact.pseudonyms import PseudonymIndex

        self.redactor = redactor
        # Labels during the re-analysis rounds are throw-away: the parent assigns the real ones.
        self.scratch = Planner(redactor.policy, PseudonymIndex())
        self._fresh_index = PseudonymIndex
        self.sealed_dir = case_path / "sealed"
        self.case_id = case_id
        self.recipients = [S.parse_recipient(r) for r in recipients]
        self.mixed_pq = mixed_pq
        self.encoding = encoding
        self.max_bytes = max_bytes
        #: the case index's key function (forked workers and one process only): stage 1
        #: can then start its throw-away labels from a copy of the case's labels
        self.index_key = index_key
        #: labels the parent assigned since it sent a group (forked workers only)
        self.feed: _LabelFeed | None = None

    def scratch_planner(self, seed: Any = None) -> Any:
        """A planner with a throw-away index: empty, or a copy of the case's labels.

        With a copy, the trial labels are often the real ones, and stage 2 can
        reuse stage 1's re-analysis (it checks that the outputs are identical).
        """
        if seed is not None and self.index_key is not None:
            self.scratch.pseudonyms = self._fresh_index.seeded(seed, self.index_key)
        else:
            self.scratch.pseudonyms = self._fresh_index()
        return self.scratch


class _LabelFeed:
    """A forked worker's view of the labels the parent assigned after it sent a group.

    A group's seed is the case's labels when the group was sent; groups sent
    before it are often planned by the time its rounds begin (after NER). The
    parent appends every label it assigns to the case's index
    (``pseudonyms/index.jsonl``: keyed forms and labels, no names); the worker
    reads the whole lines added since the fork and adds them to the seed.
    Trial labels then match the real ones more often, and stage 2 reuses stage
    1's re-analysis for more files; outputs do not depend on it.
    """

    def __init__(self, index: Any) -> None:
        from redact.pseudonyms import PseudonymIndex

        self.path, self._read = index.log_position()  # as of the fork
        self._got = PseudonymIndex()  # what the lines read so far hold

    def refresh(self, seed: Any) -> Any:
        """``seed`` (tables of ``label_tables``) with every label the index holds now."""
        from redact.case import apply_index_lines

        try:
            data = read_appended(self.path, self._read)
            end = data.rfind(b"\n") + 1  # a line being appended is read next time
            apply_index_lines(data[:end], self._got)
        except (OSError, ValueError, KeyError, TypeError):
            return seed  # the parent reports a damaged index; trial labels stay as sent
        self._read += end
        *tables, counts = seed
        *got, got_counts = self._got.label_tables()
        for table, new in zip(tables, got, strict=True):
            table.update(new)
        for prefix, n in got_counts.items():
            counts[prefix] = max(n, counts.get(prefix, 0))
        return seed


_WORKER: dict[str, Any] = {}


def _init_worker(lists_key: bytes, policy_sha: str, encoding: str | None, max_bytes: int,
                 case_path: str, case_id: str, recipients: list[str], mixed_pq: bool,
                 report_key: bytes) -> None:
    """Worker start: load the case policy and the model once.

    A failure is kept and raised by the worker's first task, so the parent sees a
    clear error; raised here, multiprocessing would restart the worker forever.
    """
    from redact.case import load_case_policy
    from redact.pseudonyms import PseudonymIndex
    from redact.redactor import Redactor

    _leave_ctrl_c_to_parent()
    try:
        # policy.yaml with the allow and deny lists sealed in the case (opened with lists_key)
        policy = load_case_policy(case_path, lists_key)
        if policy.sha256() != policy_sha:
            raise CaseError("the case policy changed while the batch run was starting")
        redactor = Redactor(policy, pseudonyms=PseudonymIndex(), report_key=report_key)
    except RedactError as exc:
        _WORKER["error"] = exc
        return
    _WORKER["state"] = _State(redactor, Path(case_path), case_id, recipients, mixed_pq,
                              encoding, max_bytes)


def _state() -> _State:
    if "error" in _WORKER:
        raise _WORKER["error"]
    return _WORKER["state"]


def _read_input(path: str, max_bytes: int) -> bytes:
    return read_bytes(path, max_bytes, "Split it, or raise the limit (--max-mb).")


#: spaCy batch size for detection: about _NER_BATCH_CHARS characters per batch, at least
#: 16 texts (long statements: low memory) and at most 128 (short texts: 20-30% faster
#: than 16 at a time; the entities found do not depend on the batch).
_NER_BATCH_CHARS = 64 << 10


def _ner_batch(segs: Sequence[str]) -> int:
    mean = max(1, sum(len(s) for s in segs) // max(1, len(segs)))
    return max(16, min(128, _NER_BATCH_CHARS // mean))


def _detect_group(tasks: Sequence[_Task], st: _State, seed: Any = None) -> list[_Detected]:
    """Stage 1 for a group: read, detect (NER batched over all segments), re-analysis rounds.

    ``seed``: the case's label tables when the group was sent; the group's files
    are then planned in turn on one copy of them, as the main process will plan
    them (if no group before it adds labels meanwhile).
    """
    from redact.formats import read_document

    out: list[_Detected] = []
    segs: list[str] = []
    owners: list[tuple[int, int]] = []  # (position in out, number of segments)
    for t in tasks:
        res = _Detected(t.index)
        try:
            data = _read_input(t.path, st.max_bytes)
            res.sha256 = hashlib.sha256(data).hexdigest()
            if t.sha256 and res.sha256 != t.sha256:
                raise InputError("the file changed while the batch run was reading it",
                                 "Run the batch again once the folder is no longer written to.")
            doc = read_document(data, t.name, encoding=st.encoding)
            res.kind, res.segments = doc.kind, len(doc.segments)
            res.chars = sum(len(s) for s in doc.segments)
            res.texts = list(doc.segments)
            owners.append((len(out), len(doc.segments)))
            segs.extend(doc.segments)
        except UnsupportedFormatError as exc:
            # A statement extension with other content (binary in a .txt) is a failure:
            # someone meant it as a statement. Other formats are not statements: skipped.
            res.error, res.skipped = exc.reason, not isinstance(exc, MislabelledFileError)
        except RedactError as exc:
            res.error = exc.what
        except Exception as exc:  # noqa: BLE001 - the message may quote the file: type only
            res.error = f"unexpected {type(exc).__name__} while reading"
        out.append(res)
    if not segs:
        return out
    try:
        found = list(st.redactor.detector.detect_many(segs, batch_size=_ner_batch(segs)))
    except Exception as exc:  # noqa: BLE001
        for pos, _n in owners:
            out[pos].error = f"unexpected {type(exc).__name__} during detection"
            out[pos].texts = None
        return out
    k = 0
    if seed is not None and st.feed is not None:
        seed = st.feed.refresh(seed)
    shared = st.scratch_planner(seed) if seed is not None else None
    for pos, n in owners:
        res = out[pos]
        dets = found[k:k + n]
        k += n
        if not n:
            continue
        try:
            res.evidence, res.decisions = [], []
            res.rounds = st.redactor.analysis_rounds(res.texts or [], dets,
                                                     shared or st.scratch_planner(),
                                                     evidence=res.evidence,
                                                     decisions=res.decisions)
        except Exception as exc:  # noqa: BLE001
            res.error, res.texts = f"unexpected {type(exc).__name__} during verification", None
    return out


def _seal_temp(st: _State, data: bytes, item: str) -> tuple[str, str]:
    """Seal ``data`` (bound to the case and ``item``) to ``CASE/sealed/.batch-*.tmp`` (the
    parent renames it into place); returns the file's name and the SHA-256 of its content."""
    import tempfile

    from redact._internal.durable import fsync_file
    from redact.case import seal_original
    from redact.errors import OutputError

    try:
        fd, name = tempfile.mkstemp(prefix=".batch-", suffix=".tmp", dir=st.sealed_dir)
    except OSError as exc:
        raise OutputError(f"cannot create the sealed original in {st.sealed_dir}: "
                          f"{exc.strerror}") from None
    try:
        os.fchmod(fd, 0o600)
        sealed = seal_original(data, list(st.recipients), st.case_id, item,
                               allow_mixed_pq=st.mixed_pq)
        with os.fdopen(fd, "wb") as fh:
            fh.write(sealed)
            fh.flush()
            fsync_file(fh.fileno())
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write the sealed original: {exc.strerror}") from None
        raise
    return name, hashlib.sha256(sealed).hexdigest()


def _finish_one(t: _Finish, st: _State) -> _Finished:
    from redact.case import statement_report
    from redact.formats import check_output, read_document

    res = _Finished(t.index)
    try:
        data = _read_input(t.path, st.max_bytes)
        if hashlib.sha256(data).hexdigest() != t.sha256:
            raise InputError("the file changed while the batch run was reading it",
                             "Run the batch again once the folder is no longer written to.")
        doc = read_document(data, t.name, encoding=st.encoding)
        if doc.segments:
            if t.rounds is None or t.plans is None or len(t.rounds[0]) != len(doc.segments):
                raise InputError("the file read differently in the two stages of the run")
            results = st.redactor.finish_rounds(doc.segments, t.rounds, t.plans,
                                                evidence=t.evidence or ())
        else:
            results = []
        output = doc.render(results)
        check_output(doc, output, results)
        report = document_report(results, doc.kind)
        if getattr(doc, "removed", None):  # PDF/image parts not carried over (no values)
            report["removed_from_file"] = list(doc.removed)
        report["batch"] = {"source": t.rel, "input_sha256": t.sha256,
                           "output_sha256": hashlib.sha256(output).hexdigest(),
                           "chars": t.chars}
        res.sealed_temp, res.sealed_sha256 = _seal_temp(st, data, t.item)
        res.output, res.report = output, report
        res.report_file = statement_report(st.case_id, t.item, report,
                                           sealed_sha256=res.sealed_sha256,
                                           recipients=len(st.recipients), suffix=t.suffix)
    except LeakError as exc:
        res.error, res.leak = exc.what, True
    except RedactError as exc:
        res.error = exc.what
    except Exception as exc:  # noqa: BLE001 - the message may quote the file: type only
        if os.environ.get("REDACT_DEBUG") == "1":
            raise
        res.error = f"unexpected {type(exc).__name__} (details hidden)"
    return res


def _finish_group(tasks: Sequence[_Finish], st: _State) -> list[_Finished]:
    """Stage 2 for a group (durability comes from the parent's checkpoints)."""
    with deferred_sync(sync_at_end=False):
        return [_finish_one(t, st) for t in tasks]


def _worker_detect(job: tuple[Sequence[_Task], Any]) -> list[_Detected]:
    return _detect_job(job, _state())


def _detect_job(job: tuple[Sequence[_Task], Any], st: _State) -> list[_Detected]:
    return _detect_group(job[0], st, job[1])


def _worker_finish(tasks: Sequence[_Finish]) -> list[_Finished]:
    return _finish_group(tasks, _state())


def _worker_model() -> dict[str, str]:
    return dict(_state().redactor.model_info.to_dict())


def _groups(tasks: list[_Task], sizes: dict[int, int]) -> Iterator[list[_Task]]:
    """Consecutive runs of tasks that grow: a group closes at 1, 2, 4 ... files or at
    _GROUP_START, twice, four times ... bytes, whichever comes first, up to _GROUP_FILES
    files and _GROUP_MAX bytes. The first file is written soon; large groups batch the
    NER well."""
    limit, files = _GROUP_START, 1
    cur: list[_Task] = []
    cur_bytes = 0
    for t in tasks:
        cur.append(t)
        cur_bytes += sizes.get(t.index, 0)
        if cur_bytes >= limit or len(cur) >= files:
            yield cur
            cur, cur_bytes = [], 0
            limit = min(limit * 2, _GROUP_MAX)
            files = min(files * 2, _GROUP_FILES)
    if cur:
        yield cur


# ---------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------


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


def _still_done(case: Case, f: BatchFile, input_sha: str) -> FileOutcome | None:
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
    except (OSError, ValueError, KeyError, TypeError, RedactError):
        return None
    return FileOutcome(rel=f.rel, item=f.item, status="unchanged", input_sha256=input_sha,
                       output=out_rel, output_sha256=batch["output_sha256"],
                       sealed=sealed_rel, sealed_sha256=sealed_sha,
                       report=f"reports/{f.item}.json",
                       report_sha256=sha256_file(report_path), kind=rep.get("format"),
                       chars=int(batch.get("chars", 0)), counts=rep.get("counts", {}))


def _foreign_item(case: Case, f: BatchFile) -> bool:
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


class _Job:
    """One group of files on its way: stage 1 (detect), planned, stage 2 (finish), placed."""

    def __init__(self, tasks: list[_Task]) -> None:
        self.tasks = tasks
        self.stage1: Any = None
        self.stage2: Any = None
        #: per file index: its outcome if decided before stage 2, else its stage-1 result
        self.early: dict[int, FileOutcome] = {}
        self.detected: dict[int, _Detected] = {}


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
               index_key: Callable[[str, str], str] | None = None) -> _State:
        case = self.case
        return _State(redactor, case.path, case.case_id, case.recipients,
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
        run_id = new_run_id()
        case = self.case
        policy = case.policy
        files = discover(self.in_dir, self.opts.glob, exclude=[case.path])
        pool = None
        interrupted = False
        _clean_temps(case, all_temps=True)
        try:
            tasks: list[_Task] = []
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
                    done = _still_done(case, f, sha)
                    if done is not None:
                        self.outcomes[i] = done
                        continue
                todo.append(i)
                tasks.append(_Task(i, str(f.path), posixpath.basename(f.rel), sha))
            groups = list(_groups(tasks, sizes))
            log.info("%d file(s) under %s match %s: %d to process in %d group(s), %d "
                     "unchanged since an earlier run", len(files), self.in_dir, self.opts.glob,
                     len(todo), len(groups), len(files) - len(todo))
            local: _State | None = None
            # Workers that know the case's index key (forked, or this process) start their
            # throw-away labels from a copy of the case's labels.
            seeded = True
            if groups and not loads_model_here(self.opts):
                # Workers load the model (on a Dask cluster, or spawned); this process only
                # plans and places.
                if self.opts.engine == "dask":
                    from redact._internal.dask_pool import DaskPool

                    pool = DaskPool(self.opts.workers, _init_worker,
                                    _worker_args(self.opts, case, policy.sha256()),
                                    self.opts.scheduler,
                                    [str(case.path / "sealed"), str(self.in_dir)])
                else:
                    pool = _start_pool(self.opts, case, policy.sha256())
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
                state = self._state(_worker_redactor(redactor), case.pseudonyms.key)
                state.feed = _LabelFeed(case.pseudonyms)
                pool = _fork_pool(self.opts.workers, state,
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
                self.model = pool.apply(_worker_model)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
                _FORKED.clear()
            _clean_temps(case)
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

    def _pipeline(self, files: list[BatchFile], groups: list[list[_Task]], planner: Any,
                  pool: Any, local: _State | None, seeded: bool) -> None:
        """Stage 1 in the workers; plan in path order here; stage 2 in the workers; place here.

        A window of groups is in flight, so workers always have detection or
        finishing work while this process plans and places files one by one.
        """
        import collections
        import threading

        wake = threading.Event()

        def submit(fn: Callable[..., Any], arg: Any) -> Any:
            if pool is None:
                return _Done(fn, arg, local)
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
                    job.stage2 = submit(_worker_finish if pool is not None else _finish_group,
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
                    job.stage1 = submit(_worker_detect if pool is not None else _detect_job,
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

    def _plan_job(self, files: list[BatchFile], job: _Job, planner: Any) -> list[_Finish]:
        """Plan every file of a group, in path order, with the case's pseudonym index."""
        try:
            detected = job.stage1.get()
        except Exception as exc:  # noqa: BLE001 - a worker failure fails the group's files
            detected = [_Detected(t.index, error=f"unexpected {type(exc).__name__} in a worker")
                        for t in job.tasks]
        out: list[_Finish] = []
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
                    detected: list[_Detected], out: list[_Finish]) -> None:
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
                if _foreign_item(self.case, f):
                    raise CaseError(f"the case already holds an item {f.item} that this batch "
                                    "run did not make")
                # plan_rounds(planner, texts, rounds), split: the worker decided each
                # round's spans; the labels come from the case's index, here, in path order
                plans = ([planner.assign(d.texts or [], dec) for dec in d.decisions]
                         if d.rounds is not None and d.decisions is not None else None)
            except RedactError as exc:
                outcome.reason = exc.what
                job.early[d.index] = outcome
                continue
            except Exception as exc:  # noqa: BLE001
                if os.environ.get("REDACT_DEBUG") == "1":
                    raise
                outcome.reason = f"unexpected {type(exc).__name__} (details hidden)"
                job.early[d.index] = outcome
                continue
            out.append(_Finish(d.index, str(f.path), posixpath.basename(f.rel), d.sha256,
                               d.chars, f.rel, f.item, f.suffix, d.rounds, plans, d.evidence))
            d.texts = d.rounds = d.evidence = d.decisions = None  # keep no statement text

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

    def _place(self, f: BatchFile, d: _Detected, r: _Finished | None,
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
        case = self.case
        report = r.report or {}
        try:
            paths = case.store_statement(f.item, f.suffix, True, r.output,
                                         Path(r.sealed_temp or ""), lambda _tmp: r.report_file)
        except RedactError as exc:
            out.reason = exc.what
            return out
        except Exception as exc:  # noqa: BLE001 - the message may quote the file: type only
            if os.environ.get("REDACT_DEBUG") == "1":
                raise
            out.reason = f"unexpected {type(exc).__name__} (details hidden)"
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
        out.counts = report["counts"]
        out.new_pseudonyms = paths.names is not None
        return out


class _Done:
    """A stage run in this process (one worker), shaped like ``AsyncResult``."""

    def __init__(self, fn: Callable[..., Any], arg: Any, state: _State | None) -> None:
        try:
            self._value, self._exc = fn(arg, state), None
        except Exception as exc:  # noqa: BLE001
            self._value, self._exc = None, exc

    def ready(self) -> bool:
        return True

    def get(self) -> Any:
        if self._exc is not None:
            raise self._exc
        return self._value


def _clean_temps(case: Case, *, all_temps: bool = False) -> None:
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


def _worker_args(options: BatchOptions, case: Case, policy_sha: str) -> tuple[Any, ...]:
    """The arguments of :func:`_init_worker` for a worker that starts afresh."""
    return (case.lists_key(), policy_sha, options.encoding, options.max_bytes,
            str(case.path), case.case_id, list(case.recipients),
            case.allow_mixed_pq, case.report_key())


def _start_pool(options: BatchOptions, case: Case, policy_sha: str) -> Any:
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("forkserver" if "forkserver" in methods else "spawn")
    with _sigint_blocked():
        return ctx.Pool(options.workers, initializer=_init_worker,
                        initargs=_worker_args(options, case, policy_sha))


#: Fork workers from this process after loading the model (Linux): no second model load,
#: shared memory pages, a fast start. Elsewhere fork is unsafe; workers start afresh.
_FORK = sys.platform.startswith("linux") and "fork" in mp.get_all_start_methods()


def loads_model_here(options: BatchOptions) -> bool:
    """True if :func:`run_batch` with ``options`` loads the model in the calling process
    (local engine, one worker or workers forked from it): worth
    :meth:`Case.loading_model <redact.case.Case.loading_model>` around the unlock."""
    return options.engine == "local" and (options.workers == 1 or _FORK)


def _worker_redactor(redactor: Redactor) -> Redactor:
    """``redactor`` (same detector) with a throw-away pseudonym index, for workers.

    Workers never assign case labels; this keeps even a bug from touching the
    case's index from a worker.
    """
    return redactor.with_pseudonyms()


_FORKED: dict[str, Any] = {}


def _init_forked(close_fds: list[int], parent: int) -> None:
    """Forked worker start: the state comes with the fork; drop the parent's lock files.

    A worker that still held the batch lock's descriptor after its parent was
    killed would keep the case locked until it exits. A worker also dies with
    its parent (``kill -9``, power-off of the run): its work is of no use then,
    and it would print a broken-pipe traceback on handing it back.
    """
    _leave_ctrl_c_to_parent()
    for fd in close_fds:
        with contextlib.suppress(OSError):
            os.close(fd)
    _die_with_parent(parent)
    _WORKER["state"] = _FORKED["state"]


def _leave_ctrl_c_to_parent() -> None:
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
    :func:`_leave_ctrl_c_to_parent` ignores it, so even an early Ctrl-C never reaches a
    worker; this process gets a Ctrl-C that came meanwhile once the block ends."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process when ``parent`` (its parent) dies."""
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # died before the request was in place
        os._exit(1)


def _fork_pool(workers: int, state: _State, close_fds: Sequence[int | None]) -> Any:
    """A pool of ``workers`` processes forked from this one, each starting with ``state``.

    ``state`` stays in ``_FORKED`` while the pool lives (a worker that dies is
    replaced by a new fork); :meth:`_Runner.run` clears it.
    """
    _FORKED["state"] = state
    with _sigint_blocked():
        return mp.get_context("fork").Pool(workers, initializer=_init_forked,
                                           initargs=([fd for fd in close_fds if fd is not None],
                                                     os.getpid()))


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
