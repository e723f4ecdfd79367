"""Seal files in the age v1 format, and open them again.

Sealed files are standard age files (c2sp.org/age): anyone with the right
identity can open them with any age 1.3+ tool (``age``, ``rage`` with PQ
support, the ``age-encryption`` npm package), without this project. See
``docs/sealing.md``.

Typical use on the redaction machine, which holds only public recipients::

    from redact import seal

    recipients = seal.read_recipients_file("case/recipients.txt")
    with open("statement.txt", "rb") as src, open("statement.txt.age", "wb") as dst:
        seal.seal(src, dst, recipients)

and on the editor's or lawyer's machine, which holds the identity::

    ids = seal.load_identity_file("~/.config/redact/identity.txt")
    with open("statement.txt.age", "rb") as src, open("statement.txt", "wb") as dst:
        seal.open_sealed(src, dst, ids)

Recipient types: the post-quantum hybrid ML-KEM-768 + X25519 (``age1pq1...``,
the default and the recommended one), classic X25519 (``age1...``), and a
passphrase (:class:`ScryptRecipient`, which must be a file's only recipient).

Every failure raises a :class:`redact.errors.RedactError` subclass whose message
says what went wrong and what to do, and never contains key material or
plaintext.
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, Literal

from redact._internal.age import core
from redact._internal.age.armor import looks_armored
from redact._internal.age.header import Header, Stanza
from redact._internal.age.recipients import (
    HybridIdentity,
    HybridRecipient,
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
)
from redact._internal.age.recipients import parse_identity as _parse_identity
from redact._internal.age.recipients import parse_recipient as _parse_recipient
from redact._internal.durable import write_new_file
from redact.errors import AgeError, AgeNoMatchError, KeyFileError, RecipientError

__all__ = [
    "Recipient",
    "Identity",
    "KeyIdentity",
    "HybridRecipient",
    "HybridIdentity",
    "X25519Recipient",
    "X25519Identity",
    "ScryptRecipient",
    "ScryptIdentity",
    "Stanza",
    "Header",
    "generate_identity",
    "parse_recipient",
    "parse_identity",
    "as_identities",
    "read_recipients_file",
    "load_identity_file",
    "write_identity_file",
    "identity_file_text",
    "seal",
    "seal_bytes",
    "open_sealed",
    "open_bytes",
    "looks_sealed",
]

#: Anything a file can be sealed to.
Recipient = HybridRecipient | X25519Recipient | ScryptRecipient
#: A key-pair identity (what an identity file holds).
KeyIdentity = HybridIdentity | X25519Identity
#: Anything that can open a sealed file.
Identity = HybridIdentity | X25519Identity | ScryptIdentity

_MAX_KEY_FILE = 1024 * 1024
_PathLike = str | os.PathLike[str]


def generate_identity(kind: Literal["pq", "x25519"] = "pq") -> KeyIdentity:
    """Create a new random identity.

    ``"pq"`` (default) gives a post-quantum hybrid identity
    (``AGE-SECRET-KEY-PQ-1...``, recipient ``age1pq1...``); ``"x25519"`` a
    classic one (``AGE-SECRET-KEY-1...``, recipient ``age1...``). ``str()`` of
    the result is the secret key string; ``.recipient`` is the public side::

        ident = generate_identity()
        print(ident.recipient)      # share this
        write_identity_file("identity.txt", ident)   # keep this, mode 0600
    """
    if kind == "pq":
        return HybridIdentity.generate()
    if kind == "x25519":
        return X25519Identity.generate()
    raise ValueError(f"unknown identity kind {kind!r} (use 'pq' or 'x25519')")


def parse_recipient(text: str) -> HybridRecipient | X25519Recipient:
    """Parse a recipient string (``age1pq1...`` or ``age1...``).

    Raises :class:`~redact.errors.RecipientError` if it is malformed or of an
    unsupported type (plugin, SSH and tag recipients are not supported).
    """
    return _parse_recipient(text)


def parse_identity(text: str) -> KeyIdentity:
    """Parse an identity string (``AGE-SECRET-KEY-PQ-1...`` or ``AGE-SECRET-KEY-1...``).

    Raises :class:`~redact.errors.KeyFileError`; the message never repeats the string.
    """
    return _parse_identity(text)


def _key_file_lines(text: str) -> Iterable[tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield number, line


def read_recipients_file(path: _PathLike) -> list[HybridRecipient | X25519Recipient]:
    """Read a recipients file: one recipient per line, ``#`` comments and blank lines ignored.

    Raises :class:`~redact.errors.RecipientError` naming the file and line of a
    bad entry, or if the file holds no recipient; :class:`KeyFileError` if it
    cannot be read.
    """
    p = Path(path).expanduser()
    try:
        data = p.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise KeyFileError(f"cannot read the recipients file {p}: {exc.strerror}",
                           "Check the path; a recipients file lists age1pq1... lines.") from None
    except UnicodeDecodeError:
        raise RecipientError(f"the recipients file {p} is not UTF-8 text") from None
    out: list[HybridRecipient | X25519Recipient] = []
    for number, line in _key_file_lines(text):
        if line.startswith("AGE-SECRET-KEY-"):
            raise RecipientError(
                f"{p}, line {number}: this is a secret identity, not a recipient",
                "Put only public recipients (age1pq1...) in a recipients file; keep the "
                "identity file private and out of the case folder.")
        try:
            out.append(_parse_recipient(line))
        except RecipientError as exc:
            raise RecipientError(f"{p}, line {number}: {exc.what}", exc.todo) from None
    if not out:
        raise RecipientError(f"the recipients file {p} holds no recipient")
    return out


def _check_private(p: Path, st: os.stat_result) -> None:
    if os.name == "posix" and stat.S_IMODE(st.st_mode) & 0o077:
        raise KeyFileError(
            f"the identity file {p} can be read or changed by other users "
            f"(mode {stat.S_IMODE(st.st_mode):04o}); refusing to use it",
            f"Run `chmod 600 {p}` (and check who may have copied it).")


def load_identity_file(path: _PathLike, passphrase: bytes | str | None = None
                       ) -> list[KeyIdentity]:
    """Load every identity from an identity file (age-keygen format).

    The file holds one identity per line; ``#`` comments and blank lines are
    ignored. If the file is itself an age file sealed with a passphrase (as
    ``age -p`` or ``redact keygen --passphrase`` write it, armored or not), it
    is opened with ``passphrase`` first.

    Raises :class:`~redact.errors.KeyFileError` if the file is missing, is
    readable or writable by group or others (fix: ``chmod 600``), is
    passphrase-protected and no or a wrong passphrase was given, or holds a
    malformed identity (the message gives the line number, never the key).
    """
    p = Path(path).expanduser()
    try:
        with open(p, "rb") as fh:
            _check_private(p, os.fstat(fh.fileno()))
            data = fh.read(_MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise KeyFileError(f"the identity file {p} does not exist") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read the identity file {p}: {exc.strerror}") from None
    if len(data) > _MAX_KEY_FILE:
        raise KeyFileError(f"{p} is too large to be an identity file")
    if data.startswith(b"age-encryption.org/") or looks_armored(data[:256]):
        if passphrase is None:
            raise KeyFileError(
                f"the identity file {p} is protected with a passphrase, and none was given",
                "Give the passphrase (the CLI asks for it with --passphrase).")
        out = io.BytesIO()
        try:
            core.decrypt(io.BytesIO(data), out, [ScryptIdentity(passphrase)])
        except AgeNoMatchError:
            raise KeyFileError(
                f"cannot unlock the identity file {p}: wrong passphrase, or it is not "
                "sealed with a passphrase", "Check the passphrase and try again.") from None
        except AgeError as exc:
            raise KeyFileError(f"the protected identity file {p} is damaged: {exc.what}",
                               "Restore the identity file from its backup.") from None
        data = out.getvalue()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"the identity file {p} is not UTF-8 text") from None
    identities: list[KeyIdentity] = []
    for number, line in _key_file_lines(text):
        try:
            identities.append(_parse_identity(line))
        except KeyFileError as exc:
            raise KeyFileError(f"{p}, line {number}: {exc.what}", exc.todo) from None
    if not identities:
        raise KeyFileError(f"the identity file {p} holds no identity")
    return identities


def identity_file_text(identity: KeyIdentity) -> str:
    """The age-keygen style text of an identity file (creation time, public key, secret)."""
    created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return (f"# created: {created}\n"
            f"# public key: {identity.recipient}\n"
            f"{identity}\n")


def write_identity_file(path: _PathLike, identity: KeyIdentity,
                        passphrase: bytes | str | None = None, *,
                        work_factor: int = 18) -> None:
    """Write ``identity`` to a new identity file with mode 0600.

    Refuses to overwrite an existing file (:class:`~redact.errors.OutputError`).
    The file is written to a temporary name, synced, then linked into place,
    so a crash never leaves a partial key file. With ``passphrase``, the file is
    sealed with it (armored age, openable with ``age -d``).
    """
    content = identity_file_text(identity).encode("utf-8")
    if passphrase is not None:
        content = seal_bytes(content, [ScryptRecipient(passphrase, work_factor)], armor=True)
    write_new_file(Path(path).expanduser(), content, mode=0o600)


def _as_recipients(recipients: Iterable[Recipient | str]) -> list[Recipient]:
    if isinstance(recipients, str | bytes) or not isinstance(recipients, Iterable):
        raise TypeError("recipients must be a list of recipients")
    return [_parse_recipient(r) if isinstance(r, str) else r for r in recipients]


def as_identities(identities: Iterable[Identity | str]) -> list[Identity]:
    """``identities`` as objects (``AGE-SECRET-KEY-...`` strings parsed); a single string
    instead of a list is a ``TypeError``."""
    if isinstance(identities, str | bytes) or not isinstance(identities, Iterable):
        raise TypeError("identities must be a list of identities")
    return [_parse_identity(i) if isinstance(i, str) else i for i in identities]


def seal(src: BinaryIO, dst: BinaryIO, recipients: Sequence[Recipient | str], *,
         armor: bool = False, allow_mixed_pq: bool = False,
         extra_stanzas: Sequence[Stanza] = ()) -> int:
    """Seal everything read from ``src`` into ``dst`` as an age v1 file.

    Streams in 64 KiB chunks (memory use does not grow with the file).
    ``recipients`` are recipient objects or strings (``age1pq1...``,
    ``age1...``); a :class:`ScryptRecipient` must be alone. Mixing post-quantum
    and classic recipients is refused unless ``allow_mixed_pq`` (the file would
    only be as strong as the classic recipient). ``armor=True`` writes the
    ASCII armor (``-----BEGIN AGE ENCRYPTED FILE-----``). Returns the number of
    plaintext bytes sealed. ``dst`` is neither flushed nor closed.
    ``extra_stanzas``: header stanzas of a type no age identity handles (what a
    case binds an original to, :func:`redact.case.binding_stanza`); the header
    MAC authenticates them and age tools skip them.

    Raises :class:`~redact.errors.RecipientError` for bad recipient lists.
    """
    return core.encrypt(src, dst, _as_recipients(recipients), armor=armor,
                        allow_mixed_pq=allow_mixed_pq, extra_stanzas=extra_stanzas)


def seal_bytes(data: bytes, recipients: Sequence[Recipient | str], *, armor: bool = False,
               allow_mixed_pq: bool = False, extra_stanzas: Sequence[Stanza] = ()) -> bytes:
    """Seal ``data`` in memory; see :func:`seal`."""
    out = io.BytesIO()
    seal(io.BytesIO(data), out, recipients, armor=armor, allow_mixed_pq=allow_mixed_pq,
         extra_stanzas=extra_stanzas)
    return out.getvalue()


def open_sealed(src: BinaryIO, dst: BinaryIO, identities: Sequence[Identity | str], *,
                armor: bool | None = None,
                check_header: Callable[[Header], None] | None = None) -> int:
    """Open the age file read from ``src``, writing the plaintext to ``dst``.

    ``identities`` are identity objects (or ``AGE-SECRET-KEY-...`` strings);
    :class:`ScryptIdentity` opens passphrase-sealed files. ``armor=None``
    detects ASCII armor; ``True``/``False`` require it or its absence. Returns
    the plaintext size.

    Streaming: plaintext is written chunk by chunk as each 64 KiB chunk
    authenticates. If a later chunk is damaged or the file is truncated,
    :class:`~redact.errors.AgePayloadError` is raised and what was already
    written must be discarded by the caller (the CLI writes to a temporary file
    and deletes it). Other errors, all raised before any plaintext is written:
    :class:`~redact.errors.AgeArmorError`, :class:`~redact.errors.AgeHeaderError`,
    :class:`~redact.errors.AgeNoMatchError` (no identity fits),
    :class:`~redact.errors.AgeHMACError` (header altered). ``check_header``, if
    given, is called with the authenticated header (after the MAC check, before
    any plaintext): whatever it raises stops the opening.
    """
    return core.decrypt(src, dst, as_identities(identities), armor=armor,
                        check_header=check_header)


def open_bytes(data: bytes, identities: Sequence[Identity | str], *,
               armor: bool | None = None,
               check_header: Callable[[Header], None] | None = None) -> bytes:
    """Open a sealed file held in memory; on any error no plaintext is returned."""
    out = io.BytesIO()
    open_sealed(io.BytesIO(data), out, identities, armor=armor, check_header=check_header)
    return out.getvalue()


def looks_sealed(prefix: bytes) -> bool:
    """True if ``prefix`` (a file's first bytes) looks like an age file, binary or armored."""
    return prefix.startswith(b"age-encryption.org/") or (
        looks_armored(prefix) and b"-----BEGIN AGE ENCRYPTED FILE-----" in prefix[:1024])
