"""PDFs and scans: end-to-end time, OCR word recall, the final check's recall, peak memory.

Usage::

    .venv/bin/python bench/pdf.py                # all four figures
    .venv/bin/python bench/pdf.py --pages 20 --big 100 --json out.json

* ``time``: a text PDF of ``--pages`` pages (40 lines of a witness statement each,
  names on every page) through ``redact_document``: read, detect, plan, render from
  pixels, and the final check (OCR of every output page). Model load reported apart.
* ``recall``: a generated scan page (DejaVu Sans 28 px at 300 dpi, 40 lines of
  statement text, JPEG) read by OCR; recall = words of the page found, in order
  (difflib), among OCR words.
* ``check``: how sure the final check is: text PDFs of 7, 8 and 10 pt written without
  filling the names' boxes, read back as the check reads them, before (pytesseract,
  200 dpi) and now; names found among those drawn, CPU seconds a page.
* ``--only time --baseline DIR --repeat N``: the ``time`` figure of the package in DIR
  (e.g. the main checkout) and of this one, each in a child process, alternately: old
  and new measured in the same session, with CPU seconds (load-independent).
* ``memory``: a ``--big``-page text PDF in a fresh child process: peak RSS of the
  process (model included, and the Tesseract engines when tesserocr runs them), against
  it after loading the model and redacting a 1-page PDF (what the pages cost).

The PDFs are built by tests/pdfmaker.py; nothing is read from outside the repository.
"""

from __future__ import annotations

import argparse
import difflib
import io
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

LINES = [
    "I was born in the village and lived there with my parents until the war.",
    "My cousin Islam Temirov worked at the market and sold vegetables there.",
    "In the spring the men came to our street in two cars without number plates.",
    "They asked for Temirov and for his brother Aslan, and they took his phone.",
    "We did not know where they had taken him for three weeks after that night.",
    "Later Zarema Bakaeva told my mother that she had seen him in the basement.",
    "She said that the guards beat the prisoners every evening and shouted names.",
    "My father went to the police station twice but nobody would speak to him.",
]


def _pages(n: int) -> list[list[str]]:
    return [[f"Page {p + 1}."] + [LINES[(p + k) % len(LINES)] for k in range(40)]
            for p in range(n)]


def _pdf(n: int) -> bytes:
    from pdfmaker import make_pdf
    return make_pdf(_pages(n), info={"Author": "Zarema Bakaeva"}, size=10)


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (tesseract processes)."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(
        resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bench_time(pages: int) -> dict[str, object]:
    from redact import Policy, Redactor
    from redact.formats import pdf as pdfmod
    from redact.formats import redact_document

    t0 = time.perf_counter()
    red = Redactor(Policy.load(None))
    redact_document(red, _pdf(1), "warm.pdf")
    t1 = time.perf_counter()
    data = _pdf(pages)
    t2, c2 = time.perf_counter(), _cpu()
    out, results, doc = redact_document(red, data, "bench.pdf")
    t3, c3 = time.perf_counter(), _cpu()
    engine = getattr(pdfmod, "ocr_engine", lambda: "pytesseract")()  # before: pytesseract
    return {"pages": pages, "model_load_and_warmup_s": round(t1 - t0, 1),
            "end_to_end_s": round(t3 - t2, 1), "per_page_s": round((t3 - t2) / pages, 2),
            "cpu_s": round(c3 - c2, 1), "ocr": engine,
            "spans": sum(len(r.spans) for r in results), "output_bytes": len(out)}


