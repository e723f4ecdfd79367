"""Case folders: no secret in the clear, case-wide pseudonyms, reveal, tamper, rotation, faults.

Real crypto (age files, ML-KEM hybrid keys, scrypt at a low work factor for
speed) and the real spaCy model (loaded once per session via conftest).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import stat
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest
import yaml

from redact import Case, Policy, Redactor
from redact import seal as S
from redact.errors import (
    AgeError,
    AgeNoMatchError,
    AgePayloadError,
    CaseError,
    CaseLockedError,
    CasePassphraseError,
    OutputError,
    RecipientError,
)

REPO = Path(__file__).resolve().parents[2]
PASS = "correct horse battery staple"
WF = 10

S1 = ("Canary witness Zvezdana Kvartirova met Ruslan Ibragimov at the bus station. "
      "Ruslan told Zvezdana that the men came at night.\n")
S2 = ("Later Mr Ibragimov said that Kvartirova had left. "
      "Zvezdana Kvartirova never came back.\n")
S3 = "Mrs Kvartirova said Ruslan Ibragimov had been beaten.\n"
CANARIES = ["zvezdana", "kvartirova", "ruslan", "ibragimov"]


@pytest.fixture(scope="module")
def ids() -> list[S.HybridIdentity]:
    return [S.HybridIdentity.generate() for _ in range(3)]


@pytest.fixture()
def case(tmp_path: Path, ids: list[S.HybridIdentity], redactor: Redactor) -> Case:
    # `redactor` (session) makes sure the real model is loaded once.
    return Case.init(tmp_path / "case", [ids[0].recipient, str(ids[1].recipient)],
                     passphrase=PASS, work_factor=WF)


def _all_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def _redact_into(case: Case, item: str, text: str) -> str:
    result = case.redactor().redact(text)
    case.add_statement(item, text.encode("utf-8"), result.text, result.to_report())
    return result.text


# ---- init and layout -----------------------------------------------------------------------


def test_init_layout_permissions_and_no_secret_in_clear(case: Case,
                                                       ids: list[S.HybridIdentity]) -> None:
    root = case.path
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    for d in ("keys", "pseudonyms", "pseudonyms/names", "redacted", "sealed", "reports"):
        assert stat.S_IMODE((root / d).stat().st_mode) == 0o700, d
    for f in _all_files(root):
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f
    meta = json.loads((root / "case.json").read_text())
    assert meta["version"] == 1 and len(meta["recipients"]) == 2
    assert meta["passphrase"]["scrypt_work_factor"] == WF
    assert meta["signing_public_key"].startswith("ed25519:")
    assert (root / "keys/case-secret.age").read_bytes().startswith(b"age-encryption.org/v1\n")
    pass_file = (root / "keys/case-secret.pass.age").read_bytes()
    assert pass_file.startswith(b"age-encryption.org/v1\n-> scrypt ")
    # Redact a statement with canary names, then scan every byte of the case.
    with case:
        _redact_into(case, "s1", S1)
    # The keys, as a recipient reads them from the sealed case secret.
    secret = json.loads(S.open_bytes((root / "keys/case-secret.age").read_bytes(), [ids[0]]))
    key = base64.b64decode(secret["pseudonym_key"])
    signing = base64.b64decode(secret["signing_key"])
    assert case.report_key() == hmac.new(key, b"redact/report-hash/v1", hashlib.sha256).digest()
    assert len(signing) == 32
    needles = [key, base64.b64encode(key), key.hex().encode(), signing,
               base64.b64encode(signing)] + [c.encode() for c in CANARIES]
    for f in _all_files(root):
        data = f.read_bytes().lower()
        for n in needles:
            assert n.lower() not in data, (f, n[:6])


def test_policy_copy_is_self_contained_and_tamper_checked(tmp_path: Path,
                                                          ids: list[S.HybridIdentity]) -> None:
    case = Case.init(tmp_path / "c", [ids[0].recipient], "strict.yaml", passphrase=PASS,
                     work_factor=WF)
    strict = Policy.load("strict.yaml")
    public = yaml.safe_load((case.path / "policy.yaml").read_text())
    assert "extends" not in public and public["allow"] == [] and public["deny"] == []
    assert strict.allow  # the shipped public bodies: sealed with the case's own entries
    # The whole policy (policy.yaml and the sealed lists) is the one given, once unlocked.
    assert case.policy.sha256() == strict.sha256() == Case.open(case.path).policy_sha256
    with pytest.raises(CaseLockedError, match="sealed"):
        _ = Case.open(case.path).policy
    again = Case.open(case.path)
    again.unlock(passphrase=PASS)
    assert again.policy.sha256() == strict.sha256()
    assert again.policy.to_dict() == strict.to_dict()
    with open(case.path / "policy.yaml", "a") as fh:
        fh.write("\nallow: [Somebody]\n")  # a second "allow" key: no policy file loads it
    again = Case.open(case.path)
    with pytest.raises(CaseError, match="changed after the case was created"):
        again.unlock(passphrase=PASS)
        _ = again.policy


def _make_lists_legacy(case: Case) -> Policy:
    """Turn ``case`` into what an older redact made: the allow and deny lists in the clear
    in policy.yaml, no sealed lists file, no ``sealed_lists`` in case.json."""
    full = case.policy
    header = ("# Effective policy of this case, copied from x.yaml\n"
              "# (extends resolved, defaults filled in). Do not edit: case.json holds\n"
              "# its fingerprint, and a changed policy is refused.\n")
    (case.path / "policy.yaml").write_text(
        header + yaml.safe_dump(full.to_dict(), sort_keys=False, allow_unicode=True))
    meta = json.loads((case.path / "case.json").read_text())
    del meta["policy"]["sealed_lists"]
    (case.path / "case.json").write_text(json.dumps(meta, indent=2) + "\n")
    (case.path / "keys" / "policy-lists.sealed").unlink()
    return full


@pytest.mark.parametrize("unlock_with", ["passphrase", "identity"])
def test_lists_in_the_clear_of_an_older_case_are_sealed_at_unlock(
        tmp_path: Path, ids: list[S.HybridIdentity], redactor: Redactor, unlock_with: str) -> None:
    term = "ogurechik-zvezda"
    pol = tmp_path / "p.yaml"
    pol.write_text(f"extends: testimony.yaml\ndeny:\n  - {{text: {term}, entity: PERSON}}\n")
    case = Case.init(tmp_path / "c", [ids[0].recipient], pol, passphrase=PASS, work_factor=WF)
    full = _make_lists_legacy(case)
    assert term in (case.path / "policy.yaml").read_text()
    # An older case opens as it is: the lists are read from policy.yaml, no key needed.
    old = Case.open(case.path)
    assert old.policy.sha256() == full.sha256() and old.policy.deny[0].text == term
    assert old.policy_lists() == {"allow": len(full.allow), "deny": 1, "sealed": False}
    # The next unlock seals them; the fingerprint and the behaviour stay the same.
    old = Case.open(case.path)
    if unlock_with == "passphrase":
        old.unlock(passphrase=PASS)
    else:
        old.unlock(identities=[ids[0]])
    for f in _all_files(case.path):
        assert term.encode() not in f.read_bytes(), f
    assert json.loads((case.path / "case.json").read_text())["policy"]["sha256"] == full.sha256()
    assert Case.open(case.path).policy_lists() == {"allow": len(full.allow), "deny": 1,
                                                   "sealed": True}
    with pytest.raises(CaseLockedError):
        _ = Case.open(case.path).policy
    assert old.policy.sha256() == full.sha256()
    assert "Person A" in old.redactor().redact(f"they called him {term} there.").text
    # A migration cut short after case.json (policy.yaml still has the lists) is finished
    # by the next unlock, and the case works in between.
    (case.path / "policy.yaml").write_text(yaml.safe_dump(full.to_dict()))
    assert Case.open(case.path).policy.sha256() == full.sha256()
    again = Case.open(case.path)
    again.unlock(passphrase=PASS)
    assert term not in (case.path / "policy.yaml").read_text()
    assert again.policy.sha256() == full.sha256()


def test_init_refusals(tmp_path: Path, ids: list[S.HybridIdentity]) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CaseError, match="not an empty folder"):
        Case.init(tmp_path / "full", [ids[0].recipient], passphrase=PASS, work_factor=WF)
    with pytest.raises(RecipientError):
        Case.init(tmp_path / "c", [], passphrase=PASS, work_factor=WF)
    with pytest.raises(RecipientError, match="mix"):
        Case.init(tmp_path / "c", [ids[0].recipient, S.X25519Identity.generate().recipient],
                  passphrase=PASS, work_factor=WF)
    with pytest.raises(CaseError, match="shorter"):
        Case.init(tmp_path / "c", [ids[0].recipient], passphrase="short", work_factor=WF)
    assert sorted(os.listdir(tmp_path)) == ["full"]  # nothing half-made left behind


# ---- pseudonyms ----------------------------------------------------------------------------


def test_same_pseudonym_across_statements_and_reopen(case: Case,
                                                     ids: list[S.HybridIdentity]) -> None:
    with case:
        out1 = _redact_into(case, "s1", S1)
        a = case.label_of("PERSON", "Zvezdana Kvartirova")
        b = case.label_of("PERSON", "Ruslan Ibragimov")
        assert a and b and a != b and a in out1 and b in out1
        out2 = _redact_into(case, "s2", S2)
    assert a in out2 and b in out2
    assert not [c for c in CANARIES if c in (out1 + out2).lower()]
    assert len(case.pseudonyms) == 2
    # A fresh process-level view: re-open, unlock, redact another variant.
    again = Case.open(case.path)
    with pytest.raises(CaseLockedError):
        again.redactor()
    again.unlock(passphrase=PASS)
    with again:
        out3 = _redact_into(again, "s3", S3)
    assert a in out3 and b in out3 and len(again.pseudonyms) == 2
    # Unlocking with an identity gives the same key, hence the same labels.
    by_id = Case.open(case.path)
    by_id.unlock(identities=[ids[1]])
    assert by_id.label_of("PERSON", "kvartirova") == a


def test_pseudonyms_shared_across_processes(case: Case, tmp_path: Path) -> None:
    script = textwrap.dedent("""
        import sys
        from redact import Case
        case = Case.open(sys.argv[1])
        case.unlock(passphrase=sys.argv[2])
        text = open(sys.argv[4], encoding="utf-8").read()
        with case:
            result = case.redactor().redact(text)
            case.add_statement(sys.argv[3], text.encode(), result.text, result.to_report())
    """)
    procs = []
    for item, text in (("p1", S1), ("p2", S2)):
        src = tmp_path / f"{item}.txt"
        src.write_text(text, encoding="utf-8")
        procs.append(subprocess.Popen(
            [sys.executable, "-c", script, str(case.path), PASS, item, str(src)],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for p in procs:
        _out, errs = p.communicate(timeout=300)
        assert p.returncode == 0, errs.decode()[-2000:]
    a = case.label_of("PERSON", "Zvezdana Kvartirova")
    b = case.label_of("PERSON", "Ruslan Ibragimov")
    assert a and b and a != b
    for item in ("p1", "p2"):
        text = (case.path / "redacted" / f"{item}.txt").read_text()
        assert a in text and b in text, (item, text)
    index = (case.path / "pseudonyms/index.jsonl").read_text().splitlines()
    assert sum('"new"' in line for line in index) == 2  # two people, two labels, no duplicate


def test_pseudonym_table_needs_an_identity(case: Case, ids: list[S.HybridIdentity]) -> None:
    with case:
        _redact_into(case, "s1", S1)
        _redact_into(case, "s2", S2)
    a = case.label_of("PERSON", "Zvezdana Kvartirova")
    table = case.pseudonym_table([ids[0]])
    assert "zvezdana kvartirova" in table[a]["forms"] and table[a]["entity"] == "PERSON"
    assert len(table) == 2
    with pytest.raises(AgeNoMatchError):
        case.pseudonym_table([ids[2]])
    with pytest.raises(AgeNoMatchError):
        case.pseudonym_table([S.ScryptIdentity(PASS)])  # the passphrase never lists names


def test_what_a_thief_learns_without_keys(case: Case) -> None:
    with case:
        _redact_into(case, "s1", S1)
        _redact_into(case, "s2", S2)
    lines = [json.loads(x) for x in
             (case.path / "pseudonyms/index.jsonl").read_text().splitlines()]
    unkeyed = set()
    for name in ["zvezdana kvartirova", "ruslan ibragimov", "zvezdana", "kvartirova",
                 "ruslan", "ibragimov"]:
        unkeyed.add(hashlib.sha256(name.encode()).hexdigest())
        unkeyed.add(hashlib.sha256(f"PERSON\x00{name}".encode()).hexdigest())
    for line in lines:
        assert set(line) in ({"k", "kind", "label"}, {"new", "n"}, {"named"})
        if "named" in line:  # a key whose real form is sealed in pseudonyms/names/
            assert line["named"] in {x.get("k") for x in lines}
        if "k" in line:
            assert len(line["k"]) == 64 and int(line["k"], 16) >= 0
            assert line["k"] not in unkeyed
            assert line["label"].startswith("Person ")
    raw = (case.path / "pseudonyms/index.jsonl").read_text().lower()
    assert not [c for c in CANARIES if c in raw]
    # The reports hold keyed hashes, not names either.
    for rep in (case.path / "reports").iterdir():
        assert not [c for c in CANARIES if c in rep.read_text().lower()]


# ---- reveal, tamper, truncation, wrong keys -------------------------------------------------


def test_reveal_returns_exact_bytes(case: Case, ids: list[S.HybridIdentity]) -> None:
    original = "Zvezdana\r\nKvartirova — «тест» \x00 end".encode()
    result = case.redactor().redact(original.decode())
    with case:
        case.add_statement("bin", original, result.text, result.to_report())
    assert case.reveal("bin", [ids[0]]) == original
    assert case.reveal("bin", [str(ids[1])]) == original
    assert Case.open(case.path).items() == ["bin"]
    with pytest.raises(CaseError, match="no item"):
        case.reveal("missing", [ids[0]])


def test_flip_any_byte_of_a_sealed_original(case: Case, ids: list[S.HybridIdentity]) -> None:
    with case:
        case.add_statement("s", b"original statement " * 20, "redacted", {})
    path = case.path / "sealed" / "s.age"
    good = path.read_bytes()
    for i in range(len(good)):
        bad = bytearray(good)
        bad[i] ^= 0x01
        path.write_bytes(bytes(bad))
        with pytest.raises(AgeError) as info:
            case.reveal("s", [ids[0]])
        assert "sealed/s.age" in info.value.what
    path.write_bytes(good)
    assert case.reveal("s", [ids[0]]) == b"original statement " * 20


def _header_stanzas(data: bytes) -> list[S.Stanza]:
    from redact._internal.age.core import read_header

    return list(read_header(io.BytesIO(data)).stanzas)


def test_original_is_bound_to_its_case_and_item(case: Case, ids: list[S.HybridIdentity]) -> None:
    """The binding is an extra header stanza that the MAC covers: any age tool opens the
    file to the original's exact bytes, and nobody without a recipient's key can rebind it."""
    from redact._internal.age.core import read_header
    from redact._internal.age.header import Header
    from redact.errors import AgeHMACError, SealedItemMismatchError

    with case:
        case.add_statement("sub/s", b"original statement", "redacted", {})
    path = case.path / "sealed" / "sub" / "s.age"
    data = path.read_bytes()
    stanzas = _header_stanzas(data)
    assert [st.type for st in stanzas] == ["mlkem768x25519", "mlkem768x25519", "redact-item"]
    assert stanzas[-1].args == ("redact-item", "v1", case.case_id)
    assert b"sub/s" not in data  # the item name is hashed, not written
    assert S.open_bytes(data, [ids[0]]) == b"original statement"  # a plain age open
    assert case.reveal("sub/s", [ids[1]]) == b"original statement"
    # Rebinding without the file key (the old MAC kept): the header MAC no longer verifies.
    header = read_header(io.BytesIO(data))
    forged = Header(tuple(stanzas[:-1]) + (S.Stanza(("redact-item", "v1", "0" * 32),
                                                    stanzas[-1].body),), header.mac)
    path.write_bytes(forged.encode() + data[len(header.encode()):])
    with pytest.raises(AgeHMACError):
        case.reveal("sub/s", [ids[0]])
    path.write_bytes(data)
    # Moved to another item name of the same case: refused before any plaintext.
    (case.path / "sealed" / "t.age").write_bytes(data)
    with pytest.raises(SealedItemMismatchError, match="another item"):
        case.reveal("t", [ids[0]])
    with pytest.raises(SealedItemMismatchError, match="another item"):
        case.reveal_to("t", io.BytesIO(), [ids[0]])


def _make_legacy(case: Case, item: str, original: bytes) -> None:
    """What an older redact left: an original sealed without binding, a case.json without
    ``binds_originals``."""
    meta = json.loads((case.path / "case.json").read_text())
    meta.pop("binds_originals", None)
    (case.path / "case.json").write_text(json.dumps(meta, indent=2) + "\n")
    (case.path / "sealed" / f"{item}.age").write_bytes(
        S.seal_bytes(original, case.recipients))


def test_unbound_originals_of_older_cases(case: Case, ids: list[S.HybridIdentity]) -> None:
    from redact.errors import SealedItemMismatchError, UnboundOriginalWarning

    with case:
        case.add_statement("old", b"x", "redacted", {})
        case.add_statement("new", b"bound original", "redacted", {})
    # In a case that binds its originals, an unbound file is refused (no downgrade).
    (case.path / "sealed" / "old.age").write_bytes(S.seal_bytes(b"old original",
                                                                case.recipients))
    with pytest.raises(SealedItemMismatchError, match="not bound"):
        Case.open(case.path).reveal("old", [ids[0]])
    # In a case made before bindings, it opens with a warning.
    _make_legacy(case, "old", b"old original")
    legacy = Case.open(case.path)
    with pytest.warns(UnboundOriginalWarning, match="sealed/old.age .*not bound"):
        assert legacy.reveal("old", [ids[0]]) == b"old original"
    # A bound file in its place still opens without a warning.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert legacy.reveal("new", [ids[0]]) == b"bound original"
    # Recipient rotation binds the old originals and marks the case as binding them all.
    legacy.change_recipients([ids[0]], add=[ids[2].recipient])
    assert _header_stanzas((case.path / "sealed" / "old.age").read_bytes())[-1].args == (
        "redact-item", "v1", case.case_id)
    assert json.loads((case.path / "case.json").read_text())["binds_originals"] is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Case.open(case.path).reveal("old", [ids[2]]) == b"old original"
    # A swapped original stops the rotation instead of being bound in its new place.
    new_bytes = (case.path / "sealed" / "new.age").read_bytes()
    (case.path / "sealed" / "old.age").write_bytes(new_bytes)
    with pytest.raises(SealedItemMismatchError, match="another item"):
        Case.open(case.path).change_recipients([ids[0]], remove=[ids[2].recipient])
    assert (case.path / "sealed" / "old.age").read_bytes() == new_bytes
    assert not list(case.path.rglob(".*.tmp"))


def test_damaged_multichunk_original_releases_nothing(case: Case,
                                                      ids: list[S.HybridIdentity]) -> None:
    original = os.urandom(200_000)  # four 64 KiB chunks
    with case:
        case.add_statement("big", original, "redacted", {})
    path = case.path / "sealed" / "big.age"
    good = path.read_bytes()
    bad = bytearray(good)
    bad[-10] ^= 0x80  # inside the last chunk
    path.write_bytes(bytes(bad))
    with pytest.raises(AgePayloadError):
        case.reveal("big", [ids[0]])
    for cut in (len(good) - 1, len(good) - 17, len(good) // 2, 200, 30):
        path.write_bytes(good[:cut])
        with pytest.raises(AgeError):
            case.reveal("big", [ids[0]])
    payload = good.index(b"\n", good.index(b"\n--- ") + 1) + 1 + 16  # after header + nonce
    path.write_bytes(good[:payload + 2 * 65552])  # cut exactly at a chunk edge
    with pytest.raises(AgeError):
        case.reveal("big", [ids[0]])


def test_wrong_identity_and_wrong_passphrase(case: Case, ids: list[S.HybridIdentity]) -> None:
    with case:
        case.add_statement("s", b"x", "y", {})
    with pytest.raises(AgeNoMatchError, match="none of the 1 given identities matches"):
        case.reveal("s", [ids[2]])
    other = Case.open(case.path)
    with pytest.raises(CasePassphraseError, match="wrong passphrase"):
        other.unlock(passphrase="not the passphrase")
    with pytest.raises(AgeNoMatchError):
        other.unlock(identities=[ids[2]])
    with pytest.raises(CaseLockedError):
        other.unlock()
    assert not other.unlocked


def test_swapped_secret_from_another_case_is_refused(tmp_path: Path,
                                                     ids: list[S.HybridIdentity]) -> None:
    a = Case.init(tmp_path / "a", [ids[0].recipient], passphrase=PASS, work_factor=WF)
    b = Case.init(tmp_path / "b", [ids[0].recipient], passphrase=PASS, work_factor=WF)
    (b.path / "keys/case-secret.pass.age").write_bytes(
        (a.path / "keys/case-secret.pass.age").read_bytes())
    with pytest.raises(CaseError, match="does not belong to this case"):
        Case.open(b.path).unlock(passphrase=PASS)


# ---- recipients ----------------------------------------------------------------------------


def test_change_recipients(case: Case, ids: list[S.HybridIdentity]) -> None:
    with case:
        _redact_into(case, "s1", S1)
        case.add_statement("s2", b"second original", "r", {})
    a_label = case.label_of("PERSON", "Zvezdana Kvartirova")
    old = {p: p.read_bytes() for p in case.sealed_files()}
    assert len(old) == 4  # two originals, one names file, the case key
    keep, gone, new = ids
    with pytest.raises(AgeNoMatchError):  # only a current recipient may rotate
        case.change_recipients([new], add=[new.recipient])
    result = case.change_recipients([keep], add=[new.recipient], remove=[gone.recipient])
    assert result == [str(keep.recipient), str(new.recipient)]
    assert json.loads((case.path / "case.json").read_text())["recipients"] == result
    for path, before in old.items():
        data = path.read_bytes()
        assert data != before
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with pytest.raises(AgeNoMatchError):
            S.open_bytes(data, [gone])
        assert S.open_bytes(data, [keep]) == S.open_bytes(data, [new])
    assert case.reveal("s2", [new]) == b"second original"
    assert a_label in case.pseudonym_table([new])
    assert not list(case.path.rglob(".*.tmp"))
    # New statements go to the new set; the passphrase still unlocks.
    again = Case.open(case.path)
    again.unlock(passphrase=PASS)
    with again:
        again.add_statement("s3", b"third", "r", {})
    with pytest.raises(AgeNoMatchError):
        again.reveal("s3", [gone])
    assert again.reveal("s3", [new]) == b"third"
    with pytest.raises(RecipientError, match="last recipient"):
        case.change_recipients([keep], remove=[keep.recipient, new.recipient])
    with pytest.raises(RecipientError, match="not recipients"):
        case.change_recipients([keep], remove=[gone.recipient])


def test_change_recipients_stops_on_a_damaged_file(case: Case,
                                                   ids: list[S.HybridIdentity]) -> None:
    with case:
        case.add_statement("s1", b"one " * 30000, "r", {})
    path = case.path / "sealed" / "s1.age"
    good = path.read_bytes()
    bad = bytearray(good)
    bad[-5] ^= 1
    path.write_bytes(bytes(bad))
    with pytest.raises(AgePayloadError):
        case.change_recipients([ids[0]], add=[ids[2].recipient])
    assert path.read_bytes() == bytes(bad)  # untouched, no temp left
    assert not list(case.path.rglob(".*.tmp"))
    assert len(json.loads((case.path / "case.json").read_text())["recipients"]) == 2


# ---- fail closed ----------------------------------------------------------------------------


def _case_state(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.is_file() and p.name not in ("index.jsonl",))


def test_failed_seal_leaves_nothing(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _case_state(case.path)
    real_seal = S.seal

    def broken_seal(src, dst, recipients, **kw):  # type: ignore[no-untyped-def]
        dst.write(b"age-encryption.org/v1\n-> half a file")
        raise OutputError("injected: disk full while sealing")

    monkeypatch.setattr(S, "seal", broken_seal)
    result = case.redactor().redact(S1)
    with pytest.raises(OutputError, match="injected"):
        case.add_statement("s1", S1.encode(), result.text, result.to_report())
    assert _case_state(case.path) == before  # no redacted output, no half-written file
    monkeypatch.setattr(S, "seal", real_seal)
    case.add_statement("s1", S1.encode(), result.text, result.to_report())
    assert (case.path / "redacted/s1.txt").is_file()
    # The names held back by the failure were sealed on the successful try.
    assert list((case.path / "pseudonyms/names").glob("*.age"))


def test_failed_names_seal_leaves_nothing_and_retries(case: Case, ids: list[S.HybridIdentity],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    before = _case_state(case.path)
    real = S.seal_bytes

    def broken(*a, **kw):  # type: ignore[no-untyped-def]
        raise OutputError("injected: cannot seal the names")

    monkeypatch.setattr(S, "seal_bytes", broken)
    result = case.redactor().redact(S1)
    with pytest.raises(OutputError, match="injected"):
        case.add_statement("s1", S1.encode(), result.text, result.to_report())
    assert _case_state(case.path) == before
    monkeypatch.setattr(S, "seal_bytes", real)
    case.add_statement("s1", S1.encode(), result.text, result.to_report())
    a = case.label_of("PERSON", "Zvezdana Kvartirova")
    assert a in case.pseudonym_table([ids[0]])


def test_existing_item_refused_unless_overwrite(case: Case, ids: list[S.HybridIdentity]) -> None:
    with case:
        case.add_statement("s", b"one", "r1", {})
        with pytest.raises(OutputError, match="already exists"):
            case.add_statement("s", b"two", "r2", {})
        case.add_statement("s", b"two", "r2", {}, overwrite=True)
    assert case.reveal("s", [ids[0]]) == b"two"
    for bad in ("../x", ".hidden", "a/../b", "a//b", "/a", "a/", "", "x" * 300):
        with pytest.raises(CaseError, match="invalid item name"):
            case.add_statement(bad, b"", "", {})


def test_crashed_writer_partial_index_line_is_dropped(case: Case) -> None:
    with case:
        _redact_into(case, "s1", S1)
    index = case.path / "pseudonyms/index.jsonl"
    size = index.stat().st_size
    with open(index, "ab") as fh:
        fh.write(b'{"k":"abc","ki')  # a writer died mid-line
    other = Case.open(case.path)
    other.unlock(passphrase=PASS)
    assert len(other.pseudonyms) == 2
    assert index.stat().st_size == size


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_workers_share_labels(case: Case) -> None:
    """Workers forked after the index was opened still exclude each other (own lock fd)."""
    import multiprocessing as mp

    idx = case.pseudonyms
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_label_many, args=(idx, w)) for w in range(6)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    lines = (case.path / "pseudonyms/index.jsonl").read_text().splitlines()
    news = [json.loads(x)["n"] for x in lines if '"new"' in x]
    assert sorted(news) == list(range(100))  # 100 people, no label given twice


def _label_many(idx: object, worker: int) -> None:
    for i in range(100):
        idx.label_for("PERSON", "Person", [f"name{i} surname{i}"],  # type: ignore[attr-defined]
                      [f"name{i}", f"surname{i}"])


def test_group_commit_one_fsync_at_the_end(case: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside group_commit, appends wait for one fsync at the end of the block."""
    idx = case.pseudonyms
    index = case.path / "pseudonyms/index.jsonl"
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    with idx.group_commit():
        a = idx.label_for("PERSON", "Person", ["zvezdana kvartirova"])
        b = idx.label_for("PERSON", "Person", ["ruslan ibragimov"])
        assert synced == []  # written (other processes see the lines), not yet fsynced
        assert index.read_text().count('"new"') == 2
    assert len(synced) == 1
    assert (a, b) == ("Person A", "Person B")
    idx.label_for("PERSON", "Person", ["said bakaev"])  # outside: fsync per append again
    assert len(synced) == 2


