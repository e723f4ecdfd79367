"""``redact review``: an editor reads and decides one statement in a local web page.

The library half: :class:`ReviewSession` holds the statement, the policy and the
editor's decisions (extra deny and allow entries, review words decided); every
change re-plans and re-verifies the whole statement at once.
:func:`create_app` wraps a session in a small Starlette app that answers only
requests carrying the one-time secret, sends a strict Content-Security-Policy,
loads nothing from the network and logs method, path and status only (never
statement text). The page itself is static HTML/JS/CSS shipped in
``redact/review_static/``.

>>> session = ReviewSession("statement.txt", Policy.load())      # doctest: +SKIP
>>> session.deny("Sasha")                                         # doctest: +SKIP
>>> session.view()["review_left"]                                 # doctest: +SKIP
"""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from redact.errors import InputError, LeakError, OutputError, RedactError
from redact.policy import AllowEntry, DenyEntry, Policy

__all__ = ["ReviewSession", "create_app", "default_output", "new_secret", "COOKIE"]

log = logging.getLogger("redact.review")

#: The cookie that carries the secret after the first visit.
COOKIE = "redact_review"
#: The header a script (or a test) may send the secret in instead.
HEADER = "x-review-secret"
#: Longest word or phrase an editor may add (a name, not a paragraph).
MAX_TERM = 200

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
       "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")


