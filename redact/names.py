"""The parts of a person's name, for finding it again: a name without its titles, the
parts worth removing on their own, the forms worth searching for, and the names a text
writes in lower case."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.positions import STAGE_PREFIXES
from redact.detect.vocabulary import KINSHIP_WORDS, NAME_TITLES, RANK_WORDS
from redact.pseudonyms import normalize_form

if TYPE_CHECKING:
    from redact.plan_spans import Candidate

__all__ = ["strip_titles", "name_parts", "worth_propagating", "lower_case_names", "word_forms"]

_LEADING = NAME_TITLES | KINSHIP_WORDS | RANK_WORDS | {
    "the", "my", "his", "her", "our", "their", "your", "a", "an", "late", "young", "old",
    "little", "big"} | STAGE_PREFIXES
_PARTICLES = {"abu", "umm", "ibn", "bin", "bint", "al", "el", "van", "von", "der", "den", "de",
              "da", "di", "du", "la", "le", "del", "dos", "das", "y", "ben", "bar", "st"}


def strip_titles(text: str) -> str:
    """The name without leading titles and kinship words, and without a final 's."""
    toks = text.replace("’", "'").split()
    while len(toks) > 1 and toks[0].rstrip(".").lower() in _LEADING:
        toks = toks[1:]
    name = " ".join(toks)
    return name[:-2] if name.endswith("'s") else name


#: "Abu Fadi" is Fadi's father, "Umm Ali" Ali's mother: the name after them is the child's.
_KUNYA = frozenset({"abu", "abou", "umm", "um", "oum"})


def name_parts(name: str, *, own: bool = False) -> list[str]:
    """The parts of a person's name worth removing on their own ("Ruslan", "Ibragimov").

    ``own``: only the parts that name this person, for giving a lone name the full
    name's label: not the child's name in a kunya ("Abu Fadi": a lone "Fadi" is his
    son; removed everywhere all the same, but not given his father's label)."""
    toks = strip_titles(name).split()
    if len(toks) < 2 and not (toks and _halves(toks[0].strip(".,;:'\"()[]"))):
        return []  # (one word: no parts, but "Rose-Merline": "Rose", "Merline")
    out = []
    for i, t in enumerate(toks):
        if t.endswith(".") and len(t) <= 4:
            continue  # an initial ("Kh.", "A."): shared by many names, never linked by
        t = t.strip(".,;:'\"()[]")
        low = t.lower()
        if own and i > 0 and toks[i - 1].strip(".,;:'\"()[]").lower() in _KUNYA:
            continue
        if len(t) < 2 or not any(c.isalpha() for c in t) or low in STOP_WORDS \
                or low in _PARTICLES or low in _LEADING:
            continue
        out.append(t)
        out.extend(h for h in _halves(t) if h.lower() not in STOP_WORDS)
    return out


def _halves(word: str) -> list[str]:
    """The two names of a hyphenated one ("Rose-Merline", "Okonjo-Iweala"), else none."""
    parts = word.split("-")
    return parts if len(parts) == 2 and all(
        len(h) >= 3 and h.isalpha() and h[0].isupper() and h[1:].islower() for h in parts) \
        else []


def worth_propagating(form: str) -> bool:
    """Forms too short or too common to search for on their own are not propagated."""
    letters = sum(ch.isalnum() for ch in form)
    if letters < 2:
        return False
    if form in STOP_WORDS:
        return False
    # A bare short number ("4", "12") would hit every other number in the text, and so
    # would short numbers joined by small words ("22 and 24", two ages in turn).
    words = re.findall(r"\w+", form)
    return not all(w.isdigit() and len(w) < 4 or w.casefold() in STOP_WORDS for w in words)


def lower_case_names(segments: Sequence[str], cands: Sequence[Sequence[Candidate]],
                     kept_place: Callable[[str], bool]) -> dict[str, str]:
    """The forms of people written in lower case ("mama faith", "lucky otieno") and of chat
    senders ("faith D", "Blessing A."), with their parts: a text that writes a name in lower
    case writes it so elsewhere ("faith pls call"), and a chat writes its members' names in
    any case ("thank you blessing"); these match in any case (normalised form -> entity).
    ``kept_place``: a place the policy keeps, never such a part ("Ruslan Moscow")."""
    out: dict[str, str] = {}
    for seg in cands:
        for c in seg:
            label = segments[c.seg][c.start:c.end]
            words = label.split()
            if c.action == "keep" or not words or not (
                    c.entity == "PERSON" and all(w[:1].islower() for w in words) or
                    c.rule.endswith((":chat_sender", ":sender_before_time", ":handle_author"))):
                continue
            for form in word_forms(label, kept_place):
                out.setdefault(form, c.entity)
    return out


def word_forms(name: str, skip: Callable[[str], bool] = lambda part: False) -> list[str]:
    """The normalised one-word forms of ``name`` and of its parts worth finding on their own
    (letters only), less the parts ``skip`` says are no one's ("Moscow" of "Ruslan
    Moscow"): what a chat's sender or a lower-case name is found by in any case."""
    parts = [name, *(p for p in name_parts(name) if not skip(p))]
    return [normalize_form(p) for p in parts
            if p.isalpha() and worth_propagating(normalize_form(p))]


def typo_of_common(word: str) -> bool:
    """``word`` (lower case) is one letter away from a common word: dropped, doubled,
    swapped or wrong ("recieve", "beleive", "yesterdy"), a typo more likely than a name."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    letters = "abcdefghijklmnopqrstuvwxyz"
    n = len(word)
    variants = {word[:i] + word[i + 1:] for i in range(n)}
    variants |= {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(n - 1)}
    variants |= {word[:i] + c + word[i + 1:] for i in range(n) for c in letters}
    variants |= {word[:i] + c + word[i:] for i in range(n + 1) for c in letters}
    return any(len(v) > 2 and gaz.is_english(v) for v in variants - {word})


def first_name_in_lower_case(word: str) -> bool:
    """A first name that, in lower case, is rarely anything else: no dictionary word, or
    one very rare as a word ("precious", "blessing"; not "met", "will", "mark")."""
    from redact.detect.gazetteer import gazetteer, very_rare_in_lower_case
    from redact.detect.positions import NOT_NAMES

    gaz = gazetteer()
    return word in gaz.first_names and word not in NOT_NAMES and (
        not gaz.is_common(word) or word in very_rare_in_lower_case())
