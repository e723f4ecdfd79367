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

The same holds for a public instrument, a statute or a treaty (:data:`INSTRUMENT_HEADS`:
"the Anti-Terror Law", "the Refugee Convention", "Prevention of Electronic Crimes Act,
2016"), and for a body named in another language ("Fiscalía General de la Nación",
"Defensoría del Pueblo", "Bundesamt für Migration und Flüchtlinge"): its head word and the
words around it must come from the short vocabulary of public administration of
:data:`_FOREIGN_HEADS` and :data:`_FOREIGN_WORDS`; any other word (a town, a person) makes
it no public body.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.gazetteer import gazetteer
from redact.detect.places import is_people_word, normalize_place

__all__ = ["BODY_HEADS", "FOREIGN_BODY", "INSTITUTION", "INSTRUMENT", "INSTRUMENT_HEADS",
           "public_body", "public_name_kind"]

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


#: Heads of a statute's or a treaty's name ("the Penal Code", "the Refugee Convention").
#: Not "bill" (a first name) nor "rules" alone.
INSTRUMENT_HEADS = frozenset("""
law laws act code convention conventions charter covenant protocol treaty decree ordinance
proclamation constitution statute directive declaration regulations
""".split())
#: A statute's or a treaty's name, as a pattern: capitalised words (and "and", "of" ...)
#: up to a capitalised head, a year after it ("the Jammu and Kashmir Public Safety Act,
#: 1978"); :func:`public_name_kind` judges it.
INSTRUMENT = (r"(?<![\w'’\-])(?:[A-Z][\w'’\-]*[ \t]+(?:(?:and|of|for|on|against|the|to|in)"
              r"[ \t]+)*){1,8}(?:Act|Law|Code|Convention|Charter|Covenant|Protocol|Treaty|"
              r"Decree|Ordinance|Proclamation|Constitution|Statute|Directive|Declaration)"
              r"(?:,?[ \t]+(?:19|20)\d{2})?(?![\w'’\-])")
#: Words that join an instrument's head to its subject: "Convention against Torture".
_INSTRUMENT_JOINS = frozenset({"of", "on", "against", "for", "relating", "to", "in"})
#: Heads of public bodies in other languages that statements name (Spanish, Portuguese,
#: French, German, Italian, Polish, Turkish, Indonesian): prosecutors, ombudsmen, courts,
#: ministries, commissions, police and border forces.
_FOREIGN_HEADS = frozenset("""
fiscalía fiscalia defensoría defensoria procuraduría procuradoria ministerio ministério
ministère ministero ministerium tribunal tribunale corte cour juzgado gericht bundesgericht
landgericht amtsgericht verwaltungsgericht sąd sądem mahkemesi bakanlığı idaresi
müdürlüğü pengadilan kejaksaan kementerian kepolisian komisi prokuratura parquet
comisión comissão commissione secretaría secretaria secrétariat unidad unidade
dirección direção direction policía polícia policia polizia polizei policja gendarmería
guardia ejército exército armée bundesamt bundespolizei straż carabinieri instituto
institut consejo conselho conseil assemblée asamblea congreso senado rzecznik
defensor défenseur registraduría sala mecanismo sistema
""".split())
#: Words of public administration beside such a head, and the function words of those
#: languages: "General de la Nación", "del Pueblo", "für Migration und Flüchtlinge".
_FOREIGN_WORDS = frozenset("""
de del la las el los do da dos das des du le les à al y e et en für und der die den von im
zu di della dello degli delle per i na dla ve ile
nacional nacionales nacionais national nationale nazionale general generale federal
federale fédéral pública público públicos públicas publique pubblico estatal estado
estadual état stato república république repubblica pueblo nación nação nazione
derechos direitos droits diritti humanos humanas humains umani homme l'homme justicia
justiça justice giustizia migración migração migrations migrazione flüchtlinge migration
protección proteção protection protezione víctimas vítimas victimes búsqueda busca
personas pessoas personnes desaparecidas desaparecidos disparues especial especializada
mujer mujeres mulher mulheres femme femmes penal penale militar militaire militare civil
civile civiles interior intérieur interno mayor superior suprema supremo suprême
constitucional constitutionnel constitutional seguridad segurança sécurité
sicurezza defensa defesa défense difesa investigación investigações enquête asilo asile
refugiados réfugiés restitución tierras verdad reconciliación memoria
administrativo administrativa administratif apelaciones apelação appel d'appel cassation
casación distrito district regional provincial departamental graniczna państwowa
praw obywatelskich rejonowy rejonowym okręgowy ağır ceza adalet göç emniyet genel
republik indonesia negeri agung hak asasi manusia nasional
""".split())


#: Heads that name a body alone ("la Fiscalía", "the Carabinieri").
_FOREIGN_ALONE = frozenset("""
fiscalía fiscalia defensoría defensoria procuraduría procuradoria carabinieri gendarmería
kepolisian kejaksaan prokuratura bundespolizei bundesamt
""".split())
_FOREIGN_JOIN = (r"(?:de|del|la|las|el|los|do|da|dos|das|des|du|le|les|für|und|der|die|den|"
                 r"von|di|della|per|y|e|et|en|na|dla|ve|im|zu)")
_CAPITAL_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w'’\-]*"


