"""The first hour of a new user: the original is never lost, path problems come at once.

These tests run the real ``redact`` command in a fresh interpreter, as a newcomer
would, and assert on what is left on disk and on the time to the first error.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STATEMENT = ("My name is Zarema Khasanova. My brother Aslanbek Khasanov was taken from "
             "our house in Gekhi-Chu on 3 March 2019.\n")


def redact_cli(*args: str, cwd: Path | None = None,
               stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDACT_PASSPHRASE": "correct horse battery staple"}
    return subprocess.run([sys.executable, "-m", "redact.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, input=stdin, timeout=300)


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture()
def statement(tmp_path: Path) -> Path:
    p = tmp_path / "statement.txt"
    p.write_text(STATEMENT, encoding="utf-8")
    return p


@pytest.mark.parametrize("how", ["same path", "relative path", "symlink", "hard link"])
def test_output_that_is_the_input_is_refused_even_with_force(statement: Path, how: str) -> None:
    """`redact file s.txt -o s.txt --force` once replaced the witness's words: never again."""
    before = digest(statement)
    if how == "same path":
        target = str(statement)
    elif how == "relative path":
        target = "./statement.txt"
    elif how == "symlink":
        link = statement.parent / "link.txt"
        link.symlink_to(statement)
        target = str(link)
    else:
        link = statement.parent / "hard.txt"
        os.link(statement, link)
        target = str(link)
    for extra in ([], ["--force"]):
        r = redact_cli("file", "statement.txt", "-o", target, *extra, cwd=statement.parent)
        assert r.returncode == 1, r.stderr
        assert "is the input file itself" in r.stderr and "--force" in r.stderr
        assert digest(statement) == before
    assert "Zarema" not in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("suffix", [".md", ".csv", ".docx"])
def test_every_format_refuses_to_overwrite_its_input(tmp_path: Path, suffix: str) -> None:
    src = tmp_path / f"statement{suffix}"
    src.write_bytes(b"not read: the refusal comes first\n")
    before = digest(src)
    r = redact_cli("file", str(src), "-o", str(src), "--force")
    assert r.returncode == 1 and "is the input file itself" in r.stderr
    assert digest(src) == before


def test_report_that_is_the_input_is_refused(statement: Path) -> None:
    before = digest(statement)
    r = redact_cli("file", str(statement), "-o", str(statement.with_name("out.txt")),
                   "--report", str(statement), "--force")
    assert r.returncode == 1 and "is the input file itself" in r.stderr
    assert digest(statement) == before
    assert not statement.with_name("out.txt").exists()


def test_seal_and_open_never_write_over_their_input(tmp_path: Path) -> None:
    src = tmp_path / "notes.txt"
    src.write_text("secret notes\n", encoding="utf-8")
    before = digest(src)
    pw = tmp_path / "pw"
    pw.write_text("correct horse battery staple\n", encoding="utf-8")
    r = redact_cli("seal", str(src), "-o", str(src), "--force", "--passphrase-file", str(pw))
    assert r.returncode == 1 and "is the input file itself" in r.stderr
    assert digest(src) == before
    sealed = tmp_path / "notes.txt.age"
    assert redact_cli("seal", str(src), "--passphrase-file", str(pw)).returncode == 0
    sealed_before = digest(sealed)
    r = redact_cli("open", str(sealed), "-o", str(sealed), "--force", "--passphrase-file", str(pw))
    assert r.returncode == 1 and "is the input file itself" in r.stderr
    assert digest(sealed) == sealed_before


@pytest.mark.parametrize("problem", ["missing input", "missing output folder",
                                     "existing output", "unsupported format"])
def test_path_problems_come_before_the_model_loads(statement: Path, problem: str) -> None:
    """Each path problem is reported in under a second's worth of work: no model is loaded.

    The time bound is loose (a shared machine); the real check is that the error
    arrives from a process that never imported spaCy (REDACT_TRACE_IMPORTS shows it).
    """
    args = ["file", str(statement), "-o", str(statement.with_name("out.txt"))]
    if problem == "missing input":
        args[1] = str(statement.with_name("nope.txt"))
        expected = "does not exist"
    elif problem == "missing output folder":
        args[3] = str(statement.parent / "no-such-folder" / "out.txt")
        expected = "does not exist"
    elif problem == "existing output":
        statement.with_name("out.txt").write_text("x", encoding="utf-8")
        expected = "already exists"
    else:
        pdf = statement.with_name("scan.pdf")
        pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        args[1] = str(pdf)
        # without Tesseract, its absence is the first problem told (before the model too)
        expected = "cannot be read" if shutil.which("tesseract") else "Tesseract"
    code = ("import sys, runpy; sys.argv = ['redact', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('redact.cli', run_name='__main__')\n"
            "finally:\n    print('SPACY_LOADED' if 'spacy' in sys.modules else 'NO_SPACY',"
            " file=sys.stderr)\n")
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                       timeout=120)
    elapsed = time.perf_counter() - t0
    assert r.returncode == 1, r.stderr
    assert expected in r.stderr
    assert "NO_SPACY" in r.stderr, "the model (spaCy) was loaded before the error"
    if expected == "already exists":
        assert "--force" in r.stderr
    assert elapsed < 10  # generous: the point is that no model load happens (see above)


def test_ctrl_c_in_file_says_nothing_was_written(statement: Path) -> None:
    """Ctrl-C while `redact file` works: "interrupted ... nothing was written", exit 130, no
    traceback, no output."""
    statement.write_text(STATEMENT * 400, encoding="utf-8")
    out = statement.with_name("out.txt")
    proc = subprocess.Popen([sys.executable, "-m", "redact.cli", "-v", "file", str(statement),
                             "-o", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    assert proc.stderr is not None
    first = proc.stderr.readline()  # -v: the first progress line comes before the model loads
    os.killpg(proc.pid, signal.SIGINT)
    _, rest = proc.communicate(timeout=120)
    stderr = first + rest
    assert proc.returncode == 130, stderr
    assert "interrupted (Ctrl-C): nothing was written" in stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    assert not out.exists()
