"""The library entry point: :class:`Redactor` runs detect -> plan -> apply -> verify."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence

from redact import rounds
from redact.detect import Detection, Detector, ModelInfo
from redact.plan import Planner
from redact.policy import Policy
from redact.pseudonyms import PseudonymIndex
from redact.result import RedactionResult

__all__ = ["Redactor"]


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
        pseudonym labels are shared through this Redactor's index: "Dawn" in two
        texts is the same "Person A" in both, which links them for a reader. For
        statements of one case that is the point; for unrelated posts, redact each
        with ``self.with_pseudonyms()`` (a fresh index, nothing loaded again). The
        first text that fails verification raises :class:`redact.errors.LeakError`.
        """
        texts = list(texts)
        out = []
        for text, dets in zip(texts, self.detector.detect_many(texts, batch_size=batch_size),
                              strict=True):
            out.append(self._process([text], [dets], verify=verify)[0])
        return out

    def redact_segments(self, segments: Sequence[str], *, verify: bool = True,
                        detections: Sequence[Sequence[Detection]] | None = None,
                        progress: Callable[[int, int], None] | None = None
                        ) -> list[RedactionResult]:
        """Redact the parts of one document together (body, comments, headers, properties).

        A name found in any segment is removed from all of them, and the same
        person gets the same pseudonym in all. Verification covers every
        segment; a leak in any of them raises and nothing is returned.
        ``detections`` (one list per segment, perhaps found in another process)
        skips detection: planning, pseudonyms, applying and verifying still
        happen here. ``progress(done, total)`` reports detection's progress in
        characters (for a progress bar on long statements).
        """
        if detections is None:
            found = list(self.detector.detect_many(list(segments), progress=progress))
        else:
            found = [list(d) for d in detections]
        return self._process(list(segments), found, verify=verify)

    # ---- internals -----------------------------------------------------------------------

    def _process(self, segments: list[str], detections: list[list[Detection]], *,
                 verify: bool = True) -> list[RedactionResult]:
        """Plan, apply, then re-analyse the output until it holds nothing new (the loop of
        :mod:`redact.rounds`). The output is accepted only when a re-analysis finds
        nothing new and no planned surface form survives; otherwise :class:`LeakError`."""
        v = self.policy.verify
        reanalyse = rounds.reanalysis(self.detector, self.planner, v.deep) \
            if v.patterns or v.deep else None
        trace = rounds.run(segments, detections,
                           lambda current: self.planner.plan(segments, current), reanalyse)
        return rounds.conclude(segments, trace, self.policy, verify=verify,
                               report_key=self._report_key, model=self.model_info.to_dict())
