"""Explain: a word is published only if something explains it.

Detectors find what they know; a name no detector knows would pass every
check. So after planning, every word of a statement that is not removed must be
*explained* by one of:

- a common word of English (:meth:`redact.detect.gazetteer.Gazetteer.is_common`:
  dictionary words with their inflections and contractions, proper nouns left
  out);
- a number (a count, a year, an amount, a range, an ordinal) or a date or time
  when the policy keeps dates;
- a span the policy keeps: an allow-listed name, a large place, a kept type
  (nationalities, dates);
- a single letter (an article, a label such as "Q" or "A", a chat's "u");
- a word of redact's own vocabulary (:mod:`redact.detect.vocabulary`): titles,
  kinship words ("mom"), and how chats write ordinary words ("im", "lol", "dm";
  in lower case or capitals only: "Ya" inside a sentence may be a name).

Every other word is *unexplained*. Where it stands decides how likely it is to
identify someone; :func:`unexplained_words` says why each one is *name-like*:

- ``capitalised``: capitalised inside a sentence (at a sentence start a capital
  says nothing), or a first name that English writes as a name more often than as
  a word opening a sentence ("Tanner is a good dude");
- ``name``: a first name that English writes as a name more often than as a
  word, in lower case ("tanner", "mason"; :mod:`redact.detect.casing`);
- ``handle``: inside a handle, an e-mail or a user name (``zarema_k``, ``aiman.n``);
- ``code``: letters and digits, or digit groups joined by ``/`` or ``-``: an
  identifier, a plate, a case number (``a318em20``, ``36110/97``);
- ``initial``: a capital letter with a full stop next to a name, a title or
  another initial (``A. K.``, ``— signed, A.``);
- ``speaker``: the label of a speaker at the start of a line (``TG:``);
- ``surname``: a name part right beside a removed person, even a dictionary word
  ("Sherlock [Holmes]", "[taylor] swift"), and a stage name's "DJ", "MC", "lil" ("DJ
  [Khaled]", "lil jay"; :mod:`redact.detect.positions`);
- ``chat``: a first name in lower case where a chat puts a person, even a dictionary
  word: "me n hope", "at joy's", "shoutout to hunter", "grace's mum";
- ``age``: one or two digits in brackets right after a removed person ("timur (16)");
- ``cue``: in a lower-case line (a chat, a transcript), next to a word that
  introduces a person or a place ("my cousin", "from", "village", "said") or
  next to a removed span.

The rest are listed for review (``lower_case``, ``unknown``). The policy's
``unexplained`` setting says what happens to each group (remove, review, keep).
A failure to read a word list raises: nothing is ever explained by default.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.ages import age_after_person
from redact.detect.chat_cues import chat_person
from redact.detect.cues import INITIAL_BEFORE, greeted_initials, near_cue
from redact.detect.gazetteer import DETERMINER_BEFORE, gazetteer, name_first
from redact.detect.labels import label_span, repeated_speakers
from redact.detect.places import (
    currency_words,
    in_large_place,
    is_people_word,
    normalize_place,
)
from redact.detect.positions import (
    NOT_NAMES,
    after_honorific,
    after_kin,
    at_sentence_start,
    before_speech,
    beside_person,
    foreign_date,
    is_initial,
    leading_initial,
    letter_nickname,
    lower_name,
    name_word,
    speaker_name,
    stage_prefix,
    trailing_initial,
    vehicle_make,
)
from redact.detect.tables import in_header, table_headers
from redact.detect.validators import calendar_date
from redact.detect.vocabulary import (
    CALENDAR_WORDS,
    CHAT_WORDS,
    DEITY_WORDS,
    FEAST_WORDS,
    INTERJECTIONS,
    KINSHIP_WORDS,
    LOCAL_UNITS,
    NAME_TITLES,
    PRODUCT_NAMES,
    RANK_WORDS,
    ROLE_WORDS,
    SLASH_WORDS,
    UNIT_WORDS,
    WEEKDAYS,
)
from redact.names import first_name_in_lower_case, typo_of_common

__all__ = ["Unexplained", "unexplained_words", "is_lower_case_text",
           "is_upper_case_text", "NAME_LIKE_REASONS"]

#: Reasons that make an unexplained word name-like (see the module doc).
NAME_LIKE_REASONS = frozenset({"capitalised", "name", "handle", "code", "initial", "speaker",
                               "cue", "surname", "chat", "age"})

#: A token: letters, digits and the joiners of handles, e-mails, references and names.
_TOKEN = re.compile(r"[\w#@](?:[\w\u0300-\u036f\u0900-\u0DFF\u1000-\u109F'’.\-@/&+]*"
                    r"[\w\u0900-\u0DFF\u1000-\u109F])?")
_DIGITS = re.compile(r"\d")
#: Numbers that explain themselves: counts, years, amounts, decimals, ranges, ordinals,
#: decades, percentages, times of day (not four digits after a zero: "mine was 0419", a
#: prisoner's number; three are a group of thousands: "300,000").
_NUMBER = re.compile(
    r"(?:\d{1,3}|[1-9]\d{3}|\d{1,3}(?:[,.]\d{3})+(?:[.,]\d{1,2})?|\d{1,4}[.,]\d{1,2}|"
    r"\d{1,4}(?:st|nd|rd|th|s|'s|am|pm|h|k|km|kg|m|cm|mm|x)|\d{1,4}[-–]\d{1,4}|"
    r"\d{1,2}[:.]\d{2}(?:[ap]m)?)", re.IGNORECASE)
#: Dates and times written with digits (kept or not as the policy keeps dates).
_DATE = re.compile(r"(?:\d{4}([./-])\d{1,2}\1\d{1,2}|\d{1,2}([./-])\d{1,2}\2(?:\d{4}|\d{2}))"
                   r"(?:[ T,]+\d{1,2}:\d{2})?|\d{1,2}:\d{2}(?::\d{2})?")
#: A day and month without the year: "14/10", "3.11".
_DAY_MONTH = re.compile(r"(\d{1,2})[./](\d{1,2})")
#: Short labels of letters and digits that identify no one ("W1", "G7", "5G", "A4"), and a
#: name with a short number ("COVID-19", "MH-17", "Su-25"); an identifier has more digits.
_SHORT_CODE = re.compile(r"[A-Za-z]{1,2}\d|\d[A-Za-z]{1,2}|[A-Za-z]\d{2}|"
                         r"(?:[A-Z]{2,}|[A-Za-z]{2,4})-\d{1,2}")  # not "Lytkarino-3", a place
#: A name with a number after it: a place or a unit's name ("Lytkarino-3", "Kuzbass-42").
_NAME_NUMBER = re.compile(r"[A-Z][a-z]{3,}-\d{1,3}")
_ABBREVIATION = re.compile(r"(?:[a-zA-Z]\.){1,3}[a-zA-Z]?")
#: Endings of surnames of the former Soviet Union, the Caucasus, the Balkans and Turkey, on
#: a word no dictionary knows: a name in a transcript typed in lower case.
_SURNAME_ENDING = re.compile(r"[^\W\d_]{4}(?:ova|eva|ov|ev|enko|chuk|yuk|shvili|dze|uly|kyzy|qizi|"
                             r"ovich|evich|ovna|evna|ović|ovic|escu|oğlu|oglu|yan|ian|bekov)$")
#: A provision of a law after its word: "Section 505A", "Art. 21A", "§ 295-C", "Rule 35(2)".
_PROVISION = re.compile(r"\d{1,4}(?:-?[A-Za-z]{1,2})?(?:\(\w{1,3}\))*")
_PROVISION_BEFORE = re.compile(r"(?<![\w])(?i:sections?|secs?\.?|articles?|arts?\.|rules?|"
                               r"paragraphs?|paras?\.?|chapter|schedule|clause|§§?)[ \t]*$")


@dataclass(frozen=True)
class Unexplained:
    """An unexplained word: offsets in its segment and why it is (or is not) name-like."""

    start: int
    end: int
    reason: str

    @property
    def name_like(self) -> bool:
        return self.reason in NAME_LIKE_REASONS


def is_lower_case_text(text: str) -> bool:
    """True for a text typed (almost) without capitals: a chat or a transcript.

    At least 20 cased letters, of which at most 2% are capitals (an "I" or a
    few acronyms do not make a text cased).
    """
    upper = sum(map(str.isupper, text))  # no character is both upper and lower case
    lower = sum(map(str.islower, text))
    if upper + lower < 20 or upper > 0.02 * (upper + lower):
        return False
    # a short cased sentence has few capitals too: its sentences start with one
    starts = _SENTENCE_FIRST.findall(text)
    return not starts or sum(c.isupper() for c in starts) * 2 < len(starts)


def is_upper_case_text(text: str) -> bool:
    """True for a line typed in capitals ("TANNER FOXX", "STATEMENT OF ..."): at least 8
    cased letters, at least two words, and no lower-case letter but a few."""
    upper = sum(map(str.isupper, text))
    lower = sum(map(str.islower, text))
    return upper >= 8 and lower <= 0.02 * (upper + lower) and len(text.split()) >= 2


#: The first letter of each sentence (after the start, or ". ", "! ", "? ", a line break).
_SENTENCE_FIRST = re.compile(r"(?:^|[.!?]\s+|\n)[^\w\n]*([^\W\d_])")


@functools.lru_cache(maxsize=1 << 16)
def _explains_itself(token: str, keeps_dates: bool) -> bool:
    """True if ``token`` is a common word, a number, a kept date, a short label or letter."""
    if _DIGITS.search(token):
        if _NUMBER.fullmatch(token) or _SHORT_CODE.fullmatch(token):
            return True
        if keeps_dates and (m := _DAY_MONTH.fullmatch(token)):
            return 1 <= int(m.group(1)) <= 31 and 1 <= int(m.group(2)) <= 12  # "[14/10 21:05]"
        return keeps_dates and _DATE.fullmatch(token) is not None and calendar_date(token)
    if len(token) == 1:
        return token.isascii()  # "a", "I", "Q"; one letter of another script is a name's piece
    gaz = gazetteer()
    if "'" in token or "’" in token:
        token = token.replace("’", "'")
        if token.lower().endswith("'s"):
            token = token[:-2]
            if not token:
                return True
    low = token.lower()
    if low in PRODUCT_NAMES and low not in gaz.first_names or low in FEAST_WORDS or \
            low in SLASH_WORDS or \
            low in WEEKDAYS or low in DEITY_WORDS or low in currency_words() or \
            token.islower() and low in UNIT_WORDS or \
            low in CALENDAR_WORDS and low not in gaz.first_names and len(low) >= 3 or \
            low in LOCAL_UNITS:
        return True  # "viber", "a white Niva": a product; "Eid": a feast; "tenge"; "Apr";
        # "Purok", "Barangay": a village's or a ward's kind, its name is judged on its own
    if lower_name(token):
        return False  # "tanner", "mason": a dictionary word, but a name far more often
    if "-" in token and re.fullmatch(r"[^\W\d_](?:-[^\W\d_]){2,}", token):
        return False  # "A-D-I G-E-B-R-A-Y": a name spelled letter by letter
    if gaz.is_common(token) or low in NAME_TITLES or low in KINSHIP_WORDS or low in RANK_WORDS or \
            low in ROLE_WORDS or (low in CHAT_WORDS and (token.islower() or token.isupper() or
                                                     low not in gaz.first_names or
                                                     low in INTERJECTIONS)):
        return True  # "lol", "LOL", "dm", "Shoutout"; "Ya" capitalised may be a name
    if token[:1].isupper() and is_people_word(token):
        return True  # "Arabic", "Spanish", "Ukrainian"
    if _LONG_LETTER.search(low) and (token.islower() or token.isupper()):
        # "lmaooo", "sooo", "yesss": a word drawn out; "hahahaha" repeats a chat word
        short = {_LONG_LETTER.sub(r"\1", low), _LONG_LETTER.sub(r"\1\1", low)}
        if any(w in CHAT_WORDS or gaz.is_common(w) for w in short):
            return True
    if re.fullmatch(r"(?:ha|he|ah|lol)+h?", low):
        return True
    if "-" in token:  # "brother-in-law", "well-known", "twenty-one", "co-worker"
        parts = [p for p in token.split("-") if p]
        return bool(parts) and all(len(p) == 1 or gaz.is_common(p) or _NUMBER.fullmatch(p)
                                   or i == 0 and p.lower() in _PREFIXES
                                   for i, p in enumerate(parts))
    if "." in token and _ABBREVIATION.fullmatch(token):  # "e.g", "a.m", "U.S"
        return True
    return False


#: Prefixes written with a hyphen: "co-worker", "ex-wife", "non-violent".
_PREFIXES = frozenset({"co", "ex", "non", "pre", "post", "re", "anti", "self", "vice", "step"})
_LONG_LETTER = re.compile(r"([^\W\d_])\1{2,}")
_TAG_PART = re.compile(r"[A-Z]{2,}(?![a-z])|[A-Z](?=[A-Z][a-z])|[A-Z]?[a-z]+|\d+")
_CAMPAIGN = re.compile(r"(?:Justice(?:For|4)?|Free|Save|Bring(?:Back)?|Find|Release|Where(?:Is)?|"
                       r"Missing|Remember|StandWith|Pray(?:For|4)|RIP|"
                       # Spanish, Portuguese, French: "#BuscamosAKary", "#JusticiaParaMaria"
                       r"Buscamos(?:A)?|Busquemos(?:A)?|Justicia(?:Para)?|Libertad(?:Para)?|"
                       r"Liberen(?:A)?|Libérez|Liberez|D[óo]ndeEst[áa]|Hasta(?:Encontrar\w+)?|"
                       r"Justi[çc]aPara|Cad[êe]|Justice(?:Pour)?)(?=[A-Z])")


def _hashtag(body: str, keeps_dates: bool, names: frozenset[str] = frozenset()) -> bool | None:
    """A hashtag's words (split at capitals): None if each explains itself ("#StopTheWar"),
    True if one is a name ("#FreeKemal", "#JusticeForAzamat"), a word of a person the text
    names ("#BringSummerHome" where Summer is removed: ``names``, lower case) or a first
    name or unknown word after a campaign's words ("#JusticeForPrincess", "#SaveBabakanSari"),
    False otherwise (review)."""
    parts = _TAG_PART.findall(body)
    if not parts or "".join(parts) != body.replace("_", ""):
        return False
    gaz = gazetteer()
    unknown = False
    # after a campaign's words ("#JusticeForPrincess", "#SaveBabakanSari", "#FreeTheo"), a
    # first name or an unknown word is whom or where the campaign is for
    lead = _CAMPAIGN.match(body)
    after = len(_TAG_PART.findall(lead.group(0))) if lead else len(parts)
    for k, part in enumerate(parts):
        low = part.casefold()
        if low in names and len(low) >= 3:
            return True
        if low in gaz.cities or low in gaz.countries or low in CALENDAR_WORDS or \
                low in PRODUCT_NAMES:
            continue
        if k >= after and part[:1].isupper() and len(part) >= 3 and low not in STOP_WORDS \
                and (low in gaz.first_names or not _explains_itself(part, keeps_dates)):
            return True
        if len(part) >= 3 and (low in gaz.first_names and (not gaz.is_common(low) or
                                                            low in name_first())
                               or low in gaz.last_names and not gaz.is_common(low)):
            return True
        if not _explains_itself(part, keeps_dates):
            unknown = True
    return False if unknown else None


def unexplained_words(text: str, masked: Sequence[tuple[int, int]],
                      removed: Sequence[tuple[int, int]], *, keeps_dates: bool,
                      lower_case: bool | None = None,
                      persons: Sequence[tuple[int, int]] = (),
                      places: frozenset[str] = frozenset()) -> list[Unexplained]:
    """Every word of ``text`` that nothing explains, with the reason it is name-like or not.

    ``masked`` are the ranges already decided (removed or kept: their words are
    explained by that decision); ``removed`` are the removed ones among them (a
    word next to one is name-like in lower-case text). ``keeps_dates``: the
    policy keeps dates and times, so digits shaped like one explain themselves.
    ``lower_case``: the whole statement is lower case (default: decided per line).
    ``persons``: the removed spans that are people (a name's other part beside one is
    name-like even if it is a word: "Sherlock [Holmes]"). ``places``: the large places the
    policy keeps (lower case); one of them that is no first name explains itself, in any
    case ("ANKARA — Police detained ...").
    """
    spans = sorted(masked)
    starts = [a for a, _ in spans]
    rem = sorted(removed)
    rem_starts = [a for a, _ in rem]
    people = sorted(persons)
    breaks = [m.start() for m in re.finditer("\n", text)]
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out: list[Unexplained] = []
    line_cache: dict[int, tuple[int, int, bool, bool]] = {}
    headers = table_headers(text)
    speakers = set(repeated_speakers(text))
    names: frozenset[str] | None = None  # the removed people's words, for hashtags
    for a, b in tokens:
        # the parts of the token outside decided spans
        for s, e in _outside(a, b, spans, starts):
            word = text[s:e].strip("'’.-@/&+")
            if word.endswith(("'s", "’s")) and len(word) > 2:
                word = word[:-2]  # "Serhiy's wife": the name goes, the possessive stays
            if not word:
                continue
            s = text.index(word, s)
            e = s + len(word)
            if word.startswith("#") and len(word) > 1:
                if names is None:  # not "the", "Doctor" of "the Doctor"
                    names = frozenset(w for x, y in people
                                      for w in re.findall(r"[^\W\d_]+", text[x:y].casefold())
                                      if w not in NOT_NAMES and w not in RANK_WORDS and
                                      w not in ROLE_WORDS)
                tag = _hashtag(word[1:], keeps_dates, names)
                if tag is not None:  # "#FreeKemal": a name inside; "#Pankisi": review
                    out.append(Unexplained(s, e, "handle" if tag else "hashtag"))
                continue  # "#StopTheWar", "#Ramadan2024": words only
            # the word's line, from the line breaks found once (not a search per word)
            k = bisect.bisect_left(breaks, s)
            ls = breaks[k - 1] + 1 if k else 0
            line = line_cache.get(ls)
            if line is None:
                le = breaks[k] if k < len(breaks) else len(text)
                caps = is_upper_case_text(text[ls:le])
                low = caps or (lower_case if lower_case is not None
                               else is_lower_case_text(text[ls:le]))
                line = line_cache[ls] = (ls, le, low, caps)
            if line[3]:
                word = word.lower()  # a line in capitals: its case says nothing
            beside = bool(people) and beside_person(text, s, e, word, people) or \
                stage_prefix(text, s, e, word, rem, rem_starts)
            chat = not beside and chat_person(text, s, e, word)
            if _DIGITS.search(word) and _PROVISION.fullmatch(word) and \
                    _PROVISION_BEFORE.search(text, max(0, s - 14), s):
                continue  # "Section 505A", "Article 21A", "§ 295-C": a law's provision
            if (s, e) in speakers:
                out.append(Unexplained(s, e, "speaker"))  # "luz dary:" again and again
                continue
            if label_span(text, s, e) or in_header(headers, s, e):
                continue  # "Int.: When did it start?", a table's "case_id": labels
            if people and age_after_person(text, s, e, people):
                out.append(Unexplained(s, e, "age"))  # "timur (16)": whatever the case
                continue
            if keeps_dates and foreign_date(text, s, e):
                continue  # "ika-2 ng Setyembre 2017", "el 2 de febrero": a date's month
            if _explains_itself(word, keeps_dates) and not is_initial(text, s, e) \
                    and not name_word(text, s, e, word) \
                    and not trailing_initial(text, s, e, rem, rem_starts) \
                    and not letter_nickname(text, s, e) \
                    and not leading_initial(text, s, e, rem, rem_starts) \
                    and not speaker_name(text, s, e, word) \
                    and not after_honorific(text, s, word) \
                    and not greeted_initials(text, s, word) \
                    and not after_kin(text, s, word) \
                    and not before_speech(text, s, e, word) \
                    and not chat \
                    and not beside:
                continue
            if places and not beside and not chat and (
                    normalize_place(word) in places and
                    word.casefold() not in gazetteer().first_names or
                    in_large_place(text, s, e, places)):
                continue  # a large place the policy keeps, a dateline's "ANKARA" too
            if DETERMINER_BEFORE.search(text, max(0, s - 8), s) and lower_name(word) and \
                    gazetteer().is_common(word) or vehicle_make(text, s, word):
                continue  # "the villa", "a tanner": a determiner says it is the word;
                # "a grey Lada": a car
            if text[e:e + 1] == ":" and text[e + 1:e + 2] not in ("", " ", "\t", "\n") \
                    and word.isalpha() and word.islower() and len(word) <= 8:
                continue  # a scheme or a key: "mailto:", "https:", "tel:"
            out.append(Unexplained(s, e, "surname" if beside else "chat" if chat else
                                   _reason(text, s, e, word, line, rem, rem_starts)))
    return _joined(text, _with_particles(text, _with_initials(text, _first_names_before(
        text, _unknown_pairs(text, _beside_names(text, out)))), people))


def _unknown_pairs(text: str, words: list[Unexplained]) -> list[Unexplained]:
    """Two words in lower case that no dictionary knows, side by side and no typos: a
    name's shape ("maimaitiali tuersun", "in chinese it is ..."), name-like."""
    out = list(words)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        if a.reason in _UNKNOWN and b.reason in _UNKNOWN and \
                _SPACE_ONLY.fullmatch(text, a.end, b.start) and all(
                    w.isalpha() and w.islower() and len(w) >= 4 and not typo_of_common(w)
                    for w in (text[a.start:a.end], text[b.start:b.end])):
            out[k] = Unexplained(a.start, a.end, "name")
            out[k + 1] = Unexplained(b.start, b.end, "name")
    return out


