"""``redact seal``, ``redact open`` and ``redact keygen``: age v1 files from the command line.

A thin layer over :mod:`redact.seal`; :func:`register` adds the commands to the
main typer app. Outputs are written atomically (temporary file in the same
folder, fsync, rename) and never overwrite an existing file unless ``--force``;
on any error nothing is left behind. Passphrases come from the terminal
(``getpass``, never echoed) or from a file, never from the command line.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from redact import seal as S
from redact._cli_common import emit
from redact._internal.durable import atomic_output
from redact.errors import (
    AgeNoMatchError,
    InputError,
    KeyFileError,
    NoTerminalError,
    OutputError,
    RecipientError,
    RedactError,
)
from redact.io import check_target

__all__ = ["register", "json_errors", "ask_passphrase", "passphrase_from_file",
           "load_identities", "output_stream", "private_folders"]

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output on stdout.")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
OutOpt = Annotated[str | None, typer.Option(
    "--output", "-o", help="Output file ('-' for stdout).")]


_emit = emit


@contextlib.contextmanager
def json_errors(json_out: bool) -> Iterator[None]:
    """In --json mode, report a RedactError as JSON and exit with its code."""
    try:
        yield
    except RedactError as exc:
        if not json_out:
            raise
        _emit({"status": "error", **exc.to_dict()})
        raise typer.Exit(exc.exit_code) from None


def passphrase_from_file(path: Path) -> bytes:
    """The passphrase on the first line of the file ``path`` (``--passphrase-file``)."""
    try:
        data = path.expanduser().read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read the passphrase file {path}: {exc.strerror}",
                           "Check the path given to --passphrase-file.") from None
    line = data.split(b"\n", 1)[0].rstrip(b"\r")
    if not line:
        raise KeyFileError(f"the passphrase file {path} is empty",
                           "Put the passphrase on the file's first line.")
    return line


def _has_terminal() -> bool:
    """True if a passphrase can be typed: getpass reads the controlling terminal, else stdin."""
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
    except OSError:
        return sys.stdin.isatty()
    return True


def _typed(prompt: str) -> str:
    if not _has_terminal():
        raise NoTerminalError("a passphrase must be typed, and there is no terminal to type "
                              "it in (input comes from a pipe or a script)")
    try:
        return getpass.getpass(prompt)
    except EOFError:  # the terminal went away (closed pipe, Ctrl-D)
        raise NoTerminalError("the passphrase prompt got no input (end of input)") from None


def ask_passphrase(prompt: str, *, confirm: bool) -> bytes:
    """A passphrase typed at the terminal (never echoed; twice with ``confirm``).

    Raises :class:`NoTerminalError` if there is no terminal to type it in.
    """
    first = _typed(prompt)
    if not first:
        raise InputError("the passphrase is empty", "Type a non-empty passphrase.")
    if confirm and _typed("Type it again: ") != first:
        raise InputError("the two passphrases differ; nothing was written",
                         "Run the command again and type the same passphrase twice.")
    return first.encode("utf-8")


def load_identities(paths: list[Path] | None, id_pass_file: Path | None) -> list[S.Identity]:
    """The identities in ``paths``; a passphrase-protected file asks for its passphrase
    (or reads it from ``id_pass_file``)."""
    ids: list[S.Identity] = []
    for path in paths or []:
        pw = None
        if _identity_file_kind(path) == "protected":
            try:
                pw = _get_passphrase(True, id_pass_file, confirm=False,
                                     prompt=f"Passphrase for identity file {path}: ")
            except NoTerminalError:
                raise NoTerminalError(f"the identity file {path} is protected with a "
                                      "passphrase, and there is no terminal to type it in",
                                      "Give --identity-passphrase-file FILE (the passphrase "
                                      "on its first line).") from None
        ids.extend(S.load_identity_file(path, pw))
    return ids


def _identity_file_kind(path: Path) -> str:
    """``protected`` (an age file: sealed with a passphrase), ``plain``, or ``unknown``
    (unreadable: :func:`redact.seal.load_identity_file` says why). Raises
    :class:`KeyFileError` for a file of recipients (public keys) given as an identity."""
    from redact._internal.age.armor import looks_armored

    try:
        with open(Path(path).expanduser(), "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return "unknown"
    if head.startswith(b"age-encryption.org/") or looks_armored(head[:256]):
        return "protected"
    lines = [ln.strip() for ln in head.splitlines() if ln.strip() and not ln.startswith(b"#")]
    if lines and all(ln.startswith(b"age1") for ln in lines):
        raise KeyFileError(f"{path} holds a recipient (a public key, age1...), not an identity",
                           "Give -i the identity file, the one that holds AGE-SECRET-KEY-... "
                           "(`redact keygen -o FILE` wrote it; the age1... line it printed "
                           "is the public key).")
    return "plain"


def _get_passphrase(flag: bool, file: Path | None, *, confirm: bool,
                    prompt: str = "Passphrase: ") -> bytes | None:
    if file is not None:
        return passphrase_from_file(file)
    if flag:
        return ask_passphrase(prompt, confirm=confirm)
    return None


@contextlib.contextmanager
def _input(name: str) -> Iterator[BinaryIO]:
    if name == "-":
        yield sys.stdin.buffer
        return
    try:
        fh = open(Path(name).expanduser(), "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror}") from None
    with fh:
        yield fh


@contextlib.contextmanager
def output_stream(name: str, force: bool, *, binary_to_tty_ok: bool = True
                  ) -> Iterator[BinaryIO]:
    """Where an output goes: stdout for ``-``, else a new file written atomically (mode
    0600; an existing one is replaced only if ``force``)."""
    if name == "-":
        if not binary_to_tty_ok and sys.stdout.isatty():
            raise OutputError("refusing to write a binary sealed file to the terminal",
                              "Use -o FILE, or --armor for text output.")
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_output(Path(name).expanduser(), 0o600, overwrite=force) as fh:
        yield fh


def seal_cmd(
    file: Annotated[str, typer.Argument(help="File to seal ('-' for stdin).")],
    recipient: Annotated[list[str] | None, typer.Option(
        "--recipient", "-r", help="Recipient (age1pq1... or age1...); repeatable.")] = None,
    recipients_file: Annotated[list[Path] | None, typer.Option(
        "--recipients-file", "-R", help="File of recipients, one per line; repeatable.")]
    = None,
    passphrase: Annotated[bool, typer.Option(
        "--passphrase", help="Seal with a passphrase typed twice at the terminal.")]
    = False,
    passphrase_file: Annotated[Path | None, typer.Option(
        "--passphrase-file", help="Seal with the passphrase on this file's first line.")] = None,
    armor: Annotated[bool, typer.Option(
        "--armor", "-a", help="Write ASCII armor (-----BEGIN AGE ENCRYPTED FILE-----).")]
    = False,
    output: OutOpt = None,
    allow_mixed_pq: Annotated[bool, typer.Option(
        "--allow-mixed-pq", help="Allow classic age1... recipients next to age1pq1... ones.")]
    = False,
    force: ForceOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Seal a file in the age v1 format for recipients or a passphrase.

    Any age 1.3+ tool opens the result. Default output: FILE.age (stdout for
    stdin). Nothing is written if anything fails.

    \b
    Example:
      redact seal statement.txt -R case/recipients.txt -o statement.txt.age
      redact seal notes.txt -r age1pq1... -r age1pq1... --armor
      redact seal table.csv --passphrase -o table.csv.age
    """
    with json_errors(json_out):
        out_name = output or ("-" if file == "-" else file + ".age")
        check_target(out_name, overwrite=force, inputs=[file])
        pw = _get_passphrase(passphrase, passphrase_file, confirm=True)
        recs: list[S.Recipient] = [S.parse_recipient(r) for r in recipient or []]
        for path in recipients_file or []:
            recs.extend(S.read_recipients_file(path))
        if pw is not None:
            if recs:
                raise RecipientError("a passphrase cannot be combined with recipients",
                                     "Use either --passphrase or -r/-R, not both.")
            recs = [S.ScryptRecipient(pw)]
        if not recs:
            raise RecipientError("nothing to seal to",
                                 "Give -r RECIPIENT, -R FILE, or --passphrase.")
        with _input(file) as src, output_stream(out_name, force, binary_to_tty_ok=armor) as dst:
            size = S.seal(src, dst, recs, armor=armor, allow_mixed_pq=allow_mixed_pq)
        kinds = sorted({type(r).__name__.removesuffix("Recipient").lower() for r in recs})
        if json_out:
            _emit({"status": "ok", "output": out_name, "bytes": size,
                   "recipients": len(recs), "recipient_types": kinds, "armor": armor})
        elif out_name != "-":
            typer.echo(f"sealed {size} bytes to {out_name} ({len(recs)} recipient(s): "
                       f"{', '.join(kinds)})", err=True)


