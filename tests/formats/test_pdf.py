"""PDFs, scans and photos: the removed text is gone from the pixels, the text layer, the
streams and the metadata; the output is rebuilt from pixels only; the final check OCRs the
output and fails closed. Every PDF and image here is built by the tests (tests/pdfmaker.py,
Pillow with a DejaVu font when Debian's fonts-dejavu-core is installed)."""

from __future__ import annotations

import io
import json
import os
import re
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pdfmaker import make_pdf, skip_without_ocr

from redact.errors import LeakError, MislabelledFileError, RedactError
from redact.formats import detect_kind, read_document, redact_document
from redact.formats import pdf as pdfmod
from redact.formats._pixels import fill_boxes

pdfium = pytest.importorskip("pypdfium2")
Image = pytest.importorskip("PIL.Image")

skip_without_ocr()

NAME = "Islam Temirov"
OTHER = "Ruslan Bakaev"  # only in the Info dictionary, the annotation and the attachment
PLANTED = ["Islam", "Temirov", "Ruslan", "Bakaev", "Grozny"]
_PSEUDONYM = re.compile(r"Person [A-Z]+")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def _pages(n: int) -> list[list[str]]:
    return [[f"Page {i + 1} of the statement of the witness.",
             f"My cousin {NAME} called me from Grozny.",
             "Then Temirov said the men came at night.",
             "We left the house in the morning."] for i in range(n)]


