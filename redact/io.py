"""Reading statements and writing outputs safely (atomic writes, clear errors).

Inputs are read as bytes and decoded strictly; line endings are kept as they
are. Outputs go to a temporary file in the target folder, are synced, then
renamed into place: a crash never leaves a half-written output where a
finished one belongs.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from redact._internal.durable import atomic_output
from redact.errors import InputError, OutputError

__all__ = ["read_text", "read_bytes", "decode", "write_output", "sha256_file", "check_target",
           "same_file", "MAX_INPUT_BYTES"]

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
                what = "is a folder, not a file" if p.is_dir() else "does not exist"
                raise InputError(f"the statement '{source}' {what}",
                                 "Check the path (`ls` the folder to see the file names); "
                                 "for a folder of statements use `redact batch`.")
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


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """True if the paths ``a`` and ``b`` name one file: the same path, a symbolic link to
    it (also one that does not resolve yet), or a hard link (same device and inode)."""
    pa, pb = Path(a).expanduser(), Path(b).expanduser()
    try:
        if pa.resolve() == pb.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop: not the same as anything readable
        pass
    try:
        return os.path.samefile(pa, pb)
    except OSError:  # one of them does not exist (yet): not the same file
        return False


def check_target(target: str | os.PathLike[str], *, overwrite: bool,
                 inputs: Sequence[str | os.PathLike[str]] = (),
                 option: str = "-o") -> None:
    """Refuse, before any work is done, an output path that cannot or must not be written.

    - an output that is one of ``inputs`` (same path, symlink or hard link), with or
      without ``overwrite``: writing it would destroy the original statement;
    - an output whose folder does not exist;
    - an existing output without ``overwrite`` (the message names ``--force``).

    ``-`` (stdout) is always fine. ``option`` names the option the user gave the path
    with, for the message.
    """
    if str(target) == "-":
        return
    p = Path(target).expanduser()
    for src in inputs:
        if str(src) != "-" and same_file(src, p):
            raise OutputError(f"the output {p} is the input file itself; writing it would "
                              "destroy the original statement",
                              f"Give {option} another file name (the default, NAME.redacted.EXT "
                              "beside the input, is safe). --force never overwrites an input.")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"the output folder {folder} does not exist",
                          f"Create it first (mkdir -p {folder}), or give {option} a path in an "
                          "existing folder.")
    if p.is_dir():
        raise OutputError(f"the output {p} is a folder", f"Give {option} a file name.")
    if not overwrite and (p.exists() or p.is_symlink()):
        raise OutputError(f"{p} already exists; refusing to overwrite it",
                          "Add --force to replace it, or choose another output name.")
