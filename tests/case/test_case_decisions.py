"""An editor's review decisions remembered in a case (``keys/review-decisions.sealed``):
sealed round trip, wrong key or another case refused, merging two reviews, no name in
the clear, the case's policy fingerprint untouched, and the preview pseudonym index
writing nothing. Model-free: real crypto, scrypt at a low work factor."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from redact import Case
from redact import seal as S
from redact.case import ReviewDecisions
from redact.case.decisions import (
    DECISIONS,
    decisions_key,
    merge_decisions,
    read_decisions,
    write_decisions,
)
from redact.errors import CaseError, CaseLockedError
from redact.policy import AllowEntry, DenyEntry

PASS = "correct horse battery staple"
NAMES = ("Sparrowhawk Umarov", "Kvartirova", "Ramzan Kadyrov")


@pytest.fixture(scope="module")
def identity() -> S.HybridIdentity:
    return S.HybridIdentity.generate()


def _case(path: Path, identity: S.HybridIdentity) -> Case:
    return Case.init(path, [identity.recipient], passphrase=PASS, work_factor=10)


def _decisions() -> ReviewDecisions:
    return ReviewDecisions(allow=(AllowEntry(text="Ramzan Kadyrov"),),
                           deny=(DenyEntry(text="Sparrowhawk Umarov"),
                                 DenyEntry(text="Kvartirova", entity="PERSON")))


def test_round_trip_sealed_and_outside_the_fingerprint(tmp_path: Path,
                                                       identity: S.HybridIdentity) -> None:
    case = _case(tmp_path / "case", identity)
    before = (case.path / "case.json").read_bytes(), (case.path / "policy.yaml").read_bytes()
    assert case.review_decisions() == ReviewDecisions()
    saved = case.save_review_decisions(_decisions())
    assert saved == _decisions()
    blob = (case.path / DECISIONS).read_bytes()
    for name in NAMES:
        for form in (name, name.lower(), name.upper(), name.split()[-1]):
            assert form.encode() not in blob and form.encode("utf-16-le") not in blob
    assert json.loads(blob)["case_id"] == case.case_id
    # case.json and policy.yaml untouched: the policy's fingerprint is the same
    assert ((case.path / "case.json").read_bytes(), (case.path / "policy.yaml").read_bytes()
            ) == before
    assert case.policy.sha256() == case.policy_sha256
    assert (case.path / DECISIONS).stat().st_mode & 0o777 == 0o600

    again = Case.open(case.path)
    with pytest.raises(CaseLockedError):
        again.review_decisions()
    again.unlock(passphrase=PASS)
    assert again.review_decisions() == _decisions()
    other = Case.open(case.path)
    other.unlock(identities=[identity])
    assert other.review_decisions() == _decisions()


def test_wrong_key_damage_and_another_case_are_refused(tmp_path: Path,
                                                       identity: S.HybridIdentity) -> None:
    case = _case(tmp_path / "case", identity)
    case.save_review_decisions(_decisions())
    with pytest.raises(CaseError, match="does not open"):
        read_decisions(case.path, decisions_key(b"\0" * 32), case.case_id)
    # the key is not the policy lists' key (its own label)
    with pytest.raises(CaseError, match="does not open"):
        read_decisions(case.path, case.lists_key(), case.case_id)
    # a flipped byte in the box
    path = case.path / DECISIONS
    doc = json.loads(path.read_bytes())
    good = dict(doc)
    box = bytearray(base64.b64decode(doc["sealed"]))
    box[3] ^= 1
    doc["sealed"] = base64.b64encode(bytes(box)).decode()
    path.write_text(json.dumps(doc))
    with pytest.raises(CaseError, match="damaged"):
        case.review_decisions()
    path.write_text(json.dumps(good))
    assert case.review_decisions() == _decisions()
    # the file of another case does not open here, even with the same key material
    other = _case(tmp_path / "other", identity)
    (other.path / DECISIONS).write_bytes(path.read_bytes())
    with pytest.raises(CaseError):
        other.review_decisions()


def test_two_reviews_merge_their_changes(tmp_path: Path, identity: S.HybridIdentity) -> None:
    case = _case(tmp_path / "case", identity)
    case.save_review_decisions(_decisions())
    base = case.review_decisions()
    # review 1 takes back Kvartirova and adds Sasha; review 2 (same base) adds Ruslan
    one = ReviewDecisions(base.allow, (base.deny[0], DenyEntry(text="Sasha")))
    two = ReviewDecisions(base.allow, (*base.deny, DenyEntry(text="Ruslan")))
    case.save_review_decisions(one, base=base)
    saved = case.save_review_decisions(two, base=base)
    assert [d.text for d in saved.deny] == ["Sparrowhawk Umarov", "Sasha", "Ruslan"]
    assert case.review_decisions() == saved
    # without a base: replace
    assert case.save_review_decisions(ReviewDecisions()) == ReviewDecisions()
    assert not case.review_decisions()


def test_entries_are_unique_and_merge_is_pure() -> None:
    d = ReviewDecisions(allow=(AllowEntry(text="Ramzan  Kadyrov"),
                               AllowEntry(text="ramzan kadyrov")),
                        deny=(DenyEntry(text="Sasha"), DenyEntry(text="sasha"),
                              DenyEntry(text="Sasha", entity="NICKNAME")))
    assert len(d.allow) == 1 and len(d.deny) == 2
    assert ReviewDecisions.from_dict(d.to_dict()) == d
    assert merge_decisions(d, ReviewDecisions(), None) == ReviewDecisions()
    assert merge_decisions(ReviewDecisions(), d, ReviewDecisions()) == d
    with pytest.raises(ValueError):
        ReviewDecisions.from_dict({"allow": "x", "deny": []})


def test_write_needs_the_case_id_it_was_sealed_for(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir()
    key = decisions_key(b"k" * 32)
    write_decisions(tmp_path, key, "a" * 32, _decisions())
    assert read_decisions(tmp_path, key, "a" * 32) == _decisions()
    with pytest.raises(CaseError):
        read_decisions(tmp_path, key, "b" * 32)


def test_preview_index_gives_case_labels_and_writes_nothing(tmp_path: Path,
                                                            identity: S.HybridIdentity) -> None:
    case = _case(tmp_path / "case", identity)
    index = case.pseudonyms
    assert index.label_for("PERSON", "Person", ["islam bakaev"], ["islam", "bakaev"]) == \
        "Person A"
    on_disk = (case.path / "pseudonyms" / "index.jsonl").read_bytes()
    preview = index.preview()
    assert preview.label_for("PERSON", "Person", ["bakaev"]) == "Person A"
    assert preview.label_for("PERSON", "Person", ["ruslan"]) == "Person B"
    assert (case.path / "pseudonyms" / "index.jsonl").read_bytes() == on_disk
    assert index.lookup("PERSON", "ruslan") is None
    assert index.take_new_names() and not index.take_new_names()
    # a new preview starts again from what is on disk
    assert index.preview().label_for("PERSON", "Person", ["sasha"]) == "Person B"