def _streams(pdf: bytes) -> list[bytes]:
    """Every stream of a PDF, decompressed when it is Flate-compressed."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.S):
        raw = m.group(1)
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def _found(planted: list[str], *texts: str | bytes) -> list[str]:
    hits = []
    for t in texts:
        s = t.decode("latin-1") if isinstance(t, bytes) else t
        hits += [p for p in planted if re.search(rf"(?i)\b{re.escape(p)}\b", s)]
    return hits


def _ocr(img) -> str:  # type: ignore[no-untyped-def]
    import pytesseract
    return pytesseract.image_to_string(img.convert("L"))


def _name_boxes(data: bytes, text: str) -> list[list[tuple[float, float, float, float]]]:
    """Per page, the boxes (PDF points, bottom-left origin) where ``text`` is drawn."""
    doc = pdfium.PdfDocument(data)
    out = []
    for i in range(len(doc)):
        page = doc[i]
        tp = page.get_textpage()
        page_text = tp.get_text_range()
        boxes = []
        for m in re.finditer(re.escape(text), page_text):
            for k in range(m.start(), m.end()):
                if not page_text[k].isspace():
                    boxes.append(tp.get_charbox(k))
        out.append(boxes)
    return out


@pytest.fixture(scope="module")
def text_pdf() -> bytes:
    return make_pdf(_pages(3), info={"Author": OTHER, "Title": f"Statement of {OTHER}",
                                     "Subject": "Grozny"},
                    annotation=f"Call {OTHER} about this", attachment=OTHER.encode(),
                    javascript=f"app.alert('{OTHER}')")


@pytest.fixture(scope="module")
def redacted_pdf(redactor, text_pdf):  # type: ignore[no-untyped-def]
    return redact_document(redactor, text_pdf, "statement.pdf")


def test_input_really_holds_the_planted_strings(text_pdf: bytes) -> None:
    doc = pdfium.PdfDocument(text_pdf)
    assert doc.get_metadata_dict()["Author"] == OTHER
    pages = [doc[i] for i in range(len(doc))]
    assert all(NAME in p.get_textpage().get_text_range() for p in pages)
    assert doc.count_attachments() == 1
    assert [len(b) for b in _name_boxes(text_pdf, "Temirov")] == [14, 14, 14]


def test_text_pdf_one_segment_per_page_planned_together(redacted_pdf) -> None:  # type: ignore[no-untyped-def]
    out, results, doc = redacted_pdf
    assert doc.kind == "pdf" and len(doc.segments) == 3
    assert [p.source for p in doc.pages] == ["text"] * 3
    # propagation and pseudonyms cross pages: the same person is the same pseudonym
    reps = {s.replacement for r in results for s in r.spans if s.entity == "PERSON"}
    # (the session's redactor may have given "Person A" to someone in an earlier test)
    assert len(reps) == 1 and re.fullmatch(r"Person [A-Z]+", label := reps.pop())
    assert all(label in r.text and "Temirov" not in r.text for r in results)


def test_text_pdf_output_holds_no_planted_string(redacted_pdf) -> None:  # type: ignore[no-untyped-def]
    out, _results, doc = redacted_pdf
    assert out.startswith(b"%PDF-")
    again = pdfium.PdfDocument(out)  # a valid PDF that pdfium opens
    assert len(again) == 3
    pages = [again[i] for i in range(len(again))]  # held: pdfium pages die with their object
    text_layer = "".join(p.get_textpage().get_text_range() for p in pages)
    assert text_layer.strip() == ""  # pages are images: no text layer at all
    meta = again.get_metadata_dict()
    assert not any(meta.values())
    assert again.count_attachments() == 0
    assert all(pdfium.raw.FPDFPage_GetAnnotCount(p.raw) == 0 for p in pages)
    assert not _found(PLANTED, out, *_streams(out))
    assert b"/Info" not in out and b"/JavaScript" not in out and b"/Annots" not in out
    assert b"/Metadata" not in out and b"/EmbeddedFiles" not in out
    assert out.count(b"/DeviceGray") == 3  # black text on white: grey JPEG pages
    # OCR of the rendered output finds no planted string, but finds the rest of the page
    ocr = "".join(_ocr(p.render(scale=200 / 72).to_pil()) for p in pages)
    assert not _found(PLANTED, ocr)
    assert "morning" in ocr and "cousin" in ocr


def test_text_pdf_areas_of_names_are_black(redacted_pdf, text_pdf) -> None:  # type: ignore[no-untyped-def]
    out, _results, _doc = redacted_pdf
    again = pdfium.PdfDocument(out)
    scale = 150 / 72
    for i, boxes in enumerate(_name_boxes(text_pdf, NAME) + _name_boxes(text_pdf, "Temirov")):
        page_no = i % 3
        img = again[page_no].render(scale=scale).to_pil().convert("L")
        h = img.size[1]
        assert boxes
        for left, bottom, right, top in boxes:
            crop = img.crop((int(left * scale), int(h - top * scale),
                             int(right * scale) + 1, int(h - bottom * scale) + 1))
            hist = crop.histogram()
            dark = sum(hist[:60]) / max(1, sum(hist))
            assert dark > 0.95, (page_no, dark)
    # and text that stays is still drawn (not everything blacked out)
    img = again[0].render(scale=scale).to_pil().convert("L")
    hist = img.histogram()
    assert sum(hist[201:]) / sum(hist) > 0.9


def test_text_pdf_report_says_what_was_not_carried_over(redacted_pdf) -> None:  # type: ignore[no-untyped-def]
    _out, _results, doc = redacted_pdf
    removed = " ".join(doc.removed)
    assert "Author" in removed and "Title" in removed and "annotation" in removed
    assert "embedded file" in removed and "JavaScript" in removed
    assert not _found(PLANTED, removed, *doc.warnings)


def test_form_fields_and_annotation_text_dropped_are_counted(redactor) -> None:  # type: ignore[no-untyped-def]
    data = make_pdf(_pages(2), annotation=f"Call {OTHER}", form_field=("witness", OTHER))
    out, _results, doc = redact_document(redactor, data, "form.pdf")
    removed = "; ".join(doc.removed)
    assert "3 annotation(s)" in removed and "Text 2, Widget 1" in removed
    assert "2 hold text" in removed  # the comments (the widget is counted as a field)
    assert "form fields (not drawn): 1 field(s), 1 filled in" in removed
    assert not _found(PLANTED + ["witness"], removed, *doc.warnings, out, *_streams(out))


def test_text_pdf_redacted_text_beside(redacted_pdf) -> None:  # type: ignore[no-untyped-def]
    _out, results, doc = redacted_pdf
    text = doc.companions()[".txt"].decode("utf-8")
    label = next(s.replacement for s in results[0].spans if s.entity == "PERSON")
    assert text.count("\f") == 2 and text.count(label) == 6 and "\r" not in text
    assert "We left the house in the morning." in text
    assert not _found(PLANTED, text)


def test_fail_closed_when_a_name_is_left_in_the_pixels(redactor, text_pdf, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a fault that cannot be produced otherwise: the renderer forgets to fill the boxes
    monkeypatch.setattr(pdfmod, "fill_boxes", lambda page, edits: [])
    with pytest.raises(LeakError) as exc:
        redact_document(redactor, text_pdf, "statement.pdf")
    assert not _found(PLANTED, exc.value.diagnostic)


def test_detect_kind_pdf_and_images() -> None:
    assert detect_kind(make_pdf([["x"]]), "a.pdf") == "pdf"
    png = io.BytesIO()
    Image.new("L", (10, 10), 255).save(png, "PNG")
    assert detect_kind(png.getvalue(), "a.png") == "image"
    with pytest.raises(MislabelledFileError):
        detect_kind(png.getvalue(), "a.jpg")
    with pytest.raises(MislabelledFileError):
        detect_kind(b"just text", "a.pdf")
    with pytest.raises(MislabelledFileError):  # a PDF named .txt is still refused
        detect_kind(make_pdf([["x"]]), "a.txt")


# ---- scans and photos --------------------------------------------------------------------

def _font(size: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont
    if FONT.exists():
        return ImageFont.truetype(str(FONT), size)
    return ImageFont.load_default(size=size)


def _scan(lines: list[str], size: int = 40, width: int = 1700) -> object:
    from PIL import ImageDraw
    img = Image.new("RGB", (width, 120 + len(lines) * int(size * 1.6)), "white")
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw.text((80, 60 + k * int(size * 1.6)), line, fill="black", font=_font(size))
    return img


SCAN_LINES = [f"My cousin {NAME} called me from Grozny.",
              "Then Temirov said the men came at night.",
              "We left the house in the morning."]


def _exif_with_gps() -> object:
    exif = Image.Exif()
    exif[0x010E] = f"Statement of {OTHER}"  # ImageDescription
    exif[0x010F] = "PhoneMaker"
    exif[0xA431] = "SN-0042-7731"  # BodySerialNumber (Exif IFD, written here in IFD0)
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (43.0, 19.0, 5.0)
    gps[3], gps[4] = "E", (45.0, 41.0, 6.0)
    return exif


@pytest.mark.parametrize("fmt,name", [("JPEG", "photo.jpg"), ("PNG", "scan.png")])
def test_photo_exif_gps_gone_and_name_gone_from_pixels(redactor, fmt, name) -> None:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    _scan(SCAN_LINES).save(buf, fmt, exif=_exif_with_gps())
    data = buf.getvalue()
    src = Image.open(io.BytesIO(data))
    assert src.getexif().get_ifd(0x8825) and OTHER in str(src.getexif().get(0x010E))
    out, results, doc = redact_document(redactor, data, name)
    assert doc.kind == "image" and _PSEUDONYM.search(results[0].text)
    assert "GPS position" in " ".join(doc.removed) and "EXIF" in " ".join(doc.removed)
    img = Image.open(io.BytesIO(out))
    assert img.format == fmt  # the output keeps the input's kind
    assert len(img.getexif()) == 0 and "exif" not in img.info and "icc_profile" not in img.info
    assert not _found(PLANTED + ["SN-0042-7731", "PhoneMaker"], out)
    ocr = _ocr(img)
    assert not _found(PLANTED, ocr)
    assert "morning" in ocr


def test_image_only_pdf_is_read_by_ocr(redactor) -> None:  # type: ignore[no-untyped-def]
    scan = _scan(SCAN_LINES + ["The statement ends here."], size=36, width=1700)
    page = Image.new("RGB", (1700, 2200), "white")
    page.paste(scan, (0, 100))
    data = make_pdf([], images=[page], info={"Author": OTHER})
    out, results, doc = redact_document(redactor, data, "scan.pdf")
    assert [p.source for p in doc.pages] == ["ocr"]
    assert _PSEUDONYM.search(results[0].text)
    again = pdfium.PdfDocument(out)
    assert len(again) == 1 and not any(again.get_metadata_dict().values())
    ocr = _ocr(again[0].render(scale=200 / 72).to_pil())
    assert not _found(PLANTED, ocr) and "morning" in ocr


def test_low_confidence_neighbour_of_a_removed_word_is_filled() -> None:
    page = pdfmod.Page(text="Mr Xq Temirov", boxes=[None] * 13, source="ocr", dpi=300,
                       words=[0, 0, -1, 1, 1, -1] + [2] * 7,
                       word_boxes=[(0, 0, 10, 10), (20, 0, 30, 10), (40, 0, 80, 10)],
                       word_conf=[96.0, 20.0, 95.0], word_line=[(1, 1, 1)] * 3)
    boxes = fill_boxes(page, [(6, 13, "Person A")])
    lefts = sorted(b[0] for b in boxes)
    assert len(boxes) == 2 and lefts[0] < 20 < lefts[1]  # "Xq" (conf 20) filled, "Mr" kept


def test_cli_writes_pdf_text_beside_and_report(tmp_path: Path, text_pdf: bytes) -> None:
    from typer.testing import CliRunner

    from redact import cli
    src = tmp_path / "s.pdf"
    src.write_bytes(text_pdf)
    out, rep = tmp_path / "s.redacted.pdf", tmp_path / "r.json"
    r = CliRunner().invoke(cli.app, ["file", str(src), "-o", str(out), "--report", str(rep)],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF-")
    text = (tmp_path / "s.redacted.pdf.txt").read_text(encoding="utf-8")
    assert _PSEUDONYM.search(text) and not _found(PLANTED, text)
    report = json.loads(rep.read_text(encoding="utf-8"))
    assert report["format"] == "pdf" and "JavaScript" in " ".join(report["removed_from_file"])
    assert not _found(PLANTED, rep.read_text(encoding="utf-8"), r.output)


def test_image_on_a_text_page_is_read_by_ocr_and_filled(redactor) -> None:  # type: ignore[no-untyped-def]
    # a photo of a document inside a Word export: the name in it is in no text layer
    photo = _scan(["Witness: Zarema Bakaeva", "signed in the morning"], size=44, width=900)
    data = make_pdf([["A statement with a photo of the pass.", "We left in the morning."]],
                    page_image=(photo, (72, 300, 450, 100)))
    out, results, doc = redact_document(redactor, data, "photo-in-text.pdf")
    assert doc.pages[0].source == "text" and doc.pages[0].ocr_regions == 1
    assert "Bakaeva" not in results[0].text and any("image" in w for w in doc.warnings)
    again = pdfium.PdfDocument(out)
    ocr = _ocr(again[0].render(scale=200 / 72).to_pil())
    assert not _found(["Zarema", "Bakaeva"], ocr) and "morning" in ocr


_SMALL_PDF = make_pdf([["A short statement.", "Nothing more."]], annotation="note",
                      compress=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pos=st.integers(min_value=0, max_value=len(_SMALL_PDF) - 1), byte=st.integers(0, 255))
def test_mutated_pdf_only_redact_errors(pos: int, byte: int) -> None:
    data = bytearray(_SMALL_PDF)
    data[pos] = byte
    try:
        doc = read_document(bytes(data), "s.pdf")
        out = doc.render(doc.segments)
    except RedactError:
        return
    assert out.startswith(b"%PDF-")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), name=st.sampled_from(["s.png", "s.jpg", "s.tif"]))
def test_random_image_bytes_only_redact_errors(data: bytes, name: str) -> None:
    magic = {"s.png": b"\x89PNG\r\n\x1a\n", "s.jpg": b"\xff\xd8\xff", "s.tif": b"II*\x00"}
    try:
        doc = read_document(magic[name] + data, name)
        doc.render(doc.segments)
    except RedactError:
        return


def test_rotated_page_is_covered_and_kept_upright(redactor) -> None:  # type: ignore[no-untyped-def]
    data = make_pdf(_pages(1), rotate=90)
    out, results, _doc = redact_document(redactor, data, "rotated.pdf")
    page = pdfium.PdfDocument(out)[0]
    w, h = page.get_size()
    assert w > h  # as a viewer shows it: landscape
    ocr = _ocr(page.render(scale=200 / 72).to_pil().rotate(90, expand=True))
    assert not _found(PLANTED, ocr) and "morning" in ocr


def test_sideways_photo_is_read_and_filled(redactor) -> None:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    _scan(SCAN_LINES).rotate(90, expand=True).save(buf, "PNG")  # fed into the scanner sideways
    out, results, doc = redact_document(redactor, buf.getvalue(), "sideways.png")
    assert _PSEUDONYM.search(results[0].text) and "morning" in results[0].text
    img = Image.open(io.BytesIO(out))
    ocr = _ocr(img.rotate(-90, expand=True))
    assert not _found(PLANTED, ocr) and "morning" in ocr


def test_batch_redacts_pdfs_and_photos_into_a_case(tmp_path: Path, text_pdf: bytes) -> None:
    from redact import seal as S
    from redact.batch import BatchOptions, run_batch
    from redact.case import Case

    src = tmp_path / "in"
    src.mkdir()
    (src / "statement.pdf").write_bytes(text_pdf)
    buf = io.BytesIO()
    _scan(SCAN_LINES).save(buf, "JPEG", exif=_exif_with_gps())
    (src / "photo.jpg").write_bytes(buf.getvalue())
    ident = S.generate_identity()
    Case.init(tmp_path / "case", [str(ident.recipient)], passphrase="pw for pdf tests",
              work_factor=10)
    case = Case.open(tmp_path / "case")
    case.unlock(passphrase="pw for pdf tests")
    with case:
        summary = run_batch(case, src, BatchOptions(workers=1))
    assert {f.rel: f.status for f in summary.files} == {"photo.jpg": "ok",
                                                        "statement.pdf": "ok"}
    pdf_out = (tmp_path / "case" / "redacted" / "statement.pdf").read_bytes()
    jpg_out = (tmp_path / "case" / "redacted" / "photo.jpg").read_bytes()
    assert pdf_out.startswith(b"%PDF-") and not _found(PLANTED, pdf_out, *_streams(pdf_out))
    img = Image.open(io.BytesIO(jpg_out))
    assert img.format == "JPEG" and len(img.getexif()) == 0
    assert not _found(PLANTED, _ocr(img))
    report = json.loads((tmp_path / "case" / "reports" / "photo.json").read_text())
    assert "GPS position" in " ".join(report["removed_from_file"])


# ---- the OCR engines ---------------------------------------------------------------------

@pytest.fixture()
def engine(request):  # type: ignore[no-untyped-def]
    """Tesseract run through the engine named by the test's parameter, then the default."""
    from redact.formats._ocr import use_engine
    if use_engine(request.param) != request.param:
        use_engine(None)
        if os.environ.get("REDACT_REQUIRE_OCR") and request.param == "tesserocr":
            pytest.fail("tesserocr (a dependency) does not run here")
        pytest.skip(f"{request.param} does not run here")
    yield request.param
    use_engine(None)


