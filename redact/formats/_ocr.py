"""OCR for PDFs and images: a Pillow image into a :class:`Page` of words with their boxes.

Private to :mod:`redact.formats` (:mod:`redact.formats.pdf` re-exports what is public):
Tesseract, a page turned when it reads badly, pages OCR'd a few at a time.

Two ways to run Tesseract, the same words out (its TSV): through tesserocr (the library
in this process, one engine per thread kept loaded and reused; 0.93 s of CPU a page
against 1.39 s, docs/formats.md) when it is installed and finds the English data, else
through pytesseract (a ``tesseract`` process a page).
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from redact.errors import InputError

__all__ = ["Box", "Page", "ocr_available", "require_ocr", "ocr_page", "ocr_pages",
           "ocr_engine", "use_engine", "ENGINES"]

Box = tuple[float, float, float, float]  # left, top, right, bottom, in page pixels

#: The ways to run Tesseract, preferred first.
ENGINES = ("tesserocr", "pytesseract")


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


_state: dict[str, Any] = {"engine": None, "tessdata": None, "chosen": False}
_lock = threading.Lock()
#: idle tesserocr engines: a thread takes one for a page and gives it back
_idle: queue.SimpleQueue[Any] = queue.SimpleQueue()


def _after_fork() -> None:
    """A forked batch worker starts its own engines (and lock) rather than share copies."""
    global _idle, _lock
    _idle, _lock = queue.SimpleQueue(), threading.Lock()


os.register_at_fork(after_in_child=_after_fork)


def _tessdata() -> str | None:
    """The folder of Tesseract's language data holding ``eng.traineddata``: the
    ``TESSDATA_PREFIX`` folder, the one the ``tesseract`` program names, or a usual one."""

    def ok(place: str) -> bool:
        return bool(place) and (Path(place) / "eng.traineddata").is_file()

    places = [os.environ.get("TESSDATA_PREFIX", "")]
    exe = shutil.which("tesseract")
    if not ok(places[0]) and exe:
        try:
            r = subprocess.run([exe, "--list-langs"], capture_output=True, text=True,
                               timeout=20, check=False)
            m = re.search(r'"([^"]+)"', r.stdout + r.stderr)
            places.append(m.group(1) if m else "")
        except (OSError, subprocess.SubprocessError):
            pass
    for root in ("/usr/share/tesseract-ocr", "/usr/share", "/usr/local/share",
                 "/opt/homebrew/share"):
        places += [str(p) for p in sorted(Path(root).glob("*/tessdata"), reverse=True)]
        places.append(f"{root}/tessdata")
    return next((p.rstrip("/") + "/" for p in places if ok(p)), None)


def _new_api() -> Any:
    import tesserocr

    return tesserocr.PyTessBaseAPI(path=_state["tessdata"], lang="eng",
                                   psm=tesserocr.PSM.AUTO)


def _works(name: str) -> bool:
    """True if Tesseract runs through ``name`` (an engine is then kept ready)."""
    try:
        if name == "tesserocr":
            _state["tessdata"] = _state["tessdata"] or _tessdata()
            if _state["tessdata"] is None:
                return False
            if _idle.empty():
                _idle.put(_new_api())
        else:
            import pytesseract
            pytesseract.get_tesseract_version()
        return True
    except Exception:  # noqa: BLE001 - missing module, binary or data: not this one
        return False


def use_engine(name: str | None) -> str | None:
    """Run Tesseract through ``name`` (one of :data:`ENGINES`) from now on, or ``None``:
    the first that works (the default, no call needed). Returns the engine in use,
    ``None`` if it does not work. For measurements and tests."""
    with _lock:
        return _select(name)


def _select(name: str | None) -> str | None:
    engine = next((n for n in (ENGINES if name is None else (name,)) if _works(n)), None)
    _state.update(engine=engine, chosen=True)
    return engine


def _choose() -> str | None:
    if not _state["chosen"]:
        with _lock:
            if not _state["chosen"]:  # another thread may have chosen meanwhile
                _select(None)
    return _state["engine"]


def ocr_engine() -> str | None:
    """How Tesseract is run here (one of :data:`ENGINES`), ``None`` if it cannot be."""
    return _choose()


def ocr_available() -> bool:
    """True if Tesseract (and its English data) can be run."""
    return _choose() is not None


def require_ocr(name: str) -> None:
    if not ocr_available():
        raise InputError(f"'{name}' has pages without a text layer (a scan or a photo) or its "
                         "output must be checked by OCR, and Tesseract OCR is not installed",
                         "Install Tesseract (Debian/Ubuntu: apt-get install tesseract-ocr "
                         "tesseract-ocr-eng; macOS: brew install tesseract) and run again.")


_INT_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left",
                "top", "width", "height")


def _from_tsv(tsv: str) -> dict[str, list[Any]]:
    """Tesseract's TSV rows (no header) as pytesseract's ``Output.DICT``."""
    data: dict[str, list[Any]] = {k: [] for k in (*_INT_COLUMNS, "conf", "text")}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        for k, v in zip(_INT_COLUMNS, cells, strict=False):
            data[k].append(int(v))
        data["conf"].append(float(cells[10]))
        data["text"].append("\t".join(cells[11:]))
    return data


def _tesseract(gray: Any) -> dict[str, list[Any]]:
    """Tesseract's words of a greyscale image (page segmentation 3, automatic), as
    pytesseract's ``Output.DICT``."""
    # Tesseract's OpenMP threads cost more than they bring (7.4 s -> 1.5 s a page measured
    # on 2 busy cores); pages are OCR'd in parallel instead (ocr_pages)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        if _choose() == "tesserocr":
            try:
                api = _idle.get_nowait()
            except queue.Empty:
                api = _new_api()
            try:
                api.SetImage(gray)
                api.Recognize()  # the GIL is let go while it works
                return _from_tsv(api.GetTSVText(0))
            finally:
                api.Clear()
                _idle.put(api)
        import pytesseract

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


def ocr_pages(items: Iterator[Page | Any], dpi: int) -> list[Page]:
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
