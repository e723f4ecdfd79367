"""redact: remove what identifies witnesses from their statements; keep originals sealed.

Presidio detects identifying details, a policy file decides what to mask or
pseudonymize, the output is verified before it is written, and originals are
sealed in the age format to the case's recipients.

Quick start::

    from redact import Policy, Redactor
    redactor = Redactor(Policy.load("testimony.yaml"))
    result = redactor.redact(text)
    result.text        # the redacted statement
    result.spans       # what was done where, and why
    result.to_report() # JSON-ready, no plaintext identifiers
"""

from typing import TYPE_CHECKING, Any

from redact.errors import (
    CaseError,
    InputError,
    LeakError,
    ModelError,
    OutputError,
    PolicyError,
    RedactError,
)

if TYPE_CHECKING:
    from redact.batch import (
        BatchOptions,
        BatchSummary,
        FileOutcome,
        loads_model_here,
        run_batch,
    )
    from redact.case import Case
    from redact.detect import Detection, ModelInfo
    from redact.manifest import Verification, verify_case
    from redact.policy import Policy
    from redact.pseudonyms import PseudonymIndex
    from redact.redactor import Redactor
    from redact.result import RedactionResult, Span

__version__ = "0.1.0"

# Heavy modules (Presidio, spaCy) load on first use, so `redact seal` and
# `redact --help` start fast.
_LAZY = {
    "Policy": "redact.policy",
    "Redactor": "redact.redactor",
    "RedactionResult": "redact.result",
    "Span": "redact.result",
    "Detection": "redact.detect",
    "ModelInfo": "redact.detect",
    "PseudonymIndex": "redact.pseudonyms",
    "Case": "redact.case",
    "run_batch": "redact.batch",
    "loads_model_here": "redact.batch",
    "BatchOptions": "redact.batch",
    "BatchSummary": "redact.batch",
    "FileOutcome": "redact.batch",
    "verify_case": "redact.manifest",
    "Verification": "redact.manifest",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'redact' has no attribute {name!r}")


__all__ = [
    "Policy",
    "Redactor",
    "RedactionResult",
    "Span",
    "Detection",
    "ModelInfo",
    "PseudonymIndex",
    "Case",
    "run_batch",
    "loads_model_here",
    "BatchOptions",
    "BatchSummary",
    "FileOutcome",
    "verify_case",
    "Verification",
    "RedactError",
    "PolicyError",
    "ModelError",
    "InputError",
    "OutputError",
    "LeakError",
    "CaseError",
    "__version__",
]
