"""The library entry point: :class:`Redactor` runs detect -> plan -> apply -> verify."""

from __future__ import annotations

import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from redact.apply import apply_spans
from redact.detect import Detection, Detector, ModelInfo
from redact.errors import LeakError
from redact.plan import Decisions, Plan, Planner
from redact.policy import Policy
from redact.pseudonyms import PseudonymIndex
from redact.result import RedactionResult, Span
from redact.verify import OutputMap, detection_leaks, surface_leaks

__all__ = ["Redactor", "ReAnalysis", "Round"]

#: Rounds of "analyse the output again and remove what is new" before giving up.
_ROUNDS = 2


class Redactor:
    """Redacts statements under one policy. Build once; reuse for thousands of texts.

    >>> from redact import Policy, Redactor
    >>> redactor = Redactor(Policy.load("testimony.yaml"))
    >>> result = redactor.redact("My cousin Islam Bakaev called me on +7 928 744-19-03.")
    >>> result.text
    'My cousin Person A called me on [PHONE_NUMBER].'

    ``pseudonyms`` shares pseudonym labels across calls (by default labels are
    shared across every call on this Redactor; pass a case's index to share
    them across a case). Building loads the spaCy model (about a second);
    every call after that reuses it. Safe to share between threads.
    """

    def __init__(self, policy: Policy | None = None, *,
                 pseudonyms: PseudonymIndex | None = None,
                 report_key: bytes | None = None) -> None:
        self.policy = policy if policy is not None else Policy.load()
        self.detector = Detector(self.policy)
        self.planner = Planner(self.policy, pseudonyms)
        self._report_key = report_key if report_key is not None else os.urandom(32)

    def with_pseudonyms(self, pseudonyms: PseudonymIndex | None = None) -> Redactor:
        """This Redactor (same policy, same loaded detector) with another pseudonym index.

        ``None`` gives a fresh in-memory index: labels start again at "Person A"
        and nothing links its statements to this Redactor's (an API request, a
        batch worker's trial planning). Cheap: nothing is loaded again.
        """
        out = object.__new__(Redactor)
        out.policy = self.policy
        out.detector = self.detector
        out.planner = Planner(self.policy, pseudonyms)
        out._report_key = self._report_key
        return out

    @property
    def model_info(self) -> ModelInfo:
        """The spaCy pipeline in use (name and version go into every report)."""
        return self.detector.model_info

    # ---- public API ----------------------------------------------------------------------

    def detect(self, text: str) -> list[Detection]:
        """Raw detections (before the policy decides), for previews and evaluation."""
        return self.detector.detect(text)

    def redact(self, text: str, *, verify: bool = True) -> RedactionResult:
        """Redact one statement. Raises :class:`redact.errors.LeakError` if verify finds a leak.

        ``verify=False`` skips the final check (for evaluation only: never
        publish unverified output).
        """
        return self.redact_segments([text], verify=verify)[0]

    def redact_many(self, texts: Iterable[str], batch_size: int = 32, *,
                    verify: bool = True) -> list[RedactionResult]:
        """Redact many independent statements, batching the NER through spaCy's ``nlp.pipe``.

        Each text is planned on its own (no propagation between texts), but
        pseudonym labels are shared through this Redactor's index. The first
        text that fails verification raises :class:`redact.errors.LeakError`.
        """
        texts = list(texts)
        out = []
        for text, dets in zip(texts, self.detector.detect_many(texts, batch_size=batch_size),
                              strict=True):
            out.append(self._process([text], [dets], verify=verify)[0])
        return out

    def detect_segments(self, segments: Sequence[str], *,
                        progress: Callable[[int, int], None] | None = None
                        ) -> list[list[Detection]]:
        """Detection only (the expensive, parallelisable step) for :meth:`redact_segments`."""
        return list(self.detector.detect_many(list(segments), progress=progress))

    def redact_segments(self, segments: Sequence[str], *, verify: bool = True,
                        detections: Sequence[Sequence[Detection]] | None = None,
                        progress: Callable[[int, int], None] | None = None
                        ) -> list[RedactionResult]:
        """Redact the parts of one document together (body, comments, headers, properties).

        A name found in any segment is removed from all of them, and the same
        person gets the same pseudonym in all. Verification covers every
        segment; a leak in any of them raises and nothing is returned.
        ``detections`` (from :meth:`detect_segments`, perhaps run in another
        process) skips detection: planning, pseudonyms, applying and verifying
        still happen here. ``progress(done, total)`` reports detection's progress in
        characters (for a progress bar on long statements).
        """
        if detections is None:
            found = self.detect_segments(segments, progress=progress)
        else:
            found = [list(d) for d in detections]
        return self._process(list(segments), found, verify=verify)

    # ---- split runs (redact batch): detection rounds in a worker, labels in one process ----

    def analysis_rounds(self, segments: Sequence[str],
                        detections: Sequence[Sequence[Detection]],
                        planner: Planner | None = None, *,
                        evidence: list[ReAnalysis] | None = None,
                        decisions: list[Decisions] | None = None
                        ) -> list[list[list[Detection]]]:
        """The detection lists that :meth:`redact_segments` would plan, one per round.

        The first is ``detections``; each further one adds what a re-analysis
        of the output of the previous plan found (mapped back to the original):
        the rounds of :meth:`_rounds`, the one re-analysis loop. ``planner``
        (default: this Redactor's) should carry a throw-away pseudonym index when
        labels must be assigned elsewhere: labels change only the text of
        replacements, which the re-analysis ignores. The re-analysis of the last
        plan is left to :meth:`finish_rounds`, which checks it with the real labels.
        ``evidence``, if given, receives one :class:`ReAnalysis` per re-analysed
        plan; :meth:`finish_rounds` reuses one whose output is identical.
        ``decisions``, if given, receives the planner's :class:`Decisions` of
        every round: ``Planner.assign`` turns them into the plans that
        :meth:`plan_rounds` would make, without deciding again.
        """
        segments = list(segments)
        planner = planner if planner is not None else self.planner
        decided = decisions if decisions is not None else []
        v = self.policy.verify
        if not (v.patterns or v.deep):
            if decisions is not None:
                decisions.append(planner.decide_spans(segments, [list(d) for d in detections]))
            return [[list(d) for d in detections]]

        def plan_of(current: list[list[Detection]], _i: int,
                    _new: list[list[Detection]] | None) -> Plan:
            decided.append(planner.decide_spans(segments, current))
            return planner.assign(segments, decided[-1])

        rounds = []
        for r in self._rounds(segments, [list(d) for d in detections], plan_of,
                              analyses=_ROUNDS):
            rounds.append(r.detections)
            if evidence is not None and r.new is not None:
                evidence.append(ReAnalysis(_outputs_digest(r.outputs), r.new))
        return rounds

    def plan_rounds(self, segments: Sequence[str],
                    rounds: Sequence[Sequence[Sequence[Detection]]]) -> list[Plan]:
        """Plan each round of :meth:`analysis_rounds` in turn with this Redactor's planner.

        The same sequence of planning calls as :meth:`redact_segments` makes,
        so pseudonym labels are allocated exactly as it would allocate them.
        Needs no model (``Redactor`` itself does; see :func:`plan_rounds`).
        """
        return plan_rounds(self.planner, segments, rounds)

    def finish_rounds(self, segments: Sequence[str],
                      rounds: Sequence[Sequence[Sequence[Detection]]],
                      plans: Sequence[Plan], *, verify: bool = True,
                      evidence: Sequence[ReAnalysis] = ()) -> list[RedactionResult]:
        """Apply and verify the plans of :meth:`plan_rounds`, as :meth:`redact_segments` would.

        The same re-analysis loop (:meth:`_rounds`) runs again on the outputs with
        the real labels, replaying ``plans``: it must find what the analysis with
        throw-away labels found (round ``i`` must lead to ``rounds[i + 1]``; after
        the last round, nothing new unless all rounds were used). A difference
        raises :class:`LeakError` (fail closed). Then the surface-form check, as
        in :meth:`redact_segments`. A re-analysis whose output (texts and
        replacement ranges) is identical to one in ``evidence`` (from
        :meth:`analysis_rounds`) is not run again: the same text gives the same
        findings.
        """
        segments = list(segments)
        if len(plans) != len(rounds) or not plans:
            raise ValueError("one plan per round is needed")
        v = self.policy.verify
        last = len(plans) - 1
        if not (v.patterns or v.deep):
            if last:
                raise ValueError("rounds without verification")
            outputs = self._apply(segments, plans[0])
            if verify:
                self._final_check(plans[0], outputs, [])
            return self._results(segments, plans[0], outputs)

        def replay(current: list[list[Detection]], i: int,
                   new: list[list[Detection]] | None) -> Plan:
            if i > last or current != [list(r) for r in rounds[i]]:
                # the real labels changed what the re-analysis sees
                found = sorted({(d.entity, d.start) for seg in new or [] for d in seg},
                               key=lambda x: x[1])
                raise LeakError(found or [("UNKNOWN", 0)])
            return plans[i]

        def find_new(plan: Plan, outputs: list[tuple[str, OutputMap]], i: int
                     ) -> list[list[Detection]]:
            seen = evidence[i] if i < len(evidence) else None
            if seen is not None and seen.digest == _outputs_digest(outputs):
                return [list(e) for e in seen.new]
            return self._new_in_output(plan, outputs)

        final = _last(self._rounds(segments, [list(r) for r in rounds[0]], replay,
                                   find_new=find_new))
        if final.index != last:  # nothing new where the throw-away labels found more
            raise LeakError([("UNKNOWN", 0)])
        if verify:
            self._final_check(final.plan, final.outputs, final.leaks)
        return self._results(segments, final.plan, final.outputs)

    # ---- internals -----------------------------------------------------------------------

    def _process(self, segments: list[str], detections: list[list[Detection]], *,
                 verify: bool = True) -> list[RedactionResult]:
        """Plan, apply, then re-analyse the output until it holds nothing new (:meth:`_rounds`).

        The output is accepted only when a re-analysis finds nothing new and no
        planned surface form survives; otherwise :class:`LeakError`.
        """
        v = self.policy.verify
        if not (v.patterns or v.deep):
            plan = self.planner.plan(segments, detections)
            outputs = self._apply(segments, plan)
            if verify:
                self._final_check(plan, outputs, [])
            return self._results(segments, plan, outputs)
        final = _last(self._rounds(
            segments, detections, lambda current, _i, _new: self.planner.plan(segments, current)))
        if verify:
            self._final_check(final.plan, final.outputs, final.leaks)
        return self._results(segments, final.plan, final.outputs)

    def _rounds(self, segments: list[str], detections: list[list[Detection]],
                plan_of: Callable[[list[list[Detection]], int, list[list[Detection]] | None],
                                  Plan], *,
                analyses: int = _ROUNDS + 1,
                find_new: Callable[[Plan, list[tuple[str, OutputMap]], int],
                                   list[list[Detection]]] | None = None) -> Iterator[Round]:
        """The one re-analysis loop of "verify before write".

        Round ``i`` plans ``detections`` (``plan_of(detections, i, what the previous
        round found)``), applies the plan and analyses the output again (pattern
        recognizers; with ``verify.deep`` also NER). Whatever is found outside the
        replacements and would be removed under the policy was missed: it is
        mapped back to the original and added to the detections of round ``i + 1``.
        The loop ends at a round that finds nothing new, or after ``_ROUNDS + 1``
        analyses, the last one's findings being leaks. ``analyses`` stops it
        earlier, leaving the last plan unanalysed (batch runs analyse it later, with
        the real labels). ``find_new`` replaces the re-analysis (to replay one).
        """
        current = detections
        new: list[list[Detection]] | None = None
        plan = plan_of(current, 0, None)
        for i in range(_ROUNDS + 1):
            if i >= analyses:
                yield Round(i, current, plan, None, None)
                return
            outputs = self._apply(segments, plan)
            new = (find_new or (lambda p, o, _i: self._new_in_output(p, o)))(plan, outputs, i)
            yield Round(i, current, plan, outputs, new)
            if not any(new) or i == _ROUNDS:
                return
            current = [list(d) + [self._to_original_detection(x, spans) for x in e]
                       for d, e, spans in zip(current, new, plan.spans, strict=True)]
            plan = plan_of(current, i + 1, new)

    def _final_check(self, plan: Plan, outputs: list[tuple[str, OutputMap]],
                     leaks: list[tuple[str, int]]) -> None:
        """Raise :class:`LeakError` for re-analysis ``leaks`` or a surviving surface form."""
        if self.policy.verify.surface_forms:
            for text, where in outputs:
                leaks = leaks + surface_leaks(text, plan, where)
        if leaks:
            raise LeakError(sorted(set(leaks), key=lambda x: x[1]))

    def _results(self, segments: Sequence[str], plan: Plan,
                 outputs: list[tuple[str, OutputMap]]) -> list[RedactionResult]:
        results = []
        for i, text in enumerate(segments):
            hashes = [RedactionResult.keyed_hash(self._report_key, text[s.start:s.end])
                      for s in plan.spans[i]]
            review = [(w.start, w.end, w.reason) for w in plan.review[i]] \
                if i < len(plan.review) else []
            results.append(RedactionResult(text=outputs[i][0], spans=plan.spans[i],
                                           original_length=len(text),
                                           model=self.model_info.to_dict(),
                                           policy_sha256=self.policy.sha256(), _hashes=hashes,
                                           review=review,
                                           links=[k.to_dict() for k in plan.links[i]]
                                           if i < len(plan.links) else []))
        return results

    @staticmethod
    def _apply(segments: list[str], plan: Plan) -> list[tuple[str, OutputMap]]:
        out = []
        for text, spans in zip(segments, plan.spans, strict=True):
            new, replaced = apply_spans(text, spans)
            protected = _shift_kept(spans, ("allow",))
            out.append((new, OutputMap(replaced=replaced, protected=protected)))
        return out

    def _new_in_output(self, plan: Plan,
                       outputs: list[tuple[str, OutputMap]]) -> list[list[Detection]]:
        """What a re-analysis of each output finds that the policy would remove (output offsets)."""
        v = self.policy.verify
        texts = [o for o, _ in outputs]
        if v.deep:
            found = list(self.detector.detect_many(texts))
        else:
            found = [self.detector.detect_patterns(t, kept_types=False) for t in texts]
        return [detection_leaks(text, dets, self.planner, where)
                for (text, where), dets in zip(outputs, found, strict=True)]

    @staticmethod
    def _to_original_detection(d: Detection, spans: Sequence[Span]) -> Detection:
        start = _to_original(d.start, spans)
        rule = d.rule if d.rule.startswith("verify:") else f"verify:{d.rule}"
        return replace(d, start=start, end=start + (d.end - d.start), rule=rule)


