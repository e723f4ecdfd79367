"""Text around detection: pieces for spaCy, capitals for the model, spans trimmed after it.

Before NER, a long text is cut into pieces (:func:`chunks`) and ALL-CAPS lines
are shown to the model in Title Case (:func:`truecase_caps`); after analysis,
Presidio's results become :class:`Detection` s whose spans are trimmed of
whitespace, sentence punctuation, a following verb, a leading month or a
possessive (:func:`to_detections`). All offsets stay those of the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.detection import Detection
from redact.detect.gazetteer import gazetteer, name_first
from redact.detect.vocabulary import CHAT_WORDS, FIELD_LABELS, PLACE_BEFORE

__all__ = ["CHUNK_CHARS", "chunks", "ocr_digits", "to_detections", "truecase_caps"]

#: Longest text handed to spaCy in one piece; longer texts are cut at paragraph breaks.
#: A spaCy Doc and Presidio's artifacts cost about 2 KB per character while they live:
#: pieces this size, few at a time (``BATCH_CHARS``), keep memory flat on long statements.
CHUNK_CHARS = 20_000


def chunks(text: str, limit: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces of at most ``limit`` chars at paragraph, line or word breaks."""
    if len(text) <= limit:
        return [(0, text)]
    out, pos = [], 0
    while pos < len(text):
        end = min(pos + limit, len(text))
        if end < len(text):
            window = text[pos:end]
            for sep in ("\n\n", "\n", ". ", " "):
                cut = window.rfind(sep)
                if cut > limit // 2:
                    end = pos + cut + len(sep)
                    break
        out.append((pos, text[pos:end]))
        pos = end
    return out


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


#: A scan's number read with letters for digits: "3l", "l7", "9OO33", "2O2l", "O82" (at
#: least one real digit, every other character an "l", "I", "O" or "o").
_OCR_NUMBER = re.compile(r"(?<![^\W\d_])(?=[lIOo]*\d)[\dlIOo]{2,}(?![^\W\d_])")
_OCR_DIGIT = str.maketrans("lIOo", "1100")
#: A zero between two letters of a word: "b0rn", "h0use", "Ch0lpan".
_OCR_WORD_ZERO = re.compile(r"(?<=[^\W\d_])0(?=[^\W\d_])")


def ocr_digits(text: str) -> str:
    """``text`` with the letters a scan put for digits read as digits inside numbers ("aged
    3l years" -> "aged 31 years", "CA 9OO33" -> "CA 90033"), and the zero it put for an "o"
    inside a word read as the letter ("b0rn", "my s0n"): same length and offsets, so the
    recognizers find a scanned statement's births, ages, phones and codes where they are."""
    if any(c in text for c in "lIOo"):
        text = _OCR_NUMBER.sub(lambda m: m.group(0).translate(_OCR_DIGIT), text)
    if "0" in text:
        text = _OCR_WORD_ZERO.sub(lambda m: "o" if m.string[m.start() - 1].islower() else "O",
                                  text)
    return text


def truecase_caps(text: str) -> str:
    """``text`` with ALL-CAPS lines in Title Case, for the NER model only (same length).

    The small English models rely on capitalisation: "RUSLAN IBRAGIMOV" is
    not recognised as a name, "Ruslan Ibragimov" is. Pattern recognizers still
    see the original text; offsets are unchanged.
    """
    if not any(c.isupper() for c in text):
        return text
    out = []
    for line in text.splitlines(keepends=True):
        cased = [c for c in line if c.isalpha() and (c.isupper() or c.islower())]
        words = _WORD.findall(line)
        if len(cased) >= 4 and len(words) >= 2 and \
                sum(c.isupper() for c in cased) >= 0.9 * len(cased):
            fixed = _WORD.sub(lambda m: m.group(0).capitalize()
                              if len(m.group(0).capitalize()) == len(m.group(0))
                              else m.group(0), line)
            out.append(fixed if len(fixed) == len(line) else line)
        else:
            out.append(line)
    return "".join(out)