def open_cmd(
    file: Annotated[str, typer.Argument(help="Sealed file to open ('-' for stdin).")],
    identity: Annotated[list[Path] | None, typer.Option(
        "--identity", "-i", help="Identity file (AGE-SECRET-KEY-...); repeatable.")] = None,
    passphrase: Annotated[bool, typer.Option(
        "--passphrase", help="The file is sealed with a passphrase: ask for it.")]
    = False,
    passphrase_file: Annotated[Path | None, typer.Option(
        "--passphrase-file", help="The file's passphrase is on this file's first line.")]
    = None,
    identity_passphrase_file: Annotated[Path | None, typer.Option(
        "--identity-passphrase-file",
        help="Passphrase of a protected identity file (else asked at the terminal).")] = None,
    output: OutOpt = None,
    force: ForceOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Open (decrypt) an age file with identity files or a passphrase.

    Default output: FILE without its .age suffix (stdout for stdin). The
    plaintext goes to a temporary file renamed into place only once the whole
    file has authenticated: on any error nothing is left. Protected identity
    files ask for their passphrase.

    \b
    Example:
      redact open statement.txt.age -i ~/.config/redact/identity.txt
      redact open table.csv.age --passphrase -o table.csv
      redact open notes.txt.age -i identity.txt -o - | less
    """
    with json_errors(json_out):
        if output is None:
            if file == "-":
                output = "-"
            elif file.endswith(".age") and len(file) > 4:
                output = file[:-4]
            else:
                raise OutputError("cannot guess the output name (the file does not end in .age)",
                                  "Give -o OUTPUT (or -o - for stdout).")
        check_target(output, overwrite=force, inputs=[file])
        ids: list[S.Identity] = []
        pw = _get_passphrase(passphrase, passphrase_file, confirm=False)
        if pw is not None:
            ids.append(S.ScryptIdentity(pw))
        ids += load_identities(identity, identity_passphrase_file)
        if not ids:
            raise KeyFileError("no identity given to open the file",
                               "Give -i IDENTITY_FILE, or --passphrase for a passphrase file.")
        with _input(file) as src, output_stream(output, force) as dst:
            try:
                size = S.open_sealed(src, dst, ids)
            except AgeNoMatchError as exc:
                if identity:
                    raise
                raise AgeNoMatchError(f"cannot open {file} with this passphrase: the "
                                      "passphrase is wrong, or the file was not sealed with "
                                      "a passphrase",
                                      "Check the passphrase. If the file was sealed to "
                                      "recipients (age1pq1...), open it with -i IDENTITY_FILE "
                                      "instead.") from exc
        if json_out:
            _emit({"status": "ok", "output": output, "bytes": size})
        elif output != "-":
            typer.echo(f"opened {size} bytes into {output}", err=True)


def keygen_cmd(
    output: OutOpt = None,
    x25519: Annotated[bool, typer.Option(
        "--x25519", help="Classic X25519 key instead of the post-quantum hybrid.")] = False,
    passphrase: Annotated[bool, typer.Option(
        "--passphrase", help="Protect the identity file with a passphrase (typed twice).")]
    = False,
    passphrase_file: Annotated[Path | None, typer.Option(
        "--passphrase-file", help="Protect it with the passphrase on this file's first line.")]
    = None,
    json_out: JsonOpt = False,
) -> None:
    """Generate an identity (key pair); print its public recipient.

    Default: a post-quantum hybrid key (AGE-SECRET-KEY-PQ-1..., recipient
    age1pq1...), the same format as age-keygen -pq. With -o the identity file
    is created with mode 0600 (never overwritten) and the recipient goes to
    stdout; without -o the identity file's text goes to stdout, like
    age-keygen.

    \b
    Example:
      redact keygen -o ~/.config/redact/identity.txt >> case/recipients.txt
      redact keygen -o identity.txt --passphrase
    """
    with json_errors(json_out):
        pw = _get_passphrase(passphrase, passphrase_file, confirm=True)
        ident = S.generate_identity("x25519" if x25519 else "pq")
        kind = "x25519" if x25519 else "pq"
        if output is not None and output != "-":
            private_folders(Path(output).expanduser().parent)
            S.write_identity_file(output, ident, pw)
            if json_out:
                _emit({"status": "ok", "recipient": str(ident.recipient), "type": kind,
                       "path": output, "protected": pw is not None})
            else:
                typer.echo(str(ident.recipient))
            return
        text = S.identity_file_text(ident).encode("utf-8")
        if pw is not None:
            text = S.seal_bytes(text, [S.ScryptRecipient(pw)], armor=True)
        if json_out:
            _emit({"status": "ok", "recipient": str(ident.recipient), "type": kind,
                   "identity_file": text.decode("utf-8"), "protected": pw is not None})
        else:
            typer.echo(f"Public key: {ident.recipient}", err=True)
            sys.stdout.buffer.write(text)
            sys.stdout.flush()


def private_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and its missing parents, each with mode 0700 (a home for an identity
    or a case); return the folders created, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
            os.chmod(d, 0o700)  # mkdir's mode is cut by the umask
        except OSError as exc:
            raise OutputError(f"cannot create the folder {d}: {exc.strerror}",
                              "Create it yourself (mkdir -m 700), or give -o a path in a "
                              "folder you can write to.") from None
        typer.echo(f"created the folder {d} (mode 0700)", err=True)
    return missing[::-1]


def register(app: typer.Typer) -> None:
    """Add ``seal``, ``open`` and ``keygen`` to the main ``redact`` app."""
    app.command("seal")(seal_cmd)
    app.command("open")(open_cmd)
    app.command("keygen")(keygen_cmd)
