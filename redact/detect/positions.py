"""Where a word stands says it is a name, even where a dictionary knows the word.

The unexplained-word sweep (:mod:`redact.explain`) explains a common word of
English; these rules take that explanation away where the word's position says
it names someone:

- an initial: a capital letter with a full stop next to a name, a title or
  another initial ("A. K.", "— signed, A."), or right before or after a removed
  name ("J. [cole]", "[Marta] Q.:");
- after an honorific that stands only before a name ("Mr Green", "mrs rice"), and a first
  name in lower case after a kinship word ("my grandma rose") or before a verb of speech
  ("what king said");
- a capitalised name part right beside a removed person ("Sherlock [Holmes]");
- a first name capitalised inside a sentence ("his daughter Grace"), or one that
  English writes as a name far more often than as a word ("Tanner is a good
  dude"; :func:`redact.detect.gazetteer.name_first`), also in lower case;
- the first name that labels a speaker at the start of a line ("Joy: hay"), and any word
  that labels one after a chat export's timestamp ("[21:14] cash:").

Each rule reads only the text and the word lists; none of them explains a word.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.bodies import BODY_HEADS, INSTRUMENT_HEADS
from redact.detect.gazetteer import DETERMINER_BEFORE, capitalised_often, gazetteer, name_first
from redact.detect.places import is_people_word
from redact.detect.vocabulary import (
    CALENDAR_WORDS,
    CHAT_WORDS,
    DEITY_WORDS,
    FIELD_LABELS,
    FOREIGN_MONTHS,
    FULL_DATE,
    INTERJECTIONS,
    KINSHIP_WORDS,
    LOCAL_UNITS,
    NAME_TITLES,
    PERSON_AFTER,
    PERSON_BEFORE,
    PRODUCT_NAMES,
    RANK_WORDS,
    ROLE_WORDS,
)

__all__ = ["NOT_NAMES", "LINE_LABELS", "SENTENCE_END", "is_initial", "trailing_initial",
           "leading_initial", "vehicle_make", "after_honorific", "after_kin", "before_speech",
           "beside_person", "name_word", "stage_prefix", "STAGE_PREFIXES",
           "speaker_name", "lower_name", "calendar_name", "letter_nickname",
           "at_sentence_start", "as_date", "at_clause_start", "foreign_date",
           "date_words_only", "STOP_NAMES", "WHO_AFTER"]

#: Characters after which a word opens a sentence (or a line's label, a list item).
SENTENCE_END = frozenset(".!?…\n\"“”:;([{•*>|]")
_INITIAL_GAP = re.compile(r" ?\.[ \t]*")
_SPACE_GAP = re.compile(r"[ \t]+")


#: Words that label a line ("Note:", "Answer:") although a name list may hold them.
LINE_LABELS = FIELD_LABELS
def speaker_name(text: str, s: int, e: int, word: str) -> bool:
    """A first name that labels a speaker at the start of a line, even if it is a word too
    ("[Fri 21:05] Joy: hay", "Hope: they came"): who speaks, not what is said."""
    if len(word) < 2 or not word.isalpha():
        return False
    low = word.casefold()
    ls = text.rfind("\n", 0, s) + 1
    if word[:1].isupper() and _LABEL_REST.match(text, e) and low not in NAME_TITLES and \
            low not in KINSHIP_WORDS and _CHAT_STAMP.fullmatch(text, ls, s):
        return True  # "21:14 - Dawn Fairweather:": the first word of a two-word label
    note = _LABEL_NOTE.match(text, e)  # "Dawn (refuge):", "Priya (Ava's mom):"
    if note is not None:
        e = note.end()
    if not text.startswith(":", e) or text[e + 1:e + 2] not in (" ", "\t", "\n", ""):
        return False
    if low in LINE_LABELS or low in KINSHIP_WORDS:
        return False  # "Mum:", "Grandpa:" label a role, not a name
    if _CHAT_STAMP.fullmatch(text, ls, s) or _CHAT_STAMP_WORDS.fullmatch(text, ls, s):
        # a chat export's line: "[21:14] cash:", "12/03/2024, 21:14 - will:": whoever
        # speaks, a surname, a nickname or a word ("will", "cash", "Dawn")
        return True
    if low in CALENDAR_WORDS:
        return False  # "Monday: we moved" labels a day
    if len(word) < 3 or low not in gazetteer().first_names or low in NOT_NAMES:
        return False
    return at_sentence_start(text, s, ls)


#: The timestamp that opens a line of a chat export: "[21:14] ", "[04.11.22, 21:14:05] ",
#: "12/03/2024, 21:14 - ", "Mar 11, 2024, 2:03 PM - ", "21:14 - ".
_CHAT_STAMP = re.compile(r"[ \t]*(?:\[[^\]\n]{3,40}\]|(?:" + FULL_DATE + r",?"
                         r"[ \t]+)?\d{1,2}:\d{2}(?::\d{2})?[ \t]*(?:[apAP]\.?[mM]\.?)?[ \t]*"
                         r"[-–])[ \t]*")
#: A note in brackets between a speaker's name and the colon: "Dawn (refuge):".
_LABEL_NOTE = re.compile(r"[ \t]*\([^()\n]{1,30}\)(?=:)")
#: The rest of a two-word speaker's label after its first word.
_LABEL_REST = re.compile(r"[ \t]+[^\W\d_][\w'’.\-]*:(?:[ \t]|$)", re.MULTILINE)
#: The same, with the first words of a speaker's label before: "[21:14] ate joy:".
_CHAT_STAMP_WORDS = re.compile(_CHAT_STAMP.pattern + r"(?:[^\W\d_][\w'’.\-]*[ \t]+){1,2}")


#: First names that are stop words: only where nothing else can stand ("ask will to", "my
#: manager Will").
STOP_NAMES = frozenset({"will", "may"})


def after_kin(text: str, s: int, word: str) -> bool:
    """A first name in lower case right after a kinship word ("my grandma rose", "his
    brother hunter"), even where a dictionary knows it: whom the family word names. Not a
    stop word ("my brother will come") unless capitalised ("my manager Will"), nor a word
    that follows names ("my son said")."""
    if len(word) < 3 or not word.isalpha():
        return False
    titled = word[:1].isupper() and word[1:].islower()
    if not (word.islower() or titled):
        return False
    m = _WORD_BEFORE.search(text, max(0, s - 30), s)
    if m is None or m.group(1).casefold() not in KINSHIP_WORDS:
        return False
    low = word.casefold()
    if titled and (low in STOP_NAMES or
                   low in KINSHIP_WORDS and low in gazetteer().first_names):
        return True  # "my manager Will keeps ...", "tita Baby": the capital says it is a name
    return word.islower() and low in gazetteer().first_names and low not in NOT_NAMES and \
        low not in PERSON_AFTER


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]+$")
#: "told chase, who ...": a word described as a person.
WHO_AFTER = re.compile(r"[ \t]*,[ \t]*who[ \t]")



#: Verbs of speech: the word right before one is who spoke ("what king said").
_SPEECH = frozenset({"said", "says", "told", "tells", "asked", "asks", "replied", "texted",
                     "messaged", "wrote", "posted", "tweeted", "answered", "shouted",
                     "screamed", "yelled", "testified", "testifies", "stated", "explained",
                     "recalled", "recalls", "confirmed", "phoned", "rang", "called"})
#: What makes a sentence's first word a person: "Blessing, who ...", "Faith told me",
#: "Precious testified", "Memory reports that", "Summer was last seen", "Lucky went missing".
_SAYS_OR_WHO = re.compile(WHO_AFTER.pattern + r"|[ \t]+(?:" + "|".join(sorted(_SPEECH)) +
                          r"|reports[ \t]+that|was[ \t]+last[ \t]+seen|went[ \t]+missing|"
                          r"disappeared|was[ \t]+(?:taken|arrested|detained|abducted|beaten|"
                          r"killed|shot|released|freed|charged|sentenced|deported|tortured)"
                          r"[ \t]+(?:by|from|at|in|on|after|to|for|with)\b)\b")


def before_speech(text: str, s: int, e: int, word: str) -> bool:
    """A first name in lower case right before a verb of speech, with no determiner before
    it ("what king said", "grace told me"; not "the king said", "my mom said")."""
    if len(word) < 3 or not word.isalpha() or not word.islower() or \
            word not in gazetteer().first_names or word in NOT_NAMES:
        return False
    m = re.match(r"[ \t]+([^\W\d_]+)", text[e:e + 20])
    if m is None or m.group(1).casefold() not in _SPEECH:
        return False
    return DETERMINER_BEFORE.search(text, max(0, s - 8), s) is None


def lower_name(word: str) -> bool:
    """A word in lower case that English writes as a name more often than as a word
    (:func:`redact.detect.gazetteer.name_first`): a first name even if the dictionary
    knows it ("tanner", "mason", "lily"), or a word no dictionary knows ("draymond")."""
    if len(word) < 3 or not word.islower() or word not in name_first() or word in NOT_NAMES:
        return False
    gaz = gazetteer()
    return word in gaz.first_names or not gaz.is_common(word)


def at_sentence_start(text: str, start: int, line_start: int) -> bool:
    """True if nothing but punctuation, a timestamp or a list mark precedes the word in
    its sentence."""
    i = start - 1
    while i >= line_start and text[i] in " \t'‘\"“([-–—*•>↳↪→":  # "↳ a reply"
        i -= 1
    if i < line_start:
        return True
    ch = text[i]
    if ch in SENTENCE_END:
        return True
    # "1." / "12)" list numbers and "[14.02.22, 22:41]" timestamps end in a digit or "]";
    # so does a chat export's "12/03/2024, 21:14 - "
    return ch == "]" or _CHAT_STAMP.fullmatch(text, line_start, start) is not None


def name_word(text: str, s: int, e: int, word: str) -> bool:
    """A capitalised word that is a name as well as a word, where the capital says which:
    a first name, or a word English writes as a name more often than as a word ("Joker"),
    inside a sentence ("Poor Jimmy", "his daughter Grace", "Amber, I love your videos");
    at a sentence start only a first name written as a name far more often than as a
    word ("Tanner is a good dude", not "Grace is a virtue")."""
    if not (word[:1].isupper() and word[1:].islower()) or len(word) < 3:
        return False
    gaz = gazetteer()
    low = word.casefold()
    first, names_first = low in gaz.first_names, low in name_first()
    # a surname that only Webster's Second knows as a word, not the modern dictionary
    # ("Voet", "Tambo", "Yurt"): capitalised inside a sentence, the name far more often
    obscure = not (first or names_first) and word.isalpha() and low in gaz.last_names and \
        not gaz.is_english(low) and gaz.is_common(low) and low not in CHAT_WORDS and \
        low not in LOCAL_UNITS
    if not (first or names_first or obscure) or low in NOT_NAMES or low in gaz.countries or \
            low in CALENDAR_WORDS or low in PRODUCT_NAMES or low in DEITY_WORDS or \
            low in ROLE_WORDS or is_people_word(low):
        return False  # "New Year's Eve", "on Viber", "a Bangladeshi", "Witness A": no names
    if (low in INSTRUMENT_HEADS or low in BODY_HEADS) and \
            re.search(r"[A-Z][\w'’\-]*[ \t]+$", text[max(0, s - 40):s]):
        return False  # "the Anti-Terror Law", "the Border Guard": a statute's or body's head
    ls = text.rfind("\n", 0, s) + 1
    if at_sentence_start(text, s, ls) and (obscure or not (first and names_first)) and \
            not ((first or obscure) and _SAYS_OR_WHO.match(text, e)):
        return False  # but "Blessing, who is his sister", "Faith told me": a person
    # not inside a run of capitalised words (a title, a heading, a body's name); "I" and
    # "A" after it are no run ("Lily I love your videos")
    before = text[max(ls, s - 2):s]
    after = text[e:e + 3]
    return not (before[:1].isupper() or re.match(r"[ \t][A-Z](?![\W_])", after)
                or re.search(r"[A-Za-z][ \t]$", before) and text[s - 2:s - 1].isupper())


#: A vehicle's colour before a make that is also a first name: "a grey Lada".
_COLOUR_BEFORE = re.compile(r"(?<![\w'’])(?i:white|black|grey|gray|silver|red|blue|green|"
                            r"dark|beige|brown|yellow|maroon|battered|rusty)[ \t]+$")


def vehicle_make(text: str, s: int, word: str) -> bool:
    """A make of car or an app after a colour: "a grey Lada", "the black Mercedes" are cars,
    though the name lists hold "Lada" and "Mercedes"."""
    return word.casefold() in PRODUCT_NAMES and \
        _COLOUR_BEFORE.search(text, max(0, s - 12), s) is not None


#: Common words the name lists also hold that are almost never names in a statement.
NOT_NAMES = frozenset(STOP_WORDS) | frozenset(NAME_TITLES) | frozenset(KINSHIP_WORDS)


_LINE_END = re.compile(r"[ \t]*(?:\r?\n|$)")
#: Before an initial that ends its line: nothing (a signature), a sentence, a capitalised word.
_SIGNING = re.compile(r"(?m:^)[ \t\-–—~]*$|(?:[.!?][ \t]+|[A-Z][a-z]+[ \t]+)$")


def is_initial(text: str, s: int, e: int) -> bool:
    """A capital letter with a full stop, next to a name, a title or another initial, or
    alone in brackets ("the applicant (A.)")."""
    if e - s != 1 or not text[s].isupper() or e >= len(text) or text[e] != ".":
        return False
    if text[s - 1:s] == "(" and text[e + 1:e + 2] == ")" or \
            text[s - 1:s] in "\"“" and text[e + 1:e + 2] in ("\"", "”"):
        return True  # "the applicant (A.)", 'contact person: "M."'
    if text[s] not in "AQI" and _LINE_END.match(text, e + 1) and _SIGNING.search(
            text, text.rfind("\n", 0, s) + 1, s):
        return True  # a letter's "K." alone on a line, "Text me. S.", "Interpreter: Saw K."
    before = text[max(0, s - 30):s]
    after = text[e + 1:e + 30]
    if re.match(r"[ \t]?[A-Z\u00C0-\u024F\u0400-\u04FF]", after):
        # "A. Kovalenko", "A. K."; not a transcript's "Q. Did you ..." / "A. Yes" / "A. Mrs."
        nxt = re.match(r"[ \t]?([^\W\d_]+)", after)
        if text[s] in "QA" and not text[text.rfind("\n", 0, s) + 1:s].strip() and nxt and \
                len(nxt.group(1)) > 1 and (gazetteer().is_common(nxt.group(1)) or
                                           nxt.group(1).casefold() in NAME_TITLES):
            return False
        return True
    if re.search(r"[A-Z\u00C0-\u024F\u0400-\u04FF]\.[ \t]?\Z", before):
        return True  # "K. A."
    low = before.lower()
    return bool(re.search(r"(?:signed|sgd|mr|mrs|ms|dr|witness|call|called|named)[.:,]?"
                          r"[ \t]*$", low)
                or re.search(r"\w[ \t]*,[ \t]*$", before))  # "Person A, A."


def trailing_initial(text: str, s: int, e: int, rem: Sequence[tuple[int, int]],
                      rem_starts: Sequence[int]) -> bool:
    """A capital letter with a full stop right after a removed span ("Marta Q.:" once
    "Marta" is removed), or without one at a label's colon or a clause's end ("Marcus T:",
    "with Marcus T, who"): the rest of the name."""
    if e - s != 1 or not text[s].isupper() or text[s] in "IA" and text[e:e + 1] != "." or \
            text[e:e + 1] not in (".", ":", ",", ";", "!", "?", ")", "\n", ""):
        return False
    i = bisect.bisect_right(rem_starts, s) - 1
    return i >= 0 and rem[i][1] < s and not text[rem[i][1]:s].strip(" \t")


def leading_initial(text: str, s: int, e: int, rem: Sequence[tuple[int, int]],
                     rem_starts: Sequence[int]) -> bool:
    """A capital letter with a full stop right before a removed span ("J. [cole]", "A.
    [Kovalenko]" once the surname is removed; a scan's or a token list's "J . [cole]"):
    the rest of the name."""
    if e - s != 1 or not text[s].isupper():
        return False
    m = _INITIAL_GAP.match(text, e)
    if m is None:
        return False
    nxt = m.end()
    i = bisect.bisect_left(rem_starts, nxt)
    return i < len(rem) and rem[i][0] == nxt


#: Honorifics that stand only before a name: the word after one is a name even where a
#: dictionary knows it ("Mr Green", "dr. cox", "Mrs Rice").
HONORIFIC = re.compile(r"(?<![\w'’])(?:mr|mrs|ms|mx|dr|prof|herr|frau|mme|mlle|sra|srta|dj|mc|lil)"
                        r"\.?[ \t]+$", re.IGNORECASE)


def after_honorific(text: str, s: int, word: str) -> bool:
    """A word right after an honorific ("Mr Green", "mrs rice") that is no stop word, title
    or rank, and that a name list holds or that is capitalised ("Dr. Whitebread")."""
    m = HONORIFIC.search(text, max(0, s - 7), s) if len(word) >= 2 and word.isalpha() else None
    if m is None:
        return False
    low = word.casefold()
    if text[m.start():m.start() + 3].casefold() == "lil":
        # "lil" also means "little": only a first name after it, and no "a lil"
        return DETERMINER_BEFORE.search(text, max(0, m.start() - 8), m.start()) is None \
            and _lil_name(word)
    if low in NOT_NAMES and not (word.istitle() and low in _NAME_STOPS) \
            or low in NOT_AFTER_HONORIFIC or word.islower() and \
            low in PERSON_AFTER or DETERMINER_BEFORE.search(text, max(0, m.start() - 8),
                                                           m.start()):
        return False  # "Mr and Mrs", "Mr President", "dr said", "the DJ played"; but "Mr Will"
    return word[:1].isupper() or gazetteer().is_name_part(low)


#: Stop words that are first names too: capitalised after an honorific, a name ("Mr Will",
#: "Mrs May").
_NAME_STOPS = frozenset({"will", "may"})
#: Words an honorific may stand before that are no name ("Mr President", "Madam Chair").
NOT_AFTER_HONORIFIC = frozenset("""president speaker chairman chair chairwoman minister
secretary prime ambassador justice judge governor mayor senator general colonel major
captain commander officer inspector doctor professor""".split())


#: Words that open a stage name and belong to it, unlike a title: "DJ Khaled", "MC Solaar",
#: "lil jay". Removed with the name (a title such as "Dr" stays: it says what, not who).
STAGE_PREFIXES = frozenset({"dj", "mc", "lil"})
_NAME_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")


def stage_prefix(text: str, s: int, e: int, word: str, rem: Sequence[tuple[int, int]],
                 rem_starts: Sequence[int]) -> bool:
    """"DJ", "MC" or "lil" right before a removed name, a capitalised word or (after "lil",
    which also means "little") a first name: part of the stage name ("DJ [Khaled]", "DJ
    Switch", "lil jay"; not "a lil bit", "the DJ said")."""
    low = word.casefold()
    if low not in STAGE_PREFIXES or DETERMINER_BEFORE.search(text, max(0, s - 8), s):
        return False
    m = _NAME_AFTER.match(text, e)
    if m is None:
        return False
    i = bisect.bisect_left(rem_starts, m.start(1))
    if i < len(rem) and rem[i][0] == m.start(1):
        return True
    return m.group(1)[0].isupper() or low == "lil" and _lil_name(m.group(1))


_LETTER_TITLES = NAME_TITLES | KINSHIP_WORDS | RANK_WORDS
_CALL_ME_BEFORE = re.compile(r"\bcall(?:s|ed)?[ \t]+(?:me|him|her|them)[ \t]+$", re.IGNORECASE)
_BIG_BEFORE = re.compile(r"(?<![\w'’])(?:big|lil|little|young|baby|yung)[ \t]+$",
                         re.IGNORECASE)


def letter_nickname(text: str, s: int, e: int) -> bool:
    """A capital letter that is a nickname: after "call me" ("from now on call me T"),
    after "big", "lil", "young" ("he owes big T", "ask lil J"; not after a determiner: "a
    big C on the test") or a name after a title, a relative or a rank ("COACH K", "uncle
    J", "Officer D"); not "I" or "A"."""
    if e - s != 1 or not text[s].isupper() or text[s] in "IA" or text[e:e + 1].isalnum():
        return False
    if _CALL_ME_BEFORE.search(text, max(0, s - 20), s):
        return True  # "from now on call me T"
    big = _BIG_BEFORE.search(text, max(0, s - 10), s)
    if big is None:
        # a title, a relative or a rank before a letter: "COACH K", "uncle J", "Mrs B"
        word = _WORD_BEFORE.search(text, max(0, s - 30), s)
        return word is not None and word.group(1).casefold() in _LETTER_TITLES
    return not DETERMINER_BEFORE.search(text, max(0, big.start() - 8), big.start())


def _lil_name(word: str) -> bool:
    """A first name after "lil" ("lil jay"), not a word ("lil bit", "lil bro")."""
    low = word.casefold()
    return low in gazetteer().first_names and low not in NOT_NAMES and \
        low not in PERSON_AFTER and low not in PERSON_BEFORE and len(low) >= 3


def beside_person(text: str, s: int, e: int, word: str,
                  people: Sequence[tuple[int, int]]) -> bool:
    """A name part right beside a removed person, even where a dictionary knows it: the
    name's other part. Capitalised, a first name before the person ("Sherlock [Holmes]")
    or a first name or surname after it ("[Donald] Trump"); in lower case, after a lone
    first name, a surname English writes capitalised often ("[taylor] swift", "[Donald]
    trump": :func:`redact.detect.gazetteer.capitalised_often`; not "[timur] long"). Never a
    title, rank, kinship or stop word, nor a word that follows names ("said", "and")."""
    if not people or len(word) < 3 or not word.isalpha():
        return False
    if word.islower():
        return _lower_surname(text, s, word, people)
    if not (word[:1].isupper() and word[1:].islower()):
        return False
    low = word.casefold()
    gaz = gazetteer()
    if low in NOT_NAMES or low in NOT_AFTER_HONORIFIC or low in LINE_LABELS or \
            low in gaz.countries or is_people_word(low) or text[e:e + 1] == ":" or \
            low in CHAT_WORDS and (low not in gaz.first_names or low in INTERJECTIONS):
        return False  # "Name: [Diana]", "Okay [Tony]", "Bonsoir [Reza]"
    calendar = low in CALENDAR_WORDS
    i = bisect.bisect_left(people, (e, e))
    if i < len(people) and low in gaz.first_names and _SPACE_GAP.fullmatch(
            text, e, people[i][0]):
        # a first name before the surname; a day or month only where it names someone
        return not calendar or calendar_name(text, s, e)
    if calendar:
        return False
    i -= 1
    while i >= 0 and people[i][1] > s:
        i -= 1
    return i >= 0 and gaz.is_name_part(low) and bool(_SPACE_GAP.fullmatch(text, people[i][1], s))


#: Words before a calendar word that only dates take ("in June", "last May"); and those
#: that times take too, but also people ("a message from June", "after Sunday left").
_DATE_WORDS = (r"on|in|by|since|until|till|of|last|next|this|every|each|during|through|early|"
               r"late|mid")
_DATE_WORD_BEFORE = re.compile(rf"(?<![\w'’])(?:{_DATE_WORDS})[ \t]+$", re.IGNORECASE)
_TIME_WORD_BEFORE = re.compile(rf"(?<![\w'’])(?:{_DATE_WORDS}|at|from|to|that|before|after)"
                               r"[ \t]+$", re.IGNORECASE)
_DIGITS_BEFORE = re.compile(r"\d[ \t,]*$")
_DIGITS_AFTER = re.compile(r"[ \t,]*\d")


def as_date(text: str, start: int, end: int) -> bool:
    """A word standing where a date does: after a word only dates take ("in June", "last
    summer") or beside digits ("June 5", "5 June")."""
    return bool(_DATE_WORD_BEFORE.search(text, max(0, start - 12), start) or
                _DIGITS_AFTER.match(text, end) or
                _DIGITS_BEFORE.search(text, max(0, start - 4), start))


#: A month of another language beside its day or year: "17 de septiembre de 2023", "ika-2
#: ng Setyembre 2017", "2 февраля" (the words between that dates take there).
_FOREIGN_DAY_BEFORE = re.compile(r"\d{1,2}(?:[ \t]*(?:de|del|ng|di|do|da|th|er|\.))?[ \t]+$",
                                 re.IGNORECASE)
_FOREIGN_YEAR_AFTER = re.compile(r"[ \t]+(?:(?:de|del|ng|di|do|da)[ \t]+)?\d{2,4}\b",
                                 re.IGNORECASE)
_DATE_FILLERS = frozenset({"el", "la", "le", "de", "del", "du", "ng", "ika", "am", "im", "the",
                           "of", "on", "em", "do", "da", "di", "dia", "en", "a", "al", "o"})


def foreign_date(text: str, start: int, end: int) -> bool:
    """A month of another language (:data:`FOREIGN_MONTHS`) with its day before it or its
    year after it: a date, whatever a name list holds ("Azar", "Mehr" are names too)."""
    return text[start:end].casefold() in FOREIGN_MONTHS and bool(
        _FOREIGN_DAY_BEFORE.search(text, max(0, start - 12), start) or
        _FOREIGN_YEAR_AFTER.match(text, end))


def date_words_only(surface: str) -> bool:
    """A span of a day, a month (English or another language's) and a year, with the small
    words dates take: "El 17 de septiembre de 2023", "marzo de 2019" (the model's body)."""
    words = re.findall(r"[^\W\d_]+|\d+", surface.casefold())
    months = [w for w in words if w in FOREIGN_MONTHS or w in CALENDAR_WORDS]
    return bool(months) and any(w.isdigit() for w in words) and all(
        w.isdigit() and len(w) <= 4 or w in FOREIGN_MONTHS or w in CALENDAR_WORDS or
        w in _DATE_FILLERS for w in words)


_CAPITAL_AFTER = re.compile(r"[ \t]+([A-Z][a-z'’\-]+)")


def calendar_name(text: str, start: int, end: int) -> bool:
    """A capitalised day, month or season that is a first name, right before a capitalised
    name and after no word of time or number: "her husband, Sunday Obi", "21:14 - Dawn
    Fairweather:"; not "on Sunday Musa came", "5 May Ali left", "Monday Morning"."""
    word = text[start:end]
    if not (word.isalpha() and word[:1].isupper() and word[1:].islower()):
        return False
    gaz = gazetteer()
    low = word.casefold()
    if low not in CALENDAR_WORDS or low not in gaz.first_names:
        return False
    after = _CAPITAL_AFTER.match(text, end)
    if after is None or after.group(1).casefold() in CALENDAR_WORDS or not (
            gaz.is_name_part(after.group(1)) or not gaz.is_common(after.group(1))):
        return False
    return not (_TIME_WORD_BEFORE.search(text, max(0, start - 12), start) or
                _DIGITS_BEFORE.search(text, max(0, start - 4), start))


#: First names that are verbs, which a chat puts before a name with its subject dropped
#: ("hope otieno is ok", "will otieno come").
_VERB_NAMES = frozenset("will may hope mark sue pat bill rob chase grant drew jack bob wade "
                        "trust wish pray call tell ask love miss".split())


def at_clause_start(text: str, s: int) -> bool:
    """``s`` opens a clause: the text's start, or after a line break or a sentence's or a
    clause's punctuation (spaces between)."""
    before = text[max(0, s - 40):s].rstrip(" \t")
    return not before or before[-1] in ".?!,;:\n(\"“—–-"


def _lower_surname(text: str, s: int, word: str, people: Sequence[tuple[int, int]]) -> bool:
    gaz = gazetteer()
    j = bisect.bisect_left(people, (s, s))
    if j < len(people) and text[people[j][0]:people[j][0] + 1].islower() and \
            _SPACE_GAP.fullmatch(text, s + len(word), people[j][0]) and \
            word in gaz.first_names and word not in NOT_NAMES and word not in PERSON_BEFORE \
            and word not in PERSON_AFTER and word not in CALENDAR_WORDS and (
                word in capitalised_often() or not gaz.is_common(word) or
                word not in _VERB_NAMES and at_clause_start(text, s)):
        # "ana [lucía ramírez]": a first name before a name, all in lower case; a word too
        # where a clause starts ("lucky gani? lucky [otieno]?"; not "hope [otieno] is ok")
        return True
    i = j - 1
    if i < 0 or not _SPACE_GAP.fullmatch(text, people[i][1], s):
        return False
    first = text[people[i][0]:people[i][1]]
    return first.isalpha() and first.casefold() in gaz.first_names and \
        word in capitalised_often() and word not in NOT_NAMES and word not in PERSON_AFTER \
        and word.removesuffix("s") not in KINSHIP_WORDS \
        and word not in NOT_AFTER_HONORIFIC and word not in gaz.countries
