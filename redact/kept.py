"""What a span the policy keeps explains, for the sweep of :mod:`redact.explain`.

An allow-listed name, a large place and a type the policy keeps explain their words;
a kept date only its date words and numbers (a name the model took into a date is
judged like any other word), and a kept nationality only words that are one.
"""

from __future__ import annotations

import re

from redact.detect.chat_cues import chat_person
from redact.detect.gazetteer import gazetteer
from redact.detect.places import is_nationality
from redact.detect.positions import after_kin, calendar_name, speaker_name
from redact.detect.text import ocr_digits
from redact.detect.vocabulary import CALENDAR_WORDS, FOREIGN_MONTHS

__all__ = ["explains_kept", "explained_ranges", "PLACE_NOT_PERSON", "PUBLIC_NAME"]

#: The rule of a large place kept where a person's name part stands as the place ("Ruslan
#: Moscow" is someone; "in Moscow" is the city): the final check takes it as decided.
PLACE_NOT_PERSON = "place_not_person"
#: The rule of a statute, a treaty or a body named in another language that the policy keeps
#: ("the Refugee Convention", "Defensoría del Pueblo"): like an allow-listed name, it
#: protects its words from other rules, and the final check takes it as decided.
PUBLIC_NAME = "public_name"


def explains_kept(entity: str, rule: str, surface: str) -> bool:
    """Whether a span the policy keeps explains its words.

    An allow-listed name, a large place, and any type the policy keeps (dates, an
    e-mail address a policy chooses to keep) do; a date only if no run of its digits is
    longer than a year's (and only its date words: :func:`explained_ranges`). A kept
    nationality or religion (NRP) does only if each of its words is one: the model
    labels unknown village names as nationalities often enough ("Gekhi", "Zhaosu").
    """
    if rule in ("allow", "large_place", PLACE_NOT_PERSON):
        return True
    if entity in ("DATE_TIME", "DATE_OF_BIRTH"):
        surface = ocr_digits(surface)  # as detection read it: a scan's "O4.O5.2O2l"
        # a date or time: no run of more than four digits (the model calls a 21-digit
        # complaint number a date now and then); a number alone only if it may be a year
        # ("in 2019"), not a prisoner's "1378", a cell's "309" or an age ("sherif, 29,"),
        # which the sweep judges as numbers
        bare = surface.strip()
        if bare.isdigit():
            return len(bare) == 4 and 1900 <= int(bare) <= 2099
        if sum(c.isdigit() for c in surface) > 8 and ":" not in surface or \
                re.search(r"\w+(?:-\w+){3,}", surface) or \
                re.search(r"\d-[^\W\d_]+-\d|[^\W\d_]-\d+-[^\W\d_]", surface):
            return False  # "4829-1736-0254-8810", "8-NT-4471-22": a number, not a date
        if any(re.search(r"\d", w) and re.search(r"[^\W\d_]", w) and not _DATE_WORD.fullmatch(w)
               for w in re.findall(r"\w+", surface)):
            return False  # "452lAB0l", a scan's plate: letters and digits mixed are no date
        # (a year of four digits is one of the last two centuries: "3/7219" is no date)
        return all(len(run) < 4 or len(run) == 4 and 1800 <= int(run) <= 2099
                   for run in re.findall(r"\d+", surface))
    if entity != "NRP":
        return True
    words = re.findall(r"[^\W\d_]+", surface)
    return bool(words) and all(len(w) >= 3 and is_nationality(w.casefold()) for w in words)


#: Words of a date with letters and digits: "5th", "2pm", "1990s", "18h", "3am".
_DATE_WORD = re.compile(r"\d{1,4}(?:st|nd|rd|th|s|h|am|pm|hrs?|ish)|\d{1,2}h\d{2}", re.IGNORECASE)


def explained_ranges(entity: str, rule: str, text: str, start: int,
                     end: int) -> list[tuple[int, int]]:
    """The parts of a kept span ``text[start:end]`` that it explains (:func:`explains_kept`).

    A kept date explains its calendar words, numbers and common words, not a name
    inside it: the model's dates hold names now and then ("Happy New year Amber",
    "better than LeQueen", "tell nana june": a month after a kinship word; a chat's speaker
    "2:03 PM - Dawn:"); a month or season that is someone ("Can June bring"); those words
    are judged like any other. Nor does a large place that is someone there ("Georgia (other
    roommate)": :func:`redact.detect.chat_cues.chat_person`).
    """
    if not explains_kept(entity, rule, text[start:end]):
        return []
    if rule == "large_place" and chat_person(text, start, end, text[start:end]):
        return []  # "Georgia (other roommate)": a place's name that is someone here
    if entity not in ("DATE_TIME", "DATE_OF_BIRTH"):
        return [(start, end)]
    out, pos = [], start
    for m in re.finditer(r"[^\W\d_]+", text[start:end]):
        a, b = start + m.start(), start + m.end()
        if not _date_word(m.group(0)) or after_kin(text, a, m.group(0)) or \
                calendar_name(text, a, b) or speaker_name(text, a, b, m.group(0)) or \
                chat_person(text, a, b, m.group(0)):
            out.append((pos, a))
            pos = b
    out.append((pos, end))
    return [(a, b) for a, b in out if b > a]


def _date_word(word: str) -> bool:
    """A word that may stand in a date: a month, a day, a season, a feast, or a common
    word that is no first name ("the", "evening", "last", "ago")."""
    low = word.casefold()
    if low in CALENDAR_WORDS or low in FOREIGN_MONTHS or len(low) <= 2:
        return True
    gaz = gazetteer()
    return gaz.is_common(low) and low not in gaz.first_names
