"""Re-sealing a case to a new recipient set (recipient rotation): which set, and every
sealed file of the case re-sealed under a fresh file key, one file at a time, streaming
through a pipe (no plaintext on disk), each original keeping (or getting) its binding."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from redact import seal as S
from redact._internal.durable import fsync_dir
from redact.case.keys import parse_recipients
from redact.case.store import binding_check, binding_stanza
from redact.errors import AgeError, CaseError, RecipientError

__all__ = ["recipient_strings", "new_recipient_set", "reseal_files", "reseal_file"]


def recipient_strings(recipients: Sequence[S.Recipient | str]) -> list[str]:
    """``recipients`` parsed and checked as a case's (none: an empty list)."""
    return [str(r) for r in parse_recipients(recipients)] if recipients else []


def new_recipient_set(current: Sequence[str], new_add: Sequence[str],
                      new_remove: Sequence[str], allow_mixed_pq: bool) -> list[str]:
    """``current`` without ``new_remove`` and with ``new_add`` (of
    :func:`recipient_strings`); refuses to remove a recipient the case does not have, or
    the last one, and (unless ``allow_mixed_pq``) a mixed set."""
    unknown = [r for r in new_remove if r not in current]
    if unknown:
        raise RecipientError(f"{len(unknown)} recipient(s) to remove are not "
                             "recipients of this case",
                             "List them with `redact case recipients CASE`.")
    new = [r for r in current if r not in new_remove]
    new += [r for r in new_add if r not in new]
    if not new:
        raise RecipientError("refusing to remove the last recipient of the case",
                             "Add the new recipient first (--add), then remove.")
    if not allow_mixed_pq and len({r.startswith("age1pq1") for r in new}) > 1:
        raise RecipientError("the new recipients would mix post-quantum and classic "
                             "keys", "Use only age1pq1... recipients.")
    return new


def reseal_files(files: Sequence[Path], originals: Path, identities: list[S.Identity],
                 recipients: list[str], allow_mixed_pq: bool, case_id: str,
                 binds_originals: bool) -> None:
    """Re-seal ``files`` to ``recipients``; those under ``originals`` (the case's
    ``sealed/``) keep their binding, or get it (sealed by an older redact); one bound
    elsewhere stops the rotation rather than being bound here."""
    for path in files:
        if not path.is_relative_to(originals):
            reseal_file(path, identities, recipients, allow_mixed_pq)
            continue
        item = path.relative_to(originals).as_posix()[:-4]
        reseal_file(path, identities, recipients, allow_mixed_pq,
                    [binding_stanza(case_id, item)],
                    binding_check(case_id, item, required=binds_originals, warn=False))


def reseal_file(path: Path, identities: list[S.Identity], recipients: list[str],
            allow_mixed_pq: bool, extra_stanzas: Sequence[S.Stanza] = (),
            check_header: Callable[[S.Header], None] | None = None) -> None:
    """Re-seal ``path`` to ``recipients``, streaming through a pipe (no plaintext on disk).

    A thread opens the old file into the pipe; this thread seals from the pipe
    into a temporary file, which replaces ``path`` only if both sides succeed.
    """
    errors: list[BaseException] = []
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        os.fchmod(fd, 0o600)
        r_fd, w_fd = os.pipe()
        pipe_r = os.fdopen(r_fd, "rb")
        pipe_w = os.fdopen(w_fd, "wb")

        def decrypt() -> None:
            try:
                with open(path, "rb") as src, pipe_w:
                    S.open_sealed(src, pipe_w, identities, check_header=check_header)
            except BaseException as exc:  # reported to the main thread
                errors.append(exc)

        worker = threading.Thread(target=decrypt, name="redact-reseal", daemon=True)
        worker.start()
        try:
            with pipe_r, os.fdopen(fd, "wb") as dst:
                fd = -1
                S.seal(pipe_r, dst, recipients, allow_mixed_pq=allow_mixed_pq,
                       extra_stanzas=extra_stanzas)
                worker.join()
                if errors:
                    raise errors[0]
                dst.flush()
                os.fsync(dst.fileno())
        finally:
            worker.join()
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except AgeError as exc:
        raise type(exc)(f"{path.name}: {exc.what}", exc.todo) from None
    except OSError as exc:
        raise CaseError(f"cannot re-seal {path}: {exc.strerror}",
                        "Free disk space, then run the same command again.") from None
    finally:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