_UNKNOWN = frozenset({"unknown", "lower_case"})
_SPACE_ONLY = re.compile(r"[ \t]+")


_LIST_GAP = re.compile(r"[ \t]*(?:,|and|or|&|,[ \t]*and|,[ \t]*or)[ \t]*", re.IGNORECASE)


_SPACE_GAP = re.compile(r"[ \t]+|[ \t]+[-–][ \t]+")


def _beside_names(text: str, words: list[Unexplained]) -> list[Unexplained]:
    """A word listed with a name-like one ("kuriev or kureev", "adlan, musa"), or right
    beside one ("domla hikmatullo": two words no dictionary knows, one name; "aphmau -
    Senpai"), is name-like."""
    out = list(words)
    for i, w in enumerate(out):
        if w.name_like or w.reason not in ("lower_case", "unknown", "sentence_start"):
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(out) and out[j].name_like:
                a, b = (out[j], w) if j < i else (w, out[j])
                if _LIST_GAP.fullmatch(text, a.end, b.start) or \
                        _SPACE_GAP.fullmatch(text, a.end, b.start):
                    out[i] = Unexplained(w.start, w.end, "cue")
                    break
    return out


_FIRST_BEFORE = re.compile(r"(?<![\w'’])([A-Z][a-z]{2,})[ \t]+$")
_LOWER_FIRST_BEFORE = re.compile(r"(?<![\w'’])([a-z]{3,})[ \t]+$")



