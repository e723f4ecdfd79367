"""Detect: find candidate identifiers with Presidio, spaCy NER and the policy's recognizers.

:class:`Detector` builds one Presidio ``AnalyzerEngine`` from a policy and
reuses it for every text: Presidio's predefined English recognizers, spaCy NER
(through Presidio's ``SpacyRecognizer``), the testimony recognizers of
:mod:`redact.detect.recognizers`, the policy's ``deny`` list and its custom
``recognizers``. Detection only finds; what happens to each finding is
decided in :mod:`redact.plan`.
"""

from __future__ import annotations

import bisect
import contextlib
import copy
import functools
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import phonenumbers
import tldextract.tldextract as _tldextract
from phonenumbers import re_util as phone_re_util
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import PhoneRecognizer, SpacyRecognizer
from spacy.attrs import IDX, LENGTH, LOWER
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from redact.detect.gazetteer import gazetteer, truecase
from redact.detect.model import ModelInfo, choose_model, load_model
from redact.detect.recognizers import (
    RegexRecognizer,
    Rule,
    list_recognizers,
    testimony_recognizers,
)
from redact.policy import Policy

__all__ = ["Detection", "Detector", "FormMatcher", "ModelInfo", "forms_regex"]

# Presidio logs recognizer warnings that can quote input; keep its logger quiet.
logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
# Presidio's e-mail recognizer uses tldextract, whose default is to fetch the Public
# Suffix List from the internet on first use. Never: use the snapshot it ships.
_tldextract.TLD_EXTRACTOR.suffix_list_urls = ()

#: spaCy labels mapped to Presidio entity types; labels not listed are ignored.
_NER_MAPPING = {"PERSON": "PERSON", "PER": "PERSON", "NORP": "NRP", "GPE": "LOCATION",
                "LOC": "LOCATION", "FAC": "LOCATION", "ORG": "ORGANIZATION", "DATE": "DATE_TIME",
                "TIME": "DATE_TIME"}
_NER_IGNORE = ["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "WORK_OF_ART", "LAW",
               "LANGUAGE", "PRODUCT", "EVENT"]
_NER_SCORE = 0.85

#: Longest text handed to spaCy in one piece; longer texts are cut at paragraph breaks.
#: A spaCy Doc and Presidio's artifacts cost about 2 KB per character while they live:
#: pieces this size, few at a time (:data:`BATCH_CHARS`), keep memory flat on long statements.
CHUNK_CHARS = 20_000
#: Most characters of text in one spaCy batch (short statements still batch up to
#: ``batch_size`` at a time).
BATCH_CHARS = 60_000


@dataclass(frozen=True)
class Detection:
    """A candidate identifier: character offsets, Presidio entity type, score, rule name."""

    start: int
    end: int
    entity: str
    score: float
    rule: str


class _FastContextEnhancer(LemmaContextAwareEnhancer):
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


    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers,  # type: ignore[no-untyped-def,override]
                              context=None):
        # Presidio deep-copies the results before raising scores (about 6% of detection
        # time on short texts). Only a result's score and explanation change: hand it
        # private copies of those, which its deep copy then keeps as they are.
        return super().enhance_using_context(text, [_owned(r) for r in raw_results],
                                             nlp_artifacts, recognizers, context)


class _Analyzer(AnalyzerEngine):
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
    """A private copy of a Presidio result (see ``_FastContextEnhancer``): deep copies keep it."""

    def __deepcopy__(self, memo: dict[int, Any]) -> _OwnedResult:
        return self


def _owned(r: RecognizerResult) -> RecognizerResult:
    out = copy.copy(r)
    out.__class__ = _OwnedResult
    out.analysis_explanation = copy.copy(r.analysis_explanation)
    return out


#: Words whose stop-word and punctuation flags an engine remembers (about 10 MB at most).
_WORD_FLAGS_MAX = 100_000


class _LoadedSpacyEngine(SpacyNlpEngine):
    """Presidio's spaCy engine over a pipeline we loaded (Presidio's own loader may download)."""

    def __init__(self, nlp: Language, package: str) -> None:
        conf = NerModelConfiguration(model_to_presidio_entity_mapping=dict(_NER_MAPPING),
                                     labels_to_ignore=list(_NER_IGNORE),
                                     default_score=_NER_SCORE)
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


