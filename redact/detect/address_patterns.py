"""The street-address patterns of :mod:`redact.detect.rules`: the forms witnesses write
addresses in ("14 Main St", "vul. Sadova 12", "Calle 8 No. 14-32", "Flat 3, Marlowe House"),
as regular-expression fragments, and the street-address recognizer built from them
(:data:`ADDRESS_RECOGNIZER`, one record of the rules' table).
"""

from __future__ import annotations

import re

from redact.detect.age_rules import DIGIT_WORD, NUMBER_WORD
from redact.detect.first_chars import WORD_START
from redact.detect.rule_types import RecognizerSpec, Rule
from redact.detect.validators import (
    address_block_end,
    digits,
    local_address_ok,
    no_date_head,
    no_month,
    street_lead_ok,
)
from redact.detect.vocabulary import MONTHS, STREET_ARTICLES

__all__ = ["ADDRESS_RECOGNIZER", "ADDRESS_BLOCK", "COMPOUND_STREET", "LOCAL_ADDRESS", "MILITARY",
           "NUMBER_STREET", "NUMBER_WORDS_NUMBER", "ROMANCE_STREET", "STREET_NUMBER", "ST_SUFFIX",
           "UNIT", "UNIT_RX"]

ST_SUFFIX = (r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Place|Pl|"
              r"Square|Sq|Way|Terrace|Highway|Hwy|Parkway|Pkwy|Alley|Row|Crescent|Close|Gardens|"
              r"Str|Embankment|Quay|Prospekt|Ulitsa)")
#: Words that never occur inside a street name but do occur between two numbers in prose.
_NOT_STREET_WORD = (r"(?!(?i:and|or|of|the|in|at|to|for|from|with|on|by|into|than|per|men|women|"
                    r"people|persons?|years?|months?|weeks?|days?|hours?|minutes?|seconds?|times?|"
                    r"km|kg|miles?|metres?|meters?|soldiers|police|officers|children|cars?|was|were|"
                    r"is|are|out|a|an|my|his|her|their|our|who|which|where|when|"
                    rf"{MONTHS[3:-4]}|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)")
NUMBER_STREET = (r"\b\d{1,5}[A-Za-z]?(?:[ \t]+\d{1,5}[A-Za-z]?)?,?[ \t]+"
                  # (no function word: read without case, "22 on the same street" is none)
                  rf"(?:{_NOT_STREET_WORD}[A-Z\u00C0-\u024F][\w'’.\-]*[ \t]+){{0,3}}"
                  rf"{ST_SUFFIX}\b\.?")
STREET_NUMBER = (r"\b(?:[A-Z\u00C0-\u024F][\w'’.\-]*\s+){1,3}(?:Street|St\.|Avenue|Ave\.?|Road|"
                  r"Rd\.?|Lane|Boulevard|Blvd\.?|Str\.?|Ulitsa|ul\.|Prospekt|pr\.)"
                  r",?\s*(?:No\.?\s*)?\d{1,5}[A-Za-z]?(?:/\d{1,4})?\b")
#: (The lookahead only makes it fast: a word not followed by a number is dropped before the
#: suffixes are tried at each of its letters. Suffix letters and "." are all in its class.)
COMPOUND_STREET = (r"\b(?=[^\W\d_][\w'’.\-]*\s+\d)"
                    r"[^\W\d_][\w'’\-]*(?:stra(?:ss|ß)e|str\.|gasse|weg|veien|vegen|vej|"
                    r"gata|gatan|gade|laan|straat|plein|allee|ulitsa|utca|tie|katu|v[aä]gen|"
                    r"plaats|kade|gracht|dreef|singel|torget|bakken|dalen|lund|rinne|kuja|polku)"
                    r"\s+\d{1,5}[A-Za-z]?\b")
ROMANCE_STREET = (r"\b(?:\d{1,5},?\s+){0,2}(?:Calle|Rue|Via|Viale|Avenida|Av\.|Rua|Plaza|Pra[cç]a|"
                   r"Carrer|Ulica|Ul\.|Strada|Odos|Sokak|Cadde(?:si)?|place|rue)\s+"
                   rf"(?:{_NOT_STREET_WORD}[\w'’.\-]+\s+){{0,4}}?\d{{1,5}}[A-Za-z]?\b")
