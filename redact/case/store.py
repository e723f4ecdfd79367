"""Storing a statement in a case: the original sealed to the recipients and bound to its
item, the real names behind new pseudonyms sealed, the redacted text and its report.

Order, so that a redacted output never exists without its sealed original:
(1) the original is sealed to a temporary file in ``sealed/``; (2) the real
names behind new pseudonyms are sealed into ``pseudonyms/names/``; (3) the
sealed original is renamed into place; (4) the redacted text and (5) the
report are written atomically (see :meth:`redact.case.Case.add_statement`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import tempfile
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from redact import seal as S
from redact._internal.durable import fsync_dir, fsync_file
from redact.case.layout import (
    CASE_VERSION,
    NAMES,
    NAMES_FORMAT,
    check_item,
    mkdir_private,
    write_atomic,
)
from redact.errors import CaseError, OutputError, SealedItemMismatchError, UnboundOriginalWarning
from redact.manifest import utc_now

if TYPE_CHECKING:
    from redact.case.folder import Case

__all__ = ["CasePaths", "item_of_statement", "statement_report", "binding_stanza",
           "seal_original", "binding_check", "item_paths", "companion_entries", "prepare_item",
           "seal_to_temp", "place_statement", "seal_names"]

#: The header stanza that binds a sealed original to its case and item (age tools skip it).
_BIND_TYPE = "redact-item"
_BIND_VERSION = "v1"
_CASE_ID_RE = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class CasePaths:
    """Where :meth:`Case.add_statement` put one item's files."""

    redacted: Path
    sealed: Path
    report: Path
    names: Path | None = None
    #: files written beside ``redacted`` (``redacted/<item><suffix>.txt`` for a PDF or image)
    companions: tuple[Path, ...] = ()


