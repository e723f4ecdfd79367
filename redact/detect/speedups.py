"""Presidio, faster: subclasses that override Presidio's private methods, same results.

Each class here replaces one Presidio component whose cost grows with the
statement (quadratic scans, per-token object creation, regexes tried at every
position, libphonenumber re-parsing the same candidates) by one that returns
exactly what Presidio's own returns; ``tests/detect/test_detect_speedups.py`` (and the
speed-up tests of ``tests/test_redact.py``) check them against stock Presidio
on sample texts. They override private methods of the Presidio version pinned
in ``pyproject.toml``: a Presidio upgrade must re-run those tests.

:class:`redact.detect.detector.Detector` builds its analyzer from them.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import threading
from collections.abc import Callable, Iterator
from typing import Any

import phonenumbers
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import PhoneRecognizer
from spacy.attrs import IDX, LENGTH, LOWER
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["NER_SCORE", "CandidateSearches", "DigitGatedPhone", "FastContextEnhancer",
           "GroupedContextAnalyzer", "LoadedSpacyEngine", "RunsOnlyFinditer", "fast_url"]

#: spaCy labels mapped to Presidio entity types; labels not listed are ignored.
_NER_MAPPING = {"PERSON": "PERSON", "PER": "PERSON", "NORP": "NRP", "GPE": "LOCATION",
                "LOC": "LOCATION", "FAC": "LOCATION", "ORG": "ORGANIZATION", "DATE": "DATE_TIME",
                "TIME": "DATE_TIME"}
_NER_IGNORE = ["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "WORK_OF_ART", "LAW",
               "LANGUAGE", "PRODUCT", "EVENT"]
#: The score of a spaCy NER finding.
NER_SCORE = 0.85


class FastContextEnhancer(LemmaContextAwareEnhancer):
    """Presidio's lemma context enhancer with an O(log n) token lookup (same results).

    Presidio finds the token of every result by a linear scan over all tokens,
    which is quadratic on long statements (10% of detection time on 5-10 KB
    texts). Token offsets are increasing, so a binary search over token ends
    finds the same first token.
    """

    #: (the token offsets list itself, token ends): holding the list keeps its id unique
    _ends_cache: tuple[list[int], list[int]] | None = None

    def _find_index_of_match_token(self, word, start, tokens, tokens_indices):  # type: ignore[no-untyped-def,override]
        cached = self._ends_cache
        if cached is None or cached[0] is not tokens_indices:
            if isinstance(tokens, Doc):  # token ends without making a Token object each
                arr = tokens.to_array([IDX, LENGTH])
                ends = (arr[:, 0] + arr[:, 1]).tolist() if len(arr) else []
            else:
                ends = [i + len(t) for i, t in zip(tokens_indices, tokens, strict=True)]
            self._ends_cache = cached = (tokens_indices, ends)
        ends = cached[1]
        # first i with start < ends[i] (Presidio's other condition, indices[i] == start,
        # implies it for every non-empty token)
        i = bisect.bisect_right(ends, start)
        j = bisect.bisect_left(tokens_indices, start)
        if j < len(tokens_indices) and tokens_indices[j] == start:
            i = min(i, j)
        if i >= len(ends):
            return super()._find_index_of_match_token(word, start, tokens, tokens_indices)
        return i


    #: (the text's keyword list itself, the same words as a set)
    _keywords_cache: tuple[list[str], frozenset[str]] | None = None

    def _keyword_set(self, keywords: list[str]) -> frozenset[str]:
        """The text's context keywords as a set: Presidio tests each word around each
        result for membership in the list of all of them (quadratic on long statements);
        the set answers the same."""
        cached = self._keywords_cache
        if cached is None or cached[0] is not keywords:
            self._keywords_cache = cached = (keywords, frozenset(keywords))
        return cached[1]

    def _add_n_words_backward(self, index, n_words, lemmas, lemmatized_filtered_keywords):  # type: ignore[no-untyped-def,override]
        return self._add_n_words(index, n_words, lemmas,
                                 self._keyword_set(lemmatized_filtered_keywords), True)

    def _add_n_words_forward(self, index, n_words, lemmas, lemmatized_filtered_keywords):  # type: ignore[no-untyped-def,override]
        return self._add_n_words(index, n_words, lemmas,
                                 self._keyword_set(lemmatized_filtered_keywords), False)

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers,  # type: ignore[no-untyped-def,override]
                              context=None):
        # Presidio deep-copies the results before raising scores (about 6% of detection
        # time on short texts). Only a result's score and explanation change: hand it
        # private copies of those, which its deep copy then keeps as they are.
        return super().enhance_using_context(text, [_owned(r) for r in raw_results],
                                             nlp_artifacts, recognizers, context)


class GroupedContextAnalyzer(AnalyzerEngine):
    """Presidio's analyzer; its per-recognizer context step grouped in one pass (same results).

    Presidio filters all results twice per recognizer (quadratic on long
    statements) to hand each its own and the others' results; only a
    recognizer that overrides ``enhance_using_context`` does anything with
    them (none of Presidio's or ours does), the rest return their own as given.
    """

    def _enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers,  # type: ignore[no-untyped-def,override]
                               context=None):
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        by_id: dict[str, list[RecognizerResult]] = {}
        for r in raw_results:
            by_id.setdefault(r.recognition_metadata[key], []).append(r)
        results: list[RecognizerResult] = []
        for rec in recognizers:
            own = list(by_id.get(rec.id, ()))
            if type(rec).enhance_using_context is not EntityRecognizer.enhance_using_context:
                own = rec.enhance_using_context(
                    text=text, raw_recognizer_results=own,
                    other_raw_recognizer_results=[r for r in raw_results
                                                  if r.recognition_metadata[key] != rec.id],
                    nlp_artifacts=nlp_artifacts, context=context)
            results.extend(own)
        return self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=results, nlp_artifacts=nlp_artifacts,
            recognizers=recognizers, context=context)


class _OwnedResult(RecognizerResult):
    """A private copy of a Presidio result (see ``FastContextEnhancer``): deep copies keep it."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _OwnedResult:
        return self


def _owned(r: RecognizerResult) -> RecognizerResult:
    """A shallow copy of ``r`` as an :class:`_OwnedResult`, with its own explanation
    (``copy.copy`` of these plain objects, without its generic machinery)."""
    out = _OwnedResult.__new__(_OwnedResult)
    out.__dict__.update(r.__dict__)
    expl = r.analysis_explanation
    if expl is not None:
        own = object.__new__(type(expl))
        own.__dict__.update(expl.__dict__)
        out.analysis_explanation = own
    return out


#: Words whose stop-word and punctuation flags an engine remembers (about 10 MB at most).
_WORD_FLAGS_MAX = 100_000


class LoadedSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over a pipeline we loaded (Presidio's own loader may download)."""

    def __init__(self, nlp: Language, package: str) -> None:
        conf = NerModelConfiguration(model_to_presidio_entity_mapping=dict(_NER_MAPPING),
                                     labels_to_ignore=list(_NER_IGNORE),
                                     default_score=NER_SCORE)
        super().__init__(models=[{"lang_code": "en", "model_name": package}],
                         ner_model_configuration=conf)
        self.nlp = {"en": nlp}
        self._stop: dict[tuple[str, str], bool] = {}
        self._punct: dict[tuple[str, str], bool] = {}

    def load(self) -> None:  # already loaded
        pass

    def _doc_to_nlp_artifact(self, doc: Any, language: str) -> NlpArtifacts:
        # Presidio's own, except the lemmas: no lemmatizer runs (it costs as much as NER),
        # so Presidio's context words are matched against lower-cased words, as substrings
        # ("call" in "called"). Offsets and lower-cased words read as arrays (no Token
        # object per token); keywords computed once.
        entities, scores = self._get_updated_entities(self._get_entities(doc),
                                                      self._get_scores_for_entities(doc))
        strings = doc.vocab.strings
        arr = doc.to_array([IDX, LOWER]).tolist() if len(doc) else []
        indices = [a[0] for a in arr]
        lowered = [strings[a[1]] for a in arr]
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=indices,
                            lemmas=lowered, nlp_engine=self, language=language,
                            scores=scores)

    def is_stopword(self, word: str, language: str) -> bool:
        """Presidio's (a vocabulary lookup), remembered per word: called for every token."""
        return _remembered(self._stop, SpacyNlpEngine.is_stopword, self, word, language)

    def is_punct(self, word: str, language: str) -> bool:
        """Presidio's (a vocabulary lookup), remembered per word."""
        return _remembered(self._punct, SpacyNlpEngine.is_punct, self, word, language)


def _remembered(memo: dict[tuple[str, str], bool], flag: Callable[..., Any],
                engine: SpacyNlpEngine, word: str, language: str) -> bool:
    """``flag(engine, word, language)``, kept in ``memo`` (up to _WORD_FLAGS_MAX words)."""
    key = (word, language)
    got = memo.get(key)
    if got is None:
        got = bool(flag(engine, word, language))
        if len(memo) < _WORD_FLAGS_MAX:
            memo[key] = got
    return got



class _MemoPhoneMatcher(phonenumbers.PhoneNumberMatcher):
    """libphonenumber's matcher, remembering what each candidate parsed to (same matches).

    ``_parse_and_verify(candidate, offset)`` depends only on the candidate, the
    region, the leniency and the characters just before and after it in the
    text; its parse and validation are the costliest part of the phone
    recognizer. A statement and its redacted output (verification) hold mostly
    the same candidates, and years and short numbers recur across statements.
    """

    _memo: dict[tuple[Any, ...], Any] = {}
    _MEMO_MAX = 50_000  # entries (mostly "not a number"): a few MB

    def _parse_and_verify(self, candidate, offset):  # type: ignore[no-untyped-def]
        text, end = self.text, offset + len(candidate)
        key = (candidate, self.preferred_region, self.leniency,
               text[offset - 1] if offset > 0 else None, text[end] if end < len(text) else None)
        memo = _MemoPhoneMatcher._memo
        if key in memo:
            number = memo[key]
            if number is None:
                return None
            copy_ = phonenumbers.PhoneNumber()
            copy_.merge_from(number)
            return phonenumbers.PhoneNumberMatch(offset, candidate, copy_)
        match = super()._parse_and_verify(candidate, offset)
        if len(memo) < _MemoPhoneMatcher._MEMO_MAX:
            if match is None:
                memo[key] = None
            else:
                kept = phonenumbers.PhoneNumber()
                kept.merge_from(match.number)
                memo[key] = kept
        return match


class CandidateSearches(threading.local):
    """libphonenumber's candidate regex (``phonenumbermatcher._PATTERN``), its searches
    of the last text remembered, per thread.

    The matcher of each of the eight regions searches the same text from the same
    places (``_PATTERN.search(text, index)``, about 60% of the phone recognizer's
    time); a search depends only on the text and the index, so the seven repeats
    are answered from memory (same match objects, read-only). Installed once by
    :class:`DigitGatedPhone` (:meth:`install`); the text is compared by identity and
    kept only until the next one.
    """

    def __init__(self, pattern: Any) -> None:
        self.pattern = pattern
        self._text: str | None = None
        self._found: dict[int, Any] = {}

    def search(self, text: str, pos: int = 0, *more: Any) -> Any:
        if more:
            return self.pattern.search(text, pos, *more)
        if text is not self._text:
            self._text, self._found = text, {}
        try:
            return self._found[pos]
        except KeyError:
            found = self._found[pos] = self.pattern.search(text, pos)
            return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)

    @classmethod
    def install(cls) -> None:
        """Wrap the matcher module's pattern (once per process)."""
        from phonenumbers import phonenumbermatcher

        if not isinstance(phonenumbermatcher._PATTERN, cls):
            phonenumbermatcher._PATTERN = cls(phonenumbermatcher._PATTERN)