_AWORD = rf"{_NOT_STREET_WORD}[^\W\d_][\w'’.\-]*"
NUMBER_WORDS_NUMBER = (rf"(?<![\w.,/\-])\d{{1,5}}[A-Za-z]?[ \t]+(?:\d{{1,5}}[ \t]+)?"
                        rf"(?:{_AWORD}[ \t]+){{1,5}}\d{{1,5}}[A-Za-z]?(?:/\d{{1,4}})?\.?"
                        r"(?![\w%/])")
UNIT = (WORD_START + r"(?:Apt|Apartment|Flat|Suite|Unit|Room|Floor|Building|Bldg|Block|"
         r"Entrance|kv|Pelak|Plak|B[âa]t\.|B[âa]timent|Zona|Cela|Pawilon|Pavilion|Murabba['’]?|"
         r"House|Dom|P\.?\s?O\.?\s?Box|Box|Street|Lane|Gali|Galli|Camp|Zone|Sector|Secteur|Plot|Compound|Villa|Barracks?|"
         r"Cell|Tent|Shelter|Caravan|Container|Hut|Trailer|Ward|(?:[A-Z]-)?Wing|School|Hospital|Clinic|"
         r"Polyclinic|Kindergarten|Lyceum|Gymnasium|Colony|Station|Workshop|Dormitory|Hall|"
         r"Stall|Kiosk|Inminban|Shop|Shed|Gate|Substation|Lot|Tower|Site|Pitch|Hangar|Warehouse|"
         r"Cabin|Chalet|Berth|Bunk|Bed|Alley|"
         # a road's kilometre marker: "the checkpoint at km 38" (not "5 km")
         r"Km|"
         r"(?i:apartamento|apto|departamento|depto|piso|casa|bloque|manzana|lote|edificio|"
         # a camp's block and shelter in French: "bloc C, abri 214"
         r"bloc|abri|tente|daire|"
         # a house in Bengali and Hindi: "ghor no. 27", "ghar no 14"
         r"ghor|ghar))"
         r"\.?[ \t]*(?:(?:No|Nr|Number)\.?[ \t]*|[nN][º°][ \t]*|№[ \t]*)?#?[ \t]*"
         r"(?:(?:[A-Za-z]-?)?\d{1,5}[A-Za-z]?"
         r"(?:[-/]\d{1,4}(?![\w/-]))?\b"
         # a count, not a unit's number: "down the lane 3 times", "the camp 2 days"
         r"(?![ \t]+(?:times?|hours?|days?|weeks?|months?|years?|minutes?|km|kms|kg|miles?|"
         r"people|men|women)\b)|"
         # a number in words where a sentence goes on: "holiday park cabin nine if", "cell
         # four." (not "the tent one of them", "the shop two doors down")
         r"(?i:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?=[ \t]*"
         r"(?:[,;:!?)]|\.(?!\w)|$)|[ \t]+(?i:if|and|or|at|in|on|with|where|when|for|but|so|"
         r"near|next|until|till)\b)|"
         # a unit known by a letter: "block B", "Building C" (not "the tent I slept in")
         r"(?-i:[B-HJ-Z])(?![\w'’\-])|(?-i:A)(?=[ \t]*(?:[,.;:)]|$)))")
UNIT_RX = re.compile(UNIT, re.IGNORECASE)
MILITARY = (r"\b(?:(?:Unit|PSC)\s+\d{3,5},?\s+Box\s+\d{1,5}|(?:USNS|USNV|USS|USCGC)\s+[A-Z][\w\-]+"
             r"|(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5})\b")
_ADDR_HEAD = (f"(?:{NUMBER_STREET}|{STREET_NUMBER}|{COMPOUND_STREET}|{ROMANCE_STREET}|"
              f"{NUMBER_WORDS_NUMBER}|{MILITARY}|{UNIT})")
