"""Markdown: redact the text, keep the markup, by rewriting the source in place.

The source is parsed with markdown-it-py (CommonMark plus tables and
strikethrough). Each inline block (paragraph, heading, table cell) becomes one
segment made of the *source* stretches that hold its text, code spans and
line breaks; emphasis markers, link brackets and the like are not part of the
segment and are never touched. Link and image destinations, link titles,
image alt texts and inline HTML are segments of their own. Code blocks, HTML
blocks and any line no token accounts for (reference definitions, front
matter, ...) are redacted as raw text, so nothing in the file escapes the
redactor. If the text of a block cannot be located in the source exactly, the
whole block falls back to raw text.

Replacements are escaped for the place they land in (text, code span, link
destination, HTML) so the document renders the same apart from them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from redact.formats.base import Piece, Redacted, distribute, edits_for, join_pieces
from redact.formats.text import Decoded, TextDocument, decode_text, encode_text

__all__ = ["MarkdownDocument", "read_markdown_document"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


@dataclass(frozen=True)
class _Src:
    """A stretch ``[start, end)`` of the source, and how replacements are escaped there."""

    start: int
    end: int
    ctx: str  # text | code | dest | title | html | raw | open | close (emphasis markers)
    pair: int = -1  # open/close: which pair of markers


class _NotFound(Exception):
    pass


def _escape(rep: str, ctx: str, next_char: str) -> str:
    if ctx == "code":
        return rep.replace("`", "'")
    if ctx == "dest":
        return (rep.replace(" ", "%20").replace("(", "%28").replace(")", "%29")
                .replace("<", "%3C").replace(">", "%3E"))
    if ctx == "html":
        return html.escape(rep, quote=True)
    if ctx == "title":
        return rep.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")
    out = []
    for i, ch in enumerate(rep):
        if ch in "\\`*<>|~&":
            out.append("\\" + ch)
        elif ch in "[]" and next_char in "([:":
            out.append("\\" + ch)
        elif ch == "_" and (i == 0 or i == len(rep) - 1):
            out.append("\\_")
        else:
            out.append(ch)
    return "".join(out)


def _flex(content: str) -> re.Pattern[str]:
    """A pattern for ``content`` as it may be written in source (escapes, entities)."""
    parts = []
    for ch in content:
        lit = (r"\\?" + re.escape(ch)) if ch in _ASCII_PUNCT else re.escape(ch)
        if ch == " ":
            lit = r"[ \t]+"
        parts.append(f"(?:{lit}|&#?[0-9A-Za-z]{{1,31}};)")
    return re.compile("".join(parts))


class MarkdownDocument(TextDocument):
    """A Markdown statement; segments are the texts between (and inside) the markup."""

    def __init__(self, name: str, decoded: Decoded, output_encoding: str | None = None) -> None:
        super().__init__(name, decoded, output_encoding, kind="markdown")
        self.source = decoded.text
        self._pieces: list[list[Piece]] = []
        self._parse()
        self.segments = [join_pieces(p) for p in self._pieces]

    # ---- parsing ----------------------------------------------------------------------------

    def _parse(self) -> None:
        from markdown_it import MarkdownIt

        src = self.source
        starts = [0] + [m.end() for m in _LINE_BREAK.finditer(src)]
        starts.append(len(src))
        nlines = len(starts) - 1

        def off(line: int) -> int:
            return starts[min(max(line, 0), nlines)]

        md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        tokens = md.parse(src)
        covered = [False] * (nlines + 1)
        found: list[tuple[int, list[Piece]]] = []  # (source position, pieces) for ordering
        cursor = 0
        for tok in tokens:
            if tok.map is None:
                continue
            l0, l1 = tok.map
            if tok.type == "inline":
                region = (max(off(l0), cursor), off(l1))
                try:
                    segs, cursor_after = self._inline(tok.children or [], region)
                except _NotFound:
                    segs, cursor_after = [[Piece(src[region[0]:region[1]],
                                                 _Src(region[0], region[1], "raw"))]], region[1]
                found += [(p[0].ref.start if p and p[0].ref else region[0], p) for p in segs]
                cursor = cursor_after
                for i in range(l0, l1):
                    covered[i] = True
            elif tok.type in ("fence", "code_block", "html_block", "hr"):
                lo, hi = l0, l1
                if tok.type == "fence":
                    lo = l0 + 1
                    last = src[off(l1 - 1):off(l1)].strip()
                    if l1 - 1 > l0 and tok.markup and last.startswith(tok.markup):
                        hi = l1 - 1
                for i in range(l0, l1):
                    covered[i] = True
                if tok.type != "hr" and hi > lo:
                    ctx = "html" if tok.type == "html_block" else "raw"
                    a, b = off(lo), off(hi)
                    found.append((a, [Piece(src[a:b], _Src(a, b, ctx))]))
                cursor = max(cursor, off(l1))
        # lines no token accounts for (reference definitions, front matter, ...)
        i = 0
        while i < nlines:
            if covered[i] or not src[off(i):off(i + 1)].strip():
                i += 1
                continue
            j = i
            while j < nlines and not covered[j] and src[off(j):off(j + 1)].strip():
                j += 1
            a, b = off(i), off(j)
            found.append((a, [Piece(src[a:b], _Src(a, b, "raw"))]))
            i = j
        found.sort(key=lambda x: x[0])
        self._pieces = [p for _, p in found if any(ch.isalnum() for ch in join_pieces(p))]

    def _locate(self, content: str, pos: int, end: int) -> tuple[int, int]:
        i = self.source.find(content, pos, end)
        if i >= 0:
            return i, i + len(content)
        m = _flex(content).search(self.source, pos, end)
        if m is None:
            raise _NotFound
        return m.start(), m.end()

    def _dest(self, pos: int, end: int) -> tuple[list[_Src], int] | None:
        """Destination and title of an inline link/image whose text ended at ``pos``."""
        src = self.source
        j = src.find("](", pos, end)
        if j < 0:
            return None  # a reference link: its definition line is redacted as raw text
        k = j + 2
        while k < end and src[k] in " \t\r\n":
            k += 1
        out: list[_Src] = []
        if k < end and src[k] == "<":
            e = src.find(">", k + 1, end)
            if e < 0:
                raise _NotFound
            out.append(_Src(k + 1, e, "dest"))
            k = e + 1
        else:
            depth, e = 0, k
            while e < end and src[e] not in " \t\r\n":
                if src[e] == "\\":
                    e += 2
                    continue
                if src[e] == "(":
                    depth += 1
                elif src[e] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                e += 1
            e = min(e, end)
            if e > k:
                out.append(_Src(k, e, "dest"))
            k = e
        while k < end and src[k] in " \t\r\n":
            k += 1
        if k < end and src[k] in "\"'(":
            close = ")" if src[k] == "(" else src[k]
            e = k + 1
            while e < end and src[e] != close:
                e += 2 if src[e] == "\\" else 1
            if e >= end:
                raise _NotFound
            out.append(_Src(k + 1, e, "title"))
            k = e + 1
        while k < end and src[k] in " \t\r\n":
            k += 1
        if k >= end or src[k] != ")":
            raise _NotFound
        return out, k + 1

    def _inline(self, children: Sequence, region: tuple[int, int]
                ) -> tuple[list[list[Piece]], int]:
        src = self.source
        pos, end = region
        main: list[Piece] = []
        extra: list[list[Piece]] = []
        links: list[bool] = []  # stack: is the open link an autolink?
        pairs: list[int] = []  # stack of open emphasis markers
        opened: list[bool] = []

        def real(a: int, b: int, ctx: str) -> Piece:
            return Piece(src[a:b], _Src(a, b, ctx))

        for child in children:
            t = child.type
            if t in ("text", "code_inline", "html_inline") and child.content:
                a, b = self._locate(child.content, pos, end)
                ctx = {"text": "text", "code_inline": "code", "html_inline": "html"}[t]
                if t == "html_inline":
                    extra.append([real(a, b, ctx)])
                else:
                    main.append(real(a, b, ctx))
                pos = b
            elif t in ("softbreak", "hardbreak"):
                main.append(Piece("\n"))
            elif t == "link_open":
                links.append(child.markup == "autolink")
            elif t == "link_close":
                auto = links.pop() if links else False
                if auto:
                    e = src.find(">", pos, end)
                    pos = e + 1 if e >= 0 else pos
                    continue
                got = self._dest(pos, end)
                if got is not None:
                    for s in got[0]:
                        extra.append([real(s.start, s.end, s.ctx)])
                    pos = got[1]
            elif t == "image":
                alt: list[Piece] = []
                for c in child.children or []:
                    if c.type in ("text", "code_inline") and c.content:
                        a, b = self._locate(c.content, pos, end)
                        alt.append(real(a, b, "text" if c.type == "text" else "code"))
                        pos = b
                    elif c.type in ("softbreak", "hardbreak"):
                        alt.append(Piece(" "))
                if alt:
                    extra.append(alt)
                got = self._dest(pos, end)
                if got is not None:
                    for s in got[0]:
                        extra.append([real(s.start, s.end, s.ctx)])
                    pos = got[1]
                main.append(Piece(" "))
            elif t in ("strong_open", "em_open", "s_open") and child.markup:
                a = src.find(child.markup, pos, end)
                if a < 0:
                    raise _NotFound
                pairs.append(len(opened))
                opened.append(True)
                main.append(Piece("", _Src(a, a + len(child.markup), "open", pairs[-1])))
                pos = a + len(child.markup)
            elif t in ("strong_close", "em_close", "s_close") and child.markup and pairs:
                a = src.find(child.markup, pos, end)
                if a < 0:
                    raise _NotFound
                main.append(Piece("", _Src(a, a + len(child.markup), "close", pairs.pop())))
                pos = a + len(child.markup)
            elif child.content:
                a, b = self._locate(child.content, pos, end)
                main.append(real(a, b, "text"))
                pos = b
        segs = ([main] if any(p.ref is not None for p in main) else []) + extra
        return segs, pos

    # ---- rendering --------------------------------------------------------------------------

    def render(self, redacted: Sequence[Redacted]) -> bytes:
        self._check_len(redacted)
        src = self.source
        changes: list[tuple[int, int, str]] = []
        for pieces, seg, red in zip(self._pieces, self.segments, redacted, strict=True):
            edits = edits_for(seg, red)
            if not edits:
                continue
            new = distribute(pieces, edits, self._escape_at)
            for p, text in zip(pieces, new, strict=True):
                if p.ref is None or text is None or text == p.text:
                    continue
                changes.append((p.ref.start, p.ref.end, text))
            changes += _emptied_markers(pieces, new)
        changes.sort()
        out, pos = [], 0
        for a, b, text in changes:
            out.append(src[pos:a])
            out.append(text)
            pos = b
        out.append(src[pos:])
        data, self.written_encoding = encode_text("".join(out), self.decoded, self.name,
                                                  self.output_encoding, self.warnings)
        return data

    def _escape_at(self, rep: str, piece: Piece, stop: int) -> str:
        ref: _Src = piece.ref
        return _escape(rep, ref.ctx, self.source[ref.start + stop:ref.start + stop + 1])


def _emptied_markers(pieces: Sequence[Piece], new: Sequence[str | None]
                     ) -> list[tuple[int, int, str]]:
    """Deletions of emphasis markers whose whole content a redaction removed.

    ``**Ruslan _Temirov_**`` redacted to one pseudonym would otherwise leave an
    empty ``__`` pair, which renders as literal underscores.
    """
    out = []
    opens = {p.ref.pair: i for i, p in enumerate(pieces) if p.ref is not None
             and p.ref.ctx == "open"}
    for j, p in enumerate(pieces):
        if p.ref is None or p.ref.ctx != "close" or p.ref.pair not in opens:
            continue
        i = opens[p.ref.pair]
        inside = [k for k in range(i + 1, j) if pieces[k].ref is not None
                  and pieces[k].ref.ctx in ("text", "code")]
        if inside and any(pieces[k].text for k in inside) and all(
                not new[k] for k in inside):
            out.append((pieces[i].ref.start, pieces[i].ref.end, ""))
            out.append((p.ref.start, p.ref.end, ""))
    return out


def read_markdown_document(data: bytes, name: str, encoding: str | None,
                           output_encoding: str | None) -> MarkdownDocument:
    """Read a Markdown statement."""
    return MarkdownDocument(name, decode_text(data, name, encoding), output_encoding)
