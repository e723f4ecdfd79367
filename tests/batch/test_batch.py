"""``redact batch`` and ``redact verify-manifest``: real model, real case, small corpora."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redact import seal as S
from redact.batch import BatchOptions, batch_lock, discover, run_batch
from redact.case import Case
from redact.cli import app
from redact.errors import BatchLockedError, CaseError, InputError
from redact.manifest import verify_case

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
PASS = "a case passphrase for batch tests"
CANARIES = ["zvezdana", "kvartirova", "ruslan", "ibragimov", "bakaev", "temirov", "umarov"]

STATEMENTS = [
    "Canary witness Zvezdana Kvartirova met Ruslan Ibragimov at the bus station in Argun. "
    "Ruslan told Zvezdana that the men came at night.\n",
    "Later Mr Ibragimov said that Kvartirova had left. Zvezdana Kvartirova never came back. "
    "Her phone, +7 928 311-45-67, stayed off.\n",
    "My name is Aslan Dzhabrailov. On 2 March my cousin Ruslan Ibragimov called me from "
    "Grozny and asked me to come to 14 Mira Street.\n",
    "Kheda Bakaeva says her brother Islam Bakaev was taken to a basement. Islam's friend "
    "Said Umarov saw it. Write to kheda.bakaeva@mail.ru.\n",
]


def run(*args: object, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, [str(a) for a in args], env=env, catch_exceptions=False)


def _no_canary(text: str) -> bool:
    low = text.lower()
    return not [c for c in CANARIES if c in low]


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("keys")
    ident = S.generate_identity()
    S.write_identity_file(d / "editor.txt", ident)
    (d / "editor.pub").write_text(str(ident.recipient) + "\n")
    (d / "pw.txt").write_text(PASS + "\n")
    return {"id": d / "editor.txt", "pub": d / "editor.pub", "pw": d / "pw.txt"}


@pytest.fixture(scope="module")
def case_template(tmp_path_factory: pytest.TempPathFactory, keys: dict[str, Path]) -> Path:
    """One empty case; tests copy it, so copies share keys and give comparable labels."""
    path = tmp_path_factory.mktemp("tpl") / "case"
    Case.init(path, [keys["pub"].read_text().strip()], passphrase=PASS, work_factor=10)
    return path


def _copy_case(template: Path, dst: Path) -> Case:
    shutil.copytree(template, dst)
    case = Case.open(dst)
    case.unlock(passphrase=PASS)
    return case


def _statements(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, text in enumerate(STATEMENTS):
        (folder / f"statement-{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def _mixed(folder: Path) -> Path:
    _statements(folder / "txt")
    sub = folder / "sub" / "deeper"
    sub.mkdir(parents=True)
    for name in ("statement.docx", "statement.md", "interviews.jsonl", "interview-log.csv"):
        shutil.copy(CORPUS / name, sub / name)
    (folder / "scan.gif").write_bytes(b"GIF89a" + b"\x00" * 32)
    (folder / "photo.heic").write_bytes(b"\x00\x00\x00\x18ftypheic" + b"\x00" * 32)
    return folder


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}


# ---- discovery and items -------------------------------------------------------------


def test_discover_names_items_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ("b.txt", "a.txt", "a.md", "sub/Interview 07.txt", ".hidden.txt",
                ".git/x.txt", "case/redacted/z.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    files = discover(tmp_path, exclude=[tmp_path / "case"])
    assert [(f.rel, f.item, f.suffix) for f in files] == [
        ("a.md", "a", ".md"), ("a.txt", "a_txt", ".txt"), ("b.txt", "b", ".txt"),
        ("sub/Interview 07.txt", "sub/Interview_07", ".txt")]


def test_case_subfolder_items(tmp_path: Path, case_template: Path,
                              keys: dict[str, Path]) -> None:
    case = _copy_case(case_template, tmp_path / "case")
    with case:
        case.add_statement("a/b/c", b"original", "redacted", {})
    assert case.items() == ["a/b/c"]
    assert (case.path / "redacted" / "a" / "b" / "c.txt").read_text() == "redacted"
    assert oct((case.path / "sealed" / "a" / "b").stat().st_mode & 0o777) == "0o700"
    assert case.reveal("a/b/c", S.load_identity_file(keys["id"])) == b"original"
    assert case.path / "sealed" / "a" / "b" / "c.age" in case.sealed_files()
    for bad in ("a/../b", "a//b", "/a", "a/"):
        with pytest.raises(CaseError, match="invalid item name"):
            case.add_statement(bad, b"", "", {})


def test_inputs_inside_the_case_are_refused_and_left_alone(
        tmp_path: Path, case_template: Path, keys: dict[str, Path]) -> None:
    """A statement or folder inside the case would be written over by its own output."""
    case = _copy_case(case_template, tmp_path / "case")
    inner = _statements(case.path / "redacted")
    before = _tree(case.path)
    with pytest.raises(InputError, match="inside the case folder"):
        run_batch(case, inner)
    with pytest.raises(InputError, match="inside the case folder"):
        run_batch(case, case.path)
    r = run("file", inner / "statement-00.txt", "--case", case.path,
            "--passphrase-file", keys["pw"], "--force")
    assert r.exit_code == 1 and "inside the case folder" in r.output
    assert _tree(case.path) == before


# ---- runs ----------------------------------------------------------------------------


def test_mixed_folder(tmp_path: Path, case_template: Path) -> None:
    src = _mixed(tmp_path / "in")
    case = _copy_case(case_template, tmp_path / "case")
    seen = []
    with case:
        summary = run_batch(case, src, on_file=lambda o: seen.append(o.to_dict()))
    status = {f.rel: f.status for f in summary.files}
    assert status == {
        "photo.heic": "skipped", "scan.gif": "skipped",
        "sub/deeper/interview-log.csv": "ok", "sub/deeper/interviews.jsonl": "ok",
        "sub/deeper/statement.docx": "ok", "sub/deeper/statement.md": "ok",
        **{f"txt/statement-{i:02d}.txt": "ok" for i in range(len(STATEMENTS))}}
    reasons = {f.rel: f.reason for f in summary.files if f.status == "skipped"}
    assert "GIF" in reasons["scan.gif"] and "HEIC" in reasons["photo.heic"]
    assert summary.ok and [s["path"] for s in seen] == sorted(status)
    red = case.path / "redacted"
    # statement.docx and statement.md share a name: the second (sorted) gets "_md".
    for rel in ("sub/deeper/statement.docx", "sub/deeper/statement_md.md",
                "sub/deeper/interviews.jsonl", "sub/deeper/interview-log.csv",
                "txt/statement-00.txt"):
        assert (red / rel).is_file(), rel
    assert not list(case.path.rglob("scan*")) and not list(case.path.rglob("photo*"))
    assert "sub/deeper/statement" in case.items()
    for rel in ("txt/statement-00.txt", "sub/deeper/statement_md.md",
                "sub/deeper/interviews.jsonl"):
        assert _no_canary((red / rel).read_text(encoding="utf-8")), rel
    manifest = summary.manifest
    assert manifest is not None and manifest.parent == case.path / "manifests"
    body = json.loads(manifest.read_text())["manifest"]
    assert body["totals"]["ok"] == 8 and body["totals"]["skipped"] == 2
    assert body["model"]["package"] and body["tool"]["spacy"] and body["policy_sha256"]
    entry = next(e for e in body["files"] if e["path"] == "txt/statement-00.txt")
    assert entry["counts"]["PERSON"] and len(entry["input_sha256"]) == 64
    assert verify_case(case.path, case.signing_public_key).ok


def test_one_and_two_workers_identical_and_like_redact_file(
        tmp_path: Path, case_template: Path, keys: dict[str, Path]) -> None:
    src = _statements(tmp_path / "in")
    shutil.copy(CORPUS / "statement.md", src / "statement-09.md")
    outs = []
    for workers in (1, 2):
        case = _copy_case(case_template, tmp_path / f"case{workers}")
        with case:
            summary = run_batch(case, src, BatchOptions(workers=workers))
        assert summary.ok and summary.count("ok") == len(STATEMENTS) + 1
        outs.append(_tree(case.path / "redacted"))
    assert outs[0] == outs[1]
    # `redact file --case` on each file, in sorted path order, into a copy of the same case.
    single = tmp_path / "case-file"
    shutil.copytree(case_template, single)
    for path in sorted(src.iterdir()):
        r = run("file", path, "--case", single, "--passphrase-file", keys["pw"], "--json")
        assert r.exit_code == 0, r.output
    assert _tree(single / "redacted") == outs[0]


def test_bad_files_do_not_stop_the_run(tmp_path: Path, case_template: Path) -> None:
    src = _statements(tmp_path / "in")
    (src / "broken.jsonl").write_text('{"statement": "fine"}\n{not json\n')
    (src / "big.txt").write_text("word " * 2000)
    (src / "fake.docx").write_text("not a word file")
    (src / "utf16.txt").write_bytes("Zvezdana".encode("utf-16-le"))
    case = _copy_case(case_template, tmp_path / "case")
    with case:
        summary = run_batch(case, src, BatchOptions(max_bytes=5000))
    by = {f.rel: f for f in summary.files}
    assert by["broken.jsonl"].status == "failed" and by["broken.jsonl"].reason
    assert by["big.txt"].status == "failed" and "larger" in by["big.txt"].reason
    assert by["fake.docx"].status == "failed"  # a .docx that is not one: meant as a statement
    assert by["utf16.txt"].status in ("failed", "skipped")
    assert all(by[f"statement-{i:02d}.txt"].status == "ok" for i in range(len(STATEMENTS)))
    assert not summary.ok
    for f in summary.files:
        assert _no_canary(json.dumps(f.to_dict()))
    # --fail-fast stops at the first failure (sorted order: big.txt comes first).
    case2 = _copy_case(case_template, tmp_path / "case2")
    with case2:
        summary2 = run_batch(case2, src, BatchOptions(max_bytes=5000, fail_fast=True))
    assert [f.status for f in summary2.files] == ["failed"]
    assert not summary2.manifest or json.loads(summary2.manifest.read_text())[
        "manifest"]["totals"]["not_reached"] == len(by) - 1


def test_binary_txt_fails_the_run_and_skipped_files_are_listed(
        tmp_path: Path, case_template: Path, keys: dict[str, Path]) -> None:
    """A .txt holding binary data is a failed file (exit 1), not a quietly skipped one; the
    skipped GIF and the failed file are named in the JSON summary and on stderr."""
    src = _statements(tmp_path / "in")
    (src / "binary.txt").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4)
    (src / "scan.gif").write_bytes(b"GIF89a" + b"\x00" * 32)
    case_path = tmp_path / "case"
    shutil.copytree(case_template, case_path)
    r = run("batch", src, "--case", case_path, "--passphrase-file", keys["pw"],
            "--workers", "1")
    assert r.exit_code == 1, r.output
    events = [json.loads(x) for x in r.stdout.splitlines()]
    status = {e["path"]: e["status"] for e in events if e["event"] == "file"}
    assert status["binary.txt"] == "failed" and status["scan.gif"] == "skipped"
    summary = events[-1]
    assert summary["event"] == "summary" and summary["status"] == "failed"
    assert summary["skipped_files"] == [{"path": "scan.gif", "reason": "it is a GIF image"}]
    assert [f["path"] for f in summary["failed_files"]] == ["binary.txt"]
    assert "binary data" in summary["failed_files"][0]["reason"]
    assert "scan.gif: it is a GIF image" in r.stderr
    assert "binary.txt: it holds binary data" in r.stderr
    assert "1 skipped, 1 failed" in r.stderr


def test_lock_refuses_second_run(tmp_path: Path, case_template: Path,
                                 keys: dict[str, Path]) -> None:
    src = _statements(tmp_path / "in")
    case = _copy_case(case_template, tmp_path / "case")
    with batch_lock(case.path):
        with pytest.raises(BatchLockedError, match="another batch run"):
            run_batch(case, src)
        r = run("batch", src, "--case", case.path, "--passphrase-file", keys["pw"], "--json")
        assert r.exit_code == 1
        assert "another batch run" in json.loads(r.stdout.splitlines()[-1])["what"]
    assert not (case.path / "redacted" / "statement-00.txt").exists()


def test_second_run_is_refused_before_the_passphrase(tmp_path: Path, case_template: Path,
                                                     keys: dict[str, Path]) -> None:
    """docs/batch.md: a second run refuses at once, before it asks for (and checks) the
    passphrase and loads the model: with a wrong passphrase it still says "another batch run"."""
    src = _statements(tmp_path / "in")
    case = _copy_case(case_template, tmp_path / "case")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    with batch_lock(case.path):
        r = run("batch", src, "--case", case.path, "--passphrase-file", wrong)
    assert r.exit_code == 1
    assert "another batch run is writing into the case" in r.output
    assert "wrong passphrase" not in r.output


def test_cli_json_lines_verify_manifest_and_tampering(
        tmp_path: Path, case_template: Path, keys: dict[str, Path]) -> None:
    src = _mixed(tmp_path / "in")
    (src / "broken.json").write_text("{oops")
    case_path = tmp_path / "case"
    shutil.copytree(case_template, case_path)
    r = run("batch", src, "--case", case_path, "--passphrase-file", keys["pw"],
            "--workers", "1", "--json")
    assert r.exit_code == 1  # broken.json failed
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert lines[0]["event"] == "start" and lines[-1]["event"] == "summary"
    files = [x for x in lines if x["event"] == "file"]
    assert len(files) == lines[0]["files"] == 11
    assert {x["status"] for x in files} == {"ok", "skipped", "failed"}
    assert _no_canary(r.stdout) and _no_canary(r.stderr)
    for m in (case_path / "manifests").glob("*.json"):
        assert _no_canary(m.read_text())
    for rep in (case_path / "reports").rglob("*.json"):
        assert _no_canary(rep.read_text())
    # A rerun skips everything done; the failed file is tried again.
    r2 = run("batch", src, "--case", case_path, "--passphrase-file", keys["pw"],
             "--workers", "1", "--json")
    statuses = {x["path"]: x["status"] for x in map(json.loads, r2.stdout.splitlines())
                if x["event"] == "file"}
    assert statuses["broken.json"] == "failed" and statuses["txt/statement-00.txt"] == \
        "unchanged"
    r = run("verify-manifest", case_path, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["ok"]
    # Changed, missing and added files.
    (case_path / "redacted" / "txt" / "statement-01.txt").write_text("changed\n")
    (case_path / "sealed" / "sub" / "deeper" / "statement.age").unlink()
    (case_path / "redacted" / "extra.txt").write_text("added\n")
    r = run("verify-manifest", case_path, "--json")
    assert r.exit_code == 1
    kinds = {(p["kind"], p["path"]) for p in json.loads(r.stdout)["problems"]}
    assert kinds == {("changed", "redacted/txt/statement-01.txt"),
                     ("missing", "sealed/sub/deeper/statement.age"),
                     ("added", "redacted/extra.txt")}
    r = run("verify-manifest", case_path)
    assert r.exit_code == 1 and "changed" in r.stdout and "PROBLEMS" in r.stderr
    # A tampered manifest: its signature no longer verifies.
    (case_path / "redacted" / "txt" / "statement-01.txt").unlink()
    (case_path / "redacted" / "extra.txt").unlink()
    latest = sorted((case_path / "manifests").glob("*.json"))[-1]
    doc = json.loads(latest.read_text())
    doc["manifest"]["totals"]["failed"] = 0
    latest.write_text(json.dumps(doc))
    r = run("verify-manifest", case_path, "--json")
    assert r.exit_code == 1
    assert any(p["kind"] == "signature" for p in json.loads(r.stdout)["problems"])
    # A signature by another key is refused too.
    doc["signature"]["value"] = base64.b64encode(b"\x00" * 64).decode()
    latest.write_text(json.dumps(doc))
    assert run("verify-manifest", case_path).exit_code == 1


def test_resume_after_kill(tmp_path: Path, case_template: Path, keys: dict[str, Path]) -> None:
    """SIGKILL a real run partway, run again: the result equals an uninterrupted run."""
    src = tmp_path / "in"
    src.mkdir()
    for k in range(12):
        (src / f"s{k:02d}.txt").write_text(STATEMENTS[k % len(STATEMENTS)].replace(
            "Argun", f"Argun district {k}"), encoding="utf-8")
    whole = _copy_case(case_template, tmp_path / "whole")
    with whole:
        assert run_batch(whole, src).ok
    killed = tmp_path / "killed"
    shutil.copytree(case_template, killed)
    cmd = [str(Path(sys.executable).parent / "redact"), "batch", str(src), "--case", str(killed),
           "--passphrase-file", str(keys["pw"]), "--workers", "1", "--json"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=REPO)
    assert proc.stdout is not None
    done = 0
    deadline = time.monotonic() + 120
    while done < 3 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        if json.loads(line)["event"] == "file":
            done += 1
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert done == 3, proc.stderr.read().decode() if proc.stderr else ""
    assert not (killed / "manifests").exists() or not list((killed / "manifests").iterdir())
    case = Case.open(killed)
    case.unlock(passphrase=PASS)
    with case:
        summary = run_batch(case, src)
    assert summary.ok and summary.count("unchanged") >= 3
    assert summary.count("ok") + summary.count("unchanged") == 12
    assert _tree(killed / "redacted") == _tree(whole.path / "redacted")
    assert verify_case(killed, case.signing_public_key).ok


def test_workers_die_with_a_killed_run(tmp_path: Path, case_template: Path,
                                       keys: dict[str, Path]) -> None:
    """After ``kill -9`` of a 2-worker run, its workers go too: quietly, without tracebacks."""
    src = _statements(tmp_path / "in")
    for k in range(8):
        (src / f"more{k}.txt").write_text(STATEMENTS[k % len(STATEMENTS)], encoding="utf-8")
    case_path = tmp_path / "case"
    shutil.copytree(case_template, case_path)
    cmd = [str(Path(sys.executable).parent / "redact"), "batch", str(src), "--case", str(case_path),
           "--passphrase-file", str(keys["pw"]), "--workers", "2", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert proc.stdout is not None and proc.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line or json.loads(line)["event"] == "file":
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # The workers share the run's stderr: it reaches its end only once every one has exited.
    err: list[bytes] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    reader.start()
    reader.join(timeout=20)
    assert not reader.is_alive(), "a worker outlived the killed run"
    assert b"Traceback" not in err[0], err[0].decode(errors="replace")


def test_ctrl_c_interrupts_quietly(tmp_path: Path, case_template: Path,
                                   keys: dict[str, Path]) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) during a 2-worker
    run: the parent's "interrupted" message and exit 130, and no worker's traceback."""
    src = _statements(tmp_path / "in")
    for k in range(60):
        (src / f"more{k:02d}.txt").write_text(STATEMENTS[k % len(STATEMENTS)] * 60,
                                              encoding="utf-8")
    case_path = tmp_path / "case"
    shutil.copytree(case_template, case_path)
    cmd = [str(Path(sys.executable).parent / "redact"), "batch", str(src), "--case", str(case_path),
           "--passphrase-file", str(keys["pw"]), "--workers", "2", "--json"]
    # PYTHONFAULTHANDLER: if the run hangs, SIGABRT makes it print where it stands
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO,
                            env={**os.environ, "PYTHONUNBUFFERED": "1",
                                 "PYTHONFAULTHANDLER": "1"},
                            start_new_session=True)
    assert proc.stdout is not None and proc.stderr is not None
    done, deadline = 0, time.monotonic() + 120
    while done < 3 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        done += json.loads(line)["event"] == "file"
    os.killpg(proc.pid, signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # a hang: the parent's stack, then kill the group
        os.kill(proc.pid, signal.SIGABRT)
        try:
            out, err = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the workers
    stderr = err.decode(errors="replace")
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert "interrupted: run the same command again to resume" in stderr
    assert json.loads(out.splitlines()[-1])["interrupted"] is True


# ---- the Dask engine ------------------------------------------------------------------


def test_dask_engine_on_a_local_cluster(tmp_path: Path, case_template: Path,
                                        keys: dict[str, Path]) -> None:
    """`--engine dask` (a local cluster of 2 worker processes) writes what the local engine
    writes; nothing from the statements reaches its output, logs or scratch folder."""
    src = _mixed(tmp_path / "in")
    local = _copy_case(case_template, tmp_path / "local")
    with local:
        assert run_batch(local, src).ok
    case_path = tmp_path / "dask"
    shutil.copytree(case_template, case_path)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    cmd = [str(Path(sys.executable).parent / "redact"), "batch", str(src), "--case", str(case_path),
           "--passphrase-file", str(keys["pw"]), "--workers", "2", "--engine", "dask", "--json"]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, timeout=600,
                          env={**os.environ, "TMPDIR": str(scratch)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert events[0]["event"] == "start" and events[0]["engine"] == "dask"
    assert events[-1]["event"] == "summary" and events[-1]["ok"] >= 8
    assert _tree(case_path / "redacted") == _tree(local.path / "redacted")
    assert verify_case(case_path, local.signing_public_key).ok
    assert _no_canary(proc.stdout) and _no_canary(proc.stderr)
    assert not list(scratch.iterdir())  # the cluster's scratch folder is gone


def test_dask_engine_guards(tmp_path: Path) -> None:
    """Plain TCP to another machine, workers that spill, miss the folders or run tasks in
    threads are refused; a failing task never raises into Dask."""
    from redact.batch import pools

    with pytest.raises(CaseError, match="not encrypted"):
        pools._check_address("tcp://10.1.2.3:8786")
    with pytest.raises(CaseError, match="not encrypted"):
        pools._check_address("10.1.2.3:8786")
    pools._check_address("tls://10.1.2.3:8786")
    pools._check_address("tcp://127.0.0.1:8786")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
            pytest.raises(CaseError, match="could not be started or reached"):
        pools.DaskPool(1, print, (), "tcp://127.0.0.1:9", [str(tmp_path)])  # nobody listens

    ok = {"spills": False, "sees": True, "threads": 1}
    pools._check_workers({"a": ok, "b": ok})
    for bad, says in (({"spills": True}, "spill"), ({"sees": False}, "does not see"),
                      ({"threads": 4}, "several tasks")):
        with pytest.raises(CaseError, match=says):
            pools._check_workers({"a": ok, "b": {**ok, **bad}})

    def boom() -> None:
        raise ValueError("Zvezdana Kvartirova")  # what a task may hold

    saved = dict(pools._INIT)
    pools._INIT["args"] = ("started",)
    try:
        failed = pools._guarded(print, ("started",), boom)
    finally:
        pools._INIT.clear()
        pools._INIT.update(saved)
    assert isinstance(failed, pools._Failed) and failed.name == "ValueError"

    class Done:
        def done(self) -> bool:
            return True

        def result(self) -> object:
            return failed

    with pytest.raises(pools.WorkerFailure) as err:
        pools._Result(Done()).get()
    assert _no_canary(str(err.value)) and str(err.value) == "ValueError"


def test_label_feed_brings_later_labels(tmp_path: Path, case_template: Path) -> None:
    """A worker's trial labels catch up with labels assigned after its group was sent
    (read from the case's index; a line still being appended waits)."""
    from redact.batch.stages import LabelFeed
    from redact.pseudonyms import PseudonymIndex

    case = _copy_case(case_template, tmp_path / "case")
    with case:
        index = case.pseudonyms
        index.label_for("PERSON", "Person", ["Ruslan Ibragimov"], ["Ruslan", "Ibragimov"])
        feed = LabelFeed(index)  # at the fork
        sent = index.label_tables()  # a group's seed, taken when it was sent
        before = tuple(dict(t) for t in sent)
        index.label_for("PERSON", "Person", ["Zvezdana Kvartirova"], ["Zvezdana", "Kvartirova"])
        whole = feed.path.read_bytes()
        feed.path.write_bytes(whole[:-5])  # the parent is still appending the last line
        assert feed.refresh(sent) != before  # the lines before it are read...
        assert sent[3] == {"Person": 2} and len(sent[0]) == len(before[0]) + 1
        feed.path.write_bytes(whole)
        got = feed.refresh(sent)  # ...and the rest once whole
        assert got == index.label_tables()
        trial = PseudonymIndex.seeded(got, index.key)
        assert trial.label_for("PERSON", "Person", ["Zvezdana Kvartirova"]) == "Person B"
        assert trial.label_for("PERSON", "Person", ["Islam Bakaev"]) == "Person C"


def test_batch_api_is_exported_lazily_and_knows_where_the_model_loads() -> None:
    script = ("import sys, redact\n"
              "from redact import BatchOptions, BatchSummary, FileOutcome, Verification\n"
              "from redact import loads_model_here, run_batch, verify_case\n"
              "print(int('spacy' in sys.modules), int('presidio_analyzer' in sys.modules))\n"
              "names = [getattr(redact, n) for n in redact.__all__]\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["0", "0"]  # the batch names load no model (yet)
    import redact
    from redact.batch.pools import _FORK

    assert redact.run_batch is run_batch and redact.BatchOptions is BatchOptions
    assert redact.loads_model_here(BatchOptions(workers=1))
    assert redact.loads_model_here(BatchOptions(workers=2)) is _FORK
    assert not redact.loads_model_here(BatchOptions(workers=1, engine="dask"))


def test_a_label_the_statement_writes_itself_is_named_in_the_summary(
        tmp_path: Path, case_template: Path, keys: dict[str, Path]) -> None:
    """a.txt makes Zvezdana Kvartirova the case's Person A; b.txt, taken down by someone else,
    calls a neighbour "Person A" and names Zvezdana too: its file event, the manifest and
    the summary name the clash (path and label, no text), in this run and in a rerun that
    finds b.txt unchanged."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Zvezdana Kvartirova was detained on Monday.\n", encoding="utf-8")
    (src / "b.txt").write_text("Person A, a neighbour, saw Zvezdana Kvartirova and Timur "
                               "Bisultanov at the station.\n", encoding="utf-8")
    case_path = tmp_path / "case"
    shutil.copytree(case_template, case_path)
    for attempt in ("first", "rerun"):
        r = run("batch", src, "--case", case_path, "--passphrase-file", keys["pw"],
                "--workers", "2")
        assert r.exit_code == 0, r.output
        events = [json.loads(x) for x in r.stdout.splitlines()]
        files = {e["path"]: e for e in events if e["event"] == "file"}
        assert files["b.txt"]["label_clashes"] == ["Person A"], attempt
        assert "label_clashes" not in files["a.txt"]
        assert events[-1]["label_clash_files"] == [{"path": "b.txt", "labels": ["Person A"]}]
        assert "b.txt: Person A" in r.stderr and "kvartirova" not in r.output.lower()
    out = (case_path / "redacted" / "b.txt").read_text(encoding="utf-8")
    assert out.startswith("Person A, a neighbour, saw Person A and Person B at the station")
    manifest = json.loads(Path(events[-1]["manifest"]).read_text(encoding="utf-8"))
    assert [f.get("label_clashes") for f in manifest["manifest"]["files"]] == [None, ["Person A"]]
