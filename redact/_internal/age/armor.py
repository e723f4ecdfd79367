"""Strict ASCII armor for age files (RFC 7468 section 3 strict PEM, label "AGE ENCRYPTED FILE").

Reading accepts exactly what the age spec allows and nothing more: optional
whitespace (space, tab, CR, LF) before the ``BEGIN`` line and after the ``END``
line; LF or CRLF line endings; base64 lines of exactly 64 columns except the
last, which is 1-64 columns, carries the ``=`` padding, and is canonical. No
headers, no blank lines, no checksum lines, no whitespace inside. Decoding is
lazy (one line at a time), so memory stays bounded for any file size.

Writing produces the canonical form: LF endings, 64-column lines, a final LF.
"""

from __future__ import annotations

import base64
import binascii
import re

from redact.errors import AgeArmorError

from .reader import RawSource, Reader
from .stream import Writer

__all__ = ["BEGIN", "END", "ArmorReader", "ArmorWriter", "looks_armored"]

BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
END = b"-----END AGE ENCRYPTED FILE-----"
COLUMNS = 64
_WS = b" \t\r\n"
_FULL_LINES = re.compile(rb"(?:[A-Za-z0-9+/]{64}\r?\n)+")
_BULK = 64 * 1024
_B64 = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def looks_armored(prefix: bytes) -> bool:
    """True if ``prefix`` (a file's first bytes) starts, after whitespace, with a PEM dash line."""
    stripped = prefix.lstrip(_WS)
    return stripped.startswith(b"-----") or (not stripped and bool(prefix))


def _fail(what: str) -> AgeArmorError:
    return AgeArmorError(f"the armored (ASCII) sealed file is malformed: {what}")


class ArmorReader:
    """A :class:`RawSource` that yields the binary age file inside strict armor.

    Raises :class:`AgeArmorError` from :meth:`read` as soon as a defect is seen.
    """

    def __init__(self, src: RawSource) -> None:
        self._r = Reader(src)
        self._started = False
        self._done = False
        self._pending = b""

    def _line(self) -> bytes:
        line, complete = self._r.readline(COLUMNS + 3)
        if not complete:
            if len(line) > COLUMNS + 1:
                raise _fail("a line is longer than 64 columns")
            if not line:
                raise _fail("the file ends before the END line")
            return line  # unterminated last line (only valid for the END line)
        line = line[:-1]
        if line.endswith(b"\r"):
            line = line[:-1]
        return line

    def _start(self) -> None:
        while True:
            b = self._r.peek(1)
            if not b:
                raise _fail("no '-----BEGIN AGE ENCRYPTED FILE-----' line")
            if b in (b" ", b"\t", b"\r", b"\n"):
                self._r.read_exact(1)
                continue
            break
        line, complete = self._r.readline(len(BEGIN) + 2)
        if line.endswith(b"\n"):
            line = line[:-1]
            if line.endswith(b"\r"):
                line = line[:-1]
        if not complete or line != BEGIN:
            raise _fail("the first line is not exactly '-----BEGIN AGE ENCRYPTED FILE-----'")
        self._started = True

    def _finish(self) -> None:
        # Only whitespace may follow the END line.
        while True:
            rest = self._r.read_exact(4096)
            if not rest:
                break
            if rest.strip(_WS):
                raise _fail("data follows the END line")
        self._done = True

    def _next_block(self) -> bytes:
        """Decode the next armor line(s); return b'' at the END line."""
        # Fast path: a run of full 64-column lines decodes in one call. It
        # accepts exactly what the line-by-line path below accepts.
        m = _FULL_LINES.match(self._r.peek(_BULK))
        if m:
            block = self._r.read_exact(m.end())
            return base64.b64decode(block.replace(b"\r", b"").replace(b"\n", b""))
        line = self._line()
        if line == END:
            self._finish()
            return b""
        if line.startswith(b"-----"):
            raise _fail("the END line is not exactly '-----END AGE ENCRYPTED FILE-----'")
        if not line:
            raise _fail("an empty line inside the armor")
        if len(line) > COLUMNS:
            raise _fail("a line is longer than 64 columns")
        text = line.rstrip(b"=")
        if not _B64.issuperset(text) or len(line) - len(text) > 2:
            raise _fail("a line contains a character that is not base64")
        padded = len(text) != len(line)
        if len(line) < COLUMNS or padded:
            # The final base64 line: the next line must be END.
            if len(line) % 4:
                raise _fail("the last base64 line is missing its '=' padding")
            try:
                data = base64.b64decode(line, validate=True)
            except binascii.Error:
                raise _fail("bad base64 padding") from None
            if base64.b64encode(data) != line:
                raise _fail("the base64 is not canonical")
            end = self._line()
            if end != END:
                if not end:
                    raise _fail("an empty line inside the armor")
                raise _fail("a base64 line shorter than 64 columns is not the last one")
            self._finish()
            return data
        return base64.b64decode(line, validate=True)

    def read(self, n: int = -1, /) -> bytes:
        """Return up to ``n`` decoded bytes (``b''`` at the end of the armor)."""
        if not self._started:
            self._start()
        out = [self._pending]
        have = len(self._pending)
        while (n < 0 or have < n) and not self._done:
            block = self._next_block()
            out.append(block)
            have += len(block)
        data = b"".join(out)
        if n < 0:
            self._pending = b""
            return data
        self._pending = data[n:]
        return data[:n]


class ArmorWriter:
    """A writer that armors everything written to it into ``dst``; call :meth:`close`."""

    _LINE_BYTES = COLUMNS * 3 // 4  # 48 bytes per full line

    def __init__(self, dst: Writer) -> None:
        self._dst = dst
        self._buf = bytearray()
        self._closed = False
        dst.write(BEGIN + b"\n")

    def write(self, data: bytes, /) -> int:
        """Buffer ``data`` and emit every complete 64-column line."""
        self._buf += data
        full = len(self._buf) - len(self._buf) % self._LINE_BYTES
        if full:
            enc = base64.b64encode(bytes(self._buf[:full]))
            del self._buf[:full]
            self._dst.write(b"".join(enc[i : i + COLUMNS] + b"\n"
                                     for i in range(0, len(enc), COLUMNS)))
        return len(data)

    def close(self) -> None:
        """Write the last (padded) line and the END line. Does not close ``dst``."""
        if self._closed:
            return
        if self._buf:
            self._dst.write(base64.b64encode(bytes(self._buf)) + b"\n")
            self._buf.clear()
        self._dst.write(END + b"\n")
        self._closed = True
