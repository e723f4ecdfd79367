"""The keys of a case and its creation: the case secret (pseudonym key and signing key)
sealed to the recipients and under the case passphrase, the keys derived from it (the
sealed allow and deny lists, report hashes), and the case's policy.

The case secret is ``{"format", "version", "case_id", "pseudonym_key",
"signing_key"}`` in JSON, sealed to the recipients (``keys/case-secret.age``)
and with the case passphrase (scrypt, ``keys/case-secret.pass.age``). The
pseudonym key never changes: a recipient rotation or a new passphrase keeps it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from redact import seal as S
from redact._internal.durable import fsync_dir
from redact.case.layout import (
    CASE_FORMAT,
    CASE_JSON,
    CASE_VERSION,
    DIRS,
    INDEX,
    INDEX_LOCK,
    LISTS,
    LISTS_FORMAT,
    LOCK,
    MIN_PASSPHRASE,
    POLICY,
    SECRET,
    SECRET_FORMAT,
    SECRET_PASS,
    PathLike,
    b64,
    meta_bytes,
    mkdir_private,
    read_meta,
    unb64,
    write_atomic,
)
from redact.errors import (
    AgeError,
    AgeNoMatchError,
    CaseError,
    CaseLockedError,
    CasePassphraseError,
    PolicyError,
    RecipientError,
)
from redact.manifest import utc_now

if TYPE_CHECKING:
    from redact.policy import Policy

__all__ = ["create_case", "parse_recipients", "check_passphrase", "secret_doc", "parse_secret",
           "signing_public_key", "open_with_passphrase", "write_passphrase_secret",
           "lists_key", "report_key", "load_case_policy", "has_clear_lists",
           "seal_clear_lists"]


# ---- the case secret ---------------------------------------------------------------------


def parse_recipients(recipients: Sequence[S.Recipient | str]) -> list[S.Recipient]:
    """A case's recipients as objects, without duplicates; never a passphrase, never none."""
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


def check_passphrase(passphrase: bytes | str, todo: str) -> None:
    """Refuse a case passphrase shorter than the minimum (``todo``: what to do)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise CaseError(f"the case passphrase is shorter than {MIN_PASSPHRASE} characters",
                        todo)


def secret_doc(case_id: str, pseudonym_key: bytes, signing_key: bytes) -> bytes:
    """The plaintext of the case secret (to be sealed)."""
    return json.dumps({
        "format": SECRET_FORMAT, "version": CASE_VERSION, "case_id": case_id,
        "pseudonym_key": b64(pseudonym_key), "signing_key": b64(signing_key),
    }).encode("utf-8")


def signing_public_key(meta: dict[str, Any]) -> Ed25519PublicKey:
    """The case's Ed25519 public key, from ``case.json``."""
    text = str(meta["signing_public_key"]).removeprefix("ed25519:")
    return Ed25519PublicKey.from_public_bytes(unb64(text, "signing_public_key"))


def parse_secret(data: bytes, meta: dict[str, Any]) -> dict[str, bytes]:
    """``{"pseudonym_key", "signing_key"}`` of the opened case secret ``data``, checked
    against ``case.json`` (``meta``): its case id and signing public key."""
    try:
        doc = json.loads(data)
        ok = doc.get("format") == SECRET_FORMAT and doc.get("case_id") == str(meta["case_id"])
    except (ValueError, AttributeError):
        ok = False
    if not ok:
        raise CaseError("the case secret does not belong to this case or is malformed",
                        "Restore keys/ from a backup of this case.")
    pk = unb64(doc["pseudonym_key"], "pseudonym_key")
    sk = unb64(doc["signing_key"], "signing_key")
    signing = Ed25519PrivateKey.from_private_bytes(sk)
    pub = signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    if len(pk) != 32 or not hmac.compare_digest(
            pub, signing_public_key(meta).public_bytes(Encoding.Raw, PublicFormat.Raw)):
        raise CaseError("the case secret does not match case.json",
                        "Restore keys/ and case.json from the same backup.")
    return {"pseudonym_key": pk, "signing_key": sk}


def open_with_passphrase(folder: Path, meta: dict[str, Any], passphrase: bytes | str) -> bytes:
    """The case secret of the case ``folder``, opened with the case passphrase."""
    pass_meta = meta.get("passphrase")
    if not pass_meta:
        raise CaseError("this case has no passphrase; unlock it with an identity",
                        "Use --identity with the identity file of a recipient.")
    try:
        sealed = (folder / pass_meta["file"]).read_bytes()
    except OSError as exc:
        raise CaseError(f"cannot read the case's passphrase-sealed key: "
                        f"{exc.strerror}", "Restore keys/ from a backup.") from None
    try:
        return S.open_bytes(sealed, [S.ScryptIdentity(passphrase)])
    except AgeNoMatchError:
        raise CasePassphraseError(
            f"wrong passphrase for the case {folder}") from None
    except AgeError as exc:
        raise CaseError(f"the case's passphrase-sealed key is damaged: {exc.what}",
                        "Restore keys/case-secret.pass.age from a backup, or unlock "
                        "with an identity.") from None


