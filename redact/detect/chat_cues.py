"""Where a chat or a statement puts a person, even where a dictionary knows the word.

:func:`chat_person` says a first name in lower case (and, for some cues, a capitalised
one) names someone because of what stands around it: listed with "me", at someone's
home, given a relative, asked to do something, addressed, or described as someone
("Hope is my cousin", "Will was the driver", "Rose, a teacher, was detained"). The
unexplained-word sweep (:mod:`redact.explain`) and the planner's kept-word checks
(:mod:`redact.kept`) ask it; like :mod:`redact.detect.positions`, it reads only the text
and the word lists and explains nothing.
"""

from __future__ import annotations

import re

from redact.detect.ages import aged_after
from redact.detect.gazetteer import DETERMINER_BEFORE, capitalised_often, gazetteer
from redact.detect.positions import (
    NOT_NAMES,
    STOP_NAMES,
    WHO_AFTER,
    at_sentence_start,
    lower_name,
)
from redact.detect.vocabulary import (
    CALENDAR_WORDS,
    KINSHIP_WORDS,
    NAME_TITLES,
    OCCUPATIONS,
    PERSON_AFTER,
    PERSON_BEFORE,
    PERSON_NOUNS,
    ROLE_WORDS,
)

__all__ = ["chat_person", "described_as_someone", "REFLEXIVE_AFTER"]

#: Nouns that say a word before them names someone: "Hope is my cousin", "Will was the
#: driver", "Rose, a teacher, ...", "Green is not a better player".
_DESCRIBING_NOUNS = PERSON_NOUNS | KINSHIP_WORDS | OCCUPATIONS | ROLE_WORDS
#: A word described as someone: "is my cousin", "was the driver", "is not a better
#: player", ", a teacher,", Pidgin's "na my brother": up to two words between the
#: determiner and the noun.
_DESCRIBED_AFTER = re.compile(r"(?:[ \t]+(?:is|was|na)(?:[ \t]+(?:not|also|only|still|just|"
                              r"really))?|[ \t]*,)[ \t]+(?:a|an|the|my|our|his|her|their|"
                              r"your)[ \t]+((?:[a-z\-]+[ \t]+){0,2}[a-z\-]+)\b")


_DESCRIPTION_END = re.compile(r"(?![ \t]+[A-Z]|['’]s\b)")
_APPOSITION_END = re.compile(r"[ \t]*(?:[,;:.)!?\n]|$)|[ \t]+(?:who|from|of|at|in|with)\b")


def described_as_someone(text: str, e: int) -> bool:
    """The words after ``e`` describe what came before as a person: "is my cousin", ", a
    teacher", "was not the best player"; not "is the only thing my mother had", nor "Eid,
    my cousin Leyla"."""
    m = _DESCRIBED_AFTER.match(text, e)
    if m is None:
        return False
    for w in re.finditer(r"[a-z\-]+", m.group(1)):
        if w.group(0) in _DESCRIBING_NOUNS:
            # the noun ends the description: not "Eid, my cousin Leyla" (Leyla is the
            # cousin), "the driver's day"; after a comma, the noun ends an apposition: not
            # "Sunday, the pastor prayed"
            end = m.start(1) + w.end()
            return (_APPOSITION_END if text[e:m.start(1)].lstrip(" \t").startswith(",")
                    else _DESCRIPTION_END).match(text, end) is not None
        if w.group(0) in NOT_NAMES:  # "the only thing my mother ...": the phrase has ended
            return False
    return False


#: Chat cues that put a person right after or before them: "me n hope", "hope and me",
#: "at joy's" (someone's home), "shoutout to hunter".
_WITH_ME_BEFORE = re.compile(r"(?<![\w'’])me(?:[ \t]*(?:,|and|n|&|\+)[ \t]+[^\W\d_]+)?"
                             r"[ \t]*(?:,|and|n|&|\+)[ \t]+$", re.IGNORECASE)
