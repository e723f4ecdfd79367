"""Pseudonym labels without a model: the in-memory index, the log lines of a case's index,
and the case index itself in a temporary folder (no case, no spaCy)."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from redact.case import CasePseudonymIndex, apply_index_lines
from redact.errors import CaseError
from redact.pseudonyms import PseudonymIndex, label_suffix, normalize_form

P = "PERSON"


def person(index: PseudonymIndex, name: str) -> str:
    """The label of a person named ``name`` (its words are the name's parts)."""
    words = name.split()
    return index.label_for(P, "Person", [name], words if len(words) > 1 else [])


def test_label_suffixes_count_like_spreadsheet_columns() -> None:
    assert [label_suffix(n) for n in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]


def test_normalize_form_ignores_case_width_possessive_and_spaces() -> None:
    assert normalize_form("  Ruslan   IBRAGIMOV’s") == "ruslan ibragimov"
    assert normalize_form("Ｒuslan") == "ruslan"


def test_new_labels_skip_those_to_avoid_known_ones_stay() -> None:
    idx = PseudonymIndex()
    assert person(idx, "Aslan Dzhabrailov") == "Person A"
    written = {"Person A", "Person B", "Person D"}
    assert idx.label_for(P, "Person", ["Islam Bakaev"], ["Islam", "Bakaev"],
                         avoid=written) == "Person C"
    assert idx.label_for(P, "Person", ["Kheda Musaeva"], ["Kheda", "Musaeva"],
                         avoid=written) == "Person E"
    # a person the index knows keeps the label, whatever the statement writes
    assert idx.label_for(P, "Person", ["Aslan Dzhabrailov"], avoid=written) == "Person A"
    assert person(idx, "Umar Tsechoev") == "Person F"  # the skipped ones are spent


def test_labels_in_order_and_per_prefix() -> None:
    idx = PseudonymIndex()
    got = [person(idx, f"Name{n} Surname{n}") for n in range(28)]
    assert got[:3] == ["Person A", "Person B", "Person C"]
    assert got[25:] == ["Person Z", "Person AA", "Person AB"]
    assert idx.label_for("LOCATION", "Place", ["Grozny"]) == "Place A"
    assert len(idx) == 29
    assert idx.labels()[:2] == ["Person A", "Person B"]
    assert idx.labels()[-1] == "Place A"


def test_the_same_name_in_other_spellings_keeps_its_label() -> None:
    idx = PseudonymIndex()
    a = person(idx, "Ruslan Ibragimov")
    assert person(idx, "RUSLAN  ibragimov") == a
    assert person(idx, "Ruslan Ibragimov's") == a
    assert person(idx, "Aslan Dudayev") == "Person B"


def test_a_lone_first_name_joins_the_full_name_known_before() -> None:
    idx = PseudonymIndex()
    a = person(idx, "Ruslan Ibragimov")
    assert idx.link_kind(P, ["Ruslan"]) == "part"
    assert person(idx, "Ruslan") == a
    assert person(idx, "Ibragimov") == a
    assert idx.link_kind(P, ["Ruslan Ibragimov"]) == "full"
    assert idx.link_kind(P, ["Zelimkhan"]) == "new"


def test_a_full_name_joins_the_lone_name_known_before_unless_it_has_one() -> None:
    idx = PseudonymIndex()
    k = person(idx, "Kheda")
    assert idx.link_kind(P, ["Kheda Bakaeva"], ["Kheda", "Bakaeva"]) == "solo"
    assert person(idx, "Kheda Bakaeva") == k  # "Kheda", then her full name
    # Kheda is now someone with a full name: another Kheda is someone else.
    assert person(idx, "Kheda Umarova") != k
    assert person(idx, "Kheda") == k


def test_lookup_learn_and_filed() -> None:
    idx = PseudonymIndex()
    a = person(idx, "Ruslan Ibragimov")
    assert idx.lookup(P, "ruslan ibragimov") == a
    assert idx.lookup(P, "Ruslan") == a  # a part
    assert idx.lookup(P, "Nobody") is None
    assert idx.lookup("LOCATION", "Ruslan") is None  # keys are per entity
    full_key = idx.key(P, "ruslan ibragimov")
    assert idx.filed(full_key) == [("full", a)]
    assert idx.filed(idx.key(P, "ruslan")) == [("part", a)]
    # learn: a known key keeps its label; an unknown kind is a part; counters only grow.
    idx.learn("full", full_key, "Person Q")
    assert idx.lookup(P, "Ruslan Ibragimov") == a
    idx.learn("solo", "k-solo", "Person C")
    idx.learn("odd", "k-part", "Person C")
    assert idx.filed("k-solo") == [("solo", "Person C")]
    assert idx.filed("k-part") == [("part", "Person C")]
    idx.learn_count("Person", 2)
    idx.learn_count("Person", 0)
    assert person(idx, "Aslan Dudayev") == "Person D"


def test_seeded_copy_starts_from_the_tables_and_writes_nowhere() -> None:
    idx = PseudonymIndex()
    person(idx, "Ruslan Ibragimov")
    copy = PseudonymIndex.seeded(idx.label_tables(), idx.key)
    assert person(copy, "Ruslan") == "Person A"
    assert person(copy, "Aslan Dudayev") == "Person B"
    assert len(idx) == 1


def test_apply_index_lines() -> None:
    idx, named = PseudonymIndex(), set()
    lines = [{"new": "Person", "n": 0}, {"k": "k1", "kind": "full", "label": "Person A"},
             {"k": "k2", "kind": "part", "label": "Person A"}, {"named": "k1"},
             {"new": "Person", "n": 1}, {"k": "k1", "kind": "full", "label": "Person B"}]
    data = b"".join(json.dumps(x).encode() + b"\n" for x in lines) + b"\n"
    apply_index_lines(data, idx, named)
    assert idx.filed("k1") == [("full", "Person A")]  # the first label stays
    assert named == {"k1"}
    assert len(idx) == 2
    for bad in (b"{not json}\n", b'{"k": "x"}\n', b'{"new": "Person", "n": "x"}\n'):
        with pytest.raises((ValueError, KeyError, TypeError)):
            apply_index_lines(bad, PseudonymIndex())


# ---- the case index, in a temporary folder ---------------------------------------------------


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "pseudonyms").mkdir()
    (tmp_path / "pseudonyms" / "index.jsonl").write_bytes(b"")
    return tmp_path