def new_secret() -> str:
    """A one-time secret for the address (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def default_output(statement: str | Path) -> Path:
    """``NAME.redacted.EXT`` beside the input."""
    p = Path(statement)
    return p.with_name(f"{p.stem}.redacted{p.suffix or '.txt'}")


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


@dataclass
class _Change:
    """One editor decision (what undo takes back)."""

    kind: str  # "deny" | "allow" | "review"
    text: str
    entity: str = "PERSON"
    choice: str = ""  # for review: "keep" | "remove"


@dataclass
class ReviewSession:
    """One statement under review: the file, the policy, the editor's decisions.

    ``redactor`` is reused for its loaded model (a Redactor built from the
    extended policy reuses it). ``output`` is where "Publish" writes
    (default ``NAME.redacted.EXT`` beside the input; never the input itself).
    """

    statement: Path
    policy: Policy
    output: Path | None = None
    encoding: str | None = None
    overwrite: bool = False
    #: with it, Publish also writes the policy with the editor's decisions (for the next
    #: statement of a case kept without a case folder)
    policy_out: Path | None = None
    changes: list[_Change] = field(default_factory=list)
    published: Path | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _cache: dict[str, Any] | None = field(default=None, repr=False)
    #: views already computed, by the decisions that made them (undo is instant)
    _seen: dict[tuple[Any, ...], tuple[dict[str, Any], bytes | None]] = field(
        default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        from redact.formats import read_document
        from redact.io import check_target, read_bytes, same_file

        self.statement = Path(self.statement)
        self.output = Path(self.output) if self.output else default_output(self.statement)
        check_target(self.output, overwrite=self.overwrite, inputs=[str(self.statement)])
        if self.policy_out is not None:
            self.policy_out = Path(self.policy_out)
            check_target(self.policy_out, overwrite=self.overwrite,
                         inputs=[str(self.statement)], option="--save-policy")
            if same_file(self.policy_out, self.output):
                raise OutputError("--save-policy and -o name the same file",
                                  "Give the policy its own file name.")
        self.raw = read_bytes(str(self.statement))
        self.doc = read_document(self.raw, self.statement.name, encoding=self.encoding)
        self._own_output = False
        self._output_bytes: bytes | None = None
        self._findings: list[tuple[str, int]] = []

    # ---- decisions ------------------------------------------------------------------------

    def _term(self, text: str) -> str:
        term = " ".join(str(text).split())
        if not term:
            raise InputError("the word or phrase is empty", "Type the word or phrase to change.")
        if len(term) > MAX_TERM:
            raise InputError(f"the phrase is longer than {MAX_TERM} characters",
                             "Give one name or phrase at a time.")
        return term

    def deny(self, text: str, entity: str = "PERSON") -> None:
        """Remove ``text`` everywhere (a deny entry: every mention, same pseudonym)."""
        entity = (entity or "PERSON").upper()
        DenyEntry(text="x", entity=entity)  # validates the type name
        self._add(_Change("deny", self._term(text), entity))

    def allow(self, text: str) -> None:
        """Keep ``text`` (an allow entry: a public name the policy removed)."""
        self._add(_Change("allow", self._term(text)))

    def decide_review(self, text: str, choice: str) -> None:
        """Decide a review word: ``keep`` it (allowed) or ``remove`` it (denied)."""
        if choice not in ("keep", "remove"):
            raise InputError("a review word is decided 'keep' or 'remove'",
                             "Choose keep or remove.")
        self._add(_Change("review", self._term(text), "PERSON", choice))

    def undo(self) -> bool:
        """Take back the last decision; False if there is none."""
        with self._lock:
            if not self.changes:
                return False
            self.changes.pop()
            self._cache = None
            return True

    def _add(self, change: _Change) -> None:
        with self._lock:
            self.changes.append(change)
            self._cache = None

    def effective_policy(self) -> Policy:
        """The policy with the editor's decisions added as allow and deny entries."""
        allow: list[AllowEntry] = []
        deny: list[DenyEntry] = []
        for c in self.changes:
            if c.kind == "deny" or (c.kind == "review" and c.choice == "remove"):
                deny.append(DenyEntry(text=c.text, entity=c.entity))
            else:
                allow.append(AllowEntry(text=c.text))
        return self.policy.extended(allow=allow, deny=deny, source="<editor>")

    def policy_text(self) -> str:
        """The effective policy with the editor's decisions, as a self-contained YAML
        policy file (``redact file --policy`` reads it). It names people in the clear."""
        import yaml

        header = ("# Policy exported by redact review: " + " <- ".join(
            Path(s).name for s in self.policy.sources) + ", with the editor's decisions.\n"
                  "# It holds names in the clear: keep it where the originals are kept.\n")
        return header + yaml.safe_dump(self.effective_policy().to_dict(), sort_keys=False,
                                       allow_unicode=True)

    def kept_review_words(self) -> set[str]:
        return {_norm(c.text) for c in self.changes if c.kind == "review" and c.choice == "keep"}

    # ---- running --------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        """Re-plan and re-verify with the current decisions; the view (see :meth:`view`)."""
        from redact.formats import redact_document
        from redact.redactor import Redactor

        with self._lock:
            if self._cache is not None:
                return self._cache
            key = tuple((c.kind, c.text, c.entity, c.choice) for c in self.changes)
            if key in self._seen:
                view, self._output_bytes = self._seen[key]
                self._cache = {**view, "published": str(self.published) if self.published
                               else None, "seconds": 0.0}
                return self._cache
            t0 = time.perf_counter()
            redactor = Redactor(self.effective_policy())
            verified, problem = True, ""
            output: bytes | None = None
            try:
                output, results, _ = redact_document(redactor, self.raw, self.statement.name,
                                                     encoding=self.encoding)
            except LeakError as exc:
                verified, problem = False, exc.what
                self._findings = list(exc.findings)
                results = redactor.redact_segments(self.doc.segments, verify=False)
            self._output_bytes = output
            view = self._view(results, verified, problem)
            view["seconds"] = round(time.perf_counter() - t0, 3)
            if len(self._seen) >= 64:
                self._seen.pop(next(iter(self._seen)))
            self._seen[key] = (view, output)
            self._cache = view
            return view

    view = run

    def _view(self, results: list[Any], verified: bool, problem: str) -> dict[str, Any]:
        kept = self.kept_review_words()
        segments = []
        review_left = review_total = 0
        for seg, res in zip(self.doc.segments, results, strict=True):
            marks = []
            for a, b, reason in res.review:
                decided = _norm(seg[a:b]) in kept
                review_total += 1
                review_left += not decided
                marks.append({"start": a, "end": b, "reason": reason, "decided": decided})
            segments.append({"original": _pieces(seg, res.spans, marks, redacted=False),
                             "redacted": _pieces(seg, res.spans, marks, redacted=True)})
        counts: dict[str, int] = {}
        for res in results:
            for s in res.spans:
                counts[s.action] = counts.get(s.action, 0) + 1
        return {
            "name": self.statement.name, "kind": self.doc.kind,
            "output": str(self.output), "verified": verified, "problem": problem,
            "review_left": review_left, "review_total": review_total, "counts": counts,
            "changes": [{"kind": c.kind, "text": c.text, "entity": c.entity, "choice": c.choice}
                        for c in self.changes],
            "can_publish": verified and review_left == 0,
            "published": str(self.published) if self.published else None,
            "policy_out": str(self.policy_out) if self.policy_out else None,
            "segments": segments,
        }

    def publish(self) -> Path:
        """Write the redacted file; only when verified and every review word is decided."""
        from redact.io import check_target, write_output

        view = self.run()
        if not view["verified"]:
            raise LeakError(self._findings, "Nothing was written. Remove the word the check found "
                                "(add it as a word to remove), then publish again.")
        if view["review_left"]:
            raise OutputError(f"{view['review_left']} review mark(s) are not decided yet",
                              "Decide every marked word (keep or remove), then publish.")
        assert self.output is not None and self._output_bytes is not None
        check_target(self.output, overwrite=self.overwrite or self._own_output,
                     inputs=[str(self.statement)])
        write_output(str(self.output), self._output_bytes,
                     overwrite=self.overwrite or self._own_output)
        if self.policy_out is not None:
            write_output(str(self.policy_out), self.policy_text(),
                         overwrite=self.overwrite or self._own_output)
        self._own_output = True
        self.published = self.output
        if self._cache is not None:
            self._cache["published"] = str(self.output)
        log.info("published %s", self.output.name)
        return self.output


