"""Fault injection: a full disk, a read-only output folder, an identity file the user may not
read, a missing or corrupted case file, a sealed file truncated or swapped with another
case's (and a tampered batch manifest once ``redact batch`` exists).

Each fault must give its own clear message (no traceback, no "internal error"), a non-zero
exit code, and leave every good file as it was (hashes before and after), with no
temporary file left behind. The disk-full test uses a real 1 MiB tmpfs when it can mount
one (root); otherwise ENOSPC is injected into the sealing step of a subprocess.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tools.attack_common import (
    PASS,
    new_case,
    remove_tree,
    run_cli,
    temp_leftovers,
    tree_hashes,
    world_dir,
)

from redact import seal as S
from redact.case import Case

STATEMENT = ("I, Ruslan Qzarkhanov, was detained in Gekhi on 3 March 2019. My cousin Islam "
             "Vtemirovich called me on +7 928 744-19-03 and wrote to ruslan.qz@example.org.\n")
CANARIES = [b"Qzarkhanov", b"Vtemirovich", b"744-19-03", b"ruslan.qz"]


def _clean(r: subprocess.CompletedProcess[bytes]) -> str:
    """stderr+stdout of a failed run: no traceback, no internal error, no canary."""
    text = (r.stderr + r.stdout).decode("utf-8", "replace")
    assert r.returncode not in (0, None), text
    assert "Traceback" not in text and "internal error" not in text, text
    for c in CANARIES:
        assert c.decode() not in text
    return text


def _run_in_process(args: list[object]) -> subprocess.CompletedProcess[bytes]:
    """The real CLI app in this process (the model is already loaded): faster than a child."""
    from typer.testing import CliRunner

    from redact.cli import app

    r = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return subprocess.CompletedProcess(args, r.exit_code, r.stdout_bytes, r.stderr_bytes)


def _add_item(case_dir: Path, item: str, text: str = STATEMENT) -> None:
    from redact.formats import redact_document

    c = Case.open(case_dir)
    c.unlock(passphrase=PASS)
    with c:
        out, results, doc = redact_document(c.redactor(), text.encode(), item + ".txt")
        from redact.result import document_report

        c.add_statement(item, text.encode(), out, document_report(results, doc.kind))
    c.lock()


# ---------------------------------------------------------------------------------------
# disk full
# ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _tmpfs(size: str) -> Iterator[Path | None]:
    d = world_dir()
    mounted = False
    if os.geteuid() == 0 and shutil.which("mount"):
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755",
                                  "tmpfs", str(d)], capture_output=True).returncode == 0
    try:
        yield d if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(d)], capture_output=True)
        remove_tree(d)


def _fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until only about ``leave`` bytes are free."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        with contextlib.suppress(OSError):
            while True:
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - max(0, leave - free)))


def test_disk_full_when_sealing_into_a_case(tmp_path: Path, redactor: object) -> None:
    with _tmpfs("1m") as mnt:
        if mnt is None:  # no tmpfs: inject ENOSPC into the sealing step instead
            case_dir, _idf, pwf = new_case(tmp_path)
            _add_item(case_dir, "good-1")
            before = tree_hashes(case_dir)
            src = tmp_path / "big-1.txt"
            src.write_text(STATEMENT * 20)
            r = run_cli(["file", src, "--case", case_dir, "--passphrase-file", pwf],
                        env={"REDACT_TEST_FAULT": "enospc-seal"})
        else:
            case_dir, _idf, pwf = new_case(mnt)
            _add_item(case_dir, "good-1")
            before = tree_hashes(case_dir)
            src = tmp_path / "big-1.txt"
            # ~60 KB of original: its sealed copy cannot fit in the ~16 KB left
            src.write_text(STATEMENT * 300)
            _fill(mnt, 16 * 1024)
            r = run_cli(["file", src, "--case", case_dir, "--passphrase-file", pwf])
        text = _clean(r)
        assert "space" in text.lower(), text
        assert r.returncode == 1
        after = tree_hashes(case_dir)
        # good files untouched; nothing of the failed item; no temp file
        for k, v in before.items():
            if not k.startswith("pseudonyms/index"):
                assert after.get(k) == v, k
        assert not [k for k in after if "big-1" in k], after
        assert not temp_leftovers(case_dir)
        if mnt is not None:
            # free the space: the same command now works
            (mnt / "filler.bin").unlink()
            r = run_cli(["file", src, "--case", case_dir, "--passphrase-file", pwf])
            assert r.returncode == 0, r.stderr
            assert (case_dir / "sealed" / "big-1.age").is_file()


def test_disk_full_when_opening_or_writing_keys(tmp_path: Path) -> None:
    with _tmpfs("256k") as mnt:
        if mnt is None:
            pytest.skip("needs a small tmpfs (root)")
        ident = S.generate_identity("x25519")
        idf = tmp_path / "id.txt"
        S.write_identity_file(idf, ident)
        sealed = tmp_path / "big.age"
        sealed.write_bytes(S.seal_bytes(os.urandom(600 * 1024), [ident.recipient]))
        good = mnt / "good.txt"
        good.write_bytes(b"an earlier output")
        r = run_cli(["open", sealed, "-i", idf, "-o", mnt / "out.bin"])
        text = _clean(r)
        assert "No space left on device" in text
        assert not (mnt / "out.bin").exists() and not temp_leftovers(mnt)
        # a key file onto a full disk: no partial key file
        _fill(mnt, 0)
        r = run_cli(["keygen", "-o", mnt / "new-id.txt"])
        text = _clean(r)
        assert "space" in text.lower(), text
        assert not (mnt / "new-id.txt").exists() and not temp_leftovers(mnt)
        assert good.read_bytes() == b"an earlier output"


# ---------------------------------------------------------------------------------------
# read-only output folder; identity file the user may not read
# ---------------------------------------------------------------------------------------


def test_read_only_output_folder(tmp_path: Path) -> None:
    base = world_dir()
    try:
        stmt = base / "statement.txt"
        stmt.write_text(STATEMENT)
        ro = base / "ro"
        ro.mkdir()
        (ro / "earlier.redacted.txt").write_text("an earlier good output")
        os.chmod(stmt, 0o644)
        ident = S.generate_identity("x25519")
        idf = base / "id.txt"
        S.write_identity_file(idf, ident)
        sealed = base / "s.age"
        sealed.write_bytes(S.seal_bytes(b"the original", [ident.recipient]))
        os.chmod(ro, 0o555)
        for r in (run_cli(["file", stmt, "-o", ro / "out.txt"], unprivileged=True),
                  run_cli(["open", sealed, "-i", idf, "-o", ro / "orig.txt"], unprivileged=True)):
            text = _clean(r)
            assert "Permission denied" in text, text
            assert "cannot create a file in" in text
        assert sorted(p.name for p in ro.iterdir()) == ["earlier.redacted.txt"]
        assert (ro / "earlier.redacted.txt").read_text() == "an earlier good output"
    finally:
        with contextlib.suppress(OSError):
            os.chmod(base / "ro", 0o755)
        remove_tree(base)


def test_identity_file_permission_denied(tmp_path: Path) -> None:
    base = world_dir()
    try:
        ident = S.generate_identity()
        idf = base / "id.txt"
        S.write_identity_file(idf, ident)
        sealed = base / "s.age"
        sealed.write_bytes(S.seal_bytes(b"the original", [ident.recipient]))
        os.chmod(sealed, 0o644)
        os.chmod(idf, 0o000)  # its owner may not read it either (root included, caps dropped)
        out = base / "out"
        out.mkdir()
        r = run_cli(["open", sealed, "-i", idf, "-o", out / "orig.txt"], unprivileged=True)
        text = _clean(r)
        # the CLI's own check ("is not readable") or the library's ("Permission denied")
        assert str(idf) in text and ("not readable" in text or "Permission denied" in text), text
        assert not list(out.iterdir())
    finally:
        with contextlib.suppress(OSError):
            os.chmod(base / "id.txt", 0o600)
        remove_tree(base)


# ---------------------------------------------------------------------------------------
# damaged case folders
# ---------------------------------------------------------------------------------------


def _case_damage(case_dir: Path, kind: str) -> None:
    cj = case_dir / "case.json"
    if kind == "case.json missing":
        cj.unlink()
    elif kind == "case.json truncated":
        cj.write_bytes(cj.read_bytes()[:40])
    elif kind == "case.json not a case":
        cj.write_text(json.dumps({"format": "something-else"}))
    elif kind == "case.json newer version":
        meta = json.loads(cj.read_text())
        meta["version"] = 99
        cj.write_text(json.dumps(meta))
    elif kind == "case.json lacks recipients":
        meta = json.loads(cj.read_text())
        del meta["recipients"]
        cj.write_text(json.dumps(meta))
    elif kind == "passphrase key missing":
        (case_dir / "keys" / "case-secret.pass.age").unlink()
    elif kind == "passphrase key corrupted":
        p = case_dir / "keys" / "case-secret.pass.age"
        data = bytearray(p.read_bytes())
        data[-5] ^= 0x55
        p.write_bytes(bytes(data))
    elif kind == "passphrase key from another case":
        other, _i, _p = new_case(case_dir.parent, "other-case")
        shutil.copy(other / "keys" / "case-secret.pass.age",
                    case_dir / "keys" / "case-secret.pass.age")
    elif kind == "index damaged":
        with open(case_dir / "pseudonyms" / "index.jsonl", "ab") as fh:
            fh.write(b"{not json}\n")
    elif kind == "policy lists missing":
        (case_dir / "keys" / "policy-lists.sealed").unlink()
    elif kind == "policy lists corrupted":
        p = case_dir / "keys" / "policy-lists.sealed"
        doc = json.loads(p.read_text())
        box = bytearray(base64.b64decode(doc["sealed"]))
        box[3] ^= 0x01
        doc["sealed"] = base64.b64encode(bytes(box)).decode()
        p.write_text(json.dumps(doc))
    elif kind == "policy lists from another case":
        other, _i, _p = new_case(case_dir.parent, "other-case-lists")
        shutil.copy(other / "keys" / "policy-lists.sealed",
                    case_dir / "keys" / "policy-lists.sealed")
    elif kind == "policy edited":  # still a valid policy file, but another policy
        path = case_dir / "policy.yaml"
        text = path.read_text(encoding="utf-8")
        assert "\ndeny: []\n" in text
        path.write_text(text.replace("\ndeny: []\n", "\ndeny: [Somebody]\n"), encoding="utf-8")
    else:  # pragma: no cover
        raise AssertionError(kind)


DAMAGES = {
    "case.json missing": "is not a case folder",
    "case.json truncated": "is not valid JSON",
    "case.json not a case": "is not a redact case file",
    "case.json newer version": "has case format version 99",
    "case.json lacks recipients": "lacks 'recipients'",
    "passphrase key missing": "cannot read the case's passphrase-sealed key",
    "passphrase key corrupted": "passphrase-sealed key is damaged",
    # same passphrase on both cases: the key opens, and is refused as another case's
    "passphrase key from another case": "does not belong to this case",
    "index damaged": "pseudonym index",
    "policy edited": "was changed after the case was created",
    "policy lists missing": "is missing (the case's sealed allow and deny lists)",
    "policy lists corrupted": "does not open with this case's key",
    "policy lists from another case": "does not open with this case's key",
}


@pytest.fixture(scope="module")
def good_case(tmp_path_factory: pytest.TempPathFactory, redactor: object
              ) -> tuple[Path, Path, Path]:
    tmp = tmp_path_factory.mktemp("goodcase")
    case_dir, idf, pwf = new_case(tmp)
    _add_item(case_dir, "good-1")
    return case_dir, idf, pwf


@pytest.mark.parametrize("kind", list(DAMAGES))
def test_damaged_case_file(kind: str, good_case: tuple[Path, Path, Path],
                           tmp_path: Path) -> None:
    src_case, _idf, pwf = good_case
    case_dir = tmp_path / "case"
    shutil.copytree(src_case, case_dir)
    _case_damage(case_dir, kind)
    before = tree_hashes(case_dir)
    stmt = tmp_path / "new-item.txt"
    stmt.write_text(STATEMENT)
    r = _run_in_process(["file", stmt, "--case", case_dir, "--passphrase-file", pwf])
    text = _clean(r)
    assert DAMAGES[kind] in text, text
    assert "->" in text  # every message says what to do
    assert tree_hashes(case_dir) == before
    assert not temp_leftovers(case_dir)


# ---------------------------------------------------------------------------------------
# sealed files truncated or swapped
# ---------------------------------------------------------------------------------------


def test_sealed_file_truncated(good_case: tuple[Path, Path, Path], tmp_path: Path) -> None:
    src_case, idf, _pwf = good_case
    case_dir = tmp_path / "case"
    shutil.copytree(src_case, case_dir)
    sealed = case_dir / "sealed" / "good-1.age"
    full = sealed.read_bytes()
    for cut, expect in ((len(full) - 1, "payload"), (len(full) - 17, "payload"),
                        (200, "header"), (0, "empty")):
        sealed.write_bytes(full[:cut])
        for out in ("-", str(tmp_path / "orig.txt")):
            r = run_cli(["reveal", case_dir, "good-1", "-i", idf, "-o", out])
            text = _clean(r)
            assert expect in text.lower(), (cut, text)
            assert STATEMENT.encode()[:20] not in r.stdout
            assert not (tmp_path / "orig.txt").exists()
    sealed.write_bytes(full)
    r = run_cli(["reveal", case_dir, "good-1", "-i", idf])
    assert r.returncode == 0 and r.stdout == STATEMENT.encode()


def test_sealed_file_swapped_with_another_cases(good_case: tuple[Path, Path, Path],
                                                tmp_path: Path, redactor: object) -> None:
    src_case, idf, _pwf = good_case
    case_dir = tmp_path / "case"
    shutil.copytree(src_case, case_dir)
    other, _other_id, _ = new_case(tmp_path, "other")
    _add_item(other, "good-1", "Another statement by Zaur Pkhamaev, from Shali.\n")
    shutil.copy(other / "sealed" / "good-1.age", case_dir / "sealed" / "good-1.age")
    r = run_cli(["reveal", case_dir, "good-1", "-i", idf])
    text = _clean(r)
    assert re.search(r"none of the \d+ given identities matches", text), text
    assert r.stdout == b""


def test_swap_between_cases_sharing_a_recipient_is_detected(tmp_path: Path,
                                                            redactor: object) -> None:
    """Was L4: every original is bound (in its authenticated age header) to its case and
    item, so a file moved to another case, or to another item, is refused on reveal."""
    ident = S.generate_identity()
    idf = tmp_path / "id.txt"
    S.write_identity_file(idf, ident)
    cases = []
    for name, text in (("a", STATEMENT), ("b", "Zaur Pkhamaev lives in Shali.\n")):
        Case.init(tmp_path / name, [ident.recipient], passphrase=PASS, work_factor=10)
        _add_item(tmp_path / name, "item-1", text)
        _add_item(tmp_path / name, "item-2", text.replace("3 March", "4 May"))
        cases.append(tmp_path / name)
    good = (cases[0] / "sealed" / "item-1.age").read_bytes()
    out = tmp_path / "orig.txt"
    for source, expect in ((cases[1] / "sealed" / "item-1.age", "sealed for another case"),
                           (cases[0] / "sealed" / "item-2.age",
                            "sealed for another item of this case")):
        shutil.copy(source, cases[0] / "sealed" / "item-1.age")
        for args in ([], ["-o", out], ["--json"]):
            r = run_cli(["reveal", cases[0], "item-1", "-i", idf, *args])
            text = _clean(r)
            assert r.returncode == 1 and expect in text and "sealed/item-1.age" in text, text
            assert b"Pkhamaev" not in r.stdout and b"4 May" not in r.stdout
            assert not out.exists()
    # The file in its own place still opens, with the original's exact bytes.
    (cases[0] / "sealed" / "item-1.age").write_bytes(good)
    r = run_cli(["reveal", cases[0], "item-1", "-i", idf])
    assert r.returncode == 0 and r.stdout == STATEMENT.encode()


# ---------------------------------------------------------------------------------------
# tampered manifest (redact batch)
# ---------------------------------------------------------------------------------------


def _batch_available() -> bool:
    try:
        import redact._cli_batch  # noqa: F401
        import redact.manifest  # noqa: F401
    except ImportError:
        return False
    return "verify-manifest" in run_cli(["--help"]).stdout.decode()


def test_tampered_manifest(tmp_path: Path, redactor: object) -> None:
    if not _batch_available():
        pytest.skip("redact batch / verify-manifest not available yet")
    case_dir, _idf, pwf = new_case(tmp_path)
    inp = tmp_path / "in"
    inp.mkdir()
    for i in range(3):
        (inp / f"s{i}.txt").write_text(STATEMENT.replace("3 March", f"{i + 1} March"))
    r = run_cli(["batch", inp, "--case", case_dir, "--workers", "1",
                 "--passphrase-file", pwf])
    assert r.returncode == 0, r.stderr
    r = run_cli(["verify-manifest", case_dir])
    assert r.returncode == 0, r.stderr + r.stdout
    manifests = sorted(p for p in (case_dir / "manifests").rglob("*") if p.is_file())
    assert manifests, sorted(str(p) for p in case_dir.rglob("*"))
    m = manifests[-1]
    good = m.read_bytes()
    redacted = sorted((case_dir / "redacted").rglob("*.txt"))
    # (1) a hash in the manifest changed; (2) a redacted output changed; (3) one removed
    for tamper in ("manifest", "output", "missing"):
        saved = {p: p.read_bytes() for p in redacted}
        if tamper == "manifest":
            text = good.decode()
            digit = next(ch for ch in text if ch in "0123456789abcdef")
            m.write_bytes(text.replace(digit, "f" if digit != "f" else "e", 1).encode())
        elif tamper == "output":
            redacted[0].write_bytes(redacted[0].read_bytes() + b"x")
        else:
            redacted[1].unlink()
        r = run_cli(["verify-manifest", case_dir])
        _clean(r)
        m.write_bytes(good)
        for p, data in saved.items():
            p.write_bytes(data)
    assert run_cli(["verify-manifest", case_dir]).returncode == 0


def test_batch_worker_start_failure_is_a_clear_error(tmp_path: Path) -> None:
    if not _batch_available():
        pytest.skip("redact batch not available")
    import signal

    from tools.attack_common import ENTRY, PYTHON, REPO

    pol = tmp_path / "pol.yaml"
    pol.write_text("extends: testimony.yaml\nmodel: en_core_web_not_installed_here\n")
    ident = S.generate_identity()
    Case.init(tmp_path / "case", [ident.recipient], pol, passphrase=PASS, work_factor=10)
    (tmp_path / "pw").write_text(PASS + "\n")
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.txt").write_text(STATEMENT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([PYTHON, ENTRY, "batch", str(inp), "--case", str(tmp_path / "case"),
                             "--workers", "2", "--passphrase-file", str(tmp_path / "pw")],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=12)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its workers (their own session)
        proc.communicate()
        raise AssertionError("redact batch hung after its workers failed to start") from None
    text = (out + err).decode()
    assert proc.returncode == 1 and "is not installed" in text, text
    assert "Traceback" not in text, text
