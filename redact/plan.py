"""Plan: decide, per detected span, what happens to it.

This is where the policy is applied to detections:

1. threshold: detections scoring below the entity's threshold are dropped;
2. decision: ``deny`` terms are always redacted; ``allow`` names are kept;
   large public places are kept if the policy says so; everything else gets
   its entity's action;
3. overlaps: overlapping spans to be removed are merged into one (the union,
   typed by the most specific rule); a kept span never protects text that
   another rule removes, except an explicit ``allow`` entry;
4. mention propagation: every surface form of a removed span (and, for
   people, the name without titles, and each part of the name) is removed
   wherever else it occurs in any segment;
5. pseudonyms: mentions of the same person share one label, through a
   :class:`redact.pseudonyms.PseudonymIndex`;
6. replacement text for each span.

A document's segments (a Word file's body, comments and properties, say) are
planned together, so a name found in one segment is removed from all.

The spans themselves (their overlaps, the words around them, the last touches
to a segment) are :mod:`redact.plan_spans`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from redact.detect import Detection, FormMatcher
from redact.detect.bodies import INSTITUTION, public_name_kind
from redact.detect.gazetteer import capitalised_often, gazetteer
from redact.detect.labels import label_span
from redact.detect.places import amount_only, is_large_place, large_places, normalize_place
from redact.detect.positions import date_words_only, vehicle_make
from redact.detect.tables import in_header, table_headers
from redact.detect.vocabulary import (
    DEITY_WORDS,
    FAMILY_TERMS,
    PLACE_BEFORE,
)
from redact.explain import (
    Unexplained,
    is_lower_case_text,
    unexplained_words,
)
from redact.generalize import generalize
from redact.guess import guess_type
from redact.kept import PLACE_NOT_PERSON, PUBLIC_NAME, explained_ranges
from redact.names import (
    lower_case_names,
    name_parts,
    strip_titles,
    word_forms,
    worth_propagating,
)
from redact.plan_spans import (
    Candidate,
    handle_names,
    one_person_per_name,
    resolve,
    retyped,
    role_only,
    with_title,
)
from redact.plan_tidy import only_words_beside_allowed, tidy
from redact.policy import Policy
from redact.pseudonyms import PseudonymIndex, labels_written, normalize_form
from redact.result import Span

__all__ = ["Decisions", "Link", "Plan", "Planner", "strip_titles", "name_parts",
           "worth_propagating"]

#: What a family calls its own ("Dad is 58", "ask Mom"): the model reads a capital as a
#: name, but these identify no one. A PERSON the model alone found that is only such words
#: is no name (a nickname found by a rule, "they called him Uncle", still goes).
_FAMILY_WORDS = frozenset({
    "mom", "mum", "mommy", "mummy", "mama", "mamma", "ma", "dad", "daddy", "papa", "pa",
    "grandma", "grandpa", "granny", "granddad", "grandmother", "grandfather", "nana", "auntie",
    "aunty", "aunt", "uncle", "bro", "sis", "mother", "father", "brother", "sister", "son",
    "daughter", "wife", "husband", "nan", "gran", "nanna"}) | FAMILY_TERMS
#: The model's types that a family word may be mistaken for ("bhai" as a place).
_NAMED = frozenset({"PERSON", "LOCATION", "ORGANIZATION"})
_PLACE_OR_BODY = frozenset({"LOCATION", "ORGANIZATION"})
_LETTER = re.compile(r"[^\W\d_]")
_POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your", "the"})
_DEFAULT_PREFIX = {"PERSON": "Person", "LOCATION": "Place", "ORGANIZATION": "Organisation",
                   "ADDRESS": "Address", "PHONE_NUMBER": "Phone", "EMAIL_ADDRESS": "Email"}
_REDACT_MARKER = "[REDACTED]"
#: The model and the word lists, which read a column's or a field's label as a name.
_WORD_LIST_RULES = ("ner", "gazetteer:", "verify:ner", "verify:gazetteer:")
#: The rules of a large place kept (where it is one, not a person's name part).
_PLACE_KEEPS = ("large_place", PLACE_NOT_PERSON)


@dataclass(frozen=True)
class Link:
    """A lone name given the label of a full name, for an editor to check.

    ``start``/``end``: the lone name in its segment. ``via``: ``document`` (the
    full name is in this document, at ``full_segment``/``full_start``/``full_end``),
    ``case:part`` (a one-word name matched a part of a full name known from earlier
    statements) or ``case:solo`` (a full name matched a name known before only on
    its own). No text: offsets and the label.
    """

    start: int
    end: int
    label: str
    via: str
    full_segment: int | None = None
    full_start: int | None = None
    full_end: int | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"start": self.start, "end": self.end, "label": self.label,
                                  "via": self.via}
        if self.full_start is not None:
            out.update(full_segment=self.full_segment, full_start=self.full_start,
                       full_end=self.full_end)
        return out


@dataclass
class Plan:
    """The decisions for a set of segments planned together.

    ``spans[i]`` are the spans of segment ``i`` (sorted, non-overlapping);
    ``forms`` maps every normalised surface form that must not survive to its
    entity type (verification looks for them in the output).
    """

    spans: list[list[Span]]
    forms: dict[str, str] = field(default_factory=dict)
    #: per segment, the unexplained words left for an editor to review
    review: list[list[Unexplained]] = field(default_factory=list)
    #: the statement is lower case: forms match in any case, English words included
    any_case: bool = False
    #: per segment, the links made between a lone name and a full name (see :class:`Link`)
    links: list[list[Link]] = field(default_factory=list)
    #: per segment, ``(start, end, label)`` where the statement itself writes a label
    #: (its own "Person A") that this plan gives to someone else (a label the pseudonym
    #: index had before; new labels skip those the statement uses)
    clashes: list[list[tuple[int, int, str]]] = field(default_factory=list)

    @property
    def matcher(self) -> FormMatcher | None:
        """Finds ``forms`` in a text (compiled once per set of forms, shared with planning)."""
        return FormMatcher(self.forms, any_case=self.any_case) if self.forms else None


@dataclass(frozen=True)
class Decisions:
    """What :meth:`Planner.decide_spans` decided: every span's action, before labels.

    Depends only on the segments, their detections and the policy, never on
    the pseudonym index, so it can be made in one process and turned into a
    :class:`Plan` with :meth:`Planner.assign` in another (the one holding the
    index), with the same result as :meth:`Planner.plan` there.
    """

    cands: list[list[Candidate]]
    forms: dict[str, str]
    review: list[list[Unexplained]] = field(default_factory=list)
    any_case: bool = False


class Planner:
    """Applies a policy to detections. One per :class:`redact.Redactor`; thread-safe."""

    def __init__(self, policy: Policy, pseudonyms: PseudonymIndex | None = None) -> None:
        self.policy = policy
        self.pseudonyms = pseudonyms if pseudonyms is not None else PseudonymIndex()
        self._allow: dict[str, str | None] = {}
        for a in policy.allow:
            for f in a.forms():
                self._allow[normalize_form(f)] = a.entity
        self._deny_forms = {normalize_form(f) for d in policy.deny for f in d.forms()}
        # Allow-listed names are found in the text itself, in any case ("adam delimkhanov"
        # in a chat keeps "Adam Delimkhanov"), not only where a detector reported them.
        allowed = [f for f in self._allow if f not in self._deny_forms and f.strip()]
        self._allow_matcher = FormMatcher(allowed, any_case=True) if allowed else None
        loc = policy.rule("LOCATION")
        self._mapped_places = {normalize_form(k) for k in (loc.coarser or {})}
        self._places = (large_places(loc.large_place_population or 0)
                        if loc.keep_large_places else frozenset())
        self._public_bodies = bool(policy.rule("ORGANIZATION").keep_public_bodies)

    # ---- single decisions --------------------------------------------------------------

    def is_allowed(self, entity: str, text: str) -> bool:
        """True if ``text`` is an allow-listed public name (for ``entity``, or any)."""
        for form in {normalize_form(text), normalize_form(strip_titles(text))}:
            if form in self._allow and self._allow[form] in (None, entity):
                return form not in self._deny_forms
        return False

    def _large_place_word(self, text: str, start: int, end: int) -> bool:
        """A large place the policy keeps, that is no first name or stands where a place
        does: "trafficked from Nepal", "BIRGUNJ, Nepal" (not "Jordan said", which names a
        person as often)."""
        place = normalize_place(text[start:end])
        if not self._places or place not in self._places:
            return False
        if place not in gazetteer().first_names:
            return True
        return self._place_here(text, start, comma=True)

    def _kept_place(self, word: str) -> bool:
        """A large place the policy keeps that is no first name ("Moscow", not "Jordan")."""
        place = normalize_place(word)
        return place in self._places and place not in gazetteer().first_names

    def _place_here(self, text: str, start: int, *, comma: bool = False) -> bool:
        """The word at ``start`` stands where a place does: after "in", "to", "from" ...
        (or, with ``comma``, after a comma: "BIRGUNJ, Nepal")."""
        m = re.search(r"(?:([^\W\d_]+)[ \t]+|,[ \t]*)$", text[max(0, start - 20):start])
        return m is not None and (m.group(1) is None and comma or
                                  m.group(1) is not None and m.group(1).casefold() in PLACE_BEFORE)

    def set_aside(self, text: str, d: Detection, headers: Sequence[tuple[int, int]]) -> bool:
        """A detection that names no one where it stands (planning and the final check set
        aside the same): ``headers`` are ``text``'s table headers."""
        surface = text[d.start:d.end]
        if _LABEL_SHAPE.fullmatch(surface) or d.rule.startswith(_WORD_LIST_RULES) and (
                in_header(headers, d.start, d.end) or label_span(text, d.start, d.end)):
            return True  # "Person A" (pseudonymized by hand), a table's "fecha", "FCN", a
            # form's "Tempat lahir :"
        model = d.rule in ("ner", "verify:ner")
        if model and d.entity in _NAMED and (_family_only(surface) or
                                             not _LETTER.search(surface)):
            return True  # "Dad", "my mom": what a family calls its own; "24/02/2022" as a
            # person: no name has no letter
        return model and (role_only(surface) or vehicle_make(text, d.start, surface) or
                          amount_only(text, d.start, d.end) or
                          d.entity in _NAMED and date_words_only(surface) or
                          d.entity in _PLACE_OR_BODY and _lone_word(text, d.start, surface))
        # ("INTERVIEWER", "(Sgd.)": a role, no name; "a grey Lada"; "1800 [ringgit]"; "el
        # 2 de febrero" as a body; "(ref. JD/3327)": "ref" as a body in a cased text)

    def type_here(self, text: str, d: Detection) -> str:
        """The type of detection ``d`` where it stands in ``text``: a place where it names
        one (planning and the final check judge alike)."""
        if normalize_form(text[d.start:d.end]) in self._mapped_places:
            return "LOCATION"  # the policy maps it to a coarser place: it is one
        if (d.rule == "ner" and d.entity == "PERSON" or d.entity == "ORGANIZATION"
                and d.rule != "deny") and self._large_place_word(text, d.start, d.end):
            return "LOCATION"  # the model's "Nepal" as a person, "Erbil" as a body; "work
            # for Italy"
        return d.entity

    def decide(self, entity: str, text: str, rule: str, score: float) -> tuple[str, str] | None:
        """(action, rule) for one detection, or None if it scores below the threshold."""
        if rule == "deny":
            action = self.policy.action(entity)
            return (action if action != "keep" else "redact"), "deny"
        if score < self.policy.threshold(entity):
            return None
        if self.is_allowed(entity, text):
            return "keep", "allow"
        if entity == "LOCATION" and self._places and is_large_place(text, self._places):
            return "keep", "large_place"
        kind = public_name_kind(text, self._places) if entity == "ORGANIZATION" else None
        if kind == "instrument":
            return "keep", PUBLIC_NAME  # "the Refugee Convention": a statute, no organisation
        if entity == "ORGANIZATION" and (rule in ("ner", "verify:ner") and INSTITUTION.fullmatch(
                text.strip()) or self._public_bodies and kind is not None):
            # "the Court", "the Ministry of Internal Affairs": a body every judgment names, no
            # one's workplace (decided here, so that the final check decides the same); a
            # body named in another language protects its words ("Bundesamt für ...")
            return "keep", PUBLIC_NAME if kind == "foreign_body" else "institution"
        return self.policy.action(entity), rule

    # ---- the plan ------------------------------------------------------------------------

    def plan(self, segments: Sequence[str], detections: Sequence[Sequence[Detection]]) -> Plan:
        """Decide every span of ``segments`` (planned together) from their ``detections``."""
        return self.assign(segments, self.decide_spans(segments, detections))

    def assign(self, segments: Sequence[str], decisions: Decisions) -> Plan:
        """The plan of ``decisions`` (from :meth:`decide_spans` on ``segments``): the
        replacement texts, with pseudonym labels from this planner's index."""
        spans, links, clashes = self._replacements(segments, decisions.cands)
        return Plan(spans=spans, forms=decisions.forms, review=decisions.review,
                    any_case=decisions.any_case, links=links, clashes=clashes)

    def decide_spans(self, segments: Sequence[str],
                     detections: Sequence[Sequence[Detection]]) -> Decisions:
        """The spans of ``segments`` and their actions: policy decisions, the surface forms
        of removed spans found again everywhere (propagation), overlaps resolved."""
        cands: list[list[Candidate]] = []
        for i, (text, dets) in enumerate(zip(segments, detections, strict=True)):
            seg: list[Candidate] = []
            headers = table_headers(text)
            for d in dets:
                if self.set_aside(text, d, headers):
                    continue
                entity = self.type_here(text, d)
                decided = self.decide(entity, text[d.start:d.end], d.rule, d.score)
                if decided is not None:
                    seg.append(Candidate(i, d.start, d.end, entity, d.score, decided[1],
                                         decided[0]))
            if self._allow_matcher is not None:
                for m in self._allow_matcher.finditer(text):
                    entity = self._allow.get(normalize_form(m.group(0))) or "PUBLIC_NAME"
                    seg.append(Candidate(i, m.start(), m.end(), entity, 1.0, "allow", "keep"))
            cands.append(resolve([with_title(retyped(c, text, self.policy), text)
                                  for c in seg]))
        any_case = is_lower_case_text("\n".join(segments))
        forms = self._forms(segments, cands)
        cands = self._propagate(segments, cands, forms,
                                FormMatcher(forms, any_case=any_case) if forms else None)
        cands, review, swept, speakers = self._sweep(segments, cands, any_case)
        speakers = {**lower_case_names(segments, cands, self._kept_place), **speakers}
        if swept:
            cands = self._propagate(segments, cands, swept,
                                    FormMatcher(swept, any_case=any_case))
            forms = {**swept, **forms}
        if speakers and not any_case:
            # a chat's speaker is a name wherever it stands: "Joy: ..." and "ate joy r u ok";
            # so is a name the text writes in lower case ("mama faith" ... "faith anasema")
            cands = self._propagate(segments, cands, speakers,
                                    FormMatcher(speakers, any_case=True))
        cands = [tidy(text, one_person_per_name(text, seg))
                 for text, seg in zip(segments, cands, strict=True)]
        return Decisions(cands, forms, review, any_case)

    def _sweep(self, segments: Sequence[str], cands: list[list[Candidate]], any_case: bool
               ) -> tuple[list[list[Candidate]], list[list[Unexplained]], dict[str, str],
                          dict[str, str]]:
        """The unexplained-word sweep (:mod:`redact.explain`): every word that no decision,
        common word, number or kept span explains is removed or listed for review, as
        the policy's ``unexplained`` setting says. Returns the candidates with the
        removed words added, the review lists, the surface forms of removed words, and
        those of removed speaker labels (a name in any case)."""
        setting = self.policy.unexplained
        review: list[list[Unexplained]] = [[] for _ in segments]
        if setting.name_like == "keep" and setting.other == "keep":
            return cands, review, {}, {}
        keeps_dates = self.policy.action("DATE_TIME") == "keep"
        out: list[list[Candidate]] = []
        swept: dict[str, str] = {}
        speakers: dict[str, str] = {}
        for i, text in enumerate(segments):
            seg = cands[i]
            masked = [r for c in seg for r in (
                [(c.start, c.end)] if c.action != "keep"
                else explained_ranges(c.entity, c.rule, text, c.start, c.end))]
            removed = [(c.start, c.end) for c in seg if c.action != "keep"]
            persons = [(c.start, c.end) for c in seg if c.action != "keep"
                       and c.entity == "PERSON"]
            added = []
            for w in unexplained_words(text, masked, removed, keeps_dates=keeps_dates,
                                       lower_case=True if any_case else None,
                                       persons=persons, places=self._places):
                act = setting.action(w.name_like)
                if act == "review":
                    review[i].append(w)
                elif act == "remove":
                    entity = guess_type(text, w)
                    action = self.policy.action(entity)
                    added.append(Candidate(i, w.start, w.end, entity, 0.5,
                                           f"unexplained:{w.reason}",
                                           action if action != "keep" else "redact"))
                    form = normalize_form(text[w.start:w.end])
                    if worth_propagating(form) and not self.is_allowed(entity, form):
                        swept.setdefault(form, entity)
                        if entity == "PERSON":  # "Blessing — Blessing Igbinedion"
                            for part in name_parts(text[w.start:w.end]):
                                p = normalize_form(part)
                                if worth_propagating(p) and not self.is_allowed(entity, p):
                                    swept.setdefault(p, entity)
                        if w.reason == "speaker":  # "Blessing Okafor: ...": "blessing" too
                            for part in word_forms(form, self._kept_place):
                                speakers.setdefault(part, entity)
            out.append(resolve(seg + added) if added else seg)
        return out, review, swept, speakers

    def _forms(self, segments: Sequence[str], cands: list[list[Candidate]]) -> dict[str, str]:
        """Every surface form (normalised) of a removed span, with its entity type."""
        forms: dict[str, str] = {}
        for seg in cands:
            allowed = [(k.start, k.end) for k in seg if k.rule == "allow"]
            for c in seg:
                if c.action == "keep" or allowed and only_words_beside_allowed(
                        segments[c.seg], c, allowed):
                    continue  # (tidy drops that rest of a detection: "said [basij]")
                surface = " ".join(segments[c.seg][c.start:c.end].split())
                variants = [surface]
                if c.entity == "PERSON":  # (a kept place is no one's name part: the model's
                    # "Bangladesh Secretariat" leaves "Bangladesh" a country)
                    variants += [strip_titles(surface), *(
                        p for p in name_parts(surface) if not self._kept_place(p) or
                        re.search(rf"[\"“'‘]{re.escape(p)}[\"”'’]", surface))]  # 'X "Paris" Y'
                for v in variants:
                    n = normalize_form(v)
                    if len(v) < 3 and v.islower():
                        continue  # a part such as Tagalog's "sa", "ng": a word as well
                    if worth_propagating(n) and not self.is_allowed(c.entity, v):
                        forms.setdefault(n, c.entity)
                if c.entity in ("MESSAGING_HANDLE", "EMAIL_ADDRESS"):
                    for v in handle_names(surface):  # "@maricel_88": Maricel, wherever named
                        n = normalize_form(v)
                        if worth_propagating(n) and not self.is_allowed("PERSON", v):
                            forms.setdefault(n, "PERSON")
        return forms

    def _propagate(self, segments: Sequence[str], cands: list[list[Candidate]],
                   forms: dict[str, str], rx: FormMatcher | None) -> list[list[Candidate]]:
        if rx is None:
            return cands
        out = []
        for i, text in enumerate(segments):
            seg = list(cands[i])
            allowed = [c for c in seg if c.rule == "allow"]
            for m in rx.finditer(text):
                if any(c.start < m.end() and m.start() < c.end for c in allowed):
                    continue
                # a form the matcher found but the table spells otherwise (a case-folding
                # quirk): removed all the same, fail closed
                entity = forms.get(normalize_form(m.group(0)), "UNKNOWN")
                if entity == "PERSON" and self._large_place_word(text, m.start(), m.end()) \
                        and self._place_here(text, m.start()) and not any(
                            c.action == "keep" and c.rule not in _PLACE_KEEPS and
                            c.start <= m.start() and m.end() <= c.end for c in cands[i]):
                    # (inside a kept body's name the form goes: the check knows no body)
                    # "Ruslan Moscow" in a chat, then "Ruslan in Moscow": the city there
                    seg.append(Candidate(i, m.start(), m.end(), "LOCATION", 1.0,
                                         PLACE_NOT_PERSON, "keep"))
                    continue
                # a title goes with a propagated name too ("Mr Ibragimov")
                seg.append(with_title(Candidate(
                    i, m.start(), m.end(), entity, 1.0, "propagation",
                    self.policy.action(entity) if self.policy.action(entity) != "keep"
                    else "redact"), text))
            out.append(resolve(seg))
        return out

    def _replacements(self, segments: Sequence[str], cands: list[list[Candidate]]
                      ) -> tuple[list[list[Span]], list[list[Link]],
                                 list[list[tuple[int, int, str]]]]:
        labels, links, clashes = self._pseudonym_labels(segments, cands)
        out: list[list[Span]] = []
        for seg in cands:
            spans = []
            for c in seg:
                surface = segments[c.seg][c.start:c.end]
                rule = self.policy.rule(c.entity)
                if c.action == "keep":
                    repl = None
                elif c.action == "mask":
                    ch = rule.mask_char or "*"
                    repl = "".join(x if x.isspace() else ch for x in surface)
                elif c.action == "replace":
                    repl = f"[{rule.label or c.entity}]"
                elif c.action == "pseudonymize":
                    repl = labels[(c.seg, c.start)]
                elif c.action == "generalize":
                    repl = generalize(c.entity, surface, granularity=rule.granularity or "month",
                                      age_band=rule.age_band or 10, coarser=rule.coarser)
                    if repl is None:  # nothing safe to say: fall back to the type label
                        repl = f"[{rule.label or c.entity}]"
                    else:
                        # "left at 7:30" -> "left in the morning"; "on 3 March 2019" ->
                        # "in March 2019"
                        before = segments[c.seg][max(0, c.start - 3):c.start]
                        if before.lower() in ("at ", "on ") and (
                                repl.startswith("in the ") or repl == "at night"
                                or c.entity in ("DATE_TIME", "DATE_OF_BIRTH")):
                            c = replace(c, start=c.start - 3)
                            if not repl.startswith(("in the ", "at night")):
                                repl = ("In " if before[0].isupper() else "in ") + repl
                else:
                    repl = _REDACT_MARKER
                spans.append(Span(c.start, c.end, c.entity, round(c.score, 4), c.action, c.rule,
                                  repl))
            out.append(spans)
        return out, links, clashes

    def _pseudonym_labels(self, segments: Sequence[str], cands: list[list[Candidate]]
                          ) -> tuple[dict[tuple[int, int], str], list[list[Link]],
                                     list[list[tuple[int, int, str]]]]:
        """Group pseudonymized mentions into referents and get one label per referent.

        Also returns, per segment, every link made between a lone name and a full
        name (in this document, or known to the pseudonym index from earlier
        statements), for the report: an editor can check each one; and where the
        statement itself writes a label given here to someone else (see
        :attr:`Plan.clashes`).
        """
        mentions = [(c.seg, c.start, c.entity, segments[c.seg][c.start:c.end])
                    for seg in cands for c in seg if c.action == "pseudonymize"]
        ends = {(c.seg, c.start): c.end for seg in cands for c in seg
                if c.action == "pseudonymize"}
        # referent id -> (entity, full forms, part forms, first position)
        referents: list[tuple[str, list[str], list[str], tuple[int, int]]] = []
        by_full: dict[tuple[str, str], int] = {}
        by_part: dict[tuple[str, str], int] = {}
        mention_ref: dict[tuple[int, int], int] = {}

        def name_of(entity: str, surface: str) -> str:
            return normalize_form(strip_titles(surface) if entity == "PERSON" else surface)

        # Longer names first, so "Ruslan" can attach to "Ruslan Ibragimov".
        order = sorted(mentions, key=lambda m: (-len(name_of(m[2], m[3]).split()), m[0], m[1]))
        for seg, start, entity, surface in order:
            name = name_of(entity, surface)
            ref = by_full.get((entity, name))
            if ref is None and entity == "PERSON" and len(name.split()) == 1:
                ref = by_part.get((entity, name))
            if ref is None:
                referents.append((entity, [], [], (seg, start)))
                ref = len(referents) - 1
            ent, fulls, parts, first = referents[ref]
            if name not in fulls:
                fulls.append(name)
            by_full.setdefault((entity, name), ref)
            if entity == "PERSON":
                for p in name_parts(name, own=True):
                    pn = normalize_form(p)
                    if pn not in parts:
                        parts.append(pn)
                    by_part.setdefault((entity, pn), ref)
            referents[ref] = (ent, fulls, parts, min(first, (seg, start)))
            mention_ref[(seg, start)] = ref
        ref_label: dict[int, str] = {}
        ref_how: dict[int, str] = {}
        prefixes = {ent: self.policy.rule(ent).label
                    or _DEFAULT_PREFIX.get(ent, ent.replace("_", " ").title())
                    for ent, _f, _p, _first in referents}
        written = labels_written(segments, cands, set(prefixes.values()))
        for ref in sorted(range(len(referents)), key=lambda r: referents[r][3]):
            entity, fulls, parts, _ = referents[ref]
            ref_how[ref] = self.pseudonyms.link_kind(entity, fulls, parts)
            ref_label[ref] = self.pseudonyms.label_for(entity, prefixes[entity], fulls, parts,
                                                       avoid=written)
        clashes: list[list[tuple[int, int, str]]] = [[] for _ in segments]
        for label in sorted(set(ref_label.values()) & written.keys()):
            for seg, start, end in written[label]:
                clashes[seg].append((start, end, label))
        links: list[list[Link]] = [[] for _ in segments]
        # the first mention of each referent's longest name: what a lone name attached to
        full_at: dict[int, tuple[int, int]] = {}
        for (seg, start), ref in sorted(mention_ref.items()):
            name = name_of(referents[ref][0], segments[seg][start:ends[(seg, start)]])
            if len(name.split()) > 1 and ref not in full_at:
                full_at[ref] = (seg, start)
        for (seg, start), ref in sorted(mention_ref.items()):
            entity = referents[ref][0]
            end = ends[(seg, start)]
            name = name_of(entity, segments[seg][start:end])
            if entity != "PERSON":
                continue
            if len(name.split()) == 1 and ref in full_at:
                fs, fstart = full_at[ref]
                links[seg].append(Link(start, end, ref_label[ref], "document", fs, fstart,
                                       ends[(fs, fstart)]))
            elif ref_how[ref] in ("part", "solo"):
                links[seg].append(Link(start, end, ref_label[ref], f"case:{ref_how[ref]}"))
        return {k: ref_label[r] for k, r in mention_ref.items()}, links, \
            [sorted(c) for c in clashes]


