"""Recognizers for what identifies a witness and that Presidio's defaults miss.

Each recognizer is a Presidio ``LocalRecognizer`` built from regular
expressions with an optional named group ``id``: when the group is present,
only the group is reported (so ``passport no. 4511 233412`` reports the number,
not the words before it). Context words raise the score through Presidio's
context enhancer, exactly as for Presidio's own pattern recognizers.

Rules here must make sense for real statements, not for a benchmark: each one
is written from the way people describe themselves and others in testimony.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from presidio_analyzer import AnalysisExplanation, LocalRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from spacy.lang.en.stop_words import STOP_WORDS

__all__ = ["Rule", "RegexRecognizer", "testimony_recognizers", "NAME_TITLES", "KINSHIP_WORDS",
           "RANKS"]

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
           r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DATE = (r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}|"
         rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+\d{{4}}|"
         rf"{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{_MONTHS}\s+\d{{4}}|\d{{4}})")

#: Titles and honorifics that precede a name (lower case, without the dot).
NAME_TITLES = frozenset("""
mr mrs ms miss mx dr prof sir madam madame mme mlle herr frau sr sra srta don dona
sheikh shaikh imam mullah haji hajji hajj ustaz ustad mufti qadi
""".split())

#: Kinship and relationship words after which a capitalised word is a name.
KINSHIP_WORDS = frozenset("""
uncle aunt auntie aunty cousin brother sister nephew niece son daughter husband wife
father mother dad mum mom grandfather grandmother grandpa grandma granddad granny
stepfather stepmother stepson stepdaughter brother-in-law sister-in-law father-in-law
mother-in-law son-in-law daughter-in-law fiance fiancee fiancé fiancée boyfriend girlfriend
partner friend neighbour neighbor colleague classmate roommate flatmate boss employer
lawyer driver interpreter boy girl kid child baby
""".split())

#: Ranks are also ordinary words ("a major city"): they count only when capitalised.
RANKS = frozenset("Commander Officer Sergeant Lieutenant Captain Major Colonel General "
                  "Inspector Investigator Warden Judge Prosecutor".split())

_NAME_TOKEN = r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*"
#: An initial ("G.", "Dzh.") before a name: "Mr G. Ravnsborg", "A. K. Kovalenko".
_INITIALS = r"(?:[A-Z\u00C0-\u024F\u0400-\u04FF][a-z\u0430-\u044f]{0,2}\.[ \t]?){1,3}"
_CAP_NAME = rf"(?:{_INITIALS})?{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}}"


def literal_alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (lower-case literals), shaped as a trie.

    It matches what ``"|".join(longest first)`` matches, and at each position the
    same word: the words that match there are prefixes of one another, and both
    try them longest first. Python's ``re`` tries every branch of a flat
    alternation at every position; the trie tries one letter per branch, so a
    list of 150 words costs a few checks instead of 150 (5x faster here).
    Lower-case words only, each letter the lower case of its own capital (not
    "ſ", "ı", "ß"): under IGNORECASE two such letters never match the same
    character, which keeps the trie's branches exclusive.
    """
    tree: dict[str, Any] = {}
    for w in words:
        if not w or any(ch.upper().lower() != ch for ch in w):
            raise ValueError("literal_alternation takes non-empty lower-case words")
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


