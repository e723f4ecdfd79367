"""What every format shares: options, the :class:`Document` contract, edits and pieces.

A reader turns a file's bytes into a :class:`Document`: an ordered list of
text ``segments`` (what the redactor sees) and a way back (``render``) that
writes the redacted segments into a copy of the original file.

Formats whose segments are assembled from several places in the file (a Word
paragraph from its runs, a Markdown paragraph from the text between its
markup) describe each segment as a list of :class:`Piece`. A redaction that
covers several pieces is written into the first piece it touches and the
replaced characters are removed from the others, so the markup (or run
formatting) around the replacement is kept.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from redact.result import RedactionResult

__all__ = ["FormatOptions", "Document", "Edit", "Piece", "edits_for", "distribute",
           "Redacted"]

#: One change to a segment: ``(start, end, replacement)`` in the segment's original offsets.
Edit = tuple[int, int, str]

#: What ``Document.render`` accepts per segment: the redacted text, or the full result.
Redacted = str | RedactionResult


@dataclass
class FormatOptions:
    """Choices a caller (CLI flag, policy, batch config) makes about a file format.

    - ``output_encoding``: text formats are written in the input's encoding
      (BOM included) unless this names another one;
    - ``embedded``: Word files — ``"remove"`` (default) drops images and
      embedded objects, which cannot be checked, leaving a visible
      "[image removed]" marker; ``"keep"`` keeps them (with a warning);
    - ``fields``: JSON/JSONL — selectors of the string values to redact
      (``$.statement``, ``$.items[*].text``, ``text`` for a key at any depth);
      ``None`` redacts every string;
    - ``columns``: CSV — ``{column name: "redact" | "keep" | "drop"}``; columns
      not named are redacted.
    """

    output_encoding: str | None = None
    embedded: Literal["remove", "keep"] = "remove"
    fields: Sequence[str] | None = None
    columns: dict[str, Literal["redact", "keep", "drop"]] | None = None

    def __post_init__(self) -> None:
        from redact.errors import InputError
        if self.embedded not in ("remove", "keep"):
            raise InputError(f"embedded must be 'remove' or 'keep', not {self.embedded!r}",
                             "Use embedded='remove' (default) or embedded='keep'.")
        for col, choice in (self.columns or {}).items():
            if choice not in ("redact", "keep", "drop"):
                raise InputError(f"column option {choice!r} is not redact, keep or drop",
                                 f"Fix the choice for column {col!r}.")


@dataclass
class Document:
    """A file read for redaction.

    ``segments`` are the texts to redact, in a stable order; ``kind`` names the
    format (``text``, ``markdown``, ``docx``, ``jsonl``, ``json``, ``csv``);
    ``warnings`` are notes for the person running the tool (they never hold
    text from the document). ``render(redacted)`` returns the bytes of the
    output file with every segment replaced by its redacted version (a string,
    or the :class:`RedactionResult` of that segment, which places replacements
    exactly).
    """

    name: str
    kind: str
    segments: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def render(self, redacted: Sequence[Redacted]) -> bytes:
        """The output file's bytes, with ``redacted[i]`` in place of ``segments[i]``."""
        raise NotImplementedError

    # ---- used by redact_document's final check ------------------------------------------

    def reread_options(self) -> dict[str, Any]:
        """Keyword arguments for reading this document's rendered output again."""
        return {}

    def output_texts(self, output: bytes) -> list[tuple[str, str]]:
        """Every text of a rendered output to search for surviving surface forms.

        Pairs of ``(where, text)``; ``where`` names a location (never text).
        The default: the output decoded as the document's text.
        """
        return []

    def companions(self) -> dict[str, bytes]:
        """Files to write beside the rendered output, by suffix added to its name (a PDF
        or an image gives its redacted text as ``.txt``); valid after ``render``."""
        return {}

    def _check_len(self, redacted: Sequence[Redacted]) -> None:
        if len(redacted) != len(self.segments):
            raise ValueError(f"render() needs {len(self.segments)} redacted segments, "
                             f"got {len(redacted)}")


