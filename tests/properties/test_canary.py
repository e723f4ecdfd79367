"""Canaries: planted unique identifiers must never leave the process except inside sealed
files (DESIGN decision 6).

A corpus (txt, md, jsonl, csv, docx, and a broken docx) is redacted at ``--verbose`` into a
case by ``redact batch`` with two workers, with a forced internal error in the middle (the
apply step raises an exception whose message quotes the statement, as a buggy library
might), then resumed; single files go through ``redact file`` (with and without a case,
``--json``, ``--report``) with the same forced error. Then every byte the runs produced is
scanned: stdout, stderr (logs and tracebacks go there), reports, manifests, the pseudonym
index, every file of the case folder other than sealed ``.age`` files, the redacted outputs
(the policy removes every canary, so there must be none), the temp directory (``TMPDIR``
points at a test folder) and ``HOME``. Each blob is searched as bytes, case-insensitively,
in UTF-8 and UTF-16, and again after undoing gzip, zip, base64, JSON string escapes and
percent-encoding, recursively.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import io
import json
import re
import urllib.parse
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tools.attack_common import PASS, run_cli
from tools.canary_corpus import NEEDLES, write_corpus

from redact import seal as S

_B64 = re.compile(rb"[A-Za-z0-9+/_-]{16,}={0,2}")
_JSON_STR = re.compile(rb'"(?:[^"\\\n]|\\.)*"')


def views(blob: bytes, depth: int = 0) -> Iterator[tuple[str, bytes]]:
    """``blob`` and everything it could be hiding (decoded forms), recursively."""
    yield "raw", blob
    if depth >= 3:
        return
    if blob[:2] == b"\x1f\x8b":
        try:
            for how, v in views(gzip.decompress(blob), depth + 1):
                yield "gzip>" + how, v
        except (OSError, EOFError):
            pass
    if blob[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(blob)) as zf:
                for info in zf.infolist():
                    yield "zip-name", info.filename.encode()
                    for how, v in views(zf.read(info), depth + 1):
                        yield f"zip:{info.filename}>" + how, v
        except (zipfile.BadZipFile, OSError, ValueError):
            pass
    for m in _B64.finditer(blob):
        tok = m.group(0)
        for decoder in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                dec = decoder(tok + b"=" * (-len(tok) % 4))
            except (binascii.Error, ValueError):
                continue
            if dec:
                for how, v in views(dec, depth + 1):
                    yield "base64>" + how, v
    if b"\\u" in blob or b"\\x" in blob:
        parts = []
        for m in _JSON_STR.finditer(blob):
            try:
                parts.append(json.loads(m.group(0)).encode("utf-8", "replace"))
            except ValueError:
                continue
        if parts:
            yield "json-unescaped", b"\n".join(parts)
    if b"%" in blob:
        yield "percent-decoded", urllib.parse.unquote_to_bytes(blob)


def find_canaries(blob: bytes) -> list[str]:
    """Which needles occur in ``blob`` (any view), as ``"needle (how)"`` strings."""
    found = []
    lowered_needles = [(n, n.lower().encode(), n.lower().encode("utf-16-le")) for n in NEEDLES]
    for how, v in views(blob):
        low = v.lower()
        for n, n8, n16 in lowered_needles:
            if n8 in low or n16 in low:
                found.append(f"{n} ({how})")
    return found


def test_finder_sees_through_encodings() -> None:
    secret = b"Malika Yurchevskaya"
    for blob in (secret, base64.b64encode(secret), gzip.compress(secret),
                 base64.b64encode(gzip.compress(b"x " + secret)),
                 json.dumps({"a": "Malika Yurchevskaya"}, ensure_ascii=True).encode(),
                 json.dumps("Юрчевская Yurchevskaya").encode(),
                 urllib.parse.quote("Yurchevskaya@x").encode(), "yurchevskaya".encode("utf-16-le")):
        assert find_canaries(blob), blob
    assert not find_canaries(b"Person A said [PHONE_NUMBER]")


def _broken_docx() -> bytes:
    """A .docx whose extra part, named after a canary, is not well-formed XML."""
    from tools.canary_corpus import docx_bytes

    src = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info))
        z.writestr("customXml/item-Prozgumov.xml", b"<a><Qzarkhanov>Vtemirovich</b></a>")
    return out.getvalue()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Do every run once; return the folders and the captured outputs."""
    base = tmp_path_factory.mktemp("canary")
    tmpdir, home, outdir = base / "tmpdir", base / "home", base / "out"
    for d in (tmpdir, home, outdir):
        d.mkdir()
    inp = base / "in"
    files = write_corpus(inp)
    (inp / "f-broken.docx").write_bytes(_broken_docx())
    ident = S.generate_identity()
    idf = base / "editor.txt"
    S.write_identity_file(idf, ident)
    pwf = base / "pw.txt"
    pwf.write_text(PASS + "\n")
    env = {"TMPDIR": str(tmpdir), "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    fault = {**env, "REDACT_TEST_FAULT": "internal-error"}
    captured: list[tuple[str, bytes]] = []
    codes: dict[str, int] = {}

    def run(name: str, args: list[object], e: dict[str, str]) -> None:
        r = run_cli(["-v", *args], env=e)
        captured.append((f"{name}:stdout", r.stdout))
        captured.append((f"{name}:stderr", r.stderr))
        codes[name] = r.returncode

    case = base / "case"
    run("init", ["case", "init", case, "-r", str(ident.recipient), "--passphrase-file", pwf,
                 "--work-factor", "10"], env)
    # a batch with a forced internal error on the 3rd file planned, then the resumed run
    run("batch-fault", ["batch", inp, "--case", case, "--workers", "2",
                        "--passphrase-file", pwf],
        {**fault, "REDACT_TEST_FAULT_AFTER": "2"})
    run("batch-json", ["batch", inp, "--case", case, "--workers", "2", "--json",
                       "--passphrase-file", pwf], env)
    run("verify-manifest", ["verify-manifest", case], env)
    run("show", ["case", "show", case, "--json"], env)
    # single files: into a second case (one with the forced error), and without a case
    case2 = base / "case2"
    run("init2", ["case", "init", case2, "-r", str(ident.recipient), "--passphrase-file", pwf,
                  "--work-factor", "10"], env)
    run("file-case-fault", ["file", files[0], "--case", case2, "--passphrase-file", pwf], fault)
    run("file-case", ["--json"] if False else ["file", files[1], "--case", case2, "--json",
                                               "--passphrase-file", pwf], env)
    run("file-broken", ["file", inp / "f-broken.docx", "-o", outdir / "broken.docx"], env)
    run("file-fault", ["file", files[2], "-o", outdir / "c.jsonl", "--report",
                       outdir / "c.report.json"], fault)
    run("file", ["file", files[4], "-o", outdir / "e.docx", "--report", outdir / "e.json",
                 "--json"], env)
    run("file-stdin-leak", ["file", files[3], "-o", "-", "--json"], env)
    return {"base": base, "case": case, "case2": case2, "tmpdir": tmpdir, "home": home,
            "outdir": outdir, "captured": captured, "codes": codes}


def test_runs_did_what_was_asked(runs: dict[str, object]) -> None:
    codes = runs["codes"]
    assert isinstance(codes, dict)
    assert codes["init"] == 0 and codes["init2"] == 0
    assert codes["batch-fault"] == 1  # the forced error and the broken docx fail; others go on
    assert codes["batch-json"] == 1  # the broken docx still fails; the rest is done
    assert codes["verify-manifest"] == 0
    assert codes["file-case-fault"] == 1 and codes["file-fault"] == 1
    assert codes["file-broken"] == 1
    assert codes["file-case"] == 0 and codes["file"] == 0 and codes["file-stdin-leak"] == 0
    case = runs["case"]
    assert isinstance(case, Path)
    assert len(list((case / "sealed").rglob("*.age"))) == 5
    assert len([p for p in (case / "redacted").rglob("*") if p.is_file()]) == 5


def test_no_canary_in_any_output_stream(runs: dict[str, object]) -> None:
    captured = runs["captured"]
    assert isinstance(captured, list)
    leaks = {name: hits for name, blob in captured if (hits := find_canaries(blob))}
    # the redacted statement written to stdout on purpose holds no canary either
    assert not leaks, leaks
    # the forced error really happened and was reported, without its message
    errs = b"".join(blob for name, blob in captured if name.endswith("fault:stderr"))
    assert b"RuntimeError" in errs and b"simulated library bug" not in errs


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("where", ["case", "case2", "tmpdir", "home", "outdir"])
def test_no_canary_in_files(runs: dict[str, object], where: str) -> None:
    folder = runs[where]
    assert isinstance(folder, Path)
    leaks = {}
    scanned = 0
    for p in _files(folder):
        if p.suffix == ".age":  # sealed: the only place canaries may be
            data = p.read_bytes()
            assert data.startswith(b"age-encryption.org/v1\n") and not find_canaries(
                data.split(b"\n---", 1)[0]), p
            continue
        scanned += 1
        if hits := find_canaries(p.read_bytes()):
            leaks[str(p.relative_to(folder))] = hits
    assert not leaks, leaks
    if where in ("case", "case2"):
        assert scanned >= 6  # case.json, policy, index, reports, redacted outputs, manifest
    if where == "tmpdir":
        # nothing may be left in the temp directory at all
        assert not _files(folder), _files(folder)


def test_file_names_hold_no_canary(runs: dict[str, object]) -> None:
    base = runs["base"]
    assert isinstance(base, Path)
    names = [str(p.relative_to(base)) for p in base.rglob("*")
             if not str(p.relative_to(base)).startswith("in/")]
    hits = [n for n in names if find_canaries(n.encode())]
    assert not hits, hits
