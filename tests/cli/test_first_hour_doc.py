"""docs/first-hour.md works as written: every ``sh`` block runs, in order, and exits 0.

The blocks run in a fresh HOME (a temporary folder) with the repository's
``.venv/bin`` on PATH, no terminal (a new session, stdin from /dev/null) and the
case passphrase in ``REDACT_PASSPHRASE``, as a script would give it. Blocks
marked ``# in the redact folder`` run in the repository, with ``make`` as a dry
run (``make -n``: the target exists; the test does not reinstall the project).
At the end the published statement and the sealed original exist and no file of
the case holds a name planted in the practice statement.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "first-hour.md"
PLANTED = ["Zarema", "Khasanov", "Aslanbek", "Gekhi", "Tarzan", "744-19-03"]
SETUP = "# in the redact folder"


def shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```$", markdown, flags=re.S | re.M)


def test_first_hour_page_runs_as_written(tmp_path: Path) -> None:
    blocks = shell_blocks(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) >= 7 and blocks[0].startswith(SETUP)
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "REDACT_PASSPHRASE": "correct horse battery staple",
           "PATH": f"{REPO / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("REDACT_DEBUG", None)
    dry_make = ("make() { command make -n \"$@\" > /dev/null; }\n" if shutil.which("make")
                else "make() { :; }\n")
    work = home / "newsroom"
    for number, block in enumerate(blocks, 1):
        setup = block.startswith(SETUP)
        r = subprocess.run(["bash", "-euo", "pipefail", "-c", (dry_make if setup else "") + block],
                           cwd=REPO if setup else work, env=env, capture_output=True,
                           text=True, stdin=subprocess.DEVNULL, start_new_session=True,
                           timeout=300)
        assert r.returncode == 0, f"block {number} of {PAGE.name}:\n{block}\n{r.stderr}"
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    case = work / "cases" / "grozny"
    published = case / "redacted" / "interview-07.txt"
    sealed = case / "sealed" / "interview-07.age"
    assert published.is_file() and sealed.is_file()
    assert "Person A" in published.read_text(encoding="utf-8")
    for f in case.rglob("*"):
        # the case seals its allow and deny lists: no file of it holds a planted name
        if f.is_file():
            data = f.read_bytes().decode("utf-8", "replace").lower()
            assert not [n for n in PLANTED if n.lower() in data], f
    assert (work / "original-07.txt").read_bytes() == (work / "interview-07.txt").read_bytes()
    assert (home / ".config" / "redact" / "editor.key").is_file()