_WITH_ME_AFTER = re.compile(r"[ \t]+(?:and|n|&|\+)[ \t]+me(?![\w'’])", re.IGNORECASE)
_AT_HOME = re.compile(r"(?<![\w'’])at[ \t]+$", re.IGNORECASE)
_SHOUTOUT = re.compile(r"(?<![\w'’])(?:shout[ \t]?out|s/o)(?:[ \t]+to)?[ \t]+$|"
                       # what a lost child or a pet is called: "she answers to lucky"
                       r"(?<![\w'’])answers?[ \t]+to[ \t]+(?:the[ \t]+name[ \t]+)?$",
                       re.IGNORECASE)


#: "ask will to cover", "tell bill to move": whom a verb asks to do something.
_ASK_BEFORE = re.compile(r"(?<![\w'’])(?:ask|asked|asking|tell|told|telling|get|got|remind|"
                         r"reminded|warn|warned|beg|begged|let)[ \t]+$", re.IGNORECASE)
_TO_DO_AFTER = re.compile(r"[ \t]+to[ \t]+[a-z]")
#: "hope (our cousin)", "chase, who told ...": a word described as a person.
_ROLE_AFTER = re.compile(r"[ \t]*\((?:our|my|his|her|their|your|the|other)[ \t]+(?:other[ \t]+)?"
                         r"([a-z\-]+)\)")
#: The subject of a verb done to oneself: "gaby gave herself", "hope hurt himself".
REFLEXIVE_AFTER = re.compile(r"[ \t]+[a-z]+(?:[ \t]+(?:it|up|out))?[ \t]+(?:him|her)self\b")
#: "is rocky still at the hostel", "is mark coming": a chat asking after someone.
_ASKING_BEFORE = re.compile(r"(?:^|[.!?:\n])[ \t]*(?:is|was|has|did|does|can|could|will|"
                            r"would|should)[ \t]+$", re.IGNORECASE)
_ASKING_AFTER = re.compile(r"[ \t]+(?:[a-z]+ing|still|ok|okay|alright|home|back|there|here|"
                           r"around|awake|up|out)\b")
#: "did faith get home", "can june bring her brother": a question about what someone does.
_DOES_AFTER = re.compile(r"[ \t]+(?:get|go|come|call|ring|text|message|bring|take|pick|drop|"
                         r"meet|see|say|tell|know|leave|send|reply|answer|arrive|show|stay|"
                         r"sleep|pay|hear|ask|check|collect|fetch|drive|visit|join)\b")
#: Someone addressed at the start of a line: "rocky ur actually throwing".
_ADDRESSED_AFTER = re.compile(r"[ \t]*,?[ \t]+(?:you|u|ur|your|youre)\b")
#: Someone addressed at the end of a question or a call: "where were you, Summer?"
_COMMA_BEFORE = re.compile(r"[^\W\d_][ \t]*,[ \t]*$")
_CALLED_AFTER = re.compile(r"[ \t]*[?!]")
#: Words that address anyone: "thanks, love!", "you ok, hun?".
_ENDEARMENTS = frozenset({"love", "honey", "babe", "baby", "dear", "darling", "sweetie",
                          "sweetheart", "hun", "mate", "buddy", "pal", "sunshine", "angel"})
#: "summer's dad", "hope's mum": someone's relative or boss.
_KIN_AFTER = re.compile(r"['’]s[ \t]+([a-z]+)\b")


