"""Large places and whole dates stay where they stand, while the people and addresses
beside them go: a city that is also part of someone's chat name, a country a recruiter
"works for", a capital of a small city, an address block that runs into a sentence, a
plate at a line's end before a chat's next timestamp.

Every statement here was written for these tests (none is from a development set or a
hunt corpus). Each test asserts what must go and what must stay.
"""

from __future__ import annotations

import re

from test_protection import redacted

from redact import Redactor


def test_a_plate_at_a_line_end_leaves_the_next_timestamp_whole(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "25/06/2024, 22:45 - Uncle: the boys saw them take him in a white Probox, KDK 318M\n"
        "25/06/2024, 22:46 - Joy: uncle dont post the number here\n"
        "25/06/2024, 22:50 - Joy: we are going to the station now\n",
        ["KDK 318M", "318M"],
        ["25/06/2024, 22:46 - ", "25/06/2024, 22:50 - ", "we are going to the station now"])
    # no part of a date is taken for a number of its own and removed everywhere
    assert out.count("25/06/2024") == 3


def test_a_city_in_a_chat_name_stays_a_city_where_it_is_one(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "[12.03.2023, 21:31] Lom-Ali: Khamzat should call Ruslan in Moscow, his friend is a "
        "lawyer\n"
        "[13.03.2023, 08:05] Ruslan Moscow: I talked with the lawyer. She said we file a "
        "complaint in Moscow.\n",
        ["Lom-Ali", "Khamzat", "Ruslan", "Ruslan Moscow"],
        ["should call", "in Moscow, his friend", "complaint in Moscow."])
    assert not re.search(r"\] Moscow:|\] Ruslan", out)  # the chat name goes whole


def test_countries_and_capitals_stay_and_the_people_beside_them_go(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "Q: Who took you?\n"
        "A: Madam Efe from our street. She say she work for Italy, hair work. In Kuwait City "
        "my employer, Madam Noura, took my phone. Later my brother said I can go back to "
        "England if I want. I was with Blessing at Kencom in Nairobi CBD until 3pm.\n",
        ["Efe", "Noura", "Blessing", "Kencom"],
        ["work for Italy", "In Kuwait City", "back to England", "in Nairobi"])


def test_an_address_block_ends_at_its_city(redactor: Redactor) -> None:
    redacted(
        redactor,
        "His cousin, Selam Gebremedhin, who lives at Flat 3, 27 Ashgrove Road, Birmingham, "
        "gave oral evidence. FIR No. 612/23 was registered on 17 August 2023 at the police "
        "station.\n",
        ["Selam", "Gebremedhin", "Flat 3", "27", "Ashgrove", "612/23"],
        ["Birmingham, gave oral evidence.", "was registered on 17 August 2023"])


def test_chat_senders_after_their_timestamps_in_any_case(redactor: Redactor) -> None:
    # the sender of each line of an export is someone, typed as the phone's owner saved
    # it; a sender typed in lower case is written so in the messages too
    out = redacted(
        redactor,
        "21/06/2021, 22:15 - faith D: chelsea no pick her phone since 7\n"
        "21/06/2021, 22:16 - Mama Blessing: where are they now??\n"
        "[14/10 21:05] georgia.w: 12 people just came back from the border\n"
        "[14/10 21:07] Emir Taxi 🚕: i can drive them\n"
        "+254 733 201 557 (19:05): ndio, lucky wa mama faith\n"
        "me (19:04): lucky gani? lucky otieno?\n"
        "21/06/2021, 22:20 - Mum: faith pls dont post anything\n"
        "2023-03-12 21:31 - Incident: police arrived at the gate\n"
        "[12/03/2023 21:45] Note: call back tomorrow\n",
        ["faith", "faith D", "Blessing", "georgia.w", "Emir Taxi", "lucky", "otieno",
         "+254 733 201 557"],
        ["21/06/2021, 22:15 - ", "- Mama ", "[14/10 21:05] ", "12 people just came back",
         "me (19:04): ", "- Mum: ", "pls dont post anything", "- Incident: police arrived",
         "] Note: call back"])
    assert "(19:05)" in out  # the phone number stops before the time


def test_a_name_before_who_the_person_is(redactor: Redactor) -> None:
    redacted(
        redactor,
        "Now we sleep at the church compound. Mercy, the chairlady of our women's group, has "
        "the list. Faith, my neighbour, saw everything. We called Will, our driver, at once. "
        "Later, my brother came. Sunday, the pastor prayed with us. It may, the doctor said, "
        "hurt.\n",
        ["Mercy", "Faith", "Will"],
        ["Later, my brother came.", "Sunday, the pastor prayed", "It may, the doctor said"])


def test_spelled_names_corrected_numbers_campaigns_and_ages_with_units(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "Q: Can you spell her name?\nA: O-G-H-O-G-H-O.\n"
        "Q: Where did you live?\nA: On ul. Lenina 112 — no, sorry, 114. There were 3 — no, 4 "
        "men.\n"
        "2. Santosh Kumar alias \"Bablu\" (nephew), 16 yrs — same unit\n"
        "3/7 Anaknya, Neng Rina, 17 thn, ditarik by two men.\n"
        "AZ-04-07 — Client B (gay man, 31), hairdresser.\n"
        "#JusticeForPrincess #EndRapeLR #Liberia #SaveBabakanSari #SaveTheChildren "
        "#PrayForNepal\n",
        ["O-G-H-O-G-H-O", "Lenina", "112", "114", "Santosh", "Bablu", "16", "Neng Rina", "17",
         "31", "#JusticeForPrincess", "#SaveBabakanSari"],
        ["There were 3 — no, 4 men.", "(nephew), ", "Client B (gay man, ", "#EndRapeLR",
         "#Liberia", "#SaveTheChildren", "#PrayForNepal"])


def test_a_sheet_whose_header_holds_a_word_that_is_also_a_name(redactor: Redactor) -> None:
    # "Destino" is a first name too; two known columns make the row a header all the same
    redacted(
        redactor,
        "Nº | Nome | Idade | Morada | Destino\n"
        "0231 | Malam Baldé | 34 | Bairro de Cupelon, casa 5 | Bloco\n"
        "0232 | Aua Djaló | 27 | Bairro de Quelelé | Alta\n",
        ["Malam", "Baldé", "34", "Djaló", "27", "Cupelon", "Quelelé"],
        ["Nº | Nome | Idade | Morada | Destino"])
