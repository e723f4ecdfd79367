"""Planning on hand-made detections: propagation, allow and deny, labels, overlaps, tidying.

No spaCy model: the detections are written by hand (see ``handmade.py``), so a
failure here is in :mod:`redact.plan` or :mod:`redact.plan_spans`, not in detection.
"""

from __future__ import annotations

import pickle

from handmade import TESTIMONY, d, plan_of, removed

from redact.plan import Plan, Planner, name_parts
from redact.policy import DenyEntry, Policy
from redact.pseudonyms import PseudonymIndex


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


def test_a_full_name_reaches_its_mentions_in_every_segment() -> None:
    """A name found in one segment is removed from all; each lone part is linked to it."""
    segs = ["Statement of Aslan Dzhabrailov.", "Later aslan and Dzhabrailov came back."]
    plan = Planner(TESTIMONY).plan(segs, [[d(segs[0], "Aslan Dzhabrailov", "PERSON")], []])
    assert removed(segs[1], plan, 1) == ["aslan", "Dzhabrailov"]
    assert {s.replacement for seg in plan.spans for s in seg} == {"Person A"}
    assert {s.rule for s in plan.spans[1]} == {"propagation"}
    links = plan.links[1]
    assert [(segs[1][x.start:x.end], x.via, x.full_segment, x.full_start) for x in links] == [
        ("aslan", "document", 0, 13), ("Dzhabrailov", "document", 0, 13)]


def test_people_get_labels_in_order_and_keep_them() -> None:
    text = "Aslan Dzhabrailov met Kheda Musaeva. Kheda called Aslan."
    plan = plan_of(text, [d(text, "Aslan Dzhabrailov", "PERSON"),
                          d(text, "Kheda Musaeva", "PERSON")])
    assert [(text[s.start:s.end], s.replacement) for s in plan.spans[0]] == [
        ("Aslan Dzhabrailov", "Person A"), ("Kheda Musaeva", "Person B"),
        ("Kheda", "Person B"), ("Aslan", "Person A")]


def _index_knowing_aslan() -> PseudonymIndex:
    """An index after a first statement that made Aslan Dzhabrailov "Person A"."""
    index = PseudonymIndex()
    first = "Aslan Dzhabrailov was there."
    plan_of(first, [d(first, "Aslan Dzhabrailov", "PERSON")], index=index)
    return index


def _islam_and_aslan(text: str, index: PseudonymIndex) -> Plan:
    return plan_of(text, [d(text, "Islam Bakaev", "PERSON"),
                          d(text, "Aslan Dzhabrailov", "PERSON")], index=index)


def test_a_shared_index_continues_the_labels_of_earlier_statements() -> None:
    plan = _islam_and_aslan("Islam Bakaev and Aslan Dzhabrailov.", _index_knowing_aslan())
    assert [s.replacement for s in plan.spans[0]] == ["Person B", "Person A"]


def test_a_title_goes_with_the_name_and_a_label_is_left_alone() -> None:
    text = "Then Dr. Ibragimov met Person A."
    plan = plan_of(text, [d(text, "Ibragimov", "PERSON"), d(text, "Person A", "PERSON")])
    # the statement's own "Person A" stays, and is not given to a second person
    assert [(text[s.start:s.end], s.replacement) for s in plan.spans[0]] == [
        ("Dr. Ibragimov", "Person B")]
    assert plan.clashes == [[]]


def test_a_label_the_statement_writes_is_not_given_to_another_person() -> None:
    """An earlier statement gave Aslan "Person A"; this one calls somebody else "Person A"
    itself: new people skip the labels it writes, and the clash with Aslan's is listed."""
    index = _index_knowing_aslan()
    plan = _islam_and_aslan("Person A and Person B saw Islam Bakaev beat Aslan Dzhabrailov.",
                            index)
    assert [s.replacement for s in plan.spans[0]] == ["Person C", "Person A"]
    assert plan.clashes == [[(0, 8, "Person A")]]
    third = "Person D was a guard; Zelimkhan Umarov another."
    plan = plan_of(third, [d(third, "Zelimkhan Umarov", "PERSON")], index=index)
    assert [s.replacement for s in plan.spans[0]] == ["Person E"]  # D is written here
    assert plan.clashes == [[]]  # nobody here gets the statement's own Person D


def test_the_words_around_a_span_correct_the_models_type() -> None:
    """After "from" a place; after a kinship word a person (the model's labels only)."""
    text = "A man from Grozny came; my brother Argun spoke."
    plan = plan_of(text, [d(text, "Grozny", "PERSON", rule="ner"),
                          d(text, "Argun", "LOCATION", rule="ner")])
    got = {text[s.start:s.end]: (s.entity, s.replacement) for s in plan.spans[0]}
    assert got == {"Grozny": ("LOCATION", "[LOCATION]"), "Argun": ("PERSON", "Person A")}
    # a rule's own label is not second-guessed
    plan = plan_of(text, [d(text, "Grozny", "PERSON", rule="NameContextRecognizer:x")])
    assert plan.spans[0][0].entity == "PERSON"


def test_overlapping_removed_spans_merge_under_the_best_rule() -> None:
    text = "He lived at 14 Lenina Street, Grozny."
    plan = plan_of(text, [
        d(text, "14 Lenina Street", "ADDRESS", 0.75, "StreetAddressRecognizer:number_street"),
        d(text, "Lenina Street, Grozny", "LOCATION", 0.85, "ner")])
    assert [(text[s.start:s.end], s.entity, s.rule) for s in plan.spans[0]] == [
        ("14 Lenina Street, Grozny", "ADDRESS", "StreetAddressRecognizer:number_street")]


