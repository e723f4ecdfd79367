"""The spans of a plan: candidates, their overlaps resolved, and the text around them read.

:class:`Candidate` is one span :class:`redact.plan.Planner` decided, before its
replacement text. Around the planner's steps: :func:`retyped` corrects the
model's type where the words around a span contradict it, :func:`with_title`
takes an honorific with a name, :func:`resolve` merges overlapping removed spans
and drops kept ones under them; :func:`redact.plan_tidy.tidy` gives a segment's spans
their last touches.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.lang.en.stop_words import STOP_WORDS

from redact.detect.bodies import BODY_HEADS
from redact.detect.chat_cues import REFLEXIVE_AFTER, described_as_someone
from redact.detect.gazetteer import Gazetteer, gazetteer, name_first
from redact.detect.places import (
    demonyms,
    in_large_place,
    is_people_word,
    large_places,
    normalize_place,
)
from redact.detect.positions import calendar_name
from redact.detect.vocabulary import (
    CALENDAR_WORDS,
    FULL_DATE,
    KINSHIP_WORDS,
    NAME_TITLES,
    PEOPLES,
    PLACE_NOUNS,
    ROLE_WORDS,
)
from redact.kept import PUBLIC_NAME, explains_kept
from redact.policy import EntityRule, Policy

__all__ = ["Candidate", "Taken", "resolve", "retyped", "with_title", "role_only",
           "one_person_per_name"]


@dataclass
class Candidate:
    """A decided span of segment ``seg``: offsets, type, score, the rule that decided it
    and its action (``keep``, ``redact``, ``pseudonymize`` ...)."""

    seg: int
    start: int
    end: int
    entity: str
    score: float
    rule: str
    action: str

    @property
    def priority(self) -> int:
        """Which of two overlapping spans names their union: deny > allow > rules >
        model and word lists > the unexplained-word sweep."""
        if self.rule.startswith("unexplained"):
            return 0  # any detector's type says more than "nothing explains it"
        if self.rule == "deny":
            return 4
        if self.rule == "allow":
            return 3
        if self.rule in ("ner", "large_place") or self.rule.startswith(("gazetteer", "verify:")) \
                or ":weak_" in self.rule:
            return 1
        return 2

    def rank(self) -> tuple[int, float, int]:
        """The order of spans competing for one place: priority, score, length."""
        return (self.priority, self.score, self.end - self.start)



#: An honorific right before a name ("Mr. ", "Dr ", "Frau "); it says gender or
#: profession, so it goes with the name.
_TITLE_BEFORE = re.compile(
    r"(?<![\w.])(?:mr|mrs|ms|miss|mx|dr|prof|sir|madam|madame|mme|mlle|herr|frau|sr|sra|srta|"
    r"don|doña|dona|sheikh|shaikh|imam|mullah|haji|hajji|ustaz|mufti)(?:[ \t]?\.)?[ \t]+$",
    re.IGNORECASE)


def with_title(c: Candidate, text: str) -> Candidate:
    """A person span extended over the honorific just before it."""
    if c.entity != "PERSON" or c.action == "keep":
        return c
    m = _TITLE_BEFORE.search(text, max(0, c.start - 12), c.start)
    return replace(c, start=m.start()) if m else c



_WORD_BEFORE = re.compile(r"([^\W\d_]+)[ \t]*,?[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")
_SPEECH = frozenset({"said", "says", "told", "tells", "asked", "wrote", "replied", "answered",
                     "called", "explained", "added", "testified", "recalled", "insisted"})
#: What a person does right after being named ("Christian told me", "Tamil was taken").
_DOES = _SPEECH | frozenset({"was", "is", "has", "had", "came", "went", "saw", "took", "gave",
                             "got", "knew", "knows", "left", "ran", "died", "disappeared"})
_PLACE_PREPOSITIONS = frozenset({"from", "in", "near", "outside", "to", "towards", "around",
                                 "village", "town", "city", "district"})
#: Before a name that is a place as well, the place: "the High Court of Kenya explained".
_PLACE_BEFORE_NAME = _PLACE_PREPOSITIONS | {"of", "across"}


#: A case's title from "v." on: "v. ARMENIA", "vs Turkey".
_VERSUS = re.compile(r"(?i:v|vs)\.?[ \t]+([^\W\d_][\w'’\- ]*)")
_VERSUS_BEFORE = re.compile(r"\b(?i:v|vs)\.?[ \t]+$")
#: Initials that a web-address pattern reads as a domain ("R.Kh", "Mr A.Yu").
_INITIALS_AS_URL = re.compile(r"(?:(?:Mr|Mrs|Ms|Dr|Mx)\.?[ \t]+)?[A-Z][a-z]?\.[A-Z][a-z]{0,2}\.?")
#: How a company's name ends or what it holds: a "person" with one is an organisation.
_COMPANY = re.compile(
    r"(?:\b(?:LLC|L\.L\.C|W\.L\.L|WLL|Ltd|Limited|Inc|GmbH|LLP|PLC|S\.A|S\.R\.L|SRL|OOO|"
    r"JSC|Corp)\.?$)|\b(?:Company|Contracting|Corporation|Construction|Services|Holding|"
    r"Holdings|Trading|Group|Enterprises|Industries|Manpower|Agency)\b")
#: Before "from", what makes it a person's ("a call from Bekzod"), not a place's.
_MESSAGE_FROM = re.compile(r"(?:hear|heard|hears|call|calls|message|messages|letter|news|text|"
                           r"texts|word|email|sms|note)[ \t]+(?:back[ \t]+)?from[ \t]+$",
                           re.IGNORECASE)
_STREET_WORDS = frozenset({"street", "st", "road", "rd", "avenue", "ave", "lane", "boulevard",
                           "blvd", "prospekt", "prospect", "highway", "square", "alley"})
_PLACE_NOUN_AFTER = PLACE_NOUNS | frozenset({"bridge", "road", "street", "avenue", "lane",
                                             "square", "market", "bazaar", "station", "camp"})


def _respondent_state(c: Candidate, text: str, surface: str) -> Candidate | None:
    """The model's person that is the state after "v." in a case's title ("v. ARMENIA", or
    "GEORGIA" right after "v."), cut to the state's name; None otherwise."""
    if c.entity != "PERSON":
        return None
    m = _VERSUS.fullmatch(surface)
    start = c.start + m.start(1) if m else c.start if _VERSUS_BEFORE.search(
        text, max(0, c.start - 6), c.start) else None
    if start is None or normalize_place(text[start:c.end]) not in large_places(0):
        return None
    return replace(c, start=start)


