"""Ages told beside a person, for the sweep and the chat rules.

:func:`aged_after`: an age right after a word ("joy is only 26") makes the word someone.
:func:`age_after_person`: a number right after a removed person, in brackets, between
commas or after "is (only)", is that person's age ("timur (16)", "karim, 31,",
"wairimu is only 7 she").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from redact.detect.first_chars import literal_alternation
from redact.detect.vocabulary import AGE_HEDGES, YEAR_UNITS

__all__ = ["aged_after", "age_after_person"]


def aged_after(text: str, e: int) -> bool:
    """An age after the word ending at ``e``: "joy is only 26", "yusuf was 17 when", "sunny
    is only 12 yaar" (not "ten is 10 percent"): the word is someone."""
    m = _AGED_AFTER.match(text, e)
    return m is not None and _NO_UNIT.match(text, m.end()) is not None


_AGED_AFTER = re.compile(r"[ \t]+(?:is|was|turned|turns)[ \t]+(?:(?:only|just|barely|nearly|"
                         r"almost)[ \t]+)?\d{1,2}(?!\d)")


_BRACKET_AGE = re.compile(r"[ \t]*(?:\(|,[ \t]*|[ \t]+(?:is|was|turned)[ \t]+(?:(?:only|just)"
                          rf"[ \t]+)?)(?:(?:{literal_alternation(AGE_HEDGES)})\.?[ \t]*)?$",
                          re.IGNORECASE)
#: An aside opened after a person and not yet closed: " (janda" of "Bu Tati (janda, 70)".
_OPEN_ASIDE = re.compile(r"[ \t]*\([^()\n,]{1,30}$")
#: A unit of years after an age between commas, and where the aside ends: "16 yrs —", "17
#: thn,", "27 tahun".
_YEARS = re.compile(rf"[ \t]*(?:{YEAR_UNITS})"
                    r"\.?(?=[ \t]*(?:[,;)\n]|[—–-][ \t]|$)|(?<=\.)[ \t])", re.IGNORECASE)
#: After "X is only N": the sentence goes on with no unit ("is only 6 she was crying").
_NO_UNIT = re.compile(r"(?:[ \t]*[.,;!?)]|[ \t]*$|[ \t]+(?!(?:%|percent|km|kg|kilo\w*|met\w+|"
                      r"miles?|hours?|minutes?|days?|weeks?|months?|dollars?|usd|am|pm)\b)"
                      r"[^\W\d_])", re.IGNORECASE | re.MULTILINE)


def age_after_person(text: str, s: int, e: int, people: Sequence[tuple[int, int]]) -> bool:
    """One or two digits in brackets, between commas or after "is (only)" right after a
    removed person, a hedge allowed ("approx. 30"): an age ("my son timur (16)", "Dmytro
    (22)", "bio: sherif, 29, gym", "Negar (surname unknown), approx. 30,",
    "the small one njeri is only 6 she", "Sasha (Oleksandra Bondar) is 16"), whatever the
    name's case."""
    if not (1 <= e - s <= 2 and text[s:e].isdigit()):
        return False
    m = _BRACKET_AGE.search(text, max(0, s - 20), s)
    if m is None:
        return False
    after = text[e:e + 1]
    if "," in m.group(0) and after != "," and (u := _YEARS.match(text, e)) is not None:
        after = ","  # "Neng Rina, 17 thn, ...", "(nephew), 16 yrs — same unit"
        e = u.end()
    if "(" in m.group(0) and after != ")" or "," in m.group(0) and after != "," or \
            m.group(0).strip(" \t(,") and not _NO_UNIT.match(text, e):
        return False
    end = m.start()
    if "," in m.group(0) and (o := _OPEN_ASIDE.search(text, max(0, end - 35), end)):
        end = o.start()  # "Bu Tati (janda, 70 thn)": a word on the person, then the age
    if text[end - 1:end] == ")" and m.group(0).strip(" \t(,"):
        end -= 1  # "my niece Sasha (Oleksandra Bondar) is 16": the name in brackets
    ends = {m.start(), end}
    # what is said of the person between the name and the age: "Joel Kizza ('J.J.'), 27",
    # "Marjorie Santos (we call her Jojie), 33,", "Blessing Akpan 'f', 41,"
    gap = m.start()
    while "," in m.group(0) and (g := _ASIDE.search(text, max(0, gap - 45), gap)) is not None:
        gap = g.start()
        ends.add(gap)
    i = bisect.bisect_left(people, (max(ends) + 1, 0)) - 1
    while i >= 0 and people[i][1] >= min(ends) - 1:
        end = people[i][1]
        if end in ends or end + 1 in ends and text[end:end + 1] in ("\"", "”", "’", "'"):
            return True  # (a nickname in quotes: 'alias "Bablu" (nephew), 16')
        i -= 1
    return False


#: A bracketed or quoted aside right after a name: "(we call her Jojie)", "'f'", "('J.J.')".
_ASIDE = re.compile(r"[ \t]*(?:\([^()\n]{1,40}\)|['‘\"“][^'’\"”\n]{1,20}['’\"”])$")
