"""Fuzz every reader with random and mutated bytes: only redact's own errors may escape.

No model needed: reading and rendering (with the segments unchanged) must
either work or raise a :class:`redact.errors.RedactError`.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redact.errors import RedactError
from redact.formats import FormatOptions, read_document

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
sys.path.insert(0, str(CORPUS))
import make_docx  # noqa: E402

NAMES = ["s.txt", "s.md", "s.json", "s.jsonl", "s.csv", "s.tsv", "s.docx", "s"]
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DOCX = make_docx.build_statement()


def _read_and_render(data: bytes, name: str, options: FormatOptions | None = None) -> None:
    try:
        doc = read_document(data, name, options=options)
        out = doc.render(doc.segments)
    except RedactError:
        return
    assert isinstance(out, bytes)


@FUZZ
@given(data=st.binary(max_size=2048), name=st.sampled_from(NAMES))
def test_random_bytes(data: bytes, name: str) -> None:
    _read_and_render(data, name)


@FUZZ
@given(text=st.text(max_size=600), name=st.sampled_from(NAMES[:6]),
       enc=st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-8-sig"]))
def test_random_text(text: str, name: str, enc: str) -> None:
    try:
        data = text.encode(enc)
    except UnicodeEncodeError:
        return
    _read_and_render(data, name)


_MD_ATOMS = ["**", "*", "_", "`", "[", "]", "(", ")", "<", ">", "![", "](", "\\", "&amp;",
             "\n", "\n\n", "    ", "> ", "- ", "# ", "|", "---", "```", "Islam Bakaev",
             "mailto:a@b.c", "http://x.org/a_b", " ", "\"t\"", "[r]: http://y.org", "&#42;"]


@FUZZ
@given(parts=st.lists(st.sampled_from(_MD_ATOMS), max_size=40))
def test_markdown_structures_roundtrip(parts: list[str]) -> None:
    src = "".join(parts).encode()
    doc = read_document(src, "s.md")
    assert doc.render(doc.segments) == src


@FUZZ
@given(pos=st.integers(min_value=0, max_value=len(DOCX) - 1), byte=st.integers(0, 255))
def test_mutated_docx(pos: int, byte: int) -> None:
    data = bytearray(DOCX)
    data[pos] = byte
    _read_and_render(bytes(data), "s.docx")


@FUZZ
@given(part=st.sampled_from(["word/document.xml", "word/comments.xml", "docProps/core.xml",
                             "word/_rels/document.xml.rels", "[Content_Types].xml"]),
       junk=st.binary(max_size=200))
def test_docx_with_broken_part(part: str, junk: bytes) -> None:
    src = zipfile.ZipFile(io.BytesIO(DOCX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            blob = src.read(info)
            z.writestr(info.filename, junk if info.filename == part else blob)
    _read_and_render(out.getvalue(), "s.docx", FormatOptions(embedded="remove"))
