"""Checks on what a rule of :mod:`redact.detect.rules` matched: False drops the match.

Each ``*_ok`` function takes the reported text and the regex match (for the
text around it) and says whether the match is what the rule means: a phone
number and not a date, a name and not a stop word, a place and not "peace".
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.vocabulary import (
    AGE_HEDGES,
    FIELD_LABELS,
    KINSHIP_WORDS,
    MONTHS,
    NAME_TITLES,
    PERSON_NOUNS,
    PLACE_NOUNS,
    RANK_WORDS,
    ROLE_WORDS,
    STREET_ARTICLES,
)

#: A date written in digits: one separator twice and a year of this or the last century
#: ("14.03.2021", "2021-03-14", "3/4/21"); not "14-3/7219", a register's number.
DATE_LIKE = re.compile(r"^(?:\d{1,2}([./-])\d{1,2}\1(?:\d{2}|(?:19|20)\d{2})|"
                       r"(?:19|20)\d{2}([./-])\d{1,2}\2\d{1,2})$")
_TIME_LIKE = re.compile(r"^\d{1,2}[.:]\d{2}$")


def digits(s: str) -> int:
    """How many digits ``s`` holds."""
    return sum(c.isdigit() for c in s)


_EXTENSION = re.compile(r"\s?(?:x|ext\.?)\s?\d{1,6}$", re.IGNORECASE)
_DATE_START = re.compile(r"^(?:\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4})(?!\d)")


_YEARS = re.compile(r"(?:19|20)\d{2}[ \t]?[-–][ \t]?(?:19|20)\d{2}")


def phone_ok(s: str, m: re.Match[str]) -> bool:
    """7-15 digits in two groups or more (or after a "+"), not a date or a time."""
    s = _EXTENSION.sub("", s)
    if _DATE_START.match(s.lstrip("+( ")):
        return False
    n = digits(s)
    if not 7 <= n <= 15 or DATE_LIKE.match(s.strip()) or _TIME_LIKE.match(s.strip()) or \
            _YEARS.fullmatch(s.strip()):
        return False  # "2019-2020": years
    # A plain run of digits is an ID or a phone; let ID rules have it unless it has a "+".
    groups = re.split(r"[\s.\-()]+", s.strip("+() "))
    return len([g for g in groups if g]) >= 2 or s.startswith("+")


def introduced_phone_ok(s: str, m: re.Match[str]) -> bool:
    """After "phone"/"call"/"WhatsApp", a plain run of 7-15 digits is a phone number too."""
    s = _EXTENSION.sub("", s)
    return 7 <= digits(s) <= 15 and not _DATE_START.match(s.lstrip("+( ")) \
        and not DATE_LIKE.match(s.strip())


#: Words that make an office of the word before them, not a name ("Chief District Officer",
#: "the Prosecutor General", "Deputy Head").
OFFICE_WORDS = frozenset("""chief deputy senior assistant principal head acting special first
second third general officer attorney secretary commissioner""".split())


def office_free_name(s: str, m: re.Match[str]) -> bool:
    """A name after a rank or before a place word, and no office: not "Prosecutor General",
    "Inspector General of Police", "Chief District" (Officer)."""
    first = s.split()[0].strip("'’\"").lower()
    if not not_stopword_name(s, m) or first in RANK_WORDS or first in OFFICE_WORDS:
        return False
    # "the General Inspection of the Ministry": after "the", a plain word names an office
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    if re.match(r"(?i)gen(?:eral)?\b", m.group(0)) and gaz.is_common(first) and \
            not gaz.is_name_part(first):
        return False  # "General Security", "General Intelligence": an office, no general
    return not (re.search(r"(?i)\bthe[ \t]+$", m.string[max(0, m.start() - 5):m.start()])
                and gaz.is_common(first) and first not in gaz.first_names)


def homonym_place_ok(s: str, m: re.Match[str]) -> bool:
    """ "Malta quarter", "Paris village": a name that is also a known city or country, then
    a place word (an office-free name: :func:`office_free_name`)."""
    from redact.detect.places import large_places, normalize_place

    name = s.rsplit(None, 1)[0]
    return office_free_name(s, m) and normalize_place(name) in large_places(0)


_MONTH = re.compile(rf"(?i:{MONTHS})")


def no_month(s: str, m: re.Match[str]) -> bool:
    """No month's name among the words, in English or another language: "5 de marzo de
    2022", "12 listopada 2021" are dates, not a house's number and street."""
    from redact.detect.vocabulary import FOREIGN_MONTHS

    return not any(w.casefold() in FOREIGN_MONTHS or _MONTH.fullmatch(w)
                   for w in re.findall(r"[^\W\d_]+", s)) and not _amount(s)


