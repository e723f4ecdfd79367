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

from redact.detect import Detection, ModelInfo
from redact.errors import (
    CaseError,
    InputError,
    LeakError,
    ModelError,
    OutputError,
    PolicyError,
    RedactError,
)
from redact.policy import Policy
from redact.pseudonyms import PseudonymIndex
from redact.redactor import Redactor
from redact.result import RedactionResult, Span

__version__ = "0.1.0"

__all__ = [
    "Policy",
    "Redactor",
    "RedactionResult",
    "Span",
    "Detection",
    "ModelInfo",
    "PseudonymIndex",
    "RedactError",
    "PolicyError",
    "ModelError",
    "InputError",
    "OutputError",
    "LeakError",
    "CaseError",
    "__version__",
]
