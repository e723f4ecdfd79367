"""Recognizers for what identifies a witness and that Presidio's defaults miss.

Two kinds. :class:`RegexRecognizer` is a Presidio ``LocalRecognizer`` built
from regular expressions (:class:`Rule`) with an optional named group ``id``:
when the group is present, only the group is reported (so ``passport no. 4511
233412`` reports the number, not the words before it). Context words raise the
score through Presidio's context enhancer, exactly as for Presidio's own pattern
recognizers. The testimony recognizers are such recognizers, loaded from the
table of :mod:`redact.detect.rules`. The word-list recognizers
(:func:`list_recognizers`) scan words against the gazetteer: names, places,
unknown proper nouns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.bodies import BODY_HEADS
from redact.detect.first_chars import guarded
from redact.detect.places import demonyms
from redact.detect.positions import vehicle_make
from redact.detect.rules import MONTHS, TESTIMONY_RULES, Rule
from redact.detect.rules import WORD_START as _WORD_START  # noqa: F401 - for the rule tests
from redact.detect.rules import WORD_TITLES as _WORD_TITLES  # noqa: F401 - for the rule tests
from redact.detect.rules import literal_alternation as literal_alternation
from redact.detect.validators import lower_line
from redact.detect.vocabulary import (
    CHAT_WORDS,
    FAMILY_TERMS,
    FEAST_WORDS,
    INTERJECTIONS,
    KINSHIP_WORDS,
    NAME_TITLES,
    PEOPLES,
    RANK_WORDS,
    RANKS,
    UNIT_WORDS,
    WEEKDAYS,
)

__all__ = ["Rule", "RegexRecognizer", "testimony_recognizers", "list_recognizers",
           "NAME_TITLES", "KINSHIP_WORDS", "RANKS"]


@dataclass
class _Compiled:
    rule: Rule
    pattern: re.Pattern[str] = field(init=False)
    #: the groups that hold what to remove ("id", "id2" ...), in order
    ids: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.pattern = guarded(self.rule.regex, self.rule.flags)
        self.ids = tuple(sorted((g for g in self.pattern.groupindex
                                 if g == "id" or g[:2] == "id" and g[2:].isdigit()),
                                key=lambda g: (len(g), g)))


class RegexRecognizer(LocalRecognizer):
    """A Presidio recognizer from :class:`Rule` patterns; reports group ``id`` (or ``id2``,
    ``id3`` ... where branches of a pattern name them apart) if present."""

    def __init__(self, name: str, entity: str, rules: Sequence[Rule],
                 context: Sequence[str] | None = None, language: str = "en") -> None:
        self._compiled = [_Compiled(r) for r in rules]
        super().__init__(supported_entities=[entity], supported_language=language,
                         name=name, context=list(context or []))

    def load(self) -> None:  # noqa: D102 - nothing to load
        pass

    def scoring_at_least(self, floor: float) -> RegexRecognizer | None:
        """This recognizer with only the rules that score ``floor`` or more (None if no
        rule does): verification drops findings below the policy's threshold anyway."""
        import copy

        kept = [c for c in self._compiled if c.rule.score >= floor]
        if len(kept) == len(self._compiled):
            return self
        if not kept:
            return None
        out = copy.copy(self)
        out._compiled = kept
        return out

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        """Run every rule over ``text``; results carry the rule name for reports."""
        results: list[RecognizerResult] = []
        entity = self.supported_entities[0]
        for comp in self._compiled:
            for m in comp.pattern.finditer(text):
                # the part to remove: the group "id" (or "id2", "id3" in another branch of
                # the pattern), else the whole match
                group = next((g for g in comp.ids if m.group(g) is not None), None)
                start, end = m.span(group) if group else m.span()
                if comp.rule.trim is not None:
                    end = comp.rule.trim(text, start, end)
                # Trim trailing punctuation and whitespace a greedy pattern took.
                while end > start and text[end - 1] in " \t\n.,;:-/":
                    end -= 1
                if end <= start:
                    continue
                if comp.rule.validate and not comp.rule.validate(text[start:end], m):
                    continue
                expl = AnalysisExplanation(recognizer=self.name, original_score=comp.rule.score,
                                           pattern_name=comp.rule.name,
                                           pattern=comp.rule.regex)
                results.append(RecognizerResult(
                    entity_type=entity, start=start, end=end, score=comp.rule.score,
                    analysis_explanation=expl,
                    recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                          RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                          "rule": f"{self.name}:{comp.rule.name}"}))
        return results


