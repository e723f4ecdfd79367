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

from redact.serve._app import CONTENT_TYPES, DEFAULT_MAX_BODY, create_app
from redact.serve._protocol import ASGIApp as ASGIApp  # the type create_app returns
from redact.serve._protocol import BadRequest
from redact.serve._runner import (
    DEFAULT_PORT,
    bind,
    check_host,
    log_config,
    new_token,
    read_token_file,
    run,
)

__all__ = ["create_app", "bind", "run", "read_token_file", "new_token", "check_host",
           "log_config", "BadRequest", "DEFAULT_MAX_BODY", "DEFAULT_PORT", "CONTENT_TYPES"]
