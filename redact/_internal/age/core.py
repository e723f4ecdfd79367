"""Encrypt and decrypt whole age v1 files, streaming, with or without armor."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import BinaryIO

from redact.errors import AgeHeaderError, AgeNoMatchError, RecipientError

from .armor import ArmorReader, ArmorWriter, looks_armored
from .header import Header, Stanza, header_mac, parse_header, verify_mac
from .reader import RawSource, Reader
from .recipients import (
    FILE_KEY_SIZE,
    HYBRID_TYPE,
    SCRYPT_TYPE,
    X25519_TYPE,
    HybridRecipient,
    Identity,
    Recipient,
    ScryptIdentity,
    ScryptRecipient,
)
from .stream import NONCE_SIZE, Writer, decrypt_stream, encrypt_stream

__all__ = ["encrypt", "decrypt", "read_header"]


def _check_recipients(recipients: Sequence[Recipient], allow_mixed_pq: bool) -> None:
    if not recipients:
        raise RecipientError("no recipient given: a sealed file needs at least one",
                             "Give a recipient (age1pq1...) or a passphrase.")
    scrypt = [r for r in recipients if isinstance(r, ScryptRecipient)]
    if scrypt and len(recipients) > 1:
        raise RecipientError(
            "a passphrase cannot be combined with other recipients or passphrases (age "
            "requires a passphrase-sealed file to have exactly one recipient)",
            "Seal either to a passphrase alone, or to public recipients.")
    pq = [r for r in recipients if isinstance(r, HybridRecipient)]
    if pq and len(pq) != len(recipients) and not allow_mixed_pq:
        raise RecipientError(
            "post-quantum (age1pq1...) and classic recipients were mixed: the file would be "
            "only as strong as the classic X25519 recipients against a future quantum computer",
            "Give only age1pq1... recipients (ask the others to run `redact keygen`), or pass "
            "allow_mixed_pq=True if you accept that.")


def _check_extra(extra: Sequence[Stanza], recipients: Sequence[Recipient]) -> None:
    for st in extra:
        if st.type in (HYBRID_TYPE, X25519_TYPE, SCRYPT_TYPE):
            raise ValueError(f"an extra stanza cannot have the recipient type {st.type}")
        st.encode()  # raises ValueError for arguments that are not visible ASCII
    if extra and any(isinstance(r, ScryptRecipient) for r in recipients):
        raise RecipientError("a passphrase-sealed file cannot carry other stanzas (age "
                             "requires the scrypt stanza to be alone)",
                             "Seal to public recipients instead.")


def encrypt(src: BinaryIO, dst: Writer, recipients: Sequence[Recipient], *,
            armor: bool = False, allow_mixed_pq: bool = False,
            extra_stanzas: Sequence[Stanza] = ()) -> int:
    """Seal ``src`` to ``recipients`` into ``dst`` as an age v1 file; return plaintext size.

    ``extra_stanzas`` are written after the recipient stanzas: the header MAC
    covers them, and age implementations ignore stanzas of types they do not
    know (the CCTV vectors ``*_grease`` check it), so the file opens anywhere.
    """
    _check_recipients(recipients, allow_mixed_pq)
    _check_extra(extra_stanzas, recipients)
    file_key = os.urandom(FILE_KEY_SIZE)
    stanzas = tuple(st for r in recipients for st in r.wrap(file_key)) + tuple(extra_stanzas)
    header = Header(stanzas, header_mac(file_key, stanzas))
    out: Writer = ArmorWriter(dst) if armor else dst
    out.write(header.encode())
    n = encrypt_stream(file_key, src, out)
    if isinstance(out, ArmorWriter):
        out.close()
    return n


def _open_reader(src: RawSource, armor: bool | None) -> Reader:
    reader = Reader(src)
    if armor is None:
        armor = looks_armored(reader.peek(64))
    return Reader(ArmorReader(reader)) if armor else reader


def read_header(src: RawSource, *, armor: bool | None = None) -> Header:
    """Parse only the header (for listing stanza types); no key is needed."""
    return parse_header(_open_reader(src, armor))


def decrypt(src: RawSource, dst: Writer, identities: Sequence[Identity], *,
            armor: bool | None = None,
            check_header: Callable[[Header], None] | None = None) -> int:
    """Open an age v1 file from ``src`` into ``dst``; return the plaintext size.

    ``check_header`` is called with the header once its MAC has verified (so
    every stanza is authentic) and before any plaintext is written; what it
    raises stops the opening.
    ``armor=None`` detects ASCII armor. Errors, in the order they are checked:
    :class:`AgeArmorError`, :class:`AgeHeaderError` (also for a malformed stanza
    of a type one of the identities handles, or a truncated payload nonce),
    :class:`AgeNoMatchError`, :class:`AgeHMACError`, :class:`AgePayloadError`
    (raised after the plaintext of every authenticated chunk was written).
    """
    reader = _open_reader(src, armor)
    header = parse_header(reader)
    if not identities:
        raise AgeNoMatchError("no identity or passphrase was given to open the sealed file")
    types = [st.type for st in header.stanzas]
    if SCRYPT_TYPE in types and len(types) != 1:
        raise AgeHeaderError("the sealed file's header is malformed: a passphrase (scrypt) "
                             "stanza must be the file's only recipient stanza")
    file_key = None
    for identity in identities:
        file_key = identity.unwrap(header.stanzas)
        if file_key is not None:
            break
    if file_key is None:
        kinds = sorted(set(types))
        if kinds == [SCRYPT_TYPE]:
            if any(isinstance(i, ScryptIdentity) for i in identities):
                what = "the passphrase is wrong"
            else:
                what = "it is sealed with a passphrase, and no passphrase was given"
        else:
            shown = ", ".join(k if k in (HYBRID_TYPE, "X25519") else "other" for k in kinds)
            what = (f"none of the {len(identities)} given identities matches any of the "
                    f"file's {len(types)} recipient stanza(s) (types: {shown})")
        raise AgeNoMatchError(f"cannot open the sealed file: {what}")
    verify_mac(file_key, header)
    if check_header is not None:
        check_header(header)
    nonce = reader.read_exact(NONCE_SIZE)
    if len(nonce) != NONCE_SIZE:
        raise AgeHeaderError("the sealed file is truncated: it ends inside the payload nonce, "
                             "right after the header")
    return decrypt_stream(file_key, nonce, reader, dst)
