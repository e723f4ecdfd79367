"""Case folders: the statements of one investigation, their sealed originals, and
case-wide pseudonyms that the redaction machine assigns without being able to
list the real names.

A case is a folder (mode 0700)::

    case.json                      format, recipients, policy fingerprint, public keys; no secret
    policy.yaml                    the effective policy (``extends`` resolved) without its
                                   allow and deny lists
    keys/policy-lists.sealed       those lists, sealed under a key derived from the case secret
    keys/case-secret.age           the case secret, sealed to the case's recipients
    keys/case-secret.pass.age      the same secret, sealed with the case passphrase (scrypt)
    pseudonyms/index.jsonl         keyed hashes of name forms -> labels (append-only)
    pseudonyms/names/*.age         real names behind new labels, sealed to the recipients
    redacted/ITEM.txt              the redacted statement
    sealed/ITEM.age                the original, sealed to the recipients
    reports/ITEM.json              what was done where (no plaintext identifier)

Typical use on the redaction laptop, which holds only the case passphrase::

    from redact import Case

    case = Case.open("cases/chechnya-2024")
    with case.loading_model():  # the model loads while the passphrase is typed
        case.unlock(passphrase=getpass.getpass())
    with case:
        redactor = case.redactor()
        raw = Path("interview-07.txt").read_bytes()
        result = redactor.redact(raw.decode("utf-8"))
        case.add_statement("interview-07", raw, result.text, result.to_report())

and on the editor's machine, which holds an identity of a recipient::

    ids = seal.load_identity_file("~/.config/redact/identity.txt")
    original = Case.open("cases/chechnya-2024").reveal("interview-07", ids)

See ``docs/cases.md`` (layout, commands, recipient rotation) and
``docs/pseudonyms.md`` (the pseudonym design and what a thief learns).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import shutil
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from redact import seal as S
from redact._internal.durable import atomic_output, fsync_dir, fsync_file
from redact.errors import (
    AgeError,
    AgeNoMatchError,
    CaseError,
    CaseLockedError,
    CasePassphraseError,
    OutputError,
    RecipientError,
    SealedItemMismatchError,
    UnboundOriginalWarning,
)
from redact.io import read_appended, sha256_file
from redact.manifest import utc_now
from redact.pseudonyms import PseudonymIndex, normalize_form

if TYPE_CHECKING:
    from redact.policy import Policy
    from redact.redactor import Redactor

__all__ = ["Case", "CasePaths", "CasePseudonymIndex", "CASE_FORMAT", "CASE_VERSION",
           "binding_stanza", "seal_original", "load_case_policy"]

CASE_FORMAT = "redact-case"
CASE_VERSION = 1
_SECRET_FORMAT = "redact-case-secret"
_NAMES_FORMAT = "redact-case-names"
_LISTS_FORMAT = "redact-case-lists"

_CASE_JSON = "case.json"
_POLICY = "policy.yaml"
_LOCK = "case.lock"
_SECRET = "keys/case-secret.age"
_SECRET_PASS = "keys/case-secret.pass.age"
#: the policy's allow and deny lists, sealed under a key derived from the case secret
_LISTS = "keys/policy-lists.sealed"
_INDEX = "pseudonyms/index.jsonl"
_INDEX_LOCK = "pseudonyms/index.lock"
_NAMES = "pseudonyms/names"
_DIRS = ("keys", "pseudonyms", _NAMES, "redacted", "sealed", "reports")

#: The header stanza that binds a sealed original to its case and item (age tools skip it).
_BIND_TYPE = "redact-item"
_BIND_VERSION = "v1"
_CASE_ID_RE = re.compile(r"^[0-9a-f]{32}$")

_ITEM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_MIN_PASSPHRASE = 8
_PathLike = str | os.PathLike[str]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise CaseError(f"the case secret is malformed ({what} is not base64)",
                        "Restore keys/ from a backup of the case.") from None


def _write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Temp file in the same folder, fsync, rename (mode 0600)."""
    with atomic_output(path, 0o600, overwrite=overwrite) as fh:
        fh.write(data)