def forms_regex(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of ``forms`` at word boundaries.

    Whitespace inside a form matches any run of whitespace (line breaks, double
    spaces), so "Ruslan Ibragimov" also matches "Ruslan\\n  Ibragimov".
    """
    parts = []
    for f in sorted({" ".join(f.split()) for f in forms if f.strip()}, key=len, reverse=True):
        parts.append(r"\s+".join(re.escape(tok) for tok in f.split(" ")))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class FormMatcher:
    """Finds surface forms in a text, the way propagation and verification both need.

    Forms match case-insensitively at word boundaries, across runs of
    whitespace. A one-word form that is also an ordinary English word ("Said",
    "Rose", "Bill") matches only with a capital first letter, so removing
    "Said" the name does not remove "said" the verb, except with
    ``any_case=True`` (a lower-case statement, where "timur" and "rose" are
    names as often as words: there every form matches in any case).

    Build one with ``FormMatcher(forms)``; the regexes of recently used sets of
    forms are kept (planning, verification and a batch run's two stages match
    the same forms of a document several times), and a pickled matcher travels
    as its forms.
    """

    def __new__(cls, forms: Iterable[str], *, any_case: bool = False) -> FormMatcher:
        return _form_matcher(frozenset(" ".join(f.split()) for f in forms if f.strip()),
                             any_case)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_form_matcher, (self._forms, self._any_case))

    def _build(self, forms: frozenset[str], any_case: bool) -> None:
        gaz = gazetteer()
        self._forms = forms
        self._any_case = any_case
        loose, capital = [], []
        for f in forms:
            if not any_case and " " not in f and f[:1].isalpha() and gaz.is_english(f):
                capital.append(f)
            else:
                loose.append(f)
        self._loose = forms_regex(loose)
        parts = [re.escape(f[0].upper()) + "(?i:" + re.escape(f[1:]) + ")"
                 for f in sorted(capital, key=len, reverse=True)]
        self._capital = (re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")
                         if parts else None)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match, in text order (matches of the two kinds may overlap)."""
        found = []
        for rx in (self._loose, self._capital):
            if rx is not None:
                found.extend(rx.finditer(text))
        return iter(sorted(found, key=lambda m: (m.start(), -m.end())))


@functools.lru_cache(maxsize=2048)
def _form_matcher(forms: frozenset[str], any_case: bool = False) -> FormMatcher:
    """The (shared, read-only) :class:`FormMatcher` of a set of normalised forms."""
    out = object.__new__(FormMatcher)
    out._build(forms, any_case)
    return out


class _FormsRecognizer(EntityRecognizer):
    """The policy's deny list: every listed form is reported with score 1.0."""

    def __init__(self, entity: str, forms: Sequence[str]) -> None:
        self._regex = forms_regex(forms)
        super().__init__(supported_entities=[entity], name=f"deny:{entity}",
                         supported_language="en")

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):  # type: ignore[no-untyped-def]
        if self._regex is None:
            return []
        return [RecognizerResult(self.supported_entities[0], m.start(), m.end(), 1.0,
                                 recognition_metadata={
                                     RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                     RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                     "rule": "deny"})
                for m in self._regex.finditer(text)]


def _policy_recognizers(policy: Policy) -> list[EntityRecognizer]:
    out: list[EntityRecognizer] = []
    by_entity: dict[str, list[str]] = {}
    for d in policy.deny:
        by_entity.setdefault(d.entity, []).extend(d.forms())
    for entity, forms in sorted(by_entity.items()):
        out.append(_FormsRecognizer(entity, forms))
    for spec in policy.recognizers:
        flags = 0 if spec.case_sensitive else re.IGNORECASE
        rules = [Rule(p.name or f"pattern{i}", p.regex, p.score, flags)
                 for i, p in enumerate(spec.patterns)]
        if spec.words:
            rx = forms_regex(spec.words)
            assert rx is not None
            rules.append(Rule("words", rx.pattern, spec.score, flags))
        out.append(RegexRecognizer(f"policy:{spec.name}", spec.entity, rules,
                                   context=spec.context))
    return out


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


class _DigitGatedPhone(PhoneRecognizer):
    """Presidio's phone recognizer, faster, same results.

    It runs libphonenumber's matcher once per region (eight regions), which is
    the costliest pattern recognizer. A text with fewer than five digits cannot
    contain a valid number in any of them; otherwise each region's matcher is
    :class:`_MemoPhoneMatcher`. ``analyze`` is Presidio's loop with that matcher.
    """

    def __init__(self, original: PhoneRecognizer) -> None:
        super().__init__(context=original.context, supported_language=original.supported_language,
                         supported_regions=original.supported_regions,
                         leniency=original.leniency)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # type: ignore[no-untyped-def]
        if sum(map(str.isdigit, text)) < 5:
            return []
        results = []
        for region in self.supported_regions:
            named = region  # as in Presidio: the last number's region names the next failures
            for match in _MemoPhoneMatcher(text, region, leniency=self.leniency):
                with contextlib.suppress(phonenumbers.NumberParseException):
                    named = phonenumbers.region_code_for_number(
                        phonenumbers.parse(text[match.start:match.end]))
                results.append(self._get_recognizer_result(match, text, named, nlp_artifacts))
        return EntityRecognizer.remove_duplicates(results)