def statement_report(case_id: str, item: str, report: dict[str, Any], *, sealed_sha256: str,
                     recipients: int, suffix: str = ".txt",
                     companions: dict[str, bytes] | None = None) -> bytes:
    """The bytes of ``reports/<item>.json``: ``report`` (no plaintext) with the case's
    fields and the sealed original's SHA-256 (see :meth:`Case.add_statement`).

    ``companions`` (suffix -> bytes, see :meth:`Document.companions
    <redact.formats.base.Document.companions>`): listed under ``"companions"`` by path
    and SHA-256 (no text); the key is absent when there are none.
    """
    full = {"tool": "redact", "case_id": case_id, "item": item, **report,
            "sealed": {"path": f"sealed/{item}.age", "sha256": sealed_sha256,
                       "recipients": recipients},
            "redacted": f"redacted/{item}{suffix}"}
    if companions:
        full["companions"] = companion_entries(f"redacted/{item}{suffix}", companions)
    return (json.dumps(full, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def companion_entries(redacted: str, companions: dict[str, bytes]) -> list[dict[str, str]]:
    """``[{"path", "sha256"}]`` of the companions of the redacted file ``redacted`` (a path
    relative to the case), in suffix order: what reports and manifests record."""
    return [{"path": redacted + sfx, "sha256": hashlib.sha256(data).hexdigest()}
            for sfx, data in sorted(companions.items())]


def item_of_statement(case: Case, statement: str | os.PathLike[str], *,
                      overwrite: bool = False) -> str:
    """The item name of ``statement`` in ``case``: its file name without extension
    (visible in the case folder: never name a statement file after a person).

    Refuses (:class:`~redact.errors.OutputError`) a statement inside the case folder,
    and an item the case already holds unless ``overwrite``. Needs no key (``redact file
    --case`` and ``redact review --case`` check this before asking for the passphrase).
    """
    item = Path(statement).stem
    if case.path.resolve() in Path(statement).resolve().parents:
        raise OutputError(f"the statement {statement} is inside the case folder; storing it "
                          "would write over it",
                          "Give the original statement from outside the case folder.")
    if not overwrite and case.has_item(item):
        raise OutputError(f"the case already holds an item named {item}",
                          "Rename the statement file, or replace the item with --force.")
    return item


# ---- binding a sealed original to its case and item ----------------------------------------


def _item_digest(case_id: str, item: str) -> bytes:
    return hashlib.sha256(f"redact-item/v1\0{case_id}\0{item}".encode()).digest()


def binding_stanza(case_id: str, item: str) -> S.Stanza:
    """``-> redact-item v1 <case_id>`` with body SHA-256(case id, item): binds a sealed
    original to its place. The header MAC authenticates it (only a holder of the file
    key, i.e. of a recipient's identity, could make another one for the same
    payload); age tools ignore a stanza type they do not know, so the file stays an
    ordinary age file whose payload is the original's bytes."""
    if not _CASE_ID_RE.match(case_id):
        raise CaseError("case.json holds a malformed case_id",
                        "Restore case.json from a backup of the case.")
    return S.Stanza((_BIND_TYPE, _BIND_VERSION, case_id), _item_digest(case_id, item))


def seal_original(original: bytes, recipients: Sequence[S.Recipient | str], case_id: str,
                  item: str, *, allow_mixed_pq: bool = False) -> bytes:
    """``original`` sealed to ``recipients`` and bound to ``case_id`` and ``item``."""
    return S.seal_bytes(original, recipients, allow_mixed_pq=allow_mixed_pq,
                        extra_stanzas=[binding_stanza(case_id, item)])


def binding_check(case_id: str, item: str, *, required: bool,
                   warn: bool = True) -> Callable[[S.Header], None]:
    """The check a sealed original's authenticated header must pass to open as ``item``.

    A file bound elsewhere raises :class:`SealedItemMismatchError`. A file with no
    binding (sealed by redact before bindings existed) raises it too if
    ``required`` (the case binds every original), else opens with an
    :class:`UnboundOriginalWarning` (if ``warn``).
    """
    where = f"sealed/{item}.age"

    def check(header: S.Header) -> None:
        found = [st for st in header.stanzas if st.type == _BIND_TYPE]
        if not found:
            if required:
                raise SealedItemMismatchError(
                    f"{where} is not bound to a case and item, and every original of this "
                    "case is (it was put there from elsewhere, or by an older redact)")
            if warn:
                warnings.warn(f"{where} was sealed by an older redact and is not bound to "
                              "its case and item: a swap with another item, or with a case "
                              "that shares a recipient, would not be noticed",
                              UnboundOriginalWarning, stacklevel=2)
            return
        st = found[0]
        if len(found) != 1 or st.args[1:2] != (_BIND_VERSION,) or len(st.args) != 3:
            raise SealedItemMismatchError(f"{where} carries a binding this redact does not "
                                          "understand", "Open it with the redact version "
                                          "that sealed it, or check who changed the case.")
        if st.args[2] != case_id:
            raise SealedItemMismatchError(
                f"{where} was sealed for another case ({st.args[2][:8]}…, this case is "
                f"{case_id[:8]}…): it was moved or copied here")
        if not hmac.compare_digest(st.body, _item_digest(case_id, item)):
            raise SealedItemMismatchError(
                f"{where} was sealed for another item of this case: it was moved or "
                "renamed")

    return check



# ---- the files of one statement -----------------------------------------------------------


def item_paths(folder: Path, item: str, suffix: str,
               companions: Sequence[str] = ()) -> CasePaths:
    """Where the files of ``item`` go in the case ``folder`` (``item`` and ``suffix``
    checked); ``companions``: the suffixes of the files beside the redacted one
    (``redacted/<item><suffix><companion suffix>``, as ``redact file`` names them)."""
    check_item(item)
    for sfx in (suffix, *companions):
        if not re.fullmatch(r"\.[A-Za-z0-9]{1,10}", sfx):
            raise ValueError("suffix must look like '.txt'")
    redacted = folder / "redacted" / (item + suffix)
    return CasePaths(redacted=redacted,
                     sealed=folder / "sealed" / (item + ".age"),
                     report=folder / "reports" / (item + ".json"),
                     companions=tuple(redacted.with_name(redacted.name + sfx)
                                      for sfx in sorted(companions)))


def prepare_item(folder: Path, item: str, paths: CasePaths, overwrite: bool) -> None:
    """Create the subfolders of a subfolder item; refuse an existing item unless
    ``overwrite`` (the caller holds the case lock)."""
    if "/" in item:
        for p in (paths.sealed, paths.redacted, paths.report):
            _make_item_folders(folder, p.parent)
    if not overwrite:
        for p in (paths.sealed, paths.redacted, *paths.companions, paths.report):
            if p.exists():
                raise OutputError(f"{p} already exists in the case; refusing to "
                                  "overwrite it", "Choose another item name, or "
                                  "overwrite explicitly (--force).")


def _make_item_folders(case_folder: Path, folder: Path) -> None:
    """Create the subfolders of a subfolder item (mode 0700), inside the case only."""
    missing = []
    while not folder.is_dir():
        if folder == case_folder or case_folder not in folder.parents:
            raise CaseError(f"{folder} is not inside the case folder")
        missing.append(folder)
        folder = folder.parent
    for f in reversed(missing):
        try:
            mkdir_private(f)
        except FileExistsError:
            pass
        except OSError as exc:
            raise OutputError(f"cannot create {f}: {exc.strerror}") from None


class _Hashing:
    """A writer that passes bytes on to ``fh`` and hashes them (SHA-256) on the way."""

    def __init__(self, fh: Any) -> None:
        self.fh, self.sha256 = fh, hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        return int(self.fh.write(data))


def seal_to_temp(folder: Path, prefix: str, item: str, original: bytes,
                 recipients: Sequence[S.Recipient], case_id: str,
                 allow_mixed_pq: bool) -> tuple[Path, str]:
    """``original`` sealed (and bound to ``case_id`` and ``item``) into a new temporary
    file ``folder/PREFIX*.tmp`` (mode 0600), made durable; returns its path and the
    SHA-256 of its content. Nothing is left if it fails. ``file --case`` renames it into
    place itself; a batch worker hands it to the parent, which does."""
    try:
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"cannot create the sealed original in {folder}: "
                          f"{exc.strerror}") from None
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            out = _Hashing(fh)
            S.seal(io.BytesIO(original), out, recipients, allow_mixed_pq=allow_mixed_pq,
                   extra_stanzas=[binding_stanza(case_id, item)])
            fh.flush()
            fsync_file(fh.fileno())
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(exc, OSError):  # disk full, quota, I/O error: a clear message
            raise OutputError(f"cannot write the sealed original in {folder}: "
                              f"{exc.strerror}", "Free disk space in the case folder, then "
                              "run the same command again; nothing was written for this "
                              "statement.") from None
        raise
    return tmp, out.sha256.hexdigest()


def place_statement(paths: CasePaths, tmp: Path, data: bytes,
                    report: Callable[[Path], bytes], overwrite: bool,
                    flush_names: Callable[[], Path | None],
                    companions: Sequence[bytes] = ()) -> Path | None:
    """Steps (2) to (5): the report's bytes from ``report(tmp)``, ``flush_names()``, the
    sealed temporary file ``tmp`` renamed into place (removed if anything fails), then
    the redacted text ``data``, the ``companions`` (bytes of ``paths.companions``, in
    order) and the report. Returns what ``flush_names`` wrote."""
    if len(companions) != len(paths.companions):
        raise ValueError("place_statement needs one content per companion path")
    try:
        report_bytes = report(tmp)
        names = flush_names()
        if overwrite:
            os.replace(tmp, paths.sealed)
        else:
            try:
                os.link(tmp, paths.sealed)
            except FileExistsError:
                raise OutputError(f"{paths.sealed} already exists; refusing to "
                                  "overwrite it") from None
    except OSError as exc:
        raise OutputError(f"cannot write {paths.sealed}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(paths.sealed.parent)
    write_atomic(paths.redacted, data, overwrite=overwrite)
    for path, extra in zip(paths.companions, companions, strict=True):
        write_atomic(path, extra, overwrite=overwrite)
    write_atomic(paths.report, report_bytes, overwrite=overwrite)
    return names


def seal_names(folder: Path, case_id: str, names: list[dict[str, Any]],
               recipients: Sequence[S.Recipient], allow_mixed_pq: bool) -> Path:
    """Seal ``names`` (the real names behind new labels) to ``recipients`` as a new
    ``pseudonyms/names/<time>-<random>.age`` of the case ``folder``; return its path."""
    doc = json.dumps({"format": NAMES_FORMAT, "version": CASE_VERSION,
                      "case_id": case_id, "created": utc_now(),
                      "names": names}, ensure_ascii=False).encode("utf-8")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / NAMES / f"{stamp}-{secrets.token_hex(4)}.age"
    write_atomic(path, S.seal_bytes(doc, recipients, allow_mixed_pq=allow_mixed_pq),
                 overwrite=False)
    return path
