"""JSON and JSON Lines: redact string values in place, keep everything else byte for byte.

The file is validated with :mod:`json`, then scanned once more to find where
each scalar sits in the source, so a redacted value is written over its own
literal and keys, order, spacing, number spellings and line structure stay as
they were. Values are chosen with :attr:`FormatOptions.fields` selectors:

- ``$.statement``: the key ``statement`` of the record (for a JSON file whose
  top level is a list, each element is a record, as each line of a JSONL file);
- ``$.items[*].text``, ``$.items[0].text``: through lists;
- ``$..text`` or just ``text``: a key ``text`` at any depth;
- a selector that names an object or list selects every string inside it.

Integers of seven digits or more (phone or ID numbers stored as numbers) are
given to the redactor as their digits, after their key as context ("passport:
4510123456"); if it redacts them they become strings holding the redacted
text. Other numbers, booleans and null are kept.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from redact.errors import InputError
from redact.formats.base import Piece, Redacted, distribute, edits_for, join_pieces
from redact.formats.text import Decoded, TextDocument, decode_text, encode_text

__all__ = ["JsonDocument", "read_json_document", "parse_selector"]

_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<str>"(?:[^"\\]|\\.)*")
  | (?P<num>-?(?:\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?|-?Infinity|NaN)
  | (?P<lit>true|false|null)
  | (?P<punct>[{}\[\]:,])
""", re.VERBOSE | re.DOTALL)
_ID_NUMBER = re.compile(r"-?\d{7,}")

Step = tuple[str, object]  # ("key", name) | ("index", n) | ("any", None) | ("desc", None)


def parse_selector(sel: str) -> list[Step]:
    """Parse a JSONPath-like selector (see module docstring) into steps."""
    s = sel.strip()
    if not s:
        raise InputError("an empty field selector was given", "Use e.g. $.statement or text.")
    if not s.startswith("$"):
        s = "$.." + s
    steps: list[Step] = []
    i = 1
    rx = re.compile(r"""\.\.(?=[^.])|\.(\*|[^.\[\]]+)|\[(\*|\d+|'[^']*'|"[^"]*")\]""")
    while i < len(s):
        m = rx.match(s, i)
        if m is None:
            raise InputError(f"field selector {sel!r} cannot be parsed at character {i}",
                             "Selectors look like $.statement, $.items[*].text or text.")
        tok = m.group(0)
        if tok == "..":
            steps.append(("desc", None))
            i = m.end() - 1  # the name after '..' is read as '.name'
            continue
        elif m.group(1) is not None:
            name = m.group(1)
            steps.append(("any", None) if name == "*" else ("key", name))
        else:
            inner = m.group(2)
            if inner == "*":
                steps.append(("any", None))
            elif inner[0] in "'\"":
                steps.append(("key", inner[1:-1]))
            else:
                steps.append(("index", int(inner)))
        i = m.end()
    if steps and steps[-1][0] == "desc":
        raise InputError(f"field selector {sel!r} ends with '..'", "Name a key after '..'.")
    return steps


def _match(steps: Sequence[Step], path: Sequence[object]) -> bool:
    """True if ``steps`` match a prefix of ``path`` (selecting a container selects its inside)."""
    if not steps:
        return True
    kind, arg = steps[0]
    if kind == "desc":
        return any(_match(steps[1:], path[i:]) for i in range(len(path)))
    if not path:
        return False
    head = path[0]
    if kind == "any" or (kind == "key" and isinstance(head, str) and head == arg) or (
            kind == "index" and isinstance(head, int) and head == arg):
        return _match(steps[1:], path[1:])
    return False


@dataclass(frozen=True)
class _Scalar:
    start: int
    end: int
    path: tuple[object, ...]
    kind: str  # str | num


def _scan(text: str, base: int) -> list[_Scalar]:
    """Every scalar value (not key) of a valid JSON text, with its source range and path."""
    out: list[_Scalar] = []
    stack: list[list[object]] = []  # ["obj", key, expecting_key] | ["arr", index]
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:  # cannot happen on text json accepted; fail closed anyway
            raise InputError("the JSON could not be scanned", "Check that the file is valid JSON.")
        pos = m.end()
        kind = m.lastgroup
        tok = m.group(0)
        if kind == "ws":
            continue
        if kind == "punct":
            if tok in "{[":
                stack.append(["obj", None, True] if tok == "{" else ["arr", 0])
            elif tok in "}]":
                stack.pop()
            elif tok == "," and stack:
                top = stack[-1]
                if top[0] == "obj":
                    top[2] = True
                else:
                    top[1] = int(top[1]) + 1  # type: ignore[call-overload]
            continue
        if kind == "str" and stack and stack[-1][0] == "obj" and stack[-1][2]:
            stack[-1][1] = json.loads(tok)
            stack[-1][2] = False
            continue
        path = tuple(e[1] for e in stack)
        if kind in ("str", "num"):
            out.append(_Scalar(base + m.start(), base + m.end(), path, kind))
    return out


