"""File formats: read a statement file into segments, write the redacted file back.

The whole API::

    doc = read_document(data, "statement.docx")          # -> Document
    results = redactor.redact_segments(doc.segments)     # planned and verified together
    output = doc.render(results)                         # -> bytes of the output file

or, in one call that also re-reads the output and fails closed on any surviving
surface form::

    output, results, doc = redact_document(redactor, data, "statement.docx")

The reader is chosen by extension *and* content: a GIF image, a legacy
.doc, an archive or a Word file or PDF posing as ``.txt`` raises
:class:`~redact.errors.UnsupportedFormatError` with a ``reason``. Supported:
``.txt`` (and no extension), ``.md``, ``.docx``, ``.json``, ``.jsonl``,
``.csv``, ``.tsv``, and (:mod:`redact.formats.pdf`, rebuilt from pixels)
``.pdf``, ``.png``, ``.jpg``/``.jpeg``, ``.tif``/``.tiff`` and, with pillow-heif,
``.heic``/``.heif``. See docs/formats.md.
"""

from __future__ import annotations

import logging
import posixpath
import re
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from io import BytesIO
from typing import TYPE_CHECKING

from redact.errors import InputError, LeakError, MislabelledFileError, UnsupportedFormatError
from redact.formats.base import Document, FormatOptions
from redact.result import RedactionResult

if TYPE_CHECKING:
    from redact.redactor import Redactor

__all__ = ["Document", "FormatOptions", "read_document", "redact_document", "check_output",
           "detect_kind", "SUPPORTED_EXTENSIONS", "MAX_DOCUMENT_CHARS"]

log = logging.getLogger("redact.formats")

#: Most characters of text one statement may hold (all segments together). Detection runs
#: over pieces of the text a few at a time, so memory hardly grows with length (measured
#: with the shipped model: 1 M characters 0.42 GB, 4 M 0.51 GB; docs/threat-model.md);
#: time grows a little faster than length (1 M: 30 s, 4 M: 170 s on one core).
MAX_DOCUMENT_CHARS = 5_000_000

#: Extension -> reader kind.
SUPPORTED_EXTENSIONS = {
    "": "text", ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".docx": "docx",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "tsv",
    ".pdf": "pdf",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image",
    # phone photos: read when pillow-heif is installed (pip install 'redact[heic]')
    ".heic": "image", ".heif": "image",
}

_HEIC_EXTENSIONS = (".heic", ".heif")

#: Reader kind -> what the content must be (sniffed), for the binary formats read.
_BINARY_KINDS = {
    ".pdf": ("a PDF document",),
    ".png": ("a PNG image",),
    ".jpg": ("a JPEG image",), ".jpeg": ("a JPEG image",),
    ".tif": ("a TIFF image",), ".tiff": ("a TIFF image",),
}

_MAGIC: list[tuple[bytes, int, str]] = [
    (b"%PDF-", 0, "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", 0, "a PNG image"),
    (b"\xff\xd8\xff", 0, "a JPEG image"),
    (b"GIF87a", 0, "a GIF image"),
    (b"GIF89a", 0, "a GIF image"),
    (b"II*\x00", 0, "a TIFF image"),
    (b"MM\x00*", 0, "a TIFF image"),
    (b"ftyp", 4, "an image, audio or video file (ISO media: HEIC, AVIF, MP4)"),
    (b"\x00\x00\x00\x0cjP  ", 0, "a JPEG 2000 image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0,
     "a legacy Office file (.doc, .xls or .msg); save it as .docx"),
    (b"{\\rtf", 0, "an RTF document; save it as .docx"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"%!PS", 0, "a PostScript file"),
    (b"OggS", 0, "an audio file (Ogg)"),
    (b"ID3", 0, "an audio file (MP3)"),
    (b"fLaC", 0, "an audio file (FLAC)"),
    (b"\x1aE\xdf\xa3", 0, "a video file (Matroska/WebM)"),
]


def _sniff_binary(data: bytes) -> str | None:
    """What a binary file is, by its first bytes; ``None`` if it is not a known binary type."""
    for magic, at, what in _MAGIC:
        if data[at:at + len(magic)] == magic:
            return what
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "an audio file (WAV)",
                b"AVI ": "a video file (AVI)"}[data[8:12]]
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _sniff_zip(data)
    return None


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            names = set(zf.namelist())
    except Exception:  # noqa: BLE001 - any failure: a damaged archive
        return "a damaged zip archive"
    if "word/document.xml" in names:
        return "a Word document (.docx)"
    if "xl/workbook.xml" in names:
        return "an Excel workbook (.xlsx)"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (.pptx)"
    if "mimetype" in names and "content.xml" in names:
        return "an OpenDocument file (.odt/.ods); save it as .docx"
    return "a zip archive"


