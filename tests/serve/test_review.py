"""``redact review``: the session (decisions, undo, publish), the app's guards (secret,
CSP, loopback, no statement text in logs) and the page in a real headless Chromium.

The browser tests need Debian's ``chromium`` and ``chromium-driver`` (``.ci/run``
installs them). Outside CI they are skipped when chromium is missing; in CI
(``CI=true``) a missing browser fails the run.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from redact.errors import OutputError
from redact.policy import Policy
from redact.review import COOKIE, CSP, ReviewSession, create_app, make_server

REPO = Path(__file__).resolve().parents[2]
STATEMENT = (
    "On 12 March my neighbour Islam Bakaev was taken from his house by four men. His cousin, "
    "the one the boys call sparrow, drove the car. Later he told me the men came at "
    "night.\nThe district prosecutor, Ramzan Kadyrov, said nothing. I called Islam on "
    "+7 928 744-19-03 but nobody answered. The zachistka people came at night, and the "
    "kontraktniki boys with them.\n")
SECRET = "s3cret-for-tests"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.fixture()
def statement(tmp_path: Path) -> Path:
    p = tmp_path / "statement.txt"
    p.write_text(STATEMENT, encoding="utf-8")
    return p


@pytest.fixture()
def session(statement: Path, testimony_policy: Policy, redactor: object) -> ReviewSession:
    # ``redactor`` only loads the model once for the whole run
    return ReviewSession(statement, testimony_policy)


def client(session: ReviewSession, *, secret: bool = True) -> TestClient:
    c = TestClient(create_app(session, SECRET), base_url="http://127.0.0.1:8765")
    if secret:
        c.cookies.set(COOKIE, SECRET)
    return c


def words(view: dict, side: str = "redacted") -> str:
    return "\n".join("".join(p["text"] for p in seg[side]) for seg in view["segments"])


# ---- the session ------------------------------------------------------------------------

def test_session_decisions_undo_and_publish(session: ReviewSession, statement: Path) -> None:
    view = session.run()
    assert view["verified"] and view["review_total"] == 2 and view["review_left"] == 2
    assert words(view, "original") == STATEMENT
    assert "sparrow" in words(view) and "Ramzan Kadyrov" not in words(view)
    session.deny("sparrow")
    assert "sparrow" not in words(session.run()).lower()
    session.allow("Ramzan Kadyrov")
    assert "Ramzan Kadyrov" in words(session.run())
    assert session.undo() and "Ramzan Kadyrov" not in words(session.run())
    session.allow("Ramzan Kadyrov")
    with pytest.raises(OutputError, match="review mark"):
        session.publish()
    session.decide_review("zachistka", "keep")
    session.decide_review("kontraktniki", "remove")
    view = session.run()
    assert view["review_left"] == 0 and view["can_publish"]
    out = session.publish()
    assert out == statement.with_name("statement.redacted.txt")
    text = out.read_text(encoding="utf-8")
    assert "sparrow" not in text.lower() and "kontraktniki" not in text
    assert "Ramzan Kadyrov" in text and "zachistka" in text and "Bakaev" not in text
    assert statement.read_text(encoding="utf-8") == STATEMENT
    session.publish()  # publishing again replaces this session's own output


def test_session_refuses_the_input_as_output(statement: Path,
                                             testimony_policy: Policy) -> None:
    with pytest.raises(OutputError, match="input file itself"):
        ReviewSession(statement, testimony_policy, output=statement, overwrite=True)


def test_session_refuses_an_existing_output(statement: Path, testimony_policy: Policy) -> None:
    statement.with_name("statement.redacted.txt").write_text("x")
    with pytest.raises(OutputError, match="already exists"):
        ReviewSession(statement, testimony_policy)


# ---- the app's guards -------------------------------------------------------------------

def test_requests_without_the_secret_are_refused(session: ReviewSession) -> None:
    c = client(session, secret=False)
    for path in ("/", "/api/state", "/static/review.js", "/?k=wrong"):
        r = c.get(path)
        assert r.status_code == 403 and r.headers["content-security-policy"] == CSP
    assert c.post("/api/deny", json={"text": "sparrow"}).status_code == 403
    c.cookies.set(COOKIE, "wrong")
    assert c.get("/api/state").status_code == 403
    assert session.changes == []


def test_first_visit_swaps_the_secret_for_a_cookie(session: ReviewSession) -> None:
    c = client(session, secret=False)
    r = c.get(f"/?k={SECRET}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    r = c.get("/")
    assert r.status_code == 200 and "<h1>" in r.text
    assert c.get("/", headers={"x-review-secret": SECRET}).status_code == 200


def test_headers_host_and_origin(session: ReviewSession) -> None:
    c = client(session)
    r = c.get("/")
    assert r.headers["content-security-policy"] == CSP
    assert "default-src 'self'" in CSP and "unsafe-inline" not in CSP
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"
    # a page on another site, or a rebinding host name, gets nothing
    assert c.post("/api/undo", json={}, headers={"origin": "http://evil.example"}
                  ).status_code == 403
    assert c.get("/", headers={"host": "evil.example"}).status_code == 400


def test_page_and_assets_reference_nothing_external() -> None:
    static = REPO / "redact" / "review_static"
    for f in static.iterdir():
        body = f.read_text(encoding="utf-8")
        assert "http" not in body and "url(" not in body and "@import" not in body, f.name
        if f.suffix == ".html":
            assert "<script>" not in body and "style=" not in body and "<style" not in body
    js = (static / "review.js").read_text(encoding="utf-8")
    assert "http" not in js and "eval(" not in js and "innerHTML" not in js


def test_api_errors_and_no_statement_text_in_logs(session: ReviewSession) -> None:
    """redact's own log (the ``redact`` logger hierarchy, at every level) of a session:
    method, path and status, never a word of the statement or the secret."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger = logging.getLogger("redact")
    handler, level = Keep(logging.DEBUG), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        c = client(session)
        assert c.get("/api/state").status_code == 200
        r = c.post("/api/deny", json={"text": "sparrow", "entity": "not a type"})
        assert r.status_code == 400 and "sparrow" not in r.text
        assert c.post("/api/deny", content=b"{", headers={"content-type": "application/json"}
                      ).status_code == 400
        assert c.post("/api/deny", json={"text": "  "}).status_code == 400
        assert c.post("/api/deny", json={"text": "sparrow"}).status_code == 200
        assert c.post("/api/publish", json={}).status_code == 409
        assert c.get(f"/api/state?k={SECRET}").status_code == 200
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    logged = "\n".join(r.getMessage() for r in records)
    assert "POST /api/deny 200" in logged and "GET /api/state 200" in logged
    for word in ("sparrow", "Bakaev", "Kadyrov", "744-19", "zachistka", SECRET):
        assert word not in logged