_DAY_MONTH = re.compile(r"(?<!\d)\d{1,2}(?:\.|º|er|e)?[ \t]+(?:de[ \t]+)?([^\W\d_]+)")


def no_date_head(s: str, m: re.Match[str]) -> bool:
    """An address block that does not open on a day and a month ("2 Baisakh 2081 raid",
    "el 3 de marzo de 1990 en Soacha")."""
    from redact.detect.vocabulary import FOREIGN_MONTHS

    d = _DAY_MONTH.search(s, 0, 30)
    return (d is None or not (d.group(1).casefold() in FOREIGN_MONTHS or
                              _MONTH.fullmatch(d.group(1)))) and not _amount(s)


def _amount(s: str) -> bool:
    from redact.detect.places import opens_with_amount

    return opens_with_amount(s)


def first_name_word(s: str, m: re.Match[str]) -> bool:
    """A word that names someone before an apposition ("Mercy, the chairlady"): a first
    name or a word no dictionary knows; no stop word, title, day or month ("Later, my
    brother", "Sunday, the pastor")."""
    from redact.detect.gazetteer import gazetteer
    from redact.detect.vocabulary import CALENDAR_WORDS

    gaz = gazetteer()
    low = s.casefold()
    before = m.string[max(0, m.start() - 3):m.start()]
    inside = bool(before) and not re.search(r"[.!?:\n\"“][ \t]*$", before)
    if low in STOP_WORDS and not (inside and low in ("will", "may")) or low in NAME_TITLES \
            or low in KINSHIP_WORDS or low in CALENDAR_WORDS or low in RANK_WORDS or \
            len(low) < 3:
        return False  # ("called Will, our driver": a capital inside a sentence)
    return low in gaz.first_names or not gaz.is_common(s)


def quoted_after_name_ok(s: str, m: re.Match[str]) -> bool:
    """A nickname of three words at most in quotes after a name and a comma: the word before
    the comma is a capitalised name part or a word no dictionary knows ('Caicedo, "la
    profe"'; not 'In Kabul, "the situation"')."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    before = re.search(r"([^\W\d_][\w'’\-]*)$", m.string[max(0, m.start() - 40):m.start()])
    if before is None or len(s.split()) > 3:
        return False
    w = before.group(1)
    if re.search(r"\b(?:told|tell|tells|asked|ask|said\s+to|shouted(?:\s+at)?|wrote|texted|"
                 r"replied|answered)\s+(?:[^\W\d_][\w'’\-]*\s+){0,2}$",
                 m.string[max(0, m.start() - 60):m.start() - len(w)]):
        return False  # 'He told Ahmed, "go home", and left': what was said to him
    return w[:1].isupper() and w.casefold() not in gaz.cities and \
        w.casefold() not in gaz.countries and (gaz.is_name_part(w) or not gaz.is_common(w))


def inner_name_ok(s: str, m: re.Match[str]) -> bool:
    """A full name with a nickname or a father's name inside: its first word is a first name
    or a word no dictionary knows, and its last no stop word or title ('Emmanuel "Major"
    Toe'; not 'The "official" Version')."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    words = re.findall(r"[^\W\d_][\w'’\-]*", s)
    first, last = words[0].casefold(), words[-1].casefold()
    return first not in STOP_WORDS and first not in NAME_TITLES and last not in STOP_WORDS \
        and (first in gaz.first_names or not gaz.is_common(first))


