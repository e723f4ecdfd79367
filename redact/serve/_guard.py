"""The outermost ASGI layer of ``redact serve``: the bearer token, the body limit, one quiet
access line per request, no tracebacks.

Private to :mod:`redact.serve`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time

from redact.serve._protocol import (
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    TooLarge,
    hidden_details,
    internal_error,
    send_json,
    too_large_error,
)

__all__ = ["Guard"]

#: the server's log (its name is what docs/api.md shows and ``log_config`` routes)
log = logging.getLogger("redact.serve")

#: The paths (and methods) written to the access log as they are; any other is logged as
#: "(other)", since a client chose it and it could hold statement text.
_KNOWN_PATHS = ("/v1/health", "/v1/redact", "/v1/documents", "/v1/openapi.json")

_KNOWN_METHODS = ("GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE")


#: Past the limit, the rest of a request's body is read and dropped (this much at most, for
#: this long at most) before the 413 goes out: a server that closes its side with a
#: request still unread in its buffer resets the connection, and the reset can discard
#: the answer before the client reads it. Nothing read is kept or looked at.
DRAIN_BYTES = 64 * 1024 * 1024
DRAIN_SECONDS = 5.0


async def _drain(receive: Receive) -> None:
    """Read and drop what is left of the request body (see :data:`DRAIN_BYTES`)."""
    deadline = time.monotonic() + DRAIN_SECONDS
    seen = 0
    while seen <= DRAIN_BYTES:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        try:
            message = await asyncio.wait_for(receive(), left)
        except Exception:  # noqa: BLE001 - a timeout or a closed connection: stop draining
            return
        if message.get("type") != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class Guard:
    """The outermost layer: checks the bearer token (before reading any body), refuses
    bodies past ``max_body`` (by Content-Length at once, else while they arrive; the rest
    of such a body is read and dropped first, :data:`DRAIN_BYTES`), turns
    any unexpected exception into a 500 that says only its type, and writes one access
    line per request: method, path, status, time. Nothing a client sent beyond the
    method and a known path is ever logged."""

    def __init__(self, app: ASGIApp, token: str, max_body: int) -> None:
        self.app = app
        self._token_digest = hashlib.sha256(token.encode()).digest()
        self.max_body = max_body

    def _authorized(self, scope: Scope) -> bool:
        got = b""
        for k, v in scope.get("headers") or []:
            if k.lower() == b"authorization":
                got = v
                break
        scheme, _, cred = got.partition(b" ")
        # constant time: digests of equal length compared with compare_digest, so neither
        # the token's content nor its length shows in the timing; a wrong scheme compares too
        ok = hmac.compare_digest(hashlib.sha256(cred.strip()).digest(), self._token_digest)
        return ok and scheme.lower() == b"bearer"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            if scope["type"] == "lifespan":
                await self.app(scope, receive, send)
            return  # no websockets
        t0 = time.perf_counter()
        status = {"code": 0}

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self._handle(scope, receive, send_logged, status)
        finally:
            path = scope.get("path", "")
            method = scope.get("method", "")
            log.info("%s %s %d %.3fs", method if method in _KNOWN_METHODS else "(other)",
                     path if path in _KNOWN_PATHS else "(other)", status["code"],
                     time.perf_counter() - t0)

    async def _handle(self, scope: Scope, receive: Receive, send: Send,
                      status: dict[str, int]) -> None:
        if not self._authorized(scope):
            await send_json(send, 401, {
                "error": "Unauthorized",
                "what": "missing or wrong bearer token",
                "todo": "Send the header 'Authorization: Bearer <token>' with the token the "
                        "server printed at start (or the one in its --token-file)."},
                [(b"www-authenticate", b"Bearer")])
            return
        length = None
        for k, v in scope.get("headers") or []:
            if k.lower() == b"content-length":
                try:
                    length = int(v)
                except ValueError:
                    length = None
        if length is not None and length > self.max_body:
            if length <= DRAIN_BYTES:
                await _drain(receive)
            await send_json(send, 413, too_large_error(self.max_body),
                            [(b"connection", b"close")])
            return
        seen = 0
        limit = self.max_body

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message

        try:
            await self.app(scope, limited_receive, send)
        except TooLarge:
            if status["code"] == 0:
                await _drain(receive)
                await send_json(send, 413, too_large_error(self.max_body),
                                [(b"connection", b"close")])
        except Exception as exc:  # noqa: BLE001 - anything: its message may quote the text
            log.error("%s", hidden_details(exc))
            if status["code"] == 0:
                await send_json(send, 500, internal_error(exc))
