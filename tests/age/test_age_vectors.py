"""The C2SP CCTV age test vectors: every file in vectors/age/testdata is one test.

Each vector names an expected outcome; every failure class maps to its own
error type, and for payload failures the plaintext released before the error
must match the vector's hash (age releases authenticated chunks as it goes).
"""

from __future__ import annotations

import hashlib
import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from redact._internal.age.armor import ArmorReader, ArmorWriter
from redact._internal.age.core import read_header
from redact.errors import (
    AgeArmorError,
    AgeError,
    AgeHeaderError,
    AgeHMACError,
    AgeNoMatchError,
    AgePayloadError,
)
from redact.seal import ScryptIdentity, open_sealed, parse_identity

#: The C2SP CCTV age test vectors, vendored (see vectors/age/LICENSE and SOURCE).
TESTDATA = Path(__file__).resolve().parents[1] / "vectors" / "age" / "testdata"

EXPECTED_ERRORS: dict[str, type[AgeError]] = {
    "no match": AgeNoMatchError,
    "HMAC failure": AgeHMACError,
    "header failure": AgeHeaderError,
    "payload failure": AgePayloadError,
    "armor failure": AgeArmorError,
}


@dataclass
class Vector:
    expect: str = ""
    payload: str | None = None
    identities: list[str] = field(default_factory=list)
    passphrases: list[str] = field(default_factory=list)
    armored: bool = False
    body: bytes = b""


def load_vector(path: Path) -> Vector:
    raw = path.read_bytes()
    head, sep, body = raw.partition(b"\n\n")
    assert sep, f"{path.name}: no blank line after the vector header"
    v = Vector()
    compressed = False
    for line in head.decode("utf-8").splitlines():
        key, _, value = line.partition(": ")
        if key == "expect":
            v.expect = value
        elif key == "payload":
            v.payload = value
        elif key == "identity":
            v.identities.append(value)
        elif key == "passphrase":
            v.passphrases.append(value)
        elif key == "armored":
            v.armored = value == "yes"
        elif key == "compressed":
            assert value == "zlib", f"{path.name}: unknown compression {value}"
            compressed = True
    v.body = zlib.decompress(body) if compressed else body
    return v


VECTOR_FILES = sorted(p for p in TESTDATA.iterdir() if p.is_file()) if TESTDATA.is_dir() else []


def test_vectors_present() -> None:
    assert len(VECTOR_FILES) == 143, f"expected 143 vectors in {TESTDATA}"


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda p: p.name)
def test_vector(path: Path) -> None:
    v = load_vector(path)
    identities = [parse_identity(s) for s in v.identities]
    identities += [ScryptIdentity(p) for p in v.passphrases]
    out = io.BytesIO()
    if v.expect == "success":
        open_sealed(io.BytesIO(v.body), out, identities, armor=v.armored)
        assert v.payload is not None
        assert hashlib.sha256(out.getvalue()).hexdigest() == v.payload
        return
    err = EXPECTED_ERRORS[v.expect]
    with pytest.raises(AgeError) as info:
        open_sealed(io.BytesIO(v.body), out, identities, armor=v.armored)
    assert type(info.value) is err, f"{type(info.value).__name__}: {info.value.what}"
    if v.expect == "payload failure" and v.payload is not None:
        assert hashlib.sha256(out.getvalue()).hexdigest() == v.payload
    elif v.expect != "payload failure":
        assert out.getvalue() == b"", "no plaintext may be released before the payload"


@pytest.mark.parametrize("path", VECTOR_FILES, ids=lambda p: p.name)
def test_vector_armor_autodetect(path: Path) -> None:
    """With armor detection on, every vector gives the same outcome as with the flag.

    Exception: armor_garbage_leading starts with text, so it is not detected
    as armor and fails as a (binary) header instead.
    """
    v = load_vector(path)
    identities = [parse_identity(s) for s in v.identities]
    identities += [ScryptIdentity(p) for p in v.passphrases]
    out = io.BytesIO()
    expected: type[Exception] | None = EXPECTED_ERRORS.get(v.expect)
    if path.name == "armor_garbage_leading":
        expected = AgeHeaderError
    if expected is None:
        open_sealed(io.BytesIO(v.body), out, identities)
        assert hashlib.sha256(out.getvalue()).hexdigest() == v.payload
    else:
        with pytest.raises(expected):
            open_sealed(io.BytesIO(v.body), out, identities)


@pytest.mark.parametrize(
    "path", [p for p in VECTOR_FILES if not p.name.startswith("armor")], ids=lambda p: p.name)
def test_vector_header_roundtrip(path: Path) -> None:
    """Any header that parses re-encodes to exactly the same bytes."""
    v = load_vector(path)
    try:
        header = read_header(io.BytesIO(v.body), armor=False)
    except AgeHeaderError:
        assert v.expect == "header failure"
        return
    encoded = header.encode()
    assert v.body.startswith(encoded)


@pytest.mark.parametrize(
    "path", [p for p in VECTOR_FILES if p.name.startswith("armor")
             and load_vector(p).expect not in ("armor failure",)], ids=lambda p: p.name)
def test_vector_armor_roundtrip(path: Path) -> None:
    """Armored vectors that decode re-encode to the canonical armor (LF, no outer space)."""
    v = load_vector(path)
    decoded = ArmorReader(io.BytesIO(v.body)).read()
    out = io.BytesIO()
    w = ArmorWriter(out)
    w.write(decoded)
    w.close()
    canonical = v.body.replace(b"\r\n", b"\n").strip(b" \t\r\n") + b"\n"
    assert out.getvalue() == canonical
