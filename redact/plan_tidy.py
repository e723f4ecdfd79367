"""A segment's spans, last touches (:func:`tidy`): a house number goes with its street,
a date split by "of" becomes one, a removal takes whole words and never an allow-listed
name's space, a removed place takes the capitalised words that continue its name, a number
corrected right after a removed one goes like it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.gazetteer import gazetteer
from redact.detect.vocabulary import NAME_TITLES
from redact.plan_spans import Candidate

__all__ = ["only_words_beside_allowed", "tidy"]


_HOUSE_NUMBER = re.compile(
    r"[ \t]*[,:]?[ \t]*(?:(?:no|nr|n°|№|#|house|d)[.:]?[ \t]*)?\d{1,5}[A-Za-z]?"
    r"(?:[/-]\d{1,4}[A-Za-z]?)?"
    r"(?:[ \t]*,?[ \t]*(?:kv|apt|apartment|flat|casa|apto|room|daire)[.:]?[ \t]*\d{1,5}"
    r"[A-Za-z]?)?"
    r"(?![\w/%])(?![ \t]+(?:people|persons|men|women|children|years?|months?|days?|hours?|"
    r"minutes?|km|kilomet\w+|miles?|metres?|meters?|times|soldiers|families|houses|cars)\b)",
    re.IGNORECASE)
_STREET_CUE = re.compile(
    r"(?:street|st\.|road|rd\.|avenue|ave\.|lane|vul\.?|vulytsia|ul\.?|ulitsa|prospekt|pr\.|"
    r"calle|rue|ulica|strasse|straße|sokak|sokağı|caddesi|mahallesi|address|lives?[ \t]+"
    r"(?:at|on)|living[ \t]+(?:at|on)|"
    r"resid(?:ing|es|ed)[ \t]+(?:at|on)|house[ \t]+(?:at|on)|flat[ \t]+(?:at|on))"
    r"[ \t]*[,:]?[ \t]*$", re.IGNORECASE)
_FLAT = re.compile(r"\d[A-Za-z]?[ \t]*,?[ \t]*(?:kv|apt|apartment|flat|casa|apto|room|daire)\b",
                   re.IGNORECASE)
_DIRECTION_BEFORE = re.compile(r"(?<![\w-])(?:north|south|east|west|north-?east|north-?west|"
                               r"south-?east|south-?west|upper|lower|central|greater)"
                               r"[ \t]+$", re.IGNORECASE)
_CAPITALISED_AFTER = re.compile(r"(?:[ \t]+[A-Z\u00C0-\u024F\u0400-\u042F][a-z\u00E0-\u024F"
                                r"\u0430-\u044f'’\-]+(?![\w'’\-])){1,3}")
_DATE_GAP = re.compile(r"[ \t]*(?:,|of|of the|the)?[ \t]*", re.IGNORECASE)


_SPACE = re.compile(r"[ \t]+")
#: The rest of a word broken at a line's end by a scan or a typist: "-\nenko".
_BROKEN_WORD = re.compile(r"-[ \t]*\r?\n[ \t]*[a-zà-öø-ÿā-ž]+(?![\w'’])")


def _same_case(a: str, b: str) -> bool:
    """Two words written alike: both in capitals, or both capitalised ("JORDAN DIZON")."""
    return a.isupper() and b.isupper() or a[:1].isupper() and not a.isupper() and \
        b[:1].isupper() and not b.isupper()


#: Types whose common words say something of their own beside an allow-listed name: "MSF
#: tomorrow" is a date, "via [WhatsApp]" names nothing.
_OWN_WORDS_TYPES = frozenset({"DATE_TIME", "DATE_OF_BIRTH", "AGE"})


def _word_char(ch: str) -> bool:
    """A letter or digit of a script that separates its words by spaces (Latin, Cyrillic)."""
    return bool(ch) and ch.isalnum() and (ch.isascii() or "\u00C0" <= ch <= "\u024F" or
                                          "\u0400" <= ch <= "\u04FF")


def only_words_beside_allowed(text: str, c: Candidate,
                               allowed: Sequence[tuple[int, int]]) -> bool:
    """A removed span cut at an allow-listed name's edge that holds only lower-case common
    words: the rest of a detection the allow-listed name explained."""
    surface = text[c.start:c.end]
    words = re.findall(r"[^\W\d_]+", surface)
    if not words or any(not w.islower() or not gazetteer().is_common(w) for w in words) or \
            re.search(r"\d", surface):
        return False
    a, b = c.start, c.end
    return any(e <= a and not text[e:a].strip(" \t") or b <= s and not text[b:s].strip(" \t")
               for s, e in allowed)


def tidy(text: str, cands: list[Candidate]) -> list[Candidate]:
    """Last touches to a segment's spans: a house number left behind by its removed street
    goes with it ("vul. [LOCATION] 12" must not happen); dates split by "of" become one
    ("the evening of 2 March"); a number corrected after a removed one goes too."""
    out: list[Candidate] = []
    allowed = [(k.start, k.end) for k in cands if k.rule == "allow"]
    for c in cands:
        if c.action != "keep" and allowed and c.entity not in _OWN_WORDS_TYPES and \
                only_words_beside_allowed(text, c, allowed):
            continue  # "via [WhatsApp]", "a Facebook [group]": what is left names nothing
        if c.action != "keep" and c.rule != "allow":
            # a removal never ends inside a word ("124t|h", "num|ber 7600..."): it takes the
            # whole word, unless an allow-listed name is there
            a, b = c.start, c.end
            while a > 0 and _word_char(text[a - 1:a]) and _word_char(text[a:a + 1]):
                a -= 1
            while b < len(text) and _word_char(text[b - 1:b]) and _word_char(text[b:b + 1]):
                b += 1
            if (a, b) != (c.start, c.end) and not any(
                    s < b and a < e for s, e in allowed):
                c = replace(c, start=a, end=b)
            # a span cut at an allow-listed name's edge keeps no space of its own ("a
            # Facebook group": "Facebook" stays, " group" must not eat the space)
            a, b = c.start, c.end
            while a < b and text[a:a + 1] in (" ", "\t"):
                a += 1
            while b > a and text[b - 1:b] in (" ", "\t"):
                b -= 1
            if a == b:
                continue
            if (a, b) != (c.start, c.end):
                c = replace(c, start=a, end=b)
        if c.action != "keep" and c.entity in ("LOCATION", "ORGANIZATION", "ADDRESS", "UNKNOWN",
                                               "PROPER_NOUN", "NRP"):
            # a removed place or body's name goes with the capitalised words that continue
            # it ("[LOCATION] Gorge", "Star Wars Land"): they name the same thing
            m = _CAPITALISED_AFTER.match(text, c.end)
            if m and not any(w.casefold() in STOP_WORDS or w.casefold() in NAME_TITLES
                             for w in m.group(0).split()):
                # never over a kept name: "kaal [REDACTED] Dhaka", "[ADDRESS] Cite
                # Presidentielle Papua New Guinea" keep "Dhaka", "Papua New Guinea"
                end = min([k.start for k in cands if k.action == "keep" and
                           k.start < m.end() and c.end < k.end] + [m.end()])
                end = len(text[:end].rstrip(" \t"))
                if end > c.end:
                    c = replace(c, end=end)
        if c.action != "keep" and c.entity in ("PERSON", "LOCATION", "UNKNOWN", "PROPER_NOUN"):
            # a scan breaks a name at a line's end: "Iryna Bondar-\nenko", "Olu-\nwaseun"
            m = _BROKEN_WORD.match(text, c.end - 1 if text[c.end - 1:c.end] == "-" else c.end)
            if m:
                c = replace(c, end=m.end())
        if c.action != "keep" and c.entity == "LOCATION":
            # "east portland", "Upper Kodori": the direction belongs to the place's name
            m = _DIRECTION_BEFORE.search(text, max(0, c.start - 12), c.start)
            if m:
                c = replace(c, start=m.start())
        if c.action != "keep" and c.entity in ("ADDRESS", "LOCATION", "UNKNOWN", "PROPER_NOUN"):
            m = _HOUSE_NUMBER.match(text, c.end)
            if m and (c.entity == "ADDRESS" or _FLAT.search(m.group(0)) or _STREET_CUE.search(
                    text, max(0, c.start - 30), c.start) or _STREET_CUE.search(
                    text, c.start, c.end)):  # "on [X] 4, apartment 19", "[412. Sokak], No: 9"
                c = replace(c, entity="ADDRESS", end=m.end())
        last = out[-1] if out else None
        if (last is not None and last.rule == "large_place" and c.action != "keep"
                and c.entity in ("PERSON", "UNKNOWN", "PROPER_NOUN")
                and _SPACE.fullmatch(text, last.end, c.start)
                and _same_case(text[last.start:last.end], text[c.start:c.end])
                and text[last.start:last.end].casefold() in gazetteer().first_names):
            # "JORDAN [DIZON]", "Florence [Mwangi]": a place's name that is a first name,
            # right before the rest of a name in the same case, is the person's
            out[-1] = replace(c, start=last.start)
            continue
        if (last is not None and c.rule == "unexplained:initial" and last.entity == "PERSON"
                and last.action != "keep" and last.end <= c.start
                and not text[last.end:c.start].strip(" \t")):
            out[-1] = replace(last, end=c.end)  # "Marta Q.": the initial is the name's
            continue
        if last is not None and last.end > c.start:
            if c.action == "keep":
                continue  # swallowed by the number's span
            out[-1] = replace(last, end=max(last.end, c.end))
            continue
        if (last is not None and c.action != "keep" and last.action == c.action
                and c.entity in ("DATE_TIME", "DATE_OF_BIRTH") and last.entity == c.entity
                and _DATE_GAP.fullmatch(text, last.end, c.start)):
            out[-1] = replace(last, end=c.end)
            continue
        if (last is not None and c.action != "keep" and last.action != "keep"
                and text[last.end:c.start] in ("-", "'", "’")):
            # the two halves of one hyphenated name ("Gekhi-Chu"): one replacement
            best = max(last, c, key=Candidate.rank)
            out[-1] = replace(best, start=last.start, end=c.end)
            continue
        out.append(c)
    return _corrections(text, out)


#: A number said again, corrected: "ul. Lenina 112 — no, sorry, 114", "0771 — I mean 0772".
_CORRECTION = re.compile(r"[ \t]*[—–-]*[ \t]*,?[ \t]*(?:no|sorry|I mean|correction|wait)"
                         r"(?:[ \t]*[,.]?[ \t]*(?:no|sorry|I mean|wait))*[ \t]*[,:]?[ \t]*"
                         r"(\d{1,6}[A-Za-z]?)(?![\w/])", re.IGNORECASE)


def _corrections(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A number corrected right after a removed one goes like it ("112 — no, sorry, 114")."""
    out: list[Candidate] = []
    for k, c in enumerate(cands):
        out.append(c)
        m = _CORRECTION.match(text, c.end) if c.action != "keep" and \
            re.search(r"\d", text[c.start:c.end]) else None
        if m and (k + 1 == len(cands) or cands[k + 1].start >= m.end(1)):
            out.append(replace(c, start=m.start(1), end=m.end(1)))
    return out