def testimony_recognizers(language: str = "en") -> list[LocalRecognizer]:
    """The recognizers ``redact`` adds to Presidio's predefined ones (from the table
    :data:`redact.detect.rules.TESTIMONY_RULES`)."""
    return [RegexRecognizer(spec.name, spec.entity, spec.rules, context=spec.context,
                            language=language) for spec in TESTIMONY_RULES]


# ---- word-list recognizers -----------------------------------------------------------

_MONTH_WORD = re.compile(MONTHS, re.IGNORECASE)
_LIST_WORD = r"[^\W\d_][\w'’\-]*"
_NAME_LIST = re.compile(rf"{_LIST_WORD}(?:,[ \t]+(?:and[ \t]+)?{_LIST_WORD}){{1,}}"
                        rf"(?:,?[ \t]+(?:and|&)[ \t]+{_LIST_WORD})?")
_LIST_ITEM = re.compile(_LIST_WORD)


#: Characters between two words that make the second one start a sentence (or a line).
_SENTENCE_BREAKS = frozenset(".!?\n:\"“•>|")


@functools.lru_cache(maxsize=4)
def _words_of(text: str) -> tuple[tuple[int, int, str, bool, bool], ...]:
    """(start, end, word, at sentence start, joined to the previous word by spaces only:
    not a tab, which parts a sheet's cells).

    The three list recognizers run one after the other on the same text, so the
    last few texts' words are kept.
    """
    from redact.detect.gazetteer import WORD

    out: list[tuple[int, int, str, bool, bool]] = []
    last = 0
    for m in WORD.finditer(text):
        if m.start() and text[m.start() - 1].isdigit():
            continue  # "2ND", "5th", "10kg": no word of their own
        gap = text[last:m.start()]
        starts = last == 0 or not _SENTENCE_BREAKS.isdisjoint(gap)
        joined = bool(out) and gap != "" and gap.strip(" ") == ""  # (a tab parts cells)
        out.append((m.start(), m.end(), m.group(0), starts, joined))
        last = m.end()
    return tuple(out)


class _ListRecognizer(LocalRecognizer):
    """Base for recognizers that scan words against the gazetteer."""

    ENTITY = ""

    def __init__(self, name: str, language: str = "en") -> None:
        from redact.detect.gazetteer import gazetteer

        self.gaz = gazetteer()
        super().__init__(supported_entities=[self.ENTITY], supported_language=language,
                         name=name)

    def load(self) -> None:  # noqa: D102
        pass

    def _result(self, start: int, end: int, score: float, rule: str) -> RecognizerResult:
        return RecognizerResult(entity_type=self.ENTITY, start=start, end=end, score=score,
                                recognition_metadata={
                                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                    "rule": f"gazetteer:{rule}"})




