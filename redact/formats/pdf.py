"""PDFs, scans and photos: redact the pixels, rebuild the file from what is left.

A page is read into one text segment with, for every character, the box
where it is drawn (in pixels of the page as rendered):

- a PDF page with a text layer: the characters and their (loose) boxes from
  pdfium (pypdfium2);
- a page without one (a scan), a PNG, JPEG or TIFF: Tesseract OCR words
  (pytesseract); every character of a word carries the word's box and OCR
  confidence.

All pages of a file are one :class:`Document` (one segment per page), so they
are planned together: propagation and pseudonyms cross pages.

The output is built only from pixels (decision 10, the Dangerzone approach):
each page is rendered (annotations and form fields not drawn), the boxes of
every removed character are filled black, and a new file is written from the
images alone: a PDF written here from JPEG page images (no text layer, no
Info, XMP, annotations, attachments, forms, JavaScript, outlines or update
history of the input: nothing of the input's object tree is copied), or a
PNG/JPEG/TIFF re-encoded from the pixels (no EXIF, GPS, ICC, XMP or text
chunks). A removed OCR word next to a word read with low confidence fills
that word too, rather than leaving a fragment.

The redacted text is available as :meth:`PixelDocument.companions`
(``.txt`` beside the output). The final check (``check_output``) reads the
output again with this reader, which OCRs its pages: a planned surface form
found there fails the file closed.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from redact.errors import InputError
from redact.formats._ocr import (
    Box,
    Page,
    ocr_available,
    ocr_engine,
    ocr_page,
    ocr_pages,
    require_ocr,
)
from redact.formats._pixels import LOW_CONFIDENCE, PdfWriter, blacken, clean_copy, fill_boxes
from redact.formats.base import Document, Redacted, edits_for, text_of

__all__ = ["PixelDocument", "Page", "read_pdf_document", "read_image_document", "ocr_available",
           "ocr_engine", "ocr_page", "precheck", "OCR_DPI", "TEXT_DPI", "LOW_CONFIDENCE",
           "IMAGE_FORMATS", "heic_available", "heic_readable"]

#: Resolution of pages rendered from a PDF text layer (output resolution).
TEXT_DPI = 150
#: Resolution at which image-only PDF pages are rendered for OCR (and written).
OCR_DPI = 200
#: Pillow format names of the image kinds read and written (HEIF: with pillow-heif).
IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif", "HEIF": ".heic"}
#: Most pages (PDF) or frames (TIFF) of one file.
MAX_PAGES = 2000
#: Most pixels of one image (Pillow's decompression-bomb guard, made an error).
MAX_PIXELS = 120_000_000


# ---- reading -----------------------------------------------------------------------------

def _open_pdf(data: bytes, name: str) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except Exception as exc:  # noqa: BLE001 - pdfium errors say little; type only
        what = "it is encrypted" if "password" in str(exc).lower() else "it is damaged"
        raise InputError(f"'{name}' cannot be read as a PDF: {what} ({type(exc).__name__})",
                         "Open it in a PDF reader and save (or print) it again as a PDF "
                         "without a password, then run again.") from None


def _text_page(page: Any, dpi: int) -> Page | None:
    """The text layer of a PDF page with character boxes in pixels, or ``None`` if the page
    has no text layer worth the name (a scan)."""
    tp = page.get_textpage()
    try:
        n = tp.count_chars()
        text = tp.get_text_range(0, n) if n else ""
        if len(text) != n:  # surrogate pairs or generated characters: one at a time
            import pypdfium2.raw as raw
            text = "".join(chr(raw.FPDFText_GetUnicode(tp.raw, i)) for i in range(n))
        if sum(1 for c in text if c.isalnum()) < 3:
            return None
        left, bottom, right, top = page.get_cropbox()
        s = dpi / 72.0
        boxes: list[Box | None] = []
        for i, ch in enumerate(text):
            if ch.isspace():
                boxes.append(None)
                continue
            bl, bb, br, bt = tp.get_charbox(i, loose=True)
            if br <= bl and bt <= bb:
                boxes.append(None)
                continue
            boxes.append(((bl - left) * s, (top - bt) * s, (br - left) * s, (top - bb) * s))
        # pdfium writes line breaks as "\r\n"; the statement text keeps them (offsets map)
        return Page(text=text, boxes=boxes, source="text", dpi=dpi)
    finally:
        tp.close()


#: Smallest image (in points, both sides) on a text page that is OCR'd: smaller ones
#: (bullets, rules, logos) cannot hold a readable word.
MIN_IMAGE_PT = 24


def _ocr_images(page: Any, p: Page, name: str) -> None:
    """OCR the images drawn on a page that has a text layer (a photo of a document, a
    signature block, a scanned insert) and append their words to the page's text after a
    blank line, with their boxes, so a name in an image is detected and filled like any
    other."""
    import pypdfium2.raw as raw

    regions = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE]):
        left, bottom, right, top = obj.get_bounds()
        if right - left >= MIN_IMAGE_PT and top - bottom >= MIN_IMAGE_PT:
            regions.append((left, bottom, right, top))
    if not regions:
        return
    require_ocr(name)
    img = _render(page, OCR_DPI)
    c_left, _c_bottom, _c_right, c_top = page.get_cropbox()
    s, f = OCR_DPI / 72.0, p.dpi / OCR_DPI
    if not p.words:
        p.words = [-1] * len(p.text)
    for r, (left, bottom, right, top) in enumerate(regions):
        x0, y0 = max(0, int((left - c_left) * s)), max(0, int((c_top - top) * s))
        x1, y1 = min(img.size[0], int((right - c_left) * s)), min(img.size[1],
                                                                  int((c_top - bottom) * s))
        if x1 - x0 < 8 or y1 - y0 < 8:
            continue
        o = ocr_page(img.crop((x0, y0, x1, y1)), OCR_DPI)
        if not o.text.strip():
            continue
        base = len(p.word_boxes)
        p.text += "\n\n" + o.text
        p.boxes += [None, None] + [None if b is None else
                                   ((b[0] + x0) * f, (b[1] + y0) * f, (b[2] + x0) * f,
                                    (b[3] + y0) * f) for b in o.boxes]
        p.words += [-1, -1] + [w + base if w >= 0 else -1 for w in o.words]
        p.word_boxes += [((b[0] + x0) * f, (b[1] + y0) * f, (b[2] + x0) * f, (b[3] + y0) * f)
                         for b in o.word_boxes]
        p.word_conf += o.word_conf
        p.word_line += [(1000 * (r + 1) + ln[0], ln[1], ln[2]) for ln in o.word_line]
        p.ocr_regions += 1


def _render(page: Any, dpi: int) -> Any:
    """The page as a Pillow RGB image, unrotated (boxes are in unrotated page space),
    without annotations or form fields (their text is not read, so it is not drawn)."""
    rot = page.get_rotation()
    if rot:
        page.set_rotation(0)
    try:
        bitmap = page.render(scale=dpi / 72.0, draw_annots=False, may_draw_forms=False)
        img = bitmap.to_pil().convert("RGB")
        bitmap.close()
    finally:
        if rot:
            page.set_rotation(rot)
    return img


def _safe(fn: Any) -> Any:
    """``fn()``, or 0 if pdfium cannot answer."""
    try:
        return fn()
    except Exception:  # noqa: BLE001
        return 0


#: pdfium's annotation subtypes, by number (PDF 32000 12.5.6).
_ANNOT_KINDS = ("unknown", "Text", "Link", "FreeText", "Line", "Square", "Circle", "Polygon",
                "PolyLine", "Highlight", "Underline", "Squiggly", "StrikeOut", "Stamp",
                "Caret", "Ink", "Popup", "FileAttachment", "Sound", "Movie", "Widget",
                "Screen", "PrinterMark", "TrapNet", "Watermark", "3D", "RichMedia",
                "XFAWidget", "Redact")


def _annotations(pdf: Any) -> tuple[dict[str, int], int, int, int]:
    """The annotations of a PDF, counted: (by kind; how many hold text of their own, a
    comment or its author; form fields (widgets); fields filled in). No value is read
    beyond its length."""
    import pypdfium2.raw as raw

    def has(annot: Any, key: str) -> bool:  # a non-empty string value (UTF-16, with NUL)
        return bool(raw.FPDFAnnot_HasKey(annot, key.encode())) and _safe(
            lambda: raw.FPDFAnnot_GetStringValue(annot, key.encode(), None, 0)) > 2

    kinds: dict[str, int] = {}
    texts = fields = filled = 0
    for i in range(len(pdf)):
        page = pdf[i]
        try:
            for k in range(raw.FPDFPage_GetAnnotCount(page.raw)):
                annot = raw.FPDFPage_GetAnnot(page.raw, k)
                if not annot:
                    continue
                try:
                    sub = raw.FPDFAnnot_GetSubtype(annot)
                    kind = _ANNOT_KINDS[sub] if 0 <= sub < len(_ANNOT_KINDS) else "unknown"
                    kinds[kind] = kinds.get(kind, 0) + 1
                    if kind == "Widget":
                        fields += 1
                        filled += has(annot, "V")
                    elif has(annot, "Contents") or has(annot, "RC") or has(annot, "T"):
                        texts += 1
                finally:
                    raw.FPDFPage_CloseAnnot(annot)
        finally:
            page.close()
    return kinds, texts, fields, filled


def _pdf_removed_parts(pdf: Any, data: bytes) -> list[str]:
    """What of the input PDF is not carried into the output (names and counts, no values)."""
    out: list[str] = []
    try:
        keys = sorted(k for k, v in pdf.get_metadata_dict().items() if v)
    except Exception:  # noqa: BLE001
        keys = []
    if keys:
        out.append("document information (Info) entries: " + ", ".join(keys))
    if b"/Metadata" in data:
        out.append("XMP metadata stream")
    kinds, texts, fields, filled = _annotations(pdf)
    annots = sum(kinds.values())
    if annots:
        by_kind = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        out.append(f"{annots} annotation(s) (comments, links, stamps; not drawn): {by_kind}"
                   + (f"; {texts} hold text (a comment, its author), dropped unread"
                      if texts else ""))
    n = _safe(pdf.count_attachments)
    if n:
        out.append(f"{n} embedded file(s)")
    if _safe(pdf.get_formtype) or fields:
        out.append("form fields (not drawn)" + (f": {fields} field(s), {filled} filled in, "
                                                "values dropped unread" if fields else ""))
    if re.search(rb"/JavaScript|/JS\b", data):
        out.append("JavaScript")
    if b"/Outlines" in data:
        out.append("bookmarks (outline)")
    if data.count(b"%%EOF") > 1:
        out.append(f"{data.count(b'%%EOF') - 1} incremental update(s) (earlier versions)")
    if b"/Thumb" in data:
        out.append("page thumbnails")
    if b"/Encrypt" in data:
        out.append("encryption dictionary")
    return out


def _image_dpi(page: Any) -> int:
    """The resolution a page that is one image was drawn at (its pixels one to one),
    :data:`OCR_DPI` for any other page."""
    import pypdfium2.raw as raw

    objs = list(page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=1))
    if len(objs) != 1:
        return OCR_DPI
    width = objs[0].get_bounds()[2] - objs[0].get_bounds()[0]
    px = objs[0].get_px_size()[0]
    return min(600, max(72, round(px * 72 / width))) if width > 0 and px > 0 else OCR_DPI


def read_pdf_document(data: bytes, name: str, *, native: bool = False) -> PixelDocument:
    """Read a PDF: the text layer of each page, OCR for pages without one.

    ``native``: a page that is one image is rendered for OCR at that image's resolution
    rather than :data:`OCR_DPI` (the final check reading an output of this module: the
    pixels written, one to one: for the 150 dpi pages of a text PDF, as sure as scaled
    up to 200 dpi, surer for 7 pt print, and 12% cheaper; docs/formats.md)."""
    pdf = _open_pdf(data, name)
    try:
        n = len(pdf)
        if n > MAX_PAGES:
            raise InputError(f"'{name}' has {n:,} pages; redact reads at most {MAX_PAGES:,}",
                             "Split the PDF into smaller files and redact them into one case.")
        doc = PixelDocument(name=name, kind="pdf", data=data, fmt="PDF")

        def pages() -> Iterator[Page | Any]:
            for i in range(n):
                page = pdf[i]
                try:
                    p = _text_page(page, TEXT_DPI)
                    if p is not None:
                        _ocr_images(page, p, name)
                    if p is None:
                        require_ocr(name)
                        dpi = _image_dpi(page) if native else OCR_DPI
                        yield _render(page, dpi)  # rendering stays in this thread
                    else:
                        yield p
                finally:
                    page.close()

        try:
            doc.removed = _pdf_removed_parts(pdf, data)
            doc.pages = ocr_pages(pages(), OCR_DPI)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged page; pdfium says little
            raise InputError(f"'{name}' cannot be read as a PDF: a page is damaged "
                             f"({type(exc).__name__})",
                             "Open it in a PDF reader and save (or print) it again as a "
                             "PDF, then run again.") from None
    finally:
        pdf.close()
    doc.segments = [p.text for p in doc.pages]
    ocr = sum(1 for p in doc.pages if p.source == "ocr")
    if ocr:
        doc.warnings.append(f"{ocr} of {len(doc.pages)} page(s) read by OCR: check the "
                            "output by eye, OCR misreads words it cannot see well")
    imgs = sum(p.ocr_regions for p in doc.pages)
    if imgs:
        doc.warnings.append(f"{imgs} image(s) on pages with a text layer read by OCR: check "
                            "them in the output by eye")
    if doc.removed:
        doc.warnings.append("not carried into the output: " + "; ".join(doc.removed))
    return doc


def heic_available() -> bool:
    """True if HEIC photos can be read and written here: pillow-heif is installed (an
    optional dependency, ``redact[heic]``: its wheels are GPLv2, bundling x265)."""
    try:
        import pillow_heif  # noqa: F401
    except ImportError:
        return False
    return True


def _heif_opener(data: bytes) -> bool:
    """For an ISO media file (a HEIC photo): let Pillow open HEIF images; False if it
    cannot (not ISO media, no pillow-heif)."""
    if data[4:8] != b"ftyp" or not heic_available():
        return False
    import pillow_heif

    pillow_heif.register_heif_opener(thumbnails=False)
    return True


def heic_readable(data: bytes) -> bool:
    """True if ``data`` is a HEIF image (a HEIC photo) that pillow-heif can open."""
    from PIL import Image

    if not _heif_opener(data):
        return False
    try:
        with Image.open(io.BytesIO(data)) as im:
            return im.format == "HEIF"
    except Exception:  # noqa: BLE001 - not an image it reads (AVIF, MP4, damaged)
        return False


def _image_frames(data: bytes, name: str) -> Iterator[Any]:
    """The frames (pages) of an image file, upright (EXIF orientation applied), RGB or L."""
    from PIL import Image, ImageOps, ImageSequence

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        im = Image.open(io.BytesIO(data))
        for k, frame in enumerate(ImageSequence.Iterator(im)):
            if k >= MAX_PAGES:
                break
            f = ImageOps.exif_transpose(frame)
            yield f.convert("L" if f.mode in ("1", "L", "I;16", "I") else "RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(f"'{name}' is an image of more than {MAX_PIXELS:,} pixels",
                         "Scale the image down (300 dpi is enough for a page) and run again."
                         ) from None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise InputError(f"'{name}' cannot be read as an image ({type(exc).__name__})",
                         "Open it in an image viewer and save it again as PNG or JPEG."
                         ) from None


#: HEIF image properties that are not metadata (how the pixels are coded).
_HEIF_CODING = ("bit_depth", "chroma", "primary", "original_orientation", "nclx_profile")


def _image_removed_parts(data: bytes) -> list[str]:
    from PIL import Image

    out: list[str] = []
    try:
        im = Image.open(io.BytesIO(data))
        exif = im.getexif()
        if len(exif):
            out.append(f"EXIF ({len(exif)} tag(s))")
        if exif.get_ifd(0x8825):
            out.append("GPS position")
        info_keys = sorted(k for k in im.info if k not in ("dpi", "jfif", "jfif_version",
                                                           "jfif_unit", "jfif_density",
                                                           "exif", "compression"))
        if im.format == "HEIF":  # the keys with something in them (XMP, thumbnails, depth)
            info_keys = [k for k in info_keys if k not in _HEIF_CODING and im.info[k]]
        if info_keys:
            out.append("other embedded data: " + ", ".join(str(k) for k in info_keys))
    except Exception:  # noqa: BLE001 - the reader will report the image itself
        pass
    return out


def read_image_document(data: bytes, name: str) -> PixelDocument:
    """Read a PNG, JPEG, TIFF or (with pillow-heif) HEIC image (every frame of a TIFF or
    HEIC) by OCR."""
    from PIL import Image

    require_ocr(name)
    _heif_opener(data)
    try:
        fmt = Image.open(io.BytesIO(data)).format or ""
    except Exception:  # noqa: BLE001
        fmt = ""
    if fmt not in IMAGE_FORMATS:
        raise InputError(f"'{name}' cannot be read as a PNG, JPEG or TIFF image",
                         "Save it again as PNG or JPEG and run again.")
    doc = PixelDocument(name=name, kind="image", data=data, fmt=fmt)
    doc.removed = _image_removed_parts(data)
    doc.pages = ocr_pages(_image_frames(data, name), 300)
    doc.segments = [p.text for p in doc.pages]
    doc.warnings.append("read by OCR: check the output by eye, OCR misreads words it cannot "
                        "see well")
    if doc.removed:
        doc.warnings.append("not carried into the output: " + "; ".join(doc.removed))
    return doc


def precheck(data: bytes, kind: str, name: str) -> None:
    """Cheap checks before the model loads: the PDF opens, the image decodes its header,
    OCR is installed (every PDF or image output is checked by OCR). Raises InputError."""
    require_ocr(name)
    if kind == "pdf":
        _open_pdf(data, name).close()
        return
    from PIL import Image
    _heif_opener(data)
    try:
        Image.open(io.BytesIO(data)).verify()
    except Exception:  # noqa: BLE001
        raise InputError(f"'{name}' cannot be read as an image: it is damaged",
                         "Open it in an image viewer and save it again as PNG or JPEG."
                         ) from None


# ---- writing -----------------------------------------------------------------------------

@dataclass
class PixelDocument(Document):
    """A PDF or an image, read into one segment per page; rendered from pixels only."""

    data: bytes = b""
    fmt: str = "PDF"  # PDF, PNG, JPEG, TIFF or HEIF
    pages: list[Page] = field(default_factory=list)
    #: what of the input is not carried into the output (names and counts, no values)
    removed: list[str] = field(default_factory=list)
    _text: str | None = None

    def render(self, redacted: Sequence[Redacted]) -> bytes:
        self._check_len(redacted)
        fills = [fill_boxes(p, edits_for(p.text, r))
                 for p, r in zip(self.pages, redacted, strict=True)]
        # pages separated by form feeds; pdfium's "\r\n" line breaks as "\n"
        self._text = "\f".join(text_of(r).replace("\r\n", "\n") for r in redacted)
        if self.fmt == "PDF":
            return self._render_pdf(fills)
        return self._render_image(fills)

    def _render_pdf(self, fills: list[list[Box]]) -> bytes:
        pdf = _open_pdf(self.data, self.name)
        try:
            writer = PdfWriter(len(self.pages))
            for i, (p, boxes) in enumerate(zip(self.pages, fills, strict=True)):
                page = pdf[i]
                try:
                    rot = page.get_rotation()
                    img = blacken(_render(page, p.dpi), boxes)
                finally:
                    page.close()
                if rot:
                    img = img.rotate(-rot, expand=True)
                writer.add_page(img, p.dpi)
                del img
            return writer.finish()
        finally:
            pdf.close()

    def _render_image(self, fills: list[list[Box]]) -> bytes:
        frames = [blacken(clean_copy(f), boxes)
                  for f, boxes in zip(_image_frames(self.data, self.name), fills, strict=True)]
        buf = io.BytesIO()
        if self.fmt == "JPEG":
            frames[0].save(buf, "JPEG", quality=90)
        elif self.fmt == "PNG":
            frames[0].save(buf, "PNG")
        elif self.fmt == "HEIF":  # a new HEIC of the pixels only (no EXIF, XMP, thumbnails)
            frames[0].save(buf, "HEIF", quality=90, save_all=len(frames) > 1,
                           append_images=frames[1:])
        else:
            frames[0].save(buf, "TIFF", compression="tiff_deflate", save_all=len(frames) > 1,
                           append_images=frames[1:])
        return buf.getvalue()

    def companions(self) -> dict[str, bytes]:
        """Files written beside the output: the redacted text (``.txt``, pages separated
        by form feeds), available after :meth:`render`."""
        return {} if self._text is None else {".txt": self._text.encode("utf-8")}

    def output_texts(self, output: bytes) -> list[tuple[str, str]]:
        """The redacted text written beside the output, and the output's own metadata and
        text layer (which must be empty: the pages are images)."""
        texts: list[tuple[str, str]] = []
        if self._text is not None:
            texts.append(("the redacted text (.txt)", self._text))
        if self.fmt == "PDF":
            pdf = _open_pdf(output, self.name)
            try:
                meta = pdf.get_metadata_dict()
                texts.append(("PDF metadata", " ".join(str(v) for v in meta.values())))
                for i in range(len(pdf)):
                    page = pdf[i]
                    tp = page.get_textpage()
                    texts.append((f"text layer of page {i + 1}", tp.get_text_range()))
                    tp.close()
                    page.close()
            finally:
                pdf.close()
            # every object outside the image streams, as text
            texts.append(("PDF objects", re.sub(rb"stream\n.*?\nendstream", b"", output,
                                                flags=re.S).decode("latin-1")))
        else:
            from PIL import Image
            im = Image.open(io.BytesIO(output))
            texts.append(("image metadata", " ".join(f"{k} {v}" for k, v in im.info.items()
                                                     if isinstance(v, str | bytes))))
            texts.append(("EXIF", " ".join(str(v) for v in im.getexif().values())))
        return texts