def _first_names_before(text: str, words: list[Unexplained]) -> list[Unexplained]:
    """A capitalised first name right before a capitalised name-like word is the name's
    first part, even where a dictionary knows it ("A: Hanna [Uladzimirauna Kavaliova]"); not
    after a determiner ("The Princess Royal")."""
    gaz = gazetteer()
    out = list(words)
    for w in words:
        lower = w.reason == "surname" and text[w.start:w.start + 1].islower()
        if w.reason not in ("capitalised", "surname") or not (
                text[w.start:w.start + 1].isupper() or lower):
            continue
        m = (_LOWER_FIRST_BEFORE if lower else _FIRST_BEFORE).search(
            text, max(0, w.start - 30), w.start)
        if m is None:
            continue
        low = m.group(1).casefold()
        if low in gaz.first_names and low not in NOT_NAMES and low not in CALENDAR_WORDS and \
                low not in RANK_WORDS and not any(u.start <= m.start(1) < u.end for u in out) \
                and not DETERMINER_BEFORE.search(text, max(0, m.start(1) - 8), m.start(1)):
            out.append(Unexplained(m.start(1), m.end(1), "surname" if lower else "capitalised"))
    return sorted(out, key=lambda u: u.start)




def _with_initials(text: str, words: list[Unexplained]) -> list[Unexplained]:
    """A name-like word with the initial right before it ("J. cole", "A. Tanner"; a
    scan's "J . cole"): the initial is part of the name (one that a detector removed:
    :func:`leading_initial`)."""
    out = []
    for w in words:
        m = INITIAL_BEFORE.search(text, max(0, w.start - 4), w.start) if w.name_like and \
            w.reason not in ("initial", "code", "handle") else None
        out.append(Unexplained(m.start(), w.end, w.reason) if m else w)
    return out


