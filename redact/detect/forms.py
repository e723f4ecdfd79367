"""Surface forms found again in a text: what propagation (plan) and verification share.

:class:`FormMatcher` finds every planned form of a document in a text, the way
:mod:`redact.plan` spreads a removed name to its other mentions and
:mod:`redact.verify` checks that none survived; :func:`forms_regex` is its
plain case-insensitive regex, also used by the deny-list recognizer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import Any

from redact.detect.gazetteer import gazetteer

__all__ = ["FormMatcher", "forms_regex"]


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


class FormMatcher:
    """Finds surface forms in a text, the way propagation and verification both need.

    Forms match case-insensitively at word boundaries, across runs of
    whitespace. A one-word form that is also an ordinary English word ("Said",
    "Rose", "Bill") matches only with a capital first letter, so removing
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
        self._loose = forms_regex(loose)
        parts = [re.escape(f[0].upper()) + "(?i:" + re.escape(f[1:]) + ")"
                 for f in sorted(capital, key=len, reverse=True)]
        self._capital = (re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)")
                         if parts else None)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Every match, in text order (matches of the two kinds may overlap)."""
        found = []
        for rx in (self._loose, self._capital):
            if rx is not None:
                found.extend(rx.finditer(text))
        return iter(sorted(found, key=lambda m: (m.start(), -m.end())))


@functools.lru_cache(maxsize=2048)
def _form_matcher(forms: frozenset[str], any_case: bool = False) -> FormMatcher:
    """The (shared, read-only) :class:`FormMatcher` of a set of normalised forms."""
    out = object.__new__(FormMatcher)
    out._build(forms, any_case)
    return out