@dataclass(frozen=True)
class Round:
    """One round of :meth:`Redactor._rounds`: the detections planned, their plan, and (if
    the output was analysed) the outputs and what their re-analysis found."""

    index: int
    detections: list[list[Detection]]
    plan: Plan
    outputs: list[tuple[str, OutputMap]] | None
    new: list[list[Detection]] | None

    @property
    def leaks(self) -> list[tuple[str, int]]:
        """What the re-analysis found (output offsets): leaks if this is the last round."""
        return [(d.entity, d.start) for seg in self.new or [] for d in seg]


@dataclass(frozen=True)
class ReAnalysis:
    """One re-analysis of :meth:`Redactor.analysis_rounds`: a digest of the outputs it
    read (texts, replacement and kept ranges) and what it found (output offsets)."""

    digest: bytes
    new: list[list[Detection]]


def _last(rounds: Iterator[Round]) -> Round:
    """The last round of a loop that analysed every plan it made."""
    final = deque(rounds, maxlen=1)[0]
    assert final.outputs is not None
    return final


def _outputs_digest(outputs: Sequence[tuple[str, OutputMap]]) -> bytes:
    h = hashlib.sha256()
    for text, where in outputs:
        for part in (text, repr(list(where.replaced)), repr(list(where.protected))):
            data = part.encode("utf-8", "surrogatepass")
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)
    return h.digest()


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


def plan_rounds(planner: Planner, segments: Sequence[str],
                rounds: Sequence[Sequence[Sequence[Detection]]]) -> list[Plan]:
    """``planner.plan`` for each round in turn (see :meth:`Redactor.plan_rounds`); no model."""
    segments = list(segments)
    return [planner.plan(segments, [list(d) for d in r]) for r in rounds]
