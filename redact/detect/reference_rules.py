"""The references of courts, police and registries as the testimony table finds them:
case and file numbers ("application no. 36110/97", "FIR No. 214/2021", "Folio SEMEFO:
23-1186"), numbers given by their sign ("no. 1137", "N° 88.417"), codes and passwords,
references read out on a call ("twenty-two slash zero six slash twenty-three"), officers'
numbers, beds and sort codes. A reference identifies a person as surely as a name.
"""

from __future__ import annotations

import re

from redact.detect.age_rules import DIGIT_WORD, NUMBER_WORD
from redact.detect.first_chars import WORD_START
from redact.detect.rule_types import RecognizerSpec, Rule
from redact.detect.validators import DATE_LIKE, digits

__all__ = ["REFERENCE_RECOGNIZER", "DIGIT_WORD"]

_I = re.IGNORECASE
#: A number read out: digit by digit ("two-one-four", "zero six") or as a word ("twenty-three").
_SPOKEN_GROUP = rf"(?:{DIGIT_WORD}(?:[- ]{DIGIT_WORD})*|{NUMBER_WORD})"


REFERENCE_RECOGNIZER = RecognizerSpec("ReferenceRecognizer", "ID_NUMBER", (
    # Court, police and registry references: "application no. 36110/97",
    # "case No. 2-113/2022", "file 17/2021-K", "criminal case № 12022221000000417".
    Rule("introduced", WORD_START + r"(?:application|appl|case|file|docket|body|grave|log|"
         r"registration|reg|protocol|complaint|petition|ref|reference|proceedings?|"
         r"decision|judgment|judgement|order|record|certificate|warrant|dossier|"
         r"ticket|claim|report|entry|statement|delo|ugolovnoe\s+delo|letter|memo|notice|photo|"
         # Latin American and South Asian case files: "Folio: 23-1186", "expediente
         # 4471/2023", "oficio 118", "FIR 214/2023"
         r"folio|expediente|exp|oficio|acta|radicado|fir|"
         r"summons|kusp|doc|document|door\s+code|gate\s+code|access\s+code|entry\s+code|"
         # land records of South Asia: "dag no. 1184", "khasra no. 77/2", "survey no. 41",
         # "Gat No. 214"
         r"dag|khasra|khatian|khata|survey|parcel|gat)(?![^\W\d_])\.?\s*"
         # a bracketed kind after the word: "Petition (Crl.) 4411/2018"; the office's
         # letters: "Folio SEMEFO: 23-1186"
         r"(?:\([A-Za-z.]{1,8}\)\s*|(?-i:[A-Z]{2,8})[ \t]*(?=:))?"
         r"(?:(?:no|nr|num|number)(?![^\W\d_])\.?|n°|№|#)?\s*:?\s*"
         # a register's letters before the number: "Ref. II AKa 145/19"
         r"(?P<id>(?<![^\W\d_])(?!(?:and|or|of|in|on|at|to|the|for|is|was|by)\b)"
         r"(?:[IVX]{1,4}\s(?=[A-Z][A-Za-z]{0,3}\s\d))?"
         r"[A-Z]{0,4}[a-z]{0,2}[-\s]?\d[\w]*(?:[-/.]\w+|\(\w+\)\w*)*)", 0.8,
         flags=_I,
         validate=lambda s, m: digits(s) >= 2 and not DATE_LIKE.match(s) and
         not re.match(r":\d\d", m.string[m.end("id"):])),
    # a code word or a password in quotes: 'code word «grzyby»', 'password "chai sabz"'
    Rule("code_word", r"\b(?i:code[ \t]?word|codeword|password|passphrase|pass[ \t]?word|"
         r"parol|contraseña|clave|mot[ \t]de[ \t]passe)[ \t]*(?:is[ \t]+|:[ \t]*)?"
         r"[\"“«'‘](?P<id>[^\"”»'’\n]{2,30})[\"”»'’]", 0.75),
    # a number given by its sign alone: "interpreter no. 1137", "N° 20417" (three digits
    # or more; "no 200 people" has no dot)
    Rule("sign_number", r"(?<![\w.])(?:(?i:no)\.|No(?=[ \t]*\d)|(?i:nr)\.?|[nN][°º]|№)[ \t]*"
         r"(?P<id>\d{1,3}(?:\.\d{3})+|\d{3,8})(?![\w/\-]|[.,]\d)", 0.6),
    # a code in brackets after a name: "Zarghuna S. (code ENM-14)", "(ID: KB-2291)"
    Rule("bracketed_code", r"\((?i:code|id|ref|no\.?)[ \t]*[:#]?[ \t]*"
         r"(?P<id>[A-Z]{1,4}-?\d{1,6}|\d{3,8})\)", 0.65),
    # a reference read out on a call: "twenty-two slash zero six slash twenty-three",
    # "two-one-four of twenty-three" (an FIR's number and year)
    Rule("read_out", rf"\b(?P<id>{_SPOKEN_GROUP}(?:[ \t]+(?i:slash|stroke|dash|oblique)"
         rf"[ \t]+{_SPOKEN_GROUP})+|{DIGIT_WORD}(?:-{DIGIT_WORD}){{2,}}[ \t]+(?i:of)[ \t]+"
         rf"{_SPOKEN_GROUP})\b", 0.7, flags=_I),
    # an officer's number: "PC 4471", "star #11472", "badge no. 2231", "shield 5512"
    # the end of a number, enough to find its owner: "service number ended in 1173"
    Rule("ending_in", r"\b(?i:number|no\.?|id|badge|card)[ \t]+(?i:ending|ended|ends)[ \t]+"
         r"(?i:in|with)[ \t]+(?P<id>\d{3,8})\b", 0.7),
    Rule("officer_number", r"(?<![\w])(?:(?-i:PC|DC|PCSO)[ \t]+|(?i:star|badge|shield|collar|"
         r"gafete|placa|jeton|dienstnummer|жетон)"
         r"[ \t]*(?:(?i:no\.?|number|n[úu]mero|nº|n°)[ \t]*)?#?[ \t]*)(?P<id>\d{3,6})(?![\w/])",
         0.7),
    # where a patient or a detainee lies: "Bed: ED-14", "bed no. 12", "locker #31"
    Rule("bed", WORD_START + r"(?i:bed|cot|bunk|locker|berth)[ \t]*(?:(?i:no\.?|nr\.?|number)"
         r"[ \t]*[:#]?|[:#])[ \t]*(?P<id>[A-Z]{0,3}-?\d{1,4}[A-Za-z]?)(?![\w/])", 0.7),
    # a British bank's sort code, which reads like a date: "sort code 20-45-77"
    Rule("sort_code", r"\b(?i:sort[ \t]+code)[ \t]*:?[ \t]*(?P<id>\d{2}[ \-]?\d{2}[ \-]?"
         r"\d{2})(?![\w\-])", 0.8),
    # a petition or an appeal by number and year: "Revision (Cr.) 2271/2017", "Writ
    # Petition 331/19"
    Rule("kind_year", WORD_START + r"(?i:revision|appeal|writ|suit|cause|petition|"
         r"application)[ \t]*(?:\([A-Za-z.]{1,8}\)[ \t]*)?(?:(?i:no|nr)\.?[ \t]*)?"
         r"(?P<id>\d{1,6}[/-](?:19|20)?\d{2})(?![\w/])", 0.75),
    # a court's register and a year: "DCCC 1123/2022", "HCAL 45/2021"
    Rule("acronym_year", r"(?<![\w./])[A-Z]{2,6}[ \t]*(?P<id>\d{1,6}(?:/\d{1,2}){0,2}"
         r"/(?:19|20)\d{2})(?![\w/])", 0.7,
         # "OB 27/14/03/2024": the 27th entry of a day; not a register's plain date
         validate=lambda s, m: s.count("/") != 2),
    # a register known by its letters: "GD No. 1127", "FIR No. 214/2021", "OB No. 42",
    # "OB No.: OB 22/11/2023"
    Rule("acronym_no", r"(?<![\w.])(?:[A-Z]{2,5}|(?:[A-Z]\.){2,4})[ \t]*\(?[ \t]*(?:No|NO|Nr|"
         r"Number|№|#)\.?[ \t]*:?[ \t]*(?P<id>(?:[A-Z]{1,3}[ \t]?)?\d[\w]*"
         r"(?:[-/.]\w+|\(\w+\)\w*)*)",
         0.75,
         validate=lambda s, m: digits(s) >= 2 and not DATE_LIKE.match(s)),
    # "Miscellaneous Cause No. 187 of 2021", "Petition No. E312 of 2022" (East Africa)
    Rule("of_year", r"(?<![\w.])(?i:no|nr|number)\.?[ \t]*(?P<id>[A-Z]{0,3}\d{1,6}[ \t]+"
         r"(?i:of)[ \t]+(?:19|20)\d{2})(?!\w)", 0.6),
    Rule("numbered", r"(?<![\w.])(?i:no|nr|n°|nº|№)\.?\s*(?P<id>\d{1,7}(?:[-/]\w{1,8})+)",
         0.75, validate=lambda s, m: not DATE_LIKE.match(s)),
    # a register's number and year with no cue: "the boletim de ocorrência is 4471/2024"
    # (three digits or more: "12/2024" is a month)
    Rule("number_year", r"(?<![\w/.,\-])\d{3,7}/(?:19|20)\d{2}(?![\w/\-]|[.,]\d)", 0.6),
), context=("application", "case", "file", "court", "docket", "complaint", "reference"))