_ADDR_SEP = r"[ \t]*(?:\r?\n[ \t]*(?:(?:\?\?\?|>)[ \t]*)?(?:,[ \t]*)?|,[ \t]*)"
_ADDR_CONT = (rf"(?:{UNIT}|{MILITARY}|\d{{1,3}}(?:st|nd|rd|th)[ \t]+(?i:floor)\b"
              # a Colombian building's inner door, only after a street: "..., interior 201"
              r"|(?i:interior|int\.)[ \t]*\d{1,4}\b"
              # a Polish postcode and its town: "05-240 Tłuszczyk"
              rf"|\d{{2}}-\d{{3}}[ \t]+{_AWORD}"
              rf"|(?:[A-Z]{{2,3}}[ \t]+)?\d{{4,6}}(?:-\d{{4}})?(?!\w)"
              rf"|(?:[A-Z]{{2,3}}|{_AWORD}(?:[ \t]+{_AWORD}){{0,3}}(?:,?[ \t]+[A-Z]{{2,3}})?"
              r"(?:[ \t]+\d{4,6})?)(?=[ \t]*(?:\r?\n|,|$|\.(?:\s|$)"
              r"|[ \t]+(?i:for|in|last|and|please|to|on|at|so|when|if|because|since|until)\b)))")
#: A street line and the lines (or comma-separated parts) that continue it: unit, city,
#: region code, postcode, country.
ADDRESS_BLOCK = (rf"{_ADDR_HEAD}(?:[ \t]+{UNIT})?"
                  rf"(?:(?:{_ADDR_SEP}|(?<=\d)[ \t]+){_ADDR_CONT}){{1,5}}")


#: Street words of the forms witnesses write, before the street's name ("vul. Sadova 12",
#: "ul. Tsadasy 15, kv. 31", "calle 3, casa 27", "Strasse", "sokak", "shari'").
_LOCAL_STREET = (r"(?:vul(?:ytsia|ytsya|itsa)?|ul(?:itsa|ica|\.)?|pr(?:ospekt|osp)?|"
                 r"prov(?:ulok)?|per(?:eulok)?|pl(?:oshcha|oshchad)?|bul(?:var|vard)?|shosse|"
                 r"naberezhnaya|mikrorayon|mkr|kvartal|calle|carrera|cra|avenida|avda|av|rue|"
                 r"strasse|straße|str|ulica|sokak|sok|caddesi|cad|mahallesi|mah|shari'?a?|"
                 r"sharia|rua|via|jalan|jl|transversal|diagonal|travessa|trav|beco|largo|estrada|"
                 r"alameda|camino|callej[oó]n|pasaje|calzada|privada|cerrada|andador|zuqaq|"
                 r"khiaban|khiyaban|kuche|kucheh|koocheh|soi|thanon|osiedle|os)")
_HOUSE = (r"(?:[ \t]*,?[ \t]*(?:(?i:no|nr|n°|nº|№|#|d|dom|house|bld|bldg|korpus|k|dar)[.:]?[ \t]*)?"
          r"\d{1,5}[A-Za-z]?(?:[ \t]*(?:[/-]|(?i:sur|norte|este|oeste|bis))[ \t]*"
          r"\d{0,5}[A-Za-z]?)*(?:[ \t]*[-–][ \t]*\d{1,4})?)")
_FLAT = (r"(?:[ \t]*,?[ \t]*(?i:kv|apt|appt|app|ap|apartment|flat|casa|apto|apartamento|piso|daire|"
         r"room|rm|block|bl|entrance|pod|interior|int|dar|zuqaq)\.?[ \t]*(?:no\.?[ \t]*|#[ \t]*)?"
         r"\d{1,5}[A-Za-z]?)")
LOCAL_ADDRESS = (rf"{WORD_START}(?i:{_LOCAL_STREET})\.?[ \t]+"
                  r"(?:(?!(?i:and|or|the|in|on|at|to|from|with|was|is|of|no|nr)\b)"
                  rf"[^\W\d_][\w'’\-]*(?:[ \t]+(?:(?i:{'|'.join(sorted(STREET_ARTICLES))}|ul)"
                  r"[ \t]+)?"
                  r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*){0,2}"
                  rf"{_HOUSE}?|(?:(?i:no|nr|n°|№)[.:]?[ \t]*)?\d{{1,4}}[A-Za-z]?"
                  r"(?:[ \t]+(?i:sur|norte|este|oeste|bis))?"
                  rf"{_HOUSE}?){_FLAT}*")


