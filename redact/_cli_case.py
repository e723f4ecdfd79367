"""``redact case …``, ``redact reveal`` and ``redact file --case``: case folders from the shell.

A thin layer over :class:`redact.case.Case` (see ``docs/cases.md``). Passphrases
come from ``--passphrase-file``, the ``REDACT_PASSPHRASE`` environment
variable, or the terminal (never echoed), never from the command line.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Annotated, Any

import typer

from redact import seal as S
from redact._cli_age import (
    ask_passphrase,
    json_errors,
    load_identities,
    output_stream,
    passphrase_from_file,
    private_folders,
)
from redact._cli_common import emit
from redact.case import Case, item_of_statement
from redact.errors import (
    CaseError,
    CaseLockedError,
    CasePassphraseError,
    KeyFileError,
    NoTerminalError,
    RecipientError,
    RedactError,
    UnboundOriginalWarning,
)

__all__ = ["register", "file_into_case", "read_case_passphrase", "unlock_case"]

PASSPHRASE_ENV = "REDACT_PASSPHRASE"
log = logging.getLogger("redact.case")

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output on stdout.")]
CaseArg = Annotated[Path, typer.Argument(help="The case folder.")]
IdentityOpt = Annotated[list[Path] | None, typer.Option(
    "--identity", "-i", help="Identity file of a case recipient (AGE-SECRET-KEY-…); repeatable.")]
IdPassOpt = Annotated[Path | None, typer.Option(
    "--identity-passphrase-file",
    help="Passphrase of a protected identity file (else asked at the terminal).")]
PassFileOpt = Annotated[Path | None, typer.Option(
    "--passphrase-file", help="The case passphrase is on this file's first line "
                              f"(else ${PASSPHRASE_ENV}, else asked at the terminal).")]

case_app = typer.Typer(help="Case folders: sealed originals and case-wide pseudonyms.",
                       no_args_is_help=True)


_emit = emit


def _say(text: str) -> None:
    typer.echo(text, err=True)


# ---- passphrases and identities -------------------------------------------------------------


def read_case_passphrase(file: Path | None, *, new: bool = False) -> bytes:
    """The case passphrase: from ``file``, ``$REDACT_PASSPHRASE``, or the terminal.

    ``new=True`` (case init) asks twice on a terminal.
    """
    return _case_passphrase(file, new=new)[0]


def _case_passphrase(file: Path | None, *, new: bool = False) -> tuple[bytes, str]:
    """The case passphrase and what to check if it is wrong (where it came from)."""
    check = ("it must be the passphrase set by `redact case init` (or last changed with "
             "`redact case passphrase`)")
    if file is not None:
        return passphrase_from_file(file), f"Check the first line of {file}: {check}."
    env = os.environ.get(PASSPHRASE_ENV)
    if env:
        return env.encode("utf-8"), (f"Check {PASSPHRASE_ENV} (used when no --passphrase-file "
                                     f"is given): {check}.")
    pw = _typed("New case passphrase: " if new else "Case passphrase: ", confirm=new,
                otherwise=CaseLockedError(
                    "no case passphrase given and no terminal to ask for it",
                    f"Give --passphrase-file FILE or set {PASSPHRASE_ENV}."))
    return pw, f"Type it again carefully ({check}), or give --passphrase-file FILE."


def _typed(prompt: str, *, confirm: bool, otherwise: RedactError) -> bytes:
    """A passphrase typed at the terminal (:func:`ask_passphrase`), asked only if stdin is
    a terminal: a script or a pipe never waits for one, and gets ``otherwise``."""
    if sys.stdin.isatty():
        with contextlib.suppress(NoTerminalError):
            return ask_passphrase(prompt, confirm=confirm)
    raise otherwise


def unlock_case(case: Case, passphrase_file: Path | None) -> None:
    """Unlock ``case`` with its passphrase (:func:`read_case_passphrase`); a wrong one says
    which passphrase to check."""
    pw, check = _case_passphrase(passphrase_file)
    log.info("unlocking the case %s (scrypt) ...", case.path)
    try:
        case.unlock(passphrase=pw)
    except CasePassphraseError as exc:
        raise CasePassphraseError(exc.what, check) from None


def _identities(paths: list[Path] | None, id_pass_file: Path | None) -> list[S.Identity]:
    ids = load_identities(paths, id_pass_file)
    if not ids:
        raise KeyFileError("no identity given",
                           "Give --identity IDENTITY_FILE (the key of a case recipient).")
    return ids


# ---- commands --------------------------------------------------------------------------------


def init_cmd(
    case: CaseArg,
    recipient: Annotated[list[str] | None, typer.Option(
        "--recipient", "-r", help="Recipient (age1pq1…) who may read originals; repeatable.")]
    = None,
    recipients_file: Annotated[list[Path] | None, typer.Option(
        "--recipients-file", "-R", help="File of recipients, one per line; repeatable.")]
    = None,
    policy: Annotated[str | None, typer.Option(
        "--policy", "-p", help="Policy file or shipped name (default testimony.yaml).")] = None,
    passphrase_file: Annotated[Path | None, typer.Option(
        "--passphrase-file", help="The new case passphrase is on this file's first line "
                                  f"(else ${PASSPHRASE_ENV}, else typed twice).")] = None,
    work_factor: Annotated[int, typer.Option(
        "--work-factor", help="scrypt cost of the case passphrase (log2 N; 18 ≈ 1 s).")] = 18,
    json_out: JsonOpt = False,
) -> None:
    """Create a case folder: recipients, the policy, and no secret in the clear.

    The case passphrase (asked twice) unlocks redaction runs on this machine;
    only the recipients' identities can read originals and real names.

    \b
    Example:
      redact keygen -o ~/.config/redact/editor.txt > editor.pub
      redact case init cases/grozny-2024 -R editor.pub -r age1pq1… --policy strict.yaml
    """
    with json_errors(json_out):
        recs: list[S.Recipient] = [S.parse_recipient(r) for r in recipient or []]
        for path in recipients_file or []:
            recs.extend(S.read_recipients_file(path))
        if not recs:
            raise RecipientError("a case needs at least one recipient",
                                 "Give --recipient age1pq1… or -R recipients.txt.")
        pw = read_case_passphrase(passphrase_file, new=True)
        created = private_folders(case.expanduser().parent)
        try:
            c = Case.init(case, recs, policy, passphrase=pw, work_factor=work_factor)
        except BaseException:
            for d in reversed(created):  # leave no empty folder behind
                with contextlib.suppress(OSError):
                    d.rmdir()
            raise
        if json_out:
            _emit({"status": "ok", "case": str(c.path), "case_id": c.case_id,
                   "recipients": c.recipients, "policy_sha256": c.policy_sha256,
                   "policy_lists": c.policy_lists()})
        else:
            _say(f"created case {c.path} ({len(c.recipients)} recipient(s), "
                 f"policy {c.policy_sha256[:12]}; its allow and deny lists sealed)")


def show_cmd(case: CaseArg, json_out: JsonOpt = False) -> None:
    """Show a case: recipients, policy fingerprint, items, number of pseudonyms.

    Needs no key: it reads only what a thief could read too.

    \b
    Example:
      redact case show cases/grozny-2024
    """
    with json_errors(json_out):
        c = Case.open(case)
        items = c.items()
        n_labels = _count_labels(c.path)
        lists = c.policy_lists()
        info = {"status": "ok", "case": str(c.path), "case_id": c.case_id,
                "created": c.created, "recipients": c.recipients,
                "policy_sha256": c.policy_sha256, "policy_lists": lists, "items": items,
                "pseudonyms": n_labels, "originals_bound": c.binds_originals}
        if json_out:
            _emit(info)
            return
        typer.echo(f"case {c.path} (created {c.created})")
        typer.echo(f"recipients: {len(c.recipients)}")
        for r in c.recipients:
            typer.echo(f"  {r[:24]}…{r[-8:]}")
        typer.echo(f"policy sha256: {info['policy_sha256']}")
        state = ("sealed" if lists["sealed"] else
                 "in the clear in policy.yaml until the next unlock seals them")
        typer.echo(f"policy lists: {lists['allow']} allow, {lists['deny']} deny "
                   f"entries ({state})")
        typer.echo(f"pseudonyms: {n_labels}")
        typer.echo("originals: " + ("each bound to its case and item" if c.binds_originals else
                                    "made by an older redact, may be unbound (a recipient "
                                    "rotation binds them)"))
        typer.echo(f"items: {len(items)}")
        for it in items:
            typer.echo(f"  {it}")


def recipients_cmd(
    case: CaseArg,
    add: Annotated[list[str] | None, typer.Option(
        "--add", help="Recipient to add (age1pq1…); repeatable.")] = None,
    remove: Annotated[list[str] | None, typer.Option(
        "--remove", help="Recipient to remove; repeatable.")] = None,
    identity: IdentityOpt = None,
    identity_passphrase_file: IdPassOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """List the case's recipients, or change them and re-seal every sealed file.

    With --add/--remove, every sealed file of the case (originals, the case
    key, the real-name files) is re-sealed to the new set under a fresh file
    key, one file at a time (temporary file, then rename). A removed
    recipient cannot open the new files. Needs the identity of a current
    recipient. If interrupted, run the same command again.

    \b
    Example:
      redact case recipients cases/grozny-2024
      redact case recipients cases/grozny-2024 --add age1pq1…new --remove age1pq1…old \\
          -i ~/.config/redact/editor.txt
    """
    with json_errors(json_out):
        c = Case.open(case)
        if not add and not remove:
            if json_out:
                _emit({"status": "ok", "recipients": c.recipients})
            else:
                for r in c.recipients:
                    typer.echo(r)
            return
        ids = _identities(identity, identity_passphrase_file)
        files = len(c.sealed_files())
        new = c.change_recipients(ids, add=add or [], remove=remove or [])
        if json_out:
            _emit({"status": "ok", "recipients": new, "resealed_files": files})
        else:
            _say(f"re-sealed {files} file(s) to {len(new)} recipient(s)")


def reveal_cmd(
    case: CaseArg,
    item: Annotated[str | None, typer.Argument(help="The item to open (see `redact case show`).")]
    = None,
    identity: IdentityOpt = None,
    identity_passphrase_file: IdPassOpt = None,
    pseudonyms: Annotated[bool, typer.Option(
        "--pseudonyms", help="Print the pseudonym table (label -> real names) instead.")]
    = False,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Write the original here (default: stdout).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Open a sealed original of a case, or print its pseudonym table.

    Needs the identity of a case recipient. The original is released only
    once the whole sealed file has authenticated; a damaged file gives an
    error and no output.

    \b
    Example:
      redact reveal cases/grozny-2024 interview-07 -i ~/.config/redact/editor.txt -o orig.txt
      redact reveal cases/grozny-2024 -i ~/.config/redact/editor.txt --pseudonyms
    """
    with json_errors(json_out):
        c = Case.open(case)
        if pseudonyms == (item is not None):
            raise typer.BadParameter("give either ITEM or --pseudonyms")
        if item is not None:
            item = _known_item(c, item)
        ids = _identities(identity, identity_passphrase_file)
        if pseudonyms:
            table = c.pseudonym_table(ids)
            if json_out:
                _emit({"status": "ok", "pseudonyms": table})
                return
            for label, entry in table.items():
                typer.echo(f"{label}\t{entry['entity']}\t" + "; ".join(entry["forms"]))
            return
        assert item is not None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnboundOriginalWarning)
            if output is None or output == "-":
                data = c.reveal(item, ids)  # fully authenticated before anything is written
                size = len(data)
            else:
                with output_stream(output, force) as dst:
                    size = c.reveal_to(item, dst, ids)
        notes = [str(w.message) for w in caught
                 if issubclass(w.category, UnboundOriginalWarning)]
        for note in notes if not json_out else []:
            _say(f"warning: {note}")
        extra = {"warnings": notes} if notes else {}
        if output is None or output == "-":
            if json_out:
                _emit({"status": "ok", "item": item, "bytes": size, **extra,
                       "original_b64": base64.b64encode(data).decode("ascii")})
                return
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        if json_out:
            _emit({"status": "ok", "item": item, "output": output, "bytes": size, **extra})
        else:
            _say(f"opened {item} ({size} bytes) into {output}")