def _as_place(c: Candidate, text: str, policy: Policy) -> Candidate:
    """``c`` as a place: kept where the policy keeps it as a large place, else removed."""
    loc = policy.rule("LOCATION")
    if loc.keep_large_places and normalize_place(text[c.start:c.end]) in large_places(
            loc.large_place_population or 0):
        return replace(c, entity="LOCATION", action="keep", rule="large_place")
    return _changed(c, "LOCATION", policy)


def _place_among_words(c: Candidate, surface: str, loc: EntityRule) -> Candidate | None:
    """The model's span of a large place the policy keeps and lower-case words around it, as
    a chat in another language writes them ("kaal Dhaka te", "ya Nairobi", "Lima nadie hace
    nada"): the place alone, kept; the sweep judges the other words."""
    toks = list(re.finditer(r"[^\W\d_][\w'’\-]*", surface))
    caps = [i for i, t in enumerate(toks) if not t.group(0).islower()]
    if len(toks) < 2 or not caps or len(caps) == len(toks) or \
            caps != list(range(caps[0], caps[-1] + 1)) or not loc.keep_large_places:
        return None
    a, b = toks[caps[0]].start(), toks[caps[-1]].end()
    if normalize_place(surface[a:b]) not in large_places(loc.large_place_population or 0):
        return None
    return replace(c, start=c.start + a, end=c.start + b, entity="LOCATION", action="keep",
                   rule="large_place")


def _changed(c: Candidate, entity: str, policy: Policy) -> Candidate:
    action = policy.action(entity)
    if action == "keep" and entity != "NRP":
        action = "redact"  # a name retyped is still removed
    return replace(c, entity=entity, action=action)


def _named_person(words: list[str], gaz: Gazetteer) -> bool:
    """Every word a name of the lists, the first a first name, none a place and none a plain
    word ("zeynep", "kemal arslan", "mason"; not "Grace Church", not "Pisky")."""
    if not words or words[0].casefold() not in gaz.first_names:
        return False
    for w in words:
        low = w.casefold()
        if not gaz.is_name_part(low) or low in gaz.cities or low in gaz.countries or (
                gaz.is_common(low) and low not in name_first()):
            return False
    return True


