"""The web half of ``redact review``: a small Starlette app around a
:class:`~redact.review.ReviewSession`, and the uvicorn server that runs it on loopback.

The app answers only requests carrying the one-time secret (the ``k`` query
parameter on the first visit, swapped for a cookie, or a header), sends a strict
Content-Security-Policy, loads nothing from the network and logs method, path and
status only (never statement text). The page itself is static HTML/JS/CSS shipped
in ``redact/review_static/``. :mod:`redact.review` re-exports every public name.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import time
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

from redact.errors import InputError, OutputError, RedactError

if TYPE_CHECKING:
    from redact.review import ReviewSession

__all__ = ["COOKIE", "HEADER", "CSP", "new_secret", "create_app", "make_server"]

log = logging.getLogger("redact.review")

#: The cookie that carries the secret after the first visit.
COOKIE = "redact_review"
#: The header a script (or a test) may send the secret in instead.
HEADER = "x-review-secret"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


def new_secret() -> str:
    """A one-time secret for the address (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def _static(name: str) -> bytes:
    return resources.files("redact").joinpath("review_static", name).read_bytes()


def _undo_index(d: dict[str, Any]) -> int | None:
    """The change an undo takes back: ``index`` if given (an integer), else the last."""
    i = d.get("index")
    if i is None:
        return None
    if isinstance(i, bool) or not isinstance(i, int):
        raise InputError("the change to take back is not a number", "Reload the page.")
    return i


def _routes(session: ReviewSession) -> dict[str, Callable[[dict[str, Any]], object]]:
    """What each POST endpoint does with the request's JSON object."""
    return {
        "/api/deny": lambda d: session.deny(str(d.get("text", "")),
                                            str(d.get("entity") or "PERSON")),
        "/api/allow": lambda d: session.allow(str(d.get("text", ""))),
        "/api/review": lambda d: session.decide_review(str(d.get("text", "")),
                                                       str(d.get("choice", ""))),
        "/api/action": lambda d: session.set_action(str(d.get("entity", "")),
                                                    str(d.get("action", ""))),
        "/api/label": lambda d: session.rename(str(d.get("label", "")),
                                               str(d.get("new", ""))),
        "/api/undo": lambda d: session.undo(_undo_index(d)),
    }


def create_app(session: ReviewSession, secret: str) -> Any:
    """The Starlette app for ``session``: every request must carry ``secret`` (in the
    ``k`` query parameter on the first visit, then the cookie, or the header)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.base import BaseHTTPMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import JSONResponse, RedirectResponse, Response
    from starlette.routing import Route

    types = {"html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8",
             "css": "text/css; charset=utf-8"}
    files = {name: (_static(name), types[name.rsplit(".", 1)[1]])
             for name in ("index.html", "review.js", "review.css")}

    def ok(value: str | None) -> bool:
        return bool(value) and hmac.compare_digest(str(value).encode(), secret.encode())

    async def guard(request: Request, call_next: Any) -> Response:
        t0 = time.perf_counter()
        if request.url.path == "/" and ok(request.query_params.get("k")):
            # first visit: swap the secret in the address for a cookie, drop it from the URL
            response: Response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, secret, httponly=True, samesite="strict", path="/")
        elif not (ok(request.cookies.get(COOKIE)) or ok(request.headers.get(HEADER))):
            response = Response("Forbidden: open the address redact review printed.\n",
                                status_code=403, media_type="text/plain")
        elif request.method == "POST" and request.headers.get("origin") not in (
                None, f"{request.url.scheme}://{request.url.netloc}"):
            response = Response("Forbidden: wrong origin.\n", status_code=403,
                                media_type="text/plain")
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        # method, path and status only: never a query, a body or statement text
        log.info("%s %s %d %.0f ms", request.method, request.url.path, response.status_code,
                 (time.perf_counter() - t0) * 1000)
        return response

    def static(name: str) -> Any:
        async def endpoint(request: Request) -> Response:
            body, media = files[name]
            return Response(body, media_type=media)
        return endpoint

    def error(exc: RedactError, status: int = 400) -> JSONResponse:
        return JSONResponse({"error": exc.what, "todo": exc.todo}, status_code=status)

    async def body(request: Request) -> dict[str, Any]:
        raw = await request.body()
        if not raw.strip() and request.url.path == "/api/undo":
            return {}
        try:
            data = await request.json()
        except ValueError:
            raise InputError("the request is not JSON", "Reload the page.") from None
        if not isinstance(data, dict):
            raise InputError("the request is not a JSON object", "Reload the page.")
        return data

    async def state(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(session.run))

    def action(fn: Callable[[dict[str, Any]], object]) -> Any:
        async def endpoint(request: Request) -> Response:
            try:
                data = await body(request)
                await run_in_threadpool(fn, data)
                return JSONResponse(await run_in_threadpool(session.run))
            except RedactError as exc:
                return error(exc)
            except ValueError:  # a pydantic check of an entity name
                return error(InputError("that type name is not valid",
                                        "Use an upper-case type such as PERSON or LOCATION."))
        return endpoint

    async def publish(request: Request) -> Response:
        try:
            path = await run_in_threadpool(session.publish)
        except RedactError as exc:
            return error(exc, 409)
        view = await run_in_threadpool(session.run)
        return JSONResponse({**view, "published": str(path)})

    routes = [
        Route("/", static("index.html")),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/static/review.js", static("review.js")),
        Route("/static/review.css", static("review.css")),
        Route("/api/state", state),
        *(Route(path, action(fn), methods=["POST"]) for path, fn in _routes(session).items()),
        Route("/api/publish", publish, methods=["POST"]),
    ]
    return Starlette(routes=routes, middleware=[
        Middleware(TrustedHostMiddleware, allowed_hosts=["127.0.0.1", "localhost"]),
        Middleware(BaseHTTPMiddleware, dispatch=guard)])


def make_server(app: Any, port: int = 0) -> tuple[Any, Any, int]:
    """A uvicorn server for ``app`` on a socket bound to 127.0.0.1 (``port`` 0: a free
    one); returns ``(server, socket, port)``. uvicorn's own access log is off (it would
    log the address with its secret); :func:`create_app` logs method, path, status."""
    import socket

    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(128)  # a browser opened at once waits in the queue until uvicorn runs
    except OSError as exc:
        sock.close()
        raise OutputError(f"port {port} on 127.0.0.1 cannot be used ({exc.strerror})",
                          "Choose another --port, or leave it out for a free one.") from None
    config = uvicorn.Config(app, log_level="warning", access_log=False, log_config=None,
                            lifespan="off")
    return uvicorn.Server(config), sock, sock.getsockname()[1]
