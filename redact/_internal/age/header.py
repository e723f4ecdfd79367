"""The age v1 header: version line, recipient stanzas, MAC (c2sp.org/age).

Parsing is strict, as the spec requires: LF line endings only, canonical
unpadded base64 everywhere, stanza bodies wrapped at exactly 64 columns and
ended by a shorter (possibly empty) line, arguments of visible ASCII separated
by single spaces, and a ``--- `` MAC line of exactly 43 base64 characters. Any
deviation raises :class:`~redact.errors.AgeHeaderError`; messages describe the
defect and never quote the file.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from redact.errors import AgeHeaderError, AgeHMACError

from .reader import Reader

__all__ = [
    "VERSION_LINE",
    "Stanza",
    "Header",
    "b64decode_canonical",
    "b64encode_raw",
    "parse_header",
    "header_mac",
    "verify_mac",
]

VERSION_PREFIX = b"age-encryption.org/"
VERSION_LINE = b"age-encryption.org/v1\n"
MAC_PREFIX = b"---"
STANZA_PREFIX = b"-> "
BODY_COLUMNS = 64
#: a stanza argument: one or more visible ASCII characters (0x21-0x7E)
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")
#: Longest header line accepted (a hybrid stanza's argument line is ~1,520 bytes).
MAX_LINE = 64 * 1024
#: Largest header accepted (about 600 hybrid recipients): bounds memory use.
MAX_HEADER = 4 * 1024 * 1024

_B64_ALPHABET = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def b64encode_raw(data: bytes) -> bytes:
    """Standard base64 without ``=`` padding."""
    return base64.b64encode(data).rstrip(b"=")


def b64decode_canonical(text: bytes) -> bytes:
    """Decode unpadded base64, rejecting padding, stray characters and non-canonical forms.

    Raises ``ValueError`` (callers turn it into the right error class).
    """
    if not _B64_ALPHABET.issuperset(text):
        raise ValueError("invalid base64 character")
    if len(text) % 4 == 1:
        raise ValueError("invalid base64 length")
    try:
        data = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error as exc:  # pragma: no cover - alphabet checked above
        raise ValueError("invalid base64") from exc
    if b64encode_raw(data) != text:
        raise ValueError("non-canonical base64")
    return data


@dataclass(frozen=True)
class Stanza:
    """One recipient stanza: its arguments (first one is the type) and its body."""

    args: tuple[str, ...]
    body: bytes = field(repr=False)

    @property
    def type(self) -> str:
        """The stanza type, i.e. its first argument (``X25519``, ``scrypt``, ...)."""
        return self.args[0]

    def encode(self) -> bytes:
        """The stanza's exact header bytes (argument line, body wrapped at 64 columns)."""
        for arg in self.args:
            if not _VISIBLE_ASCII.fullmatch(arg):
                raise ValueError("stanza arguments must be non-empty visible ASCII")
        if not self.args:
            raise ValueError("a stanza needs at least one argument")
        out = [STANZA_PREFIX + " ".join(self.args).encode("ascii") + b"\n"]
        body = b64encode_raw(self.body)
        for i in range(0, len(body) + 1, BODY_COLUMNS):
            out.append(body[i : i + BODY_COLUMNS] + b"\n")
        # The loop above always ends with a line shorter than 64 columns (maybe empty).
        return b"".join(out)


@dataclass(frozen=True)
class Header:
    """A parsed header: its stanzas and its 32-byte MAC."""

    stanzas: tuple[Stanza, ...]
    mac: bytes = field(repr=False)

    def encode_without_mac(self) -> bytes:
        """The bytes the MAC covers: version line, stanzas, and ``---``."""
        return VERSION_LINE + b"".join(s.encode() for s in self.stanzas) + MAC_PREFIX

    def encode(self) -> bytes:
        """The full header, ending with the MAC line and its LF."""
        return self.encode_without_mac() + b" " + b64encode_raw(self.mac) + b"\n"


def _hmac_key(file_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"header").derive(file_key)


def header_mac(file_key: bytes, stanzas: tuple[Stanza, ...]) -> bytes:
    """Compute the header MAC for ``stanzas`` under ``file_key``."""
    h = hmac.HMAC(_hmac_key(file_key), hashes.SHA256())
    h.update(Header(stanzas, b"").encode_without_mac())
    return h.finalize()


