"""The street-address patterns of :mod:`redact.detect.rules`: the forms witnesses write
addresses in ("14 Main St", "vul. Sadova 12", "Calle 8 No. 14-32", "Flat 3, Marlowe House"),
as regular-expression fragments the rules' table is built from.
"""

from __future__ import annotations

import re

from redact.detect.first_chars import WORD_START
from redact.detect.vocabulary import MONTHS

__all__ = ["ADDRESS_BLOCK", "COMPOUND_STREET", "LOCAL_ADDRESS", "MILITARY", "NUMBER_STREET",
           "NUMBER_WORDS_NUMBER", "ROMANCE_STREET", "STREET_NUMBER", "ST_SUFFIX", "UNIT",
           "UNIT_RX"]

ST_SUFFIX = (r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Court|Ct|Place|Pl|"
              r"Square|Sq|Way|Terrace|Highway|Hwy|Parkway|Pkwy|Alley|Row|Crescent|Close|Gardens|"
              r"Str|Embankment|Quay|Prospekt|Ulitsa)")
NUMBER_STREET = (r"\b\d{1,5}[A-Za-z]?(?:[ \t]+\d{1,5}[A-Za-z]?)?,?[ \t]+"
                  r"(?:[A-Z\u00C0-\u024F][\w'’.\-]*[ \t]+){0,3}"
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
#: Words that never occur inside a street name but do occur between two numbers in prose.
_NOT_STREET_WORD = (r"(?!(?i:and|or|of|the|in|at|to|for|from|with|on|by|into|than|per|men|women|"
                    r"people|persons?|years?|months?|weeks?|days?|hours?|minutes?|seconds?|times?|"
                    r"km|kg|miles?|metres?|meters?|soldiers|police|officers|children|cars?|was|were|"
                    r"is|are|out|a|an|my|his|her|their|our|who|which|where|when|"
                    rf"{MONTHS[3:-4]}|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)")
ROMANCE_STREET = (r"\b(?:\d{1,5},?\s+){0,2}(?:Calle|Rue|Via|Viale|Avenida|Av\.|Rua|Plaza|Pra[cç]a|"
                   r"Carrer|Ulica|Ul\.|Strada|Odos|Sokak|Cadde(?:si)?|place|rue)\s+"
                   rf"(?:{_NOT_STREET_WORD}[\w'’.\-]+\s+){{0,4}}?\d{{1,5}}[A-Za-z]?\b")
_AWORD = rf"{_NOT_STREET_WORD}[^\W\d_][\w'’.\-]*"
NUMBER_WORDS_NUMBER = (rf"(?<![\w.,/\-])\d{{1,5}}[A-Za-z]?[ \t]+(?:\d{{1,5}}[ \t]+)?"
                        rf"(?:{_AWORD}[ \t]+){{1,5}}\d{{1,5}}[A-Za-z]?(?:/\d{{1,4}})?\.?"
                        r"(?![\w%/])")
UNIT = (WORD_START + r"(?:Apt|Apartment|Flat|Suite|Unit|Room|Floor|Building|Bldg|Block|"
         r"Entrance|kv|"
         r"House|Dom|P\.?\s?O\.?\s?Box|Box|Street|Camp|Zone|Sector|Plot|Compound|Villa|Barracks?|"
         r"Cell|Tent|Shelter|Caravan|Container|Hut|Trailer|Ward|(?:[A-Z]-)?Wing|School|Hospital|Clinic|"
         r"Polyclinic|Kindergarten|Lyceum|Gymnasium|Colony|Station|Workshop|Dormitory|Hall|"
         r"Stall|Kiosk|Inminban|"
         r"(?i:apartamento|apto|departamento|depto|piso))"
         r"\.?[ \t]*(?:(?:No|Nr|Number)\.?[ \t]*)?#?[ \t]*(?:(?:[A-Za-z]-?)?\d{1,5}[A-Za-z]?\b|"
         # a unit known by a letter: "block B", "Building C" (not "the tent I slept in")
         r"(?-i:[B-HJ-Z])(?![\w'’\-])|(?-i:A)(?=[ \t]*(?:[,.;:)]|$)))")
UNIT_RX = re.compile(UNIT, re.IGNORECASE)
MILITARY = (r"\b(?:(?:Unit|PSC)\s+\d{3,5},?\s+Box\s+\d{1,5}|(?:USNS|USNV|USS|USCGC)\s+[A-Z][\w\-]+"
             r"|(?:APO|FPO|DPO)\s+(?:AA|AE|AP)\s+\d{5})\b")
_ADDR_HEAD = (f"(?:{NUMBER_STREET}|{STREET_NUMBER}|{COMPOUND_STREET}|{ROMANCE_STREET}|"
              f"{NUMBER_WORDS_NUMBER}|{MILITARY}|{UNIT})")
_ADDR_SEP = r"[ \t]*(?:\r?\n[ \t]*(?:(?:\?\?\?|>)[ \t]*)?(?:,[ \t]*)?|,[ \t]*)"
_ADDR_CONT = (rf"(?:{UNIT}|{MILITARY}|(?:[A-Z]{{2,3}}[ \t]+)?\d{{4,6}}(?:-\d{{4}})?(?!\w)"
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
                 r"sharia|rua|via|jalan|jl|transversal|diagonal)")
_HOUSE = (r"(?:[ \t]*,?[ \t]*(?:(?i:no|nr|n°|№|#|d|dom|house|bld|bldg|korpus|k)[.:]?[ \t]*)?"
          r"\d{1,5}[A-Za-z]?(?:[ \t]*(?:[/-]|(?i:sur|norte|este|oeste|bis))[ \t]*"
          r"\d{0,5}[A-Za-z]?)*(?:[ \t]*[-–][ \t]*\d{1,4})?)")
_FLAT = (r"(?:[ \t]*,?[ \t]*(?i:kv|apt|appt|app|ap|apartment|flat|casa|apto|apartamento|piso|daire|"
         r"room|rm|block|bl|entrance|pod)\.?[ \t]*(?:no\.?[ \t]*|#[ \t]*)?\d{1,5}[A-Za-z]?)")
LOCAL_ADDRESS = (rf"{WORD_START}(?i:{_LOCAL_STREET})\.?[ \t]+"
                  r"(?:(?!(?i:and|or|the|in|on|at|to|from|with|was|is|of|no|nr)\b)"
                  r"[^\W\d_][\w'’\-]*(?:[ \t]+(?:(?i:de|del|la|los|las|do|da|al|el|ul)[ \t]+)?"
                  r"[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-]*){0,2}"
                  rf"{_HOUSE}?|(?:(?i:no|nr|n°|№)[.:]?[ \t]*)?\d{{1,4}}[A-Za-z]?"
                  r"(?:[ \t]+(?i:sur|norte|este|oeste|bis))?"
                  rf"{_HOUSE}?){_FLAT}*")
