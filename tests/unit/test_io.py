"""Unit tests of redact.io and the durable-write layer (redact._internal.durable).

No model: reading, strict decoding, the output checks that protect an original,
atomic writes that leave nothing half-written, new-only key files.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from redact._internal.durable import atomic_output, deferred_sync, write_new_file
from redact.errors import InputError, OutputError
from redact.io import (
    check_target,
    decode,
    read_appended,
    read_bytes,
    read_text,
    same_file,
    sha256_file,
    write_output,
)


def test_read_text_keeps_bytes_and_line_endings(tmp_path: Path) -> None:
    f = tmp_path / "s.txt"
    f.write_bytes("\ufeffMy name is Ruslan.\r\nI was held.\n".encode())
    text, raw = read_text(str(f))
    assert text == "My name is Ruslan.\r\nI was held.\n"  # BOM dropped, CRLF kept
    assert raw == f.read_bytes()


def test_read_bytes_refuses_folders_missing_files_and_large_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        read_bytes(str(tmp_path))
    with pytest.raises(InputError, match="does not exist"):
        read_bytes(str(tmp_path / "nope.txt"))
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="larger than 100 bytes") as err:
        read_bytes(str(big), max_bytes=100)
    assert "Split" in err.value.todo
    assert read_bytes(str(big), max_bytes=101) == b"x" * 101


def test_decode_is_strict_and_names_the_byte_not_the_text() -> None:
    raw = "Зарема".encode("cp1251")
    with pytest.raises(InputError) as err:
        decode(raw, "s.txt")
    assert "byte 0" in err.value.what and "--encoding" in err.value.todo
    assert "Зарема" not in str(err.value)
    assert decode(raw, "s.txt", "cp1251") == "Зарема"
    with pytest.raises(InputError):
        decode(b"x", "s.txt", "no-such-codec")


def test_same_file_sees_symlinks_and_hard_links(tmp_path: Path) -> None:
    a = tmp_path / "a.txt"
    a.write_text("x")
    (tmp_path / "link").symlink_to(a)
    os.link(a, tmp_path / "hard")
    assert same_file(a, tmp_path / "link") and same_file(a, tmp_path / "hard")
    assert same_file(a, tmp_path / "sub" / ".." / "a.txt")
    assert not same_file(a, tmp_path / "other.txt")


def test_check_target_protects_the_original(tmp_path: Path) -> None:
    src = tmp_path / "s.txt"
    src.write_text("original")
    for target, overwrite in [(src, False), (src, True), (tmp_path / "." / "s.txt", True)]:
        with pytest.raises(OutputError, match="is the input file itself"):
            check_target(target, overwrite=overwrite, inputs=[src])
    out = tmp_path / "out.txt"
    check_target(out, overwrite=False, inputs=[src])  # a new file is fine
    out.write_text("old")
    with pytest.raises(OutputError, match="already exists") as err:
        check_target(out, overwrite=False, inputs=[src])
    assert "--force" in err.value.todo
    check_target(out, overwrite=True, inputs=[src])
    with pytest.raises(OutputError, match="does not exist"):
        check_target(tmp_path / "no" / "out.txt", overwrite=True)
    with pytest.raises(OutputError, match="is a folder"):
        check_target(tmp_path, overwrite=True)
    check_target("-", overwrite=False, inputs=["-"])
    assert src.read_text() == "original"


def test_write_output_is_atomic_and_never_overwrites_unasked(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    write_output(str(out), "Person A was held.\n")
    assert out.read_text() == "Person A was held.\n"
    with pytest.raises(OutputError):
        write_output(str(out), "other")
    write_output(str(out), b"bytes", overwrite=True)
    assert out.read_bytes() == b"bytes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary left


def test_atomic_output_leaves_nothing_when_the_writer_fails(tmp_path: Path) -> None:
    out = tmp_path / "out.bin"
    out.write_bytes(b"finished before")
    with pytest.raises(RuntimeError), atomic_output(out, overwrite=True) as fh:
        fh.write(b"half")
        raise RuntimeError("writer died")
    assert out.read_bytes() == b"finished before"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.bin"]
    with deferred_sync(), atomic_output(tmp_path / "b.bin") as fh:  # group commit: no fsync
        fh.write(b"ok")
    assert (tmp_path / "b.bin").read_bytes() == b"ok"


def test_write_new_file_refuses_an_existing_name_and_is_private(tmp_path: Path) -> None:
    key = tmp_path / "key.txt"
    write_new_file(key, b"AGE-SECRET-KEY-1...")
    assert key.stat().st_mode & 0o777 == 0o600
    with pytest.raises(OutputError):
        write_new_file(key, b"another key")
    assert key.read_bytes() == b"AGE-SECRET-KEY-1..."
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key.txt"]


def test_read_appended_and_sha256(tmp_path: Path) -> None:
    log = tmp_path / "index.log"
    assert read_appended(log, 0) == b""
    log.write_bytes(b"line one\nline two\n")
    assert read_appended(log, 9) == b"line two\n"
    assert sha256_file(log) == hashlib.sha256(b"line one\nline two\n").hexdigest()
