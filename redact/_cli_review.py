"""``redact review``: open one statement in a local web page for an editor to decide
(a thin layer over :mod:`redact.review`; user guide in ``docs/review.md``)."""

from __future__ import annotations

import json
import logging
import sys
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from redact._cli_common import PolicyOpt
from redact.policy import Policy

__all__ = ["register"]

log = logging.getLogger("redact.review")


def review_cmd(
    statement: Annotated[str, typer.Argument(help="The statement file to review.")],
    policy: PolicyOpt = None,
    port: Annotated[int, typer.Option(
        "--port", min=0, max=65535, help="Port on 127.0.0.1 (default: a free one).")] = 0,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help="Only print the address; do not open a browser.")] = False,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Where Publish writes the redacted file "
                               "(default: NAME.redacted.EXT beside the statement).")] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="Text encoding of the statement (default: UTF-8 or detected).")]
    = None,
    save_policy: Annotated[str | None, typer.Option(
        "--save-policy", help="Publish also writes the policy with your decisions here "
                              "(names in the clear: keep it with the originals).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Let Publish replace an existing output (never the input).")] = False,
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print the address and the output paths as one JSON line.")] = False,
) -> None:
    """Review a statement in a local web page, then publish it.

    The page shows the statement as it will be published beside the original, every
    decision highlighted, and the words left for review. Remove a missed name, keep a
    public one, decide the marked words, then Publish. The page runs on 127.0.0.1 only,
    answers only the address printed here (it holds a one-time secret) and loads nothing
    from the network. Stop with Ctrl-C.

    Example:

        redact review statement.txt
    """
    from redact.review import ReviewSession, create_app, make_server, new_secret

    if statement == "-":
        raise typer.BadParameter("review needs a statement file, not stdin")
    pol = Policy.load(policy)
    session = ReviewSession(Path(statement), pol, output=Path(output) if output else None,
                            encoding=encoding, overwrite=force,
                            policy_out=Path(save_policy) if save_policy else None)
    secret = new_secret()
    server, sock, bound = make_server(create_app(session, secret), port)
    url = f"http://127.0.0.1:{bound}/?k={secret}"
    sys.stderr.write("redact review: loading the model and checking the statement...\n")
    session.run()  # the model loads before the page is offered (the first view is quick)
    if json_out:
        sys.stdout.write(json.dumps({
            "status": "serving", "url": url, "output": str(session.output),
            "policy_out": str(session.policy_out) if session.policy_out else None}) + "\n")
    else:
        sys.stdout.write(f"Review page (only for you; keep this address private):\n{url}\n")
        sys.stdout.write(f"Publish writes to: {session.output}\n")
        if session.policy_out is not None:
            sys.stdout.write(f"and your decisions, as a policy, to: {session.policy_out}\n")
        sys.stdout.write("Stop with Ctrl-C.\n")
    sys.stdout.flush()
    if not no_browser:
        try:
            webbrowser.open(url)
        except webbrowser.Error:
            sys.stderr.write("redact review: no browser found; open the address above.\n")
    server.run(sockets=[sock])


def register(app: typer.Typer) -> None:
    """Add the ``review`` command to the main ``redact`` app."""
    app.command("review")(review_cmd)