_COMMON_ACRONYMS = frozenset("""
ASAP ATM SSN IBAN PIN ID DOB SMS MMS GPS FAQ CEO CFO OK TV PDF URL USB DNA HIV AIDS COVID
RSVP FYI BTW LOL OMG NB PS AM PM ETA VAT TBD TBA IOU DIY AKA IT HR PR QA
""".split())


def _trim_lowercase_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop trailing lower-case ordinary English words from a name span."""
    gaz = gazetteer()
    while True:
        cut = text.rfind(" ", start, end)
        if cut <= start:
            return start, end
        last = text[cut + 1:end]
        verb_like = last.endswith(("ed", "ing")) or last in STOP_WORDS
        if not (last.islower() and gaz.is_english(last)
                and (verb_like or not gaz.is_name_part(last))) and \
                not _NEGATED.fullmatch(last):  # "kian didn't"
            return start, end
        end = cut


_NEGATED = re.compile(r"[a-z]+n['’]t")


_MONTH_FIRST = re.compile(r"(?:January|February|March|April|May|June|July|August|September|"
                          r"October|November|December)[ \t]+(?=\S)")


def _trim_month(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a month name that opens a person's span ("March Serhiy's" -> "Serhiy's")."""
    m = _MONTH_FIRST.match(text, start, end)
    return (m.end(), end) if m else (start, end)


_HOST = re.compile(r"[^\W_]\.[^\W\d_]")
_VERSUS = re.compile(r"[ \t]+(?:v|vs)\.?[ \t]+")


def _parties(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The two parties of "X v. Y" in one span, apart."""
    m = _VERSUS.search(text, start, end)
    if m is None:
        return [(start, end)]
    return [(a, b) for a, b in ((start, m.start()), (m.end(), end)) if b > a]


_LEADING_DIGITS = re.compile(r"[\d\W_]*\d[\d\W_]*?[ \t]+(?=[^\W\d_])")


def _trim_leading_digits(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop digits and punctuation that open a name span ("08:02 - Dawn" -> "Dawn")."""
    m = _LEADING_DIGITS.match(text, start, end)
    return (m.end(), end) if m else (start, end)


_LABEL_COLON = re.compile(r":[ \t]+|[ \t]{3,}|\t")


def _label_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span cut at a label's colon or a table's column gap ("grace: tell" -> "grace",
    "Shiva Chaudhary   Spouse" -> "Shiva Chaudhary"), without the pieces made of lower-case
    common words or field labels only (the sweep judges those like any other word)."""
    gaz = gazetteer()
    out, pos = [], start
    for m in [*_LABEL_COLON.finditer(text, start, end), None]:
        a, b = pos, (m.start() if m else end)
        words = text[a:b].split()
        if b > a and not all(w.islower() and gaz.is_common(w) and w not in name_first() or
                             w.casefold() in FIELD_LABELS for w in words):
            out.append((a, b))
        if m:
            pos = m.end()
    return out


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[^\w\n]*$")
_PLACE_OR_THE = PLACE_BEFORE | {"the", "a", "an", "this", "that", "our", "my", "their"}
_WORD_AFTER = re.compile(r"[^\w\n]*([^\W\d_]+)")


def _no_name(text: str, start: int, end: int) -> bool:
    """A model's span of one word that names no one: a chat word in any case ("AITA",
    "LOL"); a common word in capitals between words in lower case and after no place word
    or article ("carried us AGAIN smh"; not "in the UNIVERSE", "SKY is"), in a case no name is
    written in ("wHy DoEs"), or in lower case and in no name list."""
    word = text[start:end]
    if not word.isalpha():
        return False
    low = word.lower()
    if low in CHAT_WORDS:
        return True
    gaz = gazetteer()
    if len(word) < 3 or not gaz.is_common(low):
        return False
    if word.islower():
        return not gaz.is_name_part(low)
    if word.isupper():
        before = _WORD_BEFORE.search(text, max(0, start - 30), start)
        after = _WORD_AFTER.match(text, end)
        if before is not None and before.group(1).casefold() in _PLACE_OR_THE:
            return False  # "in the UNIVERSE", "in DECKS": where, shouted or not
        return all(m is not None and m.group(1).islower() for m in (before, after))
    return not word[1:].islower() and not re.fullmatch(r"(?:Mc|Mac|O|De|Di|La|Le)[A-Z][a-z]+",
                                                       word)


def _line_pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The first line of a span, and later lines of at least two words."""
    out, pos = [], start
    for i, line in enumerate(text[start:end].split("\n")):
        a = pos + len(line) - len(line.lstrip())
        b = pos + len(line.rstrip())
        if b > a and (i == 0 or len(line.split()) >= 2):
            out.append((a, b))
        pos += len(line) + 1
    return out



