"""An editor's review decisions remembered in a case: the allow and deny entries decided
in ``redact review --case``, sealed in ``keys/review-decisions.sealed``.

The file is JSON around a ChaCha20-Poly1305 box (as ``keys/policy-lists.sealed``):
its key is ``HMAC-SHA256(pseudonym_key, "redact/review-decisions/v1")`` and its
associated data names the format and the case id, so no name is on disk in the
clear, and a file from another case does not open. It is kept outside the case's
policy fingerprint (``case.json`` does not mention it): ``redact file --case`` and
``redact batch`` do not read it, so a batch run resumes under the same policy;
only the next ``redact review --case`` starts from it (see ``docs/cases.md``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from redact.case.layout import b64, write_atomic
from redact.errors import CaseError
from redact.policy import AllowEntry, DenyEntry

__all__ = ["DECISIONS", "DECISIONS_FORMAT", "ReviewDecisions", "decisions_key",
           "read_decisions", "write_decisions", "merge_decisions"]

#: where the decisions are, in the case folder
DECISIONS = "keys/review-decisions.sealed"
DECISIONS_FORMAT = "redact-case-review-decisions"
_LABEL = b"redact/review-decisions/v1"


@dataclass(frozen=True)
class ReviewDecisions:
    """The allow entries (public names kept) and deny entries (names removed everywhere)
    an editor decided while reviewing statements of a case. Entries are unique by their
    case-folded text (and, for deny, entity type); order is the order they were decided.
    """

    allow: tuple[AllowEntry, ...] = field(default_factory=tuple)
    deny: tuple[DenyEntry, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allow", _unique(self.allow, _allow_key))
        object.__setattr__(self, "deny", _unique(self.deny, _deny_key))

    def __bool__(self) -> bool:
        return bool(self.allow or self.deny)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """``{"allow": [...], "deny": [...]}`` as in a policy file (plaintext names)."""
        return {"allow": [a.model_dump(exclude_defaults=True) for a in self.allow],
                "deny": [d.model_dump(exclude_defaults=True) for d in self.deny]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReviewDecisions:
        """The decisions of :meth:`to_dict`'s form (raises ``ValueError`` if malformed)."""
        if not (isinstance(data.get("allow"), list) and isinstance(data.get("deny"), list)):
            raise ValueError("allow and deny must be lists")
        return cls(tuple(AllowEntry(**a) for a in data["allow"]),
                   tuple(DenyEntry(**d) for d in data["deny"]))


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _allow_key(a: AllowEntry) -> tuple[str, ...]:
    return (_norm(a.text),)


def _deny_key(d: DenyEntry) -> tuple[str, ...]:
    return (_norm(d.text), d.entity)


def _unique(entries: Any, key: Any) -> tuple[Any, ...]:
    seen: dict[tuple[str, ...], Any] = {}
    for e in entries:
        seen.setdefault(key(e), e)
    return tuple(seen.values())


def decisions_key(pseudonym_key: bytes) -> bytes:
    """Key of ``keys/review-decisions.sealed``: HMAC-SHA256(pseudonym key,
    "redact/review-decisions/v1"). Either unlock yields the pseudonym key, which
    never changes: the file needs no re-sealing on recipient rotation."""
    return hmac.new(pseudonym_key, _LABEL, hashlib.sha256).digest()


def _aad(case_id: str) -> bytes:
    return json.dumps({"format": DECISIONS_FORMAT, "version": 1, "case_id": case_id},
                      sort_keys=True, separators=(",", ":")).encode("utf-8")


def read_decisions(folder: Path, key: bytes, case_id: str) -> ReviewDecisions:
    """The decisions sealed in the case ``folder`` (none if the file does not exist).

    A file that does not open with ``key`` (damaged, or from another case) is a
    :class:`~redact.errors.CaseError`: nothing is guessed.
    """
    path = folder / DECISIONS
    todo = ("Restore keys/review-decisions.sealed from a backup of this case, or delete it "
            "to start the reviews of this case without remembered decisions.")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ReviewDecisions()
    except OSError as exc:
        raise CaseError(f"cannot read {path}: {exc.strerror}", todo) from None
    try:
        doc = json.loads(data)
        if doc.get("format") != DECISIONS_FORMAT or doc.get("case_id") != case_id:
            raise ValueError
        nonce = base64.b64decode(doc["nonce"], validate=True)
        box = base64.b64decode(doc["sealed"], validate=True)
        plain = ChaCha20Poly1305(key).decrypt(nonce, box, _aad(case_id))
        return ReviewDecisions.from_dict(json.loads(plain))
    except (InvalidTag, ValueError, KeyError, TypeError, AttributeError):
        raise CaseError(f"{path} does not open with this case's key: it is damaged or "
                        "belongs to another case", todo) from None


def write_decisions(folder: Path, key: bytes, case_id: str,
                    decisions: ReviewDecisions) -> None:
    """Seal ``decisions`` into the case ``folder`` (atomically, mode 0600, a fresh nonce)."""
    nonce = secrets.token_bytes(12)
    plain = json.dumps(decisions.to_dict(), ensure_ascii=False).encode("utf-8")
    box = ChaCha20Poly1305(key).encrypt(nonce, plain, _aad(case_id))
    doc = {"format": DECISIONS_FORMAT, "version": 1, "case_id": case_id,
           "alg": "ChaCha20-Poly1305; key HMAC-SHA256(pseudonym_key, "
                  "'redact/review-decisions/v1')",
           "nonce": b64(nonce), "sealed": b64(box)}
    write_atomic(folder / DECISIONS, (json.dumps(doc, indent=1) + "\n").encode("utf-8"))


def merge_decisions(current: ReviewDecisions, new: ReviewDecisions,
                    base: ReviewDecisions | None) -> ReviewDecisions:
    """``current`` (on disk now) with what changed from ``base`` to ``new`` (one review):
    entries the review took back are dropped, entries it added are appended. Without
    ``base``, ``new`` replaces ``current``. Another review saved meanwhile keeps its own
    changes."""
    if base is None:
        return new
    out = []
    for kind, key in (("allow", _allow_key), ("deny", _deny_key)):
        was = {key(e) for e in getattr(base, kind)}
        now = {key(e) for e in getattr(new, kind)}
        dropped = was - now
        kept = [e for e in getattr(current, kind) if key(e) not in dropped]
        kept += [e for e in getattr(new, kind) if key(e) not in was]
        out.append(tuple(kept))
    return ReviewDecisions(out[0], out[1])
