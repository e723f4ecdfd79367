"""The age v1 payload: a 16-byte nonce, then ChaCha20-Poly1305 STREAM in 64 KiB chunks.

``payload key = HKDF-SHA-256(ikm=file key, salt=nonce, info="payload")``; chunk
``i`` is sealed with the 12-byte nonce ``i`` (11 bytes, big endian) followed by
``0x01`` for the final chunk and ``0x00`` otherwise. The final chunk may be
short, and is empty only when the whole payload is empty.

Both directions hold at most two chunks in memory, whatever the file size.
Decryption writes each chunk's plaintext as soon as it authenticates; a
truncated, extended or altered payload raises
:class:`~redact.errors.AgePayloadError` *after* the chunks that did authenticate
were written, and the caller must treat the output as incomplete.
"""

from __future__ import annotations

import os
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from redact.errors import AgePayloadError

from .reader import Reader

__all__ = ["CHUNK_SIZE", "NONCE_SIZE", "TAG_SIZE", "payload_key", "encrypt_stream",
           "decrypt_stream"]

CHUNK_SIZE = 64 * 1024
TAG_SIZE = 16
NONCE_SIZE = 16
_MAX_CHUNKS = 1 << 88  # the 11-byte counter


class Writer(Protocol):
    """Anything with ``write(bytes)``."""

    def write(self, data: bytes, /) -> object: ...


def payload_key(file_key: bytes, nonce: bytes) -> bytes:
    """Derive the 32-byte payload key from the file key and the payload nonce."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=nonce, info=b"payload").derive(
        file_key)


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _read_full(src: BinaryIO, n: int) -> bytes:
    """Read exactly ``n`` bytes unless end of input comes first (pipes return short reads)."""
    first = src.read(n)
    if not first or len(first) == n:
        return first or b""
    parts = [first]
    got = len(first)
    while got < n:
        more = src.read(n - got)
        if not more:
            break
        parts.append(more)
        got += len(more)
    return b"".join(parts)


def encrypt_stream(file_key: bytes, src: BinaryIO, dst: Writer) -> int:
    """Write the payload nonce and the STREAM-encrypted ``src`` to ``dst``.

    Returns the number of plaintext bytes read.
    """
    nonce = os.urandom(NONCE_SIZE)
    aead = ChaCha20Poly1305(payload_key(file_key, nonce))
    dst.write(nonce)
    counter = 0
    total = 0
    chunk = _read_full(src, CHUNK_SIZE)
    while True:
        nxt = _read_full(src, CHUNK_SIZE) if len(chunk) == CHUNK_SIZE else b""
        last = not nxt
        dst.write(aead.encrypt(_nonce(counter, last), chunk, None))
        total += len(chunk)
        if last:
            return total
        counter += 1
        chunk = nxt


def _payload_error(what: str) -> AgePayloadError:
    return AgePayloadError(f"the sealed file's payload {what}")


def decrypt_stream(file_key: bytes, nonce: bytes, reader: Reader, dst: Writer) -> int:
    """Decrypt the STREAM payload after ``nonce`` from ``reader`` into ``dst``.

    Returns the number of plaintext bytes written. Raises
    :class:`AgePayloadError` if a chunk does not authenticate, the payload is
    truncated (no final chunk), a non-first final chunk is empty, or bytes
    follow the final chunk; plaintext of chunks that authenticated before the
    failure has been written already.
    """
    aead = ChaCha20Poly1305(payload_key(file_key, nonce))
    counter = 0
    total = 0
    full = CHUNK_SIZE + TAG_SIZE
    while True:
        data = reader.read_exact(full)
        if not data:
            if counter == 0:
                raise _payload_error("is missing: the file ends right after its header")
            raise _payload_error("is truncated: it ends without a final chunk")
        if len(data) < TAG_SIZE:
            raise _payload_error(f"is truncated or damaged: chunk {counter} is too short")
        if len(data) < full:
            last = True
            try:
                plain = aead.decrypt(_nonce(counter, True), data, None)
            except InvalidTag:
                raise _payload_error(
                    f"was altered or truncated: chunk {counter} does not authenticate") from None
        else:
            try:
                plain = aead.decrypt(_nonce(counter, False), data, None)
                last = False
            except InvalidTag:
                try:
                    plain = aead.decrypt(_nonce(counter, True), data, None)
                    last = True
                except InvalidTag:
                    raise _payload_error(
                        f"was altered: chunk {counter} does not authenticate") from None
        if last and not plain and counter > 0:
            raise _payload_error("ends with an empty final chunk, which age forbids")
        dst.write(plain)
        total += len(plain)
        if last:
            if not reader.at_eof():
                raise _payload_error("has extra data after its final chunk")
            return total
        counter += 1
        if counter >= _MAX_CHUNKS:  # pragma: no cover - needs 2^88 chunks
            raise _payload_error("has too many chunks")
