"""``redact serve``: a real server (subprocess, real model) on a free loopback port.

Auth, errors (400, 413, 415, 422), 8 concurrent clients x 25 requests, a canary
statement that leaves nothing in the server's output, /v1/documents round trips,
and the token file's permission check.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from redact.formats import read_document

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parents[1] / "corpus"

#: Made-up names found nowhere else; none may appear in the server's output.
CANARY_NAMES = ["Zvezdana Kvartirova", "Kvartirova", "Bislan Yandarbekov", "Yandarbekov",
                "Shatoyevskaya"]
CANARY = ("My name is Zvezdana Kvartirova. On 4 May 2023 Bislan Yandarbekov phoned me on "
          "+7 901 555-01-99 and said that Kvartirova must leave 14 Shatoyevskaya Street. "
          "Yandarbekov's e-mail is b.yandarbekov@mail.ru.")

STATEMENTS = [
    "My cousin Islam Bakaev called me on +7 928 744-19-03 from Argun.",
    "Ruslan Temirov met me near the central market in Grozny on 2 March.",
    "Kheda Bakaeva paid 300,000 roubles; her e-mail is kheda.bakaeva@mail.ru.",
    "Major Alkhanov asked about Magomed Bakaev again and again.",
    "Zarema Dudayeva, my lawyer, lives at 27 Mira Street in Gudermes.",
]


@dataclass
class Server:
    url: str
    token: str
    proc: subprocess.Popen[bytes]
    out: Path
    err: Path

    def client(self, token: str | None = None, **kw: object) -> httpx.Client:
        tok = self.token if token is None else token
        headers = {"Authorization": f"Bearer {tok}"} if tok else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120, **kw)  # type: ignore[arg-type]

    def output(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")


def _start(tmp: Path, *args: str) -> Server:
    out, err = tmp / "stdout.txt", tmp / "stderr.txt"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("REDACT_DEBUG", None)
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen([sys.executable, "-m", "redact", "serve", "--port", "0", *args],
                                stdout=o, stderr=e, stdin=subprocess.DEVNULL, cwd=tmp, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        m = re.search(r"listening on (http://127\.0\.0\.1:\d+)/v1/", out.read_text())
        if m:
            tok = re.search(r"^token: (\S+)", out.read_text(), re.M)
            return Server(m.group(1), tok.group(1) if tok else "", proc, out, err)
        if proc.poll() is not None:
            raise AssertionError("server exited: " + err.read_text()[-2000:])
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("server did not start in time")


def _stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("serve")
    token = "t0k3n-" + os.urandom(16).hex()
    tok = tmp / "token"
    tok.write_text(token + "\n")
    tok.chmod(0o600)
    srv = _start(tmp, "--token-file", str(tok), "--workers", "4")
    srv.token = token
    yield srv
    _stop(srv)


# ---- auth -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method,path", [("GET", "/v1/health"), ("GET", "/v1/openapi.json"),
                                         ("POST", "/v1/redact"), ("POST", "/v1/documents"),
                                         ("GET", "/nowhere")])
def test_every_request_needs_the_token(server: Server, method: str, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"},
                    {"Authorization": f"Basic {server.token}"},
                    {"Authorization": f"Bearer {server.token}x"},
                    {"Authorization": "Bearer"}):
        with httpx.Client(base_url=server.url, headers=headers) as c:
            r = c.request(method, path, json={"text": CANARY})
        assert r.status_code == 401, headers
        assert r.headers["www-authenticate"] == "Bearer"
        assert set(r.json()) == {"error", "what", "todo"}
        assert "Kvartirova" not in r.text


def test_health_and_openapi(server: Server) -> None:
    with server.client() as c:
        h = c.get("/v1/health").json()
        assert h["status"] == "ok" and h["model"]["name"] and len(h["policy_sha256"]) == 64
        schema = c.get("/v1/openapi.json").json()
    assert {"/v1/health", "/v1/redact", "/v1/documents"} <= set(schema["paths"])
    body = schema["paths"]["/v1/redact"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"]["required"] == ["text"]
    assert "multipart/form-data" in schema["paths"]["/v1/documents"]["post"]["requestBody"][
        "content"]
    with server.client() as c:  # no interactive docs: they would load scripts from a CDN
        assert c.get("/docs").status_code == 404 and c.get("/redoc").status_code == 404


# ---- POST /v1/redact ----------------------------------------------------------------------------


def test_redact_returns_text_and_report_without_plaintext(server: Server) -> None:
    with server.client() as c:
        r = c.post("/v1/redact", json={"text": CANARY})
        health = c.get("/v1/health").json()
    assert r.status_code == 200
    got = r.json()
    assert {"text", "spans", "counts", "review", "links", "model", "policy_sha256"} <= set(got)
    assert got["policy_sha256"] == health["policy_sha256"]
    assert got["model"] == health["model"]
    for name in CANARY_NAMES + ["555-01-99", "yandarbekov@mail.ru"]:
        assert name.lower() not in r.text.lower(), name
    assert "Person A" in got["text"] and "PERSON" in got["counts"]
    assert all({"start", "end", "entity", "action", "rule"} <= set(s) for s in got["spans"])


def test_each_request_has_its_own_pseudonyms(server: Server) -> None:
    with server.client() as c:
        a = c.post("/v1/redact", json={"text": STATEMENTS[0]}).json()
        b = c.post("/v1/redact", json={"text": STATEMENTS[1]}).json()
        a2 = c.post("/v1/redact", json={"text": STATEMENTS[0]}).json()
    assert "Person A" in a["text"] and "Person A" in b["text"]  # labels start again at A
    assert a2["text"] == a["text"]


def test_request_policy_extends_the_servers(server: Server) -> None:
    text = "Uncle Zaurbek told me everything at the market."
    with server.client() as c:
        plain = c.post("/v1/redact", json={"text": text}).json()
        denied = c.post("/v1/redact", json={
            "text": text, "policy": {"deny": [{"text": "Zaurbek"}]}}).json()
        bad = c.post("/v1/redact", json={"text": text, "policy": {"entities": {
            "PERSON": {"action": "vanish"}}}})
        ext = c.post("/v1/redact", json={"text": text, "policy": {"extends": "/etc/passwd"}})
        model = c.post("/v1/redact", json={"text": text, "policy": {"model": "en_core_web_lg"}})
    assert "Zaurbek" not in denied["text"]
    assert denied["policy_sha256"] != plain["policy_sha256"]
    for r in (bad, ext, model):
        assert r.status_code == 400, r.text
        assert r.json()["error"] == "PolicyError" and r.json()["what"] and r.json()["todo"]
    assert "passwd" not in ext.json()["what"]


@pytest.mark.parametrize("body,what", [
    (b'{"text": "Zvezdana Kvartirova', "not valid JSON"),
    (b'["Zvezdana Kvartirova"]', "JSON object"),
    (b'{"txt": "Zvezdana Kvartirova"}', "unknown field"),
    (b'{}', "'text' is missing"),
    (b'{"text": 42}', "'text' is missing or not a string"),
    (b'{"text": "Zvezdana Kvartirova \\ud800"}', "undecodable"),
    ("{\"text\": \"Zvezdana Kvartirova \u00e9\"}".encode("latin-1"), "not UTF-8"),
    (b'{"text": "Zvezdana Kvartirova", "policy": "strict.yaml"}', "'policy' must be"),
])
def test_bad_requests_are_400_with_what_and_todo(server: Server, body: bytes, what: str) -> None:
    with server.client() as c:
        r = c.post("/v1/redact", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 400, r.text
    got = r.json()
    assert {"error", "what", "todo"} <= set(got) and got["todo"]
    assert what in got["what"]
    assert "Kvartirova" not in r.text and "Zvezdana" not in r.text


def test_body_limit_413_before_reading_it_all(server: Server) -> None:
    # the server answers 413 without handling the body; it reads and drops the rest of it
    # first, so that closing the connection does not reset it before the client has read
    # the answer (the reply came cut off before: seen in full runs)
    big = json.dumps({"text": "Zvezdana Kvartirova " * 120_000}).encode()  # 2.4 MB
    assert len(big) > 2 * 1024 * 1024
    for _ in range(3):
        with server.client() as c:
            r = c.post("/v1/redact", content=big, headers={"content-type": "application/json"})
            assert r.status_code == 413 and r.json()["error"] == "RequestTooLarge"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for i in range(0, len(big), 65536):
            yield big[i:i + 65536]

    with server.client() as c:
        r = c.post("/v1/redact", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413 and r.json()["error"] == "RequestTooLarge"
    with server.client() as c:
        r = c.post("/v1/documents", files={"file": ("s.txt", big[:2_200_000])})
        assert r.status_code == 413 and r.json()["error"] == "RequestTooLarge"
    with server.client() as c:
        assert c.get("/v1/health").status_code == 200


def test_a_413_survives_a_client_that_sends_its_whole_body_first(server: Server) -> None:
    # a plain HTTP/1.1 client that writes the whole oversized request before reading: the
    # server must have read (and dropped) the body before closing, or the client's last
    # writes reset the connection and the 413 is lost
    import socket
    from urllib.parse import urlsplit

    u = urlsplit(server.url)
    body = b'{"text": "' + b"Zvezdana Kvartirova " * 150_000 + b'"}'  # 3 MB
    head = (f"POST /v1/redact HTTP/1.1\r\nHost: {u.hostname}\r\nAuthorization: Bearer "
            f"{server.token}\r\nContent-Type: application/json\r\nContent-Length: "
            f"{len(body)}\r\n\r\n").encode()
    for _ in range(3):
        with socket.create_connection((u.hostname, u.port), timeout=30) as sock:
            sock.sendall(head + body)
            got = b""
            while chunk := sock.recv(65536):
                got += chunk
        assert got.startswith(b"HTTP/1.1 413"), got[:60]
        assert b"RequestTooLarge" in got and b"Kvartirova" not in got


def test_leak_is_422_with_types_and_offsets_only(server: Server) -> None:
    # a JSON key is kept as it is: a name there fails the final check, nothing is returned
    data = json.dumps({"Zvezdana Kvartirova": "Zvezdana Kvartirova left Argun."}).encode()
    with server.client() as c:
        r = c.post("/v1/documents", files={"file": ("statement.json", data)})
    assert r.status_code == 422
    got = r.json()
    assert got["error"] == "LeakError" and got["findings"]
    assert all(set(f) == {"type", "offset"} for f in got["findings"])
    assert "Kvartirova" not in r.text and "Zvezdana" not in r.text


def test_leak_in_redact_is_422(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection in-process (an apply step that forgets a span cannot happen
    otherwise): /v1/redact answers 422 with types and offsets, never the text."""
    import asyncio

    import redact.apply as mod
    from redact.serve import create_app

    real = mod.apply_spans
    monkeypatch.setattr(mod, "apply_spans", lambda text, spans: real(
        text, [s for s in spans if s.entity != "PHONE_NUMBER"]))
    app = create_app(None, token="x" * 20, workers=1)

    async def call() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://127.0.0.1",
                                     headers={"Authorization": "Bearer " + "x" * 20}) as c:
            return await c.post("/v1/redact",
                                json={"text": "Ruslan gave me his number, +7 928 744-19-03."})

    r = asyncio.run(call())
    assert r.status_code == 422
    findings = r.json()["findings"]
    assert {"type": "PHONE_NUMBER", "offset": 29} in findings
    assert {f["type"] for f in findings} == {"PHONE_NUMBER"}
    assert "928" not in r.text and "Ruslan" not in r.text


