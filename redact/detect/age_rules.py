"""The rules for dates of birth, dates and ages of the testimony table
(:data:`redact.detect.rules.TESTIMONY_RULES`): how statements, forms, chats and other
languages give a birth date ("born 12 March 1990", "DOB:", "geb. am", "tavallod") and an age
("aged 34", "Amina, 34,", "she looks maybe 17", "(then 12)", "19 añitos", "28 saal ka"),
and the shared patterns of a capitalised name word and a kinship word.
"""

from __future__ import annotations

import re

from redact.detect.first_chars import literal_alternation
from redact.detect.rule_types import RecognizerSpec, Rule
from redact.detect.validators import name_before, name_word_ok, named_age_ok
from redact.detect.vocabulary import (
    AGE_HEDGES,
    FOREIGN_MONTHS,
    FULL_DATE,
    KINSHIP_WORDS,
    MONTHS,
    YEAR_UNITS,
)

__all__ = ["AGE_RECOGNIZER", "BIRTH_RECOGNIZER", "DATE_TIME_RECOGNIZER", "KIN", "PROPER",
           "NUMBER_WORD", "DIGIT_WORD"]

_I = re.IGNORECASE
#: A kinship or relationship word ("son", "cousin", "tía").
KIN = literal_alternation(KINSHIP_WORDS)
#: A capitalised word that is not a sentence-initial function word ("In", "The", "My" ...).
PROPER = (r"(?!(?:In|At|From|The|To|Of|On|And|Near|Outside|Inside|By|For|With|A|An|This|That|"
          r"My|His|Her|Our|Their|Its|We|They|He|She|I|It|Then|When|After|Before)\b)"
          r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*")
#: (a flat alternation: Turkish's dotless "ı" is no trie's letter)
_FOREIGN_MONTHS = "|".join(re.escape(w) for w in sorted(FOREIGN_MONTHS, key=len, reverse=True))
_DATE = (rf"(?:{FULL_DATE}|{MONTHS}\s+\d{{4}}|\d{{1,2}}\.?[ \t]+(?:de[ \t]+)?"
         rf"(?:{_FOREIGN_MONTHS})[ \t]+(?:de[ \t]+)?\d{{4}}|\d{{4}})")
#: How other languages introduce a date of birth.
_BIRTH_WORDS = (r"date\s+de\s+naissance|n[ée]e?\s+le|fecha\s+de\s+nacimiento|naci[óo](?:\s+el)?|"
                r"nacid[oa]\s+el|"
                r"data\s+de\s+nascimento|nascid[oa](?:\s+(?:em|a))?|geburtsdatum|geboren\s+am|"
                r"tanggal\s+lahir|tgl\.?\s+lahir|lahir|do[gğ]um\s+tarihi|geb\.(?:\s+am)?|"
                r"ur\.(?=\s*(?:\d{1,2}[./-]\d{1,2}[./-])?(?:19|20)\d\d)|urodzon[ya]|mawalid|mawaleed|mawlou?d[ae]?|mawlood|tavallod|tavalod|janam|"
                r"data\s+rozhdeniya|d\.\s?r\.|data\s+narodzhennya|tug['’]?ilgan\s+sana|"
                r"dhalasho|dhalashada|ro[đd]j?en[ao]?|lindur|do[gğ]umlu|"
                # a memorial notice's "Sunrise: 14th March 2001 – Sunset: ..."; a list's
                # "name, birth 11.02.1979"
                r"sunrise(?=\s*:)|birth(?=\s*[:\-]?\s*\d)")
#: A line that gives a date of birth, up to its label's colon or dash.
_BIRTH_LINE = re.compile(r"(?m)^[ \t\-*•]*(?:[^\n:]{0,30}/[ \t]*)?(?i:d\.?o\.?b\.?|date[ \t]+"
                         r"of[ \t]+birth|birth[ \t]?date|born|year[ \t]+of[ \t]+birth)[ \t]*[:\-]")
#: Where a list's or a form's value starts: after a comma, a dash, a bar, a colon, at a
#: line's start, after "born" or "DOB".
_LISTED = (r"(?:(?<=[,—–|:(] )|(?<=[,—–|:(\t])|(?<=^)|(?<=^ )|(?<=born )|(?<=DOB )|(?<=ur\. )|"
           r"(?<=b\. )|(?<=geb\. )|(?<=née )|(?<=nata ))")


def _ages_agree(year: str, age: str) -> bool:
    """A year of birth and an age that add up to a present year ("2008", "15")."""
    return 2000 <= int(year[-4:]) + int(age) <= 2040


def _born_then_aged(s: str, m: re.Match[str]) -> bool:
    """A year of birth and the age after it that agree ("2008 (15)", :func:`_ages_agree`),
    or an estimate ("1985 (est.)")."""
    after = re.match(r"[ \t]*\((\d{1,2}|est)", m.string[m.end():m.end() + 12])
    if after is None:
        return False
    return after.group(1) == "est" or _ages_agree(s, after.group(1))


#: Hedges before an age: "maybe 17", "approx. 40", "then 12", "like 70".
_HEDGE = rf"(?:{literal_alternation(AGE_HEDGES)})\.?"

#: An age in words: "fifteen", "twenty-two".
NUMBER_WORD = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|"
                r"three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|"
                r"eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
                r"eighteen|nineteen)")