class PlaceListRecognizer(_ListRecognizer):
    """Countries (any case) and cities of 15,000+ people whose names are not English words."""

    ENTITY = "LOCATION"

    def __init__(self, name: str, language: str = "en") -> None:
        super().__init__(name, language)
        #: first words of the places of several words: no other word can start one
        self._firsts = frozenset(k.split(" ", 1)[0] for k in self.gaz.countries | self.gaz.cities
                                 if " " in k)
        #: every word a place can start with (most words are none: skipped at once)
        self._starts = self._firsts | self.gaz.countries | self.gaz.cities

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        gaz, words, out = self.gaz, _words_of(text), []
        i = 0
        starts = self._starts
        while i < len(words):
            low = words[i][2].casefold()
            if low not in starts:  # no place, of one word or more, starts with it
                i += 1
                continue
            hit = None
            longest = 1 if low not in self._firsts else gaz.max_place_words
            for n in range(min(longest, len(words) - i), 0, -1):
                if n > 1 and not all(words[i + k][4] for k in range(1, n)):
                    continue
                key = low if n == 1 else " ".join(w[2] for w in words[i:i + n]).casefold()
                if key in gaz.countries:
                    hit = (n, 0.7, "country")
                    break
                if key in gaz.cities:
                    lower = words[i][2].islower()
                    hit = (n, 0.45 if lower else 0.6, "city")
                    break
            if hit:
                n, score, rule = hit
                out.append(self._result(words[i][0], words[i + n - 1][1], score, rule))
                i += n
            else:
                i += 1
        return out




class NameListRecognizer(_ListRecognizer):
    """First names (and the surnames after them) from the names gazetteer.

    Evidence is weighed: a first name followed by a surname is strong; a lone
    first name that is not an English word is good mid-sentence and weaker at
    a sentence start or in lower case; a first name that is also an English
    word ("Rose", "Will") counts only before a surname.
    """

    ENTITY = "PERSON"

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        gaz, words = self.gaz, _words_of(text)
        out = self._surnames(words) + self._lists(text)
        i = 0
        while i < len(words):
            start, end, w, at_start, _ = words[i]
            low = w.casefold()
            # (in lower case no word of two letters: "sa", "ng", "de", "su" are in name lists)
            if low not in gaz.first_names or len(w) < (2 if w[:1].isupper() else 3) or \
                    low in STOP_WORDS or \
                    low in RANK_WORDS or low in FAMILY_TERMS or low in ("am", "pm") or (
                    w.islower() and low in UNIT_WORDS) or (
                    low in FEAST_WORDS or low in WEEKDAYS) or (
                    w.islower() and low in CHAT_WORDS) or low in INTERJECTIONS or (
                    w.isupper() and gaz.is_common(w)) or (  # "WITNESS", "NOTE" in capitals
                    vehicle_make(text, start, w)):  # "a grey Lada"
                i += 1
                continue
            cap = w[0].isupper()
            eng = gaz.is_english(w) or gaz.is_common(w)
            # surnames (or further given names) directly after it, in the same case style
            j = i + 1
            while j < len(words) and j - i < 3 and words[j][4]:
                nxt = words[j][2]
                if nxt.casefold() in STOP_WORDS or nxt[0].isupper() != cap or \
                        not cap and len(nxt) < 3 or \
                        cap and nxt.casefold() in BODY_HEADS or \
                        nxt.casefold() in gaz.countries and nxt.casefold() not in gaz.first_names \
                        or \
                        nxt.casefold().endswith(("n't", "n’t")):
                    break  # "kian didn't": no surname
                known = gaz.is_name_part(nxt)
                if not known and (gaz.is_english(nxt) or low in gaz.cities or
                                  low in gaz.countries):
                    break  # "Nairobi CBD": a city's part, no one's surname
                if gaz.is_english(nxt) and not (cap and known):
                    break
                j += 1
            if j > i + 1:
                score = (0.65 if cap else 0.5) if not eng else (
                    0.45 if cap else (0.4 if not gaz.is_english(words[j - 1][2]) else 0.0))
                if score:
                    out.append(self._result(start, words[j - 1][1], score, "full_name"))
                i = j
                continue
            # a place, or a people ("Romani", "Tamil", "Nepali"): the model and the sweep
            # judge those by their context
            place = low in gaz.countries or low in gaz.cities or low in PEOPLES or \
                low in demonyms()
            if not eng and not place:
                # a lower-case word that only a name list knows (no dictionary word, no
                # place) is a name in a lower-case line ("conor makes millions"); in a
                # cased one it is as often an abbreviation or a handle ("vk", "ig")
                score = (0.5 if lower_line(text, start) else 0.4) if not cap else (
                    0.5 if at_start else 0.55)
                out.append(self._result(start, end, score, "first_name"))
            elif cap and not at_start and not place and not _MONTH_WORD.fullmatch(w):
                # "Heather", "Rose", "Will" mid-sentence: weak evidence (strict policies).
                out.append(self._result(start, end, 0.35, "first_name_word"))
            i += 1
        return out

    def _lists(self, text: str) -> list[RecognizerResult]:
        """Every item of a list of names ("They had 6: Daavid, Elizabeth, Nicholas and Sean")
        once most of its items are known names."""
        gaz, out = self.gaz, []
        for m in _NAME_LIST.finditer(text):
            items = [(i.start(), i.end(), i.group(0)) for i in _LIST_ITEM.finditer(m.group(0))]
            items = [(a + m.start(), b + m.start(), w) for a, b, w in items
                     if w.casefold() not in STOP_WORDS]
            known = sum(gaz.is_name_part(w) for _, _, w in items)
            if len(items) >= 3 and known * 3 >= len(items) * 2:
                # not the ordinary words beside the names ("zura, maybe Zurab ..."): a
                # dictionary word that no name list knows (a name list's "palmer", "rose"
                # stays one of the names, whatever its case)
                out.extend(self._result(a, b, 0.5, "name_list") for a, b, w in items
                           if not _MONTH_WORD.fullmatch(w)
                           and w.casefold() not in gaz.countries
                           and w.casefold() not in gaz.cities  # "summary, Gaziantep, ..."
                           and (gaz.is_name_part(w) or not gaz.is_common(w)))
        return out

    def _surnames(self, words: list[tuple[int, int, str, bool, bool]]) -> list[RecognizerResult]:
        """Capitalised surnames standing alone ("Hermansen and Lowery were ...")."""
        gaz, out = self.gaz, []
        for start, end, w, at_start, _ in words:
            low = w.casefold()
            if (w[0].isupper() and not w.isupper() and low in gaz.last_names
                    and low not in gaz.first_names and not gaz.is_english(w)
                    and low not in gaz.countries and low not in gaz.cities
                    and low not in STOP_WORDS and len(w) > 2):
                out.append(self._result(start, end, 0.4 if at_start else 0.45, "surname"))
        return out


