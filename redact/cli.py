"""The ``redact`` command line: a thin layer over the library (see ``docs/cli.md``).

Exit codes: 0 ok; 1 error (the message says what to do); 2 usage error;
3 verification found a possible leak and nothing was written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from redact._cli_common import PolicyOpt, claim_process, emit, freeze_loaded
from redact.errors import EXIT_ERROR, InterruptedRun, OutputError, RedactError
from redact.formats.text import ENCODING_HELP
from redact.io import check_target, read_bytes, read_text, same_file, write_output
from redact.policy import Policy


class _Group(TyperGroup):
    """Maps redact's errors to exit codes and human messages, never printing statement text."""

    def invoke(self, ctx: typer.Context) -> Any:
        _written.clear()  # one command per invocation (tests invoke many in one process)
        try:
            return super().invoke(ctx)
        except RedactError as exc:
            _report_error(exc)
        except KeyboardInterrupt:
            _report_error(InterruptedRun(_written))
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except Exception as exc:
            if os.environ.get("REDACT_DEBUG") == "1":
                raise
            # The message of an unexpected error may quote the statement: show its type only.
            err.print(f"[bold red]internal error:[/bold red] {type(exc).__name__} (details "
                      "hidden because they may quote the statement; set REDACT_DEBUG=1 to see "
                      "them on a trusted machine). Nothing partial was written.")
            raise typer.Exit(EXIT_ERROR) from None


def _report_error(exc: RedactError) -> NoReturn:
    if _json_mode:
        _emit({"status": "error", **exc.to_dict()})
    else:
        # An interruption is no error: its message starts with "interrupted".
        label = "" if isinstance(exc, InterruptedRun) else "[bold red]error:[/bold red] "
        err.print(label + escape(exc.what))
        if exc.todo:
            err.print(f"  -> {escape(exc.todo)}")
    raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=_Group,
    name="redact",
    help="Remove what identifies witnesses from their statements; keep the originals sealed.\n\n"
         "Example: redact file statement.txt -o statement.redacted.txt\n\n"
         "Exit codes: 0 ok, 1 error, 2 usage error, 3 possible leak found (nothing written).",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]})
policy_app = typer.Typer(help="Check and show policy files.", no_args_is_help=True)
app.add_typer(policy_app, name="policy")

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False)
_json_mode = False
log = logging.getLogger("redact.cli")
#: Outputs the command has written in full (what a Ctrl-C message says was written).
_written: list[str] = []

JsonOpt = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
EncodingOpt = Annotated[str | None, typer.Option("--encoding", help=ENCODING_HELP)]


def _set_json(flag: bool) -> None:
    global _json_mode
    _json_mode = flag


_emit = emit


@app.callback()
def _main(verbose: Annotated[bool, typer.Option(
              "--verbose", "-v", help="Show redact's progress on stderr: files, stages, "
                                      "timings (never statement text).")] = False,
          debug: Annotated[bool, typer.Option(
              "--debug", help="Also show the debug logs of Presidio, spaCy and other "
                              "libraries. They are not redact's and may quote statement "
                              "text: only on a trusted machine.")] = False) -> None:
    configure_logging(verbose=verbose, debug=debug)