class JsonDocument(TextDocument):
    """A JSON file (``kind="json"``) or JSON Lines file (``kind="jsonl"``)."""

    def __init__(self, name: str, decoded: Decoded, *, lines: bool,
                 fields: Sequence[str] | None = None, output_encoding: str | None = None) -> None:
        super().__init__(name, decoded, output_encoding, kind="jsonl" if lines else "json")
        self.source = decoded.text
        selectors = [parse_selector(f) for f in fields] if fields else None
        self._records = False
        scalars: list[tuple[_Scalar, bool]] = []
        if lines:
            pos = 0
            for lineno, line in enumerate(self.source.splitlines(keepends=True), 1):
                if line.strip():
                    self._validate(line, lineno)
                    scalars += [(s, True) for s in _scan(line, pos)]
                pos += len(line)
        else:
            if not self.source.strip():
                raise InputError(f"'{name}' is empty, not JSON", "Check the file.")
            root = self._validate(self.source, None)
            self._records = isinstance(root, list)  # then each element is a record too
            scalars += [(s, False) for s in _scan(self.source, 0)]
        self._targets: list[_Scalar] = []
        self._pieces: list[list[Piece]] = []
        for s, _ in scalars:
            if selectors is not None and not self._selected(selectors, s.path, lines):
                continue
            raw = self.source[s.start:s.end]
            if s.kind == "str":
                value = json.loads(raw)
                if not any(ch.isalnum() for ch in value):
                    continue
                pieces = [Piece(value, 0)]
            elif _ID_NUMBER.fullmatch(raw):
                # the key gives the recognizers their context ("passport: 4510123456");
                # it is never written back
                key = next((k for k in reversed(s.path) if isinstance(k, str)), "number")
                pieces = [Piece(f"{key.replace('_', ' ')}: "), Piece(raw.lstrip("-"), 0)]
            else:
                continue
            self._targets.append(s)
            self._pieces.append(pieces)
        self.segments = [join_pieces(p) for p in self._pieces]

    def _selected(self, selectors: list[list[Step]], path: tuple[object, ...],
                  lines: bool) -> bool:
        paths = [path]
        if not lines and self._records and path and isinstance(path[0], int):
            paths.append(path[1:])
        return any(_match(sel, p) for sel in selectors for p in paths)

    def _validate(self, text: str, lineno: int | None) -> object:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            where = (f"line {lineno}" if lineno is not None
                     else f"line {exc.lineno} column {exc.colno}")
            raise InputError(f"'{self.name}' is not valid JSON at {where}: {exc.msg}",
                             "Fix the file, or check that it is JSON (Lines).") from None
        except RecursionError:
            raise InputError(f"'{self.name}' nests JSON too deeply",
                             "Flatten the file before redacting it.") from None

    def render(self, redacted: Sequence[Redacted]) -> bytes:
        self._check_len(redacted)
        ascii_only = self.source.isascii()
        out, pos = [], 0
        for s, pieces, seg, red in zip(self._targets, self._pieces, self.segments, redacted,
                                       strict=True):
            edits = edits_for(seg, red)
            real = [t for p, t in zip(pieces, distribute(pieces, edits), strict=True)
                    if p.ref is not None]
            new = real[0] if real else None
            if not edits or new is None or new == pieces[-1].text:
                continue
            out.append(self.source[pos:s.start])
            out.append(json.dumps(new, ensure_ascii=ascii_only))
            pos = s.end
        out.append(self.source[pos:])
        data, self.written_encoding = encode_text("".join(out), self.decoded, self.name,
                                                  self.output_encoding, self.warnings)
        return data

    def output_texts(self, output: bytes) -> list[tuple[str, str]]:
        """Keys count too: the whole output, with JSON string escapes undone."""
        text = decode_text(output, self.name, self.written_encoding).text

        def unescape(m: re.Match[str]) -> str:
            try:
                return str(json.loads(m.group(0)))
            except ValueError:
                return m.group(0)
        return [("file", re.sub(r'"(?:[^"\\\n]|\\.)*"', unescape, text))]


def read_json_document(data: bytes, name: str, encoding: str | None, *, lines: bool,
                       fields: Sequence[str] | None,
                       output_encoding: str | None) -> JsonDocument:
    """Read a JSON (``lines=False``) or JSON Lines (``lines=True``) file."""
    return JsonDocument(name, decode_text(data, name, encoding), lines=lines, fields=fields,
                        output_encoding=output_encoding)
