"""``redact serve``: a local JSON API for newsroom tools (see ``docs/api.md``).

Library first: :func:`create_app` returns an ASGI application (FastAPI inside)
that any ASGI server can run; :func:`run` runs it with uvicorn on loopback::

    from redact.serve import create_app
    app = create_app("testimony.yaml", token="...", workers=2)

Endpoints (every one needs ``Authorization: Bearer <token>``):

- ``GET /v1/health``: the model and policy fingerprint.
- ``POST /v1/redact``: ``{"text": ..., "policy"?: {...}}`` -> the redacted text and a
  report (``RedactionResult.to_report()``: offsets, types, actions; no removed text).
- ``POST /v1/documents``: a multipart upload (field ``file``) of any supported
  format -> the redacted file (or JSON with ``Accept: application/json``).
- ``GET /v1/openapi.json``: the OpenAPI schema.

What it never does: bind a non-loopback address unless asked twice (see
:func:`check_host`), write statement text to a log line, an error message or a
temporary file (uploads are parsed in memory), or keep names between requests
(each request gets its own pseudonym labels, starting again at A).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import secrets
import socket
import stat
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from redact.errors import (
    InputError,
    KeyFileError,
    LeakError,
    PolicyError,
    RedactError,
    UnsupportedFormatError,
)

if TYPE_CHECKING:
    from redact.policy import Policy
    from redact.redactor import Redactor

__all__ = ["create_app", "bind", "run", "read_token_file", "new_token", "check_host",
           "DEFAULT_MAX_BODY", "DEFAULT_PORT", "CONTENT_TYPES"]

log = logging.getLogger("redact.serve")

DEFAULT_PORT = 8765
DEFAULT_MAX_BODY = 2 * 1024 * 1024

#: Reader kind -> the media type of the redacted file.
CONTENT_TYPES = {
    "text": "text/plain", "markdown": "text/markdown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json", "jsonl": "application/x-ndjson",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
}

#: Keys a request's policy may not set: ``extends`` would read files on the server's disk,
#: ``model`` would load another spaCy model for one request.
_REQUEST_POLICY_FORBIDDEN = ("extends", "model")
#: Request policies kept built (by fingerprint), so a tool sending the same one is fast.
_POLICY_CACHE = 8
#: The paths (and methods) written to the access log as they are; any other is logged as
#: "(other)", since a client chose it and it could hold statement text.
_KNOWN_PATHS = ("/v1/health", "/v1/redact", "/v1/documents", "/v1/openapi.json")

_KNOWN_METHODS = ("GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# ---- token and host ---------------------------------------------------------------------


def new_token() -> str:
    """A fresh random bearer token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def read_token_file(path: str | Path) -> str:
    """The bearer token on the first line of ``path``.

    The file must be readable by its owner only (mode 0600 or 0400): a token
    others can read lets them read every statement sent to the server.
    Raises :class:`KeyFileError` otherwise, and for a missing or empty file or
    a token shorter than 16 characters.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise KeyFileError(f"cannot read the token file {p} ({type(exc).__name__})",
                           "Give a file holding the token on its first line, or leave out "
                           "--token-file to have a token generated and printed.") from None
    if not stat.S_ISREG(st.st_mode):
        raise KeyFileError(f"the token file {p} is not a regular file",
                           "Give a file holding the token on its first line.")
    if os.name == "posix" and st.st_mode & 0o077:
        raise KeyFileError(
            f"the token file {p} can be read or written by others (mode "
            f"{stat.S_IMODE(st.st_mode):04o}); it must be readable by you only (0600)",
            f"Run `chmod 600 {p}`, then start the server again.")
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyFileError(f"cannot read the token file {p} ({type(exc).__name__})",
                           "The token file must be UTF-8 text with the token on its first "
                           "line.") from None
    token = lines[0].strip() if lines else ""
    if len(token) < 16 or not token.isascii() or any(c.isspace() for c in token):
        raise KeyFileError(f"the token in {p} is missing, shorter than 16 characters, or "
                           "holds spaces or non-ASCII characters",
                           "Put a long random token on the first line, e.g. "
                           "`python -c 'import secrets; print(secrets.token_urlsafe(32))' > "
                           f"{p}; chmod 600 {p}`.")
    return token


def check_host(host: str, exposed_ok: bool) -> bool:
    """Refuse a non-loopback ``host`` unless ``exposed_ok`` (the explicit opt-in flag).
    True if ``host`` is loopback."""
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        loopback = ipaddress.ip_address(name).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not exposed_ok:
        raise RedactError(
            f"--host {host} is not a loopback address: anyone who can reach it could send "
            "statements (and, with the token, read them back unencrypted)",
            "Leave out --host (127.0.0.1), or add --i-understand-this-exposes-statements and "
            "put TLS in front of the server yourself (docs/api.md, 'Other machines').")
    return loopback


# ---- errors as JSON -----------------------------------------------------------------------


def _error_body(exc: RedactError) -> dict[str, Any]:
    body: dict[str, Any] = {"error": type(exc).__name__, "what": exc.what, "todo": exc.todo}
    if isinstance(exc, LeakError):
        body["findings"] = [{"type": t, "offset": o} for t, o in exc.findings]
    if isinstance(exc, PolicyError):
        body["problems"] = [{"key": p.key, "line": p.line, "message": p.message}
                            for p in exc.problems]
    return body


def _status_of(exc: RedactError) -> int:
    if isinstance(exc, LeakError):
        return 422
    if isinstance(exc, UnsupportedFormatError):
        return 415
    if isinstance(exc, InputError | PolicyError):
        return 400
    return 500


class BadRequest(InputError):
    """A request the API cannot take (bad JSON, a missing field, undecodable text)."""

    default_todo = "See docs/api.md for the request format."


class _TooLarge(Exception):
    """The request body passed the limit (raised from the guarded ``receive``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"body over {limit} bytes")


