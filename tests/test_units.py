"""Unit tests of plan, pseudonyms, verify and explain, fed with hand-made detections.

No spaCy model is loaded here (only the word lists, from their cache): these run in
seconds and say exactly which room a failure is in.
"""

from __future__ import annotations

import subprocess
import sys

from redact.detect import Detection
from redact.explain import is_lower_case_text, unexplained_words
from redact.plan import Planner
from redact.policy import Policy
from redact.pseudonyms import PseudonymIndex, normalize_form
from redact.verify import OutputMap, detection_leaks, surface_leaks

TESTIMONY = Policy.load("testimony.yaml")


def d(text: str, surface: str, entity: str, score: float = 0.9, rule: str = "hand",
      nth: int = 0) -> Detection:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Detection(start, start + len(surface), entity, score, rule)


def plan_of(text: str, dets: list[Detection], policy: Policy = TESTIMONY,
            index: PseudonymIndex | None = None):  # type: ignore[no-untyped-def]
    return Planner(policy, index).plan([text], [dets])


def test_no_model_is_loaded_by_planning() -> None:
    """Planning, the sweep and verification need the word lists, never a spaCy pipeline
    (checked in a fresh interpreter: other tests of the session load one)."""
    code = ("from redact.plan import Planner\nfrom redact.policy import Policy\n"
            "from redact.detect import Detection\nfrom redact.detect.model import _cache\n"
            "t = 'Ruslan Ibragimov met me near Zarkhan.'\n"
            "p = Planner(Policy.load()).plan([t], [[Detection(0, 16, 'PERSON', 0.9, 'x')]])\n"
            "assert p.spans[0] and not _cache, _cache\nprint('ok')\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_propagation_removes_every_form_and_part() -> None:
    text = "Ruslan Ibragimov came. Later Mr Ibragimov left; Ruslan stayed."
    plan = plan_of(text, [d(text, "Ruslan Ibragimov", "PERSON")])
    removed = [text[s.start:s.end] for s in plan.spans[0] if s.action != "keep"]
    assert removed == ["Ruslan Ibragimov", "Mr Ibragimov", "Ruslan"]
    assert {s.replacement for s in plan.spans[0]} == {"Person A"}
    assert {"ruslan ibragimov", "ibragimov", "ruslan"} <= set(plan.forms)


def test_threshold_allow_deny_and_large_places() -> None:
    policy = TESTIMONY.extended(allow=["Ramzan Kadyrov"])
    text = "Ramzan Kadyrov spoke in Moscow about Shali; Ivan was weak."
    dets = [d(text, "Ramzan Kadyrov", "PERSON"), d(text, "Moscow", "LOCATION"),
            d(text, "Shali", "LOCATION"), d(text, "Ivan", "PERSON", score=0.2)]
    spans = {text[s.start:s.end]: s for s in plan_of(text, dets, policy).spans[0]}
    assert spans["Ramzan Kadyrov"].rule == "allow" and spans["Ramzan Kadyrov"].action == "keep"
    assert spans["Moscow"].rule == "large_place"
    assert spans["Shali"].action == "replace" and spans["Shali"].replacement == "[LOCATION]"
    assert "Ivan" not in spans or spans["Ivan"].action != "pseudonymize"


def test_allow_entry_is_found_in_the_text_in_any_case() -> None:
    policy = TESTIMONY.extended(allow=["Adam Delimkhanov"])
    text = "who was it, adam delimkhanov's people? they came at night and left"
    kept = [s for s in plan_of(text, [], policy).spans[0] if s.rule == "allow"]
    assert [text[s.start:s.end] for s in kept] == ["adam delimkhanov"]


def test_house_number_goes_with_its_street_and_dates_join() -> None:
    text = "We lived on our street, Shevchenka 12, until the evening of 2 March."
    dets = [d(text, "Shevchenka", "LOCATION"), d(text, "the evening", "DATE_TIME"),
            d(text, "2 March", "DATE_TIME")]
    spans = plan_of(text, dets, Policy.load("strict.yaml")).spans[0]
    removed = [text[s.start:s.end] for s in spans if s.action != "keep"]
    assert "Shevchenka 12" in removed
    assert "the evening of 2 March" in removed


def test_pseudonym_index_links_and_keys() -> None:
    index = PseudonymIndex()
    a = index.label_for("PERSON", "Person", ["kheda"])
    assert index.link_kind("PERSON", ["kheda bakaeva"], ["kheda", "bakaeva"]) == "solo"
    b = index.label_for("PERSON", "Person", ["kheda bakaeva"], ["kheda", "bakaeva"])
    assert a == b == "Person A"
    c = index.label_for("PERSON", "Person", ["kheda umarova"], ["kheda", "umarova"])
    assert c == "Person B"  # Kheda has a full name already: this is someone else
    assert index.link_kind("PERSON", ["kheda"]) == "full"
    assert normalize_form("Ruslan’s") == "ruslan" and normalize_form(" A  B ") == "a b"


def test_verify_finds_surviving_forms_outside_replacements() -> None:
    text = "Ruslan Ibragimov came."
    plan = plan_of(text, [d(text, "Ruslan Ibragimov", "PERSON")])
    good = "Person A came."
    assert surface_leaks(good, plan, OutputMap(replaced=[(0, 8)], protected=[])) == []
    bad = "Person A came; Ibragimov too."
    assert surface_leaks(bad, plan, OutputMap(replaced=[(0, 8)], protected=[])) == [
        ("PERSON", 15)]
    planner = Planner(TESTIMONY)
    found = detection_leaks(bad, [Detection(15, 24, "PERSON", 0.9, "x")], planner,
                            OutputMap(replaced=[(0, 8)], protected=[]))
    assert [x.start for x in found] == [15]


def test_sweep_reasons_and_lower_case_text() -> None:
    text = "we met aslanbek from khalkhoy\nThen Zarkhan came. Call dilnaz_k or X7731QQ."
    got = {text[w.start:w.end]: w.reason
           for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert got["aslanbek"] == "cue" and got["khalkhoy"] == "cue"
    assert got["dilnaz_k"] == "handle" and got["X7731QQ"] == "code"
    assert "met" not in got and "Call" not in got
    assert is_lower_case_text("they took rustam from the shop, nobody saw it happen")
    assert not is_lower_case_text("They took Rustam. Nobody saw it.")


def test_sweep_removes_name_like_words_and_lists_the_rest() -> None:
    text = "The guard Zarkhan played sudoku all night."
    plan = plan_of(text, [])
    removed = [text[s.start:s.end] for s in plan.spans[0] if s.action != "keep"]
    assert removed == ["Zarkhan"]
    assert [text[w.start:w.end] for w in plan.review[0]] == ["sudoku"]


def test_a_direction_goes_with_its_removed_place() -> None:
    text = "They moved us to east Khalkhoy, then to Upper Tsechoy."
    dets = [d(text, "Khalkhoy", "LOCATION"), d(text, "Tsechoy", "LOCATION")]
    removed = [text[s.start:s.end] for s in plan_of(text, dets).spans[0] if s.action != "keep"]
    assert removed == ["east Khalkhoy", "Upper Tsechoy"]


def test_a_kept_date_explains_no_long_number() -> None:
    """The model may call a 21-digit complaint number a date; the policy keeps dates, but a
    run of more than four digits is no date: the sweep removes it as a code."""
    text = "I filed a complaint, criminal 190016000601202200318, on 3 March 2022."
    dets = [d(text, "190016000601202200318", "DATE_TIME", rule="ner"),
            d(text, "3 March 2022", "DATE_TIME", rule="ner")]
    spans = plan_of(text, dets).spans[0]
    removed = [text[s.start:s.end] for s in spans if s.action != "keep"]
    assert removed == ["190016000601202200318"]
    assert any(text[s.start:s.end] == "3 March 2022" and s.action == "keep" for s in spans)


def test_names_with_a_short_number_are_no_identifiers() -> None:
    text = "The COVID-19 rules and flight MH-17 were mentioned; file ER-0913 and a318em20."
    got = {text[w.start:w.end] for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert "COVID-19" not in got and "MH-17" not in got
    assert {"ER-0913", "a318em20"} <= got
