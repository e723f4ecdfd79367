"""The Presidio speed-ups of :mod:`redact.detect.speedups` give what stock Presidio gives.

Each fast class overrides private methods of Presidio; these tests run both on
the same sample texts (hand-written lines, ``tests/corpus`` and the vendored
slice of the presidio-research dev set) and compare every result: entity,
offsets, score and explanation. The Detector's registry and analyzer are built
twice (:func:`redact.detect.detector.build_registry`, ``build_analyzer``): from
Presidio's own classes and from the fast ones, each over the same spaCy
artifacts. (Also see the speed-up tests of ``tests/test_redact.py``: URL regex,
phone recognizer, artifacts.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from presidio_analyzer import AnalyzerEngine
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import PhoneRecognizer

from redact import Redactor
from redact.detect.detector import build_analyzer, build_registry
from redact.detect.model import choose_model
from redact.detect.speedups import (
    DigitGatedPhone,
    FastContextEnhancer,
    GroupedContextAnalyzer,
    LoadedSpacyEngine,
)
from redact.evaluate import load_dataset

HERE = Path(__file__).resolve().parents[1]
LINES = [
    "İstanbul’da ÇOK güzel. Mr Aslan Dzhabrailov called +7 928 744-19-03 from 14 Lenina "
    "Street, Grozny, on 12/03/2021; see www.example.org or mail a.b@example.com.",
    "My brother Ruslan (16) lived in the village of Gekhi-Chu; his passport no. 4511 233412, "
    "telegram @free_voice, phone number 89287441903, case No. 2-113/2022.",
    "we met aslanbek near the bazaar. call me on whatsapp 0049 30 901820 x 12 tomorrow",
    "", "no digits and no names here at all", "1.800.555.0199 and (212) 555-0187, ext. 12",
]


def _texts() -> list[str]:
    texts = list(LINES)
    texts += [p.read_text(encoding="utf-8", errors="replace")
              for p in sorted((HERE / "corpus").glob("*"))
              if p.suffix in (".txt", ".md", ".csv", ".jsonl")]
    dev = HERE / "data/presidio-research/generated_sample.json"
    if dev.is_file():
        texts += load_dataset(dev).texts()[:150]
    return texts


@pytest.fixture(scope="module")
def engines(redactor: Redactor) -> tuple[LoadedSpacyEngine, AnalyzerEngine, AnalyzerEngine]:
    """One spaCy engine; the analyzer of Presidio's own classes and the Detector's."""
    engine = LoadedSpacyEngine(redactor.detector.nlp, choose_model(redactor.policy.model))
    analyzers = [build_analyzer(build_registry(engine, redactor.policy, fast=fast), engine,
                                fast=fast) for fast in (False, True)]
    assert type(analyzers[1]) is GroupedContextAnalyzer
    assert any(type(r) is DigitGatedPhone for r in analyzers[1].registry.recognizers)
    return engine, analyzers[0], analyzers[1]


#: the fast recognizers' names, as the stock ones they stand for are named
_STOCK_NAMES = {DigitGatedPhone.NAME: "PhoneRecognizer"}


def _seen(results: list[Any]) -> list[tuple[Any, ...]]:
    out = []
    for r in results:
        expl = r.analysis_explanation
        name = r.recognition_metadata.get(r.RECOGNIZER_NAME_KEY)
        out.append((r.entity_type, r.start, r.end, r.score,
                    _STOCK_NAMES.get(name, name),
                    None if expl is None else (expl.recognizer, expl.original_score, expl.score,
                                               expl.textual_explanation,
                                               expl.score_context_improvement,
                                               expl.supportive_context_word)))
    return sorted(out, key=repr)


def test_fast_analyzer_equals_stock_presidio(engines: Any) -> None:
    """Grouped context step, binary-search token lookup, private result copies, digit-gated
    phones and run-only URL search: the same results as Presidio's own, text by text."""
    engine, stock, fast = engines
    texts = _texts()
    assert len(texts) > 100
    boosted = 0
    for text in texts:
        art = engine.process_text(text, "en")
        want = _seen(stock.analyze(text, "en", nlp_artifacts=art, return_decision_process=True))
        got = _seen(fast.analyze(text, "en", nlp_artifacts=art, return_decision_process=True))
        assert got == want, text[:80]
        boosted += sum(1 for r in want if r[5] is not None and r[5][4])
    assert boosted > 0  # context words did raise scores: the enhancer was exercised