KEY = secrets.token_bytes(32)


def test_case_index_keeps_no_name_and_reopens_with_the_same_labels(folder: Path) -> None:
    idx = CasePseudonymIndex(folder, KEY)
    a = person(idx, "Ruslan Ibragimov")
    b = person(idx, "Aslan Dudayev")
    assert (a, b) == ("Person A", "Person B")
    assert person(idx, "Ruslan") == a
    log = (folder / "pseudonyms" / "index.jsonl").read_bytes()
    assert b"ruslan" not in log.lower() and b"aslan" not in log.lower()
    assert all(json.loads(line) for line in log.splitlines())
    path, offset = idx.log_position()
    assert path == folder / "pseudonyms" / "index.jsonl" and offset == len(log)
    assert idx.lock_fd is not None
    idx.close()
    assert idx.lock_fd is None

    again = CasePseudonymIndex(folder, KEY)
    assert len(again) == 2 and again.labels() == ["Person A", "Person B"]
    assert again.lookup(P, "Aslan Dudayev") == b
    assert person(again, "Ibragimov") == a
    assert person(again, "Zelimkhan Yandarbiyev") == "Person C"
    again.close()
    # Another key is another case: nothing known.
    other = CasePseudonymIndex(folder, secrets.token_bytes(32))
    assert other.lookup(P, "Ruslan Ibragimov") is None
    other.close()