def configure_logging(*, verbose: bool = False, debug: bool = False) -> None:
    """Log redact's progress (the ``redact`` logger hierarchy, INFO) with ``verbose``, and
    every library's debug lines too with ``debug``; otherwise warnings only."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(
        "%(name)s: %(levelname)s %(message)s" if debug else "redact: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    logging.getLogger("redact").setLevel(
        logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING)


@app.command("file")
def file_cmd(
    statement: Annotated[str, typer.Argument(help="The statement to redact ('-' for stdin).")],
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Where to write the redacted file ('-' for stdout). "
                               "Default: NAME.redacted.EXT beside the input, or stdout for stdin.")]
    = None,
    policy: PolicyOpt = None,
    report: Annotated[Path | None, typer.Option(
        "--report", help="Write a JSON report (offsets, types, actions; no plaintext).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing outputs.")] = False,
    encoding: EncodingOpt = None,
    case: Annotated[Path | None, typer.Option(
        "--case", help="Redact into this case folder: the redacted text, the sealed original "
                       "and the report go there, under the case's policy and pseudonyms.")]
    = None,
    passphrase_file: Annotated[Path | None, typer.Option(
        "--passphrase-file", help="With --case: the case passphrase is on this file's first "
                                  "line (else $REDACT_PASSPHRASE, else asked).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Redact one statement under a policy; verify the output before writing it.

    Plain text (UTF-8, UTF-16/32 with a BOM, or a detected legacy code page
    such as Windows-1252; see --encoding), Markdown, Word (.docx), JSON/JSON
    Lines and CSV are read by their own readers; hidden parts (comments,
    tracked changes, headers, properties) are redacted too. Other files are
    refused. With --json and the statement on stdout, the JSON summary goes
    to stderr.

    Example:

        redact file statement.txt -o statement.redacted.txt --report report.json

        cat statement.txt | redact file - --policy strict.yaml > redacted.txt

        redact file interview-07.txt --case cases/grozny-2024
    """
    _set_json(json_out)
    if case is not None or passphrase_file is not None:
        from redact._cli_case import file_into_case

        if case is None or output is not None or policy is not None or report is not None:
            raise typer.BadParameter("--case writes into the case with the case's policy: "
                                     "give --case, and not -o, --policy or --report")
        summary = file_into_case(statement, case, passphrase_file=passphrase_file,
                                 encoding=encoding, force=force)
        if json_out:
            _emit(summary)
        else:
            err.print(escape(f"redacted into case item {summary['item']} -> "
                             f"{summary['output']}; original sealed -> {summary['sealed']}"
                             + "".join(f"; text -> {p}" for p in summary.get("companions", []))))
            _notices(summary)
        return
    from redact.formats import detect_kind, redact_document
    from redact.result import document_report

    # Every problem with the policy, the paths or the format is reported before the
    # model loads (a second, not four).
    t0 = time.perf_counter()
    pol = Policy.load(policy)
    log.info("policy %s (sha256 %s) loaded in %.2f s", " <- ".join(pol.sources),
             pol.sha256()[:12], time.perf_counter() - t0)
    target = _default_output(statement) if output is None else output
    check_target(target, overwrite=force, inputs=[statement])
    if report is not None:
        check_target(report, overwrite=force, inputs=[statement], option="--report")
        if target != "-" and same_file(report, target):
            raise OutputError("--report and -o name the same file",
                              "Give the report its own file name.")
    raw = read_bytes(statement)
    name = "stdin.txt" if statement == "-" else Path(statement).name
    kind = detect_kind(raw, name, encoding)
    log.info("read %s: %s bytes, %s", statement if statement != "-" else "stdin",
             f"{len(raw):,}", kind)
    if kind in ("pdf", "image"):
        from redact.formats.pdf import precheck
        precheck(raw, kind, name)  # a damaged file, no OCR: said before the model loads
        if target != "-":  # the redacted text goes beside the output
            check_target(target + ".txt", overwrite=force, inputs=[statement])
    redactor = _timed_redactor(pol)
    with _progress_bar(len(raw)) as progress:
        out, results, doc = redact_document(redactor, raw, name, encoding=encoding,
                                            progress=progress)
    rep = {"tool": "redact", "input_sha256": hashlib.sha256(raw).hexdigest(),
           **document_report(results, doc.kind)}
    if getattr(doc, "removed", None):  # PDF/image parts not carried over (no values)
        rep["removed_from_file"] = list(doc.removed)
    write_output(target, out, overwrite=force)
    _written.append("stdout" if target == "-" else target)
    log.info("wrote %s (%s bytes)", _written[-1], f"{len(out):,}")
    for suffix, extra in (doc.companions().items() if target != "-" else ()):
        write_output(target + suffix, extra, overwrite=force)
        _written.append(target + suffix)
    summary: dict[str, Any] = {
        "status": "ok", "output": target if target != "-" else "<stdout>",
        "input_sha256": rep["input_sha256"], "format": doc.kind, "counts": rep["counts"],
        "model": rep["model"], "policy_sha256": rep["policy_sha256"],
        "review_words": rep["review_words"], "warnings": doc.warnings}
    if report is not None:
        write_output(str(report), json.dumps(rep, indent=2, ensure_ascii=False) + "\n",
                     overwrite=force)
        summary["report"] = str(report)
    if json_out:
        _emit(summary, to_stderr=target == "-")
    else:
        n = sum(n for acts in rep["counts"].values() for a, n in acts.items() if a != "keep")
        where = "stdout" if target == "-" else target
        for w in doc.warnings:
            err.print(f"warning: {escape(w)}")
        err.print(f"redacted {n} span(s) -> {where}"
                  + (f"; report -> {report}" if report else ""))
        _notices(rep)


def _notices(rep: dict[str, Any]) -> None:
    """What an editor must look at before publishing (from a report or a case summary):
    labels the statement itself writes for someone else, and words awaiting review."""
    if rep.get("label_clashes"):
        err.print(f"warning: the statement itself writes {', '.join(rep['label_clashes'])} "
                  "for someone, and this redaction gives that label to another person: "
                  "rename one before publishing (the report lists the places under "
                  "\"label_clashes\")")
    if rep.get("review_words"):
        err.print(f"{rep['review_words']} word(s) await review: nothing explains them, "
                  "and they were kept (`redact preview` marks them; the report lists "
                  "their offsets under \"review\")")