def test_group_commit_failed_fsync_stops_the_index(case: Case,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    idx = case.pseudonyms
    with pytest.raises(CaseError) as err:
        with idx.group_commit():
            idx.label_for("PERSON", "Person", ["zvezdana kvartirova"])
            monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(5, "EIO")))
    assert "durable" in err.value.what and "kvartirova" not in str(err.value).lower()
    monkeypatch.undo()
    with pytest.raises(CaseError):  # nothing more is labelled by this process
        idx.label_for("PERSON", "Person", ["ruslan ibragimov"])


def test_statement_report_is_the_report_file(case: Case) -> None:
    """A batch worker's report bytes (statement_report) equal what add_statement writes."""
    from redact.case import statement_report

    result = case.redactor().redact(S1)
    paths = case.add_statement("s1", S1.encode(), result.text, result.to_report())
    made = statement_report(case.case_id, "s1", result.to_report(),
                            sealed_sha256=hashlib.sha256(paths.sealed.read_bytes()).hexdigest(),
                            recipients=len(case.recipients))
    assert made == paths.report.read_bytes()


def test_loading_model_runs_during_the_unlock(tmp_path: Path, ids: list[S.HybridIdentity]) -> None:
    # A fresh interpreter: in this one the session's model is loaded already.
    Case.init(tmp_path / "case", [ids[0].recipient], passphrase=PASS, work_factor=14)
    script = textwrap.dedent("""
        import json, sys, threading
        from redact.case import Case
        c = Case.open(sys.argv[1])
        before = "spacy" in sys.modules
        with c.loading_model():
            during = [t.name for t in threading.enumerate()]
            c.unlock(passphrase=sys.argv[2])
        after = [t.name for t in threading.enumerate()]
        from redact.detect import model
        print(json.dumps({"before": before, "during": during, "after": after,
                          "loaded": sorted(model._cache), "unlocked": c.unlocked,
                          "same": c.redactor().detector.nlp is next(iter(model._cache.values()))}))
        """)
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "case"), PASS],
                         capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout)
    assert got["before"] is False  # opening a case loads no model
    assert "redact-model-preload" in got["during"]
    assert "redact-model-preload" not in got["after"]  # the block's end waited for it
    assert len(got["loaded"]) == 1 and got["unlocked"] and got["same"]


def test_loading_model_leaves_a_load_failure_to_redactor(tmp_path: Path,
                                                         ids: list[S.HybridIdentity]) -> None:
    from redact.errors import ModelError

    pol = tmp_path / "pol.yaml"
    pol.write_text("extends: testimony.yaml\nmodel: en_core_web_not_installed_here\n")
    c = Case.init(tmp_path / "case", [ids[0].recipient], pol, passphrase=PASS, work_factor=WF)
    c = Case.open(tmp_path / "case")
    with c.loading_model():
        c.unlock(passphrase=PASS)
    assert c.unlocked
    with pytest.raises(ModelError, match="not installed"):
        c.redactor()
    with pytest.raises(CasePassphraseError), c.loading_model():  # the block's error goes through
        c.unlock(passphrase="wrong " + PASS)