def detect_kind(data: bytes, name: str, encoding: str | None = None) -> str:
    """The reader kind for a file: text, markdown, docx, json, jsonl, csv or tsv.

    Raises :class:`UnsupportedFormatError` (with ``reason``) for anything else, and its
    subclass :class:`MislabelledFileError` for a statement extension whose content is
    not that format (binary data, a PDF named ``.txt``).
    """
    base = posixpath.basename(name.replace("\\", "/"))
    ext = posixpath.splitext(base)[1].lower()
    what = _sniff_binary(data)
    if ext == ".docx":
        if what == "a Word document (.docx)":
            return "docx"
        reason = f"it has the extension .docx but is {what or 'not a Word document'}"
        raise MislabelledFileError(f"'{name}' cannot be read: {reason}", reason=reason)
    if ext in _BINARY_KINDS:
        if what in _BINARY_KINDS[ext]:
            return SUPPORTED_EXTENSIONS[ext]
        reason = f"it has the extension {ext} but is {what or 'not ' + _BINARY_KINDS[ext][0]}"
        raise MislabelledFileError(f"'{name}' cannot be read: {reason}", reason=reason)
    if ext in _HEIC_EXTENSIONS:
        from redact.formats.pdf import heic_available, heic_readable
        if what is not None and what.startswith("an image, audio") and heic_readable(data):
            return "image"
    if ext not in SUPPORTED_EXTENSIONS or ext in _HEIC_EXTENSIONS:
        # (a HEIC file that pillow-heif cannot open, or without pillow-heif: as before)
        reason = (f"it is {what}" if what else
                  f"files with the extension {ext} are not supported")
        todo = None
        if ext in _HEIC_EXTENSIONS and not heic_available():
            todo = ("Install pillow-heif (pip install 'redact[heic]') to read HEIC photos, "
                    "or convert the photo to JPEG, then run again.")
        raise UnsupportedFormatError(f"'{name}' cannot be read: {reason}", todo, reason=reason)
    if what is not None:
        reason = f"it has the extension {ext or '(none)'} but is {what}"
        if what.startswith("a Word document"):
            reason += "; rename it to .docx"
        raise MislabelledFileError(f"'{name}' cannot be read: {reason}", reason=reason)
    head = data[:8192]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        encoding is not None and re.match(r"(?i)utf[-_]?(16|32)", encoding) is not None)
    if b"\x00" in head and not utf16:
        reason = "it holds binary data (NUL bytes), not text"
        raise MislabelledFileError(f"'{name}' cannot be read: {reason}", reason=reason,
                                   todo="If it is UTF-16 text without a byte order mark, "
                                        "name the encoding (e.g. utf-16-le).")
    return SUPPORTED_EXTENSIONS[ext]


def read_document(data: bytes, name: str, *, encoding: str | None = None,
                  options: FormatOptions | None = None) -> Document:
    """Read a statement file (its bytes and its name) into a :class:`Document`.

    ``encoding`` names the text encoding of text formats (default: UTF-8, BOMs,
    or a detected legacy code page). Raises :class:`InputError` for a file
    that cannot be decoded or parsed and :class:`UnsupportedFormatError` for a
    format that cannot be read.
    """
    doc = _read(data, name, encoding, options or FormatOptions())
    chars = sum(len(s) for s in doc.segments)
    if chars > MAX_DOCUMENT_CHARS:
        raise InputError(f"'{name}' holds {chars:,} characters of text; redact processes at "
                         f"most {MAX_DOCUMENT_CHARS:,} in one statement (several minutes of "
                         "work; a longer file is almost always several statements)",
                         "Split the statement into smaller files and redact them into one "
                         "case (`redact batch`), so pseudonyms stay the same across them.")
    return doc


def _read(data: bytes, name: str, encoding: str | None, opts: FormatOptions, *,
          check: bool = False) -> Document:
    kind = detect_kind(data, name, encoding)
    out_enc = opts.output_encoding
    if kind == "docx":
        from redact.formats.word import read_docx_document
        return read_docx_document(data, name, opts.embedded)
    if kind == "pdf":
        from redact.formats.pdf import read_pdf_document
        # the final check reads the pages of an output PDF at the resolution they were
        # written at (their pixels one to one)
        return read_pdf_document(data, name, native=check)
    if kind == "image":
        from redact.formats.pdf import read_image_document
        return read_image_document(data, name)
    if kind == "markdown":
        from redact.formats.markdown import read_markdown_document
        return read_markdown_document(data, name, encoding, out_enc)
    if kind in ("json", "jsonl"):
        from redact.formats.jsondoc import read_json_document
        return read_json_document(data, name, encoding, lines=kind == "jsonl",
                                  fields=opts.fields, output_encoding=out_enc)
    if kind in ("csv", "tsv"):
        from redact.formats.tabular import read_csv_document
        return read_csv_document(data, name, encoding, tab=kind == "tsv",
                                 columns=dict(opts.columns) if opts.columns else None,
                                 output_encoding=out_enc)
    from redact.formats.text import read_text_document
    return read_text_document(data, name, encoding, out_enc)


