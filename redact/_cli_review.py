"""``redact review``: open one statement in a local web page for an editor to decide
(a thin layer over :mod:`redact.review`; user guide in ``docs/review.md``)."""

from __future__ import annotations

import json
import logging
import sys
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from redact._cli_common import PolicyOpt
from redact.policy import Policy

if TYPE_CHECKING:
    from redact.review import ReviewSession

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
        "--force", help="Let Publish replace an existing output (never the input), or "
                        "with --case an existing item of the case.")] = False,
    case: Annotated[Path | None, typer.Option(
        "--case", help="Review a statement of this case folder: the case's policy and "
                       "pseudonyms, the decisions of its earlier reviews; Publish stores "
                       "it into the case as `redact file --case` does.")] = None,
    passphrase_file: Annotated[Path | None, typer.Option(
        "--passphrase-file", help="With --case: the case passphrase is on this file's first "
                                  "line (else $REDACT_PASSPHRASE, else asked).")] = None,
    json_out: Annotated[bool, typer.Option(
        "--json", help="Print the address and the output paths as one JSON line.")] = False,
) -> None:
    """Review a statement in a local web page, then publish it.

    The page shows the statement as it will be published beside the original, every
    decision highlighted, and the words left for review. Remove a missed name, keep a
    public one, decide the marked words, then Publish. The page runs on 127.0.0.1 only,
    answers only the address printed here (it holds a one-time secret) and loads nothing
    from the network. Stop with Ctrl-C.

    With --case, the page uses the case's policy and pseudonyms and starts from the
    decisions of the case's earlier reviews (sealed in the case); Publish stores the
    redacted statement, seals the original and remembers the decisions.

    Example:

        redact review statement.txt

        redact review interview-07.txt --case cases/grozny-2024
    """
    from redact.review import ReviewSession, create_app, make_server, new_secret

    if statement == "-":
        raise typer.BadParameter("review needs a statement file, not stdin")
    if case is not None or passphrase_file is not None:
        if case is None or output is not None or policy is not None or save_policy:
            raise typer.BadParameter("--case stores into the case with the case's policy: "
                                     "give --case, and not -o, --policy or --save-policy")
        session = _case_session(statement, case, passphrase_file, encoding, force)
    else:
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
        info = {"status": "serving", "url": url, "output": str(session.output),
                "policy_out": str(session.policy_out) if session.policy_out else None}
        if session.case is not None:
            info.update(case=str(session.case.path), item=session.item)
        sys.stdout.write(json.dumps(info) + "\n")
    else:
        sys.stdout.write(f"Review page (only for you; keep this address private):\n{url}\n")
        if session.case is not None:
            sys.stdout.write(f"Publish stores into the case as item {session.item}: "
                             f"{session.output}\n")
        else:
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


def _case_session(statement: str, case: Path, passphrase_file: Path | None,
                  encoding: str | None, force: bool) -> ReviewSession:
    """A review of ``statement`` for the case folder ``case``, unlocked as ``redact file
    --case`` unlocks it (the passphrase from the file, $REDACT_PASSPHRASE or asked)."""
    from redact._cli_case import unlock_case
    from redact.case import Case, item_of_statement
    from redact.review import ReviewSession

    c = Case.open(case)
    # the item checks (inside the case folder? an item of that name?) before the passphrase
    item_of_statement(c, statement, overwrite=force)
    with c.loading_model():
        unlock_case(c, passphrase_file)
    return ReviewSession.for_case(statement, c, encoding=encoding, overwrite=force)


def register(app: typer.Typer) -> None:
    """Add the ``review`` command to the main ``redact`` app."""
    app.command("review")(review_cmd)
