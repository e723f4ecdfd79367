"""What every ``redact`` command module shares: one way to print a JSON line."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

__all__ = ["emit", "PolicyOpt"]

#: The ``--policy``/``-p`` option of every command that takes a policy (``-p`` means
#: nothing else anywhere).
PolicyOpt = Annotated[str | None, typer.Option(
    "--policy", "-p", help="Policy file, or a shipped one (testimony.yaml, strict.yaml).")]


def emit(data: dict[str, Any], *, to_stderr: bool = False) -> None:
    """Print ``data`` as one JSON line (UTF-8 kept as is) on stdout, or stderr, and flush."""
    stream = sys.stderr if to_stderr else sys.stdout
    stream.write(json.dumps(data, ensure_ascii=False) + "\n")
    stream.flush()