def test_context_enhancer_leaves_the_raw_results_alone(engines: Any) -> None:
    """Presidio deep-copies results before raising scores; ours hands it private copies:
    either way the caller's results keep their scores and explanations."""
    engine, stock, fast = engines
    text = LINES[1]
    art = engine.process_text(text, "en")
    recs = fast.registry.recognizers
    raw = [r for rec in recs for r in rec.analyze(text, rec.supported_entities, art)]
    before = _seen(raw)
    enhanced = fast.context_aware_enhancer.enhance_using_context(text, raw, art, recs)
    assert _seen(raw) == before and _seen(enhanced) != before
    plain = LemmaContextAwareEnhancer(context_prefix_count=6, context_suffix_count=2)
    assert _seen(enhanced) == _seen(plain.enhance_using_context(text, raw, art, recs))


def test_token_lookup_equals_presidios_scan(engines: Any) -> None:
    """The binary search finds the token Presidio's linear scan finds, at every offset."""
    engine = engines[0]
    fast = FastContextEnhancer(context_prefix_count=6, context_suffix_count=2)
    plain = LemmaContextAwareEnhancer(context_prefix_count=6, context_suffix_count=2)
    for text in [*LINES[:3], "a  b\n\n c", "x"]:
        art = engine.process_text(text, "en")
        for start in range(len(text)):
            want = plain._find_index_of_match_token("w", start, art.tokens, art.tokens_indices)
            got = fast._find_index_of_match_token("w", start, art.tokens, art.tokens_indices)
            assert got == want, (text, start)


def test_artifacts_and_word_flags_equal_presidios(engines: Any) -> None:
    """Entities, scores and token offsets as Presidio makes them; lemmas are the lower-cased
    words (no lemmatizer runs, by design); stop-word and punctuation flags remembered."""
    engine = engines[0]
    for text in LINES:
        doc = engine.nlp["en"](text)
        ours = engine._doc_to_nlp_artifact(doc, "en")
        theirs = SpacyNlpEngine._doc_to_nlp_artifact(engine, doc, "en")
        assert [(e.start_char, e.end_char, e.label_) for e in ours.entities] == \
            [(e.start_char, e.end_char, e.label_) for e in theirs.entities]
        assert ours.scores == theirs.scores and ours.tokens_indices == theirs.tokens_indices
        assert ours.lemmas == [t.lower_ for t in doc]
        for _ in range(2):  # the second time from memory
            for t in doc:
                assert engine.is_stopword(t.text, "en") == \
                    SpacyNlpEngine.is_stopword(engine, t.text, "en")
                assert engine.is_punct(t.text, "en") == \
                    SpacyNlpEngine.is_punct(engine, t.text, "en")


def test_phone_findings_keep_their_reported_name() -> None:
    """Reports name the rule that found a phone number: the fast recognizer keeps the name
    it had when it was a private class."""
    rec = DigitGatedPhone(PhoneRecognizer())
    found = rec.analyze("call +7 928 744-19-03 now", ["PHONE_NUMBER"])
    assert [r.recognition_metadata[r.RECOGNIZER_NAME_KEY] for r in found] == ["_DigitGatedPhone"]


def test_candidate_searches_answer_as_the_pattern_does() -> None:
    """libphonenumber's candidate searches, remembered per text and thread, give the same
    match as the pattern itself from every position, whichever text came before, in
    several threads at once; and the matcher module uses the remembering one."""
    import random
    import threading

    from phonenumbers import phonenumbermatcher

    from redact.detect.speedups import CandidateSearches

    DigitGatedPhone(PhoneRecognizer())
    wrapped = phonenumbermatcher._PATTERN
    assert isinstance(wrapped, CandidateSearches)
    raw = wrapped.pattern
    rng = random.Random(5)
    texts = ["call +7 928 744-19-03 or (495) 123 45 67, ext. 12; 2019-03-04 at 10:30",
             "no numbers here", "+44 20 7946 0958 / 0958 and 8 800 555 35 35"]
    texts += ["".join(rng.choice("0123456789 +-()./abc\n") for _ in range(300))
              for _ in range(5)]
    failures: list[str] = []

    def check(order: list[int]) -> None:
        for k, i in enumerate(order):
            t = texts[i] if k % 2 else "".join(texts[i])  # now and then a new equal object
            for pos in range(0, len(t) + 1, 3):
                got, want = wrapped.search(t, pos), raw.search(t, pos)
                if (got and got.span()) != (want and want.span()):
                    failures.append(f"text {i} at {pos}")

    orders = [[rng.randrange(len(texts)) for _ in range(20)] for _ in range(4)]
    threads = [threading.Thread(target=check, args=(o,)) for o in orders]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert failures == []
