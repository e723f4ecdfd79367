"""A form's field labels: the words that label a line or a field, not what it says.

"Int.: When did it start?", "| Age: 29", "Age/Sex: 29 Y/F", "Tempat lahir : Wamena",
"Umur/tanggal lahir : 27 tahun": words of :data:`redact.detect.vocabulary.FIELD_LABELS`
only, from the line's start (or a column's bar) to a colon. The model reads some of them
as names ("Tempat", "Nama"); the sweep does not know the other languages' ones. Both
leave them be.
"""

from __future__ import annotations

import re

from redact.detect.vocabulary import FIELD_LABELS

__all__ = ["label_span", "repeated_speakers"]

#: A line's label: up to four words (joined by spaces or slashes) from the line's start,
#: after a bracket, bar or list mark, to a colon.
_LABEL_LINE = re.compile(r"[ \t\[(|*>-]*((?:[^\W\d_]+\.?(?:[ \t]*/[ \t]*|[ \t]+)?){1,4}?)"
                         r"[ \t]*:")
_WORD = re.compile(r"[^\W\d_]+")
#: What parts two fields on one line: a tab or three spaces.
_FIELD_GAP = re.compile(r"\t|[ ]{3,}|(?<=\w)\.[ \t]+(?=[A-Z])")


def label_span(text: str, s: int, e: int) -> bool:
    """``text[s:e]`` lies in its line's label: field-label words only, from the line's
    start (or a field's, after a tab or three spaces) to a colon ("Tempat lahir : Wamena",
    "Age/Sex: 29 Y/F", "[Tr.: he means", "DOB: 17.04.1996      Varsta: 27 ani")."""
    ls = text.rfind("\n", 0, s) + 1
    # a form of several fields on a line: "DOB: 17.04.1996      Varsta: 27"; a register's
    # fields in sentences: "Born: 1976-08-19. Home: Yawa village"
    field = max((g.end() for g in _FIELD_GAP.finditer(text, ls, s)), default=ls)
    m = _LABEL_LINE.match(text, field)
    return m is not None and s >= m.start(1) and e <= m.end(1) and all(
        w in FIELD_LABELS for w in _WORD.findall(m.group(1).casefold()))



#: A transcript's speaker label: one to three words from a line's start to a colon.
_SPEAKER_LINE = re.compile(r"(?m)^[ \t]*([^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){0,2})"
                           r"[ \t]*:[ \t]")


#: Who speaks in a hearing, a broadcast or a chat, by role: no one's name.
_ROLES = frozenset("""counsel court defence defense prosecution bench magistrate registrar
operator moderator host narrator admin system me you all everyone group bot""".split())


def repeated_speakers(text: str) -> list[tuple[int, int]]:
    """The words of speaker labels that open two lines or more, in any case ("luz dary:",
    "marta:"), less field labels and roles ("q:", "Interviewer:", "Note:"): whoever speaks
    in turn in a transcript. Offsets of each word, sorted."""
    from redact.detect.vocabulary import (
        KINSHIP_WORDS,
        NAME_TITLES,
        OCCUPATIONS,
        RANK_WORDS,
        ROLE_WORDS,
    )

    roles = KINSHIP_WORDS | ROLE_WORDS | RANK_WORDS | NAME_TITLES | OCCUPATIONS | _ROLES
    seen: dict[str, list[re.Match[str]]] = {}
    for m in _SPEAKER_LINE.finditer(text):
        seen.setdefault(m.group(1).casefold(), []).append(m)
    out = []
    for label, found in seen.items():
        words = _WORD.findall(label)
        if len(found) < 2 or all(w in FIELD_LABELS or w in roles or len(w) < 2 for w in words):
            continue
        out.extend((w.start(), w.end()) for m in found
                   for w in _WORD.finditer(text, m.start(1), m.end(1)))
    return sorted(out)
