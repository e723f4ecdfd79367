"""Running ``redact serve``: the bearer token, the address (loopback unless asked twice),
the socket and uvicorn with quiet logs.

Private to :mod:`redact.serve` (which re-exports every public name here).
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from redact.errors import KeyFileError, RedactError
from redact.serve._protocol import ASGIApp

__all__ = ["new_token", "read_token_file", "check_host", "log_config", "bind", "run",
           "DEFAULT_PORT"]

DEFAULT_PORT = 8765


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
