"""Registers, forms, scans, letters and lower-case transcripts: the ages and births a
register writes in its own shorthand, a name a scan breaks at a line's end, the initial
that signs a letter, a surname typed in lower case, the codes that open a door or find a
bed.

Every statement here was written for these tests (none is from a development set or a
hunt corpus). Each test asserts what must go and what must stay.
"""

from __future__ import annotations

import re

from test_protection import redacted

from redact import Redactor
from redact.names import typo_of_common


def test_a_registers_sex_and_age_shorthand(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Victims identified (initials only):\n"
        "- H. I. (M, 27): shopkeeper, shot near the market.\n"
        "- Fatima Y. (F, 12) and her grandmother, F, 58 at the time, burned in their hut.\n"
        "Pasien (33 y) datang sendiri. Adiknya umurnya baru 11. The baby, Amal, is 8 "
        "months.\n",
        ["Fatima", "Amal"],
        ["shopkeeper, shot near the market", "burned in their hut"])
    assert not re.search(r"\b(?:27|12|58|33|11|8)\b", out)


def test_years_on_a_line_of_the_date_of_birth(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Name: Dolkar Tsering\n"
        "DOB: Fire-Tiger year (1986); card gives 14.02.1986\n"
        "- Tawalud / DOB: 1366 (solar hijri), approx. 1987\n"
        "Born: 1979-11-02. Home: Tsokha village.\n"
        "Witness: Ani Lubis, 03-09-1992, farmer\n"
        "Arrested in 2019 and released in 2021.\n",
        ["Dolkar", "Tsering", "Tsokha", "Ani Lubis"],
        ["Arrested in 2019 and released in 2021.", "Born:", "Home:", "farmer"])
    assert not re.search(r"1986|1987|1979|1992|1366", out)


def test_a_name_broken_at_a_lines_end_and_a_hyphenated_name_alone(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "Name of witness :\nChinedu Okafor-\nnwosu\nAge :\n44\n\n"
        "They took my sister, Marie-Ange, and two other women. Marie... she never came "
        "back.\n",
        ["Chinedu", "Okafor", "nwosu", "44", "Marie-Ange", "Marie"],
        ["Name of witness :", "two other women", "she never came back"])


def test_initials_that_sign_a_letter(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Dear Nadia,\nthe men came back to the shop on Friday. Do not answer unknown "
        "numbers.\nT.\n\n> Text me when you are safe. J.\n"
        "Contact person: \"R.\" (a cousin), Interpreter: Saw P.\n",
        ["Nadia"],
        ["the men came back to the shop on Friday", "Text me when you are safe.",
         "(a cousin)"])
    assert not re.search(r"(?m)^T\.$|safe\. J\.|\"R\.\"|Saw P\.", out)


def test_surnames_and_villages_in_a_lower_case_transcript(redactor: Redactor) -> None:
    redacted(
        redactor,
        "int: and your surname?\n"
        "w: by passport i am still dzhabrailova. my husband is umarov, but we are "
        "divorced.\n"
        "int: where are you from?\n"
        "w: the village is gukhoy, very small. my brother, a-s-l-a-n, stayed there.\n",
        ["dzhabrailova", "umarov", "gukhoy", "a-s-l-a-n"],
        ["by passport i am still", "very small", "where are you from?"])


def test_codes_that_open_a_door_or_find_a_bed(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "She is in the shelter on the third floor, door code 4481. Bed: W-12. The old "
        "complaint was kusp 2231/19; the notary wrote Doc. No. 377.\n"
        "She went to bed 12 hours after the raid.\n",
        ["4481", "W-12", "2231/19", "377"],
        ["She went to bed 12 hours after the raid."])
    assert "door code" in out


def test_a_threads_authors_go_in_any_case(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "precious 🦋 @prexy_22\nhas anyone seen my little brother? police took him at the "
        "bus stop\n\nDee @dee_lnd\n@prexy_22 sharing!! praying for precious and her mum\n\n"
        "thanks @bob_the_mod\n",
        ["precious", "Dee", "prexy_22", "dee_lnd"],
        ["has anyone seen my little brother?", "praying for", "and her mum"])
    assert re.match(r"Person [A-Z]+ 🦋", out)
    assert "thanks @" in out  # "thanks" is no author


def test_household_lists_give_births_and_ages(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Head of household: Amina Farah, F, 1990 (33), widow\n"
        "a) Abdi — son — 2008 (15) — herds goats\n"
        "b) Nyabol — daughter — 11 yrs — attends the camp school\n"
        "1 | Ahmed Ali | Head | M | 01/01/1979 (44) | pregnant wife\n"
        "2 | Fatuma Ali | Wife | F | 1985 (est.) | —\n"
        "4 | Sahra Ali | Daughter | F | 2014 | deaf\n"
        "Booked in: male, 24 yrs, of no fixed address. In 2019 (4 cases) and 2021 (12).\n",
        ["Amina", "Abdi", "Nyabol", "Ahmed Ali", "Sahra"],
        ["herds goats", "attends the camp school", "In 2019 (4 cases) and 2021 (12)."])
    assert not re.search(r"1990|\(33\)|2008|\(15\)|11 yrs|1979|\(44\)|1985|2014|24 yrs", out)


def test_a_sheet_whose_header_says_more_than_one_word(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        '"Arrests log (shared sheet v3, do not forward)",,,,,\n'
        '"#","Name (Latin)","Age","City / district","Arrested","Notes"\n'
        '"1","Kaveh Rostami","19","Tehran, kucheh 11","2022-10-08","held in Evin"\n'
        '"2","Shilan Karimi","23","Sanandaj","2022-09-26","released on bail"\n',
        ["Kaveh", "Rostami", "Shilan", "Karimi"],
        ['"Name (Latin)","Age","City / district"', "released on bail"])
    assert '"19"' not in out and '"23"' not in out


def test_plates_in_other_languages_and_officers_numbers(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "They came in a silver Avanza, plat B 1947 TKR. A pick-up gris, placa HBC 7731. One "
        "officer was PC 4471, the other wore star #11472.\n",
        ["1947 TKR", "HBC 7731", "4471", "11472"],
        ["They came in a silver", "One officer was PC"])
    assert "star #" in out


def test_a_first_name_and_an_unknown_surname_in_lower_case(redactor: Redactor) -> None:
    redacted(
        redactor,
        "they picked him from the salon around 4pm. precious namutebi, a nurse, saw it. "
        "mark, we recieved the message late\n",
        ["precious", "namutebi"],
        ["they picked him from the salon", "a nurse, saw it", "we recieved the message late"])
    # a word one letter away from a common one is a typo, not a surname after a first name
    assert typo_of_common("recieved") and typo_of_common("yesterdy")
    assert not typo_of_common("namutebi")


def test_a_nickname_in_brackets_but_not_a_judgments_defined_term(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        '1. The case originated in an application by a Kenyan national, Mr O.K. ("the '
        'applicant"). 2. The applicant\'s son, Brian Jr. ("BJ"), was detained with him.\n',
        ["Brian", "BJ"],
        ['("the applicant")', "2. The applicant's son"])
    assert out.count("applicant") == 2


def test_births_in_other_languages(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Ja sam Senada Hodžić, rođena 1968. u selu Kamenica. Hooyo: Dhalasho: 3 Mar 1999. "
        "Principal applicant: Jean Mbuyi, M, born 4 May 1980 (43), ur. 11.06.2015 (8).\n",
        ["Senada", "1968", "3 Mar 1999", "1980", "(43)", "11.06.2015", "(8)"],
        ["Principal applicant:"])
    assert "Kamenica" not in out
