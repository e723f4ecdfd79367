"""The case-wide pseudonym index: labels shared by every process that redacts into a
case, kept in ``pseudonyms/index.jsonl`` as keyed hashes and labels (never a name).

The index is a log, appended under a file lock: ``{"new": prefix, "n": n}``
(a label was made), ``{"k": key, "kind": kind, "label": label}`` (a keyed form
was filed under a label) and ``{"named": key}`` (the real form behind the key
is sealed in ``pseudonyms/names/``). See ``docs/pseudonyms.md``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import threading
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from redact.case.layout import INDEX, INDEX_LOCK
from redact.errors import CaseError
from redact.io import read_appended
from redact.pseudonyms import PseudonymIndex

__all__ = ["CasePseudonymIndex", "apply_index_lines"]


def apply_index_lines(data: bytes, index: PseudonymIndex,
                      named: set[str] | None = None) -> None:
    """Add whole lines of ``pseudonyms/index.jsonl`` to ``index``'s label tables.

    Known keys keep their label; label counters only grow; ``{"named": key}``
    lines go to ``named`` if given. Raises ``ValueError``, ``KeyError`` or
    ``TypeError`` at a line that is not valid.
    """
    for raw in data.splitlines():
        if not raw.strip():
            continue
        line = json.loads(raw)
        if "new" in line:
            index.learn_count(str(line["new"]), int(line["n"]))
        elif "named" in line:
            if named is not None:
                named.add(str(line["named"]))
        else:
            k, kind, label = str(line["k"]), line["kind"], str(line["label"])
            index.learn(kind, k, label)


def _keyed(hmac_key: bytes, entity: str, form: str) -> str:
    return hmac.new(hmac_key, f"{entity}\x00{form}".encode(), hashlib.sha256).hexdigest()


class _PreviewIndex(PseudonymIndex):
    """An in-memory copy of a case's index, keyed alike, that never writes
    (:meth:`CasePseudonymIndex.preview`)."""

    def __init__(self, hmac_key: bytes) -> None:
        super().__init__()
        self._hmac_key = hmac_key

    def key(self, entity: str, form: str) -> str:
        """HMAC-SHA256 of ``entity + NUL + form`` under the case pseudonym key (hex)."""
        return _keyed(self._hmac_key, entity, form)


class CasePseudonymIndex(PseudonymIndex):
    """Case-wide pseudonym labels, shared by every process and thread that redacts into a case.

    Keys are ``HMAC-SHA256(pseudonym_key, entity + "\\0" + normalised form)``:
    the on-disk index (``pseudonyms/index.jsonl``) holds only these keys and
    the labels, never a name. Each lookup takes an exclusive ``fcntl`` lock on
    ``pseudonyms/index.lock``, first reads the lines other processes appended,
    and appends (with fsync) what it adds before releasing the lock, so
    parallel runs agree on labels.

    The real forms behind new keys are kept in memory only, until
    :meth:`take_new_names` hands them to the case, which seals them to the
    case's recipients (``pseudonyms/names/``).
    """

    def __init__(self, folder: Path, pseudonym_key: bytes) -> None:
        super().__init__()
        if len(pseudonym_key) != 32:
            raise ValueError("the pseudonym key must be 32 bytes")
        self._folder = folder
        self._hmac_key = pseudonym_key
        self._index_path = folder / INDEX
        self._offset = 0
        self._lock_fd: int | None = None
        self._sync_later = False  # inside group_commit(): one fsync at its end
        self._unsynced = False
        self._lock_pid = os.getpid()
        self._held_by: int | None = None
        self._broken = False
        self._lines: list[dict[str, Any]] = []
        self._call_names: dict[str, dict[str, Any]] = {}
        self._new_names: dict[str, dict[str, Any]] = {}
        self._names_lock = threading.Lock()
        # keys whose real forms are sealed in pseudonyms/names/ ({"named": k} index lines):
        # a key found in the index but not here (its run was killed before the names were
        # sealed) has its form sealed again by the next statement that uses it
        self._named: set[str] = set()
        self._tls = threading.local()
        # Read what is already there (under the lock) so len() is right from the start.
        with self._transaction():
            pass

    # ---- keys ----------------------------------------------------------------------------

    def key(self, entity: str, form: str) -> str:
        """HMAC-SHA256 of ``entity + NUL + form`` under the case pseudonym key (hex)."""
        current = getattr(self._tls, "forms", None)
        k = _keyed(self._hmac_key, entity, form)
        if current is not None:
            current[k] = form
        return k

    @property
    def lock_fd(self) -> int | None:
        """The index lock's file descriptor, if open (a forked batch worker must close its
        copy)."""
        return self._lock_fd

    def log_position(self) -> tuple[Path, int]:
        """The index file and how much of it this process has read (a forked worker reads
        the lines appended after it)."""
        return self._index_path, self._offset

    def label_for(self, entity: str, prefix: str, full_forms: Sequence[str],
                  part_forms: Sequence[str] = (), *, avoid: Collection[str] = ()) -> str:
        """See :meth:`PseudonymIndex.label_for`; also remembers new forms for sealing."""
        self._tls.forms = {}
        self._tls.entity = entity
        try:
            label = super().label_for(entity, prefix, full_forms, part_forms, avoid=avoid)
            self._renew_unnamed(entity, self._tls.forms)
            return label
        except BaseException:
            self._abort()
            raise
        finally:
            self._tls.forms = None
            self._tls.entity = None

    def _renew_unnamed(self, entity: str, forms: dict[str, str]) -> None:
        """Queue for sealing the forms of known keys whose real names were never sealed."""
        again = []
        for k, form in forms.items():
            if k in self._named:
                continue
            # as _record files them: a full form under "forms", solo and part under "parts"
            for table, label in self.filed(k):
                kind = "forms" if table == "full" else "parts"
                again.append({"label": label, "entity": entity,
                              "forms": [form] if kind == "forms" else [],
                              "parts": [form] if kind == "parts" else [], "keys": [k]})
        if again:
            self.give_back_names(again)

    def preview(self) -> PseudonymIndex:
        """A copy of the index as it is now, in memory: known names get their case labels,
        new ones the labels the case would give them next, but nothing it assigns is
        written or sealed (``redact review --case`` shows statements with it until the
        editor publishes). Each call reads the latest state."""
        copy = _PreviewIndex(self._hmac_key)
        with self._transaction():  # under the lock: every complete line, none half-written
            try:
                with open(self._index_path, "rb") as fh:
                    data = fh.read(self._offset)
            except OSError as exc:
                raise CaseError(f"cannot read the pseudonym index: {exc.strerror}") from None
        apply_index_lines(data, copy)
        return copy

    def take_new_names(self) -> list[dict[str, Any]]:
        """The (label, entity, forms, parts) recorded since the last call; clears them.

        Plaintext: the caller must seal them (the case does) and never log them.
        """
        with self._names_lock:
            out = [{"label": label, **v} for label, v in self._new_names.items()]
            self._new_names = {}
        return out

    def give_back_names(self, names: Iterable[dict[str, Any]]) -> None:
        """Put names back after a failed seal, so the next flush retries them."""
        with self._names_lock:
            for n in names:
                cur = self._new_names.setdefault(
                    n["label"], {"entity": n["entity"], "forms": [], "parts": [], "keys": []})
                cur["forms"] += [f for f in n["forms"] if f not in cur["forms"]]
                cur["parts"] += [p for p in n["parts"] if p not in cur["parts"]]
                cur["keys"] += [k for k in n.get("keys", []) if k not in cur["keys"]]

    def mark_named(self, keys: Iterable[str]) -> None:
        """Record (``{"named": k}`` index lines) that the forms of ``keys`` are now sealed."""
        todo = sorted({k for k in keys if k not in self._named})
        if not todo:
            return
        with self._transaction():
            self._lines = [{"named": k} for k in todo]
        self._named.update(todo)

    @contextlib.contextmanager
    def group_commit(self) -> Iterator[None]:
        """Appends inside the block are made durable by one fsync at its end, not one each.

        For planning many statements before any of them is written (a batch run
        plans a group, then writes it): the labels reach the disk before an
        output that uses them, as with an fsync per append. Raises
        :class:`CaseError` if the final fsync fails (the index is then unusable
        in this process: nothing must be written with its labels). Other
        processes see the lines at once; one that reuses such a label without
        adding its own (which would fsync the file) and writes within the block's
        few milliseconds could, after a power cut, hold a label the index lost.
        """
        if self._sync_later:
            yield
            return
        self._sync_later = True
        try:
            yield
        finally:
            self._sync_later = False
            if self._unsynced:
                self._unsynced = False
                try:
                    fd = os.open(self._index_path, os.O_RDONLY)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
                except OSError as exc:
                    self._broken = True
                    raise CaseError(f"cannot make the pseudonym index durable: {exc.strerror}",
                                    "Check the disk of the case folder, then run again; "
                                    "nothing was written with the new labels.") from None

    # ---- hooks (see PseudonymIndex) ----------------------------------------------------------

    def _begin(self) -> None:
        if self._broken:
            raise CaseError("the pseudonym index of this process is inconsistent after an "
                            "earlier error; nothing more is written with it",
                            "Open the case again (start a new run).")
        if self._held_by is not None:  # a stale hold from an aborted call
            self._abort()
            raise CaseError("the pseudonym index was left locked by a failed call",
                            "Open the case again (start a new run).")
        if self._lock_fd is not None and self._lock_pid != os.getpid():
            # A forked worker: flock is per open file, so open our own.
            self._lock_fd = None
            self._held_by = None
        if self._lock_fd is None:
            self._lock_pid = os.getpid()
            try:
                self._lock_fd = os.open(self._folder / INDEX_LOCK,
                                        os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as exc:
                raise CaseError(f"cannot open the pseudonym index lock: {exc.strerror}") from None
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._held_by = threading.get_ident()
        self._lines = []
        self._call_names = {}
        try:
            self._read_new_lines()
        except BaseException:
            self._release()
            raise

    def _read_new_lines(self) -> None:
        try:
            data = read_appended(self._index_path, self._offset)
        except OSError as exc:
            raise CaseError(f"cannot read the pseudonym index: {exc.strerror}") from None
        complete = data.rfind(b"\n") + 1
        if complete < len(data):
            # A writer crashed mid-line; we hold the lock, so cut the partial line off.
            with open(self._index_path, "r+b") as fh:
                fh.truncate(self._offset + complete)
                fh.flush()
                os.fsync(fh.fileno())
        try:
            apply_index_lines(data[:complete], self, self._named)
        except (ValueError, KeyError, TypeError):
            raise CaseError(f"the pseudonym index {self._index_path} is damaged (a line "
                            f"after byte {self._offset} of it is not valid)",
                            "Restore pseudonyms/index.jsonl from a backup of the case.")\
                from None
        self._offset += complete

    def _new_label(self, prefix: str, n: int) -> None:
        self._lines.append({"new": prefix, "n": n})

    def _record(self, kind: str, key: str, label: str) -> None:
        self._lines.append({"k": key, "kind": kind, "label": label})
        forms = getattr(self._tls, "forms", None) or {}
        form = forms.get(key)
        if form is not None:
            entry = self._call_names.setdefault(
                label, {"entity": getattr(self._tls, "entity", None) or "", "forms": [],
                        "parts": [], "keys": []})
            entry["forms" if kind == "full" else "parts"].append(form)
            entry["keys"].append(key)

    def _commit(self) -> None:
        try:
            if self._lines:
                data = "".join(json.dumps(line, separators=(",", ":")) + "\n"
                               for line in self._lines).encode("utf-8")
                self._append(data)
                self._offset += len(data)
                if self._call_names:
                    self.give_back_names({"label": k, **v} for k, v in self._call_names.items())
        except BaseException:
            self._broken = True
            raise
        finally:
            self._lines = []
            self._call_names = {}
            self._release()

    def _append(self, data: bytes) -> None:
        fd = os.open(self._index_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if self._sync_later:
                self._unsynced = True
            else:
                os.fsync(fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self._offset)
            raise CaseError(f"cannot append to the pseudonym index: {exc.strerror}",
                            "Check the disk space of the case folder; nothing was written "
                            "for this statement.") from None
        finally:
            os.close(fd)

    def _release(self) -> None:
        if self._lock_fd is not None and self._held_by is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        self._held_by = None

    def _abort(self) -> None:
        """An exception escaped label_for: memory may be ahead of the disk."""
        if self._held_by is not None:
            self._broken = True
            self._lines = []
            self._call_names = {}
            self._release()

    def close(self) -> None:
        """Release the lock file descriptor."""
        if self._lock_fd is not None:
            self._release()
            os.close(self._lock_fd)
            self._lock_fd = None
