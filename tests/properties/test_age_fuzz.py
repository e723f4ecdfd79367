"""Fuzzing the age header and armor parsers: only the project's own errors may come out.

Modest example counts keep this quick enough for CI; raise them locally with
``HYPOTHESIS_PROFILE=long``.
"""

from __future__ import annotations

import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redact import seal as S
from redact._internal.age.armor import ArmorReader
from redact._internal.age.core import read_header
from redact._internal.age.reader import Reader
from redact.errors import AgeError, RedactError

settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

X = S.generate_identity("x25519")
PQ = S.generate_identity("pq")
SEALED = S.seal_bytes(b"fuzz me" * 20, [X.recipient])
SEALED_PQ = S.seal_bytes(b"fuzz me" * 20, [PQ.recipient])
ARMORED = S.seal_bytes(b"fuzz me" * 20, [X.recipient], armor=True)
IDENTITIES: list[S.Identity] = [X, PQ, S.ScryptIdentity("pw", max_work_factor=12)]

_header_alphabet = st.sampled_from(
    [b"age-encryption.org/v1\n", b"-> ", b"X25519 ", b"scrypt ", b"mlkem768x25519 ", b"--- ",
     b"\n", b"\r\n", b" ", b"=", b"A" * 43, b"A" * 64, b"AAAA", b"10", b"-", b"\x00", b"\xff"])


def _open(data: bytes, armor: bool | None = None) -> None:
    try:
        S.open_bytes(data, IDENTITIES, armor=armor)
    except AgeError:
        pass


@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    _open(data)
    _open(b"age-encryption.org/v1\n" + data)


@given(st.lists(_header_alphabet, max_size=30).map(b"".join))
def test_header_like_tokens(data: bytes) -> None:
    _open(data)
    try:
        read_header(io.BytesIO(data), armor=False)
    except AgeError:
        pass


@given(st.sampled_from([SEALED, SEALED_PQ, ARMORED]),
       st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), min_size=1,
                max_size=4),
       st.integers(min_value=0))
def test_mutated_files(base: bytes, edits: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(base)
    for pos, value in edits:
        data[pos % len(data)] = value
    data = data[: len(data) - cut % 8]
    try:
        out = S.open_bytes(bytes(data), IDENTITIES)
    except AgeError:
        return
    # A mutation that still opens may only have touched ignorable bytes (armor
    # whitespace, never the ciphertext): the plaintext must be the original.
    assert out == b"fuzz me" * 20


@given(st.lists(st.sampled_from(
    [b"-----BEGIN AGE ENCRYPTED FILE-----", b"-----END AGE ENCRYPTED FILE-----", b"\n",
     b"\r\n", b" ", b"\t", b"YWdl", b"A" * 64, b"A" * 60 + b"AA==", b"=", b"Zm9v", b"-----",
     b"\x00"]), max_size=20).map(b"".join))
def test_armor_tokens(data: bytes) -> None:
    try:
        Reader(ArmorReader(io.BytesIO(data))).read()
    except AgeError:
        pass
    _open(data, armor=True)


@given(st.text(max_size=200))
def test_key_strings(text: str) -> None:
    for parse in (S.parse_identity, S.parse_recipient):
        try:
            parse(text)
        except RedactError:
            pass
