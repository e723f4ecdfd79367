"""The re-analysis loop of "verify before write", written once.

Round ``i`` plans its detections, applies the plan and analyses the output
again (pattern recognizers; with ``verify.deep`` also NER). Whatever is found
outside the replacements and would be removed under the policy was missed: it
is mapped back to the original and added to the detections of round ``i + 1``.
The loop ends at a round that finds nothing new, or after ``ROUNDS + 1``
analyses, the last one's findings being leaks.

:func:`run` runs the loop and returns a :class:`Trace`: what each round planned
and what its re-analysis found. A split run (``redact batch``) runs it in a
worker with throw-away pseudonym labels, stopping before the last analysis, and
:func:`replay` runs it again with the real labels, checking that every round
leads where the trace says and reusing a recorded re-analysis whose output is
identical. :func:`conclude` is the last step of both: the surface-form check and
the results.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from redact.errors import LeakError

if TYPE_CHECKING:
    from redact.detect import Detection
    from redact.plan import Plan, Planner
    from redact.policy import Policy
    from redact.result import RedactionResult, Span
    from redact.verify import OutputMap

__all__ = ["ROUNDS", "Round", "Trace", "run", "replay", "apply_plan", "reanalysis",
           "conclude", "outputs_digest"]

#: Rounds of "analyse the output again and remove what is new" before giving up.
ROUNDS = 2

#: The output of each segment and where its replacements and kept spans are.
Outputs = list[tuple[str, "OutputMap"]]
#: ``apply(text, spans)``: the output and its replaced ranges (:func:`redact.apply.apply_spans`)
Apply = Callable[[str, Sequence["Span"]], tuple[str, Any]]
#: ``reanalyse(plan, outputs, round)``: what a re-analysis of ``outputs`` finds that the
#: policy would remove, per segment (output offsets).
Reanalyse = Callable[["Plan", Outputs, int], list[list["Detection"]]]


@dataclass(frozen=True)
class Round:
    """One round: the detections it planned, and (if its output was analysed) a digest of
    that output and what the re-analysis found (output offsets)."""

    detections: list[list[Detection]]
    digest: bytes | None = None
    new: list[list[Detection]] | None = None


@dataclass(frozen=True)
class Trace:
    """A run of the loop: its rounds, and the last round's plan and outputs (``None`` if the
    loop stopped before applying it, see ``analyses`` of :func:`run`)."""

    rounds: list[Round]
    plan: Plan
    outputs: Outputs | None

    @property
    def leaks(self) -> list[tuple[str, int]]:
        """What the last re-analysis found (output offsets): leaks, as it was the last."""
        return [(d.entity, d.start) for seg in self.rounds[-1].new or [] for d in seg]


def run(segments: Sequence[str], detections: Sequence[Sequence[Detection]],
        plan_of: Callable[[list[list[Detection]]], Plan], reanalyse: Reanalyse | None, *,
        analyses: int = ROUNDS + 1, apply: Apply | None = None) -> Trace:
    """The loop over ``segments`` (planned together), from their ``detections``.

    ``plan_of(detections)`` plans a round; ``reanalyse`` (``None``: the policy
    does not re-analyse) analyses its output. ``analyses`` stops the loop
    earlier, leaving the last plan unapplied (a split run analyses it later,
    with the real labels, in :func:`replay`). ``apply`` replaces the apply step
    (default: :func:`redact.apply.apply_spans`).
    """
    return _loop(list(segments), [list(d) for d in detections],
                 lambda current, _i, _new: plan_of(current), reanalyse, analyses, apply)


def replay(segments: Sequence[str], rounds: Sequence[Round], plans: Sequence[Plan],
           reanalyse: Reanalyse | None) -> Trace:
    """Run the loop again with the plans of ``rounds`` (one per round, real labels).

    Round ``i`` must lead to the detections of ``rounds[i + 1]``; after the last
    round, nothing new unless every round was used. A difference raises
    :class:`LeakError` (fail closed): the real labels changed what the
    re-analysis sees. A re-analysis whose output (texts, replacement and kept
    ranges) is identical to the one recorded for its round is not run again: the
    same text gives the same findings.
    """
    segments = list(segments)
    if len(plans) != len(rounds) or not plans:
        raise ValueError("one plan per round is needed")
    last = len(plans) - 1
    if reanalyse is None and last:
        raise ValueError("rounds without verification")

    def plan_of(current: list[list[Detection]], i: int,
                new: list[list[Detection]] | None) -> Plan:
        if i > last or current != [list(d) for d in rounds[i].detections]:
            found = sorted({(d.entity, d.start) for seg in new or [] for d in seg},
                           key=lambda x: x[1])
            raise LeakError(found or [("UNKNOWN", 0)])
        return plans[i]

    def recorded(plan: Plan, outputs: Outputs, i: int) -> list[list[Detection]]:
        seen = rounds[i] if i < len(rounds) else None
        if seen is not None and seen.digest is not None and seen.new is not None \
                and seen.digest == outputs_digest(outputs):
            return [list(e) for e in seen.new]
        assert reanalyse is not None
        return reanalyse(plan, outputs, i)

    trace = _loop(segments, [list(d) for d in rounds[0].detections], plan_of,
                  recorded if reanalyse is not None else None, ROUNDS + 1, None)
    if len(trace.rounds) - 1 != last:  # nothing new where the throw-away labels found more
        raise LeakError([("UNKNOWN", 0)])
    return trace


def _loop(segments: list[str], detections: list[list[Detection]],
          plan_of: Callable[[list[list[Detection]], int, list[list[Detection]] | None], Plan],
          reanalyse: Reanalyse | None, analyses: int, apply: Apply | None) -> Trace:
    """The one loop (see the module's docstring); ``plan_of(current, round, new)``."""
    current = detections
    plan = plan_of(current, 0, None)
    done: list[Round] = []
    for i in range(ROUNDS + 1):
        if i >= analyses:
            done.append(Round(current))
            return Trace(done, plan, None)
        outputs = apply_plan(segments, plan, apply)
        if reanalyse is None:
            done.append(Round(current))
            return Trace(done, plan, outputs)
        new = reanalyse(plan, outputs, i)
        done.append(Round(current, outputs_digest(outputs), new))
        if not any(new) or i == ROUNDS:
            return Trace(done, plan, outputs)
        current = [list(d) + [_to_original_detection(x, spans) for x in e]
                   for d, e, spans in zip(current, new, plan.spans, strict=True)]
        plan = plan_of(current, i + 1, new)
    raise AssertionError("unreachable")


def apply_plan(segments: Sequence[str], plan: Plan, apply: Apply | None = None) -> Outputs:
    """Apply ``plan`` to each segment (with ``apply``, default
    :func:`redact.apply.apply_spans`): its output and where the replacements are."""
    from redact import apply as apply_module
    from redact.kept import PLACE_NOT_PERSON, PUBLIC_NAME
    from redact.verify import OutputMap

    apply = apply or apply_module.apply_spans
    out = []
    for text, spans in zip(segments, plan.spans, strict=True):
        new, replaced = apply(text, spans)
        protected = _shift_kept(spans, ("allow", PUBLIC_NAME, PLACE_NOT_PERSON))
        out.append((new, OutputMap(replaced=replaced, protected=protected)))
    return out


def reanalysis(detector: Any, planner: Planner, deep: bool) -> Reanalyse:
    """The re-analysis of :func:`run`: ``detector``'s patterns (and NER if ``deep``) over
    each output, keeping what ``planner``'s policy would remove outside the replacements."""
    from redact.verify import detection_leaks

    def reanalyse(_plan: Plan, outputs: Outputs, _i: int) -> list[list[Detection]]:
        # the replacements are redact's own words: none of them is a cue for the words
        # around it ("Person FB: Alhamdulillah" is no Facebook handle)
        texts = [_masked(o, where.replaced) for o, where in outputs]
        if deep:
            found = list(detector.detect_many(texts))
        else:
            found = [detector.detect_patterns(t, kept_types=False) for t in texts]
        return [detection_leaks(text, dets, planner, where)
                for (text, where), dets in zip(outputs, found, strict=True)]

    return reanalyse


def _masked(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """``text`` with the letters of each of ``ranges`` written as "X" or "x" as their case
    is ("Person FB" -> "Xxxxxx XX", "[LOCATION]" -> "[XXXXXXXX]"): the same shape and
    length, no word in it."""
    if not ranges:
        return text
    chars = list(text)
    for a, b in ranges:
        chars[a:b] = ["X" if c.isupper() else "x" if c.isalpha() else c for c in text[a:b]]
    return "".join(chars)


def conclude(segments: Sequence[str], trace: Trace, policy: Policy, *, verify: bool,
             report_key: bytes, model: dict[str, str]) -> list[RedactionResult]:
    """The results of a finished loop, after the last check if ``verify``: the last
    re-analysis found nothing and no planned surface form survives, or
    :class:`LeakError`."""
    from redact.result import RedactionResult
    from redact.verify import surface_leaks

    plan, outputs = trace.plan, trace.outputs
    assert outputs is not None
    if verify:
        leaks = trace.leaks
        if policy.verify.surface_forms:
            for text, where in outputs:
                leaks = leaks + surface_leaks(text, plan, where)
        if leaks:
            raise LeakError(sorted(set(leaks), key=lambda x: x[1]))
    results = []
    for i, text in enumerate(segments):
        hashes = [RedactionResult.keyed_hash(report_key, text[s.start:s.end])
                  for s in plan.spans[i]]
        review = [(w.start, w.end, w.reason) for w in plan.review[i]] \
            if i < len(plan.review) else []
        results.append(RedactionResult(text=outputs[i][0], spans=plan.spans[i],
                                       original_length=len(text), model=dict(model),
                                       policy_sha256=policy.sha256(), _hashes=hashes,
                                       review=review,
                                       links=[k.to_dict() for k in plan.links[i]]
                                       if i < len(plan.links) else [],
                                       label_clashes=[
                                           {"start": a, "end": b, "label": lab}
                                           for a, b, lab in plan.clashes[i]]
                                       if i < len(plan.clashes) else []))
    return results


def outputs_digest(outputs: Sequence[tuple[str, OutputMap]]) -> bytes:
    """SHA-256 of outputs: texts, replacement ranges and kept ranges."""
    h = hashlib.sha256()
    for text, where in outputs:
        for part in (text, repr(list(where.replaced)), repr(list(where.protected))):
            data = part.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)
    return h.digest()


def _to_original_detection(d: Detection, spans: Sequence[Span]) -> Detection:
    start = _to_original(d.start, spans)
    rule = d.rule if d.rule.startswith("verify:") else f"verify:{d.rule}"
    return replace(d, start=start, end=start + (d.end - d.start), rule=rule)


def _shift_kept(spans: Sequence[Span], rules: tuple[str, ...]) -> list[tuple[int, int]]:
    """Output ranges of kept spans with the given rules."""
    out, delta = [], 0
    for s in spans:
        if s.action == "keep":
            if s.rule in rules:
                out.append((s.start + delta, s.end + delta))
        else:
            delta += len(s.replacement or "") - (s.end - s.start)
    return out


def _to_original(pos: int, spans: Sequence[Span]) -> int:
    """Map an output offset outside every replacement back to the original text."""
    delta = 0
    for s in spans:
        if s.action == "keep":
            continue
        out_start = s.start + delta
        if out_start > pos:
            break
        delta += len(s.replacement or "") - (s.end - s.start)
    return pos - delta