_FULL_DATE = re.compile(FULL_DATE)
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:[ \t]?[ap]\.?m\.?)?", re.IGNORECASE)


def _calendar_only(surface: str) -> bool:
    """Days, months or seasons only, none of them a first name ("Tues", "Fri"; not "June")."""
    gaz = gazetteer()
    words = re.findall(r"[^\W\d_]+", surface.casefold())
    return bool(words) and all(w in CALENDAR_WORDS and w not in gaz.first_names for w in words)


def _a_people(word: str, gaz: Gazetteer) -> bool:
    """A people, a language or a faith ("Nepali", "Uyghur", "Catholic"), and no first name
    unless a demonym or :data:`PEOPLES` says so (the name lists hold "nepali" too)."""
    low = word.casefold()
    if low in gaz.countries or low in gaz.cities:
        return False  # "Congo": a demonym list holds the countries themselves
    return is_people_word(word) and (low not in gaz.first_names or low in PEOPLES
                                     or low in demonyms())


def _people_plural(word: str) -> bool:
    """A people's plural ("Houthis", "Uzbeks"): many, never one person's name."""
    low = word.casefold()
    return len(low) > 3 and low.endswith("s") and low in PEOPLES and low[:-1] in PEOPLES


def _by_its_words(c: Candidate, text: str, policy: Policy) -> Candidate:
    """Types that a span's own words and its neighbours settle, whoever found it: a company
    suffix ("Al Safwa Building Contracting W.L.L.": an organisation); for the model's
    spans, a people's name alone ("a Bangladeshi": a nationality), a name before a place
    noun ("the Pisky bridge") or a country that is no first name ("my Qatar ID"): a place;
    names only ("kemal arslan", "a call from bekzod"): a person."""
    surface = text[c.start:c.end]
    if c.entity == "URL" and _INITIALS_AS_URL.fullmatch(surface):
        return _changed(c, "PERSON", policy)  # "Mr R.Kh.": initials, no web address
    state = _respondent_state(c, text, surface)
    if state is not None:
        return _as_place(state, text, policy)  # "A.V.T. v. ARMENIA": a case's respondent
    if c.entity == "PERSON" and _COMPANY.search(surface):
        return _changed(c, "ORGANIZATION", policy)
    if c.entity == "DATE_TIME" and c.rule in ("ner", "verify:ner") and \
            calendar_name(text, c.start, c.end):
        return _changed(c, "PERSON", policy)  # "her husband, Sunday Obi": a name
    if c.entity in ("PERSON", "LOCATION", "ORGANIZATION") and \
            c.rule in ("ner", "verify:ner") and _calendar_only(surface):
        # "Tues evening": the model's person is a day, a month or a season, and no first
        # name; a date the policy decides on
        return replace(c, entity="DATE_TIME", action=policy.action("DATE_TIME"))
    if c.entity in ("PERSON", "LOCATION", "ORGANIZATION") and \
            c.rule in ("ner", "verify:ner") and _CLOCK.fullmatch(surface):
        # the model's "00:02:10" (a recording's time code) as a place: a time
        return replace(c, entity="DATE_TIME", action=policy.action("DATE_TIME"))
    if c.entity in ("PERSON", "LOCATION", "ORGANIZATION") and \
            c.rule in ("ner", "verify:ner") and _FULL_DATE.fullmatch(surface):
        # the model's "12/03/2024", "Mar 11, 2024" as a person or a place: a date, no name;
        # still removed (a birth date the rules missed looks the same)
        return _changed(c, "DATE_TIME", policy)
    if not (c.rule in ("ner", "verify:ner") or "gazetteer:" in c.rule) or \
            c.action == "keep" and c.entity != "NRP":
        return c
    loc = policy.rule("LOCATION")
    if c.entity == "PERSON" and "gazetteer:" in c.rule and loc.keep_large_places and \
            in_large_place(text, c.start, c.end, large_places(loc.large_place_population or 0)):
        # "Phnom Penh": a word of a large place's name that a name list holds
        return replace(c, entity="LOCATION", action="keep", rule="large_place")
    inner = _place_among_words(c, surface, loc)
    if inner is not None:
        return inner  # "kaal Dhaka", "Kathmandu ma": a large place in another language's words
    gaz = gazetteer()
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", surface)
    before = _WORD_BEFORE.search(text, max(0, c.start - 30), c.start)
    prev = before.group(1).casefold() if before else ""
    after = _WORD_AFTER.match(text, c.end)
    nxt = after.group(1).casefold() if after else ""
    if c.entity == "PERSON":
        low = surface.casefold()
        loc = policy.rule("LOCATION")
        large = loc.keep_large_places and normalize_place(surface) in large_places(
            loc.large_place_population or 0)
        # (a place that is also a first name, after "of", "in", "from": "the High Court of
        # Kenya explained")
        placey = prev in _PLACE_BEFORE_NAME
        if (low in gaz.countries or large) and (low not in gaz.first_names or placey) and \
                prev not in KINSHIP_WORDS and prev not in NAME_TITLES and \
                (nxt not in _SPEECH or placey):
            # "my Qatar ID", "the road to Gaziantep": a country or a city, no one's name
            return _as_place(c, text, policy)
        if words and all(_a_people(w, gaz) for w in words) and prev not in KINSHIP_WORDS and \
                prev not in NAME_TITLES and (nxt not in _DOES or prev == "the" or
                                             _people_plural(words[-1])):
            # "I speak Nepali", "the Houthis had taken"; not "Nepali told me"
            return _changed(c, "NRP", policy)
        if nxt in _PLACE_NOUN_AFTER and not any(w.casefold() in gaz.first_names
                                                 for w in words[:1]):
            return _changed(c, "LOCATION", policy)
    elif c.entity == "NRP" and len(words) == 1 and words[0].casefold() in gaz.first_names \
            and (nxt in _DOES or prev in KINSHIP_WORDS or prev in NAME_TITLES):
        return _changed(c, "PERSON", policy)  # "Christian told me", "my son Tamil"
    elif c.entity in ("ORGANIZATION", "LOCATION") and words and all(
            _a_people(w, gaz) for w in words):
        return _changed(c, "NRP", policy)  # "he spoke Uyghur", "the Alawite": a people
    elif c.entity == "ORGANIZATION" and words and (
            words[-1].casefold() in _STREET_WORDS or prev in PLACE_NOUNS and c.action != "keep"):
        # "navoi street": a street; "our village, Little Hadfield": a place; no body
        return _changed(c, "LOCATION", policy)
    elif c.entity in ("LOCATION", "ORGANIZATION") and (
            _named_person(words, gaz) or len(words) == 1 and (
                REFLEXIVE_AFTER.match(text, c.end) or described_as_someone(text, c.end))):
        # "Rustam Rustamov", "grace hurt herself", "Grace was a nurse": someone
        placey = prev in _PLACE_PREPOSITIONS and not _MESSAGE_FROM.search(
            text, max(0, c.start - 30), c.start)
        if not placey and nxt not in _PLACE_NOUN_AFTER:
            return _changed(c, "PERSON", policy)
    return c


_POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your"})
_DOING = _DOES - {"was", "is", "has", "had"}


def _does(word: str) -> bool:
    """A verb of someone's doing after a name: "told", "goes", "catches" (not "is", "has":
    "my India has changed")."""
    if word.casefold() in _DOING:
        return True
    return re.fullmatch(r"[a-z]{2,}[^s]s", word) is not None and \
        not word.endswith(("us", "is", "ss"))


def retyped(c: Candidate, text: str, policy: Policy) -> Candidate:
    """The type the text around a span says, where the model's label contradicts it.

    "My son, Maksym (16)": a word after a kinship word or a title is a person, not a
    place; "a man from Shali": a word after "from", "in", "near" that is a known place
    and no known first name is a place. "Costa told me": a large place kept by the
    policy is a person where the text treats it as one (a known name, next to a title,
    kinship word, name or speech verb). Only the model's and the place list's labels
    are second-guessed; other rules already read the context.
    """
    by_words = _by_its_words(c, text, policy)
    if by_words is not c:
        return by_words
    if c.rule not in ("ner", "large_place") and not c.rule.startswith("gazetteer:city"):
        return c
    if c.entity == "NRP" and c.rule == "ner" and not explains_kept(
            "NRP", c.rule, text[c.start:c.end]):
        # the model calls unknown names nationalities ("detained in Gekhi-Chu"): say what
        # the text says, a place after "in", "from", "near", else nothing
        before = _WORD_BEFORE.search(text, max(0, c.start - 30), c.start)
        placey = before is not None and before.group(1).casefold() in _PLACE_PREPOSITIONS
        if placey or normalize_place(text[c.start:c.end]) in large_places(0):
            return _as_place(c, text, policy)  # "the Aleppo countryside": the city, kept
        named = _named_person(re.findall(r"[^\W\d_]+", text[c.start:c.end]), gazetteer())
        entity = "PERSON" if named else "UNKNOWN"  # "malika saw"
        action = policy.action(entity)
        return replace(c, entity=entity, action=action if action != "keep" else "redact")
    gaz = gazetteer()
    word = text[c.start:c.end]
    before = _WORD_BEFORE.search(text, max(0, c.start - 30), c.start)
    prev = before.group(1) if before else ""
    after = _WORD_AFTER.match(text, c.end)
    nxt = after.group(1) if after else ""
    low = word.casefold()
    if c.entity == "LOCATION":
        kin = prev.casefold() in KINSHIP_WORDS or prev.casefold() in NAME_TITLES or \
            prev.casefold() in _POSSESSIVES and _does(nxt)  # "my Georgia catches the 757"
        named = gaz.is_name_part(word) and (
            kin or nxt.casefold() in _SPEECH or (nxt[:1].isupper() and nxt[1:].islower()
                                                 and gaz.is_name_part(nxt))
            # "paris hilton": in lower case, a name part no dictionary knows
            or (word.islower() and nxt.islower() and gaz.is_name_part(nxt)
                and not gaz.is_common(nxt))
            # a first name before, written as one ("My Qatar ID": no name before; not
            # "IN WESTERN LIBYA", "PORT-AU-PRINCE, Haiti": a heading, a dateline)
            or (prev[:1].isupper() and prev[1:].islower() and prev.casefold() in gaz.first_names
                and prev.casefold() not in STOP_WORDS and "," not in before.group(0)))
        # (not before a body's head: "the Tbilisi Court", "the Royal Nepal Army")
        if (kin or named) and prev.casefold() not in _PLACE_BEFORE_NAME and \
                nxt.casefold() not in BODY_HEADS:
            action = policy.action("PERSON")
            return replace(c, entity="PERSON", action=action if action != "keep" else "redact",
                           rule="ner" if c.rule == "large_place" else c.rule)
    elif c.entity == "PERSON" and prev.casefold() in _PLACE_PREPOSITIONS - {"to"} and \
            not _MESSAGE_FROM.search(text, max(0, c.start - 30), c.start):
        placey = low in gaz.cities or low in gaz.countries
        parts = low.split()
        first = parts[0] if parts else low
        # "from Stara Zburivka": two words and the last no name of the lists
        unnamed = len(parts) >= 2 and not gaz.is_name_part(parts[-1])
        if (placey or c.rule == "ner" and (first not in gaz.first_names or unnamed)) \
                and low not in gaz.first_names:
            action = policy.action("LOCATION")
            return replace(c, entity="LOCATION",
                           action=action if action != "keep" else "redact")
    return c


