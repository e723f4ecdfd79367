"""Verification on hand-made plans and detections: what counts as a leak, and where.

No spaCy model: :mod:`redact.verify` and :class:`redact.detect.FormMatcher` only
need the plan's forms and the word lists.
"""

from __future__ import annotations

import pickle

from handmade import TESTIMONY, d, plan_of

from redact.detect import Detection, FormMatcher
from redact.plan import Planner
from redact.policy import DenyEntry
from redact.verify import OutputMap, detection_leaks, surface_leaks


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


def test_a_form_left_across_a_line_break_is_found() -> None:
    text = "Ruslan Ibragimov came."
    plan = plan_of(text, [d(text, "Ruslan Ibragimov", "PERSON")])
    out = "Person A came. Later RUSLAN\n   Ibragimov and ruslan left."
    nothing = OutputMap(replaced=[(0, 8)], protected=[])
    assert surface_leaks(out, plan, nothing) == [("PERSON", out.index("RUSLAN")),
                                                 ("PERSON", out.index("ruslan"))]
    # a form inside a word is no leak ("Ruslanovich"), nor one an allow span protects
    assert surface_leaks("Person A: Ruslanovich.", plan, nothing) == []
    assert surface_leaks("Person A and Ruslan", plan,
                         OutputMap(replaced=[(0, 8)], protected=[(13, 19)])) == []


def test_an_english_word_form_matches_only_capitalised_unless_any_case() -> None:
    """"Rose" the name is found as "Rose", not as "rose" the flower; in a lower-case
    statement (``any_case``) every form matches in any case."""
    text = "rose and Rose said that Said left"
    matcher = FormMatcher(["Rose", "Said", "Ibragimov"])
    assert [m.group(0) for m in matcher.finditer(text)] == ["Rose", "Said"]
    assert [m.group(0) for m in matcher.finditer("IBRAGIMOV and ibragimov")] == [
        "IBRAGIMOV", "ibragimov"]  # no English word: any case
    # in lower case right before a verb of speech, the name all the same
    assert [m.group(0) for m in matcher.finditer("rose said no, a rose told")] == [
        "rose", "rose"]
    loose = FormMatcher(["Rose", "Said"], any_case=True)
    assert [m.group(0) for m in loose.finditer(text)] == ["rose", "Rose", "said", "Said"]


def test_a_lower_case_plan_verifies_in_any_case() -> None:
    text = "we met rose near the shop and she said nothing, then we left at night"
    plan = plan_of(text, [d(text, "rose", "PERSON")])
    assert plan.any_case
    assert surface_leaks("Person A met ROSE.", plan, OutputMap([(0, 8)], [])) == [
        ("PERSON", 13)]


def test_form_matchers_are_shared_and_pickle_as_their_forms() -> None:
    m = FormMatcher(["Ruslan  Ibragimov", "Said", "ruslan"])
    assert FormMatcher(["ruslan", "Said", "Ruslan Ibragimov", " "]) is m
    assert pickle.loads(pickle.dumps(m)) is m
    assert FormMatcher(["ruslan"], any_case=True) is not FormMatcher(["ruslan"])
    found = [x.group(0) for x in m.finditer("RUSLAN\n Ibragimov said that Said left")]
    assert found == ["RUSLAN\n Ibragimov", "Said"]


def test_detections_count_only_where_the_policy_removes_them() -> None:
    """Re-analysis findings: kept types, low scores and covered spans are no leaks; a deny
    term always is."""
    out = "Person A left on 12 May 2019 with Lysyi and Zaur."
    planner = Planner(TESTIMONY.extended(deny=[DenyEntry(text="Lysyi")]))
    where = OutputMap(replaced=[(0, 8)], protected=[])
    dets = [Detection(0, 8, "PERSON", 0.9, "ner"),  # the replacement itself
            Detection(17, 28, "DATE_TIME", 0.9, "ner"),  # kept type
            Detection(34, 39, "PERSON", 0.1, "deny"),  # deny: any score
            Detection(44, 48, "PERSON", 0.3, "ner")]  # below the threshold
    assert detection_leaks(out, dets, planner, where) == [dets[2]]
    assert detection_leaks(out, [Detection(44, 48, "PERSON", 0.9, "ner")], planner, where) \
        == [Detection(44, 48, "PERSON", 0.9, "ner")]


def test_output_map_covers_touching_spans_only() -> None:
    where = OutputMap(replaced=[(5, 10)], protected=[(20, 25)])
    assert where.covers(9, 12) and where.covers(0, 6) and where.covers(24, 30)
    assert not where.covers(10, 12) and not where.covers(0, 5) and not where.covers(25, 26)