def to_detections(results: Iterable[Any], offset: int, text: str) -> list[Detection]:
    """Presidio ``results`` on ``text`` (a piece starting at ``offset`` of its document) as
    :class:`Detection` s, their spans trimmed of what a replacement must not take."""
    out = []
    for r in results:
        start, end = r.start, r.end
        # NER spans may carry line breaks at their edges; a replacement must not eat them.
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        # ...and sentence punctuation glued to the last word ("Hama." at a sentence end).
        if end - start > 2 and text[end - 1] in ".,;:!?" and text[end - 2].islower():
            end -= 1
        if start == end:
            continue
        meta = r.recognition_metadata or {}
        rule = meta.get("rule") or meta.get(r.RECOGNIZER_NAME_KEY) or "unknown"
        if rule == "SpacyRecognizer":
            rule = "ner"
        pieces = [(start, end)]
        if rule == "ner" and "\n" in text[start:end]:
            # The model sometimes runs a name into the next line ("Erica Sultygov\nPhone").
            pieces = _line_pieces(text, start, end)
        if rule == "ner" and _LABEL_COLON.search(text, start, end):
            # the model runs a speaker's label into what is said ("grace: tell"), or a
            # table's cell into the next
            pieces = [p for a, b in pieces for p in _label_pieces(text, a, b)]
        if rule == "ner" and r.entity_type == "PERSON":
            # a case's title names two parties ("KAYA v. TURKEY"): each is judged alone
            pieces = [p for a, b in pieces for p in _parties(text, a, b)]
            # ...or, in a lower-case transcript, into the verb after it ("aslan called")
            pieces = [_trim_lowercase_words(text, a, b) for a, b in pieces]
        if r.entity_type == "PERSON":
            # a name does not start with the month before it ("2 March Serhiy"), nor with a
            # chat export's time ("08:02 - Dawn Okafor")
            pieces = [_trim_month(text, *_trim_leading_digits(text, a, b)) for a, b in pieces]
        if r.entity_type in ("PERSON", "PROPER_NOUN", "LOCATION"):
            # "Serhiy's wife": the possessive stays in the text ("Person E's wife")
            pieces = [(a, b - 2) if b - a > 3 and text[b - 2:b] in ("'s", "’s") else (a, b)
                      for a, b in pieces]
        if rule == "ner" and text[start:end].upper() in _COMMON_ACRONYMS:
            continue  # "ASAP", "ATM", "IBAN" tagged as organisations identify no one
        if rule == "ner" and r.entity_type in ("PERSON", "ORGANIZATION") and \
                _no_name(text, start, end):
            continue  # "carried us AGAIN smh", "wHy DoEs", "AITA": no one
            # (a place stays a place: "in the UNIVERSE", "on earth" are left to the policy)
        if r.entity_type == "URL" and not _HOST.search(text, start, end):
            continue  # "...Petitioner" read as ".pet": no host before the dot
        for a, b in pieces:
            out.append(Detection(a + offset, b + offset, r.entity_type,
                                 round(float(r.score), 4), str(rule)))
    return out
