"""The words around a word that make it name-like for the unexplained-word sweep
(:mod:`redact.explain`): a place's or a person's cue before or after it ("a guy from
urus-martan", "my cousin aslanbek", "the village is tsa-ershkhoy"), a greeting ("hey GT"),
an initial before it ("J. X"), a removed span beside it ("rustam elsaev"). Like
:mod:`redact.detect.positions`, these read only the text and explain nothing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from redact.detect.chat_cues import REFLEXIVE_AFTER
from redact.detect.vocabulary import (
    CHAT_WORDS,
    KINSHIP_WORDS,
    LOCAL_UNITS,
    NAME_TITLES,
    PERSON_AFTER,
    PERSON_BEFORE,
    PLACE_AFTER,
    PLACE_BEFORE,
    WORKPLACE_BEFORE,
)

__all__ = ["WORD_BEFORE", "WORD_AFTER", "INITIAL_BEFORE", "greeted_initials", "near_cue"]

#: An initial right before a word: "J. X".
INITIAL_BEFORE = re.compile(r"(?<![\w.'’])[A-Z] ?\.[ \t]?$")

#: The word right before a position (a full stop or comma after it allowed), and the
#: word right after one (a possessive skipped): the cues of :func:`near_cue` and
#: :func:`redact.guess.guess_type`.
WORD_BEFORE = re.compile(r"([^\W\d_]+)[.,]?[ \t]+$")
WORD_AFTER = re.compile(r"^(?:'s|’s)?[ \t,]*([^\W\d_]+)")


#: In a cased sentence a lower-case unknown word is a typo or a foreign word far more
#: often than a name: only these cues make it name-like there ("a guy from urus-martan").
_STRONG_BEFORE = frozenset(KINSHIP_WORDS | NAME_TITLES | LOCAL_UNITS | {
    "from", "near", "outside", "in", "towards", "toward", "named", "called", "nicknamed",
    "alias", "aka",
    "district", "town", "neighbourhood", "neighborhood", "camp"})
_STRONG_AFTER = frozenset({"said", "says", "told", "asked", "village", "aul", "district",
                           "street", "aka", "alias", "fan", "fans", "area", "mahallisi",
                           "mahalla", "neighbourhood", "neighborhood", "quarter", "camp",
                           "kebele", "barrio"})
#: Articles of place names in other languages and the words English villages open with,
#: passed over to the cue before them ("barrio la guacara", "aldea el tambo", "in little
#: budworth", "near upper heyford").
_PLACE_ARTICLES = frozenset({"la", "el", "los", "las", "de", "del", "da", "do", "dos", "al",
                             "little", "great", "upper", "lower", "north", "south", "east",
                             "west", "nether", "long", "high"})
#: A place's kind, then its name: "the village is", "our street was called".
_PLACE_IS = re.compile(r"(?i:village|town|district|street|neighbou?rhood|camp|settlement|"
                       r"mahalla|barrio|colonia)[ \t]+(?:is|was|called|named|is[ \t]+called|"
                       r"was[ \t]+called)[ \t]+$")
#: A greeting right before a word, or a credit: who is greeted or credited is someone ("hey
#: GT", "Dear MK", "Translated by AB", "Photo by: KM", "Directed by LSD").
_GREETED = re.compile(r"(?<![\w'’])(?i:hey|hi|hello|dear|yo|thanks|congrats|(?:directed|written|"
                     r"produced|photographed|reported|translated|interpreted|interviewed|"
                     r"edited|compiled|transcribed|filmed|drawn|photo|photos|video)[ \t]+by)"
                     r"[ \t,:]+$")
#: A word addressed by name: "edubes, your video", "mariam, thank you".
_VOCATIVE = re.compile(r"[ \t]*,[ \t]*(?:you|your|u|ur|thanks|thank)\b", re.IGNORECASE)



def greeted_initials(text: str, s: int, word: str) -> bool:
    """Two or three capitals greeted or credited: initials, whatever a dictionary says ("hey
    GT, will you", "Dear MK,", "Translated by: RK", "Directed by LSD"; not "Hi OK")."""
    return word.isupper() and 2 <= len(word) <= 3 and word.casefold() not in CHAT_WORDS \
        and _GREETED.search(text, max(0, s - 24), s) is not None

def near_cue(text: str, s: int, e: int, ls: int, le: int, rem: Sequence[tuple[int, int]],
              rem_starts: Sequence[int], *, strong_only: bool = False) -> bool:
    """The word ``text[s:e]`` (on the line ``ls``..``le``) stands where a person or a place
    does: after or before a cue word, after "the village is", as a possessive, addressed,
    after an initial, or beside a removed span (``rem``, sorted, with their starts).
    ``strong_only``: in a cased sentence, only the strong cues count."""
    before = WORD_BEFORE.search(text, max(ls, s - 40), s)
    after = WORD_AFTER.match(text[e:min(le, e + 40)])
    prev = before.group(1).lower() if before else ""
    nxt = after.group(1).lower() if after else ""
    if prev in _PLACE_ARTICLES and before is not None:
        two = WORD_BEFORE.search(text, max(ls, before.start() - 40), before.start())
        prev = two.group(1).lower() if two else prev
    if strong_only:
        if prev in _STRONG_BEFORE or nxt in _STRONG_AFTER:
            return True
    elif prev in PERSON_BEFORE or prev in PLACE_BEFORE or nxt in PERSON_AFTER \
            or nxt in PLACE_AFTER or prev in WORKPLACE_BEFORE:
        return True
    if _PLACE_IS.search(text, max(ls, s - 40), s):
        return True  # "the village is tsa-ershkhoy", "the street was called kirova"
    if text[e:e + 2] in ("'s", "’s") or _VOCATIVE.match(text, e) or \
            REFLEXIVE_AFTER.match(text, e, min(le, e + 40)) or \
            INITIAL_BEFORE.search(text, max(ls, s - 3), s):
        return True  # "X's", "X, your ...", "X hurt himself", "J. X"
    # next to a removed span: "rustam elsaev", "elsaev and rustam"
    i = bisect.bisect_right(rem_starts, s) - 1
    if i >= 0 and re.fullmatch(r"[ \t]*(?:,|and|or|&)?[ \t]*", text[rem[i][1]:s] or " "):
        return rem[i][1] <= s
    if i + 1 < len(rem) and re.fullmatch(r"[ \t]*(?:,|and|or|&)?[ \t]*",
                                         text[e:rem[i + 1][0]] or " "):
        return True
    return False
