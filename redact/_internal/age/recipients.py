"""Native age recipient types on ``cryptography`` primitives (c2sp.org/age).

* ``mlkem768x25519`` -- the ML-KEM-768 + X25519 hybrid (X-Wing) post-quantum
  type: identity ``AGE-SECRET-KEY-PQ-1...`` (a 32-byte seed), recipient
  ``age1pq1...`` (1,216-byte encapsulation key: ML-KEM-768 key || X25519 key).
  The file key is sealed with HPKE base mode, suite MLKEM768-X25519 /
  HKDF-SHA256 / ChaCha20-Poly1305, info ``age-encryption.org/mlkem768x25519``.
* ``X25519`` -- identity ``AGE-SECRET-KEY-1...``, recipient ``age1...``.
* ``scrypt`` -- a passphrase; must be the only stanza of a file.

Recipients wrap a 16-byte file key into stanzas; identities unwrap it. An
identity ignores stanzas of other types and returns ``None`` when a stanza of
its type is for someone else; it raises :class:`~redact.errors.AgeHeaderError`
when a stanza of its type is malformed (wrong argument count or sizes,
non-canonical base64, a body that is not 32 bytes, a low-order X25519 share).

Nothing here stores or prints secret material beyond the key objects; the
``repr`` of an identity shows only its public recipient.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.hpke import (
    AEAD,
    KDF,
    KEM,
    MLKEM768X25519PrivateKey,
    MLKEM768X25519PublicKey,
    Suite,
)
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from redact.errors import AgeHeaderError, KeyFileError, RecipientError

from . import bech32
from .header import Stanza, b64decode_canonical, b64encode_raw

__all__ = [
    "FILE_KEY_SIZE",
    "Recipient",
    "Identity",
    "HybridRecipient",
    "HybridIdentity",
    "X25519Recipient",
    "X25519Identity",
    "ScryptRecipient",
    "ScryptIdentity",
    "parse_recipient",
    "parse_identity",
]

FILE_KEY_SIZE = 16
_BODY_SIZE = FILE_KEY_SIZE + 16
_ZERO_NONCE = bytes(12)

HYBRID_TYPE = "mlkem768x25519"
HYBRID_INFO = b"age-encryption.org/mlkem768x25519"
HYBRID_RECIPIENT_HRP = "age1pq"
HYBRID_IDENTITY_HRP = "age-secret-key-pq-"
_MLKEM_PK_SIZE = 1184
_MLKEM_CT_SIZE = 1088
HYBRID_PK_SIZE = _MLKEM_PK_SIZE + 32
HYBRID_ENC_SIZE = _MLKEM_CT_SIZE + 32
_SUITE = Suite(KEM.MLKEM768_X25519, KDF.HKDF_SHA256, AEAD.CHACHA20_POLY1305)

X25519_TYPE = "X25519"
X25519_INFO = b"age-encryption.org/v1/X25519"
X25519_RECIPIENT_HRP = "age"
X25519_IDENTITY_HRP = "age-secret-key-"

SCRYPT_TYPE = "scrypt"
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
SCRYPT_SALT_SIZE = 16
#: Highest scrypt work factor accepted when opening (2^22: ~4 GiB, several seconds).
SCRYPT_MAX_WORK_FACTOR = 22
_WORK_FACTOR_RE = re.compile(r"[1-9][0-9]*\Z")


@runtime_checkable
class Recipient(Protocol):
    """Something that can wrap a file key into one or more stanzas."""

    def wrap(self, file_key: bytes) -> list[Stanza]:
        """Return the stanza(s) that carry ``file_key`` for this recipient."""
        ...


@runtime_checkable
class Identity(Protocol):
    """Something that can try to unwrap a file key from a header's stanzas."""

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        """Return the file key, ``None`` if no stanza is for this identity.

        Raises :class:`AgeHeaderError` if a stanza of this identity's type is malformed.
        """
        ...


def _malformed(kind: str, what: str) -> AgeHeaderError:
    return AgeHeaderError(f"the sealed file's header is malformed: a {kind} stanza {what}")


def _aead_wrap(key: bytes, file_key: bytes) -> bytes:
    return ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, file_key, None)


def _aead_unwrap(key: bytes, body: bytes) -> bytes | None:
    try:
        return ChaCha20Poly1305(key).decrypt(_ZERO_NONCE, body, None)
    except InvalidTag:
        return None


def _decode_arg(kind: str, arg: str, size: int, name: str) -> bytes:
    try:
        raw = b64decode_canonical(arg.encode("ascii"))
    except ValueError:
        raise _malformed(kind, f"has a {name} that is not canonical base64") from None
    if len(raw) != size:
        raise _malformed(kind, f"has a {name} of {len(raw)} bytes instead of {size}")
    return raw