#: A digit read out: "zero", "oh", "double seven".
DIGIT_WORD = (r"(?:(?:double|triple)[ \t]+)?(?:zero|oh|one|two|three|four|five|six|seven|eight|"
              r"nine)")
#: What may follow an age: the end of a clause (an emoji ends one), or a word that cannot
#: count anything.
_AGE_END = (r"(?=[ \t]*(?:[.,;!?)\"”\u2026\u2190-\u2bff\U0001f000-\U0001faff]|$|"
            r"(?:and|but|so|now|then|when|if|she|he|i|they|"
            r"lol|ha|ya|na|lang|pa|tho|though|his|her|my|their|our|at\s+the\s+time|"
            r"(?:years?|yrs?)(?![ \t]+(?:younger|older|ago|later|before|after|earlier|of))|"
            r"yaar|bro|sis|dude|omg|still|already|too|only|bhai|ji|fam|fr|tbh|ngl|smh|bruh|"
            r"rn|yall|y'all|guys|man|wtf)"
            r"\b))")


BIRTH_RECOGNIZER = RecognizerSpec("DateOfBirthRecognizer", "DATE_OF_BIRTH", (
    Rule("introduced", rf"\b(?:born\s+(?:(?:uh|um|er|eh)[ \t,]+)?(?:on\s+|in\s+)?|"
         rf"b\.[ \t]?(?={FULL_DATE}|(?:19|20)\d\d\b)|(?:date\s+(?:and\s+place\s+)?of\s+birth|"
         r"d\.?o\.?b\.?|"
         # other languages' forms: "Date de naissance", "Nació el", "tanggal lahir"
         rf"{_BIRTH_WORDS}|(?-i:DN|DR)|birth\s?date|birthday|year\s+of\s+birth|birth\s+year|yob)"
         rf"\s*(?:is|was|[:\-])?\s*)(?P<id>{_DATE}"
         # several applicants: "born in 1958, 1967 and 1981 respectively"; a date of
         # another calendar and its Gregorian year: "born 1380 / 2001"
         rf"(?:(?:[ \t]*,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+|[ \t]*/[ \t]*){_DATE})*)\b", 0.85,
         flags=_I),
    # a date of another calendar and its Gregorian one in brackets: "born on 17 Shahrivar
    # 1369 (8 September 1990)", "born 12 Tir 1375 (2 July 1996)"
    Rule("other_calendar", r"\bborn[ \t]+(?:on[ \t]+)?(?P<id>\d{1,2}[ \t]+[A-Z][\w'’\-]+[ \t]+"
         rf"\d{{4}}[ \t]*\([ \t]*{FULL_DATE}[ \t]*\))", 0.85),
    # a birthplace between: "he was born in Aleppo 2007", "born in Gulu in 1998", "born in
    # Tall Kalakh on 12/03/1985"
    # ...and in French, Spanish, Portuguese: "née à Kinshasa le 02/02/1990"
    Rule("place_then_year", r"\b(?:born|n[ée]e?|nacid[oa]|nascid[oa]|lahir)[ \t]+"
         r"(?:in|à|a|en|em|di)[ \t]+"
         r"[A-Z][\w'’\-]+(?:[ \t]+[A-Z][\w'’\-]+)?"
         rf",?[ \t]+(?:(?:in|on|le|el|em)[ \t]+)?(?P<id>(?i:{_DATE}))\b", 0.8),
    # the date of birth named, and the date later in the same sentence: "the date of
    # birth recorded in her card, namely 19.09.2014, differed"; a full date only
    Rule("same_sentence", r"\b(?:date\s+of\s+birth|d\.?o\.?b\.?|birth\s?date|birth\s?day)\b"
         r"(?:[^.!?\n]|\.(?![ \t]+[A-Z])){0,80}?"
         rf"(?P<id>{FULL_DATE})\b", 0.7, flags=_I),
    # a police release names the charged with the date of birth in brackets: "John
    # Smith (24/11/1998), of Mill Lane"
    Rule("bracketed", r"(?:[A-Z][\w'’\-]+[ \t]+){1,3}[A-Z][\w'’\-]+[ \t]*\((?P<id>\d{1,2}"
         r"[./-]\d{1,2}[./-](?:19|20)\d{2})\)(?=,?[ \t]+(?:of|from|aged)\b)", 0.8),
    # a transcript's question asks, the next line's answer gives it: "Q: Your date of
    # birth? \n A: 02.09.1968."
    Rule("answered", rf"(?:date\s+of\s+birth|d\.?o\.?b\.?|birth\s?date|when\s+were\s+you\s+"
         rf"born)[^\n]{{0,80}}\n[ \t]*(?:A|ANSWER|WITNESS|W)[ \t]*[.:][ \t]*"
         # the name first: "A: Palina Kavaliova, 21 January 1993."
         rf"(?:[A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*){{0,3}},[ \t]*)?(?:(?:I\s+was\s+)?"
         rf"born\s+(?:on\s+|in\s+)?)?(?P<id>{_DATE})\b", 0.8, flags=_I),
    # a call's caller answers in words, up to the year: "V: And his date of birth?\nC: The
    # fifth of March... fifth of March, 1984."
    Rule("answered_words", r"(?:date\s+of\s+birth|d\.?o\.?b\.?|birth\s?date|when\s+was\s+"
         r"(?:he|she)\s+born)[^\n]{0,80}\n[ \t]*[A-Z][\w ]{0,15}[ \t]*:[ \t]*"
         r"(?P<id>[^\n]{0,50}?\b(?:19|20)\d{2})\b", 0.7, flags=_I),
    # a form's line of the date of birth gives a year more than once: "DOB: Wood-Rat year
    # (1984); ID card gives ...", "DOB: 1370 (solar hijri), approx. 1991"
    Rule("birth_line_year", r"(?<![\w./-])(?P<id>(?:19|20)\d{2}(?:-\d{2}-\d{2})?|\d{1,2}[./-]"
         r"\d{1,2}[./-](?:19|20)\d{2})(?![\w/-]|\.\d)", 0.7,
         validate=lambda s, m: _BIRTH_LINE.search(
             m.string, m.string.rfind("\n", 0, m.start()) + 1, m.start()) is not None),
    # a register's name and the date of birth after it: "Name: Ani Siregar, 12-04-1990"
    Rule("name_then_date", rf"\b{PROPER}(?:[ \t]+{PROPER}){{0,3}},[ \t]*(?P<id>\d{{1,2}}"
         r"[./-]\d{1,2}[./-](?:19|20)\d{2})(?![\w/.-]|[ \t]*[-–][ \t]*\d)", 0.6,
         validate=name_before),
    # a household list gives the year or date of birth with the age after it: "2008 (15)",
    # "01/01/1979 (44)", "1985 (est.)"
    Rule("year_then_age", _LISTED + r"(?P<id>(?:\d{1,2}[./-]){0,2}(?:\d{1,2}(?:st|nd|rd|th)?[ \t]+"
         r"[A-Z][a-z]+\.?[ \t]+)?(?:19|20)\d{2})"
         r"(?=[ \t]*\((?:(?:\d{1,2}|est\.?)[ \t]*(?:y|yrs?|years?)?)\))", 0.7,
         validate=_born_then_aged, flags=re.MULTILINE),
    # a table's row with a sex column: the row's first year or date is a birth ("| Daughter
    # | F | 2014 |")
    Rule("sex_row_year", r"(?m)^(?=[^\n]*\|[ \t]*[MF][ \t]*\|)[^\n]*?\|[ \t]*(?P<id>(?:19|20)\d{2}|"
         r"\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d{2})(?:[ \t]*\((?:est\.?|\d{1,2})\))?[ \t]*\|", 0.7),
), context=("born", "birth", "dob", "birthday"))