def not_stopword_name(s: str, m: re.Match[str]) -> bool:
    """A name whose first word is no stop word, title or kinship word."""
    first = s.split()[0].strip("'’\"").lower()
    return first not in STOP_WORDS and first not in NAME_TITLES and first not in KINSHIP_WORDS \
        and len(first) > 1


_WORD_BEFORE = re.compile(r"([^\W\d_]+)[\s,]*$")


def after_place_noun(m: re.Match[str]) -> bool:
    """True if a place word stands right before the match ("a village | called Kizhinga"):
    what is called so is a place (the SmallPlaceRecognizer's ``called_place``)."""
    before = _WORD_BEFORE.search(m.string, max(0, m.start() - 40), m.start())
    return before is not None and before.group(1).casefold() in PLACE_NOUNS


def person_named_ok(s: str, m: re.Match[str]) -> bool:
    """A name after "called", "named", "known as" ..., not after a place word; a family
    word of another language is a name there ("his nickname was Tito")."""
    from redact.detect.vocabulary import FAMILY_TERMS

    return not after_place_noun(m) and (not_stopword_name(s, m) or s[:1].isupper() and
                                        s.split()[0].casefold() in FAMILY_TERMS)


def surnames_firm(s: str, m: re.Match[str]) -> bool:
    """ "Jones, Mitchell and Williams": most parts are surnames that are not first names."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    parts = [p.casefold() for p in re.findall(r"[^\W\d_][\w'’\-]*", s) if p.lower() != "and"]
    sur = sum(p in gaz.last_names and p not in gaz.first_names for p in parts)
    return sur * 2 > len(parts)


def place_name_ok(s: str, m: re.Match[str]) -> bool:
    """A place after "lives in": capitalised (or an unknown lower-case word), not a pronoun."""
    from redact.detect.gazetteer import gazetteer

    first = s.split()[0]
    low = first.casefold()
    if low in STOP_WORDS or low in {"here", "there", "peace", "fear", "hiding", "exile", "prison",
                                    "detention", "custody", "poverty", "town", "city"}:
        return False
    return first[0].isupper() or not gazetteer().is_english(first)


def street_lead_ok(s: str, m: re.Match[str]) -> bool:
    """"Långlöt 44 Horký Street": the word before the number is a name, not "took"."""
    from redact.detect.gazetteer import gazetteer

    first = s.split()[0]
    return first.casefold() not in STOP_WORDS and not gazetteer().is_english(first)


def speaker_ok(s: str, m: re.Match[str]) -> bool:
    """A speaker label in a transcript ("Ruslan:"), not a field label ("Date:", "Q:")."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    words = s.split()
    return all(len(w) > 1 and w.casefold() not in STOP_WORDS for w in words) and (
        not gaz.is_english(words[0]) or gaz.is_name_part(words[0]) and words[0][0].isupper()) \
        and words[0].casefold() not in FIELD_LABELS and words[0].casefold() not in KINSHIP_WORDS \
        and not (len(words) == 1 and words[0].casefold() in RANK_WORDS)  # "JUDGE:"


#: Who a chat's sender may be without a name: "Mum:", "You:", "Admin:".
_NO_SENDER = frozenset({"you", "me", "admin", "moderator", "group", "system"})
#: A log's labels after a timestamp, no sender: "2023-03-12 21:31 - Incident: ...".
_LOG_LABELS = frozenset({"incident", "update", "event", "entry", "log", "alert", "info",
                         "followup", "follow-up", "callback", "call", "action", "result"})


def sender_ok(s: str, m: re.Match[str]) -> bool:
    """A chat sender's display name: not a kinship word, a role or a log's label alone
    ("Mum", "Uncle", "Admin", "Note", "Incident"); a stop word among other words is a
    name's ("bro will")."""
    words = [w.casefold().strip(".") for w in s.split()]
    return not all(w in KINSHIP_WORDS or w in ROLE_WORDS or w in _NO_SENDER or w in NAME_TITLES
                   or w in FIELD_LABELS or w in _LOG_LABELS for w in words) and \
        not (len(words) == 1 and words[0] in STOP_WORDS and words[0] not in ("will", "may"))