def resolve(cands: list[Candidate]) -> list[Candidate]:
    """Non-overlapping spans: removed spans merge (union, best-ranked type); keeps yield."""
    if not cands:
        return []
    cands = sorted(cands, key=lambda c: (c.start, -c.end))
    removing = [c for c in cands if c.action != "keep"]
    keeping = [c for c in cands if c.action == "keep"]
    keeping = _public_names_joined(keeping)
    allowed = [k for k in keeping if k.rule in ("allow", PUBLIC_NAME)]
    # An explicit allow entry, or a kept statute's or foreign body's name whose every word
    # is a public name's ("Bundesamt für Migration und Flüchtlinge"), protects what lies
    # inside it, except deny terms; a removed span that runs into one stops at its edge
    # ("the Red Cross office": "office" alone).
    removing = [_outside_allowed(r, allowed) for r in removing if r.rule == "deny" or not any(
        a.start <= r.start and r.end <= a.end for a in allowed)]
    removing = [r for r in removing if r.end > r.start]
    merged: list[Candidate] = []
    for c in removing:
        if merged and c.start < merged[-1].end:
            last = merged[-1]
            best = max(last, c, key=Candidate.rank)
            other = c if best is last else last
            if best.rule == "propagation" and other.entity == best.entity:
                best = replace(best, rule=other.rule)  # report the rule that found it here
            merged[-1] = replace(best, start=min(last.start, c.start), end=max(last.end, c.end))
        else:
            merged.append(c)
    # Kept spans are reported only where nothing is removed.
    kept: list[Candidate] = []
    taken = Taken((c.start, c.end) for c in merged)
    for k in sorted(keeping, key=lambda c: (-c.priority, c.start - c.end, c.start)):
        if taken.add_if_free(k.start, k.end):
            kept.append(k)
    return sorted(merged + kept, key=lambda c: c.start)


