"""Bech32 (BIP 173) without the 90-character limit, as the age spec uses it.

age encodes keys as Bech32: X25519 recipients (``age1...``), hybrid recipients
(``age1pq1...``, about 1,960 characters, hence no length limit) and identities
(``AGE-SECRET-KEY-1...``, ``AGE-SECRET-KEY-PQ-1...``). A string is all lower
case or all upper case; the checksum is always computed over the lower-case
form. This is the original Bech32 constant (1), not Bech32m.

Errors raise :class:`Bech32Error` (a ``ValueError``) whose message never repeats
the input, since the input may be a secret key.
"""

from __future__ import annotations

__all__ = ["Bech32Error", "encode", "decode"]

_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_REV = {c: i for i, c in enumerate(_CHARSET)}
_GEN = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


class Bech32Error(ValueError):
    """A string is not valid Bech32 (the message never contains the string)."""


def _polymod(values: list[int]) -> int:
    chk = 1
    for v in values:
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ v
        for i in range(5):
            if (top >> i) & 1:
                chk ^= _GEN[i]
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convert_bits(data: bytes | list[int], from_bits: int, to_bits: int, pad: bool) -> list[int]:
    acc = 0
    bits = 0
    out: list[int] = []
    maxv = (1 << to_bits) - 1
    for value in data:
        acc = (acc << from_bits) | value
        bits += from_bits
        while bits >= to_bits:
            bits -= to_bits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (to_bits - bits)) & maxv)
    elif bits >= from_bits or ((acc << (to_bits - bits)) & maxv):
        raise Bech32Error("invalid padding in the Bech32 data part")
    return out


def encode(hrp: str, data: bytes) -> str:
    """Encode ``data`` under the human-readable part ``hrp`` (returned lower case)."""
    hrp = hrp.lower()
    if not hrp or any(not 33 <= ord(c) <= 126 for c in hrp):
        raise Bech32Error("invalid human-readable part")
    values = _convert_bits(data, 8, 5, pad=True)
    polymod = _polymod(_hrp_expand(hrp) + values + [0] * 6) ^ 1
    checksum = [(polymod >> (5 * (5 - i))) & 31 for i in range(6)]
    return hrp + "1" + "".join(_CHARSET[v] for v in values + checksum)


def decode(s: str) -> tuple[str, bytes]:
    """Decode a Bech32 string; return ``(hrp, data)`` with ``hrp`` in lower case.

    Raises :class:`Bech32Error` on mixed case, bad characters, a bad checksum or
    bad padding. No length limit applies.
    """
    if any(not 33 <= ord(c) <= 126 for c in s):
        raise Bech32Error("invalid character in a Bech32 string")
    if s.lower() != s and s.upper() != s:
        raise Bech32Error("mixed upper and lower case in a Bech32 string")
    s = s.lower()
    pos = s.rfind("1")
    if pos < 1 or pos + 7 > len(s):
        raise Bech32Error("missing separator or checksum in a Bech32 string")
    hrp, rest = s[:pos], s[pos + 1 :]
    try:
        values = [_REV[c] for c in rest]
    except KeyError:
        raise Bech32Error("invalid character in the Bech32 data part") from None
    if _polymod(_hrp_expand(hrp) + values) != 1:
        raise Bech32Error("invalid Bech32 checksum (a character was mistyped or lost)")
    return hrp, bytes(_convert_bits(values[:-6], 5, 8, pad=False))
