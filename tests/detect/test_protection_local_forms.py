"""Protection in the local forms statements use: villages, wards and quarters by their
local names, plates of more countries, ages given in turn, forms pasted as rows, scans.

Every statement here was written for these tests (none is from a development set or a
hunt corpus). Each test asserts what must go and what must stay.
"""

from __future__ import annotations

from test_protection import redacted

from redact import Redactor


def test_an_initial_with_a_spaced_full_stop_goes_with_its_name(redactor: Redactor) -> None:
    # an OCR'd signature and a token list write "J . cole": the initial is the name's
    out = redacted(
        redactor,
        "Yours faithfully ,\nM . kowalczyk\n(signed on behalf of the family)\n"
        "we met j . cole at the gate , then plan B . nothing else .\n",
        ["kowalczyk", "M", "cole"],
        ["Yours faithfully", "signed on behalf of the family", "plan B . nothing else"])
    assert "M ." not in out


def test_villages_wards_and_quarters_by_their_local_names(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Q: Where does your family live now?\n"
        "A: My mother stays in Purok 4, Barangay Dumlog, with my aunt. Before, we rented in "
        "Sitio Lantawan. My husband's people are in Mtaa wa Kanisa, and his brother moved to "
        "Kebele 05 of Woreda Tselemti. The lawyer lives at 27 Ambedkar Nagar, near Ghanta "
        "Chowk. My cousin writes from Kampung Sungai Lalang, RT 03/RW 05.\n"
        "The village 20 km away burned; the village 3 families left.\n",
        ["Dumlog", "Lantawan", "Kanisa", "05", "Tselemti", "27", "Ambedkar", "Ghanta",
         "Sungai Lalang", "RT 03", "RW 05"],
        ["My mother stays in Purok", "Mtaa wa", "The village 20 km away burned; the village 3 "
         "families left."])
    assert "Purok 4" not in out and "[LOCATION]" in out


def test_ages_given_in_turn_and_plates_of_more_countries(redactor: Redactor) -> None:
    redacted(
        redactor,
        "The two others, the brothers Dario and Renz Cabiling, 22 and 24, were caught.\n"
        "They stopped his car 7731 AB-7 at the exit. The taxi KJA 518 XY waited outside.\n"
        "We took the bus at 10 AM and waited 22 and 24 minutes. A grey Lada followed us.\n",
        ["Dario", "Renz", "Cabiling", "22 and 24, were", "7731 AB-7", "KJA 518 XY"],
        ["We took the bus at 10 AM and waited 22 and 24 minutes.", "A grey Lada followed us"])


def test_ages_with_hedges_asides_and_other_languages(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "I saw a boy, maybe 16, and Kwabena Mensah, about 40, near the gate. Jacinta (surname "
        "unknown, approx. 35) was with us, and Mirela (surname unknown), approx. 29, came "
        "later.\n"
        "My children Tomás (then 11) and Inés (then 8) stayed. Kids (4 and 7) asleep.\n"
        "she looks maybe 17, no coat. he's like 70 and sells corn. Nico is only 15 😭\n"
        "Nama saya Agus Salim, umur 47. Sou a Marta Ribeiro, tenho 33 anos. Edad: 21 años. "
        "Né en 1996 (26 ans). se llevaron a Brayan, 19 añitos.\n"
        "He looks 20 years younger. We waited 3 years, 4 of us. We left 5 years ago.\n",
        ["16", "Kwabena", "40", "35", "29", "11", "8", "4 and 7", "17", "70", "15", "47", "33",
         "21", "26", "19"],
        ["He looks 20 years younger. We waited 3 years, 4 of us. We left 5 years ago."])
    assert out.count("[AGE]") >= 15


