"""Signed batch manifests: what a ``redact batch`` run did, and a check against the disk.

A manifest is written per run to ``CASE/manifests/<run-id>.json``::

    {"manifest": {...the run and its files...},
     "signature": {"alg": "ed25519", "public_key": "ed25519:...", "value": "<base64>"}}

The signature covers the canonical JSON of ``manifest`` (keys sorted, no
spaces, UTF-8), made with the case's Ed25519 signing key
(:meth:`redact.case.Case.sign`); the public key is in ``case.json``, so anyone
can verify a manifest without a secret. A manifest holds SHA-256 digests,
counts, statuses and the input paths the user gave, never text from a
statement.

:func:`verify_case` checks every manifest's signature and every digest against
the files in ``redacted/``, ``sealed/`` and ``reports/`` (later runs override
earlier ones for the same file; a file entry's ``companions``, the ``.txt`` beside a
redacted PDF or image, are checked like its output) and lists files added, changed or
missing.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from redact.errors import ManifestError
from redact.io import sha256_file

if TYPE_CHECKING:
    from redact.case import Case, CasePaths

__all__ = ["MANIFEST_FORMAT", "MANIFEST_VERSION", "MANIFESTS_DIR", "canonical_json",
           "sign_manifest", "load_manifest", "write_manifest", "write_item_manifest",
           "tool_versions", "Problem", "Verification", "verify_case"]

MANIFEST_FORMAT = "redact-batch-manifest"
MANIFEST_VERSION = 1
MANIFESTS_DIR = "manifests"

#: Statuses whose files are on disk and vouched for by the manifest.
_DONE = ("ok", "unchanged")
#: The case folders whose files a manifest accounts for.
_COVERED = ("redacted", "sealed", "reports")


def canonical_json(data: Any) -> bytes:
    """The bytes that are signed: sorted keys, no whitespace, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def utc_now() -> str:
    """The current UTC time, to the second, as manifests record it (``...Z``)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_run_id(after: str = "") -> str:
    """A run id: UTC time (sorts manifests oldest first) and 8 random hex digits.

    ``after``: the newest run id of the case; within the same second, the new id
    gets a suffix that sorts after it (verify_case lets the later manifest win).
    """
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(4)
    stamp, _, suffix = after.partition("-")
    if run_id <= after and run_id.startswith(stamp + "-") and \
            re.fullmatch(r"[0-9a-f]{8}", suffix) and suffix != "ffffffff":
        run_id = f"{stamp}-{int(suffix, 16) + 1:08x}"
    return run_id


def newest_run_id(case_path: Path) -> str:
    """The newest run id among the case's manifests ("" if none): what
    :func:`new_run_id` must sort after."""
    folder = case_path / MANIFESTS_DIR
    return max((p.stem for p in folder.glob("*.json")), default="") \
        if folder.is_dir() else ""


def tool_versions(model: dict[str, str]) -> dict[str, Any]:
    """The ``tool`` (redact, Presidio, spaCy versions) and ``model`` fields of a manifest."""
    from importlib.metadata import PackageNotFoundError, version

    import redact

    tools: dict[str, str] = {"redact": redact.__version__}
    for pkg in ("presidio-analyzer", "presidio-anonymizer", "spacy"):
        try:
            tools[pkg] = version(pkg)
        except PackageNotFoundError:
            tools[pkg] = "?"
    return {"tool": tools, "model": model}


def _public_key_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "ed25519:" + base64.b64encode(raw).decode("ascii")


def sign_manifest(case: Case, body: dict[str, Any]) -> dict[str, Any]:
    """The signed document for ``body`` (needs the case unlocked)."""
    sig = case.sign(canonical_json(body))
    return {"manifest": body,
            "signature": {"alg": "ed25519",
                          "public_key": _public_key_text(case.signing_public_key),
                          "value": base64.b64encode(sig).decode("ascii")}}


def write_manifest(case: Case, body: dict[str, Any]) -> Path:
    """Sign ``body`` and write it atomically to ``manifests/<run_id>.json``."""
    from redact._internal.durable import atomic_output

    folder = case.path / MANIFESTS_DIR
    if not folder.is_dir():
        folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / f"{body['run_id']}.json"
    doc = sign_manifest(case, body)
    with atomic_output(path, 0o600, overwrite=True) as fh:
        fh.write((json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    return path


def write_item_manifest(case: Case, item: str, paths: CasePaths, *, source: str,
                        input_sha256: str, report: dict[str, Any], started: str,
                        chars: int = 0) -> Path:
    """Sign a one-item manifest for ``item``, stored outside a batch run (``redact file
    --case``), so that :func:`verify_case` accounts for its three files (and the
    companions of ``paths``: ``"companions": [{"path", "sha256"}]``, absent if none).

    Same format as a batch run's manifest (``"command": "file"``, ``input_dir`` and
    ``glob`` null); the digests are those of the files as written. ``source`` is
    the statement's file name (no folder); ``report`` is the report given to
    :meth:`Case.add_statement <redact.case.Case.add_statement>` (for the model
    and the counts). Needs the case unlocked.
    """
    def rel(p: Path) -> str:
        return p.relative_to(case.path).as_posix()

    entry = {"path": source, "item": item, "status": "ok", "kind": report.get("format"),
             "input_sha256": input_sha256,
             "output": rel(paths.redacted), "output_sha256": sha256_file(paths.redacted),
             "sealed": rel(paths.sealed), "sealed_sha256": sha256_file(paths.sealed),
             "report": rel(paths.report), "report_sha256": sha256_file(paths.report),
             "companions": [{"path": rel(p), "sha256": sha256_file(p)}
                            for p in paths.companions] or None,
             "chars": chars, "counts": report.get("counts", {})}
    finished = utc_now()
    body = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION,
            "run_id": new_run_id(after=newest_run_id(case.path)), "command": "file",
            "case_id": case.case_id,
            "input_dir": None, "glob": None,
            "workers": 1, "started": started, "finished": finished,
            "policy_sha256": report.get("policy_sha256"),
            **tool_versions(report.get("model") or {}), "complete": True,
            "totals": {"files": 1, "ok": 1, "unchanged": 0, "failed": 0, "skipped": 0,
                       "not_reached": 0},
            "files": [{k: v for k, v in entry.items() if v is not None}]}
    return write_manifest(case, body)


def load_manifest(path: Path, public_key: Ed25519PublicKey) -> dict[str, Any]:
    """The manifest body of ``path`` if its signature verifies under ``public_key``.

    Raises :class:`ManifestError` for an unreadable file, a malformed
    document, or a signature that does not verify.
    """
    try:
        doc = json.loads(path.read_bytes())
        body = doc["manifest"]
        sig = doc["signature"]
        value = base64.b64decode(sig["value"], validate=True)
        ok_shape = (isinstance(body, dict) and body.get("format") == MANIFEST_FORMAT
                    and sig.get("alg") == "ed25519")
    except OSError as exc:
        raise ManifestError(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError):
        raise ManifestError(f"{path.name} is not a valid batch manifest") from None
    if not ok_shape:
        raise ManifestError(f"{path.name} is not a batch manifest of this redact version")
    try:
        public_key.verify(value, canonical_json(body))
    except InvalidSignature:
        raise ManifestError(f"{path.name}: the signature does not verify with the case's "
                            "signing key (the manifest was altered or not made for this "
                            "case)", bad_signature=True) from None
    return body


@dataclass(frozen=True)
class Problem:
    """One disagreement: ``kind`` is signature, malformed, missing, changed, added or leftover."""

    kind: str
    path: str
    detail: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "path": self.path, "detail": self.detail}


@dataclass
class Verification:
    """What :func:`verify_case` found. ``ok`` is False if any problem is serious."""

    manifests: list[str] = field(default_factory=list)
    checked_files: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.manifests) and not any(p.kind != "leftover" for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "manifests": self.manifests, "checked_files": self.checked_files,
                "problems": [p.to_dict() for p in self.problems]}


def _case_files(case_path: Path) -> Iterator[tuple[str, Path]]:
    for top in _COVERED:
        base = case_path / top
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            if p.is_file():
                yield p.relative_to(case_path).as_posix(), p


def verify_case(case_path: Path, public_key: Ed25519PublicKey,
                run: str | None = None) -> Verification:
    """Check every manifest of the case (or only ``run``) against the files on disk.

    Signatures are checked first; a manifest whose signature fails is reported
    and its entries are not trusted. Then every file that the newest valid
    manifest entry vouches for must exist with the recorded SHA-256 (else
    *missing* or *changed*), and every file in ``redacted/``, ``sealed/`` and
    ``reports/`` must be vouched for by some manifest (else *added*; ``redact
    file --case`` writes a one-item manifest, :func:`write_item_manifest`; items
    stored by :meth:`Case.add_statement <redact.case.Case.add_statement>` alone
    are in no manifest and show up here). Left-over temporary files from an
    interrupted run are listed as *leftover* (not an error). With ``run``, only that manifest is
    checked, and *added* is not reported.
    """
    out = Verification()
    folder = case_path / MANIFESTS_DIR
    paths = sorted(p for p in folder.glob("*.json") if not p.name.startswith(".")) \
        if folder.is_dir() else []
    if run is not None:
        paths = [p for p in paths if p.stem == run]
        if not paths:
            raise ManifestError(f"the case has no manifest for run {run}",
                                f"List the runs in {folder}.")
    expected: dict[str, tuple[str, str]] = {}
    for p in paths:
        try:
            body = load_manifest(p, public_key)
        except ManifestError as exc:
            out.problems.append(Problem("signature" if exc.bad_signature else "malformed",
                                        f"{MANIFESTS_DIR}/{p.name}", exc.what))
            continue
        out.manifests.append(p.stem)
        for entry in body.get("files", []):
            if entry.get("status") not in _DONE:
                continue
            for key in ("output", "sealed", "report"):
                rel, digest = entry.get(key), entry.get(f"{key}_sha256")
                if isinstance(rel, str) and isinstance(digest, str):
                    expected[rel] = (digest, p.stem)
            extras = entry.get("companions")
            for extra in extras if isinstance(extras, list) else []:  # .txt beside a PDF
                rel, digest = (extra.get("path"), extra.get("sha256")) \
                    if isinstance(extra, dict) else (None, None)
                if isinstance(rel, str) and isinstance(digest, str):
                    expected[rel] = (digest, p.stem)
    for rel, (digest, run_id) in sorted(expected.items()):
        path = case_path / rel
        out.checked_files += 1
        if not path.is_file():
            out.problems.append(Problem("missing", rel, f"listed in run {run_id}"))
        elif sha256_file(path) != digest:
            out.problems.append(Problem("changed", rel,
                                        f"SHA-256 differs from run {run_id}'s manifest"))
    if run is None:
        for rel, p in _case_files(case_path):
            if rel in expected:
                continue
            if p.name.startswith(".") and p.name.endswith(".tmp"):
                out.problems.append(Problem("leftover", rel, "temporary file of an "
                                                              "interrupted write"))
            else:
                out.problems.append(Problem("added", rel, "not in any manifest"))
    if not paths:
        out.problems.append(Problem("missing", MANIFESTS_DIR, "the case has no manifest"))
    return out
