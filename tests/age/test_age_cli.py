"""The seal/open/keygen commands, on their own typer app (as redact.cli registers them)."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from redact import seal as S
from redact._cli_age import register

app = typer.Typer()
register(app)
runner = CliRunner()


def _run(*args: str, input: bytes | None = None):  # noqa: A002 - mirrors CliRunner
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture()
def keys(tmp_path: Path) -> tuple[Path, Path]:
    ident, recs = tmp_path / "identity.txt", tmp_path / "recipients.txt"
    result = _run("keygen", "-o", str(ident))
    assert result.exit_code == 0
    recs.write_text(result.stdout)
    return ident, recs


def test_keygen_seal_open_roundtrip(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    ident, recs = keys
    assert stat.S_IMODE(ident.stat().st_mode) == 0o600
    assert recs.read_text().startswith("age1pq1")
    src = tmp_path / "statement.txt"
    src.write_bytes(b"Ahmed said...\n" * 1000)
    assert _run("seal", str(src), "-R", str(recs)).exit_code == 0
    sealed = tmp_path / "statement.txt.age"
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1\n-> mlkem768x25519 ")
    src.rename(tmp_path / "original.txt")
    result = _run("open", str(sealed), "-i", str(ident), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["bytes"] == 14000
    assert src.read_bytes() == (tmp_path / "original.txt").read_bytes()
    assert stat.S_IMODE(src.stat().st_mode) == 0o600


def test_refuses_overwrite_and_keygen_refuses_existing(tmp_path: Path,
                                                       keys: tuple[Path, Path]) -> None:
    ident, recs = keys
    src = tmp_path / "a.txt"
    src.write_text("x")
    out = tmp_path / "a.txt.age"
    out.write_text("keep me")
    result = _run("seal", str(src), "-R", str(recs), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "OutputError"
    assert out.read_text() == "keep me"
    assert _run("seal", str(src), "-R", str(recs), "--force").exit_code == 0
    before = ident.read_bytes()
    assert _run("keygen", "-o", str(ident), "--json").exit_code == 1
    assert ident.read_bytes() == before


def test_failed_open_leaves_nothing(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    ident, recs = keys
    src = tmp_path / "big.bin"
    src.write_bytes(bytes(300_000))
    assert _run("seal", str(src), "-R", str(recs), "-o", str(tmp_path / "big.age")).exit_code == 0
    data = bytearray((tmp_path / "big.age").read_bytes())
    data[-100] ^= 1  # last chunk: earlier chunks authenticate and are streamed out
    (tmp_path / "big.age").write_bytes(bytes(data))
    result = _run("open", str(tmp_path / "big.age"), "-i", str(ident), "-o",
                  str(tmp_path / "out.bin"), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "AgePayloadError"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "big.age", "big.bin", "identity.txt", "recipients.txt"]


def test_passphrase_file_and_armor(tmp_path: Path) -> None:
    pw = tmp_path / "pw.txt"
    pw.write_text("a passphrase for the table\n")
    src = tmp_path / "table.csv"
    src.write_text("pseudonym,name\n")
    result = _run("seal", str(src), "--passphrase-file", str(pw), "-a", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("-----BEGIN AGE ENCRYPTED FILE-----\n")
    assert S.open_bytes(result.stdout_bytes, [S.ScryptIdentity("a passphrase for the table")]) \
        == b"pseudonym,name\n"
    result = _run("open", "-", "--passphrase-file", str(pw), "-o", "-",
                  input=result.stdout_bytes)
    assert result.exit_code == 0 and result.stdout == "pseudonym,name\n"
    # A passphrase with recipients is refused.
    ident = S.generate_identity()
    result = _run("seal", str(src), "--passphrase-file", str(pw), "-r", str(ident.recipient),
                  "--json")
    assert result.exit_code == 1 and json.loads(result.stdout)["error"] == "RecipientError"


def test_protected_identity_file(tmp_path: Path) -> None:
    pw = tmp_path / "pw.txt"
    pw.write_text("identity passphrase\n")
    ident = tmp_path / "id.txt"
    result = _run("keygen", "-o", str(ident), "--passphrase-file", str(pw), "--x25519", "--json")
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert info["protected"] and info["recipient"].startswith("age1")
    assert ident.read_bytes().startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    sealed = tmp_path / "s.age"
    sealed.write_bytes(S.seal_bytes(b"hello", [info["recipient"]]))
    result = _run("open", str(sealed), "-i", str(ident), "--identity-passphrase-file", str(pw),
                  "-o", "-")
    assert result.exit_code == 0 and result.stdout == "hello"


def test_keygen_to_stdout_like_age_keygen() -> None:
    result = _run("keygen")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("# created: ")
    assert lines[1].startswith("# public key: age1pq1")
    assert lines[2].startswith("AGE-SECRET-KEY-PQ-1")
    assert str(S.parse_identity(lines[2]).recipient) == lines[1].split(": ")[1]


def test_wrong_identity_exit_code(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    _, recs = keys
    other = tmp_path / "other.txt"
    S.write_identity_file(other, S.generate_identity())
    src = tmp_path / "s.txt"
    src.write_text("x")
    assert _run("seal", str(src), "-R", str(recs)).exit_code == 0
    result = _run("open", str(tmp_path / "s.txt.age"), "-i", str(other), "-o",
                  str(tmp_path / "opened.txt"), "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"] == "AgeNoMatchError"
    assert not (tmp_path / "opened.txt").exists()


def test_keygen_creates_the_missing_folders_private(tmp_path: Path) -> None:
    """`redact keygen -o ~/.config/redact/identity.txt` on a fresh machine: no error about a
    missing folder; every folder it creates is 0700, whatever the umask."""
    import os

    ident = tmp_path / "config" / "redact" / "identity.txt"
    old = os.umask(0o022)
    try:
        r = _run("keygen", "-o", str(ident))
    finally:
        os.umask(old)
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith("age1pq1")
    assert stat.S_IMODE(ident.stat().st_mode) == 0o600
    for folder in (ident.parent, ident.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert S.load_identity_file(ident)
