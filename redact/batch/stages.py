"""The two stages of a batch run that workers do, one group of files at a time.

1. **detect** (:func:`detect_group`): read each file, detect (spaCy NER batched over
   the whole group, patterns), and run the verify loop's rounds with throw-away
   labels (:meth:`SplitRun.analyse <redact.batch.split.SplitRun.analyse>`);
2. the parent assigns the case's labels, in path order (:mod:`redact.batch.runner`);
3. **finish** (:func:`finish_group`): read each file again, replay the loop with the
   real labels, render, re-check the file, seal the original to a temporary file.

Results carry digests, counts and reasons; an unexpected error carries only its
type (:func:`hidden_error`): its message may quote a statement.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact._internal.durable import deferred_sync
from redact.errors import (
    CaseError,
    InputError,
    LeakError,
    MislabelledFileError,
    RedactError,
    UnsupportedFormatError,
)
from redact.io import read_appended, read_bytes
from redact.result import document_report

if TYPE_CHECKING:
    from redact.plan import Decisions, Plan
    from redact.redactor import Redactor
    from redact.rounds import Round

__all__ = ["Task", "Detected", "Finish", "Finished", "WorkerState", "LabelFeed", "init_worker",
           "adopt_state", "detect_group", "detect_job", "finish_group", "worker_detect",
           "worker_finish", "worker_model", "worker_redactor", "hidden_error", "freeze_heap"]


def hidden_error(exc: Exception) -> str:
    """The reason given for an unexpected error: its type only, as its message may quote a
    statement (``REDACT_DEBUG=1`` raises it instead)."""
    if os.environ.get("REDACT_DEBUG") == "1":
        raise exc
    return f"unexpected {type(exc).__name__} (details hidden)"


def worker_redactor(redactor: Redactor) -> Redactor:
    """``redactor`` (same detector) with a throw-away pseudonym index, for workers.

    Workers never assign case labels; this keeps even a bug from touching the
    case's index from a worker.
    """
    return redactor.with_pseudonyms()


@dataclass(frozen=True)
class Task:
    """One file to read and detect (stage 1); ``sha256`` is empty if not hashed yet."""

    index: int
    path: str
    name: str
    sha256: str


@dataclass
class Detected:
    """Stage 1 of one file: its segments, the verify loop's rounds and their decisions."""

    index: int
    sha256: str = ""
    kind: str = ""
    segments: int = 0
    chars: int = 0
    texts: list[str] | None = None
    #: the trace of the verify loop's rounds (throw-away labels)
    rounds: list[Round] | None = None
    #: each round's span decisions (index-free): the parent only assigns labels
    decisions: list[Decisions] | None = None
    error: str | None = None
    skipped: bool = False
    leak: bool = False


@dataclass(frozen=True)
class Finish:
    """Stage 2 of one file: its plans (real pseudonym labels, from the parent)."""

    index: int
    path: str
    name: str
    sha256: str
    chars: int
    rel: str
    item: str
    suffix: str
    rounds: list[Round] | None
    plans: list[Plan] | None


@dataclass
class Finished:
    """What stage 2 hands to the parent: the output and its companions, its report (and
    the report file's bytes), the sealed original (temp) and its SHA-256."""

    index: int
    output: bytes = b""
    report: dict[str, Any] | None = None
    report_file: bytes = b""
    sealed_temp: str | None = None
    sealed_sha256: str = ""
    #: files beside the output, by suffix (the redacted text of a PDF or image)
    companions: dict[str, bytes] | None = None
    error: str | None = None
    leak: bool = False


class WorkerState:
    """What a worker (or the parent, with one worker) needs for both stages."""

    def __init__(self, redactor: Redactor, report_key: bytes, case_path: Path, case_id: str,
                 recipients: Sequence[str], mixed_pq: bool, encoding: str | None,
                 max_bytes: int, index_key: Callable[[str, str], str] | None = None) -> None:
        from redact import seal as S
        from redact.batch.split import SplitRun
        from redact.plan import Planner
        from redact.pseudonyms import PseudonymIndex

        self.redactor = redactor
        self.split = SplitRun(redactor, report_key)
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
        self.feed: LabelFeed | None = None

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


class LabelFeed:
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


def init_worker(lists_key: bytes, policy_sha: str, encoding: str | None, max_bytes: int,
                 case_path: str, case_id: str, recipients: list[str], mixed_pq: bool,
                 report_key: bytes) -> None:
    """Fresh worker start (the initializer of spawned and Dask pools): load the case policy
    and the model once.

    A failure is kept and raised by the worker's first task, so the parent sees a
    clear error; raised here, multiprocessing would restart the worker forever.
    """
    from redact.case import load_case_policy
    from redact.pseudonyms import PseudonymIndex
    from redact.redactor import Redactor

    try:
        # policy.yaml with the allow and deny lists sealed in the case (opened with lists_key)
        policy = load_case_policy(case_path, lists_key)
        if policy.sha256() != policy_sha:
            raise CaseError("the case policy changed while the batch run was starting")
        redactor = Redactor(policy, pseudonyms=PseudonymIndex(), report_key=report_key)
    except RedactError as exc:
        _WORKER["error"] = exc
        return
    _WORKER["state"] = WorkerState(redactor, report_key, Path(case_path), case_id, recipients,
                                   mixed_pq, encoding, max_bytes)


