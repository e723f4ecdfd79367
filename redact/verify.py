"""Verify: check the redacted output before anything is written.

Three checks, each switchable in the policy's ``verify`` section:

- ``surface_forms``: no planned surface form (full form, name without titles,
  name parts) survives anywhere, case-insensitively, at word boundaries,
  across line breaks and repeated spaces;
- ``patterns``: the pattern and list recognizers, run again over the output,
  find nothing new above the policy's thresholds outside the replacements;
- ``deep``: the same with a second full analysis (NER included).

What a re-analysis finds was missed the first time (the output's context can
reveal it: a name next to a removed title, say). :class:`redact.Redactor`
removes it and analyses again, a bounded number of times; only an output on
which the re-analysis finds nothing new is accepted.

Findings are ``(entity type, offset in the output)`` pairs; the text itself is
never reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from redact.detect import Detection
from redact.detect.tables import table_headers
from redact.plan import Plan, Planner
from redact.plan_spans import Candidate, retyped
from redact.pseudonyms import normalize_form

__all__ = ["OutputMap", "surface_leaks", "detection_leaks"]


@dataclass(frozen=True)
class OutputMap:
    """Where replacements and kept allow-listed names and public bodies sit in an output
    text."""

    replaced: Sequence[tuple[int, int]]
    protected: Sequence[tuple[int, int]]

    def covers(self, start: int, end: int) -> bool:
        """True if [start, end) touches a replacement, an allow-listed name or a kept public
        body."""
        return any(s < end and start < e for s, e in (*self.replaced, *self.protected))


def surface_leaks(output: str, plan: Plan, where: OutputMap) -> list[tuple[str, int]]:
    """The plan's surface forms still present in ``output`` outside replacements."""
    if plan.matcher is None:
        return []
    leaks = []
    for m in plan.matcher.finditer(output):
        if not where.covers(m.start(), m.end()):
            leaks.append((plan.forms.get(normalize_form(m.group(0)), "UNKNOWN"), m.start()))
    return leaks


def detection_leaks(output: str, detections: Sequence[Detection], planner: Planner,
                    where: OutputMap) -> list[Detection]:
    """Detections in ``output`` that the policy would remove and that no replacement covers."""
    leaks = []
    headers = table_headers(output)
    for d in detections:
        if where.covers(d.start, d.end):
            continue
        if planner.set_aside(output, d, headers):
            continue  # a table's header names columns, a form's label its field ...: as
            # planning decided (Planner.decide_spans)
        entity = planner.type_here(output, d)
        decided = planner.decide(entity, output[d.start:d.end], d.rule, d.score)
        if decided is None or decided[0] == "keep":
            continue
        # what the planner would do with it here, its context included ("I speak Nepali":
        # a people, kept), so that the check never calls a leak what a plan would keep
        c = retyped(Candidate(0, d.start, d.end, entity, d.score, decided[1], decided[0]),
                    output, planner.policy)
        if c.action != "keep":
            leaks.append(d)
    return leaks