def test_births_in_other_languages_and_calendars(redactor: Redactor) -> None:
    redacted(
        redactor,
        "Date de naissance : 14/02/1993\nFecha de nacimiento: 02/07/1988\n"
        "Nació el 12/12/2001 en el hospital. Examinada: DN 05/05/2005, RG 12.345.678-9.\n"
        "Tanggal lahir: 17-08-1979. He was born uh 3rd march 2001 and she was born 1360 / "
        "1981. Our father (b. 1949) stayed.\n",
        ["14/02/1993", "02/07/1988", "12/12/2001", "05/05/2005", "17-08-1979", "3rd march 2001",
         "1360", "1981", "1949"],
        ["Date de naissance", "Our father (b."])


def test_references_plates_and_units_of_more_countries(redactor: Redactor) -> None:
    redacted(
        redactor,
        "I made the complaint at the station, BO nº 2291/2022, and the boletim is 7714/2023.\n"
        "With reference to your letter No. 5512 dated 2 May, we examined him.\n"
        "He drove me in his Niva, number 7731 AB-7; her bike, a red Bajaj Boxer UGX 512M, and "
        "a white Seat León 9921 KLM stayed outside.\n"
        "Address: Stand 2219, Budiriro, Harare. Others live at 5 Mdoda Rd, Section F, Umlazi; "
        "in Baghdad, mahalla 512, zuqaq 9, dar 31; at Travessa do Sol, nº 88, casa 2; "
        "at Calle 44 # 12B-30, interior 402.\n"
        "Under Section 12 of the Act, I could not stand 1000 more days. In 2019 the staff "
        "came.\n",
        ["2291/2022", "7714/2023", "5512", "7731 AB-7", "UGX 512M", "9921 KLM", "2219",
         "Section F", "512", "zuqaq 9", "dar 31", "nº 88", "interior 402", "12B-30"],
        ["Under Section 12 of the Act, I could not stand 1000 more days. In 2019 the staff "
         "came.", "With reference to your letter No."])


def test_scans_read_with_letters_for_digits(redactor: Redactor) -> None:
    # OCR reads "1" as "l" and "0" as "O" inside numbers: the age, the house number, the
    # phone and the postcode go all the same
    redacted(
        redactor,
        "l. I am an adult female aged 3l years, residing at l2 Mfundisi Rd, Section B, "
        "KwaMashu. My cell number is O73 5l2 9904.\n"
        "2. I now live at l9O Alder Ave, Apt 3, Fresno, CA 937O4.\n",
        ["3l", "l2 Mfundisi", "O73 5l2 9904", "l9O Alder", "937O4"],
        ["l. I am an adult female aged", "I now live at"])


def test_a_nickname_one_introduced_himself_with_and_a_hashtag_holding_a_name(
        redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "The main one introduced himself only as \"the Doctor\". Another went by \"Scorpion\".\n"
        "MISSING #BringNokuthulaHome\nNokuthula Dlamini, 19, was last seen on Friday. "
        "#StopTheViolence\n",
        ["the Doctor", "Scorpion", "#BringNokuthulaHome", "Nokuthula", "19"],
        ["#StopTheViolence", "introduced himself only as"])
    assert "Another went by" in out


def test_family_lists_reports_and_scanned_registers(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "People:\n- Shwan, father, 44 (Iraqi passport B55102297)\n"
        "- Nasrin, mother, 38, pregnant\n- Dara (11), baby Lana (7 months)\n"
        "Patient: Memory Tendai Chikore   DOB: 02 May 1991 (28 yrs)\n"
        "Precious testified that the men came at night. Blessing reports that she was hit.\n"
        "He was jailed in 2015 (5 years) and released.\n"
        "Incoming No. l7-2/58l3   Date: O4.O5.2O2l\n"
        "He was born in Qusayr on O3/O9/l987. Je soussignée, résidant au n° 22 de la rue "
        "Kasa-Vubu, déclare.\n",
        ["Shwan", "44", "Nasrin", "38", "Dara", "11", "Lana", "7 months", "Memory", "Tendai",
         "28", "Precious", "Blessing", "l7-2/58l3", "Qusayr", "O3/O9/l987", "n° 22",
         "Kasa-Vubu"],
        ["He was jailed in 2015 (5 years) and released.", "testified that the men came",
         "Date: O4.O5.2O2l"])
    assert "Person" in out.split("\n")[4]  # "Memory [Tendai Chikore]" is one person


