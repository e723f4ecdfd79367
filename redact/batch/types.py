"""The public types of batch runs: options, one file's outcome, a run's summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["STATUSES", "BatchOptions", "FileOutcome", "BatchSummary"]

#: File statuses: ok (redacted now), unchanged (done by an earlier run, still valid),
#: failed (an error; nothing written for it), skipped (not a readable statement format).
STATUSES = ("ok", "unchanged", "failed", "skipped")


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
    #: ``[{"path", "sha256"}]`` of the files beside the output (the .txt of a PDF or image)
    companions: list[dict[str, str]] = field(default_factory=list)
    #: labels the statement itself writes for someone while the case gives them to another
    #: person (the report's ``label_clashes``): an editor renames one before publishing
    label_clashes: list[str] = field(default_factory=list)

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
        if self.companions:
            d["companions"] = self.companions
        d["chars"] = self.chars
        d["counts"] = self.counts
        if self.label_clashes:
            d["label_clashes"] = self.label_clashes
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
                "failed_files": self.listed("failed"), "skipped_files": self.listed("skipped"),
                "label_clash_files": [{"path": f.rel, "labels": f.label_clashes}
                                      for f in self.files if f.label_clashes]}