def _heads(words: frozenset[str]) -> str:
    """The capitalised words as an alternation, longest first."""
    return "|".join(sorted((re.escape(h[0].upper() + h[1:]) for h in words), key=len,
                           reverse=True))


_FOREIGN_MORE = r"(?:(?:[ \t]+" + _FOREIGN_JOIN + r")*[ \t]+" + _CAPITAL_WORD + r")"
#: A body named in another language, as a pattern: a capitalised head of
#: :data:`_FOREIGN_HEADS` with the capitalised words and articles that follow it
#: ("Fiscalía General de la Nación", "Straż Graniczna"); :func:`public_name_kind` judges it.
FOREIGN_BODY = (r"(?<![\w'’\-])(?:(?:" + _heads(_FOREIGN_ALONE) + r")" + _FOREIGN_MORE +
                r"{0,6}|(?:" + _heads(_FOREIGN_HEADS - _FOREIGN_ALONE) + r")" + _FOREIGN_MORE +
                r"{1,6})(?![\w'’\-])")


def public_name_kind(text: str, places: Collection[str] = ()) -> str | None:
    """What public name ``text`` (a span the model or a rule calls an organisation) is, if
    it names no one (see the module doc): ``"instrument"`` (a statute or a treaty, whatever
    its year or number: no organisation), ``"foreign_body"`` (a body named in another
    language), ``"body"``, or None. ``places``: the large places the policy keeps
    (normalised), which explain a word ("the Lagos State Government")."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", text)
    if not words:
        return None
    lows = [w.casefold().replace("’", "'") for w in words]
    if _instrument(words, lows, places):
        return "instrument"
    if re.search(r"\d", text):
        return None  # "police department no. 12": a body with a number is a unit, a place
    if _foreign_body(lows, places):
        return "foreign_body"
    return "body" if _english_body(lows, places) else None


def public_body(text: str, places: Collection[str] = ()) -> bool:
    """True if ``text`` names a public body or instrument that identifies no one
    (:func:`public_name_kind`)."""
    return public_name_kind(text, places) is not None


def _english_body(lows: list[str], places: Collection[str]) -> bool:
    """A body named in English: a head of :data:`BODY_HEADS` (a weak one with a public
    word), every word explained, no facility."""
    gaz = gazetteer()
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


def _explained(w: str, places: Collection[str]) -> bool:
    """A word of a public name: a function word, a common or public word, a country, a
    people, a large place; a hyphenated one part by part ("Anti-Terror")."""
    gaz = gazetteer()
    if "-" in w:
        return all(p in ("anti", "non", "counter", "co", "inter", "pre", "post") or
                   _explained(p, places) for p in w.split("-") if p)
    return w in STOP_WORDS or w in _PUBLIC or gaz.is_common(w.removesuffix("'s")) or \
        w in gaz.countries or is_people_word(w) or normalize_place(w) in places


def _instrument(words: list[str], lows: list[str], places: Collection[str]) -> bool:
    """A statute or a treaty: a capitalised head of :data:`INSTRUMENT_HEADS` that ends the
    name or its part before "of", "on", "against" ... , with some other word, every word
    explained ("the Refugee Convention", "Convention against Torture")."""
    cut = next((i for i, w in enumerate(lows) if w in _INSTRUMENT_JOINS and i), len(lows))
    head = len(lows) - 1 if lows[-1] in INSTRUMENT_HEADS else cut - 1
    if lows[head] not in INSTRUMENT_HEADS or not words[head][:1].isupper() or \
            len([w for w in lows if w not in STOP_WORDS]) < 2 or \
            any(w in INSTRUMENT_HEADS for w in lows[:head]):
        return False  # (not two names run together: "the Land Act and to the UN Declaration")
    gaz = gazetteer()
    in_place = _in_places(lows, places)
    if any(w in gaz.first_names and not gaz.is_common(w) and i not in in_place
           for i, w in enumerate(lows)):
        return False  # "Jude Law": a person
    return all(i in in_place or _explained(w, places) for i, w in enumerate(lows))


def _in_places(lows: list[str], places: Collection[str]) -> set[int]:
    """The positions of words that belong to a large place of two to four words ("the
    Jammu and Kashmir Public Safety Act")."""
    out: set[int] = set()
    for n in (4, 3, 2):
        for a in range(len(lows) - n + 1):
            if normalize_place(" ".join(lows[a:a + n])) in places:
                out.update(range(a, a + n))
    return out


def _foreign_body(lows: list[str], places: Collection[str]) -> bool:
    """A public body named in another language: its first word (after an article) is a
    head of :data:`_FOREIGN_HEADS`, every other word a word of :data:`_FOREIGN_WORDS`, a
    head, a country, a people or a large place ("Defensoría del Pueblo", "Corte
    Interamericana": a people's word; not "Fiscalía de Chilpancingo")."""
    rest = lows[1:] if lows[0] in ("the", "la", "el", "le", "der", "die", "das", "o", "a",
                                    "il") and len(lows) > 1 else lows
    if rest[0] not in _FOREIGN_HEADS or len(rest) == 1 and rest[0] not in _FOREIGN_ALONE:
        return False
    gaz = gazetteer()
    return all(w in _FOREIGN_WORDS or w in _FOREIGN_HEADS or w in gaz.countries or
               is_people_word(w) or normalize_place(w) in places or
               w.endswith(("interamericana", "americana", "europea", "européenne"))
               for w in rest[1:])
