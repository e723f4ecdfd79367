"""Case folders: the statements of one investigation, their sealed originals, and
case-wide pseudonyms that the redaction machine assigns without being able to
list the real names.

A case is a folder (mode 0700)::

    case.json                      format, recipients, policy fingerprint, public keys; no secret
    policy.yaml                    the effective policy (``extends`` resolved) without its
                                   allow and deny lists
    keys/policy-lists.sealed       those lists, sealed under a key derived from the case secret
    keys/review-decisions.sealed   an editor's allow and deny decisions from ``redact review``,
                                   sealed the same way (outside the policy fingerprint)
    keys/case-secret.age           the case secret, sealed to the case's recipients
    keys/case-secret.pass.age      the same secret, sealed with the case passphrase (scrypt)
    pseudonyms/index.jsonl         keyed hashes of name forms -> labels (append-only)
    pseudonyms/names/*.age         real names behind new labels, sealed to the recipients
    redacted/ITEM.txt              the redacted statement
    sealed/ITEM.age                the original, sealed to the recipients
    reports/ITEM.json              what was done where (no plaintext identifier)

Typical use on the redaction laptop, which holds only the case passphrase::

    from redact import Case

    case = Case.open("cases/chechnya-2024")
    with case.loading_model():  # the model loads while the passphrase is typed
        case.unlock(passphrase=getpass.getpass())
    with case:
        redactor = case.redactor()
        raw = Path("interview-07.txt").read_bytes()
        result = redactor.redact(raw.decode("utf-8"))
        case.add_statement("interview-07", raw, result.text, result.to_report())

and on the editor's machine, which holds an identity of a recipient::

    ids = seal.load_identity_file("~/.config/redact/identity.txt")
    original = Case.open("cases/chechnya-2024").reveal("interview-07", ids)

See ``docs/cases.md`` (layout, commands, recipient rotation) and
``docs/pseudonyms.md`` (the pseudonym design and what a thief learns).

The package's modules each answer one question: :mod:`redact.case.layout` (where
everything is, ``case.json``), :mod:`redact.case.keys` (the case secret, derived
keys, the case's policy, creating a case), :mod:`redact.case.index` (the locked
pseudonym index), :mod:`redact.case.store` (storing a statement, sealing and
binding originals), :mod:`redact.case.reseal` (recipient rotation),
:mod:`redact.case.decisions` (an editor's review decisions, sealed) and
:mod:`redact.case.folder` (the :class:`Case` tying them together).
"""

from __future__ import annotations

from redact.case.decisions import ReviewDecisions
from redact.case.folder import Case
from redact.case.index import CasePseudonymIndex, apply_index_lines
from redact.case.keys import load_case_policy
from redact.case.layout import CASE_FORMAT, CASE_VERSION
from redact.case.store import (
    CasePaths,
    binding_stanza,
    item_of_statement,
    seal_original,
    seal_to_temp,
    statement_report,
)

__all__ = ["Case", "CasePaths", "ReviewDecisions", "CasePseudonymIndex", "CASE_FORMAT",
           "CASE_VERSION", "binding_stanza", "seal_original", "load_case_policy",
           "apply_index_lines", "statement_report", "item_of_statement", "seal_to_temp"]