def adopt_state(state: WorkerState) -> None:
    """Forked worker start (the initializer of :func:`~redact.batch.pools.fork_pool`): the
    state, model and all, came with the fork (see :func:`freeze_heap`)."""
    _WORKER["state"] = state
    freeze_heap()


def freeze_heap() -> None:
    """Take everything a forked worker inherited (model, word lists, recognizers: ~130,000
    objects) out of the garbage collector's sight.

    Its full collections then stop walking them: 6 of them took 0.52 s over 100
    statements, 0.05 s frozen (about 2% of a worker's time). Freezing moves list
    heads only, so it copies no inherited page. Only in redact's own forked workers:
    never in a library caller's process or a Dask worker, where frozen objects would
    not be collected until the process ends.
    """
    import gc

    gc.collect(1)  # the young garbage (a full collection finds ~10 objects for 0.08 s)
    gc.freeze()


def _state() -> WorkerState:
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


def detect_group(tasks: Sequence[Task], st: WorkerState, seed: Any = None) -> list[Detected]:
    """Stage 1 for a group: read, detect (NER batched over all segments), re-analysis rounds.

    ``seed``: the case's label tables when the group was sent; the group's files
    are then planned in turn on one copy of them, as the main process will plan
    them (if no group before it adds labels meanwhile).
    """
    from redact.formats import read_document

    out: list[Detected] = []
    segs: list[str] = []
    owners: list[tuple[int, int]] = []  # (position in out, number of segments)
    for t in tasks:
        res = Detected(t.index)
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
        found = st.split.detect(segs, _ner_batch(segs))
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
            res.rounds, res.decisions = st.split.analyse(res.texts or [], dets,
                                                         shared or st.scratch_planner())
        except Exception as exc:  # noqa: BLE001
            res.error, res.texts = f"unexpected {type(exc).__name__} during verification", None
    return out


def _seal_temp(st: WorkerState, data: bytes, item: str) -> tuple[str, str]:
    """Seal ``data`` (bound to the case and ``item``) to ``CASE/sealed/.batch-*.tmp`` (the
    parent renames it into place; ``resume.clean_temps`` knows the prefix); returns the
    file's name and the SHA-256 of its content."""
    from redact.case import seal_to_temp

    tmp, sha = seal_to_temp(st.sealed_dir, ".batch-", item, data, list(st.recipients),
                            st.case_id, st.mixed_pq)
    return str(tmp), sha


def _finish_one(t: Finish, st: WorkerState) -> Finished:
    from redact.case import statement_report
    from redact.formats import check_output, read_document

    res = Finished(t.index)
    try:
        data = _read_input(t.path, st.max_bytes)
        if hashlib.sha256(data).hexdigest() != t.sha256:
            raise InputError("the file changed while the batch run was reading it",
                             "Run the batch again once the folder is no longer written to.")
        doc = read_document(data, t.name, encoding=st.encoding)
        if doc.segments:
            if t.rounds is None or t.plans is None or \
                    len(t.rounds[0].detections) != len(doc.segments):
                raise InputError("the file read differently in the two stages of the run")
            results = st.split.finish(doc.segments, t.rounds, t.plans)
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
        companions = doc.companions()  # checked with the output by check_output
        res.sealed_temp, res.sealed_sha256 = _seal_temp(st, data, t.item)
        res.output, res.report, res.companions = output, report, companions
        res.report_file = statement_report(st.case_id, t.item, report,
                                           sealed_sha256=res.sealed_sha256,
                                           recipients=len(st.recipients), suffix=t.suffix,
                                           companions=companions)
    except LeakError as exc:
        res.error, res.leak = exc.what, True
    except RedactError as exc:
        res.error = exc.what
    except Exception as exc:  # noqa: BLE001 - the message may quote the file: type only
        res.error = hidden_error(exc)
    return res


def finish_group(tasks: Sequence[Finish], st: WorkerState) -> list[Finished]:
    """Stage 2 for a group (durability comes from the parent's checkpoints)."""
    with deferred_sync(sync_at_end=False):
        return [_finish_one(t, st) for t in tasks]


def worker_detect(job: tuple[Sequence[Task], Any]) -> list[Detected]:
    """Stage 1 in a worker: ``job`` is a group's tasks and its label seed."""
    return detect_job(job, _state())


def detect_job(job: tuple[Sequence[Task], Any], st: WorkerState) -> list[Detected]:
    """Stage 1 with ``st``: ``job`` is a group's tasks and its label seed."""
    return detect_group(job[0], st, job[1])


def worker_finish(tasks: Sequence[Finish]) -> list[Finished]:
    """Stage 2 in a worker."""
    return finish_group(tasks, _state())


def worker_model() -> dict[str, str]:
    """The worker's spaCy pipeline (name and version, for the manifest)."""
    return dict(_state().redactor.model_info.to_dict())

