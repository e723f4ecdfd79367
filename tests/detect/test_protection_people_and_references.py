"""Seventeenth round: a word that is a name as well as a word goes where the statement
says what the person is ("Hope is my cousin", "Will was the driver", "Rose, a teacher,
was detained"); a surname that only an old dictionary knows is a name inside a sentence;
an SMS thread's senders, references read out on a call, numbers given by their sign,
codes in brackets and a judgment's party by initials go; greetings in other languages,
interjections and sums of money stay.

Every statement here was written for these tests (none is from a development set or a
hunt corpus). Each test asserts what must go and what must stay.
"""

from __future__ import annotations

from test_protection import redacted

from redact import Redactor


def test_a_word_name_described_as_someone_goes(redactor: Redactor) -> None:
    redacted(
        redactor,
        "Hope is my cousin; they took her from the bus station. Will was the driver that "
        "night, and Rose, a teacher from the next street, was detained with him. Faith is "
        "also a nurse at the district clinic.\n",
        ["Hope", "Will", "Rose", "Faith"],
        ["is my cousin", "was the driver that night", "a teacher from the next street",
         "also a nurse at the district clinic"])


def test_a_description_in_lower_case_chat(redactor: Redactor) -> None:
    redacted(
        redactor,
        "[03.04.23, 20:11] m.k: hope is my cousin, she was taken too\n"
        "[03.04.23, 20:12] m.k: and grace was the nurse who saw his hands\n",
        ["hope", "grace"],
        ["is my cousin", "was the nurse who saw his hands"])


def test_words_that_describe_no_one_stay(redactor: Redactor) -> None:
    # a description of something, a day before a clause, the noun before a name: the
    # words stay; the cousin's name goes
    redacted(
        redactor,
        "Hope was the only thing my mother had left. Grace is a virtue, she used to say. "
        "Sunday, the pastor prayed with us. On Monday, the first day of Eid, my cousin "
        "Leyla called.\n",
        ["Leyla"],
        ["Hope was the only thing", "Sunday, the pastor prayed", "On Monday, the first day "
         "of Eid, my cousin"])


def test_a_capitalised_word_only_an_old_dictionary_knows_is_a_name(
        redactor: Redactor) -> None:
    # "yurt" is a surname and an entry of Webster's Second, not of a modern dictionary:
    # capitalised inside a sentence it names someone; modern words capitalised there stay
    redacted(
        redactor,
        "At the checkpoint they beat Yurt until he fainted. The guard told us to say "
        "nothing to the Commander.\n",
        ["Yurt"],
        ["At the checkpoint they beat", "until he fainted", "to say nothing to the "
         "Commander"])


def test_an_sms_threads_senders_go_in_any_case_greetings_and_sums_stay(
        redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "SMS thread (caseworker phone), exported 09/10/2023\n"
        "Marisol 22:41: mam nerissa its me Marisol from the shelter\n"
        "Nerissa (caseworker) 22:46: Okay Marisol. Where are you now?\n"
        "Marisol 22:53: agent take 4 lakh 50 thousand taka, salary 900 riyal not given\n"
        "Nerissa (caseworker) 22:58: Ok. Buenas noches, namaste, we call at 11pm\n",
        ["Marisol", "nerissa", "Nerissa"],
        ["Okay", "4 lakh 50 thousand taka", "salary 900 riyal not given", ": Ok. Buenas "
         "noches, namaste, we call"])
    assert "22:46" in out and "22:58" in out


def test_references_read_out_and_numbers_given_by_their_sign(redactor: Redactor) -> None:
    redacted(
        redactor,
        "Caller: they gave a ref, thirty-one slash zero four slash twenty-four.\n"
        "Volunteer: And the FIR?\n"
        "Caller: three-eight-seven of twenty-four, at the city station.\n"
        "Notes: interpreter no. 2846 (Dari); lawyer Inpreabogado N° 71.902; enumerator "
        "Nadia K. (code QTR-31).\n"
        "Folio SEMEFO: 24-0775\n"
        "We rented a room on street nineteen, near the market. Block two days later they "
        "came back.\n",
        ["thirty-one slash zero four slash twenty-four", "three-eight-seven of twenty-four",
         "2846", "71.902", "QTR-31", "24-0775", "street nineteen", "Nadia"],
        ["Block two days later they came back."])


def test_a_judgments_party_by_initials_and_a_birth_with_its_place(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "IN THE UPPER TRIBUNAL\n\nBetween\nRWQ\n(ANONYMITY ORDER MADE)\nAppellant\nand\n"
        "THE SECRETARY OF STATE FOR THE HOME DEPARTMENT\nRespondent\n\n"
        "Date and place of birth: 14.06.1996, Kandahar\n"
        "1. The appellant is a national of Afghanistan. #JusticiaParaWalid\n",
        ["RWQ", "14.06.1996", "Walid"],
        ["Between", "Appellant\nand", "The appellant is a national of Afghanistan."])