_I = re.IGNORECASE

#: The street-address recognizer of the testimony table
#: (:data:`redact.detect.rules.TESTIMONY_RULES`).
ADDRESS_RECOGNIZER = RecognizerSpec("StreetAddressRecognizer", "ADDRESS", (
    # a form's address field: the whole value, whatever its form ("Address: E-Block,
    # Jhuggi No. 213, Jahangirpuri")
    Rule("address_field", r"(?im)^[ \t]*(?:[|*>-][ \t]*)?(?:(?:home|residential|permanent|"
         r"present|current|postal|last[ \t]+known)[ \t]+)?(?:address|addr\.?|residence|place"
         r"[ \t]+of[ \t]+residence)[ \t]*:[ \t]*(?P<id>[^\s|][^\n|]{2,150}?)[ \t]*(?=\||$)",
         0.8, trim=lambda t, a, b: address_block_end(t, a, b, UNIT_RX)),
    # a colony's phase and a lettered block (South Asia): "DLF Phase 3, U-block, house 27"
    Rule("phase_block", r"\b(?:[A-Z][\w\-]*[ \t]+Phase[ \t]+\d{1,2}[A-Z]?(?=[ \t]*[,\n])|"
         r"(?<![\w\-])[A-Z][ \t]?-?(?i:block)\b(?![ \t]+(?i:party|chain|of|letters?)\b))", 0.6),
    Rule("number_street", NUMBER_STREET, 0.75),
    Rule("street_number", STREET_NUMBER, 0.75),
    # a house known by its number: "she lives next door at No. 9", "Petro from number 56"
    Rule("at_number", r"\b(?i:at|from|next\s+door,?\s+at)\s+(?P<id>(?:No|Nr|№|(?:no|nr)(?=\.)|"
         r"(?i:number))\.?\s*\d{1,4}"
         r"[A-Za-z]?)(?![\w/-]|\.\w)", 0.6),
    # the number after a house told of: "the house with the green gate, no. 14", "their
    # house in Budiriro 5, number 3341"
    Rule("house_then_number", r"\b(?i:house|home|gate|door|building|compound|plot|stand)\b"
         r"[^.!?\n]{0,60}?,[ \t]*(?P<id>(?i:no\.|nr\.|number|#)[ \t]*\d{1,5}[A-Za-z]?)"
         r"(?![\w/-]|\.\w|[ \t]+(?i:of|on|in)\b)", 0.6),
    Rule("named_street", r"\b(?:[A-Z\u00C0-\u024F][\w'’\-]*\s+){1,3}"
         r"(?:Street|Avenue|Road|Lane|Boulevard|Ulitsa|Prospekt|Highway|Close|Terrace|Grove|"
         r"Mews|Crescent)\b", 0.6,
         validate=lambda s, m: not re.search(r"\bRed\s+Crescent$", s)),
    # in any case, after "on", "at", "off" ...: "we met on elm road", "off 5th ave"; not
    # "on the main road", "on his way"
    Rule("lower_street", r"\b(?i:on|at|in|near|off|from|along|to|down|up)[ \t]+(?P<id>"
         r"(?!(?i:the|a|an|my|his|her|our|their|its|your|this|that|these|those|some|any|one|"
         r"every|each|no|another|which|what)\b)[a-z0-9][\w'’\-]*(?:[ \t]+[a-z][\w'’\-]*)?"
         r"[ \t]+(?i:street|st|road|rd|lane|ln|avenue|ave|boulevard|blvd|highway|alley))\b",
         0.6),
    # a house number and a street in lower case: "come round 14 orchard close", "at 9 elm
    # rd"; not "a 2 hour drive", "5 miles down the road"
    Rule("lower_number_street", r"(?<![\w.,/:-])\d{1,4}[a-z]?[ \t]+(?!(?:hours?|hrs?|minutes?|"
         r"mins?|days?|weeks?|months?|years?|miles?|km|kilomet\w*|blocks?|doors?|the|a|an|"
         r"more|other|times?|lane|way)\b)[a-z][a-z'’\-]+(?:[ \t]+[a-z][a-z'’\-]+)?[ \t]+"
         r"(?:street|st|road|rd|lane|ln|avenue|ave|close|crescent|terrace|gardens|grove|"
         r"boulevard|blvd)\b", 0.6),
    Rule("compound_street", COMPOUND_STREET, 0.7, flags=_I),
    # with a Colombian house number and the building's inner door: "Calle 56 EE # 18B-41,
    # interior 201"
    Rule("romance_street", ROMANCE_STREET + r"(?:[ \t]*[A-Z]{1,2}\b)?(?:[ \t]*(?:#|No\.?|N°|Nº)"
         r"[ \t]*\d{1,4}[A-Z]?(?:-\d{1,4})?)?(?:,?[ \t]*(?i:interior|int\.|apto\.?|apartamento)"
         r"[ \t]*\d{1,4}\b)?", 0.7),
    # "Gül Sokak No 7", "Cumhuriyet Mahallesi"; South Asian quarters with the house's number
    # before them: "14 Shanti Nagar", "Ghanta Chowk", "Qazi Mohalla"
    Rule("name_then_street_word", r"(?:(?<![\w/.,])\d{1,5}[A-Za-z]?(?:/\d{1,4})?,?[ \t]+)?"
         r"\b(?!(?:The|A|An|This|That|Our|My|His|Her|Their|In|At|Near|From)\s)"
         r"(?:[A-Z\u00C0-\u024F][\w'’\-]*\s+){1,3}"
         r"(?:Sokak|Soka[gğ][iı]|Caddesi|Cad\.|Bulvar[iı]|Mahallesi|Mah\.|Shari'?a|"
         r"Street|Nagar|Chowk|Colony|Basti|Mohalla|Vihar|Puram|Köyü)\b,?\s*(?:No\.?\s*)?"
         r"(?:\d{1,5}[A-Za-z]?)?", 0.7),
    # an Indonesian neighbourhood's numbers: "RT 03/RW 05", "RT.003 RW.011"
    Rule("rt_rw", r"\bRT\.?[ \t]*\d{1,3}[ \t]*[/,]?[ \t]*RW\.?[ \t]*\d{1,3}\b", 0.7),
    Rule("number_words_number", NUMBER_WORDS_NUMBER, 0.55, validate=no_month),
    # the house's number before its street, as French and Spanish write it: "au n° 14 de
    # la rue Mabanga-Sud", "el número 8 de la calle Olivos"
    Rule("number_of_street", r"(?P<id>(?i:n°|nº|no\.|num[ée]ro|número)[ \t]*\d{1,5}[A-Za-z]?"
         r"(?:[ \t]*(?i:bis|ter))?),?[ \t]+(?i:de[ \t]+la|du|de[ \t]+l['’]|del|de|da|do)[ \t]*"
         r"(?=(?i:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|impasse|place|route|calle|rua|"
         r"avenida|travessa|carrera)\b)", 0.7),
    # a township's stand (erf) by number and its section by letter: "Stand 4412", "Section
    # K, eMaqadini" (a law's "Section 12" has digits)
    Rule("stand", r"(?:\bStand|(?:(?<=\bon )|(?<=\bat )|(?<=\bin )|(?<=\bof ))stand|\b(?i:erf))"
         r"[ \t]+(?:(?i:no)\.?[ \t]*)?\d{3,6}\b|"
         r"\bSection[ \t]+[A-HJ-Z](?![\w'’\-(])", 0.6),
    Rule("unit", UNIT, 0.6, flags=_I),
    # a numbered street or block said in words: "street fourteen", "block three, house nine"
    # (not "block two days", "house one of them")
    Rule("unit_in_words", rf"\b(?i:street|lane|alley|gali|kucheh?|block|plot|house|sector|"
         rf"zone|phase|room|flat|tent|shelter|district|camp|ward|section)[ \t]+"
         rf"(?i:no\.?[ \t]+|number[ \t]+)?(?i:{NUMBER_WORD}|{DIGIT_WORD}(?:[ \t]+{DIGIT_WORD})+)"
         r"\b(?![ \t]+(?i:of|or|and|to|days?|weeks?|months?|years?|hours?|minutes?|times|"
         r"km|kilomet\w+|miles?|metres?|meters?|people|men|women|families|more|other)\b)",
         0.6),
    # a city's numbered quarter or street: "the 7th quarter", "12th mkr", "3rd street",
    # Bangalore's "5th cross" (a floor only in an
    # address: "the 3rd floor burned" says nothing of where)
    Rule("ordinal_unit", r"\b\d{1,3}(?:st|nd|rd|th)[ \t]+(?:quarter|micro-?district|"
         r"mikrorayon|mkr|kvartal|khoroo|sector|zone|block|estate|street|avenue|"
         r"alley|cross|main)\b", 0.6, flags=_I),
    # a floor told as where someone lives or is: "This is Cawo from 2nd floor", "she lives
    # on the 3rd floor" (not "the 3rd floor burned")
    Rule("floor", r"\b(?i:from|on|at|in)[ \t]+(?:(?i:the)[ \t]+)?(?P<id>\d{1,2}(?:st|nd|rd|th)"
         r"[ \t]+(?i:floor))\b", 0.55),
    Rule("military", MILITARY, 0.7),
    Rule("block", WORD_START + ADDRESS_BLOCK, 0.75, flags=_I,
         trim=lambda t, a, b: address_block_end(t, a, b, UNIT_RX), validate=no_date_head),
    Rule("local_street", LOCAL_ADDRESS, 0.75, validate=local_address_ok),
    Rule("corner_of", r"\b(?i:(?:the\s+)?corner\s+of)\s+(?:[\w'’./\-]+\s+){0,5}?"
         r"(?i:and|&)\s+(?:[\w'’./\-]+[ \t]*){1,5}?"
         r"(?=[,;:!?\n]|\.(?:\s|$)|\s+(?i:in|for|last|please|when|to|so)\b|$)", 0.7),
    Rule("intersection", rf"\b(?i:at|to|in|on|is|are|from)\s+(?P<id>[^\W\d_][\w'’\-]*\s+"
         rf"(?:and|&)\s+(?:{NUMBER_STREET}|(?:[^\W\d_][\w'’.\-]*\s+){{1,4}}\d{{1,5}}"
         rf"[A-Za-z]?\b))", 0.6),
    Rule("word_number_street", rf"\b(?P<id>[^\W\d_][\w'’\-]*[ \t]+\d{{1,5}}[ \t]+"
         rf"(?:[^\W\d_][\w'’.\-]*[ \t]+){{0,3}}{ST_SUFFIX}\b)", 0.6, flags=_I,
         validate=street_lead_ok),
    Rule("uk_postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", 0.5),
    # a Polish postcode and its town on a line of their own: "05-417 Zalesie Kolonia"
    Rule("pl_postcode_line", r"^[ \t]*\d{2}-\d{3}[ \t]+[A-ZĆŁŚŹŻ][\w\-]+(?:[ \t]+[A-ZĆŁŚŹŻ]"
         r"[\w\-]+){0,2}[ \t]*$", 0.6, flags=re.MULTILINE),
    Rule("us_state_zip", WORD_START + r"(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|"
         r"M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+\d{5}(?:-\d{4})?\b",
         0.6),
    Rule("postcode_introduced", r"\b(?:postcode|post\s?code|postal\s?code|zip(?:\s?code)?|"
         r"postal\s?index|index)\s*(?:is|was|:)?\s*(?P<id>[A-Z0-9]{2,5}[\s\-]?[A-Z0-9]{2,5})"
         r"\b", 0.7, flags=_I, validate=lambda s, m: digits(s) >= 2),
), context=("address", "street", "live", "lived", "lives", "house", "flat", "apartment",
            "home", "building", "road", "sent", "deliver", "letter"))