def _child_time(src: Path, pages: int) -> dict[str, object]:
    """The ``time`` figure of the package in ``src`` (a checkout of redact, e.g. main),
    measured by this file in a child process."""
    code = f"""
import importlib.util, json, sys
sys.path.insert(0, {str(src)!r})
import redact  # from src, before this file puts its own checkout first
spec = importlib.util.spec_from_file_location("benchpdf", {str(Path(__file__).resolve())!r})
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
print(json.dumps(dict(mod.bench_time({pages}), code=redact.__file__)))
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       check=True, cwd=src)
    return json.loads(r.stdout.strip().splitlines()[-1])


def bench_recall() -> dict[str, float]:
    from PIL import Image, ImageDraw, ImageFont

    from redact.formats.pdf import ocr_page

    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = (ImageFont.truetype(str(font_path), 28) if font_path.exists()
            else ImageFont.load_default(size=28))
    lines = _pages(1)[0]
    img = Image.new("L", (2550, 3300), 255)  # US letter at 300 dpi
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw.text((150, 150 + k * 72), line, fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=75)  # a scan is rarely lossless
    img = Image.open(io.BytesIO(buf.getvalue()))
    t0 = time.perf_counter()
    page = ocr_page(img, 300)
    t1 = time.perf_counter()
    truth = " ".join(lines).split()
    got = page.text.split()
    sm = difflib.SequenceMatcher(None, truth, got, autojunk=False)
    hit = sum(b.size for b in sm.get_matching_blocks())
    return {"words": len(truth), "found": hit, "recall": round(hit / len(truth), 4),
            "ocr_s": round(t1 - t0, 1)}


def bench_check(sizes: tuple[int, ...] = (7, 8, 10), pages: int = 3) -> list[dict[str, object]]:
    """How sure the final check is: text PDFs of ``sizes`` pt written *without* filling the
    boxes of the removed names (the fault the check is there for), then read back as the
    check reads them: before (pytesseract, pages rendered at 200 dpi) and now (the engine
    chosen, pages at the resolution written, 150 dpi). Recall = occurrences of the names
    found among those drawn; CPU seconds a page of the read-back."""
    import re

    from pdfmaker import make_pdf

    from redact.formats import pdf as pdfmod
    from redact.formats._ocr import ocr_engine, use_engine

    names = ["Islam", "Temirov", "Aslan", "Zarema", "Bakaeva"]
    new_engine = ocr_engine()
    keep = pdfmod.fill_boxes
    out: list[dict[str, object]] = []
    try:
        pdfmod.fill_boxes = lambda page, edits: []  # the fault: nothing filled
        for size in sizes:
            src = pdfmod.read_pdf_document(make_pdf(_pages(pages), size=size), "b.pdf")
            written = src.render(src.segments)
            truth = sum(len(re.findall(rf"\b{n}\b", t)) for t in src.segments for n in names)
            for label, engine, native in (("before", "pytesseract", False),
                                          ("now", new_engine, True)):
                use_engine(engine)
                c0 = _cpu()
                again = pdfmod.read_pdf_document(written, "b.pdf", native=native)
                cpu = (_cpu() - c0) / pages
                found = sum(len(re.findall(rf"(?i)\b{n}\b", t))
                            for t in again.segments for n in names)
                out.append({"size_pt": size, "check": label, "ocr": engine,
                            "dpi": 150 if native else pdfmod.OCR_DPI, "drawn": truth,
                            "found": found, "recall": round(found / truth, 3),
                            "cpu_s_per_page": round(cpu, 2)})
                print("check", out[-1], flush=True)
    finally:
        pdfmod.fill_boxes = keep
        use_engine(None)
    return out


def _child_memory(pages: int) -> dict[str, float]:
    code = f"""
import resource, sys, json
sys.path.insert(0, {str(ROOT / 'tests')!r}); sys.path.insert(0, {str(ROOT)!r})
sys.argv = ['x']
from bench.pdf import _pdf
from redact import Policy, Redactor
from redact.formats import redact_document
red = Redactor(Policy.load(None))
redact_document(red, _pdf(1), "warm.pdf")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = _pdf({pages})
out, results, doc = redact_document(red, data, "big.pdf")
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"pages": {pages}, "input_mb": round(len(data) / 1e6, 1),
    "output_mb": round(len(out) / 1e6, 1), "rss_after_model_and_1_page_mb": round(base / 1024),
    "peak_rss_mb": round(peak / 1024)}}))
"""
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       check=True, cwd=ROOT)
    res = json.loads(r.stdout.strip().splitlines()[-1])
    res["wall_s"] = round(time.perf_counter() - t0, 1)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--big", type=int, default=100)
    ap.add_argument("--json")
    ap.add_argument("--only", choices=["time", "recall", "memory", "check"])
    ap.add_argument("--baseline", type=Path,
                    help="with --only time: the time of this checkout (e.g. main) and of "
                         "this one, each in a child process, alternately, --repeat times")
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    res: dict[str, object] = {}
    if a.baseline is not None and a.only == "time":
        runs = []
        for _ in range(a.repeat):
            for src in (a.baseline.resolve(), ROOT):
                runs.append(_child_time(src, a.pages))
                print("time", runs[-1], flush=True)
        res["time_compared"] = runs
        a.only = "compared"
    if a.only in (None, "recall"):
        res["recall"] = bench_recall()
        print("recall", res["recall"], flush=True)
    if a.only in (None, "time"):
        res["time"] = bench_time(a.pages)
        print("time", res["time"], flush=True)
    if a.only in (None, "check"):
        res["check"] = bench_check()
    if a.only in (None, "memory"):
        res["memory"] = _child_memory(a.big)
        print("memory", res["memory"], flush=True)
    if a.json:
        Path(a.json).write_text(json.dumps(res, indent=2) + "\n")


if __name__ == "__main__":
    main()
