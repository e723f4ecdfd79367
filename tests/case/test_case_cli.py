"""`redact case …`, `redact reveal` and `redact file --case` through the real CLI app."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redact import Redactor
from redact import seal as S
from redact.cli import app

PASS = "a case passphrase for tests"
S1 = ("Canary witness Zvezdana Kvartirova met Ruslan Ibragimov at the bus station. "
      "Ruslan told Zvezdana that the men came at night.\n")
S2 = ("Later Mr Ibragimov said that Kvartirova had left. "
      "Zvezdana Kvartirova never came back.\n")
CANARIES = ["zvezdana", "kvartirova", "ruslan", "ibragimov"]


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.fixture()
def setup(tmp_path: Path, redactor: Redactor) -> dict[str, Path]:
    """Two identity files (editor, lawyer), a passphrase file, a case, two statements."""
    paths: dict[str, Path] = {}
    for who in ("editor", "lawyer", "stranger"):
        ident = S.generate_identity()
        paths[who] = tmp_path / f"{who}.txt"
        S.write_identity_file(paths[who], ident)
        (tmp_path / f"{who}.pub").write_text(str(ident.recipient) + "\n")
    paths["pw"] = tmp_path / "pw.txt"
    paths["pw"].write_text(PASS + "\n")
    paths["case"] = tmp_path / "case"
    r = run("case", "init", paths["case"], "-R", tmp_path / "editor.pub",
            "-r", (tmp_path / "lawyer.pub").read_text().strip(),
            "--passphrase-file", paths["pw"], "--work-factor", "10", "--json")
    assert r.exit_code == 0, r.output
    for name, text in (("interview-01", S1), ("interview-02", S2)):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def _no_canary(text: str) -> bool:
    return not [c for c in CANARIES if c in text.lower()]


def test_init_json_and_show(setup: dict[str, Path], tmp_path: Path) -> None:
    r = run("case", "show", setup["case"], "--json")
    info = json.loads(r.stdout)
    assert info["items"] == [] and info["pseudonyms"] == 0 and len(info["recipients"]) == 2
    r = run("case", "recipients", setup["case"])
    assert r.stdout.splitlines() == info["recipients"]
    # No passphrase file, no environment variable, no terminal: a clear error.
    r = run("case", "init", tmp_path / "c2", "-R", tmp_path / "editor.pub")
    assert r.exit_code == 1 and "--passphrase-file" in r.output
    assert not (tmp_path / "c2").exists()
    r = run("case", "init", tmp_path / "c3", "-R", tmp_path / "editor.pub",
            "--work-factor", "10", env={"REDACT_PASSPHRASE": PASS})
    assert r.exit_code == 0 and (tmp_path / "c3" / "case.json").is_file()


def test_file_into_case_reveal_and_pseudonyms(setup: dict[str, Path]) -> None:
    case = setup["case"]
    outs = []
    for item in ("interview-01", "interview-02"):
        r = run("file", setup[item], "--case", case, "--passphrase-file", setup["pw"], "--json")
        assert r.exit_code == 0, r.output
        summary = json.loads(r.stdout)
        assert summary["item"] == item and _no_canary(r.output)
        outs.append((case / "redacted" / f"{item}.txt").read_text())
        assert (case / "sealed" / f"{item}.age").is_file()
        report = (case / "reports" / f"{item}.json").read_text()
        assert _no_canary(report) and json.loads(report)["sealed"]["sha256"]
    assert all(_no_canary(o) for o in outs)
    r = run("reveal", case, "--pseudonyms", "-i", setup["editor"], "--json")
    table = json.loads(r.stdout)["pseudonyms"]
    assert len(table) == 2
    for label, entry in table.items():
        assert label in outs[0] and label in outs[1], (label, outs)
        assert entry["entity"] == "PERSON"
    assert {"zvezdana kvartirova", "ruslan ibragimov"} <= {
        f for e in table.values() for f in e["forms"]}
    out = setup["case"].parent / "orig.txt"
    r = run("reveal", case, "interview-01", "-i", setup["lawyer"], "-o", out)
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == setup["interview-01"].read_bytes()
    r = run("reveal", case, "interview-02", "-i", setup["editor"])
    assert r.stdout_bytes == setup["interview-02"].read_bytes()
    r = run("reveal", case, "-i", setup["editor"])
    assert r.exit_code == 2


def test_file_case_refusals(setup: dict[str, Path]) -> None:
    case, pw = setup["case"], setup["pw"]
    r = run("file", setup["interview-01"], "--case", case, "-o", "x.txt", "--passphrase-file", pw)
    assert r.exit_code == 2
    assert run("file", setup["interview-01"], "--case", case, "--passphrase-file", pw,
               ).exit_code == 0
    r = run("file", setup["interview-01"], "--case", case, "--passphrase-file", pw, "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["error"] == "OutputError"
    assert run("file", setup["interview-01"], "--case", case, "--passphrase-file", pw,
               "--force").exit_code == 0
    r = run("file", setup["interview-02"], "--case", case, "--json",
            env={"REDACT_PASSPHRASE": "not the passphrase"})
    assert r.exit_code == 1
    err = json.loads(r.stdout)
    assert err["error"] == "CasePassphraseError" and "wrong passphrase" in err["what"]
    assert "Traceback" not in r.output
    assert not (case / "redacted" / "interview-02.txt").exists()
    r = run("file", setup["interview-02"], "--case", case)  # no passphrase anywhere, no tty
    assert r.exit_code == 1 and "REDACT_PASSPHRASE" in r.output


def test_wrong_identity_and_tampered_file(setup: dict[str, Path]) -> None:
    case = setup["case"]
    assert run("file", setup["interview-01"], "--case", case, "--passphrase-file",
               setup["pw"]).exit_code == 0
    r = run("reveal", case, "interview-01", "-i", setup["stranger"])
    assert r.exit_code == 1 and "matches" in r.output and "Traceback" not in r.output
    assert _no_canary(r.output)
    sealed = case / "sealed" / "interview-01.age"
    data = bytearray(sealed.read_bytes())
    data[-3] ^= 0x40
    sealed.write_bytes(bytes(data))
    out = case.parent / "out.txt"
    r = run("reveal", case, "interview-01", "-i", setup["editor"], "-o", out, "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["error"] == "AgePayloadError"
    assert not out.exists() and not list(case.parent.glob(".out.txt*"))
    r = run("reveal", case, "interview-01", "-i", setup["editor"])
    assert r.exit_code == 1 and _no_canary(r.stdout)


def test_recipients_rotation_cli(setup: dict[str, Path], tmp_path: Path) -> None:
    case = setup["case"]
    assert run("file", setup["interview-01"], "--case", case, "--passphrase-file",
               setup["pw"]).exit_code == 0
    lawyer = (tmp_path / "lawyer.pub").read_text().strip()
    stranger = (tmp_path / "stranger.pub").read_text().strip()
    r = run("case", "recipients", case, "--add", stranger, "--remove", lawyer,
            "-i", setup["editor"], "--json")
    assert r.exit_code == 0, r.output
    info = json.loads(r.stdout)
    assert lawyer not in info["recipients"] and stranger in info["recipients"]
    assert info["resealed_files"] == 3
    r = run("reveal", case, "interview-01", "-i", setup["lawyer"])
    assert r.exit_code == 1 and "matches" in r.output
    for who in ("editor", "stranger"):
        r = run("reveal", case, "interview-01", "-i", setup[who])
        assert r.stdout_bytes == setup["interview-01"].read_bytes()
        assert run("reveal", case, "--pseudonyms", "-i", setup[who]).exit_code == 0
    editor = (tmp_path / "editor.pub").read_text().strip()
    r = run("case", "recipients", case, "--remove", editor, "--remove", stranger,
            "-i", setup["editor"])
    assert r.exit_code == 1 and "last recipient" in r.output


def test_change_passphrase(setup: dict[str, Path], tmp_path: Path) -> None:
    case = setup["case"]
    new = tmp_path / "new.txt"
    new.write_text("a brand new passphrase\n")
    r = run("case", "passphrase", case, "--passphrase-file", setup["pw"],
            "--new-passphrase-file", new, "--json")
    assert r.exit_code == 0, r.output
    r = run("file", setup["interview-01"], "--case", case, "--passphrase-file", setup["pw"])
    assert r.exit_code == 1 and "wrong passphrase" in r.output
    r = run("file", setup["interview-01"], "--case", case, "--passphrase-file", new)
    assert r.exit_code == 0, r.output
    # An identity of a recipient can reset a forgotten passphrase.
    r = run("case", "passphrase", case, "-i", setup["editor"], "--new-passphrase-file",
            setup["pw"])
    assert r.exit_code == 0, r.output
    r = run("file", setup["interview-02"], "--case", case, "--passphrase-file", setup["pw"])
    assert r.exit_code == 0, r.output


def test_readme_sequence_file_then_batch_then_verify_manifest(setup: dict[str, Path],
                                                              tmp_path: Path) -> None:
    """README, "Cases": `file --case`, then `batch --case`, then `verify-manifest` passes:
    `file --case` signs a one-item manifest for what it stored."""
    case = setup["case"]
    r = run("file", setup["interview-01"], "--case", case, "--passphrase-file", setup["pw"])
    assert r.exit_code == 0, r.output
    folder = tmp_path / "interviews"
    folder.mkdir()
    (folder / "interview-02.txt").write_text(S2, encoding="utf-8")
    (folder / "interview-03.txt").write_text(S1.replace("bus station", "market"),
                                             encoding="utf-8")
    r = run("batch", folder, "--case", case, "--workers", "2", "--passphrase-file", setup["pw"])
    assert r.exit_code == 0, r.output
    r = run("verify-manifest", case, "--json")
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout.splitlines()[-1])
    assert result["ok"] and not result["problems"], result["problems"]
    assert result["checked_files"] == 9 and len(result["manifests"]) == 2
    # Replacing the item with `file --case --force`: its newer manifest vouches for it.
    r = run("file", setup["interview-01"], "--case", case, "--passphrase-file", setup["pw"],
            "--force")
    assert r.exit_code == 0, r.output
    r = run("verify-manifest", case, "--json")
    assert r.exit_code == 0, r.output
    # The one-item manifest vouches for interview-01's three files, and catches a change.
    (case / "redacted" / "interview-01.txt").write_text("changed\n")
    r = run("verify-manifest", case, "--json")
    problems = json.loads(r.stdout.splitlines()[-1])["problems"]
    assert r.exit_code == 1
    assert [(p["kind"], p["path"]) for p in problems] == [("changed",
                                                          "redacted/interview-01.txt")]
    # Originals sealed by the batch's (forked) workers are bound to their item too.
    r = run("reveal", case, "interview-03", "-i", setup["editor"])
    assert r.exit_code == 0 and r.stdout == S1.replace("bus station", "market")
    shutil.copy(case / "sealed" / "interview-02.age", case / "sealed" / "interview-03.age")
    r = run("reveal", case, "interview-03", "-i", setup["editor"])
    assert r.exit_code == 1 and "sealed for another item of this case" in r.output


#: a nickname of ordinary words: nothing but the deny list removes it (checked below)
DENY_TERM = "copper-kettle"
ALLOW_TERM = "Kvintarro Institute"


def _scan_case_folder(case: Path, needles: list[str]) -> int:
    """Every file of the case folder, hidden ones too, as bytes: no needle in UTF-8 or
    UTF-16, whatever the case. Returns the number of files read."""
    forms = [enc for n in needles for enc in (n.lower().encode("utf-8"),
                                              n.lower().encode("utf-16-le"),
                                              n.lower().encode("utf-16-be"))]
    files = [p for p in case.rglob("*") if p.is_file()]
    for p in files:
        data = p.read_bytes().lower()
        for f in forms:
            assert f not in data, (p.relative_to(case), f[:8])
    return len(files)


def test_case_deny_and_allow_lists_are_sealed_canary(setup: dict[str, Path], tmp_path: Path,
                                                     redactor: Redactor) -> None:
    """`case init --policy P` with a distinctive deny term (and allow entry): neither is in
    any file of the case folder, `case show` gives only counts, and once the case is
    unlocked a statement holding the term is redacted by the (sealed) deny list."""
    from redact import Case, Policy

    statement = "at the checkpoint we saw the copper-kettle again.\n"
    assert DENY_TERM in redactor.redact(statement).text  # only the deny list removes it
    policy = tmp_path / "grozny-policy.yaml"
    policy.write_text("extends: testimony.yaml\n"
                      f"deny:\n  - {{text: {DENY_TERM}, entity: PERSON}}\n"
                      f"allow:\n  - {{text: {ALLOW_TERM}, entity: ORGANIZATION}}\n")
    case = tmp_path / "grozny"
    r = run("case", "init", case, "-R", setup["editor"].with_suffix(".pub"), "--policy", policy,
            "--passphrase-file", setup["pw"], "--work-factor", "10", "--json")
    assert r.exit_code == 0, r.output
    assert DENY_TERM not in r.output and "kvintarro" not in r.output.lower()
    needles = [DENY_TERM, "copper-kettle", "kvintarro"]
    assert _scan_case_folder(case, needles) >= 7
    shipped = len(Policy.load("testimony.yaml").allow)
    for args in (["--json"], []):
        r = run("case", "show", case, *args)
        assert r.exit_code == 0 and "copper-kettle" not in r.output and "kvintarro" not in r.output
    info = json.loads(run("case", "show", case, "--json").stdout)
    assert info["policy_lists"] == {"allow": shipped + 1, "deny": 1, "sealed": True}
    assert info["originals_bound"] is True
    assert info["policy_sha256"] == Policy.load(policy).sha256()
    assert "1 deny entries (sealed)" in run("case", "show", case).stdout
    # After unlock: the whole policy, same fingerprint, and the term is redacted.
    stmt = tmp_path / "chat-01.txt"
    stmt.write_text(statement, encoding="utf-8")
    r = run("file", stmt, "--case", case, "--passphrase-file", setup["pw"])
    assert r.exit_code == 0, r.output
    out = (case / "redacted" / "chat-01.txt").read_text(encoding="utf-8")
    assert "copper-kettle" not in out.lower() and "Person A" in out
    _scan_case_folder(case, needles)  # the sealed original holds it, encrypted
    c = Case.open(case)
    c.unlock(passphrase=PASS)
    assert c.policy.sha256() == Policy.load(policy).sha256()
    assert c.redactor().policy.deny[0].text == DENY_TERM
    assert any(a.text == ALLOW_TERM for a in c.redactor().policy.allow)
    r = run("reveal", case, "chat-01", "-i", setup["editor"])
    assert r.exit_code == 0 and r.stdout == statement


def test_reveal_warns_about_an_original_sealed_before_bindings(setup: dict[str, Path]) -> None:
    """In a case made before originals were bound (no `binds_originals` in case.json), an
    unbound original opens, with a warning on stderr (and in --json); see docs/sealing.md."""
    case = setup["case"]
    r = run("file", setup["interview-01"], "--case", case, "--passphrase-file", setup["pw"])
    assert r.exit_code == 0, r.output
    meta = json.loads((case / "case.json").read_text())
    del meta["binds_originals"]
    (case / "case.json").write_text(json.dumps(meta, indent=2) + "\n")
    (case / "sealed" / "interview-01.age").write_bytes(
        S.seal_bytes(setup["interview-01"].read_bytes(), meta["recipients"]))
    assert json.loads(run("case", "show", case, "--json").stdout)["originals_bound"] is False
    assert "may be unbound" in run("case", "show", case).stdout
    r = run("reveal", case, "interview-01", "-i", setup["editor"])
    assert r.exit_code == 0 and r.stdout == S1
    assert "warning: sealed/interview-01.age was sealed by an older redact" in r.stderr
    r = run("reveal", case, "interview-01", "-i", setup["editor"], "--json")
    assert r.exit_code == 0 and "not bound" in json.loads(r.stdout)["warnings"][0]


def test_item_manifest_run_id_sorts_after_the_newest() -> None:
    """Two `file --case --force` of one item within a second: the later manifest must sort
    last (verify-manifest lets the newest entry win)."""
    from redact.manifest import new_run_id

    stamp = new_run_id().split("-")[0]
    for after in (f"{stamp}-fffffff0", f"{stamp}-00000000", "19990101T000000Z-12345678"):
        assert new_run_id(after=after) > after


def test_a_label_the_statement_writes_itself_is_warned_about_and_skipped(
        setup: dict[str, Path]) -> None:
    """A statement that already says "Person A" (pre-anonymized by someone else) meets a case
    where Person A is another person: the label is kept (case-wide), the clash is printed
    and reported (offsets and label, no text), and new people skip the labels it writes."""
    case, pw = setup["case"], setup["pw"]
    assert run("file", setup["interview-01"], "--case", case, "--passphrase-file", pw,
               "--json").exit_code == 0  # Zvezdana Kvartirova: Person A, Ruslan: Person B
    third = setup["case"].parent / "interview-03.txt"
    third.write_text("Person A and Person C, two neighbours, saw Zvezdana Kvartirova again. "
                     "A guard, Timur Bisultanov, took her away.\n", encoding="utf-8")
    r = run("file", third, "--case", case, "--passphrase-file", pw)
    assert r.exit_code == 0, r.output
    assert "the statement itself writes Person A for someone" in r.output
    assert _no_canary(r.output) and "bisultanov" not in r.output.lower()
    out = (case / "redacted" / "interview-03.txt").read_text()
    assert out.startswith("Person A and Person C, two neighbours, saw Person A again.")
    assert "A guard, Person D, took her away." in out  # C is written: the new label skips it
    report = json.loads((case / "reports" / "interview-03.json").read_text())
    assert report["label_clashes"] == ["Person A"]
    assert report["segments"][0]["label_clashes"] == [{"start": 0, "end": 8,
                                                       "label": "Person A"}]