def _too_large_error(limit: int) -> dict[str, Any]:
    return {"error": "RequestTooLarge",
            "what": f"the request body is larger than the server's limit of {limit:,} bytes",
            "todo": "Send a smaller statement, or start the server with a larger "
                    "--max-body-mb."}


def _internal_error(exc: BaseException) -> dict[str, Any]:
    return {"error": "InternalError",
            "what": f"internal error ({type(exc).__name__}); details hidden because they may "
                    "quote the statement",
            "todo": "Nothing was kept. Try again; if it happens again, report it with the "
                    "error type."}


async def _send_json(send: Send, status: int, body: dict[str, Any],
                     headers: list[tuple[bytes, bytes]] | None = None) -> None:
    data = json.dumps(body, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": data})


# ---- the ASGI guard: auth, body limit, quiet logs, no tracebacks --------------------------


class _Guard:
    """The outermost layer: checks the bearer token (before reading any body), refuses
    bodies past ``max_body`` (by Content-Length at once, else while they arrive), turns
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
            await _send_json(send, 401, {
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
            await _send_json(send, 413, _too_large_error(self.max_body),
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
                    raise _TooLarge(limit)
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            if status["code"] == 0:
                await _send_json(send, 413, _too_large_error(self.max_body),
                                 [(b"connection", b"close")])
        except Exception as exc:  # noqa: BLE001 - anything: its message may quote the text
            log.error("internal error: %s (details hidden: they may quote a statement)",
                      type(exc).__name__)
            if status["code"] == 0:
                await _send_json(send, 500, _internal_error(exc))


# ---- the engine: one model, many requests -----------------------------------------------


class _Engine:
    """The server's Redactor (the model loaded once) and the request policies built from it.

    Every request gets a Redactor of its own pseudonym labels (`Redactor.with_pseudonyms`, sharing
    the detector, with a fresh planner): labels start at A in every response, and no
    name is kept in memory once a request is answered.
    """

    def __init__(self, policy: Policy) -> None:
        from redact.redactor import Redactor

        self.policy = policy
        self.base = Redactor(policy)
        self._cache: OrderedDict[str, Redactor] = OrderedDict()
        self._lock = threading.Lock()

    def redactor(self, request_policy: dict[str, Any] | None = None) -> Redactor:
        base = self.base if request_policy is None else self._extended(request_policy)
        return base.with_pseudonyms()

    def _extended(self, mapping: dict[str, Any]) -> Redactor:
        from redact.redactor import Redactor

        bad = [k for k in _REQUEST_POLICY_FORBIDDEN if k in mapping]
        if bad:
            raise PolicyError(f"a request's policy may not set '{bad[0]}'", path="<request>",
                              key=bad[0], todo="A request's policy extends the server's; "
                              "start the server with --policy to use another base or model.")
        policy = self.policy.derived(mapping, name="<request>", base_name="<server>")
        key = policy.sha256()
        with self._lock:
            got = self._cache.get(key)
            if got is not None:
                self._cache.move_to_end(key)
                return got
        built = Redactor(policy)  # the spaCy model is cached: this takes a few ms
        with self._lock:
            self._cache[key] = built
            while len(self._cache) > _POLICY_CACHE:
                self._cache.popitem(last=False)
        return built


def _load_policy(policy: Policy | str | Path | None) -> Policy:
    from redact.policy import Policy

    return policy if isinstance(policy, Policy) else Policy.load(policy)


def _parse_json_body(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise BadRequest("the request body is not UTF-8 text",
                          "Send JSON encoded as UTF-8.") from None
    except json.JSONDecodeError as exc:
        # position only: the message of JSONDecodeError itself holds no text, but keep it so
        raise BadRequest(f"the request body is not valid JSON ({exc.msg} at character "
                          f"{exc.pos})", "Send a JSON object such as {\"text\": \"...\"}.") \
            from None
    except RecursionError:
        raise BadRequest("the request body nests too deeply",
                          "Send a JSON object such as {\"text\": \"...\"}.") from None
    if not isinstance(data, dict):
        raise BadRequest("the request body must be a JSON object",
                          "Send a JSON object such as {\"text\": \"...\"}.")
    return data


def _check_text(text: Any, field: str = "text") -> str:
    from redact.formats import MAX_DOCUMENT_CHARS

    if not isinstance(text, str):
        raise BadRequest(f"'{field}' is missing or not a string",
                          "Send a JSON object such as {\"text\": \"...\"}.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadRequest(f"'{field}' holds undecodable text (a lone UTF-16 surrogate at "
                          f"character {exc.start})",
                          "Send the statement as valid Unicode (check the client's "
                          "encoding).") from None
    if len(text) > MAX_DOCUMENT_CHARS:
        raise BadRequest(f"'{field}' holds {len(text):,} characters; at most "
                          f"{MAX_DOCUMENT_CHARS:,} are taken in one request",
                          "Split the statement.")
    return text


def _request_policy(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRequest("'policy' must be a JSON object (a policy mapping, as in a policy "
                          "file) or left out", "See docs/policy.md for the keys.")
    return value


# ---- the application ----------------------------------------------------------------------


def create_app(policy: Policy | str | Path | None = None, token: str | None = None,
               workers: int = 2, max_body: int = DEFAULT_MAX_BODY) -> ASGIApp:
    """The API as an ASGI application. Loads the policy and the model now (once).

    ``token`` is the bearer token every request must carry (required: use
    :func:`new_token`); ``workers`` is how many requests are redacted at once (a
    thread pool; more wait their turn); ``max_body`` is the largest request body in
    bytes (413 past it, found before the body is read in full).
    """
    import redact

    if not token:
        raise ValueError("a token is required (redact.serve.new_token() makes one)")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    engine = _Engine(_load_policy(policy))
    # Redactor is thread-safe (tests/test_serve.py checks it under load): up to `workers`
    # requests are redacted at once, the others wait in the pool's queue.
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="redact-serve")

    async def in_pool(fn: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(executor, fn)

    api = FastAPI(title="redact", version=redact.__version__,
                  description="Redact identifying details from witness statements, on this "
                              "machine. Every request needs `Authorization: Bearer <token>`. "
                              "See docs/api.md.",
                  openapi_url="/v1/openapi.json", docs_url=None, redoc_url=None)

    @api.exception_handler(RedactError)
    async def _redact_error(request: Request, exc: RedactError) -> JSONResponse:
        return JSONResponse(_error_body(exc), status_code=_status_of(exc))

    @api.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        what = {404: "no such endpoint", 405: "method not allowed here"}.get(
            exc.status_code, f"HTTP error {exc.status_code}")
        return JSONResponse({"error": "HTTPError", "what": what,
                             "todo": "See docs/api.md or /v1/openapi.json for the endpoints."},
                            status_code=exc.status_code)

    @api.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # pydantic's own errors quote the input: say only where the problem is
        where = sorted({".".join(str(x) for x in e.get("loc", ())) for e in exc.errors()})
        return JSONResponse({"error": "BadRequest",
                             "what": "the request is malformed at: " + ", ".join(where)[:200],
                             "todo": "See docs/api.md for the request format."},
                            status_code=400)

    @api.exception_handler(_TooLarge)
    async def _too_large(request: Request, exc: _TooLarge) -> JSONResponse:
        return JSONResponse(_too_large_error(exc.limit), status_code=413,
                            headers={"connection": "close"})

    @api.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        # the _Guard logs the type; the message may quote the statement: never shown
        return JSONResponse(_internal_error(exc), status_code=500)

    info = {"model": engine.base.model_info.to_dict(), "policy_sha256": engine.policy.sha256()}

    @api.get("/v1/health", summary="Is the server up; which model and policy it uses")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "version": redact.__version__, "workers": workers,
                "max_body": max_body, **info}

    redact_body = {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["text"], "additionalProperties": False,
        "properties": {
            "text": {"type": "string", "description": "The statement."},
            "policy": {"type": "object", "description": "A policy mapping (as in a policy "
                       "file, without `extends` and `model`) extending the server's."}}}}}}

    @api.post("/v1/redact", summary="Redact one statement (JSON in, JSON out)",
              openapi_extra={"requestBody": redact_body})
    async def redact_text(request: Request) -> dict[str, Any]:
        data = _parse_json_body(await request.body())
        extra = sorted(set(data) - {"text", "policy"})
        if extra:
            raise BadRequest(f"unknown field(s) in the request: {', '.join(extra)[:200]}",
                              "Send only 'text' and, if needed, 'policy'.")
        text = _check_text(data.get("text"))
        mapping = _request_policy(data.get("policy"))

        def work() -> dict[str, Any]:
            result = engine.redactor(mapping).redact(text)
            return {"text": result.text, **result.to_report()}

        return await in_pool(work)

    documents_body = {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {
            "file": {"type": "string", "format": "binary",
                     "description": "The statement file (.txt, .md, .docx, .json, .jsonl, "
                                    ".csv, .tsv); its name's extension picks the reader."},
            "policy": {"type": "string", "description": "Optional: a policy mapping as "
                       "JSON text, extending the server's."},
            "encoding": {"type": "string", "description": "Optional: the text encoding of "
                         "a text file (default: detected)."}}}}}}

    @api.post("/v1/documents", summary="Redact a file; get the redacted file back",
              openapi_extra={"requestBody": documents_body},
              response_class=Response,
              responses={200: {"description": "The redacted file (or JSON with Accept: "
                                               "application/json)"}})
    async def redact_file(request: Request) -> Response:
        name, data, mapping, encoding = await _read_upload(request, max_body)
        want_json = "application/json" in request.headers.get("accept", "")

        def work() -> tuple[bytes, dict[str, Any]]:
            from redact.formats import redact_document
            from redact.result import document_report

            out, results, doc = redact_document(engine.redactor(mapping), data, name,
                                                encoding=encoding)
            return out, {"name": _redacted_name(name), "kind": doc.kind,
                         "encoding": doc.reread_options().get("encoding"),
                         **document_report(results, doc.kind)}

        out, report = await in_pool(work)
        ctype = CONTENT_TYPES.get(report["kind"], "application/octet-stream")
        enc = report.get("encoding")
        if ctype.startswith("text/") or ctype in ("application/json", "application/x-ndjson"):
            ctype += f"; charset={enc if isinstance(enc, str) else 'utf-8'}"
        if want_json:
            return JSONResponse({"name": report["name"], "content_type": ctype,
                                 "content_base64": base64.b64encode(out).decode(),
                                 "report": report})
        summary = {"counts": report["counts"], "review_words": report["review_words"],
                   "policy_sha256": report["policy_sha256"], "model": report["model"]}
        return Response(out, media_type=ctype, headers={
            "X-Redact-Report": json.dumps(summary, separators=(",", ":")),
            "Content-Disposition": _attachment(report["name"])})

    guard = _Guard(api, token, max_body)
    guard.fastapi = api  # type: ignore[attr-defined]  # for tests and embedding
    return guard


def _redacted_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1] or "statement"
    stem, dot, ext = base.rpartition(".")
    return f"{stem}.redacted.{ext}" if dot and stem else f"{base}.redacted"


def _attachment(name: str) -> str:
    from urllib.parse import quote

    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                         for c in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


async def _read_upload(request: Request, max_body: int
                       ) -> tuple[str, bytes, dict[str, Any] | None, str | None]:
    """The uploaded file's name and bytes, the policy and encoding fields: parsed in memory
    (never spooled to a temporary file on disk)."""
    from starlette.datastructures import UploadFile
    from starlette.formparsers import MultiPartException, MultiPartParser

    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise BadRequest("POST /v1/documents takes a multipart/form-data upload",
                          "Send the file in a form field named 'file' (curl -F "
                          "file=@statement.docx).")

    class InMemory(MultiPartParser):
        spool_max_size = max_body + 1  # never rolls over to disk

    parser = InMemory(request.headers, request.stream(), max_files=1, max_fields=4,
                      max_part_size=max_body)
    try:
        form = await parser.parse()
    except MultiPartException as exc:
        raise BadRequest(f"the upload cannot be read ({exc.message})",
                          "Send the file in a form field named 'file'.") from None
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise BadRequest("the upload has no file in a field named 'file'",
                              "Send the file in a form field named 'file' (curl -F "
                              "file=@statement.docx).")
        name = upload.filename or "statement.txt"
        data = await upload.read()
        policy_field = form.get("policy")
        mapping = None
        if isinstance(policy_field, str) and policy_field.strip():
            try:
                mapping = _request_policy(json.loads(policy_field))
            except (json.JSONDecodeError, RecursionError):
                raise BadRequest("the 'policy' field is not valid JSON",
                                 "Send the policy mapping as JSON text, e.g. "
                                 "{\"deny\": [{\"text\": \"...\"}]}.") from None
        enc = form.get("encoding")
        encoding = enc if isinstance(enc, str) and enc.strip() else None
    finally:
        await form.close()
    return name, data, mapping, encoding


# ---- running it -----------------------------------------------------------------------------


def log_config() -> dict[str, Any]:
    """uvicorn's logging: its own messages (start, stop) and redact's access lines
    (method, known path, status, time) on stderr; uvicorn's access log (which would show
    query strings and client addresses) off."""
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                                "stream": "ext://sys.stderr"}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "redact.serve": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def bind(host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> socket.socket:
    """A socket bound to ``host``:``port`` (``port=0``: any free port), for :func:`run`.

    Bind before loading the model, so a port in use is said at once: raises
    :class:`RedactError` with what to do.
    """
    name = host.strip("[]")
    family = socket.AF_INET6 if ":" in name else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((name, port))
    except OSError as exc:
        sock.close()
        raise RedactError(f"cannot listen on {host} port {port} "
                          f"({exc.strerror or type(exc).__name__})",
                          "Choose another --port (--port 0 takes any free one), or stop the "
                          "program that uses this one.") from None
    return sock


def run(app: ASGIApp, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
        ready: Callable[[str], None] | None = None, *,
        sock: socket.socket | None = None) -> None:
    """Serve ``app`` with uvicorn until Ctrl-C, on ``sock`` (from :func:`bind`) or on a
    socket bound to ``host``:``port`` now. ``ready(url)`` is called once listening."""
    import uvicorn

    if sock is None:
        sock = bind(host, port)
    addr = sock.getsockname()
    name, bound = str(addr[0]), int(addr[1])
    config = uvicorn.Config(app, host=name, port=bound, access_log=False,
                            log_config=log_config(), server_header=False,
                            proxy_headers=False, lifespan="off")
    server = uvicorn.Server(config)
    original = server.startup

    async def startup(sockets: Any = None) -> None:
        await original(sockets=sockets)
        if server.started and ready is not None:
            ready(f"http://{'[' + name + ']' if ':' in name else name}:{bound}")

    server.startup = startup  # type: ignore[method-assign]
    try:
        server.run(sockets=[sock])
    except SystemExit as exc:
        if exc.code not in (0, None):
            raise RedactError(f"the server stopped while starting (code {exc.code})",
                              "See the lines above; choose another --port if it is in "
                              "use.") from None
    finally:
        sock.close()