def test_ages_and_births_in_more_languages_and_read_out_numbers(redactor: Redactor) -> None:
    redacted(
        redactor,
        "[21:40] Baba: Goftam Arash Karimi, 23 salesh-e, daneshjoo.\n"
        "[21:41] Imran: Form me likha: Javed Iqbal, 31 saal, driver. Bilal sirf 16 saal ka hai.\n"
        "[21:42] Sita: Ramesh 24 barsa ko thiyo.\n"
        "[21:43] Um Ali: Khaled Saeed, mawalid 1979. Tavallod 1369/02/11.\n"
        "Profil : « Amine_TN — 29 ans — discret »\n— Derya (@derya_mavi), 22\n"
        "In dem Verfahren der Frau Mina RAHIMI, geb. am 04.09.1997, wohnhaft in Berlin.\n"
        "Dotyczy: Pawła N. (ur. 1995), os. Słoneczne 4/12, 05-300 Mińsk Mazowiecki.\n"
        "V: His number?\nC: The number is zero seven one two, five five three — sorry — five "
        "five three, two two one.\nV: And his date of birth?\nC: The ninth of May... ninth of "
        "May, 1990.\n"
        "Mr Will, thank you. His boys Dawit (9 year) and Yonas (6 year) are with me.\n"
        "I counted one two three and ran. It took one or two days.\n",
        ["Arash", "23", "Javed", "31", "16", "Ramesh", "24", "Khaled", "1979", "1369/02/11",
         "29", "Derya", "22", "Mina", "04.09.1997", "1995", "Słoneczne", "05-300",
         "zero seven one two", "two two one", "ninth of May, 1990", "Will", "9 year",
         "6 year"],
        ["I counted one two three and ran. It took one or two days.", "Berlin"])


def test_a_sheet_of_another_language_under_a_markdown_rule(redactor: Redactor) -> None:
    redacted(
        redactor,
        "| No. | Nombre | Edad | Dirección | Captura | Centro penal | Notas |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 3 | Wilber Antonio Cruz | 23 | colonia El Milagro, pasaje 2, casa 9 | 04/04/2022 "
        "| Izalco | his mother sells food |\n"
        "ref\tname\thkid\tage\taddress\tnotes\n"
        "HK-0901\tJoyce LAM Wing-sze\tZ551203(7)\t19\tFlat 3, 12/F, Block C, Kwai Fong Estate"
        "\tstudent\n"
        "| # | Name | Sex, age | Kebele / woreda | Notes |\n|---|---|---|---|---|\n"
        "| 4 | Gidey Hailu | M, 37 | Mai Kadra kebele | shop owner |\n",
        ["Wilber", "23", "El Milagro", "Joyce", "19", "Kwai Fong", "Gidey", "37", "Mai Kadra"],
        ["| No. | Nombre | Edad | Dirección | Captura | Centro penal | Notas |",
         "| # | Name | Sex, age | Kebele / woreda | Notes |", "his mother sells food"])


def test_births_ages_and_plates_in_scans_and_other_languages(redactor: Redactor) -> None:
    redacted(
        redactor,
        "I write to you about my s0n Rustem Aliev, b0rn l2.O4.1991, who was taken.\n"
        "Nom: KABONGO Grâce - née à Kinshasa le 14/06/1994 - fille de Kabongo Paul.\n"
        "07:33 Dona Lúcia: Caio Ferreira, nascido 05/10/2004.\n"
        "Ola (31 lat) lost her job. | FP-0913 | Ríos, Yusmary | 26 años | calle 4 |\n"
        "I am now 7l years and my health is weak. Behind it was a grey minivan 5521 BX-7.\n"
        "Plan B block party stays; the bulldozer came to D block, galli no. 6.\n",
        ["Rustem", "l2.O4.1991", "14/06/1994", "Caio", "05/10/2004", "31", "26", "7l",
         "5521 BX-7", "D block"],
        ["Plan B block party stays", "I am now", "years and my health is weak", "Kinshasa"])
