"""``redact serve``: the local JSON API for newsroom tools (a thin layer over
:mod:`redact.serve`; see ``docs/api.md``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from redact._cli_common import PolicyOpt

__all__ = ["register"]


def serve_cmd(
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535, help="Port to listen on (0: any free port).")] = 8765,
    token_file: Annotated[Path | None, typer.Option(
        "--token-file", help="The bearer token is on this file's first line; the file must "
                             "be readable by you only (chmod 600). Default: a new token, "
                             "printed once.")] = None,
    policy: PolicyOpt = None,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64, help="Statements redacted at once (threads).")] = 2,
    max_body_mb: Annotated[float, typer.Option(
        "--max-body-mb", min=0.001, help="Largest request body, in MB (413 past it).")] = 2.0,
    host: Annotated[str, typer.Option(
        "--host", help="Address to bind. Anything but loopback needs "
                       "--i-understand-this-exposes-statements, and TLS in front that you "
                       "configure (docs/api.md).")] = "127.0.0.1",
    exposed_ok: Annotated[bool, typer.Option(
        "--i-understand-this-exposes-statements",
        help="Allow a --host other than loopback.")] = False,
) -> None:
    """Serve a JSON API on this machine for newsroom tools (CMS, transcription, case
    databases): POST /v1/redact, POST /v1/documents, GET /v1/health, /v1/openapi.json.

    Every request needs 'Authorization: Bearer <token>'. No statement text is logged:
    the log has one line per request (method, path, status, time).

    Example:

        redact serve --token-file ~/.config/redact/token --workers 2
    """
    from redact import serve

    if not serve.check_host(host, exposed_ok):
        typer.echo(f"redact serve: WARNING: listening on {host}, not only on this machine; "
                   "the API speaks plain HTTP: put TLS in front of it (docs/api.md, "
                   "'Other machines').", err=True)
    if token_file is not None:
        token = serve.read_token_file(token_file)
        shown = f"token: from {token_file}"
    else:
        token = serve.new_token()
        shown = f"token: {token}   (printed once; keep it secret, or use --token-file)"
    sock = serve.bind(host, port)  # a port in use is said before the model loads
    try:
        typer.echo("redact serve: loading the model ...", err=True)
        app = serve.create_app(policy, token=token, workers=workers,
                               max_body=int(max_body_mb * 1024 * 1024))
    except BaseException:
        sock.close()
        raise

    def ready(url: str) -> None:
        sys.stdout.write(f"redact serve: listening on {url}/v1/ (Ctrl-C stops)\n{shown}\n")
        sys.stdout.flush()

    serve.run(app, ready=ready, sock=sock)


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to the main ``redact`` app."""
    app.command("serve")(serve_cmd)
