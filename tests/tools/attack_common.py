"""Shared helpers for the attack/fault/limit/permission tests: run the real CLI in a
subprocess (optionally as an unprivileged user), hash folders, build cases.

Subprocesses run ``python -m tests.tools.cli_entry`` so that a test can ask for
a fault to be injected (``REDACT_TEST_FAULT``) and for the peak RSS to be
written to a file (``REDACT_TEST_RSS``), without touching the product code.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
ENTRY = str(Path(__file__).resolve().parent / "cli_entry.py")
PASS = "correct horse battery staple for tests"


def _drop_dac() -> list[str]:
    """A command prefix that takes away root's power to ignore file modes (else nothing).

    Root ignores file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH); dropping
    those two capabilities makes a root process meet modes as their owner, like any user.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:  # pragma: no cover
        raise RuntimeError("running as root without setpriv: cannot test permission errors")
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}"]


def run_cli(args: Sequence[str | os.PathLike[str]], *, env: Mapping[str, str] | None = None,
            cwd: str | os.PathLike[str] | None = None, unprivileged: bool = False,
            stdin: bytes | None = None, timeout: float = 600) -> subprocess.CompletedProcess[bytes]:
    """Run ``redact ARGS`` in a fresh interpreter; return the completed process (bytes).

    ``unprivileged=True`` makes file modes apply even when the tests run as root.
    """
    full_env = {k: v for k, v in os.environ.items()
                if not k.startswith(("REDACT_", "PYTEST_", "HYPOTHESIS"))}
    full_env["PYTHONPATH"] = str(REPO)
    full_env.update(env or {})
    prefix = _drop_dac() if unprivileged else []
    return subprocess.run([*prefix, PYTHON, ENTRY, *[str(a) for a in args]], env=full_env,
                          cwd=cwd, input=stdin, capture_output=True, timeout=timeout,
                          check=False)


def tree_hashes(folder: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every regular file under ``folder``."""
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def temp_leftovers(folder: Path) -> list[str]:
    """Temporary files (``.NAME.XXXX.tmp``, ``.NAME.init-*``) left under ``folder``."""
    return [str(p.relative_to(folder)) for p in folder.rglob("*")
            if p.name.endswith(".tmp") or ".init-" in p.name]


def world_dir(base: Path | None = None) -> Path:
    """A fresh folder outside pytest's tmp_path (for mounts)."""
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="redact-attack-", dir=base or "/tmp"))
    os.chmod(d, 0o755)
    return d


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def new_case(tmp: Path, name: str = "case", *, policy: str | None = None
             ) -> tuple[Path, Path, Path]:
    """A case with one hybrid recipient: ``(case folder, identity file, passphrase file)``.

    Built through the library (fast: scrypt work factor 10).
    """
    from redact import seal as S
    from redact.case import Case

    ident = S.generate_identity()
    id_file = tmp / f"{name}-identity.txt"
    S.write_identity_file(id_file, ident)
    pw_file = tmp / f"{name}-pass.txt"
    pw_file.write_text(PASS + "\n")
    os.chmod(pw_file, 0o600)
    Case.init(tmp / name, [ident.recipient], policy, passphrase=PASS, work_factor=10)
    return tmp / name, id_file, pw_file
