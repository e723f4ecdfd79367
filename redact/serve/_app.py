"""The application of ``redact serve``: the endpoints, and the engine that holds the model
once and builds each request's policy.

Private to :mod:`redact.serve` (which re-exports :func:`create_app`).
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from redact.errors import PolicyError, RedactError
from redact.serve._guard import Guard
from redact.serve._protocol import (
    ASGIApp,
    BadRequest,
    TooLarge,
    attachment,
    check_text,
    error_body,
    internal_error,
    parse_json_body,
    read_upload,
    redacted_name,
    request_policy,
    status_of,
    too_large_error,
)

if TYPE_CHECKING:
    from redact.policy import Policy
    from redact.redactor import Redactor

__all__ = ["create_app", "DEFAULT_MAX_BODY", "CONTENT_TYPES"]

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

    def redactor(self, mapping: dict[str, Any] | None = None) -> Redactor:
        """A Redactor of fresh pseudonym labels, under the server's policy extended by a
        request's ``mapping`` (if any)."""
        base = self.base if mapping is None else self._extended(mapping)
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
        return JSONResponse(error_body(exc), status_code=status_of(exc))

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

    @api.exception_handler(TooLarge)
    async def _too_large(request: Request, exc: TooLarge) -> JSONResponse:
        return JSONResponse(too_large_error(exc.limit), status_code=413,
                            headers={"connection": "close"})

    @api.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        # the Guard logs the type; the message may quote the statement: never shown
        return JSONResponse(internal_error(exc), status_code=500)

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
        data = parse_json_body(await request.body())
        extra = sorted(set(data) - {"text", "policy"})
        if extra:
            raise BadRequest(f"unknown field(s) in the request: {', '.join(extra)[:200]}",
                              "Send only 'text' and, if needed, 'policy'.")
        text = check_text(data.get("text"))
        mapping = request_policy(data.get("policy"))

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
        name, data, mapping, encoding = await read_upload(request, max_body)
        want_json = "application/json" in request.headers.get("accept", "")

        def work() -> tuple[bytes, dict[str, Any]]:
            from redact.formats import redact_document
            from redact.result import document_report

            out, results, doc = redact_document(engine.redactor(mapping), data, name,
                                                encoding=encoding)
            return out, {"name": redacted_name(name), "kind": doc.kind,
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
            "Content-Disposition": attachment(report["name"])})

    guard = Guard(api, token, max_body)
    guard.fastapi = api  # type: ignore[attr-defined]  # for tests and embedding
    return guard
