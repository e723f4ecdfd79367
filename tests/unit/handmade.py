"""Hand-made detections for the model-free unit tests: no spaCy model, only word lists."""

from __future__ import annotations

from redact.detect import Detection
from redact.plan import Plan, Planner
from redact.policy import Policy
from redact.pseudonyms import PseudonymIndex

TESTIMONY = Policy.load("testimony.yaml")


def d(text: str, surface: str, entity: str, score: float = 0.9, rule: str = "hand",
      nth: int = 0) -> Detection:
    """A detection of the ``nth`` occurrence of ``surface`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Detection(start, start + len(surface), entity, score, rule)


def plan_of(text: str, dets: list[Detection], policy: Policy = TESTIMONY,
            index: PseudonymIndex | None = None) -> Plan:
    """The plan of one segment ``text`` with ``dets``."""
    return Planner(policy, index).plan([text], [dets])


def removed(text: str, plan: Plan, seg: int = 0) -> list[str]:
    """The surfaces of the spans the plan removes from segment ``seg``."""
    return [text[s.start:s.end] for s in plan.spans[seg] if s.action != "keep"]
