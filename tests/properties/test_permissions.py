"""Permissions: identity files, case keys and temp files 0600, folders 0700; identity files
readable by others are refused (as ssh does), with a message that says how to fix it.

Runs once with the process umask at 000, so modes come from redact and not from the umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from tools.attack_common import PASS, new_case, run_cli

from redact import seal as S
from redact.case import Case
from redact.errors import KeyFileError


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.lstat().st_mode)


@pytest.fixture()
def open_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_keygen_writes_identity_0600_even_with_umask_000(tmp_path: Path) -> None:
    env = {"PYTHONSTARTUP": ""}
    r = run_cli(["keygen", "-o", tmp_path / "id.txt"], env=env)
    assert r.returncode == 0, r.stderr
    assert _mode(tmp_path / "id.txt") == 0o600
    # the library, with a wide-open umask
    old = os.umask(0)
    try:
        S.write_identity_file(tmp_path / "id2.txt", S.generate_identity())
    finally:
        os.umask(old)
    assert _mode(tmp_path / "id2.txt") == 0o600


def test_case_folder_0700_files_0600(tmp_path: Path, open_umask: None,
                                     redactor: object) -> None:
    case_dir, _id, _pw = new_case(tmp_path)
    c = Case.open(case_dir)
    c.unlock(passphrase=PASS)
    with c:
        res = c.redactor().redact("Ruslan Qzarkhanov phoned +7 928 744-19-03 from Gekhi.")
        c.add_statement("item-1", b"Ruslan Qzarkhanov phoned +7 928 744-19-03 from Gekhi.",
                        res.text, res.to_report())
    c.lock()
    bad = []
    for p in [case_dir, *case_dir.rglob("*")]:
        want = 0o700 if p.is_dir() else 0o600
        if _mode(p) != want:
            bad.append(f"{p.relative_to(tmp_path)} {_mode(p):04o}")
    assert not bad, bad
    assert (case_dir / "keys" / "case-secret.age").is_file()


def test_temp_files_are_0600_while_being_written(tmp_path: Path, open_umask: None,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 redactor: object) -> None:
    """Spy on fsync: every temporary file synced while a case item is written is 0600."""
    case_dir, id_file, _pw = new_case(tmp_path)
    seen: list[tuple[str, int]] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode):
            name = os.readlink(f"/proc/self/fd/{fd}") if os.path.exists("/proc/self/fd") else "?"
            seen.append((name, stat.S_IMODE(st.st_mode)))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", spy)
    c = Case.open(case_dir)
    c.unlock(passphrase=PASS)
    with c:
        text = "Islam Vtemirovich wrote to islam.vt@example.org from Gekhi."
        res = c.redactor().redact(text)
        c.add_statement("item-2", text.encode(), res.text, res.to_report())
    # an opened original (redact open / reveal -o) goes through a 0600 temp file too
    from redact._cli_age import output_stream

    with output_stream(str(tmp_path / "opened.txt"), False) as dst:
        c.reveal_to("item-2", dst, S.load_identity_file(id_file))
    temps = [(n, m) for n, m in seen if n.endswith(".tmp")]
    assert len(temps) >= 4, seen  # sealed, names, redacted, report, opened
    assert all(m == 0o600 for _n, m in temps), temps
    assert _mode(tmp_path / "opened.txt") == 0o600


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o606, 0o620])
def test_identity_file_readable_or_writable_by_others_is_refused(tmp_path: Path,
                                                                 mode: int) -> None:
    p = tmp_path / "id.txt"
    S.write_identity_file(p, S.generate_identity())
    os.chmod(p, mode)
    with pytest.raises(KeyFileError) as ei:
        S.load_identity_file(p)
    assert f"{mode:04o}" in ei.value.what
    assert f"chmod 600 {p}" in ei.value.todo
    secret = [ln for ln in p.read_text().splitlines() if ln.startswith("AGE-SECRET")][0]
    assert secret not in ei.value.diagnostic


def test_cli_refuses_world_readable_identity_with_fix(tmp_path: Path) -> None:
    ident = S.generate_identity("x25519")
    idf = tmp_path / "id.txt"
    S.write_identity_file(idf, ident)
    sealed = tmp_path / "s.age"
    sealed.write_bytes(S.seal_bytes(b"original", [ident.recipient]))
    os.chmod(idf, 0o644)
    r = run_cli(["open", sealed, "-i", idf, "-o", tmp_path / "out.txt"])
    assert r.returncode == 1
    err = r.stderr.decode()
    assert "chmod 600" in err and "refusing" in err
    assert "Traceback" not in err and not (tmp_path / "out.txt").exists()
    os.chmod(idf, 0o600)
    r = run_cli(["open", sealed, "-i", idf, "-o", tmp_path / "out.txt"])
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out.txt").read_bytes() == b"original"


def test_protected_identity_file_also_checked(tmp_path: Path) -> None:
    p = tmp_path / "id.age"
    S.write_identity_file(p, S.generate_identity(), passphrase="pw for the key file",
                          work_factor=10)
    assert _mode(p) == 0o600
    os.chmod(p, 0o640)
    with pytest.raises(KeyFileError, match="refusing"):
        S.load_identity_file(p, "pw for the key file")