def _check_body(kind: str, stanza: Stanza) -> None:
    if len(stanza.body) != _BODY_SIZE:
        raise _malformed(kind, f"has a body of {len(stanza.body)} bytes instead of {_BODY_SIZE}")


# --------------------------------------------------------------------------- hybrid


def _expand_hybrid_seed(seed: bytes) -> tuple[mlkem.MLKEM768PrivateKey, x25519.X25519PrivateKey]:
    """SHAKE-256(seed, 96 bytes): ML-KEM-768 seed (first 64) and X25519 key (last 32)."""
    h = hashes.Hash(hashes.SHAKE256(digest_size=96))
    h.update(seed)
    out = h.finalize()
    return (mlkem.MLKEM768PrivateKey.from_seed_bytes(out[:64]),
            x25519.X25519PrivateKey.from_private_bytes(out[64:]))


class HybridRecipient:
    """An ML-KEM-768 + X25519 hybrid (post-quantum) recipient, ``age1pq1...``."""

    def __init__(self, public_key: bytes) -> None:
        """Build from the 1,216-byte encapsulation key (ML-KEM-768 || X25519)."""
        if len(public_key) != HYBRID_PK_SIZE:
            raise RecipientError(
                f"a hybrid (age1pq1...) recipient holds {len(public_key)} bytes instead of "
                f"{HYBRID_PK_SIZE}")
        try:
            self._mlkem = mlkem.MLKEM768PublicKey.from_public_bytes(public_key[:_MLKEM_PK_SIZE])
            self._x25519 = x25519.X25519PublicKey.from_public_bytes(public_key[_MLKEM_PK_SIZE:])
        except ValueError:
            raise RecipientError("a hybrid (age1pq1...) recipient is not a valid public key") \
                from None
        self._key = MLKEM768X25519PublicKey(self._mlkem, self._x25519)
        self._bytes = bytes(public_key)

    @property
    def public_bytes(self) -> bytes:
        """The 1,216-byte encapsulation key."""
        return self._bytes

    def wrap(self, file_key: bytes) -> list[Stanza]:
        """Seal ``file_key`` with HPKE to this recipient: one ``mlkem768x25519`` stanza."""
        sealed = _SUITE.encrypt(file_key, self._key, info=HYBRID_INFO)
        enc, body = sealed[:HYBRID_ENC_SIZE], sealed[HYBRID_ENC_SIZE:]
        return [Stanza((HYBRID_TYPE, b64encode_raw(enc).decode("ascii")), body)]

    def __str__(self) -> str:
        return bech32.encode(HYBRID_RECIPIENT_HRP, self._bytes)

    def __repr__(self) -> str:
        s = str(self)
        return f"HybridRecipient({s[:16]}...{s[-8:]})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, HybridRecipient) and other._bytes == self._bytes

    def __hash__(self) -> int:
        return hash(("age1pq", self._bytes))


class HybridIdentity:
    """An ML-KEM-768 + X25519 hybrid identity, ``AGE-SECRET-KEY-PQ-1...`` (a 32-byte seed)."""

    def __init__(self, seed: bytes) -> None:
        """Build from the 32-byte seed (use :meth:`generate` for a new one)."""
        if len(seed) != 32:
            raise KeyFileError("a hybrid identity (AGE-SECRET-KEY-PQ-1...) must hold 32 bytes")
        self._seed = bytes(seed)
        mlkem_key, self._x25519 = _expand_hybrid_seed(self._seed)
        self._key = MLKEM768X25519PrivateKey(mlkem_key, self._x25519)
        self._recipient = HybridRecipient(mlkem_key.public_key().public_bytes_raw()
                                          + self._x25519.public_key().public_bytes_raw())

    @classmethod
    def generate(cls) -> HybridIdentity:
        """A new random identity (32 bytes from the OS CSPRNG)."""
        return cls(os.urandom(32))

    @property
    def recipient(self) -> HybridRecipient:
        """The public recipient (``age1pq1...``) for this identity."""
        return self._recipient

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        """Try every ``mlkem768x25519`` stanza; return the file key or ``None``."""
        for st in stanzas:
            if st.type != HYBRID_TYPE:
                continue
            if len(st.args) != 2:
                raise _malformed(HYBRID_TYPE, f"has {len(st.args)} arguments instead of 2")
            enc = _decode_arg(HYBRID_TYPE, st.args[1], HYBRID_ENC_SIZE, "encapsulated key")
            _check_body(HYBRID_TYPE, st)
            # The HPKE layer would fold a low-order X25519 share into a plain
            # decryption failure; age requires rejecting it, so check it here.
            try:
                self._x25519.exchange(
                    x25519.X25519PublicKey.from_public_bytes(enc[_MLKEM_CT_SIZE:]))
            except ValueError:
                raise _malformed(HYBRID_TYPE, "has a low-order X25519 share (all-zero "
                                 "shared secret)") from None
            try:
                file_key = _SUITE.decrypt(enc + st.body, self._key, info=HYBRID_INFO)
            except (InvalidTag, ValueError):
                continue
            return file_key
        return None

    def __str__(self) -> str:
        return bech32.encode(HYBRID_IDENTITY_HRP, self._seed).upper()

    def __repr__(self) -> str:
        return f"HybridIdentity(recipient={self._recipient!r})"


