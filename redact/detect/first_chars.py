"""A rule's possible first characters, checked before the rule is tried: same matches, less work.

Python's ``re`` tries a pattern at every position of a text. A rule such as
``\\b(?i:car|van|truck|...)\\s+...`` passes its word-boundary test at every
word start and then tries each alternative in turn, although only a word
starting with c, v, t, ... can begin a match. :func:`guarded` compiles the rule
behind a lookahead for the characters a match can start with (its *first
set*, read from ``re``'s own parse of the pattern): ``(?=(?i:[ctv...]))`` fails
in one step where the rule would have tried all its alternatives. A lookahead
consumes nothing and a match can only start with a character of the first set,
so the guarded rule finds exactly the same matches, groups and spans.

The first set is computed conservatively: zero-width items (``\\b``,
lookarounds) are stepped over, optional items add their first set and let the
next item's count too, and anything not understood (back-references, ``.``)
gives no guard. A pattern that can match the empty string, or whose first set
holds a broad class (``\\w``, ``\\S``, a negated class) where the lookahead
would only add a step, is compiled as it is. Letters under IGNORECASE are put
in a class under IGNORECASE, which ``re`` folds exactly as it folds a literal
(the Kelvin sign, the long s and the dotted I included; see
``tests/unit/test_first_chars.py``).

Over 100 statements of 5-10 KB, the 64 testimony rules took 1.63 s without
guards and 1.18 s with them (59 of the 64 get one).

Two other speed-ups of the rules live here: :func:`literal_alternation` writes a
list of words as a trie, and :data:`WORD_START` replaces ``\\b`` before a word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from re import _constants as C  # the node types of re's parse tree
from re import _parser
from typing import Any

__all__ = ["first_set_guard", "guarded", "literal_alternation", "WORD_START"]

_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D",
               C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
               C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S"}
#: classes that let almost every character through: a lookahead of them only adds a step
_BROAD = frozenset({r"\D", r"\w", r"\W", r"\s", r"\S"})
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
#: inline global flags at the very start of a pattern ("(?i)"): they must stay first
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


class _Unknown(Exception):
    """A node whose first characters are not worked out: no guard."""


def _char(code: int) -> str:
    ch = chr(code)
    if ch.isascii() and not ch.isalnum() and ch.isprintable() and ch != " ":
        return "\\" + ch  # "]", "^", "-", "\\", and "&&", "||", "~~" never form
    return ch if ch.isprintable() and not ch.isspace() else f"\\U{code:08x}"


class _FirstSet:
    """The first set being gathered: class items, case-sensitive and under IGNORECASE."""

    def __init__(self) -> None:
        self.items: dict[bool, set[str]] = {False: set(), True: set()}

    def sequence(self, nodes: list[tuple[object, object]], icase: bool) -> bool:
        """Add the first set of ``nodes`` in a row; True if the row can match nothing."""
        return all(self.node(op, av, icase) for op, av in nodes)

    def node(self, op: object, av: object, icase: bool) -> bool:
        """Add one node's first set; True if it can match the empty string."""
        if op is C.LITERAL:
            self.items[icase].add(_char(av))  # type: ignore[arg-type]
            return False
        if op is C.IN:
            for kind, value in av:  # type: ignore[attr-defined]
                if kind is C.LITERAL:
                    self.items[icase].add(_char(value))
                elif kind is C.RANGE:
                    self.items[icase].add(_char(value[0]) + "-" + _char(value[1]))
                elif kind is C.CATEGORY and value in _CATEGORIES:
                    self.items[icase].add(_CATEGORIES[value])
                else:  # a negated class, or a category re has for LOCALE
                    raise _Unknown(kind)
            return False
        if op in _ZERO_WIDTH:
            return True
        if op is C.SUBPATTERN:
            _group, add, remove, sub = av  # type: ignore[misc]
            inner = (icase or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE
            return self.sequence(sub.data, inner)
        if op is C.ATOMIC_GROUP:
            return self.sequence(av.data, icase)  # type: ignore[attr-defined]
        if op is C.BRANCH:
            empty = False
            for alt in av[1]:  # type: ignore[index]
                empty = self.sequence(alt.data, icase) or empty
            return empty
        if op in _REPEATS:
            low, _high, sub = av  # type: ignore[misc]
            return self.sequence(sub.data, icase) or low == 0
        raise _Unknown(op)  # ANY, back-references, conditionals


def first_set_guard(regex: str, flags: int = 0) -> str | None:
    """A lookahead for the characters a match of ``regex`` (compiled with ``flags``) can
    start with, or None when there is none worth adding (see the module's docstring)."""
    tree = _parser.parse(regex, flags)
    if tree.state.flags & (re.ASCII | re.LOCALE):
        return None
    icase = bool(tree.state.flags & re.IGNORECASE)
    first = _FirstSet()
    try:
        if first.sequence(tree.data, icase):
            return None  # it can match the empty string, anywhere
    except (_Unknown, AttributeError, TypeError, ValueError):
        # a node not understood, or a parse tree another Python shapes differently: the
        # rule is compiled as it is (re's parser is internal; the tests pin what it gives)
        return None
    if _BROAD & (first.items[False] | first.items[True]):
        return None
    alternatives = []
    if first.items[False]:
        cls = "[" + "".join(sorted(first.items[False])) + "]"
        alternatives.append(f"(?-i:{cls})" if icase else cls)
    if first.items[True]:
        alternatives.append("(?i:[" + "".join(sorted(first.items[True])) + "])")
    return "(?=" + "|".join(alternatives) + ")"


def guarded(regex: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(regex, flags)`` behind its first-set guard when it has one: the same
    matches, groups and spans, found with less work."""
    guard = first_set_guard(regex, flags)
    if guard is None:
        return re.compile(regex, flags)
    head = _GLOBAL_FLAGS.match(regex)
    lead = head.group(0) if head else ""
    # a line break before ")" ends a trailing comment of a verbose pattern
    close = "\n)" if flags & re.VERBOSE or "x" in lead else ")"
    return re.compile(lead + guard + "(?:" + regex[len(lead):] + close, flags)


def literal_alternation(words: Iterable[str]) -> str:
    """A regex matching any of ``words`` (lower-case literals), shaped as a trie.

    It matches what ``"|".join(longest first)`` matches, and at each position the
    same word: the words that match there are prefixes of one another, and both
    try them longest first. Python's ``re`` tries every branch of a flat
    alternation at every position; the trie tries one letter per branch, so a
    list of 150 words costs a few checks instead of 150 (5x faster here).
    Lower-case words only, each letter the lower case of its own capital (not
    "ſ", "ı", "ß"): under IGNORECASE two such letters never match the same
    character, which keeps the trie's branches exclusive.
    """
    tree: dict[str, Any] = {}
    for w in words:
        if not w or any(ch.upper().lower() != ch for ch in w):
            raise ValueError("literal_alternation takes non-empty lower-case words")
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(node) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(tree)


#: Where ``\b`` is followed by a word character: a rule whose first character is a word
#: character matches the same with this in front of it instead of ``\b``, but positions
#: inside and at the end of words fail at once (2-4x faster for rules of many branches).
WORD_START = r"(?<!\w)(?=\w)"
