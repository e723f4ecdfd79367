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
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from redact.errors import InputError
from redact.formats.base import Document, Redacted, edits_for, text_of

__all__ = ["PixelDocument", "read_pdf_document", "read_image_document", "ocr_available",
           "OCR_DPI", "TEXT_DPI", "LOW_CONFIDENCE", "IMAGE_FORMATS"]

#: Resolution of pages rendered from a PDF text layer (output resolution).
TEXT_DPI = 150
#: Resolution at which image-only PDF pages are rendered for OCR (and written).
OCR_DPI = 200
#: OCR confidence (0-100) below which a word next to a removed word is removed too.
LOW_CONFIDENCE = 60
#: Pillow format names of the image kinds read and written.
IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "TIFF": ".tif"}
#: Most pages (PDF) or frames (TIFF) of one file.
MAX_PAGES = 2000
#: Most pixels of one image (Pillow's decompression-bomb guard, made an error).
MAX_PIXELS = 120_000_000

Box = tuple[float, float, float, float]  # left, top, right, bottom, in page pixels


@dataclass
class Page:
    """One page: its text, per character its box (``None``: none, a space), and for OCR
    pages the word index and confidence of each character."""

    text: str
    boxes: list[Box | None]
    source: str  # "text" (PDF text layer) or "ocr"
    dpi: int
    words: list[int] = field(default_factory=list)  # OCR: word index per character (-1: none)
    word_boxes: list[Box] = field(default_factory=list)
    word_conf: list[float] = field(default_factory=list)
    word_line: list[tuple[int, int, int]] = field(default_factory=list)
    ocr_regions: int = 0  # images on a text page whose words were read by OCR


# ---- OCR ---------------------------------------------------------------------------------

def ocr_available() -> bool:
    """True if Tesseract (and its English data) can be run."""
    try:
        import pytesseract
        pytesseract.get_tesseract_version()
        return True
    except Exception:  # noqa: BLE001 - missing binary, missing module: not available
        return False


def _require_ocr(name: str) -> None:
    if not ocr_available():
        raise InputError(f"'{name}' has pages without a text layer (a scan or a photo) or its "
                         "output must be checked by OCR, and Tesseract OCR is not installed",
                         "Install Tesseract (Debian/Ubuntu: apt-get install tesseract-ocr "
                         "tesseract-ocr-eng; macOS: brew install tesseract) and run again.")


def _tesseract(gray: Any) -> dict[str, list[Any]]:
    import pytesseract

    # Tesseract's OpenMP threads cost more than they bring (7.4 s -> 1.5 s a page measured
    # on 2 busy cores); pages are OCR'd in parallel instead (_ocr_pages)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        return pytesseract.image_to_data(gray, lang="eng", config="--psm 3",
                                         output_type=pytesseract.Output.DICT)
    except Exception as exc:  # noqa: BLE001 - message may hold a path: type only
        raise InputError(f"OCR failed ({type(exc).__name__})",
                         "Check the Tesseract installation (tesseract --version).") from None


def _good_words(data: dict[str, list[Any]]) -> tuple[int, int]:
    """(words read with confidence >= 60 and 3+ letters or digits, all words)."""
    good = total = 0
    for w, c in zip(data["text"], data["conf"], strict=False):
        if (w or "").strip():
            total += 1
            try:
                good += float(c) >= 60 and sum(ch.isalnum() for ch in w) >= 3
            except (TypeError, ValueError):
                pass
    return good, total


def _unrotate(data: dict[str, list[Any]], angle: int, size: tuple[int, int]) -> None:
    """Map word boxes found in the image turned ``angle`` degrees counter-clockwise
    (Pillow's ``rotate(angle, expand=True)``) back to the image as it was."""
    w0, h0 = size
    for i in range(len(data["text"])):
        x, y = data["left"][i], data["top"][i]
        pts = [(x, y), (x + data["width"][i], y + data["height"][i])]
        if angle == 90:
            pts = [(w0 - py, px) for px, py in pts]
        elif angle == 180:
            pts = [(w0 - px, h0 - py) for px, py in pts]
        else:  # 270
            pts = [(py, h0 - px) for px, py in pts]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        data["left"][i], data["top"][i] = min(xs), min(ys)
        data["width"][i], data["height"][i] = max(xs) - min(xs), max(ys) - min(ys)


