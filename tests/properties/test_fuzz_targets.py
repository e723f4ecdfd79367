"""Fuzzing (hypothesis) of every parser that reads untrusted bytes: the policy loader, the age
parser (header, stanzas, armor, STREAM, key files) and every format reader.

Only redact's own errors may come out, and no input may take more than 2 s. CI runs a few
hundred inputs per target (``REDACT_FUZZ_EXAMPLES`` changes it); ``tests/tools/fuzz_long.py``
runs ten thousand or more per target and prints the counts.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from tools.fuzz_targets import Target, all_targets

TARGETS = {t.name: t for t in all_targets()}
EXAMPLES = int(os.environ.get("REDACT_FUZZ_EXAMPLES", "300"))
#: Slower targets (a docx per input) get fewer examples in CI.
_SLOW = {"formats.docx_xml": 150, "formats.docx_bytes": 150, "formats.json_deep": 100,
         "policy.mutated_shipped": 200}


def fuzz(target: Target, examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(target.strategy)
    def run(value: object) -> None:
        target.run(value)

    run()


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzz(name: str) -> None:
    target = TARGETS[name]
    n = min(EXAMPLES, _SLOW.get(name, EXAMPLES)) if "REDACT_FUZZ_EXAMPLES" not in os.environ \
        else EXAMPLES
    fuzz(target, n)
    assert target.calls > 0