def _public_names_joined(keeping: list[Candidate]) -> list[Candidate]:
    """Overlapping kept statutes' and bodies' names as one ("the ... Commission Act" and
    "Commission Act, 2071"): what one protects, the kept span shows."""
    names = sorted((k for k in keeping if k.rule == PUBLIC_NAME), key=lambda c: c.start)
    if len(names) < 2:
        return keeping
    joined: list[Candidate] = []
    for k in names:
        if joined and k.start < joined[-1].end:
            joined[-1] = replace(joined[-1], end=max(joined[-1].end, k.end))
        else:
            joined.append(k)
    return [k for k in keeping if k.rule != PUBLIC_NAME] + joined


def _outside_allowed(r: Candidate, allowed: Sequence[Candidate]) -> Candidate:
    """``r`` cut back to where it does not overlap an allow-listed span on one side."""
    if r.rule == "deny":
        return r
    for a in allowed:
        if r.start < a.start < r.end <= a.end:
            r = replace(r, end=a.start)
        elif a.start <= r.start < a.end < r.end:
            r = replace(r, start=a.end)
    return r


class Taken:
    """Ranges no two of which overlap, sorted: is a new one free of them, in log time.

    ``add_if_free(s, e)`` answers as ``not any(s < b and a < e for a, b in ranges)``
    (a statement can hold thousands of kept dates and numbers; that scan was
    quadratic). Sorted by (start, end), ranges that do not overlap have
    non-decreasing ends, so the first range ending after ``s`` is the only one
    to check.
    """

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        self._ranges = sorted(ranges)
        self._ends = [e for _s, e in self._ranges]

    def add_if_free(self, start: int, end: int) -> bool:
        """Add ``[start, end)`` and return True unless it overlaps a range held."""
        i = bisect.bisect_right(self._ends, start)
        if i < len(self._ranges) and self._ranges[i][0] < end:
            return False
        j = bisect.bisect_left(self._ranges, (start, end))
        self._ranges.insert(j, (start, end))
        self._ends.insert(j, end)
        return True


def role_only(surface: str) -> bool:
    """Only role words ("INTERVIEWER", "(Sgd.)", "2ND PETITIONER"): no one's name."""
    words = re.findall(r"[^\W\d_]+", surface)
    return bool(words) and all(w.casefold() in ROLE_WORDS for w in words)


_INITIAL_END = re.compile(r"(?<![\w.])[A-Z][a-z]{0,2}$")


def one_person_per_name(text: str, seg: list[Candidate]) -> list[Candidate]:
    """Removed people with only a space between them as one span ("Sherlock" found by the
    sweep before the model's "Holmes", the model's "paris" and "hilton"): one name gets one
    label, not two. ``seg`` is sorted and without overlaps."""
    out: list[Candidate] = []
    for c in seg:
        last = out[-1] if out else None
        if last is not None and last.entity == c.entity == "PERSON" and \
                last.action == c.action != "keep" and last.end < c.start and (
                not text[last.end:c.start].strip(" \t") or
                _INITIAL_END.search(text, last.start, last.end) and
                text[last.end:c.start].rstrip(" \t") == "."):
            # "Shamil Kh." + "Abdulkhalikov": a patronymic's initial between the two
            out[-1] = replace(last, end=c.end)
        else:
            out.append(c)
    return out


def handle_names(surface: str) -> list[str]:
    """The names inside a handle or an e-mail's user part, searched for in the text like
    the handle itself: "@maricel_88" and "maricel.dizon@mail.example" name Maricel. A part
    counts if the name lists know it and no dictionary does, or English writes it as a name
    far more often ("maricel", "omondi"; not "the", "real", "smith", nor "sherif", which a
    dictionary holds as a spelling of "sheriff")."""
    gaz = gazetteer()
    user = surface.lstrip("@").split("@")[0]
    return [p for p in re.split(r"[._\-\d]+", user)
            if len(p) >= 3 and p.isalpha() and gaz.is_name_part(p)
            and (not gaz.is_common(p.casefold()) or p.casefold() in name_first())]

