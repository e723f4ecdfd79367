"""Guess: the type a removed unexplained word is replaced as (:func:`guess_type`).

The sweep of :mod:`redact.explain` finds the words nothing explains; the planner removes
the name-like ones and asks here what to call each: a person, a place, a workplace, an
identifier, or ``UNKNOWN``, from the word's shape and the words around it. A wrong type
would mislead the reader, so only what the text says decides.
"""

from __future__ import annotations

import re

from redact.detect.ages import aged_after
from redact.detect.cues import WORD_AFTER, WORD_BEFORE
from redact.detect.gazetteer import gazetteer, name_first
from redact.detect.vocabulary import (
    KINSHIP_WORDS,
    PERSON_AFTER,
    PERSON_BEFORE,
    PLACE_AFTER,
    PLACE_BEFORE,
    PLACE_NOUNS,
    WORKPLACE_BEFORE,
)
from redact.explain import Unexplained

__all__ = ["guess_type"]

#: Words that give a name: after a place word ("a village called ..."), a place's.
_NAMING = frozenset({"called", "named", "call", "calls", "as"})
#: A form's field whose value is someone: "Patient: Memory Tendai Chikore".
_PERSON_FIELD = re.compile(r"(?i)\b(?:name|patient|victim|client|complainant|applicant|"
                           r"witness|deponent|spouse|caller|examinee|detainee|deceased|"
                           r"accused|suspect|informant)[ \t]*:[ \t]*$")


def guess_type(text: str, w: Unexplained) -> str:
    """The entity type a removed unexplained word is replaced as.

    Only what the text says: a handle, a code, an initial or a speaker label by
    its shape; a word after "from", "in", "near", "village" ... as a place
    (unless it is a known first name and no place: "a call from Ruslan"); a word
    after a kinship word, a title or "named" as a person, and so a first name
    that is a dictionary word English writes as a name far more often ("tanner").
    Anything else is
    ``UNKNOWN`` (a neutral marker): a wrong type would mislead the reader.
    """
    if w.reason == "handle":
        return "MESSAGING_HANDLE"
    if w.reason == "code":
        return "ID_NUMBER"
    if w.reason == "age":
        return "AGE"
    if w.reason in ("initial", "speaker", "surname", "chat") or \
            re.match(r"[A-Z] ?\.[ \t]?[^\W\d_]{2}", text[w.start:w.end]):
        return "PERSON"  # "A.", "TG:", "J. cole": an initial is a person's
    s, e = w.start, w.end
    ls = text.rfind("\n", 0, s) + 1
    before = WORD_BEFORE.search(text, max(ls, s - 40), s)
    prev = before.group(1).lower() if before else ""
    after = WORD_AFTER.match(text[e:e + 40])
    nxt = after.group(1).lower() if after else ""
    word = text[s:e].casefold()
    gaz = gazetteer()
    placey = word in gaz.cities or word in gaz.countries
    if prev in PLACE_BEFORE or nxt in PLACE_AFTER - {"people", "men", "man", "guy", "guys"}:
        if prev == "from" and word in gaz.first_names and not placey:
            return "PERSON"
        return "LOCATION"
    if prev in WORKPLACE_BEFORE and word not in gaz.first_names:
        return "ORGANIZATION"  # "salon nigina", "the call center, paivand plus"
    if prev in _NAMING and before is not None:
        # "a village called kizhinga": what a place word is called is a place
        two = WORD_BEFORE.search(text, max(ls, before.start() - 40), before.start())
        if two is not None and two.group(1).casefold() in PLACE_NOUNS:
            return "LOCATION"
    if prev in PERSON_BEFORE or nxt in PERSON_AFTER - {"and", "or", "was", "is", "has", "had"} \
            or aged_after(text, e) or _PERSON_FIELD.search(text, max(ls, s - 30), s):
        return "PERSON"  # "my cousin aslanbek", "timur said", "wairimu is only 7"
    if word in gaz.first_names and word in name_first() and gaz.is_common(word) and not placey:
        return "PERSON"  # "tanner", "Tanner drove us": a word, but written as a name
    if text[e:e + 2] in ("'s", "’s") and nxt in KINSHIP_WORDS:
        return "PERSON"  # "Serhiy's wife"
    return "UNKNOWN"
