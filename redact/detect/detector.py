"""The detector: one Presidio analyzer built from a policy, reused for every text.

:class:`Detector` builds one Presidio ``AnalyzerEngine`` from a policy and
reuses it for every text: Presidio's predefined English recognizers, spaCy NER
(through Presidio's ``SpacyRecognizer``), the testimony recognizers of
:mod:`redact.detect.recognizers`, the policy's ``deny`` list and its custom
``recognizers`` (:mod:`redact.detect.deny`). The Presidio components come in
their faster, same-result forms of :mod:`redact.detect.speedups`; the text
handling around NER is :mod:`redact.detect.text`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import tldextract.tldextract as _tldextract
from phonenumbers import re_util as phone_re_util
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    PatternRecognizer,
    RecognizerRegistry,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import PhoneRecognizer, SpacyRecognizer

from redact.detect.deny import FormsRecognizer, policy_recognizers
from redact.detect.detection import Detection
from redact.detect.gazetteer import gazetteer, truecase
from redact.detect.model import choose_model, load_model
from redact.detect.recognizers import RegexRecognizer, list_recognizers, testimony_recognizers
from redact.detect.speedups import (
    NER_SCORE,
    DigitGatedPhone,
    FastContextEnhancer,
    GroupedContextAnalyzer,
    LoadedSpacyEngine,
    fast_url,
)
from redact.detect.tables import TableRecognizer
from redact.detect.text import chunks, ocr_digits, to_detections, truecase_caps
from redact.policy import Policy

__all__ = ["BATCH_CHARS", "Detector", "build_analyzer", "build_registry"]

# Presidio logs recognizer warnings that can quote input; keep its logger quiet.
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
# Presidio's e-mail recognizer uses tldextract, whose default is to fetch the Public
# Suffix List from the internet on first use. Never: use the snapshot it ships.
_tldextract.TLD_EXTRACTOR.suffix_list_urls = ()

#: Most characters of text in one spaCy batch (short statements still batch up to
#: ``batch_size`` at a time).
BATCH_CHARS = 60_000


class Detector:
    """Presidio analysis configured from a policy; build once, reuse for many texts.

    ``detect`` analyzes one text; ``detect_many`` runs spaCy over many texts
    with ``nlp.pipe`` (much faster than one call per text); ``detect_patterns``
    runs only the pattern and list recognizers (no NER), as verification does.
    """

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        package = choose_model(policy.model)
        self.nlp, self.model_info = load_model(package)
        self._engine = LoadedSpacyEngine(self.nlp, package)
        self._gazetteer = gazetteer()
        # libphonenumber recompiles its metadata regexes through re's small cache, which
        # the per-document form regexes keep flushing; keep its compiled patterns instead.
        phone_re_util.enable_pattern_cache()
        self._registry = registry = build_registry(self._engine, policy)
        self._analyzer = build_analyzer(registry, self._engine)
        self._pattern_recognizers = [r for r in registry.recognizers
                                     if not isinstance(r, SpacyRecognizer)]
        self._verify_recognizers = [v for v in map(self._for_verification,
                                                   self._pattern_recognizers) if v is not None]

    def _for_verification(self, rec: EntityRecognizer) -> EntityRecognizer | None:
        """``rec`` as verification needs it, or None if it can find no leak there.

        Verification ignores findings of types the policy keeps (DATE_TIME, NRP in
        the testimony policy) and findings scoring below the type's threshold (no
        context boost applies there), except deny-list ones: a recognizer of only
        such types, or whose every rule scores lower, would find nothing that counts.
        """
        if isinstance(rec, FormsRecognizer):
            return rec
        policy = self.policy
        removed = [e for e in rec.supported_entities if policy.action(e) != "keep"]
        if not removed:
            return None
        floor = min(policy.threshold(e) for e in removed)
        if isinstance(rec, RegexRecognizer):
            return rec.scoring_at_least(floor)
        top = _pattern_ceiling(rec)
        if top is None:
            top = getattr(rec, "MAX_SCORE", None)
        return None if top is not None and top < floor else rec

    # ---- detection -----------------------------------------------------------------

    def detect(self, text: str) -> list[Detection]:
        """All candidate identifiers in ``text`` (NER and patterns), sorted by offset."""
        return next(iter(self.detect_many([text])))

    def detect_many(self, texts: Sequence[str], batch_size: int = 32, *,
                    progress: Callable[[int, int], None] | None = None
                    ) -> Iterator[list[Detection]]:
        """Like :meth:`detect` for each text, with spaCy batching over all of them.

        ``progress(done, total)``, if given, is called after each piece with the
        characters analysed so far and in all.
        """
        pieces: list[tuple[int, int, str]] = []  # (text index, offset, chunk)
        remaining = [0] * len(texts)  # chunks of each text not analysed yet
        for i, t in enumerate(texts):
            for off, chunk in chunks(t):
                pieces.append((i, off, ocr_digits(chunk)))  # a scan's "3l" read as 31
                remaining[i] += 1
        per_text: list[list[Detection]] = [[] for _ in texts]
        next_out = 0
        total, done = sum(len(c) for _, _, c in pieces), 0
        for (i, off, chunk), artifacts in self._ner(pieces, batch_size):
            results = self._analyzer.analyze(chunk, "en", nlp_artifacts=artifacts)
            per_text[i].extend(to_detections(results, off, chunk))
            done += len(chunk)
            if progress is not None:
                progress(done, total)
            remaining[i] -= 1
            while next_out < len(texts) and remaining[next_out] == 0:
                yield sorted(per_text[next_out], key=lambda d: (d.start, -d.end))
                per_text[next_out] = []
                next_out += 1
        while next_out < len(texts):
            yield sorted(per_text[next_out], key=lambda d: (d.start, -d.end))
            next_out += 1

    def _ner(self, pieces: Sequence[tuple[int, int, str]], batch_size: int
             ) -> Iterator[tuple[tuple[int, int, str], NlpArtifacts]]:
        """Each piece with its NLP artifacts, in order, through spaCy batches of at most
        ``batch_size`` pieces and :data:`BATCH_CHARS` characters: only one batch's Docs
        are alive at a time, whatever the length of the statements."""
        group: list[tuple[int, int, str]] = []
        size = 0

        def run(group: list[tuple[int, int, str]]) -> Iterator[Any]:
            stream = self._engine.process_batch([self._for_ner(c) for _, _, c in group], "en",
                                                batch_size=len(group))
            for piece, (_txt, artifacts) in zip(group, stream, strict=True):
                yield piece, artifacts

        for piece in pieces:
            if group and (len(group) >= batch_size or size + len(piece[2]) > BATCH_CHARS):
                yield from run(group)
                group, size = [], 0
            group.append(piece)
            size += len(piece[2])
        if group:
            yield from run(group)

    def _for_ner(self, text: str) -> str:
        """The text as the NER model should see it: capitals restored, same offsets."""
        return truecase_caps(truecase(text, self._gazetteer))

    def detect_patterns(self, text: str, *, kept_types: bool = True) -> list[Detection]:
        """Only pattern, list and policy recognizers, without NER or context boosts.

        ``kept_types=False`` (verification) skips the recognizers that can only
        find entity types the policy keeps: their findings would be kept anyway.
        """
        out = []
        text = ocr_digits(text)  # as detection reads it
        for rec in self._pattern_recognizers if kept_types else self._verify_recognizers:
            try:
                results = rec.analyze(text, rec.supported_entities, None)
            except Exception:  # Presidio recognizers that need NLP artifacts
                continue
            out.extend(to_detections(results or [], 0, text))
        return sorted(out, key=lambda d: (d.start, -d.end))


def _pattern_ceiling(rec: EntityRecognizer) -> float | None:
    """The highest score one of Presidio's predefined pattern recognizers can give without
    context words: its best pattern's, when it has no checksum (``validate_result``), which
    would raise a finding to 1.0. None when that is not known (any other recognizer)."""
    if not isinstance(rec, PatternRecognizer) or not rec.patterns or \
            not type(rec).__module__.startswith("presidio_analyzer.predefined_recognizers") \
            or type(rec).validate_result is not PatternRecognizer.validate_result \
            or type(rec).analyze is not PatternRecognizer.analyze:
        return None
    return max(p.score for p in rec.patterns)


def build_registry(engine: LoadedSpacyEngine, policy: Policy, *,
                   fast: bool = True) -> RecognizerRegistry:
    """The recognizers a :class:`Detector` runs: Presidio's predefined English ones, spaCy
    NER (organisations included), the testimony and word-list recognizers and the policy's.

    ``fast=False`` keeps Presidio's own phone and URL recognizers instead of their fast
    forms (:mod:`redact.detect.speedups`): the equivalence tests compare the two.
    """
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
    # Replace Presidio's NER recognizer by one that also reports organisations.
    registry.recognizers = [r for r in registry.recognizers
                            if not isinstance(r, SpacyRecognizer)]
    registry.add_recognizer(SpacyRecognizer(
        supported_language="en", ner_strength=NER_SCORE,
        supported_entities=["PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "NRP"]))
    if fast:
        registry.recognizers = [DigitGatedPhone(r) if type(r) is PhoneRecognizer else fast_url(r)
                                for r in registry.recognizers]
    for rec in testimony_recognizers() + list_recognizers() + [TableRecognizer()] + \
            policy_recognizers(policy):
        registry.add_recognizer(rec)
    return registry


def build_analyzer(registry: RecognizerRegistry, engine: LoadedSpacyEngine, *,
                   fast: bool = True) -> AnalyzerEngine:
    """Presidio's analyzer over ``registry`` with context words 6 tokens before a finding
    and 2 after; ``fast=False``: Presidio's own classes, not their fast forms."""
    if fast:
        return GroupedContextAnalyzer(
            registry=registry, nlp_engine=engine, supported_languages=["en"],
            context_aware_enhancer=FastContextEnhancer(context_prefix_count=6,
                                                       context_suffix_count=2))
    return AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"],
                          context_aware_enhancer=LemmaContextAwareEnhancer(
                              context_prefix_count=6, context_suffix_count=2))
