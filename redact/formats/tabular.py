"""CSV (and TSV): per-column redact / keep / drop, dialect and header detection.

Each row is one segment: its redacted cells, each after its column name, one
per line (``witness: Kheda Bakaeva``), so names are seen in context; the
column names are context only and never written back. All rows are planned
together.

The dialect (delimiter, quote character) is sniffed with :class:`csv.Sniffer`
(a ``.tsv`` file is tab-separated); whether the first row is a header is
sniffed too, or taken as given when :attr:`FormatOptions.columns` names
columns found in the first row. Columns are named by their header, or by
their number (``"1"`` is the first column) when there is no header.

Rows that do not change are copied byte for byte; a changed row is written
again with the sniffed dialect, its line terminator, and all fields quoted if
the file quotes all fields (``csv.QUOTE_ALL``), else quoted as needed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

from redact.errors import InputError
from redact.formats.base import Piece, Redacted, distribute, edits_for, join_pieces
from redact.formats.text import Decoded, TextDocument, decode_text, encode_text

__all__ = ["CsvDocument", "read_csv_document"]

_SAMPLE = 64 * 1024
_FIELD_LIMIT = 16 * 1024 * 1024


class CsvDocument(TextDocument):
    """A CSV/TSV file; each redacted cell is one segment."""

    def __init__(self, name: str, decoded: Decoded, *, tab: bool = False,
                 columns: dict[str, str] | None = None,
                 output_encoding: str | None = None) -> None:
        super().__init__(name, decoded, output_encoding, kind="csv")
        text = decoded.text
        self.source = text
        sample = text[:_SAMPLE]
        self.dialect = self._sniff(sample, tab)
        self.lines = io.StringIO(text, newline="").readlines()
        csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
        self.rows: list[list[str]] = []
        self.row_lines: list[tuple[int, int]] = []  # physical lines [a, b) of each row
        try:
            reader = csv.reader(io.StringIO(text, newline=""), self.dialect)
            last = 0
            for row in reader:
                self.rows.append(row)
                self.row_lines.append((last, reader.line_num))
                last = reader.line_num
        except csv.Error as exc:
            raise InputError(f"'{name}' is not valid CSV (row {len(self.rows) + 1}): {exc}",
                             "Check the file's delimiter and quoting.") from None
        self.header = self._has_header(sample, columns)
        width = max((len(r) for r in self.rows), default=0)
        self.choice = self._columns(columns or {}, width)
        # one segment per row: its redacted cells, each after its column name, joined by
        # line breaks ("witness: Kheda Bakaeva\ncontact: ..."), so the model sees a name
        # in context; the column names and breaks are never written back
        self._pieces: list[list[Piece]] = []
        start = 1 if self.header else 0
        names = self.rows[0] if self.header else []
        for r in range(start, len(self.rows)):
            pieces: list[Piece] = []
            for c, cell in enumerate(self.rows[r]):
                if self.choice[c] == "redact" and any(ch.isalnum() for ch in cell):
                    if pieces:
                        pieces.append(Piece("\n"))
                    label = " ".join(names[c].split()) if c < len(names) else ""
                    if label:
                        pieces.append(Piece(f"{label}: "))
                    pieces.append(Piece(cell, (r, c)))
            if pieces:
                self._pieces.append(pieces)
        self.segments = [join_pieces(p) for p in self._pieces]
        self.quote_all = self._quotes_all()

    # ---- detection ---------------------------------------------------------------------------

    @staticmethod
    def _sniff(sample: str, tab: bool) -> type[csv.Dialect] | csv.Dialect:
        if tab:
            return csv.excel_tab
        try:
            return csv.Sniffer().sniff(sample, delimiters=",;\t|")
        except csv.Error:
            return csv.excel

    def _has_header(self, sample: str, columns: dict[str, str] | None) -> bool:
        if not self.rows:
            return False
        first = self.rows[0]
        if columns and any(k in first for k in columns):
            return True
        if columns and all(k.isdigit() for k in columns):
            return False
        try:
            return bool(csv.Sniffer().has_header(sample))
        except Exception:  # noqa: BLE001 - the sniffer fails on odd samples; assume none
            return False

    def _columns(self, columns: dict[str, str], width: int) -> list[str]:
        names = self.rows[0] if self.header and self.rows else []
        choice = ["redact"] * width
        for key, what in columns.items():
            if key in names:
                idx = [i for i, n in enumerate(names) if n == key]
            elif key.isdigit() and 1 <= int(key) <= width:
                idx = [int(key) - 1]
            else:
                raise InputError(f"'{self.name}' has no column {key!r}",
                                 "Name columns by their header, or by number (1 = first) when "
                                 "the file has no header row.")
            for i in idx:
                choice[i] = what
        return choice

    def _quotes_all(self) -> bool:
        q = getattr(self.dialect, "quotechar", '"') or '"'
        d = getattr(self.dialect, "delimiter", ",")
        if not self.lines:
            return False
        first = self.lines[0].rstrip("\r\n")
        field = f"{re.escape(q)}(?:[^{re.escape(q)}]|{re.escape(q)}{{2}})*{re.escape(q)}"
        return bool(first) and re.fullmatch(f"{field}(?:{re.escape(d)}{field})*", first) is not None

    # ---- rendering ---------------------------------------------------------------------------

    def _write(self, buf: io.StringIO, writer: Any, row: list[str], term: str) -> str:
        try:
            return _write_row(buf, writer, row)
        except csv.Error:  # the sniffed dialect cannot escape a quote: double it instead
            fallback = csv.writer(buf, self.dialect, lineterminator=term, doublequote=True,
                                  quoting=csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL)
            return _write_row(buf, fallback, row)

    def render(self, redacted: Sequence[Redacted]) -> bytes:
        self._check_len(redacted)
        rows = [list(r) for r in self.rows]
        changed = set()
        for pieces, seg, red in zip(self._pieces, self.segments, redacted, strict=True):
            edits = edits_for(seg, red)
            if not edits:
                continue
            for p, new in zip(pieces, distribute(pieces, edits), strict=True):
                if p.ref is not None and new is not None and new != p.text:
                    r, c = p.ref
                    rows[r][c] = new
                    changed.add(r)
        drop = {i for i, what in enumerate(self.choice) if what == "drop"}
        term = "\r\n" if "\r\n" in self.source else ("\r" if "\r" in self.source and
                                                      "\n" not in self.source else "\n")
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, self.dialect, lineterminator=term,
                            quoting=csv.QUOTE_ALL if self.quote_all else csv.QUOTE_MINIMAL)
        out = []
        for r, row in enumerate(rows):
            a, b = self.row_lines[r]
            raw = "".join(self.lines[a:b])
            if r not in changed and not drop:
                out.append(raw)
                continue
            line = self._write(buf, writer, [v for i, v in enumerate(row) if i not in drop], term)
            if not raw.endswith(("\n", "\r")):
                line = line.rstrip("\r\n")
            out.append(line)
        data, self.written_encoding = encode_text("".join(out), self.decoded, self.name,
                                                  self.output_encoding, self.warnings)
        return data


def _write_row(buf: io.StringIO, writer: Any, row: list[str]) -> str:
    buf.seek(0)
    buf.truncate()
    writer.writerow(row)
    return buf.getvalue()


def read_csv_document(data: bytes, name: str, encoding: str | None, *, tab: bool,
                      columns: dict[str, str] | None,
                      output_encoding: str | None) -> CsvDocument:
    """Read a CSV (or, with ``tab=True``, TSV) file."""
    return CsvDocument(name, decode_text(data, name, encoding), tab=tab, columns=columns,
                       output_encoding=output_encoding)
