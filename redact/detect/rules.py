"""The testimony recognizers as data: a table of rule records, and the patterns they share.

:data:`TESTIMONY_RULES` holds one :class:`RecognizerSpec` per recognizer (its
name, entity type, :class:`Rule` s and context words); each rule is a regular
expression with a score, flags and an optional check from
:mod:`redact.detect.validators`. :func:`redact.detect.recognizers.testimony_recognizers`
turns the table into Presidio recognizers. The table is Python, not YAML: its
regexes are built from the shared fragments above it (and from the word lists of
:mod:`redact.detect.vocabulary`) and its checks are functions.

Rules here must make sense for real statements, not for a benchmark: each one
is written from the way people describe themselves and others in testimony.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from redact.detect.address_patterns import (
    ADDRESS_RECOGNIZER,
)
from redact.detect.age_rules import (
    AGE_RECOGNIZER,
    BIRTH_RECOGNIZER,
    DATE_TIME_RECOGNIZER,
    DIGIT_WORD,
)
from redact.detect.age_rules import KIN as _KIN
from redact.detect.age_rules import PROPER as _PROPER
from redact.detect.bodies import FOREIGN_BODY, INSTRUMENT, public_name_kind
from redact.detect.first_chars import WORD_START, literal_alternation
from redact.detect.gazetteer import gazetteer
from redact.detect.plate_rules import PLATE_RECOGNIZER
from redact.detect.reference_rules import REFERENCE_RECOGNIZER
from redact.detect.rule_types import RecognizerSpec, Rule
from redact.detect.validators import (
    after_place_noun,
    author_ok,
    epithet_ok,
    first_name_word,
    generic_id_ok,
    handle_ok,
    homonym_place_ok,
    id_ok,
    initial_surname_ok,
    inner_name_ok,
    intro_name_ok,
    introduced_phone_ok,
    lower_epithet_ok,
    lower_workplace_ok,
    mostly_latin_text,
    name_before,
    not_stopword_name,
    number_read_out,
    office_free_name,
    person_named_ok,
    phone_ok,
    place_name_ok,
    place_named_ok,
    quoted_after_name_ok,
    sender_ok,
    speaker_ok,
    surnames_firm,
    vocative_ok,
)
from redact.detect.vocabulary import (
    KINSHIP_WORDS,
    LOCAL_UNITS,
    MONTHS,
    NAME_TITLES,
    OCCUPATIONS,
    PLACE_NOUNS,
    RANKS,
)

__all__ = ["MONTHS", "TESTIMONY_RULES", "WORD_START", "WORD_TITLES", "RecognizerSpec", "Rule",
           "literal_alternation"]


# ---- patterns the rules share ---------------------------------------------------------


_NAME_TOKEN = r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*"
#: An initial ("G.", "Dzh.") before a name: "Mr G. Ravnsborg", "A. K. Kovalenko".
_INITIALS = r"(?:[A-Z\u00C0-\u024F\u0400-\u04FF][a-z\u0430-\u044f]{0,2}\.[ \t]?){1,3}"
_CAP_NAME = rf"(?:{_INITIALS})?{_NAME_TOKEN}(?:[ \t]+{_NAME_TOKEN}){{0,2}}"


WORD_TITLES = literal_alternation(NAME_TITLES | KINSHIP_WORDS)
_RANKS = "|".join(sorted(RANKS, key=len, reverse=True))
_OCCUPATIONS = literal_alternation(OCCUPATIONS)
#: Words before a sender's name that are no part of it: "Mama Blessing", "ate joy" (a
#: Filipino elder sister), "bro will".
_SENDER_TITLES = rf"{WORD_TITLES}|ate|bro|sis"
#: A display name's word, in any case ("faith", "Mercy", "W.", "Żubr"), and a clock time.
_SENDER_WORD = r"[^\W\d_][\w'’.\-]*"
_DISPLAY_NAME = rf"{_SENDER_WORD}(?:[ \t]+{_SENDER_WORD}){{0,3}}?"
#: Emoji a display name ends with: "precious 🦋", "Mama Joy 🙏".
_EMOJI = r"[\u2600-\u27BF\U0001F000-\U0001FAFF\uFE0F\u200D]"
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp][Mm])?"
#: A chat export's timestamp before its sender: "21/06/2021, 22:15 - ", "[3/11/19, 10:52] ",
#: "[20/04/22, 9:25:12 AM] ~ ", "[12.03.2023, 21:31] ", "2023-03-12 21:31 - ", "[14/10 21:05] ".
_CHAT_STAMP = (r"(?:\[[ \t]*)?(?:\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?|\d{4}-\d{2}-\d{2}),?[ \t]+"
               r"\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[AaPp]\.?[Mm]\.?)?"
               r"(?:[ \t]*\][ \t]*|[ \t]+[-–][ \t]+)(?:~[ \t]*)?")
_PROPER_NAME = rf"{_PROPER}(?:\s+{_PROPER}){{0,2}}"
#: One capital letter of the Latin (accents included) or Cyrillic alphabet.
_CAPITAL = r"[A-Z\u00C0-\u00D6\u00D8-\u00DE\u0400-\u042F\u015E\u0160\u017D\u0130\u011E]"
#: A digit read out: "oh", "zero" ... "nine", "double five".
#: A quoted word or phrase, and a run of capitalised words (a name or a nickname).
_QUOTED = r"(?:[\"“«][^\"”»\n]{2,40}[\"”»]|[‘'][^’'\n]{2,40}[’'])"
#: A verb that gives a nickname, and whom it is given to.
_NAMING = (r"\b(?i:call(?:s|ed|ing)?|nicknamed|dubbed|known\s+as|refer(?:s|red)?\s+to"
           r"(?:\s+\w+){0,2}\s+as)\s+(?:(?i:him|her|me|it|himself|herself|them|us)\s+)?")
#: What a nickname means: "the rhino", "the checkpoint of death", "Grandpa".
_GLOSS = r"(?:(?i:the)[ \t]+[\w'’\-]+(?:[ \t]+[\w'’\-]+){0,3}|[A-Z][a-z]+)"
_CAPITAL_WORDS = (r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*(?:[ \t]+"
                  r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*){0,2}")
_ORG_NAME = (r"(?:[0-9]?[A-Z\u00C0-\u024F][\w'’&\-]*)(?:\s+(?:of\s+|and\s+|&\s+)?"
             r"[0-9]?[A-Z\u00C0-\u024F][\w'’&\-]*){0,3}")
_PLACE_NAME = (r"(?:[^\W\d_][\w'’\-]*)(?:\s+(?:[A-Z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF]"
               r"[\w'’\-]*)){0,3}")
_PLACE_WORDS = (r"village|town|settlement|hamlet|district|province|region|oblast|raion|rayon|"
                r"governorate|county|municipality|aul|kishlak|neighbourhood|neighborhood|quarter|"
                r"suburb|camp|refugee\s+camp|checkpoint|valley|gorge")
_ORG_WORDS = (r"secondary\s+school|primary\s+school|high\s+school|school|university|college|"
              r"academy|hospital|clinic|factory|plant|company|corporation|hotel|restaurant|cafe|"
              r"café|shop|store|market|mall|supermarket|salon|pharmacy|bakery|bazaar|mosque|church|"
              r"chapel|tabernacle|ministries|parish|madrasa|madrassa|gurdwara|seminary|convent|"
              r"secondary|primary|elementary|prison|detention\s+cent(?:re|er)|"
              r"police\s+station|police\s+post|"
              r"shelter|cent(?:re|er)|institute|bank|farm|ltd\.?|llc|w\.l\.l\.?|inc\.?|gmbh|"
              r"contracting|manpower|trading|construction|services|group|agency|foundation|"
              r"association|brigade|battalion|regiment|directorate|ministry|council|committee|club|"
              r"incorporated|consulting|solutions|partners|studio|labs?|app|janitorial|apparel|"
              r"garments?|textiles?|staffing|recruitment|logistics|cleaning|spa|salon|laundry|"
              r"workshop|garage|pharmacy|carwash|car\s+wash")



_I = re.IGNORECASE
#: Scripts other than Latin whose words (with their combining marks) are names in an
#: English statement: Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai, Lao, Myanmar,
#: Georgian, Hangul, Ethiopic, Kana, Han.
_SCRIPTS = ("\u0370-\u03FF\u0400-\u052F\u0530-\u058F\u0590-\u05FF\u0600-\u06FF\u0750-\u077F"
            "\u0900-\u0DFF\u0E00-\u0EFF\u1000-\u109F\u10A0-\u10FF\u1100-\u11FF\u1200-\u139F"
            "\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF")


# ---- the table -------------------------------------------------------------------------

#: The testimony recognizers, one record each: name, entity type, rules, context words.
def _timed_sender_ok(s: str, m: re.Match[str]) -> bool:
    """A sender beside a time: a name or a word English does not know; an English word
    ("Report 12:30:", "22:15 Arrival:") only beside a time in brackets ("rose (16:52):")."""
    from redact.detect.gazetteer import gazetteer

    gaz = gazetteer()
    return sender_ok(s, m) and (m.group("paren") is not None or any(
        w.casefold() in gaz.first_names or not gaz.is_english(w) for w in s.split()))


def _after_a_name(text: str, m: re.Match[str]) -> bool:
    """The word before the match is a name's: a first name, or a capitalised word no
    dictionary knows, or "Jr"/"Sr" after one."""
    before = re.search(r"([^\W\d_]+)\.?[ \t]*$", m.string[max(0, m.start() - 40):m.start() + 1])
    if before is None or not before.group(1)[:1].isupper():
        return False
    word = before.group(1).casefold()
    gaz = gazetteer()
    quoted = re.findall(r"[^\W\d_]+", text)
    if not quoted or quoted[0].casefold() in ("the", "a", "an") or all(
            w.islower() and gaz.is_common(w) for w in quoted):
        return False  # 'Mr H.Ç. ("the applicant")': a judgment's defined term, no nickname
    return word in ("jr", "sr") or word in gaz.first_names and not gaz.is_common(word) or \
        not gaz.is_english(word)


def _kept_as(kind: str) -> Callable[[str, re.Match[str]], bool]:
    """A validator: the match is a public name of ``kind``
    (:func:`redact.detect.bodies.public_name_kind`, with the large places of the default
    policy)."""
    def ok(text: str, m: re.Match[str]) -> bool:
        from redact.detect.places import large_places

        return public_name_kind(m.group(0), large_places(1_000_000)) == kind

    return ok


TESTIMONY_RULES: tuple[RecognizerSpec, ...] = (
    RecognizerSpec("TestimonyPhoneRecognizer", "PHONE_NUMBER", (
        Rule("international", r"(?<![\w+])(?:\+|00)\d{1,3}(?:[ \t.\-]?(?:\(\d{1,5}\)|\d{1,5})){1,6}"
             r"(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w])", 0.7, flags=_I, validate=phone_ok),
        Rule("grouped", r"(?<![\w+.\-/])(?:\(\d{1,5}\)[\s.\-]?)?\d{1,5}(?:[\s.\-]\d{1,5}){1,5}"
             r"(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w/])", 0.35, validate=phone_ok),
        # a number read out in a voice note or a transcript: "oh eight seven two two four
        # five five one nine", "zero three double five ..."
        Rule("spelled", rf"\b{DIGIT_WORD}(?:[ \t,\-]+{DIGIT_WORD}){{6,}}\b", 0.6, flags=_I),
        # a transcript's caller reads it in groups, and corrects herself: "zero seven seven
        # three, four one two — sorry — four one two": each group of three digits or more
        Rule("spelled_group", rf"\b{DIGIT_WORD}(?:[ \t,\-]+{DIGIT_WORD}){{2,}}\b(?![ \t]+"
             r"(?i:times|days|years|people|men|women|of))", 0.5, flags=_I,
             validate=number_read_out),
        Rule("after_keyword", r"(?:phone|mobile|cell|tel|telephone|number|whatsapp|viber|"
             r"signal|call(?:ed)?|text(?:ed)?|sms)\s*(?:no\.?|number|#)?\s*(?:is|was|:)?\s*"
             r"(?P<id>\+?[\d(][\d\s.\-()]{5,20}\d)", 0.75, flags=_I,
             validate=introduced_phone_ok),
        # the end of a number, enough to find it: "(number ending in 4471)"
        Rule("ending_in", r"\b(?:phone|mobile|number|card|account)[ \t]+(?:ending|ends)[ \t]+"
             r"(?:in|with)[ \t]+(?P<id>\d{2,6})(?![\w/])", 0.6, flags=_I),
    ), context=("phone", "mobile", "cell", "call", "called", "tel", "telephone", "number",
                "whatsapp", "viber", "signal", "telegram", "sms", "text", "contact", "fax")),
    RecognizerSpec("MessagingHandleRecognizer", "MESSAGING_HANDLE", (
        Rule("at_handle", r"(?<![\w.@/])@(?P<id>[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,30}"
             r"[A-Za-z0-9_]))(?![\w@])", 0.7),
        Rule("introduced", WORD_START + r"(?:telegram|wechat|we chat|signal|whatsapp|viber|"
             r"skype|instagram|insta|facebook|fb|vk|vkontakte|tiktok|snapchat|twitter|discord|"
             r"imo|botim|line)(?P<kw>\s+(?:id|handle|account|username|user\s?name|nick(?:name)?"
             r"))?\s*(?:is|was|:|-|=)?\s*@?(?P<id>[A-Za-z0-9_][A-Za-z0-9_.\-]{2,39})",
             0.65, flags=_I, validate=handle_ok),
        # a group chat's name in quotes: 'Signal group «Las 3»', 'WhatsApp group "Beirut beds"'
        Rule("group_name", r"\b(?i:whatsapp|signal|telegram|viber|facebook|fb|messenger|"
             r"wechat|imo)[ \t]+(?i:group|chat|channel|community)[ \t]*(?:(?i:called|named)"
             r"[ \t]+)?[\"“«'‘](?P<id>[^\"”»'’\n]{2,40})[\"”»'’]", 0.75),
        # a Reddit user: "u/ILOwatcher"
        Rule("reddit_user", r"(?<![\w/])u/(?P<id>[A-Za-z0-9_\-]{3,20})\b", 0.8),
    ), context=("telegram", "wechat", "signal", "whatsapp", "handle", "username", "account")),
    RecognizerSpec("IdNumberRecognizer", "ID_NUMBER", (
        Rule("introduced", WORD_START + r"(?:passport|id\s?card|identity\s?card|"
             r"identity\s?document|national\s?id|internal\s?passport|id|badge|employee|staff|personnel|student|"
             r"medical\s?record|patient|mrn|case|file|docket|licen[cs]e|driver'?s\s?licen[cs]e|"
             r"permit|visa|residence\s?permit|social\s?security|ssn|tax|inn|snils|"
             r"registration|account|membership|prisoner|detainee|inmate|refugee|unhcr|"
             r"asylum|a-number|alien|iqama|aadhaar|c[eé]dula|dni|qid|curp)\s*(?:card\s*)?"
             r"(?:no\.?|number|num\.?|#|nr\.?|id|n[°º]|№)?\s*"
             r"(?:is|was|:|#|-)?\s*\(?\s*(?:no\.?|number|#|n[°º]|№)?\s*"
             # "cédula N° 88.417": a dot groups the thousands
             r"(?P<id>[A-Z0-9](?:[A-Z0-9\-/]|\.(?=\d{3}\b)){1,20}(?:\s[0-9]{2,10}){0,2})",
             0.75, flags=_I, validate=id_ok),
        # a passport's series, which the model takes for a date: "series 96 03 no. 812345"
        Rule("series", WORD_START + r"(?:series|seriya|seria)\s*(?:no\.?\s*)?"
             r"(?P<id>\d{2}\s?\d{2}|[A-Z]{1,3}\s?\d{2,4})(?![\w/])", 0.7, flags=_I),
        # "his detainee number at the branch was 1378": a few words between the kind of
        # number and the number
        Rule("introduced_later", WORD_START + r"(?:prisoner|detainee|inmate|badge|serial|"
             r"service|personal|camp|cell|registration)\s+(?:number|no\.?)"
             r"(?:\s+[^\W\d_]+){0,4}?\s*(?:is|was|were|:)\s*(?P<id>\d{2,10})(?![\w/\-])",
             0.7, flags=_I),
        # "my number there was 1378": a number a person was given (a phone number has more
        # digits, and its own recognizer)
        Rule("possessive_number", WORD_START + r"(?:my|his|her|our|their)\s+(?:number|no\.?)"
             r"(?:\s+[^\W\d_]+){0,2}?\s+(?:is|was|were|:)\s*(?P<id>\d{3,8})(?![\w/\-.,]\d)",
             0.6, flags=_I),
        Rule("alnum", r"(?<![\w\-/])(?=[A-Z]{0,3}\d)[A-Z]{1,3}\d{5,14}(?![\w\-/])", 0.4),
        Rule("long_number", r"(?<![\w\-/+.])\d{6,20}(?![\w\-/])", 0.3,
             validate=generic_id_ok),
    ), context=("passport", "id", "identity", "card", "badge", "employee", "number", "no",
                "license", "licence", "permit", "record", "patient", "student", "account",
                "registration", "document", "ssn", "social", "security", "case")),
    REFERENCE_RECOGNIZER,
    PLATE_RECOGNIZER,
    ADDRESS_RECOGNIZER,
    BIRTH_RECOGNIZER,
    DATE_TIME_RECOGNIZER,
    AGE_RECOGNIZER,
    RecognizerSpec("SmallPlaceRecognizer", "LOCATION", (
        # a detention facility known by its code (Russia, Central Asia): "SIZO-1", "IK-2",
        # "IVS No. 3"; the place a person was held
        Rule("facility_code", r"(?<![\w-])(?:(?:SIZO|SHIZO|IVS|LIU|ITK|TsVSNP)[- ]?(?:(?:No\.?|№)"
             r"[ \t]?)?|(?:IK|IZ|LTP)-)\d{1,3}(?:/\d{1,2})?(?![\w-])", 0.7),
        Rule("place_of",
             rf"{WORD_START}(?i:{_PLACE_WORDS}|city)\s+of\s+(?P<id>{_PROPER_NAME})", 0.75),
        # (a number may end the name: "Kilo 26 camp")
        Rule("name_place", rf"\b(?P<id>{_PROPER_NAME}(?:[ \t]\d{{1,3}})?)[ \t]{{1,2}}"
             rf"(?i:{_PLACE_WORDS})\b", 0.7,
             validate=office_free_name),
        # a quarter or a village named after a city or a country: the place word goes too,
        # or the name alone would be kept as that large place ("the Malta quarter of Erbil")
        Rule("homonym_place", rf"\b(?P<id>{_PROPER_NAME}[ \t](?i:quarter|neighbou?rhood|mahall?a|"
             r"mahallah|suburb|village|hamlet|settlement|camp|checkpoint|kampung|barangay|"
             r"kebele|estate))\b", 0.7, validate=homonym_place_ok),
        # a place named by those who knew it, in words: "what the detainees called the red
        # building", "which they called site no. 3"
        Rule("called_by", r"\b(?:what|which|that|(?:place|room|cell|building|basement|prison|"
             r"site|house|camp|base)[ \t]+(?:that[ \t]+)?)[ \t]*(?:the[ \t]+[a-z]+|they|we|people|"
             r"everyone|everybody|locals|guards|soldiers|detainees|prisoners|inmates)[ \t]+"
             r"(?:called|call|named|nicknamed)[ \t]+(?!(?:him|her|it|them|me|us|you)\b)"
             r"(?P<id>(?:the[ \t]+)?[\w'’\-]+(?:(?:(?<=\b[Nn]o)\.)?[ \t]+[\w'’\-]+){0,3}?"
             # and what the name means: 'al-Burj, "the Tower"'
             r"(?:[ \t]*,[ \t]*[\"“][^\"”\n]{2,30}[\"”])?)"
             r"(?=[ \t]*(?:[,;:!?)\"”]|(?<!\b[Nn]o)\.(?:\s|$)|$))",
             0.7, flags=re.MULTILINE, validate=place_named_ok),
        # the name first: "they took him to the red room, that is what people call the
        # basement"
        Rule("called_before", r"\b(?P<id>(?i:the)[ \t]+[\w'’\-]+(?:[ \t]+[\w'’\-]+)?),?[ \t]+"
             r"(?i:that[ \t]+is|that's|which[ \t]+is|it[ \t]+is|as)[ \t]+(?i:what)[ \t]+"
             r"(?i:people|they|we|everyone|everybody|the[ \t]+[a-z]+)[ \t]+(?i:call|called)\b",
             0.6),
        # "a village called Kizhinga", "the street known as 'Shanghai'"
        Rule("called_place", rf"{WORD_START}(?i:{literal_alternation(PLACE_NOUNS)}),?\s+"
             rf"(?i:called|named|known\s+as)\s+[\"'“‘]?(?P<id>{_PROPER_NAME})", 0.75),
        # "the vereda El Tambo Alto", "aldea Los Laureles", "Barangay Tabok", "Mtaa wa
        # Kanisa", "Purok 4", "Kebele 05": a village's, a quarter's or a ward's name or number
        Rule("place_word_name", rf"{WORD_START}(?i:{literal_alternation(LOCAL_UNITS)})\.?"
             # (on the same line: a table's "village" column header ends its line)
             r"[ \t]+(?:(?:wa|cha|ya|la|de|del|di)[ \t]+)?(?P<id>(?:(?:El|La|Los|Las|San|Santa|"
             rf"Al|Ad|As)[ \t]+)?{_PROPER}(?:[ \t]+(?:de[ \t]+|del[ \t]+|la[ \t]+)?{_PROPER})"
             r"{0,2}|\d{1,3}[A-Z]?(?!\d)(?![/.:,]\d|[ \t]*(?i:km|kilomet|mile|minute|hour|day|"
             r"week|month|year|people|famil|house|home|men|women|child|kid|time)))", 0.7),
    )),
    RecognizerSpec("WorkplaceRecognizer", "ORGANIZATION", (
        # a public body named in another language, which the policy may keep: "Fiscalía
        # General de la Nación", "Defensoría del Pueblo" (only where every word is one of a
        # public body's: "Fiscalía de Tlapa" is left to the other rules)
        Rule("foreign_body", FOREIGN_BODY, 0.7, validate=_kept_as("foreign_body")),
        # a statute or a treaty the model does not call an organisation: "the Jammu and
        # Kashmir Public Safety Act, 1978" (kept whole, or left to the other rules)
        Rule("instrument", INSTRUMENT, 0.7, validate=_kept_as("instrument")),
        Rule("name_org", rf"\b(?:{_PROPER}\s+){{0,3}}{_PROPER}\s+(?i:{_ORG_WORDS})(?!\w)",
             0.65),
        Rule("employer", rf"\b(?i:work(?:s|ed|ing)?|employed|hired|job|position|internship|"
             rf"years?|months?|students?|pupils?|stud(?:y|ies|ied|ying)|enrolled|teach(?:es|"
             rf"ers?|ing)?|taught|lecturers?|professors?|employees?|staff|nurses?|doctors?|"
             rf"engineers?|volunteer(?:s|ed)?|interns?|researchers?|members?)\s+"
             rf"(?i:for|at|with|by)\s+(?:the\s+)?(?P<id>{_ORG_NAME})", 0.6,
             validate=not_stopword_name),
        # a Myanmar school by its number: "BEHS 14", "B.E.H.S (2)"
        Rule("numbered_school_mm", r"(?<![\w])(?P<id>B\.?E\.?[HMP]\.?S\.?[ \t]*(?:No\.?[ \t]*)?"
             r"\(?\d{1,3}\)?)(?![\w])", 0.7),
        # a school or hospital known by its number: "a teacher at number 5 primary school"
        Rule("numbered_school", r"\b(?i:number|no\.?|nr\.?|№)[ \t]*\d{1,3}[ \t]+(?i:(?:primary|"
             r"secondary|high|middle|boarding|general|city|district|regional)[ \t]+)?(?i:school|"
             r"hospital|clinic|polyclinic|kindergarten|lyceum|gymnasium|prison|jail|colony|camp|"
             r"detention[ \t]+cent(?:re|er)|police[ \t]+station)\b", 0.65),
        # a numbered military or security unit, a soldier's workplace: "the 42nd Separate
        # Mechanized Brigade", "the 4th armoured division", "Military Unit 3057", "Branch 215"
        Rule("numbered_unit", WORD_START + r"(?i:(?:\d{1,4}(?:st|nd|rd|th)[ \t]+(?:(?:"
             r"(?-i:[A-Z][\w\-]+)|separate|mechani[sz]ed|motori[sz]ed|armou?red|infantry|"
             r"airborne|marine|tank|artillery|special|guards?|rifle|assault|mountain|"
             r"territorial|border|presidential|military|police|intelligence|"
             r"(?-i:(?!(?:the|a|an|of|and|or|to|in|on|at|by|for|with|from|was|were|time|times|"
             r"day|days|year|years)\b)[a-z]{3,}))[ \t]+){0,4}"
             r"(?:brigade|division|regiment|battalion|corps|squadron|platoon|detachment|"
             r"battery|army|fleet|station|precinct)s?|(?:branch|division|brigade|regiment|"
             r"battalion|detachment|police[ \t]+(?:department|precinct|division|station|post)|"
             r"military[ \t]+unit)[ \t]+(?:no\.?[ \t]*|№[ \t]*|#[ \t]*)?\d{1,5})(?![\w/]))", 0.65),
        # in a lower-case chat: "at the oil institute", "the brick factory"
        Rule("lower_workplace", r"\b(?P<id>(?:(?!(?:the|a|an|his|her|my|our|their|this|"
             r"that|of|at|in|on|to|from|for|with|by|old|new|big|small|local|main)\b)"
             r"[a-z][\w'’\-]*\s+){1,2}(?:institute|"
             r"university|college|academy|factory|plant|hospital|clinic|bazaar|market|"
             r"mosque|church|prison|shelter|company|firm|bakery|garage|workshop|manpower|"
             r"agency|recruitment|salon|mall|cafe|café|restaurant|hotel|pharmacy|school|"
             r"brigade|battalion|regiment|unit|department|office))\b", 0.6,
             validate=lower_workplace_ok),
        Rule("office_of", rf"\b(?i:the)\s+(?P<id>{_ORG_NAME})\s+(?i:office|offices|"
             r"headquarters|factory|plant|branch|warehouse)\b", 0.6,
             validate=not_stopword_name),
        Rule("firm", rf"\b{_PROPER}(?:,\s+{_PROPER})+,?\s+(?:and|&)\s+{_PROPER}\b", 0.6,
             validate=surnames_firm),
        # A letterhead or signature: name line, organisation line, then the street line.
        Rule("weak_letterhead", r"(?m)^[ \t]*(?:>|\?\?\?)?[ \t]*[^\W\d_][^\n]{1,50}\n"
             r"[ \t]*(?:>|\?\?\?)?[ \t]*(?P<id>[^\W_][^\n|]{1,40}?)[ \t]*\n"
             r"[ \t]*(?:>|\?\?\?)?[ \t]*(?:\d{1,5}[ \t]|(?i:the\s+corner\s+of|unit\s+\d|"
             r"psc\s+\d|p\.?o\.?\s*box))", 0.45,
             validate=lambda s, m: len(s.split()) <= 5 and not any(c.isdigit() for c in s)),
    )),
    RecognizerSpec("PlaceContextRecognizer", "LOCATION", (
        # the bus or tram someone takes every day: "tram 17", "the 757 bus", "she catches
        # the 47 at the stop" (not "bus 2 stops on", "took the 5 of them")
        Rule("transit_route", r"\b(?:(?i:bus|tram|trolleybus|minibus|marshrutka|matatu|jeepney|"
             r"route)[ \t]+(?:(?i:no|nr)\.?[ \t]*|(?i:number)[ \t]*|#)?(?P<id>\d{1,4}[A-Za-z]?)"
             r"(?![\w.,/:]?\d|[ \t]*(?i:times?|hours?|minutes?|mins?|days?|km|kms|miles?|stops?|"
             r"people|passengers|seats?|of|am|pm|%)\b)|the[ \t]+(?P<id2>\d{2,4}[A-Z]?)[ \t]+"
             r"(?i:bus|tram|matatu|minibus|marshrutka|jeepney)\b|(?i:catch|catches|catching|"
             r"caught|board|boards|boarded|boarding|(?:get|gets|getting|got)[ \t]+on|(?:ride|rides|"
             r"riding|rode)(?:[ \t]+on)?)[ \t]+the[ \t]+(?P<id3>\d{2,4}[A-Z]?)(?![\w.:]|[ \t]*"
             r"(?i:of|o'clock|am|pm|minutes?|hours?|km|times|percent|%|dollars?|pounds?|euros?)\b))",
             0.6, flags=_I),
        # "lives in X", "fled X", "home town X"; no place without its preposition after
        # "living" or "born" ("a Living Legend", "born Free")
        Rule("lives_in", rf"{WORD_START}(?:(?i:lives?|lived|living|grew\s+up|raised|born|"
             r"settled|stayed)\s+(?i:in|at|from|to)|(?i:moved\s+(?:here\s+)?(?:from|to)|"
             r"originally\s+from|came\s+from|fled(?:\s+from)?|arrived\s+(?:at|in)|I\s+am\s+in|"
             r"we\s+are\s+in|home\s+(?:town|city|village))(?:\s+(?i:in|at|from|to))?)"
             rf"\s*(?P<id>{_PLACE_NAME})", 0.6,
             validate=place_name_ok),
    )),
    RecognizerSpec("OtherScriptRecognizer", "PERSON", (
        # Words in another script inside an English statement are almost always names
        # (people, places) quoted as written: Рамзан, محمد, Γιώργος, 김민수.
        Rule("non_latin", rf"(?<![\w])[{_SCRIPTS}][\w'’\-{_SCRIPTS}]*"
             rf"(?:[ \t]+[{_SCRIPTS}][\w'’\-{_SCRIPTS}]*){{0,3}}", 0.55,
             validate=lambda s, m: len(s) >= 2 and mostly_latin_text(s, m)),
    )),
    RecognizerSpec("NameContextRecognizer", "PERSON", (
        # an appellant a tribunal anonymised by initials and country: "AB (Eritrea)"
        Rule("initials_country", r"\b(?P<id>[A-Z]{2,3})[ \t]+\((?P<c>[A-Z][a-z]+(?:[ \t]"
             r"[A-Z][a-z]+)?)\)", 0.6, validate=lambda s, m: m.group("c").casefold() in
             gazetteer().countries),
        # a relative named after a comma: "Jordan's mum, Summer Price, 38", "my wife, Amina"
        Rule("kin_comma", rf"(?:\b(?i:my|his|her|their|our|your)|['’]s)[ \t]+(?i:{_KIN}),[ \t]+"
             rf"(?P<id>{_CAP_NAME})(?=[ \t]*[,.;(]|[ \t]+(?:said|says|told|was|is|who)\b)", 0.7,
             validate=not_stopword_name),
        # a name, then who that is: "Mercy, the chairlady of our women's group", "Faith, my
        # neighbour, saw it" (a first name only: not "Later, my brother")
        Rule("apposition", rf"(?<![\w'’])(?P<id>{_NAME_TOKEN}),[ \t]+(?i:the|my|his|her|their|"
             rf"our|your)[ \t]+(?:[a-z]+[ \t]+)?(?i:{_KIN}|{_OCCUPATIONS})"
             r"(?=[ \t]*[,.;)]|[ \t]+(?:of|at|from|in|who|for)\b)", 0.65,
             validate=first_name_word),
        Rule("after_title_or_kin",
             rf"{WORD_START}(?i:{WORD_TITLES})(?:[ \t]?\.)?[ \t]+(?P<id>{_CAP_NAME})", 0.7,
             validate=not_stopword_name),
        # a nickname in quotes right after a title, rank or kinship word: 'comandante "el
        # Paisa"', 'my uncle "Bear"', 'Captain «Grom»'
        Rule("quoted_after_title",
             rf"{WORD_START}(?i:{WORD_TITLES}|{_RANKS}|comandante|commandant|kommandir|emir|"
             rf"amir)\.?\s+[\"“‘«](?P<id>[^\"”’'»\n]{{2,30}})[\"”’'»]", 0.75),
        Rule("after_rank", rf"\b(?:{_RANKS})\.?[ \t]+(?P<id>{_CAP_NAME})", 0.7,
             validate=office_free_name),
        Rule("introduced", rf"\b(?i:named|called|known\s+(?:to\s+\w+\s+)?as|nicknamed|alias|"
             rf"a\.k\.a\.?|aka|"
             rf"goes\s+by|(?:nick)?name\s+(?:is|was)|calls?\s+me|call\s+him|call\s+her|"
             rf"meu\s+nome\s+é|me\s+llamo|mi\s+nombre\s+es|je\s+m['’]appelle|nama\s+saya|benim\s+ad[ıi]m|"
             rf"ich\s+hei(?:ß|ss)e)\s+[\"'“‘]?"
             rf"(?P<id>{_CAP_NAME})", 0.7,
             validate=person_named_ok),
        Rule("quoted_nickname", r"\b(?i:known(?:\s+to(?:\s+\w+){1,3})?(?:\s+only)?\s+as|"
             r"introduced\s+(?:him|her|them)sel(?:f|ves)\s+(?:only\s+)?as|(?:went|goes|go)\s+by|"
             r"nicknamed|called|alias|aka|a\.k\.a\.?|"
             r"call[\s-]?sign|nickname|nom\s+de\s+guerre|pseudonym|kunya|"
             r"name\s+among\s+\w+:|(?:nick)?name\s*:|(?:(?:english|chinese|christian|muslim|"
             r"real|given|first|other|new|street|pet|baptismal|maiden|facebook|instagram|"
             r"tiktok|the)\s+)+name)\s*"
             r"[\"“‘'](?P<id>[^\"”’'\n]{2,30})[\"”’']", 0.75),
        # a nickname or a father's name inside a full name: 'Emmanuel "Major" Toe', "Agim
        # (Ramadan) Krasniqi", "Rosalinda 'Paris' Gumban"
        Rule("inner_name", rf"(?<![\w'’])(?P<id>{_NAME_TOKEN}[ \t]+(?:[\"“'‘][^\"”'’\n]{{2,20}}"
             rf"[\"”'’]|\([A-Z][a-z]+\))[ \t]+{_NAME_TOKEN})", 0.7, validate=inner_name_ok),
        # a nickname in quotes and brackets after a name: 'Darnell Jr. ("DJ")', not a
        # judgment's defined term ('the Refugee Convention ("the Convention")')
        Rule("bracketed_nickname", r"(?<=[^\W\d_])\.?[ \t]*\([ \t]*[\"“](?P<id>[^\"”\n()]{1,20})"
             r"[\"”][ \t]*\)", 0.6, validate=_after_a_name),
        # a nickname in quotes right after a name: 'Luz Dary Caicedo, "la profe", 41 años'
        Rule("quoted_after_name", r"(?<=[^\W\d_]),[ \t]+[\"“](?P<id>[^\"”\n,]{2,25})[\"”]"
             r"(?=[ \t]*[,(;]|[ \t]+(?:aged|age|\d))", 0.6, validate=quoted_after_name_ok),
        # a name spelled out for the record: "A: O-G-H-O-G-H-O", "M-O-H-A-M-A-D"
        Rule("spelled", r"(?<![\w\-])(?:[A-Z](?:-[A-Z]){3,}|[a-z](?:-[a-z]){3,})(?![\w\-])", 0.6),
        # the sender of a line of a chat export, after its timestamp: "21/06/2021, 22:15 -
        # faith D: ...", "[20/04/22, 9:25:12 AM] ~ Lucky: ..." (a display name, in any case)
        Rule("chat_sender", rf"(?m)^[ \t]*{_CHAT_STAMP}(?:(?i:{_SENDER_TITLES})[ \t]+"
             rf"(?=[^\W\d_][^:\n]*:))?(?P<id>{_DISPLAY_NAME})(?=[ \t]*"
             r"(?:\([^)\n]{1,30}\))?"
             rf"(?:[ \t]*{_EMOJI}+)?[ \t]*:[ \t])",
             0.9, validate=sender_ok),
        # a post's author on the line of the handle: "precious 🦋 @prexy_22", "Sunny V
        # @sunnyv_tx · 2h", "↳ Dee @dee_lnd" (a display name, in any case)
        Rule("handle_author", rf"(?m)^[ \t>↳]*(?P<id>{_DISPLAY_NAME})[ \t]*(?:{_EMOJI}+[ \t]*)*"
             r"[ \t]@[A-Za-z0-9_.]{2,30}(?=[ \t]*(?:$|·|\||•|-[ \t]))", 0.9,
             validate=author_ok),
        # a sender after a bare time: "20:41 Żubr: new pin", "[10:02] Dima: ok" (a word that
        # names no one only after a bracketed time: not "22:15 Arrival: the van")
        Rule("sender_after_time", rf"(?m)^[ \t]*(?P<paren>\[)?[ \t]*{_CLOCK}[ \t]*(?(paren)\])"
             rf"[ \t]*(?P<id>{_DISPLAY_NAME})[ \t]*:[ \t]", 0.9,
             validate=_timed_sender_ok),
        # a judgment's party by initials, on a line of their own above the party's role or
        # below "Between": "Between\nTGK\n(ANONYMITY ORDER MADE)\nAppellant"
        Rule("party_initials", r"(?m)(?:^[ \t]*(?i:between)[ \t]*:?[ \t]*\n[ \t]*|^[ \t]*)"
             r"(?P<id>[A-Z](?:\.?[ \t]?[A-Z]){1,3}\.?)[ \t]*\n(?:[ \t]*\([^)\n]*\)[ \t]*\n)?"
             r"[ \t]*(?i:appellants?|applicants?|claimants?|petitioners?|plaintiffs?|"
             r"complainants?)\b", 0.7),
        # an SMS backup's sender before the time: "rose (16:52): ...", "Bill (8/7 06:15): ...",
        # "Rhea (caseworker) 22:58: ...", "Mercy W. 04:12: ..."
        Rule("sender_before_time", rf"(?m)^[ \t]*(?P<id>{_DISPLAY_NAME})[ \t]*"
             r"(?:\([^()\d\n]{2,30}\)[ \t]*)?(?P<paren>\()?"
             rf"(?:\d{{1,2}}[./-]\d{{1,2}}(?:[./-]\d{{2,4}})?,?[ \t]+)?{_CLOCK}(?(paren)\))"
             r"[ \t]*:[ \t]", 0.9, validate=_timed_sender_ok),
        Rule("speaker", r"(?m)^[ \t]*(?:>|\?\?\?)?[ \t]*(?P<id>[^\W\d_][\w'’\-]*(?:\.[\w'’\-]+)?"
             r"(?:[ \t][^\W\d_][\w'’\-]+)?)[ \t]*:[ \t]*(?=[\"“'‘]|[A-Z]|i\b|i')", 0.6,
             validate=speaker_ok),
        Rule("lower_intro", r"\b(?i:my\s+name\s+is|name\s+is|your\s+name\s*\?|i\s+am\s+called|"
             r"call\s+me|user:|name\s*:)\s*"
             r"(?P<id>[^\W\d_][\w'’\-]+(?:[ \t]+[^\W\d_][\w'’\-]+)?)",
             0.6, validate=intro_name_ok),
        Rule("after_plural_kin", rf"\b(?i:children|sons|daughters|kids|brothers|sisters|"
             rf"cousins|friends|colleagues|parents)\s*[—–:\-,]\s*(?P<id>{_PROPER_NAME})", 0.65),
        Rule("kunya", r"\b(?:Abu|Umm|Ibn|Bint?|Abou|Oum)\s+[A-Z\u00C0-\u024F][\w'’\-]+", 0.7),
        # a name someone is addressed by, in any case: "hey tanner", "thanks obama",
        # "poor emily", "Happy birthday Amber"
        Rule("vocative", r"(?:^|(?<=[\s,.!?(]))(?i:hey|hi|hello|hiya|yo|thanks|thank\s+you|"
             r"bye|goodbye|dear|poor|congrats|congratulations|happy\s+b(?:irth)?day|hbd|"
             r"love\s+(?:you|u|ya)|miss\s+(?:you|u|ya)|ily|ty|thx|go|come\s+on|"
             # thanks and greetings of other languages: "dyakuyu halya", "gracias Lupe"
             r"dyakuyu|spasibo|dziękuję|dziekuje|merci|gracias|obrigad[oa]|asante|salamat|"
             r"terima\s+kasih|shukran|teşekkürler|danke|privet|hola|salut|habari|salam)"
             r"[ \t]*,?[ \t]+"
             r"(?P<id>[^\W\d_][\w'’\-]+)(?=[ \t]*(?:[,.!?:)\u2600-\u27BF\U0001F000-\U0001FAFF]|"
             r"$|\n|[ \t]+(?i:you|your|is|"
             r"and|i|we|do|did|please|what|why|how|nice|great|love)\b))", 0.6,
             flags=re.MULTILINE, validate=vocative_ok),
        # "called himself Lysyi", "we called him the Boxer", "everybody calls "chorny""
        Rule("epithet", r"\b(?i:call(?:s|ed|ing)?|nicknamed|dubbed|known\s+as)\s+"
             r"(?:(?i:him|her|me|himself|herself|themselves|them|us|each\s+other)\s+)?"
             r"(?:(?i:the)\s+)?(?P<id>[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]+"
             r"(?:\s+[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]+)?)", 0.7,
             validate=lambda s, m: epithet_ok(s, m) and not after_place_noun(m)),
        Rule("lower_epithet", r"\b(?:call(?:s|ed|ing)?|nicknamed|dubbed|known\s+as)\s+"
             r"(?:(?:him|her|me|himself|herself|them|us)\s+)?(?:the\s+)?"
             r"(?P<id>[a-z\u0430-\u044f][\w'’\-]+)", 0.65,
             validate=lambda s, m: lower_epithet_ok(s, m) and not after_place_noun(m)),
        # what a nickname means, beside it: 'they call him "Kifaru", the rhino.', 'a jailer
        # they called Abu Ali, "the Electrician", because', '"Wedi Qeshi" ("the priest's son")'
        # (a name in quotes may have any gloss; a name without, one in quotes or brackets:
        # not "I called Ahmed, the driver"; the name may open with an article: "al-Burj")
        Rule("nickname_gloss", rf"{_NAMING}(?:{_QUOTED}(?:[ \t]*,[ \t]*|[ \t]*\([ \t]*)"
             rf"(?P<id>{_QUOTED}|{_GLOSS})|(?:[a-z]{{1,3}}-)?{_CAPITAL_WORDS}(?:[ \t]*,[ \t]*"
             rf"(?P<id2>{_QUOTED}|(?i:the)[ \t]+[A-Z][\w'’\-]+)|"
             rf"[ \t]*\([ \t]*(?P<id3>{_QUOTED}|{_GLOSS})[ \t]*\)))"
             r"(?=[ \t]*\)?[ \t]*(?:[.,;:!?)]|$))", 0.65, flags=re.MULTILINE),
        # a nickname in quotes right after a name: 'Jamal "the Butcher" Haddad'
        Rule("quoted_nickname", rf"\b{_PROPER}[ \t]+(?P<id>[\"“«][^\"”»\n]{{2,30}}[\"”»])",
             0.7, validate=name_before),
        Rule("quoted_epithet", r"\b(?i:call(?:s|ed|ing)?|nicknamed|dubbed|known\s+as|"
             r"named)\s+(?:(?i:him|her|me|himself|herself|them|us)\s+)?(?:(?i:the)\s+)?"
             r"[\"“‘'«](?P<id>[^\"”’'»\n]{2,30})[\"”’'»]", 0.75),
        # initials: "A. K.", "H. K. A.", "M. Dzh.", and an initial before a surname
        # (Latin capitals with accents too: a Turkish court's "H.Ö.", "Ş. K.")
        Rule("initials", rf"(?<![\w.])(?:{_CAPITAL}\.[ \t]?){{1,3}}(?:{_CAPITAL}"
             r"[a-z\u0430-\u044f]{0,3}\.)(?![\w])", 0.6),
        Rule("initial_surname", rf"(?<![\w.])(?:{_CAPITAL}\.[ \t]?){{1,2}}"
             r"[A-Z\u00C0-\u024F\u0400-\u04FF][a-z\u00E0-\u024F\u0430-\u044f'’\-]{2,}", 0.6,
             validate=initial_surname_ok),
    )),
)
