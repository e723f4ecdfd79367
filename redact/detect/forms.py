"""Surface forms found again in a text: what propagation (plan) and verification share.

:class:`FormMatcher` finds every planned form of a document in a text, the way
:mod:`redact.plan` spreads a removed name to its other mentions and
:mod:`redact.verify` checks that none survived; :func:`forms_regex` is its
plain case-insensitive regex, also used by the deny-list recognizer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from redact.detect.gazetteer import gazetteer, rare_in_lower_case
from redact.detect.positions import as_date
from redact.detect.vocabulary import CALENDAR_WORDS

__all__ = ["FormMatcher", "forms_regex", "grouped_regex"]


def forms_regex(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of ``forms`` at word boundaries.

    Whitespace inside a form matches any run of whitespace (line breaks, double
    spaces), so "Ruslan Ibragimov" also matches "Ruslan\\n  Ibragimov".
    """
    parts = []
    for f in sorted({" ".join(f.split()) for f in forms if f.strip()}, key=len, reverse=True):
        parts.append(r"\s+".join(re.escape(tok) for tok in f.split(" ")))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _case_classes() -> Callable[[str], int | None]:
    """The key of a character under ``re.IGNORECASE``: two characters have the same key
    if and only if ``re`` lets each match the same characters (the smallest code point of
    the class of its ``re`` lower case, ``re._casefix`` giving the classes of more than one
    lower case: i and dotless i, s and long s ...). None where that is not known."""
    try:
        import _sre
        from re._casefix import _EXTRA_CASES
    except ImportError:  # another Python: the flat alternation
        return lambda _c: None

    def key(c: str) -> int | None:
        low = _sre.unicode_tolower(ord(c))
        return min((low, *_EXTRA_CASES.get(low, ())))

    return key


_case_key = _case_classes()


def grouped_regex(forms: Iterable[str]) -> re.Pattern[str] | None:
    """:func:`forms_regex` of ``forms`` with the forms grouped by their first letter: the
    same matches, about 2.5x faster to search with a statement's hundred forms.

    The flat alternation tries every form at every word start. Here each group
    starts with its first letter, once, then its forms in the flat order
    (longest first). Letters that ``re`` matches alike under IGNORECASE share a
    group (see :func:`_case_classes`), so no two groups can start at the same
    character: at each place only one group's forms can match, and they are
    tried in the order the flat alternation tries them. None if a first
    letter's class is not known (then use :func:`forms_regex`).
    """
    norm = sorted({" ".join(f.split()) for f in forms if f.strip()}, key=len, reverse=True)
    groups: dict[int, list[str]] = {}
    for f in norm:
        k = _case_key(f[0])
        if k is None:
            return None
        groups.setdefault(k, []).append(f)
    if not groups:
        return None
    parts = []
    for k in sorted(groups):
        fs = groups[k]
        tails = [r"\s+".join(re.escape(tok) for tok in f.split(" "))[len(re.escape(f[0])):]
                 for f in fs]
        body = tails[0] if len(tails) == 1 else "(?:" + "|".join(tails) + ")"
        parts.append(re.escape(fs[0][0]) + body)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


class FormMatcher:
    """Finds surface forms in a text, the way propagation and verification both need.

    Forms match case-insensitively at word boundaries, across runs of
    whitespace. A one-word form that is also an ordinary English word ("Said",
    "Rose", "Bill") matches only with a capital first letter (or in lower case right
    before a verb of speech: "precious called us back"), so removing
    "Said" the name does not remove "said" the verb, except with
    ``any_case=True`` (a lower-case statement, where "timur" and "rose" are
    names as often as words: there every form matches in any case).

    Build one with ``FormMatcher(forms)``; the regexes of recently used sets of
    forms are kept (planning, verification and a batch run's two stages match
    the same forms of a document several times), and a pickled matcher travels
    as its forms.
    """

    def __new__(cls, forms: Iterable[str], *, any_case: bool = False) -> FormMatcher:
        return _form_matcher(frozenset(" ".join(f.split()) for f in forms if f.strip()),
                             any_case)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_form_matcher, (self._forms, self._any_case))

    def _build(self, forms: frozenset[str], any_case: bool) -> None:
        gaz = gazetteer()
        self._forms = forms
        self._any_case = any_case
        loose, capital = [], []
        for f in forms:
            if not any_case and " " not in f and f[:1].isalpha() and gaz.is_english(f):
                capital.append(f)
            else:
                loose.append(f)
        self._loose = grouped_regex(loose) or forms_regex(loose)
        parts = [re.escape(f[0].upper()) + "(?i:" + re.escape(f[1:]) + ")"
                 for f in sorted(capital, key=len, reverse=True)]
        self._capital = (re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")
                         if parts else None)
        # in lower case before a verb of speech, such a form is the name all the same:
        # "precious called us back", "hope said no"
        # (a first name rare as a word in lower case: not the model's "man" of "another
        # man told CNN")
        rare = rare_in_lower_case() if capital else frozenset()
        speaking = [f.lower() for f in capital if f.lower() in rare]
        self._speaking = (re.compile(r"(?<![\w'’])(?:" + "|".join(
            re.escape(f) for f in sorted(speaking, key=len, reverse=True)) + r")"
            r"(?=[ \t]+(?:said|says|told|tells|called|calls|texted|texts|asked|asks|wrote|"
            r"writes|replied|messaged|phoned|rang)\b)") if speaking else None)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match, in text order (matches of the two kinds may overlap). A person
        called after a month or a season ("June", "Summer") is not found where the word
        is a date ("in June", "June 5", "last summer")."""
        found = []
        for rx in (self._loose, self._capital, self._speaking):
            if rx is not None:
                found.extend(m for m in rx.finditer(text)
                             if (m.group(0).casefold() not in CALENDAR_WORDS
                                 or not as_date(text, m.start(), m.end()))
                             and not _inside_number(text, m.start(), m.end()))
        return iter(sorted(found, key=lambda m: (m.start(), -m.end())))


_NUMBER_ON = re.compile(r"[/.\-]\d")


def _inside_number(text: str, start: int, end: int) -> bool:
    """A form of digits that is only a part of a longer number here: "06/2024" in the
    date "25/06/2024" is not the reference "06/2024"."""
    return (text[start:start + 1].isdigit() and start >= 2
            and _NUMBER_ON.fullmatch(text[start - 2:start][::-1]) is not None
            or text[end - 1:end].isdigit() and _NUMBER_ON.match(text, end) is not None)


@functools.lru_cache(maxsize=2048)
def _form_matcher(forms: frozenset[str], any_case: bool = False) -> FormMatcher:
    """The (shared, read-only) :class:`FormMatcher` of a set of normalised forms."""
    out = object.__new__(FormMatcher)
    out._build(forms, any_case)
    return out

