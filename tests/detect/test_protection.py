"""Protection on messy statements: a word is published only if something explains it.

Every statement here was written for these tests (none is from a development set).
Each test asserts both what must go (the leak rule: no protected string survives
as a whole word, in any case) and what must stay (public names, ordinary words).
"""

from __future__ import annotations

import re

import pytest

from redact import ModelError, Policy, Redactor
from redact.explain import is_lower_case_text, unexplained_words
from redact.policy import UnexplainedSettings


def leaked(text: str, protect: list[str]) -> list[str]:
    return [p for p in protect
            if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text, re.IGNORECASE)]


CHAT = (
    "[03.05.23, 21:10] dilnaz_kz88: did they come back?\n"
    "[03.05.23, 21:12] berik.o: yes. they took nurlan from the bakery in sarykol, "
    "his sister zhanar saw it\n"
    "[03.05.23, 21:13] dilnaz_kz88: nurlan is 23, he did nothing\n"
    "[03.05.23, 21:15] berik.o: the one they call \"tulpar\" drove. the car was a grey "
    "lada, kz 482 abd\n"
    "[03.05.23, 21:16] dilnaz_kz88: ask zhanar to call me on 8 701 552 19 40. "
    "write to me on telegram @dilnaz_k\n"
    "[03.05.23, 21:20] berik.o: ok. tokayev will say it was a mistake, as always\n")
CHAT_PROTECT = ["dilnaz_kz88", "berik.o", "nurlan", "sarykol", "zhanar", "tulpar",
                "kz 482 abd", "8 701 552 19 40", "dilnaz_k"]


def test_lower_case_chat_leaves_nothing_behind(redactor: Redactor) -> None:
    policy = redactor.policy.extended(allow=["Kassym-Jomart Tokayev", "Tokayev"])
    out = Redactor(policy).redact(CHAT)
    assert leaked(out.text, CHAT_PROTECT) == []
    # the public name and the ordinary words of the chat stay
    assert "tokayev will say it was a mistake" in out.text
    assert "did they come back?" in out.text and "he did nothing" in out.text


def test_lower_case_propagation_matches_english_words() -> None:
    """In a lower-case chat a name that is also an English word goes in every form."""
    text = ("my brother rose was taken. rose is only 17. i told rose's teacher\n"
            "they asked about rose again today, nobody knows where she is\n")
    policy = Policy.from_dict({"extends": "testimony.yaml",
                               "deny": [{"text": "rose", "entity": "PERSON"}]})
    out = Redactor(policy).redact(text)
    assert leaked(out.text, ["rose"]) == []
    assert "nobody knows where she is" in out.text


FORMAL = (
    "STATEMENT OF A WITNESS\n"
    "I, Person K, residing at vul. Lisova 17, kv. 4, in Bohuslav district, state the "
    "following. On the evening of 12 April my son, Taras (15), was detained near "
    "Kozyn and taken to the school on prov. Shkilnyi. People in Kozyn call the "
    "commander \"Lysyi\"; he called himself Kuzmych. His deputy, a man from "
    "Myronivka, we called the Cossack. My complaint is registered as application "
    "no. 48811/22 and criminal case No. 1-442/2023; the police file is 17/2022-K.\n"
    "— signed, O. Hnatiuk, O. H.\n")
FORMAL_PROTECT = ["vul. Lisova 17", "Lisova", "kv. 4", "Bohuslav", "Taras", "Kozyn",
                  "Shkilnyi", "Lysyi", "Kuzmych", "Myronivka", "Cossack", "48811/22",
                  "1-442/2023", "17/2022-K", "Hnatiuk", "O. H."]


def test_formal_statement_with_foreign_address_forms(redactor: Redactor) -> None:
    out = redactor.redact(FORMAL)
    assert leaked(out.text, FORMAL_PROTECT) == []
    # a house number never stays behind its removed street
    assert not re.search(r"\] \d", out.text), out.text
    assert "STATEMENT OF A WITNESS" in out.text and "state the following" in out.text
    # a child's name is a person, not a place
    taras = FORMAL.index("Taras")
    span = next(s for s in out.spans if s.start <= taras < s.end)
    assert span.entity == "PERSON"


QA = (
    "Q = interviewer, MB = witness.\n"
    "Q: Where did they hold you?\n"
    "MB: In a basement outside Tsentoroi, then in Gelkhan. The guard was Ruslan; his "
    "friends called him Chechen-Bulldog.\n"
    "Q: Who else was there?\n"
    "MB: My cousin Apti and a boy from Benoy-Vedeno.\n")
QA_PROTECT = ["MB", "Tsentoroi", "Gelkhan", "Ruslan", "Chechen-Bulldog", "Apti",
              "Benoy-Vedeno"]


def test_qa_transcript_with_speaker_initials_and_small_places(redactor: Redactor) -> None:
    out = redactor.redact(QA)
    assert leaked(out.text, QA_PROTECT) == []
    assert "Q: Where did they hold you?" in out.text
    assert "Who else was there?" in out.text


def test_references_with_and_without_their_cue(redactor: Redactor) -> None:
    text = ("The court registered application no. 36640/19. The appeal, case 2-871/2021, "
            "was refused; a copy of 36640/19 was sent to my lawyer.")
    out = redactor.redact(text)
    assert leaked(out.text, ["36640/19", "2-871/2021"]) == []
    assert "The court registered application" in out.text


def test_initials_and_signatures(testimony_policy: Policy) -> None:
    text = ("Mr K. Varnsdorf told me to wait. Later A. B. came in.\n"
            "Signed: Person C, C.\n")
    out = Redactor(testimony_policy).redact(text)  # labels from A: no "Person K." here
    assert leaked(out.text, ["Varnsdorf", "K. Varnsdorf", "A. B"]) == []
    last_initial = text.rindex("C.")
    assert any(s.start <= last_initial < s.end and s.action != "keep" for s in out.spans)
    assert "told me to wait" in out.text