def text_of(r: Redacted) -> str:
    """The redacted text of one segment."""
    return r.text if isinstance(r, RedactionResult) else r


def edits_for(original: str, redacted: Redacted) -> list[Edit]:
    """The changes that turn ``original`` into ``redacted``, sorted and non-overlapping.

    From a :class:`RedactionResult` the spans give them exactly; from a plain
    string they are recovered with a character diff.
    """
    if isinstance(redacted, RedactionResult):
        edits = sorted((s.start, s.end, s.replacement or "")
                       for s in redacted.spans if s.action != "keep")
        if _apply(original, edits) == redacted.text:
            return edits
        redacted = redacted.text
    if redacted == original:
        return []
    sm = difflib.SequenceMatcher(None, original, redacted, autojunk=False)
    return [(i1, i2, redacted[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes()
            if op != "equal"]


def _apply(text: str, edits: Sequence[Edit]) -> str | None:
    out, pos = [], 0
    for a, b, rep in edits:
        if a < pos or b < a or b > len(text):
            return None
        out.append(text[pos:a])
        out.append(rep)
        pos = b
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True)
class Piece:
    """A stretch of a segment: ``text`` taken from ``ref`` (a place in the file).

    ``ref`` is ``None`` for a synthetic separator (a tab, a line break between
    runs) that exists only in the segment and is never written back.
    """

    text: str
    ref: Any = None


def join_pieces(pieces: Sequence[Piece]) -> str:
    return "".join(p.text for p in pieces)


def distribute(pieces: Sequence[Piece], edits: Sequence[Edit],
               escape: Callable[[str, Piece, int], str] | None = None) -> list[str | None]:
    """New text of each piece after ``edits`` (``None`` for synthetic pieces).

    Each replacement goes into the first real piece that the edit touches, at
    the edit's position; the other replaced characters are removed from the
    pieces that held them, so the pieces (runs, markup) around stay in place.
    """
    starts, pos = [], 0
    for p in pieces:
        starts.append(pos)
        pos += len(p.text)
    total = pos
    real = [i for i, p in enumerate(pieces) if p.ref is not None]
    # owner piece and insertion offset (within that piece) of each edit's replacement
    inserts: dict[int, list[tuple[int, str]]] = {}
    for a, b, rep in edits:
        owner = None
        for i in real:
            s, e = starts[i], starts[i] + len(pieces[i].text)
            if (s < b and a < e) or (a == b and s <= a < e):
                owner = i
                break
        if owner is None:  # only synthetic text touched, or an insertion at the end
            after = [i for i in real if starts[i] >= b]
            before = [i for i in real if starts[i] + len(pieces[i].text) <= a]
            if after:
                owner, at = after[0], 0
            elif before:
                owner, at = before[-1], len(pieces[before[-1]].text)
            else:
                continue
        else:
            at = max(a, starts[owner]) - starts[owner]
        if escape is not None and rep:
            stop = min(b, starts[owner] + len(pieces[owner].text)) - starts[owner]
            rep = escape(rep, pieces[owner], max(stop, at))
        inserts.setdefault(owner, []).append((at, rep))
    removed = [False] * total
    for a, b, _ in edits:
        for k in range(max(a, 0), min(b, total)):
            removed[k] = True
    out: list[str | None] = []
    for i, p in enumerate(pieces):
        if p.ref is None:
            out.append(None)
            continue
        ins = sorted(inserts.get(i, []), key=lambda x: x[0])
        chars, k = [], 0
        for j, ch in enumerate(p.text):
            while k < len(ins) and ins[k][0] == j:
                chars.append(ins[k][1])
                k += 1
            if not removed[starts[i] + j]:
                chars.append(ch)
        while k < len(ins):
            chars.append(ins[k][1])
            k += 1
        out.append("".join(chars))
    return out