def test_cli_registers_review() -> None:
    from typer.testing import CliRunner

    from redact.cli import app
    r = CliRunner().invoke(app, ["review", "--help"])
    assert r.exit_code == 0 and "--no-browser" in r.output and "--port" in r.output
    assert "--save-policy" in r.output and "--json" in r.output and "--case" in r.output


# ---- a real browser ---------------------------------------------------------------------

def _browser_or_skip() -> None:
    if os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("chromium and chromium-driver are missing; .ci/run installs them")
    pytest.skip("chromium/chromium-driver not installed (apt-get install chromium "
                "chromium-driver)")


@contextlib.contextmanager
def _serve(session: ReviewSession) -> Iterator[int]:
    server, sock, port = make_server(create_app(session, SECRET), 0)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture()
def served(session: ReviewSession):  # type: ignore[no-untyped-def]
    with _serve(session) as port:
        yield port


@pytest.fixture()
def browser():  # type: ignore[no-untyped-def]
    _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="redact-review-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1000"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(driver, cond, timeout: float = 20):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout).until(cond)


def _status(driver) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    return driver.find_element(By.ID, "status").text


def test_review_in_a_real_browser(browser, served: int, session: ReviewSession,  # type: ignore[no-untyped-def]
                                  statement: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base = f"http://127.0.0.1:{served}"
    shots = os.environ.get("REDACT_REVIEW_SCREENSHOTS")

    # without the secret: 403
    browser.get(base + "/")
    assert "Forbidden" in browser.find_element(By.TAG_NAME, "body").text

    browser.get(f"{base}/?k={SECRET}")
    _wait(browser, lambda d: "review mark(s) left" in _status(d))
    assert browser.current_url == base + "/"  # the secret is gone from the address bar
    assert "2 review mark(s) left" in _status(browser)
    assert "Verified" in _status(browser)
    red = browser.find_element(By.ID, "redacted")
    orig = browser.find_element(By.ID, "original")
    assert "Bakaev" not in red.text and "Person A" in red.text and "sparrow" in red.text
    assert "Islam Bakaev" in orig.text
    marks = orig.find_elements(By.CSS_SELECTOR, "mark.a-pseudonymize")
    assert any("rule ner" in m.get_attribute("title") for m in marks)
    assert len(orig.find_elements(By.CSS_SELECTOR, "mark.review")) == 2
    assert browser.find_element(By.ID, "publish").get_attribute("disabled") is not None
    if shots:
        browser.save_screenshot(str(Path(shots) / "review-start.png"))

    # (a) a missed nickname, typed and submitted with the keyboard
    box = browser.find_element(By.ID, "deny-text")
    box.send_keys("sparrow", Keys.ENTER)
    _wait(browser, lambda d: "sparrow" not in d.find_element(By.ID, "redacted").text)
    assert "Remove (PERSON): sparrow" in browser.find_element(By.ID, "changes").text

    # (b) keep the official: click his name in the original, it fills the keep form
    kadyrov = [m for m in browser.find_elements(By.CSS_SELECTOR, "#original mark")
               if m.text == "Ramzan Kadyrov"][0]
    kadyrov.click()
    assert browser.find_element(By.ID, "allow-text").get_attribute("value") == "Ramzan Kadyrov"
    browser.find_element(By.CSS_SELECTOR, "#allow-form button").click()
    _wait(browser, lambda d: "Ramzan Kadyrov" in d.find_element(By.ID, "redacted").text)

    # (d) undo, and do it again
    browser.find_element(By.ID, "undo").click()
    _wait(browser, lambda d: "Ramzan Kadyrov" not in d.find_element(By.ID, "redacted").text)
    browser.find_element(By.ID, "allow-text").send_keys("Ramzan Kadyrov", Keys.ENTER)
    _wait(browser, lambda d: "Ramzan Kadyrov" in d.find_element(By.ID, "redacted").text)

    # (c) decide the review words with their labelled buttons
    browser.find_element(By.CSS_SELECTOR, "button[aria-label='Keep zachistka']").click()
    _wait(browser, lambda d: "1 review mark(s) left" in _status(d))
    browser.find_element(By.CSS_SELECTOR, "button[aria-label='Remove kontraktniki']").click()
    _wait(browser, lambda d: "0 review mark(s) left" in _status(d))
    if shots:
        browser.save_screenshot(str(Path(shots) / "review-decided.png"))

    publish = browser.find_element(By.ID, "publish")
    assert publish.get_attribute("disabled") is None
    publish.click()
    _wait(browser, lambda d: "Published" in d.find_element(By.ID, "message").text)
    out = statement.with_name("statement.redacted.txt")
    text = out.read_text(encoding="utf-8")
    assert "sparrow" not in text.lower() and "kontraktniki" not in text and "Bakaev" not in text
    assert "Ramzan Kadyrov" in text and "zachistka" in text and "[PHONE_NUMBER]" in text

    # every request the page made went to this server; no console errors (CSP violations)
    urls = []
    for entry in browser.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            url = msg["params"]["request"]["url"]
            if not url.startswith(("chrome:", "about:", "data:")):  # the browser's own pages
                urls.append(url)
    assert urls and all(u.startswith(base + "/") for u in urls), urls
    assert not [e for e in browser.get_log("browser") if e["level"] == "SEVERE"
                and "403" not in e["message"]]


def test_page_is_keyboard_reachable(browser, served: int) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(f"http://127.0.0.1:{served}/?k={SECRET}")
    _wait(browser, lambda d: "review mark(s) left" in _status(d))
    seen = []
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(12):
        el = browser.switch_to.active_element
        seen.append(el.get_attribute("id") or el.get_attribute("aria-label") or el.tag_name)
        el.send_keys(Keys.TAB)
    assert "deny-text" in seen and "allow-text" in seen and "Keep zachistka" in seen
    # every button and field has a name a screen reader can say
    for el in browser.find_elements(By.CSS_SELECTOR, "button, input, select"):
        name = el.get_attribute("aria-label") or el.text or browser.execute_script(
            "return arguments[0].labels && arguments[0].labels.length", el)
        assert name, el.get_attribute("outerHTML")


def test_page_reflows_at_200_percent_zoom(browser, served: int) -> None:  # type: ignore[no-untyped-def]
    """A 1400 px window at 200% zoom is a 700 CSS px viewport: one column, no sideways
    scrolling."""
    from selenium.webdriver.common.by import By

    browser.set_window_size(700, 1000)
    browser.get(f"http://127.0.0.1:{served}/?k={SECRET}")
    _wait(browser, lambda d: "review mark(s) left" in _status(d))
    cols = browser.execute_script(
        "return getComputedStyle(document.querySelector('main')).gridTemplateColumns")
    assert len(cols.split()) == 1, cols
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert browser.find_element(By.ID, "publish").is_displayed()


def test_markdown_statement_is_published_as_markdown(tmp_path: Path,
                                                     testimony_policy: Policy,
                                                     redactor: object) -> None:
    src = tmp_path / "notes.md"
    src.write_text("# Notes\n\nMy neighbour **Islam Bakaev** was taken. The boys call him "
                   "sparrow.\n", encoding="utf-8")
    session = ReviewSession(src, testimony_policy)
    session.deny("sparrow")
    for seg in session.run()["segments"]:
        for p in seg["original"]:
            if p["t"] == "review":
                session.decide_review(p["text"], "keep")
    out = session.publish()
    assert out.name == "notes.redacted.md"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Notes") and "**Person A**" in text and "sparrow" not in text


def test_decisions_exported_as_a_policy(statement: Path, testimony_policy: Policy,
                                        redactor: object) -> None:
    from redact.formats import redact_document
    from redact.redactor import Redactor

    saved = statement.with_name("case-policy.yaml")
    session = ReviewSession(statement, testimony_policy, policy_out=saved)
    session.deny("sparrow")
    session.allow("Ramzan Kadyrov")
    session.decide_review("zachistka", "keep")
    session.decide_review("kontraktniki", "remove")
    published = session.publish().read_bytes()
    again = Policy.load(saved)
    assert again.sha256() == session.effective_policy().sha256()
    out, _, _ = redact_document(Redactor(again), statement.read_bytes(), statement.name)
    assert b"sparrow" not in out and b"Ramzan Kadyrov" in out and b"kontraktniki" not in out
    assert published == out


def _review_cli(*args: str) -> subprocess.Popen[str]:
    """``redact -v review ARGS --no-browser`` in a subprocess, its output in pipes."""
    return subprocess.Popen([sys.executable, "-m", "redact.cli", "-v", "review", *args,
                             "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_cli_serves_on_loopback_and_prints_no_statement_text(statement: Path) -> None:
    import urllib.error
    import urllib.request

    proc = _review_cli(str(statement))
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(2)]
        url = lines[1].strip()
        assert url.startswith("http://127.0.0.1:") and "?k=" in url
        base = url.split("?")[0]
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(base + "api/state", timeout=30)
        assert refused.value.code == 403
        req = urllib.request.Request(base + "api/state",
                                     headers={"x-review-secret": url.split("?k=")[1]})
        view = json.loads(urllib.request.urlopen(req, timeout=60).read())
        assert view["verified"] and view["review_left"] == 2
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    text = "".join(lines) + out + err
    assert "GET /api/state 403" in text and "GET /api/state 200" in text
    secret = url.split("?k=")[1]
    assert text.count(secret) == 1  # the address, printed once; never logged
    for word in ("sparrow", "Bakaev", "Kadyrov", "744-19", "zachistka"):
        assert word not in text


def test_a_failed_verification_blocks_publish(session: ReviewSession,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A leak found by the final check cannot be produced on purpose: simulated."""
    import redact.formats
    from redact.errors import LeakError

    def leaky(*args: object, **kwargs: object) -> None:
        raise LeakError([("PERSON", 7)])

    monkeypatch.setattr(redact.formats, "redact_document", leaky)
    c = client(session)
    view = c.get("/api/state").json()
    assert not view["verified"] and not view["can_publish"]
    assert "PERSON at offset 7" in view["problem"]
    session.decide_review("zachistka", "keep")
    session.decide_review("kontraktniki", "keep")
    r = c.post("/api/publish", json={})
    assert r.status_code == 409 and "1 possible leak" in r.json()["error"]
    assert not statement_output(session).exists()


def statement_output(session: ReviewSession) -> Path:
    assert session.output is not None
    return session.output


# ---- changing an action or a label ----------------------------------------------------------

def test_change_an_action_and_rename_a_label(session: ReviewSession) -> None:
    c = client(session)
    view = c.get("/api/state").json()
    kinds = {k["entity"]: k for k in view["entities"]}
    assert kinds["PERSON"]["action"] == "pseudonymize" and view["can_rename"]
    assert "mask" in kinds["PERSON"]["choices"] and "generalize" not in kinds["PERSON"]["choices"]
    assert "generalize" in kinds["DATE_TIME"]["choices"]
    assert "Person A" in [lab["label"] for lab in view["labels"]]

    masked = c.post("/api/action", json={"entity": "PERSON", "action": "mask"}).json()
    text = words(masked)
    assert masked["verified"] and "Person A" not in text and "Bakaev" not in text
    assert "I called ***** on" in text
    assert {k["entity"]: k["action"] for k in masked["entities"]}["PERSON"] == "mask"
    for bad in ({"entity": "PERSON", "action": "generalize"},
                {"entity": "PERSON", "action": "keep"}, {"entity": "no type", "action": "mask"}):
        assert c.post("/api/action", json=bad).status_code == 400
    back = c.post("/api/undo", json={}).json()
    assert "Person A" in words(back) and back["changes"] == []

    renamed = c.post("/api/label", json={"label": "Person A", "new": "Witness K"}).json()
    text = words(renamed)
    assert renamed["verified"] and text.count("Witness K") == 2 and "Person A" not in text
    assert renamed["changes"][-1] == {"kind": "label", "text": "Witness K", "entity": "PERSON",
                                      "choice": "Person A", "stored": False}
    # a label another person has, a name of the statement, or no label at all: refused
    other = [lab["label"] for lab in renamed["labels"] if lab["label"] != "Witness K"]
    for new in ([*other, ""][0] or "1x", "Islam Bakaev", "1 bad", "x" * 41):
        r = c.post("/api/label", json={"label": "Witness K", "new": new})
        assert r.status_code == 400 and "Bakaev" not in r.json()["error"]
    # the renamed person keeps the new label when other decisions re-plan the statement
    denied = c.post("/api/deny", json={"text": "sparrow"}).json()
    assert words(denied).count("Witness K") == 2 and "sparrow" not in words(denied)
    # take back the rename only (not the last change)
    r = c.post("/api/undo", json={"index": 0}).json()
    assert "Witness K" not in words(r) and "sparrow" not in words(r) and len(r["changes"]) == 1
    assert c.post("/api/undo", json={"index": 7}).json()["changes"] == r["changes"]
    assert c.post("/api/undo", json={"index": "x"}).status_code == 400


def test_action_and_label_in_a_real_browser(browser, served: int) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    browser.get(f"http://127.0.0.1:{served}/?k={SECRET}")
    _wait(browser, lambda d: "review mark(s) left" in _status(d))
    red = lambda d: d.find_element(By.ID, "redacted").text  # noqa: E731
    # click a pseudonym in the published text: its rename field gets the focus
    [m for m in browser.find_elements(By.CSS_SELECTOR, "#redacted mark") if m.text == "Person A"
     ][0].click()
    assert browser.switch_to.active_element.get_attribute("data-label") == "Person A"
    Select(browser.find_element(By.ID, "act-PERSON")).select_by_value("mask")
    browser.find_element(By.CSS_SELECTOR, "button[aria-label='Apply the action for PERSON']"
                         ).click()
    _wait(browser, lambda d: "Person A" not in red(d) and "*****" in red(d))
    assert "Verified" in _status(browser)
    take_back = browser.find_element(
        By.CSS_SELECTOR, "button[aria-label='Take back: Show every PERSON as: mask']")
    take_back.send_keys(Keys.ENTER)
    _wait(browser, lambda d: "Person A" in red(d))
    box = browser.find_element(By.CSS_SELECTOR, "#labels input[data-label='Person A']")
    label = browser.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']")
    assert "New label for Person A" in label.text
    box.clear()
    box.send_keys("Witness K", Keys.ENTER)
    _wait(browser, lambda d: "Witness K" in red(d))
    assert "Person A" not in red(browser) and "Rename Person A to Witness K" in \
        browser.find_element(By.ID, "changes").text
    browser.find_element(By.ID, "undo").click()
    _wait(browser, lambda d: "Person A" in red(d) and "Witness K" not in red(d))


# ---- a statement of a case ------------------------------------------------------------------

CASE_PASS = "correct horse battery staple"
SECOND = ("Sparrow came back in April. Islam Bakaev was never seen again; the kontraktniki boys "
          "said nothing.\n")
CANARIES = ("sparrow", "bakaev", "kadyrov", "744-19", "kontraktniki", "zachistka")


@pytest.fixture()
def case_and_identity(tmp_path: Path, redactor: object):  # type: ignore[no-untyped-def]
    from redact import Case
    from redact import seal as S

    ident = S.HybridIdentity.generate()
    case = Case.init(tmp_path / "case", [ident.recipient], passphrase=CASE_PASS,
                     work_factor=10)
    return case, ident


def _case_files(case_path: Path) -> dict[str, bytes]:
    return {p.relative_to(case_path).as_posix(): p.read_bytes()
            for p in case_path.rglob("*") if p.is_file()}


def test_review_with_a_case_in_a_real_browser(browser, tmp_path: Path,  # type: ignore[no-untyped-def]
                                              case_and_identity) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from redact import Case
    from redact.case.decisions import DECISIONS
    from redact.manifest import verify_case

    case, ident = case_and_identity
    first = tmp_path / "int-01.txt"
    first.write_text(STATEMENT, encoding="utf-8")
    session = ReviewSession.for_case(first, case)
    red = lambda d: d.find_element(By.ID, "redacted").text  # noqa: E731
    with _serve(session) as port:
        browser.get(f"http://127.0.0.1:{port}/?k={SECRET}")
        _wait(browser, lambda d: "review mark(s) left" in _status(d))
        assert "item int-01" in browser.find_element(By.ID, "where").text
        assert "cannot be renamed" in browser.find_element(By.ID, "labels-hint").text
        assert not browser.find_elements(By.CSS_SELECTOR, "#labels input")
        assert "Person A" in red(browser) and "sparrow" in red(browser)
        browser.find_element(By.ID, "deny-text").send_keys("sparrow", Keys.ENTER)
        _wait(browser, lambda d: "sparrow" not in red(d))
        browser.find_element(By.ID, "allow-text").send_keys("Ramzan Kadyrov", Keys.ENTER)
        _wait(browser, lambda d: "Ramzan Kadyrov" in red(d))
        browser.find_element(By.CSS_SELECTOR, "button[aria-label='Keep zachistka']").click()
        _wait(browser, lambda d: "1 review mark(s) left" in _status(d))
        browser.find_element(By.CSS_SELECTOR, "button[aria-label='Remove kontraktniki']").click()
        _wait(browser, lambda d: "0 review mark(s) left" in _status(d))
        # nothing is in the case before Publish: no item, no label written
        assert case.items() == [] and not (case.path / DECISIONS).exists()
        assert (case.path / "pseudonyms" / "index.jsonl").read_bytes() == b""
        browser.find_element(By.ID, "publish").click()
        _wait(browser, lambda d: "Published" in d.find_element(By.ID, "message").text)

    # the case holds the item as `redact file --case` stores it
    stored = (case.path / "redacted" / "int-01.txt").read_text(encoding="utf-8")
    assert "sparrow" not in stored.lower() and "kontraktniki" not in stored
    assert "Bakaev" not in stored
    assert "Ramzan Kadyrov" in stored and "zachistka" in stored and "Person A" in stored
    assert case.items() == ["int-01"]
    assert Case.open(case.path).reveal("int-01", [ident]) == STATEMENT.encode("utf-8")
    rep = json.loads((case.path / "reports" / "int-01.json").read_bytes())
    assert rep["item"] == "int-01" and rep["policy_sha256"] != case.policy_sha256
    assert rep["reviewed"] == {"case_policy_sha256": case.policy_sha256, "allow": 2, "deny": 2,
                               "actions": {}}
    assert verify_case(case.path, case.signing_public_key).ok
    # the decisions are sealed: no name in the clear anywhere in the case's bytes
    assert (case.path / DECISIONS).is_file()
    for rel, data in _case_files(case.path).items():
        low = data.lower()
        for word in ("sparrow", "kontraktniki", "bakaev", "islam"):
            assert word.encode() not in low, (rel, word)
            assert word.encode("utf-16-le") not in low, (rel, word)
        if rel != "redacted/int-01.txt":
            assert b"kadyrov" not in low and b"zachistka" not in low, rel

    # a second statement of the case starts from the decisions, with the case's labels
    second = tmp_path / "int-02.txt"
    second.write_text(SECOND, encoding="utf-8")
    again = Case.open(case.path)
    again.unlock(passphrase=CASE_PASS)
    with _serve(ReviewSession.for_case(second, again)) as port:
        browser.get(f"http://127.0.0.1:{port}/?k={SECRET}")
        _wait(browser, lambda d: "review mark(s) left" in _status(d))
        changes = browser.find_element(By.ID, "changes").text
        assert "Remove (PERSON): sparrow (remembered in the case)" in changes
        assert "Keep: Ramzan Kadyrov (remembered in the case)" in changes
        text = red(browser)
        assert "sparrow" not in text.lower() and "kontraktniki" not in text and "Person A" in text
        # a remembered decision can be taken back
        browser.find_element(
            By.CSS_SELECTOR, "button[aria-label='Take back: Remove (PERSON): sparrow "
                             "(remembered in the case)']").click()
        _wait(browser, lambda d: "Sparrow" in red(d))


def test_case_session_refuses_what_file_case_refuses(tmp_path: Path,
                                                     case_and_identity) -> None:  # type: ignore[no-untyped-def]
    case, _ = case_and_identity
    inside = case.path / "x.txt"
    inside.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="inside the case folder"):
        ReviewSession.for_case(inside, case)
    st = tmp_path / "int-01.txt"
    st.write_text(STATEMENT, encoding="utf-8")
    with pytest.raises(OutputError, match="names in the clear"):
        ReviewSession(st, case.policy, case=case, policy_out=tmp_path / "p.yaml")
    session = ReviewSession.for_case(st, case)
    from redact.errors import InputError
    with pytest.raises(InputError, match="case"):
        session.rename("Person A", "Witness K")
    session.deny("sparrow")
    for word in ("zachistka", "kontraktniki"):
        session.decide_review(word, "keep")
    session.publish()
    with pytest.raises(OutputError, match="already holds an item"):
        ReviewSession.for_case(st, case)
    assert ReviewSession.for_case(st, case, overwrite=True).run()["changes"][0]["stored"]


def test_cli_review_case_canary(tmp_path: Path, case_and_identity) -> None:  # type: ignore[no-untyped-def]
    """`redact -v review --case`: unlocked with --passphrase-file, decisions and Publish
    through the API; no planted word in anything the server printed or logged."""
    import urllib.request

    case, _ = case_and_identity
    st = tmp_path / "int-07.txt"
    st.write_text(STATEMENT, encoding="utf-8")
    pw = tmp_path / "pass.txt"
    pw.write_text(CASE_PASS + "\n", encoding="utf-8")
    pw.chmod(0o600)
    proc = _review_cli(str(st), "--case", str(case.path), "--passphrase-file", str(pw))
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(3)]
        url = lines[1].strip()
        assert "item int-07" in lines[2]
        base, secret = url.split("?k=")

        def post(path: str, data: dict) -> dict:  # type: ignore[type-arg]
            req = urllib.request.Request(base + path, data=json.dumps(data).encode(),
                                         headers={"x-review-secret": secret,
                                                  "content-type": "application/json"})
            return json.loads(urllib.request.urlopen(req, timeout=60).read())

        post("api/deny", {"text": "sparrow"})
        post("api/review", {"text": "zachistka", "choice": "keep"})
        post("api/review", {"text": "kontraktniki", "choice": "remove"})
        assert post("api/publish", {})["published"].endswith("int-07.txt")
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    text = "".join(lines) + out + err
    assert "POST /api/publish 200" in text
    for word in CANARIES:
        assert word not in text.lower()
    assert case.items() == ["int-07"] and (case.path / "keys" / "review-decisions.sealed"
                                           ).is_file()


def test_cli_review_case_errors(tmp_path: Path, case_and_identity) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from redact.cli import app

    case, _ = case_and_identity
    st = tmp_path / "int-09.txt"
    st.write_text(STATEMENT, encoding="utf-8")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the case passphrase\n", encoding="utf-8")
    wrong.chmod(0o600)
    run = CliRunner().invoke
    for extra in (["--policy", "strict.yaml"], ["-o", str(tmp_path / "o.txt")],
                  ["--save-policy", str(tmp_path / "p.yaml")]):
        r = run(app, ["review", str(st), "--case", str(case.path), *extra])
        assert r.exit_code == 2 and "--case" in r.output
    r = run(app, ["review", str(st), "--passphrase-file", str(wrong)])
    assert r.exit_code == 2
    r = run(app, ["review", str(st), "--case", str(case.path), "--passphrase-file", str(wrong),
                  "--no-browser"])
    assert r.exit_code == 1 and "wrong passphrase" in r.output and "Bakaev" not in r.output
    r = run(app, ["review", str(case.path / "case.json"), "--case", str(case.path),
                  "--passphrase-file", str(wrong)])
    assert r.exit_code == 1 and "inside the case folder" in r.output