def author_ok(s: str, m: re.Match[str]) -> bool:
    """A post's author before the handle ("precious 🦋 @prexy_22", "Dee @dee_lnd"): a
    sender's display name (:func:`sender_ok`) that an emoji follows or that holds a name
    or a word no dictionary knows ("thanks @bob", "cc @mod" are no authors)."""
    from redact.detect.gazetteer import gazetteer

    if not sender_ok(s, m):
        return False
    if re.search(r"[\u2600-\u27BF\U0001F000-\U0001FAFF]", m.group(0)):
        return True
    gaz = gazetteer()
    return any(len(w) > 1 and (w.casefold() in gaz.first_names or not gaz.is_common(w))
               for w in re.findall(r"[^\W\d_]+", s))


def intro_name_ok(s: str, m: re.Match[str]) -> bool:
    """The name after "my name is": not an ordinary word ("my name is not important")."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    first = s.split()[0]
    return first.casefold() not in STOP_WORDS and (
        not gaz.is_english(first) or gaz.is_name_part(first))





def mostly_latin_text(s: str, m: re.Match[str]) -> bool:
    """Only inside a text that is mostly in Latin script (an English statement)."""
    text = m.string
    window = text[max(0, m.start() - 400):m.end() + 400]
    letters = [c for c in window if c.isalpha()]
    latin = sum(c.isascii() or "\u00C0" <= c <= "\u024F" for c in letters)
    return latin >= 0.6 * len(letters)


#: Who may be "the one that they called ...": then the name is a person's, not a place's.
_CALLED_ONES = PERSON_NOUNS | frozenset({"one", "someone", "somebody"})


def place_named_ok(s: str, m: re.Match[str]) -> bool:
    """ "what the detainees called the red building": a place; not "the guard that everyone
    called Abu Ali" (a person named after a person noun or a family word)."""
    before = re.search(r"([^\W\d_]+)[ \t]*,?[ \t]*$", m.string[max(0, m.start() - 30):m.start()])
    if before is None or not m.group(0)[:4].casefold().startswith(("that", "whic")):
        return True
    word = before.group(1).casefold()
    return word not in _CALLED_ONES and word not in KINSHIP_WORDS and word not in ROLE_WORDS


def epithet_ok(s: str, m: re.Match[str]) -> bool:
    """ "called him the Boxer": a capitalised word after "called (him)", not "called the
    Police" (a common word needs the pronoun: who was called is a person)."""
    from redact.detect.gazetteer import gazetteer

    first = s.split()[0]
    if first.casefold() in STOP_WORDS or first.casefold() in NAME_TITLES:
        return False
    pronoun = re.search(r"(?i)\b(?:him|her|me|himself|herself|themselves|them|us|other)\s+"
                        r"(?:the\s+)?$", m.string[m.start():m.start("id")])
    # "whom we called the Butcher", "who everyone calls Tarzan": a naming clause
    naming = re.search(r"(?i)\b(?:whom|who|that|one|man|woman|guy)\s+(?:we|they|everyone|"
                       r"everybody|people|the\s+\w+|all)\s+$", m.string[max(0, m.start() - 40):
                                                                       m.start()])
    # "he was nicknamed the Dentist", "a guard known as the Butcher": a nickname whatever
    # its words (not "the Police were called": nothing follows that names)
    nicknamed = re.match(r"(?i)nicknamed\b", m.group(0)) or re.search(
        r"(?i)\b(?:was|were|is|are|been|being|guard|officer|soldier|man|woman|one)\s+$",
        m.string[max(0, m.start() - 12):m.start()]) and re.search(
        r"(?i)\bthe\s+$", m.string[m.start():m.start("id")])
    return bool(pronoun or naming or nicknamed) or not gazetteer().is_common(first)


