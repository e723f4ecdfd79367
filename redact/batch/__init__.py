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

The package's modules, one question each: :mod:`~redact.batch.types` (options,
outcomes, summary), :mod:`~redact.batch.discovery` (which files, which items),
:mod:`~redact.batch.split` (the verify loop split across processes),
:mod:`~redact.batch.stages` (what workers do), :mod:`~redact.batch.pools` (forked,
spawned and Dask workers), :mod:`~redact.batch.resume` (lock, resume, temporary
files) and :mod:`~redact.batch.runner` (the run). Only the names below are API.
"""

from __future__ import annotations

from redact.batch.discovery import BatchFile, discover
from redact.batch.pools import loads_model_here
from redact.batch.resume import BATCH_LOCK, batch_lock
from redact.batch.runner import run_batch
from redact.batch.types import STATUSES, BatchOptions, BatchSummary, FileOutcome

__all__ = ["BatchOptions", "BatchFile", "FileOutcome", "BatchSummary", "discover", "run_batch",
           "BATCH_LOCK", "STATUSES", "batch_lock", "loads_model_here"]
