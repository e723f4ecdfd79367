"""The format layer with the real model: corpus leak checks, encodings, Word internals."""

from __future__ import annotations

import codecs
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from redact import LeakError, Redactor
from redact.errors import InputError, UnsupportedFormatError
from redact.formats import FormatOptions, check_output, read_document, redact_document
from redact.formats.base import Piece, distribute, edits_for
from redact.formats.jsondoc import parse_selector

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
sys.path.insert(0, str(CORPUS))
import make_docx  # noqa: E402

EXPECT = json.loads((CORPUS / "expectations.json").read_text(encoding="utf-8"))


def docx_texts(data: bytes) -> dict[str, str]:
    """Every part of a .docx as text: XML parts raw and with entities resolved."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            blob = zf.read(name)
            text = blob.decode("utf-8", "replace")
            if name.endswith((".xml", ".rels")):
                root = etree.fromstring(blob)  # every XML part must parse
                text += "\n" + "".join(root.itertext())
                text += "\n" + "\n".join(v for el in root.iter() for v in el.attrib.values())
            out[name] = text
    return out


def survivors(text: str, terms: list[str]) -> list[str]:
    return [t for t in terms if re.search(re.escape(t), text, re.IGNORECASE)]


# ---- the corpus: one realistic statement per format ---------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECT))
def test_corpus_text_formats(redactor: Redactor, name: str) -> None:
    spec = EXPECT[name]
    opts = FormatOptions(**spec.get("options", {}))
    data = (CORPUS / name).read_bytes()
    out, results, doc = redact_document(redactor, data, name, options=opts)
    assert len(results) == len(doc.segments) > 0
    enc = doc.reread_options().get("encoding") or "utf-8"
    text = out.decode(enc)
    assert survivors(text, spec["must_go"]) == []
    assert [t for t in spec["must_stay"] if t not in text] == []


@pytest.fixture(scope="module")
def statement_docx() -> bytes:
    return make_docx.build_statement()


@pytest.fixture(scope="module")
def redacted_docx(redactor: Redactor, statement_docx: bytes) -> tuple[bytes, object]:
    out, _results, doc = redact_document(redactor, statement_docx, "statement.docx")
    return out, doc


def test_corpus_docx_nothing_survives_in_any_part(redacted_docx: tuple[bytes, object]) -> None:
    out, _doc = redacted_docx
    parts = docx_texts(out)
    leaks = {name: survivors(text, make_docx.MUST_GO) for name, text in parts.items()}
    assert {k: v for k, v in leaks.items() if v} == {}
    everything = "\n".join(parts.values())
    assert [t for t in make_docx.MUST_STAY if t not in everything] == []


def test_committed_docx_is_current_and_redacts(redactor: Redactor) -> None:
    data = (CORPUS / "statement.docx").read_bytes()
    out, _, _ = redact_document(redactor, data, "statement.docx")
    leaks = {n: survivors(t, make_docx.MUST_GO) for n, t in docx_texts(out).items()}
    assert {k: v for k, v in leaks.items() if v} == {}


def test_docx_every_hiding_place_is_a_segment(statement_docx: bytes) -> None:
    doc = read_document(statement_docx, "statement.docx")
    segs = "\n".join(doc.segments)
    for hidden in ["Adlan Bakaev",                       # tracked deletion (w:delText)
                   "Said Umarov",                        # tracked insertion
                   "Confirm with Magomed Bakaev",        # comment
                   "CONFIDENTIAL - Statement of",        # header
                   "Prepared by Zarema Dudayeva",        # footer
                   "Interview recorded at the flat of",  # footnote
                   "Interpreter: Luiza Ismailova",       # text box
                   "mailto:islam.bakaev95@mail.ru",      # hyperlink relationship
                   "https://vk.com/islam.bakaev95",
                   "Detention of Islam Bakaev in Argun",  # core properties
                   "Dudayeva and Partners",               # app.xml company
                   "Magomed Bakaev",                      # app.xml manager
                   "islam.bakaev95@mail.ru",              # custom property
                   "Ruslan Temirov"]:                     # split over three runs
        assert hidden in segs, hidden
    assert any("image(s)" in w for w in doc.warnings)


def test_docx_output_reopens_and_keeps_structure(redacted_docx: tuple[bytes, object]) -> None:
    out, doc = redacted_docx
    d = docx.Document(io.BytesIO(out))
    body = "\n".join(p.text for p in d.paragraphs)
    assert "[image removed]" in body
    assert "Witness statement" in body
    assert len(d.tables) == 1 and len(d.tables[0].rows) == 3
    assert len(list(d.comments)) == 1
    cp = d.core_properties
    assert "Bakaev" not in (cp.title + cp.author + cp.last_modified_by + cp.keywords)
    names = zipfile.ZipFile(io.BytesIO(out)).namelist()
    assert not [n for n in names if n.startswith("word/media/") or "thumbnail" in n]
    comments = zipfile.ZipFile(io.BytesIO(out)).read("word/comments.xml").decode()
    assert 'w:initials="ZD"' not in comments
    assert doc.kind == "docx"


def test_docx_split_name_keeps_run_formatting(redacted_docx: tuple[bytes, object]) -> None:
    out, _ = redacted_docx
    d = docx.Document(io.BytesIO(out))
    para = next(p for p in d.paragraphs if p.text.startswith("On 2 March"))
    assert "Ruslan" not in para.text and "Temirov" not in para.text
    runs = para.runs
    bold = [r for r in runs if r.bold]
    assert bold and bold[0].text.startswith("Person")  # replacement sits in the first run
    assert "".join(r.text for r in runs if r.italic) == ""  # the other runs gave up their chars
    assert para.text.endswith("called me and asked me to meet him near the central market.")


def test_docx_embedded_keep_warns(statement_docx: bytes) -> None:
    doc = read_document(statement_docx, "s.docx", options=FormatOptions(embedded="keep"))
    assert any("kept" in w for w in doc.warnings)
    out = doc.render(doc.segments)
    assert any(n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(out)).namelist())
    docx.Document(io.BytesIO(out))


def test_docx_name_split_across_three_runs(fresh_redactor: Redactor) -> None:
    d = docx.Document()
    p = d.add_paragraph("Yesterday my brother ")
    for chunk, fmt in (("Ali", "bold"), ("mkhan Du", "italic"), ("daev", "underline")):
        setattr(p.add_run(chunk), fmt, True)
    p.add_run(" was taken from his home in Shali by the police.")
    buf = io.BytesIO()
    d.save(buf)
    out, _, doc = redact_document(fresh_redactor, buf.getvalue(), "split.docx")
    assert any("brother Alimkhan Dudaev was" in s for s in doc.segments)
    text = "\n".join(docx_texts(out).values())
    assert survivors(text, ["Alimkhan", "Dudaev", "mkhan", "daev"]) == []


# ---- plain text and encodings -------------------------------------------------------------

def _roundtrip(redactor: Redactor, data: bytes, name: str = "s.txt", **kw: object
               ) -> tuple[bytes, object]:
    out, _, doc = redact_document(redactor, data, name, **kw)  # type: ignore[arg-type]
    return out, doc


STATEMENT = "My name is Islam Bakaev.\r\nCall me on +7 928 311-45-67.\r\nI live in Berlin.\r\n"


def test_utf16_bom_in_utf16_bom_out_crlf_kept(redactor: Redactor) -> None:
    data = codecs.BOM_UTF16_LE + STATEMENT.encode("utf-16-le")
    out, _ = _roundtrip(redactor, data)
    assert out.startswith(codecs.BOM_UTF16_LE)
    text = out[2:].decode("utf-16-le")
    assert "Bakaev" not in text and "311-45-67" not in text
    assert text.count("\r\n") == 3 and "\n" not in text.replace("\r\n", "")


def test_utf8_bom_kept(redactor: Redactor) -> None:
    out, _ = _roundtrip(redactor, codecs.BOM_UTF8 + STATEMENT.encode())
    assert out.startswith(codecs.BOM_UTF8) and b"Bakaev" not in out


def test_cp1252_detected_and_written_back(redactor: Redactor) -> None:
    text = "Statement \u2013 \u201cIslam Bakaev\u201d paid 300 \u20ac in Berlin.\n"
    out, doc = _roundtrip(redactor, text.encode("cp1252"))
    assert doc.reread_options()["encoding"] == "cp1252"
    assert any("cp1252" in w for w in doc.warnings)
    back = out.decode("cp1252")
    assert "Bakaev" not in back and "300 \u20ac" in back and "\u201c" in back


def test_named_encoding_and_unencodable_replacement_falls_back(redactor: Redactor) -> None:
    data = "Islam Bakaev lives in Berlin.\n".encode("latin-1")
    out, doc = _roundtrip(redactor, data, encoding="latin-1")
    assert b"Bakaev" not in out
    # a replacement that latin-1 cannot hold: UTF-8 output and a warning, never '?'
    doc = read_document(data, "s.txt", encoding="latin-1")
    rendered = doc.render(["\u2588\u2588\u2588 lives in Berlin.\n"])
    assert rendered.decode("utf-8").startswith("\u2588\u2588\u2588")
    assert any("UTF-8" in w for w in doc.warnings)
    strict = read_document(data, "s.txt", encoding="latin-1",
                           options=FormatOptions(output_encoding="latin-1"))
    with pytest.raises(Exception, match="cannot encode"):
        strict.render(["\u2588 lives in Berlin.\n"])


def test_undecodable_input_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="not valid utf-8"):
        read_document(b"\xff\xfeabc\x00\xd8", "s.txt", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        read_document(b"abc", "s.txt", encoding="no-such-codec")
    with pytest.raises(InputError, match="byte order mark"):
        read_document(codecs.BOM_UTF16_LE + b"\x00\xd8\x00", "s.txt")


@pytest.mark.parametrize(("data", "name", "what"), [
    (b"GIF89a\x01\x00\x01\x00", "scan.gif", "GIF"),
    (b"%PDF-1.4\n", "statement.txt", "PDF"),
    (b"\x00\x00\x00\x18ftypheic", "photo.heic", "HEIC"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.jpg", "PNG"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.txt", "JPEG"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16, "old.doc", "legacy Office"),
    (b"hello", "notes.odt", "not supported"),
    (b"plain words", "statement.docx", "not a Word document"),
    (b"bin\x00ary\x00data", "statement.txt", "binary"),
])
def test_unsupported_formats_have_a_reason(data: bytes, name: str, what: str) -> None:
    with pytest.raises(UnsupportedFormatError) as err:
        read_document(data, name)
    assert what in err.value.reason
    assert isinstance(err.value, InputError)


def test_docx_posing_as_txt_is_refused(statement_docx: bytes) -> None:
    with pytest.raises(UnsupportedFormatError, match="rename it to .docx"):
        read_document(statement_docx, "statement.txt")


# ---- Markdown -----------------------------------------------------------------------------

def test_markdown_markup_kept_and_link_targets_redacted(redactor: Redactor) -> None:
    src = ("Ask **Islam _Bakaev_** at [his address](mailto:islam.bakaev95@mail.ru) or "
           "`+7 928 311-45-67`; see ![Islam Bakaev](img/a.png \"Islam Bakaev\").\n\n"
           "    code block: Islam Bakaev\n\n<div title=\"Islam Bakaev\">x</div>\n")
    out, _, _ = redact_document(redactor, src.encode(), "s.md")
    text = out.decode()
    assert survivors(text, ["Islam", "Bakaev", "islam.bakaev95", "311-45-67"]) == []
    assert re.search(r"Ask \*\*Person [A-Z]+\*\* at \[his address\]\(mailto:", text), text
    assert "`[PHONE_NUMBER]`" in text and "![Person" in text and "    code block: " in text


def test_markdown_unchanged_when_nothing_to_redact() -> None:
    src = "# Title\n\n* a *b* [c](http://example.org)\n\n| x | y |\n|---|---|\n| 1 | 2 |\n"
    doc = read_document(src.encode(), "s.md")
    assert doc.render(doc.segments) == src.encode()


# ---- JSON / JSON Lines --------------------------------------------------------------------

def test_json_fields_selectors(redactor: Redactor) -> None:
    rec = {"id": 7, "statement": "Islam Bakaev was detained in Argun.",
           "meta": {"interviewer": "Islam Bakaev"},
           "items": [{"text": "Call Islam Bakaev", "note": "Islam Bakaev"}]}
    data = json.dumps([rec], indent=2).encode()
    opts = FormatOptions(fields=["$.statement", "$.items[*].text"])
    doc = read_document(data, "s.json", options=opts)
    assert doc.segments == ["Islam Bakaev was detained in Argun.", "Call Islam Bakaev"]
    # the kept fields still hold the name: the final check fails closed
    with pytest.raises(LeakError):
        redact_document(redactor, data, "s.json", options=opts)
    out, _, _ = redact_document(redactor, data, "s.json")
    back = json.loads(out)
    assert back[0]["id"] == 7 and list(back[0]) == list(rec)
    assert "Bakaev" not in out.decode()
    assert out.decode().startswith("[\n  {\n    \"id\": 7,")  # layout kept


def test_selector_parsing() -> None:
    assert parse_selector("$.items[*].text") == [("key", "items"), ("any", None),
                                                 ("key", "text")]
    assert parse_selector("text") == [("desc", None), ("key", "text")]
    with pytest.raises(InputError):
        parse_selector("$.[")


def test_jsonl_identifier_numbers_become_strings(redactor: Redactor) -> None:
    data = b'{"passport": 4510123456, "count": 12, "ratio": 1.5}\n'
    out, _, doc = redact_document(redactor, data, "s.jsonl")
    assert json.loads(out) == {"passport": "[ID_NUMBER]", "count": 12, "ratio": 1.5}
    assert doc.segments == ["passport: 4510123456"]


def test_jsonl_phone_stored_as_number(redactor: Redactor) -> None:
    out, _, _ = redact_document(redactor, b'{"phone": 4915773902261}\n', "s.jsonl")
    assert b"4915773902261" not in out


def test_json_invalid_is_input_error() -> None:
    with pytest.raises(InputError, match="line 2"):
        read_document(b'{"a": 1}\n{"a": \n', "s.jsonl")


# ---- CSV ----------------------------------------------------------------------------------

def test_csv_columns_quoting_and_dialect(redactor: Redactor) -> None:
    data = (b'"date","witness","note"\r\n"2024-05-14","Islam Bakaev","seen in Argun"\r\n'
            b'"2024-05-15","Kheda Bakaeva","left for Berlin"\r\n')
    opts = FormatOptions(columns={"date": "keep", "note": "drop"})
    out, _, _ = redact_document(redactor, data, "log.csv", options=opts)
    text = out.decode()
    assert text.startswith('"date","witness"\r\n"2024-05-14","Person ')
    assert "Bakaev" not in text and "Argun" not in text and text.endswith("\r\n")
    with pytest.raises(InputError, match="no column"):
        read_document(data, "log.csv", options=FormatOptions(columns={"nope": "keep"}))


def test_csv_untouched_rows_are_byte_identical() -> None:
    data = b"a;b\n1;'x;y'\n2;plain\n"
    doc = read_document(data, "t.csv")
    assert doc.render(doc.segments) == data


# ---- the final check and the piece engine -------------------------------------------------

def test_check_output_fails_closed_on_surviving_form(redactor: Redactor) -> None:
    data = b"Islam Bakaev was detained.\n"
    doc = read_document(data, "s.txt")
    results = redactor.redact_segments(doc.segments)
    with pytest.raises(LeakError):
        check_output(doc, data, results)  # the unredacted bytes as "output"


def test_distribute_puts_replacement_in_first_piece() -> None:
    pieces = [Piece("my friend ", 0), Piece("Ru", 1), Piece("sl", 2), Piece("an T", 3),
              Piece("\n"), Piece("emirov called", 4)]
    seg = "".join(p.text for p in pieces)
    start = seg.index("Ruslan")
    end = seg.index(" called")
    new = distribute(pieces, [(start, end, "Person A")])
    assert new == ["my friend ", "Person A", "", "", None, " called"]
    assert edits_for("abc Ruslan x", "abc Person A x") != []