def _pieces(seg: str, spans: list[Any], marks: list[dict[str, Any]],
            *, redacted: bool) -> list[dict[str, Any]]:
    """The segment as a list of pieces: plain text, a decision, or a review mark."""
    events: list[tuple[int, int, dict[str, Any]]] = []
    for s in spans:
        events.append((s.start, s.end, {
            "t": "span", "entity": s.entity, "action": s.action, "rule": s.rule,
            "score": round(float(s.score), 2), "source": seg[s.start:s.end],
            "replacement": s.replacement}))
    for m in marks:
        events.append((m["start"], m["end"], {"t": "review", "reason": m["reason"],
                                              "decided": m["decided"]}))
    out: list[dict[str, Any]] = []
    at = 0
    for a, b, info in sorted(events, key=lambda e: (e[0], -e[1])):
        if a < at:  # nested in a piece already shown
            continue
        if a > at:
            out.append({"t": "text", "text": seg[at:a]})
        piece = dict(info)
        original = seg[a:b]
        if redacted and info["t"] == "span" and info["action"] != "keep":
            piece["text"] = info["replacement"] or ""
        else:
            piece["text"] = original
        out.append(piece)
        at = b
    if at < len(seg):
        out.append({"t": "text", "text": seg[at:]})
    return out


# ---- the web app --------------------------------------------------------------------------

def _static(name: str) -> bytes:
    return resources.files("redact").joinpath("review_static", name).read_bytes()


def create_app(session: ReviewSession, secret: str) -> Any:
    """The Starlette app for ``session``: every request must carry ``secret`` (in the
    ``k`` query parameter on the first visit, then the cookie, or the header)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
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
        try:
            data = await request.json()
        except ValueError:
            raise InputError("the request is not JSON", "Reload the page.") from None
        if not isinstance(data, dict):
            raise InputError("the request is not a JSON object", "Reload the page.")
        return data

    async def state(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
        return JSONResponse(await run_in_threadpool(session.run))

    def action(fn: Any) -> Any:
        async def endpoint(request: Request) -> Response:
            from starlette.concurrency import run_in_threadpool
            try:
                data = await body(request) if request.url.path != "/api/undo" else {}
                await run_in_threadpool(fn, data)
                return JSONResponse(await run_in_threadpool(session.run))
            except RedactError as exc:
                return error(exc)
            except ValueError:  # a pydantic check of an entity name
                return error(InputError("that type name is not valid",
                                        "Use an upper-case type such as PERSON or LOCATION."))
        return endpoint

    async def publish(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool
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
        Route("/api/deny", action(lambda d: session.deny(str(d.get("text", "")),
                                                         str(d.get("entity") or "PERSON"))),
              methods=["POST"]),
        Route("/api/allow", action(lambda d: session.allow(str(d.get("text", "")))),
              methods=["POST"]),
        Route("/api/review", action(lambda d: session.decide_review(
            str(d.get("text", "")), str(d.get("choice", "")))), methods=["POST"]),
        Route("/api/undo", action(lambda d: session.undo()), methods=["POST"]),
        Route("/api/publish", publish, methods=["POST"]),
    ]
    from starlette.middleware.base import BaseHTTPMiddleware
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
