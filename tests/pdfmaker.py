"""A tiny PDF writer for tests: pages of Helvetica text lines, an Info dictionary, a text
annotation per page, optionally an embedded file and JavaScript; or pages that are only an
image (a scan). Nothing from outside the tests. :func:`skip_without_ocr` marks a test
module that needs Tesseract."""

from __future__ import annotations

import io
import os
import zlib


def skip_without_ocr() -> None:
    """Skip the calling test module when Tesseract is not installed (the final check of
    PDFs and images needs it), or fail it if ``REDACT_REQUIRE_OCR`` is set."""
    import pytest

    from redact.formats import pdf as pdfmod

    if not pdfmod.ocr_available():
        if os.environ.get("REDACT_REQUIRE_OCR"):
            raise RuntimeError("Tesseract is required here (REDACT_REQUIRE_OCR) but not "
                               "installed")
        pytest.skip("Tesseract OCR is not installed (apt-get install tesseract-ocr "
                    "tesseract-ocr-eng): the final check of PDFs and images needs it",
                    allow_module_level=True)


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(pages: list[list[str]], *, info: dict[str, str] | None = None,
             annotation: str | None = None, attachment: bytes | None = None,
             javascript: str | None = None, images: list[object] | None = None,
             compress: bool = True, size: int = 14,
             page_image: tuple[object, tuple[int, int, int, int]] | None = None,
             rotate: int = 0, form_field: tuple[str, str] | None = None) -> bytes:
    """``pages``: lines of text per page (Helvetica ``size`` pt, from the top left);
    ``images``: Pillow images, one page each, drawn full page (a scan, no text layer);
    ``page_image``: a Pillow image and its rectangle (x, y, width, height in points) drawn
    on every text page too (a photo in a Word export); ``form_field``: the name and value
    of a text field on the first page (an AcroForm)."""
    objs: list[bytes] = []

    def add(body: bytes) -> int:
        objs.append(body)
        return len(objs)

    def stream(dict_extra: str, data: bytes, flate: bool) -> bytes:
        if flate:
            data = zlib.compress(data)
            dict_extra += " /Filter /FlateDecode"
        return (f"<< /Length {len(data)} {dict_extra} >>\nstream\n".encode() + data
                + b"\nendstream")

    catalog = add(b"")  # filled last
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    kids: list[int] = []
    fields: list[int] = []
    xobj, draw_img = "", ""
    if page_image is not None:
        pim, (x, y, w, h) = page_image
        xobj = f" /XObject << /Im1 {_jpeg(add, pim)} 0 R >>"
        draw_img = f"\nq {w} 0 0 {h} {x} {y} cm /Im1 Do Q"
    for lines in pages:
        ops = ["BT", f"/F1 {size} Tf", f"{size + 6} TL", "72 760 Td"]
        for line in lines:
            ops.append(f"({_esc(line)}) Tj T*")
        ops.append("ET")
        content = add(stream("", ("\n".join(ops) + draw_img).encode("latin-1"), compress))
        refs = []
        if annotation is not None:
            refs.append(add(f"<< /Type /Annot /Subtype /Text /Rect [500 700 520 720] "
                            f"/Contents ({_esc(annotation)}) /T ({_esc(annotation)}) "
                            "/Open true >>".encode("latin-1")))
        if form_field is not None and not kids:
            refs.append(add(f"<< /Type /Annot /Subtype /Widget /FT /Tx /Rect [72 40 300 60] "
                            f"/T ({_esc(form_field[0])}) /V ({_esc(form_field[1])}) /F 4 >>"
                            .encode("latin-1")))
            fields.append(refs[-1])
        annots = f" /Annots [{' '.join(f'{a} 0 R' for a in refs)}]" if refs else ""
        kids.append(add(f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 612 792] "
                        f"/Rotate {rotate} /Resources << /Font << /F1 {font} 0 R >>{xobj} >> "
                        f"/Contents {content} 0 R"
                        f"{annots} >>".encode()))
    for img in images or []:
        im = _jpeg(add, img)
        content = add(stream("", b"q 612 0 0 792 0 0 cm /Im0 Do Q", compress))
        kids.append(add(f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 612 792] "
                        f"/Resources << /XObject << /Im0 {im} 0 R >> >> "
                        f"/Contents {content} 0 R >>".encode()))
    names = ""
    if attachment is not None:
        ef = add(stream("/Type /EmbeddedFile", attachment, compress))
        spec = add(f"<< /Type /Filespec /F (notes.txt) /EF << /F {ef} 0 R >> >>".encode())
        names += f" /EmbeddedFiles << /Names [(notes.txt) {spec} 0 R] >>"
    open_action = ""
    if javascript is not None:
        js = add(f"<< /S /JavaScript /JS ({_esc(javascript)}) >>".encode("latin-1"))
        open_action = f" /OpenAction {js} 0 R"
    objs[catalog - 1] = (f"<< /Type /Catalog /Pages {pages_obj} 0 R"
                         + (f" /Names <<{names} >>" if names else "") + open_action
                         + (f" /AcroForm << /Fields [{' '.join(f'{f} 0 R' for f in fields)}] >>"
                            if fields else "") + " >>").encode()
    objs[pages_obj - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                           f"/Count {len(kids)} >>").encode()
    info_ref = ""
    if info:
        i = add(("<< " + " ".join(f"/{k} ({_esc(v)})" for k, v in info.items()) + " >>")
                .encode("latin-1"))
        info_ref = f" /Info {i} 0 R"
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R{info_ref} >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _jpeg(add, img) -> int:  # type: ignore[no-untyped-def]
    """Add a grey JPEG image XObject; its object number."""
    buf = io.BytesIO()
    img.convert("L").save(buf, "JPEG", quality=90)
    w, h = img.size
    data = buf.getvalue()
    return add(f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace "
               f"/DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {len(data)} >>"
               f"\nstream\n".encode() + data + b"\nendstream")