def test_two_indexes_on_one_folder_agree(folder: Path) -> None:
    first, second = CasePseudonymIndex(folder, KEY), CasePseudonymIndex(folder, KEY)
    assert person(first, "Ruslan Ibragimov") == "Person A"
    assert person(second, "Aslan Dudayev") == "Person B"  # reads first's lines first
    assert person(second, "Ruslan") == "Person A"
    assert first.lookup(P, "Aslan Dudayev") == "Person B"
    first.close()
    second.close()


def test_new_names_are_handed_over_once_and_marked_named(folder: Path) -> None:
    idx = CasePseudonymIndex(folder, KEY)
    person(idx, "Ruslan Ibragimov")
    names = idx.take_new_names()
    assert [(n["label"], n["entity"], n["forms"]) for n in names] == \
        [("Person A", P, ["ruslan ibragimov"])]
    assert sorted(names[0]["parts"]) == ["ibragimov", "ruslan"]
    assert idx.take_new_names() == []
    idx.give_back_names(names)  # a failed seal: the next flush retries
    assert idx.take_new_names() == names
    idx.mark_named(k for n in names for k in n["keys"])
    log = (folder / "pseudonyms" / "index.jsonl").read_text()
    assert log.count('"named"') == 3
    idx.close()
    # Reopened, the named keys are known: a known name queues nothing to seal again.
    again = CasePseudonymIndex(folder, KEY)
    person(again, "Ruslan Ibragimov")
    assert again.take_new_names() == []
    again.close()


def test_unsealed_names_of_known_keys_are_queued_again(folder: Path) -> None:
    idx = CasePseudonymIndex(folder, KEY)
    person(idx, "Ruslan Ibragimov")
    idx.take_new_names()  # lost: never sealed, never marked
    idx.close()
    again = CasePseudonymIndex(folder, KEY)
    assert person(again, "Ruslan Ibragimov") == "Person A"
    names = again.take_new_names()
    assert [n["label"] for n in names] == ["Person A"]
    assert "ruslan ibragimov" in names[0]["forms"]
    again.close()


def test_a_damaged_index_is_refused(folder: Path) -> None:
    (folder / "pseudonyms" / "index.jsonl").write_bytes(b'{"k": "x", "kind": "full"}\n')
    with pytest.raises(CaseError, match="is damaged"):
        CasePseudonymIndex(folder, KEY)


def test_a_partial_last_line_is_cut_off(folder: Path) -> None:
    idx = CasePseudonymIndex(folder, KEY)
    person(idx, "Ruslan Ibragimov")
    idx.close()
    log = folder / "pseudonyms" / "index.jsonl"
    whole = log.read_bytes()
    log.write_bytes(whole + b'{"new": "Pers')  # a writer killed mid-line
    again = CasePseudonymIndex(folder, KEY)
    assert log.read_bytes() == whole
    assert person(again, "Aslan Dudayev") == "Person B"
    again.close()


def test_the_pseudonym_key_must_be_32_bytes(folder: Path) -> None:
    with pytest.raises(ValueError):
        CasePseudonymIndex(folder, b"short")


def test_labels_that_read_as_titles_are_skipped() -> None:
    from redact.pseudonyms import SKIPPED_SUFFIXES, PseudonymIndex, label_suffix

    index = PseudonymIndex()
    labels = [index.label_for("PERSON", "Person", [f"name {i}"]) for i in range(26 * 26)]
    suffixes = {lab.split()[1] for lab in labels}
    assert not suffixes & SKIPPED_SUFFIXES
    assert {"MX", "DR", "MR", "MS"} <= SKIPPED_SUFFIXES
    assert len(set(labels)) == len(labels)
    assert labels[:3] == ["Person A", "Person B", "Person C"]
    assert label_suffix(26 + 12 * 26 + 23) == "MX"
    assert label_suffix(26 + 12 * 26 + 24) in suffixes  # "MY" follows "MW"