#: A date with a four-digit year (day, month, year): what libphonenumber may take for a
#: number. Presidio's recognizer reports those; this one does not.
_DATE_WITH_YEAR = re.compile(r"(?<!\d)\d{1,2}[./]\d{1,2}[./](?:19|20)\d{2}(?!\d)")


class DigitGatedPhone(PhoneRecognizer):
    """Presidio's phone recognizer, faster, same results (less a date with a four-digit
    year, "04.11.2022 21", which libphonenumber may take for a number).

    It runs libphonenumber's matcher once per region (eight regions), which is
    the costliest pattern recognizer. A text with fewer than five digits cannot
    contain a valid number in any of them; otherwise each region's matcher is
    :class:`_MemoPhoneMatcher`, whose candidate searches :class:`CandidateSearches`
    remembers across the regions. ``analyze`` is Presidio's loop with that matcher.
    """

    #: the recognizer name its findings carry (the rule name in reports): the class's
    #: name when it was private, kept so that reports do not change
    NAME = "_DigitGatedPhone"

    def __init__(self, original: PhoneRecognizer) -> None:
        super().__init__(context=original.context, supported_language=original.supported_language,
                         supported_regions=original.supported_regions,
                         leniency=original.leniency, name=self.NAME)
        CandidateSearches.install()

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]
        if sum(map(str.isdigit, text)) < 5:
            return []
        results = []
        for region in self.supported_regions:
            named = region  # as in Presidio: the last number's region names the next failures
            for match in _MemoPhoneMatcher(text, region, leniency=self.leniency):
                if _DATE_WITH_YEAR.search(text, match.start, match.end):
                    continue  # a chat export's "[04.11.2022 21:14]": a date, no phone number
                with contextlib.suppress(phonenumbers.NumberParseException):
                    named = phonenumbers.region_code_for_number(
                        phonenumbers.parse(text[match.start:match.end]))
                results.append(self._get_recognizer_result(match, text, named, nlp_artifacts))
        return EntityRecognizer.remove_duplicates(results)