def test_an_allow_entry_stops_a_removed_span_at_its_edge() -> None:
    policy = TESTIMONY.extended(allow=["Red Cross"])
    text = "I went to the Red Cross office in Argun."
    spans = plan_of(text, [d(text, "Red Cross office", "ORGANIZATION", rule="ner"),
                           d(text, "Argun", "LOCATION")], policy).spans[0]
    kept = [(text[s.start:s.end], s.rule) for s in spans if s.action == "keep"]
    assert kept == [("Red Cross", "allow")]
    cross = text.index("Red Cross")
    assert all(s.end <= cross or s.start >= cross + 9 for s in spans if s.action != "keep")
    assert "Argun" in removed(text, Plan(spans=[spans]))


def test_deny_ignores_the_threshold_and_kept_types_stay() -> None:
    planner = Planner(TESTIMONY.extended(deny=[DenyEntry(text="Lysyi")]))
    assert planner.decide("PERSON", "Lysyi", "deny", 0.1) == ("pseudonymize", "deny")
    assert planner.decide("PERSON", "Lysyi", "ner", 0.1) is None  # below the threshold
    assert planner.decide("DATE_TIME", "12 May 2019", "ner", 0.9) == ("keep", "ner")
    text = "It was on 12 May 2019."
    plan = plan_of(text, [d(text, "12 May 2019", "DATE_TIME")])
    assert [s.action for s in plan.spans[0]] == ["keep"] and plan.forms == {}
    assert plan.matcher is None


def test_a_lower_case_statement_matches_forms_in_any_case() -> None:
    text = "we met rose near the shop, rose said nothing, then we left at night"
    plan = plan_of(text, [d(text, "rose", "PERSON")])
    assert plan.any_case and plan.forms == {"rose": "PERSON"}
    assert removed(text, plan) == ["rose", "rose"]


def test_decisions_then_labels_equal_one_plan() -> None:
    """decide_spans (no index, pickled as between processes) + assign = plan."""
    text = "Aslan Dzhabrailov met Kheda Musaeva. Kheda called Aslan on +7 928 744-19-03."
    dets = [d(text, "Aslan Dzhabrailov", "PERSON"), d(text, "Kheda Musaeva", "PERSON"),
            d(text, "+7 928 744-19-03", "PHONE_NUMBER")]
    whole = Planner(TESTIMONY).plan([text], [dets])
    decisions = pickle.loads(pickle.dumps(Planner(TESTIMONY).decide_spans([text], [dets])))
    split = Planner(TESTIMONY).assign([text], decisions)
    assert split.spans == whole.spans and split.forms == whole.forms
    assert [s.replacement for s in whole.spans[0]] == [
        "Person A", "Person B", "Person B", "Person A", "[PHONE_NUMBER]"]


def test_a_kunya_names_a_parent_the_child_is_someone_else() -> None:
    # "Abu Fadi" is Fadi's father: a lone "Fadi" is removed everywhere all the same, but
    # gets a label of his own; "Ruslan" alone still takes "Ruslan Ibragimov"'s label
    text = "Abu Fadi ran the bakery. His son Fadi is missing. Ruslan Ibragimov saw Ruslan."
    plan = plan_of(text, [d(text, "Abu Fadi", "PERSON"),
                          d(text, "Ruslan Ibragimov", "PERSON")])
    labels = {text[s.start:s.end]: s.replacement for s in plan.spans[0] if s.action != "keep"}
    assert set(labels) == {"Abu Fadi", "Fadi", "Ruslan Ibragimov", "Ruslan"}
    assert labels["Fadi"] != labels["Abu Fadi"]
    assert labels["Ruslan"] == labels["Ruslan Ibragimov"]


def test_a_kept_date_explains_its_date_words_not_a_name_inside_it() -> None:
    # the model's dates hold names now and then: the name goes, the date words stay
    text = "We hid there the whole night of 3 March Zaira, until New Year's Eve."
    dets = [d(text, "the whole night of 3 March Zaira", "DATE_TIME"),
            d(text, "New Year's Eve", "DATE_TIME")]
    assert removed(text, plan_of(text, dets)) == ["Zaira"]


def test_a_country_is_no_ones_name() -> None:
    # the model calls "Qatar" a person before "ID"; "My" is no first name before it
    text = "In 2021 I came to Qatar to work. My Qatar ID number was taken."
    dets = [d(text, "Qatar", "LOCATION", rule="ner"), d(text, "Qatar", "PERSON", rule="ner", nth=1)]
    spans = plan_of(text, dets).spans[0]
    assert [(text[s.start:s.end], s.action, s.rule) for s in spans] == [
        ("Qatar", "keep", "large_place"), ("Qatar", "keep", "large_place")]


def test_an_initial_is_no_name_part_to_link_by() -> None:
    # "Kh." is shared by many patronymics: two statements' "Kh. Sh. Umarov" and "Kh. R.
    # Zakirov" must not share a label through it
    assert name_parts("Mr Kh. Sh. Umarov") == ["Umarov"]
    assert name_parts("Kh. R. Zakirov") == ["Zakirov"]
    assert name_parts("Shamil Kh. Abdulkhalikov") == ["Shamil", "Abdulkhalikov"]