def test_a_date_in_another_language_stays_whatever_the_model_calls_it(
        redactor: Redactor) -> None:
    # the model reads "el 2 de febrero" as someone; it is the day she last saw him
    redacted(
        redactor,
        'The complaint, translated, reads: "On 17 de septiembre de 2023 agents took Ramón '
        'Pérez from the bus." His wife last saw him el 2 de febrero.\n',
        ["Ramón", "Pérez"],
        ["17 de septiembre de 2023", "last saw him el 2 de febrero."])


def test_initials_greeted_or_credited_and_a_names_particle_go(redactor: Redactor) -> None:
    redacted(
        redactor,
        "hey JT will you call the lawyer tomorrow? Hi OK thanks.\n"
        "Interview notes. Interviewed by ST, translated by: RK.\n"
        "We are proud of you, Miriam wad Tesfai.\n",
        ["JT", "ST", "RK", "Miriam", "wad", "Tesfai"],
        ["will you call the lawyer tomorrow? Hi OK thanks.", "Interview notes."])


def test_a_volunteers_group_chat(redactor: Redactor) -> None:
    # senders after a bare time, code names too; the group's name, a code word, a password,
    # a Reddit user, a place with a number; an English word after a time is a log's label
    redacted(
        redactor,
        'Signal group «Przystań 7 – noclegi», export 14.10\n'
        "20:41 Borsuk: new family at the station, 3 kids\n"
        "20:44 Wrona: take them to the flat in Zelenograd-2, key with the tailor, code word "
        "«kasztany»\n"
        "22:15 Arrival: the van came\n"
        'Reddit: u/shelter_pl_waw says the password is "zielona herbata"\n',
        ["Borsuk", "Wrona", "Przystań 7 – noclegi", "Zelenograd-2", "kasztany",
         "shelter_pl_waw", "zielona herbata"],
        ["22:15 Arrival: the van came", "new family at the station, 3 kids"])


def test_a_lower_case_transcript_with_names_as_labels(redactor: Redactor) -> None:
    redacted(
        redactor,
        "transcript, interview 9\n"
        "ana: it's recording now\n"
        "rosa elvira: okay. my son was taken in april\n"
        "ana: what is his name on the id\n"
        "rosa elvira: in the register it is abdukerim tokhtiniyaz, we call him kerim\n"
        "q: and then\n"
        "rosa elvira: Precious na my sister, she went to the office\n",
        ["rosa", "elvira", "abdukerim", "tokhtiniyaz", "Precious"],
        ["it's recording now", "my son was taken in april", "q: and then",
         "she went to the office"])


def test_a_register_with_nicknames_and_a_report_with_references(redactor: Redactor) -> None:
    # a sheet's nickname and neighbourhood columns; a report whose "ref." the model once
    # called a body, and whose allowed "Home Office" then made the final check refuse it
    redacted(
        redactor,
        "Folio\tNombre\tApodo\tEdad\tColonia\n"
        "HB-101\tRubén Darío Solís\tTito\t17\tCol. Los Naranjos\n"
        "HB-102\tMaría Inés Paredes\tla Flaca\t29\tCol. Santa Rosa\n",
        ["Rubén", "Solís", "Tito", "la Flaca", "Los Naranjos", "17"],
        ["Folio\tNombre\tApodo\tEdad\tColonia"])
    report = redactor.policy.extended(allow=["Home Office"], source="<test>")
    out = Redactor(report).redact(
        "Re: Mr D.F.   Home Office ref.: K2291847   Port ref.: LHR/22/0917\n"
        "Instructing solicitors: Hale & Moore, 12 Stoke Lane, Leeds (ref. JD/AK/4417)\n")
    assert "Home Office ref.:" in out.text and "K2291847" not in out.text


def test_a_memorial_notice_and_numbers_a_voice_note_reads_out(redactor: Redactor) -> None:
    redacted(
        redactor,
        "CELEBRATING THE LIFE OF\nJoseph Otieno Ouma\n"
        "Sunrise: 2nd May 1998 – Sunset: 25th June 2024\n"
        "his details for the list: name, birth 03.07.1985, the guard's service number ended "
        "in 5190 and his gafete número 3318. he is from Kabul district nine, they call the "
        "settlement camp zero one seven\n",
        ["Joseph", "Otieno", "2nd May 1998", "03.07.1985", "5190", "3318", "district nine",
         "camp zero one seven"],
        ["CELEBRATING THE LIFE OF", "Sunset: 25th June 2024", "Kabul"])


def test_a_described_person_is_replaced_as_a_person(redactor: Redactor) -> None:
    # the model calls "Grace" a body and "Jordan" a country; the statement says who they are
    out = redacted(
        redactor,
        "Grace was a nurse at the clinic. Jordan was my neighbour in the camp. We fled to "
        "Jordan in 2013.\n",
        ["Grace"],
        ["was a nurse at the clinic", "was my neighbour in the camp", "We fled to Jordan"])
    assert "[ORGANIZATION]" not in out and out.startswith("Person ")
    assert not out.split(". ")[1].startswith("Jordan")