#: Words people are addressed by that are no one's name ("hey man", "thanks guys").
_ADDRESS_TERMS = frozenset("""
man men guy guys dude dudes bro bros bruh brother sister sis mate mates buddy pal baby babe
love girl girls boy boys lady ladies sir madam god lord jesus everyone everybody all you
there team folks friend friends people fam honey dear darling mom mum dad mama papa son
""".split())


def vocative_ok(s: str, m: re.Match[str]) -> bool:
    """The word after "hey", "thanks", "poor" is a name: a known first name or a word no
    dictionary knows, not a way of addressing anyone ("hey man", "thanks everyone")."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    from redact.detect.vocabulary import CHAT_WORDS

    low = s.casefold()
    if low in _ADDRESS_TERMS or low in STOP_WORDS or len(low) < 3 or \
            low in CHAT_WORDS and (s.islower() or s.isupper()):
        return False  # "hey LOL", "thanks bro"
    return low in gaz.first_names or not gaz.is_common(s)


def lower_workplace_ok(s: str, m: re.Match[str]) -> bool:
    """A named workplace in a lower-case line: words before the kind that are no function
    words ("oil institute", "brick factory"), not "the institute" or "his old school"."""
    words = s.split()[:-1]
    return bool(words) and lower_line(m.string, m.start()) and not any(
        w.casefold() in STOP_WORDS or w.casefold() in _VAGUE for w in words)


#: Adjectives that say which of many, not which one ("the old factory", "a big market").
_VAGUE = frozenset("old new big small local main central same other first second last "
                   "nearest next another whole primary secondary high middle public private "
                   "night".split())


def lower_epithet_ok(s: str, m: re.Match[str]) -> bool:
    """In a lower-case chat, "the one they call bulldog", "he calls himself lysyi": the
    word after a naming clause or "call him" is a nickname, dictionary word or not."""
    if s.casefold() in STOP_WORDS or s.casefold() in _ADDRESS_TERMS or not lower_line(
            m.string, m.start()):
        return False
    head = m.string[max(0, m.start() - 40):m.start("id")]
    return bool(re.search(r"(?:him|her|me|himself|herself|them|us)\s+(?:the\s+)?$", head)
                or re.search(r"(?:whom|who|that|one|man|woman|guy)\s+(?:we|they|everyone|"
                             r"everybody|people|all)\s+(?:call|calls|called)\s+(?:the\s+)?$",
                             head))


def initial_surname_ok(s: str, m: re.Match[str]) -> bool:
    """ "G. Ravnsborg", not "I. The" or a sentence ending in a capital letter."""
    from redact.detect.gazetteer import gazetteer

    last = s.replace(".", " ").split()[-1]
    return last.casefold() not in STOP_WORDS and not gazetteer().is_common(last)


def id_ok(s: str, m: re.Match[str]) -> bool:
    """An introduced ID: three digits or more, 24 characters at most."""
    return digits(s) >= 3 and len(s) <= 24


def generic_id_ok(s: str, m: re.Match[str]) -> bool:
    """A bare number: five digits or more, no date and no year."""
    if DATE_LIKE.match(s) or re.fullmatch(r"(?:1[89]|20)\d\d", s):
        return False
    return digits(s) >= 5


def handle_ok(s: str, m: re.Match[str]) -> bool:
    """A handle: introduced ("telegram: x", "@x") or shaped like one (digits, "_", ".")."""
    low = s.lower()
    if low in STOP_WORDS or len(s) < 3:
        return False
    explicit = bool(m.groupdict().get("kw")) or ":" in m.group(0) or "@" in m.group(0)
    return explicit or any(c.isdigit() or c in "_." for c in s)


def plate_ok(s: str, m: re.Match[str]) -> bool:
    """A plate: letters and digits, four characters or more."""
    return any(c.isdigit() for c in s) and any(c.isalpha() for c in s) and len(s) >= 4



def local_address_ok(s: str, m: re.Match[str]) -> bool:
    """A street word then a name or a number: not "via email", "av. 3 km", "str. 5 years"."""
    from redact.detect.gazetteer import gazetteer

    words = [w for k, w in enumerate(s.split()) if k == 0 or w.casefold() not in STREET_ARTICLES]
    if len(words) < 2:
        return False
    second = words[1].strip(".,")  # "rue des Orangers": the name after the article
    if second[:1].isdigit():
        return any(c.isdigit() for c in s)
    gaz = gazetteer()
    if second[:1].isupper():
        return True
    # lower case ("vul. tsentralna 23"): a name no dictionary knows, or a house number
    return not gaz.is_common(second) or bool(re.search(r"\d", s))


def lower_line(text: str, pos: int) -> bool:
    """True if the line holding ``pos`` is typed in lower case (see redact.explain)."""
    from redact.explain import is_lower_case_text

    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return is_lower_case_text(text[start:end if end >= 0 else len(text)])


def name_before(s: str, m: re.Match[str]) -> bool:
    """ "Dmytro (22)", "Amina, 34,", 'Jamal "the Butcher"': the word before the age or the
    nickname is a name (a first name or a word no dictionary knows), not "Article (3)",
    "May, 12," or 'The "official" version'."""
    from redact.detect.vocabulary import CALENDAR_WORDS

    words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", m.string[m.start():m.start("id")])
             if w.casefold() not in AGE_HEDGES and w.casefold() not in ("is", "was", "turned")]
    if not words:
        return False
    last = words[-1]
    if name_word_ok(last):
        return True
    # the surname is a word, the first name before it says it is a name: "Efraín Tapia, 52"
    return len(words) >= 2 and last[:1].isupper() and words[-2][:1].isupper() and \
        last.casefold() not in STOP_WORDS and last.casefold() not in CALENDAR_WORDS and \
        last.casefold() not in NAME_TITLES and name_word_ok(words[-2])


_NUMBER_CUE = re.compile(r"(?i)\b(?:number|phone|mobile|cell|whatsapp|viber|id|plate|passport|"
                         r"card|code)\b")


def number_read_out(s: str, m: re.Match[str]) -> bool:
    """Digits read out as words: four or more, or three after a number's cue on the same
    line ("The number is zero seven seven three, four one two"; not "I counted one two
    three")."""
    if len(re.findall(r"[^\W\d_]+", s)) >= 4:
        return True
    text = m.string
    line_start = text.rfind("\n", 0, m.start()) + 1
    return _NUMBER_CUE.search(text, max(line_start, m.start() - 80), m.start()) is not None


def name_word_ok(word: str) -> bool:
    """A capitalised word that may be a name: a first name that is no country, or a word no
    dictionary knows ("Dilshad"); not a stop word, a month or a title."""
    from redact.detect.gazetteer import gazetteer
    from redact.detect.vocabulary import CALENDAR_WORDS

    low = word.casefold()
    if low in STOP_WORDS or low in CALENDAR_WORDS or low in NAME_TITLES:
        return False
    gaz = gazetteer()
    return low in gaz.first_names and low not in gaz.countries or not gaz.is_common(low)


def named_age_ok(s: str, m: re.Match[str]) -> bool:
    """ "Ahmed is only 20": :func:`name_before`; a word in lower case ("joy is only 26", in a
    chat) only if it is a first name or no dictionary word ("wairimu is only 7"), with no
    determiner before it (not "the bill is only 20.")."""
    from redact.detect.gazetteer import DETERMINER_BEFORE, gazetteer

    if not name_before(s, m):
        return False
    first = m.group(0)[:1]
    if not first.islower():
        return True
    word = re.match(r"[\w'’\-]+", m.group(0))
    if word is None:
        return False
    gaz, low = gazetteer(), word.group(0).casefold()
    return (low in gaz.first_names or not gaz.is_common(low) and not gaz.is_english(low)) \
        and DETERMINER_BEFORE.search(m.string, max(0, m.start() - 8), m.start()) is None


_BLOCK_PART = re.compile(r"[ \t]*(?:,|\r?\n|\.(?=[ \t]+[A-Z]))[ \t]*")


def address_block_end(text: str, start: int, end: int, unit: re.Pattern[str]) -> int:
    """Where an address block really ends: before lower-case common words after a unit's
    number ("block 112 thank you", "Workshop 5 sewing."; ``unit`` matches a unit and its
    number), or before the first part after a comma, a line break or a sentence's full stop
    that is made of them only, a stop word among them ("Station 7, says he fought"; not
    "14 elm road, green park"), or of common words after a full stop ("Sunrise Mall.
    Please"): a sentence goes on there. A country or a city of a million people that ends
    the block is left out of it: the policy decides on it like on any place."""
    from redact.detect.gazetteer import gazetteer
    from redact.detect.places import large_places, normalize_place

    gaz = gazetteer()
    tab = text.find("\t", start, end)
    if tab != -1:  # a sheet's row: its cells are no address's parts
        end = tab if re.search(r"[^\W\d_]{2}", text[start:tab]) else start

    def words(a: int, b: int) -> list[str]:
        return re.findall(r"[^\W\d_][\w'’\-]*|\d\w*", text[a:b])

    def plain(a: int, b: int) -> bool:
        ws = words(a, b)
        return bool(ws) and all(w.islower() and (gaz.is_common(w) or w in STOP_WORDS)
                                for w in ws)

    seps = list(_BLOCK_PART.finditer(text, start, end))
    first_end = seps[0].start() if seps else end
    head = unit.match(text, start, first_end)
    if head is not None and plain(head.end(), first_end):
        return head.end()
    for k, m in enumerate(seps):
        b = seps[k + 1].start() if k + 1 < len(seps) else end
        # with a word such as "he", "the", "for": a place's name would not have one ("green
        # park", "red deer")
        if plain(m.end(), b) and any(w.casefold() in STOP_WORDS for w in words(m.end(), b)):
            end = m.start()
            break
        # after a sentence's full stop, common words in any case: "Sunrise Mall. Please"
        if "." in m.group(0) and all(gaz.is_common(w.casefold()) or w.casefold() in STOP_WORDS
                                     for w in words(m.end(), b) or ["0"]):
            end = m.start()
            break
    # a country or a city of a million ends the block, and stays for the policy to decide:
    # "Block C, Hai al-Salam, Khartoum" (the policy keeps "Khartoum"; strict removes it);
    # what follows it is no address ("27 Ashgrove Road, Birmingham, gave evidence"; a
    # postcode after it has a rule of its own)
    seps = list(_BLOCK_PART.finditer(text, start, end))
    places = large_places(1_000_000)
    for k, m in enumerate(seps):
        b = seps[k + 1].start() if k + 1 < len(seps) else end
        if normalize_place(text[m.end():b].strip(" \t.")) in places and (b == end or any(
                plain(n.end(), seps[j + 1].start() if j + 1 < len(seps) else end)
                for j, n in enumerate(seps) if j > k)):
            end = m.start()  # (not before "TX 77002", "SW1A 1AA": the address's own parts)
            break
    # no address ends in a stop word: "flat 23 marlowe house if anyone"
    while (m := re.search(r"[ \t]+([^\W\d_]+)[ \t]*$", text[start:end])) and \
            m.group(1) in STOP_WORDS:
        end = start + m.start()
    return end


def calendar_date(token: str) -> bool:
    """A date in digits that a calendar has: a day up to 31 and a month up to 12, in either
    order ("12/03/2024", "2024-03-12"); not "OB 42/07/2023", a register's number."""
    parts = [int(p) for p in re.findall(r"\d+", token.split(" ")[0].split("T")[0])[:3]]
    if len(parts) < 3:
        return True  # a time of day
    a, b = (parts[1], parts[2]) if parts[0] > 31 else (parts[0], parts[1])
    return 1 <= a <= 31 and 1 <= b <= 12 or 1 <= a <= 12 and 1 <= b <= 31
