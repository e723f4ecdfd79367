"""Unit tests of explain (the sweep) and pseudonyms; planning loads no model.

No spaCy model is loaded here (only the word lists, from their cache). The unit
tests of planning and verification, fed with hand-made detections, are in
``tests/unit/test_plan.py`` and ``tests/unit/test_verify.py``.
"""

from __future__ import annotations

import subprocess
import sys

from redact.explain import is_lower_case_text, unexplained_words
from redact.pseudonyms import PseudonymIndex, normalize_form


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


def test_sweep_reasons_and_lower_case_text() -> None:
    text = "we met aslanbek from khalkhoy\nThen Zarkhan came. Call dilnaz_k or X7731QQ."
    got = {text[w.start:w.end]: w.reason
           for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert got["aslanbek"] == "cue" and got["khalkhoy"] == "cue"
    assert got["dilnaz_k"] == "handle" and got["X7731QQ"] == "code"
    assert "met" not in got and "Call" not in got
    assert is_lower_case_text("they took rustam from the shop, nobody saw it happen")
    assert not is_lower_case_text("They took Rustam. Nobody saw it.")


def test_names_with_a_short_number_are_no_identifiers() -> None:
    text = "The COVID-19 rules and flight MH-17 were mentioned; file ER-0913 and a318em20."
    got = {text[w.start:w.end] for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert "COVID-19" not in got and "MH-17" not in got
    assert {"ER-0913", "a318em20"} <= got


def test_chat_spellings_and_kinship_words_explain_themselves() -> None:
    # a chat: its spellings are words ("im", "dm", "lol", "LOL"), "mom" is kin, not a name;
    # the names beside them stay unexplained, and "Dm" capitalised inside a line may be one
    text = ("lol im at the station, his mom is there too. dm me, LOL\n"
            "we saw timurka near the bazaar and then Dm came")
    got = {text[w.start:w.end]: w.reason
           for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert not {"lol", "im", "mom", "dm", "LOL"} & set(got)
    assert "timurka" in got and "Dm" in got


def test_the_model_never_sees_a_cue_word_capitalised() -> None:
    # "mom" and "dm" are in a name list ("Mom" is a surname), no dictionary knows them: the
    # copy the NER model reads keeps them in lower case, and still capitalises the name
    from redact.detect.gazetteer import gazetteer, truecase

    gaz = gazetteer()
    cased = truecase("Then his mom told me: dm me about ruslan.", gaz)
    assert "mom" in cased and "dm me" in cased and "Ruslan" in cased
    chat = truecase("his mom said dm me about ruslan and the others from the village", gaz)
    assert " mom " in chat and " dm " in chat and "Ruslan" in chat


def test_a_street_written_the_short_way_is_a_place_cue() -> None:
    for text, word in (("they took him to the station on abay ave last nite", "abay"),
                       ("we lived off tsentralnaya blvd until the war", "tsentralnaya")):
        got = {text[w.start:w.end]: w.reason
               for w in unexplained_words(text, [], [], keeps_dates=True)}
        # the name, joined with an abbreviation no dictionary knows ("tsentralnaya blvd")
        assert [r for k, r in got.items() if word in k] == ["cue"], (text, got)


def test_an_unknown_word_right_beside_a_name_like_one_is_part_of_the_name() -> None:
    text = "they said he prayed at the mosque, the one of domla hikmatullo, years ago"
    got = {text[w.start:w.end]: w.reason
           for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert got == {"domla hikmatullo": "cue"}


def test_a_hashtag_with_a_name_in_it_is_name_like() -> None:
    # split at its capitals: a name inside goes ("#FreeKemal"), words only explain
    # themselves ("#StopTheWar", "#Ramadan2024"), anything else is for review
    text = "please share #FreeKemal #StopTheWar #Ramadan2024 #JusticeForAzamat #zqxvbn"
    got = {text[w.start:w.end]: w.reason
           for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert got == {"#FreeKemal": "handle", "#JusticeForAzamat": "handle", "#zqxvbn": "hashtag"}
