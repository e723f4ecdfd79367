"""The verify loop of a split run: rounds in a worker, labels in the parent, replay.

``redact batch`` plans with the case's pseudonym labels in one process, in path
order, but runs the expensive steps in workers. :class:`SplitRun` cuts
:meth:`Redactor.redact_segments <redact.Redactor.redact_segments>` in three,
with the same loop (:mod:`redact.rounds`) and the same results:

1. :meth:`SplitRun.analyse` (worker): the loop's rounds with throw-away labels
   (labels change only the text of replacements, which the re-analysis
   ignores), stopping before the last re-analysis; it returns the trace and
   every round's span decisions;
2. :func:`assign` (parent): the plans of those decisions with the case's labels,
   the same planning calls ``redact_segments`` would make, so labels are
   allocated exactly as it would allocate them;
3. :meth:`SplitRun.finish` (worker): replays the loop with the real labels
   (:func:`redact.rounds.replay`; any difference fails closed), then the last
   check and the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from redact import rounds

if TYPE_CHECKING:
    from redact.detect import Detection
    from redact.plan import Decisions, Plan, Planner
    from redact.redactor import Redactor
    from redact.result import RedactionResult

__all__ = ["SplitRun", "assign"]


class SplitRun:
    """The stages of one redactor's split runs (see the module's docstring).

    ``redactor`` gives the policy, the detector and the re-analysis; its own
    pseudonym index is never used for labels. ``report_key`` keys the hashes
    in the results (the case's, as its redactor has).
    """

    def __init__(self, redactor: Redactor, report_key: bytes) -> None:
        self.redactor = redactor
        self.report_key = report_key
        v = redactor.policy.verify
        self.reanalyse = rounds.reanalysis(redactor.detector, redactor.planner, v.deep) \
            if v.patterns or v.deep else None

    def detect(self, segments: Sequence[str], batch_size: int) -> list[list[Detection]]:
        """Detection only (the expensive step), for :meth:`analyse`."""
        return list(self.redactor.detector.detect_many(list(segments), batch_size=batch_size))

    def analyse(self, segments: Sequence[str], detections: Sequence[Sequence[Detection]],
                planner: Planner) -> tuple[list[rounds.Round], list[Decisions]]:
        """Stage 1: the rounds ``redact_segments`` would plan, and each one's decisions.

        ``planner`` carries a throw-away pseudonym index. The re-analysis of the
        last plan is left to :meth:`finish`, which checks it with the real labels.
        """
        segments = list(segments)
        if self.reanalyse is None:
            first = [list(d) for d in detections]
            return [rounds.Round(first)], [planner.decide_spans(segments, first)]
        decided: list[Decisions] = []

        def plan_of(current: list[list[Detection]]) -> Plan:
            decided.append(planner.decide_spans(segments, current))
            return planner.assign(segments, decided[-1])

        trace = rounds.run(segments, detections, plan_of, self.reanalyse,
                           analyses=rounds.ROUNDS)
        return trace.rounds, decided

    def finish(self, segments: Sequence[str], found: Sequence[rounds.Round],
               plans: Sequence[Plan], *, verify: bool = True) -> list[RedactionResult]:
        """Stage 3: replay ``found`` with ``plans`` (from :func:`assign`), as
        ``redact_segments`` would run its loop; :class:`~redact.errors.LeakError` if
        the real labels lead elsewhere or the output leaks."""
        segments = list(segments)
        trace = rounds.replay(segments, found, plans, self.reanalyse)
        return rounds.conclude(segments, trace, self.redactor.policy, verify=verify,
                               report_key=self.report_key,
                               model=self.redactor.model_info.to_dict())


def assign(planner: Planner, segments: Sequence[str],
           decisions: Sequence[Decisions]) -> list[Plan]:
    """Stage 2: the plan of each round's ``decisions`` with ``planner``'s labels, in turn."""
    return [planner.assign(list(segments), d) for d in decisions]
