"""Words English writes as names more often than as words (redact.detect.casing).

The rule is tested on hand-made statistics (so each condition can fail on its
own), then the list derived from the installed spaCy tables on words whose
answer any English reader knows, then its use: the sweep and the NER model's copy.
No spaCy model is loaded.
"""

from __future__ import annotations

import pytest

from redact.detect import casing
from redact.detect.gazetteer import gazetteer, name_first, truecase
from redact.errors import ModelError
from redact.explain import unexplained_words


def _fake_tables(monkeypatch: pytest.MonkeyPatch, probs: dict[str, float],
                 clusters: dict[str, int]) -> None:
    monkeypatch.setattr(casing, "_table",
                        lambda name: probs if name == "lexeme_prob" else clusters)


def test_the_rule_needs_the_capital_twice_as_often_and_a_cluster_of_names(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # cluster 7: 25 names no dictionary knows (a name cluster); cluster 9: 25 words
    names = {f"nm{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(25)}
    words = {f"wd{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(25)}
    clusters = {n.title(): 7 for n in names} | {w.title(): 9 for w in words}
    probs = {"Tanner": -14.5, "tanner": -15.5,    # capital 2.7x: a name first
             "Grant": -12.8, "grant": -11.7,      # lower case more frequent: a word
             "Hey": -9.0, "hey": -10.0,           # capital dominates, but a word's cluster
             "Rarely": -16.0,                     # no cluster and no name: a word
             "Stevie": -13.3, "stevie": -15.9,    # no dictionary knows it, too rare for a
             "Toyo": -12.5, "toyo": -14.4,        # cluster: a name; a brand's cluster: not
             "Zzz": -20.0}
    clusters |= {"Tanner": 7, "Grant": 7, "Hey": 9, "Toyo": 9}
    dictionary = {"tanner", "grant", "hey", "rarely"} | words
    _fake_tables(monkeypatch, probs, clusters)
    got = casing.name_first_words(dictionary.__contains__,
                                  names | {"tanner", "grant", "hey", "stevie", "toyo"},
                                  {"mom"})
    assert got == ["stevie", "tanner"]
    # a first name no dictionary knows counts whatever its cluster ("Sevo" in the cluster
    # of words), unless set aside (a place, a calendar word: "Toyo" here)
    probs |= {"Sevo": -13.0, "sevo": -15.0}
    clusters["Sevo"] = 9
    got = casing.name_first_words(dictionary.__contains__,
                                  names | {"tanner", "stevie", "toyo", "sevo"}, {"mom"},
                                  first_names={"sevo", "toyo"}, set_aside={"toyo"})
    assert got == ["sevo", "stevie", "tanner"]
    # the same word excluded (a title, a kinship or chat word) stays out
    assert "tanner" not in casing.name_first_words(
        dictionary.__contains__, names | {"tanner"}, {"tanner"})


def test_surnames_that_are_words_are_those_often_capitalised(
        monkeypatch: pytest.MonkeyPatch) -> None:
    probs = {f"W{i:06d}": -20.0 for i in range(100_000)} | {
        "Rice": -12.0, "rice": -11.0,      # capital 0.37 times as often: a surname too
        "Long": -12.0, "long": -8.0,       # capital 0.02 times: a word opening sentences
        "Swift": -12.0, "swift": -12.2,    # excluded below
        "Holly": -12.0}                    # no lower-case form at all
    _fake_tables(monkeypatch, probs, {})
    got = casing.capitalised_often_words({"rice", "long", "swift", "holly", "w000001"},
                                         {"swift"})
    assert got == ["holly", "rice"]


def test_the_derived_list_knows_names_from_words() -> None:
    nf = name_first()
    assert {"tanner", "mason", "brad", "adam", "lily", "joker"} <= nf
    # words that open sentences, months, virtues, kin: never names first
    assert not {"hey", "yeah", "luckily", "meanwhile", "march", "summer", "grace", "hope",
                "will", "mark", "rose", "papa", "mom", "the"} & nf


def test_the_sweep_and_the_model_read_names_first() -> None:
    text = ("Tanner is a good dude. I asked if tanner had seen mason at the rink.\n"
            "Grace is a virtue and hope is a plan. Lily I love your videos.\n"
            "Luckily nobody came. Meanwhile we left. Thank God.\n")
    got = {text[w.start:w.end]: w.reason
           for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert got == {"Tanner": "capitalised", "tanner": "name", "mason": "name",
                   "Lily": "capitalised"}
    cased = truecase("i asked if tanner had seen mason at the rink last summer", gazetteer())
    assert "Tanner" in cased and "Mason" in cased and "summer" in cased


def test_a_word_no_dictionary_knows_is_a_name_if_english_capitalises_it() -> None:
    # in a cased statement a lower-case unknown word is for review, unless English writes
    # it as a name ("draymond"); a site written in lower case stays for review, and the
    # apps, phones and vehicles of PRODUCT_NAMES explain themselves
    text = ("Everyone there knew draymond, even the guards. I posted it on kaskus, then "
            "sent it on viber from my xiaomi.\n")
    got = {text[w.start:w.end]: w.reason
           for w in unexplained_words(text, [], [], keeps_dates=True)}
    assert got == {"draymond": "name", "kaskus": "unknown"}


def test_a_broken_name_list_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The list takes explanations away: a damaged one must stop the run, not shrink."""
    import importlib

    g = importlib.import_module("redact.detect.gazetteer")
    lists = (g.name_first, g.capitalised_often, g.rare_in_lower_case,
             g.very_rare_in_lower_case)
    for f in lists:
        f.cache_clear()
    monkeypatch.setattr(g, "_cached_text", lambda name, build: "tanner\nmason")
    try:
        for f in lists:
            with pytest.raises(ModelError, match="incomplete"):
                f()
    finally:
        monkeypatch.undo()
        for f in lists:
            f.cache_clear()
