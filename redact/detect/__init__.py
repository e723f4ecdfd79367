"""Detect: find candidate identifiers with Presidio, spaCy NER and the policy's recognizers.

Detection only finds; what happens to each finding is decided in
:mod:`redact.plan`. The rooms of this package:

- :mod:`~redact.detect.detection`: :class:`Detection`, one candidate identifier;
- :mod:`~redact.detect.detector`: :class:`Detector`, the analyzer built from a policy;
- :mod:`~redact.detect.speedups`: Presidio components made faster, same results;
- :mod:`~redact.detect.text`: text cut and cased for NER, spans trimmed after it;
- :mod:`~redact.detect.forms`: :class:`FormMatcher`, forms found again (plan, verify);
- :mod:`~redact.detect.deny`: the policy's deny list and custom recognizers;
- :mod:`~redact.detect.recognizers` and :mod:`~redact.detect.rules`: the testimony
  recognizers and their table of rules (street-address patterns in
  :mod:`~redact.detect.address_patterns`, plates in :mod:`~redact.detect.plate_rules`,
  dates of birth and ages in :mod:`~redact.detect.age_rules`,
  pasted tables in :mod:`~redact.detect.tables`, checks in :mod:`~redact.detect.validators`,
  regex speed-ups in :mod:`~redact.detect.first_chars`); :mod:`~redact.detect.positions`:
  where a word stands as a name; :mod:`~redact.detect.vocabulary`: shared word lists;
  :mod:`~redact.detect.gazetteer`, :mod:`~redact.detect.places`, :mod:`~redact.detect.casing`,
  :mod:`~redact.detect.model`: word lists, places and the spaCy model.
"""

from __future__ import annotations

from redact.detect.detection import Detection
from redact.detect.detector import BATCH_CHARS as BATCH_CHARS  # the sizes, as before
from redact.detect.detector import Detector
from redact.detect.forms import FormMatcher, forms_regex
from redact.detect.model import ModelInfo
from redact.detect.text import CHUNK_CHARS as CHUNK_CHARS

__all__ = ["Detection", "Detector", "FormMatcher", "ModelInfo", "forms_regex"]