@pytest.mark.parametrize("engine", ["tesserocr", "pytesseract"], indirect=True)
def test_engines_read_a_scan_alike(engine: str) -> None:
    img = _scan(SCAN_LINES)
    page = pdfmod.ocr_page(img, 300)
    assert pdfmod.ocr_engine() == engine
    assert page.text.split("\n") == SCAN_LINES  # one line each, words in order
    assert len(page.word_boxes) == len(page.word_conf) == len(" ".join(SCAN_LINES).split())
    k = page.text.index("Temirov")
    left, top, right, bottom = page.boxes[k]
    assert page.boxes[k + 6] == page.boxes[k] and 80 < left < right < 1700 and top < bottom
    assert all(c > 80 for c in page.word_conf)


@pytest.mark.parametrize("engine", ["tesserocr", "pytesseract"], indirect=True)
def test_check_fails_closed_with_each_engine(engine: str, redactor, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # the check reads output pages at the resolution written (150 dpi for a text page):
    # a name left in the pixels is still found, whichever engine runs Tesseract
    data = make_pdf(_pages(1), size=8)
    monkeypatch.setattr(pdfmod, "fill_boxes", lambda page, edits: [])
    with pytest.raises(LeakError):
        redact_document(redactor, data, "small-print.pdf")


def test_the_check_reads_output_pages_at_their_own_resolution(redacted_pdf) -> None:  # type: ignore[no-untyped-def]
    out, _results, _doc = redacted_pdf
    again = pdfmod.read_pdf_document(out, "statement.pdf", native=True)
    assert again.pages[0].source == "ocr" and "morning" in again.segments[0]
    # the text starts 72 pt from the left edge: 150 px at 150 dpi (200 px at OCR_DPI)
    left = min(b[0] for b in again.pages[0].word_boxes)
    assert abs(left - 72 * pdfmod.TEXT_DPI / 72) < 8, left
    # an input scan is still rendered at OCR_DPI
    assert abs(min(b[0] for b in read_document(out, "s.pdf").pages[0].word_boxes)
               - 72 * pdfmod.OCR_DPI / 72) < 8


# ---- HEIC phone photos (pillow-heif, optional) -------------------------------------------

def _heic(img, **kw) -> bytes:  # type: ignore[no-untyped-def]
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    img.save(buf, "HEIF", quality=95, **kw)
    return buf.getvalue()


def test_heic_photo_gps_and_name_gone_output_a_heic(redactor) -> None:  # type: ignore[no-untyped-def]
    xmp = (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
           f'dc:creator="{OTHER}"/></rdf:RDF></x:xmpmeta>').encode()
    data = _heic(_scan(SCAN_LINES), exif=_exif_with_gps(), xmp=xmp)
    src = Image.open(io.BytesIO(data))
    assert src.format == "HEIF" and src.getexif().get_ifd(0x8825)
    assert OTHER in str(src.getexif().get(0x010E)) and OTHER.encode() in src.info["xmp"]
    assert detect_kind(data, "IMG_0042.HEIC") == "image"
    out, results, doc = redact_document(redactor, data, "IMG_0042.HEIC")
    assert doc.kind == "image" and _PSEUDONYM.search(results[0].text)
    removed = " ".join(doc.removed)
    assert "GPS position" in removed and "EXIF" in removed and "xmp" in removed
    assert not _found(PLANTED, removed, *doc.warnings)
    img = Image.open(io.BytesIO(out))
    assert img.format == "HEIF"  # the output keeps the input's kind
    assert len(img.getexif()) == 0 and not img.info.get("exif") and not img.info.get("xmp")
    assert not img.info.get("thumbnails") and not img.info.get("metadata")
    assert not _found(PLANTED + ["SN-0042-7731", "PhoneMaker"], out)
    ocr = _ocr(img)
    assert not _found(PLANTED, ocr) and "morning" in ocr


def test_heic_without_pillow_heif_or_damaged_is_refused_as_before(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from redact.errors import UnsupportedFormatError
    data = _heic(_scan(["A short line."]))
    with pytest.raises(UnsupportedFormatError) as err:  # a damaged one: as any HEIC before
        read_document(data[:40], "photo.heic")
    assert "HEIC" in err.value.reason and not isinstance(err.value, MislabelledFileError)
    monkeypatch.setitem(__import__("sys").modules, "pillow_heif", None)  # not installed
    with pytest.raises(UnsupportedFormatError) as err:
        detect_kind(data, "photo.heic")
    assert "HEIC" in err.value.reason and "redact[heic]" in err.value.todo
