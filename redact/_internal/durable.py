"""The durable-write layer: every file redact writes (outputs, keys, sealed originals,
case stores, manifests) goes through these helpers.

* :func:`write_new_file` -- a small file (a key) that must not already exist:
  written to a temporary name in the same folder, synced, then hard-linked into
  place (the link fails if the name exists), so no partial file and no
  overwrite is ever possible.
* :func:`atomic_output` -- a large output streamed to a temporary file in the
  same folder, synced and renamed over the target only when the writer
  finishes without error; on error the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from redact.errors import OutputError

__all__ = ["write_new_file", "atomic_output", "deferred_sync", "checkpoint", "fsync_file",
           "fsync_dir"]


#: Inside :func:`deferred_sync`, file and folder fsyncs of atomic writes are skipped
#: (a rename is still atomic for other processes and after a crash of this one);
#: the caller makes everything durable at its checkpoints with one ``sync``.
_DEFERRED = threading.local()


def _deferring() -> bool:
    return bool(getattr(_DEFERRED, "on", False))


@contextlib.contextmanager
def deferred_sync(*, sync_at_end: bool = True) -> Iterator[None]:
    """Group commit for many small atomic writes (batch runs): no fsync per file.

    Writes inside the block stay atomic (temporary file, then rename): a killed
    process never leaves a half-written file where a finished one belongs. What
    is given up is durability at power loss between checkpoints: call
    :func:`checkpoint` (one ``sync`` of the file systems) at the points after
    which finished files must survive a power cut; it also runs at the end of
    the block. A caller must be able to detect and redo files lost that way
    (batch runs check every output against the SHA-256 in its report). This
    thread only. ``sync_at_end=False`` leaves the checkpoint to the caller (a batch
    worker whose parent process syncs).
    """
    prev = _deferring()
    _DEFERRED.on = True
    try:
        yield
    finally:
        _DEFERRED.on = prev
        if sync_at_end:
            checkpoint()


def checkpoint() -> None:
    """Make every write so far durable (``sync``)."""
    os.sync()


def fsync_file(fd: int) -> None:
    """``os.fsync`` unless inside :func:`deferred_sync`."""
    if not _deferring():
        os.fsync(fd)


def fsync_dir(folder: Path) -> None:
    if _deferring():
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - not supported on every platform
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def _temp_in(folder: Path, name: str, mode: int) -> tuple[int, Path]:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        raise OutputError(f"the folder {folder} does not exist") from None
    except OSError as exc:
        raise OutputError(f"cannot create a file in {folder}: {exc.strerror}") from None
    os.fchmod(fd, mode)
    return fd, Path(tmp)


def write_new_file(path: Path, content: bytes, mode: int = 0o600) -> None:
    """Create ``path`` with ``content`` and ``mode``; refuse if it exists."""
    if path.exists() or path.is_symlink():
        raise OutputError(f"{path} already exists; refusing to overwrite it",
                          "Choose another file name, or move the existing file away first.")
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = _temp_in(folder, path.name, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise OutputError(f"{path} already exists; refusing to overwrite it",
                              "Choose another file name.") from None
        except OSError:
            # File systems without hard links: exclusive create instead.
            try:
                out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            except FileExistsError:
                raise OutputError(f"{path} already exists; refusing to overwrite it") from None
            try:
                os.write(out, content)
                os.fsync(out)
            finally:
                os.close(out)
        fsync_dir(folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


@contextlib.contextmanager
def atomic_output(path: Path, mode: int = 0o600, *, overwrite: bool = False
                  ) -> Iterator[BinaryIO]:
    """Yield a file to write; on success it replaces ``path`` atomically, on error it vanishes.

    Refuses an existing ``path`` unless ``overwrite``. The new file gets ``mode``.
    """
    if not overwrite and (path.exists() or path.is_symlink()):
        raise OutputError(f"{path} already exists; refusing to overwrite it",
                          "Add --force to replace it, or choose another output name.")
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = _temp_in(folder, path.name, mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            fsync_file(fh.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise OutputError(f"{path} already exists; refusing to overwrite it") from None
            tmp.unlink()
        fsync_dir(folder)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