#: A short word in lower case between two parts of a name: "Grace [gal] Mahary".
_PARTICLE_BEFORE = re.compile(r"[ \t]+([a-z]{2,4})[ \t]+$")


def _with_particles(text: str, words: list[Unexplained],
                    people: Sequence[tuple[int, int]]) -> list[Unexplained]:
    """A capitalised name-like word after a removed person and a short word in lower case
    between them ("Grace gal Mahary"): the short word is the name's particle."""
    ends = {b for _a, b in people}
    out = []
    for w in words:
        m = _PARTICLE_BEFORE.search(text, max(0, w.start - 8), w.start) \
            if w.reason in ("capitalised", "surname") and text[w.start:w.start + 1].isupper() \
            else None
        if m is not None and m.start() in ends and m.group(1) not in STOP_WORDS:
            w = Unexplained(m.start(1), w.end, "surname")
        out.append(w)
    return out


_JOIN_GAP = re.compile(r"[ \t]*|[ \t]*-[ \t]*")
_INITIAL_GAP = re.compile(r"\.[ \t]*")


def _joined(text: str, words: list[Unexplained]) -> list[Unexplained]:
    """Neighbouring name-like words as one ("A. K.", "Gekhi Chu"): one replacement for one
    name, not one per word."""
    out: list[Unexplained] = []
    for w in words:
        last = out[-1] if out else None
        gap = text[last.end:w.start] if last is not None else ""
        if last is not None and last.name_like and w.name_like and (
                _JOIN_GAP.fullmatch(gap) or _INITIAL_GAP.fullmatch(gap)
                and last.end - text.rfind(" ", 0, last.end) <= 4):  # "A. K.", "M. Dzh."
            # a person's reason wins: "Memory [Chipo Moyo]" is someone
            out[-1] = Unexplained(last.start, w.end, w.reason if w.reason in (
                "surname", "initial", "chat") else last.reason)
        else:
            out.append(w)
    return out