def redact_document(redactor: Redactor, data: bytes, name: str, *,
                    encoding: str | None = None, options: FormatOptions | None = None,
                    progress: Callable[[int, int], None] | None = None
                    ) -> tuple[bytes, list[RedactionResult], Document]:
    """Read, redact (all segments planned and verified together), render and check a file.

    Returns ``(output bytes, one RedactionResult per segment, the Document)``.
    Raises :class:`LeakError` if the redactor's verification or the final
    check of the rendered file (:func:`check_output`) finds a planned surface
    form; then nothing should be written. ``progress(done, total)`` is called as
    detection works through the text (characters), for a progress bar.
    """
    t0 = time.perf_counter()
    doc = read_document(data, name, encoding=encoding, options=options)
    t1 = time.perf_counter()
    log.info("%s: %s document, %d segment(s), %s chars, read in %.2f s", name, doc.kind,
             len(doc.segments), f"{sum(map(len, doc.segments)):,}", t1 - t0)
    results = redactor.redact_segments(doc.segments, progress=progress) if doc.segments else []
    t2 = time.perf_counter()
    log.info("%s: detected, planned, applied and verified %d span(s) in %.2f s", name,
             sum(len(r.spans) for r in results), t2 - t1)
    output = doc.render(results)
    check_output(doc, output, results, options)
    log.info("%s: rendered and checked (no removed form survives) in %.2f s", name,
             time.perf_counter() - t2)
    return output, results, doc


def check_output(doc: Document, output: bytes, results: list[RedactionResult],
                 options: FormatOptions | None = None) -> None:
    """Fail closed if any planned surface form survives anywhere in ``output``.

    The output is read again with the same reader (all fields and columns,
    embedded content left as it is) and every segment, plus every text of the
    file itself (for .docx: every text node and text attribute of every XML
    part), is searched case-insensitively at word boundaries for the surface
    forms of the redacted spans. Replacement labels and allow-listed names
    kept by the policy are ignored. Raises :class:`LeakError` (types and
    offsets only).
    """
    from redact.detect import FormMatcher
    from redact.plan import worth_propagating
    from redact.pseudonyms import normalize_form

    forms: dict[str, str] = {}
    protected: set[str] = set()
    for seg, res in zip(doc.segments, results, strict=True):
        for s in res.spans:
            surface = seg[s.start:s.end]
            if s.action != "keep":
                # the forms the plan searched for everywhere (propagation skips bare short
                # numbers and stop words: "48" in "who is 48" is not a name to hunt for)
                if surface.strip() and worth_propagating(normalize_form(surface)):
                    forms.setdefault(normalize_form(surface), s.entity)
                if s.replacement:
                    protected.add(s.replacement)
            elif s.rule == "allow" and surface.strip():
                protected.add(surface)
    if not forms:
        return
    from redact.explain import is_lower_case_text

    # a lower-case statement was planned with every form matching in any case
    rx = FormMatcher(forms, any_case=is_lower_case_text("\n".join(doc.segments)))
    reread_opts = replace(options or FormatOptions(), embedded="keep", fields=None, columns=None,
                          output_encoding=None)
    try:
        # no size limit here: replacements may make the output a little longer
        enc = doc.reread_options().get("encoding")
        again = _read(output, doc.name, enc if isinstance(enc, str) else None, reread_opts,
                      check=True)
    except InputError as exc:
        raise InputError(f"the redacted '{doc.name}' cannot be read back ({exc.what})",
                         "Nothing was written. This is a bug in redact's "
                         f"{doc.kind} writer; please report it.") from None
    texts = [(f"segment {i}", t) for i, t in enumerate(again.segments)]
    texts += doc.output_texts(output)
    blank = (re.compile("|".join(re.escape(p) for p in sorted(protected, key=len, reverse=True)))
             if protected else None)
    findings: list[tuple[str, int]] = []
    places: list[str] = []
    for where, text in texts:
        if blank is not None:
            text = blank.sub(lambda m: " " * len(m.group(0)), text)
        for m in rx.finditer(text):
            findings.append((forms.get(normalize_form(m.group(0)), "UNKNOWN"), m.start()))
            if where not in places:
                places.append(where)
    if findings:
        raise LeakError(findings, "Nothing was written. The redacted file still holds a planned "
                        f"surface form (in: {', '.join(places[:5])}). If it sits in a part "
                        "kept on purpose (a kept column or field, a JSON key), redact that "
                        "part too; otherwise report it.")