# --------------------------------------------------------------------------- X25519


class X25519Recipient:
    """A classic X25519 recipient, ``age1...`` (not post-quantum)."""

    def __init__(self, public_key: bytes) -> None:
        """Build from the 32-byte X25519 public key."""
        if len(public_key) != 32:
            raise RecipientError(
                f"an X25519 (age1...) recipient holds {len(public_key)} bytes instead of 32")
        self._bytes = bytes(public_key)
        self._key = x25519.X25519PublicKey.from_public_bytes(self._bytes)

    @property
    def public_bytes(self) -> bytes:
        """The 32-byte public key."""
        return self._bytes

    def wrap(self, file_key: bytes) -> list[Stanza]:
        """Wrap ``file_key`` with a fresh ephemeral share: one ``X25519`` stanza."""
        eph = x25519.X25519PrivateKey.generate()
        share = eph.public_key().public_bytes_raw()
        shared = eph.exchange(self._key)
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=share + self._bytes,
                   info=X25519_INFO).derive(shared)
        return [Stanza((X25519_TYPE, b64encode_raw(share).decode("ascii")),
                       _aead_wrap(key, file_key))]

    def __str__(self) -> str:
        return bech32.encode(X25519_RECIPIENT_HRP, self._bytes)

    def __repr__(self) -> str:
        return f"X25519Recipient({self})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, X25519Recipient) and other._bytes == self._bytes

    def __hash__(self) -> int:
        return hash(("age", self._bytes))


class X25519Identity:
    """A classic X25519 identity, ``AGE-SECRET-KEY-1...``."""

    def __init__(self, secret: bytes) -> None:
        """Build from the 32-byte X25519 private key."""
        if len(secret) != 32:
            raise KeyFileError("an X25519 identity (AGE-SECRET-KEY-1...) must hold 32 bytes")
        self._secret = bytes(secret)
        self._key = x25519.X25519PrivateKey.from_private_bytes(self._secret)
        self._recipient = X25519Recipient(self._key.public_key().public_bytes_raw())

    @classmethod
    def generate(cls) -> X25519Identity:
        """A new random identity."""
        return cls(os.urandom(32))

    @property
    def recipient(self) -> X25519Recipient:
        """The public recipient (``age1...``) for this identity."""
        return self._recipient

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        """Try every ``X25519`` stanza; return the file key or ``None``."""
        for st in stanzas:
            if st.type != X25519_TYPE:
                continue
            if len(st.args) != 2:
                raise _malformed(X25519_TYPE, f"has {len(st.args)} arguments instead of 2")
            share = _decode_arg(X25519_TYPE, st.args[1], 32, "share")
            _check_body(X25519_TYPE, st)
            try:
                shared = self._key.exchange(x25519.X25519PublicKey.from_public_bytes(share))
            except ValueError:
                raise _malformed(X25519_TYPE, "has a low-order share (all-zero shared "
                                 "secret)") from None
            key = HKDF(algorithm=hashes.SHA256(), length=32,
                       salt=share + self._recipient.public_bytes, info=X25519_INFO).derive(shared)
            file_key = _aead_unwrap(key, st.body)
            if file_key is not None:
                return file_key
        return None

    def __str__(self) -> str:
        return bech32.encode(X25519_IDENTITY_HRP, self._secret).upper()

    def __repr__(self) -> str:
        return f"X25519Identity(recipient={self._recipient!r})"


# --------------------------------------------------------------------------- scrypt


def _passphrase_bytes(passphrase: bytes | str) -> bytes:
    data = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
    if not data:
        raise RecipientError("the passphrase is empty", "Give a non-empty passphrase.")
    return data


def _scrypt(passphrase: bytes, salt: bytes, work_factor: int) -> bytes:
    return Scrypt(salt=SCRYPT_LABEL + salt, length=32, n=1 << work_factor, r=8,
                  p=1).derive(passphrase)