def test_large_place_that_is_a_surname_goes_where_it_names_a_person(
        redactor: Redactor) -> None:
    text = "Inspector Paris questioned me about my mother."
    out = redactor.redact(text)
    assert out.text.startswith("Inspector Person") and leaked(out.text, ["Paris"]) == []
    # where the text is about the city (a large place the policy keeps), the city stays
    assert "I flew to Paris" in redactor.redact("I flew to Paris with my mother.").text


def test_allow_list_matches_in_any_case_and_keeps_the_whole_name() -> None:
    policy = Policy.from_dict({"extends": "testimony.yaml",
                               "allow": ["Médecins Sans Frontières", "Memorial"]})
    text = ("the nurses of médecins sans frontières treated us. we wrote to memorial. "
            "my friend tamerlan came too.")
    out = Redactor(policy).redact(text)
    assert "médecins sans frontières" in out.text and "memorial" in out.text
    assert leaked(out.text, ["tamerlan"]) == []


def test_strict_never_removes_ordinary_words(strict_redactor: Redactor) -> None:
    text = ("WITNESS W1: hi, I'm here. On the evening of 2 March Serhiy's wife called me.\n")
    out = strict_redactor.redact(text)
    assert out.text.startswith("WITNESS W1: hi, I'm here.")
    assert "'s wife called me" in out.text and leaked(out.text, ["Serhiy"]) == []
    assert "[DATE_TIME] of [DATE_TIME]" not in out.text


def test_review_list_and_report_hold_offsets_not_text(redactor: Redactor) -> None:
    text = "The guard played sudoku with a stick of kurut while we waited.\n"
    out = redactor.redact(text)
    # unknown lower-case words in ordinary positions are kept, but listed for review
    words = {text[a:b] for a, b, _ in out.review}
    assert "sudoku" in words or "kurut" in words
    report = out.to_report()
    assert report["review"] and all(set(r) == {"start", "end", "reason"}
                                    for r in report["review"])
    assert "kurut" not in str(report)


def test_unexplained_policy_setting() -> None:
    text = "We met Zarkhan near the market. The guard ate kurut."
    keep_all = Redactor(Policy.from_dict(
        {"extends": "testimony.yaml", "unexplained": "keep",
         "entities": {"PERSON": {"threshold": 0.99}, "LOCATION": {"threshold": 0.99},
                      "PROPER_NOUN": {"threshold": 0.99}}}))
    assert "Zarkhan" in keep_all.redact(text).text
    remove_all = Redactor(Policy.from_dict({"extends": "strict.yaml"}))
    out = remove_all.redact(text)
    assert leaked(out.text, ["Zarkhan", "kurut"]) == []
    p = Policy.load("strict.yaml")
    assert p.unexplained == UnexplainedSettings(name_like="remove", other="remove")
    assert Policy.load("testimony.yaml").unexplained == UnexplainedSettings(
        name_like="remove", other="review")


def test_sweep_reasons() -> None:
    text = "we met aslanbek from khalkhoy\nThen Zarkhan came. Call me on dilnaz_k or X7731QQ."
    got = {text[w.start:w.end]: w.reason for w in unexplained_words(text, [], [],
                                                                     keeps_dates=True)}
    assert got["aslanbek"] == "cue" and got["khalkhoy"] == "cue"
    assert got["Zarkhan"] in ("capitalised", "cue")
    assert got["dilnaz_k"] == "handle" and got["X7731QQ"] == "code"
    assert "met" not in got and "Call" not in got
    assert is_lower_case_text(CHAT) and not is_lower_case_text(FORMAL)


def test_a_broken_word_list_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    """An error in the word list makes words unexplained, never safe."""
    import importlib

    g = importlib.import_module("redact.detect.gazetteer")

    g.common_words.cache_clear()
    g._is_common.cache_clear()
    monkeypatch.setattr(g, "_cached_text", lambda name, build: "only\nthree\nwords")
    try:
        with pytest.raises(ModelError, match="incomplete"):
            g.common_words()
    finally:
        monkeypatch.undo()
        g.common_words.cache_clear()
        g._is_common.cache_clear()


def test_links_between_lone_and_full_names_behave_as_documented(
        testimony_policy: Policy) -> None:
    """docs/pseudonyms.md: a lone name and a later full name share a label; another full
    name with the same part does not; every link is in the report, without text."""
    r = Redactor(testimony_policy)
    first = r.redact("Kheda told me about the raid. Later Kheda left for the city.")
    second = r.redact("Kheda Bakaeva called me. Ruslan Ibragimov came; Ruslan was scared.")
    third = r.redact("Kheda Umarova is someone else.")
    assert first.text.startswith("Person A told me")
    assert second.text.startswith("Person A called me")
    assert not third.text.startswith("Person A ")
    links = second.to_report()["links"]
    assert {"start": 0, "end": 13, "label": "Person A", "via": "case:solo"} in links
    ruslan = second.text and "Kheda Bakaeva called me. Ruslan Ibragimov came; ".__len__()
    doc_link = next(k for k in links if k["via"] == "document")
    assert doc_link["start"] == ruslan and doc_link["full_start"] == 25
    assert "Kheda" not in str(links) and "Ruslan" not in str(links)


def test_chat_nicknames_workplaces_and_hyphenated_villages(testimony_policy: Policy) -> None:
    chat = ("[05.06.22, 09:15] madina_g: they took ibragim from bachi-yurt at night\n"
            "[05.06.22, 09:16] madina_g: he worked at the cement factory near the river. the "
            "one they call kotik drove the car\n")
    out = Redactor(testimony_policy).redact(chat)
    assert leaked(out.text, ["madina_g", "ibragim", "bachi-yurt", "cement factory",
                             "kotik"]) == []
    assert "they took" in out.text and "drove the car" in out.text
    # one replacement for one hyphenated name, not one per half
    assert "]-[" not in out.text


