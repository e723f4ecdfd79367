"""Writing from pixels: the boxes of removed text filled black, images copied without
their metadata, and a minimal PDF of page images.

Private to :mod:`redact.formats` (used by :class:`redact.formats.pdf.PixelDocument`).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from typing import Any

from redact.formats._ocr import Box, Page

__all__ = ["LOW_CONFIDENCE", "fill_boxes", "blacken", "clean_copy", "PdfWriter"]

#: OCR confidence (0-100) below which a word next to a removed word is removed too.
LOW_CONFIDENCE = 60


def fill_boxes(page: Page, edits: Sequence[tuple[int, int, str]]) -> list[Box]:
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


def blacken(img: Any, boxes: Sequence[Box]) -> Any:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(img)
    fill = 0 if img.mode == "L" else (0, 0, 0)
    for b in boxes:
        draw.rectangle([int(b[0]), int(b[1]), int(b[2]) + 1, int(b[3]) + 1], fill=fill)
    return img


def clean_copy(img: Any) -> Any:
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


class PdfWriter:
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