def _known_item(case: Case, item: str) -> str:
    """``item`` as the case names it: ``interview-07.txt`` is the item ``interview-07`` (the
    file name that was redacted); an unknown item is an error that says how to list them."""
    if case.has_item(item):
        return item
    stem, suffix = os.path.splitext(item)
    if suffix and stem and case.has_item(stem):
        return stem
    import difflib

    close = difflib.get_close_matches(stem or item, case.items(), n=3)
    raise CaseError(f"the case {case.path} has no item '{item}'"
                    + (f" (did you mean {', '.join(close)}?)" if close else ""),
                    f"See the case's items with `redact case show {case.path}`.")


def passphrase_cmd(
    case: CaseArg,
    identity: IdentityOpt = None,
    identity_passphrase_file: IdPassOpt = None,
    passphrase_file: PassFileOpt = None,
    new_passphrase_file: Annotated[Path | None, typer.Option(
        "--new-passphrase-file", help="The new passphrase is on this file's first line "
                                      "(else typed twice).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Set a new case passphrase (unlock with the old one, or with --identity).

    Pseudonyms stay the same. Do it when the old passphrase may be known to
    someone who should no longer run redactions into the case.

    \b
    Example:
      redact case passphrase cases/grozny-2024
      redact case passphrase cases/grozny-2024 -i ~/.config/redact/editor.txt
    """
    with json_errors(json_out):
        c = Case.open(case)
        if identity:
            c.unlock(identities=_identities(identity, identity_passphrase_file))
        else:
            unlock_case(c, passphrase_file)
        if new_passphrase_file is not None:
            new = passphrase_from_file(new_passphrase_file)
        else:
            new = _typed("New case passphrase: ", confirm=True, otherwise=CaseError(
                "no new passphrase given and no terminal to ask for it",
                "Give --new-passphrase-file FILE."))
        c.change_passphrase(new)
        if json_out:
            _emit({"status": "ok", "case": str(c.path)})
        else:
            _say(f"the case passphrase of {c.path} was changed")


def file_into_case(statement: str, case: Path, *, passphrase_file: Path | None,
                   encoding: str | None, force: bool) -> dict[str, Any]:
    """``redact file STATEMENT --case CASE``: redact into the case; return the summary.

    The item name is the statement's file name without its extension (it is
    visible in the case folder: never name a file after a person).
    """
    import hashlib

    from redact.formats import redact_document
    from redact.io import read_bytes
    from redact.manifest import utc_now, write_item_manifest
    from redact.result import document_report

    if statement == "-":
        raise typer.BadParameter("--case needs a statement file (its name becomes the item "
                                 "name), not stdin")
    c = Case.open(case)
    item = item_of_statement(c, statement, overwrite=force)
    raw = read_bytes(statement)
    suffix = Path(statement).suffix or ".txt"
    with c.loading_model():
        unlock_case(c, passphrase_file)
    started = utc_now()
    with c:
        out, results, doc = redact_document(c.redactor(), raw, Path(statement).name,
                                            encoding=encoding)
        report = document_report(results, doc.kind)
        if getattr(doc, "removed", None):  # PDF/image parts not carried over (no values)
            report["removed_from_file"] = list(doc.removed)
        # the redacted text of a PDF or image goes beside it, as `redact file` writes it
        paths = c.add_statement(item, raw, out, report, overwrite=force, suffix=suffix,
                                companions=doc.companions())
        # A one-item signed manifest: `redact verify-manifest` accounts for the item.
        manifest = write_item_manifest(
            c, item, paths, source=Path(statement).name, report=report, started=started,
            input_sha256=hashlib.sha256(raw).hexdigest(),
            chars=sum(len(s) for s in doc.segments))
    summary = {"status": "ok", "case": str(c.path), "item": item,
               "output": str(paths.redacted), "sealed": str(paths.sealed),
               "report": str(paths.report), "counts": report["counts"],
               "model": report["model"], "policy_sha256": report["policy_sha256"],
               "new_pseudonyms": paths.names is not None, "manifest": str(manifest),
               "review_words": report["review_words"],
               "label_clashes": report["label_clashes"]}
    if paths.companions:
        summary["companions"] = [str(p) for p in paths.companions]
    return summary


def _count_labels(path: Path) -> int:
    n = 0
    try:
        with open(path / "pseudonyms" / "index.jsonl", "rb") as fh:
            for line in fh:
                n += line.startswith(b'{"new"')
    except OSError:
        pass
    return n


def register(app: typer.Typer) -> None:
    """Add ``case init|show|recipients|passphrase`` and ``reveal`` to the main ``redact`` app."""
    case_app.command("init")(init_cmd)
    case_app.command("show")(show_cmd)
    case_app.command("recipients")(recipients_cmd)
    case_app.command("passphrase")(passphrase_cmd)
    app.add_typer(case_app, name="case")
    app.command("reveal")(reveal_cmd)