DATE_TIME_RECOGNIZER = RecognizerSpec("DateTimeRecognizer", "DATE_TIME", (
    Rule("timestamp", r"\b\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
         r"(?:\s?(?:Z|[+-]\d{2}:?\d{2}))?", 0.85),
    Rule("day_month", rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}(?!\w)"
         rf"|\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", 0.6, flags=_I,
         validate=lambda s, m: not s[:3].lower() == "may" or s[:1].isupper()),
    # a date in another language: "12 listopada 2021", "5 de marzo de 2022", "2 Baisakh"
    Rule("day_month_foreign", rf"\b\d{{1,2}}(?:\.|º|er|e)?[ \t]+(?:de[ \t]+)?(?:"
         rf"{_FOREIGN_MONTHS})(?:[ \t]+(?:de[ \t]+)?\d{{4}})?(?!\w)", 0.6,
         flags=_I),
    Rule("clock", r"\b(?:[01]?\d|2[0-3])[:.][0-5]\d(?::[0-5]\d)?\s?(?:[ap]\.?m\.?)?(?!\w)"
         r"|\b(?:1[0-2]|0?[1-9])\s?[ap]\.?m\.?(?!\w)", 0.5, flags=_I,
         validate=lambda s, m: ":" in s or "m" in s.lower()),
))

