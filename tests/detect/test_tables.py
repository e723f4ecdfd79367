"""Tables pasted into a statement: the header names each column, every cell takes its
meaning (redact/detect/tables.py). Each log here was written for these tests."""

from __future__ import annotations

from test_protection import redacted

from redact import Redactor
from redact.detect.tables import column_entity, table_cells, table_headers


def test_columns_known_by_their_header() -> None:
    assert column_entity("age") == "AGE"
    assert column_entity(" Victim ") == "PERSON"
    assert column_entity("city/village") == "ADDRESS"
    assert column_entity("date of birth") == "DATE_OF_BIRTH"
    assert column_entity("full name") == "PERSON"
    assert column_entity("notes") is None
    assert column_entity("phone") is None


def test_pipe_rows_under_a_header_and_the_end_of_the_table() -> None:
    text = ("ID | date | name | age | location | notes\n"
            "---|---|---|---|---|---\n"
            "K-1 | 2024-03-11 | Ivan Lysak | 54 | Pisky, vul. Lisova 3 | taken at night\n"
            "K-2 | 2024-03-12 | n/a | 40s | unknown | no news\n"
            "Total: 2 | of 12 | checked\n")
    cells = [(text[a:b], e) for a, b, e in table_cells(text)]
    assert cells == [("Ivan Lysak", "PERSON"), ("54", "AGE"), ("Pisky, vul. Lisova 3", "ADDRESS"),
                     ("40s", "AGE")]
    assert [text[a:b] for a, b in table_headers(text)] == [text.split("\n")[0]]


def test_comma_rows_keep_the_commas_of_quoted_cells() -> None:
    text = ('folio,fecha,nombre,edad,origen,notas\n'
            'ALB-9,14/11/2023,Yessenia Orellana,27,"Aldea El Paraiso, Copan","with daughter, 6"\n')
    assert [(text[a:b], e) for a, b, e in table_cells(text)] == [
        ("Yessenia Orellana", "PERSON"), ("27", "AGE")]
    assert list(table_cells("We met at 5, 6, 7 and 8 o'clock, then left.")) == []
    assert list(table_cells("Name, age, place, time: all fine, thanks.\nIt was 12, 14, 19.")) \
        == []


def test_a_detainee_tracker_pasted_into_a_report(redactor: Redactor) -> None:
    out = redacted(
        redactor,
        "Tracker (internal)\n"
        "# | date arrested | name | age | city/village | held at | notes\n"
        "1 | 21.09.2022 | Shilan Karimi | 17 | Divandarreh, alley 9 | unknown | student\n"
        "2 | 22.09.2022 | Kaveh Moradi | 29 | village Qalatan | police HQ | n/a\n"
        "The ages were checked twice.\n",
        ["Shilan", "Karimi", "17", "Kaveh", "29", "Divandarreh", "Qalatan"],
        ["# | date arrested | name | age | city/village | held at | notes", "21.09.2022",
         "student", "| n/a", "The ages were checked twice."])
    assert out.count("[AGE]") == 2


def test_a_spreadsheet_header_stays_and_slash_abbreviations_are_words(
        redactor: Redactor) -> None:
    redacted(
        redactor,
        "case_id,intake_date,name,sex,age,camp/block,FCN,phone,notes\n"
        "RHG-1,2023-08-02,Noor Hakim,F,16,Camp 15 / Block C-4,FCN 165412,n/a,c/o uncle\n",
        ["Noor", "Hakim", "16", "165412"],
        ["case_id,intake_date,name,sex,age,camp/block,FCN,phone,notes", "n/a,c/o uncle"])


def test_a_header_ending_in_village_names_no_place_on_the_next_line(
        redactor: Redactor) -> None:
    out = redacted(redactor, "name | age | village\nAmina Yusuf | 29 | Kurchaloy\n",
                   ["Amina", "Yusuf", "29", "Kurchaloy"], ["name | age | village"])
    assert "[LOCATION]" not in out.split("\n")[1].split("|")[0]  # she is no place


def test_a_form_of_labels_and_values_keeps_its_labels(redactor: Redactor) -> None:
    # a form pasted as "| label | value | label | value |" rows: every value takes its
    # label's meaning; the labels ("Phone", "Status") are no one
    text = ("| Name | Lwazi Dube | Village | Mabaleni |\n"
            "| Age | 29 | Phone | 072 555 0143 |\n"
            "| Notes | taken from the taxi rank at 5 | Status | missing |\n"
            "Name\tThandeka Dube\nDate of birth\t04/05/1990\n")
    cells = [(text[a:b], e) for a, b, e in table_cells(text)]
    assert cells == [("Lwazi Dube", "PERSON"), ("Mabaleni", "ADDRESS"), ("29", "AGE"),
                     ("Thandeka Dube", "PERSON"), ("04/05/1990", "DATE_OF_BIRTH")]
    assert [text[a:b] for a, b in table_headers(text)] == [
        "Name", "Village", "Age", "Phone", "Notes", "Status", "Name", "Date of birth"]
    out = redacted(redactor, text, ["Lwazi", "Dube", "Mabaleni", "29", "072 555 0143",
                                    "Thandeka", "04/05/1990"],
                   ["| Name |", "| Village |", "| Age |", "| Phone |", "| Status | missing |",
                    "taken from the taxi rank at 5", "Date of birth\t"])
    assert "[AGE]" in out
    # a table's header of labels alone is still a header, not a form's row
    table = "| Name | Age | Village | Phone |\n| Musa Idris | 41 | Gwoza | 0803 111 2222 |\n"
    assert [(table[a:b], e) for a, b, e in table_cells(table)] == [
        ("Musa Idris", "PERSON"), ("41", "AGE"), ("Gwoza", "ADDRESS")]
