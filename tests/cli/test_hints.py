"""Each error says what happened and the one thing to do (issue 17, "misleading hints").

The real ``redact`` CLI; a small real case (fast scrypt). No statement text in any message.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redact import seal as S
from redact.case import Case
from redact.cli import app
from redact.errors import CaseError

PASS = "the right case passphrase"
STATEMENT = "Zarema Khasanova saw the soldiers in Gekhi-Chu.\n"


def run(*args: object, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture()
def setup(tmp_path: Path) -> dict[str, Path]:
    ident = S.generate_identity()
    paths = {"key": tmp_path / "editor.key", "pub": tmp_path / "editor.pub",
             "pw": tmp_path / "pw.txt", "bad": tmp_path / "wrong.txt",
             "case": tmp_path / "case", "statement": tmp_path / "interview-07.txt"}
    S.write_identity_file(paths["key"], ident)
    paths["pub"].write_text(str(ident.recipient) + "\n")
    paths["pw"].write_text(PASS + "\n")
    paths["bad"].write_text("not the passphrase\n")
    paths["statement"].write_text(STATEMENT, encoding="utf-8")
    Case.init(paths["case"], [str(ident.recipient)], passphrase=PASS, work_factor=10)
    return paths


def _no_statement_text(output: str) -> bool:
    return "Zarema" not in output and "Khasanova" not in output


@pytest.mark.parametrize("command", ["file", "batch"])
def test_wrong_case_passphrase_names_the_passphrase_to_check(setup: dict[str, Path],
                                                             command: str) -> None:
    """file and batch have no -i: the hint must not suggest unlocking with an identity."""
    target = setup["statement"] if command == "file" else setup["statement"].parent / "in"
    if command == "batch":
        target.mkdir()
    r = run(command, target, "--case", setup["case"], "--passphrase-file", setup["bad"])
    assert r.exit_code == 1, r.output
    assert "wrong passphrase for the case" in r.output
    assert f"Check the first line of {setup['bad']}" in r.output
    assert "identity" not in r.output.lower() and "-i " not in r.output
    r = run(command, target, "--case", setup["case"], env={"REDACT_PASSPHRASE": "nope"})
    assert r.exit_code == 1 and "Check REDACT_PASSPHRASE" in r.output
    assert "identity" not in r.output.lower()


def test_reveal_accepts_the_file_name_and_lists_items_on_a_miss(
        setup: dict[str, Path], redactor: object) -> None:
    r = run("file", setup["statement"], "--case", setup["case"], "--passphrase-file", setup["pw"])
    assert r.exit_code == 0, r.output
    r = run("reveal", setup["case"], "interview-07.txt", "-i", setup["key"])
    assert r.exit_code == 0, r.output
    assert r.stdout == STATEMENT
    r = run("reveal", setup["case"], "interview-7", "-i", setup["key"])
    assert r.exit_code == 1
    assert "has no item 'interview-7' (did you mean interview-07?)" in r.output
    assert f"redact case show {setup['case']}" in r.output
    assert "case init" not in r.output


def test_public_key_given_as_identity(setup: dict[str, Path]) -> None:
    """The recipient file is world-readable (as public keys are): no chmod hint."""
    setup["pub"].chmod(0o644)
    sealed = setup["statement"].with_suffix(".age")
    assert run("seal", setup["statement"], "-R", setup["pub"], "-o", sealed).exit_code == 0
    for args in (("reveal", setup["case"], "--pseudonyms", "-i", setup["pub"]),
                 ("open", sealed, "-o", sealed.with_suffix(".out"), "-i", setup["pub"])):
        r = run(*args)
        assert r.exit_code == 1, r.output
        assert "holds a recipient (a public key, age1...), not an identity" in r.output
        assert "AGE-SECRET-KEY-" in r.output and "chmod" not in r.output


def test_wrong_passphrase_on_a_sealed_file(setup: dict[str, Path]) -> None:
    sealed = setup["statement"].parent / "notes.age"
    assert run("seal", setup["statement"], "--passphrase-file", setup["pw"], "-o",
               sealed).exit_code == 0
    r = run("open", sealed, "--passphrase-file", setup["bad"], "-o", sealed.with_suffix(".out"))
    assert r.exit_code == 1
    assert "the passphrase is wrong, or the file was not sealed with a passphrase" in r.output
    assert "case recipients" not in r.output
    assert not sealed.with_suffix(".out").exists()


@pytest.mark.parametrize("args", [["seal", "{s}", "--passphrase", "-o", "{s}.age"],
                                  ["keygen", "-o", "{d}/k.txt", "--passphrase"]])
def test_passphrase_prompt_without_a_terminal(setup: dict[str, Path], args: list[str]) -> None:
    """No controlling terminal (a new session), stdin from /dev/null: no EOFError."""
    s, d = str(setup["statement"]), str(setup["statement"].parent)
    argv = [a.format(s=s, d=d) for a in args]
    r = subprocess.run([sys.executable, "-m", "redact.cli", *argv], capture_output=True,
                       text=True, stdin=subprocess.DEVNULL, start_new_session=True, timeout=120,
                       env={**os.environ, "REDACT_PASSPHRASE": ""})
    assert r.returncode == 1, r.stderr
    assert "no terminal to type it in" in r.stderr and "--passphrase-file" in r.stderr
    assert "internal error" not in r.stderr and "EOFError" not in r.stderr
    assert "Traceback" not in r.stderr and _no_statement_text(r.stderr)
    assert not Path(argv[-2] if args[0] == "seal" else argv[2]).exists()


def test_case_init_creates_the_missing_parent_folders(tmp_path: Path) -> None:
    """`redact case init cases/grozny` in a fresh folder: no "the folder cases does not
    exist"; the folders it makes are 0700; a failed init leaves none behind."""
    import stat

    ident = S.generate_identity()
    pub = tmp_path / "editor.pub"
    pub.write_text(str(ident.recipient) + "\n")
    env = {"REDACT_PASSPHRASE": PASS}
    r = run("case", "init", tmp_path / "cases" / "grozny", "-R", pub, "--work-factor", "10",
            env=env)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "cases" / "grozny" / "case.json").is_file()
    assert stat.S_IMODE((tmp_path / "cases").stat().st_mode) == 0o700
    r = run("case", "init", tmp_path / "other" / "deeper" / "c", "-R", pub, "--policy",
            tmp_path / "no-such-policy.yaml", "--work-factor", "10", env=env)
    assert r.exit_code == 1 and "not found" in r.output
    assert not (tmp_path / "other").exists()


def test_library_unknown_item_says_how_to_list_items(setup: dict[str, Path]) -> None:
    """Case.reveal and Case.reveal_to (used by `reveal -o`) name `redact case show CASE`, never
    `case init`."""
    import io

    case = Case.open(setup["case"])
    ident = S.load_identity_file(setup["key"])
    for call in (lambda: case.reveal("nope", ident), lambda: case.reveal_to("nope", io.BytesIO(),
                                                                              ident)):
        with pytest.raises(CaseError) as ei:
            call()
        assert ei.value.todo == f"List the items with `redact case show {case.path}`."
