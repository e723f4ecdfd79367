"""Reading statements and writing outputs safely (atomic writes, clear errors).

Inputs are read as bytes and decoded strictly; line endings are kept as they
are. Outputs go to a temporary file in the target folder, are synced, then
renamed into place: a crash never leaves a half-written output where a
finished one belongs.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from redact._internal.age.files import atomic_output
from redact.errors import InputError

__all__ = ["read_text", "read_bytes", "decode", "write_output", "sha256_file", "MAX_INPUT_BYTES"]

#: Largest statement read by default (larger ones are almost always a wrong file).
MAX_INPUT_BYTES = 200 * 1024 * 1024


def read_text(source: str, encoding: str | None = None) -> tuple[str, bytes]:
    """Read a statement (a path, or ``-`` for stdin); return ``(text, raw bytes)``."""
    raw = read_bytes(source)
    return decode(raw, source, encoding), raw


def read_bytes(source: str, max_bytes: int = MAX_INPUT_BYTES,
               todo: str = "Split the statement into smaller files.") -> bytes:
    """Read an input file (a path, or ``-`` for stdin), refusing more than ``max_bytes``."""
    try:
        if source == "-":
            raw = sys.stdin.buffer.read(max_bytes + 1)
        else:
            p = Path(source)
            if not p.is_file():
                raise InputError(f"the statement '{source}' does not exist or is not a file")
            with p.open("rb") as fh:
                raw = fh.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(f"cannot read '{source}': {exc.strerror}") from None
    if len(raw) > max_bytes:
        raise InputError(f"'{source}' is larger than {max_bytes:,} bytes", todo)
    return raw


def read_appended(path: Path, offset: int) -> bytes:
    """What an append-only file holds after byte ``offset`` (``b""`` if it does not exist).

    A line still being appended may be cut: callers keep what ends in ``\\n``.
    """
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            return fh.read()
    except FileNotFoundError:
        return b""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (read in 1 MiB pieces)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def decode(raw: bytes, name: str = "input", encoding: str | None = None) -> str:
    """Decode strictly: UTF-8 (BOM allowed) unless ``encoding`` is given."""
    enc = encoding or "utf-8-sig"
    try:
        return raw.decode(enc)
    except (UnicodeDecodeError, LookupError) as exc:
        pos = getattr(exc, "start", None)
        raise InputError(f"'{name}' is not valid {encoding or 'UTF-8'} text"
                         + (f" (byte {pos})" if pos is not None else ""),
                         "Name the file's encoding with --encoding (e.g. cp1251, latin-1), or "
                         "convert it to UTF-8.") from None


def write_output(target: str, text: str | bytes, *, overwrite: bool = False) -> None:
    """Write ``text`` (UTF-8) or bytes to ``target`` (``-`` for stdout), atomically."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    with atomic_output(Path(target), 0o644, overwrite=overwrite) as fh:
        fh.write(data)
