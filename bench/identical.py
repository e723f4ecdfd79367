"""Fingerprint redact's outputs, to prove a refactoring changed no output byte.

Usage::

    .venv/bin/python bench/identical.py --out before.json      # on the old commit
    .venv/bin/python bench/identical.py --out after.json       # on the new one
    .venv/bin/python bench/identical.py --compare before.json after.json

What is fingerprinted (SHA-256 of each output, one entry per file and mode):

* corpora: ``sentences`` (the presidio-research dev set, one file per sentence),
  ``statements`` (``--statements`` statements of 5-10 KB, seeded, as
  ``bench/batch_speed.py`` builds them) and ``tests/corpus/`` (text, Markdown,
  Word, CSV and JSONL statements);
* ``single``: the library, ``Redactor().redact(text)`` for each text (the redacted
  text and its spans as JSON), and ``redact file`` for each file of ``tests/corpus``
  (the written file);
* ``batch-w1`` and ``batch-w2``: ``redact batch DIR --case CASE --workers N`` into a
  fresh case; every file under the case's ``redacted/`` folder.

Sealed originals and manifests carry fresh keys, nonces and times and are not
compared; the redacted files and their pseudonyms are. Run it with the same
``python`` on both commits (``PYTHONPATH=/path/to/checkout`` picks the code).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO  # noqa: E402
from batch_speed import PASS, sentences, statements, write_corpus  # noqa: E402

CORPUS = REPO / "tests" / "corpus"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _redact_cmd() -> list[str]:
    return [sys.executable, "-m", "redact"]


def single(corpora: dict[str, list[str]], work: Path) -> dict[str, str]:
    from redact import Redactor

    out: dict[str, str] = {}
    red = Redactor()
    for name, texts in corpora.items():
        for i, t in enumerate(texts):
            res = red.redact(t)
            blob = json.dumps({"text": res.text, "spans": [s.to_dict() for s in res.spans]},
                              sort_keys=True, ensure_ascii=False).encode()
            out[f"single/{name}/{i}"] = _sha(blob)
    for f in sorted(p for p in CORPUS.iterdir() if p.suffix != ".json" and p.is_file()
                    and not p.name.startswith("make_")):
        dest = work / f"single-{f.name}"
        subprocess.run(_redact_cmd() + ["file", str(f), "-o", str(dest), "--force"],
                       check=True, capture_output=True)
        out[f"single/corpus/{f.name}"] = _sha(dest.read_bytes())
    return out


def batch(folder: Path, workers: int, work: Path, tag: str) -> dict[str, str]:
    from redact import seal as S
    from redact.case import Case

    case = work / f"case-{tag}-w{workers}"
    Case.init(case, [str(S.generate_identity().recipient)], passphrase=PASS, work_factor=10)
    pw = work / "pw.txt"
    pw.write_text(PASS + "\n")
    proc = subprocess.run(_redact_cmd() + ["batch", str(folder), "--case", str(case),
                                           "--workers", str(workers), "--passphrase-file",
                                           str(pw)], capture_output=True)
    if proc.returncode != 0:  # a failed file would silently drop outputs from the comparison
        raise SystemExit(f"redact batch exited {proc.returncode}: "
                         f"{proc.stderr.decode()[-2000:]}")
    red = case / "redacted"
    return {f"batch-w{workers}/{tag}/{p.relative_to(red)}": _sha(p.read_bytes())
            for p in sorted(red.rglob("*")) if p.is_file()}


def fingerprint(n_statements: int) -> dict[str, Any]:
    corpora = {"sentences": sentences(), "statements": statements(n_statements)}
    with tempfile.TemporaryDirectory(prefix="redact-identical-") as tmp:
        work = Path(tmp)
        out = single(corpora, work)
        folders = {}
        for name, texts in corpora.items():
            folders[name] = work / name
            write_corpus(folders[name], texts)
        folders["corpus"] = work / "corpus"
        folders["corpus"].mkdir()
        for f in CORPUS.iterdir():
            if f.is_file() and f.suffix != ".json" and not f.name.startswith("make_"):
                shutil.copy(f, folders["corpus"] / f.name)
        for workers in (1, 2):
            for name, folder in folders.items():
                out.update(batch(folder, workers, work, name))
    return {"files": out, "python": sys.executable, "code": os.environ.get("PYTHONPATH", "")}


def compare(a: Path, b: Path) -> int:
    fa = json.loads(a.read_text())["files"]
    fb = json.loads(b.read_text())["files"]
    only_a, only_b = sorted(set(fa) - set(fb)), sorted(set(fb) - set(fa))
    differ = sorted(k for k in set(fa) & set(fb) if fa[k] != fb[k])
    print(f"{len(fa)} outputs before, {len(fb)} after; {len(differ)} differ; "
          f"{len(only_a)} only before; {len(only_b)} only after")
    for k in (differ + only_a + only_b)[:40]:
        print("  ", k, flush=True)
    return 1 if differ or only_a or only_b else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path)
    ap.add_argument("--statements", type=int, default=100)
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if not args.out:
        ap.error("give --out FILE or --compare BEFORE AFTER")
    res = fingerprint(args.statements)
    args.out.write_text(json.dumps(res, indent=1, sort_keys=True))
    print(f"{len(res['files'])} outputs fingerprinted into {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