@contextlib.contextmanager
def _progress_bar(size: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for long statements (over 200 KB) when it is a terminal;
    it shows characters analysed, never text."""
    if size < 200_000 or not err.is_terminal or _json_mode:
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("detecting"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TimeRemainingColumn(), console=err, transient=True) as bar:
        task = bar.add_task("detect", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _timed_redactor(pol: Policy) -> Any:
    """A :class:`~redact.redactor.Redactor` for ``pol``, its model load logged with its time."""
    log.info("loading Presidio and the NER model ...")
    t0 = time.perf_counter()
    from redact.redactor import Redactor

    redactor = Redactor(pol)
    freeze_loaded()
    info = redactor.model_info.to_dict()
    log.info("model %s %s ready in %.1f s", info.get("package"), info.get("version"),
             time.perf_counter() - t0)
    return redactor


def _default_output(statement: str) -> str:
    if statement == "-":
        return "-"
    p = Path(statement)
    return str(p.with_name(p.stem + ".redacted" + (p.suffix or ".txt")))


_ACTION_STYLE = {"pseudonymize": "bold magenta", "replace": "bold red", "redact": "bold red",
                 "mask": "bold yellow", "keep": "green"}


@app.command("preview")
def preview_cmd(
    statement: Annotated[str, typer.Argument(help="The statement ('-' for stdin).")],
    policy: PolicyOpt = None,
    encoding: EncodingOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Show what would be removed or kept, and why; writes nothing to disk.

    On a terminal, removed text is shown in red (replaced), magenta
    (pseudonymized) or yellow (masked); kept detections in green. Piped or
    redirected, every decision is marked inline in plain text instead:
    ⟦PERSON→Person A⟧Islam Temirov⟦/⟧ (removed, and what replaces it),
    ⟦keep:LOCATION⟧Moscow⟦/⟧ (kept). A table lists offset, type, score, rule,
    action and replacement, never cut short.

    Example:

        redact preview statement.txt --policy my-case.yaml
    """
    _set_json(json_out)
    pol = Policy.load(policy)
    from redact.formats import SUPPORTED_EXTENSIONS, read_document

    if SUPPORTED_EXTENSIONS.get(Path(statement).suffix.lower()) in ("pdf", "image"):
        # a PDF or an image: its pages' text (text layer or OCR), pages separated by \f
        text = "\n\f\n".join(read_document(read_bytes(statement), Path(statement).name).segments)
    else:
        text, _raw = read_text(statement, encoding)

    result = _timed_redactor(pol).redact(text)
    if json_out:
        _emit({"redacted": result.text, "spans": [s.to_dict() for s in result.spans],
               "review": result.to_report()["review"], "counts": result.counts,
               "model": result.model})
        return
    from redact.result import decision_rows, marked_text

    model = f"model: {result.model.get('package')} {result.model.get('version')}"
    rows = decision_rows(result.spans)
    if not sys.stdout.isatty():  # a pipe or a file: plain text, nothing cut, no colours
        marked = marked_text(text, result.spans, result.review)
        widths = [max(map(len, col)) for col in zip(*rows, strict=True)]
        table = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                 for r in rows]
        sys.stdout.write("\n".join([marked.removesuffix("\n"), "", "Decisions", *table,
                                    model]) + "\n")
        return
    shown = Text(text)
    for s in result.spans:
        shown.stylize(_ACTION_STYLE.get(s.action, "bold"), s.start, s.end)
    for a, b, _reason in result.review:
        shown.stylize("underline bold cyan", a, b)  # kept, but nothing explains it
    out.print(shown)
    table = Table(title="Decisions", show_lines=False)
    for col in rows[0]:
        table.add_column(col, overflow="fold")
    for row, s in zip(rows[1:], result.spans, strict=True):
        table.add_row(*row[:4], Text(row[4], style=_ACTION_STYLE.get(s.action, "")), row[5])
    out.print(table)
    if result.review:
        out.print(f"{len(result.review)} word(s) to review (underlined): nothing explains them")
    out.print(model)


@policy_app.command("check")
def policy_check(
    policy: Annotated[str, typer.Argument(help="Policy file to validate.")],
    json_out: JsonOpt = False,
) -> None:
    """Validate a policy file and summarise what it does.

    Example:

        redact policy check examples/article-policy.yaml
    """
    _set_json(json_out)
    pol = Policy.load(policy)
    if json_out:
        _emit({"status": "ok", "summary": pol.summary(), "sha256": pol.sha256()})
        return
    out.print(f"[green]OK[/green] {policy}")
    for line in pol.summary():
        out.print(f"  {line}")


@policy_app.command("show")
def policy_show(
    policy: Annotated[str | None, typer.Argument(help="Policy file (default: testimony.yaml).")]
    = None,
    json_out: JsonOpt = False,
) -> None:
    """Print the effective policy, with `extends` resolved and defaults filled in.

    Example:

        redact policy show strict.yaml
    """
    _set_json(json_out)
    pol = Policy.load(policy)
    if json_out:
        _emit(pol.to_dict())
    else:
        sys.stdout.write(yaml.safe_dump(pol.to_dict(), sort_keys=False, allow_unicode=True))


def _register_extensions() -> None:
    """Commands that live in other modules (sealing, cases, batch, evaluation, serve)."""
    import importlib

    for name in ("redact._cli_age", "redact._cli_case", "redact._cli_batch",
                 "redact._cli_eval", "redact._cli_serve", "redact._cli_review"):
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        mod.register(app)


_register_extensions()


def main() -> None:
    """Console entry point (``redact``)."""
    claim_process()
    app()


__all__ = ["app", "main"]


if __name__ == "__main__":  # python -m redact.cli
    main()
