"""The forms regex grouped by first letter (what propagation, verification and the file
check search with) matches exactly what the flat alternation of :func:`forms_regex`
matches. Model-free."""

from __future__ import annotations

import random

from redact.detect.forms import forms_regex, grouped_regex

#: letters that re's IGNORECASE matches across classes (i, dotless i, dotted I; s, long s;
#: k, Kelvin sign; the sigmas; mu and micro; the titlecase digraph), and separators
TRICKY = list("abcisk") + ["ı", "İ", "I", "S", "ſ", "K", "\u212a", "σ", "ς", "Σ", "ß", "ẞ",
                           "é", "É", "ǅ", "ǆ", "Ǆ", "µ", "μ", "Μ", "1", "-", ".", "+", "'",
                           "’", " "]


def _spans(rx, text: str) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [m.span() for m in rx.finditer(text)]


def test_the_longest_form_wins_across_case_classes() -> None:
    # "ia" and "ıa-b" both match "Ia-b" (I is i and dotless i): the longer one wins
    forms = ["ia", "ıa-b", "Ruslan", "ruslan ibragimov", "+7 928 744-19-03"]
    text = "Ia-b; RUSLAN\n  Ibragimov and ruslan. +7 928 744-19-03x, +7 928 744-19-03"
    grouped = grouped_regex(forms)
    assert grouped is not None
    assert _spans(grouped, text) == _spans(forms_regex(forms), text) == [
        (0, 4), (6, 24), (29, 35), (56, 72)]


def test_grouped_and_flat_alternation_agree_on_random_forms_and_texts() -> None:
    rng = random.Random(20261203)
    for _ in range(2000):
        forms = ["".join(rng.choice(TRICKY) for _ in range(rng.randint(1, 6)))
                 for _ in range(rng.randint(1, 12))]
        pieces = []
        for _ in range(rng.randint(1, 15)):
            if rng.random() < 0.4:  # a form, its case and spacing changed
                f = "".join(c.upper() if rng.random() < 0.3 else c for c in rng.choice(forms))
                pieces.append(f.replace(" ", rng.choice([" ", "  ", "\n", "\t "])))
            else:
                pieces.append("".join(rng.choice(TRICKY + ["\n", "x"])
                                      for _ in range(rng.randint(0, 5))))
        text = "".join(pieces)
        grouped, flat = grouped_regex(forms), forms_regex(forms)
        if flat is None:
            assert grouped is None
            continue
        assert grouped is not None
        assert _spans(grouped, text) == _spans(flat, text), (forms, text)