def chat_person(text: str, s: int, e: int, word: str) -> bool:
    """A first name in lower case where a chat puts a person, even where a dictionary knows
    it: listed with "me" ("me n hope", "hope and me"), someone's home ("at joy's"), a
    shoutout ("shoutout to hunter"), what someone answers to ("she answers to lucky"),
    doing something to themself ("gaby gave herself"), asked to do something ("ask will to
    cover", "tell bill to move"), asked after ("is rocky still at the hostel"), described
    ("told chase, who"), given an age ("joy is only 26"), addressed at a line's start if
    English writes it capitalised often ("rocky ur throwing"), or a possessive of a first
    name English writes capitalised often ("grace's mum").

    Capitalised or not, and even a month, a season or a place: a word with a relative or
    described as one ("summer's dad", "Georgia (other roommate)"), asked what it does ("did
    faith get home", "Can June bring her brother"), or addressed after a comma at a
    question's or a call's end ("where were you, Summer?"; not "thanks, love!"; in lower
    case only a month or a word English writes capitalised often, not ", run!"). Never a
    kinship or speech word, nor a stop word except "will" and "may" asked to do something
    (or, capitalised, described as someone: "Will was the driver").
    """
    if len(word) < 3 or not word.isalpha():
        return False
    gaz = gazetteer()
    low = word.casefold()
    role = _ROLE_AFTER.match(text, e)
    if role is not None and role.group(1) in KINSHIP_WORDS and word[:1].isupper() and \
            word[1:].islower() and low not in KINSHIP_WORDS and low not in NOT_NAMES:
        return True  # "Nevada (my other roommate)": described as someone, a name or not
    if low not in gaz.first_names or low in PERSON_AFTER or low in KINSHIP_WORDS or \
            low in NAME_TITLES or low in PERSON_BEFORE:
        return False  # nor "man", "guy", "boy": "a 50 year old man who"
    lo = max(0, s - 30)
    titled = word[:1].isupper() and word[1:].islower()
    if (word.islower() or titled) and (low not in NOT_NAMES or titled and low in STOP_NAMES) \
            and not DETERMINER_BEFORE.search(text, max(0, s - 8), s) and \
            described_as_someone(text, e):
        return True  # "Hope is my cousin", "Will was the driver", "rose, a teacher,"
    if (word.islower() or titled) and \
            low not in NOT_NAMES and not DETERMINER_BEFORE.search(text, max(0, s - 8), s):
        # a month, a season or a word that has a relative or does something is someone:
        # "summer's dad", "did faith get home", "Can June bring her brother"
        kin = _KIN_AFTER.match(text, e) or role
        if kin is not None and kin.group(1) in KINSHIP_WORDS or \
                _ASKING_BEFORE.search(text, lo, s) and _DOES_AFTER.match(text, e) or \
                low not in _ENDEARMENTS and _COMMA_BEFORE.search(text, lo, s) and \
                _CALLED_AFTER.match(text, e) and (not word.islower() or low in CALENDAR_WORDS
                                                  or low in capitalised_often()):
            return True
    if not word.islower() or word in CALENDAR_WORDS:
        return False
    if word in STOP_NAMES:
        return bool(_ASK_BEFORE.search(text, lo, s) and _TO_DO_AFTER.match(text, e))
    if word in NOT_NAMES or DETERMINER_BEFORE.search(text, max(0, s - 8), s):
        return False  # "my job and me", "the rose"
    if _ADDRESSED_AFTER.match(text, e) and (word in capitalised_often() or lower_name(word)) \
            and at_sentence_start(text, s, text.rfind("\n", 0, s) + 1):
        return True  # "rocky ur actually throwing rn", "sterling you gone too far"
    if _WITH_ME_BEFORE.search(text, lo, s) or _WITH_ME_AFTER.match(text, e) or \
            aged_after(text, e) or \
            _SHOUTOUT.search(text, lo, s) or WHO_AFTER.match(text, e) or \
            REFLEXIVE_AFTER.match(text, e) or \
            _ASK_BEFORE.search(text, lo, s) and _TO_DO_AFTER.match(text, e) or \
            _ASKING_BEFORE.search(text, lo, s) and _ASKING_AFTER.match(text, e):
        return True
    if text[e:e + 2] not in ("'s", "’s") or text[e + 2:e + 3].isalpha():
        return False
    if _AT_HOME.search(text, lo, s) and not text[e + 2:e + 4].strip(" \t").isalpha():
        return True  # "at joy's", "at joy's." (not "at grace's school": see below)
    return word in capitalised_often()