class _RunsOnlyFinditer:
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


def _fast_url(rec: EntityRecognizer) -> EntityRecognizer:
    """``rec`` with its schema-less URL pattern searched by :class:`_RunsOnlyFinditer`."""
    import regex
    from presidio_analyzer.predefined_recognizers import UrlRecognizer

    if type(rec) is UrlRecognizer:
        flags = rec.global_regex_flags
        for p in rec.patterns:
            if p.name == "Non schema URL" and p.regex == "(?i)" + UrlRecognizer.BASE_URL_REGEX:
                p.compiled_regex = _RunsOnlyFinditer(regex.compile(p.regex, flags=flags), flags)
                p.compiled_with_flags = flags
    return rec


def _chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``limit`` chars at paragraph, line or word breaks."""
    if len(text) <= limit:
        return [(0, text)]
    out, pos = [], 0
    while pos < len(text):
        end = min(pos + limit, len(text))
        if end < len(text):
            window = text[pos:end]
            for sep in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(sep)
                if cut > limit // 2:
                    end = pos + cut + len(sep)
                    break
        out.append((pos, text[pos:end]))
        pos = end
    return out


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def _truecase_caps(text: str) -> str:
    """``text`` with ALL-CAPS lines in Title Case, for the NER model only (same length).

    The small English models rely on capitalisation: "RUSLAN IBRAGIMOV" is
    not recognised as a name, "Ruslan Ibragimov" is. Pattern recognizers still
    see the original text; offsets are unchanged.
    """
    if not any(c.isupper() for c in text):
        return text
    out = []
    for line in text.splitlines(keepends=True):
        cased = [c for c in line if c.isalpha() and (c.isupper() or c.islower())]
        words = _WORD.findall(line)
        if len(cased) >= 4 and len(words) >= 2 and \
                sum(c.isupper() for c in cased) >= 0.9 * len(cased):
            fixed = _WORD.sub(lambda m: m.group(0).capitalize()
                              if len(m.group(0).capitalize()) == len(m.group(0))
                              else m.group(0), line)
            out.append(fixed if len(fixed) == len(line) else line)
        else:
            out.append(line)
    return "".join(out)


_COMMON_ACRONYMS = frozenset("""
ASAP ATM SSN IBAN PIN ID DOB SMS MMS GPS FAQ CEO CFO OK TV PDF URL USB DNA HIV AIDS COVID
RSVP FYI BTW LOL OMG NB PS AM PM ETA VAT TBD TBA IOU DIY AKA IT HR PR QA
""".split())


def _trim_lowercase_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing lower-case ordinary English words from a name span."""
    gaz = gazetteer()
    while True:
        cut = text.rfind(" ", start, end)
        if cut <= start:
            return start, end
        last = text[cut + 1:end]
        verb_like = last.endswith(("ed", "ing")) or last in STOP_WORDS
        if not (last.islower() and gaz.is_english(last)
                and (verb_like or not gaz.is_name_part(last))):
            return start, end
        end = cut


_MONTH_FIRST = re.compile(r"(?:January|February|March|April|May|June|July|August|September|"
                          r"October|November|December)[ \t]+(?=\S)")


