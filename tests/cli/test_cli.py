"""The command line: outputs, --json, exit codes, fail closed, and no text in messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redact import cli

REPO = Path(__file__).resolve().parents[2]
STATEMENT = ("Canary witness Zvezdana Kvartirova lives at 14 Lenin Street, Apt. 4. "
             "Her brother Aslanbek called from +7 901 555-01-99.\n")
CANARIES = ["Zvezdana", "Kvartirova", "Aslanbek", "555-01-99", "Lenin"]


def run(args: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli.app, args, input=stdin, catch_exceptions=False)


def test_file_writes_output_and_report(tmp_path: Path) -> None:
    src = tmp_path / "s.txt"
    src.write_text(STATEMENT, encoding="utf-8")
    out, rep = tmp_path / "o.txt", tmp_path / "r.json"
    r = run(["file", str(src), "-o", str(out), "--report", str(rep), "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    assert summary["status"] == "ok" and summary["counts"]["PERSON"]["pseudonymize"] >= 2
    text = out.read_text(encoding="utf-8")
    assert "Person A" in text and not [c for c in CANARIES if c in text]
    report = rep.read_text(encoding="utf-8")
    assert not [c for c in CANARIES if c in report] and not [c for c in CANARIES if c in r.output]
    assert json.loads(report)["model"]["package"]


def test_default_output_name_and_refusal_to_overwrite(tmp_path: Path) -> None:
    src = tmp_path / "s.txt"
    src.write_text(STATEMENT, encoding="utf-8")
    assert run(["file", str(src)]).exit_code == 0
    assert (tmp_path / "s.redacted.txt").is_file()
    again = run(["file", str(src)])
    assert again.exit_code == 1 and "already exists" in again.output
    assert run(["file", str(src), "--force"]).exit_code == 0


def test_stdin_to_stdout() -> None:
    r = run(["file", "-"], stdin=STATEMENT)
    assert r.exit_code == 0
    assert "Person A" in r.stdout and "Kvartirova" not in r.stdout


def test_preview_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "s.txt"
    src.write_text(STATEMENT, encoding="utf-8")
    before = sorted(os.listdir(tmp_path))
    r = run(["preview", str(src)])
    assert r.exit_code == 0 and "pseudonymize" in r.stdout and "PHONE_NUMBER" in r.stdout
    j = run(["preview", str(src), "--json"])
    data = json.loads(j.stdout)
    assert {s["entity"] for s in data["spans"]} >= {"PERSON", "PHONE_NUMBER", "ADDRESS"}
    assert sorted(os.listdir(tmp_path)) == before


def test_policy_check_and_show(tmp_path: Path) -> None:
    r = run(["policy", "check", "strict.yaml"])
    assert r.exit_code == 0 and "verify before write: surface forms, patterns, deep" in r.stdout
    s = run(["policy", "show", "strict.yaml", "--json"])
    assert json.loads(s.stdout)["entities"]["DATE_TIME"]["action"] == "replace"
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  PERSON: {acton: keep}\n", encoding="utf-8")
    b = run(["policy", "check", str(bad), "--json"])
    assert b.exit_code == 1
    err = json.loads(b.stdout)
    assert err["error"] == "PolicyError" and "bad.yaml:2" in err["what"]


def test_errors_and_exit_codes(tmp_path: Path) -> None:
    assert run(["file", str(tmp_path / "missing.txt")]).exit_code == 1
    latin = tmp_path / "l.txt"
    latin.write_bytes("Zvezdana Kvartirova met her fianc\xe9e at the caf\xe9 Pouchkine.\n"
                      .encode("cp1252"))
    r = run(["file", str(latin), "-o", str(tmp_path / "o.txt")])
    assert r.exit_code == 0 and "Zvezdana" not in r.output
    # written back in the input's encoding, with the accents intact
    assert "fiancée at the café" in (tmp_path / "o.txt").read_bytes().decode("cp1252")
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    r2 = run(["file", str(pdf)])
    # a broken PDF is told as one; without Tesseract, its absence comes first
    assert r2.exit_code == 1 and ("PDF" if shutil.which("tesseract") else "Tesseract") in r2.output


def _entry(args: list[str], **kw):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k != "REDACT_DEBUG"}
    return subprocess.run([sys.executable, "-c", "from redact.cli import main; main()", *args],
                          capture_output=True, text=True, env=env, **kw)


def test_entry_point_exit_codes(tmp_path: Path) -> None:
    usage = _entry(["file", "--no-such-option"])
    assert usage.returncode == 2
    bad = _entry(["file", "x.txt", "--policy", str(tmp_path / "none.yaml")])
    assert bad.returncode == 1 and "not found" in bad.stderr


def test_leak_exits_3_and_writes_nothing(tmp_path: Path) -> None:
    # Fault injection in a child process: apply forgets phone numbers; verify must stop it.
    src = tmp_path / "s.txt"
    src.write_text(STATEMENT, encoding="utf-8")
    out, rep = tmp_path / "o.txt", tmp_path / "r.json"
    code = ("import redact.apply as m; real = m.apply_spans; "
            "m.apply_spans = lambda t, s: real(t, [x for x in s if x.entity != 'PHONE_NUMBER']); "
            "from redact.cli import main; main()")
    p = subprocess.run([sys.executable, "-c", code, "file", str(src), "-o", str(out),
                        "--report", str(rep)], capture_output=True, text=True)
    assert p.returncode == 3, p.stderr
    assert "PHONE_NUMBER at offset" in p.stderr
    assert not out.exists() and not rep.exists()
    assert os.listdir(tmp_path) == ["s.txt"]
    assert not [c for c in CANARIES if c in p.stderr + p.stdout]


def test_only_the_commands_own_process_freezes_its_heap(tmp_path: Path) -> None:
    # `redact file` run as the console command takes what it loaded out of the collector's
    # sight (its exit is 0.3 s shorter); the same command run in a caller's process
    # (a test, a newsroom tool calling the Typer app) leaves that caller's heap alone.
    import gc

    src = tmp_path / "s.txt"
    src.write_text(STATEMENT, encoding="utf-8")
    code = ("import atexit, gc, sys; "
            "atexit.register(lambda: sys.stderr.write(f'FROZEN={gc.get_freeze_count()}\\n')); "
            "from redact.cli import main; main()")
    p = subprocess.run([sys.executable, "-c", code, "file", str(src), "-o",
                        str(tmp_path / "o.txt")], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    frozen = int(p.stderr.split("FROZEN=")[1].split()[0])
    assert frozen > 100_000  # the model, Presidio, the word lists
    assert "Person A" in (tmp_path / "o.txt").read_text(encoding="utf-8")
    before = gc.get_freeze_count()
    assert run(["file", str(src), "-o", str(tmp_path / "o2.txt")]).exit_code == 0
    assert gc.get_freeze_count() == before


@pytest.mark.parametrize("cmd", [["--help"], ["file", "--help"], ["preview", "--help"],
                                 ["policy", "check", "--help"]])
def test_help_has_examples(cmd: list[str]) -> None:
    r = run(cmd)
    assert r.exit_code == 0 and "xample" in r.stdout


def test_file_handles_docx_and_keeps_extension(tmp_path: Path) -> None:
    from docx import Document

    d = Document()
    d.add_paragraph("Statement of Zvezdana Kvartirova, phone +7 901 555-01-99.")
    d.core_properties.author = "Zvezdana Kvartirova"
    src = tmp_path / "statement.docx"
    d.save(str(src))
    r = run(["file", str(src), "--json"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "statement.redacted.docx"
    assert json.loads(r.stdout)["format"] == "docx" and out.is_file()
    import zipfile

    with zipfile.ZipFile(out) as z:
        blob = b"".join(z.read(n) for n in z.namelist())
    assert b"Kvartirova" not in blob and b"555-01-99" not in blob


def test_verbose_shows_redacts_progress_and_debug_the_libraries(tmp_path: Path) -> None:
    """-v: redact's own stages and timings only, no Presidio/spaCy lines, no statement text;
    --debug adds the libraries' debug lines."""
    src = tmp_path / "s.txt"
    src.write_text(STATEMENT, encoding="utf-8")

    def stderr(*flags: str) -> list[str]:
        r = subprocess.run([sys.executable, "-m", "redact.cli", *flags, "file", str(src), "-o",
                            str(tmp_path / "o.txt"), "--force"], capture_output=True,
                           text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return r.stderr.splitlines()

    lines = stderr("-v")
    progress = [x for x in lines if x.startswith("redact: ")]
    assert progress == lines[:-1] and lines[-1].startswith("redacted ")
    text = "\n".join(lines)
    for stage in ("policy", "loading Presidio and the NER model", "model ", "segment(s)",
                  "verified", "wrote"):
        assert stage in text, stage
    assert " s" in progress[-2] and "presidio" not in text.lower().replace(
        "loading presidio", "") and "DEBUG" not in text
    assert not [c for c in CANARIES if c in text]
    debug = "\n".join(stderr("--debug"))
    assert "presidio-anonymizer: DEBUG" in debug and "redact.formats: INFO" in debug


def test_preview_piped_marks_every_decision_in_plain_text(tmp_path: Path) -> None:
    """Piped (CliRunner's stdout is no terminal): inline marks, the text's own line breaks,
    and a table with full type names, rule, action and score (rich cut them to 'PHONE_NUMBE…')."""
    src = tmp_path / "s.txt"
    text = ("My cousin Islam Temirov called me on +7 928 744-19-03 from Gekhi village near "
            "Moscow, in a long line that a narrow console would have wrapped.\nSecond line.\n")
    src.write_text(text, encoding="utf-8")
    r = run(["preview", str(src)])
    assert r.exit_code == 0, r.output
    body, _, table = r.stdout.partition("\n\nDecisions\n")
    assert body.splitlines()[1] == "Second line."
    assert "⟦PERSON→Person A⟧Islam Temirov⟦/⟧" in body
    assert "⟦PHONE_NUMBER→[PHONE_NUMBER]⟧+7 928 744-19-03⟦/⟧" in body
    assert "⟦keep:LOCATION⟧Moscow⟦/⟧" in body
    assert "…" not in r.stdout and "\x1b[" not in r.stdout and "┃" not in r.stdout
    rows = [line.split() for line in table.splitlines()]
    assert rows[0] == ["offset", "type", "score", "rule", "action", "replacement"]
    phone = next(row for row in rows if row[1] == "PHONE_NUMBER")
    assert phone[2] == "1.00" and phone[3].startswith("TestimonyPhoneRecognizer:")
    assert phone[4:] == ["replace", "[PHONE_NUMBER]"]
    assert rows[-1][0] == "model:"


def test_short_p_means_policy_everywhere_and_never_passphrase(tmp_path: Path) -> None:
    """-p is --policy (file, preview, batch, evaluate, case init); seal, open and keygen have
    only the long --passphrase, so `-p` cannot mean a passphrase by mistake."""
    import re

    short_p = re.compile(r"(?<![\w-])-p\b")
    for command in (["file"], ["preview"], ["batch"], ["evaluate"], ["case", "init"]):
        assert "-p, --policy" in run([*command, "--help"]).stdout, command
    src = tmp_path / "x.txt"
    src.write_text("x\n")
    for command in ("seal", "open", "keygen"):
        r = run([command, "--help"])
        assert "--passphrase" in r.stdout and not short_p.search(r.stdout), command
        r = run([command, "-p"] if command == "keygen" else [command, str(src), "-p"])
        assert r.exit_code == 2 and "No such option: -p" in r.output, command