class ScryptRecipient:
    """A passphrase recipient; a file sealed to it can have no other recipient."""

    def __init__(self, passphrase: bytes | str, work_factor: int = 18) -> None:
        """``work_factor`` is log2 of scrypt's N (18: ~256 MiB and ~1 s)."""
        if not 1 <= work_factor <= SCRYPT_MAX_WORK_FACTOR:
            raise RecipientError(
                f"scrypt work factor {work_factor} is outside 1..{SCRYPT_MAX_WORK_FACTOR}",
                "Use the default (18) unless you know why not.")
        self._passphrase = _passphrase_bytes(passphrase)
        self.work_factor = work_factor

    def wrap(self, file_key: bytes) -> list[Stanza]:
        """Wrap ``file_key`` under the passphrase with a fresh salt: one ``scrypt`` stanza."""
        salt = os.urandom(SCRYPT_SALT_SIZE)
        key = _scrypt(self._passphrase, salt, self.work_factor)
        return [Stanza((SCRYPT_TYPE, b64encode_raw(salt).decode("ascii"),
                        str(self.work_factor)), _aead_wrap(key, file_key))]

    def __repr__(self) -> str:
        return f"ScryptRecipient(work_factor={self.work_factor})"


class ScryptIdentity:
    """A passphrase identity, for files sealed with :class:`ScryptRecipient`."""

    def __init__(self, passphrase: bytes | str,
                 max_work_factor: int = SCRYPT_MAX_WORK_FACTOR) -> None:
        """``max_work_factor`` bounds the time and memory an opened file can demand."""
        self._passphrase = _passphrase_bytes(passphrase)
        self.max_work_factor = max_work_factor

    def unwrap(self, stanzas: Sequence[Stanza]) -> bytes | None:
        """Try the ``scrypt`` stanza; return the file key or ``None`` (wrong passphrase)."""
        for st in stanzas:
            if st.type != SCRYPT_TYPE:
                continue
            if len(st.args) != 3:
                raise _malformed(SCRYPT_TYPE, f"has {len(st.args)} arguments instead of 3")
            salt = _decode_arg(SCRYPT_TYPE, st.args[1], SCRYPT_SALT_SIZE, "salt")
            if not _WORK_FACTOR_RE.match(st.args[2]):
                raise _malformed(SCRYPT_TYPE, "has a work factor that is not a plain decimal "
                                 "number")
            work_factor = int(st.args[2]) if len(st.args[2]) <= 3 else 1000
            if work_factor > self.max_work_factor:
                raise _malformed(SCRYPT_TYPE, f"asks for work factor {st.args[2][:6]}, above "
                                 f"the limit of {self.max_work_factor}")
            _check_body(SCRYPT_TYPE, st)
            file_key = _aead_unwrap(_scrypt(self._passphrase, salt, work_factor), st.body)
            if file_key is not None:
                return file_key
        return None

    def __repr__(self) -> str:
        return "ScryptIdentity()"


# --------------------------------------------------------------------------- parsing


def parse_recipient(text: str) -> HybridRecipient | X25519Recipient:
    """Parse ``age1pq1...`` or ``age1...``; raise :class:`RecipientError` otherwise."""
    text = text.strip()
    try:
        hrp, data = bech32.decode(text)
    except bech32.Bech32Error as exc:
        hint = ("" if text.lower().startswith("age1") else
                " (plugin and SSH recipients are not supported)")
        raise RecipientError(f"not a valid age recipient: {exc}{hint}") from None
    if text != text.lower():
        raise RecipientError("an age recipient must be written in lower case")
    if hrp == HYBRID_RECIPIENT_HRP:
        return HybridRecipient(data)
    if hrp == X25519_RECIPIENT_HRP:
        return X25519Recipient(data)
    if hrp.startswith("age1"):
        raise RecipientError(
            "unsupported age recipient type (only age1pq1... and age1... are supported; "
            "tag and plugin recipients are not)")
    raise RecipientError("not an age recipient (it should start with age1pq1 or age1)")


def parse_identity(text: str) -> HybridIdentity | X25519Identity:
    """Parse ``AGE-SECRET-KEY-PQ-1...`` or ``AGE-SECRET-KEY-1...``.

    Raises :class:`KeyFileError`; the message never repeats the string.
    """
    text = text.strip()
    try:
        hrp, data = bech32.decode(text)
    except bech32.Bech32Error as exc:
        raise KeyFileError(f"not a valid age identity: {exc}") from None
    if text != text.upper():
        raise KeyFileError("an age identity must be written in upper case")
    if hrp == HYBRID_IDENTITY_HRP:
        return HybridIdentity(data)
    if hrp == X25519_IDENTITY_HRP:
        return X25519Identity(data)
    if hrp.startswith("age-plugin-"):
        raise KeyFileError("age plugin identities (AGE-PLUGIN-...) are not supported")
    raise KeyFileError("not an age identity (it should start with AGE-SECRET-KEY-)")
