"""Public bodies: courts, ministries, commissions and forces that judgments and news name.

"The Supreme Court of the Russian Federation", "the Ministry of Internal Affairs", "the
Human Rights Committee", "the Rapid Support Forces": a body of a state or of the
international community, which employs or serves thousands and identifies no one. The
policy keeps these (:meth:`redact.plan.Planner.decide`), as it keeps the bodies a judgment
names by one common noun (:data:`INSTITUTION`: "the Court", "the Government").

A span is one when every word is explained without it (a common English word, a
function word, a nationality, people or language, a country or a large place) and it
ends in the head word of a public body (or has it before "of", "on", "for", "in", "at"):
a strong head alone ("Court", "Ministry", "Parliament"), a weak head ("Service",
"Office", "Agency", "Government", "Committee") only with a word that makes it public or
after "the" ("National Security Service", "Home Office", "the Investigative Committee";
not "Eagle Security Service", a private guard firm, or "Adobe Digital Government", a
company). Never a facility where someone is held or works day to day ("Central Police
Station", "Military Hospital"), and never a span with a digit or an unknown word
("Kayole Police Station", "Shali District Court": the place's name is the person's).
"""

from __future__ import annotations

import re
from collections.abc import Collection

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.gazetteer import gazetteer
from redact.detect.places import is_people_word, normalize_place

__all__ = ["BODY_HEADS", "INSTITUTION", "public_body"]

#: Bodies that judgments and reports name by one common noun ("the Court", "the Government").
INSTITUTION = re.compile(r"(?i:the[ \t]+)?(?:Court|Courts|Government|State|Police|Army|"
                         r"Military|Navy|Ministry|Parliament|Prosecutor|Prosecution|"
                         r"Commission|Committee|Council|Tribunal|Authorities|Administration|"
                         r"Republic|Federation|Union|Senate|Congress|Presidency|Cabinet|"
                         r"Registry|Chamber|Convention|Constitution|Assembly|Judiciary|"
                         # an office, no one's workplace: "the Prosecutor General", "the
                         # Inspector General of Police", "the Attorney General"
                         r"(?:Prosecutor|Inspector|Attorney|Solicitor|Auditor|Surgeon)[ \t]+"
                         r"General(?:[ \t]+of[ \t]+(?:the[ \t]+)?Police)?|Ombudsman|"
                         r"Ombudsperson)")

#: Heads that make a public body alone.
_STRONG = frozenset("""
court courts tribunal ministry parliament senate congress judiciary presidency cabinet
procuracy prosecution ombudsman ombudsperson gendarmerie
""".split())
#: Heads that need a public word beside them or "the" before them (a firm may be a
#: "service", an "agency" or even a "government": "Adobe Digital Government").
_WEAK = frozenset("""
department office service agency bureau directorate authority inspectorate inspection organization
organisation secretariat mission guard registry force forces police army navy government
assembly commission committee council
""".split())
#: Every head word: no surname ("the Tbilisi Court of Appeal" holds no "Tbilisi Court").
BODY_HEADS = _STRONG | _WEAK
#: Words that make a weak head public.
_PUBLIC = frozenset("""
national state federal public international united nations republic ministry
home interior justice immigration military presidential regional supreme constitutional
human rights refugee refugees migration labour labor european african american
inter-american un world municipal provincial general prosecutor prosecutor's border
intelligence police defender defender's customs prison prisons correctional penitentiary
""".split())
#: Places where someone is held, treated or taught: never kept as a body.
_FACILITY = frozenset("""
station post prison jail colony camp school hospital clinic centre center cell facility
base branch unit precinct barracks academy college university
""".split())


def public_body(text: str, places: Collection[str] = ()) -> bool:
    """True if ``text`` (a span the model or a rule calls an organisation) names a public
    body that identifies no one (see the module doc). ``places``: the large places the
    policy keeps (normalised), which explain a word ("the Lagos State Government")."""
    words = re.findall(r"[^\W\d_][\w'’\-]*|\d+", text)
    if not words or any(w[0].isdigit() for w in words):
        return False
    gaz = gazetteer()
    lows = [w.casefold().replace("’", "'") for w in words]
    if any(w in _FACILITY for w in lows):
        return False
    # the head ends the name or its part before "of", "on", "for", "in", "at": "Supreme
    # Court of ...", "Commission on Human Rights"; not "Orchard Court Apartments", "Full
    # Gospel Assembly church"
    cut = next((i for i, w in enumerate(lows) if w in ("of", "on", "for", "in", "at") and i),
               len(lows))
    head = lows[cut - 1]
    strong = head in _STRONG
    weak = head in _WEAK
    public = lows[0] == "the" or any(w in _PUBLIC or w in gaz.countries or is_people_word(w)
                                     for w in lows)
    if not (strong or weak and public):
        return False
    return all(w in STOP_WORDS or w in _STRONG or w in _WEAK or w in _PUBLIC
               or gaz.is_common(w.removesuffix("'s")) or w in gaz.countries
               or is_people_word(w) or normalize_place(w) in places
               for w in lows)