# ---- POST /v1/documents -----------------------------------------------------------------------


def test_documents_txt_round_trip(server: Server) -> None:
    data = (CORPUS / "statement.txt").read_bytes()
    with server.client() as c:
        r = c.post("/v1/documents", files={"file": ("statement.txt", data, "text/plain")})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain; charset=")
    assert 'filename="statement.redacted.txt"' in r.headers["content-disposition"]
    report = json.loads(r.headers["x-redact-report"])
    assert report["counts"]["PERSON"] and len(report["policy_sha256"]) == 64
    charset = r.headers["content-type"].split("charset=")[1]
    text = r.content.decode(charset)
    for name in ("Bakaev", "Temirov", "Dudayeva", "311-45-67", "kheda.bakaeva"):
        assert name not in text
    assert "WITNESS STATEMENT" in text


def test_documents_docx_round_trip_and_json_answer(server: Server) -> None:
    import base64

    data = (CORPUS / "statement.docx").read_bytes()
    original = "\n".join(read_document(data, "statement.docx").segments)
    assert "Bakaev" in original
    with server.client() as c:
        r = c.post("/v1/documents", files={"file": ("statement.docx", data)})
        j = c.post("/v1/documents", files={"file": ("statement.docx", data)},
                   headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == ("application/vnd.openxmlformats-officedocument."
                                         "wordprocessingml.document")
    back = read_document(r.content, "statement.redacted.docx")
    text = "\n".join(back.segments)
    assert "Bakaev" not in text and "Person A" in text
    assert j.status_code == 200
    got = j.json()
    assert got["name"] == "statement.redacted.docx" and got["report"]["format"] == "docx"
    assert "Bakaev" not in j.text
    again = read_document(base64.b64decode(got["content_base64"]), "x.docx")
    assert again.segments == back.segments


def test_documents_errors(server: Server) -> None:
    with server.client() as c:
        pdf = c.post("/v1/documents", files={"file": ("s.gif", b"GIF89a Kvartirova")})
        nofile = c.post("/v1/documents", data={"policy": "{}"})
        notform = c.post("/v1/documents", json={"text": "Kvartirova"})
        badpolicy = c.post("/v1/documents", files={"file": ("s.txt", b"Kvartirova left.")},
                           data={"policy": "{deny: Kvartirova"})
        nowhere = c.get("/v1/nowhere")
        denied = c.post("/v1/documents", files={"file": ("s.txt", b"Uncle Zaurbek left.")},
                        data={"policy": json.dumps({"deny": [{"text": "Zaurbek"}]})})
    assert pdf.status_code == 415 and pdf.json()["error"] == "UnsupportedFormatError"
    assert nofile.status_code == 400 and notform.status_code == 400
    assert badpolicy.status_code == 400 and "'policy' field" in badpolicy.json()["what"]
    assert nowhere.status_code == 404 and nowhere.json()["error"] == "HTTPError"
    assert denied.status_code == 200 and b"Zaurbek" not in denied.content
    for r in (pdf, nofile, notform, badpolicy, nowhere):
        assert "Kvartirova" not in r.text and r.json()["todo"]


# ---- load --------------------------------------------------------------------------------------


def test_8_clients_x_25_requests(server: Server) -> None:
    with server.client() as c:
        expected = {t: c.post("/v1/redact", json={"text": t}).json()["text"]
                    for t in STATEMENTS}
    failures: list[str] = []
    done = [0]
    lock = threading.Lock()

    def client(k: int) -> None:
        with server.client() as c:
            for i in range(25):
                t = STATEMENTS[(k + i) % len(STATEMENTS)]
                try:
                    r = c.post("/v1/redact", json={"text": t})
                    ok = r.status_code == 200 and r.json()["text"] == expected[t]
                except Exception as exc:  # noqa: BLE001 - recorded as a failure
                    ok, r = False, exc  # type: ignore[assignment]
                with lock:
                    done[0] += 1
                    if not ok:
                        failures.append(f"client {k} request {i}: {r}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert done[0] == 200
    # identical answers under load: the shared Redactor is thread-safe
    assert not failures, failures[:5]
    with server.client() as c:
        assert c.get("/v1/health").status_code == 200
    assert server.proc.poll() is None


# ---- nothing of a statement in the server's output ---------------------------------------------


def test_canary_leaves_nothing_in_the_servers_output(server: Server) -> None:
    # runs last in this module (pytest keeps file order): every test above sent names too
    with server.client() as c:
        assert c.post("/v1/redact", json={"text": CANARY}).status_code == 200
        c.post("/v1/redact", content=b'{"text": "' + CANARY.encode(),
               headers={"content-type": "application/json"})
        c.post("/v1/redact?q=Kvartirova", json={"text": CANARY})
        c.get("/v1/Zvezdana-Kvartirova")
        c.request("KVARTIROVA", "/v1/redact")
        c.post("/v1/documents", files={"file": ("Kvartirova.txt", CANARY.encode())})
        c.post("/v1/documents", files={"file": ("s.json", json.dumps(
            {"Zvezdana Kvartirova": CANARY}).encode())})
    time.sleep(0.5)
    out = server.output()
    assert "POST /v1/redact 200" in out and "(other)" in out  # the access log is there
    for name in CANARY_NAMES + ["555-01-99", "Zvezdana", "Bislan", "Bakaev"]:
        assert name.lower() not in out.lower(), name


# ---- starting -----------------------------------------------------------------------------------


def test_token_file_must_be_0600(tmp_path: Path) -> None:
    tok = tmp_path / "token"
    tok.write_text("a-long-enough-token-0123456789\n")
    tok.chmod(0o644)
    t0 = time.monotonic()
    r = subprocess.run([sys.executable, "-m", "redact", "serve", "--token-file", str(tok)],
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert "0644" in r.stderr and "chmod 600" in r.stderr
    assert time.monotonic() - t0 < 60  # refused before the model is loaded

    from redact.errors import KeyFileError
    from redact.serve import read_token_file

    with pytest.raises(KeyFileError):
        read_token_file(tok)
    tok.chmod(0o600)
    assert read_token_file(tok) == "a-long-enough-token-0123456789"
    tok.write_text("short\n")
    with pytest.raises(KeyFileError, match="shorter than 16"):
        read_token_file(tok)
    with pytest.raises(KeyFileError):
        read_token_file(tmp_path / "missing")


def test_non_loopback_host_needs_the_opt_in() -> None:
    r = subprocess.run([sys.executable, "-m", "redact", "serve", "--host", "0.0.0.0"],
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 1 and "--i-understand-this-exposes-statements" in r.stderr
    from redact.serve import check_host

    for ok in ("127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"):
        assert check_host(ok, False)
    assert not check_host("0.0.0.0", True)


def test_generated_token_is_printed_once(tmp_path: Path) -> None:
    srv = _start(tmp_path, "--workers", "1")
    try:
        assert len(srv.token) >= 32
        with srv.client() as c:
            assert c.get("/v1/health").status_code == 200
        with srv.client(token="nope-" + "0" * 20) as c:
            assert c.get("/v1/health").status_code == 401
        assert srv.output().count(srv.token) == 1
    finally:
        _stop(srv)


def test_port_in_use_is_said_before_the_model_loads() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "redact", "serve", "--port", str(port)],
                           capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
    assert r.returncode == 1, r.stderr
    assert "already in use" in r.stderr and "--port" in r.stderr
    assert "loading the model" not in r.stderr


def test_unexpected_error_says_its_type_once_in_the_same_words(caplog) -> None:  # type: ignore[no-untyped-def]
    """A bug inside the app: the 500 body and the log line say the same thing, the error's
    type only, never its message (which could quote the statement). No model needed."""
    import asyncio
    import logging

    from redact.serve._guard import Guard

    secret = "Zvezdana Kvartirova"

    async def broken(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        raise ValueError(f"could not parse {secret}")

    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    token = "t" * 20
    scope = {"type": "http", "method": "POST", "path": "/v1/redact",
             "headers": [(b"authorization", b"Bearer " + token.encode())]}
    log = logging.getLogger("redact.serve")
    log.addHandler(caplog.handler)  # whether or not uvicorn's log_config stopped propagation
    try:
        with caplog.at_level(logging.ERROR, logger="redact.serve"):
            asyncio.run(Guard(broken, token, 1000)(scope, receive, send))
    finally:
        log.removeHandler(caplog.handler)
    assert sent[0]["status"] == 500
    body = json.loads(sent[1]["body"])
    assert body["error"] == "InternalError"
    assert body["what"] == ("internal error (ValueError); details hidden because they may "
                            "quote the statement")
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert errors and set(errors) == {body["what"]}
    assert secret not in json.dumps(body) and secret not in caplog.text