class ProperNounRecognizer(_ListRecognizer):
    """Capitalised words that are no English word, no known name and no known place.

    "Itriage", "Vaynakh", "Grozneft": brand, company, clan or place names the
    model has never seen. Weak evidence (entity ``PROPER_NOUN``): policies that
    remove everything that might identify (strict.yaml) act on it.
    """

    ENTITY = "PROPER_NOUN"
    #: the highest score it gives (verification skips it when the threshold is higher)
    MAX_SCORE = 0.35

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        gaz, out = self.gaz, []
        for start, end, w, at_start, _ in _words_of(text):
            if len(w) < 3 or not w[0].isupper() or (w.isupper() and len(w) <= 4):
                continue
            low = w.casefold()
            if (gaz.is_english(w) or gaz.is_common(w) or low in STOP_WORDS or gaz.is_name_part(w)
                    or low in gaz.countries or low in gaz.cities or _MONTH_WORD.fullmatch(w)):
                continue
            out.append(self._result(start, end, 0.3 if at_start else 0.35, "unknown_word"))
        return out


def list_recognizers(language: str = "en") -> list[LocalRecognizer]:
    """Recognizers backed by the gazetteer (names, places, unknown proper nouns)."""
    return [PlaceListRecognizer("PlaceListRecognizer", language),
            NameListRecognizer("NameListRecognizer", language),
            ProperNounRecognizer("ProperNounRecognizer", language)]
