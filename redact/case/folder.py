"""The :class:`Case`: one case folder, tying together its keys (:mod:`.keys`), its
pseudonym index (:mod:`.index`), the statements stored in it (:mod:`.store`) and
recipient rotation (:mod:`.reseal`)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from redact import seal as S
from redact.case import decisions as D
from redact.case import keys as K
from redact.case.decisions import ReviewDecisions
from redact.case.index import CasePseudonymIndex
from redact.case.layout import (
    CASE_JSON,
    LOCK,
    NAMES,
    SECRET,
    PathLike,
    check_item,
    label_order,
    meta_bytes,
    read_meta,
    write_atomic,
)
from redact.case.reseal import new_recipient_set, recipient_strings, reseal_files
from redact.case.store import (
    CasePaths,
    binding_check,
    item_paths,
    place_statement,
    prepare_item,
    seal_names,
    seal_to_temp,
    statement_report,
)
from redact.errors import AgeError, CaseError, CaseLockedError
from redact.io import sha256_file
from redact.manifest import utc_now

if TYPE_CHECKING:
    from redact.policy import Policy
    from redact.redactor import Redactor

__all__ = ["Case"]


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
    def init(cls, path: PathLike, recipients: Sequence[S.Recipient | str],
             policy_path: PathLike | None = None, *,
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
        target = Path(path).expanduser()
        meta, secret = K.create_case(target, recipients, policy_path, passphrase,
                                     work_factor, allow_mixed_pq)
        case = cls(target, meta)
        case._set_secret(secret)
        return case

    @classmethod
    def open(cls, path: PathLike) -> Case:
        """Open an existing case folder (reads ``case.json``; no secret is needed)."""
        p = Path(path).expanduser()
        if not (p / CASE_JSON).is_file():
            raise CaseError(f"{p} is not a case folder (no {CASE_JSON})",
                            "Check the path; `redact case init` creates a case.")
        return cls(p, read_meta(p))

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
        return K.signing_public_key(self._meta)

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
            self._policy = K.load_case_policy(
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
        public = K.read_public_policy(self.path)
        return {"allow": len(public.allow), "deny": len(public.deny), "sealed": False}

    def lists_key(self) -> bytes:
        """Key of the sealed allow and deny lists (derived from the case secret; for
        :func:`load_case_policy` in worker processes)."""
        return K.lists_key(self._need_secret()["pseudonym_key"])

    def review_decisions(self) -> ReviewDecisions:
        """The allow and deny entries editors decided in ``redact review --case``, sealed in
        ``keys/review-decisions.sealed`` (empty if none; needs the case unlocked). Not part
        of :attr:`policy`: only a review starts from them."""
        return D.read_decisions(self.path, self._decisions_key(), self.case_id)

    def save_review_decisions(self, decisions: ReviewDecisions, *,
                              base: ReviewDecisions | None = None) -> ReviewDecisions:
        """Seal ``decisions`` as the case's review decisions; return what was saved. With
        ``base`` (what the review started from) only its changes are applied to the file
        as it is now (:func:`~redact.case.decisions.merge_decisions`), under the case's
        exclusive lock. Changes neither :attr:`policy` nor its fingerprint."""
        key = self._decisions_key()
        with self.locked(exclusive=True):
            saved = D.merge_decisions(D.read_decisions(self.path, key, self.case_id),
                                      decisions, base)
            D.write_decisions(self.path, key, self.case_id, saved)
        return saved

    def _decisions_key(self) -> bytes:
        return D.decisions_key(self._need_secret()["pseudonym_key"])

    def _seal_clear_lists(self) -> None:
        """An older case keeps its allow and deny lists in ``policy.yaml``: seal them
        (:func:`redact.case.keys.seal_clear_lists`), once, under the case's exclusive
        lock. The old ``policy.yaml`` is replaced by rename: its blocks may stay on the
        disk."""
        if not K.has_clear_lists(self.path):
            return
        with self.locked(exclusive=True):
            self._meta = read_meta(self.path)
            if K.seal_clear_lists(self.path, self._meta, self.lists_key()):
                self._policy = None

    def has_item(self, item: str) -> bool:
        """True if any file of ``item`` (sealed, redacted or report) exists in the case."""
        check_item(item)
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
        # The model's name is in policy.yaml: no key needed (the whole policy is checked
        # by redactor()).
        model = (self._policy or K.read_public_policy(self.path)).model
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
            data = self._open_file(self.path / SECRET, identities)
        elif passphrase is not None:
            data = K.open_with_passphrase(self.path, self._meta, passphrase)
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
        K.check_passphrase(new_passphrase, "Use a long passphrase (several random words).")
        old = self._meta.get("passphrase") or {}
        wf = work_factor or int(old.get("scrypt_work_factor", 18))
        doc = K.secret_doc(self.case_id, secret["pseudonym_key"], secret["signing_key"])
        with self.locked(exclusive=True):
            self._meta = read_meta(self.path)
            K.write_passphrase_secret(self.path, self._meta, doc, new_passphrase, wf)

    def _set_secret(self, data: bytes) -> None:
        self._secret = K.parse_secret(data, self._meta)

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
        return K.report_key(self._need_secret()["pseudonym_key"])

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
                      suffix: str = ".txt", sealed_temp: Path | None = None,
                      companions: dict[str, bytes] | None = None) -> CasePaths:
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
        ``companions`` (suffix -> bytes, from ``Document.companions()``: the
        redacted text of a PDF or image) are written beside the redacted file as
        ``redacted/<item><suffix><companion suffix>``, with the redacted file in
        step (4), and listed with their SHA-256 in the report.
        """
        data = result_text.encode("utf-8") if isinstance(result_text, str) else result_text
        return self.store_statement(item, suffix, overwrite, data, sealed_temp,
                                    lambda tmp: statement_report(
                                        self.case_id, item, report,
                                        sealed_sha256=sha256_file(tmp),
                                        recipients=len(self._meta["recipients"]),
                                        suffix=suffix, companions=companions),
                                    original, companions)

    def store_statement(self, item: str, suffix: str, overwrite: bool, data: bytes,
                        sealed_temp: Path | None, report: Callable[[Path], bytes],
                        original: bytes = b"",
                        companions: dict[str, bytes] | None = None) -> CasePaths:
        """:meth:`add_statement` with the report file's bytes made by ``report(sealed temp)``
        (a batch worker makes them with :func:`statement_report`, beside the sealed temp,
        and seals the original into ``sealed_temp``, which this moves into place)."""
        self._need_secret()
        extra = dict(sorted((companions or {}).items()))
        paths = item_paths(self.path, item, suffix, list(extra))
        with self.locked(exclusive=False):
            self._meta = read_meta(self.path)
            prepare_item(self.path, item, paths, overwrite)
            tmp = (sealed_temp if sealed_temp is not None
                   else self._seal_to_temp(paths.sealed, item, original))
            names = place_statement(paths, tmp, data, report, overwrite,
                                    lambda: self.flush_names(_locked=True),
                                    list(extra.values()))
        return CasePaths(paths.redacted, paths.sealed, paths.report, names, paths.companions)

    def _parsed_recipients(self) -> list[S.Recipient]:
        """The recipients as objects, parsed once per recipient set (parsing costs ~2 ms)."""
        key = tuple(self.recipients)
        cached = getattr(self, "_recipient_cache", None)
        if cached is None or cached[0] != key:
            cached = (key, [S.parse_recipient(r) for r in key])
            self._recipient_cache = cached
        return list(cached[1])

    def _seal_to_temp(self, target: Path, item: str, original: bytes) -> Path:
        return seal_to_temp(target.parent, f".{target.name}.", item, original,
                            self._parsed_recipients(), self.case_id, self.allow_mixed_pq)[0]

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
                    self._meta = read_meta(self.path)
                path = seal_names(self.path, self.case_id, names, self._parsed_recipients(),
                                  self.allow_mixed_pq)
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
        return self._open_file(self._sealed_item(item), identities, self._binding_check(item))

    def _sealed_item(self, item: str) -> Path:
        check_item(item)
        path = self.path / "sealed" / (item + ".age")
        if not path.is_file():
            raise CaseError(f"the case has no item {item!r} (no {path})",
                            f"List the items with `redact case show {self.path}`.")
        return path

    def _binding_check(self, item: str) -> Callable[[S.Header], None]:
        return binding_check(self.case_id, item, required=self.binds_originals)

    def reveal_to(self, item: str, dst: BinaryIO, identities: Sequence[S.Identity | str]
                  ) -> int:
        """Stream ``item``'s original into ``dst``; on an error, discard what was written."""
        path = self._sealed_item(item)
        with open(path, "rb") as src:
            return S.open_sealed(src, dst, identities, check_header=self._binding_check(item))

    def pseudonym_table(self, identities: Sequence[S.Identity | str]
                        ) -> dict[str, dict[str, Any]]:
        """``{label: {"entity", "forms", "parts"}}``: the real names behind the pseudonyms.

        Opens every ``pseudonyms/names/*.age`` with ``identities`` (a recipient's).
        Plaintext: show it only to people allowed to see it.
        """
        table: dict[str, dict[str, Any]] = {}
        for path in sorted((self.path / NAMES).glob("*.age")):
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
        return dict(sorted(table.items(), key=lambda kv: label_order(kv[0])))

    def label_of(self, entity: str, name: str) -> str | None:
        """The label of ``name`` if the case knows it (test a name; needs the case unlocked)."""
        return self.pseudonyms.lookup(entity, name)

    # ---- recipients ----------------------------------------------------------------------

    def sealed_files(self) -> list[Path]:
        """Every file of the case sealed to its recipients (originals, key, names)."""
        files = [p for p in sorted((self.path / "sealed").rglob("*.age"))
                 if not p.name.startswith(".")]
        files += [p for p in sorted((self.path / NAMES).glob("*.age"))
                  if not p.name.startswith(".")]
        files.append(self.path / SECRET)
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
        new_add, new_remove = recipient_strings(add), recipient_strings(remove)
        with self.locked(exclusive=True):
            self._meta = read_meta(self.path)
            mixed = self.allow_mixed_pq
            new = new_recipient_set(self.recipients, new_add, new_remove, mixed)
            # Proves the caller is a current recipient before anything is touched.
            self._set_secret(self._open_file(self.path / SECRET, identities))
            ids = S.as_identities(identities)
            reseal_files(self.sealed_files(), self.path / "sealed", ids, new, mixed,
                         self.case_id, self.binds_originals)
            self._meta["binds_originals"] = True
            self._meta["recipients"] = new
            self._meta["recipients_changed"] = utc_now()
            write_atomic(self.path / CASE_JSON, meta_bytes(self._meta))
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
            fd = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise CaseError(f"cannot open {self.path / LOCK}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
            yield
        finally:
            os.close(fd)

    def __repr__(self) -> str:
        return f"Case({str(self.path)!r}, unlocked={self.unlocked})"


def _preload_model(model: str | None) -> None:
    """Import Presidio and spaCy, load ``model`` and the gazetteer (:meth:`Case.loading_model`)."""
    with contextlib.suppress(Exception):  # Case.redactor() raises it again, with what to do
        from redact.detect.gazetteer import gazetteer
        from redact.detect.model import choose_model, load_model

        load_model(choose_model(model))
        gazetteer()
