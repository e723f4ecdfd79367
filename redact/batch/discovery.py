"""Finding the files of a batch run and naming the case items they become."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["BatchFile", "discover"]

_SAFE_PART = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class BatchFile:
    """One input: its path relative to the input folder (POSIX), and the case item it becomes."""

    rel: str
    path: Path
    item: str
    suffix: str



def _safe_part(name: str) -> str:
    out = _SAFE_PART.sub("_", name)[:200] or "_"
    return out if out[0].isalnum() else "x" + out[:199]


def discover(in_dir: Path, pattern: str = "**/*", exclude: Sequence[Path] = ()
             ) -> list[BatchFile]:
    """The files of ``in_dir`` matching ``pattern``, sorted by relative path, with item names.

    The item of ``sub/Interview 07.txt`` is ``sub/Interview_07`` (the path
    without its extension, characters other than letters, digits, '.', '_' and
    '-' replaced), so the case keeps the folder's layout and ``redact file
    --case`` would name a top-level file the same way. Files whose items
    collide (``a.txt`` and ``a.md``) get their extension appended (``a_md``);
    the first in sorted order keeps the plain name. Hidden files and folders
    and anything under ``exclude`` (the case itself) are left out.
    """
    from redact.formats import SUPPORTED_EXTENSIONS

    base = in_dir.resolve()
    excluded = [e.resolve() for e in exclude]
    found: list[tuple[str, Path]] = []
    for p in base.glob(pattern):
        rel = p.relative_to(base)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if not p.is_file():
            continue
        rp = p.resolve()
        if any(rp == e or e in rp.parents for e in excluded):
            continue
        found.append((rel.as_posix(), p))
    found.sort(key=lambda x: x[0])
    taken: set[str] = set()
    files = []
    # Readable formats get the plain names first, so a stray .pdf never pushes a .txt aside.
    order = sorted(range(len(found)), key=lambda i: (
        posixpath.splitext(found[i][0])[1].lower() not in SUPPORTED_EXTENSIONS, found[i][0]))
    items: dict[int, str] = {}
    for i in order:
        rel, _p = found[i]
        parts = rel.split("/")
        stem, ext = posixpath.splitext(parts[-1])
        if not stem:  # ".txt"-like names are hidden and already skipped; be safe anyway
            stem, ext = parts[-1], ""
        folders = [_safe_part(x) for x in parts[:-1]]
        item = "/".join([*folders, _safe_part(stem)])
        if item.lower() in taken:
            item = "/".join([*folders, _safe_part(f"{stem}_{ext.lstrip('.')}")])
            n = 2
            while item.lower() in taken:
                item = "/".join([*folders, _safe_part(f"{stem}_{ext.lstrip('.')}_{n}")])
                n += 1
        taken.add(item.lower())
        items[i] = item
    for i, (rel, p) in enumerate(found):
        suffix = posixpath.splitext(rel)[1]
        if not re.fullmatch(r"\.[A-Za-z0-9]{1,10}", suffix):
            suffix = ".txt"
        files.append(BatchFile(rel=rel, path=p, item=items[i], suffix=suffix))
    return files