def ocr_page(img: Any, dpi: int) -> Page:
    """OCR a Pillow image into a :class:`Page`: words in reading order, a space between
    words of a line, a line break between lines, a blank line between paragraphs.

    A page read poorly (under half its words clear) is tried turned by 90, 180 and 270
    degrees (a scan fed sideways, a phone photo without orientation); the best reading is
    kept, its boxes mapped back to the page as it is."""
    gray = img.convert("L")
    data = _tesseract(gray)
    good, total = _good_words(data)
    if good < max(3, total // 2):
        for angle in (90, 270, 180):
            turned = _tesseract(gray.rotate(angle, expand=True))
            if _good_words(turned)[0] > max(good, 2) * 2:
                _unrotate(turned, angle, gray.size)
                data, good = turned, _good_words(turned)[0]
    page = Page(text="", boxes=[], source="ocr", dpi=dpi)
    parts: list[str] = []
    prev: tuple[int, int, int] | None = None
    pos = 0

    def put(s: str, box: Box | None, word: int) -> None:
        nonlocal pos
        parts.append(s)
        page.boxes.extend([box] * len(s))
        page.words.extend([word] * len(s))
        pos += len(s)

    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        if not word:
            continue
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = 0.0
        line = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if prev is not None:
            if line[:2] != prev[:2]:
                put("\n\n", None, -1)
            elif line != prev:
                put("\n", None, -1)
            else:
                put(" ", None, -1)
        prev = line
        x, y, w, h = (data["left"][i], data["top"][i], data["width"][i], data["height"][i])
        box = (float(x), float(y), float(x + w), float(y + h))
        k = len(page.word_boxes)
        page.word_boxes.append(box)
        page.word_conf.append(conf)
        page.word_line.append(line)
        put(word, box, k)
    page.text = "".join(parts)
    return page


def _ocr_pages(items: Iterator[Page | Any], dpi: int) -> list[Page]:
    """Pages in order: each item a :class:`Page` already read, or an image to OCR. Images
    are OCR'd by a few Tesseract processes at once; at most that many images are held."""
    from concurrent.futures import Future, ThreadPoolExecutor

    workers = max(1, min(4, os.cpu_count() or 1))
    out: list[Page | Future[Page]] = []
    pending: list[Future[Page]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for item in items:
            if isinstance(item, Page):
                out.append(item)
                continue
            fut = pool.submit(ocr_page, item, dpi)
            del item
            out.append(fut)
            pending.append(fut)
            if len(pending) >= workers:
                pending.pop(0).result()
        return [p if isinstance(p, Page) else p.result() for p in out]


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
    _require_ocr(name)
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


def _pdf_removed_parts(pdf: Any, data: bytes) -> list[str]:
    """What of the input PDF is not carried into the output (names and counts, no values)."""
    import pypdfium2.raw as raw

    out: list[str] = []
    try:
        keys = sorted(k for k, v in pdf.get_metadata_dict().items() if v)
    except Exception:  # noqa: BLE001
        keys = []
    if keys:
        out.append("document information (Info) entries: " + ", ".join(keys))
    if b"/Metadata" in data:
        out.append("XMP metadata stream")
    annots = 0
    for i in range(len(pdf)):
        page = pdf[i]
        annots += raw.FPDFPage_GetAnnotCount(page.raw)
        page.close()
    if annots:
        out.append(f"{annots} annotation(s) (comments, links, stamps; not drawn)")
    n = _safe(pdf.count_attachments)
    if n:
        out.append(f"{n} embedded file(s)")
    if _safe(pdf.get_formtype):
        out.append("form fields (not drawn)")
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


def read_pdf_document(data: bytes, name: str) -> PixelDocument:
    """Read a PDF: the text layer of each page, OCR for pages without one."""
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
                        _require_ocr(name)
                        yield _render(page, OCR_DPI)  # rendering stays in this thread
                    else:
                        yield p
                finally:
                    page.close()

        try:
            doc.removed = _pdf_removed_parts(pdf, data)
            doc.pages = _ocr_pages(pages(), OCR_DPI)
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
        if info_keys:
            out.append("other embedded data: " + ", ".join(str(k) for k in info_keys))
    except Exception:  # noqa: BLE001 - the reader will report the image itself
        pass
    return out


def read_image_document(data: bytes, name: str) -> PixelDocument:
    """Read a PNG, JPEG or TIFF image (every frame of a TIFF) by OCR."""
    from PIL import Image

    _require_ocr(name)
    try:
        fmt = Image.open(io.BytesIO(data)).format or ""
    except Exception:  # noqa: BLE001
        fmt = ""
    if fmt not in IMAGE_FORMATS:
        raise InputError(f"'{name}' cannot be read as a PNG, JPEG or TIFF image",
                         "Save it again as PNG or JPEG and run again.")
    doc = PixelDocument(name=name, kind="image", data=data, fmt=fmt)
    doc.removed = _image_removed_parts(data)
    doc.pages = _ocr_pages(_image_frames(data, name), 300)
    doc.segments = [p.text for p in doc.pages]
    doc.warnings.append("read by OCR: check the output by eye, OCR misreads words it cannot "
                        "see well")
    if doc.removed:
        doc.warnings.append("not carried into the output: " + "; ".join(doc.removed))
    return doc


def precheck(data: bytes, kind: str, name: str) -> None:
    """Cheap checks before the model loads: the PDF opens, the image decodes its header,
    OCR is installed (every PDF or image output is checked by OCR). Raises InputError."""
    _require_ocr(name)
    if kind == "pdf":
        _open_pdf(data, name).close()
        return
    from PIL import Image
    try:
        Image.open(io.BytesIO(data)).verify()
    except Exception:  # noqa: BLE001
        raise InputError(f"'{name}' cannot be read as an image: it is damaged",
                         "Open it in an image viewer and save it again as PNG or JPEG."
                         ) from None


# ---- writing -----------------------------------------------------------------------------

def _fill_boxes(page: Page, edits: Sequence[tuple[int, int, str]]) -> list[Box]:
    """The boxes to fill on a page for ``edits`` (segment offsets): the text-layer
    characters removed, joined per line; OCR words touched by an edit whole, and a
    low-confidence neighbour of a removed word on its line too. Each box padded a little."""
    removed = [False] * len(page.text)
    for a, b, _rep in edits:
        for k in range(max(a, 0), min(b, len(page.text))):
            removed[k] = True
    out: list[Box] = []
    words = page.words or [-1] * len(page.text)
    gone = {words[k] for k, r in enumerate(removed) if r and words[k] >= 0}
    for w in list(gone):
        for nb in (w - 1, w + 1):
            if (0 <= nb < len(page.word_boxes) and nb not in gone
                    and page.word_line[nb] == page.word_line[w]
                    and page.word_conf[nb] < LOW_CONFIDENCE):
                gone.add(nb)
    for w in sorted(gone):
        out.append(_pad(page.word_boxes[w]))
    run: list[Box] = []
    for k, r in enumerate(removed):
        box = page.boxes[k] if words[k] < 0 else None  # OCR words are filled whole above
        if not r or box is None:
            if not r and run:
                out.append(_pad(_union(run)))
                run = []
            continue
        if run and not _same_line(run[-1], box):
            out.append(_pad(_union(run)))
            run = []
        run.append(box)
    if run:
        out.append(_pad(_union(run)))
    return out


def _union(boxes: Sequence[Box]) -> Box:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _same_line(a: Box, b: Box) -> bool:
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap > 0.3 * min(a[3] - a[1], b[3] - b[1]) and b[0] >= a[0] - 2


def _pad(b: Box) -> Box:
    p = max(2.0, 0.15 * (b[3] - b[1]))
    return (b[0] - p, b[1] - p, b[2] + p, b[3] + p)


def _blacken(img: Any, boxes: Sequence[Box]) -> Any:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(img)
    fill = 0 if img.mode == "L" else (0, 0, 0)
    for b in boxes:
        draw.rectangle([int(b[0]), int(b[1]), int(b[2]) + 1, int(b[3]) + 1], fill=fill)
    return img


def _clean_copy(img: Any) -> Any:
    """A new image made from the pixels only (no info, EXIF, ICC, palette metadata)."""
    from PIL import Image

    mode = "L" if img.mode == "L" else "RGB"
    img = img.convert(mode)
    return Image.frombytes(mode, img.size, img.tobytes())


def _is_gray(img: Any) -> bool:
    """True if every pixel of an RGB image is a shade of grey."""
    from PIL import ImageChops

    r, g, b = img.split()
    return (ImageChops.difference(r, g).getbbox() is None
            and ImageChops.difference(g, b).getbbox() is None)


class _PdfWriter:
    """A minimal PDF 1.7 writer: one JPEG image per page, nothing else (no Info, no ID)."""

    def __init__(self, n_pages: int) -> None:
        self.buf = io.BytesIO()
        self.offsets: dict[int, int] = {}
        self.n = n_pages
        self.buf.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(n_pages))
        self._obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        self._obj(2, f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
        self.i = 0

    def _obj(self, num: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[num] = self.buf.tell()
        self.buf.write(f"{num} 0 obj\n".encode() + body)
        if stream is not None:
            self.buf.write(b"\nstream\n" + stream + b"\nendstream")
        self.buf.write(b"\nendobj\n")

    def add_page(self, img: Any, dpi: int) -> None:
        w_px, h_px = img.size
        w, h = w_px * 72.0 / dpi, h_px * 72.0 / dpi
        if img.mode == "RGB" and _is_gray(img):  # a black-and-white page: a third the size
            img = img.convert("L")
        jpg = io.BytesIO()
        img.save(jpg, "JPEG", quality=85)
        cs = "/DeviceGray" if img.mode == "L" else "/DeviceRGB"
        page, contents, image = 3 + 3 * self.i, 4 + 3 * self.i, 5 + 3 * self.i
        self._obj(page, (f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w:.2f} {h:.2f}] "
                         f"/Resources << /XObject << /Im0 {image} 0 R >> >> "
                         f"/Contents {contents} 0 R >>").encode())
        ops = zlib.compress(f"q {w:.2f} 0 0 {h:.2f} 0 0 cm /Im0 Do Q".encode())
        self._obj(contents, f"<< /Length {len(ops)} /Filter /FlateDecode >>".encode(), ops)
        data = jpg.getvalue()
        self._obj(image, (f"<< /Type /XObject /Subtype /Image /Width {w_px} /Height {h_px} "
                          f"/ColorSpace {cs} /BitsPerComponent 8 /Filter /DCTDecode "
                          f"/Length {len(data)} >>").encode(), data)
        self.i += 1

    def finish(self) -> bytes:
        if self.i != self.n:
            raise ValueError("page count mismatch")
        xref = self.buf.tell()
        size = 3 + 3 * self.n
        self.buf.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for num in range(1, size):
            self.buf.write(f"{self.offsets[num]:010d} 00000 n \n".encode())
        self.buf.write(f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
                       .encode())
        return self.buf.getvalue()


@dataclass
class PixelDocument(Document):
    """A PDF or an image, read into one segment per page; rendered from pixels only."""

    data: bytes = b""
    fmt: str = "PDF"  # PDF, PNG, JPEG or TIFF
    pages: list[Page] = field(default_factory=list)
    #: what of the input is not carried into the output (names and counts, no values)
    removed: list[str] = field(default_factory=list)
    _text: str | None = None

    def render(self, redacted: Sequence[Redacted]) -> bytes:
        self._check_len(redacted)
        fills = [_fill_boxes(p, edits_for(p.text, r))
                 for p, r in zip(self.pages, redacted, strict=True)]
        # pages separated by form feeds; pdfium's "\r\n" line breaks as "\n"
        self._text = "\f".join(text_of(r).replace("\r\n", "\n") for r in redacted)
        if self.fmt == "PDF":
            return self._render_pdf(fills)
        return self._render_image(fills)

    def _render_pdf(self, fills: list[list[Box]]) -> bytes:
        pdf = _open_pdf(self.data, self.name)
        try:
            writer = _PdfWriter(len(self.pages))
            for i, (p, boxes) in enumerate(zip(self.pages, fills, strict=True)):
                page = pdf[i]
                try:
                    rot = page.get_rotation()
                    img = _blacken(_render(page, p.dpi), boxes)
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
        frames = [_blacken(_clean_copy(f), boxes)
                  for f, boxes in zip(_image_frames(self.data, self.name), fills, strict=True)]
        buf = io.BytesIO()
        if self.fmt == "JPEG":
            frames[0].save(buf, "JPEG", quality=90)
        elif self.fmt == "PNG":
            frames[0].save(buf, "PNG")
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