def write_passphrase_secret(folder: Path, meta: dict[str, Any], doc: bytes,
                            passphrase: bytes | str, work_factor: int) -> None:
    """Seal the case secret ``doc`` under ``passphrase`` into the case ``folder``, then
    record it in ``meta`` and ``case.json`` (the caller holds the case's exclusive lock)."""
    write_atomic(folder / SECRET_PASS,
                 S.seal_bytes(doc, [S.ScryptRecipient(passphrase, work_factor)]))
    meta["passphrase"] = {"file": SECRET_PASS, "scrypt_work_factor": work_factor}
    write_atomic(folder / CASE_JSON, meta_bytes(meta))


def report_key(pseudonym_key: bytes) -> bytes:
    """Key of the keyed hashes in a case's reports: HMAC(pseudonym key, ...)."""
    return hmac.new(pseudonym_key, b"redact/report-hash/v1", hashlib.sha256).digest()


# ---- the policy's allow and deny lists, sealed under the case secret ---------------------


def lists_key(pseudonym_key: bytes) -> bytes:
    """Key of ``keys/policy-lists.sealed``: HMAC-SHA256(pseudonym key, "redact/case-lists/v1").

    The pseudonym key is what either unlock (passphrase or identity) yields, and it
    never changes (recipient rotation and a new passphrase keep it), so the lists
    file is written once and never re-sealed.
    """
    return hmac.new(pseudonym_key, b"redact/case-lists/v1", hashlib.sha256).digest()


def _lists_aad(case_id: str) -> bytes:
    return json.dumps({"format": LISTS_FORMAT, "version": 1, "case_id": case_id},
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def _policy_lists(policy: Policy) -> dict[str, list[dict[str, Any]]]:
    data = policy.to_dict()
    return {"allow": data["allow"], "deny": data["deny"]}


def _seal_lists(key: bytes, case_id: str, lists: dict[str, list[dict[str, Any]]]) -> bytes:
    """The bytes of ``keys/policy-lists.sealed``: JSON around a ChaCha20-Poly1305 box."""
    nonce = secrets.token_bytes(12)
    plain = json.dumps(lists, ensure_ascii=False).encode("utf-8")
    box = ChaCha20Poly1305(key).encrypt(nonce, plain, _lists_aad(case_id))
    doc = {"format": LISTS_FORMAT, "version": 1, "case_id": case_id,
           "alg": "ChaCha20-Poly1305; key HMAC-SHA256(pseudonym_key, 'redact/case-lists/v1')",
           "nonce": b64(nonce), "sealed": b64(box)}
    return (json.dumps(doc, indent=1) + "\n").encode("utf-8")


def _open_lists(folder: Path, key: bytes, case_id: str) -> dict[str, list[dict[str, Any]]]:
    path = folder / LISTS
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
              f"# they are sealed in {LISTS} and read once the case is unlocked.\n"
              "# Do not edit: case.json holds the fingerprint of the whole policy, and a\n"
              "# changed policy is refused.\n")
    data = {**policy.to_dict(), "allow": [], "deny": []}
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)).encode("utf-8")


def _changed_policy(path: Path) -> CaseError:
    return CaseError(f"{path} was changed after the case was created (its fingerprint "
                     "does not match case.json)",
                     "Restore the case's policy.yaml; a case keeps one policy so that its "
                     "statements are redacted alike.")


def read_public_policy(folder: Path) -> Policy:
    """The case's ``policy.yaml`` as it stands (without the sealed lists). The case wrote
    it valid: one that no longer loads was edited, and says so (:class:`CaseError`)."""
    from redact.policy import Policy

    try:
        return Policy.load(folder / POLICY)
    except PolicyError:
        raise _changed_policy(folder / POLICY) from None


