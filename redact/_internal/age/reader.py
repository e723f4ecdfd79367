"""A small buffered reader over any binary source with ``read(n)``.

The header parser needs lines, the payload needs exact-size reads, and the
armor decoder produces bytes lazily: this wrapper gives all three one
interface, never reads more than it needs beyond one internal buffer, and
never requires ``seek``.
"""

from __future__ import annotations

from typing import Protocol

__all__ = ["RawSource", "Reader"]


class RawSource(Protocol):
    """Anything with ``read(n) -> bytes`` (files, pipes, ``BytesIO``, armor decoder)."""

    def read(self, n: int = -1, /) -> bytes: ...


class Reader:
    """Buffered reads from a :class:`RawSource`: ``read_exact``, ``readline``, ``at_eof``."""

    _BLOCK = 64 * 1024

    def __init__(self, src: RawSource) -> None:
        self._src = src
        self._buf = bytearray()
        self._eof = False

    def _fill(self, want: int) -> None:
        """Read from the source until ``want`` bytes are buffered or EOF."""
        while len(self._buf) < want and not self._eof:
            chunk = self._src.read(max(self._BLOCK, want - len(self._buf)))
            if not chunk:
                self._eof = True
            else:
                self._buf += chunk

    def read_exact(self, n: int) -> bytes:
        """Return up to ``n`` bytes; fewer only at end of input."""
        if not self._buf and n >= self._BLOCK and not self._eof:
            # Large read with nothing buffered (the payload): skip the copy.
            first = self._src.read(n)
            if len(first) == n:
                return first
            if not first:
                self._eof = True
                return b""
            self._buf += first
        self._fill(n)
        out = bytes(self._buf[:n])
        del self._buf[:n]
        return out

    def readline(self, limit: int) -> tuple[bytes, bool]:
        """Return ``(line, complete)``: a line including its LF, or what is left.

        ``complete`` is False if no LF was found within ``limit`` bytes or
        before end of input; the returned bytes are then consumed anyway (the
        caller treats that as an error).
        """
        start = 0
        while True:
            idx = self._buf.find(b"\n", start)
            if idx != -1 and idx < limit:
                line = bytes(self._buf[: idx + 1])
                del self._buf[: idx + 1]
                return line, True
            if len(self._buf) >= limit or self._eof:
                n = min(len(self._buf), limit)
                line = bytes(self._buf[:n])
                del self._buf[:n]
                return line, False
            start = len(self._buf)
            self._fill(len(self._buf) + 1)

    def read(self, n: int = -1, /) -> bytes:
        """``RawSource`` interface: like :meth:`read_exact`; ``n < 0`` reads everything."""
        if n < 0:
            parts = [bytes(self._buf)]
            self._buf.clear()
            while not self._eof:
                chunk = self._src.read(self._BLOCK)
                if not chunk:
                    self._eof = True
                parts.append(chunk)
            return b"".join(parts)
        return self.read_exact(n)

    def peek(self, n: int) -> bytes:
        """Return up to ``n`` bytes without consuming them."""
        self._fill(n)
        return bytes(self._buf[:n])

    def at_eof(self) -> bool:
        """True if no byte is left."""
        self._fill(1)
        return not self._buf
