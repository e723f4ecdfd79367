"""Round trips, tampering, truncation and key files for redact.seal (age v1)."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from redact import seal as S
from redact._internal.age import bech32
from redact._internal.age.stream import CHUNK_SIZE, TAG_SIZE
from redact.errors import (
    AgeError,
    AgeHeaderError,
    AgeHMACError,
    AgeNoMatchError,
    AgePayloadError,
    KeyFileError,
    OutputError,
    RecipientError,
)

# Small scrypt work factor: these tests check the format, not the KDF cost.
WF = 10

HYBRID = S.generate_identity("pq")
X25519 = S.generate_identity("x25519")


def _pair(kind: str) -> tuple[list[S.Recipient], list[S.Identity]]:
    if kind == "pq":
        return [HYBRID.recipient], [HYBRID]
    if kind == "x25519":
        return [X25519.recipient], [X25519]
    return [S.ScryptRecipient("correct horse battery staple", WF)], [
        S.ScryptIdentity("correct horse battery staple")]


def _payload_size(n: int) -> int:
    chunks = max(1, -(-n // CHUNK_SIZE))
    return 16 + n + chunks * TAG_SIZE


@pytest.mark.parametrize("armor", [False, True], ids=["binary", "armor"])
@pytest.mark.parametrize("kind", ["pq", "x25519", "scrypt"])
def test_roundtrip_each_type(kind: str, armor: bool) -> None:
    recipients, identities = _pair(kind)
    data = os.urandom(1000) + b"Ahmed's real name stays sealed."
    sealed = S.seal_bytes(data, recipients, armor=armor)
    if armor:
        assert sealed.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----\n")
        assert sealed.endswith(b"-----END AGE ENCRYPTED FILE-----\n")
    else:
        assert sealed.startswith(b"age-encryption.org/v1\n")
    assert data not in sealed
    assert S.open_bytes(sealed, identities) == data
    assert S.open_bytes(sealed, identities, armor=armor) == data


def test_stanza_types_written() -> None:
    sealed = S.seal_bytes(b"x", [HYBRID.recipient])
    assert b"\n-> mlkem768x25519 " in sealed
    sealed = S.seal_bytes(b"x", [X25519.recipient])
    assert b"\n-> X25519 " in sealed
    sealed = S.seal_bytes(b"x", [S.ScryptRecipient("pw", WF)])
    assert b"\n-> scrypt " in sealed and f" {WF}\n".encode() in sealed


def test_multiple_recipients_each_can_open() -> None:
    ids = [S.generate_identity("pq") for _ in range(3)]
    data = b"statement" * 1000
    sealed = S.seal_bytes(data, [i.recipient for i in ids])
    assert sealed.count(b"\n-> mlkem768x25519 ") == 3
    for ident in ids:
        assert S.open_bytes(sealed, [ident]) == data
    # Recipients given as strings work too, and an unrelated identity first is skipped.
    sealed = S.seal_bytes(data, [str(i.recipient) for i in ids])
    assert S.open_bytes(sealed, [S.generate_identity("pq"), ids[2]]) == data


def test_mixing_pq_and_classic_needs_consent() -> None:
    with pytest.raises(RecipientError, match="post-quantum"):
        S.seal_bytes(b"x", [HYBRID.recipient, X25519.recipient])
    sealed = S.seal_bytes(b"x", [HYBRID.recipient, X25519.recipient], allow_mixed_pq=True)
    assert S.open_bytes(sealed, [X25519]) == b"x"
    assert S.open_bytes(sealed, [HYBRID]) == b"x"


def test_scrypt_must_be_alone() -> None:
    pw = S.ScryptRecipient("pw", WF)
    with pytest.raises(RecipientError, match="passphrase"):
        S.seal_bytes(b"x", [pw, HYBRID.recipient])
    with pytest.raises(RecipientError):
        S.seal_bytes(b"x", [pw, S.ScryptRecipient("other", WF)])
    with pytest.raises(RecipientError):
        S.seal_bytes(b"x", [])


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1,
                                  2 * CHUNK_SIZE - 1, 2 * CHUNK_SIZE, 2 * CHUNK_SIZE + 1,
                                  3 * CHUNK_SIZE + 17])
def test_sizes_around_chunk_boundaries(size: int) -> None:
    data = os.urandom(size)
    src, dst = io.BytesIO(data), io.BytesIO()
    assert S.seal(src, dst, [X25519.recipient]) == size
    sealed = dst.getvalue()
    header_len = sealed.index(b"\n---") + len(b"\n--- ") + 43 + 1
    assert len(sealed) - header_len == _payload_size(size)
    out = io.BytesIO()
    assert S.open_sealed(io.BytesIO(sealed), out, [X25519]) == size
    assert out.getvalue() == data
    # Armor round trip at the same sizes.
    armored = S.seal_bytes(data, [X25519.recipient], armor=True)
    assert S.open_bytes(armored, [X25519]) == data


class _Trickle(io.RawIOBase):
    """A source that returns at most 7 bytes per read, like a slow pipe."""

    def __init__(self, data: bytes) -> None:
        self._src = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        return self._src.read(7 if n < 0 else min(n, 7))


def test_short_reads_from_pipes() -> None:
    data = os.urandom(2 * CHUNK_SIZE + 5)
    dst = io.BytesIO()
    S.seal(_Trickle(data), dst, [HYBRID.recipient])  # type: ignore[arg-type]
    out = io.BytesIO()
    S.open_sealed(_Trickle(dst.getvalue()), out, [HYBRID])  # type: ignore[arg-type]
    assert out.getvalue() == data


@pytest.mark.parametrize("kind", ["pq", "x25519"])
def test_flip_any_byte_is_detected(kind: str) -> None:
    """Every single-bit change anywhere in a sealed file is an error, and no plaintext leaks."""
    recipients, identities = _pair(kind)
    data = b"witness statement, 64 bytes long ......................... end"
    sealed = S.seal_bytes(data, recipients)
    for i in range(len(sealed)):
        for bit in (0x01, 0x80):
            bad = bytearray(sealed)
            bad[i] ^= bit
            out = io.BytesIO()
            with pytest.raises(AgeError):
                S.open_sealed(io.BytesIO(bytes(bad)), out, identities)
            assert out.getvalue() == b"", f"plaintext released for a flip at byte {i}"


def test_flip_in_later_chunk_releases_only_authentic_prefix() -> None:
    data = os.urandom(3 * CHUNK_SIZE + 100)
    sealed = S.seal_bytes(data, [X25519.recipient])
    payload_start = len(sealed) - _payload_size(len(data)) + 16
    full = CHUNK_SIZE + TAG_SIZE
    for chunk in range(4):
        for offset in (0, 1000, full - 1):
            pos = payload_start + chunk * full + offset
            if pos >= len(sealed):
                continue
            bad = bytearray(sealed)
            bad[pos] ^= 0x40
            out = io.BytesIO()
            with pytest.raises(AgePayloadError):
                S.open_sealed(io.BytesIO(bytes(bad)), out, [X25519])
            assert out.getvalue() == data[: chunk * CHUNK_SIZE]
            with pytest.raises(AgePayloadError):
                S.open_bytes(bytes(bad), [X25519])


def test_truncation_detected_everywhere_small() -> None:
    data = b"short statement"
    sealed = S.seal_bytes(data, [X25519.recipient])
    for n in range(len(sealed)):
        out = io.BytesIO()
        with pytest.raises(AgeError):
            S.open_sealed(io.BytesIO(sealed[:n]), out, [X25519])
        assert out.getvalue() == b""


def test_truncation_at_chunk_boundaries() -> None:
    data = os.urandom(3 * CHUNK_SIZE)
    sealed = S.seal_bytes(data, [X25519.recipient])
    payload_start = len(sealed) - _payload_size(len(data)) + 16
    full = CHUNK_SIZE + TAG_SIZE
    for chunks in (1, 2):
        out = io.BytesIO()
        with pytest.raises(AgePayloadError, match="truncated"):
            S.open_sealed(io.BytesIO(sealed[: payload_start + chunks * full]), out, [X25519])
        assert out.getvalue() == data[: chunks * CHUNK_SIZE]
    with pytest.raises(AgePayloadError):
        S.open_bytes(sealed + b"\x00", [X25519])


def test_header_tamper_after_unwrap_is_hmac_error() -> None:
    ids = [S.generate_identity("x25519") for _ in range(2)]
    sealed = S.seal_bytes(b"x", [i.recipient for i in ids])
    # Drop the second stanza: the first still unwraps, the MAC no longer matches.
    lines = sealed.split(b"\n")
    assert lines[3].startswith(b"-> X25519")
    tampered = b"\n".join(lines[:3] + lines[5:])
    with pytest.raises(AgeHMACError):
        S.open_bytes(tampered, [ids[0]])


def test_wrong_identity_is_no_match() -> None:
    sealed = S.seal_bytes(b"x", [HYBRID.recipient])
    with pytest.raises(AgeNoMatchError, match="none of the 2 given identities"):
        S.open_bytes(sealed, [S.generate_identity("pq"), X25519])
    pw_sealed = S.seal_bytes(b"x", [S.ScryptRecipient("right", WF)])
    with pytest.raises(AgeNoMatchError, match="passphrase is wrong"):
        S.open_bytes(pw_sealed, [S.ScryptIdentity("wrong")])
    with pytest.raises(AgeNoMatchError, match="no passphrase was given"):
        S.open_bytes(pw_sealed, [HYBRID])


def test_not_an_age_file() -> None:
    with pytest.raises(AgeHeaderError, match="not an age-encrypted file"):
        S.open_bytes(b"%PDF-1.7 hello", [HYBRID])
    with pytest.raises(AgeHeaderError, match="empty"):
        S.open_bytes(b"", [HYBRID])


def test_spec_example_keys() -> None:
    """The key pairs printed in the age spec (c2sp.org/age) derive as published."""
    pq = S.parse_identity(
        "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR")
    expected = (
        "age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5zrqtzdxz95paef6"
        "caq5aapdmwjjqpjfdyxnzr2zampc3uxy0dg4z2n2gm9su72p0pc3u0jvev55l694v78snxg3yzvcl7yd"
        "a0eyytqj6a0ec477lnhcy5hzpz4zq3pxanve4cn62gqj3pjy5lqj9c6kyj4v2z8alktn8zh99970x79g"
        "jkv7522hv9kfz35zsnxhsx8wwtmu9cy3ftzjgwcp4sshn3llnylnpdsyz5jm72vefv4x5vfwytrefxg4"
        "wq3mv42wcrvkj742479zrxzpvp2p3e9fed9f0739vcu80r7ma28qfhnvlv4gfzel9q654dj3zmuvvz89"
        "3azhxdvs9fxd0r7jzchzcfcs5mkyyjxhw0n2z6dvp9yn9qfdp29h0azxqyjw6v7fhyuzj7zel0uq6j9r"
        "d7wgrpz7mf5dnj43jwsgvrc8qcnhy7tu6dkdujuxzkp9xj43xe8h92ktre2a3u3s8mm5mrp9nr9pwkgt"
        "z4mdlq9hgn4fps4k57ff6wddn2fy23t47sm20r8km8sd2pcyyafnet8f0dajsrlyjeah4n3mssr6asee"
        "vuuskdvq5lzguyvpgwpta742c6698vgutzqgny8usfg0w2he7kq5vyxjd0f9hqg8xk26y9e4th0gezq9"
        "2q4cpp5p2y9hf5f2cje5l0c3sa3a2qxmm38pxxvhxh99yzmfz0zk7r2s64nnwjhkfgfr3gf8xnmppcgm"
        "aykvh5sh6g7vk9790rf8ws0axmr2t7z8aae5fq2029uvcn2ghgt4fu4wgwdc0k0cz52qkvwmuzj8p8k5"
        "jgf3xzk5zmrkavjekjrpeq408xz3zxazwkc6tyfmhayrkfpjhwtz5mp8j8guqe43k2q6m2kte03vrw27"
        "y3wmqyu5etmt9dnkwcnnpmu9gz9dekfhdevf42ucshphnrk38ra6hx8w5f8q5ru0xdhrjxmwqf6cused"
        "7zc5xvq43r0zscjglpwlptpwydhqw64xz7ptjdyeyzpq2zkxtmzg29gzjpvzva4d3l0cenn9xs297wf4"
        "y4ukwrunf57xj6pm7nvrkwvtrt8hwcmgv8x7ajw7258ugf9wvkmk4052ekg87tw5vnx8nq2swyzv77v8"
        "yqlwsenvamr0zssknwts8rrhfuwj7ykysnq9jxy0uv3kuyt22djszjdtvpz6d0s0kwh8ryynddzud92e"
        "meyvvyqktd0jtj7rvvg5gch25v8smlvny3kvn5gagyz475ze2y6q466xqmz2n3hs77lddeqyta2nch5k"
        "2u5yacuk9ywnwfdzvyejnucz724hj77hrrmakm7pr3kxsrxq22ejexlud9fy2kdqmkg5yncz7jm5wv2q"
        "jk5w5kvcpqsry2yqffh2la52dxfjkjq5rzhjzeyn6dupn0qwtyv7s4lwg3xdarsdlwe2y3tujy480y7z"
        "39q259fzx6jhd2j0f5hagqpcpees7hzc2yrk5cy788uk3s7qvp5cpepx24gvws3m2g433exgwppnkjsc"
        "ec8qu4y9z9r7vccexjcjaen42245lmgmxmuavg9alej92322gvvyy2t6267v09ch64y0m53jff0vjj96"
        "s0ypk60hr3jw4myd6m5hpn3xjstx7tl2szhpr5qe8jj08ydjc4wy2rch2fhuy3pdfjax5awe9j99ly5h"
        "kntzz9fe5zatgjvzdd0kgtxs25njnajyf6ssekp7gelxquusn4pt25czh3scj68kq79wdn5tgm6yvm9n"
        "zavrg043x3msnygf8dweknw5jmqd0uvny6ttsn09508k0c55zfnegrm9efhxpfqdkmhh6gjtqmwze9py"
        "yzk3tlhl53k2ykx3qheyty7saeq0d3fzv49zc0k"
    )
    rec = str(pq.recipient)
    assert rec == expected
    assert S.parse_recipient(rec) == pq.recipient
    x = S.parse_identity(
        "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
    assert str(x.recipient) == "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj"


def test_key_strings_roundtrip_and_hide_secrets() -> None:
    for ident in (HYBRID, X25519):
        secret = str(ident)
        assert secret.startswith("AGE-SECRET-KEY-")
        assert str(S.parse_identity(secret).recipient) == str(ident.recipient)
        assert secret not in repr(ident)
        assert secret.lower() not in repr(ident).lower()
    assert str(HYBRID).startswith("AGE-SECRET-KEY-PQ-1")
    assert str(HYBRID.recipient).startswith("age1pq1")
    assert str(X25519.recipient).startswith("age1") and not str(
        X25519.recipient).startswith("age1pq")


def test_bad_key_strings_never_echoed() -> None:
    secret = str(S.generate_identity("pq"))
    broken = secret[:-3] + ("Q" if secret[-3] != "Q" else "P") + secret[-2:]
    with pytest.raises(KeyFileError) as info:
        S.parse_identity(broken)
    assert broken not in str(info.value) and broken[20:40] not in str(info.value)
    with pytest.raises(KeyFileError, match="upper case"):
        S.parse_identity(secret.lower())
    with pytest.raises(KeyFileError):
        S.parse_identity(secret[:30] + secret[30:].lower())
    with pytest.raises(RecipientError):
        rec = str(X25519.recipient)
        S.parse_recipient(rec[:-1] + ("q" if rec[-1] != "q" else "p"))
    with pytest.raises(RecipientError, match="lower case"):
        S.parse_recipient(str(X25519.recipient).upper())
    with pytest.raises(RecipientError, match="unsupported"):
        S.parse_recipient(bech32.encode("age1tag", b"\x02" * 33))
    with pytest.raises(RecipientError):
        S.parse_recipient("ssh-ed25519 AAAAC3Nza")


def test_bech32_long_strings() -> None:
    data = os.urandom(1216)
    enc = bech32.encode("age1pq", data)
    assert bech32.decode(enc) == ("age1pq", data)
    assert bech32.decode(enc.upper()) == ("age1pq", data)
    with pytest.raises(bech32.Bech32Error, match="mixed"):
        bech32.decode(enc[:10] + enc[10:].upper())


# --------------------------------------------------------------------------- key files


def test_identity_file_written_0600_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "identity.txt"
    S.write_identity_file(path, HYBRID)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    assert f"# public key: {HYBRID.recipient}\n" in text and str(HYBRID) in text
    with pytest.raises(OutputError, match="already exists"):
        S.write_identity_file(path, X25519)
    assert path.read_text() == text
    assert [f.name for f in tmp_path.iterdir()] == ["identity.txt"]
    loaded = S.load_identity_file(path)
    assert [str(i.recipient) for i in loaded] == [str(HYBRID.recipient)]


def test_identity_file_permissions_refused(tmp_path: Path) -> None:
    path = tmp_path / "id.txt"
    S.write_identity_file(path, X25519)
    for mode in (0o644, 0o640, 0o604, 0o660):
        path.chmod(mode)
        with pytest.raises(KeyFileError, match="chmod 600") as info:
            S.load_identity_file(path)
        assert str(X25519) not in str(info.value)
    path.chmod(0o400)
    assert len(S.load_identity_file(path)) == 1


def test_identity_file_several_identities_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    other = S.generate_identity("pq")
    path.write_text(f"# two keys\n\n{HYBRID}\n   \n# another\n{X25519}\r\n{other}\n")
    path.chmod(0o600)
    ids = S.load_identity_file(path)
    assert [str(i.recipient) for i in ids] == [str(HYBRID.recipient), str(X25519.recipient),
                                               str(other.recipient)]
    sealed = S.seal_bytes(b"x", [other.recipient])
    assert S.open_bytes(sealed, ids) == b"x"


def test_identity_file_bad_line_reports_line_not_key(tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    secret = str(HYBRID)
    broken = secret[:25] + ("A" if secret[25] != "A" else "C") + secret[26:]
    path.write_text(f"# header\n{secret}\n{broken}\n")
    path.chmod(0o600)
    with pytest.raises(KeyFileError, match="line 3") as info:
        S.load_identity_file(path)
    assert broken not in str(info.value) and secret not in str(info.value)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    empty.chmod(0o600)
    with pytest.raises(KeyFileError, match="holds no identity"):
        S.load_identity_file(empty)
    with pytest.raises(KeyFileError, match="does not exist"):
        S.load_identity_file(tmp_path / "missing.txt")


def test_passphrase_protected_identity_file(tmp_path: Path) -> None:
    path = tmp_path / "protected.txt"
    S.write_identity_file(path, HYBRID, passphrase="long enough passphrase", work_factor=WF)
    raw = path.read_bytes()
    assert raw.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----")
    assert str(HYBRID).encode() not in raw
    with pytest.raises(KeyFileError, match="protected with a passphrase"):
        S.load_identity_file(path)
    with pytest.raises(KeyFileError, match="wrong passphrase"):
        S.load_identity_file(path, passphrase="nope")
    ids = S.load_identity_file(path, passphrase=b"long enough passphrase")
    assert str(ids[0]) == str(HYBRID)


def test_recipients_file(tmp_path: Path) -> None:
    path = tmp_path / "recipients.txt"
    path.write_text(f"# editor\n{HYBRID.recipient}\n\n# lawyer\n{X25519.recipient}\n")
    assert S.read_recipients_file(path) == [HYBRID.recipient, X25519.recipient]
    path.write_text(f"{HYBRID.recipient}\nage1notarecipient\n")
    with pytest.raises(RecipientError, match="line 2"):
        S.read_recipients_file(path)
    path.write_text(f"{HYBRID}\n")
    with pytest.raises(RecipientError, match="secret identity") as info:
        S.read_recipients_file(path)
    assert str(HYBRID) not in str(info.value)
    path.write_text("# none\n")
    with pytest.raises(RecipientError, match="no recipient"):
        S.read_recipients_file(path)


def test_looks_sealed() -> None:
    assert S.looks_sealed(S.seal_bytes(b"x", [X25519.recipient])[:64])
    assert S.looks_sealed(S.seal_bytes(b"x", [X25519.recipient], armor=True)[:64])
    assert not S.looks_sealed(b"plain text")
