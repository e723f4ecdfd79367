"""Where everything is in a case folder, and how ``case.json`` and the case's files are
read and written (see the layout in :mod:`redact.case`)."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

from redact._internal.durable import atomic_output
from redact.errors import CaseError

__all__ = ["CASE_FORMAT", "CASE_VERSION", "SECRET_FORMAT", "NAMES_FORMAT", "LISTS_FORMAT",
           "CASE_JSON", "POLICY", "LOCK", "SECRET", "SECRET_PASS", "LISTS", "INDEX",
           "INDEX_LOCK", "NAMES", "DIRS", "MIN_PASSPHRASE", "PathLike", "b64", "unb64",
           "write_atomic", "mkdir_private", "meta_bytes", "read_meta", "check_item",
           "label_order"]

CASE_FORMAT = "redact-case"
CASE_VERSION = 1
SECRET_FORMAT = "redact-case-secret"
NAMES_FORMAT = "redact-case-names"
LISTS_FORMAT = "redact-case-lists"

CASE_JSON = "case.json"
POLICY = "policy.yaml"
LOCK = "case.lock"
SECRET = "keys/case-secret.age"
SECRET_PASS = "keys/case-secret.pass.age"
#: the policy's allow and deny lists, sealed under a key derived from the case secret
LISTS = "keys/policy-lists.sealed"
INDEX = "pseudonyms/index.jsonl"
INDEX_LOCK = "pseudonyms/index.lock"
NAMES = "pseudonyms/names"
DIRS = ("keys", "pseudonyms", NAMES, "redacted", "sealed", "reports")

MIN_PASSPHRASE = 8
PathLike = str | os.PathLike[str]

_ITEM_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def b64(data: bytes) -> str:
    """``data`` in base64 (as the case secret and sealed lists hold their bytes)."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, what: str) -> bytes:
    """The bytes of base64 ``text`` (the field ``what`` of the case secret), or a
    :class:`CaseError`."""
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise CaseError(f"the case secret is malformed ({what} is not base64)",
                        "Restore keys/ from a backup of the case.") from None


def write_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Temp file in the same folder, fsync, rename (mode 0600)."""
    with atomic_output(path, 0o600, overwrite=overwrite) as fh:
        fh.write(data)


def mkdir_private(path: Path) -> None:
    """Create the folder ``path`` with mode 0700 (whatever the umask)."""
    path.mkdir(mode=0o700)
    os.chmod(path, 0o700)


def meta_bytes(meta: dict[str, Any]) -> bytes:
    """The bytes of ``case.json`` holding ``meta``."""
    return (json.dumps(meta, indent=2) + "\n").encode("utf-8")


def read_meta(path: Path) -> dict[str, Any]:
    """``case.json`` of the case folder ``path``, checked (format, version, keys)."""
    try:
        meta = json.loads((path / CASE_JSON).read_bytes())
    except OSError as exc:
        raise CaseError(f"cannot read {path / CASE_JSON}: {exc.strerror}") from None
    except ValueError:
        raise CaseError(f"{path / CASE_JSON} is not valid JSON",
                        "Restore case.json from a backup of the case.") from None
    if not isinstance(meta, dict) or meta.get("format") != CASE_FORMAT:
        raise CaseError(f"{path / CASE_JSON} is not a redact case file")
    if meta.get("version") != CASE_VERSION:
        raise CaseError(f"{path / CASE_JSON} has case format version {meta.get('version')}, "
                        f"this redact reads version {CASE_VERSION}",
                        "Use the redact version that created the case.")
    for key in ("case_id", "created", "recipients", "policy", "signing_public_key"):
        if key not in meta:
            raise CaseError(f"{path / CASE_JSON} lacks '{key}'",
                            "Restore case.json from a backup of the case.")
    return meta


def check_item(item: str) -> None:
    """An item name: 1-200 safe characters, or such names joined by '/' (a subfolder item).

    Subfolder items (``interviews/2024/int-07``) come from batch runs that keep
    the input folder's layout; every part must be a valid name on its own, so
    no item can point outside the case's folders.
    """
    parts = item.split("/") if isinstance(item, str) and len(item) <= 1000 else [""]
    if any(not _ITEM_RE.match(p) or p.endswith(".tmp") for p in parts):
        raise CaseError("invalid item name: use 1-200 letters, digits, '.', '_' or '-', "
                        "starting with a letter or digit (subfolders joined with '/')",
                        "Rename the statement file (item names are visible in the case "
                        "folder: never use a person's name).")


def label_order(label: str) -> tuple[str, int, str]:
    """Sort key of a label: ``Person B`` before ``Person AA``."""
    prefix, _, suffix = label.rpartition(" ")
    return (prefix, len(suffix), suffix)