def verify_mac(file_key: bytes, header: Header) -> None:
    """Check the header MAC in constant time; raise :class:`AgeHMACError` if it differs."""
    h = hmac.HMAC(_hmac_key(file_key), hashes.SHA256())
    h.update(header.encode_without_mac())
    try:
        h.verify(header.mac)
    except Exception:  # cryptography.exceptions.InvalidSignature
        raise AgeHMACError(
            "the sealed file's header MAC does not verify: the header was altered after "
            "sealing (a recipient stanza unwrapped, so the key itself is right)"
        ) from None


def _fail(what: str) -> AgeHeaderError:
    return AgeHeaderError(f"the sealed file's header is malformed: {what}")


def _read_line(reader: Reader, total: list[int]) -> bytes:
    """Read one LF-terminated header line (LF stripped); enforce size limits."""
    line, complete = reader.readline(MAX_LINE)
    total[0] += len(line)
    if total[0] > MAX_HEADER:
        raise _fail(f"the header is larger than {MAX_HEADER // (1024 * 1024)} MiB")
    if not complete:
        if len(line) >= MAX_LINE:
            raise _fail("a header line is too long")
        raise _fail("the file ends inside the header")
    return line[:-1]


def parse_header(reader: Reader) -> Header:
    """Parse an age v1 header from ``reader``, leaving it positioned at the payload.

    Raises :class:`AgeHeaderError` for anything that is not a well-formed v1
    header (including an empty input or an unsupported version).
    """
    total = [0]
    first, complete = reader.readline(len(VERSION_LINE) + 64)
    total[0] += len(first)
    if not first:
        raise AgeHeaderError("the input is empty, not a sealed (age) file",
                             "Check that you gave the sealed file, not an empty or wrong one.")
    if first != VERSION_LINE:
        if not first.startswith(VERSION_PREFIX):
            raise AgeHeaderError(
                "the input is not an age-encrypted file (no 'age-encryption.org/' version "
                "line)",
                "Check that you gave the sealed file; armored files start with "
                "'-----BEGIN AGE ENCRYPTED FILE-----'.")
        if complete and not first.endswith(b"\r\n") and b" " not in first:
            raise AgeHeaderError(
                "the sealed file uses an unsupported age format version (only v1 is known)",
                "Open it with a newer age tool, or ask the sender to use age v1.")
        raise _fail("bad version line (wrong line ending or trailing characters)")

    stanzas: list[Stanza] = []
    while True:
        line = _read_line(reader, total)
        if line.startswith(MAC_PREFIX):
            if not line.startswith(b"--- "):
                raise _fail("the MAC line must be '--- ' followed by the MAC")
            mac_text = line[4:]
            if len(mac_text) != 43:
                raise _fail("the MAC has the wrong length")
            try:
                mac = b64decode_canonical(mac_text)
            except ValueError:
                raise _fail("the MAC is not canonical base64") from None
            if not stanzas:
                raise _fail("the header has no recipient stanza")
            return Header(tuple(stanzas), mac)
        if not line.startswith(STANZA_PREFIX):
            raise _fail("a header line starts with neither '-> ' nor '---'")
        args = line[len(STANZA_PREFIX) :].split(b" ")
        for arg in args:
            if not arg:
                raise _fail("a stanza has an empty argument (double or trailing space)")
            if any(not 0x21 <= c <= 0x7E for c in arg):
                raise _fail("a stanza argument contains a non-printable or non-ASCII byte")
        body_lines: list[bytes] = []
        while True:
            body_line = _read_line(reader, total)
            if len(body_line) > BODY_COLUMNS:
                raise _fail("a stanza body line is longer than 64 columns")
            if not _B64_ALPHABET.issuperset(body_line):
                raise _fail("a stanza body line is not base64 (every stanza body must end "
                            "with a line shorter than 64 columns)")
            body_lines.append(body_line)
            if len(body_line) < BODY_COLUMNS:
                break
        try:
            body = b64decode_canonical(b"".join(body_lines))
        except ValueError:
            raise _fail("a stanza body is not canonical base64") from None
        stanzas.append(Stanza(tuple(a.decode("ascii") for a in args), body))