#: The shape of a pseudonym label ("Person A", "Witness B"): text an editor already
#: pseudonymized, not a name to remove again.
_LABEL_SHAPE = re.compile(r"(?:Person|Witness|Applicant|Victim|Place|Organisation)[ \t]+"
                          r"[A-Z]{1,2}\d?")


def _lone_word(text: str, start: int, surface: str) -> bool:
    """One common word in lower case that the model calls a body or a place in a line
    written in capitals and lower case ("(ref. JD/3327)"); not a first name or a surname
    English writes capitalised often ("better than butler and klay"), nor a word in a line
    all in lower case, where the model's word may be a name ("in tsechoy")."""
    if not (surface.isalpha() and surface.islower()):
        return False
    gaz = gazetteer()
    if not gaz.is_common(surface) or surface in gaz.first_names or \
            surface in capitalised_often():
        return False
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", start)
    return not is_lower_case_text(text[ls:le if le >= 0 else len(text)])


def _family_only(surface: str) -> bool:
    """ "Dad", "my mom", "Mom's": family words, with possessives at most; "Allah", "my
    Lord": a god is no one's name either."""
    words = [w.removesuffix("'s") for w in surface.replace("’", "'").casefold().split()]
    return any(w in _FAMILY_WORDS or w in DEITY_WORDS for w in words) and \
        all(w in _FAMILY_WORDS or w in DEITY_WORDS or w in _POSSESSIVES for w in words)
