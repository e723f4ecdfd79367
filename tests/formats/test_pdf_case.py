"""PDFs into a case (``redact file --case``, ``redact batch``): the redacted text that
``redact file`` writes beside a redacted PDF (``.txt``) is stored in the case beside it,
listed with its SHA-256 in the report and the signed manifest, checked by
``verify-manifest`` and by a batch rerun. Real model, real OCR, PDFs built by the tests."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from pdfmaker import make_pdf, skip_without_ocr
from typer.testing import CliRunner

from redact import seal as S
from redact.case import Case
from redact.cli import app

pytest.importorskip("pypdfium2")
pytest.importorskip("PIL.Image")

skip_without_ocr()

PASS = "a case passphrase for PDF case tests"
PLANTED = ["Islam", "Temirov", "Ruslan", "Bakaev", "Grozny"]
_PSEUDONYM = re.compile(r"Person [A-Z]+")


def _pdf() -> bytes:
    return make_pdf([[f"Page {i + 1} of the statement of the witness.",
                      "My cousin Islam Temirov called me from Grozny.",
                      "Then Temirov said the men came at night."] for i in range(2)])


def _found(text: str) -> list[str]:
    return [p for p in PLANTED if re.search(rf"(?i)\b{re.escape(p)}\b", text)]


def run(*args: object):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def case_path(tmp_path: Path) -> tuple[Path, Path]:
    """A new case and its passphrase file."""
    ident = S.generate_identity()
    path = tmp_path / "case"
    Case.init(path, [str(ident.recipient)], passphrase=PASS, work_factor=10)
    pw = tmp_path / "pw.txt"
    pw.write_text(PASS + "\n")
    return path, pw


def _problems(case: Path) -> set[tuple[str, str]]:
    r = run("verify-manifest", case, "--json")
    out = json.loads(r.stdout)
    assert (r.exit_code == 0) == out["ok"]
    return {(p["kind"], p["path"]) for p in out["problems"]}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_file_case_stores_the_pdf_text_beside_and_vouches_for_it(
        tmp_path: Path, case_path: tuple[Path, Path]) -> None:
    case, pw = case_path
    src = tmp_path / "in" / "scan.pdf"
    src.parent.mkdir()
    src.write_bytes(_pdf())
    r = run("file", src, "--case", case, "--passphrase-file", pw, "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    companion = case / "redacted" / "scan.pdf.txt"
    assert summary["companions"] == [str(companion)]
    assert (case / "redacted" / "scan.pdf").read_bytes().startswith(b"%PDF-")
    text = companion.read_text(encoding="utf-8")
    assert _PSEUDONYM.search(text) and not _found(text)
    assert companion.stat().st_mode & 0o777 == 0o600
    report = json.loads((case / "reports" / "scan.json").read_text(encoding="utf-8"))
    assert report["companions"] == [{"path": "redacted/scan.pdf.txt",
                                     "sha256": _sha(companion)}]
    assert report["format"] == "pdf"
    assert not _found(json.dumps(report)) and not _found(r.output)
    manifest = json.loads(Path(summary["manifest"]).read_text())["manifest"]
    assert manifest["files"][0]["companions"] == report["companions"]
    assert _problems(case) == set()
    # A changed .txt fails verification; so does a missing one.
    companion.write_text(text.replace("Person", "Islam Temirov", 1), encoding="utf-8")
    assert _problems(case) == {("changed", "redacted/scan.pdf.txt")}
    companion.unlink()
    assert _problems(case) == {("missing", "redacted/scan.pdf.txt")}
    # The item is taken: its companion counts too (no overwrite without --force).
    r = run("file", src, "--case", case, "--passphrase-file", pw)
    assert r.exit_code != 0 and "already holds an item named scan" in r.output
    r = run("file", src, "--case", case, "--passphrase-file", pw, "--force")
    assert r.exit_code == 0, r.output
    assert f"text -> {companion}" in r.output.replace("\n", "")
    assert companion.read_text(encoding="utf-8") == text and _problems(case) == set()


def test_batch_stores_the_pdf_text_and_a_rerun_redoes_a_missing_one(
        tmp_path: Path, case_path: tuple[Path, Path]) -> None:
    case, pw = case_path
    src = tmp_path / "in"
    src.mkdir()
    (src / "scan.pdf").write_bytes(_pdf())
    (src / "note.txt").write_text("Ruslan Bakaev met me in Grozny on Monday.\n",
                                  encoding="utf-8")

    def batch() -> dict[str, dict[str, object]]:
        r = run("batch", src, "--case", case, "--passphrase-file", pw, "--workers", "1",
                "--json")
        assert r.exit_code == 0, r.output
        assert not _found(r.stdout) and not _found(r.stderr)
        return {e["path"]: e for e in map(json.loads, r.stdout.splitlines())
                if e["event"] == "file"}

    files = batch()
    assert {p: e["status"] for p, e in files.items()} == {"scan.pdf": "ok", "note.txt": "ok"}
    companion = case / "redacted" / "scan.pdf.txt"
    text = companion.read_text(encoding="utf-8")
    assert _PSEUDONYM.search(text) and not _found(text)
    entry = [{"path": "redacted/scan.pdf.txt", "sha256": _sha(companion)}]
    assert files["scan.pdf"]["companions"] == entry and "companions" not in files["note.txt"]
    report = json.loads((case / "reports" / "scan.json").read_text(encoding="utf-8"))
    assert report["companions"] == entry
    assert "companions" not in json.loads((case / "reports" / "note.json").read_text())
    assert sorted(p.name for p in (case / "redacted").iterdir()) == [
        "note.txt", "scan.pdf", "scan.pdf.txt"]
    assert _problems(case) == set()
    # A changed .txt fails verification.
    companion.write_text(text + "Islam Temirov\n", encoding="utf-8")
    assert _problems(case) == {("changed", "redacted/scan.pdf.txt")}
    # A rerun treats a changed or missing companion as not done: that file is redone.
    companion.unlink()
    assert _problems(case) == {("missing", "redacted/scan.pdf.txt")}
    files = batch()
    assert {p: e["status"] for p, e in files.items()} == {"scan.pdf": "ok",
                                                           "note.txt": "unchanged"}
    assert companion.read_text(encoding="utf-8") == text
    assert _problems(case) == set()
    companion.write_text("tampered\n", encoding="utf-8")
    files = batch()
    assert files["scan.pdf"]["status"] == "ok" and companion.read_text(encoding="utf-8") == text
    # Untouched: both unchanged, and the manifest of that run still lists the companion.
    files = batch()
    assert {p: e["status"] for p, e in files.items()} == {"scan.pdf": "unchanged",
                                                           "note.txt": "unchanged"}
    assert files["scan.pdf"]["companions"] == entry
    assert _problems(case) == set()


def test_review_publish_into_the_case_stores_the_pdf_text(
        tmp_path: Path, case_path: tuple[Path, Path]) -> None:
    from redact.manifest import verify_case
    from redact.review import ReviewSession

    case_dir, _pw = case_path
    src = tmp_path / "scan.pdf"
    src.write_bytes(_pdf())
    case = Case.open(case_dir)
    case.unlock(passphrase=PASS)
    session = ReviewSession.for_case(src, case)
    session.publish()
    companion = case_dir / "redacted" / "scan.pdf.txt"
    text = companion.read_text(encoding="utf-8")
    assert _PSEUDONYM.search(text) and not _found(text)
    report = json.loads((case_dir / "reports" / "scan.json").read_text(encoding="utf-8"))
    assert report["companions"] == [{"path": "redacted/scan.pdf.txt",
                                     "sha256": _sha(companion)}]
    assert verify_case(case_dir, case.signing_public_key).ok
    companion.write_text("tampered\n", encoding="utf-8")
    problems = verify_case(case_dir, case.signing_public_key).problems
    assert [(p.kind, p.path) for p in problems] == [("changed", "redacted/scan.pdf.txt")]


def test_review_publish_without_a_case_writes_the_pdf_text_beside(tmp_path: Path) -> None:
    """Publish outside a case writes what ``redact file`` writes: the PDF and its ``.txt``;
    an existing ``.txt`` is refused before anything is written."""
    from redact.errors import OutputError
    from redact.policy import Policy
    from redact.review import ReviewSession

    src = tmp_path / "scan.pdf"
    src.write_bytes(_pdf())
    out = tmp_path / "scan.redacted.pdf"
    (tmp_path / "scan.redacted.pdf.txt").write_text("someone else's file\n", encoding="utf-8")
    session = ReviewSession(src, Policy.load("testimony.yaml"), output=out)
    with pytest.raises(OutputError, match="already exists"):
        session.publish()
    assert not out.exists()
    (tmp_path / "scan.redacted.pdf.txt").unlink()
    assert session.publish() == out
    text = (tmp_path / "scan.redacted.pdf.txt").read_text(encoding="utf-8")
    assert _PSEUDONYM.search(text) and not _found(text)
    assert out.read_bytes().startswith(b"%PDF")