def load_case_policy(folder: PathLike, lists_key: bytes | None = None,
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
    meta = read_meta(folder) if meta is None else meta
    path = folder / POLICY
    changed = _changed_policy(path)
    public = read_public_policy(folder)
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



def has_clear_lists(folder: Path) -> bool:
    """True if the ``policy.yaml`` of the case ``folder`` holds allow or deny entries (an
    older case, whose lists :func:`seal_clear_lists` seals)."""

    public = read_public_policy(folder)
    return bool(public.allow or public.deny)


def seal_clear_lists(folder: Path, meta: dict[str, Any], key: bytes) -> bool:
    """Seal the allow and deny lists an older case keeps in ``policy.yaml``.

    The caller holds the case's exclusive lock and passes ``meta`` just read
    (it is updated). The lists file, then ``case.json`` (its ``sealed_lists``),
    then ``policy.yaml`` without the lists: interrupted at any point, the case
    still opens, and the next unlock finishes. The policy's fingerprint does not
    change. Returns False (and changes nothing) for a changed policy, which is
    refused when it is used.
    """
    try:
        full = load_case_policy(folder, key, meta)
    except CaseError:
        return False
    pol_meta = meta["policy"]
    if pol_meta.get("sealed_lists") is None:
        lists = _policy_lists(full)
        write_atomic(folder / LISTS, _seal_lists(key, str(meta["case_id"]), lists))
        pol_meta["sealed_lists"] = {"file": LISTS, "allow": len(lists["allow"]),
                                    "deny": len(lists["deny"])}
        write_atomic(folder / CASE_JSON, meta_bytes(meta))
    source = str(pol_meta.get("source") or Path(full.sources[0]).name)
    write_atomic(folder / POLICY, _public_policy_text(full, source))
    return True


# ---- creating a case ---------------------------------------------------------------------


def create_case(target: Path, recipients: Sequence[S.Recipient | str],
                policy_path: PathLike | None, passphrase: bytes | str | None,
                work_factor: int, allow_mixed_pq: bool) -> tuple[dict[str, Any], bytes]:
    """Build a new case folder at ``target``; return its ``case.json`` and the plaintext
    case secret (see :meth:`redact.case.Case.init`, which documents the arguments)."""
    from redact.policy import Policy

    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CaseError(f"{target} already exists and is not an empty folder",
                        "Choose a new case folder path.")
    recs = parse_recipients(recipients)
    if not allow_mixed_pq:
        kinds = {type(r) for r in recs}
        if len(kinds) > 1:
            raise RecipientError(
                "the recipients mix post-quantum (age1pq1...) and classic (age1...) keys; "
                "the case would only be as strong as the classic ones",
                "Give only age1pq1... recipients (or pass allow_mixed_pq=True).")
    if passphrase is not None:
        check_passphrase(passphrase, "Use a long passphrase (several random words): it is all "
                                     "that protects the pseudonym key on the redaction "
                                     "machine.")
    S.ScryptRecipient("x", work_factor)  # validates the range
    policy = Policy.load(None if policy_path is None else str(policy_path))
    parent = target.parent
    if not parent.is_dir():
        raise CaseError(f"the folder {parent} does not exist")
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=parent))
    try:
        os.chmod(tmp, 0o700)
        for d in DIRS:
            mkdir_private(tmp / d)
        pseudonym_key = secrets.token_bytes(32)
        signing = Ed25519PrivateKey.generate()
        case_id = secrets.token_hex(16)
        # The effective policy, self-contained, without its allow and deny lists (the
        # names a case protects): those are sealed under the case secret.
        source = Path(policy.sources[-1]).name
        write_atomic(tmp / POLICY, _public_policy_text(policy, source), overwrite=False)
        lists = _policy_lists(policy)
        write_atomic(tmp / LISTS, _seal_lists(lists_key(pseudonym_key), case_id, lists),
                     overwrite=False)
        doc = secret_doc(case_id, pseudonym_key, signing.private_bytes_raw())
        write_atomic(tmp / SECRET, S.seal_bytes(doc, recs, allow_mixed_pq=allow_mixed_pq),
                     overwrite=False)
        if passphrase is not None:
            write_atomic(tmp / SECRET_PASS, S.seal_bytes(
                doc, [S.ScryptRecipient(passphrase, work_factor)]), overwrite=False)
        write_atomic(tmp / INDEX, b"", overwrite=False)
        write_atomic(tmp / LOCK, b"", overwrite=False)
        write_atomic(tmp / INDEX_LOCK, b"", overwrite=False)
        meta = {
            "format": CASE_FORMAT, "version": CASE_VERSION, "case_id": case_id,
            "created": utc_now(),
            "recipients": [str(r) for r in recs],
            "allow_mixed_pq": allow_mixed_pq,
            "policy": {"file": POLICY, "sha256": policy.sha256(), "source": source,
                       "sealed_lists": {"file": LISTS, "allow": len(lists["allow"]),
                                        "deny": len(lists["deny"])}},
            "signing_public_key": "ed25519:" + b64(signing.public_key().public_bytes(
                Encoding.Raw, PublicFormat.Raw)),
            "passphrase": ({"file": SECRET_PASS, "scrypt_work_factor": work_factor}
                           if passphrase is not None else None),
            # every sealed original carries binding_stanza(case_id, item); one without
            # it is refused (cases made before bindings lack this key: docs/sealing.md)
            "binds_originals": True,
        }
        write_atomic(tmp / CASE_JSON, meta_bytes(meta), overwrite=False)
        # Checked to reload identically (policy.yaml and the sealed lists together).
        if load_case_policy(tmp, lists_key(pseudonym_key), meta).sha256() != \
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
    return meta, doc