def _trim_month(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a month name that opens a person's span ("March Serhiy's" -> "Serhiy's")."""
    m = _MONTH_FIRST.match(text, start, end)
    return (m.end(), end) if m else (start, end)


def _line_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The first line of a span, and later lines of at least two words."""
    out, pos = [], start
    for i, line in enumerate(text[start:end].split("\n")):
        a = pos + len(line) - len(line.lstrip())
        b = pos + len(line.rstrip())
        if b > a and (i == 0 or len(line.split()) >= 2):
            out.append((a, b))
        pos += len(line) + 1
    return out


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
        self._engine = _LoadedSpacyEngine(self.nlp, package)
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.load_predefined_recognizers(languages=["en"], nlp_engine=self._engine)
        # Replace Presidio's NER recognizer by one that also reports organisations.
        registry.recognizers = [r for r in registry.recognizers
                                if not isinstance(r, SpacyRecognizer)]
        registry.add_recognizer(SpacyRecognizer(
            supported_language="en", ner_strength=_NER_SCORE,
            supported_entities=["PERSON", "LOCATION", "ORGANIZATION", "DATE_TIME", "NRP"]))
        self._gazetteer = gazetteer()
        # libphonenumber recompiles its metadata regexes through re's small cache, which
        # the per-document form regexes keep flushing; keep its compiled patterns instead.
        phone_re_util.enable_pattern_cache()
        registry.recognizers = [_DigitGatedPhone(r) if type(r) is PhoneRecognizer else _fast_url(r)
                                for r in registry.recognizers]
        for rec in testimony_recognizers() + list_recognizers() + _policy_recognizers(policy):
            registry.add_recognizer(rec)
        self._registry = registry
        self._analyzer = _Analyzer(
            registry=registry, nlp_engine=self._engine, supported_languages=["en"],
            context_aware_enhancer=_FastContextEnhancer(context_prefix_count=6,
                                                        context_suffix_count=2))
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
        if isinstance(rec, _FormsRecognizer):
            return rec
        policy = self.policy
        removed = [e for e in rec.supported_entities if policy.action(e) != "keep"]
        if not removed:
            return None
        floor = min(policy.threshold(e) for e in removed)
        if isinstance(rec, RegexRecognizer):
            return rec.scoring_at_least(floor)
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
            for off, chunk in _chunks(t):
                pieces.append((i, off, chunk))
                remaining[i] += 1
        per_text: list[list[Detection]] = [[] for _ in texts]
        next_out = 0
        total, done = sum(len(c) for _, _, c in pieces), 0
        for (i, off, chunk), artifacts in self._ner(pieces, batch_size):
            results = self._analyzer.analyze(chunk, "en", nlp_artifacts=artifacts)
            per_text[i].extend(self._to_detections(results, off, chunk))
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
        return _truecase_caps(truecase(text, self._gazetteer))

    def detect_patterns(self, text: str, *, kept_types: bool = True) -> list[Detection]:
        """Only pattern, list and policy recognizers, without NER or context boosts.

        ``kept_types=False`` (verification) skips the recognizers that can only
        find entity types the policy keeps: their findings would be kept anyway.
        """
        out = []
        for rec in self._pattern_recognizers if kept_types else self._verify_recognizers:
            try:
                results = rec.analyze(text, rec.supported_entities, None)
            except Exception:  # Presidio recognizers that need NLP artifacts
                continue
            out.extend(self._to_detections(results or [], 0, text))
        return sorted(out, key=lambda d: (d.start, -d.end))

    @staticmethod
    def _to_detections(results: Iterable[Any], offset: int, text: str) -> list[Detection]:
        out = []
        for r in results:
            start, end = r.start, r.end
            # NER spans may carry line breaks at their edges; a replacement must not eat them.
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            # ...and sentence punctuation glued to the last word ("Hama." at a sentence end).
            if end - start > 2 and text[end - 1] in ".,;:!?" and text[end - 2].islower():
                end -= 1
            if start == end:
                continue
            meta = r.recognition_metadata or {}
            rule = meta.get("rule") or meta.get(r.RECOGNIZER_NAME_KEY) or "unknown"
            if rule == "SpacyRecognizer":
                rule = "ner"
            pieces = [(start, end)]
            if rule == "ner" and "\n" in text[start:end]:
                # The model sometimes runs a name into the next line ("Erica Sultygov\nPhone").
                pieces = _line_pieces(text, start, end)
            if rule == "ner" and r.entity_type == "PERSON":
                # ...or, in a lower-case transcript, into the verb after it ("aslan called")
                pieces = [_trim_lowercase_words(text, a, b) for a, b in pieces]
            if r.entity_type == "PERSON":
                # a name does not start with the month before it ("2 March Serhiy")
                pieces = [_trim_month(text, a, b) for a, b in pieces]
            if r.entity_type in ("PERSON", "PROPER_NOUN", "LOCATION"):
                # "Serhiy's wife": the possessive stays in the text ("Person E's wife")
                pieces = [(a, b - 2) if b - a > 3 and text[b - 2:b] in ("'s", "’s") else (a, b)
                          for a, b in pieces]
            if rule == "ner" and text[start:end].upper() in _COMMON_ACRONYMS:
                continue  # "ASAP", "ATM", "IBAN" tagged as organisations identify no one
            for a, b in pieces:
                out.append(Detection(a + offset, b + offset, r.entity_type,
                                     round(float(r.score), 4), str(rule)))
        return out