class RunsOnlyFinditer:
    """Presidio's "Non schema URL" regex, tried only where a match can start (same matches).

    The pattern (``(www\\d{0,3}[.])?[a-z0-9.\\-]{1,253}[.](?:TLD|...)(?:/path)?``,
    case-insensitive, no anchors or lookarounds) needs a run of characters of its
    class ``[a-z0-9.\\-]`` holding a dot, and ends before the next whitespace or
    ``()<>"'``. Searching it at every position of a statement took 8% of
    detection and re-analysis; searching only from such runs, up to that end,
    yields the same matches in the same order (checked against the plain regex
    in the tests).
    """

    def __init__(self, compiled: Any, flags: int) -> None:
        import regex

        self._rx = compiled
        self._runs = regex.compile(r"[a-z0-9.\-]+", flags)
        self._stop = regex.compile(r"[\s()<>\"']", flags)

    def finditer(self, text: str, timeout: float | None = None) -> Iterator[Any]:
        last = 0
        for run in self._runs.finditer(text):
            if "." not in run.group(0) or run.end() <= last:
                continue
            stop = self._stop.search(text, run.end())
            end = stop.start() if stop else len(text)
            for m in self._rx.finditer(text, max(run.start(), last), end, timeout=timeout):
                last = m.end()
                yield m


def fast_url(rec: EntityRecognizer) -> EntityRecognizer:
    """``rec`` with its schema-less URL pattern searched by :class:`RunsOnlyFinditer`."""
    import regex
    from presidio_analyzer.predefined_recognizers import UrlRecognizer

    if type(rec) is UrlRecognizer:
        flags = rec.global_regex_flags
        for p in rec.patterns:
            if p.name == "Non schema URL" and p.regex == "(?i)" + UrlRecognizer.BASE_URL_REGEX:
                p.compiled_regex = RunsOnlyFinditer(regex.compile(p.regex, flags=flags), flags)
                p.compiled_with_flags = flags
    return rec

