"""The vehicle-plate patterns of :mod:`redact.detect.rules`: plates after the word "plate"
or "registration", right after the vehicle ("a Probox KDA 221M"), after the province that
issued them, and the national formats that need no cue (EU, British, Russian), as one
record of the rules' table (:data:`PLATE_RECOGNIZER`).
"""

from __future__ import annotations

import re

from redact.detect.rule_types import RecognizerSpec, Rule
from redact.detect.validators import plate_ok

__all__ = ["PLATE_RECOGNIZER"]

_I = re.IGNORECASE
#: Vehicles a witness names before their plates ("a grey Priora, plate ...", "hilux 1XQ 7RT").
#: A plate, not a time or a count: a letter and a digit side by side ("KDA 221M"),
#: letters, digits and a year's two digits ("GR 4471-22", Ghana), or three groups of
#: letters and digits in turn ("AGG 312 QE", Nigeria; "4452 KA-7", Belarus).
_PLATE_SHAPE = re.compile(r"[A-Z]\d|\d[A-Z]|^[A-Z]{1,3} \d{2,4}-\d{1,3}$|"
                          r"^[A-Z]{1,3}[ -]\d{2,4}[ -][A-Z]{1,3}$|"
                          r"^\d{1,4}[ -][A-Z]{1,3}[ -]\d{1,4}$")
_VEHICLE = (r"(?:car|van|minivan|truck|lorry|vehicle|bus|minibus|taxi|jeep|suv|priora|lada|"
            r"gazelle|niva|uaz|kamaz|toyota|hilux|sedan|hatchback|ute|golf|civic|motorbike|motorcycle|pickup|"
            r"pick-up|cruiser|corolla|camry|prado|patrol|probox|matatu|boda(?:-boda)?|tuk-tuk|"
            r"rickshaw|benz|mercedes|bmw|audi|nissan|honda|hyundai|kia|ford|mazda|subaru|"
            r"mitsubishi|isuzu|mahindra|suzuki|peugeot|renault|volvo|landcruiser|fielder|"
            r"premio|axio|vitz|bike|motorbike|scooter|moped|bajaj|tvs|keke|okada|tricycle|trike)")

#: The vehicle-plate recognizer of the testimony table
#: (:data:`redact.detect.rules.TESTIMONY_RULES`).
PLATE_RECOGNIZER = RecognizerSpec("VehiclePlateRecognizer", "VEHICLE_PLATE", (
    Rule("introduced", r"\b(?:plates?|licen[cs]e\s+plate|number\s+plate|registration|"
         # other languages' words: "plat B 1947 TKR", "placa HBC 7731", "plaque AB-123-CD"
         r"plat|placas?|matr[ií]cula|plaque|nopol|"
         r"reg\.?|marked(?:\s+with(?:\s+the)?\s+number)?)(?![^\W\d_])\s*(?:no\.?|number)?\s*"
         r"(?:is|was|:|-)?\s*['\"“‘]?"
         # (after a space, no word of four letters or more: "XKT-58E fired")
         r"(?P<id>[A-Z0-9\u0410-\u042F]{1,4}(?:(?:[ \t](?![^\W\d_]{4})|-)?"
         r"[A-Z0-9\u0410-\u042F]{1,4}){1,3})(?![\w\u0400-\u04FF])", 0.75, flags=_I,
         validate=plate_ok),
    # a plate right after the vehicle, a letter and a digit side by side in it: "white
    # hilux 1XQ 7RT", "a Probox KDA 221M" (not "the van 10 AM")
    # (its model's name may come between: "a red Bajaj Boxer UFX 417K", "his Lada, number
    # 4471 AB-7")
    Rule("vehicle_plate", rf"\b(?i:{_VEHICLE}|rego|reg)(?:[ \t]+[A-Z][a-zé]+)?[?,]?[ \t]+"
         r"(?:(?i:number|no\.?|reg\.?)[ \t]*:?[ \t]*)?(?P<id>[A-Z0-9]{2,4}"
         r"(?:[ \-][A-Z0-9]{1,4}){0,2})(?![\w\-])", 0.65,
         validate=lambda s, m: plate_ok(s, m) and _PLATE_SHAPE.search(s) is not None),
    # the part of a plate a witness saw: "partial plate starting KRV-"
    Rule("partial_plate", r"\b(?i:plates?|registration|reg)[ \t]+(?i:starting|beginning|"
         r"ending)[ \t]+(?i:with[ \t]+)?(?P<id>[A-Z0-9]{2,4})(?=-|\b)", 0.65),
    # a plate after the province that issued it: "plate Kampong Speu 1A-2719"
    Rule("region_plate", r"\b(?i:plates?|registration)[ \t]+(?:[A-Z][a-z]+[ \t]+){1,2}"
         r"(?P<id>[A-Z0-9]{1,4}(?:[ \-][A-Z0-9]{1,5})?)(?![\w\-])", 0.65,
         validate=lambda s, m: re.search(r"[A-Z]\d|\d[A-Z]|\d{3}", s) is not None),
    # a plate of digits only (the Gulf states, Hong Kong ...): after the word "plate"
    Rule("digit_plate", r"\b(?i:plates?|number\s+plate|plate\s+(?:no\.?|number))[ \t]*"
         r"(?:is|was|:|-)?[ \t]*(?P<id>\d{2,6}(?:[ \t-]\d{2,6})?)(?![\w/.,]\d)", 0.7),
    Rule("after_vehicle", rf"\b{_VEHICLE}\b"
         r"[^.\n]{0,25}?[,:]\s*(?:plates?\s*)?(?P<id>[a-z\u0430-\u044f]{1,3}[ \t]?\d{3,4}"
         r"[ \t]?[a-z\u0430-\u044f]{1,3}(?:[ \t]?\d{2,3})?)(?!\w)", 0.7, flags=_I),
    Rule("eu_format", r"(?<!\w)[A-Z]{2}[ ]?\d{4}[ ]?[A-Z]{2}(?!\w)", 0.6),
    # a Spanish plate: four digits and three consonants, "4471 KLM" (not "2019 NHS": no
    # year)
    Rule("es_format", r"(?<![\w/.,-])(?!(?:19|20)\d\d\b)\d{4}[ -]?[BCDFGHJKLMNPRSTVWXYZ]{3}"
         r"(?![\w-])", 0.6),
    # a British plate: "KX19 LPT"
    Rule("uk_format", r"(?<!\w)[A-Z]{2}\d{2}[ ]?[A-Z]{3}(?!\w)", 0.6),
    Rule("ru_format", r"(?<!\w)[ABEKMHOPCTYX\u0410\u0412\u0415\u041A\u041C\u041D\u041E"
         r"\u0420\u0421\u0422\u0423\u0425][ \t]?\d{3}[ \t]?[ABEKMHOPCTYX\u0410\u0412\u0415"
         r"\u041A\u041C\u041D\u041E\u0420\u0421\u0422\u0423\u0425]{2}[ \t]?\d{2,3}(?!\w)",
         0.6),
), context=("car", "vehicle", "plate", "plates", "registration", "van", "truck", "lada",
            "taxi", "bus"))