def _outside(a: int, b: int, spans: Sequence[tuple[int, int]],
             starts: Sequence[int]) -> list[tuple[int, int]]:
    """The pieces of [a, b) outside every span of ``spans`` (sorted)."""
    i = max(0, bisect.bisect_right(starts, a) - 1)
    pieces, pos = [], a
    while i < len(spans) and spans[i][0] < b:
        s, e = spans[i]
        if e > pos:
            if s > pos:
                pieces.append((pos, min(s, b)))
            pos = max(pos, e)
        i += 1
    if pos < b:
        pieces.append((pos, b))
    return [(s, e) for s, e in pieces if e > s]


def _reason(text: str, s: int, e: int, word: str, line: tuple[int, int, bool, bool],
            rem: Sequence[tuple[int, int]], rem_starts: Sequence[int]) -> str:
    ls, le, lower_line, _caps = line
    if e - s == 1 and word.isalpha() and (
            is_initial(text, s, e) or trailing_initial(text, s, e, rem, rem_starts)
            or leading_initial(text, s, e, rem, rem_starts) or letter_nickname(text, s, e)):
        return "initial"
    if any(c in word for c in "_@") or re.search(r"[^\W\d_]\.[^\W\d_]{2,}", word):
        return "handle"
    if word[:1].islower() and re.search(r"[a-z][A-Z][a-z]", word):
        return "handle"  # "iDubbbz", "xXsnipeXx": a user name typed in camel case
    if _DIGITS.search(word) and not _NAME_NUMBER.fullmatch(word):
        return "code"
    after = text[e:min(le, e + 3)]
    if after.lstrip(" \t").startswith(":") and at_sentence_start(text, s, ls) and \
            (word.isupper() or lower_line or word[:1].isupper()) or speaker_name(text, s, e, word):
        return "speaker"
    if word[:1].isupper():
        if word.isupper() and len(word) <= 4 and not lower_line:
            return "initial" if greeted_initials(text, s, word) else "acronym"
        if not at_sentence_start(text, s, ls):
            return "capitalised"
        # A capitalised word no dictionary knows opening a sentence: the capital says
        # nothing, but neither a dictionary nor a cue explains it, and statements and
        # chats open sentences with names ("Tanner is a good dude", "Shamil drove").
        return "capitalised"
    if lower_name(word) or _SURNAME_ENDING.search(word) and word.isalpha():
        return "name"  # "tanner"; "bisultanova", "serikbayuly": a surname's ending
    first = _LOWER_FIRST_BEFORE.search(text, max(ls, s - 20), s)
    if first and word.isalpha() and word.islower() and len(word) >= 5 and \
            first_name_in_lower_case(first.group(1)) and not typo_of_common(word):
        return "surname"  # "blessing ssemwogerere": a first name, and a word no one knows
    if near_cue(text, s, e, ls, le, rem, rem_starts, strong_only=not lower_line):
        return "cue"  # "a guy from urus-martan", "my cousin aslanbek"
    return "lower_case" if lower_line else "unknown"