AGE_RECOGNIZER = RecognizerSpec("AgeRecognizer", "AGE", (
    Rule("year_old", rf"\b(?:\d{{1,3}}|{NUMBER_WORD})(?:\s*|-)(?:years?|yrs?)(?:\s*|-)old\b",
         0.75, flags=_I),
    # a transcript's question asks, the next line's answer gives it: "Q: How old are
    # you?\nA: Twenty-two."
    Rule("answered_age", r"\bhow\s+old\s+(?:are|were|is)\s+(?:you|he|she)\b[^\n]{0,40}\n[ \t]*"
         r"(?:A|ANSWER|WITNESS|W)[ \t]*[.:][ \t]*(?:(?:I\s+am|I'm|I\s+was)\s+)?"
         rf"(?:{_HEDGE}[ \t]*)?(?P<id>(?:\d{{1,3}}|{NUMBER_WORD})(?:[ \t]*(?:,|or|-)[ \t]*"
         r"\d{1,3})?)\b", 0.75, flags=_I),
    # a medical form's age and sex: "Age/Sex: 29 Y/F", "34 yrs / M"
    Rule("age_sex_form", r"(?<![\w/])(?P<id>\d{1,3})[ \t]?(?:Y|Yrs?|yrs?|years?)[ \t]*/[ \t]*"
         r"(?:M|F|Male|Female|male|female)\b", 0.75),
    Rule("aged", r"\b(?:aged|age(?:[ \t]+(?:at|on|when|of)[ \t]+[a-z]+)?(?=[ \t]*:)|age|"
         r"at\s+the\s+age\s+of|ages|umur|usia|edad|idade|âge|"
         # (a label of two fields: "Umur/tanggal lahir : 27 tahun / 9 Juli 1994")
         r"alter|yaş[ıi]?|v[aâî]rsta)(?:[ \t]*/[ \t]*[^\W\d_][^\n:/|]{0,24}(?=[ \t]*:))?"
         r"\s*[:|(]?\s*(?:(?:given|recorded|"
         r"stated|listed|estimated|noted)\s+as\s+)?(?:(?:about|around|"
         r"approximately|approx\.?|nearly|almost|some|roughly)\s+)?(?P<id>(?:\d{1,3}|"
         rf"{NUMBER_WORD})(?:[ \t]*[-–][ \t]*\d{{1,3}}\b)?(?:(?:[ \t]*,[ \t]*(?:and[ \t]+)?|"
         r"[ \t]+and[ \t]+)"
         rf"(?:\d{{1,3}}|{NUMBER_WORD}))*)\b", 0.75, flags=_I),
    # news style: "a woman, 64, found dead", "the man, 45, was arrested"; a case log's
    # "Client B (gay man, 31)"
    Rule("person_comma_age", r"\b(?:man|woman|boy|girl|teenager|youth|mother|father|"
         r"son|daughter|husband|wife|grandmother|grandfather|pensioner|student|resident|"
         r"victim|suspect|driver|worker|fisherman|farmer|trader|vendor|teacher|nurse|miner|"
         r"labourer|laborer|tailor|activist|journalist|reporter|migrant|refugee|herder|"
         r"mechanic|cleaner|housewife|widow|lawyer|pastor|imam|soldier|guard|officer)"
         rf"[ \t]*,[ \t]*(?:{_HEDGE}[ \t]+)?(?P<id>\d{{1,2}})[ \t]*[,)]", 0.65,
         flags=_I),
    # "a boy of 16", "a girl of fifteen"
    Rule("person_of", r"\b(?:boy|girl|child|man|woman|teenager|youth|son|daughter)\s+of\s+"
         rf"(?P<id>\d{{1,2}}|{NUMBER_WORD})\b", 0.6, flags=_I),
    Rule("short", r"\b\d{1,3}\s?(?:y/?o|y\.o\.)(?!\w)", 0.7, flags=_I),
    # in Spanish and Portuguese: "de 28 años", "Yorgelis, 21 años,", "tiene 15 años"
    # (not "hace 3 años", three years ago)
    # French too: "(26 ans)", "j'ai 19 ans"; a child's "23 añitos" is an age anywhere
    Rule("anos", r"(?:\b(?i:de|tiene|tenía|tenia|tengo|tem|tinha|tenho|cumplió|cumplio|"
         r"edad|idade|âge|ai|avait|a)[ \t]*:?|[,(—–|])[ \t]*(?P<id>\d{1,2})[ \t]+(?i:años|anos|"
         r"ans)\b(?![ \t]+(?i:de|d'|atrás|ago|plus\s+tard|depois|después))|"
         r"\b(?P<id2>\d{1,2})[ \t]+(?i:añitos|aninhos|yaşında|yasinda)\b|"
         # South Asia's and Iran's "19 saal ka", "14 saal ki", "27 barsa ko", "20 salesh"
         r"\b(?P<id3>\d{1,2})[ \t]+(?i:saal[ \t]+k[aie]|sal(?:esh|eshe|ash)|barsa[ \t]+ko|"
         r"varsh[ \t]+k[aie])\b", 0.7),
    # a birthday says the age: "Happy 30th!", "her 60th birthday"
    Rule("birthday", r"\b(?:happy[ \t]+(?P<id>\d{1,3}(?:st|nd|rd|th))\b|(?P<id2>\d{1,3}"
         r"(?:st|nd|rd|th))[ \t]+(?:birthday|bday|b-day)\b)", 0.7, flags=_I),
    Rule("turns", r"\b(?:turn(?:s|ed|ing)?|will\s+be|be)\s+(?P<id>\d{1,3}|"
         rf"{NUMBER_WORD})(?=[ \t]*(?:[.,;!?)]|$|(?:today|tomorrow|this|next|on|in|and|an|"
         r"so|soon|she|he|years?)\b))", 0.6, flags=_I | re.MULTILINE),
    Rule("who_is", r"\b(?:who|which)\s+(?:is|was|turned)\s+(?P<id>\d{1,2})\b"
         r"(?!\s*(?:%|percent|km|kg|miles|metres|meters|:|\.\d))", 0.6, flags=_I),
    # "he is 9.", "she was 16 and", "I was 14 at the time", "she's 19 she can", "He's
    # four", "my son is only 6"; a name before: "Jaylen is six and Amaya is three"
    Rule("pronoun_is", r"\b(?:(?:he|she|i|they|you|son|daughter|brother|sister|boy|girl|"
         r"child|baby|kid|cousin|nephew|niece|grandson|granddaughter|father|mother|husband|"
         r"wife|grandfather|grandmother|uncle|aunt|dad|mum|mom)"
         r"(?:\s+(?:is|was|am|are|were|turned|looks?|looked|seems?|seemed)|"
         r"['’](?:s|m|re))|shes|hes|im|theyre)\s+[\"“]?(?:(?:now|only|just|barely|nearly|almost|"
         r"about|around|like|maybe|probably)\s+)?"
         rf"(?P<id>\d{{1,2}}|{NUMBER_WORD}){_AGE_END}", 0.6, flags=_I | re.MULTILINE),
    # "Jaylen is six", "Ahmed is only 20", "Sasha (Oleksandra Bondar) is 16", "His
    # daughter, Ashley, is 4"; in a chat "joy is only 26" (a first name, no determiner
    # before it: not "the bill is only 20.")
    Rule("name_is", rf"\b(?:{PROPER}|[a-z][\w'’\-]*)[\"”]?\)?,?\s+(?:is|was|turned)\s+(?:(?:only|"
         rf"just|barely|nearly|almost)\s+)?(?P<id>\d{{1,2}}|{NUMBER_WORD}){_AGE_END}", 0.6,
         flags=re.MULTILINE, validate=named_age_ok),
    # a name and an age: "my son Dmytro (22)", "Amina, 34, said"
    # (a baby's in months: "baby Aryan (10 months)")
    Rule("name_age", rf"\b{PROPER}(?:[ \t]+{PROPER}){{0,2}}[ \t]*\((?:{_HEDGE}[ \t]*)?"
         r"(?P<id>\d{1,2}(?:[ \t]*(?:months?|mos?\.?|weeks?|years?|yrs?\.?|y\.?o\.?|anos|"
         r"años|ans|lat|jahre|yaş))?)\)", 0.6, validate=name_before),
    # "Dilshad, father, 41 (...)": a name, the person's place in the family, the age
    Rule("name_kin_age", rf"\b(?P<name>{PROPER}),[ \t]*(?i:{KIN}),[ \t]*(?P<id>\d{{1,2}})"
         r"(?=[ \t]*[,.;(]|[ \t]*$)", 0.6, flags=re.MULTILINE,
         validate=lambda s, m: name_word_ok(m.group("name"))),
    # the age after a date of birth: "DOB: 11 June 1994 (25 yrs)"
    Rule("age_after_birth", r"\b(?i:dob|d\.o\.b\.?|born|birth|b\.)[^\n()]{0,30}?\d[ \t]*"
         r"\((?P<id>\d{1,3})[ \t]*(?i:yrs?|years?|y/?o)\.?\)", 0.6),
    # a word on the person, then the age, in brackets after the name: "Bu Tati (janda, 70
    # thn)", "Mohammed (father, 41)"
    Rule("name_aside_age", rf"\b(?P<name>{PROPER})[ \t]*\([^()\n,]{{1,30}},[ \t]*"
         rf"(?:{_HEDGE}[ \t]*)?(?P<id>\d{{1,2}}(?:[ \t]*(?i:{YEAR_UNITS}))?)\)", 0.6,
         validate=lambda s, m: name_word_ok(m.group("name"))),
    # an age closing an aside in brackets: "Joseph (surname unknown, approx. 40)"
    Rule("aside_age", rf"\([^()\n]{{2,40}},[ \t]*(?:{_HEDGE}[ \t]*)(?P<id>\d{{1,2}})\)", 0.6,
         flags=_I),
    # "my little brother (16)", "Me (27M)", "my bf (31M)", "(F19)": an age, with or
    # without the sex a forum post gives with it
    Rule("bracket_age", r"\b(?i:me|i|my|brother|sister|son|daughter|boyfriend|girlfriend|"
         r"bf|gf|husband|wife|partner|niece|nephew|cousin|friend|kid|child|baby|mum|mom|"
         r"dad|kids|children|sons|daughters|twins|boys|girls)[ \t]*\((?P<id>\d{1,2}"
         r"(?:[ \t]?[MFmf]|(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+)\d{1,2})*|[MFmf][ \t]?\d{1,2})\)",
         0.65),
    # a list's or a register's sex and age, whatever stands before: "- Y. A. (M, 32):",
    # "Name: ... (...), F, 34 at detention"
    Rule("sex_age", r"\((?P<id>[MF],[ \t]*\d{1,2}|\d{1,2},[ \t]*[MF])\)|(?<=[),][ \t])"
         r"(?P<id2>[MF],[ \t]*\d{1,2})(?=[ \t]*(?:[,.;)]|$|at\b|years?\b|yrs?\b))", 0.6,
         flags=re.MULTILINE),
    # the age after a year or date of birth: "2008 (15)", "01/01/1979 (44)"
    Rule("age_after_year", _LISTED + r"(?:\d{1,2}[./-]){0,2}(?:\d{1,2}(?:st|nd|rd|th)?[ \t]+"
         r"[A-Z][a-z]+\.?[ \t]+)?(?:19|20)\d{2}[ \t]*\("
         r"(?P<id>\d{1,2})\)", 0.65, flags=re.MULTILINE,
         validate=lambda s, m: _ages_agree(m.group(0)[:m.group(0).index("(")].strip(), s)),
    # a list's age in years between commas or dashes: "male, 24 yrs, of", "— son — 11 yrs"
    Rule("listed_years", r"(?:(?<=, )|(?<=— )|(?<=– ))(?P<id>\d{1,2}[ \t]?(?:yrs?|years?))"
         r"(?=[ \t]*(?:[,—–;.)]|$))", 0.6, flags=re.MULTILINE),
    # "(33 y)", "(33 yo)", "(8 months)" after anything on a form line
    Rule("bracket_years", r"\((?P<id>\d{1,2}[ \t]?(?:y|yo|yrs?))\)", 0.6),
    # Indonesian and Malay: "umurnya baru 11", "usianya 34"
    Rule("umurnya", r"\b(?i:umurnya|usianya|umur[ \t]+dia)[ \t]+(?:(?i:baru|sudah|masih|"
         r"sekitar|kira-kira)[ \t]+)?(?P<id>\d{1,2})\b", 0.65),
    # a baby's age in months: "Aryan is 8 months", "she is 10 months old"
    Rule("months_old", rf"\b(?:{PROPER}|she|he|baby|it),?[ \t]+(?:is|was)[ \t]+(?:only[ \t]+)?"
         r"(?P<id>\d{1,2}[ \t]+(?:months?|weeks?))(?=[ \t]*(?:[.,;!)]|$|old\b))", 0.6,
         flags=re.MULTILINE),
    Rule("age_sex", rf"\b{PROPER}[ \t]*\((?P<id>\d{{1,2}}(?:[ \t]?|,[ \t]*)[MFmf]|[MFmf]"
         r"(?:[ \t]?|,[ \t]*)\d{1,2})\)",
         0.6, validate=name_before),
    # "Jayson Mendoza, 22,"; two people's ages in turn: "Will and Jayson Mendoza, 22 and 24,"
    Rule("name_comma_age", rf"\b{PROPER}(?:[ \t]+{PROPER}){{0,2}}[\"”’']?"
         # (an aside in brackets between: "Ezgi (@ezgi_renkli), 19")
         r"(?:[ \t]*\([^()\n]{1,30}\))?,[ \t]*"
         rf"(?:{_HEDGE}[ \t]+)?(?P<id>\d{{1,2}}(?:[ \t]+and[ \t]+\d{{1,2}}"
         r"(?=[ \t]*[,.;:)(]))?)(?=[ \t]*(?:[,.;:)(]|\n|$)|[ \t]+(?:and|years?|yrs?|saal|"
         r"sal|barsa|años|anyos|anos|ans|yaş|tahun|thn|th|taon)\b)",
         0.6, validate=name_before),
))