def test_text_already_pseudonymized_by_hand_stays(testimony_policy: Policy) -> None:
    text = "I, Person K, was detained with my brother Aslambek in Gekhi-Chu.\n"
    out = Redactor(testimony_policy).redact(text)
    assert out.text.startswith("I, Person K, was detained with my brother Person ")
    assert leaked(out.text, ["Aslambek", "Gekhi-Chu", "Gekhi", "Chu"]) == []


def test_piped_preview_marks_the_words_awaiting_review(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from redact.cli import app

    src = tmp_path / "chat.txt"
    src.write_text("the guard played sudoku all night while we waited\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["preview", str(src)])
    assert r.exit_code == 0 and "⟦review⟧sudoku⟦/⟧" in r.stdout


def redacted(redactor: Redactor, text: str, gone: list[str], stays: list[str]) -> str:
    """``text`` redacted: none of ``gone`` left as a whole word, each of ``stays`` as it was."""
    out = redactor.redact(text).text
    assert leaked(out, gone) == []
    assert [s for s in stays if s not in out] == []
    return out


def test_judgment_address_with_its_flat_and_a_chat_with_its_spellings(
        redactor: Redactor) -> None:
    # a court's facts: the flat number ("ap. 4") goes with the street it belongs to
    out = redacted(redactor, "3. The applicant lives in Hincesti. On 12 March 2018 he was "
                   "arrested at his home at str. Mihai Eminescu 27, ap. 4, by officers of the "
                   "local police.\n", ["Eminescu", "Mihai", "27", "ap. 4", "Hincesti"],
                   ["he was arrested at his home at", "by officers of"])
    assert not re.search(r"\b4\b", out)  # no flat number left behind the street
    # a chat: its names and its street go; its own words ("im", "dm", "lol", "mom") stay
    redacted(redactor, "they took bek again last nite, his mom is at the station on abay ave "
             "rn\nlol im scared. dm me if u hear anything about bek\n", ["bek", "abay"],
             ["his mom is at the station", "lol im scared. dm me if u hear anything about"])


def test_family_words_and_the_words_beside_a_list_of_names_stay(redactor: Redactor) -> None:
    # a forum post in lower case: "dad" is no name, even where a line starts with it
    redacted(redactor, "my dad worked at the steel plant for 20 yrs. last time i heard from "
             "him he was with his buddy sasha kovalenko in the shelter.\n"
             "dad is 58, scar on left hand. his old number was 067 555 2319\n",
             ["sasha", "kovalenko", "067 555 2319", "58"], ["my dad worked at", "dad is "])
    # a transcript: a name beside ordinary words in a comma list takes only itself
    redacted(redactor, "W7: His deputy was a tall guy, zura, maybe Zurab Kapanadze. He is from "
             "Marneuli.\n", ["zura", "Zurab", "Kapanadze", "Marneuli"], [", maybe "])


def test_what_a_place_is_called_is_a_place(redactor: Redactor) -> None:
    # "a village called X" names a place, in capitals or in a chat; "a guard they called X",
    # "a man named X" still name people
    redacted(redactor, "The others said he was from a village called Kizhinga, near the "
             "border.\nwe ran to a village called khoshtir and hid there\n"
             "The guard they called Bulldog hit him. A man named Ruslan Ibragimov came.\n",
             ["Kizhinga", "khoshtir", "Bulldog", "Ruslan", "Ibragimov"],
             ["a village called [LOCATION], near", "a village called [LOCATION] and hid",
              "The guard they called Person", "A man named Person"])


def test_a_school_or_workplace_after_a_role_goes(redactor: Redactor) -> None:
    redacted(redactor, "#FreeAzamat they arrested my brother azamat yesterday!!! he is 24, "
             "student at TATU. His friend studies at Westminster International University. "
             "She worked as a nurse at the clinic.\n", ["azamat", "TATU", "Westminster"],
             ["he is [AGE], student at [", "as a nurse at the clinic."])


def test_house_numbers_written_with_a_colon_go_with_their_street(redactor: Redactor) -> None:
    redacted(redactor, "2. On 9 September 2015 soldiers entered the family's house at Nur "
             "Mahallesi, 1204. Sokak No: 7. The boy, then eleven years old, was wounded.\n"
             "Our flat was at ul. Sadovaya nr: 12 until the war.\n",
             ["Nur", "Mahallesi", "1204", "Sokak", "7", "Sadovaya", "12"],
             ["soldiers entered the family's house at [", "then [AGE], was wounded."])


def test_a_chat_speaker_with_an_initial_and_a_nickname_after_a_rank(
        redactor: Redactor) -> None:
    out = redacted(redactor, "[14/02/2024, 09:12] Marta Q.: they moved the women to the "
                   "school\n[14/02/2024, 09:13] Marta Q.: comandante \"el Paisa\" is in charge "
                   "now\nMy uncle \"Bear\" came. The commander said \"go home\" to us.\n",
                   ["Marta", "el Paisa", "Bear"], ["The commander said \"go home\" to us."])
    # one label for "Marta Q." (the fixture's index has labelled earlier tests' people)
    assert re.search(r"\] (Person [A-Z]+)\.: they moved the women to the school\n.*\] \1\.: ",
                     out)


def test_words_written_as_names_more_than_as_words_go(redactor: Redactor) -> None:
    # "tanner", "mason", "lily" are dictionary words, but English writes them as names far
    # more often: in a chat they go; "Hope" opening a sentence and "hope" stay words
    redacted(redactor, "tanner said the guards took mason to the station last night\n"
             "lily is hiding at her aunt's place, we hope she is ok\n",
             ["tanner", "mason", "lily"],
             ["said the guards took", "to the station last night",
              "is hiding at her aunt's place, we hope she is ok"])
    out = redacted(redactor, "Hope is all we had left, the imam told us. Tanner drove us to "
                   "the border at night.\n", ["Tanner"],
                   ["Hope is all we had left, the imam told us.",
                    "drove us to the border at night."])
    assert re.search(r"told us\. Person [A-Z]+ drove us", out)  # a person, by his name


def test_feasts_products_and_peoples_stay_the_names_beside_them_go(
        redactor: Redactor) -> None:
    redacted(redactor, "On Monday, the first day of Eid, my cousin Leyla sent me a message. "
             "During Ramadan we could not reach him because he had only Viber on his old "
             "phone. His friend Nadir drove him home on New Year's Eve.\n",
             ["Leyla", "Nadir"], ["the first day of Eid", "During Ramadan", "only Viber on",
                                  "on New Year's Eve."])
    redacted(redactor, "Our foreman was Mr Anwar Hossain, a Bangladeshi. He kept our "
             "passports.\n", ["Anwar", "Hossain"], [", a Bangladeshi. He kept"])


def test_what_a_span_holds_and_stands_beside_gives_its_type(redactor: Redactor) -> None:
    out = redacted(redactor, "I came to work for Al Safwa Building Contracting W.L.L. in "
                   "2021. We crossed the Pisky bridge at night. He is from Stara Zburivka.\n",
                   ["Safwa", "Contracting", "Pisky", "Zburivka"], ["bridge at night"])
    assert "work for [ORGANIZATION] in 2021" in out  # a company, not a person
    assert "the [LOCATION] bridge" in out and "from [LOCATION]." in out  # places
    out = redacted(redactor, "did u hear from bekzod? nobody saw him since\n", ["bekzod"],
                   ["nobody saw him since"])
    assert re.search(r"hear from Person [A-Z]+\?", out)  # a message comes from a person


def test_a_chat_address_a_camp_tent_and_a_country_as_no_ones_name(
        redactor: Redactor) -> None:
    # a lower-case chat: the street the model calls a company, the house number after a
    # place "on" which a flat follows, a girl's name the model calls a nationality
    out = redacted(redactor, "[21:05] dilnoza: they took him near the bazaar on navoi street, "
                   "malika saw it\n[21:10] rustam: tell malika to go to the lawyer on yunusabad "
                   "4, apartment 19.\n", ["navoi", "malika", "yunusabad", "4", "19"],
                   ["they took him near the bazaar on", "to go to the lawyer on"])
    assert "[ORGANIZATION]" not in out
    # a refugee's tent in a camp; "my Qatar ID": a country the policy keeps, not a person
    redacted(redactor, "We live in the Zaatari camp now, in tent 42. In 2021 I came to Qatar "
             "to work. My Qatar ID number was taken by the agent.\n", ["Zaatari", "42"],
             ["in the [LOCATION] camp now, in [", "I came to Qatar to work. My Qatar ID"])


def test_chat_export_transcript_labels_and_words_of_faith_stay(redactor: Redactor) -> None:
    # a chat export: the speaker "Joy" goes although "joy" is a word, and so does "joy" in
    # lower case where she is addressed; "[Fri 21:05]" and
    # "[04.11.2022 21:14]" are times, no name and no phone number; "the villa" is a word
    out = redacted(redactor, "[Fri 21:03] me: ate joy r u ok?\n"
                   "[Fri 21:05] Joy: r u still at the villa near the masjid?\n"
                   "[04.11.2022 21:14] me: yes. they held him in the old school no. 3\n"
                   "[Fri 21:16] Joy: we asked Allah for help\n",
                   ["Joy", "3"], ["[Fri 21:05] ", ": r u still at the villa near the masjid?",
                                  "[04.11.2022 21:14] me:", "we asked Allah for help"])
    assert "[PHONE_NUMBER]" not in out
    # a court transcript: "Q." and "A." are labels, not initials; "My Lord" stays
    out = redacted(redactor, "Q. Did you see the officer's face?\nA. Yes, My Lord. It was "
                   "Sergeant Okafor, badge 4471.\n", ["Okafor", "4471"],
                   ["Q. Did you see the officer's face?\nA. Yes, My Lord."])
    # a large city the model calls a person stays, as the policy keeps such cities
    redacted(redactor, "We walked for two days to Gaziantep, where my brother waited.\n", [],
             ["to Gaziantep, where"])


def test_a_reference_word_inside_a_longer_word_starts_no_reference(redactor: Redactor) -> None:
    # "recorded 18 May 2022" is a date, not "record" + a number; a header's large city stays
    redacted(redactor, "Interview summary, Gaziantep, November 2020.\nStatement recorded 18 "
             "May 2022. See record 1234/5.\n", ["1234/5"],
             ["Interview summary, Gaziantep, November 2020.", "recorded 18 May 2022."])
    # a detainee's number a few words after "detainee number"; a count of people stays
    redacted(redactor, "His detainee number at the branch was 1378. Twelve men were held in "
             "the cell.\n", ["1378"], ["His detainee number at the branch was [",
                                      "Twelve men were held in the cell."])


def test_a_name_that_is_a_word_goes_after_an_honorific_or_beside_a_name(
        redactor: Redactor) -> None:
    # "mr green", "mrs rice": a dictionary word after an honorific is a surname; the
    # words after "the dr" are words
    redacted(redactor, "in the camp mr green took our papers. later mrs rice said the "
             "papers were lost. the dr gave me pills for the pain.\n", ["green", "rice"],
             ["took our papers", "the papers were lost", "the dr gave me pills"])
    # a first name before a removed surname is the same person, one label
    out = redacted(redactor, "The guard Sherlock Holmes beat him. Later Holmes laughed.\n",
                   ["Sherlock", "Holmes"], ["beat him. Later", "laughed."])
    assert re.search(r"The guard (Person [A-Z]+) beat him\. Later \1 laughed\.", out), out
    # in lower case after a lone first name, a surname English often capitalises goes with
    # it ("Donald trump", "taylor swift"); a word only opening sentences ("long") stays, and
    # so does a family word ("the Coen brothers"); a large city that is a first name right
    # before a person's surname is part of the name ("paris hilton"), one label
    out = redacted(redactor, "I never voted for Donald trump. we talked about taylor swift "
                   "all night. the guard timur long ago left. The Coen brothers came. she "
                   "looks like paris hilton today.\n",
                   ["Donald", "trump", "taylor", "swift", "timur", "Coen", "paris", "hilton"],
                   ["long ago left", "brothers came", "looks like Person", "today."])
    assert not re.search(r"Person [A-Z]+ Person", out), out  # one label per name


def test_initials_capital_lines_handles_and_addressed_names(redactor: Redactor) -> None:
    # an initial before a surname no detector knows; a heading in capitals; a camel-case
    # user name; a name before "aka"; a name addressed before "your"
    redacted(redactor, "STATEMENT OF TANNER FOXX, TAKEN IN GAZIANTEP\nJ. voskuijlen and his "
             "friend iKhabib17x were there. The boy we knew as tsetsik aka Lizzie ran. Wow "
             "edubes, your video helped.\n",
             ["TANNER", "FOXX", "J.", "voskuijlen", "iKhabib17x", "tsetsik", "Lizzie", "edubes"],
             ["STATEMENT OF", "TAKEN IN GAZIANTEP", "and his friend", "were there",
              "your video helped"])
    # a first name no dictionary knows, typed in lower case inside a cased sentence
    redacted(redactor, "You were as brave as stevie, good luck in court.\n", ["stevie"],
             ["You were as brave as", "good luck in court."])
    # a capital line of ordinary words stays; a typed "aTM" is no user name
    redacted(redactor, "WITNESS STATEMENT\nHe took the card at the aTM near the bank.\n",
             [], ["WITNESS STATEMENT", "He took the card at the aTM near the bank."])


def test_ages_numbers_nicknames_and_units_a_witness_gives(redactor: Redactor) -> None:
    # ages after a name or a pronoun; not an article's paragraph, a date or a duration
    out = redacted(redactor, "My daughter Sanjida Begum (14) and my son Dmytro (22) were "
                   "taken. Amina, 34, saw it. He is 9. Under Article 5 (1) of the Convention "
                   "he was 5 minutes late.\n", ["Sanjida", "Dmytro", "Amina", "14", "22", "34",
                                                "9"],
                   ["Article 5 (1) of the Convention", "was 5 minutes late"])
    assert out.count("[AGE]") == 4, out
    # a number a prisoner is given; a nickname in quotes inside a name, and a passive one
    out = redacted(redactor, "My number there was 1378. His cell number was 309. The "
                   "commander, Jamal \"the Butcher\" Haddad, gave orders. The other guard "
                   "was nicknamed the Dentist.\n",
                   ["1378", "309", "Jamal", "Butcher", "Haddad", "Dentist"],
                   ["My number there was [", "gave orders", "The other guard"])
    assert re.search(r"The commander, Person [A-Z]+, gave orders", out), out
    # numbered units where soldiers serve and people are held; an ordinal before other
    # words stays
    redacted(redactor, "He served in the 42nd brigade, then the 128th Separate Mountain "
             "Assault Brigade. They held us in Branch 215. The 2nd time the army came, the 3rd "
             "floor burned.\n", ["42nd", "128th", "215"],
             ["The 2nd time the army came, the 3rd floor burned."])


def test_peoples_languages_and_faiths_stay_a_name_among_them_goes(redactor: Redactor) -> None:
    redacted(redactor, "I speak Nepali and Uyghur. The Alawite and Yazidi families fled. "
             "Tigrinya is my language. Christian told me to run.\n", ["Christian"],
             ["I speak Nepali and Uyghur.", "The Alawite and Yazidi families fled.",
              "Tigrinya is my language."])


def test_chat_names_that_are_words_after_family_words_speakers_and_greetings(
        redactor: Redactor) -> None:
    # a first name after a family word, a greeting, or as a chat export's speaker, whatever
    # it also means; a street named by a word after "on"; "turns 90" is an age
    redacted(redactor, "[21:14] cash: my grandma rose turns 90 today\n[21:15] me: happy bday "
             "grace!! we met on elm road\n[21:16] cash: my brother will come, my son said no\n",
             ["cash", "rose", "90", "grace", "elm road"],
             ["turns [AGE] today", "my brother will come, my son said no", "] me: "])
    assert "on the main road" in redactor.redact("we walked on the main road, on our way "
                                                 "home.\n").text
    # a name before a verb of speech; a label of two words after a timestamp ("ate" is a
    # Filipino sister's title, "joy" her name); a recruitment agency typed in lower case;
    # a numbered brigade described in lower-case words
    redacted(redactor, "[12/03/2023 21:14] ate joy: did u see what king said?\n[12/03/2023 "
             "21:15] me: golden crest manpower took my passport. the 126th coastal defence "
             "brigade came. my mom said no\n",
             ["joy", "king", "golden crest", "126th"],
             ["21:14] ate ", "did u see what", "took my passport", "my mom said no"])
    # a phone export's line: "12/03/2024, 21:14 - will:"
    redacted(redactor, "12/03/2024, 21:14 - kairat: im outside the mosque\n", ["kairat"],
             ["12/03/2024, 21:14 - ", ": im outside the mosque"])


def test_judgment_ages_ranks_initials_and_the_court(redactor: Redactor) -> None:
    out = redacted(redactor, "CASE OF ÖZDEMİR v. TURKEY\n\n4. The applicants, Mr Mehmet "
                   "Özdemir and Mr Ali ÇELİK, were born in 1958, 1967 and 1981 respectively. "
                   "Their children, aged 7 and 9, were held in the barracks.\n\n5. Maj. Umarov "
                   "and Lt. Black beat the applicant (A.) and his son Omar, then 22. The Court "
                   "notes that the Government did not reply.\n",
                   ["ÖZDEMİR", "Özdemir", "Mehmet", "ÇELİK", "1958", "1967", "1981", "7", "9",
                    "Umarov", "Black", "(A.)", "Omar", "22"],
                   ["held in the barracks.\n\n5. Maj. ", " and Lt. ", "The Court notes that "
                    "the Government did not reply."])
    # "ÖZDEMİR" and "Özdemir" are one person
    assert re.search(r"CASE OF (Person [A-Z]+) v\. TURKEY.*applicants, \1 and", out, re.S), out


def test_what_the_plan_keeps_the_final_check_keeps_too(strict_redactor: Redactor) -> None:
    # "the Court" is kept by the planner's decision, which the final check shares: strict
    # must not refuse a judgment because the check finds the Court again
    out = strict_redactor.redact("1. The case originated in an application against Ukraine. "
                                 "The Court notes that the Government did not reply. The "
                                 "applicant, Mr Petro Kovalenko, lives in Sumy.\n").text
    assert "The Court notes that the Government did not reply." in out
    assert "Kovalenko" not in out and "Petro" not in out


def test_news_names_that_are_days_honorifics_series_and_house_numbers(
        redactor: Redactor) -> None:
    out = redacted(redactor, "On 14 June 2018 her husband, Sunday Obi, was arrested. Their "
                   "internal passports, series 96 03 no. 812345, were seized. Ganna, who lives "
                   "next door at No. 9, saw it. MANDALAY — Daw Aye Aye Mar was cooking.\n",
                   ["Sunday", "Obi", "96 03", "812345", "Ganna", "No. 9", "Aye", "Mar"],
                   ["On 14 June 2018 her husband, Person", "MANDALAY — "])
    assert re.search(r"her husband, Person [A-Z]+, was arrested", out), out  # one label
    # a day after a word of time stays a day
    redacted(redactor, "On Sunday Musa Aliev came back from the market.\n", ["Musa", "Aliev"],
             ["On Sunday "])


def test_chat_places_for_people_stage_names_and_family_labels(redactor: Redactor) -> None:
    # a first name that is also a word where a chat puts a person: listed with "me", at
    # someone's home, in a shoutout, as an owner; a month after a family word
    redacted(redactor, "[18:02] tomas: me n hope n faith went to the lake. ur at joy's?\n"
             "[18:03] lejla: shoutout to hunter for the lift. grace's mum picked us up. "
             "tell nana june i said hi\n",
             ["tomas", "hope", "faith", "joy", "hunter", "grace", "june", "lejla"],
             [": me n ", " went to the lake. ur at ", " for the lift. ", "'s mum picked us up",
              "tell nana "])
    # the same words as words: after a determiner, a possessive, "the"
    out = redactor.redact("i have hope and faith. i love my job and me. the hunter's dog "
                          "ran off. we met in june, at the rose garden\n").text
    for kept in ("i have hope and faith", "my job and me", "the hunter's dog", "in june"):
        assert kept in out, out
    # a stage name's prefix goes with the name; a job word after a determiner stays, and
    # a family word labelling a chat line is no one's name
    out = redacted(redactor, "[20:01] Mum: DJ Khaled and lil jay played. we stayed a lil "
                   "bit more\n[20:02] Dad: the dr said no\n",
                   ["DJ Khaled", "lil jay"],
                   ["[20:01] Mum: ", "we stayed a lil bit more", "[20:02] Dad: the dr "
                    "said no"])
    assert "Khaled" not in out and "jay" not in out
    # an age in brackets after a name in lower case; a room number in brackets stays
    redacted(redactor, "they took my son timur (16) and his friend aslan (17). room (12) "
             "was cold\n", ["timur", "16", "aslan", "17"], ["room (12) was cold"])


def test_chat_people_asked_after_described_and_labelled(redactor: Redactor) -> None:
    # a first name that is a word where a chat asks someone to do something, asks after
    # them, or describes them; a speaker whose first name is a time word (the export's date,
    # which the model takes for a place here, is removed as a date: fail closed)
    redacted(redactor, "03/11/2023, 08:02 - Dawn Okafor: is rocky still at the hostel?\n"
             "03/11/2023, 08:04 - Jo Price: no. ask will to cover the gate and tell bill to "
             "move his car. hope (our cousin) told chase, who told everyone\n",
             ["Dawn", "Okafor", "rocky", "will", "bill", "hope", "chase", "Jo", "Price"],
             [", 08:02 - ", "still at the hostel?", ", 08:04 - ",
              " to cover the gate and tell ", " (our cousin) told ", ", who told everyone"])
    out = redactor.redact("i will ask him to go. is it still raining? the man who came. i "
                          "have hope (our only hope). kian didn't stop\n").text
    for kept in ("i will ask him to go", "is it still raining", "the man who came",
                 "i have hope (our only hope)", "didn't stop"):
        assert kept in out, out
    assert "kian" not in out
    # a house number and a street in lower case; a British plate
    redacted(redactor, "come round 14 orchard close, the van is KX19 LPT. it was a 2 hour "
             "drive\n", ["14 orchard close", "KX19 LPT"], ["a 2 hour drive"])


def test_judgment_numbers_facilities_and_one_person_per_patronymic(redactor: Redactor) -> None:
    # a cause number "of" a year, a house known by a lettered number, a facility code, an
    # age after a quoted alias, a plate rule that stops before the next word, a year range
    out = redacted(redactor, "PETITION NO. 412 OF 2019\nIN THE HIGH COURT\n1. The petitioner "
                   "lived in Kawangware, house No. C7. Mr Ruslan Kh. Bagaev was held in SIZO-2 "
                   "and later in IK-6. His cousin, known as \"Tiger\", 29, drove a car, plate "
                   "XKM-41T before 2018-2020.\n",
                   ["412 OF 2019", "C7", "Ruslan", "Bagaev", "SIZO-2", "IK-6", "Tiger", "29",
                    "XKM-41T"],
                   ["PETITION NO. ", " before 2018-2020."])
    # "Ruslan Kh. Bagaev" is one person, not two
    assert re.search(r"Person [A-Z]+ was held", out), out
    out = redactor.redact("Mr Shamil Kh. Abdulkhalikov was detained.\n").text
    assert re.fullmatch(r"Person [A-Z]+ was detained\.\n", out), out


def test_transcript_roles_spellings_numbers_that_are_no_dates(redactor: Redactor) -> None:
    # role labels stay; a village spelled letter by letter goes; a long number the model
    # calls a date goes; a neighbourhood after "barrio la" or before "area" goes; British
    # spellings are words ("recognised", "neighbourhood")
    redacted(redactor, "INTERVIEWER: Where were you born?\nWITNESS: In a village, she spells "
             "it K-E-R-E-B-E-T. I recognised the officer from our neighbourhood. My card "
             "number is 5512-0934-7781-2290, the paper said 4-TR-2210-09. my sister lives in "
             "barrio la esperanza, near the bolenga area.\n(Sgd.) Person A\n",
             ["K-E-R-E-B-E-T", "5512-0934-7781-2290", "4-TR-2210-09", "esperanza", "bolenga"],
             ["INTERVIEWER: Where were you born?\nWITNESS: In a village",
              "I recognised the officer from our neighbourhood", "(Sgd.) Person A"])
    # a shelter and a school known by their numbers; "2ND PETITIONER" is a label
    redacted(redactor, "2ND PETITIONER: She lived in shelter number 48 and taught at number 12 "
             "secondary school.\n", ["48", "number 12 secondary school"],
             ["2ND PETITIONER: She lived in "])


def test_judgment_offices_datelines_and_parties_stay_what_they_are(redactor: Redactor) -> None:
    # offices are no one's name; a dateline's large city and a country the model calls a
    # person stay (testimony keeps large places); a case's title is two parties
    out = redacted(redactor, "CASE OF DEMIR v. TURKEY\nANKARA — The Prosecutor General and the "
                   "Inspector General of Police met the Chief District Officer. Mr Demir's "
                   "niece was trafficked from Nepal to Delhi.\n",
                   ["DEMIR", "Demir"],
                   ["v. TURKEY\nANKARA — The Prosecutor General and the Inspector General of "
                    "Police met the Chief District Officer.", "was trafficked from Nepal to "
                    "Delhi."])
    assert re.match(r"CASE OF Person [A-Z]+ v\. TURKEY", out), out
    # strict keeps no place: the dateline goes there
    assert "ANKARA" not in Redactor(Policy.load("strict.yaml")).redact(
        "ANKARA — Police detained two men.\n").text


def test_chat_roles_wings_and_am_pm_in_exports(redactor: Redactor) -> None:
    # a capitalised stop-word name after a role word; a prison wing with its number; "PM" in
    # a US export's time and a family word labelling a line are no names
    redacted(redactor, "3/14/24, 7:45 PM - Papi: ok\n3/14/24, 7:46 PM - Marisol Ortega: my "
             "supervisor Will moved me to D-wing 12. My brother will come in June.\n",
             ["Marisol", "Ortega", "D-wing 12"],
             ["7:45 PM - Papi: ok", "7:46 PM - ", "my supervisor Person ",
              "My brother will come in June."])
    # a family word of another language before a name that is also a family word
    redacted(redactor, "love u all, tita Baby and kuya Jun!\n", ["Baby", "Jun"],
             ["love u all, tita ", " and kuya "])


def test_call_signs_answers_and_markings(redactor: Redactor, strict_redactor: Redactor) -> None:
    # a call sign and a nickname that are words; a birth date in the answer to a question;
    # "aged about"; a vehicle known by its marking; a letter the witness calls someone by
    redacted(redactor, "Q: What is your date of birth?\nA: 11.04.1979. The officer had the call "
             "sign \"Volga\" and posted under the nickname 'Bison'. Rahim, aged about 30 years, "
             "was put in a pickup marked 'KTR 5521'. A man whom I will call J. beat him.\n",
             ["11.04.1979", "Volga", "Bison", "Rahim", "30", "KTR 5521", "J."],
             ["Q: What is your date of birth?\nA: ", "had the call sign", "whom I will call"])
    # strict: a detection cut at an allow-listed name leaves no stray word behind
    out = strict_redactor.redact("They wrote to us via WhatsApp and in a Facebook group.\n").text
    assert "via WhatsApp and in a Facebook" in out, out


def test_no_removal_ends_inside_a_word(redactor: Redactor) -> None:
    text = ("Hassan Qureshi, resident of District Kupwara\n...Petitioner\nVersus\n"
            "...Respondents\nHe lived on Golsar Street, 124th alley. His personal number is "
            "5130277B014QC8, filed under case number 760016000193201904512.\n")
    out = redacted(redactor, text, ["Hassan", "Qureshi", "Kupwara", "124th", "5130277B014QC8",
                                    "760016000193201904512"],
                   ["\n...Petitioner\nVersus\n...Respondents\n", ". His personal "])
    # every replacement stands between word boundaries
    assert not re.search(r"\w\[|\]\w|\w(?:Person|Place) [A-Z]+\b", out), out


def test_chat_exports_with_month_names_notes_and_words_for_people(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Apr 2, 2024, 7:15 PM - Dawn (shelter): Hi Keisha, your room is free from Friday.\n"
        "Apr 2, 2024, 7:18 PM - Keisha: thank u. Can June collect the keys? she's 23\n"
        "Apr 2, 2024, 7:19 PM - Tomasz K: we met in June at the hall, tues evening is ok\n"
        "Apr 2, 2024, 7:21 PM - Keisha: did faith get home? summer's dad was asking. "
        "he owes big Z 50\n"
        "grace: tell bhai the van left, ammi knows\n",
        ["Dawn", "Keisha", "Tomasz", "K", "faith", "summer", "Z", "23", "grace"],
        ["(shelter): Hi", "from Friday", "we met in June", "tues evening is ok",
         "tell bhai the van left, ammi knows", "he owes big "])
    # the speaker's label keeps its note; a month that is someone goes where it is someone
    assert "June" not in out.split("\n")[1] and "Can Person " in out


def test_ages_in_words_news_ages_and_answers(redactor: Redactor) -> None:
    redacted(
        redactor,
        "Q: How old are you?\nA: Nineteen.\nQ: And your brothers?\n"
        "A: Ilyas is seven and Bekzat turns ten so he goes to school. My son is fourteen "
        "years old. He's only 16, they said he was a man.\n"
        "A pensioner, 71, was arrested. Age recorded as 33.\n",
        ["Nineteen", "Ilyas", "seven", "Bekzat", "ten", "fourteen years old", "16", "71",
         "33"],
        ["Q: How old are you?", "so he goes to school", "was arrested"])


def test_nickname_glosses_places_named_by_detainees_and_register_numbers(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "The guard they called \"Bars\", the leopard, beat us. The officer they called "
        "Sultan, \"the Dentist\", pulled teeth. We were kept in what the prisoners called "
        "the black barracks. Their chief called himself \"Papa\" (the father). "
        "My complaint was entered as GD No. 4471 and the OB entry read OB 57/03/2022. "
        "In the camp my number was 0387. They wanted 400,000 tenge.\n",
        ["Bars", "the leopard", "Sultan", "the Dentist", "the black barracks", "Papa",
         "the father", "4471", "57/03/2022", "0387"],
        ["beat us", "pulled teeth", "400,000 tenge"])


def test_units_and_streets_end_where_the_sentence_goes_on(redactor: Redactor) -> None:
    redacted(
        redactor,
        "The medical note from Station 4, says he fell. I sewed in Workshop 9 daily. "
        "They kept her in apartamento 210 in the barrio. We lived in Rowan Tree Close, "
        "near the Red Crescent office. msg me at flat 11 ashby court if you can\n",
        ["Station 4", "Workshop 9", "apartamento 210", "Rowan Tree Close", "flat 11"],
        ["says he fell", "daily", "Red Crescent", "if you can"])


def test_capitals_stay_with_or_without_accents_people_named_blessing_go(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "We flew from Asmara to Dushanbe, then by road to Bogota. Blessing, who is my "
        "cousin, stayed behind. Faith told me the rest.\n",
        ["Blessing", "Faith"], ["Asmara", "Dushanbe", "Bogota", "told me the rest"])


def test_a_first_name_before_an_unknown_surname_and_lettered_blocks(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "Q: Your name, please?\nA: Rose Xeniakovna Bratushkina. We slept in block D with "
        "two other families, then in Tent F. In the tent I kept my papers.\n",
        ["Rose", "Xeniakovna", "Bratushkina", "block D", "Tent F"],
        ["Q: Your name, please?", "In the tent I kept my papers."])


def test_someone_addressed_at_a_questions_end(redactor: Redactor) -> None:
    out = redactor.redact("Did you lock the gate, Autumn? thanks, love! We left in autumn.\n").text
    assert out.startswith("Did you lock the gate, Person ")
    assert out.endswith("? thanks, love! We left in autumn.\n")  # the season stays a season


def test_comment_threads_shouting_drawn_out_words_and_letters_for_people(
        redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Happy 40th birthday to Auntie Dot!! ur the best lmaooo\n"
        "ref blew it AGAIN smh. COACH R IS THE ONLY REASON WE WON. wHy DoEs he do that\n"
        "AITA for leaving early? hahahaha\n"
        "Nevada (my other roommate) took the car. Did you lock it, Autumn?\n",
        ["40th", "Dot", "R", "Nevada", "Autumn"],
        ["lmaooo", "AGAIN smh", "wHy DoEs he do that", "AITA for leaving early? hahahaha"])
    assert "(my other roommate)" in out


def test_registers_stations_stalls_and_quarters_named_after_cities(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "Her father filed a Zero FIR (No. 71(2)2024) at the police station. The appeal, "
        "HCCC 2231/2023, was heard in May. He was held at Kandoro Police Station, then at "
        "the 4th Police Station. She sold fruit at stall 87. They lived in the Lisbon "
        "quarter of Erbil. A cellmate known to the guards only as \"Tolik\" helped him.\n",
        ["71(2)2024", "2231/2023", "Kandoro", "4th Police Station", "stall 87", "Lisbon",
         "Tolik"],
        ["filed a Zero FIR", "of Erbil", "was heard in May", "helped him"])


def test_forms_tables_and_transcript_labels_keep_their_labels(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Patient: Ngozi Achebe\nAge: 29\nHusband: Emeka Obi   Spouse: Adaeze Obi   "
        "Village: Umuagu\nInt.: When did it start?\nSKN: After the rains.\n"
        "[Tr.: she means the second season]\n"
        "Date: 4 May 2021\n   Place: Phnom Penh\n"
        "My co-worker, the caseworker, wrote to the Special Rapporteur.\n",
        ["Ngozi", "Achebe", "29", "Emeka", "Adaeze", "Obi", "Umuagu", "SKN"],
        ["Patient: ", "Age: [AGE]", "Husband: ", "Spouse: ", "Village: ", "Int.: When",
         "[Tr.: she means", "Place: Phnom Penh",
         "My co-worker, the caseworker, wrote to the Special Rapporteur."])
    assert "Date: 4 May 2021\n" in out


def test_more_peoples_and_languages_stay_and_a_name_addressed_at_a_lines_start_goes(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "The elders spoke Quechua and Nahuatl; the nurse spoke Luganda. A Kashmiri family "
        "and two Patani Malay fishermen were there.\nrocky ur late again\n",
        ["rocky"],
        ["spoke Quechua and Nahuatl", "spoke Luganda", "A Kashmiri family",
         "Patani Malay fishermen", "ur late again"])


def test_a_birth_date_later_in_its_sentence_and_no_street_in_took_place_on(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "The date of birth entered in his identity card (No. 7788 1122 3344), namely "
        "21.11.2009, was wrong by a year. The search took place on 4 June 2019.\n",
        ["21.11.2009", "7788 1122 3344"],
        ["The search took place on 4 June 2019.", "was wrong by a year"])