def statement_report(case_id: str, item: str, report: dict[str, Any], *, sealed_sha256: str,
                     recipients: int, suffix: str = ".txt") -> bytes:
    """The bytes of ``reports/<item>.json``: ``report`` (no plaintext) with the case's
    fields and the sealed original's SHA-256 (see :meth:`Case.add_statement`)."""
    full = {"tool": "redact", "case_id": case_id, "item": item, **report,
            "sealed": {"path": f"sealed/{item}.age", "sha256": sealed_sha256,
                       "recipients": recipients},
            "redacted": f"redacted/{item}{suffix}"}
    return (json.dumps(full, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


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


def _binding_check(case_id: str, item: str, *, required: bool,
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


# ---- the policy's allow and deny lists, sealed under the case secret ---------------------


def _lists_key(pseudonym_key: bytes) -> bytes:
    """Key of ``keys/policy-lists.sealed``: HMAC-SHA256(pseudonym key, "redact/case-lists/v1").

    The pseudonym key is what either unlock (passphrase or identity) yields, and it
    never changes (recipient rotation and a new passphrase keep it), so the lists
    file is written once and never re-sealed.
    """
    return hmac.new(pseudonym_key, b"redact/case-lists/v1", hashlib.sha256).digest()


def _lists_aad(case_id: str) -> bytes:
    return json.dumps({"format": _LISTS_FORMAT, "version": 1, "case_id": case_id},
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def _policy_lists(policy: Policy) -> dict[str, list[dict[str, Any]]]:
    data = policy.to_dict()
    return {"allow": data["allow"], "deny": data["deny"]}


def _seal_lists(key: bytes, case_id: str, lists: dict[str, list[dict[str, Any]]]) -> bytes:
    """The bytes of ``keys/policy-lists.sealed``: JSON around a ChaCha20-Poly1305 box."""
    nonce = secrets.token_bytes(12)
    plain = json.dumps(lists, ensure_ascii=False).encode("utf-8")
    box = ChaCha20Poly1305(key).encrypt(nonce, plain, _lists_aad(case_id))
    doc = {"format": _LISTS_FORMAT, "version": 1, "case_id": case_id,
           "alg": "ChaCha20-Poly1305; key HMAC-SHA256(pseudonym_key, 'redact/case-lists/v1')",
           "nonce": _b64(nonce), "sealed": _b64(box)}
    return (json.dumps(doc, indent=1) + "\n").encode("utf-8")


def _open_lists(folder: Path, key: bytes, case_id: str) -> dict[str, list[dict[str, Any]]]:
    path = folder / _LISTS
    todo = "Restore keys/ and case.json from the same backup of the case."
    try:
        doc = json.loads(path.read_bytes())
        nonce = base64.b64decode(doc["nonce"], validate=True)
        box = base64.b64decode(doc["sealed"], validate=True)
        lists = json.loads(ChaCha20Poly1305(key).decrypt(nonce, box, _lists_aad(case_id)))
        if not (isinstance(lists.get("allow"), list) and isinstance(lists.get("deny"), list)):
            raise ValueError
    except FileNotFoundError:
        raise CaseError(f"{path} is missing (the case's sealed allow and deny lists)",
                        todo) from None
    except OSError as exc:
        raise CaseError(f"cannot read {path}: {exc.strerror}", todo) from None
    except (InvalidTag, ValueError, KeyError, TypeError, AttributeError):
        raise CaseError(f"{path} does not open with this case's key: it is damaged or "
                        "belongs to another case", todo) from None
    return {"allow": lists["allow"], "deny": lists["deny"]}


def _public_policy_text(policy: Policy, source: str) -> bytes:
    """``policy.yaml`` of a case: the effective policy with its allow and deny lists empty."""
    header = (f"# Effective policy of this case, copied from {source}\n"
              "# (extends resolved, defaults filled in), without its allow and deny lists:\n"
              f"# they are sealed in {_LISTS} and read once the case is unlocked.\n"
              "# Do not edit: case.json holds the fingerprint of the whole policy, and a\n"
              "# changed policy is refused.\n")
    data = {**policy.to_dict(), "allow": [], "deny": []}
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)).encode("utf-8")


def load_case_policy(folder: _PathLike, lists_key: bytes | None = None,
                     meta: dict[str, Any] | None = None) -> Policy:
    """The whole policy of the case in ``folder``: ``policy.yaml`` with the allow and deny
    lists of ``keys/policy-lists.sealed`` (opened with ``lists_key``, see
    :meth:`Case.lists_key`), checked against the fingerprint in ``case.json``.

    Without ``lists_key`` only a case whose lists are empty, or an older case that
    keeps them in ``policy.yaml`` (sealed at its next unlock), gives its policy;
    otherwise :class:`~redact.errors.CaseLockedError`. A changed policy, or lists
    in ``policy.yaml`` that are not the sealed ones, is a :class:`CaseError`.
    """
    from redact.policy import Policy

    folder = Path(folder)
    meta = _read_meta(folder) if meta is None else meta
    path = folder / _POLICY
    changed = CaseError(f"{path} was changed after the case was created (its fingerprint "
                        "does not match case.json)",
                        "Restore the case's policy.yaml; a case keeps one policy so that its "
                        "statements are redacted alike.")
    public = Policy.load(path)
    want = meta["policy"]["sha256"]
    sealed = meta["policy"].get("sealed_lists")
    if sealed is None or public.sha256() == want:
        policy = public  # lists in the clear (an older case) or empty
    elif lists_key is None:
        raise CaseLockedError(f"the allow and deny lists of the case {folder} are sealed: "
                              "its policy is known once the case is unlocked")
    else:
        lists = _open_lists(folder, lists_key, str(meta["case_id"]))
        if (public.allow or public.deny) and _policy_lists(public) != lists:
            raise changed  # lists left in policy.yaml by an interrupted migration only
        data = {**public.to_dict(), **lists}
        policy = Policy.from_dict(data, base_dir=folder, name=str(path))
    if policy.sha256() != want:
        raise changed
    return policy


def _mkdir_private(path: Path) -> None:
    path.mkdir(mode=0o700)
    os.chmod(path, 0o700)


@dataclass(frozen=True)
class CasePaths:
    """Where :meth:`Case.add_statement` put one item's files."""

    redacted: Path
    sealed: Path
    report: Path
    names: Path | None = None


# ---------------------------------------------------------------------------------------
# The case-wide pseudonym index
# ---------------------------------------------------------------------------------------


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
            prefix, n = str(line["new"]), int(line["n"])
            index._counts[prefix] = max(index._counts.get(prefix, 0), n + 1)
        elif "named" in line:
            if named is not None:
                named.add(str(line["named"]))
        else:
            k, kind, label = str(line["k"]), line["kind"], str(line["label"])
            table = {"full": index._full, "solo": index._solo}.get(kind, index._part)
            table.setdefault(k, label)


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
        self._index_path = folder / _INDEX
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
        self._begin()
        self._commit()

    # ---- keys ----------------------------------------------------------------------------

    def key(self, entity: str, form: str) -> str:
        """HMAC-SHA256 of ``entity + NUL + form`` under the case pseudonym key (hex)."""
        current = getattr(self._tls, "forms", None)
        k = hmac.new(self._hmac_key, f"{entity}\x00{form}".encode(), hashlib.sha256).hexdigest()
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
                  part_forms: Sequence[str] = ()) -> str:
        """See :meth:`PseudonymIndex.label_for`; also remembers new forms for sealing."""
        self._tls.forms = {}
        self._tls.entity = entity
        try:
            label = super().label_for(entity, prefix, full_forms, part_forms)
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
            for table, kind in ((self._full, "forms"), (self._solo, "parts"),
                                (self._part, "parts")):
                label = table.get(k)
                if label is not None:
                    again.append({"label": label, "entity": entity,
                                  "forms": [form] if kind == "forms" else [],
                                  "parts": [form] if kind == "parts" else [], "keys": [k]})
        if again:
            self.give_back_names(again)

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
        with self._lock:
            self._begin()
            self._lines = [{"named": k} for k in todo]
            self._commit()
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

    def labels(self) -> list[str]:
        """Every label of the case, in allocation order."""
        seen: dict[str, None] = {}
        for label in list(self._full.values()) + list(self._part.values()):
            seen.setdefault(label, None)
        return list(seen)

    # ---- hooks ---------------------------------------------------------------------------

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
                self._lock_fd = os.open(self._folder / _INDEX_LOCK,
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


# ---------------------------------------------------------------------------------------
# The case
# ---------------------------------------------------------------------------------------


class Case:
    """A case folder. Create one with :meth:`init`, open one with :meth:`open`.

    Opening reads ``case.json`` only (no secret). Redacting into the case needs
    :meth:`unlock` (the case passphrase, or an identity of a recipient);
    :meth:`reveal`, :meth:`pseudonym_table` and :meth:`change_recipients` need
    an identity of a current recipient. Every sealed file is a standard age
    file that any age 1.3+ tool can open with that identity.
    """

    def __init__(self, path: Path, meta: dict[str, Any]) -> None:
        self.path = path
        self._meta = meta
        self._secret: dict[str, bytes] | None = None
        self._policy: Policy | None = None
        self._index: CasePseudonymIndex | None = None
        self._redactor: Redactor | None = None
        self._redactor_lock = threading.Lock()

    # ---- creating and opening ------------------------------------------------------------

    @classmethod
    def init(cls, path: _PathLike, recipients: Sequence[S.Recipient | str],
             policy_path: _PathLike | None = None, *,
             passphrase: bytes | str | None = None, work_factor: int = 18,
             allow_mixed_pq: bool = False) -> Case:
        """Create a new case folder at ``path`` and return it (unlocked).

        ``recipients`` (``age1pq1...`` strings or recipient objects) are who can
        read the originals and the real-name table. ``policy_path`` is a policy
        file or a shipped policy name (default ``testimony.yaml``); its
        effective form is copied into the case. ``passphrase`` is the case
        passphrase typed on the redaction machine to start a run (scrypt with
        ``work_factor``, log2 of N); without it, only an identity can unlock the
        case. ``path`` must not exist, or be an empty folder. The folder is built
        beside ``path`` and renamed into place: a failure leaves nothing.

        Raises :class:`~redact.errors.RecipientError`,
        :class:`~redact.errors.PolicyError` or :class:`~redact.errors.CaseError`.
        """
        from redact.policy import Policy

        target = Path(path).expanduser()
        if target.exists() and (not target.is_dir() or any(target.iterdir())):
            raise CaseError(f"{target} already exists and is not an empty folder",
                            "Choose a new case folder path.")
        recs = _parse_recipients(recipients)
        if not allow_mixed_pq:
            kinds = {type(r) for r in recs}
            if len(kinds) > 1:
                raise RecipientError(
                    "the recipients mix post-quantum (age1pq1...) and classic (age1...) keys; "
                    "the case would only be as strong as the classic ones",
                    "Give only age1pq1... recipients (or pass allow_mixed_pq=True).")
        if passphrase is not None and len(passphrase) < _MIN_PASSPHRASE:
            raise CaseError(f"the case passphrase is shorter than {_MIN_PASSPHRASE} characters",
                            "Use a long passphrase (several random words): it is all that "
                            "protects the pseudonym key on the redaction machine.")
        S.ScryptRecipient("x", work_factor)  # validates the range
        policy = Policy.load(None if policy_path is None else str(policy_path))
        parent = target.parent
        if not parent.is_dir():
            raise CaseError(f"the folder {parent} does not exist")
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=parent))
        try:
            os.chmod(tmp, 0o700)
            for d in _DIRS:
                _mkdir_private(tmp / d)
            pseudonym_key = secrets.token_bytes(32)
            signing = Ed25519PrivateKey.generate()
            signing_raw = signing.private_bytes_raw()
            case_id = secrets.token_hex(16)
            # The effective policy, self-contained, without its allow and deny lists (the
            # names a case protects): those are sealed under the case secret.
            source = Path(policy.sources[-1]).name
            _write_atomic(tmp / _POLICY, _public_policy_text(policy, source), overwrite=False)
            lists = _policy_lists(policy)
            _write_atomic(tmp / _LISTS, _seal_lists(_lists_key(pseudonym_key), case_id, lists),
                          overwrite=False)
            secret_doc = json.dumps({
                "format": _SECRET_FORMAT, "version": CASE_VERSION, "case_id": case_id,
                "pseudonym_key": _b64(pseudonym_key), "signing_key": _b64(signing_raw),
            }).encode("utf-8")
            _write_atomic(tmp / _SECRET, S.seal_bytes(secret_doc, recs,
                                                      allow_mixed_pq=allow_mixed_pq),
                          overwrite=False)
            if passphrase is not None:
                _write_atomic(tmp / _SECRET_PASS, S.seal_bytes(
                    secret_doc, [S.ScryptRecipient(passphrase, work_factor)]), overwrite=False)
            _write_atomic(tmp / _INDEX, b"", overwrite=False)
            _write_atomic(tmp / _LOCK, b"", overwrite=False)
            _write_atomic(tmp / _INDEX_LOCK, b"", overwrite=False)
            meta = {
                "format": CASE_FORMAT, "version": CASE_VERSION, "case_id": case_id,
                "created": utc_now(),
                "recipients": [str(r) for r in recs],
                "allow_mixed_pq": allow_mixed_pq,
                "policy": {"file": _POLICY, "sha256": policy.sha256(), "source": source,
                           "sealed_lists": {"file": _LISTS, "allow": len(lists["allow"]),
                                            "deny": len(lists["deny"])}},
                "signing_public_key": "ed25519:" + _b64(signing.public_key().public_bytes(
                    Encoding.Raw, PublicFormat.Raw)),
                "passphrase": ({"file": _SECRET_PASS, "scrypt_work_factor": work_factor}
                               if passphrase is not None else None),
                # every sealed original carries binding_stanza(case_id, item); one without
                # it is refused (cases made before bindings lack this key: docs/sealing.md)
                "binds_originals": True,
            }
            _write_atomic(tmp / _CASE_JSON, _meta_bytes(meta), overwrite=False)
            # Checked to reload identically (policy.yaml and the sealed lists together).
            if load_case_policy(tmp, _lists_key(pseudonym_key), meta).sha256() != \
                    policy.sha256():  # pragma: no cover
                raise CaseError("the copied policy does not reload identically",
                                "Report this as a bug; use a policy without `extends`.")
            fsync_dir(tmp)
            try:
                os.rename(tmp, target)
            except OSError as exc:
                raise CaseError(f"cannot create the case folder {target}: {exc.strerror}")\
                    from None
            fsync_dir(parent)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        case = cls(target, meta)
        case._set_secret(secret_doc)
        return case

    @classmethod
    def open(cls, path: _PathLike) -> Case:
        """Open an existing case folder (reads ``case.json``; no secret is needed)."""
        p = Path(path).expanduser()
        if not (p / _CASE_JSON).is_file():
            raise CaseError(f"{p} is not a case folder (no {_CASE_JSON})",
                            "Check the path; `redact case init` creates a case.")
        return cls(p, _read_meta(p))

    # ---- what case.json says -------------------------------------------------------------

    @property
    def case_id(self) -> str:
        """Random identifier of the case (bound into the case secret)."""
        return str(self._meta["case_id"])

    @property
    def created(self) -> str:
        """Creation time (UTC, ISO 8601)."""
        return str(self._meta["created"])

    @property
    def recipients(self) -> list[str]:
        """The case's current recipients (``age1pq1...`` strings)."""
        return list(self._meta["recipients"])

    @property
    def signing_public_key(self) -> Ed25519PublicKey:
        """The case's Ed25519 public key (verifies manifests signed with :meth:`sign`)."""
        text = str(self._meta["signing_public_key"]).removeprefix("ed25519:")
        return Ed25519PublicKey.from_public_bytes(_unb64(text, "signing_public_key"))

    @property
    def policy(self) -> Policy:
        """The case's whole policy, refused if it changed since init.

        ``policy.yaml`` holds it without its allow and deny lists, which are sealed
        (``keys/policy-lists.sealed``): unless they are empty, the policy needs the
        case unlocked (:class:`~redact.errors.CaseLockedError` otherwise). An older
        case whose ``policy.yaml`` still holds the lists reads them from there; its
        next :meth:`unlock` seals them.
        """
        if self._policy is None:
            self._policy = load_case_policy(
                self.path, self.lists_key() if self.unlocked else None, self._meta)
        return self._policy

    @property
    def binds_originals(self) -> bool:
        """True if every sealed original of the case must carry its binding (cases made
        before bindings existed: False until a recipient rotation binds them)."""
        return self._meta.get("binds_originals") is True

    @property
    def policy_sha256(self) -> str:
        """The fingerprint of the case's whole policy (from ``case.json``; no key needed)."""
        return str(self._meta["policy"]["sha256"])

    def policy_lists(self) -> dict[str, Any]:
        """How many entries the allow and deny lists hold, and whether they are sealed
        (``{"allow": 3, "deny": 5, "sealed": True}``). Needs no key; never the entries."""
        sealed = self._meta["policy"].get("sealed_lists")
        if sealed is not None:
            return {"allow": int(sealed["allow"]), "deny": int(sealed["deny"]), "sealed": True}
        from redact.policy import Policy

        public = Policy.load(self.path / _POLICY)
        return {"allow": len(public.allow), "deny": len(public.deny), "sealed": False}

    def lists_key(self) -> bytes:
        """Key of the sealed allow and deny lists (derived from the case secret; for
        :func:`load_case_policy` in worker processes)."""
        return _lists_key(self._need_secret()["pseudonym_key"])

    def _seal_clear_lists(self) -> None:
        """An older case keeps its allow and deny lists in ``policy.yaml``: seal them.

        Runs at :meth:`unlock`, once, under the case's exclusive lock: the lists
        file, then ``case.json`` (its ``sealed_lists``), then ``policy.yaml``
        without the lists. Interrupted at any point, the case still opens, and
        the next unlock finishes. The policy's fingerprint does not change. The
        old ``policy.yaml`` is replaced by rename: its blocks may stay on the disk.
        """
        from redact.policy import Policy

        public = Policy.load(self.path / _POLICY)
        if not public.allow and not public.deny:
            return
        with self.locked(exclusive=True):
            self._meta = _read_meta(self.path)
            try:
                full = load_case_policy(self.path, self.lists_key(), self._meta)
            except CaseError:
                return  # a changed policy: left as it is, refused when it is used
            pol_meta = self._meta["policy"]
            if pol_meta.get("sealed_lists") is None:
                lists = _policy_lists(full)
                _write_atomic(self.path / _LISTS, _seal_lists(self.lists_key(), self.case_id,
                                                              lists))
                pol_meta["sealed_lists"] = {"file": _LISTS, "allow": len(lists["allow"]),
                                            "deny": len(lists["deny"])}
                _write_atomic(self.path / _CASE_JSON, _meta_bytes(self._meta))
            source = str(pol_meta.get("source") or Path(full.sources[0]).name)
            _write_atomic(self.path / _POLICY, _public_policy_text(full, source))
            self._policy = None

    def has_item(self, item: str) -> bool:
        """True if any file of ``item`` (sealed, redacted or report) exists in the case."""
        _check_item(item)
        return any(p.exists() for p in (self.path / "sealed" / f"{item}.age",
                                        self.path / "reports" / f"{item}.json")) or any(
            (self.path / "redacted").glob(f"{item}.*"))

    def items(self) -> list[str]:
        """The items (statements) of the case, by sealed original (subfolder items too)."""
        base = self.path / "sealed"
        return sorted(p.relative_to(base).as_posix()[:-4] for p in base.rglob("*.age")
                      if not p.name.startswith("."))

    # ---- unlocking -----------------------------------------------------------------------

    @contextlib.contextmanager
    def loading_model(self) -> Iterator[None]:
        """Load the case policy's spaCy pipeline in a background thread while the block runs.

        Meant for the unlock: a person typing the passphrase, then scrypt deriving
        its key (about 0.6 s at the default work factor; ``cryptography`` lets
        other threads run meanwhile), while Presidio, spaCy and the model load
        (1-1.5 s)::

            with case.loading_model():
                case.unlock(passphrase=getpass.getpass())
            redactor = case.redactor()  # the model is ready

        The block's end waits for the load, also when the block raises. A
        failure to load is not raised here: :meth:`redactor` raises it, with
        what to do. Needs no secret and reads no statement.
        """
        from redact.policy import Policy

        # The model's name is in policy.yaml: no key needed (the whole policy is checked
        # by redactor()).
        model = (self._policy or Policy.load(self.path / _POLICY)).model
        thread = threading.Thread(target=_preload_model, args=(model,),
                                  name="redact-model-preload", daemon=True)
        thread.start()
        try:
            yield
        finally:
            thread.join()

    @property
    def unlocked(self) -> bool:
        """True once :meth:`unlock` (or :meth:`init`) gave this object the case secret."""
        return self._secret is not None

    def unlock(self, passphrase: bytes | str | None = None,
               identities: Sequence[S.Identity | str] | None = None) -> None:
        """Load the case secret with the case passphrase, or with an identity of a recipient.

        Raises :class:`~redact.errors.CasePassphraseError` for a wrong
        passphrase and :class:`~redact.errors.AgeNoMatchError` if no identity
        is a recipient of the case.
        """
        if identities:
            data = self._open_file(self.path / _SECRET, identities)
        elif passphrase is not None:
            pass_meta = self._meta.get("passphrase")
            if not pass_meta:
                raise CaseError("this case has no passphrase; unlock it with an identity",
                                "Use --identity with the identity file of a recipient.")
            try:
                sealed = (self.path / pass_meta["file"]).read_bytes()
            except OSError as exc:
                raise CaseError(f"cannot read the case's passphrase-sealed key: "
                                f"{exc.strerror}", "Restore keys/ from a backup.") from None
            try:
                data = S.open_bytes(sealed, [S.ScryptIdentity(passphrase)])
            except AgeNoMatchError:
                raise CasePassphraseError(
                    f"wrong passphrase for the case {self.path}") from None
            except AgeError as exc:
                raise CaseError(f"the case's passphrase-sealed key is damaged: {exc.what}",
                                "Restore keys/case-secret.pass.age from a backup, or unlock "
                                "with an identity.") from None
        else:
            raise CaseLockedError(f"the case {self.path} needs its passphrase or an identity")
        self._set_secret(data)
        self._policy = None  # the whole policy (with the sealed lists) from now on
        self._seal_clear_lists()

    def change_passphrase(self, new_passphrase: bytes | str,
                          work_factor: int | None = None) -> None:
        """Seal the case secret under a new case passphrase (needs the case unlocked).

        The old passphrase stops working on this folder (copies of the old
        ``keys/case-secret.pass.age`` still open with it). The pseudonym key is
        unchanged, so labels stay the same.
        """
        secret = self._need_secret()
        if len(new_passphrase) < _MIN_PASSPHRASE:
            raise CaseError(f"the case passphrase is shorter than {_MIN_PASSPHRASE} characters",
                            "Use a long passphrase (several random words).")
        old = self._meta.get("passphrase") or {}
        wf = work_factor or int(old.get("scrypt_work_factor", 18))
        doc = json.dumps({
            "format": _SECRET_FORMAT, "version": CASE_VERSION, "case_id": self.case_id,
            "pseudonym_key": _b64(secret["pseudonym_key"]),
            "signing_key": _b64(secret["signing_key"]),
        }).encode("utf-8")
        with self.locked(exclusive=True):
            self._meta = _read_meta(self.path)
            _write_atomic(self.path / _SECRET_PASS,
                          S.seal_bytes(doc, [S.ScryptRecipient(new_passphrase, wf)]))
            self._meta["passphrase"] = {"file": _SECRET_PASS, "scrypt_work_factor": wf}
            _write_atomic(self.path / _CASE_JSON, _meta_bytes(self._meta))

    def _set_secret(self, data: bytes) -> None:
        try:
            doc = json.loads(data)
            ok = doc.get("format") == _SECRET_FORMAT and doc.get("case_id") == self.case_id
        except (ValueError, AttributeError):
            ok = False
        if not ok:
            raise CaseError("the case secret does not belong to this case or is malformed",
                            "Restore keys/ from a backup of this case.")
        pk = _unb64(doc["pseudonym_key"], "pseudonym_key")
        sk = _unb64(doc["signing_key"], "signing_key")
        signing = Ed25519PrivateKey.from_private_bytes(sk)
        pub = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        if len(pk) != 32 or not hmac.compare_digest(
                pub, self.signing_public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)):
            raise CaseError("the case secret does not match case.json",
                            "Restore keys/ and case.json from the same backup.")
        self._secret = {"pseudonym_key": pk, "signing_key": sk}

    def _need_secret(self) -> dict[str, bytes]:
        if self._secret is None:
            raise CaseLockedError(f"the case {self.path} is locked")
        return self._secret

    def lock(self) -> None:
        """Forget the case secret and the redactor (flushes pending names first)."""
        self.flush_names()
        if self._index is not None:
            self._index.close()
        self._secret, self._index, self._redactor = None, None, None
        self._policy = None  # it holds the sealed allow and deny lists

    # ---- redacting -----------------------------------------------------------------------

    @property
    def pseudonyms(self) -> CasePseudonymIndex:
        """The case-wide pseudonym index (needs the case unlocked)."""
        secret = self._need_secret()
        if self._index is None:
            self._index = CasePseudonymIndex(self.path, secret["pseudonym_key"])
        return self._index

    def report_key(self) -> bytes:
        """Key of the keyed hashes in this case's reports (derived from the case secret)."""
        return hmac.new(self._need_secret()["pseudonym_key"], b"redact/report-hash/v1",
                        hashlib.sha256).digest()

    def redactor(self) -> Redactor:
        """A :class:`~redact.Redactor` with the case policy and case-wide pseudonyms (cached)."""
        with self._redactor_lock:
            if self._redactor is None:
                from redact.redactor import Redactor

                self._redactor = Redactor(self.policy, pseudonyms=self.pseudonyms,
                                          report_key=self.report_key())
            return self._redactor

    def sign(self, data: bytes) -> bytes:
        """Ed25519 signature of ``data`` with the case signing key (for manifests)."""
        return Ed25519PrivateKey.from_private_bytes(self._need_secret()["signing_key"]).sign(data)

    def add_statement(self, item: str, original: bytes, result_text: str | bytes,
                      report: dict[str, Any], *, overwrite: bool = False,
                      suffix: str = ".txt", sealed_temp: Path | None = None) -> CasePaths:
        """Store one redacted statement: the sealed original, the redacted text, the report.

        Order, so that a redacted output never exists without its sealed
        original: (1) the original is sealed to a temporary file in ``sealed/``;
        (2) the real names behind new pseudonyms are sealed into
        ``pseudonyms/names/``; (3) the sealed original is renamed into place;
        (4) the redacted text and (5) the report are written atomically. If
        (1) or (2) fails nothing is left. ``report`` must hold no plaintext
        identifier (``RedactionResult.to_report()`` is safe). An existing item
        is refused unless ``overwrite``. Needs the case unlocked. ``result_text``
        may be bytes (a redacted .docx, or text already encoded as the input was).
        ``sealed_temp``: ``original`` already sealed to this temporary file in
        the case's ``sealed/`` folder (by a batch worker); it is renamed into
        place instead of sealing again, and removed if anything fails.
        """
        data = result_text.encode("utf-8") if isinstance(result_text, str) else result_text
        return self.store_statement(item, suffix, overwrite, data, sealed_temp,
                           lambda tmp: statement_report(
                               self.case_id, item, report, sealed_sha256=sha256_file(tmp),
                               recipients=len(self._meta["recipients"]), suffix=suffix),
                           original)

    def store_statement(self, item: str, suffix: str, overwrite: bool, data: bytes,
                        sealed_temp: Path | None, report: Callable[[Path], bytes],
               original: bytes = b"") -> CasePaths:
        """:meth:`add_statement` with the report file's bytes made by ``report(sealed temp)``
        (a batch worker makes them with :func:`statement_report`, beside the sealed temp,
        and seals the original into ``sealed_temp``, which this moves into place)."""
        self._need_secret()
        _check_item(item)
        if not re.fullmatch(r"\.[A-Za-z0-9]{1,10}", suffix):
            raise ValueError("suffix must look like '.txt'")
        paths = CasePaths(redacted=self.path / "redacted" / (item + suffix),
                          sealed=self.path / "sealed" / (item + ".age"),
                          report=self.path / "reports" / (item + ".json"))
        with self.locked(exclusive=False):
            self._meta = _read_meta(self.path)
            if "/" in item:
                for p in (paths.sealed, paths.redacted, paths.report):
                    self._make_item_folders(p.parent)
            if not overwrite:
                for p in (paths.sealed, paths.redacted, paths.report):
                    if p.exists():
                        raise OutputError(f"{p} already exists in the case; refusing to "
                                          "overwrite it", "Choose another item name, or "
                                          "overwrite explicitly (--force).")
            tmp = (sealed_temp if sealed_temp is not None
                   else self._seal_to_temp(paths.sealed, item, original))
            try:
                report_bytes = report(tmp)
                names = self.flush_names(_locked=True)
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
            _write_atomic(paths.redacted, data, overwrite=overwrite)
            _write_atomic(paths.report, report_bytes, overwrite=overwrite)
        return CasePaths(paths.redacted, paths.sealed, paths.report, names)

    def _make_item_folders(self, folder: Path) -> None:
        """Create the subfolders of a subfolder item (mode 0700), inside the case only."""
        missing = []
        while not folder.is_dir():
            if folder == self.path or self.path not in folder.parents:
                raise CaseError(f"{folder} is not inside the case folder")
            missing.append(folder)
            folder = folder.parent
        for f in reversed(missing):
            try:
                _mkdir_private(f)
            except FileExistsError:
                pass
            except OSError as exc:
                raise OutputError(f"cannot create {f}: {exc.strerror}") from None

    def _parsed_recipients(self) -> list[S.Recipient]:
        """The recipients as objects, parsed once per recipient set (parsing costs ~2 ms)."""
        key = tuple(self.recipients)
        cached = getattr(self, "_recipient_cache", None)
        if cached is None or cached[0] != key:
            cached = (key, [S.parse_recipient(r) for r in key])
            self._recipient_cache = cached
        return list(cached[1])

    def _seal_to_temp(self, target: Path, item: str, original: bytes) -> Path:
        try:
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent)
        except OSError as exc:
            raise OutputError(f"cannot create the sealed original in {target.parent}: "
                              f"{exc.strerror}") from None
        tmp = Path(name)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as fh:
                S.seal(io.BytesIO(original), fh, self._parsed_recipients(),
                       allow_mixed_pq=bool(self._meta.get("allow_mixed_pq")),
                       extra_stanzas=[binding_stanza(self.case_id, item)])
                fh.flush()
                fsync_file(fh.fileno())
        except BaseException as exc:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            if isinstance(exc, OSError):  # disk full, quota, I/O error: a clear message
                raise OutputError(f"cannot write the sealed original {target}: "
                                  f"{exc.strerror}", "Free disk space in the case folder, then "
                                  "run the same command again; nothing was written for this "
                                  "statement.") from None
            raise
        return tmp

    def flush_names(self, *, _locked: bool = False) -> Path | None:
        """Seal the real names behind pseudonyms created since the last flush.

        Writes ``pseudonyms/names/<time>-<random>.age`` (sealed to the
        recipients) and returns its path, or None if there was nothing new.
        Called by :meth:`add_statement`, :meth:`lock` and at the end of a
        ``with case:`` block; call it yourself after redacting without adding.
        """
        if self._index is None:
            return None
        names = self._index.take_new_names()
        if not names:
            return None
        try:
            ctx = contextlib.nullcontext() if _locked else self.locked(exclusive=False)
            with ctx:
                if not _locked:
                    self._meta = _read_meta(self.path)
                doc = json.dumps({"format": _NAMES_FORMAT, "version": CASE_VERSION,
                                  "case_id": self.case_id, "created": utc_now(),
                                  "names": names}, ensure_ascii=False).encode("utf-8")
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
                path = self.path / _NAMES / f"{stamp}-{secrets.token_hex(4)}.age"
                _write_atomic(path, S.seal_bytes(
                    doc, self._parsed_recipients(),
                    allow_mixed_pq=bool(self._meta.get("allow_mixed_pq"))),
                    overwrite=False)
        except BaseException:
            self._index.give_back_names(names)
            raise
        # Only now are these names safe: a run killed before this line seals them again.
        self._index.mark_named(k for n in names for k in n.get("keys", []))
        return path

    def __enter__(self) -> Case:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.flush_names()
        else:
            with contextlib.suppress(Exception):
                self.flush_names()

    # ---- reading back (needs an identity) ------------------------------------------------

    def _open_file(self, path: Path, identities: Sequence[S.Identity | str],
                   check_header: Callable[[S.Header], None] | None = None) -> bytes:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CaseError(f"{path} does not exist") from None
        except OSError as exc:
            raise CaseError(f"cannot read {path}: {exc.strerror}") from None
        try:
            return S.open_bytes(data, identities, check_header=check_header)
        except AgeError as exc:
            rel = path.relative_to(self.path) if path.is_relative_to(self.path) else path
            raise type(exc)(f"{rel}: {exc.what}", exc.todo) from None

    def reveal(self, item: str, identities: Sequence[S.Identity | str]) -> bytes:
        """The exact original bytes of ``item``, opened with an identity of a recipient.

        Nothing is returned unless the whole file authenticates: a damaged or
        truncated file raises :class:`~redact.errors.AgePayloadError` (or
        another :class:`~redact.errors.AgeError`), a wrong identity
        :class:`~redact.errors.AgeNoMatchError`, a file sealed for another case
        or item :class:`~redact.errors.SealedItemMismatchError` (the binding is
        checked on the authenticated header, before any plaintext). A file sealed
        by an older redact, without binding, opens with an
        :class:`~redact.errors.UnboundOriginalWarning` in a case made before
        bindings existed, and is refused in a newer one.
        """
        _check_item(item)
        path = self.path / "sealed" / (item + ".age")
        if not path.is_file():
            raise CaseError(f"the case has no item {item!r} (no {path})",
                            f"List the items with `redact case show {self.path}`.")
        return self._open_file(path, identities, self._binding_check(item))

    def _binding_check(self, item: str, *, warn: bool = True) -> Callable[[S.Header], None]:
        return _binding_check(self.case_id, item, required=self.binds_originals, warn=warn)

    def reveal_to(self, item: str, dst: BinaryIO, identities: Sequence[S.Identity | str]
                  ) -> int:
        """Stream ``item``'s original into ``dst``; on an error, discard what was written."""
        _check_item(item)
        path = self.path / "sealed" / (item + ".age")
        if not path.is_file():
            raise CaseError(f"the case has no item {item!r} (no {path})",
                            f"List the items with `redact case show {self.path}`.")
        with open(path, "rb") as src:
            return S.open_sealed(src, dst, identities, check_header=self._binding_check(item))

    def pseudonym_table(self, identities: Sequence[S.Identity | str]
                        ) -> dict[str, dict[str, Any]]:
        """``{label: {"entity", "forms", "parts"}}``: the real names behind the pseudonyms.

        Opens every ``pseudonyms/names/*.age`` with ``identities`` (a recipient's).
        Plaintext: show it only to people allowed to see it.
        """
        table: dict[str, dict[str, Any]] = {}
        for path in sorted((self.path / _NAMES).glob("*.age")):
            if path.name.startswith("."):
                continue
            try:
                doc = json.loads(self._open_file(path, identities))
                entries = doc["names"] if doc.get("case_id") == self.case_id else None
            except (ValueError, KeyError, TypeError):
                entries = None
            if entries is None:
                raise CaseError(f"{path.relative_to(self.path)} is not a names file of this "
                                "case", "Restore pseudonyms/names/ from a backup.")
            for e in entries:
                cur = table.setdefault(e["label"], {"entity": e["entity"], "forms": [],
                                                    "parts": []})
                cur["forms"] += [f for f in e.get("forms", []) if f not in cur["forms"]]
                cur["parts"] += [p for p in e.get("parts", []) if p not in cur["parts"]]
        return dict(sorted(table.items(), key=lambda kv: _label_order(kv[0])))

    def label_of(self, entity: str, name: str) -> str | None:
        """The label of ``name`` if the case knows it (test a name; needs the case unlocked)."""
        idx = self.pseudonyms
        idx._begin()
        try:
            k = idx.key(entity, normalize_form(name))
            return idx._full.get(k) or idx._part.get(k)
        finally:
            idx._commit()

    # ---- recipients ----------------------------------------------------------------------

    def sealed_files(self) -> list[Path]:
        """Every file of the case sealed to its recipients (originals, key, names)."""
        files = [p for p in sorted((self.path / "sealed").rglob("*.age"))
                 if not p.name.startswith(".")]
        files += [p for p in sorted((self.path / _NAMES).glob("*.age"))
                  if not p.name.startswith(".")]
        files.append(self.path / _SECRET)
        return files

    def change_recipients(self, identities: Sequence[S.Identity | str],
                          add: Sequence[S.Recipient | str] = (),
                          remove: Sequence[S.Recipient | str] = ()) -> list[str]:
        """Re-seal every sealed file of the case to a new recipient set; return the new set.

        ``identities`` must include an identity of a current recipient. Each
        file is re-sealed under a fresh file key to a temporary file, then
        renamed over the old one (atomically per file, streaming, no plaintext
        on disk); ``case.json`` is updated last. If interrupted, run it again
        with the same arguments. A removed recipient cannot open the new files
        (but keeps whatever copies it made before). Refuses to remove the last
        recipient, or one the case does not have.
        """
        new_add = [str(r) for r in _parse_recipients(add)] if add else []
        new_remove = [str(r) for r in _parse_recipients(remove)] if remove else []
        with self.locked(exclusive=True):
            self._meta = _read_meta(self.path)
            current = self.recipients
            unknown = [r for r in new_remove if r not in current]
            if unknown:
                raise RecipientError(f"{len(unknown)} recipient(s) to remove are not "
                                     "recipients of this case",
                                     "List them with `redact case recipients CASE`.")
            new = [r for r in current if r not in new_remove]
            new += [r for r in new_add if r not in new]
            if not new:
                raise RecipientError("refusing to remove the last recipient of the case",
                                     "Add the new recipient first (--add), then remove.")
            mixed = bool(self._meta.get("allow_mixed_pq"))
            if not mixed and len({r.startswith("age1pq1") for r in new}) > 1:
                raise RecipientError("the new recipients would mix post-quantum and classic "
                                     "keys", "Use only age1pq1... recipients.")
            # Proves the caller is a current recipient before anything is touched.
            secret = self._open_file(self.path / _SECRET, identities)
            self._set_secret(secret)
            ids = S._as_identities(identities)
            originals = self.path / "sealed"
            for path in self.sealed_files():
                if not path.is_relative_to(originals):
                    _reseal(path, ids, new, mixed)
                    continue
                # An original keeps (or, sealed by an older redact, gets) its binding; one
                # bound elsewhere stops the rotation rather than being bound here.
                item = path.relative_to(originals).as_posix()[:-4]
                _reseal(path, ids, new, mixed, [binding_stanza(self.case_id, item)],
                        self._binding_check(item, warn=False))
            self._meta["binds_originals"] = True
            self._meta["recipients"] = new
            self._meta["recipients_changed"] = utc_now()
            _write_atomic(self.path / _CASE_JSON, _meta_bytes(self._meta))
        return new

    # ---- internals -----------------------------------------------------------------------

    @property
    def allow_mixed_pq(self) -> bool:
        """Whether the case accepts classical (X25519) recipients beside post-quantum ones."""
        return bool(self._meta.get("allow_mixed_pq"))

    @contextlib.contextmanager
    def locked(self, *, exclusive: bool) -> Iterator[None]:
        """Hold the case lock: shared while statements are stored, exclusive for a recipient
        rotation or a batch run's clean-up (so neither races the other)."""
        try:
            fd = os.open(self.path / _LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise CaseError(f"cannot open {self.path / _LOCK}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)

    def __repr__(self) -> str:
        return f"Case({str(self.path)!r}, unlocked={self.unlocked})"


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------


def _preload_model(model: str | None) -> None:
    """Import Presidio and spaCy, load ``model`` and the gazetteer (:meth:`Case.loading_model`)."""
    with contextlib.suppress(Exception):  # Case.redactor() raises it again, with what to do
        from redact.detect.gazetteer import gazetteer
        from redact.detect.model import choose_model, load_model

        load_model(choose_model(model))
        gazetteer()


def _parse_recipients(recipients: Sequence[S.Recipient | str]) -> list[S.Recipient]:
    if isinstance(recipients, str | bytes):
        raise TypeError("recipients must be a list")
    out: list[S.Recipient] = []
    for r in recipients:
        rec = S.parse_recipient(r) if isinstance(r, str) else r
        if isinstance(rec, S.ScryptRecipient):
            raise RecipientError("a case's recipients are key pairs, not passphrases",
                                 "Give age1pq1... recipients; the case passphrase is separate.")
        if str(rec) not in {str(x) for x in out}:
            out.append(rec)
    if not out:
        raise RecipientError("a case needs at least one recipient",
                             "Give --recipient age1pq1... (from `redact keygen`).")
    return out


def _meta_bytes(meta: dict[str, Any]) -> bytes:
    return (json.dumps(meta, indent=2) + "\n").encode("utf-8")


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        meta = json.loads((path / _CASE_JSON).read_bytes())
    except OSError as exc:
        raise CaseError(f"cannot read {path / _CASE_JSON}: {exc.strerror}") from None
    except ValueError:
        raise CaseError(f"{path / _CASE_JSON} is not valid JSON",
                        "Restore case.json from a backup of the case.") from None
    if not isinstance(meta, dict) or meta.get("format") != CASE_FORMAT:
        raise CaseError(f"{path / _CASE_JSON} is not a redact case file")
    if meta.get("version") != CASE_VERSION:
        raise CaseError(f"{path / _CASE_JSON} has case format version {meta.get('version')}, "
                        f"this redact reads version {CASE_VERSION}",
                        "Use the redact version that created the case.")
    for key in ("case_id", "created", "recipients", "policy", "signing_public_key"):
        if key not in meta:
            raise CaseError(f"{path / _CASE_JSON} lacks '{key}'",
                            "Restore case.json from a backup of the case.")
    return meta


def _check_item(item: str) -> None:
    """An item name: 1-200 safe characters, or such names joined by '/' (a subfolder item).

    Subfolder items (``interviews/2024/int-07``) come from batch runs that keep
    the input folder's layout; every part must be a valid name on its own, so
    no item can point outside the case's folders.
    """
    parts = item.split("/") if isinstance(item, str) and len(item) <= 1000 else [""]
    if any(not _ITEM_RE.match(p) or p.endswith(".tmp") for p in parts):
        raise CaseError("invalid item name: use 1-200 letters, digits, '.', '_' or '-', "
                        "starting with a letter or digit (subfolders joined with '/')",
                        "Rename the statement file (item names are visible in the case "
                        "folder: never use a person's name).")




def _label_order(label: str) -> tuple[str, int, str]:
    prefix, _, suffix = label.rpartition(" ")
    return (prefix, len(suffix), suffix)


def _reseal(path: Path, identities: list[S.Identity], recipients: list[str],
            allow_mixed_pq: bool, extra_stanzas: Sequence[S.Stanza] = (),
            check_header: Callable[[S.Header], None] | None = None) -> None:
    """Re-seal ``path`` to ``recipients``, streaming through a pipe (no plaintext on disk).

    A thread opens the old file into the pipe; this thread seals from the pipe
    into a temporary file, which replaces ``path`` only if both sides succeed.
    """
    errors: list[BaseException] = []
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o600)
        r_fd, w_fd = os.pipe()
        pipe_r = os.fdopen(r_fd, "rb")
        pipe_w = os.fdopen(w_fd, "wb")

        def decrypt() -> None:
            try:
                with open(path, "rb") as src, pipe_w:
                    S.open_sealed(src, pipe_w, identities, check_header=check_header)
            except BaseException as exc:  # reported to the main thread
                errors.append(exc)

        worker = threading.Thread(target=decrypt, name="redact-reseal", daemon=True)
        worker.start()
        try:
            with pipe_r, os.fdopen(fd, "wb") as dst:
                fd = -1
                S.seal(pipe_r, dst, recipients, allow_mixed_pq=allow_mixed_pq,
                       extra_stanzas=extra_stanzas)
                worker.join()
                if errors:
                    raise errors[0]
                dst.flush()
                os.fsync(dst.fileno())
        finally:
            worker.join()
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except AgeError as exc:
        raise type(exc)(f"{path.name}: {exc.what}", exc.todo) from None
    except OSError as exc:
        raise CaseError(f"cannot re-seal {path}: {exc.strerror}",
                        "Free disk space, then run the same command again.") from None
    finally:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
