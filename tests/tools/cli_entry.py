"""``redact`` CLI entry for tests that need a fault injected or the peak RSS measured.

Environment:

- ``REDACT_TEST_RSS=FILE``: at exit, write this process's peak RSS (KiB, VmHWM) to FILE;
- ``REDACT_TEST_FAULT=KIND``: inject one fault that cannot be produced otherwise:
  ``internal-error`` makes the apply step raise a non-redact exception whose message
  and traceback locals quote the statement (as a buggy library might);
  ``enospc-seal`` makes writes of sealed temp files fail with ENOSPC;
  ``keyboard`` raises KeyboardInterrupt in the middle of the pipeline.
- ``REDACT_TEST_FAULT_AFTER=N``: let N statements pass before the fault fires.
"""

from __future__ import annotations

import atexit
import errno
import os
import sys
from pathlib import Path
from typing import Any


def _write_rss(target: str) -> None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    Path(target).write_text(line.split()[1] + "\n")
                    return
    except OSError:  # pragma: no cover - not Linux
        import resource

        Path(target).write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) + "\n")


def _install_fault(kind: str, after: int) -> None:
    seen = [0]

    def due() -> bool:
        seen[0] += 1
        return seen[0] > after

    if kind in ("internal-error", "keyboard"):
        import redact.apply as apply_mod

        real = apply_mod.apply_spans

        def faulty(text: str, spans: Any) -> Any:
            if due():
                statement = text  # noqa: F841 - a local that a traceback could show
                if kind == "keyboard":
                    raise KeyboardInterrupt
                raise RuntimeError(f"simulated library bug while rewriting: {text[:400]!r}")
            return real(text, spans)

        apply_mod.apply_spans = faulty
    elif kind == "enospc-seal":
        import redact.case as case_mod

        real_seal = case_mod.Case._seal_to_temp

        def full_disk(self: Any, target: Path, item: str, original: bytes) -> Path:
            if due():
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_seal(self, target, item, original)

        case_mod.Case._seal_to_temp = full_disk  # type: ignore[method-assign]
    else:  # pragma: no cover
        raise SystemExit(f"unknown REDACT_TEST_FAULT {kind!r}")


def main() -> None:
    rss = os.environ.get("REDACT_TEST_RSS")
    if rss:
        atexit.register(_write_rss, rss)
    fault = os.environ.get("REDACT_TEST_FAULT")
    if fault:
        _install_fault(fault, int(os.environ.get("REDACT_TEST_FAULT_AFTER", "0")))
    from redact.cli import main as redact_main

    sys.argv[0] = "redact"
    redact_main()


if __name__ == "__main__":
    main()
