"""A rule behind its first-set guard finds exactly what the rule alone finds: the same
spans and groups, on the testimony rules and on random patterns. Model-free."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from redact.detect.first_chars import first_set_guard, guarded
from redact.detect.rules import TESTIMONY_RULES

CORPUS = Path(__file__).resolve().parents[1] / "corpus"

#: letters re's IGNORECASE folds across classes (dotted and dotless i, long s, Kelvin sign,
#: the sigmas, the titlecase digraph), digits, separators and class-special characters
TRICKY = list("abcikKsSxyz19") + ["ı", "İ", "I", "ſ", "\u212a", "σ", "ς", "Σ", "ß", "ẞ", "é",
                                  "É", "ǅ", "ǆ", "Ǆ", "µ", "μ", "-", "]", "^", "\\", "&", "|",
                                  "~", ".", " ", "\n", "'"]


def _found(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    return [tuple(m.span(g) for g in range(rx.groups + 1)) for m in rx.finditer(text)]


def _texts() -> list[str]:
    out = [p.read_bytes().decode("utf-8", "replace") for p in sorted(CORPUS.rglob("*"))
           if p.suffix in (".txt", ".md", ".csv", ".jsonl")]
    assert out, "tests/corpus has statements"
    return out


def test_guards_are_what_a_match_can_start_with() -> None:
    assert first_set_guard(r"\b(?i:car|van)\s+\d") == "(?=(?i:[cv]))"
    assert first_set_guard(r"(?<!\w)(?=\w)(?:No\.?|#)\s*\d+") == r"(?=[N\#])"
    # an optional first item lets the next one count too; \b and lookarounds are stepped over
    assert first_set_guard(r"\b(?:Dr\.?\s+)?[A-Z][a-z]+") == "(?=[A-ZD])"
    # IGNORECASE of the whole pattern, with a case-sensitive part
    assert first_set_guard(r"(?-i:Q)|x", re.IGNORECASE) == "(?=(?-i:[Q])|(?i:[x]))"
    # no guard: the empty match, a broad or negated class, a back-reference, "."
    for regex in (r"a?", r"(?<=x)", r"\w+y", r"[^ab]c", r"(?:(a)|b?)\1", r".x", r"(a|)"):
        assert first_set_guard(regex) is None, regex


@pytest.mark.parametrize("flags", [0, re.IGNORECASE, re.MULTILINE])
def test_inline_global_flags_stay_first(flags: int) -> None:
    rx = guarded(r"(?i)\bkv\.?\s*\d+", flags)
    assert rx.pattern.startswith("(?i)(?=")
    assert _found(rx, "KV. 12, kv 4, \u212av 5") == _found(re.compile(r"(?i)\bkv\.?\s*\d+"),
                                                             "KV. 12, kv 4, \u212av 5")


def test_every_testimony_rule_finds_the_same_with_its_guard() -> None:
    texts = _texts()
    rng = random.Random(20261204)
    guarded_rules = 0
    for spec in TESTIMONY_RULES:
        for rule in spec.rules:
            plain, fast = re.compile(rule.regex, rule.flags), guarded(rule.regex, rule.flags)
            guarded_rules += fast.pattern != rule.regex
            # the statements, and the same statements with their letters' case flipped
            # here and there (lower-case chats, capitals, Kelvin signs for k ...)
            for text in texts:
                assert _found(fast, text) == _found(plain, text), rule.name
                mixed = "".join(
                    c.swapcase() if rng.random() < 0.2 else
                    "\u212a" if c == "k" and rng.random() < 0.3 else c for c in text)
                assert _found(fast, mixed) == _found(plain, mixed), rule.name
    assert guarded_rules >= 40  # most rules get a guard: the speed-up is real


def _random_pattern(rng: random.Random, depth: int = 0) -> str:
    def atom() -> str:
        r = rng.random()
        if r < 0.35 or depth > 2:
            return re.escape(rng.choice(TRICKY))
        if r < 0.5:
            chars = "".join(re.escape(rng.choice(TRICKY)) for _ in range(rng.randint(1, 3)))
            return f"[{chars}]" if rng.random() < 0.8 else rf"[{chars}\d]"
        if r < 0.6:
            return rng.choice([r"\b", r"(?<!\w)", r"(?=[a-z])", r"(?<=\s)", r"(?!x)", r"\B"])
        if r < 0.75:
            return "(?i:" + _random_pattern(rng, depth + 1) + ")"
        if r < 0.85:
            return "(?-i:" + _random_pattern(rng, depth + 1) + ")"
        if r < 0.95:
            return "(?:" + "|".join(_random_pattern(rng, depth + 1)
                                    for _ in range(rng.randint(2, 3))) + ")"
        return "(" + _random_pattern(rng, depth + 1) + ")"

    out = []
    for _ in range(rng.randint(1, 4)):
        a = atom()
        q = rng.random()
        if q < 0.15 and not a.startswith(("\\b", "\\B", "(?<", "(?=", "(?!")):
            a += rng.choice(["?", "*", "+", "{0,2}", "{1,2}", "??"])
        out.append(a)
    return "".join(out)


def test_random_patterns_find_the_same_with_their_guard() -> None:
    rng = random.Random(4242)
    checked = 0
    for _ in range(3000):
        regex = _random_pattern(rng)
        flags = rng.choice([0, 0, re.IGNORECASE])
        plain = re.compile(regex, flags)
        fast = guarded(regex, flags)
        if fast.pattern == regex:
            continue
        checked += 1
        for _ in range(4):
            text = "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 40)))
            assert _found(fast, text) == _found(plain, text), (regex, flags, text)
    assert checked > 1500
