"""The wire of ``redact serve``: request bodies read (JSON, multipart uploads parsed in
memory), errors written as JSON bodies that never quote the statement, the ASGI types.

Private to :mod:`redact.serve` (which re-exports :class:`BadRequest`).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

from redact.errors import InputError, LeakError, PolicyError, RedactError, UnsupportedFormatError

if TYPE_CHECKING:
    from fastapi import Request

__all__ = ["Scope", "Message", "Receive", "Send", "ASGIApp", "BadRequest", "TooLarge",
           "error_body", "status_of", "too_large_error", "hidden_details", "internal_error",
           "send_json", "parse_json_body", "check_text", "request_policy", "read_upload",
           "redacted_name", "attachment"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# ---- errors as JSON -----------------------------------------------------------------------


def error_body(exc: RedactError) -> dict[str, Any]:
    """The JSON body of an answer to ``exc``: its type, what and todo, and for a leak its
    findings (types and offsets), for a policy its problems; never statement text."""
    body: dict[str, Any] = {"error": type(exc).__name__, "what": exc.what, "todo": exc.todo}
    if isinstance(exc, LeakError):
        body["findings"] = [{"type": t, "offset": o} for t, o in exc.findings]
    if isinstance(exc, PolicyError):
        body["problems"] = [{"key": p.key, "line": p.line, "message": p.message}
                            for p in exc.problems]
    return body


def status_of(exc: RedactError) -> int:
    """The HTTP status of an answer to ``exc``."""
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


class TooLarge(Exception):
    """The request body passed the limit (raised from the guarded ``receive``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"body over {limit} bytes")


def too_large_error(limit: int) -> dict[str, Any]:
    """The body of a 413 answer."""
    return {"error": "RequestTooLarge",
            "what": f"the request body is larger than the server's limit of {limit:,} bytes",
            "todo": "Send a smaller statement, or start the server with a larger "
                    "--max-body-mb."}


def hidden_details(exc: BaseException) -> str:
    """What is said of an unexpected error, in a response and in the log: its type only,
    since its message may quote the statement."""
    return (f"internal error ({type(exc).__name__}); details hidden because they may quote "
            "the statement")


def internal_error(exc: BaseException) -> dict[str, Any]:
    """The body of a 500 answer: :func:`hidden_details` and what to do."""
    return {"error": "InternalError",
            "what": hidden_details(exc),
            "todo": "Nothing was kept. Try again; if it happens again, report it with the "
                    "error type."}


async def send_json(send: Send, status: int, body: dict[str, Any],
                    headers: list[tuple[bytes, bytes]] | None = None) -> None:
    """Answer with ``body`` as JSON (for the guard, which answers before FastAPI does)."""
    data = json.dumps(body, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": data})


def parse_json_body(body: bytes) -> dict[str, Any]:
    """The JSON object of a request body; :class:`BadRequest` saying where it is not one."""
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


def check_text(text: Any, field: str = "text") -> str:
    """``text`` if it is a statement the API takes (a string, valid Unicode, not too long);
    :class:`BadRequest` otherwise."""
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


def request_policy(value: Any) -> dict[str, Any] | None:
    """A request's ``policy`` field: a mapping, or ``None`` when left out."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRequest("'policy' must be a JSON object (a policy mapping, as in a policy "
                          "file) or left out", "See docs/policy.md for the keys.")
    return value


def redacted_name(name: str) -> str:
    """The name of the redacted file (``statement.redacted.docx``), without any folder."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1] or "statement"
    stem, dot, ext = base.rpartition(".")
    return f"{stem}.redacted.{ext}" if dot and stem else f"{base}.redacted"


def attachment(name: str) -> str:
    """A ``Content-Disposition`` header for ``name`` (an ASCII fallback and UTF-8)."""
    from urllib.parse import quote

    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_"
                         for c in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


async def read_upload(request: Request, max_body: int
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
                mapping = request_policy(json.loads(policy_field))
            except (json.JSONDecodeError, RecursionError):
                raise BadRequest("the 'policy' field is not valid JSON",
                                 "Send the policy mapping as JSON text, e.g. "
                                 "{\"deny\": [{\"text\": \"...\"}]}.") from None
        enc = form.get("encoding")
        encoding = enc if isinstance(enc, str) and enc.strip() else None
    finally:
        await form.close()
    return name, data, mapping, encoding