#: Where ``\b`` is followed by a word character: a rule whose first character is a word
#: character matches the same with this in front of it instead of ``\b``, but positions
#: inside and at the end of words fail at once (2-4x faster for rules of many branches).
_WORD_START = r"(?<!\w)(?=\w)"
_WORD_TITLES = literal_alternation(NAME_TITLES | KINSHIP_WORDS)
_RANKS = "|".join(sorted(RANKS, key=len, reverse=True))
#: A capitalised word that is not a sentence-initial function word ("In", "The", "My" ...).
_PROPER = (r"(?!(?:In|At|From|The|To|Of|On|And|Near|Outside|Inside|By|For|With|A|An|This|That|"
           r"My|His|Her|Our|Their|Its|We|They|He|She|I|It|Then|When|After|Before)\b)"
           r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*")
_PROPER_NAME = rf"{_PROPER}(?:\s+{_PROPER}){{0,2}}"
_ORG_NAME = (r"(?:[0-9]?[A-Z\u00C0-\u024F][\w'’&\-]*)(?:\s+(?:of\s+|and\s+|&\s+)?"
             r"[0-9]?[A-Z\u00C0-\u024F][\w'’&\-]*){0,3}")
_PLACE_NAME = (r"(?:[^\W\d_][\w'’\-]*)(?:\s+(?:[A-Z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]"
               r"[\w'’\-]*)){0,3}")
_PLACE_WORDS = (r"village|town|settlement|hamlet|district|province|region|oblast|raion|rayon|"
                r"governorate|county|municipality|aul|kishlak|neighbourhood|neighborhood|quarter|"
                r"suburb|camp|refugee\s+camp|checkpoint|valley|gorge")
_ORG_WORDS = (r"secondary\s+school|primary\s+school|high\s+school|school|university|college|"
              r"academy|hospital|clinic|factory|plant|company|corporation|hotel|restaurant|cafe|"
              r"café|shop|store|market|bazaar|mosque|church|prison|detention\s+cent(?:re|er)|"
              r"shelter|cent(?:re|er)|institute|bank|farm|ltd\.?|llc|w\.l\.l\.?|inc\.?|gmbh|"
              r"contracting|manpower|trading|construction|services|group|agency|foundation|"
              r"association|brigade|battalion|regiment|directorate|ministry|council|committee|club|"
              r"incorporated|consulting|solutions|partners|studio|labs?|app")


@dataclass(frozen=True)
class Rule:
    """One regular expression of a :class:`RegexRecognizer`."""

    name: str
    regex: str
    score: float
    flags: int = 0
    #: extra check on the reported text; False drops the match
    validate: Callable[[str, re.Match[str]], bool] | None = None


@dataclass
class _Compiled:
    rule: Rule
    pattern: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.pattern = re.compile(self.rule.regex, self.rule.flags)


class RegexRecognizer(LocalRecognizer):
    """A Presidio recognizer from :class:`Rule` patterns; reports group ``id`` if present."""

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
                if "id" in comp.pattern.groupindex and m.group("id") is not None:
                    start, end = m.span("id")
                else:
                    start, end = m.span()
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


# ---- validators --------------------------------------------------------------------

_DATE_LIKE = re.compile(r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$")
_TIME_LIKE = re.compile(r"^\d{1,2}[.:]\d{2}$")


def _digits(s: str) -> int:
    return sum(c.isdigit() for c in s)


_EXTENSION = re.compile(r"\s?(?:x|ext\.?)\s?\d{1,6}$", re.IGNORECASE)
_DATE_START = re.compile(r"^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})(?!\d)")


def _phone_ok(s: str, m: re.Match[str]) -> bool:
    s = _EXTENSION.sub("", s)
    if _DATE_START.match(s.lstrip("+( ")):
        return False
    n = _digits(s)
    if not 7 <= n <= 15 or _DATE_LIKE.match(s.strip()) or _TIME_LIKE.match(s.strip()):
        return False
    # A plain run of digits is an ID or a phone; let ID rules have it unless it has a "+".
    groups = re.split(r"[\s.\-()]+", s.strip("+() "))
    return len([g for g in groups if g]) >= 2 or s.startswith("+")


def _introduced_phone_ok(s: str, m: re.Match[str]) -> bool:
    """After "phone"/"call"/"WhatsApp", a plain run of 7-15 digits is a phone number too."""
    s = _EXTENSION.sub("", s)
    return 7 <= _digits(s) <= 15 and not _DATE_START.match(s.lstrip("+( ")) \
        and not _DATE_LIKE.match(s.strip())


def _not_stopword_name(s: str, m: re.Match[str]) -> bool:
    first = s.split()[0].strip("'’\"").lower()
    return first not in STOP_WORDS and first not in NAME_TITLES and first not in KINSHIP_WORDS \
        and len(first) > 1


def _surnames_firm(s: str, m: re.Match[str]) -> bool:
    """ "Jones, Mitchell and Williams": most parts are surnames that are not first names."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    parts = [p.casefold() for p in re.findall(r"[^\W\d_][\w'’\-]*", s) if p.lower() != "and"]
    sur = sum(p in gaz.last_names and p not in gaz.first_names for p in parts)
    return sur * 2 > len(parts)


def _place_name_ok(s: str, m: re.Match[str]) -> bool:
    """A place after "lives in": capitalised (or an unknown lower-case word), not a pronoun."""
    from redact.detect.gazetteer import gazetteer

    first = s.split()[0]
    low = first.casefold()
    if low in STOP_WORDS or low in {"here", "there", "peace", "fear", "hiding", "exile", "prison",
                                    "detention", "custody", "poverty", "town", "city"}:
        return False
    return first[0].isupper() or not gazetteer().is_english(first)


def _street_lead_ok(s: str, m: re.Match[str]) -> bool:
    """"Långlöt 44 Horký Street": the word before the number is a name, not "took"."""
    from redact.detect.gazetteer import gazetteer

    first = s.split()[0]
    return first.casefold() not in STOP_WORDS and not gazetteer().is_english(first)


def _speaker_ok(s: str, m: re.Match[str]) -> bool:
    """A speaker label in a transcript ("Ruslan:"), not a field label ("Date:", "Q:")."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    words = s.split()
    return all(len(w) > 1 and w.casefold() not in STOP_WORDS for w in words) and (
        not gaz.is_english(words[0]) or gaz.is_name_part(words[0]) and words[0][0].isupper()) \
        and words[0].casefold() not in _FIELD_LABELS


def _intro_name_ok(s: str, m: re.Match[str]) -> bool:
    """The name after "my name is": not an ordinary word ("my name is not important")."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    first = s.split()[0]
    return first.casefold() not in STOP_WORDS and (
        not gaz.is_english(first) or gaz.is_name_part(first))


_FIELD_LABELS = frozenset("""
name address phone tel email date time when where note notes subject title re to from cc
witness interviewer translator location place age sex gender dob id passport summary q a
question answer comment comments source case statement file user agent status re fwd
author editor reporter creator owner manager company category keywords producer photographer
credit caption via photo image video lastmodifiedby modified created version warning error
""".split())


def _mostly_latin_text(s: str, m: re.Match[str]) -> bool:
    """Only inside a text that is mostly in Latin script (an English statement)."""
    text = m.string
    window = text[max(0, m.start() - 400):m.end() + 400]
    letters = [c for c in window if c.isalpha()]
    latin = sum(c.isascii() or "\u00C0" <= c <= "\u024F" for c in letters)
    return latin >= 0.6 * len(letters)


def _epithet_ok(s: str, m: re.Match[str]) -> bool:
    """ "called him the Boxer": a capitalised word after "called (him)", not "called the
    Police" (a common word needs the pronoun: who was called is a person)."""
    from redact.detect.gazetteer import gazetteer

    first = s.split()[0]
    if first.casefold() in STOP_WORDS or first.casefold() in NAME_TITLES:
        return False
    pronoun = re.search(r"(?i)\b(?:him|her|me|himself|herself|themselves|them|us|other)\s+"
                        r"(?:the\s+)?$", m.string[m.start():m.start("id")])
    # "whom we called the Butcher", "who everyone calls Tarzan": a naming clause
    naming = re.search(r"(?i)\b(?:whom|who|that|one|man|woman|guy)\s+(?:we|they|everyone|"
                       r"everybody|people|the\s+\w+|all)\s+$", m.string[max(0, m.start() - 40):
                                                                       m.start()])
    return bool(pronoun or naming) or not gazetteer().is_common(first)


#: Words people are addressed by that are no one's name ("hey man", "thanks guys").
_ADDRESS_TERMS = frozenset("""
man men guy guys dude dudes bro bros bruh brother sister sis mate mates buddy pal baby babe
love girl girls boy boys lady ladies sir madam god lord jesus everyone everybody all you
there team folks friend friends people fam honey dear darling mom mum dad mama papa son
""".split())


def _vocative_ok(s: str, m: re.Match[str]) -> bool:
    """The word after "hey", "thanks", "poor" is a name: a known first name or a word no
    dictionary knows, not a way of addressing anyone ("hey man", "thanks everyone")."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    low = s.casefold()
    if low in _ADDRESS_TERMS or low in STOP_WORDS or len(low) < 3:
        return False
    return low in gaz.first_names or not gaz.is_common(s)


def _lower_workplace_ok(s: str, m: re.Match[str]) -> bool:
    """A named workplace in a lower-case line: words before the kind that are no function
    words ("oil institute", "brick factory"), not "the institute" or "his old school"."""
    words = s.split()[:-1]
    return bool(words) and _lower_line(m.string, m.start()) and not any(
        w.casefold() in STOP_WORDS or w.casefold() in _VAGUE for w in words)


#: Adjectives that say which of many, not which one ("the old factory", "a big market").
_VAGUE = frozenset("old new big small local main central same other first second last "
                   "nearest next another whole".split())


def _lower_epithet_ok(s: str, m: re.Match[str]) -> bool:
    """In a lower-case chat, "the one they call bulldog", "he calls himself lysyi": the
    word after a naming clause or "call him" is a nickname, dictionary word or not."""
    if s.casefold() in STOP_WORDS or s.casefold() in _ADDRESS_TERMS or not _lower_line(
            m.string, m.start()):
        return False
    head = m.string[max(0, m.start() - 40):m.start("id")]
    return bool(re.search(r"(?:him|her|me|himself|herself|them|us)\s+(?:the\s+)?$", head)
                or re.search(r"(?:whom|who|that|one|man|woman|guy)\s+(?:we|they|everyone|"
                             r"everybody|people|all)\s+(?:call|calls|called)\s+(?:the\s+)?$",
                             head))


def _initial_surname_ok(s: str, m: re.Match[str]) -> bool:
    """ "G. Ravnsborg", not "I. The" or a sentence ending in a capital letter."""
    from redact.detect.gazetteer import gazetteer

    last = s.replace(".", " ").split()[-1]
    return last.casefold() not in STOP_WORDS and not gazetteer().is_common(last)


def _id_ok(s: str, m: re.Match[str]) -> bool:
    return _digits(s) >= 3 and len(s) <= 24


def _generic_id_ok(s: str, m: re.Match[str]) -> bool:
    if _DATE_LIKE.match(s) or re.fullmatch(r"(?:1[89]|20)\d\d", s):
        return False
    return _digits(s) >= 5


def _handle_ok(s: str, m: re.Match[str]) -> bool:
    low = s.lower()
    if low in STOP_WORDS or len(s) < 3:
        return False
    explicit = bool(m.groupdict().get("kw")) or ":" in m.group(0) or "@" in m.group(0)
    return explicit or any(c.isdigit() or c in "_." for c in s)


def _plate_ok(s: str, m: re.Match[str]) -> bool:
    return any(c.isdigit() for c in s) and any(c.isalpha() for c in s) and len(s) >= 4


# ---- street addresses ----------------------------------------------------------------

_ST_SUFFIX = (r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Place|Pl|"
              r"Square|Sq|Way|Terrace|Highway|Hwy|Parkway|Pkwy|Alley|Row|Crescent|Close|Gardens|"
              r"Str|Embankment|Quay|Prospekt|Ulitsa)")
_NUMBER_STREET = (r"\b\d{1,5}[A-Za-z]?(?:[ \t]+\d{1,5}[A-Za-z]?)?,?\s+"
                  r"(?:[A-Z\u00C0-\u024F][\w'’.\-]*\s+){0,3}"
                  rf"{_ST_SUFFIX}\b\.?")
_STREET_NUMBER = (r"\b(?:[A-Z\u00C0-\u024F][\w'’.\-]*\s+){1,3}(?:Street|St\.|Avenue|Ave\.?|Road|"
                  r"Rd\.?|Lane|Boulevard|Blvd\.?|Str\.?|Ulitsa|ul\.|Prospekt|pr\.)"
                  r",?\s*(?:No\.?\s*)?\d{1,5}[A-Za-z]?(?:/\d{1,4})?\b")
#: (The lookahead only makes it fast: a word not followed by a number is dropped before the
#: suffixes are tried at each of its letters. Suffix letters and "." are all in its class.)
_COMPOUND_STREET = (r"\b(?=[^\W\d_][\w'’.\-]*\s+\d)"
                    r"[^\W\d_][\w'’\-]*(?:stra(?:ss|ß)e|str\.|gasse|weg|veien|vegen|vej|"
                    r"gata|gatan|gade|laan|straat|plein|allee|ulitsa|utca|tie|katu|v[aä]gen|"
                    r"plaats|kade|gracht|dreef|singel|torget|bakken|dalen|lund|rinne|kuja|polku)"
                    r"\s+\d{1,5}[A-Za-z]?\b")
_ROMANCE_STREET = (r"\b(?:\d{1,5},?\s+){0,2}(?:Calle|Rue|Via|Viale|Avenida|Av\.|Rua|Plaza|Pra[cç]a|"
                   r"Carrer|Ulica|Ul\.|Strada|Odos|Sokak|Cadde(?:si)?|place|rue)\s+"
                   r"(?:[\w'’.\-]+\s+){0,4}?\d{1,5}[A-Za-z]?\b")
#: Words that never occur inside a street name but do occur between two numbers in prose.
_NOT_STREET_WORD = (r"(?!(?i:and|or|of|the|in|at|to|for|from|with|on|by|into|than|per|men|women|"
                    r"people|persons?|years?|months?|weeks?|days?|hours?|minutes?|seconds?|times?|"
                    r"km|kg|miles?|metres?|meters?|soldiers|police|officers|children|cars?|was|were|"
                    r"is|are|out|a|an|my|his|her|their|our|who|which|where|when|"
                    rf"{_MONTHS[3:-4]}|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)")
_AWORD = rf"{_NOT_STREET_WORD}[^\W\d_][\w'’.\-]*"
_NUMBER_WORDS_NUMBER = (rf"(?<![\w.,/\-])\d{{1,5}}[A-Za-z]?[ \t]+(?:\d{{1,5}}[ \t]+)?"
                        rf"(?:{_AWORD}[ \t]+){{1,5}}\d{{1,5}}[A-Za-z]?(?:/\d{{1,4}})?\.?"
                        r"(?![\w%/])")
_UNIT = (_WORD_START + r"(?:Apt|Apartment|Flat|Suite|Unit|Room|Floor|Building|Bldg|Block|"
         r"Entrance|kv|"
         r"House|Dom|P\.?\s?O\.?\s?Box|Box|Street|Camp|Zone|Sector|Plot|Compound|Villa|Barracks?|"
         r"Cell)\.?\s*(?:No\.?\s*)?#?\s*\d{1,5}[A-Za-z]?\b")
_MILITARY = (r"\b(?:(?:Unit|PSC)\s+\d{3,5},?\s+Box\s+\d{1,5}|(?:USNS|USNV|USS|USCGC)\s+[A-Z][\w\-]+"
             r"|(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5})\b")
_ADDR_HEAD = (f"(?:{_NUMBER_STREET}|{_STREET_NUMBER}|{_COMPOUND_STREET}|{_ROMANCE_STREET}|"
              f"{_NUMBER_WORDS_NUMBER}|{_MILITARY}|{_UNIT})")
_ADDR_SEP = r"[ \t]*(?:\r?\n[ \t]*(?:(?:\?\?\?|>)[ \t]*)?(?:,[ \t]*)?|,[ \t]*)"
_ADDR_CONT = (rf"(?:{_UNIT}|{_MILITARY}|(?:[A-Z]{{2,3}}[ \t]+)?\d{{4,6}}(?:-\d{{4}})?(?!\w)"
              rf"|(?:[A-Z]{{2,3}}|{_AWORD}(?:[ \t]+{_AWORD}){{0,3}}(?:,?[ \t]+[A-Z]{{2,3}})?"
              r"(?:[ \t]+\d{4,6})?)(?=[ \t]*(?:\r?\n|,|$|\.(?:\s|$)"
              r"|[ \t]+(?i:for|in|last|and|please|to|on|at|so|when|if|because|since|until)\b)))")
#: A street line and the lines (or comma-separated parts) that continue it: unit, city,
#: region code, postcode, country.
_ADDRESS_BLOCK = (rf"{_ADDR_HEAD}(?:[ \t]+{_UNIT})?"
                  rf"(?:(?:{_ADDR_SEP}|(?<=\d)[ \t]+){_ADDR_CONT}){{1,5}}")


#: Street words of the forms witnesses write, before the street's name ("vul. Sadova 12",
#: "ul. Tsadasy 15, kv. 31", "calle 3, casa 27", "Strasse", "sokak", "shari'").
_LOCAL_STREET = (r"(?:vul(?:ytsia|ytsya|itsa)?|ul(?:itsa|ica|\.)?|pr(?:ospekt|osp)?|"
                 r"prov(?:ulok)?|per(?:eulok)?|pl(?:oshcha|oshchad)?|bul(?:var|vard)?|shosse|"
                 r"naberezhnaya|mikrorayon|mkr|kvartal|calle|carrera|cra|avenida|avda|av|rue|"
                 r"strasse|straße|str|ulica|sokak|sok|caddesi|cad|mahallesi|mah|shari'?a?|"
                 r"sharia|rua|via|jalan|jl|transversal|diagonal)")
_HOUSE = (r"(?:[ \t]*,?[ \t]*(?:(?i:no|nr|n°|№|#|d|dom|house|bld|bldg|korpus|k)\.?[ \t]*)?"
          r"\d{1,5}[A-Za-z]?(?:[ \t]*(?:[/-]|(?i:sur|norte|este|oeste|bis))[ \t]*"
          r"\d{0,5}[A-Za-z]?)*(?:[ \t]*[-–][ \t]*\d{1,4})?)")
_FLAT = (r"(?:[ \t]*,?[ \t]*(?i:kv|apt|apartment|flat|casa|apto|apartamento|piso|daire|"
         r"room|rm|block|bl|entrance|pod)\.?[ \t]*(?:no\.?[ \t]*|#[ \t]*)?\d{1,5}[A-Za-z]?)")
_LOCAL_ADDRESS = (rf"{_WORD_START}(?i:{_LOCAL_STREET})\.?[ \t]+"
                  r"(?:(?!(?i:and|or|the|in|on|at|to|from|with|was|is|of)\b)"
                  r"[^\W\d_][\w'’\-]*(?:[ \t]+(?:(?i:de|del|la|los|las|do|da|al|el|ul)[ \t]+)?"
                  r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*){0,2}"
                  rf"{_HOUSE}?|\d{{1,4}}[A-Za-z]?(?:[ \t]+(?i:sur|norte|este|oeste|bis))?"
                  rf"{_HOUSE}?){_FLAT}*")


def _local_address_ok(s: str, m: re.Match[str]) -> bool:
    """A street word then a name or a number: not "via email", "av. 3 km", "str. 5 years"."""
    from redact.detect.gazetteer import gazetteer

    words = s.split()
    if len(words) < 2:
        return False
    second = words[1].strip(".,")
    if second[:1].isdigit():
        return any(c.isdigit() for c in s)
    gaz = gazetteer()
    if second[:1].isupper():
        return True
    # lower case ("vul. tsentralna 23"): a name no dictionary knows, or a house number
    return not gaz.is_common(second) or bool(re.search(r"\d", s))


# ---- the recognizers ---------------------------------------------------------------

_I = re.IGNORECASE
#: Scripts other than Latin whose words (with their combining marks) are names in an
#: English statement: Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai, Lao, Myanmar,
#: Georgian, Hangul, Ethiopic, Kana, Han.
_SCRIPTS = ("\u0370-\u03FF\u0400-\u052F\u0530-\u058F\u0590-\u05FF\u0600-\u06FF\u0750-\u077F"
            "\u0900-\u0DFF\u0E00-\u0EFF\u1000-\u109F\u10A0-\u10FF\u1100-\u11FF\u1200-\u139F"
            "\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF")


def testimony_recognizers(language: str = "en") -> list[LocalRecognizer]:
    """The recognizers ``redact`` adds to Presidio's predefined ones."""
    return [
        RegexRecognizer("TestimonyPhoneRecognizer", "PHONE_NUMBER", [
            Rule("international", r"(?<![\w+])(?:\+|00)\d{1,3}(?:[\s.\-]?\(?\d{1,5}\)?){1,6}"
                 r"(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w])", 0.7, flags=_I, validate=_phone_ok),
            Rule("grouped", r"(?<![\w+.\-/])(?:\(\d{1,5}\)[\s.\-]?)?\d{1,5}(?:[\s.\-]\d{1,5}){1,5}"
                 r"(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w/])", 0.35, validate=_phone_ok),
            Rule("after_keyword", r"(?:phone|mobile|cell|tel|telephone|number|whatsapp|viber|"
                 r"signal|call(?:ed)?|text(?:ed)?|sms)\s*(?:no\.?|number|#)?\s*(?:is|was|:)?\s*"
                 r"(?P<id>\+?[\d(][\d\s.\-()]{5,20}\d)", 0.75, flags=_I,
                 validate=_introduced_phone_ok),
        ], context=["phone", "mobile", "cell", "call", "called", "tel", "telephone", "number",
                    "whatsapp", "viber", "signal", "telegram", "sms", "text", "contact", "fax"],
            language=language),
        RegexRecognizer("MessagingHandleRecognizer", "MESSAGING_HANDLE", [
            Rule("at_handle", r"(?<![\w.@/])@(?P<id>[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,30}"
                 r"[A-Za-z0-9_]))(?![\w@])", 0.7),
            Rule("introduced", _WORD_START + r"(?:telegram|wechat|we chat|signal|whatsapp|viber|"
                 r"skype|instagram|insta|facebook|fb|vk|vkontakte|tiktok|snapchat|twitter|discord|"
                 r"imo|botim|line)(?P<kw>\s+(?:id|handle|account|username|user\s?name|nick(?:name)?"
                 r"))?\s*(?:is|was|:|-|=)?\s*@?(?P<id>[A-Za-z0-9_][A-Za-z0-9_.\-]{2,39})",
                 0.65, flags=_I, validate=_handle_ok),
        ], context=["telegram", "wechat", "signal", "whatsapp", "handle", "username", "account"],
            language=language),
        RegexRecognizer("IdNumberRecognizer", "ID_NUMBER", [
            Rule("introduced", _WORD_START + r"(?:passport|id\s?card|identity\s?card|"
                 r"identity\s?document|national\s?id|internal\s?passport|id|badge|employee|staff|personnel|student|"
                 r"medical\s?record|patient|mrn|case|file|docket|licen[cs]e|driver'?s\s?licen[cs]e|"
                 r"permit|visa|residence\s?permit|social\s?security|ssn|tax|inn|snils|"
                 r"registration|account|membership|prisoner|detainee|inmate|refugee|unhcr|"
                 r"asylum|a-number|alien)\s*(?:card\s*)?(?:no\.?|number|num\.?|#|nr\.?|id)?\s*"
                 r"(?:is|was|:|#|-)?\s*\(?\s*(?:no\.?|number|#)?\s*"
                 r"(?P<id>[A-Z0-9][A-Z0-9\-/]{1,20}(?:\s[0-9]{2,10}){0,2})",
                 0.75, flags=_I, validate=_id_ok),
            Rule("alnum", r"(?<![\w\-/])(?=[A-Z]{0,3}\d)[A-Z]{1,3}\d{5,14}(?![\w\-/])", 0.4),
            Rule("long_number", r"(?<![\w\-/+.])\d{6,20}(?![\w\-/])", 0.3,
                 validate=_generic_id_ok),
        ], context=["passport", "id", "identity", "card", "badge", "employee", "number", "no",
                    "license", "licence", "permit", "record", "patient", "student", "account",
                    "registration", "document", "ssn", "social", "security", "case"],
            language=language),
        RegexRecognizer("ReferenceRecognizer", "ID_NUMBER", [
            # Court, police and registry references: "application no. 36110/97",
            # "case No. 2-113/2022", "file 17/2021-K", "criminal case № 12022221000000417".
            Rule("introduced", _WORD_START + r"(?:application|appl|case|file|docket|"
                 r"registration|reg|protocol|complaint|petition|ref|reference|proceedings?|"
                 r"decision|judgment|judgement|order|record|certificate|warrant|dossier|"
                 r"ticket|claim|report|entry|statement|delo|ugolovnoe\s+delo)\.?\s*"
                 r"(?:no\.?|nr\.?|n°|№|num\.?|number|#)?\s*:?\s*"
                 r"(?P<id>[A-Z]{0,4}[-\s]?\d[\w]*(?:[-/.]\w+)*)", 0.8, flags=_I,
                 validate=lambda s, m: _digits(s) >= 2 and not _DATE_LIKE.match(s)),
            Rule("numbered", r"(?<![\w.])(?i:no|nr|n°|№)\.?\s*(?P<id>\d{1,7}(?:[-/]\w{1,8})+)",
                 0.75, validate=lambda s, m: not _DATE_LIKE.match(s)),
        ], context=["application", "case", "file", "court", "docket", "complaint", "reference"],
            language=language),
        RegexRecognizer("VehiclePlateRecognizer", "VEHICLE_PLATE", [
            Rule("introduced", r"\b(?:plates?|licen[cs]e\s+plate|number\s+plate|registration|"
                 r"reg\.?)\s*(?:no\.?|number)?\s*(?:is|was|:|-)?\s*"
                 r"(?P<id>[A-Z0-9\u0410-\u042F]{1,4}(?:[\s\-]?[A-Z0-9\u0410-\u042F]{1,4}){1,3})",
                 0.75, flags=_I, validate=_plate_ok),
            Rule("after_vehicle", r"\b(?:car|van|truck|lorry|vehicle|bus|minibus|taxi|jeep|"
                 r"suv|priora|lada|gazelle|niva|uaz|kamaz|toyota|hilux|sedan|motorbike)\b"
                 r"[^.\n]{0,25}?[,:]\s*(?:plates?\s*)?(?P<id>[a-z\u0430-\u044f]{1,3}\s?\d{3,4}"
                 r"\s?[a-z\u0430-\u044f]{1,3}(?:\s?\d{2,3})?)(?!\w)", 0.7, flags=_I),
            Rule("eu_format", r"(?<!\w)[A-Z]{2}\s?\d{4}\s?[A-Z]{2}(?!\w)", 0.6),
            Rule("ru_format", r"(?<!\w)[ABEKMHOPCTYX\u0410\u0412\u0415\u041A\u041C\u041D\u041E"
                 r"\u0420\u0421\u0422\u0423\u0425]\s?\d{3}\s?[ABEKMHOPCTYX\u0410\u0412\u0415"
                 r"\u041A\u041C\u041D\u041E\u0420\u0421\u0422\u0423\u0425]{2}\s?\d{2,3}(?!\w)",
                 0.6),
        ], context=["car", "vehicle", "plate", "plates", "registration", "van", "truck", "lada",
                    "taxi", "bus"], language=language),
        RegexRecognizer("StreetAddressRecognizer", "ADDRESS", [
            Rule("number_street", _NUMBER_STREET, 0.75),
            Rule("street_number", _STREET_NUMBER, 0.75),
            Rule("named_street", r"\b(?:[A-Z\u00C0-\u024F][\w'’\-]*\s+){1,3}(?:Street|Avenue|"
                 r"Road|Lane|Boulevard|Ulitsa|Prospekt|Highway)\b", 0.6),
            Rule("compound_street", _COMPOUND_STREET, 0.7, flags=_I),
            Rule("romance_street", _ROMANCE_STREET, 0.7),
            Rule("name_then_street_word", r"\b(?:[A-Z\u00C0-\u024F][\w'’\-]*\s+){1,3}"
                 r"(?:Sokak|Soka[gğ][iı]|Caddesi|Cad\.|Bulvar[iı]|Mahallesi|Mah\.|Shari'?a|"
                 r"Street)\b,?\s*(?:No\.?\s*)?(?:\d{1,5}[A-Za-z]?)?", 0.7),
            Rule("number_words_number", _NUMBER_WORDS_NUMBER, 0.55),
            Rule("unit", _UNIT, 0.6, flags=_I),
            Rule("military", _MILITARY, 0.7),
            Rule("block", _WORD_START + _ADDRESS_BLOCK, 0.75, flags=_I),
            Rule("local_street", _LOCAL_ADDRESS, 0.75, validate=_local_address_ok),
            Rule("corner_of", r"\b(?i:(?:the\s+)?corner\s+of)\s+(?:[\w'’./\-]+\s+){0,5}?"
                 r"(?i:and|&)\s+(?:[\w'’./\-]+[ \t]*){1,5}?"
                 r"(?=[,;:!?\n]|\.(?:\s|$)|\s+(?i:in|for|last|please|when|to|so)\b|$)", 0.7),
            Rule("intersection", rf"\b(?i:at|to|in|on|is|are|from)\s+(?P<id>[^\W\d_][\w'’\-]*\s+"
                 rf"(?:and|&)\s+(?:{_NUMBER_STREET}|(?:[^\W\d_][\w'’.\-]*\s+){{1,4}}\d{{1,5}}"
                 rf"[A-Za-z]?\b))", 0.6),
            Rule("word_number_street", rf"\b(?P<id>[^\W\d_][\w'’\-]*[ \t]+\d{{1,5}}[ \t]+"
                 rf"(?:[^\W\d_][\w'’.\-]*[ \t]+){{0,3}}{_ST_SUFFIX}\b)", 0.6, flags=_I,
                 validate=_street_lead_ok),
            Rule("uk_postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", 0.5),
            Rule("us_state_zip", _WORD_START + r"(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|"
                 r"M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+\d{5}(?:-\d{4})?\b",
                 0.6),
            Rule("postcode_introduced", r"\b(?:postcode|post\s?code|postal\s?code|zip(?:\s?code)?|"
                 r"postal\s?index|index)\s*(?:is|was|:)?\s*(?P<id>[A-Z0-9]{2,5}[\s\-]?[A-Z0-9]{2,5})"
                 r"\b", 0.7, flags=_I, validate=lambda s, m: _digits(s) >= 2),
        ], context=["address", "street", "live", "lived", "lives", "house", "flat", "apartment",
                    "home", "building", "road", "sent", "deliver", "letter"], language=language),
        RegexRecognizer("DateOfBirthRecognizer", "DATE_OF_BIRTH", [
            Rule("introduced", rf"\b(?:born\s+(?:on\s+|in\s+)?|(?:date\s+of\s+birth|d\.?o\.?b\.?|"
                 rf"birth\s?date|birthday)\s*(?:is|was|[:\-])?\s*)(?P<id>{_DATE})\b", 0.85,
                 flags=_I),
        ], context=["born", "birth", "dob", "birthday"], language=language),
        RegexRecognizer("DateTimeRecognizer", "DATE_TIME", [
            Rule("timestamp", r"\b\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                 r"(?:\s?(?:Z|[+-]\d{2}:?\d{2}))?", 0.85),
            Rule("day_month", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}(?!\w)"
                 rf"|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", 0.6, flags=_I,
                 validate=lambda s, m: not s[:3].lower() == "may" or s[:1].isupper()),
            Rule("clock", r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d(?::[0-5]\d)?\s?(?:[ap]\.?m\.?)?(?!\w)"
                 r"|\b(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?(?!\w)", 0.5, flags=_I,
                 validate=lambda s, m: ":" in s or "m" in s.lower()),
        ], language=language),
        RegexRecognizer("AgeRecognizer", "AGE", [
            Rule("year_old", r"\b\d{1,3}(?:\s*|-)(?:years?|yrs?)(?:\s*|-)old\b", 0.75, flags=_I),
            Rule("aged", r"\b(?:aged|age|at\s+the\s+age\s+of)\s*:?\s*\d{1,3}\b", 0.75, flags=_I),
            Rule("short", r"\b\d{1,3}\s?(?:y/?o|y\.o\.)(?!\w)", 0.7, flags=_I),
            Rule("who_is", r"\b(?:who|which)\s+(?:is|was|turned)\s+(?P<id>\d{1,2})\b"
                 r"(?!\s*(?:%|percent|km|kg|miles|metres|meters|:|\.\d))", 0.6, flags=_I),
        ], language=language),
        RegexRecognizer("SmallPlaceRecognizer", "LOCATION", [
            Rule("place_of",
                 rf"{_WORD_START}(?i:{_PLACE_WORDS}|city)\s+of\s+(?P<id>{_PROPER_NAME})", 0.75),
            Rule("name_place", rf"\b(?P<id>{_PROPER_NAME})\s+(?i:{_PLACE_WORDS})\b", 0.7),
            # "the vereda El Tambo Alto", "aldea Los Laureles", "the camp Zhaosu-3"
            Rule("place_word_name", rf"{_WORD_START}(?i:vereda|aldea|barrio|kebele|mahalla|"
                 r"kishlak|aul|village|hamlet|settlement|corregimiento|caserío|caserio|ejido)"
                 r"\s+(?P<id>(?:(?:El|La|Los|Las|San|Santa|Al|Ad|As)\s+)?"
                 rf"{_PROPER}(?:\s+(?:de\s+|del\s+|la\s+)?{_PROPER}){{0,2}})", 0.7),
        ], language=language),
        RegexRecognizer("WorkplaceRecognizer", "ORGANIZATION", [
            Rule("name_org", rf"\b(?:{_PROPER}\s+){{0,3}}{_PROPER}\s+(?i:{_ORG_WORDS})(?!\w)",
                 0.65),
            Rule("employer", rf"\b(?i:work(?:s|ed|ing)?|employed|hired|job|position|internship|"
                 rf"years?|months?)\s+(?i:for|at|with|by)\s+(?:the\s+)?(?P<id>{_ORG_NAME})", 0.6,
                 validate=_not_stopword_name),
            # in a lower-case chat: "at the oil institute", "the brick factory"
            Rule("lower_workplace", r"\b(?P<id>(?:(?!(?:the|a|an|his|her|my|our|their|this|"
                 r"that|of|at|in|on|to|from|for|with|by|old|new|big|small|local|main)\b)"
                 r"[a-z][\w'’\-]*\s+){1,2}(?:institute|"
                 r"university|college|academy|factory|plant|hospital|clinic|bazaar|market|"
                 r"mosque|church|prison|shelter|company|firm|bakery|garage|workshop|"
                 r"brigade|battalion|regiment|unit|department|office))\b", 0.6,
                 validate=_lower_workplace_ok),
            Rule("office_of", rf"\b(?i:the)\s+(?P<id>{_ORG_NAME})\s+(?i:office|offices|"
                 r"headquarters|factory|plant|branch|warehouse)\b", 0.6,
                 validate=_not_stopword_name),
            Rule("firm", rf"\b{_PROPER}(?:,\s+{_PROPER})+,?\s+(?:and|&)\s+{_PROPER}\b", 0.6,
                 validate=_surnames_firm),
            # A letterhead or signature: name line, organisation line, then the street line.
            Rule("weak_letterhead", r"(?m)^[ \t]*(?:>|\?\?\?)?[ \t]*[^\W\d_][^\n]{1,50}\n"
                 r"[ \t]*(?:>|\?\?\?)?[ \t]*(?P<id>[^\W_][^\n|]{1,40}?)[ \t]*\n"
                 r"[ \t]*(?:>|\?\?\?)?[ \t]*(?:\d{1,5}[ \t]|(?i:the\s+corner\s+of|unit\s+\d|"
                 r"psc\s+\d|p\.?o\.?\s*box))", 0.45,
                 validate=lambda s, m: len(s.split()) <= 5 and not any(c.isdigit() for c in s)),
        ], language=language),
        RegexRecognizer("PlaceContextRecognizer", "LOCATION", [
            Rule("lives_in", rf"{_WORD_START}(?i:lives?|lived|living|grew\s+up|raised|born|settled|"
                 r"stayed|moved\s+(?:here\s+)?(?:from|to)|originally\s+from|came\s+from|fled(?:\s+from)?|"
                 r"arrived\s+(?:at|in)|I\s+am\s+in|we\s+are\s+in|home\s+(?:town|city|village))"
                 rf"\s+(?i:in|at|from|to)?\s*(?P<id>{_PLACE_NAME})", 0.6,
                 validate=_place_name_ok),
        ], language=language),
        RegexRecognizer("OtherScriptRecognizer", "PERSON", [
            # Words in another script inside an English statement are almost always names
            # (people, places) quoted as written: Рамзан, محمد, Γιώργος, 김민수.
            Rule("non_latin", rf"(?<![\w])[{_SCRIPTS}][\w'’\-{_SCRIPTS}]*"
                 rf"(?:[ \t]+[{_SCRIPTS}][\w'’\-{_SCRIPTS}]*){{0,3}}", 0.55,
                 validate=lambda s, m: len(s) >= 2 and _mostly_latin_text(s, m)),
        ], language=language),
        RegexRecognizer("NameContextRecognizer", "PERSON", [
            Rule("after_title_or_kin",
                 rf"{_WORD_START}(?i:{_WORD_TITLES})\.?\s+(?P<id>{_CAP_NAME})", 0.7,
                 validate=_not_stopword_name),
            Rule("after_rank", rf"\b(?:{_RANKS})\.?\s+(?P<id>{_CAP_NAME})", 0.7,
                 validate=_not_stopword_name),
            Rule("introduced", rf"\b(?i:named|called|known\s+(?:to\s+\w+\s+)?as|nicknamed|alias|"
                 rf"a\.k\.a\.?|aka|"
                 rf"goes\s+by|name\s+(?:is|was)|calls?\s+me|call\s+him|call\s+her)\s+[\"'“‘]?"
                 rf"(?P<id>{_CAP_NAME})", 0.7,
                 validate=_not_stopword_name),
            Rule("quoted_nickname", r"\b(?i:known\s+as|nicknamed|called|alias|aka|a\.k\.a\.?)\s+"
                 r"[\"“‘'](?P<id>[^\"”’'\n]{2,30})[\"”’']", 0.75),
            Rule("speaker", r"(?m)^[ \t]*(?:>|\?\?\?)?[ \t]*(?P<id>[^\W\d_][\w'’\-]+"
                 r"(?:[ \t][^\W\d_][\w'’\-]+)?)[ \t]*:[ \t]*(?=[\"“'‘]|[A-Z]|i\b|i')", 0.6,
                 validate=_speaker_ok),
            Rule("lower_intro", r"\b(?i:my\s+name\s+is|name\s+is|your\s+name\s*\?|i\s+am\s+called|"
                 r"call\s+me|user:|name\s*:)\s*"
                 r"(?P<id>[^\W\d_][\w'’\-]+(?:[ \t]+[^\W\d_][\w'’\-]+)?)",
                 0.6, validate=_intro_name_ok),
            Rule("after_plural_kin", rf"\b(?i:children|sons|daughters|kids|brothers|sisters|"
                 rf"cousins|friends|colleagues|parents)\s*[—–:\-,]\s*(?P<id>{_PROPER_NAME})", 0.65),
            Rule("kunya", r"\b(?:Abu|Umm|Ibn|Bint?|Abou|Oum)\s+[A-Z\u00C0-\u024F][\w'’\-]+", 0.7),
            # a name someone is addressed by, in any case: "hey tanner", "thanks obama",
            # "poor emily", "Happy birthday Amber"
            Rule("vocative", r"(?:^|(?<=[\s,.!?(]))(?i:hey|hi|hello|hiya|yo|thanks|thank\s+you|"
                 r"bye|goodbye|dear|poor|congrats|congratulations|happy\s+birthday|"
                 r"love\s+you|miss\s+you|go|come\s+on)[ \t]*,?[ \t]+"
                 r"(?P<id>[^\W\d_][\w'’\-]+)(?=[ \t]*(?:[,.!?:)]|$|\n|[ \t]+(?i:you|your|is|"
                 r"and|i|we|do|did|please|what|why|how|nice|great|love)\b))", 0.6,
                 flags=re.MULTILINE, validate=_vocative_ok),
            # "called himself Lysyi", "we called him the Boxer", "everybody calls "chorny""
            Rule("epithet", r"\b(?i:call(?:s|ed|ing)?|nicknamed|dubbed|known\s+as)\s+"
                 r"(?:(?i:him|her|me|himself|herself|themselves|them|us|each\s+other)\s+)?"
                 r"(?:(?i:the)\s+)?(?P<id>[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]+"
                 r"(?:\s+[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]+)?)", 0.7,
                 validate=_epithet_ok),
            Rule("lower_epithet", r"\b(?:call(?:s|ed|ing)?|nicknamed|dubbed|known\s+as)\s+"
                 r"(?:(?:him|her|me|himself|herself|them|us)\s+)?(?:the\s+)?"
                 r"(?P<id>[a-z\u0430-\u044f][\w'’\-]+)", 0.65, validate=_lower_epithet_ok),
            Rule("quoted_epithet", r"\b(?i:call(?:s|ed|ing)?|nicknamed|dubbed|known\s+as|"
                 r"named)\s+(?:(?i:him|her|me|himself|herself|them|us)\s+)?(?:(?i:the)\s+)?"
                 r"[\"“‘'«](?P<id>[^\"”’'»\n]{2,30})[\"”’'»]", 0.75),
            # initials: "A. K.", "H. K. A.", "M. Dzh.", and an initial before a surname
            Rule("initials", r"(?<![\w.])(?:[A-Z\u0400-\u042F]\.[ \t]?){1,3}(?:[A-Z\u0400-\u042F]"
                 r"[a-z\u0430-\u044f]{0,3}\.)(?![\w])", 0.6),
            Rule("initial_surname", r"(?<![\w.])(?:[A-Z\u0400-\u042F]\.[ \t]?){1,2}"
                 r"[A-Z\u00C0-\u024F\u0400-\u04FF][a-z\u00E0-\u024F\u0430-\u044f'’\-]{2,}", 0.6,
                 validate=_initial_surname_ok),
        ], language=language),
    ]


# ---- word-list recognizers -----------------------------------------------------------

_MONTH_WORD = re.compile(_MONTHS, re.IGNORECASE)
_LIST_WORD = r"[^\W\d_][\w'’\-]*"
_NAME_LIST = re.compile(rf"{_LIST_WORD}(?:,[ \t]+(?:and[ \t]+)?{_LIST_WORD}){{1,}}"
                        rf"(?:,?[ \t]+(?:and|&)[ \t]+{_LIST_WORD})?")
_LIST_ITEM = re.compile(_LIST_WORD)


@functools.lru_cache(maxsize=4)
def _words_of(text: str) -> tuple[tuple[int, int, str, bool, bool], ...]:
    """(start, end, word, at sentence start, joined to the previous word by spaces only).

    The three list recognizers run one after the other on the same text, so the
    last few texts' words are kept.
    """
    from redact.detect.gazetteer import WORD

    out: list[tuple[int, int, str, bool, bool]] = []
    last = 0
    for m in WORD.finditer(text):
        gap = text[last:m.start()]
        starts = last == 0 or any(c in ".!?\n:\"“•>|" for c in gap)
        joined = bool(out) and gap != "" and gap.strip(" \t") == ""
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

    def analyze(self, text: str, entities: list[str],
                nlp_artifacts: NlpArtifacts | None = None) -> list[RecognizerResult]:
        gaz, words, out = self.gaz, _words_of(text), []
        i = 0
        while i < len(words):
            hit = None
            low = words[i][2].casefold()
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


def _lower_line(text: str, pos: int) -> bool:
    """True if the line holding ``pos`` is typed in lower case (see redact.explain)."""
    from redact.explain import is_lower_case_text

    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return is_lower_case_text(text[start:end if end >= 0 else len(text)])


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
            if low not in gaz.first_names or len(w) < 2 or low in STOP_WORDS or (
                    w.isupper() and gaz.is_common(w)):  # "WITNESS", "NOTE" in capitals
                i += 1
                continue
            cap = w[0].isupper()
            eng = gaz.is_english(w) or gaz.is_common(w)
            # surnames (or further given names) directly after it, in the same case style
            j = i + 1
            while j < len(words) and j - i < 3 and words[j][4]:
                nxt = words[j][2]
                if nxt.casefold() in STOP_WORDS or nxt[0].isupper() != cap:
                    break
                known = gaz.is_name_part(nxt)
                if not known and gaz.is_english(nxt):
                    break
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
            place = low in gaz.countries or low in gaz.cities
            if not eng and not place:
                # a lower-case word that only a name list knows (no dictionary word, no
                # place) is a name in a lower-case line ("conor makes millions"); in a
                # cased one it is as often an abbreviation or a handle ("vk", "ig")
                score = (0.5 if _lower_line(text, start) else 0.4) if not cap else (
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
                out.extend(self._result(a, b, 0.5, "name_list") for a, b, w in items
                           if not _MONTH_WORD.fullmatch(w))
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
